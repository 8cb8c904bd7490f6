"""Core figures: loading the sample catalogue from JSON (goal ≤ 50 ms) and from the workbook."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from importlib import resources

from run import figure

# A fresh process: import the loader and the modules it calls lazily (rule grammar, validation, code
# lists; the app imports them at start-up anyway), then time the load itself. The import is reported
# on its own.
_LOAD_ONCE = """
import sys, time
t0 = time.perf_counter()
from dttscore.catalog import load_catalog
from dttscore import refdata, rules, validate, workbook  # noqa: F401
import importlib.resources  # noqa: F401
t1 = time.perf_counter()
load_catalog(sys.argv[1])
t2 = time.perf_counter()
print((t2 - t1) * 1000, (t1 - t0) * 1000)
"""


def _sample(name: str) -> str:
    return str(resources.files("dttsclient.resources") / "catalog" / name)


def _cold_load_ms(path: str, runs: int) -> tuple[float, float]:
    """Median load time in a fresh process (what the app pays at start), and the import time."""
    loads, imports = [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _LOAD_ONCE, path], capture_output=True, text=True, check=True
        )
        load, imp = map(float, out.stdout.split())
        loads.append(load)
        imports.append(imp)
    return statistics.median(loads), statistics.median(imports)


def _warm_load_ms(path: str, runs: int) -> float:
    from dttscore.catalog import load_catalog

    load_catalog(path)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        load_catalog(path)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def figures(quick: bool) -> list[dict]:
    runs = 3 if quick else 7
    json_cold, imp = _cold_load_ms(_sample("sample.json"), runs)
    xlsx_cold, _ = _cold_load_ms(_sample("sample.xlsx"), runs)
    return [
        figure(
            "load the sample catalogue from JSON (fresh process)",
            json_cold,
            "ms",
            50.0,
            note=f"modules imported first: {imp:.0f} ms, not included",
        ),
        figure(
            "load the sample catalogue from JSON (warm)",
            _warm_load_ms(_sample("sample.json"), runs * 3),
            "ms",
            50.0,
        ),
        figure("load the sample catalogue from the workbook (fresh process)", xlsx_cold, "ms", None),
    ]
