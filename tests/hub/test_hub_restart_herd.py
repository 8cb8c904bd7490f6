"""Restart herd (issue 12, item 6): right after a hub restart, every device's batch arrives at once.

The hub's catalogue cache is empty in a fresh process, so every batch of the burst misses it. Before the
fix the miss took a second pooled connection while the ingest held one (on SQLite inside ``BEGIN
IMMEDIATE``): once every pooled connection was held by an ingest waiting for a second one, the pool
stalled for its 30 s timeout and then answered 500s. Now the catalogue is read on the ingest's own
connection before its transaction, the cache fill is single-flight, no code of the hub takes a second
connection while it holds one (the database refuses it), and a pool that stays empty answers 503 with
``Retry-After`` (which the client retries), never 500.

The burst goes to a real ``dttshub serve`` process on 127.0.0.1, started afresh over a database that
already holds the accounts, their tokens and the catalogue; on SQLite and on PostgreSQL. Each of the 60
devices has its own account and token and sends one annual report of its own. The time the burst takes
is a figure of ``benchmarks/herd_bench.py``; these tests assert on the outcome.
"""

from __future__ import annotations

import concurrent.futures
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from dttshub import db as t
from dttshub.config import HubConfig
from dttshub.db import Database, NestedConnection
from dttshub.errors import Unavailable
from dttshub.scope import Account
from dttshub.service import Hub
from hubfixture import (
    COMMUNE_A,
    FAST_ARGON2,
    TEST_NOW,
    good_values,
    make_submission,
    small_catalog,
    start_hub,
)

DEVICES = 60
VERSIONS = 3  # the devices send reports made with three catalogue versions: three cold cache entries
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
        import time

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


def herd_documents(devices: list[dict]) -> list[dict]:
    """One report per device, each of its own period (no two devices share a report), made with one of
    the catalogue versions in turn."""
    return [
        make_submission(
            good_values(),
            unit=COMMUNE_A,
            period=str(2000 + i),
            catalog_version=1 + i % VERSIONS,
        )
        for i in range(len(devices))
    ]


def fire_burst(api: str, devices: list[dict], docs: list[dict]) -> list[tuple[int, dict, dict]]:
    """Every device posts its batch at the same moment; ``[(status, headers, body)]`` in device order."""
    barrier = threading.Barrier(len(devices))

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
            body = {"device_id": dev["device_id"], "app_version": "0.1.0", "submissions": [docs[i]]}
            barrier.wait(30)
            r = s.post(api + "/submissions:batch", json=body, timeout=TIMEOUT)
            try:
                doc = r.json()
            except ValueError:
                doc = {"raw": r.text[:500]}
            return r.status_code, dict(r.headers), doc

    with concurrent.futures.ThreadPoolExecutor(len(devices)) as pool:
        return list(pool.map(post, range(len(devices))))


def stored_submissions(db_url: str) -> set[str]:
    db = Database(db_url)
    try:
        with db.read() as conn:
            return set(conn.execute(sa.select(t.submissions.c.submission_id)).scalars())
    finally:
        db.dispose()


def test_a_burst_of_batches_right_after_a_restart_is_all_stored_without_a_5xx(tmp_path, db_url):
    url, data_dir, devices = seed_herd(tmp_path, db_url)
    docs = herd_documents(devices)
    hub = ServeProcess(url, data_dir)
    try:
        hub.wait_ready()  # ping reads the current catalogue, but nothing has parsed one: the cache is empty
        replies = fire_burst(hub.api, devices, docs)
    finally:
        hub.stop()
    statuses = [status for status, _, _ in replies]
    assert statuses == [200] * DEVICES, (
        f"{sum(s >= 500 for s in statuses)} of {DEVICES} batches answered 5xx: "
        f"{sorted(set(statuses))}\n{hub.log[-3000:]}"
    )
    results = [body["results"][0] for _, _, body in replies]
    assert [r["submission_id"] for r in results] == [d["submission_id"] for d in docs]
    assert {r["status"] for r in results} <= {"accepted", "late"}, [r["errors"] for r in results]
    assert len({r["receipt_no"] for r in results}) == DEVICES
    assert stored_submissions(url) == {d["submission_id"] for d in docs}
    assert "Traceback" not in hub.log


# -- the connection rule, unit by unit --------------------------------------------------------------------


def _single_connection_hub(tmp_path: Path, db_url: str | None, **extra) -> Hub:
    url = db_url or f"sqlite:///{tmp_path / 'one.sqlite'}"
    config = HubConfig.from_mapping(
        {
            "db_url": url,
            "data_dir": tmp_path,
            "sqlite_synchronous": "NORMAL",
            "db_pool_size": 1,
            "db_max_overflow": 0,
            "db_pool_timeout": 2.0,
            "clock": lambda: TEST_NOW,
            **FAST_ARGON2,
            **extra,
        }
    )
    return Hub(config)


