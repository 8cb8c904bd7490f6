"""A hub that is gone (issue #11, item 4): how fast the officer hears it, how fast Dừng stops a sync,
how fast the app ends when its window is closed in the middle of a sync.

Real parts only: a port where nothing listens (the hub stopped: connection refused), a listener that
takes the connection and never answers (a hub gone silent), a listener whose backlog is full (every SYN
dropped: a connect that hangs), the real hub behind the fault proxy holding the batch's reply (the link
black-holes it), and — for the exit — the real ``dttsclient`` process under Xvfb with openbox, closed the
way a person closes it (Alt+F4 through the window manager: ``WM_DELETE_WINDOW``).

Figures:

1. hub gone → the plain sentence ("Không kết nối được máy chủ …"): the engine alone, the GUI's Sync
   page (start_sync → the sentence shown), for refused / silent / SYN-dropping, and the password prompt
   (Đăng nhập → the sentence with "Để sau" to work offline); goal ≤ 20 s.
2. Dừng → stopped (the GUI's ``cancel_sync`` → the sync's end delivered on the GUI thread, button back):
   during the held batch, during the probe on a silent hub, during a connect that hangs; the worst of
   the runs; goal ≤ 1 s.
3. window closed during a sync on a black-holed link → process gone: the real process, Alt+F4 →
   ``waitpid``; goal ≤ 2 s. The outbox row left ``sending`` is then settled by a clean sync (checked).

Run alone: ``python benchmarks/offline_bench.py [--quick]`` (prints JSON). The X display: ``$DTTS_BENCH_DISPLAY``
(a number; default: Xvfb picks a free one).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))  # the repository root: the test helpers are tests.support

GOAL_MESSAGE_S = 20.0
GOAL_STOP_S = 1.0
GOAL_EXIT_S = 2.0
PLAIN = "Không kết nối được máy chủ"
LIMIT_S = 30.0
ARTIFACTS = Path(os.environ.get("DTTS_BENCH_ARTIFACTS", tempfile.gettempdir())) / "dtts-offline-bench"
USER = "can_bo"


# -- profiles ------------------------------------------------------------------------------------------
def _offline_profile(folder: Path, url: str):
    """A profile that believes it is signed in to ``url`` (the ping comes first, so no token is checked)."""
    from dttsclient.store import Store
    from dttsclient.sync.credentials import MemoryCredentials, Tokens

    store = Store.open(folder)
    store.settings.set_profile(server_url=url, username=USER, unit="01849")
    creds = MemoryCredentials()
    creds.save(store.settings.device_id, USER, Tokens("not-checked", "not-checked"))
    return store, creds


@contextmanager
def _unreachable(kind: str):
    """The address of a hub that is gone in the way ``kind`` says."""
    from tests.support.blackhole import BlackHole, refused_url

    if kind == "refused":
        yield refused_url()
        return
    with BlackHole(drop_syn=kind == "drop_syn") as hole:
        yield hole.url


KINDS = {
    "refused": "hub stopped: connection refused",
    "silent": "hub takes the connection and never answers",
    "drop_syn": "every SYN dropped: the connect hangs",
}


# -- 1. the plain sentence -------------------------------------------------------------------------------
def _engine_message(kind: str) -> tuple[float, str]:
    from dttsclient.sync.engine import SyncEngine
    from dttsclient.sync.errors import SyncError
    from dttsclient.sync.transport import TransportConfig

    with tempfile.TemporaryDirectory() as tmp, _unreachable(kind) as url:
        store, creds = _offline_profile(Path(tmp) / "p", url)
        try:
            engine = SyncEngine.for_profile(store, creds, config=TransportConfig.interactive())
            t0 = time.monotonic()
            try:
                engine.sync()
                text = "(the sync succeeded?)"
            except SyncError as exc:
                text = exc.message_vi
            elapsed = time.monotonic() - t0
            engine.transport.close()
        finally:
            store.close()
    return elapsed, text


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _window(store, creds):
    from dttsclient.ui.main_window import MainWindow
    from dttsclient.ui.session import SyncSession
    from dttsclient.ui.tasks import TaskRunner

    app = _app()
    runner = TaskRunner()
    session = SyncSession(Path(store.data_dir), creds)
    w = MainWindow(store, runner, session)
    w.say = lambda _text: None  # type: ignore[method-assign]
    w.show()
    app.processEvents()
    return w, runner


def _until(predicate, timeout: float) -> bool:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        if predicate():
            return True
        time.sleep(0.002)
    return predicate()


def _gui_message(kind: str) -> tuple[float, str]:
    with tempfile.TemporaryDirectory() as tmp, _unreachable(kind) as url:
        store, creds = _offline_profile(Path(tmp) / "p", url)
        w, runner = _window(store, creds)
        try:
            t0 = time.monotonic()
            assert w.start_sync()
            _until(lambda: not w.syncing, 60)
            elapsed = time.monotonic() - t0
            text = w.sync_view.status.text()
            offered = w.sync_view.courier_button.isVisibleTo(w)
            status = w.connection_label.text()
        finally:
            w.close()
            runner.drain(5000)
            w.deleteLater()
            store.close()
    return elapsed, f"{text[:60]}…; courier button {'shown' if offered else 'MISSING'}; status bar {status!r}"


def _prompt_message(kind: str) -> tuple[float, str]:
    """The password prompt (shown at start-up when the PC has no keyring): Đăng nhập → the sentence."""
    from dttsclient.ui.session import SyncSession
    from dttsclient.ui.tasks import TaskRunner
    from dttsclient.ui.wizard import LoginDialog

    _app()
    with tempfile.TemporaryDirectory() as tmp, _unreachable(kind) as url:
        store, creds = _offline_profile(Path(tmp) / "p", url)
        runner = TaskRunner()
        dialog = LoginDialog(SyncSession(Path(store.data_dir), creds), runner, url, USER, "vi")
        try:
            dialog.show()
            dialog.password.setText("mat-khau")
            t0 = time.monotonic()
            dialog.ok.click()
            _until(dialog.ok.isEnabled, 60)
            elapsed = time.monotonic() - t0
            text = dialog.message.text()
        finally:
            dialog.reject()
            runner.drain(5000)
            dialog.deleteLater()
            store.close()
    return elapsed, text


# -- 2. Dừng ------------------------------------------------------------------------------------------
def _stop_on_silent(kind: str) -> float:
    with tempfile.TemporaryDirectory() as tmp, _unreachable(kind) as url:
        store, creds = _offline_profile(Path(tmp) / "p", url)
        w, runner = _window(store, creds)
        try:
            assert w.start_sync()
            _until(lambda: False, 0.5)  # the probe is in flight
            t0 = time.monotonic()
            w.sync_view.cancel_button.click()
            _until(lambda: not w.syncing, 30)
            elapsed = time.monotonic() - t0
            assert "Đã dừng" in w.sync_view.status.text(), w.sync_view.status.text()
        finally:
            w.close()
            runner.drain(5000)
            w.deleteLater()
            store.close()
    return elapsed


@contextmanager
def _hub_and_proxy(tmp: Path):
    from tests.support.faultproxy import FaultProxy
    from tests.support.hubfixture import COMMUNE_A, TEST_NOW, start_hub

    hub = start_hub(tmp / "hub", clock=TEST_NOW)
    try:
        hub.publish_catalog()
        hub.add_user(USER, "officer", COMMUNE_A)
        with FaultProxy(hub.url, lifetime=600) as proxy:
            yield hub, proxy
    finally:
        hub.stop()


def _signed_in(folder: Path, url: str, creds):
    from dttsclient.store import Store
    from dttsclient.sync.login import login
    from tests.support.hubfixture import DEFAULT_PASSWORD
    from tests.support.syncutil import FAST

    store = Store.open(folder)
    login(store, url, USER, DEFAULT_PASSWORD, creds, "PC xã", config=FAST)
    return store


def _stop_held_batch(runs: int) -> tuple[list[float], str]:
    from dttsclient.sync.credentials import MemoryCredentials
    from tests.support.syncutil import finalize

    times: list[float] = []
    settled = []
    with tempfile.TemporaryDirectory() as tmp, _hub_and_proxy(Path(tmp)) as (_hub, proxy):
        creds = MemoryCredentials()
        store = _signed_in(Path(tmp) / "p", proxy.url, creds)
        w, runner = _window(store, creds)
        try:
            for i in range(runs):
                finalize(store, str(2026 + i))
                proxy.held.clear()
                proxy.fault("hold", path="submissions:batch", times=1)
                assert w.start_sync()
                assert _until(proxy.held.is_set, 30), "the batch never went out"
                t0 = time.monotonic()
                w.sync_view.cancel_button.click()
                _until(lambda: not w.syncing, 30)
                times.append(time.monotonic() - t0)
                sending = store.outbox.counts().get("sending", 0)
                proxy.clear()
                assert w.start_sync()  # the next sync asks the hub about the row left "sending"
                _until(lambda: not w.syncing, 30)
                settled.append((sending, store.sync.last_sync()["summary"]["settled"]))
        finally:
            w.close()
            runner.drain(5000)
            w.deleteLater()
            store.close()
    ok = all(s == (1, 1) for s in settled)
    return times, f"row left 'sending' then settled by the next sync: {'yes' if ok else settled}"


# -- 3. the real process, closed during a sync ---------------------------------------------------------
@contextmanager
def _x_display():
    """An X display with openbox: ``$DTTS_BENCH_DISPLAY`` or a free one Xvfb picks."""
    if not (shutil.which("Xvfb") and shutil.which("openbox") and shutil.which("xdotool")):
        raise RuntimeError("Xvfb, openbox and xdotool are needed")
    with ExitStack() as stack:
        wanted = os.environ.get("DTTS_BENCH_DISPLAY", "").lstrip(":")
        if wanted:
            xvfb = subprocess.Popen(
                ["Xvfb", f":{wanted}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                stderr=subprocess.DEVNULL,
            )
            display = f":{wanted}"
        else:
            r, wfd = os.pipe()
            xvfb = subprocess.Popen(
                ["Xvfb", "-displayfd", str(wfd), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                pass_fds=(wfd,),
                stderr=subprocess.DEVNULL,
            )
            os.close(wfd)
            with os.fdopen(r) as f:
                display = ":" + f.readline().strip()
        stack.callback(_stop, xvfb)
        env = {**os.environ, "DISPLAY": display}
        for _ in range(100):
            if subprocess.run(["xdotool", "getmouselocation"], env=env, capture_output=True).returncode == 0:
                break
            time.sleep(0.05)
        wm = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stack.callback(_stop, wm)
        time.sleep(0.5)
        yield display


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _child_env(display: str, keyring_file: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("QT_QPA_PLATFORM") and k != "WAYLAND_DISPLAY"
    }
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        PYTHON_KEYRING_BACKEND="filekeyring.FileKeyring",
        DTTS_BENCH_KEYRING_FILE=str(keyring_file),
        PYTHONPATH=os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        HOME=str(keyring_file.parent),
        XDG_CONFIG_HOME=str(keyring_file.parent / "config"),
    )
    return env


def _close_during_sync(display: str, runs: int, what: str) -> tuple[list[float], str]:
    """Start ``dttsclient``; once the batch (``what`` = "batch") or the start-up probe (``what`` =
    "ping") is held by the link, press Alt+F4 and time until the process is gone."""
    import keyring
    from filekeyring import FileKeyring

    from dttsclient.store import setting_keys
    from dttsclient.sync.credentials import KeyringCredentials
    from dttsclient.ui.settings_dialog import save_settings
    from tests.support.syncutil import FAST, finalize

    times: list[float] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, _hub_and_proxy(Path(tmp)) as (_hub, proxy):
        keyring_file = Path(tmp) / "keyring.json"
        previous = keyring.get_keyring()
        keyring.set_keyring(FileKeyring(keyring_file))
        try:
            creds = KeyringCredentials()
            profile = Path(tmp) / "p"
            store = _signed_in(profile, proxy.url, creds)
            save_settings(store, {setting_keys.AUTO_SYNC: True})  # the quiet sync starts when the first ping answers
            env = _child_env(display, keyring_file)
            for i in range(runs):
                finalize(store, str(2026 + i))
                proxy.clear()
                proxy.held.clear()
                if what == "ping":
                    proxy.fault("hold", path="/ping")
                else:
                    proxy.fault("hold", path="submissions:batch")
                child = subprocess.Popen(
                    [sys.executable, "-m", "dttsclient", "--data-dir", str(profile)],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
                try:
                    if not proxy.held.wait(60):
                        raise RuntimeError(f"the {what} never went out")
                    found = subprocess.run(
                        ["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(child.pid)],
                        env=env,
                        capture_output=True,
                        text=True,
                        timeout=30,
                    ).stdout.split()
                    window = found[-1]
                    subprocess.run(["xdotool", "windowactivate", "--sync", window], env=env, timeout=10)
                    active = subprocess.run(
                        ["xdotool", "getactivewindow"], env=env, capture_output=True, text=True, timeout=10
                    ).stdout.strip()
                    if active != window:  # the key would go elsewhere: say so rather than time it
                        notes.append(f"run {i + 1}: active window {active!r}, not the app's {window!r}")
                    t0 = time.monotonic()
                    subprocess.run(["xdotool", "key", "--clearmodifiers", "alt+F4"], env=env, timeout=10)
                    try:
                        child.wait(LIMIT_S)
                        times.append(time.monotonic() - t0)
                    except subprocess.TimeoutExpired:
                        times.append(LIMIT_S)
                        notes.append(f"run {i + 1}: " + _evidence(env, profile, i))
                finally:
                    _stop(child)
                    if child.stderr is not None:
                        err = child.stderr.read().decode(errors="replace")
                        child.stderr.close()
                        if "Traceback" in err:
                            notes.append("child traceback: " + err[-300:])
            # the row the closed app left in flight is settled by the next (clean) sync, never lost
            proxy.clear()
            from dttsclient.sync.engine import SyncEngine

            engine = SyncEngine.for_profile(store, creds, config=FAST)
            try:
                result = engine.sync()
            finally:
                engine.transport.close()
            counts = store.outbox.counts()
            notes.append(
                f"next sync: {result.settled} settled, {result.sent} sent; outbox {dict(counts)}"
                if what == "batch"
                else f"next sync: {result.sent} sent; outbox {dict(counts)}"
            )
            store.close()
        finally:
            keyring.set_keyring(previous)
    return times, "; ".join(notes)


def _evidence(env: dict[str, str], profile: Path, run: int) -> str:
    """The process outlived the limit: a screenshot and the log's tail, for the note."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"not-ended-{run + 1}.png"
    subprocess.run(["import", "-window", "root", str(shot)], env=env, capture_output=True, timeout=20)
    log = profile / "logs" / "dttsclient.log"
    tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-4:] if log.exists() else []
    return f"NOT ended within {LIMIT_S:.0f} s (screenshot {shot}; log: {' | '.join(tail)})"


