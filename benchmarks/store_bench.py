"""Store figures: a cell write until durable (goal p99 ≤ 2 ms) and finalize of the largest sample form.

Both run on a temporary profile on the same disk as the system temp folder (real fsync: WAL +
``synchronous=FULL``). Usable on its own::

    python benchmarks/store_bench.py [N]
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

UNIT = "01849"
WHO = "bench"


def _sample_catalog_path() -> Path:
    return Path(str(resources.files("dttsclient.resources") / "catalog" / "sample.json"))


def _percentile(sorted_ms: list[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    index = max(0, min(len(sorted_ms) - 1, round(q / 100 * len(sorted_ms) + 0.5) - 1))
    return sorted_ms[index]


def _largest_form(catalog, eth: list[str]):
    from dttscore.disagg import cell_keys

    def size(form) -> int:
        return sum(len(cell_keys(catalog, ind, eth)) for ind in catalog.form_indicators(form))

    return max(catalog.forms, key=size)


def _fill(catalog, form, eth: list[str]) -> dict[tuple[str, str], str]:
    """Every cell of the form with a value that passes the form's error rules.

    Starts from plausible numbers (10 per cell, 1 for yes/no, a text) and, while an error is left, sets
    to 0 the cells of the indicators on the "part" side of each failing rule (the sample's error rules
    are all "part <= whole").
    """
    from dttscore.disagg import cell_keys
    from dttscore.validate import check_report

    values: dict[tuple[str, str], str] = {}
    for ind in catalog.form_indicators(form):
        if ind.value_type == "text":
            value = "Ghi chú của xã"
        elif ind.value_type == "yes_no":
            value = "1"
        elif ind.max is not None and ind.max < 10:
            value = "0"
        else:
            value = "10"
        for key in cell_keys(catalog, ind, eth):
            values[(ind.code, key)] = value
    for _ in range(50):
        errors = [p for p in check_report(catalog, form.code, values, eth_present=eth) if p.is_error]
        if not errors:
            return values
        culprits = set()
        for p in errors:
            culprits |= _left_codes(catalog, p.code) or {p.indicator}
        changed = False
        for (code, key), value in values.items():
            if code in culprits and value not in ("0", "Ghi chú của xã"):
                values[(code, key)] = "0"
                changed = True
        if not changed:
            break
    raise RuntimeError(f"could not fill form {form.code} without errors: {[p.code for p in errors][:10]}")


def _left_codes(catalog, rule_code: str) -> set[str]:
    """Indicator codes on the left of each comparison of a rule ("part" side of "part <= whole")."""
    rule = next((r for r in catalog.rules if r.code == rule_code), None)
    if rule is None:
        return set()
    codes: set[str] = set()
    for clause in re.split(r"\band\b|\bor\b", rule.expression):
        left = re.split(r"<=|>=|==|!=|<|>", clause)[0]
        codes |= set(re.findall(r"\b\d{4}\b", left))
    return codes


def _fsync_baseline(folder: Path, n: int) -> tuple[float, float]:
    """p50/p99 ms of a bare 4 KiB write + fdatasync in ``folder``: the floor any durable write pays."""
    import os

    path = folder / "fsync-probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    sync = getattr(os, "fdatasync", os.fsync)
    times = []
    try:
        for i in range(n):
            os.pwrite(fd, b"x" * 4096, (i % 64) * 4096)
            t0 = time.perf_counter()
            sync(fd)
            times.append((time.perf_counter() - t0) * 1000)
    finally:
        os.close(fd)
        path.unlink()
    times.sort()
    return _percentile(times, 50), _percentile(times, 99)


def bench_cell_write(n: int = 2000, base_dir: str | None = None) -> dict:
    """Time ``set_cell`` until it returns (the value is durable then) on a temporary profile.

    Args:
        n: number of timed writes (each changes a value, so each commits and fsyncs).
        base_dir: folder for the temporary profile (default: the system temp folder).

    Returns:
        ``{"n", "p50_ms", "p99_ms", "mean_ms", "max_ms", "fsync_p50_ms", "fsync_p99_ms"}``; the last two
        are a bare fdatasync in the same folder, measured right after, to tell the disk from the store.
    """
    from dttsclient.store import Store
    from dttscore.catalog import load_catalog
    from dttscore.disagg import cell_keys

    catalog = load_catalog(_sample_catalog_path())
    eth = [o.code for o in catalog.options_for("eth")][:54]
    form = _largest_form(catalog, eth)
    cells = [
        (ind.code, key)
        for ind in catalog.form_indicators(form)
        if ind.value_type == "integer"
        for key in cell_keys(catalog, ind, eth)
    ]
    times: list[float] = []
    with tempfile.TemporaryDirectory(dir=base_dir) as tmp, Store.open(Path(tmp) / "profile") as store:
        store.catalogs.import_catalog(catalog)
        report = store.reports.report(UNIT, form.code, "2026", create=True)
        store.reports.set_eth_rows(report.id, eth)
        for i in range(50):  # warm up: statement cache, catalogue cache, file growth
            code, key = cells[i % len(cells)]
            store.reports.set_cell(report.id, code, key, str(i), WHO)
        for i in range(n):
            code, key = cells[i % len(cells)]
            value = str(1000 + i)
            t0 = time.perf_counter()
            store.reports.set_cell(report.id, code, key, value, WHO)
            times.append((time.perf_counter() - t0) * 1000)
        fsync_p50, fsync_p99 = _fsync_baseline(Path(tmp), min(n, 1000))
    times.sort()
    return {
        "fsync_p50_ms": fsync_p50,
        "fsync_p99_ms": fsync_p99,
        "n": n,
        "p50_ms": _percentile(times, 50),
        "p99_ms": _percentile(times, 99),
        "mean_ms": statistics.fmean(times),
        "max_ms": times[-1],
    }


def bench_finalize(runs: int = 5, base_dir: str | None = None) -> dict:
    """Time ``finalize`` of the sample catalogue's largest form (54 ethnic rows, every cell filled).

    Each run after the first changes a comment (untimed) so there is something to finalize, then times the whole
    finalize: validation, the submission document, its hash, the submission + outbox row commit.

    Returns:
        ``{"form", "cells", "runs", "ms" (median), "min_ms", "max_ms"}``.
    """
    from dttsclient.store import Store
    from dttscore.catalog import load_catalog

    catalog = load_catalog(_sample_catalog_path())
    eth = [o.code for o in catalog.options_for("eth")][:54]
    form = _largest_form(catalog, eth)
    values = _fill(catalog, form, eth)
    times: list[float] = []
    with tempfile.TemporaryDirectory(dir=base_dir) as tmp, Store.open(Path(tmp) / "profile") as store:
        store.catalogs.import_catalog(catalog)
        report = store.reports.report(UNIT, form.code, "2026", create=True)
        store.reports.set_eth_rows(report.id, eth)
        store.reports.set_cells(report.id, [(c, k, v) for (c, k), v in values.items()], WHO, kind="import")
        first_code, first_key = next(iter(values))
        for i in range(runs):
            if i:  # a changed comment makes an edited draft without touching the (valid) values
                store.reports.set_comment(report.id, first_code, first_key, f"Ghi chú lần {i}", WHO)
            t0 = time.perf_counter()
            sub = store.outbox.finalize(report.id, WHO, require_reasons=False)
            times.append((time.perf_counter() - t0) * 1000)
            assert len(sub.document["values"]) == len(values)
    return {
        "form": form.code,
        "cells": len(values),
        "runs": runs,
        "ms": statistics.median(times),
        "min_ms": min(times),
        "max_ms": max(times),
    }


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    print(json.dumps({"cell_write": bench_cell_write(count), "finalize": bench_finalize()}, indent=2))


def figures(quick: bool) -> list[dict]:
    """The store's figures for benchmarks/run.py."""
    from run import figure

    w = bench_cell_write(n=300 if quick else 2000)
    f = bench_finalize(runs=3 if quick else 5)
    disk = f"bare fsync on this disk: p50 {w['fsync_p50_ms']:.2f} ms, p99 {w['fsync_p99_ms']:.2f} ms"
    return [
        figure("cell write until durable, p50", w["p50_ms"], "ms", None),
        figure("cell write until durable, p99", w["p99_ms"], "ms", 2.0, note=disk),
        figure(
            "cell write p99 ÷ bare fsync p99",
            w["p99_ms"] / w["fsync_p99_ms"],
            "×",
            None,
            note="the store's cost over the disk's own",
        ),
        figure(
            f"finalize of {f['form']} with every cell filled", f["ms"], "ms", None, note=f"{f['cells']} cells"
        ),
    ]
