"""Reviewer figures (issue 14): completeness of a 100-commune province, one report in full.

``bench_review(db_url)`` starts a hub over ``db_url`` (a PostgreSQL schema, or an SQLite file), publishes
the sample catalogue and ingests, through the hub's own ingestion code, the annual report of the sample's
largest form for every commune of province 66 (102 communes) for 2025, all but ten of them for 2026, and for
``others`` communes of other provinces for 2026; a third of the province's 2026 reports are accepted and
then corrected (a second revision, "changed after acceptance"), every province commune has an officer
account with a device. Then, over HTTP as the province's reviewer (the path the console takes: token,
query, JSON):

* ``GET /api/v1/completeness?form=…&period=2026&province=66`` — every unit with its state;
* ``GET /api/v1/reports/{unit}/{form}/2026`` of a corrected report (two revisions, a review, the previous
  period beside each cell).

Each is timed ``repeat`` times after two warm-up calls; the figures are the median and the 95th
percentile in milliseconds.

Run alone: ``python benchmarks/review_bench.py [--quick] [--db URL]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
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
CLOCK = datetime(2027, 1, 10, 3, 0, tzinfo=timezone.utc)  # before the deadline of the 2026 reports
BATCH = 50


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return round(statistics.median(ordered) * 1000, 2), round(p95 * 1000, 2)


def bench_review(db_url: str | None = None, others: int = 1000, repeat: int = 50) -> dict:
    """Build the data set and time the two reviewer reads (see the module's description)."""
    import requests
    from hub_bench import _largest_form

    from dttscore import refdata
    from dttscore.catalog import load_catalog
    from dttshub.embedded import EmbeddedHub
    from dttshub.scope import Account
    from tests.support.hubfixture import FAST_ARGON2, make_submission, valid_values

    catalog = load_catalog(HERE.parent / "resources" / "catalog" / "sample.json")
    form = _largest_form(catalog)
    values, warnings = valid_values(catalog, form, ETH_ROWS)
    province = [c.commune_code for c in refdata.communes_in(PROVINCE)]
    rest = [c.commune_code for c in refdata.communes() if c.province_code != PROVINCE][:others]

    # the correction: the values of a report with two ethnic groups instead of three (valid by construction)
    fixed_values, fixed_warnings = valid_values(catalog, form, ETH_ROWS[:2])

    def doc(unit: str, period: str, fixed: bool = False, **kw) -> dict:
        return make_submission(
            fixed_values if fixed else values,
            unit=unit,
            form=form,
            period=period,
            catalog_id=catalog.catalog_id,
            catalog_version=catalog.version,
            eth_rows=ETH_ROWS[:2] if fixed else ETH_ROWS,
            warnings=fixed_warnings if fixed else warnings,
            **kw,
        )

    with tempfile.TemporaryDirectory(prefix="review-bench-") as tmp:
        url = db_url or f"sqlite:///{Path(tmp) / 'hub.sqlite'}"
        with EmbeddedHub(
            url, data_dir=Path(tmp), environment="test", clock=lambda: CLOCK, **FAST_ARGON2
        ) as hub:
            h = hub.hub
            h.catalogs.publish(catalog, by="bench")
            admin = Account("bench", "admin", "*", "bench-device")
            docs = [doc(u, "2025") for u in province] + [doc(u, "2026") for u in province[:-10] + rest]
            start = time.perf_counter()
            for i in range(0, len(docs), BATCH):
                h.ingest.ingest_many(admin, "bench-device", docs[i : i + BATCH])
            corrected = province[: len(province) // 3]
            reviewer_account = Account("bench-reviewer", "reviewer", PROVINCE)
            h.reviews.bulk_accept(reviewer_account, [(u, form, "2026") for u in corrected])
            by_unit = {d["unit"]: d for d in docs if d["period"] == "2026"}
            seconds_building = time.perf_counter() - start
            fixes = [
                doc(
                    u,
                    "2026",
                    True,
                    revision_no=2,
                    supersedes=by_unit[u]["submission_id"],
                    base_server_revision=2,
                )
                for u in corrected
            ]
            fixed = h.ingest.ingest_many(admin, "bench-device", fixes)
            assert all(x["status"] == "accepted" for x in fixed), fixed[:1]
            for u in province:
                h.accounts.add_user(f"cb{u}", "officer", u, "bench-password")
            with h.db.begin() as conn:
                for u in province:
                    h.accounts.touch_device(conn, f"cb{u}", f"pc-{u}", CLOCK, "PC xã", "0.1.0")
            h.accounts.add_user("reviewer66", "reviewer", PROVINCE, "bench-password")
            with requests.Session() as s:
                r = s.post(
                    hub.url + "/api/v1/auth/token",
                    json={"username": "reviewer66", "password": "bench-password", "device_id": "province-pc"},
                    timeout=60,
                )
                r.raise_for_status()
                s.headers.update(
                    {"Authorization": "Bearer " + r.json()["access_token"], "Accept-Encoding": "identity"}
                )
                completeness_url = hub.url + "/api/v1/completeness"
                params = {"form": form, "period": "2026", "province": PROVINCE}
                full_url = hub.url + f"/api/v1/reports/{corrected[0]}/{form}/2026"

                def timed(call) -> list[float]:
                    for _ in range(2):
                        call().raise_for_status()
                    out = []
                    for _ in range(repeat):
                        t0 = time.perf_counter()
                        call().raise_for_status()
                        out.append(time.perf_counter() - t0)
                    return out

                comp = timed(lambda: s.get(completeness_url, params=params, timeout=60))
                full = timed(lambda: s.get(full_url, timeout=60))
                comp_doc = s.get(completeness_url, params=params, timeout=60).json()
                full_doc = s.get(full_url, timeout=60).json()
    cells = sum(len(i["cells"]) for sec in full_doc["sections"] for i in sec["indicators"])
    return {
        "database": "postgresql" if url.startswith("postgresql") else "sqlite",
        "form": form,
        "reports": len(docs) + len(fixes),
        "build_seconds": round(seconds_building, 1),
        "completeness_units": comp_doc["expected"],
        "completeness_by_state": comp_doc["by_state"],
        "completeness_ms": _ms(comp),
        "full_cells": cells,
        "full_changed_cells": len(full_doc["changes"]["cells"]),
        "full_ms": _ms(full),
        "repeat": repeat,
    }


def figures(quick: bool = False) -> list[dict]:
    """The reviewer figures for ``benchmarks/run.py`` (PostgreSQL when configured, else SQLite)."""
    from run import figure

    base = os.environ.get("DTTS_TEST_POSTGRES_URL")
    schema = url = None
    if base:
        from tests.support.hubfixture import create_pg_schema

        schema, url = create_pg_schema(base)
    try:
        r = bench_review(url, others=200 if quick else 1000, repeat=20 if quick else 50)
    finally:
        if base and schema:
            from tests.support.hubfixture import drop_pg_schema

            drop_pg_schema(base, schema)
    label = "PostgreSQL" if base else "SQLite"
    goal = 100.0 if base else None  # the goals are for PostgreSQL
    comp_note = (
        f"{r['completeness_units']} communes of province {PROVINCE}, {r['completeness_by_state']}, over HTTP as "
        f"the province's reviewer; median {r['completeness_ms'][0]} ms, p95 shown; {r['reports']} reports stored"
    )
    full_note = (
        f"{r['form']}, {r['full_cells']} cells beside the previous revision ({r['full_changed_cells']} changed) "
        f"and the previous period, over HTTP; median {r['full_ms'][0]} ms, p95 shown"
    )
    return [
        figure(
            f"completeness of a 100-commune province ({label}), p95",
            r["completeness_ms"][1],
            "ms",
            goal,
            note=comp_note,
        ),
        figure(f"one report in full ({label}), p95", r["full_ms"][1], "ms", goal, note=full_note),
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="200 other communes instead of 1,000, 20 timings")
    p.add_argument("--db", help="database URL (default: an SQLite file in a temporary directory)")
    args = p.parse_args(argv)
    result = bench_review(args.db, others=200 if args.quick else 1000, repeat=20 if args.quick else 50)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
