"""The client at work in a child process, for the crash torture: it is SIGKILLed at random moments.

``python torture_child.py MODE DATA_DIR SEED`` with one JSON object on stdin (the options of the mode).
It drives the public APIs (store, sync engine, USB backup and restore) and prints one line per step,
flushed, *after* the call returned — so every printed line is a promise the program made:

=================================  ==========================================================================
``READY``                          the profile is open
``e FORM PERIOD CODE DISAGG V``    about to write a cell (``-`` for an empty DISAGG): the write in flight
``E FORM PERIOD CODE DISAGG V``    the store acknowledged that write
``F SID FORM PERIOD REV``          the store acknowledged a finalize (submission SID, revision REV)
``S ok SENT`` / ``S fail ERROR``   a sync finished / stopped with one of the sync's own errors
``B SHA256``                       a backup was exported and verified (its SHA-256)
``R done``                         a restore finished
``P WHAT …``                       a marker (progress), for choosing the moment of the kill
``BUG …``                          something that must never happen (an exception that is not ours)
=================================  ==========================================================================

Modes:

* ``work`` — ``{"access", "refresh", "reports": [[form, period], …], "weights": {"edit", "finalize",
  "sync"}, "sync_thread": bool, "pace": seconds}``: forever, pick an action by weight: edit a few cells,
  finalize a report (editing it first when it has no unsent edits), or sync through the profile's hub
  address (the fault proxy), waiting up to ``pace`` seconds between actions. With ``sync_thread`` a
  second thread syncs in a loop with its own store on the same file, as the GUI's worker does.
* ``export`` — ``{"target": path, "reports": […]}``: forever, edit a few cells then export a backup to
  the same target file.
* ``restore`` — ``{"backup": path, "into": "store" | "folder"}``: restore the backup once into the open
  profile, or into the profile folder (a new PC).

Values are drawn so that every report of the test catalogue (``tests/hubfixture.small_catalog``) stays
valid: ``0103`` (0–99) never exceeds ``0102`` (100–999) and ``0201`` stays above its warning threshold.
"""

from __future__ import annotations

import json
import os
import random
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from dttsclient.store import NothingToFinalize, Store
from dttsclient.sync.credentials import MemoryCredentials, Tokens
from dttsclient.sync.engine import SyncEngine
from dttsclient.sync.errors import SyncError
from dttscore.disagg import cell_keys
from tests.support.fast import FAST  # the sync tests' fast retries, without the hub's imports

ETH_ROWS = ["02", "08"]
WHO = "can_bo"
_OUT = threading.Lock()


def emit(line: str) -> None:
    """One whole line, flushed (one write under a lock: the two threads never interleave)."""
    with _OUT:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def bug(where: str) -> None:
    emit(f"BUG {where}: " + traceback.format_exc().replace("\n", " | "))
    os._exit(3)


def value_for(code: str, rng: random.Random) -> str:
    if code == "0102":
        return str(rng.randrange(100, 1000))
    if code == "0103":
        return str(rng.randrange(0, 100))
    if code == "0201":
        return f"{rng.randrange(10, 100)}.5"
    return str(rng.randrange(0, 1000))


class Worker:
    """The officer's side: edits and finalizes on one store."""

    def __init__(self, store: Store, rng: random.Random, reports: list[list[str]]) -> None:
        self.store = store
        self.rng = rng
        self.reports = [tuple(r) for r in reports]
        self.unit = store.settings.profile().unit or ""
        self._keys: dict[str, list[tuple[str, str]]] = {}

    def keys(self, form: str) -> list[tuple[str, str]]:
        if form not in self._keys:
            catalog = self.store.catalogs.current_catalog()
            assert catalog is not None
            self._keys[form] = [
                (ind.code, key)
                for ind in catalog.form_indicators(form)
                for key in cell_keys(catalog, ind, ETH_ROWS)
            ]
        return self._keys[form]

    def report_id(self, form: str, period: str) -> int:
        """The report, created and filled when needed (a kill may have left it created but not filled)."""
        report = self.store.reports.report(self.unit, form, period, create=True)
        if self.store.reports.eth_rows(report.id) != ETH_ROWS:
            self.store.reports.set_eth_rows(report.id, ETH_ROWS)
        have = self.store.reports.cells(report.id)
        items = [
            (code, key, value_for(code, self.rng)) for code, key in self.keys(form) if (code, key) not in have
        ]
        if not items:
            return report.id
        for code, key, value in items:
            emit(f"e {form} {period} {code} {key or '-'} {value}")
        self.store.reports.set_cells(report.id, items, WHO)
        for code, key, value in items:
            emit(f"E {form} {period} {code} {key or '-'} {value}")
        return report.id

    def edit(self, form: str | None = None, period: str | None = None) -> None:
        if form is None or period is None:
            form, period = self.rng.choice(self.reports)
        emit(f"P edit {form} {period}")
        rid = self.report_id(form, period)
        for _ in range(self.rng.randint(1, 4)):
            code, key = self.rng.choice(self.keys(form))
            value = value_for(code, self.rng)
            emit(f"e {form} {period} {code} {key or '-'} {value}")
            self.store.reports.set_cell(rid, code, key, value, WHO)
            emit(f"E {form} {period} {code} {key or '-'} {value}")

    def finalize(self) -> None:
        """Finalize a report; one without unsent edits gets an edit first (there is always something)."""
        form, period = self.rng.choice(self.reports)
        report = self.store.reports.report(self.unit, form, period)
        if report is None or not report.dirty:
            self.edit(form, period)
        report = self.store.reports.report(self.unit, form, period)
        emit(f"P finalize {form} {period}")
        try:
            sub = self.store.outbox.finalize(report.id, WHO, require_reasons=False)
        except NothingToFinalize:
            return
        emit(f"F {sub.submission_id} {form} {period} {sub.revision_no}")


