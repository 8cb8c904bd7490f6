"""The GUI's composition root: the application, translations, the exception hook, the profile, the
first-run wizard, the main window — and the ``--demo`` and ``--smoke-test`` modes.

``__main__`` parses the arguments, resolves the profile folder and configures logging, then calls
:func:`run_gui`. :class:`AppController` owns what lives as long as the application: the runner, the
translator, the hook, the open store, the window; it rebuilds the window when the language changes and
reopens everything when the officer switches profile.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from importlib.resources import files
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from dttsclient.appdirs import AppDirs
from dttsclient.store import Store
from dttsclient.store.db import DB_FILENAME
from dttsclient.ui.excepthook import ExceptionHook
from dttsclient.ui.i18n import Translations, normalize, use_translatable_dialogs
from dttsclient.ui.instance import LockState, ProfileLock
from dttsclient.ui.main_window import FormViewFactory, MainWindow, ViewState, default_form_view
from dttsclient.ui.profiles import ProfilePicker, list_profiles
from dttsclient.ui.session import SyncSession
from dttsclient.ui.tasks import Runner, TaskRunner, exit_now
from dttscore.errors import DttsError

logger = logging.getLogger(__name__)


FIRST_PAINT_ENV = "DTTS_EXIT_AFTER_FIRST_PAINT"


def application() -> QApplication:
    """The running ``QApplication``, created when there is none."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    use_translatable_dialogs()
    app.setApplicationName("DTTS Client")
    app.setOrganizationName("DTTS")
    icon = files("dttsclient.resources") / "icons" / "dttsclient.png"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def _exit_after_first_paint(app: QApplication) -> None:
    """For the start-up benchmarks: print the wall-clock time of the first paint event, then quit."""
    import time

    from PySide6.QtCore import QEvent, QObject

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                app.removeEventFilter(self)
                print(f"first paint at {time.time():.6f}", flush=True)
                QTimer.singleShot(0, app.quit)
            return False

    app.installEventFilter(FirstPaint(app))


def needs_setup(store: Store) -> bool:
    """True when the profile has no commune or no catalogue yet (the first-run wizard is due)."""
    return not store.settings.profile().unit or store.catalogs.current_catalog() is None


