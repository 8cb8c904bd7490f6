"""Every key with every modifier, in a cell being edited and in one that is not: random key sequences
(hypothesis) over the grid of a real form on a real Store.

After every key: no exception escaped to Qt, Qt logged no warning, a printable key typed on an input cell
is in the editor (no lost keystroke), a cell whose editor closed with a valid text holds that value in
the store, a refused text is still in its editor. After every sequence: what the grid shows is what a
fresh connection to the store reads.

Keys are delivered the way the window system delivers them: to the focused widget, shortcuts first
(``QTest.sendKeyEvent``), with the text a US keyboard gives (Shift+a types "A", Ctrl+a gives "\\x01").
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt, QtMsgType
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dttsclient.store import Store
from dttsclient.ui.comment_dialog import CommentDialog
from dttsclient.ui.ethnic_picker import EthnicPicker
from dttsclient.ui.history_dialog import HistoryDialog
from dttscore.errors import ValueInputError
from tests.support.entry_fixtures import entry_for, input_cells, open_form

M = Qt.KeyboardModifier
K = Qt.Key
SHIFT, CTRL, ALT = M.ShiftModifier, M.ControlModifier, M.AltModifier
MODIFIER_SETS = [M.NoModifier, SHIFT, CTRL, ALT, CTRL | SHIFT, ALT | SHIFT, CTRL | ALT, CTRL | ALT | SHIFT]

TYPED = "0123456789,.-%aAcCkKzZ "  # what an officer types into cells (and a few slips)
SPECIAL = [
    K.Key_Return, K.Key_Enter, K.Key_Tab, K.Key_Backtab, K.Key_Escape, K.Key_F2, K.Key_Delete,
    K.Key_Backspace, K.Key_Up, K.Key_Down, K.Key_Left, K.Key_Right, K.Key_Home, K.Key_End,
    K.Key_PageUp, K.Key_PageDown, K.Key_Space, K.Key_Insert, K.Key_F4,
]  # fmt: skip
BARE = [(K.Key_Shift, SHIFT), (K.Key_Control, CTRL), (K.Key_Alt, ALT), (K.Key_Meta, M.MetaModifier)]
CTRL_LETTERS = "ACVXZYBHDIUG"  # copy, paste, undo … and the form's own shortcuts (history, add groups)


class Step(tuple):
    """(key, text, modifiers) of one key press, shown as "Ctrl+Shift+A" in Hypothesis' reports."""

    def __repr__(self) -> str:
        return _label(self)


def _letter_key(ch: str) -> Qt.Key:
    return Qt.Key(ord(ch.upper()))


def _typed(ch: str) -> tuple[Qt.Key, str, M]:
    shifted = ch.isupper() or ch == "%"
    return _letter_key(ch), ch, SHIFT if shifted else M.NoModifier


def _special(key: Qt.Key, mods: M) -> tuple[Qt.Key, str, M]:
    if key == K.Key_Backtab:
        mods |= SHIFT  # X sends Shift+Tab as Backtab with Shift held
    text = {K.Key_Return: "\r", K.Key_Enter: "\r", K.Key_Tab: "\t", K.Key_Backtab: "",
            K.Key_Escape: "\x1b", K.Key_Backspace: "\b", K.Key_Delete: "\x7f", K.Key_Space: " "}.get(key, "")  # fmt: skip
    if key == K.Key_Enter:
        mods |= M.KeypadModifier
    if mods & (CTRL | ALT) and key == K.Key_Space:
        text = " " if not mods & CTRL else "\x00"
    return key, text, mods


def _ctrl(ch: str, shift: bool) -> tuple[Qt.Key, str, M]:
    return _letter_key(ch), chr(ord(ch) - 64), CTRL | (SHIFT if shift else M.NoModifier)


def _alt(ch: str) -> tuple[Qt.Key, str, M]:
    return _letter_key(ch), ch.lower(), ALT


keys = st.one_of(
    st.sampled_from(TYPED).map(_typed),
    st.builds(_special, st.sampled_from(SPECIAL), st.sampled_from(MODIFIER_SETS)),
    st.sampled_from(BARE).map(lambda km: (km[0], "", km[1])),
    st.builds(_ctrl, st.sampled_from(CTRL_LETTERS), st.booleans()),
    st.sampled_from("ACVZ").map(_alt),
).map(Step)


