"""Wire figures of issue 18: bytes near the information they carry.

Everything goes through the real client (store, finalize, sync engine, transport) to a real hub on
127.0.0.1, with ``tests/faultproxy.py`` in between counting what crosses the wire; the DHIS2 side is the
same values as a ``dataValueSets`` body (``idScheme=CODE``, the codes of :mod:`dttshub.exports`, compact
JSON as a DHIS2 client posts it), compressed with the same gzip level (6) as our transport:

(a) :func:`bench_full` — one annual report of the sample's largest form (BM01) with all 54 ethnic groups
    (:func:`hub_bench.largest_form_reports`' form, the values of ``valid_values``): our
    ``submissions:batch`` request (headers + gzip body) vs the gzip DHIS2 body alone (goal ≤ 0.5 ×).
    The same with a hub that offers payload version 1 only, for "before".
(b) the one-cell correction of that report: request + reply of its batch (goal ≤ 1 KB).
(c) :func:`bench_shaped` — 20 such reports synced over 64 kbit/s and 300 ms RTT, vs the same link
    carrying the 20 gzip DHIS2 bodies in as many round trips as our sync took (to a sink on 127.0.0.1
    behind the same shaping proxy; goal ≤ 0.6 ×).
(d) bytes down after pushing those 20 reports when nobody else changed anything (goal ≤ 1 KB).

Run alone: ``python benchmarks/wire_bench.py [--quick]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # the repository root: the test helpers are tests.support

from sync_bench import BANDWIDTH, CLOCK, PASSWORD, RTT, UNIT, USER, _finalize, _periods, _Rig, _sync  # noqa: E402

GZIP_LEVEL = 6  # the client transport's level (dttsclient.sync.transport)


@contextmanager
def _rig(workdir: Path, compact: bool = True) -> Iterator[_Rig]:
    """A hub with the sample catalogue (offering compact payloads or not), the fault proxy, a profile."""
    from hub_bench import largest_form_reports

    from dttsclient.store import Store
    from dttsclient.sync.credentials import MemoryCredentials
    from dttsclient.sync.login import login
    from tests.support.faultproxy import FaultProxy
    from tests.support.hubfixture import start_hub

    catalog, form, _period, _values, _docs = largest_form_reports([UNIT])
    hub = start_hub(workdir, clock=CLOCK, compact_payloads=compact)
    try:
        hub.publish_catalog(catalog)
        hub.add_user(USER, "officer", UNIT, PASSWORD)
        with FaultProxy(hub.url, lifetime=3600) as proxy, Store.open(workdir / "profile") as store:
            creds = MemoryCredentials()
            login(store, proxy.url, USER, PASSWORD, creds, "PC xã (bench)")
            yield _Rig(hub, proxy, store, creds, catalog, form)
    finally:
        hub.stop()


def _all_groups() -> list[str]:
    from dttscore.refdata import ethnic_groups

    return [g.code for g in ethnic_groups()]


def dhis2_body(values: dict[tuple[str, str], str], form: str, period: str, unit: str) -> bytes:
    """The values as a DHIS2 ``dataValueSets`` body with the export's codes (compact JSON)."""
    from dttshub.exports import coc_code, data_element_code, data_set_code, dhis2_period

    pe = dhis2_period(period)
    body = {
        "idScheme": "CODE",
        "dataSet": data_set_code(form),
        "period": pe,
        "orgUnit": unit,
        "dataValues": [
            {
                "dataElement": data_element_code(code),
                "period": pe,
                "orgUnit": unit,
                "categoryOptionCombo": coc_code(disagg),
                "value": value,
            }
            for (code, disagg), value in sorted(values.items())
        ],
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def bench_full(workdir: Path, compact: bool = True) -> dict[str, Any]:
    """(a) and (b): one full report, then a one-cell correction of it."""
    from dttscore.payload import values_from_list

    with _rig(workdir, compact) as rig:
        period = _periods(rig.catalog, rig.form, 1)[0]
        sub = _finalize(rig, period, _all_groups())
        rig.proxy.reset_stats()
        result = _sync(rig)
        assert result.accepted == 1, result.summary()
        (batch,) = rig.proxy.requests_to("submissions:batch")
        values = values_from_list(sub.document["values"])
        dhis2 = _gz(dhis2_body(values, rig.form, period, UNIT))
        report = rig.store.reports.report(UNIT, rig.form, period)
        code, disagg, new = _one_cell_fix(rig.catalog, rig.form, values)
        rig.store.reports.set_cells(report.id, [(code, disagg, new)], USER)
        reasons = {
            w.code: "Đã kiểm tra lại số liệu tại xã." for w in rig.store.reports.check(report.id) if not w.is_error
        }
        rig.store.outbox.finalize(report.id, USER, reasons=reasons, require_reasons=False)
        rig.proxy.reset_stats()
        again = _sync(rig)
        assert again.accepted == 1, again.summary()
        (fix,) = rig.proxy.requests_to("submissions:batch")
        return {
            "form": rig.form,
            "cells": len(values),
            "ours_up": batch.bytes_up,
            "ours_body": len(batch.request_body),
            "dhis2_gzip": len(dhis2),
            "ratio": batch.bytes_up / len(dhis2),
            "fix_up": fix.bytes_up,
            "fix_down": fix.bytes_down,
            "fix_total": fix.bytes_up + fix.bytes_down,
        }


def _one_cell_fix(catalog: Any, form: str, values: dict) -> tuple[str, str, str]:
    """A cell from the middle of the report and a new value for it that breaks no rule of error level."""
    from dttscore.validate import check_report

    keys = sorted(values)
    keys = keys[len(keys) // 2 :] + keys[: len(keys) // 2]
    for code, disagg in keys:
        old = values[(code, disagg)]
        if not old.isdigit():
            continue
        for new in (str(int(old) + 1), str(max(int(old) - 1, 0))):
            if new != old and not any(
                p.is_error
                for p in check_report(catalog, form, {**values, (code, disagg): new}, _all_groups())
            ):
                return code, disagg, new
    raise AssertionError("no cell can change by one without an error")


class _Sink(BaseHTTPRequestHandler):
    """Takes a POST body and answers a short JSON (a DHIS2 import summary is longer: kind to DHIS2)."""

    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        reply = b'{"status":"OK"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args: Any) -> None:
        pass


def _dhis2_seconds(bodies: list[bytes], round_trips: int, bandwidth: float, rtt: float) -> dict[str, Any]:
    """Seconds to POST the gzip bodies, in ``round_trips`` requests, through the same shaping proxy."""
    import requests

    from tests.support.faultproxy import FaultProxy

    n = max(1, round_trips)
    groups = [b"".join(bodies[i::n]) for i in range(n)]  # gzip members concatenated: a valid gzip stream
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with FaultProxy(f"http://127.0.0.1:{server.server_address[1]}/", lifetime=3600) as proxy:
            proxy.shape(bandwidth=bandwidth, latency=rtt / 2)
            with requests.Session() as s:
                t0 = time.perf_counter()
                for body in groups:
                    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
                    r = s.post(proxy.url + "/api/dataValueSets", data=body, headers=headers, timeout=600)
                    r.raise_for_status()
                seconds = time.perf_counter() - t0
            return {"seconds": seconds, "bytes_up": proxy.stats.bytes_up, "requests": proxy.stats.requests}
    finally:
        server.shutdown()
        server.server_close()


def bench_shaped(
    workdir: Path, n: int = 20, bandwidth: float = BANDWIDTH, rtt: float = RTT
) -> dict[str, Any]:
    """(c) and (d): ``n`` full reports (54 groups) synced over the shaped link, and the DHIS2 bodies."""
    from dttscore.payload import values_from_list

    with _rig(workdir) as rig:
        bodies = []
        for p in _periods(rig.catalog, rig.form, n):
            sub = _finalize(rig, p, _all_groups())
            bodies.append(_gz(dhis2_body(values_from_list(sub.document["values"]), rig.form, p, UNIT)))
        rig.proxy.shape(bandwidth=bandwidth, latency=rtt / 2)
        rig.proxy.reset_stats()
        t0 = time.perf_counter()
        result = _sync(rig)
        seconds = time.perf_counter() - t0
        assert result.accepted == n, result.summary()
        log = list(rig.proxy.log)
        last_batch = max(i for i, e in enumerate(log) if "submissions:batch" in e.target)
        down_after = sum(e.bytes_down for e in log[last_batch + 1 :])
        stats = rig.proxy.stats
        endpoints = [f"{e.target.split('?')[0].rsplit('/', 1)[-1]}:{e.status}" for e in log]
    dhis2 = _dhis2_seconds(bodies, stats.requests, bandwidth, rtt)
    return {
        "reports": n,
        "seconds": seconds,
        "bytes_up": stats.bytes_up,
        "bytes_down": stats.bytes_down,
        "round_trips": stats.requests,
        "endpoints": endpoints,
        "down_after_push": down_after,
        "after_push": [f"{e.target.split('?')[0].rsplit('/', 1)[-1]}" for e in log[last_batch + 1 :]],
        "dhis2_seconds": dhis2["seconds"],
        "dhis2_bytes_up": dhis2["bytes_up"],
        "dhis2_requests": dhis2["requests"],
        "ratio": seconds / dhis2["seconds"],
    }


def figures(quick: bool = False) -> list[dict]:
    """The wire figures for ``benchmarks/run.py``."""
    from run import figure

    out = []
    with tempfile.TemporaryDirectory(prefix="wire-bench-") as tmp:
        f = bench_full(Path(tmp) / "full")
        v1 = bench_full(Path(tmp) / "full-v1", compact=False)
        out.append(
            figure(
                "wire: one full annual report (BM01, 54 groups) vs the gzip DHIS2 dataValueSets body",
                f["ratio"],
                "× DHIS2 gzip",
                0.5,
                note=f"{f['form']}, {f['cells']} cells: ours {f['ours_up']} B on the wire (headers + gzip body "
                f"{f['ours_body']} B, change log included); DHIS2 body gzip level {GZIP_LEVEL} {f['dhis2_gzip']} B; "
                f"payload version 1 (before issue 18): {v1['ours_up']} B = {v1['ratio']:.2f} ×",
            )
        )
        out.append(
            figure(
                "wire: a one-cell correction of that report, request + reply",
                f["fix_total"],
                "B",
                1024,
                note=f"request {f['fix_up']} B + reply {f['fix_down']} B (headers included); "
                f"payload version 1: {v1['fix_total']} B",
            )
        )
        s = bench_shaped(Path(tmp) / "shaped", 5 if quick else 20)
        out.append(
            figure(
                f"wire: sync of {s['reports']} reports over 64 kbit/s, 300 ms RTT, vs gzip DHIS2 bodies",
                s["ratio"],
                "× DHIS2 time",
                0.6,
                note=f"ours {s['seconds']:.1f} s ({s['bytes_up']} B up, {s['bytes_down']} B down, "
                f"{s['round_trips']} requests: {' '.join(s['endpoints'])}); DHIS2 {s['dhis2_seconds']:.1f} s "
                f"({s['dhis2_bytes_up']} B up in {s['dhis2_requests']} requests)",
            )
        )
        out.append(
            figure(
                f"wire: bytes down after pushing {s['reports']} reports, nobody else changed anything",
                s["down_after_push"],
                "B",
                1024,
                note=f"requests after the last batch: {' '.join(s['after_push']) or 'none'}",
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(json.dumps(figures(args.quick), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
