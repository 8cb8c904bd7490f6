"""Province totals figures (issue 14): totals of the largest sample form over every commune, and ingest
with the cell table maintained.

``bench_totals(db_url)`` starts a hub over ``db_url``, publishes the sample catalogue, stores one valid
annual report of its largest form for each of the first ``n_communes`` communes of ``communes_2025.csv``
(through the ingestion code, in batches of 50 as the client sends them; each stored submission also writes
its rows of the cell table in the same transaction), then times :meth:`dttshub.totals.Totals.totals` for
the whole country (admin ``*``), for the largest province, with ``accepted_only``, and one drill-down.
The HTTP ingest figure of all 3,321 reports is ``hub_bench.py``'s (the same cell table is written there).

Run alone: ``python benchmarks/totals_bench.py [--quick] [--db URL]`` (PostgreSQL is the figure the issue
names: ``--db postgresql+psycopg://…``; by default an SQLite file in a temporary directory).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # the repository root: the test helpers are tests.support

BATCH = 50
REPEAT = 5


def _timed(fn, repeat: int = REPEAT) -> tuple[float, object]:
    """The median of ``repeat`` runs (seconds) and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bench_totals(db_url: str | None = None, n_communes: int = 3321) -> dict:
    """Store ``n_communes`` annual reports, then time the totals.

    Returns:
        ``{form, cells, reports, cell_rows, ingest_s, totals_all_s, totals_province_s,
        totals_accepted_s, drilldown_s, province, database}``.
    """
    import sqlalchemy as sa
    from hub_bench import CLOCK, largest_form_reports

    from dttscore import refdata
    from dttshub.embedded import EmbeddedHub
    from dttshub.scope import Account
    from tests.support.hubfixture import FAST_ARGON2

    communes = [c.commune_code for c in refdata.communes()[:n_communes]]
    catalog, form, period, values, docs = largest_form_reports(communes)
    counts: dict[str, int] = {}
    for c in refdata.communes():
        counts[c.province_code] = counts.get(c.province_code, 0) + 1
    province = max(counts, key=lambda p: counts[p])
    with tempfile.TemporaryDirectory(prefix="totals-bench-") as tmp:
        url = db_url or f"sqlite:///{Path(tmp) / 'hub.sqlite'}"
        with EmbeddedHub(
            url, data_dir=Path(tmp), environment="test", clock=lambda: CLOCK, **FAST_ARGON2
        ) as embedded:
            hub = embedded.hub
            hub.catalogs.publish(catalog, by="bench")
            admin = Account("bench", "admin", "*", "bench-device")
            start = time.perf_counter()
            for i in range(0, len(docs), BATCH):
                hub.ingest.ingest_many(admin, "bench-device", docs[i : i + BATCH])
            ingest_s = time.perf_counter() - start
            with hub.db.read() as conn:
                cell_rows = conn.execute(sa.text("SELECT count(*) FROM cells")).scalar()
            # accept every tenth report so accepted_only has something to add up
            for unit in communes[::10]:
                hub.reviews.review(admin, unit, form, period, "accept")
            hub.totals.totals(form, period, "*")  # warm the catalogue cache and the connection pool
            all_s, totals = _timed(lambda: hub.totals.totals(form, period, "*"))
            prov_s, _ = _timed(lambda: hub.totals.totals(form, period, province))
            acc_s, _ = _timed(lambda: hub.totals.totals(form, period, "*", accepted_only=True))
            code = catalog.form_indicators(form)[0].code
            drill_s, _ = _timed(lambda: hub.totals.drilldown(form, period, code, "", province))
    return {
        "form": form,
        "cells": len(values),
        "reports": len(docs),
        "cell_rows": cell_rows,
        "units_included": len(totals.units_included),
        "total_cells": len(totals.cells),
        "ingest_s": round(ingest_s, 3),
        "totals_all_s": round(all_s, 4),
        "totals_province_s": round(prov_s, 4),
        "totals_accepted_s": round(acc_s, 4),
        "drilldown_s": round(drill_s, 4),
        "province": f"{province} ({counts[province]} communes)",
        "database": "postgresql" if url.startswith("postgresql") else "sqlite",
    }


def figures(quick: bool = False) -> list[dict]:
    """The totals figures for ``benchmarks/run.py`` (PostgreSQL when configured, else SQLite)."""
    from run import figure

    n = 300 if quick else 3321
    base = os.environ.get("DTTS_TEST_POSTGRES_URL")
    schema = url = None
    if base:
        from tests.support.hubfixture import create_pg_schema

        schema, url = create_pg_schema(base)
    try:
        r = bench_totals(url, n_communes=n)
    finally:
        if base and schema:
            from tests.support.hubfixture import drop_pg_schema

            drop_pg_schema(base, schema)
    label = "PostgreSQL" if base else "SQLite"
    note = f"{r['reports']} communes × {r['form']} ({r['cells']} cells each, {r['cell_rows']} cell rows)"
    full_pg = bool(base) and n == 3321
    return [
        figure(
            f"totals ({label}): largest form, all communes",
            r["totals_all_s"],
            "s",
            1.0 if full_pg else None,
            note=note,
        ),
        figure(
            f"totals ({label}): largest province {r['province']}",
            r["totals_province_s"],
            "s",
            None,
            note=note,
        ),
        figure(
            f"totals ({label}): accepted only, all communes", r["totals_accepted_s"], "s", None, note=note
        ),
        figure(
            f"totals ({label}): drill-down of one total, largest province",
            r["drilldown_s"],
            "s",
            None,
            note=note,
        ),
        figure(
            f"ingest with the cell table ({label}, direct, batches of {BATCH})",
            r["ingest_s"],
            "s",
            60.0 if full_pg else None,
            note=note,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="300 communes instead of 3,321")
    p.add_argument("--db", help="database URL (default: an SQLite file in a temporary directory)")
    args = p.parse_args(argv)
    print(
        json.dumps(
            bench_totals(args.db, n_communes=300 if args.quick else 3321), ensure_ascii=False, indent=2
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
