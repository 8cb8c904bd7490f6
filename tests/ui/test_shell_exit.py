"""Ending the app: a background thread that no cancel reaches does not keep the closed app alive."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

CHILD = textwrap.dedent(
    """
    import os, sys, threading
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    from dttsclient.ui.tasks import TaskRunner, exit_now

    app = QApplication([])
    runner = TaskRunner()
    stuck = threading.Event()
    runner.run_task(lambda: stuck.wait(120))  # blocked where no cancel reaches (a DNS lookup …)
    idle = runner.drain(300)
    print("idle" if idle else "busy", flush=True)
    if not idle:
        exit_now(7)
    """
)


def test_a_blocked_thread_does_not_keep_the_process_alive():
    t0 = time.monotonic()
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - t0
    assert done.stdout.split() == ["busy"]
    assert "did not stop within 300 ms" in done.stderr
    assert done.returncode == 7
    assert elapsed < 10  # the interpreter start and Qt import included; without exit_now: 120 s


def test_drain_is_true_at_once_when_idle(qtbot, runner):
    seen: list[int] = []
    runner.run_task(lambda: 1, seen.append)
    qtbot.waitUntil(lambda: seen == [1], timeout=5_000)
    t0 = time.monotonic()
    assert runner.drain(1_000)
    assert time.monotonic() - t0 < 0.5
