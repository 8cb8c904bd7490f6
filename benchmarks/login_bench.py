"""Login flood: 60 concurrent logins of random unknown usernames while a device pings the hub.

The hub runs in a process of its own (``uvicorn`` on 127.0.0.1, an SQLite file in a temporary directory,
the hub's default argon2 parameters), so its resident memory is measured alone: the growth is the
process's peak (``VmHWM``) minus its resident size after a warm-up. A second process runs the flood: 60
threads, each posting ``auth/token`` with a new random username and password as soon as the previous
answer arrives, for ``seconds``. The main process pings every 50 ms meanwhile and records each latency.
Everything is loopback only and stops by itself (the hub process also exits on its own after a deadline).

Two scenarios: the hub's defaults (the per-address throttle soon answers the flood with 429) and the
per-address throttle lifted, so that every attempt is hashed and the hashing pool alone bounds memory
and keeps ping free.

Run alone: ``python benchmarks/login_bench.py [--quick] [--seconds N] [--src DIR]``; ``--src`` serves
the hub from another source tree (e.g. an older checkout, for the figures before a change), with
``--plain`` to pass it no configuration it might not know; ``--config '{"hash_workers": 2}'`` runs
one scenario with that hub configuration.

``--workers N [--db URL]`` floods the real command line instead, ``dttshub serve --workers N`` (its
defaults; a fresh schema of the PostgreSQL server at ``URL``, or an SQLite file with one worker), and
measures the memory of the serve process and all its workers summed; ``run.py`` adds that scenario with
4 workers when ``$DTTS_TEST_POSTGRES_URL`` is set.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CONCURRENT = 60
PING_EVERY = 0.05
SERVER_GRACE = 120  # the hub process exits by itself this long after the flood should have ended


# -- the hub process ------------------------------------------------------------------------------------
def serve(port_file: str, data_dir: str, config_json: str, lifetime: float) -> None:
    """Run a hub on a free port of 127.0.0.1; write the port to ``port_file``; exit after ``lifetime`` s."""
    import uvicorn

    from dttshub.app import create_app
    from dttshub.config import HubConfig
    from dttshub.service import Hub

    config = HubConfig.from_mapping(
        {"db_url": f"sqlite:///{data_dir}/hub.sqlite", "data_dir": data_dir, **json.loads(config_json)}
    )
    hub = Hub(config)
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(config, hub=hub),
            host="127.0.0.1",
            port=0,
            log_config=None,
            access_log=False,
            lifespan="off",
            ws="none",
        )
    )
    threading.Timer(lifetime, lambda: setattr(server, "should_exit", True)).start()

    def announce() -> None:
        while not server.started:
            time.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        Path(port_file + ".tmp").write_text(str(port))
        os.replace(port_file + ".tmp", port_file)

    threading.Thread(target=announce, daemon=True).start()
    try:
        server.run()
    finally:
        hub.close()
        os._exit(0)  # the timer thread must not keep the process alive


def _rss_kib(pid: int) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            out[line.split(":")[0]] = int(line.split()[1])
    return out


# -- the flood process ------------------------------------------------------------------------------------
def flood(url: str, seconds: float, queue) -> None:
    """60 threads posting logins of unknown users for ``seconds``; puts (status counts, latencies)."""
    import requests

    statuses: Counter = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def worker() -> None:
        with requests.Session() as s:
            while time.monotonic() < end:
                body = {
                    "username": "u" + secrets.token_hex(6),
                    "password": secrets.token_urlsafe(12),
                    "device_id": "bench-" + secrets.token_hex(4),
                }
                started = time.monotonic()
                try:
                    code = s.post(url + "/api/v1/auth/token", json=body, timeout=120).status_code
                except requests.RequestException as exc:
                    code = type(exc).__name__
                with lock:
                    statuses[code] += 1
                    latencies.append(time.monotonic() - started)

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENT)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    queue.put((dict(statuses), latencies))


def _p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def run_scenario_served(seconds: float, db: str | None, workers: int) -> dict:
    """One flood against ``dttshub serve --workers N`` (the hub's defaults) over ``db``.

    ``db`` is a PostgreSQL base URL (a fresh schema is made in it and dropped after) or None for an SQLite
    file (then ``workers`` must be 1). Memory is that of the serve process and all its workers: the sum of
    their peaks (``VmHWM``, reset after the warm-up) minus the sum of their sizes after the warm-up.
    """

    import load_bench as lb

    schema = None
    with tempfile.TemporaryDirectory(prefix="login-bench-") as tmp:
        data_dir = Path(tmp)
        if db and db.startswith("postgresql"):
            from tests.support.hubfixture import create_pg_schema

            schema, db_url = create_pg_schema(db)
        else:
            db_url = db or f"sqlite:///{data_dir / 'hub.sqlite'}"
        try:
            done = subprocess.run(
                [*lb.DTTSHUB, "--db", db_url, "--data-dir", tmp, "db", "upgrade"],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(f"dttshub db upgrade failed: {done.stderr[-500:]}")
            hub = lb.HubProcess(db_url, data_dir, workers, seconds + SERVER_GRACE, data_dir / "hub.log")
            try:
                hub.wait_ready()
                r = _flood_against(hub.url, seconds, lambda: lb.tree(hub.proc.pid), lb)
            finally:
                hub.stop()
        finally:
            if schema:
                from tests.support.hubfixture import drop_pg_schema

                drop_pg_schema(db, schema)
    r["config"] = {"workers": workers, "database": "postgresql" if schema else "sqlite"}
    return r


def _flood_against(url: str, seconds: float, pids, lb) -> dict:
    """Warm-up, then the flood and the pings against ``url``; memory of the processes ``pids()``."""
    import requests

    with requests.Session() as s:
        s.headers["User-Agent"] = lb.UA["User-Agent"]
        for _ in range(3):
            s.post(
                url + "/api/v1/auth/token",
                json={"username": "warm_up", "password": "x" * 10, "device_id": "w"},
                timeout=60,
            )
        idle = []
        for _ in range(40):
            started = time.monotonic()
            s.get(url + "/api/v1/ping", timeout=60).raise_for_status()
            idle.append(time.monotonic() - started)
            time.sleep(0.01)
        time.sleep(0.5)
        procs = pids()
        lb.reset_hwm(procs)
        base = lb.rss_mb(procs)
        queue = mp.get_context("spawn").Queue()
        flooder = mp.get_context("spawn").Process(target=flood, args=(url, seconds, queue))
        flooder.start()
        time.sleep(1.0)
        pings, errors = [], 0
        peak_seen = base
        end = time.monotonic() + seconds - 1.0
        while time.monotonic() < end:
            started = time.monotonic()
            try:
                s.get(url + "/api/v1/ping", timeout=60).raise_for_status()
                pings.append(time.monotonic() - started)
            except requests.RequestException:
                errors += 1
            peak_seen = max(peak_seen, lb.rss_mb(procs))
            time.sleep(max(0.0, PING_EVERY - (time.monotonic() - started)))
        statuses, latencies = queue.get(timeout=seconds + 180)
        flooder.join(30)
        hwm = lb.hwm_mb(procs)
    return {
        "seconds": seconds,
        "processes": len(procs),
        "logins": sum(statuses.values()),
        "statuses": statuses,
        "login_p95_s": _p(latencies, 95),
        "login_max_s": max(latencies) if latencies else float("nan"),
        "ping_idle_p95_ms": _p(idle, 95) * 1000,
        "pings": len(pings),
        "ping_errors": errors,
        "ping_p50_ms": _p(pings, 50) * 1000,
        "ping_p95_ms": _p(pings, 95) * 1000,
        "ping_max_ms": max(pings) * 1000 if pings else float("nan"),
        "rss_base_mb": base,
        "rss_growth_mb": max(hwm, peak_seen) - base,
        "rss_growth_sampled_mb": peak_seen - base,
    }


def run_scenario(config: dict, seconds: float, src: Path | None = None) -> dict:
    """One flood against a fresh hub process; returns the figures of it."""
    import requests

    with tempfile.TemporaryDirectory(prefix="login-bench-") as tmp:
        port_file = os.path.join(tmp, "port")
        env = dict(os.environ)
        if src is not None:
            env["PYTHONPATH"] = str(src)
        proc = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--serve",
                port_file,
                tmp,
                json.dumps(config),
                str(seconds + SERVER_GRACE),
            ],
            env=env,
            cwd=tmp,
        )
        try:
            deadline = time.monotonic() + 60
            while not os.path.exists(port_file):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the hub process did not start")
                time.sleep(0.05)
            url = f"http://127.0.0.1:{Path(port_file).read_text()}"
            with requests.Session() as s:
                # warm-up: imports, the first connection, the dummy hash of unknown usernames
                for _ in range(3):
                    s.post(
                        url + "/api/v1/auth/token",
                        json={"username": "warm_up", "password": "x" * 10, "device_id": "w"},
                        timeout=60,
                    )
                idle = []
                for _ in range(40):
                    started = time.monotonic()
                    s.get(url + "/api/v1/ping", timeout=60).raise_for_status()
                    idle.append(time.monotonic() - started)
                    time.sleep(0.01)
                time.sleep(0.5)
                base = _rss_kib(proc.pid)["VmRSS"]
                queue = mp.get_context("spawn").Queue()
                flooder = mp.get_context("spawn").Process(target=flood, args=(url, seconds, queue))
                flooder.start()
                time.sleep(1.0)  # the threads are posting
                pings, errors = [], 0
                rss_peak_seen = base
                end = time.monotonic() + seconds - 1.0
                while time.monotonic() < end:
                    started = time.monotonic()
                    try:
                        s.get(url + "/api/v1/ping", timeout=60).raise_for_status()
                        pings.append(time.monotonic() - started)
                    except requests.RequestException:
                        errors += 1
                    rss_peak_seen = max(rss_peak_seen, _rss_kib(proc.pid)["VmRSS"])
                    time.sleep(max(0.0, PING_EVERY - (time.monotonic() - started)))
                statuses, latencies = queue.get(timeout=seconds + 180)
                flooder.join(30)
                hwm = _rss_kib(proc.pid)["VmHWM"]
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return {
        "config": config,
        "seconds": seconds,
        "logins": sum(statuses.values()),
        "statuses": statuses,
        "login_p95_s": _p(latencies, 95),
        "login_max_s": max(latencies) if latencies else float("nan"),
        "ping_idle_p95_ms": _p(idle, 95) * 1000,
        "pings": len(pings),
        "ping_errors": errors,
        "ping_p50_ms": _p(pings, 50) * 1000,
        "ping_p95_ms": _p(pings, 95) * 1000,
        "ping_max_ms": max(pings) * 1000 if pings else float("nan"),
        "rss_base_mb": base / 1024,
        "rss_growth_mb": (hwm - base) / 1024,
        "rss_growth_sampled_mb": (rss_peak_seen - base) / 1024,
    }


SCENARIOS = {
    "defaults": {},
    "no address throttle": {"login_max_failures_per_address": 10**9},
}


def figures(quick: bool = False) -> list[dict]:
    """The figures for ``benchmarks/run.py``: ping p95 and hub memory growth under the login flood."""
    from run import figure

    seconds = 8.0 if quick else 20.0
    out = []
    runs = [(name, lambda config=config: run_scenario(config, seconds)) for name, config in SCENARIOS.items()]
    pg = os.environ.get("DTTS_TEST_POSTGRES_URL")
    if pg:  # the same flood against the real command line: 4 worker processes on PostgreSQL, its defaults
        runs.append(("serve --workers 4, PostgreSQL", lambda: run_scenario_served(seconds, pg, 4)))
    for name, measure in runs:
        r = measure()
        note = (
            f"{r['logins']} logins in {seconds:.0f} s, statuses {r['statuses']}, login p95 "
            f"{r['login_p95_s']:.2f} s; ping p50 {r['ping_p50_ms']:.1f} ms, max {r['ping_max_ms']:.0f} ms, "
            f"idle p95 {r['ping_idle_p95_ms']:.1f} ms, {r['ping_errors']} ping errors"
        )
        out.append(figure(f"login flood ({name}): ping p95", r["ping_p95_ms"], "ms", 100.0, note=note))
        out.append(
            figure(
                f"login flood ({name}): hub memory growth (peak RSS - RSS after warm-up"
                + (", serve and its workers summed)" if "workers" in name else ")"),
                r["rss_growth_mb"],
                "MB",
                300.0,
                note=f"RSS after warm-up {r['rss_base_mb']:.0f} MB"
                + (f" over {r['processes']} processes" if "processes" in r else ""),
            )
        )
    return out


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]))
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--src", type=Path, default=None, help="serve the hub from this source tree (its src/)")
    ap.add_argument("--plain", action="store_true", help="no hub configuration (for an older source tree)")
    ap.add_argument("--only", choices=list(SCENARIOS), default=None)
    ap.add_argument("--config", default=None, help="one scenario with this hub configuration (JSON)")
    ap.add_argument(
        "--workers",
        type=int,
        default=None,
        help="flood `dttshub serve --workers N` (its defaults) instead of an in-process hub",
    )
    ap.add_argument("--db", default=None, help="with --workers: PostgreSQL base URL (a fresh schema in it)")
    args = ap.parse_args(argv)
    seconds = args.seconds or (8.0 if args.quick else 20.0)
    if args.workers is not None:
        result = run_scenario_served(seconds, args.db, args.workers)
        result["scenario"] = f"serve --workers {args.workers}"
        print(json.dumps(result, indent=2, default=str), flush=True)
        return 0
    results = []
    scenarios = {"custom": json.loads(args.config)} if args.config else SCENARIOS
    for name, config in scenarios.items():
        if args.only and name != args.only:
            continue
        if args.plain and config:
            continue
        result = run_scenario({} if args.plain else config, seconds, args.src)
        result["scenario"] = name
        results.append(result)
        print(json.dumps(result, indent=2, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
