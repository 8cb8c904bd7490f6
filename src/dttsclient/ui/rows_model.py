"""The base of the GUI's read-only list models: plain rows fed with :meth:`RowsTableModel.set_rows`.

A subclass names its translation ``CONTEXT`` and its column headers ``COLUMNS`` (source strings marked
with ``QT_TRANSLATE_NOOP(CONTEXT, …)`` so lupdate finds them) and implements ``data``. The model never
queries anything: the owner hands it the rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class RowsTableModel(QAbstractTableModel):
    """A flat, read-only table of rows; one column per entry of ``COLUMNS``.

    Class attributes:
        CONTEXT: the translation context of the headers (the subclass's name, as lupdate records it).
        COLUMNS: the untranslated (Vietnamese) column headers.

    Args:
        parent: the Qt parent.
    """

    CONTEXT: ClassVar[str] = ""
    COLUMNS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: Iterable[Any]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        """A copy of the rows, in display order."""
        return list(self._rows)

    def row_at(self, row: int) -> Any:
        """The row shown at position ``row``."""
        return self._rows[row]

    def row_of(self, index: Index) -> Any | None:
        """The row of a model index, or None when the index is invalid or out of range."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return QCoreApplication.translate(self.CONTEXT, self.COLUMNS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
