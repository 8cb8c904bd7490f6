"""apply_pulled(): a new PC gets its history, unsent edits are never overwritten, reviews arrive."""

from __future__ import annotations

import pytest

from dttsclient.store import NoServerCopy, OutboxStateError, Store
from tests.support.store_catalog import UNIT, WHO, good_values, pulled


def test_new_pc_gets_its_history(store):
    comments = [
        {
            "code": "0101",
            "disagg": "",
            "text": "Số liệu cũ",
            "author": "can_bo_c",
            "at": "2026-01-05T00:00:00+00:00",
        }
    ]
    review = {"state": "accepted", "comment": "Tốt", "by": "tinh_a", "at": "2026-02-01T00:00:00+00:00"}
    [out] = store.sync.apply_pulled([pulled(revision=4, comments=comments, review=review)], cursor="c-1")
    assert out.action == "created" and out.server_revision == 4
    r = store.reports.report_by_id(out.report_id)
    assert (r.state, r.dirty, r.server_revision, r.base_server_revision) == ("finalized", False, 4, 4)
    assert (r.catalog_id, r.catalog_version, r.server_status) == ("test-dtts", 1, "accepted")
    assert (r.review_state, r.review_comment, r.review_by) == ("accepted", "Tốt", "tinh_a")
    assert store.reports.cells(r.id) == {(c, d): v for c, d, v in good_values()}
    assert store.reports.comments(r.id)[("0101", "")].author == "can_bo_c"
    assert store.reports.eth_rows(r.id) == ["02", "08"]
    assert {e.kind for e in store.reports.history(r.id)} == {"pull"}
    assert store.sync.sync_cursor() == "c-1"
    assert store.outbox.items() == []
    # Pulling the same thing again changes nothing.
    [again] = store.sync.apply_pulled([pulled(revision=4, comments=comments, review=review)], cursor="c-2")
    assert again.action == "unchanged"
    assert store.sync.sync_cursor() == "c-2"


def test_newer_server_revision_replaces_a_report_without_unsent_edits(store, filled):
    sub = store.outbox.finalize(filled.id, WHO)
    store.outbox.claim(1, 60)
    store.outbox.apply_results(
        [{"submission_id": sub.submission_id, "status": "accepted", "server_revision": 1}]
    )
    new_values = [v for v in good_values() if v[0] != "0201"] + [("0101", "", "130")]
    [out] = store.sync.apply_pulled([pulled(revision=2, values=new_values)], cursor="c")
    assert out.action == "replaced"
    cells = store.reports.cells(filled.id)
    assert cells[("0101", "")] == "130" and ("0201", "") not in cells
    pulls = [(e.code, e.old, e.new) for e in store.reports.history(filled.id) if e.kind == "pull"]
    assert sorted(pulls) == [("0101", "120", "130"), ("0201", "12.5", None)]
    r = store.reports.report_by_id(filled.id)
    assert (r.state, r.dirty, r.server_revision, r.base_server_revision) == ("finalized", False, 2, 2)


@pytest.mark.parametrize("how", ["dirty", "queued", "sending"])
def test_unsent_edits_are_kept_beside_the_server_version(store, filled, how):
    if how in ("queued", "sending"):
        store.outbox.finalize(filled.id, WHO)
    if how == "sending":
        store.outbox.claim(1, 60)
    before = store.reports.cells(filled.id)
    server = [("0101", "", "999"), ("0102", "eth=02|sex=F", "5")]
    [out] = store.sync.apply_pulled([pulled(revision=3, values=server)], cursor="c")
    assert out.action == "kept_both"
    assert store.reports.cells(filled.id) == before  # local values untouched
    copy = store.sync.server_copy(filled.id)
    assert copy.server_revision == 3 and copy.values == {(c, d): v for c, d, v in server}
    assert (
        store.reports.report_by_id(filled.id).server_revision == 0
    )  # not adopted: the next send would conflict


