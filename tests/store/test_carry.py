"""Start from last period (issue 16 item 5): copy chosen indicators, markers until confirmed or changed."""

from __future__ import annotations

import pytest

from dttsclient.store import Store
from tests.support.store_catalog import UNIT

WHO = "can_bo_a"


@pytest.fixture
def two_periods(store):
    """BM01 2025 filled (people 0102 for two cells, households 0101 = 80, poor 0103 = 12); 2026 empty."""
    last = store.reports.report(UNIT, "BM01", "2025", create=True)
    store.reports.set_cells(
        last.id,
        [
            ("0102", "eth=02|sex=F", "120"),
            ("0102", "eth=02|sex=M", "115"),
            ("0101", "", "80"),
            ("0103", "", "12"),
        ],
        WHO,
    )
    now = store.reports.report(UNIT, "BM01", "2026", create=True)
    return store, now.id


def test_choices_name_what_a_copy_would_fill_and_nothing_is_copied_unasked(two_periods):
    store, rid = two_periods
    period, choices = store.carry.carry_choices(rid)
    assert period == "2025"
    assert [(c.code, c.cells) for c in choices] == [("0101", 1), ("0102", 2), ("0103", 1)]
    assert store.reports.cells(rid) == {}  # asking is not copying


def test_a_copy_fills_only_the_chosen_indicators_empty_cells_and_marks_them(two_periods):
    store, rid = two_periods
    store.reports.set_cell(rid, "0102", "eth=02|sex=M", "118", WHO)  # already typed: never overwritten
    written = store.carry.copy_from_previous(rid, ["0102", "0101"], WHO)
    assert written == [("0101", "", "80"), ("0102", "eth=02|sex=F", "120")]
    assert store.reports.cells(rid) == {
        ("0102", "eth=02|sex=F"): "120",
        ("0102", "eth=02|sex=M"): "118",
        ("0101", ""): "80",
    }
    assert store.carry.carried(rid) == {("0102", "eth=02|sex=F"): "2025", ("0101", ""): "2025"}
    assert [e.kind for e in store.reports.history(rid, "0101")] == ["import"]
    # the markers survive a restart
    store.close()
    with Store.open(store.data_dir) as again:
        assert again.carry.carried(rid) == {("0102", "eth=02|sex=F"): "2025", ("0101", ""): "2025"}
        # changing a value unmarks it; confirming unmarks the rest
        again.reports.set_cell(rid, "0101", "", "82", WHO)
        assert again.carry.carried(rid) == {("0102", "eth=02|sex=F"): "2025"}
        assert again.carry.confirm_carried(rid, [("0102", "eth=02|sex=F")]) == 1
        assert again.carry.carried(rid) == {}
        assert again.reports.cells(rid)[("0102", "eth=02|sex=F")] == "120"


def test_undoing_the_copy_empties_the_cells_and_redo_marks_them_again(two_periods):
    store, rid = two_periods
    written = store.carry.copy_from_previous(rid, ["0103"], WHO)
    store.reports.set_cells(rid, [(c, d, None) for c, d, _ in written], WHO)  # what the undo step writes
    assert store.carry.carried(rid) == {} and store.reports.cells(rid) == {}
    store.reports.set_cells(rid, written, WHO)  # redo
    assert store.carry.carried(rid) == {("0103", ""): "2025"}


def test_nothing_to_copy_without_a_previous_report(two_periods):
    store, _ = two_periods
    first = store.reports.report(UNIT, "BM01", "2024", create=True)
    assert store.carry.carry_choices(first.id) == ("2023", [])
    assert store.carry.copy_from_previous(first.id, ["0101"], WHO) == []
