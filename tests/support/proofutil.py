"""What the proof suites share: rounds and seeds, a hub behind the fault proxy, the child runner, and the
two promises written as checks.

* :func:`rounds` / :func:`seeded_rounds` — how many rounds to run (``DTTS_PROOF_ROUNDS``; small in CI,
  200 in ``scripts/proof.sh``) and one seeded :class:`random.Random` per round (seeds ``S``, ``S+1`` …).
  Each round prints its seed and how to replay the run: ``DTTS_PROOF_SEED=S`` with the same
  ``DTTS_PROOF_ROUNDS`` replays every choice (workload, faults, kill moments; not the OS scheduler, so a
  kill lands near, not exactly at, the same instruction). :func:`long_only` marks a test for the long run.
* :func:`proof_rig` — a real hub on 127.0.0.1 (SQLite), the fault proxy in front of it, and a profile
  logged in through the proxy with an in-memory keyring.
* :func:`run_child` — start ``torture_child.py``, read what it acknowledges, SIGKILL it at a chosen moment.
* :class:`Acks` / :func:`check_acknowledged` — "nothing you typed is ever lost": every acknowledged cell
  write is in the change log and the cell holds the last acknowledged value (or the one write in flight),
  every acknowledged finalize has its submission.
* :func:`assert_settled` — "nothing is ever sent twice": after a clean sync the outbox has no queued or
  sending row, the hub holds exactly the submissions the outbox shows as sent (none superseded, none
  unknown, none missing), receipts and server revisions agree, and each report's server revision on the
  hub counts its accepted revisions.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from dttsclient.store import Store
from dttsclient.sync.credentials import CredentialStore, KeyringCredentials
from dttsclient.sync.login import login
from tests.support.digests import integrity
from tests.support.faultproxy import FaultProxy
from tests.support.hubfixture import COMMUNE_A, DEFAULT_PASSWORD, TEST_NOW, RunningHub, start_hub
from tests.support.memkeyring import memory_keyring
from tests.support.syncutil import FAST, USER

ENV_ROUNDS = "DTTS_PROOF_ROUNDS"
ENV_SEED = "DTTS_PROOF_SEED"
LONG_FROM = 20  # from this many rounds on, the long-only tests run too
CHILD = Path(__file__).resolve().parents[1] / "proof" / "torture_child.py"
ROOT = Path(__file__).resolve().parents[2]  # on the child's path, for tests.support
SENT_STATES = ("accepted", "late")

needs_sigkill = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

# The endpoints the client uses, as the proxy matches them (a part of the request target).
ENDPOINTS = (
    "ping",
    "auth/token",
    "auth/refresh",
    "catalog",
    "submissions:batch",
    "submissions:status",
    "changes",
)
# The faults of the issue, as proxy modes with their options.
FAULTS: dict[str, tuple[str, dict[str, Any]]] = {
    "drop": ("drop", {}),
    "cut": ("cut", {"fraction": 0.5}),
    "lost_reply": ("lost_reply", {}),
    "slow": ("slow", {"latency": 0.05, "bandwidth": 40_000}),
    "login_page": ("login_page", {}),
    "5xx": ("status", {"status": 503}),
    "429": ("status", {"status": 429, "retry_after": 1}),
    "html200": ("html200", {}),
    "reset": ("reset", {"fraction": 0.5}),
}


# -- rounds and seeds --------------------------------------------------------------------------------
def rounds(ci: int, long_factor: float = 1.0) -> int:
    """Rounds for a scenario: ``ci`` by default; with ``DTTS_PROOF_ROUNDS=N`` set, ``N * long_factor``."""
    text = os.environ.get(ENV_ROUNDS, "")
    if not text.isdigit():
        return ci
    return max(1, round(int(text) * long_factor))


def is_long() -> bool:
    text = os.environ.get(ENV_ROUNDS, "")
    return text.isdigit() and int(text) >= LONG_FROM


def long_only(test: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a test slow and run it only in the long run (``DTTS_PROOF_ROUNDS`` >= 20)."""
    skip = pytest.mark.skipif(
        not is_long(), reason=f"long run only ({ENV_ROUNDS}>={LONG_FROM}: scripts/proof.sh)"
    )
    return pytest.mark.slow(skip(test))


