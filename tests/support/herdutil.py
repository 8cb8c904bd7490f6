"""The restart herd (issue 12, item 6), shared by its tests and ``benchmarks/herd_bench.py``.

A hub database holding the test catalogue (several versions) and one account per device, each logged in
on its own device; ``dttshub serve`` started afresh over it (a restarted hub: empty catalogue cache);
every device posting one batch at the same moment.
"""

from __future__ import annotations

import concurrent.futures
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
import sqlalchemy as sa

from dttshub import db as t
from dttshub.db import Database
from tests.support.hubfixture import COMMUNE_A, good_values, make_submission, small_catalog, start_hub

DEVICES = 60
VERSIONS = 3  # the devices send reports made with three catalogue versions: three cold cache entries
WAVE_GAP = 0.15  # seconds between the waves of the burst (one wave per catalogue version)
TIMEOUT = 120  # a request of the burst; before the fix the pool stalled 30 s, then answered 500s


def _exe() -> list[str]:
    script = Path(sys.executable).with_name("dttshub")
    return [str(script)] if script.exists() else [sys.executable, "-m", "dttshub"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed_herd(tmp_path: Path, db_url: str | None, devices: int = DEVICES) -> tuple[str, Path, list[dict]]:
    """A hub database with the test catalogue and ``devices`` accounts, each logged in on its own device.

    Returns:
        ``(database URL, data directory, [{username, device_id, token}])``.
    """
    with start_hub(tmp_path, db_url) as hub:
        for version in range(1, VERSIONS + 1):
            hub.publish_catalog(small_catalog(version))
        devices_ = []
        for i in range(devices):
            username, device_id = f"herd_{i:03d}", f"herd-device-{i:03d}"
            hub.add_user(username, "officer", COMMUNE_A)
            token = hub.login(username, device_id=device_id)["access_token"]
            devices_.append({"username": username, "device_id": device_id, "token": token})
        return hub.db_url, hub.data_dir, devices_


class ServeProcess:
    """``dttshub serve`` in its own process on a free port of 127.0.0.1 (a freshly restarted hub)."""

    def __init__(self, db_url: str, data_dir: Path, *extra: str) -> None:
        self.port = _free_port()
        env = {**os.environ, "DTTSHUB_DATA_DIR": str(data_dir)}
        env.pop("DTTSHUB_DB", None)
        self.proc = subprocess.Popen(
            [*_exe(), "serve", "--db", db_url, "--port", str(self.port), *extra],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.api = f"http://127.0.0.1:{self.port}/api/v1"
        self._stderr: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self._stderr.append(line)

    @property
    def log(self) -> str:
        return "".join(self._stderr)

    def wait_ready(self, seconds: float = 60) -> dict:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                return requests.get(self.api + "/ping", timeout=2).json()
            except requests.ConnectionError:
                time.sleep(0.1)
        raise AssertionError(f"dttshub serve did not answer:\n{self.log}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(5)
        self.proc.stderr.close()


def version_of(i: int, n: int) -> int:
    """The catalogue version device ``i`` of ``n`` made its report with: the devices in ``VERSIONS`` blocks."""
    return 1 + i * VERSIONS // n


def herd_documents(devices: list[dict]) -> list[list[dict]]:
    """Each device's batch: one annual report of its own year (no two devices share a report), made with
    the catalogue version of its block (:func:`version_of`)."""
    n = len(devices)
    return [
        [
            make_submission(
                good_values(), unit=COMMUNE_A, period=str(2000 + i), catalog_version=version_of(i, n)
            )
        ]
        for i in range(n)
    ]


def fire_burst(api: str, devices: list[dict], batches: list[list[dict]]) -> list[tuple[int, dict, dict]]:
    """Every device posts its batch at once, in waves ``WAVE_GAP`` s apart, one wave per catalogue version;
    ``[(status, headers, body)]`` in device order.

    The waves are how a herd arrives (over a second or so, not in one instant), and they make the later
    versions miss the cache while the earlier waves still hold the pool's connections: before the fix, the
    stall then came in most runs instead of in some. Each reply's body gets ``"_seconds"``: the time from
    the common start to that reply.
    """
    n = len(devices)
    barrier = threading.Barrier(n)

    def post(i: int) -> tuple[int, dict, dict]:
        dev = devices[i]
        with requests.Session() as s:
            s.headers.update(
                {
                    "Authorization": f"Bearer {dev['token']}",
                    "X-Device-Id": dev["device_id"],
                    "User-Agent": "dttsclient/0.1.0",
                }
            )
            body = {"device_id": dev["device_id"], "app_version": "0.1.0", "submissions": batches[i]}
            barrier.wait(30)
            start = time.perf_counter()
            time.sleep(WAVE_GAP * (version_of(i, n) - 1))
            r = s.post(api + "/submissions:batch", json=body, timeout=TIMEOUT)
            try:
                doc = r.json()
            except ValueError:
                doc = {"raw": r.text[:500]}
            doc["_seconds"] = time.perf_counter() - start
            return r.status_code, dict(r.headers), doc

    with concurrent.futures.ThreadPoolExecutor(n) as pool:
        return list(pool.map(post, range(n)))


def stored_submissions(db_url: str) -> set[str]:
    db = Database(db_url)
    try:
        with db.read() as conn:
            return set(conn.execute(sa.select(t.submissions.c.submission_id)).scalars())
    finally:
        db.dispose()
