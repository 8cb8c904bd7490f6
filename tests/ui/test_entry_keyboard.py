"""Data entry with the keyboard only: a whole form typed with digits, Tab and Enter; Esc, F2, Delete,
Space, type-to-overwrite, refused text and undo/redo — every value checked in a freshly opened Store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dttsclient.store import Store
from dttsclient.ui.form_header import CODE_ROLE
from tests.support.entry_fixtures import (
    cell,
    current,
    entry_for,
    go,
    input_cells,
    open_form,
    press,
    send_text,
    type_into,
)


@pytest.fixture
def entry(tmp_path):
    with entry_for(tmp_path) as e:
        yield e


def _fresh_cells(entry) -> dict:
    with Store.open(entry.data_dir) as fresh:
        return fresh.reports.cells(entry.report_id)


ASCII_VALUES = {"integer": "{n}", "decimal": "1,5", "percent": "12,5", "yes_no": "c", "text": "ghi chu"}
CANONICAL = {"decimal": "1.5", "percent": "12.5", "yes_no": "1", "text": "ghi chu"}


@pytest.mark.parametrize("form, eth", [("BM03", ["02", "08", "09"]), ("BM01", ["02"])])
def test_a_whole_form_typed_with_keys_only_is_all_in_a_fresh_store(qtbot, tmp_path, form, eth):
    with entry_for(tmp_path, form, eth) as entry:
        view = open_form(qtbot, entry)
        cells = input_cells(view)
        assert len(cells) > 30
        expected = {}
        for i, (r, c) in enumerate(cells):
            # The keys alone walk the form: Tab along a row, Enter down (back to the row's first cell,
            # and from an indicator's last row to the next indicator's first cell).
            assert current(view) == (r, c), f"cell {i} of {len(cells)}: {view.describe_cell(r, c)}"
            vtype = view.model.block_at(r).indicator.value_type
            text = ASCII_VALUES[vtype].format(n=10 + i)
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            type_into(view, text, Qt.Key.Key_Tab if nxt and nxt[0] == r else Qt.Key.Key_Return)
            expected[view.model.cell_key(r, c)] = CANONICAL.get(vtype, str(10 + i))
        # Every value is durable already: read by another connection, before any event-loop turn.
        assert _fresh_cells(entry) == expected
        done = view.completeness()
        assert done.complete and done.entered == done.total > 0


def test_enter_moves_down_and_from_the_last_row_to_the_next_indicator(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0101", "eth=02|sex=F")
    type_into(view, "5")
    assert current(view) == cell(view, "0101", "eth=08|sex=F")
    go(view, "0101", "eth=09|sex=F")  # the last ethnic row of 0101
    press(view, Qt.Key.Key_Return)
    assert current(view) == cell(view, "0102", "eth=02")  # the next indicator's first cell
    press(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # up, same column
    assert current(view) == cell(view, "0101", "eth=09|sex=M")


def test_tab_wraps_to_the_next_row_and_skips_computed_totals(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0101", "eth=02|sex=F")
    press(view, Qt.Key.Key_Tab)  # past the computed "Tổng" column
    assert current(view) == cell(view, "0101", "eth=08|sex=M")
    press(view, Qt.Key.Key_Backtab)
    assert current(view) == cell(view, "0101", "eth=02|sex=F")
    press(view, Qt.Key.Key_Down)
    assert current(view) == cell(view, "0101", "eth=08|sex=F")
    press(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert current(view) == input_cells(view)[-1]
    press(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert current(view) == input_cells(view)[0]


def test_typing_overwrites_and_esc_reverts_the_cell(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0104")
    type_into(view, "1234")
    assert _fresh_cells(entry)[("0104", "")] == "1234"
    go(view, "0104")
    type_into(view, "99", then=Qt.Key.Key_Escape)  # typing replaces the text; Esc abandons it
    assert view.view.delegate.open_editor() is None
    assert view.model.index(*cell(view, "0104")).data() == "1.234"
    assert _fresh_cells(entry)[("0104", "")] == "1234"
    press(view, Qt.Key.Key_F2)  # F2 edits the current text
    assert view.view.delegate.open_editor().text() == "1.234"
    press(view, Qt.Key.Key_Backspace)
    type_into(view, "9")  # "1.239": the cursor was at the end
    assert _fresh_cells(entry)[("0104", "")] == "1239"


def test_vietnamese_number_input_and_display(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0104")
    type_into(view, "1.234.567")
    assert _fresh_cells(entry)[("0104", "")] == "1234567"
    assert view.model.index(*cell(view, "0104")).data() == "1.234.567"


def test_refused_text_keeps_the_editor_open_and_says_why(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0104")
    type_into(view, "12abc")
    editor = view.view.delegate.open_editor()
    assert editor is not None and editor.text() == "12abc"  # nothing the officer typed is lost
    assert "không phải là số" in view.notice.text()
    assert "không phải là số" in editor.toolTip() and editor.styleSheet()  # the cell is marked red
    assert ("0104", "") not in _fresh_cells(entry)
    for _ in range(3):
        press(view, Qt.Key.Key_Backspace)
    assert not editor.styleSheet() and not editor.toolTip()  # edited: no longer marked
    type_into(view, "")  # Enter again: "12" is saved
    assert _fresh_cells(entry)[("0104", "")] == "12"
    assert view.notice.text() == ""


def test_delete_clears_the_selection_in_one_undo_step(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0101", "eth=02|sex=M")
    type_into(view, "7", Qt.Key.Key_Tab)
    type_into(view, "8")
    go(view, "0101", "eth=02|sex=M")
    press(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # select both cells
    press(view, Qt.Key.Key_Delete)
    assert not {k for k in _fresh_cells(entry) if k[0] == "0101"}
    press(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    cells = _fresh_cells(entry)
    assert cells[("0101", "eth=02|sex=M")] == "7" and cells[("0101", "eth=02|sex=F")] == "8"


def test_undo_writes_the_old_value_back_durably_and_logged_redo_again(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0104")
    type_into(view, "10")
    go(view, "0104")
    type_into(view, "20")
    go(view, "0102", "eth=02")  # undo goes back to the cell it changes
    press(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _fresh_cells(entry)[("0104", "")] == "10"
    assert current(view) == cell(view, "0104")
    press(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ("0104", "") not in _fresh_cells(entry)
    press(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert _fresh_cells(entry)[("0104", "")] == "10"
    with Store.open(entry.data_dir) as fresh:
        log = [(e.old, e.new) for e in fresh.reports.history(entry.report_id, "0104", "")]
    assert log == [(None, "10"), ("10", "20"), ("20", "10"), ("10", None), (None, "10")]


def test_space_toggles_a_yes_no_cell_and_co_khong_can_be_typed(qtbot, tmp_path):
    with entry_for(tmp_path, "BM01", ["02"]) as entry:
        view = open_form(qtbot, entry)
        code = next(i.code for i in entry.catalog.form_indicators(entry.form) if i.value_type == "yes_no")
        go(view, code)
        press(view, Qt.Key.Key_Space)
        assert _fresh_cells(entry)[(code, "")] == "1"
        press(view, Qt.Key.Key_Space)
        assert _fresh_cells(entry)[(code, "")] == "0"
        type_into(view, "c")
        assert _fresh_cells(entry)[(code, "")] == "1"
        assert view.model.index(*cell(view, code)).data() == "Có"


def test_a_cell_being_edited_is_saved_when_the_page_is_hidden(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0104")
    type_into(view, "321", then=None)  # still editing
    assert ("0104", "") not in _fresh_cells(entry)
    view.window().hide()  # the window closes, another page replaces this one …
    assert _fresh_cells(entry)[("0104", "")] == "321"


def test_typing_on_a_computed_cell_does_not_jump_away(qtbot, entry):
    view = open_form(qtbot, entry)
    r, _c = cell(view, "0101", "eth=02|sex=M")
    total_col = view.model.block_at(r).total_col
    view.view.go_to(r, total_col)
    press(view, "t")  # not an input cell, and no search-by-first-letter either
    assert current(view) == (r, total_col)
    assert view.view.delegate.open_editor() is None


def test_a_locked_database_keeps_the_typed_text_and_says_why(qtbot, entry):
    import sqlite3

    view = open_form(qtbot, entry)
    entry.store._db.conn.execute("PRAGMA busy_timeout = 50")  # fail fast instead of waiting 5 s
    other = sqlite3.connect(entry.store.path, isolation_level=None)  # another program holds the file
    other.execute("BEGIN IMMEDIATE")
    try:
        go(view, "0104")
        type_into(view, "42")
        editor = view.view.delegate.open_editor()
        assert editor is not None and editor.text() == "42"  # still there: nothing typed is lost
        assert "Chưa lưu được" in view.notice.text() and "đang bị một chương trình khác" in view.notice.text()
    finally:
        other.execute("ROLLBACK")
        other.close()
    press(view, Qt.Key.Key_Return)  # the other program let go: Enter again saves it
    assert _fresh_cells(entry)[("0104", "")] == "42"
    assert view.view.delegate.open_editor() is None


def _jump_keys(view, *steps) -> None:
    """Keys into the focused widget (the jump box after Ctrl+G), shortcuts first, as the window system does."""
    for step in steps:
        target = QApplication.focusWidget()
        if isinstance(step, str):
            send_text(target, step)
        else:
            QTest.keyClick(target, step)


def test_ctrl_g_jumps_to_an_indicator_by_code(qtbot, entry):
    view = open_form(qtbot, entry)
    press(view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    jump = view.header.jump
    assert jump.hasFocus()
    _jump_keys(view, "0108 S", Qt.Key.Key_Return)
    assert current(view) == cell(view, "0108", "eth=02")
    assert view.view.hasFocus()
    assert not view.header.jump_list.isVisible()


@pytest.mark.parametrize("typed", ["", "lao dong"])
def test_ctrl_g_down_down_enter_goes_to_the_highlighted_indicator(qtbot, entry, typed):
    view = open_form(qtbot, entry)
    press(view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    header = view.header
    _jump_keys(view, *([typed] if typed else []), Qt.Key.Key_Down, Qt.Key.Key_Down)
    assert header.jump_list.isVisible()
    highlighted = header.jump_current()
    visible = [header.jump_model.index(r, 0).data(CODE_ROLE) for r in header._visible_rows()]
    # Typing highlights the first match, each Down the next one; with nothing typed the first Down
    # opens the list on the first indicator.
    assert highlighted == (visible[2] if typed else visible[1])
    if typed:
        assert visible == ["0206", "0207", "0208"]  # "lao động" without diacritics
    _jump_keys(view, Qt.Key.Key_Return)
    assert view.model.block_at(current(view)[0]).code == highlighted
    assert view.view.hasFocus() and not header.jump_list.isVisible()


def test_ctrl_g_list_shows_whole_names_so_0206_and_0207_differ(qtbot, entry):
    view = open_form(qtbot, entry)
    press(view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    _jump_keys(view, "020")
    header = view.header
    lst = header.jump_list
    assert lst.isVisible() and lst.width() > header.jump.width()
    names = {}
    for r in header._visible_rows():
        index = header.jump_model.index(r, 0)
        label = index.data()
        assert index.data(Qt.ItemDataRole.ToolTipRole) == label
        rect = lst.visualRect(index)
        needed = lst.fontMetrics().boundingRect(rect.adjusted(6, 0, -6, 0), Qt.TextFlag.TextWordWrap, label)
        assert needed.height() <= rect.height() and needed.width() <= rect.width(), label  # nothing cut off
        assert lst.viewport().rect().contains(rect) or r == header._visible_rows()[-1]
        names[index.data(CODE_ROLE)] = label
    assert "ngoài tỉnh" in names["0206"] and "nước ngoài theo hợp đồng" in names["0207"]
    # Esc closes the list, a second Esc gives the keys back to the grid where they were.
    before = current(view)
    _jump_keys(view, Qt.Key.Key_Escape)
    assert not lst.isVisible() and header.jump.hasFocus()
    _jump_keys(view, Qt.Key.Key_Escape)
    assert view.view.hasFocus() and current(view) == before


def test_ctrl_g_a_click_on_a_listed_indicator_goes_there(qtbot, entry):
    view = open_form(qtbot, entry)
    press(view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    _jump_keys(view, "nuoc ngoai")
    header = view.header
    index = header.jump_model.index(header._visible_rows()[0], 0)
    assert index.data(CODE_ROLE) == "0207"
    QTest.mouseClick(
        header.jump_list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=header.jump_list.visualRect(index).center(),
    )
    assert view.model.block_at(current(view)[0]).code == "0207"
