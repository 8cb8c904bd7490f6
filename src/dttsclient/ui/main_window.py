"""The main window: banner, period picker, form list with badges, data entry, the Sync page, status bar.

Collaborators come through the constructor: the GUI thread's :class:`~dttsclient.store.Store`, the
background runner (a serial profile lane and a parallel network lane, :mod:`.tasks`), the sync session
(whose sync runs on the profile lane with its own store; a ping runs on the network lane) and a factory
for the data-entry widget. The window never starts a thread and never blocks on the network.

Signals:
    switchProfileRequested(): the officer asked for another profile (allowed: nothing unsent).
    languageChanged(str): the officer chose another language; the app rebuilds the window.
    logoutDone(): the sign-in was forgotten (allowed: nothing unsent).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QModelIndex, QPoint, QRect, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dttsclient.store import Store, setting_keys
from dttsclient.ui import overview, usb_menu
from dttsclient.ui.about_dialog import AboutDialog
from dttsclient.ui.excepthook import report_bug
from dttsclient.ui.form_list_model import COMPLETENESS_ROLE, FormListModel, FormRow
from dttsclient.ui.outbox_model import row_from_item
from dttsclient.ui.profiles import leave_check
from dttsclient.ui.session import SyncSession, SyncSummary
from dttsclient.ui.settings_dialog import SettingsDialog, load_settings, save_settings
from dttsclient.ui.sync_view import ConflictDialog, SyncView
from dttsclient.ui.tasks import Lane, Runner
from dttscore.errors import DttsError
from dttscore.labels import environment_label, local_time_label
from dttscore.model import Catalog
from dttscore.periods import period_label

logger = logging.getLogger(__name__)

FormViewFactory = Callable[[Store, int, str, QWidget], QWidget]
AUTO_SYNC_INTERVAL_MS = 3 * 60 * 1000
DEFAULT_SIZE = (1200, 760)
# What a window manager adds around the window (title bar, borders): unknown before the first show, so
# the first placement leaves this much room; once shown, the real frame is used.
FRAME_ALLOWANCE = (16, 48)
DUE_NOW = "due"  # the period picker's first entry: every form, each with the period due now


@dataclass(frozen=True)
class ViewState:
    """What a rebuilt window keeps (a language switch): the geometry (with the maximized state), the
    period picked, the tab, the open report and its current cell."""

    geometry: QByteArray
    period: str | None = None
    tab: int = 0
    report_id: int | None = None
    cell: tuple[int, int] | None = None


def default_form_view(store: Store, report_id: int, lang: str, parent: QWidget) -> QWidget:
    """The real data-entry widget."""
    from dttsclient.ui.form_view import FormView

    return FormView(store, report_id, lang=lang, parent=parent)


class CompletenessDelegate(QStyledItemDelegate):
    """Draws the completeness column as a thin bar under the "7/12" text."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().paint(painter, option, index)
        fraction = index.data(COMPLETENESS_ROLE)
        if fraction is None:
            return
        r = option.rect
        bar = QRect(r.left() + 6, r.bottom() - 6, max(0, r.width() - 12), 4)
        painter.save()
        painter.fillRect(bar, Qt.GlobalColor.lightGray)
        done = QRect(bar.left(), bar.top(), int(bar.width() * float(fraction)), bar.height())
        painter.fillRect(done, Qt.GlobalColor.darkGreen if fraction >= 1 else Qt.GlobalColor.darkCyan)
        painter.restore()


