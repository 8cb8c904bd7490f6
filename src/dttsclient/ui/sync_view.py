"""The Sync page: progress with cancel, per-item results, "Cần xử lý", conflicts and returned reports.

The view holds no store: the main window feeds it plain rows and acts on its signals (edit, export,
discard, compare). :class:`ConflictDialog` shows the officer's version and the server's side by side.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dttsclient.ui.i18n import current_lang
from dttsclient.ui.outbox_model import OutboxModel, OutboxRow
from dttsclient.ui.rows_model import Index, RowsTableModel
from dttscore.periods import period_label

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReturnedRow:
    """A report the reviewer returned, with the comment."""

    report_id: int
    form: str
    period: str
    comment: str
    by: str = ""


@dataclass(frozen=True)
class DiffRow:
    """One cell in the conflict view."""

    indicator: str
    name: str
    disagg: str
    mine: str | None
    server: str | None

    @property
    def differs(self) -> bool:
        return self.mine != self.server


class ConflictModel(RowsTableModel):
    """Columns: indicator, breakdown, my value, the server's value; differing rows are tinted."""

    CONTEXT = "ConflictModel"
    COLUMNS = (
        QT_TRANSLATE_NOOP("ConflictModel", "Chỉ tiêu"),
        QT_TRANSLATE_NOOP("ConflictModel", "Phân tổ"),
        QT_TRANSLATE_NOOP("ConflictModel", "Bản trên máy này"),
        QT_TRANSLATE_NOOP("ConflictModel", "Bản trên máy chủ"),
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: DiffRow | None = self.row_of(index)
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (f"{row.indicator} {row.name}".strip(), row.disagg, row.mine or "—", row.server or "—")[
                index.column()
            ]
        if role == Qt.ItemDataRole.BackgroundRole and row.differs:
            return QBrush(QColor("#fff4d6"))
        return None


class ConflictDialog(QDialog):
    """Both versions of a report side by side; the officer keeps one.

    Args:
        title: which report ("BM01 — Quý 3/2026").
        rows: every cell that exists in either version.
        server_revision: the server's revision number shown.
        parent: the owning window.
    """

    def __init__(
        self, title: str, rows: list[DiffRow], server_revision: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Hai bản khác nhau: %1").replace("%1", title))
        self.choice: str | None = None
        layout = QVBoxLayout(self)
        differing = sum(1 for r in rows if r.differs)
        intro = QLabel(
            self.tr(
                "Báo cáo này trên máy chủ (lần %1) khác với bản trên máy này ở %2 ô (tô màu). "
                "Không có bản nào bị ghi đè: hãy xem rồi chọn giữ bản nào. Nếu chưa chắc, bấm «Để sau» "
                "và hỏi cán bộ tỉnh."
            )
            .replace("%1", str(server_revision))
            .replace("%2", str(differing))
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = ConflictModel(self)
        self.model.set_rows(rows)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox()
        mine = buttons.addButton(self.tr("Giữ bản trên máy này"), QDialogButtonBox.ButtonRole.ActionRole)
        server = buttons.addButton(self.tr("Dùng bản trên máy chủ"), QDialogButtonBox.ButtonRole.ActionRole)
        later = buttons.addButton(self.tr("Để sau"), QDialogButtonBox.ButtonRole.RejectRole)
        mine.clicked.connect(lambda: self._choose("local"))
        server.clicked.connect(lambda: self._choose("server"))
        later.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 480)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(
        cls, title: str, rows: list[DiffRow], server_revision: int, parent: QWidget | None = None
    ) -> str | None:
        """ "local", "server", or None (decide later)."""
        dialog = cls(title, rows, server_revision, parent)
        dialog.exec()
        return dialog.choice


def _table(model: QAbstractTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(True)
    return view


class SyncView(QWidget):
    """Progress, results and the lists that need the officer.

    Signals:
        cancelRequested(): the officer pressed "Dừng".
        editRequested(int): open this report for editing.
        exportRequested(str): save this submission to a file.
        discardRequested(str): drop this rejected submission (after confirming).
        compareRequested(int, str): show both versions of this report (report id, submission id or "").
        courierRequested(): export the unsent reports as a courier bundle (the way forward offline).
    """

    cancelRequested = Signal()
    editRequested = Signal(int)
    exportRequested = Signal(str)
    discardRequested = Signal(str)
    compareRequested = Signal(int, str)
    courierRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.status = QLabel(self.tr("Bấm «Đồng bộ» để gửi các báo cáo đã chốt và nhận phản hồi của tỉnh."))
        self.status.setWordWrap(True)
        top.addWidget(self.status, 1)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        top.addWidget(self.progress)
        self.cancel_button = QPushButton(self.tr("Dừng"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancelRequested)
        top.addWidget(self.cancel_button)
        self.courier_button = QPushButton(self.tr("Xuất gói chuyển tay…"))
        self.courier_button.setToolTip(
            self.tr("Ghi các báo cáo chưa gửi ra một tệp (USB) để gửi từ nơi có mạng.")
        )
        self.courier_button.hide()
        self.courier_button.clicked.connect(self.courierRequested)
        top.addWidget(self.courier_button)
        layout.addLayout(top)

        self.results_model = OutboxModel(self)
        self.results_view = _table(self.results_model)
        layout.addWidget(self._group(self.tr("Kết quả lần đồng bộ này"), self.results_view), 2)

        self.attention_model = OutboxModel(self)
        self.attention_view = _table(self.attention_model)
        self.edit_button = QPushButton(self.tr("Sửa báo cáo"))
        self.export_button = QPushButton(self.tr("Xuất ra tệp…"))
        self.discard_button = QPushButton(self.tr("Bỏ bản nộp này"))
        self.edit_button.clicked.connect(self._edit_attention)
        self.export_button.clicked.connect(
            lambda: self._emit_selected(self.attention_view, self.exportRequested)
        )
        self.discard_button.clicked.connect(
            lambda: self._emit_selected(self.attention_view, self.discardRequested)
        )
        self.attention_box = self._group(
            self.tr("Cần xử lý — máy chủ chưa nhận các bản này (các báo cáo khác vẫn được gửi)"),
            self.attention_view,
            [self.edit_button, self.export_button, self.discard_button],
        )
        layout.addWidget(self.attention_box, 2)

        self.conflict_model = OutboxModel(self)
        self.conflict_view = _table(self.conflict_model)
        self.compare_button = QPushButton(self.tr("Xem hai bản…"))
        self.compare_button.clicked.connect(self._compare)
        self.conflict_box = self._group(
            self.tr("Xung đột — máy chủ giữ cả hai bản, cần chọn"), self.conflict_view, [self.compare_button]
        )
        layout.addWidget(self.conflict_box, 1)

        self.returned_list = QListWidget()
        self.returned_list.setWordWrap(True)
        self.returned_edit = QPushButton(self.tr("Sửa báo cáo"))
        self.returned_edit.clicked.connect(self._edit_returned)
        self.returned_box = self._group(
            self.tr("Bị trả lại — ý kiến của người duyệt"), self.returned_list, [self.returned_edit]
        )
        layout.addWidget(self.returned_box, 1)
        self.set_attention([])
        self.set_conflicts([])
        self.set_returned([])

    @staticmethod
    def _group(title: str, body: QWidget, buttons: list[QPushButton] | None = None) -> QGroupBox:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        layout.addWidget(body)
        if buttons:
            row = QHBoxLayout()
            row.addStretch(1)
            for b in buttons:
                row.addWidget(b)
            layout.addLayout(row)
        return box

    # -- feeding ------------------------------------------------------------------------------------
    def start(self) -> None:
        """A sync began: show an indeterminate bar and the cancel button."""
        self.status.setText(self.tr("Đang đồng bộ… Có thể tiếp tục nhập số liệu trong lúc chờ."))
        self.status.setStyleSheet("")
        self.courier_button.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()

    def set_progress(self, text: str, done: int | None = None, total: int | None = None) -> None:
        """Show the engine's latest step (``done`` of ``total`` when known)."""
        self.status.setText(text)
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done or 0, total))
        else:
            self.progress.setRange(0, 0)

    def cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.status.setText(self.tr("Đang dừng… (những gì đã gửi xong được giữ)"))

    def finish(
        self, text: str, rows: list[OutboxRow] | None = None, ok: bool = True, offer_courier: bool = False
    ) -> None:
        """A sync ended: hide the progress, show the summary and, when given, the per-item results.

        Args:
            text: the sentence to show.
            rows: the per-item results.
            ok: False shows the sentence in red.
            offer_courier: the hub could not be reached: offer the courier bundle as the way forward.
        """
        self.progress.hide()
        self.cancel_button.hide()
        self.courier_button.setVisible(offer_courier)
        self.status.setText(text)
        self.status.setStyleSheet("" if ok else "color: #9b1c1c;")
        if rows is not None:
            self.results_model.set_rows(rows)
            self.results_view.resizeColumnsToContents()

    def set_attention(self, rows: list[OutboxRow]) -> None:
        self.attention_model.set_rows(rows)
        self.attention_view.resizeColumnsToContents()
        self.attention_box.setVisible(bool(rows))
        if rows:
            self.attention_view.selectRow(0)

    def set_conflicts(self, rows: list[OutboxRow]) -> None:
        self.conflict_model.set_rows(rows)
        self.conflict_view.resizeColumnsToContents()
        self.conflict_box.setVisible(bool(rows))
        if rows:
            self.conflict_view.selectRow(0)

    def set_returned(self, rows: list[ReturnedRow]) -> None:
        self.returned_list.clear()
        for r in rows:
            who = f" ({r.by})" if r.by else ""
            text = self.tr("%1 · kỳ %2 — Ý kiến%3: %4")
            text = (
                text.replace("%1", r.form)
                .replace("%2", period_label(r.period, current_lang()))
                .replace("%3", who)
                .replace("%4", r.comment or "—")
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, r.report_id)
            self.returned_list.addItem(item)
        self.returned_box.setVisible(bool(rows))
        if rows:
            self.returned_list.setCurrentRow(0)

    # -- actions ------------------------------------------------------------------------------------
    @staticmethod
    def _selected(view: QTableView) -> OutboxRow | None:
        index = view.currentIndex()
        if not index.isValid():
            return None
        model = view.model()
        assert isinstance(model, OutboxModel)
        return model.row_at(index.row())

    def _emit_selected(self, view: QTableView, signal: Any) -> None:
        row = self._selected(view)
        if row is not None:
            signal.emit(row.submission_id)

    def _edit_attention(self) -> None:
        row = self._selected(self.attention_view)
        if row is not None:
            self.editRequested.emit(row.report_id)

    def _compare(self) -> None:
        row = self._selected(self.conflict_view)
        if row is not None:
            self.compareRequested.emit(row.report_id, row.submission_id)

    def _edit_returned(self) -> None:
        item = self.returned_list.currentItem()
        if item is not None:
            self.editRequested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
