"""The entry grid: a QTableView that walks the input cells of a form with the keyboard.

Keys (when no cell is being edited):

* typing a character starts editing the cell and replaces its content; F2 or a double click edits the
  current text; Space toggles a yes/no cell;
* Enter goes down (at the last row of an indicator, to the next indicator's first cell; after a run of
  Tabs, back to the column where the run began), Shift+Enter up; Tab goes right and wraps to the next
  row, Shift+Tab left; the arrows, Home/End, Ctrl+Home/End and PageUp/PageDown move between input cells
  only (titles, column heads and computed totals are skipped);
* Delete or Backspace clears the selected cells (one undo step).

While editing, Enter / Tab / Shift+Tab / Up / Down save the cell and move on — the value is durable
before the next key is handled; Esc leaves the editor and the cell keeps its old value. Text that is not
a value of the cell's type keeps the editor open and says why (:attr:`GridModel.inputRejected`); so
does a write the store refuses (another program holds the database, the disk is full): the typed text
stays until it is saved or abandoned with Esc — also when the focus or the current cell moves away. The
other keys are the line edit's (Ctrl+A selects the cell's text, Ctrl+V pastes into it); a key it ignores
(a bare Shift, Ctrl or Alt, PageDown) does nothing and typing goes on.

Copy, paste, undo, comment and history are actions of the form view (they carry the shortcuts).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QInputMethodEvent, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QFrame,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from dttsclient.ui.grid_model import VALUE_TYPE_ROLE, GridModel
from dttscore.errors import ValueInputError

logger = logging.getLogger(__name__)

ROW_HEIGHT = 26
GROUP_ROW_HEIGHT = 34
LABEL_WIDTH = 330
VALUE_WIDTH = 104
_Index = QModelIndex | QPersistentModelIndex
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class CellDelegate(QStyledItemDelegate):
    """Line editors for the input cells; Enter/Tab/Up/Down save and move, a refused text stays open.

    Signals:
        committedMove(str): an edit was saved (or left unchanged) by a key that moves: "down", "up",
            "next" or "previous".
    """

    committedMove = Signal(str)

    def __init__(self, view: GridView) -> None:
        super().__init__(view)
        self._view = view
        self.editor: QLineEdit | None = None
        self.editing = QPersistentModelIndex()  # the cell of the editor
        self.closing = False  # True while our own key handling closes the editor

    def is_editor(self, widget: QWidget | None) -> bool:
        return widget is not None and widget is self.editor and shiboken6.isValid(widget)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        vtype = index.data(VALUE_TYPE_ROLE)
        if vtype != "text":
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        editor.textEdited.connect(lambda _text, e=editor: _clear_refused(e))
        self.editor = editor
        self.editing = QPersistentModelIndex(index)
        return editor

    def open_editor(self) -> QLineEdit | None:
        """The editor of the cell being edited, or None."""
        if self._view.state() != QAbstractItemView.State.EditingState:
            return None
        if self.editor is None or not shiboken6.isValid(self.editor):
            return None
        return self.editor

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if isinstance(editor, QLineEdit):
            editor.setText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor: QWidget, model, index: _Index) -> None:
        if isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def eventFilter(self, obj, event) -> bool:
        if (
            isinstance(obj, QLineEdit)
            and event.type() == QEvent.Type.ShortcutOverride
            and event.key() in (Qt.Key.Key_Alt, Qt.Key.Key_Meta)
        ):
            # A bare Alt while typing in a cell: Qt's menu bar would take the keyboard when it is let go,
            # and the next digits typed would go to the menus. Alt+letter shortcuts still work.
            event.accept()
            return True
        if isinstance(obj, QLineEdit) and event.type() == QEvent.Type.KeyPress:
            move = _move_of(event)
            if move is not None:
                return self._commit_and_move(obj, move)
            if event.key() == Qt.Key.Key_Escape:
                self.closing = True
                try:
                    self.closeEditor.emit(obj, QAbstractItemDelegate.EndEditHint.RevertModelCache)
                finally:
                    self.closing = False
                return True
        return super().eventFilter(obj, event)

    def _commit_and_move(self, editor: QLineEdit, move: str) -> bool:
        index = self._view.currentIndex()
        model = self._view.model()
        if not isinstance(model, GridModel) or not index.isValid():
            return False
        key = model.cell_key(index.row(), index.column())
        try:
            canonical = model.parse(index.row(), index.column(), editor.text())
        except ValueInputError as exc:
            model.inputRejected.emit(index.row(), index.column(), editor.text(), exc.text(model.lang))
            return True  # keep the editor open: nothing is lost, the officer fixes the text
        self.commitData.emit(editor)
        if key is not None and model.value(key) != canonical and self.open_editor() is editor:
            return True  # not saved (the store failed and said why, or the officer declined): keep the text
        if self.open_editor() is editor:  # a dialog raised while saving may have closed it already
            self.closing = True
            try:
                self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            finally:
                self.closing = False
        self.committedMove.emit(move)
        return True


_REFUSED_STYLE = "QLineEdit { border: 2px solid #C62828; background: #FDECEA; }"


def _clear_refused(editor: QLineEdit) -> None:
    if editor.styleSheet():
        editor.setStyleSheet("")
        editor.setToolTip("")


def _move_of(event: QKeyEvent) -> str | None:
    key = event.key()
    shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
    if key in _ENTER_KEYS:
        return "up" if shift else "down"
    if key == Qt.Key.Key_Tab:
        return "previous" if shift else "next"
    if key == Qt.Key.Key_Backtab:
        return "previous"
    if key == Qt.Key.Key_Down:
        return "down_arrow"
    if key == Qt.Key.Key_Up:
        return "up"
    return None


class GridView(QTableView):
    """The tall grid of one form (see the module docstring for the keys).

    Signals:
        clearRequested(): Delete/Backspace on the selection.
        toggleRequested(QModelIndex): Space on a yes/no cell.
    """

    clearRequested = Signal()
    toggleRequested = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._delegate = CellDelegate(self)
        self._delegate.committedMove.connect(self.move_after_edit)
        self.setItemDelegate(self._delegate)
        self._tab_origin: int | None = None
        self._forwarding = False  # a key is being handed to the open editor
        self.before_edit: Callable[[], bool] | None = None  # asked before an editor opens
        self._scroll_target: tuple[QPersistentModelIndex, QAbstractItemView.ScrollHint] | None = None
        self._scroll_timer = QTimer(self)
        self._scroll_timer.setSingleShot(True)
        self._scroll_timer.setInterval(0)
        self._scroll_timer.timeout.connect(self._scroll_to_current)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setTabKeyNavigation(True)
        self.setWordWrap(False)
        self.setShowGrid(True)
        self.setCornerButtonEnabled(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.horizontalHeader().hide()
        vh = self.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setMinimumSectionSize(18)
        vh.setDefaultSectionSize(ROW_HEIGHT)
        hh = self.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        hh.setStretchLastSection(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Highlight, QColor("#CFE3F7"))
        pal.setColor(QPalette.ColorRole.HighlightedText, QColor("#111111"))
        pal.setColor(QPalette.ColorRole.Base, QColor("#FFFFFF"))
        pal.setColor(QPalette.ColorRole.Mid, QColor("#E3E8ED"))
        self.setPalette(pal)

    @property
    def delegate(self) -> CellDelegate:
        return self._delegate

    def grid(self) -> GridModel:
        model = self.model()
        assert isinstance(model, GridModel)
        return model

    # -- layout ----------------------------------------------------------------------------------
    def apply_layout(self) -> None:
        """Spans, row heights and column widths of the model's current layout (after a reset)."""
        layout = self.grid().layout
        self.clearSpans()
        for r, c, rs, cs in layout.spans:
            self.setSpan(r, c, rs, cs)
        vh = self.verticalHeader()
        for r, row in enumerate(layout.rows):
            if row.kind == "group":
                vh.resizeSection(r, GROUP_ROW_HEIGHT)
        self.setColumnWidth(0, LABEL_WIDTH)
        for c in range(1, layout.value_cols + 1):
            self.setColumnWidth(c, VALUE_WIDTH)

    # -- navigation ------------------------------------------------------------------------------
    def first_input(self, r: int, reverse: bool = False) -> int | None:
        cols = range(self.grid().columnCount() - 1, 0, -1) if reverse else range(1, self.grid().columnCount())
        for c in cols:
            if self.grid().is_input(r, c):
                return c
        return None

    def _input_row(self, start: int, step: int) -> int | None:
        model = self.grid()
        r = start
        while 0 <= r < model.rowCount():
            if self.first_input(r) is not None:
                return r
            r += step
        return None

    def _nearest_col(self, r: int, c: int) -> int:
        model = self.grid()
        if model.is_input(r, c):
            return c
        for cc in range(c, 0, -1):
            if model.is_input(r, cc):
                return cc
        first = self.first_input(r)
        return first if first is not None else 1

    def target(self, r: int, c: int, move: str) -> tuple[int, int] | None:
        """The input cell reached from (r, c) by ``move``, or None when there is none.

        Moves: "down" (Enter), "down_arrow", "up", "next" (Tab), "previous" (Shift+Tab), "right",
        "left", "home", "end", "first", "last".
        """
        model = self.grid()
        if move in ("down", "down_arrow"):
            nr = self._input_row(r + 1, 1)
            if nr is None:
                return None
            if move == "down" and model.row(nr).block != model.row(r).block and model.row(r).kind != "group":
                return nr, self.first_input(nr) or 1  # Enter at an indicator's last row: the next one
            return nr, self._nearest_col(nr, c)
        if move == "up":
            nr = self._input_row(r - 1, -1)
            return None if nr is None else (nr, self._nearest_col(nr, c))
        if move in ("right", "next"):
            for cc in range(c + 1, model.columnCount()):
                if model.is_input(r, cc):
                    return r, cc
            if move == "right":
                return None
            nr = self._input_row(r + 1, 1)
            return None if nr is None else (nr, self.first_input(nr) or 1)
        if move in ("left", "previous"):
            for cc in range(c - 1, 0, -1):
                if model.is_input(r, cc):
                    return r, cc
            if move == "left":
                return None
            nr = self._input_row(r - 1, -1)
            return None if nr is None else (nr, self.first_input(nr, reverse=True) or 1)
        if move in ("home", "end"):
            cc = self.first_input(r, reverse=move == "end")
            return None if cc is None else (r, cc)
        if move in ("first", "last"):
            nr = self._input_row(0, 1) if move == "first" else self._input_row(model.rowCount() - 1, -1)
            return None if nr is None else (nr, self.first_input(nr, reverse=move == "last") or 1)
        raise ValueError(move)

    def go_to(self, r: int, c: int) -> None:
        """Make (r, c) the current cell, selected alone and scrolled into view."""
        index = self.grid().index(r, c)
        self.setCurrentIndex(index)

    # Scrolling while parts of the viewport wait to be repainted (the cell just written, the editor just
    # closed) makes Qt repaint the whole viewport instead of shifting it: a full repaint per keystroke
    # once the cursor reaches the bottom. The current cell changes at once (the next key goes to it);
    # the view scrolls to it on the next event-loop turn, after those small repaints.
    def scrollTo(
        self,
        index: QModelIndex,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        if index.isValid():
            self._scroll_target = (QPersistentModelIndex(index), hint)
            self._scroll_timer.start()

    def _scroll_to_current(self) -> None:
        target, self._scroll_target = self._scroll_target, None
        if target is not None and target[0].isValid():
            super().scrollTo(QModelIndex(target[0]), target[1])

    def move_after_edit(self, move: str) -> None:
        cur = self.currentIndex()
        if not cur.isValid():
            return
        if move in ("next", "previous") and self._tab_origin is None:
            self._tab_origin = cur.column()
        r, c = cur.row(), cur.column()
        if move == "down" and self._tab_origin is not None:
            c, self._tab_origin = self._tab_origin, None
        elif move not in ("next", "previous"):
            self._tab_origin = None
        found = self.target(r, c, move)
        if found is not None:
            self.go_to(*found)

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        cur = self.currentIndex()
        model = self.model()
        if not isinstance(model, GridModel) or not cur.isValid():
            return super().moveCursor(action, modifiers)
        A = QAbstractItemView.CursorAction
        r, c = cur.row(), cur.column()
        ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        move = {
            A.MoveDown: "down_arrow",
            A.MoveUp: "up",
            A.MoveRight: "right",
            A.MoveLeft: "left",
            A.MoveNext: "next",
            A.MovePrevious: "previous",
            A.MoveHome: "first" if ctrl else "home",
            A.MoveEnd: "last" if ctrl else "end",
        }.get(action)
        if move is None:  # PageUp / PageDown: let Qt jump, then settle on an input cell nearby
            jumped = super().moveCursor(action, modifiers)
            if not jumped.isValid():
                return jumped
            step = 1 if action == A.MovePageDown else -1
            nr = self._input_row(jumped.row(), step) or self._input_row(jumped.row(), -step)
            return cur if nr is None else model.index(nr, self._nearest_col(nr, c))
        if move in ("next", "previous") and self._tab_origin is None:
            self._tab_origin = c
        elif move not in ("next", "previous"):
            self._tab_origin = None
        found = self.target(r, c, move)
        return model.index(*found) if found else cur

    # -- keys ------------------------------------------------------------------------------------
    # Qt repaints the whole viewport whenever the view gains or loses focus (the selection colours of an
    # inactive view differ). Opening and closing a cell editor moves the focus out and back in on every
    # cell, so a full repaint per keystroke; our own editor never changes what the grid shows.
    def focusOutEvent(self, event) -> None:
        if self._delegate.is_editor(QApplication.focusWidget()):
            QAbstractScrollArea.focusOutEvent(self, event)
            return
        super().focusOutEvent(event)

    def focusInEvent(self, event) -> None:
        if self._delegate.closing:
            QAbstractScrollArea.focusInEvent(self, event)
            return
        super().focusInEvent(event)
        editor = self._delegate.open_editor()
        if editor is not None and not editor.hasFocus():  # back from a dialog or the jump box: keep typing
            editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        """Close an editor, unless it holds text that is not a value and the officer did not press Esc.

        Qt closes the editor when it loses the focus (Ctrl+G, a dialog, another window) or when another
        cell becomes current (a click, a jump): a refused text would be thrown away. It stays instead,
        on its cell (the page already says why); only Esc abandons it.
        """
        index = QModelIndex(self._delegate.editing)
        keep = (
            hint != QAbstractItemDelegate.EndEditHint.RevertModelCache
            and not self._delegate.closing
            and self._delegate.is_editor(editor)
            and isinstance(editor, QLineEdit)
            and index.isValid()
            and self._refused(index, editor.text())
        )
        if not keep:
            super().closeEditor(editor, hint)
            return
        if self.currentIndex() != index:  # back to the cell whose text is not saved yet
            self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if self.hasFocus():
            editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _refused(self, index: QModelIndex, text: str) -> bool:
        try:
            self.grid().parse(index.row(), index.column(), text)
        except ValueInputError:
            return True
        return False

    def commit_editor(self) -> bool:
        """Save and close the open cell editor, if any (the page is hidden, reloaded or closed).

        Returns:
            False when the editor holds text that is not a value: it stays open and says why.
        """
        editor = self._delegate.open_editor()
        if editor is None:
            return True
        index = self.currentIndex()
        model = self.grid()
        try:
            model.parse(index.row(), index.column(), editor.text())
        except ValueInputError as exc:
            model.inputRejected.emit(index.row(), index.column(), editor.text(), exc.text(model.lang))
            return False
        self.commitData(editor)
        self._delegate.closing = True
        try:
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        finally:
            self._delegate.closing = False
        return True

    def mark_refused(self, r: int, c: int, message: str) -> None:
        """The open editor of (r, c) holds text that is not a value: a red frame, the reason as its tooltip.

        The mark stays until the text is edited (a tooltip shown at once would vanish with the next key,
        and is a window of its own the window manager must raise); the page says why in its notice too.
        """
        editor = self._delegate.open_editor()
        cur = self.currentIndex()
        if editor is None or (cur.row(), cur.column()) != (r, c):
            return
        editor.setStyleSheet(_REFUSED_STYLE)
        editor.setToolTip(message)

    def keyboardSearch(self, search: str) -> None:
        """No jumping to a row whose text starts with a typed letter: typing is for values."""

    def _may_edit(self) -> bool:
        return self.before_edit is None or self.before_edit()

    def mouseDoubleClickEvent(self, event) -> None:
        index = self.indexAt(event.position().toPoint())
        if index.isValid() and index.flags() & Qt.ItemFlag.ItemIsEditable and not self._may_edit():
            return
        super().mouseDoubleClickEvent(event)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        """Text from an input method (Vietnamese typed with IBus, Fcitx …) on a cell not being edited starts
        editing it, as a typed character does (Qt's own handling drops it: "any key" does not start an edit
        here, so that arrows and shortcuts don't)."""
        cur = self.currentIndex()
        text = event.commitString()
        if (
            text
            and not event.preeditString()
            and self._delegate.open_editor() is None
            and cur.isValid()
            and cur.flags() & Qt.ItemFlag.ItemIsEditable
        ):
            event.accept()
            if self._may_edit():
                self.edit(cur)
                editor = self._delegate.open_editor()
                if editor is not None:
                    editor.setText(text)
            return
        super().inputMethodEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        editor = self._delegate.open_editor()
        if editor is not None:
            # Qt gives a key to the focused widget and hands a key it ignores (a bare Shift, Ctrl+B,
            # PageDown …) to the parents: editor → viewport → this view. Such a key must go on up (the
            # form's shortcuts), not back to the editor that just ignored it. A key aimed at the view
            # itself while a cell is open (the editor lost the focus to a dialog that closed) goes to
            # the editor, once.
            if self._forwarding or editor.hasFocus():
                event.ignore()
                return
            self._forwarding = True
            try:
                QApplication.sendEvent(editor, event)
            finally:
                self._forwarding = False
            return
        cur = self.currentIndex()
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in _ENTER_KEYS and cur.isValid():
            self.move_after_edit("up" if mods & Qt.KeyboardModifier.ShiftModifier else "down")
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not mods:
            self.clearRequested.emit()
            return
        editable = cur.isValid() and bool(cur.flags() & Qt.ItemFlag.ItemIsEditable)
        if key == Qt.Key.Key_Space and editable and cur.data(VALUE_TYPE_ROLE) == "yes_no" and not mods:
            self.toggleRequested.emit(cur)
            return
        text = event.text()
        typing = (
            text
            and text.isprintable()
            and not (mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier))
        )
        if editable and key == Qt.Key.Key_F2 and not mods:
            if self._may_edit():
                self.edit(cur)
                editor = self._delegate.open_editor()
                if editor is not None:  # F2 edits the text: the cursor at its end, nothing selected
                    editor.deselect()
                    editor.end(False)
            return
        if typing and editable:
            if not self._may_edit():
                return
            self.edit(cur)
            editor = self._delegate.open_editor()
            if editor is not None:
                editor.setText(text)  # typing overwrites the cell
                return
        super().keyPressEvent(event)
