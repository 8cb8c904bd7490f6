"""Finalize: the immutable submission + its outbox row in one transaction, errors, warnings, revisions."""

from __future__ import annotations

import sqlite3
import uuid

import pytest

from dttsclient.store import (
    FinalizeBlocked,
    NothingToFinalize,
    ReasonsRequired,
    Store,
    SubmissionNotFound,
    warning_key,
)
from dttscore.payload import payload_sha256
from tests.support.store_catalog import UNIT

WHO = "can_bo_a"


def test_finalize_happy_path(store, filled):
    store.reports.set_comment(filled.id, "0101", "", "Theo sổ hộ", WHO)
    assert store.reports.check(filled.id) == []
    sub = store.outbox.finalize(filled.id, WHO)
    assert str(uuid.UUID(sub.submission_id)) == sub.submission_id
    assert (sub.revision_no, sub.supersedes, sub.base_server_revision) == (1, None, 0)
    assert (sub.catalog_id, sub.catalog_version) == ("test-dtts", 1)
    cells = store.reports.cells(filled.id)
    assert sub.payload_sha256 == payload_sha256(cells)

    doc = sub.document
    assert doc["submission_id"] == sub.submission_id
    assert (doc["unit"], doc["form"], doc["period"], doc["unit_list"]) == (UNIT, "BM01", "2026", "vn-2025-07")
    assert (doc["revision_no"], doc["supersedes"], doc["base_server_revision"]) == (1, None, 0)
    assert (doc["catalog_id"], doc["catalog_version"]) == ("test-dtts", 1)
    assert doc["finalized_at"].endswith("+00:00")
    assert {(v["code"], v["disagg"]): v["value"] for v in doc["values"]} == cells
    assert doc["comments"] == [
        {"code": "0101", "disagg": "", "text": "Theo sổ hộ", "author": WHO, "at": doc["comments"][0]["at"]}
    ]
    assert len(doc["change_log"]) == len(cells)
    assert {"code", "disagg", "old", "new", "who", "at"} == set(doc["change_log"][0])
    assert doc["warnings"] == []
    assert (doc["eth_rows"], doc["eth_system"]) == (["02", "08"], "gso-1979")

    r = store.reports.report_by_id(filled.id)
    assert (r.state, r.dirty, r.revision_no) == ("finalized", False, 1)
    [item] = store.outbox.items()
    assert (item.submission_id, item.state, item.revision_no, item.attempts) == (
        sub.submission_id,
        "queued",
        1,
        0,
    )
    assert (item.unit, item.form, item.period) == (UNIT, "BM01", "2026")
    assert store.outbox.submission(sub.submission_id) == sub


def test_submission_and_outbox_survive_reopening(data_dir, catalog):
    from tests.support.store_catalog import good_values

    with Store.open(data_dir) as store:
        store.catalogs.import_catalog(catalog)
        r = store.reports.report(UNIT, "BM01", "2026", create=True)
        store.reports.set_eth_rows(r.id, ["02", "08"])
        store.reports.set_cells(r.id, good_values(), WHO)
        sub = store.outbox.finalize(r.id, WHO)
    with Store.open(data_dir) as store:
        assert store.outbox.submission(sub.submission_id) == sub
        assert [o.state for o in store.outbox.items()] == ["queued"]
        with pytest.raises(SubmissionNotFound):
            store.outbox.submission(str(uuid.uuid4()))


def test_errors_block_finalize_and_nothing_is_written(store, filled):
    store.reports.set_cell(filled.id, "0103", "", "500", WHO)  # R01: poor households > households
    store.reports.set_cell(filled.id, "0101", "", None, WHO)  # required 0101 missing
    with pytest.raises(FinalizeBlocked) as info:
        store.outbox.finalize(filled.id, WHO)
    err = info.value
    assert {p.code for p in err.errors} == {"required"}
    assert "lỗi" in err.message_vi and "error" in err.message_en
    assert store.outbox.items() == []
    assert store.outbox.submissions(filled.id) == []
    assert store.reports.report_by_id(filled.id).state == "draft"


def test_rule_error_blocks(store, filled):
    store.reports.set_cell(filled.id, "0103", "", "500", WHO)
    with pytest.raises(FinalizeBlocked) as info:
        store.outbox.finalize(filled.id, WHO, require_reasons=False)
    assert [p.code for p in info.value.errors] == ["R01"]
    assert "Số hộ nghèo" in info.value.message_vi


