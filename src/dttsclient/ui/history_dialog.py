"""A value's history from the change log: when, who, old → new, newest first."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dttsclient.store import ChangeEntry
from dttsclient.ui.rows_model import Index, RowsTableModel
from dttscore.labels import local_time_label
from dttscore.values import format_value

logger = logging.getLogger(__name__)

_KIND_NAMES = {
    "edit": QT_TRANSLATE_NOOP("HistoryModel", "Nhập tay"),
    "import": QT_TRANSLATE_NOOP("HistoryModel", "Nhập từ Excel"),
    "pull": QT_TRANSLATE_NOOP("HistoryModel", "Từ máy chủ"),
    "server_copy": QT_TRANSLATE_NOOP("HistoryModel", "Bản máy chủ"),
    "restore": QT_TRANSLATE_NOOP("HistoryModel", "Khôi phục từ bản sao lưu"),
}


class HistoryModel(RowsTableModel):
    """Change-log entries of one cell, newest first: time, who, change ("120 → 135"), kind.

    Args:
        entries: the entries, oldest first (as ``store.reports.history`` returns them).
        value_type: the indicator's value type, to show values the Vietnamese way.
        lang: "vi" or "en".
    """

    CONTEXT = "HistoryModel"
    COLUMNS = (
        QT_TRANSLATE_NOOP("HistoryModel", "Thời gian"),
        QT_TRANSLATE_NOOP("HistoryModel", "Người sửa"),
        QT_TRANSLATE_NOOP("HistoryModel", "Cũ → mới"),
        QT_TRANSLATE_NOOP("HistoryModel", "Cách nhập"),
    )

    def __init__(
        self, entries: Sequence[ChangeEntry], value_type: str, lang: str = "vi", parent=None
    ) -> None:
        super().__init__(parent)
        self._rows = list(reversed(entries))
        self._vtype = value_type
        self._lang = lang

    def show(self, value: str | None) -> str:
        return format_value(value, self._vtype, self._lang) if value is not None else self.tr("(trống)")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        e = self._rows[index.row()]
        col = index.column()
        if col == 0:
            return local_time_label(e.at, self._lang)
        if col == 1:
            return e.who
        if col == 2:
            return f"{self.show(e.old)} → {self.show(e.new)}"
        return self.tr(_KIND_NAMES.get(e.kind, e.kind))


class HistoryDialog(QDialog):
    """Read-only list of a cell's changes."""

    def __init__(
        self,
        where: str,
        entries: Sequence[ChangeEntry],
        value_type: str,
        lang: str = "vi",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Lịch sử giá trị"))
        self.resize(560, 320)
        self.model = HistoryModel(entries, value_type, lang, self)
        title = QLabel(self.tr("Các lần thay đổi ô %1, mới nhất ở trên:").replace("%1", where), self)
        title.setWordWrap(True)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        empty = QLabel(self.tr("Ô này chưa từng được nhập."), self)
        empty.setVisible(not entries)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Đóng"))
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(self.view)
        lay.addWidget(empty)
        lay.addWidget(buttons)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        where: str,
        entries: Sequence[ChangeEntry],
        value_type: str,
        lang: str = "vi",
    ) -> None:
        """Show the history of one cell until the officer closes it."""
        cls(where, entries, value_type, lang, parent).exec()
