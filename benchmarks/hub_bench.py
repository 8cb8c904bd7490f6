"""Hub figures: ingesting the annual report of the largest sample form for every commune.

``bench_ingest(db_url)`` starts a hub over ``db_url`` (an SQLite file or a PostgreSQL schema), publishes
the sample catalogue and posts one valid annual report of its largest form per commune of
``communes_2025.csv`` through ``submissions:batch`` over real HTTP (gzip bodies, 50 per batch, as the
client sends them), or with ``via="direct"`` through the same ingestion code without HTTP.

Run alone: ``python benchmarks/hub_bench.py [--quick] [--db URL] [--via http|direct]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the repository root: the test helpers are tests.support

BATCH = 50
ETH_ROWS = ["02", "08", "09"]
CLOCK = datetime(2027, 1, 10, 3, 0, tzinfo=timezone.utc)  # before the deadline of the 2026 reports


def _largest_form(catalog) -> str:
    from dttscore.disagg import cell_keys

    def cells(form) -> int:
        return sum(len(cell_keys(catalog, i, ETH_ROWS)) for i in catalog.form_indicators(form))

    return max(catalog.forms, key=cells).code


def largest_form_reports(communes: list[str]) -> tuple:
    """One valid report of the sample's largest form, for its latest period, from each commune.

    Returns:
        ``(catalog, form, period, values, submission documents)``; shared by the hub, totals and export
        benchmarks.
    """
    from dttscore.catalog import load_catalog
    from tests.support.hubfixture import make_submission, valid_values

    catalog = load_catalog(Path(__file__).resolve().parents[1] / "resources" / "catalog" / "sample.json")
    form = _largest_form(catalog)
    period = {"year": "2026", "half_year": "2026S2", "quarter": "2026Q4", "month": "202612"}[
        catalog.form(form).period_type
    ]
    values, warnings = valid_values(catalog, form, ETH_ROWS)
    docs = [
        make_submission(
            values,
            unit=unit,
            form=form,
            period=period,
            catalog_id=catalog.catalog_id,
            catalog_version=catalog.version,
            eth_rows=ETH_ROWS,
            warnings=warnings,
        )
        for unit in communes
    ]
    return catalog, form, period, values, docs


def bench_ingest(db_url: str | None = None, n_communes: int = 3321, via: str = "http") -> dict:
    """Ingest one annual report of the largest sample form for each of the first ``n_communes`` communes.

    Args:
        db_url: the hub database; None makes an SQLite file in a temporary directory.
        n_communes: how many communes (3,321 is all of them).
        via: "http" (``submissions:batch`` over 127.0.0.1) or "direct" (the same ingestion, no HTTP).

    Returns:
        ``{form, cells, reports, seconds, reports_per_s, statuses, via, database}``.
    """
    import requests

    from dttscore import refdata
    from dttshub.embedded import EmbeddedHub
    from dttshub.scope import Account
    from tests.support.hubfixture import FAST_ARGON2

    catalog, form, _period, values, docs = largest_form_reports(
        [c.commune_code for c in refdata.communes()[:n_communes]]
    )
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as tmp:
        url = db_url or f"sqlite:///{Path(tmp) / 'hub.sqlite'}"
        statuses: dict[str, int] = {}
        with EmbeddedHub(
            url, data_dir=Path(tmp), environment="test", clock=lambda: CLOCK, **FAST_ARGON2
        ) as hub:
            hub.hub.catalogs.publish(catalog, by="bench")
            start = time.perf_counter()
            if via == "direct":
                admin = Account("bench", "admin", "*", "bench-device")
                results = []
                for i in range(0, len(docs), BATCH):
                    results += hub.hub.ingest.ingest_many(admin, "bench-device", docs[i : i + BATCH])
            else:
                hub.hub.accounts.add_user("bench", "admin", "*", "bench-password")
                with requests.Session() as s:
                    r = s.post(
                        hub.url + "/api/v1/auth/token",
                        json={"username": "bench", "password": "bench-password", "device_id": "bench-device"},
                        timeout=60,
                    )
                    r.raise_for_status()
                    s.headers.update(
                        {
                            "Authorization": "Bearer " + r.json()["access_token"],
                            "Content-Encoding": "gzip",
                            "Content-Type": "application/json",
                            "User-Agent": "dttsclient/0.1.0",
                        }
                    )
                    results = []
                    for i in range(0, len(docs), BATCH):
                        body = {
                            "device_id": "bench-device",
                            "app_version": "0.1.0",
                            "submissions": docs[i : i + BATCH],
                        }
                        data = gzip.compress(json.dumps(body, ensure_ascii=False).encode("utf-8"), 6)
                        r = s.post(hub.url + "/api/v1/submissions:batch", data=data, timeout=600)
                        r.raise_for_status()
                        results += r.json()["results"]
            seconds = time.perf_counter() - start
        for res in results:
            statuses[res["status"]] = statuses.get(res["status"], 0) + 1
    return {
        "form": form,
        "cells": len(values),
        "reports": len(docs),
        "seconds": round(seconds, 3),
        "reports_per_s": round(len(docs) / seconds, 1) if seconds else None,
        "statuses": statuses,
        "via": via,
        "database": "postgresql" if url.startswith("postgresql") else "sqlite",
    }


def figures(quick: bool = False) -> list[dict]:
    """The hub figures for ``benchmarks/run.py`` (SQLite always, PostgreSQL when configured)."""
    from run import figure

    n = 300 if quick else 3321
    out = []
    targets: list[tuple[str, str | None]] = [("SQLite", None)]
    pg = os.environ.get("DTTS_TEST_POSTGRES_URL")
    if pg:
        targets.append(("PostgreSQL", pg))
    for label, base in targets:
        schema = None
        url = None
        if base:
            from tests.support.hubfixture import create_pg_schema

            schema, url = create_pg_schema(base)
        try:
            r = bench_ingest(url, n_communes=n)
        finally:
            if base and schema:
                from tests.support.hubfixture import drop_pg_schema

                drop_pg_schema(base, schema)
        note = f"{r['reports']} communes × {r['form']} ({r['cells']} cells), {r['statuses']}, HTTP batches of {BATCH}"
        out.append(
            figure(
                f"hub ingest ({label}): annual reports per second",
                r["reports_per_s"],
                "reports/s",
                None,
                lower_is_better=False,
                note=note,
            )
        )
        # The goal is for all 3,321 communes on PostgreSQL (a --quick run ingests fewer).
        goal = 60.0 if base and n == 3321 else None
        out.append(figure(f"hub ingest ({label}): all reports", r["seconds"], "s", goal, note=note))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="300 communes instead of 3,321")
    p.add_argument("--db", help="database URL (default: an SQLite file in a temporary directory)")
    p.add_argument("--via", choices=("http", "direct"), default="http")
    args = p.parse_args(argv)
    result = bench_ingest(args.db, n_communes=300 if args.quick else 3321, via=args.via)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
