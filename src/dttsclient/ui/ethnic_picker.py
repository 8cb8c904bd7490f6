"""Add ethnic groups to a report: a searchable list of the 54 groups (names and aliases).

Typing filters the list through :func:`dttscore.refdata.search_ethnic` (no diacritics needed:
"meo" finds HMông by its alias Mèo); Up/Down move in the list; Space ticks the highlighted group (to add
several), in the search box as in the list, and the next letters typed start a new search; Enter adds the
ticked groups, or the highlighted one when none is ticked. Groups already in the report
are shown but cannot be picked again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from dttscore import refdata
from dttscore.model import Option

logger = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex
CODE_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class EthnicChoice:
    code: str
    name: str
    aliases: tuple[str, ...]
    present: bool


class EthnicModel(QAbstractListModel):
    """The groups matching the search, checkable; groups already present are disabled."""

    def __init__(self, choices: Sequence[EthnicChoice], parent=None) -> None:
        super().__init__(parent)
        self._all = list(choices)
        self._by_code = {c.code: c for c in self._all}
        self._rows = list(self._all)
        self._checked: set[str] = set()

    def set_filter(self, text: str) -> None:
        """Keep the groups matching ``text`` (best first); all of them, in code order, for ""."""
        self.beginResetModel()
        if not text.strip():
            self._rows = list(self._all)
        else:
            ranked = [self._by_code[g.code] for g in refdata.search_ethnic(text) if g.code in self._by_code]
            seen = {c.code for c in ranked}
            folded = refdata.fold(text)
            extra = [c for c in self._all if c.code not in seen and folded and folded in refdata.fold(c.name)]
            self._rows = ranked + extra
        self.endResetModel()

    def choice(self, row: int) -> EthnicChoice:
        return self._rows[row]

    def checked(self) -> list[str]:
        return [c.code for c in self._all if c.code in self._checked]

    def toggle(self, row: int) -> None:
        c = self._rows[row]
        if c.present:
            return
        self._checked.symmetric_difference_update({c.code})
        idx = self.index(row, 0)
        self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.CheckStateRole])

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()].present:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        c = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = f"{c.code}  {c.name}"
            if c.aliases:
                text += f"  ({', '.join(c.aliases[:4])}{'…' if len(c.aliases) > 4 else ''})"
            if c.present:
                text += "  — " + self.tr("đã có")
            return text
        if role == Qt.ItemDataRole.CheckStateRole:
            checked = c.present or c.code in self._checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return ", ".join(c.aliases) or None
        if role == CODE_ROLE:
            return c.code
        return None

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        c = self._rows[index.row()]
        if c.present:
            return False
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._checked.add(c.code)
        else:
            self._checked.discard(c.code)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True


def choices_for(options: Sequence[Option], present: Sequence[str], lang: str = "vi") -> list[EthnicChoice]:
    """The picker's rows: the catalogue's ``eth`` options with the aliases of the shipped code list."""
    have = set(present)
    out = []
    for o in options:
        group = refdata.ethnic_group(o.code)
        name = o.name_en if lang == "en" and o.name_en else o.name_vi
        out.append(EthnicChoice(o.code, name, group.other_names if group else (), o.code in have))
    return out


class EthnicPicker(QDialog):
    """The dialog. ``result_codes()`` gives the picked codes after it was accepted."""

    def __init__(
        self,
        options: Sequence[Option],
        present: Sequence[str],
        lang: str = "vi",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Thêm dân tộc"))
        self.resize(460, 480)
        self.model = EthnicModel(choices_for(options, present, lang), self)
        hint = QLabel(
            self.tr(
                "Gõ tên dân tộc hoặc tên gọi khác (ví dụ: Mèo, Mán, Thổ). Enter: thêm dân tộc đang chọn; "
                "Space: đánh dấu để thêm nhiều dân tộc một lúc."
            ),
            self,
        )
        hint.setWordWrap(True)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Tìm dân tộc…"))
        self.search.setClearButtonEnabled(True)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.activated.connect(lambda _i: self.accept())
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.list.installEventFilter(self)
        buttons = QDialogButtonBox(self)
        self.add_button = buttons.addButton(self.tr("Thêm"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Huỷ"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addWidget(self.search)
        lay.addWidget(self.list)
        lay.addWidget(buttons)
        self._filter("")
        self.search.setFocus()

    def _filter(self, text: str) -> None:
        self.model.set_filter(text)
        for r in range(self.model.rowCount()):
            if not self.model.choice(r).present:
                self.list.setCurrentIndex(self.model.index(r, 0))
                break

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and obj in (self.search, self.list):
            key = event.key()
            plain = not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
            )
            if obj is self.search and key in (
                Qt.Key.Key_Down,
                Qt.Key.Key_Up,
                Qt.Key.Key_PageDown,
                Qt.Key.Key_PageUp,
            ):
                self.list.setFocus()
                self.list.keyPressEvent(event)
                return True
            if key == Qt.Key.Key_Space and plain:
                # The hint's promise, in the search box too: Space ticks the highlighted group (names are
                # found without their spaces: "hanhi" finds Hà Nhì). What is typed next starts a new search.
                cur = self.list.currentIndex()
                if cur.isValid():
                    self.model.toggle(cur.row())
                self.search.selectAll()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.accept()
                return True
            text = event.text()
            if obj is self.list and plain and (key == Qt.Key.Key_Backspace or (text and text.isprintable())):
                # Typing in the list goes back to the search box: the letters filter, nothing is lost.
                self.search.setFocus(Qt.FocusReason.OtherFocusReason)
                if not self.search.hasSelectedText():
                    self.search.end(False)
                QApplication.sendEvent(self.search, event)
                return True
        return super().eventFilter(obj, event)

    def result_codes(self) -> list[str]:
        """The ticked groups, or the highlighted one when none is ticked."""
        codes = self.model.checked()
        if codes:
            return codes
        cur = self.list.currentIndex()
        if cur.isValid() and not self.model.choice(cur.row()).present:
            return [self.model.choice(cur.row()).code]
        return []

    @classmethod
    def ask(
        cls, parent: QWidget | None, options: Sequence[Option], present: Sequence[str], lang: str = "vi"
    ) -> list[str] | None:
        """Let the officer pick groups to add.

        Returns:
            The codes to add (possibly empty), or None when cancelled.
        """
        dlg = cls(options, present, lang, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return dlg.result_codes()
