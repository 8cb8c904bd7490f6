"""Earlier periods beside a cell (issue 16 item 1): goal ≤ 5 ms with ten years of data.

The profile is :func:`usb_bench.make_ten_year_profile` (every form of the sample catalogue × every period
of 2016–2025, all cells filled, finalized and accepted). A new report of each form is opened for the next
period (2026, 2026S1, 2026Q1, 202601) with every cell filled, and for random cells of it the side panel's
lines are made as the entry page makes them: :meth:`Store.cell_history` (the query over the local
reports) and :func:`dttsclient.ui.earlier.earlier_lines` (the text, with the change in percent). Also
measured: ``Store.check`` of the largest new report, which now reads the previous period for the swing
warnings.

    python benchmarks/history_bench.py [--quick]
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from usb_bench import UNIT, fill_values, make_ten_year_profile  # noqa: E402

from dttsclient.store import Store  # noqa: E402
from dttscore import periods  # noqa: E402


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench(data_dir: Path, lookups: int = 2000, seed: int = 11) -> dict:
    from dttsclient.ui.earlier import earlier_lines

    rng = random.Random(seed)
    with Store.open(data_dir) as store:
        catalog = store.catalogs.current_catalog()
        assert catalog is not None
        targets = []
        for form in catalog.forms:
            period = periods.make_period(form.period_type, 2026, 1).code
            report = store.reports.report(UNIT, form.code, period, create=True)
            eth = ["02", "03", "08", "09", "10"]
            if form.eth_options == "present":
                store.reports.set_eth_rows(report.id, eth)
            values = fill_values(catalog, form.code, eth, rng)
            store.reports.set_cells(report.id, [(c, d, v) for (c, d), v in values.items()], "can_bo")
            types = {ind.code: ind.value_type for ind in catalog.form_indicators(form)}
            targets.extend((report.id, key, types[key[0]]) for key in values)
        # warm up (statement cache, pages)
        for rid, (code, disagg), vt in targets[:50]:
            earlier_lines(store.earlier.cell_history(rid, code, disagg), vt)
        times, cpu, shown = [], [], 0
        load_before = os.getloadavg()[0]
        for _ in range(lookups):
            rid, (code, disagg), vt = rng.choice(targets)
            c0, t0 = time.thread_time(), time.perf_counter()
            lines = earlier_lines(store.earlier.cell_history(rid, code, disagg), vt)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
            shown += sum(1 for line in lines if "chưa có" not in line)
        largest = max({t[0] for t in targets}, key=lambda rid: len(store.reports.cells(rid)))
        checks = []
        for _ in range(5):
            t0 = time.perf_counter()
            problems = store.reports.check(largest)
            checks.append((time.perf_counter() - t0) * 1000)
        check_cells = len(store.reports.cells(largest))
        with closing(sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)) as ro:  # a reader of its own
            reports = ro.execute("SELECT count(*) FROM reports").fetchone()[0]
            cells = ro.execute("SELECT count(*) FROM cells").fetchone()[0]
    return {
        "p50_ms": statistics.median(times),
        "p99_ms": _pct(times, 0.99),
        "cpu_p99_ms": _pct(cpu, 0.99),
        "over_goal": sum(1 for v in times if v > 5.0),
        "load": (load_before, os.getloadavg()[0]),
        "max_ms": max(times),
        "lookups": lookups,
        "lines_with_values": shown,
        "reports": reports,
        "cells": cells,
        "check_ms": statistics.median(checks),
        "check_cells": check_cells,
        "swings": sum(1 for p in problems if p.code == "swing"),
    }


def figures(quick: bool) -> list[dict]:
    from run import figure

    tmp = Path(tempfile.mkdtemp(prefix="history-bench-"))
    try:
        years = 2 if quick else 10
        made = make_ten_year_profile(tmp / "profile", years=years)
        r = bench(tmp / "profile", lookups=300 if quick else 2000)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    label = f"{years} years" if quick else "ten years"
    return [
        figure(
            f"earlier periods of a cell for the side panel and tooltip ({label} of data), p99",
            r["p99_ms"],
            "ms",
            5.0,
            note=f"p50 {r['p50_ms']:.3f} ms, max {r['max_ms']:.2f} ms, {r['over_goal']} over 5 ms, CPU time p99 "
            f"{r['cpu_p99_ms']:.3f} ms (load average {r['load'][0]:.1f} → {r['load'][1]:.1f} on this machine) "
            f"over {r['lookups']} random cells of "
            f"the next period's report of every form; {r['reports']} reports, {r['cells']} cells in the "
            f"profile (built in {made['seconds']:.0f} s); query and text, without painting",
        ),
        figure(
            "check of the largest new report, with the swing warnings against the previous period",
            r["check_ms"],
            "ms",
            None,
            note=f"{r['check_cells']} cells, {r['swings']} swing warnings, median of 5",
        ),
    ]


if __name__ == "__main__":
    print(json.dumps(figures("--quick" in sys.argv), ensure_ascii=False, indent=2))
