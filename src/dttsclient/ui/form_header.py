"""The head of the entry page: form, period and unit, completeness, jump-to-indicator, the buttons, and
the bar that explains a finalized or returned report."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from dttsclient.core.refdata import fold

logger = logging.getLogger(__name__)


class FormHeader(QWidget):
    """The page head.

    Signals:
        jumpRequested(str): the officer picked an indicator code in the jump box.
        addEthRequested(): "+ Thêm dân tộc".
        finalizeClicked(): "Chốt báo cáo…".

    Args:
        title: "BM01 · Báo cáo …".
        subtitle: period and unit.
        indicators: (code, "code name") of every indicator of the page, for the jump box.
        can_add_eth: whether the report's ethnic-group rows are chosen by the officer.
    """

    jumpRequested = Signal(str)
    addEthRequested = Signal()
    finalizeClicked = Signal()

    def __init__(
        self,
        title: str,
        subtitle: str,
        indicators: Sequence[tuple[str, str]],
        can_add_eth: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.title = QLabel(title, self)
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600; color: #1F3A56;")
        self.subtitle = QLabel(subtitle, self)
        self.subtitle.setStyleSheet("color: #5B6770;")
        for label in (self.title, self.subtitle):  # a long form name wraps instead of widening the window
            label.setWordWrap(True)
            label.setMinimumWidth(200)
        self.status = QLabel(self)
        self.status.setStyleSheet("color: #2E4A62;")
        # It changes with every write: it must not make the whole page lay itself out again.
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._codes = [code for code, _label in indicators]
        self.jump = QComboBox(self)
        self.jump.setEditable(True)
        self.jump.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Ctrl+G; Tab stays in the grid
        self.jump.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.jump.setFixedWidth(280)
        self.jump.addItems([label for _code, label in indicators])
        self.jump.setCurrentIndex(-1)
        self.jump.lineEdit().setPlaceholderText(self.tr("Đi tới chỉ tiêu… (Ctrl+G)"))
        completer = self.jump.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.jump.activated.connect(self._jump)
        self.jump.lineEdit().returnPressed.connect(self._jump_typed)
        self._folded = [fold(label) for _code, label in indicators]
        self.add_eth_button = QPushButton(self.tr("+ Thêm dân tộc"), self)
        self.add_eth_button.setToolTip(self.tr("Thêm dòng cho một dân tộc có trong xã (Ctrl+D)"))
        self.add_eth_button.setVisible(can_add_eth)
        self.add_eth_button.clicked.connect(lambda _checked=False: self.addEthRequested.emit())
        self.finalize_button = QPushButton(self.tr("Chốt báo cáo…"), self)
        self.finalize_button.setStyleSheet(
            "QPushButton { background: #2F6FB2; color: white; padding: 5px 14px; border-radius: 3px; }"
            "QPushButton:disabled { background: #B8C4CF; }"
        )
        self.finalize_button.clicked.connect(lambda _checked=False: self.finalizeClicked.emit())
        self.state_bar = QLabel(self)
        self.state_bar.setWordWrap(True)
        self.state_bar.setStyleSheet(
            "background: #FFF6E0; color: #5A4300; border: 1px solid #F0DBA8; border-radius: 3px;"
            " padding: 6px 8px;"
        )
        self.state_bar.hide()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        titles.addWidget(self.status)
        row = QHBoxLayout()
        row.addLayout(titles, 1)
        row.addWidget(self.jump)
        row.addWidget(self.add_eth_button)
        row.addWidget(self.finalize_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(row)
        lay.addWidget(self.state_bar)

    def set_status(self, text: str, tooltip: str = "") -> None:
        self.status.setText(text)
        self.status.setToolTip(tooltip)

    def set_state(self, lines: Sequence[str], can_finalize: bool, tooltip: str) -> None:
        """The state bar's lines (hidden when none) and whether Finalize can be pressed."""
        self.state_bar.setText("\n".join(lines))
        self.state_bar.setVisible(bool(lines))
        self.finalize_button.setEnabled(can_finalize)
        self.finalize_button.setToolTip(tooltip)

    def focus_jump(self) -> None:
        self.jump.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.jump.lineEdit().selectAll()

    def _jump_typed(self) -> None:
        """Enter in the jump box: the first indicator whose code or name holds the typed text."""
        wanted = fold(self.jump.lineEdit().text())
        if not wanted:
            return
        for index, label in enumerate(self._folded):
            if wanted in label:
                self._jump(index)
                return

    def _jump(self, index: int) -> None:
        if 0 <= index < len(self._codes):
            self.jumpRequested.emit(self._codes[index])
        self.jump.setCurrentIndex(-1)
