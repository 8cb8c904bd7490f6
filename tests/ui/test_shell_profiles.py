"""Profiles as an officer meets them: Đổi hồ sơ → Hồ sơ mới → Huỷ returns to where they were; one app
per profile (a second start brings the first window forward and exits); a lock left by a crash does not
block; the demo's temporary folder goes whatever ends the app."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWizard

from dttsclient.store import Store
from dttsclient.ui.app import AppController
from dttsclient.ui.instance import LOCK_FILENAME, LockState, ProfileLock
from dttsclient.ui.main_window import MainWindow
from dttsclient.ui.profiles import ProfilePicker, new_profile_dir

ROOT = Path(__file__).resolve().parents[2]


def _controller(qtbot, store, sync_runner, kit) -> AppController:
    controller = AppController(
        QApplication.instance(),
        store.data_dir,
        "vi",
        form_view_factory=kit.form_view_stub,
        runner=sync_runner,
    )
    controller.store = store
    controller.lock = ProfileLock(store.data_dir)
    assert controller.lock.acquire() is LockState.OWNED
    controller.translations.install("vi")
    controller.show_window()
    qtbot.addWidget(controller.window)
    return controller


def _release(controller: AppController) -> None:
    controller.translations.install("vi")
    if controller.lock is not None:
        controller.lock.release()
    if controller.store is not None and controller.store.data_dir != controller.data_dir:
        controller.store.close()
    controller.hook.uninstall()


def test_new_profile_cancelled_in_the_wizard_returns_to_the_same_window_and_form(
    qtbot, store, sync_runner, kit, monkeypatch
):
    controller = _controller(qtbot, store, sync_runner, kit)
    try:
        window = controller.window
        window.set_period("202611")
        window._form_activated(window.form_model.index(3, 0))  # BM04 of November, open for entry
        report_id = window.form_view.text()
        root = store.data_dir.parent
        new_dir = new_profile_dir(root, "Chị Lan")
        monkeypatch.setattr(ProfilePicker, "ask", classmethod(lambda cls, profiles, r, parent=None: new_dir))
        seen: list[str] = []

        def press_cancel() -> None:  # the real wizard, closed with its Huỷ button
            wizard = QApplication.activeModalWidget()
            assert isinstance(wizard, QWizard)
            seen.append(wizard.button(QWizard.WizardButton.CancelButton).text())
            wizard.button(QWizard.WizardButton.CancelButton).click()

        QTimer.singleShot(0, press_cancel)
        assert window.request_switch_profile()

        assert seen == ["Huỷ"]
        assert controller.window is window and shiboken6.isValid(window) and window.isVisible()
        assert controller.store is store and controller.data_dir == store.data_dir
        assert window.tabs.currentWidget() is window.entry_page and window.form_view.text() == report_id
        assert window.current_period() == "202611"
        assert store.settings.profile().unit == kit.UNIT  # the store still answers
        assert not new_dir.exists()  # the folder made for the cancelled profile is gone
        assert controller.lock.owned
    finally:
        _release(controller)


def test_switching_to_a_profile_open_elsewhere_changes_nothing(qtbot, store, sync_runner, kit, monkeypatch):
    controller = _controller(qtbot, store, sync_runner, kit)
    other_dir = store.data_dir.parent / "chi-lan"
    Store.open(other_dir).close()
    # another app holds the other profile, and does not answer (its event loop is this one, blocked)
    holder = ProfileLock(other_dir)
    assert holder.acquire() is LockState.OWNED
    try:
        window = controller.window
        monkeypatch.setattr(
            ProfilePicker, "ask", classmethod(lambda cls, profiles, r, parent=None: other_dir)
        )
        asked: list[Path] = []
        monkeypatch.setattr(
            controller, "ask_open_anyway", lambda path, parent=None: asked.append(path) or False
        )
        monkeypatch.setattr("dttsclient.ui.instance.ANSWER_WAIT_S", 0.3)
        assert window.request_switch_profile()
        assert asked == [other_dir]
        assert controller.window is window and window.isVisible() and controller.data_dir == store.data_dir
        assert holder.owned
    finally:
        holder.release()
        _release(controller)


def test_a_lock_left_by_a_crash_is_taken_over(tmp_path):
    profile = tmp_path / "p"
    profile.mkdir()
    code = (
        "import os, sys; from PySide6.QtCore import QLockFile; "
        f"l = QLockFile({str(profile / LOCK_FILENAME)!r}); assert l.tryLock(0); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert (profile / LOCK_FILENAME).exists()  # the crashed app never removed it
    lock = ProfileLock(profile)
    try:
        assert lock.acquire(wait=0.3) is LockState.OWNED
    finally:
        lock.release()
    assert not (profile / LOCK_FILENAME).exists()


def test_a_lock_whose_owner_never_answers_can_be_taken_over(tmp_path):
    profile = tmp_path / "p"
    profile.mkdir()
    code = (
        "import sys, time; from PySide6.QtCore import QLockFile; "
        f"l = QLockFile({str(profile / LOCK_FILENAME)!r}); assert l.tryLock(0); print('locked', flush=True); "
        "time.sleep(60)"
    )
    hung = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert hung.stdout.readline().strip() == "locked"
        lock = ProfileLock(profile)
        assert lock.acquire(wait=0.3) is LockState.BUSY
        assert lock.take_over() and lock.owned
        lock.release()
    finally:
        hung.kill()
        hung.communicate(timeout=10)


def _set_up_profile(path: Path, kit) -> None:
    from dttscore import refdata
    from dttscore.catalog import load_catalog

    with Store.open(path) as s:
        s.catalogs.import_catalog(load_catalog(ROOT / "resources" / "catalog" / "sample.json"))
        s.settings.set_profile(unit=kit.UNIT, unit_name=refdata.commune(kit.UNIT).commune_name, lang="vi")


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "TMPDIR": str(tmp_path / "tmp"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_second_app_on_the_same_profile_brings_the_first_forward_and_exits(tmp_path, kit):
    profile = tmp_path / "profiles" / "default"
    _set_up_profile(profile, kit)
    env = _env(tmp_path)
    (tmp_path / "tmp").mkdir()
    log = profile / "logs" / "dttsclient.log"
    cmd = [sys.executable, "-m", "dttsclient", "--data-dir", str(profile)]
    first = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_for(
            lambda: log.exists() and "opened by this app" in log.read_text(encoding="utf-8"),
            60,
            "the first app",
        )
        time.sleep(0.5)
        second = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 0, second.stderr
        assert "Hồ sơ «default» đang mở trong một cửa sổ DTTS khác" in second.stderr
        assert "Traceback" not in second.stderr
        # the first app is unaffected: still running, it brought its window forward
        assert first.poll() is None
        _wait_for(lambda: "another app tried to open" in log.read_text(encoding="utf-8"), 10, "the knock")
        assert first.poll() is None
        first.send_signal(signal.SIGTERM)  # a polite end: the app closes the normal way
        _out, err = first.communicate(timeout=20)
        assert first.returncode == 0, err
        assert not (profile / LOCK_FILENAME).exists()
        assert "Traceback" not in err
    finally:
        if first.poll() is None:
            first.kill()
        first.communicate(timeout=10)


def test_the_demo_folder_is_removed_when_the_app_is_ended(tmp_path):
    env = _env(tmp_path)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dttsclient", "--demo"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(
            lambda: any((d / "profile" / LOCK_FILENAME).exists() for d in tmp.glob("dttsclient-demo-*")),
            90,
            "the demo",
        )
        time.sleep(1)
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=10)
    assert list(tmp.glob("dttsclient-demo-*")) == []


def test_switch_profile_opens_a_set_up_profile_and_lets_the_old_one_go(
    qtbot, store, sync_runner, kit, monkeypatch
):
    controller = _controller(qtbot, store, sync_runner, kit)
    other_dir = store.data_dir.parent / "chi-lan"
    _set_up_profile(other_dir, kit)
    old = controller.window
    try:
        monkeypatch.setattr(
            ProfilePicker, "ask", classmethod(lambda cls, profiles, r, parent=None: other_dir)
        )
        assert old.request_switch_profile()
        assert controller.data_dir == other_dir and controller.store.data_dir == other_dir
        assert isinstance(controller.window, MainWindow) and controller.window is not old
        qtbot.addWidget(controller.window)
        # the old profile is free for another app, the new one is ours
        probe = ProfileLock(store.data_dir)
        assert probe.acquire(wait=0.3) is LockState.OWNED
        probe.release()
        assert ProfileLock(other_dir).acquire(wait=0.3) is LockState.BUSY
    finally:
        controller.shutdown()


def test_a_new_profile_cancelled_at_start_up_leaves_no_folder(qtbot, tmp_path, sync_runner, monkeypatch):
    from dttsclient.ui.wizard import SetupWizard

    new_dir = new_profile_dir(tmp_path / "profiles", "Anh Tú")
    controller = AppController(QApplication.instance(), new_dir, "vi", runner=sync_runner)
    monkeypatch.setattr(SetupWizard, "exec", lambda self: 0)  # the officer presses Huỷ
    try:
        assert controller.open() is False
        assert controller.window is None and controller.store is None and controller.lock is None
        assert not new_dir.exists()
    finally:
        controller.shutdown()
