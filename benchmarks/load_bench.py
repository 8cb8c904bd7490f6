"""Load test of issue #12: 1,000 devices and a login flood against ``dttshub serve --workers 4`` on PostgreSQL.

What runs, all on 127.0.0.1, bounded in size and time, every process started here stopped here:

1. **The hub.** A fresh PostgreSQL schema (``$DTTS_TEST_POSTGRES_URL`` or ``--db``; an SQLite file when
   neither is given), ``dttshub db upgrade``, then accounts made through the hub's own service
   (:meth:`dttshub.accounts.Accounts.add_user`, one process, before serving): one officer per commune of
   the 2025 unit list (the first ``devices`` communes) and one admin. They are made with cheap argon2
   parameters so that 1,000 accounts take seconds; the served hub has the default parameters, so each
   device's first login verifies the cheap hash and re-hashes the password with the defaults (the hub's
   own upgrade path): one full-cost hash per login, as a real login costs. Then the real command line,
   ``dttshub serve --workers N`` in a session of its own (uvicorn's supervisor and its worker processes;
   its graceful-shutdown timeout is 10 s), ended with SIGTERM and, if it outlives 30 s, SIGKILL to its
   process group. A watchdog ends it anyway after ``--lifetime`` seconds.
2. **Devices.** ``devices`` simulated PCs on ``threads`` threads sharing one urllib3 pool: each logs in
   (429 answers are retried after ``Retry-After``, as the client does), pings, fetches the catalogue,
   sends its annual report in a gzip ``submissions:batch``, sends the same batch again (a resend after a
   lost reply), asks ``submissions:status`` and pulls ``changes``. Each answer is checked: the resend must
   be a ``duplicate`` with the same receipt, the status must be the stored one, the pull must hold the
   report.
3. **Ingest.** The annual report of the largest sample form for every commune (3,321) from an admin
   device, gzip batches of 50 (``hub_bench``'s documents), ``ingest_clients`` batches in flight at once so
   the worker processes share the work.
4. **Largest request.** One batch of ``max_batch_items`` (200) such reports: the most one request may
   carry.
5. **Login flood.** ``flood`` threads in another process post ``auth/token`` with a new random unknown
   username as soon as each answer arrives, for ``flood_seconds``, while ``pingers`` threads ping every
   100 ms (the 1,000 devices' pings). Ping p95 is taken over the flood. It comes last: its
   failures lock 127.0.0.1 out of logging in for the throttle window (15 minutes), as they should.
6. **Check.** From the database: every acknowledged submission is stored (lost = acknowledged and not
   stored), no report holds a submission twice or moved twice (duplicated), and no answer was a 5xx.

Memory is the hub's: the resident size (``VmRSS``) of the ``serve`` process and all its descendants from
``/proc``, sampled every 50 ms, and the peak of each process (``VmHWM``, reset through
``/proc/PID/clear_refs`` at the start of a phase). Growth of a phase = the sum of the processes' peaks in
the phase minus the sum of their sizes at its start (an upper bound of the growth of the sum).

Run alone: ``python benchmarks/load_bench.py [--quick | --tiny] [--devices N] [--workers N] [--db URL] [--log-dir DIR]``.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import multiprocessing as mp
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))  # the repository root: the test helpers are tests.support

PASSWORD = "mat-khau-tai-thu"
ADMIN = "load-admin"
DEVICE_PERIOD = "2025"  # the devices' reports; the ingest sends the next year's, so the two never meet
STORED = ("accepted", "late")
POISON_EVERY = 100  # every 100th device's first batch starts with a malformed item (``comments: [1]``)
TRANSPORT_TRIES = 3  # a request without an answer (connection reset...) is sent again, as the client does
STOP_GRACE = 30  # seconds the serve process gets after SIGTERM (its own graceful timeout is 10 s)


@dataclass
class Size:
    """How big a run is."""

    devices: int = 1000
    workers: int = 4
    threads: int = 48
    flood: int = 60
    flood_seconds: float = 20.0
    pingers: int = 5
    ingest: int = 3321
    ingest_clients: int = 4
    largest_batch: int = 200
    lifetime: float = 1200.0  # the hub is stopped after this many seconds whatever happens

    @classmethod
    def quick(cls) -> Size:
        return cls(devices=200, flood_seconds=8.0, ingest=300, largest_batch=50)

    @classmethod
    def tiny(cls) -> Size:
        """For the test: every step, a few of each."""
        return cls(
            devices=20,
            workers=1,
            threads=4,
            flood=4,
            flood_seconds=2.0,
            pingers=1,
            ingest=20,
            ingest_clients=2,
            largest_batch=5,
            lifetime=300.0,
        )


# -- the hub's processes and their memory ----------------------------------------------------------------
def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    kids = _children()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def _status_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_mb(pids: list[int]) -> float:
    return sum(_status_kib(p, "VmRSS") for p in pids) / 1024


def hwm_mb(pids: list[int]) -> float:
    return sum(_status_kib(p, "VmHWM") for p in pids) / 1024


def reset_hwm(pids: list[int]) -> None:
    """Reset each process's peak resident size to its current one (``clear_refs`` 5)."""
    for p in pids:
        with contextlib.suppress(OSError):
            Path(f"/proc/{p}/clear_refs").write_text("5")


