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
devices has its own account and token and sends one annual report of its own, made with one of three
catalogue versions; the devices of each version come in a wave of their own, 0.15 s apart
(``herdutil.fire_burst``). Before the fix this burst stalled 30–60 s and answered 500s on SQLite in every
run; on PostgreSQL (no write lock to queue behind) only now and then, so there the pool-of-one tests below
are the deterministic proof. The time the burst takes is a figure of ``benchmarks/herd_bench.py``; these
tests assert on the outcome.
"""

from __future__ import annotations

import concurrent.futures
import threading
from pathlib import Path

import pytest

from dttshub.config import HubConfig
from dttshub.db import NestedConnection
from dttshub.errors import Unavailable
from dttshub.scope import Account
from dttshub.service import Hub
from tests.support.herdutil import (
    DEVICES,
    ServeProcess,
    fire_burst,
    herd_documents,
    seed_herd,
    stored_submissions,
)
from tests.support.hubfixture import COMMUNE_A, FAST_ARGON2, TEST_NOW, good_values, make_submission, start_hub


def test_a_burst_of_batches_right_after_a_restart_is_all_stored_without_a_5xx(tmp_path, db_url):
    url, data_dir, devices = seed_herd(tmp_path, db_url)
    batches = herd_documents(devices)
    hub = ServeProcess(url, data_dir)
    try:
        hub.wait_ready()  # ping reads the current catalogue, but nothing has parsed one: the cache is empty
        replies = fire_burst(hub.api, devices, batches)
    finally:
        hub.stop()
    statuses = [status for status, _, _ in replies]
    assert statuses == [200] * DEVICES, (
        f"{sum(s >= 500 for s in statuses)} of {DEVICES} batches answered 5xx: "
        f"{sorted(set(statuses))}\n{hub.log[-3000:]}"
    )
    for (_, _, body), batch in zip(replies, batches, strict=True):
        results = body["results"]
        assert [r["submission_id"] for r in results] == [d["submission_id"] for d in batch]
        assert {r["status"] for r in results} <= {"accepted", "late"}, [r["errors"] for r in results]
    receipts = {r["receipt_no"] for _, _, body in replies for r in body["results"]}
    assert len(receipts) == DEVICES
    assert stored_submissions(url) == {d["submission_id"] for batch in batches for d in batch}
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
    from dttscore.catalog import catalog_from_json
    from tests.support.hubfixture import small_catalog

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
    from dttscore.catalog import catalog_from_json
    from tests.support.hubfixture import small_catalog

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


def test_sqlite_write_lock_held_too_long_is_told_as_busy(tmp_path):
    """SQLite's "database is locked" (the write lock held for the whole busy timeout) is the hub being busy:
    the ingest's last attempt answers 503 ``hub_busy`` instead of a 500."""
    import sqlalchemy as sa

    from dttshub.db import busy, is_lock_timeout

    url = f"sqlite:///{tmp_path / 'locked.sqlite'}"
    engine = sa.create_engine(url, connect_args={"timeout": 0.1})
    try:
        with engine.connect() as holder, engine.connect() as waiter:
            holder.exec_driver_sql("CREATE TABLE x (a INTEGER)")
            holder.commit()
            holder.exec_driver_sql("BEGIN IMMEDIATE")
            with pytest.raises(sa.exc.OperationalError) as caught:
                waiter.exec_driver_sql("INSERT INTO x VALUES (1)")
            holder.rollback()
    finally:
        engine.dispose()
    assert is_lock_timeout(caught.value)
    assert not is_lock_timeout(sa.exc.OperationalError("SELECT 1", {}, Exception("no such table: x")))
    assert busy().status == 503 and busy().code == "hub_busy"