def test_ingest_works_with_a_pool_of_one_connection(tmp_path, db_url):
    """A pool of one connection: any code that took a second one while holding it would time out."""
    from dttsclient.core.catalog import catalog_from_json
    from hubfixture import small_catalog

    hub = _single_connection_hub(tmp_path, db_url)
    try:
        hub.catalogs.publish(catalog_from_json(small_catalog()), by="test")
        hub.accounts.add_user("officer_one", "officer", COMMUNE_A, "mat-khau-thu-nghiem")
        account = Account("officer_one", "officer", COMMUNE_A, "device-one")
        first = make_submission(good_values(), period="2026")
        # a cold cache: the catalogue is read on the ingest's own (only) connection
        body = {"device_id": "device-one", "app_version": "0.1.0", "submissions": [first]}
        results = hub.batch(account, body)["results"]
        assert [r["status"] for r in results] == ["accepted"]
        again = make_submission(good_values(), period="2025", catalog_version=2)
        second = make_submission(good_values(), period="2027")
        results = hub.ingest.ingest_many(account, "device-one", [first, again, second])
        assert [r["status"] for r in results] == ["duplicate", "rejected", "accepted"]
        assert results[1]["errors"][0]["code"] == "unknown_catalog"
        assert hub.ingest.status(account, [first["submission_id"]])[0]["status"] == "accepted"
    finally:
        hub.close()


def test_a_second_connection_while_holding_one_is_refused(tmp_path, db_url):
    """The database enforces the rule: a nested checkout is a bug, said at once, not a pool stall."""
    hub = _single_connection_hub(tmp_path, db_url)
    try:
        with hub.db.connect():
            with pytest.raises(NestedConnection), hub.db.read():
                pass
            with pytest.raises(NestedConnection):
                hub.catalogs.current()
        # another thread holding the only connection: this one waits for the pool, bounded, then 503
        held, release = threading.Event(), threading.Event()

        def hold() -> None:
            with hub.db.connect():
                held.set()
                release.wait(10)

        holder = threading.Thread(target=hold)
        holder.start()
        try:
            assert held.wait(10)
            with pytest.raises(Unavailable) as caught:
                hub.catalogs.current()
            assert caught.value.status == 503 and caught.value.retry_after >= 1
        finally:
            release.set()
            holder.join(10)
        assert hub.catalogs.current() is None  # the connection is back in the pool
    finally:
        hub.close()


def test_the_catalogue_cache_fill_is_single_flight(tmp_path, db_url):
    """Forty threads miss the cache at once: one reads and parses the catalogue, the others wait for it."""
    from dttsclient.core.catalog import catalog_from_json
    from hubfixture import small_catalog

    hub = _single_connection_hub(tmp_path, db_url, db_pool_size=2, db_max_overflow=0)
    try:
        hub.catalogs.publish(catalog_from_json(small_catalog()), by="test")
        loads: list[int] = []
        original = hub.catalogs._load

        def counting_load(key, conn):
            loads.append(1)
            threading.Event().wait(0.2)  # a slow read, so that every thread arrives while it runs
            return original(key, conn)

        hub.catalogs._load = counting_load
        barrier = threading.Barrier(40)

        def get(_: int):
            barrier.wait(10)
            return hub.catalogs.get("test-dtts", 1)

        with concurrent.futures.ThreadPoolExecutor(40) as pool:
            catalogs = list(pool.map(get, range(40)))
        assert len(loads) == 1
        assert all(c is catalogs[0] and c is not None for c in catalogs)
        assert hub.catalogs.get("test-dtts", 9) is None  # never published: not cached, no error
    finally:
        hub.close()


def test_a_pool_timeout_is_a_503_with_retry_after_over_http(tmp_path, db_url):
    """Every connection held elsewhere: the API answers 503 with ``Retry-After`` (the client retries)."""
    with start_hub(tmp_path, db_url, db_pool_size=1, db_max_overflow=0, db_pool_timeout=1.0) as hub:
        hub.publish_catalog()
        hub.add_user("officer_a", "officer", COMMUNE_A)
        s = hub.session("officer_a")
        held, release = threading.Event(), threading.Event()

        def hold() -> None:
            with hub.hub.db.connect():
                held.set()
                release.wait(20)

        holder = threading.Thread(target=hold)
        holder.start()
        try:
            assert held.wait(10)
            doc = make_submission(good_values())
            r = s.post(hub.api + "/submissions:batch", json={"submissions": [doc]}, timeout=30)
        finally:
            release.set()
            holder.join(20)
        assert r.status_code == 503, r.text
        assert int(r.headers["Retry-After"]) >= 1
        assert r.json()["error"]["code"] == "hub_busy" and r.json()["server_id"] == hub.server_id
        # the connection is back: the same batch goes through
        r = s.post(hub.api + "/submissions:batch", json={"submissions": [doc]}, timeout=30)
        assert r.status_code == 200 and r.json()["results"][0]["status"] == "accepted"