class Memory:
    """Samples the summed RSS of a process tree every 50 ms; phases get their start size and peaks."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.pids = tree(pid)
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        n = 0
        while not self._stop.wait(0.05):
            n += 1
            if n % 20 == 0:
                self.pids = tree(self.pid)
            self.peak = max(self.peak, rss_mb(self.pids))

    def start_phase(self) -> float:
        self.pids = tree(self.pid)
        reset_hwm(self.pids)
        base = rss_mb(self.pids)
        self.peak = base
        return base

    def end_phase(self, base: float) -> dict:
        return {
            "rss_start_mb": round(base, 1),
            "rss_peak_sampled_mb": round(self.peak, 1),
            "growth_mb": round(max(hwm_mb(self.pids), self.peak) - base, 1),
            "processes": len(self.pids),
        }

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


EXIT_WAIT = 10.0  # seconds a worker (or the resource tracker) may take to end after the server has


def _left_after(pids: list[int], seconds: float) -> int:
    """How many of ``pids`` are still running after waiting up to ``seconds`` for them to end."""
    deadline = time.monotonic() + seconds
    while True:
        left = sum(1 for p in pids if _alive(p))
        if left == 0 or time.monotonic() >= deadline:
            return left
        time.sleep(0.1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


DTTSHUB = [sys.executable, "-c", "import sys; from dttshub.cli import main; sys.exit(main())"]


class HubProcess:
    """``dttshub serve --workers N`` on 127.0.0.1 in a session of its own, stopped by :meth:`stop`.

    Args:
        db_url: the database (already upgraded and filled).
        data_dir: the hub's data directory (signing key).
        workers: worker processes.
        lifetime: a watchdog stops the hub after this many seconds.
        log: where the hub's stderr goes.
    """

    def __init__(self, db_url: str, data_dir: Path, workers: int, lifetime: float, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = open(log, "ab")  # noqa: SIM115 - closed in stop()
        argv = [*DTTSHUB, "--db", db_url, "--data-dir", str(data_dir), "serve", "--host", "127.0.0.1"]
        argv += ["--port", str(self.port), "--environment", "test"]
        if workers > 1:
            argv += ["--workers", str(workers)]
        self.proc = subprocess.Popen(
            argv, stdout=self._log, stderr=self._log, start_new_session=True, cwd=str(data_dir)
        )
        self._watchdog = threading.Timer(lifetime, self.stop)
        self._watchdog.daemon = True
        self._watchdog.start()
        self.workers = workers

    def wait_ready(self, timeout: float = 90.0) -> None:
        """Until ``ping`` answers and every worker process is up."""
        import urllib3

        with urllib3.PoolManager() as http:
            self._wait(http, timeout)

    def _wait(self, http, timeout: float) -> None:
        import urllib3

        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"dttshub serve exited with {self.proc.returncode}")
            try:
                r = http.request("GET", self.url + "/api/v1/ping", headers=UA, timeout=5, retries=False)
                want = 1 + (self.workers if self.workers > 1 else 0)
                if r.status == 200 and len(tree(self.proc.pid)) >= want:
                    return
            except urllib3.exceptions.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("dttshub serve did not answer ping in time")
            time.sleep(0.2)

    def stop(self) -> int | None:
        """SIGTERM (graceful), then SIGKILL to the process group; returns the exit code."""
        self._watchdog.cancel()
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(STOP_GRACE)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # a worker left behind, if any
        if not self._log.closed:
            self._log.close()
        return self.proc.returncode


def _version() -> str:
    from dttsclient import __version__

    return __version__


UA = {"User-Agent": f"dttsclient/{_version()}"}


# -- recording --------------------------------------------------------------------------------------------
@dataclass
class Record:
    """Every answer of a phase: statuses per operation, latencies, problems."""

    statuses: dict[str, Counter] = field(default_factory=dict)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    retries: Counter = field(default_factory=Counter)  # requests that got no answer, then sent again
    poisoned: Counter = field(default_factory=Counter)  # what became of the malformed items
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, op: str, status: int | str, seconds: float) -> None:
        with self.lock:
            self.statuses.setdefault(op, Counter())[str(status)] += 1
            self.latencies.setdefault(op, []).append(seconds)

    def add_retry(self, op: str, error: str) -> None:
        with self.lock:
            self.retries[f"{op}: {error}"] += 1

    def problem(self, text: str) -> None:
        with self.lock:
            if len(self.problems) < 50:
                self.problems.append(text)

    def count_5xx(self) -> int:
        return sum(n for c in self.statuses.values() for s, n in c.items() if s.isdigit() and int(s) >= 500)

    def count_errors(self) -> int:
        """Transport errors (no HTTP answer at all)."""
        return sum(n for c in self.statuses.values() for s, n in c.items() if not s.isdigit())

    def summary(self) -> dict:
        return {
            op: {
                "n": len(lat),
                "statuses": dict(self.statuses[op]),
                "p50_ms": round(_p(lat, 50) * 1000, 1),
                "p95_ms": round(_p(lat, 95) * 1000, 1),
                "max_ms": round(max(lat) * 1000, 1),
            }
            for op, lat in sorted(self.latencies.items())
        }


def _p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


class Client:
    """One urllib3 pool for many simulated devices; every call is timed and recorded."""

    def __init__(self, url: str, record: Record, maxsize: int) -> None:
        import urllib3

        self.url = url + "/api/v1"
        self.record = record
        self.http = urllib3.PoolManager(maxsize=maxsize, block=True, retries=False)
        self._urllib3 = urllib3

    def call(
        self,
        op: str,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict | None = None,
        timeout: float = 120.0,
    ) -> tuple[int, dict | None]:
        hdrs = {**UA, "Accept-Encoding": "gzip", **(headers or {})}
        started = time.monotonic()
        for attempt in range(TRANSPORT_TRIES):
            try:
                r = self.http.request(method, self.url + path, body=body, headers=hdrs, timeout=timeout)
                break
            except self._urllib3.exceptions.HTTPError as exc:
                # The client retries a request that got no answer (every hub endpoint is idempotent, and
                # a resent batch is a duplicate): so does the simulated device, and counts it.
                if attempt + 1 == TRANSPORT_TRIES:
                    self.record.problem(
                        f"{op}: no answer after {attempt + 1} tries: {type(exc).__name__}: {exc}"
                    )
                    self.record.add(op, type(exc).__name__, time.monotonic() - started)
                    return 0, None
                self.record.add_retry(op, type(exc).__name__)
                time.sleep(0.5)
        self.record.add(op, r.status, time.monotonic() - started)
        if r.status >= 500:
            self.record.problem(f"{op}: HTTP {r.status}: {r.data[:300]!r}")
        try:
            doc = json.loads(r.data) if r.data else None
        except ValueError:
            doc = None
        if r.status == 429 and isinstance(doc, dict):
            doc.setdefault("retry_after", int(r.headers.get("Retry-After", "1") or 1))
        return r.status, doc

    def close(self) -> None:
        self.http.clear()

    def login(self, username: str, device_id: str, tries: int = 120) -> str | None:
        body = json.dumps(
            {"username": username, "password": PASSWORD, "device_id": device_id, "app_version": _version()}
        ).encode()
        for _ in range(tries):
            status, doc = self.call("login", "POST", "/auth/token", body=body, headers=JSON)
            if status == 200 and doc:
                return doc["access_token"]
            if status != 429:
                self.record.problem(f"login {username}: HTTP {status}: {str(doc)[:200]}")
                return None
            time.sleep(
                min(float((doc or {}).get("retry_after", 1)), 2.0) * (0.5 + secrets.randbelow(100) / 100)
            )
        self.record.problem(f"login {username}: still 429 after {tries} tries")
        return None


JSON = {"Content-Type": "application/json"}


# -- the documents ----------------------------------------------------------------------------------------
def _catalog():
    from dttscore.catalog import load_catalog

    return load_catalog(ROOT / "resources" / "catalog" / "sample.json")


def build_docs(catalog, units: list[str], period: str) -> list[dict]:
    """One valid annual report of the largest sample form per unit (``hub_bench``'s documents)."""
    from hub_bench import ETH_ROWS, _largest_form

    from tests.support.hubfixture import make_submission, valid_values

    form = _largest_form(catalog)
    values, warnings = valid_values(catalog, form, ETH_ROWS)
    return [
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
        for unit in units
    ]


def poisoned_doc(doc: dict) -> dict:
    """A copy of ``doc`` (another ID and period) with a comment that is not an object (issue #12, item 1)."""
    import uuid

    return {**doc, "submission_id": str(uuid.uuid4()), "period": "2023", "comments": [1]}


def batch_body(device_id: str, docs: list[dict]) -> bytes:
    body = {"device_id": device_id, "app_version": _version(), "submissions": docs}
    return gzip.compress(json.dumps(body, ensure_ascii=False).encode("utf-8"), 6)


def _auth(token: str, device_id: str, gz: bool = False) -> dict:
    h = {"Authorization": "Bearer " + token, "X-Device-Id": device_id, **JSON}
    if gz:
        h["Content-Encoding"] = "gzip"
    return h


# -- the phases -------------------------------------------------------------------------------------------
@dataclass
class Acks:
    """Submissions the hub acknowledged (stored status, receipt), by submission ID."""

    receipts: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sid: str, receipt: str) -> None:
        with self.lock:
            self.receipts[sid] = receipt