class MainWindow(QMainWindow):
    """See the module docstring."""

    switchProfileRequested = Signal()
    languageChanged = Signal(str)
    logoutDone = Signal()

    def __init__(
        self,
        store: Store,
        runner: Runner,
        session: SyncSession | None = None,
        *,
        lang: str = "vi",
        form_view_factory: FormViewFactory = default_form_view,
        demo_banner: str | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.session = session
        self.lang = lang
        self._form_view_factory = form_view_factory
        self._today = today or date.today()
        self._demo_banner = demo_banner
        self._cancel: threading.Event | None = None
        self._environment: str | None = None
        self._online: bool | None = None
        self._online_at: datetime | None = None
        self._quiet = False
        self._takeover = False
        self.form_view: QWidget | None = None
        self._open_form = ""
        self._closing = False
        self.catalog: Catalog | None = store.catalogs.current_catalog()
        self.setWindowTitle(self.tr("DTTS — Báo cáo chỉ tiêu thống kê công tác dân tộc"))
        self._build()
        self._build_menus()
        self.refresh()
        self.auto_timer = QTimer(self)
        self.auto_timer.setInterval(AUTO_SYNC_INTERVAL_MS)
        self.auto_timer.timeout.connect(self._auto_ping)
        self.apply_auto_sync(bool(load_settings(store)[setting_keys.AUTO_SYNC]))
        self._placed = False
        geometry = self._window_settings().value("main/geometry")
        if not (isinstance(geometry, QByteArray) and self.restore_geometry(geometry)):
            self.fit_to_screen()

    # -- building -----------------------------------------------------------------------------------
    def _build(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(8, 6, 8, 4)
        self.demo_label = QLabel()
        self.demo_label.setStyleSheet(
            "background:#b45309;color:white;font-weight:bold;padding:4px 8px;border-radius:3px;"
        )
        self.demo_label.setWordWrap(True)  # long lines wrap: the window fits a small screen
        self.demo_label.setVisible(bool(self._demo_banner))
        if self._demo_banner:
            self.demo_label.setText(
                getattr(self._demo_banner, "en", self._demo_banner)
                if self.lang == "en"
                else self._demo_banner
            )
        outer.addWidget(self.demo_label)
        self.banner = QLabel()
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background:#eef3f8;padding:6px 8px;border-radius:3px;")
        outer.addWidget(self.banner)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Kỳ báo cáo:")))
        self.period_combo = QComboBox()
        self.period_combo.setMinimumWidth(200)
        self.period_combo.currentIndexChanged.connect(self._period_changed)
        bar.addWidget(self.period_combo)
        self.deadline_label = QLabel()
        self.deadline_label.setWordWrap(True)
        bar.addWidget(self.deadline_label, 1)
        self.sync_button = QPushButton(self.tr("Đồng bộ"))
        self.sync_button.setToolTip(
            self.tr("Gửi các báo cáo đã chốt, nhận phản hồi và danh mục mới. Bấm lại lúc nào cũng an toàn.")
        )
        self.sync_button.setMinimumWidth(120)
        self.sync_button.setStyleSheet("font-weight:bold;padding:5px 14px;")
        self.sync_button.clicked.connect(lambda: self.start_sync())
        bar.addWidget(self.sync_button)
        outer.addLayout(bar)

        self.tabs = QTabWidget()
        self.form_model = FormListModel(self._today, self)
        self.form_table = QTableView()
        self.form_table.setModel(self.form_model)
        self.form_table.setItemDelegateForColumn(
            FormListModel.COL_COMPLETE, CompletenessDelegate(self.form_table)
        )
        self.form_table.verticalHeader().hide()
        self.form_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.form_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.form_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.form_table.setWordWrap(False)
        header = self.form_table.horizontalHeader()
        header.setSectionResizeMode(FormListModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.form_table.verticalHeader().setDefaultSectionSize(34)
        self.form_table.activated.connect(self._form_activated)
        self.form_table.doubleClicked.connect(self._form_activated)
        list_page = QWidget()
        list_layout = QVBoxLayout(list_page)
        list_layout.addWidget(self.form_table)
        hint = QLabel(self.tr("Nháy đúp vào một biểu (hoặc chọn rồi bấm Enter) để nhập số liệu."))
        hint.setStyleSheet("color:#555;")
        list_layout.addWidget(hint)
        self.tabs.addTab(list_page, self.tr("Các biểu của kỳ"))
        self.list_page = list_page
        self.entry_page = QWidget()
        self.entry_layout = QVBoxLayout(self.entry_page)
        self.entry_layout.setContentsMargins(0, 0, 0, 0)
        self.entry_hint = QLabel(
            self.tr("Chưa mở biểu nào. Hãy chọn một biểu trong danh sách các biểu của kỳ.")
        )
        self.entry_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.entry_hint.setWordWrap(True)
        self.entry_layout.addWidget(self.entry_hint)
        self.tabs.addTab(self.entry_page, self.tr("Nhập số liệu"))
        self.sync_view = SyncView()
        self.sync_view.cancelRequested.connect(self.cancel_sync)
        self.sync_view.editRequested.connect(self.open_report)
        self.sync_view.exportRequested.connect(self.export_submission)
        self.sync_view.discardRequested.connect(self.discard_submission)
        self.sync_view.compareRequested.connect(self.compare_versions)
        self.sync_view.courierRequested.connect(self.export_courier)
        self.tabs.addTab(self.sync_view, self.tr("Đồng bộ"))
        outer.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.outbox_label = QLabel()
        self.last_sync_label = QLabel()
        self.connection_label = QLabel()
        for w in (self.outbox_label, self.last_sync_label):
            self.statusBar().addWidget(w)
        self.statusBar().addPermanentWidget(self.connection_label)

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Tệp"))
        self.file_menu = menu
        menu.aboutToShow.connect(self.update_account_actions)
        self.profile_action = QAction(self.tr("Đổi hồ sơ…"), self)
        self.profile_action.triggered.connect(self.request_switch_profile)
        menu.addAction(self.profile_action)
        self.login_action = QAction(self.tr("Đăng nhập…"), self)
        self.login_action.triggered.connect(self.sign_in)
        menu.addAction(self.login_action)
        self.logout_action = QAction(self.tr("Đăng xuất"), self)
        self.logout_action.triggered.connect(self.request_logout)
        menu.addAction(self.logout_action)
        menu.addSeparator()
        settings = QAction(self.tr("Cài đặt…"), self)
        settings.triggered.connect(self.open_settings)
        menu.addAction(settings)
        menu.addSeparator()
        quit_action = QAction(self.tr("Thoát"), self)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        self.usb = usb_menu.build(self)
        help_menu = self.menuBar().addMenu(self.tr("Trợ &giúp"))
        self.help_action = QAction(self.tr("Hướng dẫn sử dụng"), self)
        self.help_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.help_action.triggered.connect(self.show_help)
        help_menu.addAction(self.help_action)
        about = QAction(self.tr("Giới thiệu…"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    # -- refreshing ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read everything shown from the GUI thread's store (after a sync or a restore)."""
        self.catalog = self.store.catalogs.current_catalog()
        self._fill_periods()
        self.refresh_forms()
        self.refresh_banner()
        self.refresh_status()
        self.refresh_sync_lists()

    def _fill_periods(self) -> None:
        """The picker: first "the forms due now" (each form with its own period), then every period —
        years, halves, quarters, months — latest first."""
        current = self.period_combo.currentData()
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        if self.catalog is not None:
            self.period_combo.addItem(self.tr("Các biểu đến hạn nộp"), DUE_NOW)
            self.period_combo.setItemData(
                0,
                self.tr("Mỗi biểu với kỳ vừa kết thúc của nó (tháng, quý, 6 tháng, năm)"),
                Qt.ItemDataRole.ToolTipRole,
            )
            self.period_combo.insertSeparator(1)
            for p in overview.period_choices(self.catalog, self._today):
                self.period_combo.addItem(p.label(self.lang), p.code)
            self.period_combo.setCurrentIndex(max(0, self.period_combo.findData(current or DUE_NOW)))
        self.period_combo.blockSignals(False)

    def _period_changed(self, _index: int) -> None:
        self.refresh_forms()

    def current_period(self) -> str | None:
        """The period code picked, :data:`DUE_NOW` for the forms due now, None before a catalogue."""
        return self.period_combo.currentData()

    def set_period(self, code: str) -> None:
        index = self.period_combo.findData(code)
        if index < 0:
            from dttscore.periods import parse_period

            p = parse_period(code)
            self.period_combo.addItem(p.label(self.lang), p.code)
            index = self.period_combo.count() - 1
        self.period_combo.setCurrentIndex(index)

    def _show_period_of(self, form: str, period_code: str) -> None:
        """Move the picker so that the form list shows ``form`` of ``period_code``."""
        if self.catalog is None:
            return
        if any(r.form == form and r.period == period_code for r in self.form_model.rows()):
            return
        self.set_period(period_code)

    def refresh_forms(self) -> None:
        unit = self.store.settings.profile().unit
        code = self.current_period()
        if self.catalog is None or not unit or not code:
            self.form_model.set_rows([])
            self.deadline_label.setText(
                self.tr("Chưa có danh mục chỉ tiêu — hãy đồng bộ.") if self.catalog is None else ""
            )
            return
        from dttscore.periods import parse_period

        anchor = None if code == DUE_NOW else parse_period(code)
        rows = overview.form_rows(self.store, self.catalog, unit, anchor, self.lang, self._today)
        self.form_model.set_rows(rows, self._today)
        self.form_table.resizeColumnToContents(FormListModel.COL_PERIOD)
        self.form_table.resizeColumnToContents(FormListModel.COL_BADGE)
        self.form_table.resizeColumnToContents(FormListModel.COL_DEADLINE)
        self.deadline_label.setText(self._deadline_summary(rows))

    def _deadline_summary(self, rows: list[FormRow]) -> str:
        open_rows = [r for r in rows if r.badge not in ("accepted", "late", "queued", "sending")]
        if not open_rows:
            return "  " + self.tr("Đã gửi đủ các biểu của kỳ này.") if rows else ""
        nearest = min(r.deadline for r in open_rows)
        days = (nearest - self._today).days
        when = nearest.strftime("%d/%m/%Y")
        if days > 0:
            text = self.tr("Hạn nộp %1: còn %2 ngày").replace("%1", when).replace("%2", str(days))
            style = "color:#8a4b00;" if days <= 7 else ""
        elif days == 0:
            text = self.tr("Hạn nộp %1: hôm nay").replace("%1", when)
            style = "color:#9b1c1c;font-weight:bold;"
        else:
            text = (
                self.tr("Đã quá hạn nộp %1 được %2 ngày (vẫn gửi được, ghi nhận là nộp muộn)")
                .replace("%1", when)
                .replace("%2", str(-days))
            )
            style = "color:#9b1c1c;"
        self.deadline_label.setStyleSheet(style)
        return "  " + text

    def refresh_banner(self) -> None:
        p = self.store.settings.profile()
        commune = p.unit_name or self.tr("chưa gắn xã")
        parts = [f"<b>{commune}</b>" + (f" ({p.unit})" if p.unit else "")]
        if p.server_url:
            server = self.tr("Máy chủ: %1").replace("%1", p.server_url)
            if self._environment:
                server += f" · <i>{environment_label(self._environment, self.lang)}</i>"
            parts.append(server)
        else:
            parts.append(self.tr("Chưa kết nối máy chủ"))
        if p.username:
            parts.append(self.tr("Cán bộ: %1").replace("%1", p.username))
        if self.catalog is not None:
            cat = (
                self.tr("Danh mục: %1 (phiên bản %2)")
                .replace("%1", self.catalog.title)
                .replace("%2", str(self.catalog.version))
            )
            if self.catalog.sample:
                badge = self.tr("MẪU")
                cat += f" <span style='background:#b45309;color:white;padding:0 4px'>{badge}</span>"
            parts.append(cat)
        self.banner.setText(" &nbsp;·&nbsp; ".join(parts))

    def refresh_status(self) -> None:
        info = overview.status_info(self.store)
        text = self.tr("Chờ gửi: %1").replace("%1", str(info.unsent))
        if info.attention:
            text += "  ·  " + self.tr("Cần xử lý: %1").replace("%1", str(info.attention))
        self.outbox_label.setText(text)
        if info.last_sync:
            when = local_time_label(info.last_sync, self.lang)
            if info.last_ok:
                text = self.tr("Đồng bộ gần nhất: %1")
            else:
                text = self.tr("Lần đồng bộ gần nhất chưa xong: %1")
            self.last_sync_label.setText(text.replace("%1", when))
        else:
            self.last_sync_label.setText(self.tr("Chưa đồng bộ lần nào"))
        # what the last contact with the hub showed, and when (never a guess)
        at = self._online_at.strftime("%H:%M") if self._online_at is not None else ""
        if self._online is None:
            self.connection_label.setText(self.tr("Kết nối: chưa rõ"))
            self.connection_label.setToolTip("")
        elif self._online:
            self.connection_label.setText(self.tr("● Có kết nối (%1)").replace("%1", at))
            self.connection_label.setToolTip(self.tr("Lần liên lạc gần nhất với máy chủ thành công."))
        else:
            self.connection_label.setText(self.tr("○ Không kết nối được (%1)").replace("%1", at))
            self.connection_label.setToolTip(
                self.tr("Lần liên lạc gần nhất với máy chủ không thành công. Dữ liệu vẫn an toàn trên máy.")
            )

    def _contact(self, online: bool) -> None:
        """Record what a contact with the hub showed (a sync, a ping), stamped with the time."""
        self._online = online
        self._online_at = datetime.now()

    def refresh_sync_lists(self) -> None:
        self.sync_view.set_attention(overview.attention_rows(self.store, self.lang))
        self.sync_view.set_conflicts(overview.conflict_rows(self.store, self.lang))
        self.sync_view.set_returned(overview.returned_rows(self.store))

    # -- data entry ---------------------------------------------------------------------------------
    def _form_activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = self.form_model.row_at(index.row())
        unit = self.store.settings.profile().unit
        if not unit:
            return
        try:
            report = self.store.reports.report(unit, row.form, row.period, create=True)
        except DttsError as exc:
            self.say(exc.text(self.lang))
            return
        assert report is not None
        self.open_report(report.id)

    def open_report(self, report_id: int) -> None:
        """Show the data-entry widget of a report in the entry tab."""
        report = self.store.reports.report_by_id(report_id)
        if report.catalog_id is not None and report.catalog_version is not None:
            try:  # a pulled report whose catalogue version could not be fetched yet: say so, open nothing
                self.store.catalogs.catalog_version(report.catalog_id, report.catalog_version)
            except DttsError as exc:
                self.say(exc.text(self.lang))
                return
        self._show_period_of(report.form, report.period)
        if self.form_view is not None:
            self.entry_layout.removeWidget(self.form_view)
            self.form_view.deleteLater()
        self.entry_hint.hide()
        self._open_form = f"{report.form} · {period_label(report.period, self.lang)}"
        self._problems_changed(0, 0)
        view = self._form_view_factory(self.store, report_id, self.lang, self.entry_page)
        set_gate = getattr(view, "set_write_gate", None)
        if callable(set_gate):
            set_gate(self.runner)  # cell writes wait in line behind a restore or an import
        self.form_view = view
        self.entry_layout.insertWidget(0, view, 1)
        for name, slot in (
            ("changed", self._form_changed),
            ("problemsChanged", self._problems_changed),
            ("finalized", self._finalized),
        ):
            signal = getattr(view, name, None)
            if signal is not None:
                signal.connect(slot)
        self.tabs.setCurrentWidget(self.entry_page)
        for row_no, row in enumerate(self.form_model.rows()):
            if row.report_id == report_id or (row.form == report.form and row.period == report.period):
                self.form_table.selectRow(row_no)
        view.setFocus()

    def _form_changed(self) -> None:
        self.refresh_forms()
        self.refresh_status()

    def _problems_changed(self, errors: int, warnings: int) -> None:
        title = self.tr("Nhập số liệu")
        if self._open_form:
            title += f" — {self._open_form}"
        if errors or warnings:
            title += " " + self.tr("(%1 lỗi, %2 cảnh báo)").replace("%1", str(errors)).replace(
                "%2", str(warnings)
            )
        self.tabs.setTabText(self.tabs.indexOf(self.entry_page), title)

    def _finalized(self, _submission: object) -> None:
        """The entry widget's finalize dialog made a submission: it is in the outbox now."""
        self.refresh_forms()
        self.refresh_status()

    # -- sync ---------------------------------------------------------------------------------------
    @property
    def syncing(self) -> bool:
        return self._cancel is not None

    def start_sync(self, quiet: bool = False) -> bool:
        """Run one sync in the background; False when there is no session or one is running.

        The officer's sync takes over from a quiet (auto-sync) one: the quiet sync, which may be waiting
        patiently on a bad link, is stopped and the officer's own starts as soon as it has.
        """
        if self.session is None:
            self.say(self.tr("Hồ sơ này chưa kết nối máy chủ. Hãy đăng nhập trong phần Cài đặt ban đầu."))
            return False
        if not quiet and self._cancel is None and not self.signed_in() and not self.sign_in():
            return False  # signed out: the officer signs in first (or chose "Để sau")
        if self._cancel is not None:
            if not (self._quiet and not quiet) or self._takeover:
                return False
            self._takeover = True
            self._cancel.set()
            self.sync_button.setEnabled(False)
            self.sync_button.setText(self.tr("Đang đồng bộ…"))
            self.tabs.setCurrentWidget(self.sync_view)
            self.sync_view.start()
            return True
        from dttsclient.sync.transport import CancelEvent

        self._cancel = CancelEvent()
        self._quiet = quiet
        self.sync_button.setEnabled(quiet)  # a quiet sync gives way to the officer's (see above)
        if not quiet:
            self.sync_button.setText(self.tr("Đang đồng bộ…"))
            self.tabs.setCurrentWidget(self.sync_view)
        self.sync_view.start()
        cancel = self._cancel
        session = self.session
        # the auto-sync timer's sync retries transient faults patiently; the officer's own sync answers
        # in seconds (see dttsclient.sync.transport)
        self.runner.run_task(
            lambda progress: session.sync(progress, cancel, background=quiet),
            self._sync_done,
            self._sync_failed,
            on_progress=self._sync_progress,
            lane=Lane.PROFILE,
        )
        return True

    def cancel_sync(self) -> None:
        """Dừng: stop the sync's waits and its request in flight (the worker returns within a moment)."""
        if self._cancel is not None:
            self.sync_view.cancelling()
            self._cancel.set()

    def _sync_progress(self, value: Any) -> None:
        text, done, total = value if isinstance(value, tuple) else (str(value), None, None)
        self.sync_view.set_progress(text, done, total)

    def _sync_ended(self) -> bool:
        """The worker returned; True when the officer's sync is to take over from the quiet one."""
        self._cancel = None
        self.sync_button.setEnabled(True)
        self.sync_button.setText(self.tr("Đồng bộ"))
        takeover, self._takeover = self._takeover, False
        return takeover and not self._closing

    def _sync_done(self, summary: SyncSummary) -> None:
        takeover = self._sync_ended()
        if self._closing:
            return
        self._contact(True)
        if summary.environment:
            self._environment = summary.environment
        rows = []
        for sid in summary.submission_ids:
            try:
                item = next(i for i in self.store.outbox.items() if i.submission_id == sid)
            except StopIteration:
                continue
            rows.append(row_from_item(item, self.lang))
        self.sync_view.finish(summary.text(self.lang), rows, ok=not summary.attention)
        self.refresh()
        if takeover:
            self.start_sync()

    def _sync_failed(self, exc: BaseException) -> None:
        takeover = self._sync_ended()
        if self._closing:
            return
        from dttsclient.sync.errors import AuthRequired, Cancelled, NoConnection, NotLoggedIn, SyncError

        if takeover and isinstance(exc, Cancelled):
            self.start_sync()  # the quiet sync gave way: the officer's own starts now
            return
        if not isinstance(exc, DttsError):
            self.sync_view.finish(self.tr("Đồng bộ dừng vì một lỗi ngoài dự kiến."), ok=False)
            report_bug(exc)
            return
        offline = isinstance(exc, NoConnection)
        if offline:
            self._contact(False)
        elif isinstance(exc, SyncError) and not isinstance(exc, (Cancelled, NotLoggedIn)):
            self._contact(True)  # the hub answered (a refusal, a throttle, an error of its own)
        self.sync_view.finish(exc.text(self.lang), ok=isinstance(exc, Cancelled), offer_courier=offline)
        self.refresh_status()
        if takeover:
            self.start_sync()
        elif isinstance(exc, AuthRequired) and not self._quiet:
            self.relogin()

    def relogin(self) -> bool:
        """Ask for the password again (expired sign-in, or no keyring on this PC); True when signed in."""
        if self.session is None:
            return False
        from dttsclient.ui.wizard import LoginDialog

        ok = LoginDialog.ask(self.session, self.runner, self.lang, self)
        if ok and not self._closing:
            self.refresh_banner()
            self.update_account_actions()
        return ok

    def sign_in(self) -> bool:
        """Tệp → Đăng nhập…, or Đồng bộ while signed out: the sign-in dialog; True when signed in."""
        return self.relogin()

    def signed_in(self) -> bool:
        """True when the profile has a sign-in this app can use (a token in the keyring or memory)."""
        return self.session is not None and self.session.signed_in(self.store)

    def update_account_actions(self) -> None:
        """Tệp shows "Đăng nhập…" while signed out and "Đăng xuất" while signed in."""
        if self.session is None:
            self.login_action.setVisible(False)
            self.logout_action.setVisible(True)
            return
        signed_in = self.signed_in()
        self.login_action.setVisible(not signed_in)
        self.logout_action.setVisible(signed_in)

    def apply_auto_sync(self, enabled: bool) -> None:
        """Ping every few minutes and sync quietly when a connection appears (only when enabled)."""
        if enabled and self.session is not None:
            self.auto_timer.start()
        else:
            self.auto_timer.stop()

    def check_connection(self) -> None:
        """Ping the hub in the background (banner environment, connection state)."""
        if self.session is not None and not self.syncing and not self._closing:
            self._ping(self.session)

    def _auto_ping(self) -> None:
        if self.session is None or self.syncing:
            return
        self._ping(self.session)

    def _ping(self, session: SyncSession) -> None:
        """The hub's address is read here; the ping itself runs on the network lane (no profile)."""
        self.runner.run_task(
            session.ping_job(self.store), self._ping_ok, self._ping_failed, lane=Lane.NETWORK
        )

    def _ping_ok(self, info: Any) -> None:
        if self._closing:
            return
        was_online = self._online
        self._contact(True)
        self._environment = getattr(info, "environment", None) or self._environment
        self.refresh_banner()
        self.refresh_status()
        if not was_online and self.auto_timer.isActive() and overview.status_info(self.store).unsent:
            self.start_sync(quiet=True)

    def _ping_failed(self, exc: BaseException) -> None:
        if self._closing:
            return
        if not isinstance(exc, DttsError):
            report_bug(exc)
            return
        from dttsclient.sync.errors import NoConnection

        if isinstance(exc, NoConnection):
            self._contact(False)
        self.refresh_status()

    def export_courier(self) -> None:
        """The way forward without a network: the USB menu's courier bundle (unsent reports to a file)."""
        self.usb.ask_export_courier()

    # -- the lists' actions -------------------------------------------------------------------------
    def export_submission(self, submission_id: str) -> None:
        """Save a submission as JSON (for the province staff to look at, or to send another way)."""
        sub = self.store.outbox.submission(submission_id)
        name = f"{sub.form}_{sub.period}_lan{sub.revision_no}.json"
        path = self.usb.pick_save(self.tr("Xuất bản nộp ra tệp"), name, "JSON (*.json)")  # last USB folder
        if path is not None:
            self.write_submission(submission_id, path)

    def write_submission(self, submission_id: str, path: Path) -> None:
        import json

        doc = self.store.outbox.submission(submission_id).document
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:  # temporary name, flushed to the stick, then renamed
            fh.write(json.dumps(doc, ensure_ascii=False, indent=2))
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
        self.statusBar().showMessage(self.tr("Đã lưu %1").replace("%1", str(path)), 8000)

    def discard_submission(self, submission_id: str) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Bỏ bản nộp"),
            self.tr("Bỏ bản nộp này? Số liệu vẫn còn trong báo cáo (thành bản nháp) để sửa rồi chốt lại."),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.discard_confirmed(submission_id)

    def discard_confirmed(self, submission_id: str) -> None:
        try:
            self.store.outbox.discard(submission_id)
        except DttsError as exc:
            self.say(exc.text(self.lang))
        self.refresh()

    def compare_versions(self, report_id: int, submission_id: str) -> None:
        report = self.store.reports.report_by_id(report_id)
        rows, revision = overview.diff_rows(self.store, report, submission_id or None)
        title = f"{report.form} — {period_label(report.period, self.lang)}"
        choice = ConflictDialog.ask(title, rows, revision, self)
        try:
            if choice == "server" and self.store.sync.server_copy(report_id) is not None:
                self.store.sync.take_server_copy(
                    report_id, self.store.settings.profile().username or "officer"
                )
            elif choice == "local" and self.store.sync.server_copy(report_id) is not None:
                self.store.sync.keep_local_copy(report_id)
            elif choice == "local":
                self.open_report(report_id)
        except DttsError as exc:
            self.say(exc.text(self.lang))
        self.refresh()

    # -- settings, profiles, about ------------------------------------------------------------------
    def open_settings(self) -> None:
        current = load_settings(self.store)
        chosen = SettingsDialog.ask(current, self)
        if chosen is not None:
            self.apply_settings(chosen)

    def apply_settings(self, chosen: dict[str, Any]) -> bool:
        """Save settings; refused (nothing saved) when the server changes while work is unsent."""
        current = load_settings(self.store)
        if chosen.get(setting_keys.SERVER_URL, current[setting_keys.SERVER_URL]) != current[
            setting_keys.SERVER_URL
        ] and not self._may_leave(self.tr("đổi máy chủ")):
            return False
        changed = save_settings(self.store, chosen)
        if setting_keys.AUTO_SYNC in changed:
            self.apply_auto_sync(bool(chosen[setting_keys.AUTO_SYNC]))
        if setting_keys.SERVER_URL in changed and self.session is not None:
            self.session.server_changed()
            self.refresh_banner()
        if setting_keys.LANG in changed:
            self.languageChanged.emit(chosen[setting_keys.LANG])
        return True

    def _may_leave(self, what: str) -> bool:
        check = leave_check(self.store)
        if check.allowed:
            return True
        self.say(
            self.tr(
                "Chưa thể %1: còn %2 báo cáo chưa gửi lên máy chủ. Hãy bấm «Đồng bộ» để gửi, hoặc xuất "
                "gói chuyển tay (USB) hay bản sao lưu trước, rồi thử lại."
            )
            .replace("%1", what)
            .replace("%2", str(check.unsent))
        )
        return False

    def request_switch_profile(self) -> bool:
        if not self._may_leave(self.tr("đổi hồ sơ")):
            return False
        self.switchProfileRequested.emit()
        return True

    def request_logout(self) -> bool:
        if not self._may_leave(self.tr("đăng xuất")):
            return False
        if self.session is not None:
            self.session.logout()
        self.store.settings.set_profile(username=None)
        self.refresh_banner()
        self.update_account_actions()
        self.logoutDone.emit()
        return True

    def show_help(self) -> None:
        """F1: the user guide, on the page of the screen shown."""
        from dttsclient.ui.help_view import HelpWindow

        self.help_window = HelpWindow.show_for(self, self.lang, getattr(self, "help_window", None))

    def show_about(self) -> None:
        AboutDialog.ask(self.catalog, self.store.data_dir, self._server_text(), self)

    def _server_text(self) -> str:
        """The server address, its environment and the fingerprint of its key (to read out on the phone)."""
        from dttsclient.sync.engine import SIGNING_KEY_SETTING
        from dttsclient.sync.login import fingerprint_or_none

        url = self.store.settings.profile().server_url or ""
        env = environment_label(self._environment, self.lang)
        text = f"{url} ({env})" if url and env else url
        fingerprint = fingerprint_or_none(self.store.settings.get_setting(SIGNING_KEY_SETTING))
        if fingerprint:
            text += " — " + self.tr("mã nhận diện %1").replace("%1", fingerprint)
        return text

    def confirm(self, text: str) -> bool:
        """A yes/no question (tests replace :meth:`confirm` on the instance)."""
        answer = QMessageBox.question(self, self.tr("DTTS"), text)
        return answer == QMessageBox.StandardButton.Yes

    def say(self, text: str) -> None:
        """A plain message box (tests replace :meth:`say` on the instance to capture it)."""
        QMessageBox.information(self, self.tr("DTTS"), text)

    # -- the window on the screen -------------------------------------------------------------------
    def _available(self) -> QRect:
        """The available geometry (without task bars) of the screen the window is on."""
        screen = QGuiApplication.screenAt(self.geometry().center()) or self.screen()
        screen = screen or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, *DEFAULT_SIZE)

    def _frame(self) -> tuple[int, int, int]:
        """Width, height and top of the window manager's frame (estimated before the first show)."""
        if self.isVisible() and self.frameGeometry() != self.geometry():
            f, g = self.frameGeometry(), self.geometry()
            return f.width() - g.width(), f.height() - g.height(), g.top() - f.top()
        w, h = FRAME_ALLOWANCE
        return w, h, h - w // 2

    def fit_to_screen(self) -> None:
        """The default placement: 1200×760 or less, so that the frame fits the available screen; centred."""
        avail = self._available()
        fw, fh, top = self._frame()
        width = min(DEFAULT_SIZE[0], avail.width() - fw)
        height = min(DEFAULT_SIZE[1], avail.height() - fh)
        frame = avail.center() - QPoint((width + fw) // 2, (height + fh) // 2)
        self.setGeometry(frame.x() + fw // 2, frame.y() + top, width, height)  # the client area

    def restore_geometry(self, geometry: QByteArray) -> bool:
        """Restore a saved geometry (with the maximized state) and clamp it to the current screen."""
        if not self.restoreGeometry(geometry):
            return False
        self.clamp_to_screen()
        return True

    def clamp_to_screen(self) -> None:
        """Shrink and move the window (its normal geometry) so that its frame lies on the available
        screen (a geometry saved on a larger screen, or with a display that is gone)."""
        avail = self._available()
        fw, fh, top = self._frame()
        g = (
            self.normalGeometry()
            if self.isMaximized() and self.normalGeometry().isValid()
            else self.geometry()
        )
        width = min(g.width(), avail.width() - fw)
        height = min(g.height(), avail.height() - fh)
        x = min(max(g.x() - fw // 2, avail.left()), avail.right() + 1 - width - fw) + fw // 2
        y = min(max(g.y() - top, avail.top()), avail.bottom() + 1 - height - fh) + top
        if (x, y, width, height) == (g.x(), g.y(), g.width(), g.height()):
            return
        if self.isMaximized():
            self.setGeometry(x, y, width, height)  # the normal geometry, kept under the maximized state
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        else:
            self.setGeometry(x, y, width, height)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._placed:
            self._placed = True
            # once the window manager has framed the window, check with the real frame
            QTimer.singleShot(300, self._check_frame)

    def _check_frame(self) -> None:
        if self._closing or self.isMaximized() or self.isFullScreen():
            return
        avail, frame = self._available(), self.frameGeometry()
        if not avail.contains(frame):
            self.clamp_to_screen()

    def view_state(self) -> ViewState:
        """What a rebuilt window keeps (see :class:`ViewState`); commits a cell being edited first."""
        report_id, cell = None, None
        view = self.form_view
        if view is not None:
            commit = getattr(view, "commit_pending", None)
            if commit is not None:
                commit()
            report_id = getattr(view, "report_id", None)
            grid = getattr(view, "view", None)
            index = grid.currentIndex() if grid is not None and hasattr(grid, "currentIndex") else None
            if index is not None and index.isValid():
                cell = (index.row(), index.column())
        return ViewState(
            geometry=self.saveGeometry(),
            period=self.current_period(),
            tab=self.tabs.currentIndex(),
            report_id=report_id if isinstance(report_id, int) else None,
            cell=cell,
        )

    def restore_view_state(self, state: ViewState) -> None:
        """Pick the period, open the report at its cell and show the tab of ``state``."""
        if state.period and (state.period != DUE_NOW or self.period_combo.findData(DUE_NOW) >= 0):
            self.set_period(state.period)
        if state.report_id is not None:
            try:
                self.open_report(state.report_id)
            except DttsError:
                logger.warning("report %s could not be reopened", state.report_id)
            grid = getattr(self.form_view, "view", None)
            model = grid.model() if grid is not None and hasattr(grid, "model") else None
            if state.cell is not None and model is not None:
                index = model.index(*state.cell)
                if index.isValid():
                    grid.setCurrentIndex(index)
                    grid.scrollTo(index)
        self.tabs.setCurrentIndex(state.tab)

    def bring_forward(self) -> None:
        """Another start of the app wanted this profile: show this window in front and say so."""
        if self.isMinimized():
            self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()
        QApplication.alert(self)
        self.statusBar().showMessage(
            self.tr("Hồ sơ này đang mở ở cửa sổ này — phần mềm không mở thêm cửa sổ thứ hai."), 15000
        )

    def _window_settings(self) -> QSettings:
        """Window geometry only (business settings live in the profile database)."""
        return QSettings(str(Path(self.store.data_dir) / "window.ini"), QSettings.Format.IniFormat)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        if self._cancel is not None:
            self._cancel.set()
        if self.session is not None:
            self.session.stop_all()  # pings and sign-ins in flight too: the process ends at once
        view = self.form_view
        if getattr(view, "held_writes", 0):
            # a cell typed during a restore or an import: let that task end, then write the cell
            self.runner.wait_for_done()
            view.write_held()  # type: ignore[union-attr]
        self.auto_timer.stop()
        self.usb.timer.stop()
        self._window_settings().setValue("main/geometry", self.saveGeometry())
        super().closeEvent(event)
