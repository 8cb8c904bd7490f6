"""The exception hook: a bug is logged in full and shown as a calm dialog that offers to copy details.

Expected failures (:class:`~dttscore.errors.DttsError`) never come here: screens turn them into
a sentence and a way forward. Anything else is a bug: the officer is told that nothing typed is lost
(every cell is saved when it is left) and can copy the details for the province's support staff.
"""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dttsclient import __version__

logger = logging.getLogger(__name__)

Hook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def details_text(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """The text "copy details" puts on the clipboard: versions and the full traceback, no user data."""
    lines = [
        f"DTTS Client {__version__}",
        f"Python {platform.python_version()} on {platform.platform()}",
        "",
        *traceback.format_exception(exc_type, exc, tb),
    ]
    return "\n".join(line.rstrip("\n") for line in lines)


class ErrorDialog(QDialog):
    """ "Something went wrong" with the details folded below and a "copy details" button.

    Args:
        details: the text shown in the details box and copied by the button.
        parent: the window to centre on.
    """

    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Phần mềm gặp lỗi"))
        self.details = details
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Phần mềm vừa gặp một lỗi ngoài dự kiến. Số liệu đã nhập vẫn an toàn: mỗi ô được lưu "
                "ngay khi rời khỏi ô.\n\nHãy bấm «Sao chép chi tiết» rồi gửi cho cán bộ hỗ trợ của tỉnh "
                "(dán vào thư hoặc tin nhắn). Sau đó có thể tiếp tục làm việc."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.details_box = QPlainTextEdit(details)
        self.details_box.setReadOnly(True)
        self.details_box.setMinimumHeight(160)
        layout.addWidget(self.details_box)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(self.tr("Sao chép chi tiết"))
        self.copy_button.clicked.connect(self.copy_details)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = QPushButton(self.tr("Đóng"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.AcceptRole)
        layout.addWidget(buttons)
        self.resize(560, 380)

    def copy_details(self) -> None:
        """Put the details on the clipboard and say so on the button."""
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText(self.tr("Đã sao chép ✓"))

    @classmethod
    def ask(cls, details: str, parent: QWidget | None = None) -> None:
        """Show the dialog modally (tests replace this one method)."""
        cls(details, parent).exec()


class ExceptionHook:
    """Installed as ``sys.excepthook`` while the GUI runs.

    Args:
        parent: returns the window the dialog should belong to (may return None).
        dialog: the dialog class whose :meth:`ErrorDialog.ask` shows the details.
    """

    def __init__(
        self, parent: Callable[[], QWidget | None] = lambda: None, dialog: type[ErrorDialog] = ErrorDialog
    ) -> None:
        self._parent = parent
        self._dialog = dialog
        self._showing = False
        self._previous: Hook | None = None
        self.last_details: str | None = None

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QCoreApplication.quit()
            return
        details = details_text(exc_type, exc, tb)
        self.last_details = details
        logger.error("unexpected error", exc_info=(exc_type, exc, tb))
        if self._showing or QApplication.instance() is None:
            # a second failure while the dialog is open (or no GUI): the log has it
            sys.__stderr__.write(details + "\n") if sys.__stderr__ else None
            return
        self._showing = True
        try:
            self._dialog.ask(details, self._parent())
        finally:
            self._showing = False

    def install(self) -> ExceptionHook:
        """Make this the process's ``sys.excepthook`` (the previous one is kept for :meth:`uninstall`)."""
        self._previous = sys.excepthook
        sys.excepthook = self
        return self

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self._previous or sys.__excepthook__


def report_bug(exc: BaseException) -> None:
    """Send ``exc`` to the installed hook (use in a background task's ``on_error`` for non-DttsError)."""
    sys.excepthook(type(exc), exc, exc.__traceback__)
