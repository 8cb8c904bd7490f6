"""Every table model of the entry screens passes qtmodeltester; the grid layout matches the core's cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from dttsclient.store import ChangeEntry
from dttsclient.ui.ethnic_picker import EthnicModel, choices_for
from dttsclient.ui.grid_layout import build_layout, locate, rule_indicators
from dttsclient.ui.grid_model import GridModel
from dttsclient.ui.history_dialog import HistoryModel
from dttsclient.ui.problems_panel import ProblemsModel
from dttscore.disagg import cell_keys
from dttscore.problems import Problem
from dttscore.refdata import default_options
from tests.support.entry_fixtures import ETH_ROWS, cells_of, largest_form, load_sample, make_entry


@pytest.fixture(scope="module")
def catalog():
    return load_sample()


@pytest.mark.parametrize("form, eth", [("BM01", ETH_ROWS), ("BM03", []), ("BM04", None)])
def test_the_layout_has_exactly_the_cells_of_the_core(catalog, form, eth):
    f = catalog.form(form)
    rows = [o.code for o in catalog.options_for("eth")] if eth is None else eth
    layout = build_layout(catalog, f, rows)
    for block in layout.blocks:
        mine = sorted(k for (code, k) in layout.cell_pos if code == block.code)
        assert mine == sorted(cell_keys(catalog, block.indicator, rows)), block.code
    assert len(layout.cell_pos) == cells_of(catalog, f, rows)
    if eth == []:  # a "present" form without groups yet says how to add them
        assert any(r.kind == "note" for r in layout.rows)


def test_problems_are_placed_on_their_cell_row_or_indicator(catalog):
    layout = build_layout(catalog, catalog.form("BM03"), ETH_ROWS)
    refs = rule_indicators(catalog, set(layout.block_of_code))

    def p(indicator, disagg="", option="", code="x"):
        return Problem("error", code, indicator, disagg, "vi", "en", option)

    place = locate(layout, p("0101", "eth=08|sex=F"), refs)
    assert (place.row, place.column) == layout.cell_pos[("0101", "eth=08|sex=F")]
    place = locate(layout, p("0102", option="eth=09", code="R02"), refs)
    assert place.column == 0 and layout.rows[place.row].option == "eth=09"
    block = layout.blocks[layout.block_of_code["0101"]]
    assert locate(layout, p("0101", code="required"), refs).row == block.message_row
    assert (
        locate(layout, p("", code="R01"), refs).row == layout.blocks[layout.block_of_code["0102"]].message_row
    )
    assert locate(layout, p("9999"), refs) is None


def _grid(catalog, form, eth):
    layout = build_layout(catalog, catalog.form(form), eth)
    model = GridModel(layout, lambda changes: True)
    return layout, model


def test_grid_model_passes_modeltester_empty_and_filled(qapp, qtmodeltester, catalog):
    layout, model = _grid(catalog, "BM01", ETH_ROWS)
    qtmodeltester.check(model)
    values = {}
    for (code, key), _pos in layout.cell_pos.items():
        vtype = catalog.indicator(code).value_type
        values[(code, key)] = {"yes_no": "1", "text": "ghi chú"}.get(
            vtype, "12.5" if vtype != "integer" else "7"
        )
    model.set_values(values)
    model.set_comments({next(iter(values)): "ghi chú"})
    problems = [
        Problem("error", "min", "0101", "eth=02|sex=M", "âm", "negative"),
        Problem("warning", "R27", "0105", "", "nhiều", "many"),
        Problem("error", "R02", "0102", "", "lớn", "big", "eth=08"),
    ]
    model.set_problems(problems, rule_indicators(catalog, set(layout.block_of_code)))
    qtmodeltester.check(model)


def test_grid_model_for_all_ethnic_groups(qapp, qtmodeltester, catalog):
    _layout, model = _grid(catalog, "BM04", [o.code for o in catalog.options_for("eth")])
    qtmodeltester.check(model)
    assert model.rowCount() > 3 * 54  # three indicators by ethnic group, every group a row


def test_grid_model_refuses_bad_text_without_writing(qtbot, catalog):
    written = []
    layout = build_layout(catalog, catalog.form("BM03"), ETH_ROWS)
    model = GridModel(layout, lambda changes: written.append(changes) or True)
    r, c = layout.cell_pos[("0104", "")]
    with qtbot.waitSignal(model.inputRejected) as sig:
        assert not model.setData(model.index(r, c), "abc")
    assert written == [] and "không phải là số" in sig.args[3]
    assert model.setData(model.index(r, c), "1.234")
    assert written == [[("0104", "", "1234")]]


def test_problems_model(qapp, qtmodeltester):
    model = ProblemsModel(lambda p: f"{p.indicator} · Tày")
    model.set_rows(
        [
            Problem("error", "R1", "0101", "", "Lỗi", "Error"),
            Problem("warning", "R2", "0102", "", "Cảnh", "Warn"),
        ]
    )
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "Lỗi\n0101 · Tày"


def test_history_model(qapp, qtmodeltester):
    entries = [
        ChangeEntry(1, 1, "0104", "", None, "1234", "canbo", "2026-11-21T01:00:00+00:00", "edit"),
        ChangeEntry(2, 1, "0104", "", "1234", "12.5", "canbo", "2026-11-21T02:00:00+00:00", "import"),
    ]
    model = HistoryModel(entries, "decimal")
    qtmodeltester.check(model)
    assert model.index(0, 2).data() == "1.234 → 12,5"
    assert model.index(0, 3).data() == "Nhập từ Excel"


def test_ethnic_model(qapp, qtmodeltester):
    model = EthnicModel(choices_for(default_options("eth"), ["02"]))
    qtmodeltester.check(model)
    model.set_filter("meo")
    qtmodeltester.check(model)
    assert model.choice(0).code == "08"


def test_the_largest_form_is_bm01_with_all_groups(tmp_path: Path):
    entry = make_entry(tmp_path / "p", pick=largest_form)
    try:
        assert entry.form.code == "BM01"
    finally:
        entry.store.close()
