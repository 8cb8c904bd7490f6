"""Reports and cells: durable writes, the change log, canonical values, comments, ethnic rows."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dttsclient.store import InvalidCell, ReportNotFound, Store
from dttscore.errors import IdentifierError
from tests.support.store_catalog import UNIT, good_values


def test_report_is_unique_per_unit_form_period(store):
    assert store.reports.report(UNIT, "BM01", "2026") is None
    a = store.reports.report(UNIT, "BM01", "2026", create=True)
    b = store.reports.report(UNIT, "BM01", "2026", create=True)
    assert a.id == b.id
    assert (a.state, a.dirty, a.revision_no, a.server_revision) == ("draft", False, 0, 0)
    assert (a.catalog_id, a.catalog_version) == ("test-dtts", 1)
    store.reports.report("01850", "BM01", "2026", create=True)
    store.reports.report(UNIT, "BM02", "2026Q1", create=True)
    assert [r.unit for r in store.reports.all()] == [UNIT, UNIT, "01850"]
    assert [r.form for r in store.reports.all(unit=UNIT, period="2026")] == ["BM01"]
    with pytest.raises(ReportNotFound):
        store.reports.report_by_id(999)


def test_period_must_fit_the_form(store):
    with pytest.raises(IdentifierError):
        store.reports.report(UNIT, "BM02", "2026", create=True)  # BM02 is quarterly


def test_cell_write_is_durable_for_another_connection_and_process(store, report):
    store.reports.set_cell(report.id, "0101", "", "120", "can_bo_a")
    # Another connection, while the store is still open …
    with sqlite3.connect(store.path) as other:
        assert other.execute(
            "SELECT value FROM cells WHERE report_id = ? AND code = '0101'", (report.id,)
        ).fetchone() == ("120",)
    # … and another process.
    code = (
        "import sys; from dttsclient.store import Store\n"
        "with Store.open(sys.argv[1]) as s: print(s.reports.cells(int(sys.argv[2]))[('0101', '')])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(store.data_dir), str(report.id)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert out.stdout.strip() == "120"


def test_change_log_keeps_old_and_new(store, report):
    store.reports.set_cell(report.id, "0101", "", "120", "can_bo_a")
    store.reports.set_cell(report.id, "0101", "", "120", "can_bo_a")  # same value: no-op, no log row
    store.reports.set_cell(report.id, "0101", "", "125", "can_bo_b")
    store.reports.set_cell(report.id, "0101", "", None, "can_bo_b")  # delete
    store.reports.set_cell(report.id, "0102", "eth=08|sex=F", "7", "can_bo_a", kind="import")
    log = store.reports.history(report.id, "0101", "")
    assert [(e.old, e.new, e.who, e.kind) for e in log] == [
        (None, "120", "can_bo_a", "edit"),
        ("120", "125", "can_bo_b", "edit"),
        ("125", None, "can_bo_b", "edit"),
    ]
    assert all(e.at.endswith("+00:00") for e in log)
    assert [e.code for e in store.reports.history(report.id)] == ["0101", "0101", "0101", "0102"]
    assert store.reports.history(report.id, "0102", "eth=08|sex=F")[0].kind == "import"
    assert ("0101", "") not in store.reports.cells(report.id)


def test_change_log_is_append_only(store, report):
    store.reports.set_cell(report.id, "0101", "", "1", "can_bo_a")
    with pytest.raises(sqlite3.IntegrityError):
        store._db.conn.execute("UPDATE change_log SET new = '2'")
    with pytest.raises(sqlite3.IntegrityError):
        store._db.conn.execute("DELETE FROM change_log")
    assert store.reports.history(report.id)[0].new == "1"


@pytest.mark.parametrize(
    ("code", "disagg", "value"),
    [
        ("0101", "", "1.234"),  # a decimal for an integer indicator
        ("0101", "", "1.234,5"),  # Vietnamese display, not canonical
        ("0101", "", "007"),
        ("0201", "", "12.50"),
        ("0202", "", "có"),
        ("0204", "", "  padded  "),
        ("0101", "", 12),  # not a string
        ("9999", "", "1"),  # not in the catalogue
        ("0101", "sex=F", "1"),  # 0101 is not disaggregated
        ("0102", "", "1"),  # totals are computed, never stored
        ("0102", "sex=F|eth=08", "1"),  # not the canonical key order
        ("0102", "eth=08", "1"),  # missing a dimension
        ("0102", "eth=77|sex=F", "1"),  # no such ethnic group
        ("0102", "eth=08|sex=X", "1"),
    ],
)
def test_bad_cells_are_refused_and_nothing_is_written(store, report, code, disagg, value):
    with pytest.raises(InvalidCell) as info:
        store.reports.set_cell(report.id, code, disagg, value, "can_bo_a")
    assert info.value.message_vi and info.value.message_en
    assert store.reports.cells(report.id) == {}
    assert store.reports.history(report.id) == []
    assert store.reports.report_by_id(report.id) == report


def test_canonical_values_of_every_type_are_kept_as_given(store, report):
    store.reports.set_cells(report.id, [*good_values(), ("0204", "", "Ghi chú có dấu")], "can_bo_a")
    cells = store.reports.cells(report.id)
    assert cells[("0201", "")] == "12.5"
    assert cells[("0202", "")] == "1"
    assert cells[("0204", "")] == "Ghi chú có dấu"
    assert cells[("0102", "eth=08|sex=F")] == "100"


def test_set_cells_is_all_or_nothing(store, report):
    items = [("0101", "", "5"), ("0103", "", "not a number")]
    with pytest.raises(InvalidCell):
        store.reports.set_cells(report.id, items, "can_bo_a")
    assert store.reports.cells(report.id) == {}
    assert store.reports.set_cells(report.id, good_values(), "can_bo_a") == len(good_values())
    assert store.reports.set_cells(report.id, good_values(), "can_bo_a") == 0  # nothing changed


def test_unknown_report_is_refused(store):
    with pytest.raises(ReportNotFound):
        store.reports.set_cell(42, "0101", "", "1", "can_bo_a")
    with pytest.raises(ReportNotFound):
        store.reports.set_cell(42, "0101", "", None, "can_bo_a")


def test_a_write_marks_the_report_as_an_edited_draft(store):
    report = store.reports.report(UNIT, "BM01", "2026", create=True)
    assert store.reports.report_by_id(report.id).dirty is False
    store.reports.set_cell(report.id, "0101", "", "3", "can_bo_a")
    r = store.reports.report_by_id(report.id)
    assert (r.state, r.dirty) == ("draft", True)


def test_comments_per_cell(store, report):
    store.reports.set_comment(report.id, "0102", "eth=08|sex=F", "  Theo sổ hộ khẩu  ", "can_bo_a")
    store.reports.set_comment(report.id, "0101", "", "tạm tính", "can_bo_b")
    comments = store.reports.comments(report.id)
    c = comments[("0102", "eth=08|sex=F")]
    assert (c.text, c.author) == ("Theo sổ hộ khẩu", "can_bo_a")
    assert c.at.endswith("+00:00")
    store.reports.set_comment(report.id, "0101", "", "   ", "can_bo_b")  # blank removes
    assert set(store.reports.comments(report.id)) == {("0102", "eth=08|sex=F")}


def test_eth_rows(store, report):
    assert store.reports.eth_rows(report.id) == ["02", "08"]
    store.reports.set_eth_rows(report.id, ["08", "02", "08", "17"])
    assert store.reports.eth_rows(report.id) == ["08", "02", "17"]
    with pytest.raises(InvalidCell):
        store.reports.set_eth_rows(report.id, ["02", "77"])
    assert store.reports.eth_rows(report.id) == ["08", "02", "17"]


def test_store_can_be_used_from_a_worker_thread(store, report):
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for i in range(20):
                store.reports.set_cell(report.id, "0101", "", str(i), "can_bo_a")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    t = threading.Thread(target=work)
    t.start()
    t.join(30)
    assert errors == []
    assert store.reports.cells(report.id)[("0101", "")] == "19"


def test_a_second_store_on_the_same_profile_sees_the_writes(store, report):
    store.reports.set_cell(report.id, "0101", "", "9", "can_bo_a")
    with Store.open(store.data_dir) as other:
        assert other.reports.cells(report.id) == {("0101", ""): "9"}
        other.reports.set_cell(report.id, "0101", "", "10", "can_bo_b")
    assert store.reports.cells(report.id) == {("0101", ""): "10"}


KEYS = [("0101", ""), ("0103", ""), ("0102", "eth=02|sex=F"), ("0102", "eth=08|sex=M"), ("0204", "")]


@settings(max_examples=25, deadline=None)
@given(
    ops=st.lists(
        st.tuples(st.integers(0, len(KEYS) - 1), st.one_of(st.none(), st.integers(0, 3))), max_size=30
    )
)
def test_cells_and_change_log_agree_with_a_model(tmp_path_factory, ops):
    """Any sequence of writes: cells() is the last value per cell, and each cell's log is an unbroken
    chain old → new ending at that value, with no row for a write that changed nothing."""
    from tests.support.store_catalog import make_catalog

    with Store.open(tmp_path_factory.mktemp("prop")) as store:
        store.catalogs.import_catalog(make_catalog())
        report = store.reports.report(UNIT, "BM01", "2026", create=True)
        model: dict[tuple[str, str], str] = {}
        changes = 0
        for index, number in ops:
            code, disagg = KEYS[index]
            value = None if number is None else (f"ghi chú {number}" if code == "0204" else str(number))
            changes += model.get((code, disagg)) != value
            store.reports.set_cell(report.id, code, disagg, value, "can_bo_a")
            if value is None:
                model.pop((code, disagg), None)
            else:
                model[(code, disagg)] = value
        assert store.reports.cells(report.id) == model
        log = store.reports.history(report.id)
        assert len(log) == changes
        for code, disagg in KEYS:
            chain = [e for e in log if (e.code, e.disagg) == (code, disagg)]
            current = None
            for entry in chain:
                assert entry.old == current and entry.new != entry.old
                current = entry.new
            assert current == model.get((code, disagg))