def device_run(
    client: Client, i: int, username: str, gz_body: bytes, sub: dict, acks: Acks, poison: bytes | None = None
) -> None:
    """One device: login, ping, catalogue, batch, resend, status, changes; every answer checked.

    With ``poison`` (a batch of a malformed item, then this device's report) the first batch is that one:
    the bad item must be rejected on its own and the report stored, and the device's pull must still work.
    """
    rec = client.record
    device = f"load-pc-{i:04d}"
    token = client.login(username, device)
    if token is None:
        return
    status, _ = client.call("ping", "GET", "/ping")
    status, doc = client.call("catalog", "GET", "/catalog", headers=_auth(token, device))
    if status != 200:
        rec.problem(f"catalog {username}: HTTP {status}")
    hdrs = _auth(token, device, gz=True)
    sid = sub["submission_id"]
    status, doc = client.call("batch", "POST", "/submissions:batch", body=poison or gz_body, headers=hdrs)
    results = (doc or {}).get("results", []) if status == 200 else []
    if poison is not None:
        bad = results[0] if len(results) == 2 else {}
        rec.poisoned[bad.get("status", f"HTTP {status}")] += 1
        results = results[1:]
    first = results[0] if results else {}
    if status != 200 or first.get("status") not in STORED or not first.get("receipt_no"):
        rec.problem(f"batch {username}: HTTP {status}: {str(doc)[:300]}")
    else:
        acks.add(sid, first["receipt_no"])
    status, doc = client.call("resend", "POST", "/submissions:batch", body=gz_body, headers=hdrs)
    again = (doc or {}).get("results", [{}])[0] if status == 200 else {}
    if status == 200 and again.get("status") in STORED and first.get("receipt_no"):
        rec.problem(f"resend {username}: stored again ({again.get('receipt_no')})")
    elif status == 200 and again.get("status") == "duplicate":
        if first.get("receipt_no") and again.get("receipt_no") != first.get("receipt_no"):
            rec.problem(f"resend {username}: another receipt {again.get('receipt_no')}")
        if not first.get("receipt_no") and again.get("receipt_no"):
            acks.add(sid, again["receipt_no"])  # the first reply was lost; the resend acknowledges it
    else:
        rec.problem(f"resend {username}: HTTP {status}: {str(doc)[:300]}")
    body = json.dumps({"ids": [sid]}).encode()
    status, doc = client.call(
        "status", "POST", "/submissions:status", body=body, headers=_auth(token, device)
    )
    got = (doc or {}).get("results", [{}])[0] if status == 200 else {}
    if got.get("status") not in STORED:
        rec.problem(f"status {username}: HTTP {status}: {str(doc)[:300]}")
    status, doc = client.call("changes", "GET", "/changes", headers=_auth(token, device))
    reports = (doc or {}).get("reports", []) if status == 200 else []
    if not any((r.get("unit"), r.get("period")) == (sub["unit"], sub["period"]) for r in reports):
        rec.problem(f"changes {username}: report not in the pull (HTTP {status})")


