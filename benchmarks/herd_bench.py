"""Restart herd figure (issue 12, item 6): a burst of batches right after the hub restarts.

``bench_herd(db_url)`` makes a hub database with the test catalogue (three versions) and 60 accounts,
each logged in on its own device, starts ``dttshub serve`` afresh over it (a restarted hub: its
catalogue cache is empty) and has every device post one batch (one report) over 127.0.0.1, all at
once in three waves 0.15 s apart (one per catalogue version; see ``herdutil.fire_burst``). The figure
is the time from the common start to the last reply; the goal is 5 s for 60 devices (before the
fix, on SQLite, the pool stalled for its 30 s timeout, then answered 500s: 30–60 s, 9–45 of 60 were 500
in four runs). The 5xx count goes beside it (goal 0).

Run alone: ``python benchmarks/herd_bench.py [--devices N] [--db URL]`` (PostgreSQL: a base URL, a
schema of its own is made and dropped).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the repository root: the test helpers are tests.support

GOAL_SECONDS = 5.0


def bench_herd(base_url: str | None = None, devices: int = 60) -> dict:
    """One burst of ``devices`` batches against a freshly started ``dttshub serve``.

    Args:
        base_url: a PostgreSQL server (a schema is made for the run); None: an SQLite file.
        devices: how many devices post at once.

    Returns:
        ``{devices, seconds, p50_s, statuses, stored, database}``.
    """
    from tests.support.herdutil import ServeProcess, fire_burst, herd_documents, seed_herd, stored_submissions
    from tests.support.hubfixture import create_pg_schema, drop_pg_schema

    schema = None
    url = None
    if base_url:
        schema, url = create_pg_schema(base_url)
    try:
        with tempfile.TemporaryDirectory(prefix="herd-bench-") as tmp:
            db_url, data_dir, devs = seed_herd(Path(tmp), url, devices)
            docs = herd_documents(devs)
            hub = ServeProcess(db_url, data_dir)
            try:
                hub.wait_ready()
                replies = fire_burst(hub.api, devs, docs)
            finally:
                hub.stop()
            stored = len(stored_submissions(db_url) & {d["submission_id"] for b in docs for d in b})
    finally:
        if base_url and schema:
            drop_pg_schema(base_url, schema)
    times = sorted(body["_seconds"] for _, _, body in replies)
    statuses: dict[str, int] = {}
    for status, _, _ in replies:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {
        "devices": devices,
        "seconds": times[-1],
        "p50_s": times[len(times) // 2],
        "statuses": statuses,
        "stored": stored,
        "database": "PostgreSQL" if base_url else "SQLite",
    }


def figures(quick: bool = False) -> list[dict]:
    """The herd figures for ``benchmarks/run.py`` (SQLite always, PostgreSQL when configured)."""
    from run import figure

    devices = 60
    targets: list[str | None] = [None]
    pg = os.environ.get("DTTS_TEST_POSTGRES_URL")
    if pg:
        targets.append(pg)
    out = []
    for base in targets:
        r = bench_herd(base, devices)
        label = r["database"]
        fives = sum(n for status, n in r["statuses"].items() if status.startswith("5"))
        note = (
            f"{devices} devices, one batch each, in 3 waves 0.15 s apart right after `dttshub serve` started; "
            f"statuses {r['statuses']}, {r['stored']} of {devices} reports stored, median reply {r['p50_s']:.2f} s"
        )
        out.append(
            figure(
                f"restart herd ({label}): burst of {devices} batches",
                r["seconds"],
                "s",
                GOAL_SECONDS,
                note=note,
            )
        )
        out.append(figure(f"restart herd ({label}): 5xx replies", fives, "replies", 0.0, note=note))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--devices", type=int, default=60)
    ap.add_argument("--db", default=None, help="a PostgreSQL base URL (default: an SQLite file)")
    args = ap.parse_args(argv)
    print(json.dumps(bench_herd(args.db, args.devices), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