class AppController:
    """Holds the application's long-lived parts and switches windows.

    Args:
        app: the ``QApplication``.
        data_dir: the profile folder to open.
        lang: the language asked for on the command line ("vi" or "en").
        session: the sync session to use (the demo passes its own; by default one with the OS keyring).
        demo_banner: the DEMO banner text, if in the demo.
        form_view_factory: builds the data-entry widget (tests may pass a lighter one).
        runner: the background runner (tests may pass a synchronous one).
    """

    def __init__(
        self,
        app: QApplication,
        data_dir: Path,
        lang: str = "vi",
        *,
        session: SyncSession | None = None,
        demo_banner: str | None = None,
        form_view_factory: FormViewFactory = default_form_view,
        runner: Runner | None = None,
        profiles_root: Path | None = None,
    ) -> None:
        self.app = app
        self.data_dir = Path(data_dir)
        # the folder of every profile, from the run's AppDirs (None: the folder this profile is in)
        self.profiles_root = Path(profiles_root) if profiles_root is not None else self.data_dir.parent
        self.translations = Translations(app)
        self.runner = runner if runner is not None else TaskRunner(app)
        self.hook = ExceptionHook(parent=lambda: self.window).install()
        self.demo_banner = demo_banner
        self.form_view_factory = form_view_factory
        self._lang_arg = lang
        self._session_given = session
        self.session: SyncSession | None = None
        self.store: Store | None = None
        self.window: MainWindow | None = None
        self.lock: ProfileLock | None = None

    # -- opening ------------------------------------------------------------------------------------
    def open(self) -> bool:
        """Open the profile, run the wizard if it is new, show the main window. False: the officer quit
        (or the profile is open in another window, which was brought forward)."""
        is_new = not (self.data_dir / DB_FILENAME).exists()
        lock = self.take_profile(self.data_dir)
        if lock is None:
            return False
        try:
            self.store = Store.open(self.data_dir)
        except DttsError as exc:
            lock.release()
            QMessageBox.critical(None, "DTTS", exc.text(self._lang_arg))
            return False
        self.lock = lock
        lang = normalize(
            self._lang_arg
            if self._lang_arg == "en"
            else (self.store.settings.profile().lang or self._lang_arg)
        )
        self.translations.install(lang)
        self.session = self._session_given or SyncSession(self.data_dir, lang=lang)
        if needs_setup(self.store) and not self.run_wizard():
            self.close_store()
            lock.release()
            self.lock = None
            if is_new:  # a profile made a moment ago and never set up leaves nothing behind
                _remove_new_profile(self.data_dir)
            return False
        self.show_window()
        QTimer.singleShot(0, self._ask_password_if_needed)  # after the first paint
        return True

    def take_profile(self, data_dir: Path, parent: QWidget | None = None) -> ProfileLock | None:
        """Lock a profile for this app; None when it is open in another window (which is brought
        forward, and the officer is told) or the officer chose not to open it."""
        lock = ProfileLock(data_dir, on_knock=self._knocked)
        state = lock.acquire()
        if state is LockState.OWNED:
            return lock
        if state is LockState.FORWARDED:
            self.tell(self.open_elsewhere_text(data_dir), parent)
            return None
        if self.ask_open_anyway(data_dir, parent) and lock.take_over():
            return lock
        return None

    def open_elsewhere_text(self, data_dir: Path) -> str:
        return QCoreApplication.translate(
            "AppController",
            "Hồ sơ «%1» đang mở trong một cửa sổ DTTS khác — cửa sổ đó đã được đưa lên trước. "
            "Hãy làm việc tiếp trong cửa sổ đó.",
        ).replace("%1", Path(data_dir).name)

    def tell(self, text: str, parent: QWidget | None = None) -> None:
        """Say why nothing opened: in the window when there is one, else on stderr (the other window,
        brought forward, is what the officer sees)."""
        if parent is not None and isinstance(parent, MainWindow):
            parent.say(text)
        else:
            print(text, file=sys.stderr, flush=True)
        logger.info("profile open elsewhere: %s", text)

    def ask_open_anyway(self, data_dir: Path, parent: QWidget | None = None) -> bool:
        """The profile's lock is held but its window does not answer: open anyway? (tests replace this)"""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("DTTS")
        box.setText(
            QCoreApplication.translate(
                "AppController",
                "Hồ sơ «%1» có vẻ đang mở trong một cửa sổ DTTS khác, nhưng cửa sổ đó không trả lời.",
            ).replace("%1", Path(data_dir).name)
        )
        box.setInformativeText(
            QCoreApplication.translate(
                "AppController",
                "Nếu chắc chắn không còn cửa sổ DTTS nào đang mở hồ sơ này (ví dụ máy vừa bị tắt đột ngột), "
                "bấm «Vẫn mở». Nếu không, bấm «Không mở» rồi tìm cửa sổ đó trên thanh tác vụ.",
            )
        )
        anyway = box.addButton(
            QCoreApplication.translate("AppController", "Vẫn mở"), QMessageBox.ButtonRole.AcceptRole
        )
        no = box.addButton(
            QCoreApplication.translate("AppController", "Không mở"), QMessageBox.ButtonRole.RejectRole
        )
        box.setDefaultButton(no)
        box.exec()
        return box.clickedButton() is anyway

    def _knocked(self) -> None:
        """Another app tried to open this profile: bring the window forward."""
        if self.window is not None and shiboken6.isValid(self.window):
            self.window.bring_forward()

    def run_wizard(
        self, session: SyncSession | None = None, store: Store | None = None, parent: QWidget | None = None
    ) -> bool:
        """The first-run wizard of a profile (the open one by default); True when it is set up. On
        Huỷ the language the app had is put back."""
        from dttsclient.ui.wizard import SetupWizard

        session = session or self.session
        store = store or self.store
        assert store is not None and session is not None
        lang_before = self.translations.lang
        wizard = SetupWizard(
            session, self.runner, lang_before, on_language=self.translations.install, parent=parent
        )
        ok = bool(wizard.exec())
        wizard.deleteLater()
        if ok:
            store.settings.set_profile(lang=self.translations.lang)
        elif self.translations.lang != lang_before:
            self.translations.install(lang_before)
        return ok and not needs_setup(store)

    def show_window(self, state: ViewState | None = None) -> MainWindow:
        """Build and show the main window; ``state``: the window, period, tab and form to keep."""
        assert self.store is not None
        self.window = MainWindow(
            self.store,
            self.runner,
            self.session,
            lang=self.translations.lang,
            form_view_factory=self.form_view_factory,
            demo_banner=self.demo_banner,
        )
        self.window.languageChanged.connect(self.change_language)
        self.window.switchProfileRequested.connect(self.switch_profile)
        if state is not None:
            self.window.restore_geometry(state.geometry)
        self.window.show()
        if state is not None:
            self.window.restore_view_state(state)
        if self.session is not None and self.store.settings.profile().server_url:
            QTimer.singleShot(0, self.window.check_connection)  # after the first paint
        return self.window

    def _ask_password_if_needed(self) -> None:
        """No keyring on this PC: the sign-in lasts one session, so ask now (and say why)."""
        if self.store is None or self.session is None or self.window is None:
            return
        p = self.store.settings.profile()
        if (
            p.server_url
            and p.username
            and self.session.keyring_reason is not None
            and not self.session.signed_in(self.store)
        ):
            QTimer.singleShot(0, self.window.relogin)

    # -- switching ----------------------------------------------------------------------------------
    def change_language(self, lang: str) -> None:
        """Rebuild the window in the new language (every widget reads its strings when built), keeping
        its size, position and maximized state, the period, the tab and the open form."""
        old = self.window
        state = old.view_state() if old is not None else None
        self.translations.install(lang)
        if self.session is not None:
            self.session.lang = self.translations.lang
        self.show_window(state)
        if old is not None:
            old.close()
            old.deleteLater()

    def switch_profile(self) -> None:
        """Open another profile (or make a new one). The current window stays until the other profile
        is open and set up: on Huỷ, or when the other profile is open elsewhere, nothing changes."""
        parent = self.window
        root = self.profiles_root
        chosen = ProfilePicker.ask(list_profiles(root), root, parent)
        if chosen is None or chosen == self.data_dir:
            return
        chosen = Path(chosen)
        is_new = not (chosen / DB_FILENAME).exists()
        lock = self.take_profile(chosen, parent)
        if lock is None:
            return
        try:
            store = Store.open(chosen)
        except DttsError as exc:
            lock.release()
            if parent is not None:
                parent.say(exc.text(self.translations.lang))
            return
        session = SyncSession(chosen, lang=self.translations.lang)
        if needs_setup(store) and not self.run_wizard(session, store, parent):
            store.close()
            lock.release()
            if is_new:
                _remove_new_profile(chosen)
            return
        old, old_lock = self.window, self.lock
        self.close_store()
        self.store, self.session, self.lock, self.data_dir = store, session, lock, chosen
        self._session_given = None
        lang = normalize(store.settings.profile().lang or self.translations.lang)
        if lang != self.translations.lang:
            self.translations.install(lang)
            session.lang = lang
        self.show_window()
        if old is not None and shiboken6.isValid(old):
            old.close()
            old.deleteLater()
        if old_lock is not None:
            old_lock.release()
        QTimer.singleShot(0, self._ask_password_if_needed)

    def close_store(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def shutdown(self) -> bool:
        """Cancel and wait (briefly) for background work, close the store, let the profile go, restore the
        previous hook.

        Returns:
            False when a background thread is still blocked (the caller ends the process at once).
        """
        idle = True
        try:
            if self.window is not None and shiboken6.isValid(self.window):
                self.window.close()  # cancels the sync, the pings and the sign-ins in flight
            idle = self.runner.drain() if isinstance(self.runner, TaskRunner) else True
            self.close_store()
        finally:
            if self.lock is not None:
                self.lock.release()
                self.lock = None
            self.hook.uninstall()
        return idle


def _remove_new_profile(path: Path) -> None:
    """Remove a profile folder made a moment ago for a new profile whose setup was cancelled (only the
    files the store and the lock create there; anything else keeps the folder)."""
    import shutil

    ours = {
        DB_FILENAME,
        DB_FILENAME + "-wal",
        DB_FILENAME + "-shm",
        "dttsclient.lock",
        "dttsclient.knock",
        "logs",
    }
    try:
        names = {p.name for p in path.iterdir()}
    except OSError:
        return
    if names <= ours:
        shutil.rmtree(path, ignore_errors=True)
    else:
        logger.warning("new profile %s kept: it holds %s", path, sorted(names - ours))


def choose_profile(dirs: AppDirs) -> Path | None:
    """The profile to open: the given one, or — when several exist under the profiles root — the one
    the officer picks (None: they closed the picker)."""
    if dirs.explicit:
        return dirs.data_dir
    profiles = list_profiles(dirs.profiles_root)
    if len(profiles) <= 1:
        return profiles[0].path if profiles else dirs.data_dir
    return ProfilePicker.ask(profiles, dirs.profiles_root)


def run_smoke_test(app: QApplication, lang: str) -> int:
    """Offscreen self-check for packaging: temporary profile, sample catalogue, first paint, one cell
    written and read back. Returns 0 on success."""
    from dttsclient.ui.demo import DEMO_UNIT, sample_catalog_path
    from dttscore import refdata
    from dttscore.periods import parse_period

    with tempfile.TemporaryDirectory(prefix="dttsclient-smoke-") as tmp:
        store = Store.open(Path(tmp) / "profile")
        controller = None
        try:
            from dttscore.catalog import load_catalog

            store.catalogs.import_catalog(load_catalog(sample_catalog_path()))
            commune = refdata.commune(DEMO_UNIT)
            store.settings.set_profile(
                unit=DEMO_UNIT, unit_name=commune.commune_name if commune else None, lang=lang
            )
            store.close()
            controller = AppController(app, Path(tmp) / "profile", lang)
            if not controller.open() or controller.window is None or controller.store is None:
                return 1
            window = controller.window
            app.processEvents()
            if window.grab().isNull():
                print("smoke test: the main window did not paint", file=sys.stderr)
                return 1
            row = window.form_model.row_at(0)
            window._form_activated(window.form_model.index(0, 0))
            app.processEvents()
            s = controller.store
            report = s.reports.report(DEMO_UNIT, row.form, row.period)
            assert report is not None
            catalog = s.catalogs.current_catalog()
            assert catalog is not None
            code = next(i.code for i in catalog.form_indicators(row.form) if not catalog.dimensions_of(i))
            s.reports.set_cell(report.id, code, "", "42", "smoke-test")
            if s.reports.cells(report.id).get((code, "")) != "42":
                print("smoke test: the cell did not read back", file=sys.stderr)
                return 1
            parse_period(row.period)
            print(f"smoke test ok: {row.form} {row.period} {code}=42")
            return 0
        finally:
            if controller is not None:
                controller.shutdown()
            else:
                store.close()


def run_gui(ns: argparse.Namespace, dirs: AppDirs) -> int:
    """Run the desktop app; the process's exit code.

    Args:
        ns: the parsed command line (``demo``, ``lang``, ``unit``, ``smoke_test``).
        dirs: the run's folders, resolved once in ``__main__``.
    """
    lang = normalize(getattr(ns, "lang", None))
    if getattr(ns, "smoke_test", False):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        return run_smoke_test(application(), lang)
    app = application()
    demo = None
    session = None
    banner = None
    root = dirs.profiles_root
    if getattr(ns, "demo", False):
        from dttsclient.ui.demo import DemoEnvironment

        try:
            demo = DemoEnvironment().start()
        except DttsError as exc:
            print(exc.text(lang), file=sys.stderr)
            QMessageBox.warning(None, "DTTS — DEMO", exc.text(lang))
            return 1
        data_dir, session, banner = demo.profile_dir, demo.session, demo.banner()
        root = data_dir.parent  # the demo's own temporary folder
    else:
        Translations(app).install(lang)  # the profile picker's Qt buttons (the controller re-installs)
        chosen = choose_profile(dirs)
        if chosen is None:
            return 0
        data_dir = chosen
    controller = AppController(app, data_dir, lang, session=session, demo_banner=banner, profiles_root=root)
    if os.environ.get(FIRST_PAINT_ENV):
        _exit_after_first_paint(app)
    quit_on_signals(app)
    code = 0
    try:
        if not controller.open():
            return 0
        code = app.exec()
        return code
    finally:
        idle = True
        try:
            idle = controller.shutdown()
        finally:
            if demo is not None:
                demo.stop()  # the demo's temporary folder goes, whatever happened above
            if not idle:  # a thread no cancel reaches must not keep the closed app alive
                exit_now(code)


def quit_on_signals(app: QApplication) -> None:
    """Ctrl+C in the terminal or a polite kill (SIGTERM) ends the app the normal way: the window closes,
    the profile is let go and the demo's folder is removed. Python runs signal handlers only between
    bytecodes, so a timer gives it a moment every half second while Qt waits for events."""
    import signal

    def stop(_signum: int, _frame: object) -> None:
        QTimer.singleShot(0, app.quit)

    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            signal.signal(sig, stop)
        except (ValueError, OSError):  # not the main thread, or not supported here
            return
    timer = QTimer(app)
    timer.setInterval(500)
    timer.timeout.connect(lambda: None)
    timer.start()


__all__ = ["AppController", "run_gui", "run_smoke_test"]
