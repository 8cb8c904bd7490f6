"""Write to a profile in a loop until killed; print each write once the store has acknowledged it.

Run by ``test_crash.py`` in a subprocess that is SIGKILLed at a random moment::

    python crash_writer.py DATA_DIR cells START      # "C <n> <code> <disagg> <value>" per write
    python crash_writer.py DATA_DIR finalize START   # "F <n> <submission_id>" per finalize

A line is printed (and flushed) only after the store call returned, so every printed line is a write
the store promised was on disk. ``START`` keeps the values of successive rounds distinct.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for tests.support

from dttsclient.store import Store
from tests.support.store_catalog import UNIT, good_values, make_catalog

ETH = [f"{n:02d}" for n in range(1, 55)]
KEYS = [f"eth={e}|sex={s}" for e in ETH for s in ("F", "M")]


def write_cells(store: Store, start: int) -> None:
    report = store.reports.report(UNIT, "BM01", "2026", create=True)
    print("READY", flush=True)
    n = start
    while True:
        disagg = KEYS[n % len(KEYS)]
        value = str(n)
        store.reports.set_cell(report.id, "0102", disagg, value, "crash")
        print(f"C {n} 0102 {disagg} {value}", flush=True)
        n += 1


def write_finalize(store: Store, start: int) -> None:
    report = store.reports.report(UNIT, "BM01", "2027", create=True)
    store.reports.set_eth_rows(report.id, ["02", "08"])
    store.reports.set_cells(report.id, good_values(), "crash")
    print("READY", flush=True)
    n = start
    while True:
        store.reports.set_cell(report.id, "0201", "", f"{n}.5", "crash")
        sub = store.outbox.finalize(report.id, "crash", require_reasons=False)
        print(f"F {n} {sub.submission_id}", flush=True)
        n += 1


def main() -> None:
    data_dir, mode, start = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = Store.open(data_dir)
    store.catalogs.import_catalog(make_catalog())
    if mode == "cells":
        write_cells(store, start)
    else:
        write_finalize(store, start)


if __name__ == "__main__":
    main()
