"""The end-to-end harness: a real X server, a window manager, the real ``dttsclient`` and ``dttshub``
processes, real X input, and checks from outside (command line, window list, screenshots).

Nothing here imports the app: the app is a process, driven with ``xdotool`` and read back with
``dttsclient … --json``, ``dttshub reports --json``, ``xwininfo`` and the profile's log file. Every wait
polls with a deadline (no fixed long sleeps); every process and display started here is ended by
:meth:`Processes.stop_all`, also when a test fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCREEN = (1366, 768)
TOOLS = ("Xvfb", "openbox", "xdotool", "xwininfo", "xprop", "import", "xclip")
CRASH_TITLE = "Phần mềm gặp lỗi"  # ui/excepthook.py: ErrorDialog's window title
MAIN_TITLE_VI = "DTTS — Báo cáo chỉ tiêu thống kê công tác dân tộc"
MAIN_TITLE = "DTTS — "  # the main window's title starts so in both languages
PASSWORD = "mat-khau-e2e-2026"
OFFICER = "canbo.e2e"
COMMUNE = "01849"  # Xã Phong Quang (hubfixture.COMMUNE_A)

T = TypeVar("T")
HUB_CMD = [sys.executable, "-c", "import sys; from dttshub.cli import main; sys.exit(main())"]


def missing_tools() -> list[str]:
    """The X tools the suite needs that are not on PATH."""
    return [t for t in TOOLS if shutil.which(t) is None]


def wait_for(what: str, probe: Callable[[], T], timeout: float, interval: float = 0.1) -> T:
    """Poll ``probe`` until it returns something truthy; AssertionError naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        last = probe()
        if last:
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r})")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def artifacts_root() -> Path:
    """``$DTTS_E2E_ARTIFACTS`` or tests/e2e/artifacts (gitignored)."""
    return Path(os.environ.get("DTTS_E2E_ARTIFACTS") or HERE / "artifacts")


def record_figure(name: str, seconds: float) -> None:
    """Append a measured time to ``figures.txt`` in the artifacts folder (issue #11's figures)."""
    root = artifacts_root()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "figures.txt", "a", encoding="utf-8") as f:
        f.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')}\t{name}\t{seconds:.2f} s\n")


def display_numbers() -> list[int]:
    """The X display numbers the suite may use: ``$DTTS_E2E_DISPLAYS`` ("90-99" or "91,93"), else 90–99."""
    spec = os.environ.get("DTTS_E2E_DISPLAYS", "90-99")
    out: list[int] = []
    for part in spec.split(","):
        if "-" in part:
            a, b = part.split("-", 1)
            out.extend(range(int(a), int(b) + 1))
        elif part.strip():
            out.append(int(part))
    return out


class Processes:
    """Every process a test started, ended in reverse order (TERM, then KILL after a grace period)."""

    def __init__(self) -> None:
        self._procs: list[subprocess.Popen] = []

    def start(self, args: list[str], env: dict[str, str], log: Path, **kw: Any) -> subprocess.Popen:
        log.parent.mkdir(parents=True, exist_ok=True)
        out = open(log, "ab")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            args,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            **kw,
        )
        proc._e2e_log = out  # type: ignore[attr-defined]
        self._procs.append(proc)
        return proc

    @staticmethod
    def end(proc: subprocess.Popen, grace: float = 3.0) -> None:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGCONT)  # a stopped hub must be able to die
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        else:  # the process is gone; children of its session may not be
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
        log = getattr(proc, "_e2e_log", None)
        if log is not None:
            log.close()

    def stop_all(self) -> None:
        while self._procs:
            self.end(self._procs.pop())


def _x_lock_pid(n: int) -> int | None:
    try:
        return int(Path(f"/tmp/.X{n}-lock").read_text().strip())
    except (OSError, ValueError):
        return None


# -- the X server ---------------------------------------------------------------------------------------
@dataclass
class Window:
    id: str
    name: str