def apply_fault(
    proxy: FaultProxy, fault: str, endpoint: str | None, times: int | None = None, **extra: Any
) -> None:
    """Add the fault ``fault`` (a key of :data:`FAULTS`) for requests to ``endpoint`` (None: all)."""
    mode, options = FAULTS[fault]
    proxy.fault(mode, path=endpoint, times=times, **{**options, **extra})


def seeded_rounds(n: int, label: str) -> Iterator[tuple[int, int, random.Random]]:
    """``(round, seed, rng)`` for ``n`` rounds; the seed of each round is printed (pytest shows it on failure)."""
    text = os.environ.get(ENV_SEED, "")
    base = int(text) if text.lstrip("-").isdigit() else random.randrange(2**31)
    for i in range(n):
        seed = base + i
        print(
            f"proof {label}: round {i} seed {seed} (replay: {ENV_SEED}={base} {ENV_ROUNDS}={n})", flush=True
        )
        yield i, seed, random.Random(seed)


# -- the rig ---------------------------------------------------------------------------------------------
@dataclass
class Rig:
    """A hub, the fault proxy in front of it, and a profile (closed; open it with :meth:`open`)."""

    hub: RunningHub
    proxy: FaultProxy
    creds: CredentialStore
    data_dir: Path
    device_id: str

    def open(self, **kw: Any) -> Store:
        return Store.open(self.data_dir, **kw)

    def tokens(self) -> dict[str, str | None]:
        """The profile's tokens as the child reads them on stdin."""
        tokens = self.creds.load(self.device_id, USER)
        assert tokens is not None
        return {"access": tokens.access_token, "refresh": tokens.refresh_token}


@contextlib.contextmanager
def proof_rig(tmp_path: Path, *, lifetime: float = 900.0, **hub_config: Any) -> Iterator[Rig]:
    """A hub with the small test catalogue and the officer of commune A, the proxy, a logged-in profile."""
    hub = start_hub(tmp_path, clock=TEST_NOW, **hub_config)
    try:
        hub.publish_catalog()
        hub.add_user(USER, "officer", COMMUNE_A)
        with FaultProxy(hub.url, lifetime=lifetime) as proxy, memory_keyring():
            creds = KeyringCredentials()
            data_dir = tmp_path / "profile"
            with Store.open(data_dir) as store:
                login(store, proxy.url, USER, DEFAULT_PASSWORD, creds, "PC xã", config=FAST)
                device_id = store.settings.device_id
            yield Rig(hub, proxy, creds, data_dir, device_id)
    finally:
        hub.stop()


# -- the child -------------------------------------------------------------------------------------------
@dataclass
class ChildRun:
    """What a child printed (whole lines only: a line cut by the kill was never acknowledged)."""

    lines: list[str]
    returncode: int | None
    stderr: str
    killed: bool

    def bugs(self) -> list[str]:
        return [line for line in self.lines if line.startswith("BUG")]


