"""The comment of one cell (ghi chú): write, change or remove it."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

logger = logging.getLogger(__name__)

MAX_COMMENT = 2000


class CommentDialog(QDialog):
    """Edit a cell's comment. Ctrl+Enter saves, Esc cancels; "Xoá ghi chú" removes it.

    Args:
        where: the cell, for people ("0102 · Tày · Nữ").
        text: the current comment ("" when none).
    """

    def __init__(self, where: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Ghi chú cho ô"))
        self.setMinimumWidth(420)
        self._removed = False
        label = QLabel(self.tr("Ghi chú cho ô %1 (gửi kèm báo cáo):").replace("%1", where), self)
        label.setWordWrap(True)
        self.edit = QPlainTextEdit(self)
        self.edit.setPlainText(text)
        self.edit.setTabChangesFocus(True)
        self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(self.tr("Lưu ghi chú"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.remove_button = buttons.addButton(
            self.tr("Xoá ghi chú"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        buttons.addButton(self.tr("Huỷ"), QDialogButtonBox.ButtonRole.RejectRole)
        self.remove_button.setEnabled(bool(text))
        self.save_button.clicked.connect(self.accept)
        self.remove_button.clicked.connect(self._remove)
        buttons.rejected.connect(self.reject)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, activated=self.accept)
        lay = QVBoxLayout(self)
        lay.addWidget(label)
        lay.addWidget(self.edit)
        lay.addWidget(buttons)
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _remove(self) -> None:
        self._removed = True
        self.accept()

    def result_text(self) -> str:
        """The comment to store: "" means remove it."""
        return "" if self._removed else self.edit.toPlainText().strip()[:MAX_COMMENT]

    @classmethod
    def ask(cls, parent: QWidget | None, where: str, text: str) -> str | None:
        """Ask for a cell's comment.

        Returns:
            The new comment, "" to remove it, or None when the officer cancelled.
        """
        dlg = cls(where, text, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return dlg.result_text()
