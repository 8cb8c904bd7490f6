"""Excel import within the officer's PC budget (4 GB in all): a hostile or mistaken huge file is refused
or read within ≤ 300 MB peak memory and ≤ 10 s; a real full-form table imports within the same budget.

Each case runs the real ``dttsclient values import`` in its own process and measures its wall time and
peak resident memory (``ru_maxrss`` of that process alone, through a small wrapper process).

Cases: a table of 1,000,000 rows that declares its size (refused from the sheet's first bytes); the
same rows without a ``<dimension>`` (streamed, stopped at the form's cap); a table holding every cell of
the sample catalogue's largest form (imported).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook

from dttsclient.store import Store
from dttscore.disagg import cell_keys

UNIT = "01849"
MEMORY_GOAL_MB = 300
TIME_GOAL_S = 10
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t0 = time.perf_counter()\n"
    "p = subprocess.run(sys.argv[1:], capture_output=True)\n"
    "print(p.returncode, time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
    "len(p.stderr), len(p.stdout))\n"
)


def _profile(data_dir: Path) -> str:
    """A profile with the sample catalogue; returns the form with the most cells."""
    from usb_bench import sample_catalog

    catalog = sample_catalog()
    with Store.open(data_dir) as store:
        store.settings.set_profile(unit=UNIT, username="bench")
        store.catalogs.import_catalog(catalog)
    best = max(
        (f.code for f in catalog.forms if catalog.form(f.code).period_type == "year"),
        key=lambda code: sum(
            len(cell_keys(catalog, ind, ["02", "03", "04", "05"])) for ind in catalog.form_indicators(code)
        ),
    )
    return best


def _table(path: Path, rows: list[tuple]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã chỉ tiêu", "Phân tổ", "Giá trị"])
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def _million_rows(path: Path, dimension: bool) -> Path:
    """1,000,000 rows of (0101, -1), written straight as sheet XML into a real workbook."""
    base = _table(path.with_suffix(".base.xlsx"), [])
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet ' + NS + b">"
        + (b'<dimension ref="A1:C1000000"/>' if dimension else b"")
        + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c>'
        b'<c r="C1" t="inlineStr"><is><t>value</t></is></c></row>'
    )
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                zout.writestr(item.filename, zin.read(item.filename))
        with zout.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(head)
            for start in range(2, 1_000_001, 10_000):
                fh.write(
                    b"".join(
                        b'<row r="%d"><c r="A%d"><v>101</v></c><c r="C%d"><v>-1</v></c></row>' % (n, n, n)
                        for n in range(start, min(start + 10_000, 1_000_001))
                    )
                )
            fh.write(b"</sheetData></worksheet>")
    base.unlink()
    return path


def _full_form(path: Path, data_dir: Path, form: str) -> tuple[Path, int]:
    from usb_bench import sample_catalog

    catalog = sample_catalog()
    rows = []
    for ind in catalog.form_indicators(form):
        for key in cell_keys(catalog, ind, ["02", "03", "04", "05"]):
            value = {"yes_no": "Có", "text": "ghi chú"}.get(ind.value_type, 1)
            rows.append((ind.code, key, value))
    return _table(path, rows), len(rows)


def measure(data_dir: Path, path: Path, form: str, period: str) -> dict:
    exe = Path(sys.executable).with_name("dttsclient")
    cmd = [str(exe), "--data-dir", str(data_dir), "values", "import", str(path)]
    cmd += ["--form", form, "--period", period, "--unit", UNIT, "--yes"]
    out = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], capture_output=True, text=True, timeout=600)
    code, seconds, rss_kb, err_len, out_len = out.stdout.split()
    return {
        "exit": int(code),
        "seconds": float(seconds),
        "peak_mb": int(rss_kb) / 1024,
        "stderr_bytes": int(err_len),
        "stdout_bytes": int(out_len),
        "file_mb": path.stat().st_size / 2**20,
    }


def run_cases() -> dict[str, dict]:
    tmp = Path(tempfile.mkdtemp(prefix="import-bench-"))
    try:
        data_dir = tmp / "profile"
        form = _profile(data_dir)
        cases = {}
        t0 = time.perf_counter()
        declared = _million_rows(tmp / "million.xlsx", dimension=True)
        cases["million_rows_declared"] = {**measure(data_dir, declared, form, "2026"), "form": form}
        undeclared = _million_rows(tmp / "million-nodim.xlsx", dimension=False)
        cases["million_rows_undeclared"] = {**measure(data_dir, undeclared, form, "2026"), "form": form}
        full, n = _full_form(tmp / "full.xlsx", data_dir, form)
        cases["full_form"] = {**measure(data_dir, full, form, "2026"), "form": form, "cells": n}
        cases["_build_seconds"] = {"seconds": time.perf_counter() - t0}
        return cases
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def figures(quick: bool) -> list[dict]:
    from run import figure

    cases = run_cases()
    out = []
    for name in ("million_rows_declared", "million_rows_undeclared", "full_form"):
        c = cases[name]
        note = f"exit {c['exit']}, file {c['file_mb']:.1f} MB, stderr {c['stderr_bytes']} B"
        out.append(figure(f"Excel import {name} seconds", c["seconds"], "s", TIME_GOAL_S, note=note))
        out.append(figure(f"Excel import {name} peak memory", c["peak_mb"], "MB", MEMORY_GOAL_MB, note=note))
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    print(json.dumps(run_cases(), indent=2))