class XSession:
    """Xvfb at 1366×768 with openbox on a free display of :func:`display_numbers`; X input and reading."""

    def __init__(self, procs: Processes, artifacts: Path) -> None:
        self.procs = procs
        self.artifacts = artifacts
        self.display = ""
        self._shot = 0

    def start(self) -> XSession:
        for n in display_numbers():
            if Path(f"/tmp/.X{n}-lock").exists() or Path(f"/tmp/.X11-unix/X{n}").exists():
                continue
            proc = self.procs.start(
                [
                    "Xvfb",
                    f":{n}",
                    "-screen",
                    "0",
                    f"{SCREEN[0]}x{SCREEN[1]}x24",
                    "-nolisten",
                    "tcp",
                    "-noreset",
                ],
                dict(os.environ),
                self.artifacts / "xvfb.log",
            )
            try:  # ours once its lock file holds its pid (another Xvfb may have taken the number meanwhile)
                wait_for(
                    f"Xvfb :{n}", lambda n=n, p=proc: _x_lock_pid(n) == p.pid or p.poll() is not None, 10
                )
            except AssertionError:
                self.procs.end(proc)
                continue
            if proc.poll() is not None:
                continue
            wait_for(f"the socket of :{n}", lambda n=n: Path(f"/tmp/.X11-unix/X{n}").exists(), 10)
            self.display = f":{n}"
            break
        else:
            raise RuntimeError(f"no free X display among {display_numbers()}")
        self.procs.start(["openbox"], self.env(), self.artifacts / "openbox.log")
        wait_for("openbox to manage the screen", self._wm_running, 15)
        return self

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(DISPLAY=self.display, QT_QPA_PLATFORM="xcb", LANG="C.UTF-8", LC_ALL="C.UTF-8")
        for key in ("WAYLAND_DISPLAY", "QT_SCALE_FACTOR", "QT_SCREEN_SCALE_FACTORS"):
            env.pop(key, None)
        env.update(extra)
        return env

    def run(self, *args: str, check: bool = True, input: str | None = None) -> str:
        r = subprocess.run(
            list(args), env=self.env(), capture_output=True, text=True, timeout=30, input=input
        )
        if check and r.returncode != 0:
            raise RuntimeError(f"{args!r} failed ({r.returncode}): {r.stderr.strip()}")
        return r.stdout

    def _wm_running(self) -> bool:
        out = self.run("xprop", "-root", "_NET_SUPPORTING_WM_CHECK", check=False)
        return "window id" in out

    # -- input ------------------------------------------------------------------------------------------
    def key(self, *keys: str, delay_ms: int = 60) -> None:
        """Press key combinations in turn, e.g. ``key("2")``, ``key("shift")``, ``key("ctrl+a", "Tab")``."""
        self.run("xdotool", "key", "--clearmodifiers", "--delay", str(delay_ms), *keys)
        time.sleep(0.05)

    def type(self, text: str, delay_ms: int = 40) -> None:
        """Type text as key events (xdotool maps non-keyboard characters such as "ầ" to spare keycodes).

        Such a character is typed slowly: xdotool puts the keymap back right after the key, and a client
        that reads the key late can see the old mapping.
        """
        if not text.isascii():
            delay_ms = max(delay_ms, 150)
        self.run("xdotool", "type", "--clearmodifiers", "--delay", str(delay_ms), text)
        time.sleep(0.05)

    def click(
        self,
        win: Window,
        x: int,
        y: int,
        *,
        double: bool = False,
        right_anchor: bool = False,
        bottom_anchor: bool = False,
    ) -> None:
        """Click at ``(x, y)`` inside ``win``'s client area; ``right_anchor``/``bottom_anchor``: ``x``/``y``
        count from its right/bottom edge."""
        gx, gy, w, h = self.geometry(win)
        px = gx + (w - x if right_anchor else x)
        py = gy + (h - y if bottom_anchor else y)
        self.run("xdotool", "mousemove", "--sync", str(px), str(py))
        args = ["click", "--repeat", "2", "--delay", "120", "1"] if double else ["click", "1"]
        self.run("xdotool", *args)
        time.sleep(0.1)

    def set_clipboard(self, text: str) -> None:
        """Put ``text`` on the CLIPBOARD (xclip stays as the selection's owner until another takes it)."""
        proc = subprocess.Popen(
            ["xclip", "-selection", "clipboard", "-i"],
            env=self.env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        proc.communicate(text.encode("utf-8"), timeout=10)
        wait_for("the clipboard", lambda: self.get_clipboard() == text, 5)

    def get_clipboard(self) -> str:
        return self.run("xclip", "-selection", "clipboard", "-o", check=False)

    # -- reading ---------------------------------------------------------------------------------------
    def windows(self, pattern: str = ".", visible: bool = True) -> list[Window]:
        """Top-level windows whose name matches the regular expression ``pattern``."""
        args = ["xdotool", "search"] + (["--onlyvisible"] if visible else []) + ["--name", pattern]
        out = self.run(*args, check=False)
        wins = []
        for wid in out.split():
            name = self.run("xdotool", "getwindowname", wid, check=False).strip()
            if name:
                wins.append(Window(wid, name))
        return wins

    def wait_window(self, pattern: str, timeout: float = 15) -> Window:
        return wait_for(
            f"a window named /{pattern}/", lambda: next(iter(self.windows(pattern)), None), timeout
        )

    def wait_no_window(self, pattern: str, timeout: float = 10) -> None:
        wait_for(f"no window named /{pattern}/", lambda: not self.windows(pattern), timeout)

    def geometry(self, win: Window) -> tuple[int, int, int, int]:
        """``(x, y, width, height)`` of the client area on the screen (xwininfo: without the frame)."""
        out = self.run("xwininfo", "-id", win.id)

        def field(name: str) -> int:
            m = re.search(rf"{name}:\s+(-?\d+)", out)
            assert m, out
            return int(m.group(1))

        return field("Absolute upper-left X"), field("Absolute upper-left Y"), field("Width"), field("Height")

    def frame_extents(self, win: Window) -> tuple[int, int, int, int]:
        """The window manager's frame around ``win``: ``(left, right, top, bottom)``."""
        out = self.run("xprop", "-id", win.id, "_NET_FRAME_EXTENTS", check=False)
        m = re.search(r"=\s*(\d+),\s*(\d+),\s*(\d+),\s*(\d+)", out)
        return tuple(int(g) for g in m.groups()) if m else (0, 0, 0, 0)  # type: ignore[return-value]

    def net_wm_state(self, win: Window) -> str:
        return self.run("xprop", "-id", win.id, "_NET_WM_STATE", check=False)

    def activate(self, win: Window) -> None:
        self.run("xdotool", "windowactivate", "--sync", win.id, check=False)
        wait_for(f"{win.name!r} to have the focus", lambda: self.active_id() == win.id, 5)

    def active_id(self) -> str:
        return self.run("xdotool", "getactivewindow", check=False).strip()

    def screenshot(self, label: str) -> Path:
        """Save the whole screen as ``NN-label.png`` in the test's artifact folder."""
        self._shot += 1
        path = self.artifacts / f"{self._shot:02d}-{re.sub(r'[^A-Za-z0-9_.-]+', '-', label)}.png"
        self.run("import", "-window", "root", str(path), check=False)
        return path


# -- the hub -------------------------------------------------------------------------------------------
class HubProcess:
    """``dttshub serve`` on 127.0.0.1 over an SQLite file, with one officer and the small test catalogue."""

    def __init__(self, procs: Processes, workdir: Path, artifacts: Path) -> None:
        self.procs = procs
        self.data_dir = workdir / "hub"
        self.artifacts = artifacts
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str, input: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
        r = subprocess.run(
            [*HUB_CMD, "--data-dir", str(self.data_dir), *args],
            capture_output=True,
            text=True,
            timeout=60,
            input=input,
            env=_plain_env(),
        )
        if check and r.returncode != 0:
            raise RuntimeError(f"dttshub {args!r} failed: {r.stdout}{r.stderr}")
        return r

    def prepare(self) -> HubProcess:
        sys.path.insert(0, str(ROOT))  # for tests.support (already importable under pytest)
        from tests.support.hubfixture import small_catalog

        self.data_dir.mkdir(parents=True, exist_ok=True)
        catalog = self.data_dir.parent / "catalog.json"
        catalog.write_text(json.dumps(small_catalog(), ensure_ascii=False), encoding="utf-8")
        self.cli(
            "user", "add", "--role", "officer", "--unit", COMMUNE, "--password-stdin", OFFICER, input=PASSWORD
        )
        self.cli("catalog", "publish", str(catalog))
        return self

    def start(self) -> HubProcess:
        self.proc = self.procs.start(
            [
                *HUB_CMD,
                "--data-dir",
                str(self.data_dir),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--environment",
                "test",
            ],
            _plain_env(),
            self.artifacts / "hub.log",
        )
        wait_for("the hub to answer", self._answers, 30)
        return self

    def _answers(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise AssertionError(f"the hub exited ({self.proc.returncode}); see {self.artifacts / 'hub.log'}")
        with socket.socket() as s:
            s.settimeout(0.5)
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def kill(self) -> None:
        """The hub goes away: SIGKILL (connections are refused from now on)."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def freeze(self) -> None:
        """The hub stops answering but keeps its port (connections hang)."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGSTOP)

    def reports(self) -> list[dict]:
        return json.loads(self.cli("--json", "reports").stdout)["reports"]


def _plain_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("LANG", "C.UTF-8")
    return env


# -- the app ---------------------------------------------------------------------------------------------
class AppProcess:
    """The real ``dttsclient`` GUI on a profile folder, plus the same profile read from outside."""

    def __init__(self, procs: Processes, x: XSession, workdir: Path, artifacts: Path) -> None:
        self.procs = procs
        self.x = x
        self.workdir = workdir
        self.data_dir = workdir / "profiles" / "chinh"
        self.artifacts = artifacts
        self.proc: subprocess.Popen | None = None
        self.home = workdir / "home"
        self.home.mkdir(parents=True, exist_ok=True)
        self.tmpdir = workdir / "tmp"  # the app's temporary files (the demo's folder) go here
        self.tmpdir.mkdir(parents=True, exist_ok=True)

    def env(self) -> dict[str, str]:
        """The app's environment: the X display, xcb (never offscreen), a keyring file, a private HOME."""
        return self.x.env(
            HOME=str(self.home),
            XDG_CONFIG_HOME=str(self.home / ".config"),
            XDG_DATA_HOME=str(self.home / ".local" / "share"),
            XDG_CACHE_HOME=str(self.home / ".cache"),
            XDG_RUNTIME_DIR=str(self.home / "run"),
            TMPDIR=str(self.tmpdir),
            PYTHONPATH=os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
            PYTHON_KEYRING_BACKEND="e2e_keyring.FileKeyring",
            DTTS_E2E_KEYRING=str(self.workdir / "keyring.json"),
        )

    # -- outside ------------------------------------------------------------------------------------------
    def cli(self, *args: str, input: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
        (self.home / "run").mkdir(mode=0o700, exist_ok=True)
        r = subprocess.run(
            [sys.executable, "-m", "dttsclient", "--data-dir", str(self.data_dir), *args],
            capture_output=True,
            text=True,
            timeout=60,
            input=input,
            env=self.env(),
        )
        if check and r.returncode != 0:
            raise RuntimeError(f"dttsclient {args!r} failed ({r.returncode}): {r.stdout}{r.stderr}")
        return r

    def sign_in_by_cli(self, hub: HubProcess) -> None:
        """Set the profile up as a finished first run would (sign-in, catalogue), without the GUI."""
        self.cli("login", "--server", hub.url, "--user", OFFICER, "--password-stdin", input=PASSWORD)

    def status(self) -> dict:
        return json.loads(self.cli("--json", "status").stdout)

    def values(self, form: str, period: str) -> dict[tuple[str, str], str]:
        doc = json.loads(self.cli("--json", "values", "show", "--form", form, "--period", period).stdout)
        return {(c["code"], c["disagg"]): c["value"] for c in doc["cells"]}

    def report_doc(self, form: str, period: str) -> dict:
        return json.loads(self.cli("--json", "values", "show", "--form", form, "--period", period).stdout)

    def _query(self, sql: str, *args: Any) -> list[tuple]:
        """A read-only look at the profile's database (quicker than the CLI where a test polls fast)."""
        db = self.data_dir / "profile.sqlite"
        if not db.exists():
            return []
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return [tuple(r) for r in con.execute(sql, args)]
        finally:
            con.close()

    def reports(self) -> list[tuple[str, str, str]]:
        """``(form, period, state)`` of every report in the profile."""
        return self._query("SELECT form, period, state FROM reports ORDER BY id")

    def eth_rows(self, form: str, period: str) -> list[str]:
        """The ethnic groups (codes) a report has rows for, in order."""
        return [
            r[0]
            for r in self._query(
                "SELECT e.eth FROM eth_rows e JOIN reports r ON r.id = e.report_id"
                " WHERE r.form = ? AND r.period = ? ORDER BY e.position",
                form,
                period,
            )
        ]

    def last_sync_run(self) -> tuple[int, str | None]:
        """``(id, error)`` of the last recorded sync run; ``(0, None)`` when there is none."""
        rows = self._query("SELECT id, summary FROM sync_runs ORDER BY id DESC LIMIT 1")
        if not rows:
            return 0, None
        return rows[0][0], json.loads(rows[0][1]).get("error")

    def keyring_entries(self) -> list[str]:
        """The accounts whose tokens the app keeps in the (test) keyring."""
        path = self.workdir / "keyring.json"
        try:
            return [k.split("\x00", 1)[1] for k in json.loads(path.read_text(encoding="utf-8"))]
        except (OSError, ValueError):
            return []

    def log_text(self) -> str:
        path = self.data_dir / "logs" / "dttsclient.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def bugs_logged(self) -> list[str]:
        """The "unexpected error" entries of the app's log (what the crash dialog was shown for)."""
        return [line for line in self.log_text().splitlines() if "unexpected error" in line]

    def crash_windows(self) -> list[Window]:
        return self.x.windows(re.escape(CRASH_TITLE))

    def assert_no_crash(self, when: str) -> None:
        """No crash dialog on screen and no unexpected error in the log."""
        crash = self.crash_windows()
        bugs = self.bugs_logged()
        if crash or bugs:
            self.x.screenshot(f"crash-{when}")
            tail = "\n".join(line[:300] for line in self.log_text().splitlines()[-25:])
            raise AssertionError(
                f"{when}: the app showed «{CRASH_TITLE}» ({len(crash)} window(s)); log:\n{tail}"
            )

    # -- the process -------------------------------------------------------------------------------------
    def start(self, *extra: str) -> AppProcess:
        (self.home / "run").mkdir(mode=0o700, parents=True, exist_ok=True)
        self.proc = self.procs.start(
            [sys.executable, "-m", "dttsclient", "--data-dir", str(self.data_dir), *extra],
            self.env(),
            self.artifacts / "app-stdout.log",
        )
        return self

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def main_window(self, timeout: float = 30) -> Window:
        def probe() -> Window | None:
            if not self.alive:
                raise AssertionError(f"the app exited ({self.proc.returncode if self.proc else '?'})")
            return next(iter(self.x.windows("^" + re.escape(MAIN_TITLE))), None)

        return wait_for("the main window", probe, timeout)

    def wait_exit(self, timeout: float) -> float:
        """Seconds until the process ended (AssertionError after ``timeout``)."""
        assert self.proc is not None
        t0 = time.monotonic()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the app still runs {timeout} s later") from None
        return time.monotonic() - t0

    def save_artifacts(self) -> None:
        log = self.data_dir / "logs" / "dttsclient.log"
        if log.exists():
            shutil.copy(log, self.artifacts / "dttsclient.log")


def poll_until(what: str, probe: Callable[[], Any], timeout: float, interval: float = 0.25) -> Any:
    return wait_for(what, probe, timeout, interval)


def first(items: Iterable[T]) -> T | None:
    return next(iter(items), None)
