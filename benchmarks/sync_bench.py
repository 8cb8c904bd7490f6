"""Sync figures: bytes on the wire, round trips, and time over a shaped 2G/3G link.

Everything goes through the real client code (store, finalize, sync engine, transport) to a real hub on
127.0.0.1, with ``tests/support/faultproxy.py`` in between counting what crosses the wire:

(a) :func:`bench_bytes` — one annual report of the sample's largest form with every cell filled for all
    54 ethnic groups, as one ``submissions:batch`` request, beside the same values as a DHIS2
    ``dataValueSets`` JSON body (goal: ours ≤ 20 % of it).
(b) :func:`bench_round_trips` — HTTP requests of one sync that sends 20 queued reports (goal ≤ 4).
(c) :func:`bench_shaped` — seconds to sync 20 reports through a 64 kbit/s link with a 300 ms round trip,
    beside the limit ``bytes ÷ bandwidth + round trips × RTT`` (goal ≤ 1.5 × the limit).

Run alone: ``python benchmarks/sync_bench.py [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the repository root: the test helpers are tests.support

SAMPLE = HERE.parent / "resources" / "catalog" / "sample.json"
CLOCK = datetime(2027, 1, 10, 3, 0, tzinfo=timezone.utc)  # before the deadline of the 2026 annual reports
USER = "can_bo_bench"
PASSWORD = "mat-khau-bench"
UNIT = "01849"
TYPICAL_ETH = ["02", "08", "09"]  # a commune's usual handful of ethnic groups
BANDWIDTH = 8000  # 64 kbit/s in bytes per second
RTT = 0.3


@dataclass
class _Rig:
    hub: Any
    proxy: Any
    store: Any
    creds: Any
    catalog: Any
    form: str


def _largest_form(catalog: Any, eth: list[str]) -> str:
    from dttscore.disagg import cell_keys

    def cells(form: Any) -> int:
        return sum(len(cell_keys(catalog, i, eth)) for i in catalog.form_indicators(form.code))

    return max(catalog.forms, key=cells).code


@contextmanager
def _rig(workdir: Path) -> Iterator[_Rig]:
    """A hub with the sample catalogue, the fault proxy in front, and a profile logged in through it."""
    from dttsclient.store import Store
    from dttsclient.sync.credentials import MemoryCredentials
    from dttsclient.sync.login import login
    from dttscore.catalog import load_catalog
    from dttscore.refdata import ethnic_groups
    from tests.support.faultproxy import FaultProxy
    from tests.support.hubfixture import start_hub

    catalog = load_catalog(SAMPLE)
    hub = start_hub(workdir, clock=CLOCK)
    try:
        hub.publish_catalog(catalog)
        hub.add_user(USER, "officer", UNIT, PASSWORD)
        with FaultProxy(hub.url, lifetime=3600) as proxy, Store.open(workdir / "profile") as store:
            creds = MemoryCredentials()
            login(store, proxy.url, USER, PASSWORD, creds, "PC xã (bench)")
            form = _largest_form(catalog, [g.code for g in ethnic_groups()])
            yield _Rig(hub, proxy, store, creds, catalog, form)
    finally:
        hub.stop()


def _finalize(rig: _Rig, period: str, eth: list[str]) -> Any:
    """Fill every cell of the form for ``eth`` with values passing its errors, and finalize it."""
    from tests.support.hubfixture import valid_values

    values, warnings = valid_values(rig.catalog, rig.form, eth)
    report = rig.store.reports.report(UNIT, rig.form, period, create=True)
    rig.store.reports.set_eth_rows(report.id, eth)
    rig.store.reports.set_cells(report.id, [(c, d, v) for (c, d), v in values.items()], USER)
    reasons = {w["rule"]: "Đã kiểm tra lại số liệu tại xã." for w in warnings}
    return rig.store.outbox.finalize(report.id, USER, reasons=reasons, require_reasons=False)


def _periods(catalog: Any, form: str, n: int) -> list[str]:
    kind = catalog.form(form).period_type
    if kind == "year":
        return [str(2026 + i) for i in range(n)]
    if kind == "half_year":
        return [f"{2026 + i // 2}S{i % 2 + 1}" for i in range(n)]
    if kind == "quarter":
        return [f"{2026 + i // 4}Q{i % 4 + 1}" for i in range(n)]
    return [f"{2026 + i // 12}{i % 12 + 1:02d}" for i in range(n)]


def _sync(rig: _Rig) -> Any:
    from dttsclient.sync.engine import SyncEngine

    engine = SyncEngine.for_profile(rig.store, rig.creds)
    try:
        return engine.sync()
    finally:
        engine.transport.close()


# -- (a) bytes -----------------------------------------------------------------------------------------
def _uid(rng: random.Random) -> str:
    """A DHIS2 UID: 11 characters, a letter then letters and digits."""
    return rng.choice(string.ascii_letters) + "".join(rng.choices(string.ascii_letters + string.digits, k=10))


def dhis2_body(values: dict[tuple[str, str], str], period: str, unit: str) -> bytes:
    """The same values as a DHIS2 ``dataValueSets`` JSON body, as DHIS2 clients post it (compact JSON).

    Each indicator is a data element, each disaggregation key a category option combo, the commune an
    org unit; every ID is a realistic 11-character UID.
    """
    rng = random.Random(2026)
    ids: dict[str, str] = {}

    def uid(key: str) -> str:
        if key not in ids:
            ids[key] = _uid(rng)
        return ids[key]

    body = {
        "dataSet": uid("dataset"),
        "completeDate": "2027-01-05",
        "period": period,
        "orgUnit": uid("ou:" + unit),
        "dataValues": [
            {
                "dataElement": uid("de:" + code),
                "period": period,
                "orgUnit": uid("ou:" + unit),
                "categoryOptionCombo": uid("coc:" + (disagg or "default")),
                "attributeOptionCombo": uid("aoc:default"),
                "value": value,
            }
            for (code, disagg), value in sorted(values.items())
        ],
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def bench_bytes(workdir: Path) -> dict[str, Any]:
    """Bytes of one annual report of the largest form, every cell filled for the 54 groups.

    Returns:
        ``{form, cells, ours_up, ours_down, ours_body_raw, dhis2, ratio}``: ``ours_up`` is the whole
        ``submissions:batch`` request as the proxy saw it (request line, headers, gzip body),
        ``ours_down`` its reply, ``dhis2`` the DHIS2 body alone, ``ratio`` = ours_up / dhis2.
    """
    from dttscore.payload import values_from_list
    from dttscore.refdata import ethnic_groups

    with _rig(workdir) as rig:
        eth = [g.code for g in ethnic_groups()]
        period = _periods(rig.catalog, rig.form, 1)[0]
        sub = _finalize(rig, period, eth)
        rig.proxy.reset_stats()
        result = _sync(rig)
        (batch,) = rig.proxy.requests_to("submissions:batch")
        assert result.accepted == 1, result.summary()
        values = values_from_list(sub.document["values"])
        dhis2 = dhis2_body(values, period, UNIT)
        raw = len(json.dumps({"submissions": [sub.document]}, ensure_ascii=False, separators=(",", ":")))
        return {
            "form": rig.form,
            "cells": len(values),
            "ours_up": batch.bytes_up,
            "ours_down": batch.bytes_down,
            "ours_body_raw": raw,
            "dhis2": len(dhis2),
            "ratio": batch.bytes_up / len(dhis2),
        }


# -- (b) round trips -------------------------------------------------------------------------------------
def bench_round_trips(workdir: Path, n: int = 20) -> dict[str, Any]:
    """Requests of one sync sending ``n`` queued reports: on a fresh profile, and once the profile has
    synced before (the batch size it learnt is kept in its settings).

    Returns:
        ``{fresh, steady, fresh_endpoints, steady_endpoints, reports}``.
    """
    out: dict[str, Any] = {"reports": n}
    with _rig(workdir) as rig:
        periods = _periods(rig.catalog, rig.form, 2 * n + 1)
        for p in periods[:n]:
            _finalize(rig, p, TYPICAL_ETH)
        rig.proxy.reset_stats()
        result = _sync(rig)
        assert result.accepted == n, result.summary()
        out["fresh"] = rig.proxy.stats.requests
        out["fresh_endpoints"] = [e.target.split("?")[0].rsplit("/", 1)[-1] for e in rig.proxy.log]
        for p in periods[n : 2 * n]:
            _finalize(rig, p, TYPICAL_ETH)
        rig.proxy.reset_stats()
        result = _sync(rig)
        assert result.accepted == n, result.summary()
        out["steady"] = rig.proxy.stats.requests
        out["steady_endpoints"] = [e.target.split("?")[0].rsplit("/", 1)[-1] for e in rig.proxy.log]
    return out


# -- (c) shaped link -------------------------------------------------------------------------------------
def bench_shaped(
    workdir: Path, n: int = 20, bandwidth: float = BANDWIDTH, rtt: float = RTT
) -> dict[str, Any]:
    """Seconds to sync ``n`` reports (largest form, a typical commune's 3 groups) over a shaped link.

    The limit is what the link allows at best: every byte both ways at ``bandwidth`` plus one RTT per
    request (the proxy's own counts).

    Returns:
        ``{reports, seconds, limit, ratio, bytes_up, bytes_down, round_trips, endpoints}``.
    """
    with _rig(workdir) as rig:
        for p in _periods(rig.catalog, rig.form, n):
            _finalize(rig, p, TYPICAL_ETH)
        rig.proxy.shape(bandwidth=bandwidth, latency=rtt / 2)
        rig.proxy.reset_stats()
        t0 = time.perf_counter()
        result = _sync(rig)
        seconds = time.perf_counter() - t0
        assert result.accepted == n, result.summary()
        stats = rig.proxy.stats
        limit = (stats.bytes_up + stats.bytes_down) / bandwidth + stats.requests * rtt
        return {
            "reports": n,
            "seconds": seconds,
            "limit": limit,
            "ratio": seconds / limit,
            "bytes_up": stats.bytes_up,
            "bytes_down": stats.bytes_down,
            "round_trips": stats.requests,
            "endpoints": [f"{e.target.split('?')[0].rsplit('/', 1)[-1]}:{e.status}" for e in rig.proxy.log],
        }


def figures(quick: bool = False) -> list[dict]:
    """The sync figures for ``benchmarks/run.py``."""
    from run import figure

    out = []
    with tempfile.TemporaryDirectory(prefix="sync-bench-") as tmp:
        b = bench_bytes(Path(tmp) / "bytes")
        out.append(
            figure(
                "sync: bytes up for one annual report (largest form, 54 groups) vs DHIS2 dataValueSets",
                100 * b["ratio"],
                "% of DHIS2",
                20,
                note=f"{b['form']}, {b['cells']} cells: ours {b['ours_up']} B on the wire (headers + gzip body; "
                f"{b['ours_body_raw']} B before gzip, with change log), reply {b['ours_down']} B; "
                f"DHIS2 body {b['dhis2']} B",
            )
        )
        n = 20
        r = bench_round_trips(Path(tmp) / "trips", n)
        out.append(
            figure(
                f"sync: round trips to send {n} queued reports",
                r["steady"],
                "requests",
                4,
                note=f"profile that synced before: {' '.join(r['steady_endpoints'])}; "
                f"fresh profile (batches start at 5): {r['fresh']} ({' '.join(r['fresh_endpoints'])})",
            )
        )
        s = bench_shaped(Path(tmp) / "shaped", 5 if quick else n)
        out.append(
            figure(
                f"sync: {s['reports']} reports over 64 kbit/s, 300 ms RTT, vs the link's limit",
                s["ratio"],
                "× limit",
                1.5,
                note=f"{s['seconds']:.1f} s vs limit {s['limit']:.1f} s "
                f"({s['bytes_up']} B up, {s['bytes_down']} B down, {s['round_trips']} requests: "
                f"{' '.join(s['endpoints'])})",
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    print(json.dumps(figures(args.quick), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
