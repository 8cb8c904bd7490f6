"""Export figures: each export (xlsx, csv, DHIS2, ADX) of a 100-commune province, goal ≤ 2 s each.

``bench_exports(db_url)`` starts a hub over ``db_url`` (an SQLite file or a PostgreSQL schema), publishes
the sample catalogue, ingests one valid annual report of its largest form for every commune of the
province with about 100 communes (``66``: 102 communes), then times each format end to end: ``GET
/api/v1/export`` over 127.0.0.1 as the province's reviewer (reading the reports, totals, completeness and
writing the file), the best of a few runs, plus the size of the file.

Run alone: ``python benchmarks/export_bench.py [--db URL]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # the repository root: the test helpers are tests.support

PROVINCE = "66"
ETH_ROWS = ["02", "08", "09"]
CLOCK = datetime(2027, 1, 10, 3, 0, tzinfo=timezone.utc)
RUNS = 3
GOAL_S = 2.0


def bench_exports(db_url: str | None = None, runs: int = RUNS, save: Path | None = None) -> dict:
    """Time each export format of the province over HTTP; ``{format: {seconds, bytes}}`` and the set-up.

    ``save``: a folder to keep the last file of each format in (to look at them).
    """
    import requests
    from hub_bench import largest_form_reports

    from dttscore import refdata
    from dttshub.embedded import EmbeddedHub
    from dttshub.exports import FORMATS
    from dttshub.scope import Account
    from tests.support.hubfixture import FAST_ARGON2

    communes = [c.commune_code for c in refdata.communes_in(PROVINCE)]
    catalog, form, period, values, docs = largest_form_reports(communes)
    out: dict = {"form": form, "cells": len(values), "communes": len(communes), "formats": {}}
    with tempfile.TemporaryDirectory(prefix="export-bench-") as tmp:
        url = db_url or f"sqlite:///{Path(tmp) / 'hub.sqlite'}"
        out["database"] = "postgresql" if url.startswith("postgresql") else "sqlite"
        with EmbeddedHub(
            url, data_dir=Path(tmp), environment="test", clock=lambda: CLOCK, **FAST_ARGON2
        ) as hub:
            hub.hub.catalogs.publish(catalog, by="bench")
            admin = Account("bench", "admin", "*", "bench-device")
            for i in range(0, len(docs), 50):
                hub.hub.ingest.ingest_many(admin, "bench-device", docs[i : i + 50])
            hub.hub.accounts.add_user("reviewer", "reviewer", PROVINCE, "bench-password")
            with requests.Session() as s:
                r = s.post(
                    hub.url + "/api/v1/auth/token",
                    json={"username": "reviewer", "password": "bench-password", "device_id": "bench"},
                    timeout=60,
                )
                r.raise_for_status()
                s.headers["Authorization"] = "Bearer " + r.json()["access_token"]
                for fmt in FORMATS:
                    best = None
                    size = 0
                    for _ in range(runs):
                        start = time.perf_counter()
                        r = s.get(
                            hub.url + "/api/v1/export",
                            params={"form": form, "period": period, "format": fmt},
                            timeout=120,
                        )
                        took = time.perf_counter() - start
                        r.raise_for_status()
                        size = len(r.content)
                        best = took if best is None else min(best, took)
                    out["formats"][fmt] = {"seconds": round(best or 0.0, 3), "bytes": size}
                    if save is not None:
                        (save / f"{PROVINCE}-{form}-{period}.{fmt}").write_bytes(r.content)
    return out


def figures(quick: bool = False) -> list[dict]:
    """The export figures for ``benchmarks/run.py`` (SQLite always, PostgreSQL when configured)."""
    from run import figure

    targets: list[tuple[str, str | None]] = [("SQLite", None)]
    pg = os.environ.get("DTTS_TEST_POSTGRES_URL")
    if pg:
        targets.append(("PostgreSQL", pg))
    out = []
    for label, base in targets:
        schema = url = None
        if base:
            from tests.support.hubfixture import create_pg_schema

            schema, url = create_pg_schema(base)
        try:
            r = bench_exports(url, runs=1 if quick else RUNS)
        except Exception as exc:  # one database failing does not hide the other's figures
            for fmt in ("xlsx", "csv", "dvs", "adx"):
                name = f"hub export {fmt} ({label}): 100-commune province"
                out.append(figure(name, None, "s", GOAL_S, note=f"failed: {type(exc).__name__}: {exc}"[:300]))
            continue
        finally:
            if base and schema:
                from tests.support.hubfixture import drop_pg_schema

                drop_pg_schema(base, schema)
        for fmt, f in r["formats"].items():
            note = (
                f"province {PROVINCE}: {r['communes']} communes × {r['form']} ({r['cells']} cells), "
                f"GET /api/v1/export end to end, best of {1 if quick else RUNS}; {f['bytes']:,} bytes"
            )
            out.append(
                figure(
                    f"hub export {fmt} ({label}): 100-commune province", f["seconds"], "s", GOAL_S, note=note
                )
            )
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", help="database URL (default: an SQLite file in a temporary directory)")
    p.add_argument("--save", type=Path, help="a folder to keep the exported files in")
    args = p.parse_args(argv)
    print(json.dumps(bench_exports(args.db, save=args.save), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