def run_child(
    args: list[str],
    *,
    stdin: dict[str, Any] | None = None,
    kill_when: Callable[[list[str]], bool] | None = None,
    delay: float = 0.0,
    timeout: float = 60.0,
) -> ChildRun:
    """Run ``torture_child.py ARGS``; SIGKILL it ``delay`` s after ``kill_when(lines)`` first holds.

    Without ``kill_when`` the child runs to its end. The child's own failures (``BUG`` lines, a traceback
    on stderr, an exit other than the kill) are the caller's to check with :meth:`ChildRun.bugs`.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        proc = subprocess.Popen(
            [sys.executable, str(CHILD), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            env=env,
            text=True,
            encoding="utf-8",
        )
        lines: list[str] = []
        hit = threading.Event()

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                if not line.endswith("\n"):
                    break
                lines.append(line.rstrip("\n"))
                if kill_when is not None and not hit.is_set() and kill_when(lines):
                    hit.set()
                if line.startswith("BUG"):
                    hit.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        killed = False
        try:
            assert proc.stdin is not None
            proc.stdin.write(json.dumps(stdin or {}) + "\n")
            proc.stdin.flush()
            deadline = time.monotonic() + timeout
            while proc.poll() is None and time.monotonic() < deadline:
                # on each line (the reader) and every 20 ms here, for conditions outside the child's lines
                if kill_when is not None and (hit.wait(0.02) or kill_when(list(lines))):
                    time.sleep(delay)
                    break
                if kill_when is None:
                    time.sleep(0.02)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                killed = True
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(30)
            reader.join(30)
            for pipe in (proc.stdin, proc.stdout):
                with contextlib.suppress(OSError):
                    if pipe is not None:
                        pipe.close()
            err.seek(0)
            stderr = err.read()
    return ChildRun(lines, proc.returncode, stderr, killed and proc.returncode == -signal.SIGKILL)


def count(prefix: str, n: int) -> Callable[[list[str]], bool]:
    """A ``kill_when``: true once ``n`` lines starting with ``prefix`` were printed."""

    def seen(lines: list[str]) -> bool:
        return sum(1 for line in lines if line.startswith(prefix)) >= n

    return seen


# -- "nothing you typed is ever lost" ------------------------------------------------------------------------
CellId = tuple[str, str, str, str]  # form, period, code, disagg


@dataclass
class Acks:
    """What a child acknowledged (``E``/``F`` lines) and the write it had in flight (``e`` lines)."""

    cells: dict[CellId, str] = field(default_factory=dict)
    in_flight: dict[CellId, str] = field(default_factory=dict)
    writes: list[tuple[CellId, str]] = field(default_factory=list)
    finalized: list[str] = field(default_factory=list)

    def add(self, lines: Iterable[str]) -> Acks:
        for line in lines:
            parts = line.split(" ")
            if parts[0] in ("e", "E"):
                form, period, code, disagg, value = parts[1:6]
                cell = (form, period, code, "" if disagg == "-" else disagg)
                if parts[0] == "e":
                    self.in_flight[cell] = value
                else:
                    self.cells[cell] = value
                    self.writes.append((cell, value))
                    self.in_flight.pop(cell, None)
            elif parts[0] == "F":
                self.finalized.append(parts[1])
        return self


def check_acknowledged(store: Store, acks: Acks, note: str = "") -> None:
    """Every acknowledged write and finalize of ``acks`` is in ``store`` (see the module docstring)."""
    unit = store.settings.profile().unit or COMMUNE_A
    seen: dict[tuple[str, str], tuple[dict, set]] = {}

    def report_of(form: str, period: str) -> tuple[dict, set]:
        if (form, period) not in seen:
            report = store.reports.report(unit, form, period)
            assert report is not None, f"{note}: acknowledged report {form}/{period} is gone"
            logged = {(e.code, e.disagg, e.new) for e in store.reports.history(report.id)}
            seen[(form, period)] = (store.reports.cells(report.id), logged)
        return seen[(form, period)]

    for (form, period, code, disagg), value in acks.cells.items():
        got = report_of(form, period)[0].get((code, disagg))
        assert got in (value, acks.in_flight.get((form, period, code, disagg))), (
            f"{note}: cell {form}/{period} {code}[{disagg}] is {got!r}, acknowledged {value!r}"
        )
    for (form, period, code, disagg), value in acks.writes:
        assert (code, disagg, value) in report_of(form, period)[1], (
            f"{note}: acknowledged write {form}/{period} {code}[{disagg}]={value} is not in the change log"
        )
    for sid in acks.finalized:
        store.outbox.submission(sid)  # raises SubmissionNotFound when an acknowledged finalize was lost


def assert_integrity(data_dir: Path, note: str = "") -> None:
    assert integrity(Path(data_dir) / "profile.sqlite") == "ok", f"{note}: PRAGMA integrity_check failed"


# -- "nothing is ever sent twice" ----------------------------------------------------------------------------
@dataclass
class HubView:
    """The hub's submissions (by ID), each report's server revision and its count of revisions."""

    submissions: dict[str, dict[str, Any]]
    server_revision: dict[tuple[str, str, str], int]
    revisions: Counter


def hub_view(hub: RunningHub) -> HubView:
    from dttshub import db as t

    s, r, v = t.submissions.c, t.reports.c, t.revisions.c
    with hub.hub.db.read() as conn:
        subs = {
            row.submission_id: dict(row._mapping)
            for row in conn.execute(
                sa.select(
                    s.submission_id,
                    s.unit,
                    s.form,
                    s.period,
                    s.revision_no,
                    s.status,
                    s.receipt_no,
                    s.server_revision,
                    s.device_id,
                )
            )
        }
        reports = {
            (row.unit, row.form, row.period): row.server_revision for row in conn.execute(sa.select(r))
        }
        revisions = Counter(
            (row.unit, row.form, row.period)
            for row in conn.execute(
                sa.select(r.unit, r.form, r.period).select_from(
                    t.revisions.join(t.reports, r.id == v.report_id)
                )
            )
        )
    return HubView(subs, reports, revisions)


def assert_hub_consistent(store: Store, hub: RunningHub, note: str = "") -> HubView:
    """At any moment: every submission on the hub is one this profile finalized, and each report's server
    revision counts its revisions (a resend never counted twice)."""
    view = hub_view(hub)
    for sid in view.submissions:
        store.outbox.submission(sid)  # raises when the hub holds a submission this profile never made
    for key, revision in view.server_revision.items():
        assert revision == view.revisions[key], (
            f"{note}: report {key} is at revision {revision} on the hub but has {view.revisions[key]} revision(s)"
        )
    return view


def assert_settled(store: Store, hub: RunningHub, finalized: Iterable[str] = (), note: str = "") -> HubView:
    """The outbox is settled and agrees with the hub, once each (see the module docstring)."""
    items = {i.submission_id: i for i in store.outbox.items()}
    states = Counter(i.state for i in items.values())
    assert states["queued"] == 0 and states["sending"] == 0, f"{note}: outbox not settled: {dict(states)}"
    assert set(states) <= {*SENT_STATES, "superseded"}, f"{note}: unexpected outbox states {dict(states)}"
    view = assert_hub_consistent(store, hub, note)
    sent = {sid for sid, i in items.items() if i.state in SENT_STATES}
    extra = set(view.submissions) - sent
    missing = sent - set(view.submissions)
    assert not extra, (
        f"{note}: the hub holds {len(extra)} submission(s) the outbox does not show as sent: "
        + ", ".join(
            f"{sid} (local: {items[sid].state if sid in items else 'unknown'})" for sid in sorted(extra)
        )
    )
    assert not missing, f"{note}: {len(missing)} submission(s) shown as sent are not on the hub"
    for sid in sent:
        mine, theirs = items[sid], view.submissions[sid]
        assert (mine.state, mine.receipt_no, mine.server_revision) == (
            theirs["status"],
            theirs["receipt_no"],
            theirs["server_revision"],
        ), f"{note}: receipt of {sid} differs: local {mine}, hub {theirs}"
    made = {s.submission_id for r in store.reports.all() for s in store.outbox.submissions(r.id)}
    assert made == set(items), (
        f"{note}: submissions without an outbox row or the reverse: {made ^ set(items)}"
    )
    for sid in finalized:
        assert sid in items, f"{note}: acknowledged submission {sid} has no outbox row"
    by_report: dict[int, list[int]] = {}
    for i in items.values():
        by_report.setdefault(i.report_id, []).append(i.revision_no)
    for i in items.values():
        if i.state == "superseded":
            assert max(by_report[i.report_id]) > i.revision_no, (
                f"{note}: {i.submission_id} superseded by nothing"
            )
    for report in store.reports.all():
        key = (report.unit, report.form, report.period)
        if key in view.server_revision:
            assert report.server_revision == view.server_revision[key], (
                f"{note}: report {key}: local server revision {report.server_revision}, hub "
                f"{view.server_revision[key]}"
            )
    return view
