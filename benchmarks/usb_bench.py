"""USB and paper figures: backup export of ten years of a commune's data (goal ≤ 1 s), Excel export of
the largest report (goal ≤ 1 s), PDF of it (goal ≤ 2 s).

:func:`make_ten_year_profile` builds the profile others can reuse: every form of the sample catalogue ×
every period of ten years, every cell filled (4–6 ethnic rows per report), finalized and accepted.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from importlib import resources
from pathlib import Path

from dttsclient.store import Store
from dttscore import periods
from dttscore.catalog import load_catalog
from dttscore.disagg import cell_keys
from dttscore.model import Catalog

UNIT = "01849"
FIRST_YEAR = 2016
YEARS = 10
ETH_POOL = ("02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "17")
# Indicators that are the "whole" in the sample catalogue's error rules (a part <= its whole): big
# values for them, small ones elsewhere, so every report passes its errors and can be finalized.
WHOLES = {
    "0101": 1000,
    "0102": 500,
    "0103": 100000,
    "0104": 100000,
    "0201": 1000,
    "0202": 500,
    "0501": 1000,
    "0505": 1000,
    "0609": 1000,
    "0702": 1000,
    "0705": 1000,
    "0710": 1000,
    "0712": 1000,
    "0901": 1000,
    "0904": 1000,
    "1001": 100000,
}


def sample_catalog() -> Catalog:
    return load_catalog(Path(str(resources.files("dttsclient.resources") / "catalog" / "sample.json")))


def fill_values(
    catalog: Catalog, form: str, eth: list[str], rng: random.Random
) -> dict[tuple[str, str], str]:
    """A value for every cell of ``form`` (ethnic rows ``eth``) that passes the sample catalogue's errors."""
    out: dict[tuple[str, str], str] = {}
    for ind in catalog.form_indicators(form):
        for key in cell_keys(catalog, ind, eth):
            vt = ind.value_type
            if vt == "text":
                value = "Lễ hội Lồng tồng, lễ cấp sắc của người Dao"
            elif vt == "yes_no":
                value = "1"
            elif vt == "percent":
                value = str(rng.randint(20, 80))
            elif ind.code in WHOLES:
                value = str(WHOLES[ind.code] + rng.randint(0, 9))
            elif vt == "decimal":
                value = f"{rng.randint(1, 9)}.{rng.randint(1, 9)}"
            else:
                value = str(rng.randint(1, 9))
            out[(ind.code, key)] = value
    return out


def ten_year_periods(period_type: str, first_year: int = FIRST_YEAR, years: int = YEARS) -> list[str]:
    per_year = {"year": 1, "half_year": 2, "quarter": 4, "month": 12}[period_type]
    return [
        periods.make_period(period_type, y, i).code
        for y in range(first_year, first_year + years)
        for i in range(1, per_year + 1)
    ]


def make_ten_year_profile(data_dir: Path | str, *, years: int = YEARS, seed: int = 7) -> dict:
    """A profile holding ``years`` years of one commune's data in ``data_dir`` (created).

    Every form of the sample catalogue × every period, all cells filled with 4–6 ethnic rows, finalized
    and accepted (receipts as the hub would give them).

    Returns:
        {"reports": n, "cells": n, "submissions": n, "seconds": build time}.
    """
    t0 = time.perf_counter()
    rng = random.Random(seed)
    catalog = sample_catalog()
    reports = cells = subs = 0
    with Store.open(Path(data_dir)) as store:
        store.settings.set_profile(
            unit=UNIT, unit_name="Xã Phong Quang", unit_list=catalog.unit_list, username="can_bo"
        )
        store.catalogs.import_catalog(catalog)
        revision = 0
        for form in catalog.forms:
            for period in ten_year_periods(form.period_type, FIRST_YEAR, years):
                eth = sorted(rng.sample(ETH_POOL, rng.randint(4, 6)))
                report = store.reports.report(UNIT, form.code, period, create=True)
                if form.eth_options == "present":
                    store.reports.set_eth_rows(report.id, eth)
                values = fill_values(catalog, form.code, eth, rng)
                store.reports.set_cells(report.id, [(c, d, v) for (c, d), v in values.items()], "can_bo")
                sub = store.outbox.finalize(report.id, "can_bo", require_reasons=False)
                revision += 1
                store.outbox.claim(1, 60)
                store.outbox.apply_results(
                    [
                        {
                            "submission_id": sub.submission_id,
                            "status": "accepted",
                            "receipt_no": f"BN-{revision:06d}",
                            "server_revision": 1,
                            "received_at": sub.finalized_at,
                            "errors": [],
                        }
                    ]
                )
                reports += 1
                subs += 1
                cells += len(values)
    return {"reports": reports, "cells": cells, "submissions": subs, "seconds": time.perf_counter() - t0}


def _largest_report(store: Store) -> int:
    with contextlib.closing(sqlite3.connect(store.path)) as conn:
        row = conn.execute(
            "SELECT report_id FROM cells GROUP BY report_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    return int(row[0])


def bench_backup_export(data_dir: Path, out_dir: Path, runs: int = 3) -> dict:
    """Median seconds of ``export_backup`` (snapshot, zip, atomic copy, read-back and full verify)."""
    from dttsclient.usb.backup import export_backup

    times, size = [], 0
    with Store.open(data_dir) as store:
        for n in range(runs):
            t0 = time.perf_counter()
            info = export_backup(store, out_dir / f"b{n}.dttsbak")
            times.append(time.perf_counter() - t0)
            size = info.size
    return {
        "seconds": statistics.median(times),
        "size": size,
        "db_size": (data_dir / "profile.sqlite").stat().st_size,
    }


def bench_exports(data_dir: Path, out_dir: Path, runs: int = 3) -> dict:
    """Median seconds of the Excel and the PDF export of the largest report."""
    from dttsclient.usb.pdf_report import export_pdf
    from dttsclient.usb.xlsx_report import export_xlsx

    with Store.open(data_dir) as store:
        rid = _largest_report(store)
        ncells = len(store.reports.cells(rid))
        xs, ps = [], []
        for n in range(runs):
            t0 = time.perf_counter()
            export_xlsx(store, rid, out_dir / f"r{n}.xlsx")
            xs.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            export_pdf(store, rid, out_dir / f"r{n}.pdf")
            ps.append(time.perf_counter() - t0)
    return {"xlsx_seconds": statistics.median(xs), "pdf_seconds": statistics.median(ps), "cells": ncells}


def figures(quick: bool) -> list[dict]:
    from run import figure

    tmp = Path(tempfile.mkdtemp(prefix="usb-bench-"))
    try:
        years = 2 if quick else YEARS
        made = make_ten_year_profile(tmp / "profile", years=years)
        out = tmp / "out"
        out.mkdir()
        b = bench_backup_export(tmp / "profile", out, runs=1 if quick else 3)
        e = bench_exports(tmp / "profile", out, runs=1 if quick else 3)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    label = f"{years} years" if quick else "ten years"
    return [
        figure(
            f"backup export of a profile holding {label} of a commune's data",
            b["seconds"],
            "s",
            1.0,
            note=f"{made['reports']} reports, {made['cells']} cells; database {b['db_size'] // 1024} KB, "
            f"backup {b['size'] // 1024} KB; includes read-back and full verification",
        ),
        figure("Excel export of the largest report", e["xlsx_seconds"], "s", 1.0, note=f"{e['cells']} cells"),
        figure("PDF of the largest report", e["pdf_seconds"], "s", 2.0, note=f"{e['cells']} cells"),
    ]
