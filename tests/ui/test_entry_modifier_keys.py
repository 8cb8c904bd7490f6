"""Modifier keys in the grid, in a cell being edited and in one that is not, as in a spreadsheet: a bare
Shift/Ctrl/Alt does nothing, Shift+Tab saves and moves left, Ctrl+A selects the cell's text, Ctrl+V pastes
into the open cell (outside editing: the block paste), Shift+letter types the capital. A text that is not
a value is never thrown away by the focus going elsewhere. Keys go to the focused widget with shortcuts
first, as the window system delivers them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dttsclient.store import Store
from tests.support.entry_fixtures import cell, current, entry_for, go, open_form

M = Qt.KeyboardModifier


@pytest.fixture
def entry(tmp_path):
    with entry_for(tmp_path) as e:
        yield e


def _fresh_cells(entry) -> dict:
    with Store.open(entry.data_dir) as fresh:
        return fresh.reports.cells(entry.report_id)


def key(k, mods=M.NoModifier, text: str | None = None) -> None:
    """One key press and release into the focused widget (with the text a keyboard gives, if told)."""
    target = QApplication.focusWidget()
    assert target is not None
    if text is None:
        QTest.keyClick(target, k, mods)
        return
    for action in (QTest.KeyAction.Press, QTest.KeyAction.Release):
        QTest.sendKeyEvent(action, target, k, text, mods)


def _editor(view):
    return view.view.delegate.open_editor()


@pytest.mark.parametrize(
    "bare, flag",
    [
        (Qt.Key.Key_Shift, M.ShiftModifier),
        (Qt.Key.Key_Control, M.ControlModifier),
        (Qt.Key.Key_Alt, M.AltModifier),
    ],
    ids=["Shift", "Ctrl", "Alt"],
)
def test_a_bare_modifier_while_editing_does_nothing_and_typing_goes_on(qtbot, entry, bare, flag):
    view = open_form(qtbot, entry)
    go(view, "0104")
    key(Qt.Key.Key_2)
    with qtbot.captureExceptions() as exceptions:
        key(bare, flag)  # used to bounce between the view and the editor until Python's recursion limit
        key(Qt.Key.Key_3)
    assert not exceptions
    assert _editor(view).text() == "23"  # no keystroke lost
    key(Qt.Key.Key_Return)
    assert _fresh_cells(entry)[("0104", "")] == "23"


def test_a_bare_modifier_on_a_cell_not_edited_does_nothing(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0104")
    for bare, flag in ((Qt.Key.Key_Shift, M.ShiftModifier), (Qt.Key.Key_Control, M.ControlModifier)):
        key(bare, flag)
    assert _editor(view) is None and current(view) == cell(view, "0104")


def test_shift_tab_while_editing_saves_and_moves_left(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0101", "eth=08|sex=F")
    key(Qt.Key.Key_7)
    key(Qt.Key.Key_Shift, M.ShiftModifier)
    key(Qt.Key.Key_Backtab, M.ShiftModifier)  # what X sends for Shift+Tab
    assert _fresh_cells(entry)[("0101", "eth=08|sex=F")] == "7"
    assert current(view) == cell(view, "0101", "eth=08|sex=M") and _editor(view) is None
    key(Qt.Key.Key_8)
    key(Qt.Key.Key_Tab, M.ShiftModifier)  # Tab with Shift held (other platforms): left as well
    assert _fresh_cells(entry)[("0101", "eth=08|sex=M")] == "8"
    assert current(view) == cell(view, "0101", "eth=02|sex=F")  # the row above, its last input cell


def test_ctrl_a_while_editing_selects_the_cells_text(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0104")
    key(Qt.Key.Key_1)
    key(Qt.Key.Key_2)
    key(Qt.Key.Key_A, M.ControlModifier, "\x01")
    assert _editor(view).selectedText() == "12"
    key(Qt.Key.Key_5)  # typing replaces the selection, as in a spreadsheet's cell
    key(Qt.Key.Key_Return)
    assert _fresh_cells(entry)[("0104", "")] == "5"


def test_ctrl_v_pastes_into_the_open_cell_and_outside_editing_pastes_the_block(qtbot, entry):
    view = open_form(qtbot, entry)
    QApplication.clipboard().setText("34")
    go(view, "0104")
    key(Qt.Key.Key_1)
    key(Qt.Key.Key_V, M.ControlModifier, "\x16")
    assert _editor(view).text() == "134"  # into the editor, at the cursor
    assert ("0104", "") not in _fresh_cells(entry)  # not saved before Enter
    key(Qt.Key.Key_Return)
    assert _fresh_cells(entry)[("0104", "")] == "134"
    QApplication.clipboard().setText("5\t6")
    go(view, "0101", "eth=02|sex=M")
    key(Qt.Key.Key_V, M.ControlModifier, "\x16")  # not editing: the grid's block paste
    cells = _fresh_cells(entry)
    assert cells[("0101", "eth=02|sex=M")] == "5" and cells[("0101", "eth=02|sex=F")] == "6"


def test_shift_letter_types_the_capital(qtbot, tmp_path):
    with entry_for(tmp_path, "BM01", ["02"]) as entry:
        view = open_form(qtbot, entry)
        code = next(i.code for i in entry.catalog.form_indicators(entry.form) if i.value_type == "text")
        go(view, code)
        key(Qt.Key.Key_G, M.ShiftModifier, "G")  # starts editing with the capital
        key(Qt.Key.Key_Shift, M.ShiftModifier)
        key(Qt.Key.Key_H, M.ShiftModifier, "H")  # and goes on in the open cell
        key(Qt.Key.Key_I, M.NoModifier, "i")
        key(Qt.Key.Key_Return)
        assert _fresh_cells(entry)[(code, "")] == "GHi"


def test_a_refused_text_stays_when_the_focus_goes_to_the_jump_box_or_another_cell(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0104")
    key(Qt.Key.Key_1)
    key(Qt.Key.Key_Comma, M.NoModifier, ",")
    key(Qt.Key.Key_X, M.NoModifier, "x")
    key(Qt.Key.Key_G, M.ControlModifier, "\x07")  # Ctrl+G: the focus leaves the open cell
    assert view.header.jump.hasFocus()
    editor = _editor(view)
    assert editor is not None and editor.text() == "1,x"  # not thrown away
    assert "0104" in view.notice.text()
    key(Qt.Key.Key_0)
    key(Qt.Key.Key_1)
    key(Qt.Key.Key_Return)  # a jump would leave the cell: the page stays on it, the text too
    assert current(view) == cell(view, "0104") and _editor(view).text() == "1,x"
    assert _editor(view).hasFocus()
    r, c = cell(view, "0103", "sex=M")  # a click on another cell does not lose it either
    QTest.mouseClick(
        view.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.view.visualRect(view.model.index(r, c)).center(),
    )
    assert current(view) == cell(view, "0104") and _editor(view).text() == "1,x"
    key(Qt.Key.Key_Backspace)  # fixed: "1," is 1
    key(Qt.Key.Key_Backspace)
    key(Qt.Key.Key_Return)
    assert _fresh_cells(entry)[("0104", "")] == "1"
    go(view, "0104")
    key(Qt.Key.Key_X, M.NoModifier, "x")
    key(Qt.Key.Key_Escape)  # only Esc abandons a text
    assert _editor(view) is None and _fresh_cells(entry)[("0104", "")] == "1"


def test_vietnamese_from_an_input_method_starts_editing_a_cell(qtbot, tmp_path):
    from PySide6.QtGui import QInputMethodEvent

    with entry_for(tmp_path, "BM01", ["02"]) as entry:
        view = open_form(qtbot, entry)
        code = next(i.code for i in entry.catalog.form_indicators(entry.form) if i.value_type == "text")
        go(view, code)
        preedit = QInputMethodEvent("Đ", [])  # IBus shows the letter being composed, then commits it
        QApplication.sendEvent(view.view, preedit)
        commit = QInputMethodEvent()
        commit.setCommitString("Đ")
        QApplication.sendEvent(QApplication.focusWidget(), commit)
        assert _editor(view) is not None and _editor(view).text() == "Đ"  # not dropped
        commit = QInputMethodEvent()
        commit.setCommitString("ã")
        QApplication.sendEvent(QApplication.focusWidget(), commit)
        key(Qt.Key.Key_Return)
        assert _fresh_cells(entry)[(code, "")] == "Đã"


def test_a_bare_alt_while_editing_does_not_send_the_next_keys_to_the_menu_bar(qtbot, entry):
    from PySide6.QtWidgets import QMainWindow

    from dttsclient.ui.form_view import FormView

    window = QMainWindow()
    qtbot.addWidget(window)
    menu = window.menuBar().addMenu("&Tệp")
    menu.addAction("Thoát")
    view = FormView(entry.store, entry.report_id, "vi")
    entry.views.append(view)
    window.setCentralWidget(view)
    window.resize(1280, 800)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    go(view, "0104")
    key(Qt.Key.Key_8)
    key(Qt.Key.Key_Alt, M.AltModifier)  # pressed and let go alone
    assert _editor(view) is not None and _editor(view).hasFocus()
    key(Qt.Key.Key_9)
    key(Qt.Key.Key_Return)
    assert _fresh_cells(entry)[("0104", "")] == "89"
    key(Qt.Key.Key_Alt, M.AltModifier)  # not editing: Alt gives the keyboard to the menu bar, as it did
    assert window.menuBar().hasFocus()


def test_adding_an_ethnic_group_while_a_cell_holds_a_refused_text_keeps_the_text(qtbot, entry, monkeypatch):
    from dttsclient.ui.ethnic_picker import EthnicPicker

    view = open_form(qtbot, entry)
    monkeypatch.setattr(EthnicPicker, "ask", classmethod(lambda cls, *a, **k: ["05"]))
    go(view, "0104")
    for ch in "1,x":
        key(Qt.Key(ord(ch.upper())), M.NoModifier, ch)
    key(Qt.Key.Key_D, M.ControlModifier, "\x04")  # Ctrl+D: the rows would be laid out again
    assert _editor(view) is not None and _editor(view).text() == "1,x"
    with Store.open(entry.data_dir) as fresh:
        assert "05" not in fresh.reports.eth_rows(entry.report_id)
    key(Qt.Key.Key_Backspace)
    key(Qt.Key.Key_Backspace)
    key(Qt.Key.Key_D, M.ControlModifier, "\x04")  # fixed: saved, then the row is added
    assert _fresh_cells(entry)[("0104", "")] == "1"
    with Store.open(entry.data_dir) as fresh:
        assert "05" in fresh.reports.eth_rows(entry.report_id)
