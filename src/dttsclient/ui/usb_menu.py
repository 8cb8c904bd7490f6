"""The USB menu and the automatic backup timer: the actions of :mod:`dttsclient.usb`, run on the runner.

Each worker opens its own store on the profile folder; the window refreshes afterwards. Only actions
the USB layer provides are offered (no placeholders).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu

from dttsclient.core.errors import DttsError
from dttsclient.core.labels import local_time_label
from dttsclient.store import Store
from dttsclient.ui.excepthook import report_bug

if TYPE_CHECKING:
    from dttsclient.ui.main_window import MainWindow

logger = logging.getLogger(__name__)

AUTO_BACKUP_CHECK_MS = 60 * 1000


class UsbActions(QObject):
    """The USB menu of a main window.

    Args:
        window: the main window (its store, runner, language and message box).
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.data_dir = Path(window.store.data_dir)
        self.menu = QMenu(self.tr("&USB"), window)
        self.courier_action = self._action(
            self.tr("Xuất gói chuyển tay (báo cáo chưa gửi)…"), self.ask_export_courier
        )
        self.export_action = self._action(self.tr("Sao lưu ra USB…"), self.ask_export_backup)
        self.verify_action = self._action(self.tr("Kiểm tra một bản sao lưu…"), self.ask_verify_backup)
        self.restore_action = self._action(self.tr("Khôi phục từ bản sao lưu…"), self.ask_restore)
        self.menu.addSeparator()
        self.xlsx_action = self._action(
            self.tr("Xuất báo cáo đang mở ra Excel…"), lambda: self.ask_export_report("xlsx")
        )
        self.pdf_action = self._action(
            self.tr("Xuất báo cáo đang mở ra PDF (để in)…"), lambda: self.ask_export_report("pdf")
        )
        self.import_action = self._action(
            self.tr("Nhập số liệu từ Excel vào báo cáo đang mở…"), self.ask_import_values
        )
        window.menuBar().addMenu(self.menu)
        self.timer = QTimer(self)
        self.timer.setInterval(AUTO_BACKUP_CHECK_MS)
        self.timer.timeout.connect(self.auto_backup_tick)
        self.timer.start()

    def _action(self, text: str, slot: Any) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        self.menu.addAction(action)
        return action

    def _open_report_id(self) -> int | None:
        view = self.window.form_view
        report_id = getattr(view, "report_id", None)
        if report_id is None:
            self.window.say(self.tr("Hãy mở một biểu (nháy đúp trong danh sách các biểu) trước."))
        return report_id

    def _after_change(self) -> None:
        """The database changed under the window (restore, import): re-read everything."""
        view = self.window.form_view
        reload = getattr(view, "reload", None)
        if callable(reload):
            reload()
        self.window.refresh()

    # -- courier bundle -----------------------------------------------------------------------------
    def ask_export_courier(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.window, self.tr("Chọn ổ USB hoặc thư mục để lưu gói chuyển tay")
        )
        if folder:
            self.export_courier(Path(folder))

    def export_courier(self, target: Path) -> None:
        """Write the unsent submissions to a courier bundle for a connected office to upload."""
        data_dir = self.data_dir

        def work() -> Any:
            from dttsclient.usb.courier import export_courier

            with Store.open(data_dir) as store:
                return export_courier(store, target)

        self.window.runner.run_task(work, self._courier_done, self._failed)

    def _courier_done(self, info: Any) -> None:
        self.window.refresh_status()
        self.window.say(
            self.tr("Đã ghi gói chuyển tay: %1. Mang tệp này tới nơi có mạng để gửi lên máy chủ.").replace(
                "%1", str(getattr(info, "path", ""))
            )
        )

    # -- restore ------------------------------------------------------------------------------------
    def ask_restore(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("Chọn bản sao lưu"), "", self.tr("Bản sao lưu DTTS (*.dttsbak)")
        )
        if path:
            self.restore(Path(path))

    def restore(self, path: Path, confirm_other_commune: bool = False) -> None:
        """Merge a backup into this profile (never deletes newer data; unsent work is queued again)."""
        data_dir = self.data_dir

        def work() -> Any:
            from dttsclient.usb.restore import restore_backup

            return restore_backup(data_dir, path, confirm_other_commune)

        def failed(exc: BaseException) -> None:
            from dttsclient.usb.errors import NeedsConfirmation

            if isinstance(exc, NeedsConfirmation) and not confirm_other_commune:
                if self.window.confirm(exc.text(self.window.lang)):
                    self.restore(path, confirm_other_commune=True)
                return
            self._failed(exc)

        self.window.runner.run_task(work, self._restored, failed)

    def _restored(self, _report: Any) -> None:
        self._after_change()
        self.window.say(self.tr("Đã khôi phục xong. Dữ liệu mới hơn trên máy được giữ nguyên."))

    # -- the open report: Excel, PDF, import ---------------------------------------------------------
    def ask_export_report(self, kind: str) -> None:
        report_id = self._open_report_id()
        if report_id is None:
            return
        report = self.window.store.report_by_id(report_id)
        name = f"{report.form}_{report.period}_{report.unit}.{kind}"
        pattern = self.tr("Excel (*.xlsx)") if kind == "xlsx" else self.tr("PDF (*.pdf)")
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Lưu báo cáo"), name, pattern)
        if path:
            self.export_report(report_id, Path(path), kind)

    def export_report(self, report_id: int, path: Path, kind: str) -> None:
        data_dir = self.data_dir

        def work() -> Any:
            if kind == "xlsx":
                from dttsclient.usb.xlsx_report import export_xlsx as export
            else:
                from dttsclient.usb.pdf_report import export_pdf as export
            with Store.open(data_dir) as store:
                return export(store, report_id, path)

        done = lambda written: self.window.say(self.tr("Đã lưu %1").replace("%1", str(written)))  # noqa: E731
        self.window.runner.run_task(work, done, self._failed)

    def ask_import_values(self) -> None:
        report_id = self._open_report_id()
        if report_id is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("Chọn tệp Excel"), "", self.tr("Excel (*.xlsx)")
        )
        if path:
            self.import_values(report_id, Path(path))

    def import_values(self, report_id: int, path: Path, confirm: bool = False) -> None:
        """Import an Excel file's values into the open report's draft (all or nothing)."""
        report = self.window.store.report_by_id(report_id)
        data_dir = self.data_dir
        who = self.window.store.profile().username

        def work() -> Any:
            from dttsclient.usb.xlsx_import import import_values

            with Store.open(data_dir) as store:
                return import_values(store, path, report.form, report.period, report.unit, confirm, who=who)

        def failed(exc: BaseException) -> None:
            from dttsclient.usb.errors import NeedsConfirmation

            if isinstance(exc, NeedsConfirmation) and not confirm:
                if self.window.confirm(exc.text(self.window.lang)):
                    self.import_values(report_id, path, confirm=True)
                return
            self._failed(exc)

        self.window.runner.run_task(work, self._imported, failed)

    def _imported(self, _report: Any) -> None:
        self._after_change()
        self.window.statusBar().showMessage(self.tr("Đã nhập số liệu từ Excel."), 8000)

    # -- backup export ------------------------------------------------------------------------------
    def ask_export_backup(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.window, self.tr("Chọn ổ USB hoặc thư mục để lưu bản sao")
        )
        if folder:
            self.export_backup(Path(folder))

    def export_backup(self, target: Path) -> None:
        """Write a verified backup to ``target`` (a folder or a ``.dttsbak`` file) in the background."""
        data_dir = self.data_dir

        def work() -> Any:
            from dttsclient.usb.backup import export_backup

            with Store.open(data_dir) as store:
                return export_backup(store, target)

        self.window.statusBar().showMessage(self.tr("Đang sao lưu…"))
        self.window.runner.run_task(work, self._exported, self._failed)

    def _exported(self, info: Any) -> None:
        self.window.statusBar().clearMessage()
        self.window.refresh_status()
        self.window.say(
            self.tr("Đã sao lưu và kiểm tra lại: %1. Có thể rút USB.").replace("%1", str(info.path))
        )

    # -- verify -------------------------------------------------------------------------------------
    def ask_verify_backup(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("Chọn bản sao lưu"), "", self.tr("Bản sao lưu DTTS (*.dttsbak)")
        )
        if path:
            self.verify_backup(Path(path))

    def verify_backup(self, path: Path) -> None:
        def work() -> Any:
            from dttsclient.usb.backup import verify_backup

            return verify_backup(path)

        self.window.runner.run_task(work, self._verified, self._failed)

    def _verified(self, info: Any) -> None:
        counts = info.counts or {}
        self.window.say(
            self.tr("Bản sao lưu còn nguyên vẹn (tạo lúc %1, %2 báo cáo).")
            .replace("%1", local_time_label(info.created_at, self.window.lang))
            .replace("%2", str(counts.get("reports", "?")))
        )

    # -- automatic backups --------------------------------------------------------------------------
    def auto_backup_tick(self) -> None:
        data_dir = self.data_dir

        def work() -> Any:
            from dttsclient.usb.autobackup import maybe_auto_backup

            with Store.open(data_dir) as store:
                return maybe_auto_backup(store)

        if not self.window.runner.busy:
            self.window.runner.run_task(work, lambda _r: None, self._auto_failed)

    def _auto_failed(self, exc: BaseException) -> None:
        if isinstance(exc, DttsError):
            logger.warning("automatic backup failed: %s", exc.text("en"))
            self.window.statusBar().showMessage(exc.text(self.window.lang), 15000)
        else:
            report_bug(exc)

    def _failed(self, exc: BaseException) -> None:
        self.window.statusBar().clearMessage()
        if isinstance(exc, DttsError):
            self.window.say(exc.text(self.window.lang))
        else:
            report_bug(exc)


def build(window: MainWindow) -> UsbActions:
    """Add the USB menu (and the automatic backup timer) to ``window``."""
    return UsbActions(window)