def sync_once(store: Store, creds: MemoryCredentials) -> None:
    emit("P sync start")
    try:
        engine = SyncEngine.for_profile(
            store, creds, config=FAST, progress=lambda done, total, msg: emit(f"P sync {done}/{total} {msg}")
        )
    except SyncError as exc:
        emit(f"S fail {type(exc).__name__}")
        return
    try:
        result = engine.sync()
        emit(f"S ok {result.sent}")
    except SyncError as exc:
        emit(f"S fail {type(exc).__name__}")
    finally:
        engine.transport.close()


def sync_loop(data_dir: Path, creds: MemoryCredentials, seed: int) -> None:
    rng = random.Random(seed ^ 0x5EED)
    try:
        with Store.open(data_dir) as store:
            while True:
                sync_once(store, creds)
                time.sleep(rng.uniform(0.0, 0.05))
    except BaseException:
        bug("sync thread")


def work(data_dir: Path, seed: int, spec: dict[str, Any]) -> None:
    rng = random.Random(seed)
    creds = MemoryCredentials()
    with Store.open(data_dir) as store:
        creds.save(
            store.settings.device_id,
            store.settings.profile().username or "",
            Tokens(spec["access"], spec["refresh"]),
        )
        worker = Worker(store, rng, spec["reports"])
        weights = spec.get("weights") or {"edit": 6, "finalize": 2, "sync": 1}
        if spec.get("sync_thread"):
            weights = {**weights, "sync": 0}
            threading.Thread(target=sync_loop, args=(data_dir, creds, seed), daemon=True).start()
        emit("READY")
        actions = list(weights)
        pace = float(spec.get("pace", 0.0))  # seconds between the officer's actions (at most)
        while True:
            if pace:
                time.sleep(rng.uniform(0.0, pace))
            action = rng.choices(actions, [weights[a] for a in actions])[0]
            if action == "edit":
                worker.edit()
            elif action == "finalize":
                worker.finalize()
            else:
                sync_once(store, creds)


def export(data_dir: Path, seed: int, spec: dict[str, Any]) -> None:
    from dttsclient.usb.backup import export_backup

    rng = random.Random(seed)
    with Store.open(data_dir) as store:
        worker = Worker(store, rng, spec["reports"])
        emit("READY")
        while True:
            worker.edit()
            info = export_backup(store, spec["target"], progress=lambda f, stage: emit(f"P export {stage}"))
            emit(f"B {info.sha256}")


def restore(data_dir: Path, spec: dict[str, Any]) -> None:
    from dttsclient.usb.restore import restore_backup

    def progress(fraction: float, stage: str) -> None:
        emit(f"P restore {stage} {fraction:.2f}")

    emit("READY")
    if spec.get("into") == "folder":
        restore_backup(data_dir, spec["backup"], progress=progress)
    else:
        with Store.open(data_dir) as store:
            restore_backup(store, spec["backup"], progress=progress)
    emit("R done")


def main() -> None:
    mode, data_dir, seed = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    spec = json.loads(sys.stdin.readline() or "{}")
    try:
        if mode == "work":
            work(data_dir, seed, spec)
        elif mode == "export":
            export(data_dir, seed, spec)
        elif mode == "restore":
            restore(data_dir, spec)
        else:
            raise SystemExit(f"unknown mode {mode}")
    except Exception:
        bug(mode)


if __name__ == "__main__":
    main()
