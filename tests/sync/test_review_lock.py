"""Review that locks, seen from the officer's PC: a revision sent after the reviewer accepted the report
comes back from the next sync as "changed after acceptance" (badge "Đã sửa sau khi chấp nhận"), and a
return's comment reaches the officer."""

from __future__ import annotations

from datetime import date

from dttsclient.store import Store
from dttscore.periods import parse_period
from tests.support.hubfixture import COMMUNE_A
from tests.support.syncutil import REVIEWER, USER, finalize, sync


def _badge(store: Store) -> str:
    from dttsclient.ui.overview import form_rows

    rows = form_rows(
        store, store.catalogs.current_catalog(), COMMUNE_A, parse_period("2026"), "vi", date(2027, 1, 10)
    )
    return next(row.badge for row in rows if row.form == "BM01")


def test_a_revision_after_acceptance_comes_back_as_changed_after_acceptance(store, creds, hub):
    finalize(store)
    sync(store, creds)
    hub.review(REVIEWER, "accept", "Đạt")
    sync(store, creds)
    report = store.reports.report(COMMUNE_A, "BM01", "2026")
    assert report.review_state == "accepted" and report.server_status == "accepted"

    store.reports.set_cell(report.id, "0102", "", "90", USER)
    store.outbox.finalize(report.id, USER)
    result = sync(store, creds)
    assert result.accepted == 1
    report = store.reports.report(COMMUNE_A, "BM01", "2026")
    assert report.server_status == "changed_after_acceptance" and report.server_revision == 3
    assert report.review_state is None  # the new revision awaits review; the hub keeps the acceptance
    assert _badge(store) == "changed_after_acceptance"

    # the reviewer accepts the correction: the next sync says so
    hub.review(REVIEWER, "accept")
    sync(store, creds)
    report = store.reports.report(COMMUNE_A, "BM01", "2026")
    assert report.server_status == "accepted" and report.review_state == "accepted"
    assert _badge(store) == "accepted"


def test_a_returns_comment_reaches_the_officer(store, creds, hub):
    finalize(store)
    sync(store, creds)
    hub.review(REVIEWER, "return", "Số hộ nghèo chưa khớp danh sách")
    sync(store, creds)
    report = store.reports.report(COMMUNE_A, "BM01", "2026")
    assert report.review_state == "returned" and report.review_comment == "Số hộ nghèo chưa khớp danh sách"
    assert report.state == "draft" and _badge(store) == "returned"
    from dttsclient.ui.overview import returned_rows

    [row] = returned_rows(store)
    assert row.comment == "Số hộ nghèo chưa khớp danh sách" and row.by == REVIEWER
