"""The #12 load test (benchmarks/load_bench.py) at a tiny size, so that it cannot rot.

The real ``dttshub serve`` runs with every step of the benchmark: devices through login, ping,
catalogue, batch, resend, status and changes, the ingest, the largest batch and a small login flood.
Only outcomes are asserted (nothing lost, nothing stored twice, no 5xx, every process gone); the timing
and memory figures are the benchmark's business (docs/benchmarks.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support.hubfixture import postgres_url

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import load_bench


def _check_outcomes(r: dict, devices: int, processes: int) -> None:
    dev, ing, big, fl = r["devices"], r["ingest"], r["largest_request"], r["flood"]
    assert dev["problems"] == []
    assert dev["transport_errors"] == ing["transport_errors"] == fl["transport_errors"] == 0
    assert dev["http_5xx"] == fl["http_5xx"] == ing["http_5xx"] == big["http_5xx"] == 0
    assert dev["ops"]["batch"]["statuses"] == {"200": devices}
    assert dev["ops"]["resend"]["statuses"] == {"200": devices}
    assert ing["problems"] == []
    assert big["stored"] == big["items"]
    expected = devices + ing["reports"] + big["items"]
    assert r["check"] == {
        "acknowledged": expected,
        "stored": expected,
        "lost": 0,
        "lost_ids": [],
        "duplicated": 0,
        "receipt_mismatch": 0,
        "poisoned_stored": 0,
    }
    # a malformed item in a batch is rejected alone: the good item beside it is stored (counted above)
    assert dev["poisoned"]["batches"] >= 1
    assert dev["poisoned"]["bad_item"] == {"rejected": dev["poisoned"]["batches"]}
    assert fl["logins"] > 0 and set(fl["statuses"]) <= {"401", "429"}
    assert fl["pings"] > 0 and set(fl["ping_statuses"]) == {"200"}
    assert dev["memory"]["processes"] == processes
    assert r["hub_exit_code"] == 0
    assert r["hub_processes_left"] == 0
    assert r["hub_log_tracebacks"] == 0


def test_load_bench_tiny_sqlite(tmp_path):
    size = load_bench.Size.tiny()
    r = load_bench.run(size, None, tmp_path)
    assert r["database"] == "sqlite"
    _check_outcomes(r, size.devices, processes=1)


@pytest.mark.postgres
def test_load_bench_tiny_postgres_workers(tmp_path):
    base = postgres_url()
    if not base:
        pytest.skip("DTTS_TEST_POSTGRES_URL is not set")
    size = load_bench.Size.tiny()
    size.workers = 2
    r = load_bench.run(size, base, tmp_path)
    assert r["database"] == "postgresql"
    # the supervisor and its two workers (and multiprocessing's helper processes, if any)
    assert r["devices"]["memory"]["processes"] >= 3
    _check_outcomes(r, size.devices, processes=r["devices"]["memory"]["processes"])