def _label(step: tuple[Qt.Key, str, M]) -> str:
    key, text, mods = step
    names = [
        n for n, f in (("Ctrl", CTRL), ("Alt", ALT), ("Shift", SHIFT), ("Meta", M.MetaModifier)) if mods & f
    ]
    return "+".join([*names, Qt.Key(key).name.removeprefix("Key_")]) + (f" {text!r}" if text else "")


def _send(widget, step: tuple[Qt.Key, str, M]) -> None:
    key, text, mods = step
    QTest.sendKeyEvent(QTest.KeyAction.Press, widget, key, text, mods)
    if widget is not None and not _is_valid(widget):
        return
    QTest.sendKeyEvent(QTest.KeyAction.Release, widget, key, text, mods)


def _is_valid(widget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


@pytest.fixture
def no_dialogs(monkeypatch):
    """The dialogs a shortcut opens are answered "Cancel" (a modal loop would stop the test)."""
    opened: list[str] = []
    monkeypatch.setattr(CommentDialog, "ask", classmethod(lambda cls, *a, **k: opened.append("comment")))
    monkeypatch.setattr(HistoryDialog, "ask", classmethod(lambda cls, *a, **k: opened.append("history")))
    monkeypatch.setattr(EthnicPicker, "ask", classmethod(lambda cls, *a, **k: opened.append("eth")))
    return opened


@pytest.mark.parametrize("form, eth", [("BM03", ["02", "08", "09"]), ("BM01", ["02"])])
def test_random_keys_never_fail_and_every_saved_value_is_in_the_store(
    qtbot, qtlog, tmp_path, no_dialogs, form, eth
):
    with entry_for(tmp_path, form, eth) as entry:
        view = open_form(qtbot, entry)
        grid, model = view.view, view.model
        starts = input_cells(view)

        def fresh_cells() -> dict:
            with Store.open(entry.data_dir) as fresh:
                return fresh.reports.cells(entry.report_id)

        @settings(
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(st.integers(0, len(starts) - 1), st.lists(keys, min_size=3, max_size=40))
        def run(start: int, steps: list) -> None:
            editor = grid.delegate.open_editor()
            if editor is not None:  # the previous example left a cell open: abandon it
                QTest.keyClick(editor, K.Key_Escape)
            grid.go_to(*starts[start])
            grid.setFocus()
            qtbot.waitUntil(lambda: QApplication.focusWidget() is grid)
            warnings_before = len(qtlog.records)
            done: list[str] = []
            with qtbot.captureExceptions() as exceptions:
                for step in steps:
                    done.append(_label(step))
                    where = f"after {' '.join(done)}"
                    editor = grid.delegate.open_editor()
                    cur = grid.currentIndex()
                    r, c = cur.row(), cur.column()
                    key_of_cell = model.cell_key(r, c)
                    before_text = editor.text() if editor is not None else None
                    target = QApplication.focusWidget() or grid
                    _send(target, step)
                    assert not exceptions, f"{where}: {exceptions[0][1]!r}"
                    if QApplication.focusWidget() not in (grid, grid.delegate.open_editor()):
                        grid.setFocus()  # a shortcut moved the focus: the officer clicks back in the grid
                    now_editor = grid.delegate.open_editor()
                    key, text, mods = step
                    printable = text.isprintable() and text != "" and not mods & (CTRL | ALT)
                    if printable and editor is None and model.is_input(r, c) and key != K.Key_Space:
                        assert now_editor is not None and now_editor.text() == text, where  # typing starts
                    if printable and editor is not None and now_editor is editor:
                        assert text in editor.text(), where  # typed into the open cell
                    if editor is not None and now_editor is not editor and key_of_cell is not None:
                        try:
                            canonical = model.parse(r, c, before_text)
                        except ValueInputError:
                            canonical = "refused"
                        if key == K.Key_Escape:
                            continue
                        assert canonical != "refused", f"{where}: the refused text {before_text!r} was lost"
                        assert fresh_cells().get(key_of_cell) == canonical, (
                            f"{where}: {before_text!r} not saved"
                        )
            assert not exceptions, exceptions
            warnings = [r.message for r in qtlog.records[warnings_before:] if r.type != QtMsgType.QtDebugMsg]
            assert not [w for w in warnings if "propagateSizeHints" not in w], warnings
            shown = {k: v for k in model.layout.cell_pos if (v := model.value(k)) is not None}
            assert shown == fresh_cells(), " ".join(done)

        run()
