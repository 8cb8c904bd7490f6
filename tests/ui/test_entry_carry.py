"""Start from last period on the entry page (issue 16 item 5): ask, copy, mark, undo, confirm."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from dttsclient.store import Store
from dttsclient.ui.carry_dialog import CarryDialog
from tests.support.entry_fixtures import UNIT, cell, entry_for, go, open_form, type_into


@pytest.fixture
def entry(tmp_path):
    """BM03 of 2026 Q1 (empty) and 2025 Q4 with households 0104 = 500 and 0206 (workers) by sex."""
    with entry_for(tmp_path) as e:
        last = e.store.reports.report(UNIT, "BM03", "2025Q4", create=True)
        e.store.reports.set_cells(
            last.id, [("0104", "", "500"), ("0206", "sex=M", "7"), ("0206", "sex=F", "4")], "canbo"
        )
        yield e


def test_the_page_offers_but_copies_nothing_until_asked(qtbot, entry, monkeypatch):
    asked = []
    monkeypatch.setattr(CarryDialog, "ask", classmethod(lambda cls, *a, **k: asked.append(a) or None))
    view = open_form(qtbot, entry)
    assert "Ctrl+Shift+L" in view.notice.text() and "Quý 4/2025" in view.notice.text()
    assert entry.store.reports.cells(entry.report_id) == {}
    view.copy_from_previous()  # cancelled
    [(_, _, period, choices)] = [a[:4] for a in asked]
    assert period == "2025Q4" and [(c.code, c.cells) for c in choices] == [("0104", 1), ("0206", 2)]
    assert entry.store.reports.cells(entry.report_id) == {}


def test_copied_cells_are_marked_until_confirmed_or_changed_and_the_copy_is_undoable(
    qtbot, entry, monkeypatch
):
    monkeypatch.setattr(CarryDialog, "ask", classmethod(lambda cls, *a, **k: ["0104", "0206"]))
    view = open_form(qtbot, entry)
    view.copy_from_previous()
    assert entry.store.reports.cells(entry.report_id) == {
        ("0104", ""): "500",
        ("0206", "sex=M"): "7",
        ("0206", "sex=F"): "4",
    }
    qtbot.waitUntil(lambda: len(view.model.carried()) == 3)
    idx = view.model.index(*cell(view, "0104"))
    assert view.model.data(idx, Qt.ItemDataRole.FontRole).italic()
    assert "Quý 4/2025" in view.model.data(idx, Qt.ItemDataRole.ToolTipRole)
    assert view.model.data(idx, Qt.ItemDataRole.DisplayRole) == "500"
    # the marks survive closing and reopening the page (and the store)
    view.close()
    with Store.open(entry.data_dir) as other:
        assert set(other.carry.carried(entry.report_id)) == {("0104", ""), ("0206", "sex=M"), ("0206", "sex=F")}
    view = open_form(qtbot, entry)
    qtbot.waitUntil(lambda: len(view.model.carried()) == 3)
    # typing another value unmarks that cell
    go(view, "0104")
    type_into(view, "510")
    qtbot.waitUntil(lambda: ("0104", "") not in view.model.carried())
    # confirming the selected cells unmarks them
    go(view, "0206", "sex=M")
    view.confirm_carried()
    assert set(view.model.carried()) == {("0206", "sex=F")}
    assert set(entry.store.carry.carried(entry.report_id)) == {("0206", "sex=F")}


def test_one_undo_takes_the_whole_copy_back(qtbot, entry, monkeypatch):
    monkeypatch.setattr(CarryDialog, "ask", classmethod(lambda cls, *a, **k: ["0104", "0206"]))
    view = open_form(qtbot, entry)
    view.copy_from_previous()
    assert view.undo_stack.count() == 1
    view.undo_stack.undo()
    assert entry.store.reports.cells(entry.report_id) == {}
    qtbot.waitUntil(lambda: view.model.carried() == {})
    view.undo_stack.redo()
    assert len(entry.store.reports.cells(entry.report_id)) == 3
    qtbot.waitUntil(lambda: len(view.model.carried()) == 3)


def test_the_dialog_starts_with_nothing_ticked(qtbot, entry):
    period, choices = entry.store.carry.carry_choices(entry.report_id)
    dlg = CarryDialog(entry.catalog, period, choices)
    qtbot.addWidget(dlg)
    assert dlg.chosen() == [] and not dlg.ok_button.isEnabled()
    dlg.list.item(1).setCheckState(Qt.CheckState.Checked)
    assert dlg.chosen() == ["0206"] and dlg.ok_button.isEnabled()
    dlg.all_button.click()
    assert dlg.chosen() == ["0104", "0206"]


def test_the_finalize_dialog_counts_copied_cells_not_confirmed(qtbot, entry):
    from dttsclient.ui.finalize_dialog import FinalizeDialog

    entry.store.carry.copy_from_previous(entry.report_id, ["0104", "0206"], "canbo")
    entry.store.carry.confirm_carried(entry.report_id, [("0104", "")])
    dlg = FinalizeDialog(entry.store, entry.report_id)
    qtbot.addWidget(dlg)
    assert dlg.carried_label.text().startswith("2 ô lấy từ kỳ trước chưa xác nhận")
