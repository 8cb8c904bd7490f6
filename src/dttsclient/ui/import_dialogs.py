"""The questions of the USB actions, with texts the project sets (never Qt's English Yes/No).

* :class:`Question` — a yes/no question whose buttons say what happens ("Nhập vào biểu BM04" /
  "Không nhập"); the safe answer is the default and Esc.
* :class:`ChangesDialog` — before an import changes a finalized (or sent) report: the cells that will
  change, old → new, in a table (indicator, breakdown, old value, new value); "Không nhập" is the default.

Both have an ``ask(...)`` classmethod, so a test replaces one method.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from dttsclient.usb.xlsx_import import CellChange


class Question:
    """A question with two buttons whose texts say what each does; the second (refusing) is the default."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str, yes_text: str, no_text: str) -> bool:
        """True when the officer pressed ``yes_text``; Enter, Esc and closing the box mean ``no_text``."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
        yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
        no = box.addButton(no_text, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)
        box.setEscapeButton(no)
        box.exec()
        return box.clickedButton() is yes


class ChangesDialog(QDialog):
    """The cells an import will change in a finalized report, to confirm before anything changes.

    Args:
        intro: what happens (the report is finalized / sent; it becomes a draft again).
        changes: the cells, in the order of the form.
        lang: "vi" or "en" (indicator and option names).
    """

    def __init__(
        self, parent: QWidget | None, intro: str, changes: Sequence[CellChange], lang: str = "vi"
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Nhập vào báo cáo đã chốt"))
        layout = QVBoxLayout(self)
        label = QLabel(intro)
        label.setWordWrap(True)
        layout.addWidget(label)
        empty = self.tr("(trống)")
        self.table = QTableWidget(len(changes), 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Chỉ tiêu"), self.tr("Phân tổ"), self.tr("Giá trị cũ"), self.tr("Giá trị mới")]
        )
        for r, change in enumerate(changes):
            texts = [
                f"{change.code} {change.indicator(lang)}",
                change.breakdown(lang),
                change.old_text or empty,
                change.new_text or empty,
            ]
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(self)
        self.yes_button: QPushButton = buttons.addButton(
            self.tr("Nhập và đưa về bản nháp"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.no_button: QPushButton = buttons.addButton(
            self.tr("Không nhập"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.yes_button.setAutoDefault(False)
        self.no_button.setDefault(True)
        self.no_button.setFocus()
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(820, 420)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()  # the columns have their real widths only now

    @classmethod
    def ask(cls, parent: QWidget | None, intro: str, changes: Sequence[CellChange], lang: str = "vi") -> bool:
        """True when the officer confirmed these changes."""
        dialog = cls(parent, intro, changes, lang)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
