"""Crash test: SIGKILL a writer at random moments; every acknowledged write must survive.

``crash_writer.py`` prints a line after each store call returned. After each kill the database must pass
``PRAGMA integrity_check``, hold every acknowledged cell write, and every acknowledged finalize must
have both its submission and its outbox row — never one without the other.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dttsclient.store import Store
from tests.support.digests import integrity

WRITER = Path(__file__).with_name("crash_writer.py")

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def run_and_kill(data_dir: Path, mode: str, start: int, rng: random.Random) -> list[str]:
    """Start the writer, kill it at a random moment after its first acknowledged write, return its lines."""
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(data_dir), mode, str(start)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.endswith("\n"):  # a line cut by the kill was never acknowledged
                lines.append(line.rstrip("\n"))
            if len(lines) >= 2:
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not ready.wait(60):
            proc.kill()
            raise AssertionError(f"writer did not start: {proc.stderr.read() if proc.stderr else ''}")
        time.sleep(rng.uniform(0.0, 0.4))
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
        reader.join(30)
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
    assert proc.returncode == -signal.SIGKILL, proc.returncode
    assert lines[0] == "READY"
    return lines[1:]


def test_killed_cell_writer_loses_no_acknowledged_write(data_dir):
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    acked_total = 0
    for round_no in range(4):
        acked = run_and_kill(data_dir, "cells", round_no * 1_000_000, rng)
        assert acked, f"seed {seed}: no write acknowledged"
        acked_total += len(acked)
        assert integrity(data_dir / "profile.sqlite") == "ok", f"seed {seed}"
        with Store.open(data_dir) as store:
            report = store.reports.report("01849", "BM01", "2026")
            cells = store.reports.cells(report.id)
            logged = {(e.disagg, e.new) for e in store.reports.history(report.id, "0102")}
        last: dict[str, int] = {}
        for line in acked:
            _, n, _code, disagg, value = line.split(" ")
            assert (disagg, value) in logged, f"seed {seed}: acknowledged write {n} missing from the log"
            last[disagg] = int(value)
        for disagg, value in last.items():
            # The cell holds the last acknowledged value, or a later one whose ack the kill cut off.
            assert int(cells[("0102", disagg)]) >= value, f"seed {seed}: cell {disagg} went back"
    assert acked_total >= 4


def test_killed_finalize_loop_never_splits_submission_and_outbox(data_dir):
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    for round_no in range(3):
        acked = run_and_kill(data_dir, "finalize", round_no * 1_000_000, rng)
        assert acked, f"seed {seed}: no finalize acknowledged"
        assert integrity(data_dir / "profile.sqlite") == "ok", f"seed {seed}"
        conn = sqlite3.connect(data_dir / "profile.sqlite")
        try:
            subs = {r[0] for r in conn.execute("SELECT submission_id FROM submissions")}
            outbox = dict(conn.execute("SELECT submission_id, state FROM outbox").fetchall())
        finally:
            conn.close()
        assert subs == set(outbox), f"seed {seed}: a submission without its outbox row or the reverse"
        for line in acked:
            _, _, submission_id = line.split(" ")
            assert submission_id in subs, f"seed {seed}: acknowledged finalize {submission_id} lost"
        # Only the newest revision may still be queued; every older queued one was superseded.
        assert list(outbox.values()).count("queued") == 1
        assert set(outbox.values()) == {"queued", "superseded"}
        with Store.open(data_dir) as store:
            report = store.reports.report("01849", "BM01", "2027")
            revisions = [s.revision_no for s in store.outbox.submissions(report.id)]
            assert revisions == list(range(1, len(revisions) + 1))
            assert report.revision_no == revisions[-1]
