"""Crash torture: SIGKILL the client at random moments; nothing acknowledged is lost, nothing is sent twice.

The client runs in a child process (``torture_child.py``, or the CLI itself) that prints each step only
after the call returned. A seeded random moment ends it with SIGKILL — during cell edits, a finalize, a
sync through the fault proxy (with random faults and a slow link), a backup export or a restore. After
each kill:

* ``PRAGMA integrity_check`` is ok and every acknowledged cell write and finalize is in the profile
  (:func:`tests.support.proofutil.check_acknowledged`);
* the officer goes on (sometimes the next morning, when every lease has expired, sometimes finalizing a
  new revision first), and one clean sync settles the outbox with the hub holding every finalized
  revision once (:func:`tests.support.proofutil.assert_settled`);
* a backup export killed mid-write leaves no half file under the final name, and the backup already
  there (or the new one, when the kill came after the rename) verifies and holds every edit acknowledged
  before its snapshot;
* a restore killed mid-way leaves the profile exactly as before or exactly as a restore that was not
  killed leaves it, never in between.

Rounds: a few per scenario in CI; ``DTTS_PROOF_ROUNDS=N`` (``scripts/proof.sh``) runs N per scenario.
Each round prints its seed; ``DTTS_PROOF_SEED=S`` replays it.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from dttsclient.store import Store
from dttsclient.sync.errors import SyncError
from dttsclient.sync.login import login
from dttsclient.usb.atomic import sha256_file
from dttsclient.usb.backup import export_backup, open_backup, snapshot_database, verify_backup, work_dir
from dttsclient.usb.restore import restore_backup
from tests.support.hubfixture import DEFAULT_PASSWORD, good_values
from tests.support.proofutil import (
    ENDPOINTS,
    FAULTS,
    Acks,
    Rig,
    apply_fault,
    assert_integrity,
    assert_settled,
    check_acknowledged,
    count,
    hub_view,
    long_only,
    needs_sigkill,
    proof_rig,
    rounds,
    run_child,
    seeded_rounds,
)
from tests.support.syncutil import FAST, USER, finalize, sync

pytestmark = needs_sigkill

REPORTS = [["BM01", str(y)] for y in range(2026, 2031)] + [["BM02", f"2026Q{q}"] for q in range(1, 5)]
# faults worth meeting mid-work: every one of the issue's, at the endpoints a sync calls
SYNC_ENDPOINTS = [e for e in ENDPOINTS if not e.startswith("auth/")]


def random_faults(rig: Rig, i: int, rng: random.Random) -> list[str]:
    """A random link (speed, latency) and up to three random faults; returns what was set, for the note."""
    rig.proxy.clear()
    bandwidth = rng.choice([None, 30_000, 120_000])
    latency = rng.choice([0.0, 0.005, 0.02])
    rig.proxy.shape(bandwidth=bandwidth, latency=latency)
    plan = [f"link {bandwidth} B/s {latency} s"]
    for _ in range(rng.randint(0, 3)):
        fault, endpoint = rng.choice(list(FAULTS)), rng.choice([*SYNC_ENDPOINTS, None])
        times = rng.choice([1, 2, 5, None])
        apply_fault(rig.proxy, fault, endpoint, times=times, **({"retry_after": 0} if fault == "429" else {}))
        plan.append(f"{fault}@{endpoint}x{times}")
    return plan


def recover(rig: Rig, acks: Acks, rng: random.Random, note: str) -> None:
    """After a kill: the database is whole, nothing acknowledged is lost, one clean sync settles all."""
    assert_integrity(rig.data_dir, note)
    overnight = rng.random() < 0.4  # the PC was switched off: every lease has expired by the morning
    later = timedelta(hours=10 if overnight else 0)
    with Store.open(rig.data_dir, clock=lambda: datetime.now(timezone.utc) + later) as store:
        check_acknowledged(store, acks, note)
        dirty = [
            r
            for r in store.reports.all()
            if r.dirty and not any(p.is_error for p in store.reports.check(r.id))
        ]
        if dirty and rng.random() < 0.5:  # the officer goes on before syncing (a kill may leave a report
            # created but not yet filled: the officer would fill it first)
            acks.finalized.append(
                store.outbox.finalize(rng.choice(dirty).id, USER, require_reasons=False).submission_id
            )
        rig.proxy.clear()
        rig.proxy.shape(bandwidth=None, latency=0.0)
        sync(store, rig.creds)
        assert_settled(store, rig.hub, acks.finalized, note)


def kill_working_client(
    rig: Rig,
    label: str,
    spec: dict[str, Any],
    marker: str,
    most: int,
    *,
    rounds_: int,
    chain: int = 1,
    setup: Callable[[Rig, int, random.Random], list[str]] = random_faults,
    delay: float = 0.25,
) -> None:
    """Rounds of: ``setup`` (random faults), the child at work, SIGKILL up to ``delay`` s after the
    ``n``-th ``marker`` line (``n`` up to ``most``), the checks; every ``chain`` kills (and at the end)
    the officer recovers with a clean sync."""
    acks = Acks()
    for i, seed, rng in seeded_rounds(rounds_, label):
        plan = setup(rig, i, rng)
        note = f"{label} round {i} seed {seed} ({', '.join(plan)})"
        run = run_child(
            ["work", str(rig.data_dir), str(seed)],
            stdin={**rig.tokens(), "reports": REPORTS, **spec},
            kill_when=count(marker, rng.randint(1, most)),
            delay=rng.uniform(0.0, delay),
            timeout=300,
        )
        assert not run.bugs() and run.killed, f"{note}: {run.bugs()} rc={run.returncode} {run.stderr[-3000:]}"
        print(f"  {note}: killed after {summary(run.lines)}; last: {run.lines[-1:]}", flush=True)
        acks.add(run.lines)
        if (i + 1) % chain and i + 1 < rounds_:
            assert_integrity(rig.data_dir, note)
            with Store.open(rig.data_dir) as store:
                check_acknowledged(store, acks, note)
        else:
            recover(rig, acks, rng, note)


def summary(lines: list[str]) -> str:
    kinds = Counter(
        line.split(" ")[0] + (" " + line.split(" ")[1] if line.startswith("S ") else "") for line in lines
    )
    return ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))


def test_killed_while_editing_finalizing_and_syncing(tmp_path):
    with proof_rig(tmp_path) as rig:
        spec = {"weights": {"edit": 5, "finalize": 2, "sync": 2}}
        kill_working_client(rig, "work", spec, "P ", 60, rounds_=rounds(3))


def test_killed_with_the_sync_running_beside_the_officer(tmp_path):
    """As in the GUI: a worker thread syncs in a loop with its own store while the officer types."""
    with proof_rig(tmp_path) as rig:
        spec = {"weights": {"edit": 5, "finalize": 2}, "sync_thread": True, "pace": 0.02}
        kill_working_client(rig, "sync thread", spec, "P ", 80, rounds_=rounds(3))


def test_killed_again_and_again_before_a_clean_sync(tmp_path):
    """Crash after crash (claims, leases and half-sent batches pile up), then one clean sync settles all."""
    with proof_rig(tmp_path) as rig:
        spec = {"weights": {"edit": 3, "finalize": 2, "sync": 3}}
        kill_working_client(rig, "kill after kill", spec, "P ", 40, rounds_=rounds(4), chain=4)


def test_killed_mid_sync(tmp_path):
    """Mostly finalizing and syncing, killed at a random step of a sync."""
    with proof_rig(tmp_path) as rig:
        spec = {"weights": {"edit": 1, "finalize": 3, "sync": 3}}
        kill_working_client(rig, "mid-sync", spec, "P sync", 12, rounds_=rounds(3))


def big_queue_on_2g(rig: Rig, i: int, rng: random.Random) -> list[str]:
    with Store.open(rig.data_dir) as store:
        bulk(store, rng, 2031 + (i * 7) % 60, rng.randint(20, 60), finalize_share=1.0)
    rig.proxy.clear()
    rig.proxy.shape(bandwidth=8000, latency=0.15)
    return ["a full queue", "64 kbit/s, 300 ms"]


@long_only
def test_killed_sending_a_big_queue_over_2g(tmp_path):
    """Long run only: a few dozen revisions queued, a 64 kbit/s link with a 300 ms round trip, and the
    kill somewhere in the growing and shrinking batches."""
    with proof_rig(tmp_path) as rig:
        spec = {"weights": {"edit": 1, "finalize": 1, "sync": 4}}
        kill_working_client(
            rig, "2G queue", spec, "P sync", 8, rounds_=rounds(1, 0.1), setup=big_queue_on_2g, delay=2.0
        )


# -- the command line -----------------------------------------------------------------------------------
def test_killed_cli_loses_no_acknowledged_value(tmp_path):
    """``values set`` and ``finalize --json`` through the CLI, killed at random: what exited 0 is kept."""
    with proof_rig(tmp_path) as rig:
        acks = Acks()
        base = [sys.executable, "-m", "dttsclient", "--data-dir", str(rig.data_dir), "--json"]
        for i, seed, rng in seeded_rounds(rounds(4, 0.5), "cli"):
            year = str(rng.choice([2026, 2027]))
            values = {**good_values(), ("0102", ""): str(rng.randrange(100, 1000))}
            if i % 2:
                args = ["finalize", "--form", "BM01", "--period", year]
            else:
                args = ["values", "set", "--form", "BM01", "--period", year]
                args += [f"{c}@{d}={v}" if d else f"{c}={v}" for (c, d), v in values.items()]
            proc = subprocess.Popen([*base, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                out, err = proc.communicate(timeout=rng.uniform(0.2, 1.5))
            except subprocess.TimeoutExpired:
                proc.kill()
                out, err = proc.communicate()
            note = f"cli round {i} seed {seed}: {' '.join(args[:5])} -> {proc.returncode} {err[-500:]}"
            # ok, refused (no such report yet), nothing to finalize, killed
            assert proc.returncode in (0, 1, 3, -signal.SIGKILL), note
            if args[0] == "values":
                cells = [f"BM01 {year} {c} {d or '-'} {v}" for (c, d), v in values.items()]
                acks.add(
                    [f"e {c}" for c in cells] + ([f"E {c}" for c in cells] if proc.returncode == 0 else [])
                )
            elif proc.returncode == 0:
                acks.finalized.append(json.loads(out)["submission_id"])
            assert_integrity(rig.data_dir, note)
            with Store.open(rig.data_dir) as store:
                check_acknowledged(store, acks, note)
        recover(rig, acks, random.Random(0), "cli: the end")


# -- backup export ------------------------------------------------------------------------------------------
def test_killed_mid_export_leaves_no_half_file_and_a_whole_backup(tmp_path):
    with proof_rig(tmp_path) as rig:
        usb = tmp_path / "usb"
        usb.mkdir()
        target = usb / "dtts-01849.dttsbak"
        with Store.open(rig.data_dir) as store:
            bulk(store, random.Random(3), 2031, 200)  # a few years of reports: the export takes a while
        acks = Acks()
        covers: dict[str, int] = {}  # backup SHA-256 -> acknowledged writes before its snapshot
        for i, seed, rng in seeded_rounds(rounds(4), "export"):
            stage = rng.choice(["snapshot", "compress", "write", "verify", "done"])
            note = f"export round {i} seed {seed} (kill after stage {stage})"
            run = run_child(
                ["export", str(rig.data_dir), str(seed)],
                stdin={"target": str(target), "reports": REPORTS},
                kill_when=count(f"P export {stage}", rng.randint(1, 3)),
                delay=rng.choice([0.0, rng.uniform(0.0, 0.005), rng.uniform(0.0, 0.03)]),
            )
            assert not run.bugs() and run.killed, (
                f"{note}: {run.bugs()} rc={run.returncode} {run.stderr[-3000:]}"
            )
            snapshot = None
            for line in run.lines:
                acks.add([line])
                if line.startswith("P export snapshot"):
                    snapshot = len(acks.writes)
                elif line.startswith("B "):
                    covers[line.split(" ")[1]] = snapshot or 0
            assert_integrity(rig.data_dir, note)
            with Store.open(rig.data_dir) as store:
                check_acknowledged(store, acks, note)
            visible = sorted(p.name for p in usb.iterdir() if not p.name.startswith("."))
            assert visible == ([target.name] if covers or target.exists() else []), f"{note}: {visible}"
            if not target.exists():
                continue
            verify_backup(target)  # whole and verified: a half file never has the final name
            digest = sha256_file(target)[1]
            acknowledged = digest in covers
            if not acknowledged:
                # killed after the rename, before the acknowledgement: the newest export, complete
                assert snapshot is not None, f"{note}: a backup nobody made"
                covers[digest] = snapshot
            print(
                f"  {note}: target {'acknowledged' if acknowledged else 'new, not acknowledged'}, "
                f"{sum(1 for p in usb.iterdir() if p.name.startswith('.'))} partial file(s) left",
                flush=True,
            )
            done = Acks(writes=acks.writes[: covers[digest]])
            check_backup_holds(target, done, tmp_path / f"check{i}", note)


def check_backup_holds(backup: Path, acks: Acks, scratch: Path, note: str) -> None:
    """The backup's database holds every write in ``acks`` (the cells may have moved on since)."""
    scratch.mkdir()
    with work_dir(scratch) as work:
        _, db_file = open_backup(backup, work)
        profile = scratch / "profile"
        profile.mkdir()
        shutil.copyfile(db_file, profile / "profile.sqlite")
    with Store.open(profile) as store:
        check_acknowledged(store, acks, f"{note}: the backup")


