"""The USB menu and the automatic backup timer: the actions of :mod:`dttsclient.usb`, run on the runner.

Each worker opens its own store on the profile folder, on the runner's profile lane (one after another;
a restore or an import is a ``long_write``, so the data-entry screen keeps keystrokes pending meanwhile);
checking a backup file touches no profile and runs on the network lane. The host (the main window, or
any object with the few members of :class:`UsbHost`) comes through the constructor, so this module
never imports the main window; the host refreshes afterwards. Only actions
the USB layer provides are offered (no placeholders). Every file dialog opens in the folder used last
(:mod:`.places`), and every question has buttons whose texts say what they do, the safe one the default
(:mod:`.import_dialogs`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QStatusBar, QWidget

from dttsclient.store import Store
from dttsclient.ui.excepthook import report_bug
from dttsclient.ui.import_dialogs import ChangesDialog, Question
from dttsclient.ui.operations import Operation
from dttsclient.ui.places import LastFolder
from dttsclient.ui.tasks import Lane, Runner
from dttscore.errors import DttsError
from dttscore.labels import local_time_label

logger = logging.getLogger(__name__)

AUTO_BACKUP_CHECK_MS = 60 * 1000


class UsbHost(Protocol):
    """What the USB menu needs of the window it sits in.

    Attributes:
        store: the GUI thread's store (names and the open report's keys; never written here).
        lang: the officer's language.
        form_view: the data-entry widget (``report_id``, ``reload()``) or None.
    """

    store: Store
    lang: str
    form_view: QWidget | None

    def say(self, text: str) -> None: ...

    def statusBar(self) -> QStatusBar: ...

    def refresh(self) -> None: ...

    def refresh_status(self) -> None: ...


class UsbActions(QObject):
    """The USB menu of a window.

    Args:
        data_dir: the profile folder (each worker opens its own store there).
        runner: the background runner.
        host: the window's members the actions use (:class:`UsbHost`).
        parent: the widget that owns the menu and parents the file dialogs (usually the host itself).
    """

    def __init__(self, data_dir: Path, runner: Runner, host: UsbHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = host
        self.runner = runner
        self.parent_widget = parent
        self.data_dir = Path(data_dir)
        self.last_folder = LastFolder(self.data_dir)
        self.menu = QMenu(self.tr("&USB"), parent)
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
        self.timer = QTimer(self)
        self.timer.setInterval(AUTO_BACKUP_CHECK_MS)
        self.timer.timeout.connect(self.auto_backup_tick)
        self.timer.start()

    def _action(self, text: str, slot: Any) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        self.menu.addAction(action)
        return action

    # -- file dialogs: they open where the officer was last, and remember where they went ----------------
    def pick_folder(self, caption: str) -> Path | None:
        folder = QFileDialog.getExistingDirectory(self.parent_widget, caption, self.last_folder.start())
        return self._chosen(folder)

    def pick_open(self, caption: str, pattern: str) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self.parent_widget, caption, self.last_folder.start(), pattern)
        return self._chosen(path)

    def pick_save(self, caption: str, name: str, pattern: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(
            self.parent_widget, caption, self.last_folder.start(name), pattern
        )
        return self._chosen(path)

    def _chosen(self, path: str) -> Path | None:
        if not path:
            return None
        self.last_folder.remember(path)
        return Path(path)

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
        folder = self.pick_folder(self.tr("Chọn ổ USB hoặc thư mục để lưu gói chuyển tay"))
        if folder:
            self.export_courier(folder)

    def export_courier(self, target: Path) -> None:
        """Write the unsent submissions to a courier bundle for a connected office to upload."""
        data_dir = self.data_dir

        def work() -> Any:
            from dttsclient.usb.courier import export_courier

            with Store.open(data_dir) as store:
                return export_courier(store, target)

        self._op(work, lane=Lane.PROFILE).success(self._courier_done).run()

    def _courier_done(self, info: Any) -> None:
        self.window.refresh_status()
        self.window.say(
            self.tr("Đã ghi gói chuyển tay: %1. Mang tệp này tới nơi có mạng để gửi lên máy chủ.").replace(
                "%1", str(getattr(info, "path", ""))
            )
            + self._not_recorded(info)
        )

    def _not_recorded(self, info: Any) -> str:
        """A note when the file is good but the profile's full disk kept it from noting the time."""
        if getattr(info, "recorded", True):
            return ""
        return " " + self.tr(
            "Lưu ý: ổ đĩa chứa dữ liệu DTTS đã đầy nên máy này chưa ghi nhận được thời điểm xuất; tệp trên "
            "vẫn tốt. Hãy xoá bớt tệp trên ổ đĩa đó."
        )

    # -- restore ------------------------------------------------------------------------------------
    def ask_restore(self) -> None:
        path = self.pick_open(self.tr("Chọn bản sao lưu"), self.tr("Bản sao lưu DTTS (*.dttsbak)"))
        if path:
            self.restore(path)

    def restore(self, path: Path, confirm_other_commune: bool = False) -> None:
        """Merge a backup into this profile (never deletes newer data; unsent work is queued again)."""
        data_dir = self.data_dir

        def work() -> Any:
            from dttsclient.usb.restore import restore_backup

            return restore_backup(data_dir, path, confirm_other_commune)

        def failed(exc: BaseException) -> bool:
            from dttsclient.usb.errors import NeedsConfirmation

            if isinstance(exc, NeedsConfirmation) and not confirm_other_commune:
                question = (
                    exc.text(self.window.lang)
                    + "\n\n"
                    + self.tr(
                        "Vẫn gộp bản sao lưu này vào hồ sơ đang mở? Dữ liệu mới hơn trên máy được giữ nguyên."
                    )
                )
                if Question.ask(
                    self.parent_widget,
                    self.tr("Bản sao lưu của xã khác"),
                    question,
                    self.tr("Vẫn khôi phục"),
                    self.tr("Không khôi phục"),
                ):
                    self.restore(path, confirm_other_commune=True)
                return True
            return False

        self._op(work, lane=Lane.PROFILE, long_write=True).success(self._restored).failure(failed).run()

    def _restored(self, report: Any) -> None:
        self._after_change()
        # the counts and notes in the window's language (RestoreReport.summary is Qt-free, in both languages)
        self.window.say(
            report.summary(self.window.lang)
            + "\n\n"
            + self.tr("Dữ liệu mới hơn trên máy được giữ nguyên.")
        )

    # -- the open report: Excel, PDF, import ---------------------------------------------------------
    def ask_export_report(self, kind: str) -> None:
        report_id = self._open_report_id()
        if report_id is None:
            return
        report = self.window.store.reports.report_by_id(report_id)
        name = f"{report.form}_{report.period}_{report.unit}.{kind}"
        pattern = self.tr("Excel (*.xlsx)") if kind == "xlsx" else self.tr("PDF (*.pdf)")
        path = self.pick_save(self.tr("Lưu báo cáo"), name, pattern)
        if path:
            self.export_report(report_id, path, kind)

    def export_report(self, report_id: int, path: Path, kind: str) -> None:
        data_dir = self.data_dir

        def work() -> Any:
            if kind == "xlsx":
                from dttsclient.usb.xlsx_report import export_xlsx as export
                from dttsclient.usb.xlsx_report import export_xlsx_blank as export_blank
            else:
                from dttsclient.usb.pdf_report import export_pdf as export
                from dttsclient.usb.pdf_report import export_pdf_blank as export_blank
            with Store.open(data_dir) as store:
                if store.reports.cells(report_id):
                    return export(store, report_id, path)
                # no value yet: the empty form with the commune's ethnic rows, to fill in on paper
                report = store.reports.report_by_id(report_id)
                return export_blank(store, report.unit, report.form, report.period, path)

        done = lambda written: self.window.say(self.tr("Đã lưu %1").replace("%1", str(written)))  # noqa: E731
        self._op(work, lane=Lane.PROFILE).success(done).run()

    def ask_import_values(self) -> None:
        report_id = self._open_report_id()
        if report_id is None:
            return
        path = self.pick_open(self.tr("Chọn tệp Excel"), self.tr("Excel (*.xlsx)"))
        if path:
            self.import_values(report_id, path)

    def import_values(
        self, report_id: int, path: Path, confirm: bool = False, confirm_changes: list | None = None
    ) -> None:
        """Import an Excel file's values into the open report (all or nothing).

        A file of another report is imported only after :meth:`ask_other_report`; a finalized (or sent)
        report changes only after the officer saw and confirmed the changes (:class:`ChangesDialog`).
        """
        report = self.window.store.reports.report_by_id(report_id)
        data_dir = self.data_dir
        who = self.window.store.settings.profile().username

        def work() -> Any:
            from dttsclient.usb.xlsx_import import import_values

            with Store.open(data_dir) as store:
                return import_values(
                    store,
                    path,
                    report.form,
                    report.period,
                    report.unit,
                    confirm,
                    who=who,
                    confirm_changes=confirm_changes,
                )

        def failed(exc: BaseException) -> bool:
            from dttsclient.usb.errors import ReopensReport, WrongReport

            if isinstance(exc, WrongReport) and not confirm:
                if self.ask_other_report(report_id, path, exc.differences):
                    self.import_values(report_id, path, confirm=True)
                return True
            if isinstance(exc, ReopensReport):
                if self.ask_changes(report_id, exc):
                    self.import_values(report_id, path, confirm=confirm, confirm_changes=exc.changes)
                return True
            return False

        self._op(work, lane=Lane.PROFILE, long_write=True).success(self._imported).failure(failed).run()

    def _names(self, report_id: int) -> tuple[Any, Any]:
        """The report's catalogue (for form names) and the report."""
        store = self.window.store
        report = store.reports.report_by_id(report_id)
        catalog = None
        if report.catalog_id is not None and report.catalog_version is not None:
            catalog = store.catalogs.catalog_version(report.catalog_id, report.catalog_version)
        return catalog or store.catalogs.current_catalog(), report

    def _describe(self, catalog: Any, form: str, period: str, unit: str) -> str:
        from dttsclient.ui.finalize_dialog import period_label, unit_label

        lang = self.window.lang
        name = ""
        if catalog is not None and catalog.has_form(form):
            f = catalog.form(form)
            name = (f.name_en or f.name_vi) if lang == "en" else f.name_vi
        form_text = f"{form} – {name}" if name else form
        return (
            self.tr("biểu %1, kỳ %2, %3")
            .replace("%1", form_text)
            .replace("%2", period_label(period, lang))
            .replace("%3", unit_label(self.window.store, unit))
        )

    def ask_other_report(self, report_id: int, path: Path, differences: list) -> bool:
        """The file belongs to another form, period or commune: import it into the open report anyway?"""
        catalog, report = self._names(report_id)
        in_file = {"form": report.form, "period": report.period, "unit": report.unit}
        for field, file_value, _target in differences:
            in_file[field] = file_value
        text = (
            self.tr(
                "Tệp “%1” là số liệu của %2.\n\nBáo cáo đang mở là %3.\n\nNhập số liệu của tệp vào báo cáo đang mở?"
            )
            .replace("%1", path.name)
            .replace("%2", self._describe(catalog, in_file["form"], in_file["period"], in_file["unit"]))
            .replace("%3", self._describe(catalog, report.form, report.period, report.unit))
        )
        return Question.ask(
            self.parent_widget,
            self.tr("Tệp Excel của báo cáo khác"),
            text,
            self.tr("Nhập vào biểu %1").replace("%1", report.form),
            self.tr("Không nhập"),
        )

    def ask_changes(self, report_id: int, exc: Any) -> bool:
        """A finalized (or sent) report would change: show the cells, old → new, and ask."""
        catalog, _report = self._names(report_id)
        what = self._describe(catalog, exc.form, exc.period, exc.unit)
        if exc.sent:
            intro = self.tr(
                "Báo cáo %1 đã chốt và đã gửi lên máy chủ. Nhập tệp này sẽ thay đổi %2 ô dưới đây; báo cáo "
                "trở lại thành bản nháp, cần chốt và gửi lại. Chọn “Không nhập” thì không có gì thay đổi."
            )
        else:
            intro = self.tr(
                "Báo cáo %1 đã chốt. Nhập tệp này sẽ thay đổi %2 ô dưới đây; báo cáo trở lại thành bản "
                "nháp, cần chốt lại. Chọn “Không nhập” thì không có gì thay đổi."
            )
        intro = intro.replace("%1", what).replace("%2", str(len(exc.changes)))
        return ChangesDialog.ask(self.parent_widget, intro, exc.changes, self.window.lang)

    def _imported(self, result: Any) -> None:
        self._after_change()
        if getattr(result, "reopened", False):
            text = self.tr("Đã nhập số liệu từ Excel. Báo cáo trở lại thành bản nháp: hãy chốt và gửi lại.")
        else:
            text = self.tr("Đã nhập số liệu từ Excel.")
        self.window.statusBar().showMessage(text, 8000)

    # -- backup export ------------------------------------------------------------------------------
    def ask_export_backup(self) -> None:
        folder = self.pick_folder(self.tr("Chọn ổ USB hoặc thư mục để lưu bản sao"))
        if folder:
            self.export_backup(folder)

    def export_backup(self, target: Path) -> None:
        """Write a verified backup to ``target`` (a folder or a ``.dttsbak`` file) in the background."""
        data_dir = self.data_dir

        def work() -> Any:
            from dttsclient.usb.backup import export_backup

            with Store.open(data_dir) as store:
                return export_backup(store, target)

        self.window.statusBar().showMessage(self.tr("Đang sao lưu…"))
        self._op(work, lane=Lane.PROFILE).success(self._exported).run()

    def _exported(self, info: Any) -> None:
        self.window.statusBar().clearMessage()
        self.window.refresh_status()
        self.window.say(
            self.tr("Đã sao lưu và kiểm tra lại: %1. Có thể rút USB.").replace("%1", str(info.path))
            + self._not_recorded(info)
        )

    # -- verify -------------------------------------------------------------------------------------
    def ask_verify_backup(self) -> None:
        path = self.pick_open(self.tr("Chọn bản sao lưu"), self.tr("Bản sao lưu DTTS (*.dttsbak)"))
        if path:
            self.verify_backup(path)

    def verify_backup(self, path: Path) -> None:
        def work() -> Any:
            from dttsclient.usb.backup import verify_backup

            return verify_backup(path)

        self._op(work, lane=Lane.NETWORK).success(self._verified).run()  # the file only, no profile

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

        if not self.runner.busy:
            self.runner.run_task(work, lambda _r: None, self._auto_failed, lane=Lane.PROFILE)

    def _auto_failed(self, exc: BaseException) -> None:
        if isinstance(exc, DttsError):
            logger.warning("automatic backup failed: %s", exc.text("en"))
            self.window.statusBar().showMessage(exc.text(self.window.lang), 15000)
        else:
            report_bug(exc)

    def _op(self, work: Any, *, lane: Lane = Lane.PROFILE, long_write: bool = False) -> Operation:
        """An operation with the default failure handler (the status line cleared first)."""
        return Operation(
            self.runner,
            work,
            say=self.window.say,
            lang=self.window.lang,
            lane=lane,
            long_write=long_write,
            before_failure=self.window.statusBar().clearMessage,
        )


def build(window: Any) -> UsbActions:
    """Add the USB menu (and the automatic backup timer) to ``window`` (a :class:`UsbHost` QMainWindow)."""
    usb = UsbActions(Path(window.store.data_dir), window.runner, window, window)
    window.menuBar().addMenu(usb.menu)
    return usb