def _flood(url: str, n: int, seconds: float, queue) -> None:
    """``n`` threads posting logins of unknown usernames for ``seconds`` (a process of its own)."""
    import urllib3

    http = urllib3.PoolManager(maxsize=n, block=True, retries=False)
    statuses: Counter = Counter()
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < end:
            body = json.dumps(
                {
                    "username": "u" + secrets.token_hex(6),
                    "password": secrets.token_urlsafe(12),
                    "device_id": "flood-" + secrets.token_hex(4),
                }
            ).encode()
            try:
                code: int | str = http.request(
                    "POST", url + "/api/v1/auth/token", body=body, headers={**UA, **JSON}, timeout=120
                ).status
            except urllib3.exceptions.HTTPError as exc:
                code = type(exc).__name__
            with lock:
                statuses[str(code)] += 1

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    queue.put(dict(statuses))


def _pool(fn: Callable[[int], None], count: int, threads: int) -> None:
    """Run ``fn(0..count-1)`` on ``threads`` threads."""
    lock = threading.Lock()
    nxt = iter(range(count))

    def worker() -> None:
        while True:
            with lock:
                i = next(nxt, None)
            if i is None:
                return
            fn(i)

    ts = [threading.Thread(target=worker) for _ in range(min(threads, count))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def _ingest(client: Client, token: str, docs: list[dict], clients: int, acks: Acks, batch: int = 50) -> float:
    """Post ``docs`` in gzip batches of ``batch``, ``clients`` at once; returns the seconds taken."""
    device = "load-admin-pc"
    bodies = [batch_body(device, docs[i : i + batch]) for i in range(0, len(docs), batch)]
    hdrs = _auth(token, device, gz=True)

    def post(k: int) -> None:
        status, doc = client.call(
            "ingest batch", "POST", "/submissions:batch", body=bodies[k], headers=hdrs, timeout=600
        )
        if status != 200:
            client.record.problem(f"ingest batch {k}: HTTP {status}: {str(doc)[:300]}")
            return
        for res in doc["results"]:
            if res.get("status") in STORED and res.get("receipt_no"):
                acks.add(res["submission_id"], res["receipt_no"])
            else:
                client.record.problem(f"ingest {res.get('submission_id')}: {str(res)[:200]}")

    started = time.perf_counter()
    _pool(post, len(bodies), clients)
    return time.perf_counter() - started


def check_database(db_url: str, acks: Acks, bad_ids: list[str] | None = None) -> dict:
    """Lost (acknowledged, not stored) and duplicated (stored twice) submissions, from the database."""
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            stored = {
                row.submission_id: row.receipt_no
                for row in conn.execute(sa.text("SELECT submission_id, receipt_no FROM submissions"))
            }
            twice = conn.execute(
                sa.text(
                    "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT report_id, COUNT(*) AS n FROM submissions "
                    "GROUP BY report_id HAVING COUNT(*) > 1) AS t"
                )
            ).scalar()
            moved = conn.execute(sa.text("SELECT COUNT(*) FROM reports WHERE server_revision > 1")).scalar()
            receipts_reused = conn.execute(
                sa.text(
                    "SELECT COUNT(*) FROM (SELECT receipt_no FROM submissions GROUP BY receipt_no "
                    "HAVING COUNT(*) > 1) AS t"
                )
            ).scalar()
    finally:
        engine.dispose()
    lost = [sid for sid in acks.receipts if sid not in stored]
    wrong_receipt = [sid for sid, rc in acks.receipts.items() if sid in stored and stored[sid] != rc]
    return {
        "acknowledged": len(acks.receipts),
        "stored": len(stored),
        "lost": len(lost),
        "lost_ids": lost[:10],
        "duplicated": int(twice or 0) + int(moved or 0) + int(receipts_reused or 0),
        "receipt_mismatch": len(wrong_receipt),
        "poisoned_stored": sum(1 for sid in bad_ids or [] if sid in stored),
    }


def prepare(db_url: str, data_dir: Path, units: list[str], catalog, log: Path) -> list[str]:
    """``dttshub db upgrade``, then the accounts and the catalogue through the hub's service."""
    done = subprocess.run(
        [*DTTSHUB, "--db", db_url, "--data-dir", str(data_dir), "db", "upgrade"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    with open(log, "a", encoding="utf-8") as f:
        f.write(done.stdout + done.stderr)
    if done.returncode != 0:
        raise RuntimeError(f"dttshub db upgrade failed ({done.returncode}): {done.stderr[-500:]}")
    from dttshub.config import HubConfig
    from dttshub.service import Hub
    from tests.support.hubfixture import FAST_ARGON2

    hub = Hub(HubConfig(db_url=db_url, data_dir=data_dir, **FAST_ARGON2))
    try:
        usernames = []
        for unit in units:
            name = f"xa{unit}"
            hub.accounts.add_user(name, "officer", unit, PASSWORD)
            usernames.append(name)
        hub.accounts.add_user(ADMIN, "admin", "*", PASSWORD)
        hub.catalogs.publish(catalog, by="load-bench")
    finally:
        hub.close()
    return usernames


def run(size: Size, base_db: str | None = None, log_dir: Path | None = None) -> dict:
    """The whole load test; returns its figures (see the module docstring)."""
    from dttscore import refdata

    catalog = _catalog()
    communes = [c.commune_code for c in refdata.communes()]
    n_ingest = min(size.ingest, len(communes))
    units = communes[: size.devices]
    device_docs = build_docs(catalog, units, DEVICE_PERIOD)
    device_bodies = [batch_body(f"load-pc-{i:04d}", [d]) for i, d in enumerate(device_docs)]
    bad = {i: poisoned_doc(device_docs[i]) for i in range(0, len(device_docs), POISON_EVERY)}
    poison = {i: batch_body(f"load-pc-{i:04d}", [doc, device_docs[i]]) for i, doc in bad.items()}
    ingest_docs = build_docs(catalog, communes[:n_ingest], "2026")
    largest_docs = build_docs(catalog, communes[: size.largest_batch], "2024")
    largest_body = batch_body("load-admin-pc", largest_docs)

    result: dict = {"size": size.__dict__.copy()}
    schema = None
    with tempfile.TemporaryDirectory(prefix="load-bench-") as tmp:
        data_dir = Path(tmp)
        log = (log_dir or data_dir) / "hub.log"
        if base_db and base_db.startswith("postgresql"):
            from tests.support.hubfixture import create_pg_schema

            schema, db_url = create_pg_schema(base_db)
            db_url = db_url.replace("postgresql://", "postgresql+psycopg://", 1)
        else:
            db_url = base_db or f"sqlite:///{data_dir / 'hub.sqlite'}"
        result["database"] = "postgresql" if db_url.startswith("postgresql") else "sqlite"
        try:
            started = time.perf_counter()
            usernames = prepare(db_url, data_dir, units, catalog, log)
            result["accounts_seconds"] = round(time.perf_counter() - started, 2)
            hub = HubProcess(db_url, data_dir, size.workers, size.lifetime, log)
            memory = None
            try:
                hub.wait_ready()
                memory = Memory(hub.proc.pid)
                result.update(
                    _phases(
                        size,
                        hub,
                        memory,
                        usernames,
                        device_docs,
                        device_bodies,
                        poison,
                        ingest_docs,
                        largest_docs,
                        largest_body,
                        db_url,
                    )
                )
            finally:
                if memory is not None:
                    memory.stop()
                pids = tree(hub.proc.pid)
                result["hub_exit_code"] = hub.stop()
                result["hub_processes_left"] = _left_after(pids, EXIT_WAIT)
            result["check"] = check_database(
                db_url, result.pop("_acks"), [d["submission_id"] for d in bad.values()]
            )
            if log.exists():
                text = log.read_text(encoding="utf-8", errors="replace")
                result["hub_log_tracebacks"] = text.count("Traceback")
                result["hub_log_errors"] = text.count(" ERROR ")
        finally:
            if schema:
                from tests.support.hubfixture import drop_pg_schema

                drop_pg_schema(base_db, schema)
    return result


def _phases(
    size,
    hub,
    memory,
    usernames,
    device_docs,
    device_bodies,
    poison,
    ingest_docs,
    largest_docs,
    largest_body,
    db_url,
) -> dict:
    opened: list[Client] = []
    try:
        return _run_phases(
            size,
            hub,
            memory,
            usernames,
            device_docs,
            device_bodies,
            poison,
            ingest_docs,
            largest_docs,
            largest_body,
            opened,
        )
    finally:
        for c in opened:
            c.close()


def _run_phases(
    size,
    hub,
    memory,
    usernames,
    device_docs,
    device_bodies,
    poison,
    ingest_docs,
    largest_docs,
    largest_body,
    opened,
) -> dict:
    out: dict = {}
    acks = Acks()
    out["_acks"] = acks
    idle = memory.start_phase()
    out["rss_idle_mb"] = round(idle, 1)

    # 1. devices
    rec = Record()
    client = Client(hub.url, rec, maxsize=size.threads + size.pingers + size.ingest_clients + 4)
    opened.append(client)
    base = memory.start_phase()
    started = time.perf_counter()
    _pool(
        lambda i: device_run(client, i, usernames[i], device_bodies[i], device_docs[i], acks, poison.get(i)),
        len(usernames),
        size.threads,
    )
    out["devices"] = {
        "seconds": round(time.perf_counter() - started, 2),
        "ops": rec.summary(),
        "memory": memory.end_phase(base),
        "problems": rec.problems[:20],
        "n_problems": len(rec.problems),
        "http_5xx": rec.count_5xx(),
        "transport_errors": rec.count_errors(),
        "transport_retries": dict(rec.retries),
        "poisoned": {"batches": len(poison), "bad_item": dict(rec.poisoned)},
    }

    # 2. ingest from an admin device (before the flood: its failures lock the address out for 15 min)
    irec = Record()
    iclient = Client(hub.url, irec, maxsize=size.ingest_clients + 2)
    opened.append(iclient)
    token = iclient.login(ADMIN, "load-admin-pc")
    if token is None:
        raise RuntimeError(f"the admin could not log in: {irec.problems[:3]}")
    base = memory.start_phase()
    seconds = _ingest(iclient, token, ingest_docs, size.ingest_clients, acks)
    out["ingest"] = {
        "reports": len(ingest_docs),
        "seconds": round(seconds, 2),
        "reports_per_s": round(len(ingest_docs) / seconds, 1),
        "memory": memory.end_phase(base),
        "ops": irec.summary(),
        "problems": irec.problems[:20],
        "n_problems": len(irec.problems),
        "http_5xx": irec.count_5xx(),
        "transport_errors": irec.count_errors(),
        "transport_retries": dict(irec.retries),
    }

    # 3. the largest request the hub accepts
    lrec = Record()
    lclient = Client(hub.url, lrec, maxsize=2)
    opened.append(lclient)
    time.sleep(0.5)
    base = memory.start_phase()
    status, doc = lclient.call(
        "largest batch",
        "POST",
        "/submissions:batch",
        body=largest_body,
        headers=_auth(token, "load-admin-pc", gz=True),
        timeout=600,
    )
    results = (doc or {}).get("results", []) if status == 200 else []
    for res in results:
        if res.get("status") in STORED and res.get("receipt_no"):
            acks.add(res["submission_id"], res["receipt_no"])
    out["largest_request"] = {
        "items": len(largest_docs),
        "gzip_bytes": len(largest_body),
        "json_bytes": len(gzip.decompress(largest_body)),
        "status": status,
        "stored": sum(1 for r in results if r.get("status") in STORED),
        "memory": memory.end_phase(base),
        "http_5xx": lrec.count_5xx(),
    }
    # 4. login flood while the devices ping
    prec = Record()
    pclient = Client(hub.url, prec, maxsize=size.pingers + 2)
    opened.append(pclient)
    base = memory.start_phase()
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    flooder = ctx.Process(target=_flood, args=(hub.url, size.flood, size.flood_seconds, queue), daemon=True)
    flooder.start()
    time.sleep(min(1.0, size.flood_seconds / 4))  # the flood is on
    end = time.monotonic() + size.flood_seconds - min(1.0, size.flood_seconds / 4)

    def pinger(_: int) -> None:
        while time.monotonic() < end:
            t0 = time.monotonic()
            pclient.call("ping", "GET", "/ping", timeout=60)
            time.sleep(max(0.0, 0.1 - (time.monotonic() - t0)))

    _pool(pinger, size.pingers, size.pingers)
    try:
        flood_statuses = queue.get(timeout=size.flood_seconds + 300)
    finally:
        flooder.join(30)
        if flooder.is_alive():
            flooder.kill()
            flooder.join()
    pings = prec.latencies.get("ping", [])
    out["flood"] = {
        "logins": sum(flood_statuses.values()),
        "statuses": flood_statuses,
        "pings": len(pings),
        "ping_statuses": dict(prec.statuses.get("ping", {})),
        "ping_p50_ms": round(_p(pings, 50) * 1000, 2),
        "ping_p95_ms": round(_p(pings, 95) * 1000, 2),
        "ping_max_ms": round(max(pings) * 1000, 1) if pings else None,
        "memory": memory.end_phase(base),
        "http_5xx": prec.count_5xx()
        + sum(n for s, n in flood_statuses.items() if s.isdigit() and int(s) >= 500),
        "transport_errors": prec.count_errors()
        + sum(n for s, n in flood_statuses.items() if not s.isdigit()),
        "transport_retries": dict(prec.retries),
    }

    out["rss_end_mb"] = round(rss_mb(tree(hub.proc.pid)), 1)
    return out


# -- run.py -----------------------------------------------------------------------------------------------
def figures(quick: bool = False) -> list[dict]:
    """The figures for ``benchmarks/run.py`` (PostgreSQL from ``$DTTS_TEST_POSTGRES_URL``; needed for 4 workers)."""
    from run import figure

    base = os.environ.get("DTTS_TEST_POSTGRES_URL")
    if not base:
        raise RuntimeError("the load test needs PostgreSQL: set DTTS_TEST_POSTGRES_URL")
    size = Size.quick() if quick else Size()
    r = run(size, base)
    return figures_of(r, figure)


def figures_of(r: dict, figure) -> list[dict]:
    size, dev, fl, ing, big, chk = (
        r["size"],
        r["devices"],
        r["flood"],
        r["ingest"],
        r["largest_request"],
        r["check"],
    )
    where = f"{r['database']}, serve --workers {size['workers']}"
    http5 = dev["http_5xx"] + fl["http_5xx"] + ing["http_5xx"] + big["http_5xx"]
    errs = dev["transport_errors"] + fl["transport_errors"] + ing["transport_errors"]
    retried = sum(sum(p.get("transport_retries", {}).values()) for p in (dev, fl, ing))
    ops = dev["ops"]
    flow = ", ".join(f"{op} p95 {o['p95_ms']:.0f} ms" for op, o in ops.items())
    note = (
        f"{size['devices']} devices on {size['threads']} threads, {where}; {dev['seconds']} s; {flow}; "
        f"{chk['acknowledged']} acknowledged, {chk['stored']} stored; {dev['n_problems']} device problems; "
        f"{retried} requests sent again after no answer ({dev.get('transport_retries')}), {errs} never "
        f"answered; hub log: {r.get('hub_log_tracebacks', 0)} tracebacks"
    )
    return [
        figure("load: submissions lost (acknowledged, not stored)", chk["lost"], "", 0, note=note),
        figure("load: submissions duplicated (stored twice)", chk["duplicated"], "", 0),
        figure("load: 5xx answers (devices, flood, ingest, largest batch)", http5, "", 0),
        figure(
            "load: requests never answered (after the client's retries)",
            errs,
            "",
            0,
            note=f"{retried} sent again after no answer",
        ),
        figure(
            "load: device login p95 (1,000 devices, full-cost hash each)",
            ops["login"]["p95_ms"],
            "ms",
            None,
            note=f"statuses {ops['login']['statuses']}",
        ),
        figure("load: device ping p95 during the devices' flow", ops["ping"]["p95_ms"], "ms", None),
        figure(
            "load: malformed items not rejected on their own (a batch of a malformed item and a good one)",
            dev["poisoned"]["batches"]
            - dev["poisoned"]["bad_item"].get("rejected", 0)
            + chk["poisoned_stored"],
            "",
            0,
            note=f"{dev['poisoned']['batches']} such batches; the malformed item: {dev['poisoned']['bad_item']}; "
            f"the good item stored and the device's pull answered in each (else a device problem)",
        ),
        figure(
            "load: ping p95 during the login flood",
            fl["ping_p95_ms"],
            "ms",
            100.0,
            note=f"{size['flood']} threads, {fl['logins']} unknown-user logins in {size['flood_seconds']:.0f} s, "
            f"statuses {fl['statuses']}; {fl['pings']} pings, p50 {fl['ping_p50_ms']} ms, max {fl['ping_max_ms']} ms",
        ),
        figure(
            "load: hub memory growth during the login flood (serve + workers)",
            fl["memory"]["growth_mb"],
            "MB",
            300.0,
            note=f"{fl['memory']['processes']} processes, {fl['memory']['rss_start_mb']} MB at its start",
        ),
        figure(
            "load: hub memory growth, the largest single request (serve + workers)",
            big["memory"]["growth_mb"],
            "MB",
            300.0,
            note=f"one batch of {big['items']} annual reports, {big['json_bytes'] // 1024} KB JSON, "
            f"{big['gzip_bytes'] // 1024} KB gzip, HTTP {big['status']}",
        ),
        figure(
            "load: hub memory growth over the 1,000 devices' flow (serve + workers)",
            dev["memory"]["growth_mb"],
            "MB",
            None,
            note=f"{dev['memory']['rss_start_mb']} MB idle",
        ),
        figure(
            f"load: ingest of {ing['reports']} annual reports ({where}, {size['ingest_clients']} batches of 50 in flight)",
            ing["seconds"],
            "s",
            60.0 if ing["reports"] >= 3321 and r["database"] == "postgresql" else None,
            note=f"{ing['reports_per_s']} reports/s; memory growth {ing['memory']['growth_mb']} MB",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--tiny", action="store_true", help="a few of everything (the test's size)")
    ap.add_argument("--db", default=os.environ.get("DTTS_TEST_POSTGRES_URL"), help="PostgreSQL base URL")
    ap.add_argument("--devices", type=int)
    ap.add_argument("--workers", type=int)
    ap.add_argument("--threads", type=int)
    ap.add_argument("--ingest", type=int)
    ap.add_argument("--flood-seconds", type=float)
    ap.add_argument("--log-dir", type=Path, help="keep the hub's log here")
    args = ap.parse_args(argv)
    size = Size.tiny() if args.tiny else Size.quick() if args.quick else Size()
    for name in ("devices", "workers", "threads", "ingest", "flood_seconds"):
        if getattr(args, name) is not None:
            setattr(size, name, getattr(args, name))
    r = run(size, args.db, args.log_dir)
    print(json.dumps(r, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