# -- restore ------------------------------------------------------------------------------------------------
def content(data_dir: Path) -> dict[str, Any]:
    """What a restore may change, without its time stamps: reports, cells, submissions, outbox states."""
    if not (data_dir / "profile.sqlite").exists():
        return {}
    with Store.open(data_dir) as store:
        return {
            "reports": {
                (r.unit, r.form, r.period): (
                    r.state,
                    r.dirty,
                    r.revision_no,
                    r.server_revision,
                    sorted(store.reports.cells(r.id).items()),
                    store.reports.eth_rows(r.id),
                    len(store.reports.history(r.id)),
                )
                for r in store.reports.all()
            },
            "outbox": {i.submission_id: (i.state, i.receipt_no) for i in store.outbox.items()},
            "catalogs": store.catalogs.catalog_versions(),
        }


def copy_profile(source: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    snapshot_database(source / "profile.sqlite", target / "profile.sqlite")
    return target


def bulk(store: Store, rng: random.Random, first_year: int, n: int, finalize_share: float = 0.0) -> None:
    """``n`` quarterly reports from ``first_year`` Q1 on, filled; about ``finalize_share`` of them finalized."""
    unit = store.settings.profile().unit
    for k in range(n):
        report = store.reports.report(unit, "BM02", f"{first_year + k // 4}Q{k % 4 + 1}", create=True)
        changed = store.reports.set_cells(
            report.id, [("0102", "", str(rng.randrange(100, 999))), ("0103", "", "3")], USER
        )
        # (a long run comes back to the same periods every 6 rounds: a report finalized then and drawn the
        # same value now is unchanged, and there is nothing to finalize)
        if rng.random() < finalize_share and changed:
            store.outbox.finalize(report.id, USER, require_reasons=False)


def old_pc_backup(rig: Rig, rng: random.Random, scratch: Path, first_year: int, acks: Acks) -> Path:
    """A backup of another copy of this profile that went on by itself: new reports (some finalized) and
    newer edits of existing ones. The live profile then edits some cells again (newer still: they must
    win the merge), acknowledged in ``acks``."""
    other = copy_profile(rig.data_dir, scratch / "old-pc")
    with Store.open(other) as store:
        existing = store.reports.all()
        bulk(store, rng, first_year, rng.randint(30, 40), finalize_share=0.4)
        for report in rng.sample(existing, k=min(3, len(existing))):
            store.reports.set_cell(report.id, "0103", "", str(rng.randrange(0, 50)), USER)
        backup = export_backup(store, scratch / "old-pc.dttsbak").path
    with Store.open(rig.data_dir) as store:
        for report in rng.sample(store.reports.all(), k=min(2, len(store.reports.all()))):
            # a value other than the one stored: writing the stored value again is a no-op (no newer
            # change to win the merge), and the old PC's edit of that cell would then rightly win
            current = store.reports.cells(report.id).get(("0103", ""))
            value = rng.choice([str(v) for v in range(50) if str(v) != current])
            store.reports.set_cell(report.id, "0103", "", value, USER)
            acks.add([f"E {report.form} {report.period} 0103 - {value}"])
    return backup


def prepare_live(rig: Rig, rng: random.Random) -> None:
    """Some reports in the live profile, finalized and synced, and some drafts."""
    with Store.open(rig.data_dir) as store:
        unit = store.settings.profile().unit
        for year in range(2026, 2030):
            report = store.reports.report(unit, "BM02", f"{year}Q1", create=True)
            store.reports.set_cells(
                report.id, [("0102", "", str(rng.randrange(100, 999))), ("0103", "", "5")], USER
            )
            if year % 2:
                store.outbox.finalize(report.id, USER, require_reasons=False)
        sync(store, rig.creds)


def test_killed_mid_restore_leaves_the_profile_before_or_fully_merged(tmp_path):
    with proof_rig(tmp_path) as rig:
        prepare_live(rig, random.Random(1))
        for i, seed, rng in seeded_rounds(rounds(4), "restore"):
            scratch = tmp_path / f"round{i}"
            # this round's live edits are newer than the old PC's and must win the merge (a later round's
            # old PC may edit the same cells later still, and then it wins, rightly)
            acks = Acks()
            backup = old_pc_backup(rig, rng, scratch, 2031 + (10 * i) % 60, acks)
            reference = copy_profile(rig.data_dir, scratch / "reference")
            restore_backup(reference, backup)
            merged, before = content(reference), content(rig.data_dir)
            assert merged != before
            stage = rng.choice(["verify", "backup", "merge", "merge", "merge", "done"])
            note = f"restore round {i} seed {seed} (kill after stage {stage})"
            run = run_child(
                ["restore", str(rig.data_dir), str(seed)],
                stdin={"backup": str(backup), "into": "store"},
                kill_when=count(f"P restore {stage}", 1),
                delay=rng.uniform(0.0, 0.06),
            )
            assert not run.bugs(), f"{note}: {run.bugs()} {run.stderr[-3000:]}"
            assert_integrity(rig.data_dir, note)
            after = content(rig.data_dir)
            outcome = "merged" if after == merged else "as before" if after == before else "HALF-MERGED"
            print(f"  {note}: {outcome}, last line {run.lines[-1:]}", flush=True)
            assert after in (before, merged), f"{note}: the profile is neither as before nor fully merged"
            if "R done" in run.lines:
                assert after == merged, note
            if after == before:
                restore_backup(rig.data_dir, backup)  # the officer restores again
                assert content(rig.data_dir) == merged, f"{note}: a second restore differs from the first"
            recover(rig, acks, rng, note)


def test_killed_restoring_onto_a_new_pc_leaves_nothing_half_made(tmp_path):
    with proof_rig(tmp_path) as rig:
        prepare_live(rig, random.Random(2))
        for i, seed, rng in seeded_rounds(rounds(2, 0.5), "restore new pc"):
            scratch = tmp_path / f"round{i}"
            backup = old_pc_backup(rig, rng, scratch, 2031 + (10 * i) % 60, Acks())
            reference = scratch / "reference"
            restore_backup(reference, backup)
            merged = content(reference)
            new_pc = scratch / "new-pc"
            stage = rng.choice(["verify", "merge", "merge", "done"])
            note = f"restore new pc round {i} seed {seed} (kill after stage {stage})"
            run = run_child(
                ["restore", str(new_pc), str(seed)],
                stdin={"backup": str(backup), "into": "folder"},
                kill_when=count(f"P restore {stage}", 1),
                delay=rng.uniform(0.0, 0.06),
            )
            assert not run.bugs(), f"{note}: {run.bugs()} {run.stderr[-3000:]}"
            if (new_pc / "profile.sqlite").exists():
                assert_integrity(new_pc, note)
            after = content(new_pc)
            print(
                f"  {note}: {'restored' if after == merged else 'not restored'}, last {run.lines[-1:]}",
                flush=True,
            )
            empty = {"reports": {}, "outbox": {}, "catalogs": []}
            assert after in ({}, empty, merged), f"{note}: a half-restored profile"
            if after != merged:
                restore_backup(new_pc, backup)
                assert content(new_pc) == merged, note


def test_restoring_a_backup_taken_while_a_reply_was_lost_keeps_the_hubs_receipt(tmp_path):
    """The PC died after a sync whose reply was lost (revision 1 is on the hub, ``sending`` here) and a
    newer revision was finalized; its backup is restored on a new PC, which logs in and syncs."""
    with proof_rig(tmp_path) as rig:
        with rig.open() as store:
            first = finalize(store, "2026")
            rig.proxy.set_mode("lost_reply", path="submissions:batch")
            with pytest.raises(SyncError):
                sync(store, rig.creds)
            rig.proxy.clear()
            assert store.outbox.sending_ids() == [first.submission_id]
            assert first.submission_id in hub_view(rig.hub).submissions
            store.reports.set_cell(first.report_id, "0102", "", "99", USER)
            second = store.outbox.finalize(first.report_id, USER, require_reasons=False)
            backup = export_backup(store, tmp_path / "usb.dttsbak").path
        new_pc = tmp_path / "new-pc"
        restore_backup(new_pc, backup)
        with Store.open(new_pc) as store:
            login(store, rig.proxy.url, USER, DEFAULT_PASSWORD, rig.creds, "PC mới", config=FAST)
            sync(store, rig.creds)
            assert_settled(
                store, rig.hub, [first.submission_id, second.submission_id], "restored on a new PC"
            )