def test_taking_the_server_copy(store, filled):
    first = store.outbox.finalize(filled.id, WHO)
    store.sync.apply_pulled([pulled(revision=3, values=[("0101", "", "999")])], cursor="c")
    store.sync.take_server_copy(filled.id, "can_bo_b")
    assert store.reports.cells(filled.id) == {("0101", ""): "999"}
    assert store.outbox.items()[0].state == "superseded"
    assert store.outbox.submission(first.submission_id).document[
        "values"
    ]  # the local revision stays on record
    r = store.reports.report_by_id(filled.id)
    assert (r.state, r.dirty, r.server_revision) == ("finalized", False, 3)
    assert store.sync.server_copy(filled.id) is None
    assert {e.kind for e in store.reports.history(filled.id)} == {"edit", "server_copy"}
    with pytest.raises(NoServerCopy):
        store.sync.take_server_copy(filled.id, "can_bo_b")


def test_server_copy_cannot_replace_a_revision_being_sent(store, filled):
    store.outbox.finalize(filled.id, WHO)
    store.outbox.claim(1, 60)
    store.sync.apply_pulled([pulled(revision=3, values=[("0101", "", "999")])], cursor="c")
    with pytest.raises(OutboxStateError):
        store.sync.take_server_copy(filled.id, "can_bo_b")
    assert store.reports.cells(filled.id)[("0101", "")] == "120"


def test_keeping_the_local_copy(store, filled):
    store.sync.apply_pulled([pulled(revision=3, values=[("0101", "", "999")])], cursor="c")
    store.sync.keep_local_copy(filled.id)
    r = store.reports.report_by_id(filled.id)
    assert (r.state, r.dirty, r.server_revision) == ("draft", True, 3)
    assert store.reports.cells(filled.id)[("0101", "")] == "120"
    assert store.outbox.finalize(filled.id, WHO).base_server_revision == 3
    with pytest.raises(NoServerCopy):
        store.sync.keep_local_copy(filled.id)


def test_review_only_and_returned_makes_the_report_editable(store, filled):
    sub = store.outbox.finalize(filled.id, WHO)
    store.outbox.claim(1, 60)
    store.outbox.apply_results(
        [{"submission_id": sub.submission_id, "status": "accepted", "server_revision": 1}]
    )
    review = {
        "state": "returned",
        "comment": "Kiểm tra lại số hộ nghèo",
        "by": "tinh_a",
        "at": "2026-11-22T01:00:00+00:00",
    }
    [out] = store.sync.apply_pulled([pulled(revision=1, review=review)], cursor="c")
    assert out.action == "review_only"
    r = store.reports.report_by_id(filled.id)
    assert (r.review_state, r.review_comment, r.state) == ("returned", "Kiểm tra lại số hộ nghèo", "draft")
    [out] = store.sync.apply_pulled([pulled(revision=1, review=review)], cursor="c")
    assert out.action == "unchanged"
    # Re-finalizing the returned report (even unchanged) makes revision 2.
    assert store.outbox.finalize(filled.id, WHO).revision_no == 2


def test_review_is_taken_even_when_values_are_kept(store, filled):
    review = {"state": "returned", "comment": "Sai", "by": "tinh_a", "at": "2026-11-22T01:00:00+00:00"}
    [out] = store.sync.apply_pulled([pulled(revision=5, review=review)], cursor="c")
    assert out.action == "kept_both"
    assert store.reports.report_by_id(filled.id).review_comment == "Sai"


def test_pull_is_one_transaction(store):
    def page():
        yield pulled("2026")
        raise RuntimeError("the connection broke in the middle of the page")

    with pytest.raises(RuntimeError):
        store.sync.apply_pulled(page(), cursor="c-9")
    assert store.reports.all() == []
    assert store.sync.sync_cursor() is None


def test_a_broken_pulled_item_is_set_aside_and_the_others_applied(store):
    bad = {"unit": UNIT, "form": "BM01"}  # no period: a broken item
    poisoned = {**pulled("2027"), "comments": [1]}
    outcomes = store.sync.apply_pulled([pulled("2026"), bad, poisoned], cursor="c-9")
    assert [o.action for o in outcomes] == ["created", "set_aside", "set_aside"]
    assert "period" in outcomes[1].message_en and "comments" in outcomes[2].message_en
    assert "BM01 2027" in outcomes[2].message_vi
    assert [r.period for r in store.reports.all()] == ["2026"]
    assert store.sync.sync_cursor() == "c-9"


def test_pulled_report_without_any_catalogue_is_kept(data_dir):
    with Store.open(data_dir) as store:
        [out] = store.sync.apply_pulled([pulled()], cursor=None)
        r = store.reports.report_by_id(out.report_id)
        assert r.catalog_id is None and store.reports.cells(r.id)
