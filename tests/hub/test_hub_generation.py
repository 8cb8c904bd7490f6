"""Database generations (issue #12 item 7): the high-water file, the start-up check, new generations and
the receipt counters, on SQLite and PostgreSQL.

A restore is played by making the high-water file say more than the database holds (exactly what an
older copy put back under a hub that kept its file looks like); the full restore through ``pg_dump``
and an SQLite backup, with a real client, is in ``tests/sync/test_restore.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import requests
import sqlalchemy as sa

from dttshub import db as t
from dttshub.config import HubConfig
from dttshub.generation import (
    GENERATION_KEY,
    HIGHWATER_FILE,
    PREVIOUS_KEY,
    RECEIPT_MARGIN,
    HighWaterFile,
)
from dttshub.receipts import receipt_counter_name
from dttshub.service import Hub
from tests.support.hubfixture import (
    COMMUNE_A,
    COMMUNE_B,
    FAST_ARGON2,
    TEST_NOW,
    good_values,
    make_submission,
    start_hub,
)

TIMEOUT = 30


def _ping(running) -> dict:
    return requests.get(running.api + "/ping", timeout=TIMEOUT).json()


def _counters(running) -> dict[str, int]:
    with running.hub.db.read() as conn:
        return {r.name: int(r.value) for r in conn.execute(sa.select(t.counters))}


def _submit(running, period: str) -> dict:
    session = running.session("officer_a")
    doc = make_submission(good_values(), period=period)
    r = session.post(
        running.api + "/submissions:batch",
        json={"device_id": "device-1", "app_version": "0.1.0", "submissions": [doc]},
        timeout=TIMEOUT,
    )
    r.raise_for_status()
    return r.json()["results"][0]


def _file(running) -> dict:
    return json.loads((running.data_dir / HIGHWATER_FILE).read_text(encoding="utf-8"))


def _restart(hub, tmp_path, db_url):
    hub.stop()
    return start_hub(tmp_path, db_url, clock=TEST_NOW)


def test_a_restart_keeps_the_generation_and_ping_and_the_file_carry_it(people, tmp_path, db_url):
    hub = people
    first = _ping(hub)["generation"]
    assert first and first == hub.hub.generation
    _submit(hub, "2026")
    running = _restart(hub, tmp_path, db_url)
    try:
        assert _ping(running)["generation"] == first
        doc = _file(running)
        assert doc["server_id"] == running.server_id and doc["generation"] == first
        assert doc["counters"][receipt_counter_name(COMMUNE_A, 2027)] == 1
        assert doc["counters"]["change_seq"] == 1
    finally:
        running.stop()


def test_a_database_behind_its_high_water_file_starts_a_new_generation(people, tmp_path, db_url):
    hub = people
    before = hub.hub.generation
    result = _submit(hub, "2026")
    assert result["receipt_no"] == f"{COMMUNE_A}-27-0001"
    hub.stop()
    # the database went back: the file (written at shutdown) says more receipts and changes than it holds
    path = tmp_path / "hub" / HIGHWATER_FILE
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["counters"][receipt_counter_name(COMMUNE_A, 2027)] = 40
    doc["counters"][receipt_counter_name(COMMUNE_B, 2026)] = 7
    doc["counters"]["change_seq"] = 55
    path.write_text(json.dumps(doc), encoding="utf-8")

    running = start_hub(tmp_path, db_url, clock=TEST_NOW)
    try:
        assert running.hub.generation_state.started
        after = _ping(running)["generation"]
        assert after != before
        counters = _counters(running)
        # past every number the file knows, with the margin for what it might not know yet
        assert counters[receipt_counter_name(COMMUNE_A, 2027)] == 40 + RECEIPT_MARGIN
        assert counters[receipt_counter_name(COMMUNE_B, 2026)] == 7 + RECEIPT_MARGIN
        # and every commune's counter of the current year, so a first receipt newer than the file is safe
        assert counters[receipt_counter_name(COMMUNE_B, 2027)] == RECEIPT_MARGIN
        running.add_user("officer_a2", "officer", COMMUNE_A)
        receipt = _submit(running, "2027")["receipt_no"]
        assert receipt == f"{COMMUNE_A}-27-{41 + RECEIPT_MARGIN:04d}"
        with running.hub.db.read() as conn:
            assert running.hub.db.get_meta(conn, PREVIOUS_KEY) == before
        doc = _file(running)
        assert doc["generation"] == after
        # the receipt counters the file knew stay at least as high as ever (never go back)
        assert doc["counters"][receipt_counter_name(COMMUNE_B, 2026)] >= 7 + RECEIPT_MARGIN
    finally:
        running.stop()
    # the new generation is remembered: the next start changes nothing
    again = start_hub(tmp_path, db_url, clock=TEST_NOW)
    try:
        assert again.hub.generation == after and not again.hub.generation_state.started
    finally:
        again.stop()


def test_a_cursor_of_an_older_generation_reads_the_feed_from_its_start(people, tmp_path, db_url):
    hub = people
    _submit(hub, "2026")
    _submit(hub, "2027")
    session = hub.session("officer_a")
    page = session.get(hub.api + "/changes", timeout=TIMEOUT).json()
    assert len(page["reports"]) == 2 and page["reset"] is False
    cursor = page["cursor"]
    assert (
        session.get(hub.api + "/changes", params={"since": cursor}, timeout=TIMEOUT).json()["reports"] == []
    )

    hub.hub.new_generation("test")
    page = session.get(hub.api + "/changes", params={"since": cursor}, timeout=TIMEOUT).json()
    assert page["reset"] is True and len(page["reports"]) == 2
    assert page["generation"] == hub.hub.generation
    # the new cursor is of the new generation, and an ordinary one
    page = session.get(hub.api + "/changes", params={"since": page["cursor"]}, timeout=TIMEOUT).json()
    assert page["reset"] is False and page["reports"] == []


def test_a_cursor_made_before_generations_stays_valid_in_the_first_generation(people):
    import base64

    hub = people
    _submit(hub, "2026")
    _submit(hub, "2027")
    old = base64.urlsafe_b64encode(b"c1:1").decode().rstrip("=")
    session = hub.session("officer_a", device_id="device-2")  # not the sender: its revisions are not echoed
    page = session.get(hub.api + "/changes", params={"since": old}, timeout=TIMEOUT).json()
    assert page["reset"] is False and [r["period"] for r in page["reports"]] == ["2027"]
    hub.hub.new_generation("test")
    page = session.get(hub.api + "/changes", params={"since": old}, timeout=TIMEOUT).json()
    assert page["reset"] is True and len(page["reports"]) == 2


def test_processes_starting_together_after_a_restore_start_one_generation(people, tmp_path, db_url):
    """Several ``serve --workers`` processes (here: hubs opened at once in threads) agree on one generation."""
    hub = people
    _submit(hub, "2026")
    before = hub.hub.generation
    config = hub.hub.config
    hub.stop()
    path = tmp_path / "hub" / HIGHWATER_FILE
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["counters"]["change_seq"] = 99
    path.write_text(json.dumps(doc), encoding="utf-8")

    hubs: list[Hub] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def open_one() -> None:
        try:
            barrier.wait()
            hubs.append(Hub(config))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    try:
        assert not errors
        generations = {h.generation for h in hubs}
        assert len(generations) == 1 and before not in generations
        assert sum(h.generation_state.started for h in hubs) == 1
        with hubs[0].db.read() as conn:
            assert hubs[0].db.get_meta(conn, GENERATION_KEY) in generations
            assert hubs[0].db.get_meta(conn, PREVIOUS_KEY) == before
    finally:
        for h in hubs:
            h.close()


def test_the_high_water_file_is_written_by_a_serving_hub_on_its_timer(tmp_path, db_url):
    running = start_hub(tmp_path, db_url, clock=TEST_NOW, highwater_interval=0.1)
    try:
        running.publish_catalog()
        running.add_user("officer_a", "officer", COMMUNE_A)
        _submit(running, "2026")
        path = running.data_dir / HIGHWATER_FILE
        import time

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc["counters"].get("change_seq") == 1:
                break
            time.sleep(0.05)
        assert doc["counters"]["change_seq"] == 1  # without a stop: a crash loses no more than one interval
        assert not list(path.parent.glob(".hub_highwater.*.tmp"))
    finally:
        running.stop()


def test_a_damaged_or_foreign_high_water_file_is_not_a_restore(tmp_path):
    hub = start_hub(tmp_path, clock=TEST_NOW)
    generation = hub.hub.generation
    hub.stop()
    path = tmp_path / "hub" / HIGHWATER_FILE
    path.write_text("{not json", encoding="utf-8")
    hub = start_hub(tmp_path, clock=TEST_NOW)
    try:
        assert hub.hub.generation == generation
        assert json.loads(path.read_text(encoding="utf-8"))["generation"] == generation  # rewritten
    finally:
        hub.stop()
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["server_id"] = "hub-of-another-database"
    doc["counters"]["change_seq"] = 1000
    path.write_text(json.dumps(doc), encoding="utf-8")
    hub = start_hub(tmp_path, clock=TEST_NOW)
    try:
        assert hub.hub.generation == generation
    finally:
        hub.stop()


def test_the_high_water_file_merge_never_lowers_a_receipt_counter(tmp_path):
    from dttshub.generation import HighWater

    f = HighWaterFile(tmp_path / HIGHWATER_FILE)
    with f.locked():
        f.merge_write(HighWater("hub-1", "g1", {"receipt:01849:2027": 9, "change_seq": 20}))
    with f.locked():
        f.merge_write(HighWater("hub-1", "g2", {"receipt:01849:2027": 3, "change_seq": 2}))
    mark = f.read()
    assert mark is not None and mark.generation == "g2"
    assert mark.counters == {"receipt:01849:2027": 9, "change_seq": 2}


def test_db_new_generation_command(tmp_path, db_url):
    data_dir = tmp_path / "hub"
    url = db_url or f"sqlite:///{data_dir / 'hub.sqlite'}"
    hub = Hub(HubConfig(db_url=url, data_dir=data_dir, **FAST_ARGON2))
    before = hub.generation
    hub.close()
    env_args = ["--db", url, "--data-dir", str(data_dir)]
    script = Path(sys.executable).with_name("dttshub")
    out = subprocess.run(
        [str(script), "--json", "db", "new-generation", *env_args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["ok"] and doc["previous"] == before and doc["generation"] != before
    hub = Hub(HubConfig(db_url=url, data_dir=data_dir, **FAST_ARGON2))
    try:
        assert hub.generation == doc["generation"] and not hub.generation_state.started
    finally:
        hub.close()


def test_a_killed_serve_process_and_an_older_copy_put_back(tmp_path):
    """``dttshub serve`` killed with SIGKILL (no shutdown write): its timer wrote the file, so the older
    copy put back under it is still seen at the next start."""
    import signal
    import socket
    import sqlite3
    import time

    data_dir = tmp_path / "hub"
    db_file = data_dir / "hub.sqlite"
    url = f"sqlite:///{db_file}"
    setup = Hub(HubConfig(db_url=url, data_dir=data_dir, **FAST_ARGON2))
    from dttscore.catalog import catalog_from_json
    from tests.support.hubfixture import small_catalog

    setup.catalogs.publish(catalog_from_json(small_catalog()), by="test")
    setup.accounts.add_user("officer_a", "officer", COMMUNE_A, "mat-khau-thu-nghiem")
    generation = setup.generation
    setup.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    script = Path(sys.executable).with_name("dttshub")
    proc = subprocess.Popen(
        [str(script), "serve", "--port", str(port), "--db", url, "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    api = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(api + "/ping", timeout=5)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.1)
        body = {
            "username": "officer_a",
            "password": "mat-khau-thu-nghiem",
            "device_id": "d1",
            "device_name": "PC",
        }
        token = requests.post(api + "/auth/token", json=body, timeout=TIMEOUT).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "X-Device-Id": "d1", "User-Agent": "dttsclient/0.1.0"}

        def submit(period: str) -> str:
            doc = make_submission(good_values(), period=period)
            batch = {"device_id": "d1", "app_version": "0.1.0", "submissions": [doc]}
            r = requests.post(api + "/submissions:batch", json=batch, headers=headers, timeout=TIMEOUT)
            return r.json()["results"][0]["receipt_no"]

        submit("2026")
        backup = tmp_path / "backup.sqlite"
        src, dst = sqlite3.connect(db_file), sqlite3.connect(backup)
        src.backup(dst)
        dst.close()
        src.close()
        lost = submit("2027")
        path = data_dir / HIGHWATER_FILE
        deadline = time.monotonic() + 30  # the timer writes every 10 s
        while json.loads(path.read_text(encoding="utf-8"))["counters"].get("change_seq") != 2:
            assert time.monotonic() < deadline
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    for suffix in ("-wal", "-shm"):
        Path(str(db_file) + suffix).unlink(missing_ok=True)
    db_file.write_bytes(backup.read_bytes())
    hub = Hub(HubConfig(db_url=url, data_dir=data_dir, **FAST_ARGON2))
    try:
        assert hub.generation_state.started and hub.generation != generation
        unit, year, seq = lost.split("-")
        with hub.db.read() as conn:
            assert (
                hub.db.counter(conn, receipt_counter_name(unit, 2000 + int(year)))
                >= int(seq) + RECEIPT_MARGIN
            )
    finally:
        hub.close()