# -- the figures ----------------------------------------------------------------------------------------
def figures(quick: bool = False) -> list[dict]:
    from run import figure

    out: list[dict] = []
    for kind, label in KINDS.items():
        elapsed, text = _engine_message(kind)
        plain = text.startswith(PLAIN)
        out.append(
            figure(
                f"hub gone → plain sentence, engine ({label})",
                elapsed,
                "s",
                GOAL_MESSAGE_S if plain else 0.0,
                note=f"{text[:70]}…" if plain else f"NOT the plain sentence: {text[:120]}",
            )
        )
    for kind, label in KINDS.items():
        if quick and kind == "drop_syn":
            continue
        elapsed, text = _gui_message(kind)
        plain = text.startswith(PLAIN)
        out.append(
            figure(
                f"hub gone → plain sentence on the Sync page, GUI ({label})",
                elapsed,
                "s",
                GOAL_MESSAGE_S if plain else 0.0,
                note=text,
            )
        )
    for kind in ("refused", "silent"):
        elapsed, text = _prompt_message(kind)
        plain = text.startswith(PLAIN) and "Để sau" in text
        out.append(
            figure(
                f"hub gone → plain sentence in the password prompt ({KINDS[kind]})",
                elapsed,
                "s",
                GOAL_MESSAGE_S if plain else 0.0,
                note=f"{text[:50]}… {text[-60:]}",
            )
        )
    runs = 2 if quick else 5
    held, note = _stop_held_batch(runs)
    out.append(
        figure(
            "Dừng → stopped, GUI, batch in flight on a link that black-holes the reply (worst of "
            f"{len(held)})",
            max(held),
            "s",
            GOAL_STOP_S,
            note=f"runs {', '.join(f'{t * 1000:.0f} ms' for t in held)}; {note}",
        )
    )
    for kind in ("silent", "drop_syn"):
        stops = [_stop_on_silent(kind) for _ in range(2 if quick else 3)]
        out.append(
            figure(
                f"Dừng → stopped, GUI, probe in flight ({KINDS[kind]}) (worst of {len(stops)})",
                max(stops),
                "s",
                GOAL_STOP_S,
                note="runs " + ", ".join(f"{t * 1000:.0f} ms" for t in stops),
            )
        )
    with _x_display() as display:
        for what, label in (
            ("batch", "the quiet sync's batch held by the link"),
            ("ping", "the start-up ping held by the link"),
        ):
            times, note = _close_during_sync(display, 2 if quick else 3, what)
            out.append(
                figure(
                    f"window closed (Alt+F4, openbox) → dttsclient process gone, {label} (worst of "
                    f"{len(times)})",
                    max(times),
                    "s",
                    GOAL_EXIT_S,
                    note=f"runs {', '.join(f'{t * 1000:.0f} ms' for t in times)}; {note}",
                )
            )
    return out


if __name__ == "__main__":
    print(json.dumps(figures("--quick" in sys.argv), ensure_ascii=False, indent=2))