def make_warnings(store, report_id):
    store.reports.set_cell(report_id, "0102", "eth=08|sex=F", "1000", WHO)  # R02 and R03 (eth=08) warnings
    warnings = store.reports.check(report_id)
    assert sorted(w.code for w in warnings) == ["R02", "R03"]
    assert not any(w.is_error for w in warnings)
    return warnings


def test_warnings_need_reasons_when_required(store, filled):
    warnings = make_warnings(store, filled.id)
    with pytest.raises(ReasonsRequired) as info:
        store.outbox.finalize(filled.id, WHO, require_reasons=True)
    assert len(info.value.warnings) == 2
    assert store.outbox.items() == []
    r03 = next(w for w in warnings if w.code == "R03")
    assert warning_key(r03) == "R03[eth=08]@0102"
    with pytest.raises(ReasonsRequired) as info:  # one reason is not enough
        store.outbox.finalize(filled.id, WHO, reasons={"R02": "Có nhiều hộ đông người"})
    assert [w.code for w in info.value.warnings] == ["R03"]
    sub = store.outbox.finalize(
        filled.id, WHO, reasons={"R02": "Có nhiều hộ đông người", warning_key(r03): "Đúng thực tế"}
    )
    assert sorted((w["rule"], w["option"], w["reason"]) for w in sub.document["warnings"]) == [
        ("R02", "", "Có nhiều hộ đông người"),
        ("R03", "eth=08", "Đúng thực tế"),
    ]


def test_warnings_without_reasons_when_not_required(store, filled):
    make_warnings(store, filled.id)
    sub = store.outbox.finalize(filled.id, WHO, reasons={"R03": "  "}, require_reasons=False)
    assert sorted((w["rule"], w["reason"]) for w in sub.document["warnings"]) == [("R02", ""), ("R03", "")]
    assert store.outbox.items()[0].state == "queued"


def test_revision_two_supersedes_a_still_queued_revision_one(store, filled):
    first = store.outbox.finalize(filled.id, WHO)
    with pytest.raises(NothingToFinalize) as info:
        store.outbox.finalize(filled.id, WHO)
    assert info.value.message_en
    store.reports.set_cell(filled.id, "0101", "", "121", WHO)  # editing a finalized report …
    r = store.reports.report_by_id(filled.id)
    assert (r.state, r.dirty, r.revision_no) == ("draft", True, 1)  # … makes it an edited draft
    second = store.outbox.finalize(filled.id, WHO)
    assert (second.revision_no, second.supersedes) == (2, first.submission_id)
    assert second.document["supersedes"] == first.submission_id
    assert {o.submission_id: o.state for o in store.outbox.items()} == {
        first.submission_id: "superseded",
        second.submission_id: "queued",
    }
    assert [s.revision_no for s in store.outbox.submissions(filled.id)] == [1, 2]
    assert store.outbox.submission(first.submission_id) == first  # revision 1 unchanged
    assert store.reports.report_by_id(filled.id).revision_no == 2


def test_a_revision_being_sent_is_not_superseded(store, filled):
    first = store.outbox.finalize(filled.id, WHO)
    store.outbox.claim(10, 60)
    store.reports.set_cell(filled.id, "0101", "", "121", WHO)
    second = store.outbox.finalize(filled.id, WHO)
    assert {o.submission_id: o.state for o in store.outbox.items()} == {
        first.submission_id: "sending",
        second.submission_id: "queued",
    }


def test_submissions_are_immutable(store, filled):
    sub = store.outbox.finalize(filled.id, WHO)
    with pytest.raises(sqlite3.IntegrityError):
        store._db.conn.execute("UPDATE submissions SET payload_sha256 = 'x'")
    with pytest.raises(sqlite3.IntegrityError):
        store._db.conn.execute("DELETE FROM submissions")
    assert store.outbox.submission(sub.submission_id).payload_sha256 == sub.payload_sha256


def test_change_log_in_the_document_has_only_local_edits(store, filled):
    store.reports.set_cell(filled.id, "0101", "", "121", "can_bo_b")
    sub = store.outbox.finalize(filled.id, WHO)
    entries = [e for e in sub.document["change_log"] if e["code"] == "0101"]
    assert [(e["old"], e["new"], e["who"]) for e in entries] == [
        (None, "120", WHO),
        ("120", "121", "can_bo_b"),
    ]
