"""The head of the entry page: form, period and unit, completeness, jump-to-indicator, the buttons, and
the bar that explains a finalized or returned report."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from dttscore.refdata import fold

logger = logging.getLogger(__name__)


CODE_ROLE = Qt.ItemDataRole.UserRole + 1
_LIST_ROWS = 12  # rows of the jump list shown at once
_LIST_WIDTH = 620  # the jump list's width when the page is wide enough


class _WrapDelegate(QStyledItemDelegate):
    """Whole indicator names in the jump list: a long name wraps onto more lines instead of being cut."""

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:
        super().initStyleOption(option, index)
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        option.textElideMode = Qt.TextElideMode.ElideNone

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        view = self.parent()
        width = view.viewport().width() if isinstance(view, QListView) else option.rect.width()
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        rect = option.fontMetrics.boundingRect(
            QRect(0, 0, max(width - 12, 40), 10_000), int(Qt.TextFlag.TextWordWrap), text
        )
        return QSize(width, rect.height() + 8)


class FormHeader(QWidget):
    """The page head.

    Signals:
        jumpRequested(str): the officer picked an indicator code in the jump box.
        jumpCancelled(): Esc in the jump box (the grid takes the keys again).
        addEthRequested(): "+ Thêm dân tộc".
        finalizeClicked(): "Chốt báo cáo…".

    Args:
        title: "BM01 · Báo cáo …".
        subtitle: period and unit.
        indicators: (code, "code name") of every indicator of the page, for the jump box.
        can_add_eth: whether the report's ethnic-group rows are chosen by the officer.
    """

    jumpRequested = Signal(str)
    jumpCancelled = Signal()
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
        self._make_jump(indicators)
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

    # -- the jump box ----------------------------------------------------------------------------
    # A line edit and a list of the page's indicators under it. Typing filters the list (code or name,
    # no diacritics needed) and highlights the first match; Up/Down/PageUp/PageDown move the highlight;
    # Enter or a click goes to the highlighted indicator; Esc closes the list, a second Esc returns to
    # the grid. The list is a child of the page, not a popup window: it can be as wide as the page, and
    # a long name wraps onto a second line (and is the item's tooltip), so 0206 and 0207 never look alike.
    def _make_jump(self, indicators: Sequence[tuple[str, str]]) -> None:
        self.jump = QLineEdit(self)
        self.jump.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Ctrl+G; Tab stays in the grid
        self.jump.setFixedWidth(280)
        self.jump.setClearButtonEnabled(True)
        self.jump.setPlaceholderText(self.tr("Đi tới chỉ tiêu… (Ctrl+G)"))
        self.jump_model = QStandardItemModel(self)
        for code, label in indicators:
            item = QStandardItem(label)
            item.setData(code, CODE_ROLE)
            item.setToolTip(label)
            item.setEditable(False)
            self.jump_model.appendRow(item)
        self._folded = [fold(label) for _code, label in indicators]
        self.jump_list = QListView(self.parentWidget() or self)
        self.jump_list.setModel(self.jump_model)
        self.jump_list.setItemDelegate(_WrapDelegate(self.jump_list))
        self.jump_list.setUniformItemSizes(False)
        self.jump_list.setWordWrap(True)
        self.jump_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.jump_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.jump_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.jump_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.jump_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay in the box
        self.jump_list.setFrameShape(QFrame.Shape.Box)
        pal = self.jump_list.palette()  # the highlight shows although the box, not the list, has the focus
        for role in (QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText):
            pal.setColor(QPalette.ColorGroup.Inactive, role, pal.color(QPalette.ColorGroup.Active, role))
        self.jump_list.setPalette(pal)
        self.jump_list.hide()
        self.jump_list.clicked.connect(self._jump_to_index)
        self.jump.textEdited.connect(self._filter_jump)
        self.jump.installEventFilter(self)

    def focus_jump(self) -> None:
        self.jump.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.jump.selectAll()

    def jump_current(self) -> str | None:
        """The code of the highlighted indicator of the open jump list, or None."""
        cur = self.jump_list.currentIndex()
        if not self.jump_list.isVisible() or not cur.isValid() or self.jump_list.isRowHidden(cur.row()):
            return None
        return cur.data(CODE_ROLE)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.jump and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10, Qt.Key.Key_PageUp: -10}
            if key in steps:
                self._move_jump(steps[key])
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._jump_typed()
                return True
            if key == Qt.Key.Key_Escape:
                if self.jump_list.isVisible():
                    self.jump_list.hide()
                else:
                    self.jump.clear()
                    self.jumpCancelled.emit()
                return True
        elif obj is self.jump and event.type() == QEvent.Type.FocusOut:
            self.jump_list.hide()
        return super().eventFilter(obj, event)

    def _visible_rows(self) -> list[int]:
        return [r for r in range(self.jump_model.rowCount()) if not self.jump_list.isRowHidden(r)]

    def _filter_jump(self, text: str) -> None:
        """Keep the indicators whose code or name holds the typed text; highlight the first of them."""
        wanted = fold(text)
        for r, label in enumerate(self._folded):
            self.jump_list.setRowHidden(r, bool(wanted) and wanted not in label)
        rows = self._visible_rows()
        if rows:
            self.jump_list.setCurrentIndex(self.jump_model.index(rows[0], 0))
        self._show_jump_list(bool(rows))

    def _move_jump(self, step: int) -> None:
        rows = self._visible_rows()
        if not rows:
            return
        if not self.jump_list.isVisible():  # the first Down opens the list on its first indicator
            cur = self.jump_list.currentIndex()
            if not cur.isValid() or cur.row() not in rows:
                self.jump_list.setCurrentIndex(self.jump_model.index(rows[0 if step > 0 else -1], 0))
            self._show_jump_list(True)
            return
        cur = self.jump_list.currentIndex()
        at = rows.index(cur.row()) if cur.isValid() and cur.row() in rows else -1
        at = max(0, min(len(rows) - 1, at + step))
        self.jump_list.setCurrentIndex(self.jump_model.index(rows[at], 0))

    def _show_jump_list(self, show: bool) -> None:
        if not show:
            self.jump_list.hide()
            return
        page = self.jump_list.parentWidget()
        box = self.jump.mapTo(page, self.jump.rect().bottomRight())
        width = min(max(_LIST_WIDTH, self.jump.width()), page.width() - 8)
        left = max(4, min(box.x() - width, page.width() - width - 4))  # right edge under the box's
        self.jump_list.setGeometry(left, box.y() + 2, width, 100)
        self.jump_list.doItemsLayout()
        rows = self._visible_rows()
        height = sum(self.jump_list.sizeHintForRow(r) for r in rows[:_LIST_ROWS]) + 4
        self.jump_list.resize(width, max(24, min(height, page.height() - box.y() - 8)))
        self.jump_list.show()
        self.jump_list.raise_()
        self.jump_list.scrollTo(self.jump_list.currentIndex())

    def _jump_typed(self) -> None:
        """Enter in the jump box: the highlighted indicator, or the first one holding the typed text."""
        code = self.jump_current()
        wanted = fold(self.jump.text())
        if code is None and wanted:
            row = next((r for r, label in enumerate(self._folded) if wanted in label), None)
            code = None if row is None else self.jump_model.index(row, 0).data(CODE_ROLE)
        if code is not None:
            self._jump_code(code)

    def _jump_to_index(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.isValid():
            self._jump_code(index.data(CODE_ROLE))

    def _jump_code(self, code: str) -> None:
        self.jump_list.hide()
        self.jump.clear()
        self._filter_jump("")
        self.jump_list.hide()
        self.jumpRequested.emit(code)
