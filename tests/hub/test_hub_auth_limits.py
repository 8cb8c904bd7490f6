"""Login under pressure and clock jumps: the hashing pool, throttling per address, purged failure rows,
refresh tokens bound to their device, lockouts and token lifetimes bounded however the hub's clock moves."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests
import sqlalchemy as sa

from dttshub import db as t
from dttshub.errors import Throttled, Unauthorized
from tests.support.hubfixture import DEFAULT_PASSWORD, TEST_NOW, TIMEOUT, start_hub

TWO_YEARS = timedelta(days=730)


def token(hub, username: str, password: str = DEFAULT_PASSWORD, device_id: str = "device-1"):
    return requests.post(
        hub.api + "/auth/token",
        json={"username": username, "password": password, "device_id": device_id},
        timeout=TIMEOUT,
    )


def refresh(hub, body: dict):
    return requests.post(hub.api + "/auth/refresh", json=body, timeout=TIMEOUT)


def changes(hub, access_token: str):
    return requests.get(
        hub.api + "/changes", headers={"Authorization": f"Bearer {access_token}"}, timeout=TIMEOUT
    )


def failure_rows(hub) -> list[tuple[str, str]]:
    with hub.hub.db.read() as conn:
        return [tuple(r) for r in conn.execute(sa.select(t.login_failures.c.username, t.login_failures.c.at))]


# -- item 4: a refresh token belongs to its device ----------------------------------------------------------


@pytest.mark.parametrize("device", ["absent", "", None, 7])
def test_refresh_without_a_device_is_refused(people, device):
    grant = people.login("officer_a", device_id="pc-1")
    body: dict = {"refresh_token": grant["refresh_token"]}
    if device != "absent":
        body["device_id"] = device
    r = refresh(people, body)
    assert r.status_code == 400
    error = r.json()["error"]
    # a device_id that is not a string fails the request model itself (malformed_request, naming the field)
    expected = "malformed_request" if device == 7 else "missing_field"
    assert error["code"] == expected and "device_id" in error["message_vi"]
    assert "device_id" in error["message_en"]


def test_refresh_from_another_device_is_refused(people):
    grant = people.login("officer_a", device_id="pc-1")
    r = refresh(people, {"refresh_token": grant["refresh_token"], "device_id": "pc-2"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "refresh_other_device"
    r = refresh(people, {"refresh_token": grant["refresh_token"], "device_id": "pc-1"})
    assert r.status_code == 200 and r.json()["access_token"]


def test_refresh_directly_needs_the_device(people):
    grant = people.login("officer_a", device_id="pc-1")
    with pytest.raises(Unauthorized):
        people.hub.accounts.refresh(grant["refresh_token"], "pc-9")
    assert people.hub.accounts.refresh(grant["refresh_token"], "pc-1")["access_token"]


# -- item 3: throttling per address, unknown names, purged rows, the hashing pool ---------------------------


def test_unknown_usernames_are_throttled_like_known_ones(people):
    for _ in range(5):
        assert token(people, "officer_a", "wrong-password").status_code == 401
        assert token(people, "nobody_here", "wrong-password").status_code == 401
    for name in ("officer_a", "nobody_here"):
        r = token(people, name)
        assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_attempts"


def test_failures_from_one_address_are_throttled_whatever_the_usernames(tmp_path):
    with start_hub(tmp_path, clock=TEST_NOW, login_max_failures_per_address=4) as hub:
        hub.add_user("officer_a")
        for i in range(4):
            assert token(hub, f"guess_{i}", "wrong-password").status_code == 401
        r = token(hub, "officer_a")  # the right password of a fresh username: the address is throttled
        assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_attempts"
        assert 0 < int(r.headers["Retry-After"]) <= 15 * 60
        # another address is not affected
        assert hub.hub.accounts.login("officer_a", DEFAULT_PASSWORD, "pc-9", address="10.0.0.9")[
            "access_token"
        ]
        hub.clock.advance(15 * 60 + 1)
        assert token(hub, "officer_a").status_code == 200


def test_malformed_usernames_never_count_against_another_key(tmp_path):
    with start_hub(tmp_path, clock=TEST_NOW, login_max_failures_per_address=100) as hub:
        hub.add_user("officer_a")
        for _ in range(6):  # ":" is in no username: the name of an address key cannot be locked out
            assert token(hub, "ip:10.0.0.9", "wrong-password").status_code == 401
        assert all(key == "ip:127.0.0.1" for key, _at in failure_rows(hub))
        assert hub.hub.accounts.login("officer_a", DEFAULT_PASSWORD, "pc-9", address="10.0.0.9")[
            "access_token"
        ]


def test_failure_rows_of_unknown_names_are_purged(people):
    for i in range(12):
        assert token(people, f"random_{i}", "wrong-password").status_code == 401
    assert len(failure_rows(people)) == 24  # one per username, one per address
    people.clock.advance(15 * 60 + 1)
    assert token(people, "random_last", "wrong-password").status_code == 401
    rows = failure_rows(people)
    assert sorted(key for key, _at in rows) == ["ip:127.0.0.1", "random_last"]


def test_hashing_runs_on_its_own_bounded_pool(tmp_path):
    with start_hub(tmp_path, clock=TEST_NOW, hash_workers=1, hash_queue=2) as hub:
        hub.add_user("officer_a")
        pool = hub.hub.accounts.hashing
        release = threading.Event()
        blocker = pool.submit(release.wait, 30)  # the only hashing thread is busy
        try:
            with ThreadPoolExecutor(2) as waiting:
                # two logins wait in the queue (one of an unknown user: it costs the same as a known one)
                queued = [waiting.submit(token, hub, name) for name in ("officer_a", "nobody_here")]
                deadline = time.monotonic() + 10
                while pool.in_use < 3 and time.monotonic() < deadline:
                    time.sleep(0.01)
                # the queue is full: the next attempt, known user or not, is told to come back at once
                for name in ("officer_a", "nobody_here"):
                    started = time.monotonic()
                    r = token(hub, name)
                    assert r.status_code == 429, r.text
                    assert r.json()["error"]["code"] == "login_busy"
                    assert r.headers["Retry-After"] == "2"
                    assert time.monotonic() - started < 5
                # ping, which shares no thread with the hashing, is answered meanwhile
                started = time.monotonic()
                assert requests.get(hub.api + "/ping", timeout=TIMEOUT).status_code == 200
                assert time.monotonic() - started < 2
                assert not any(f.done() for f in queued)
                release.set()
                assert [f.result().status_code for f in queued] == [200, 401]
        finally:
            release.set()
            blocker.result(timeout=30)
        # direct callers are bounded the same way
        sleepers = [pool.submit(time.sleep, 0.3) for _ in range(3)]
        with pytest.raises(Throttled):
            pool.submit(time.sleep, 0.3)
        for f in sleepers:
            f.result(timeout=10)
        assert pool.in_use == 0


def test_default_hashing_fits_a_memory_budget():
    from dttshub.config import HubConfig

    config = HubConfig()
    # argon2-cffi's memory_cost is in KiB: the peak of one hub process is workers × memory_cost
    assert config.hash_workers * config.argon2_memory_cost * 1024 <= 64 * 1024 * 1024
    assert config.argon2_memory_cost >= 19 * 1024  # OWASP's minimum for argon2id with t=2


# -- item 8: clock jumps ------------------------------------------------------------------------------------


def test_a_lockout_made_while_the_clock_was_ahead_ends_when_it_is_set_back(people):
    people.clock.set(TEST_NOW + TWO_YEARS)
    for _ in range(5):
        assert token(people, "officer_a", "wrong-password").status_code == 401
    r = token(people, "officer_a")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) <= 15 * 60
    people.clock.set(TEST_NOW)  # the clock is corrected
    assert token(people, "officer_a").status_code == 200
    # and the rows written in the future are gone
    assert all(at < (TEST_NOW + timedelta(hours=1)).isoformat() for _key, at in failure_rows(people))


def test_a_lockout_never_lasts_longer_than_the_window(people):
    for _ in range(5):
        token(people, "officer_a", "wrong-password")
    assert token(people, "officer_a").status_code == 429
    people.clock.advance(-3 * 3600)  # set back by hours: the failures now lie in the future
    assert token(people, "officer_a").status_code == 200


def test_tokens_issued_while_the_clock_was_ahead_are_void_once_it_is_set_back(people):
    people.clock.set(TEST_NOW + TWO_YEARS)
    grant = people.login("officer_a", device_id="pc-1")
    assert changes(people, grant["access_token"]).status_code == 200
    people.clock.set(TEST_NOW)
    r = changes(people, grant["access_token"])
    assert r.status_code == 401 and r.json()["error"]["code"] == "token_expired"
    r = refresh(people, {"refresh_token": grant["refresh_token"], "device_id": "pc-1"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "refresh_expired"
    # the officer logs in again, and the void tokens are purged from the database
    fresh = people.login("officer_a", device_id="pc-1")
    assert changes(people, fresh["access_token"]).status_code == 200
    with people.hub.db.read() as conn:
        years = {r.created_at[:4] for r in conn.execute(sa.select(t.tokens.c.created_at))}
    assert years == {str(TEST_NOW.year)}


def test_tokens_survive_a_small_clock_correction(people):
    grant = people.login("officer_a", device_id="pc-1")
    people.clock.advance(-60)  # NTP steps the clock back by a minute
    assert changes(people, grant["access_token"]).status_code == 200
    r = refresh(people, {"refresh_token": grant["refresh_token"], "device_id": "pc-1"})
    assert r.status_code == 200


def test_a_refresh_token_renewed_while_the_clock_was_ahead_is_void(people):
    grant = people.login("officer_a", device_id="pc-1")
    people.clock.set(TEST_NOW + timedelta(days=60))  # ahead by two months: renewal moves the expiry on
    assert refresh(people, {"refresh_token": grant["refresh_token"], "device_id": "pc-1"}).status_code == 200
    people.clock.set(TEST_NOW + timedelta(hours=1))
    r = refresh(people, {"refresh_token": grant["refresh_token"], "device_id": "pc-1"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "refresh_expired"


def test_a_failed_login_is_answered_late_without_holding_a_thread(tmp_path):
    with start_hub(tmp_path, clock=TEST_NOW, login_failure_delay=1.0) as hub:
        hub.add_user("officer_a")
        started = time.monotonic()
        assert token(hub, "officer_a", "wrong-password").status_code == 401
        assert time.monotonic() - started >= 1.0
        started = time.monotonic()
        assert token(hub, "officer_a").status_code == 200  # a right password is not slowed down
        assert time.monotonic() - started < 1.0
        # many failures at once wait side by side (asleep, not each in a thread), and ping is not held up
        started = time.monotonic()
        with ThreadPoolExecutor(50) as pool:
            answers = [pool.submit(token, hub, f"guess_{i}", "wrong-password") for i in range(50)]
            time.sleep(0.3)
            ping_started = time.monotonic()
            assert requests.get(hub.api + "/ping", timeout=TIMEOUT).status_code == 200
            assert time.monotonic() - ping_started < 0.9
            codes = Counter(f.result().status_code for f in answers)
        assert set(codes) <= {401, 429} and codes[401] >= 1
        assert time.monotonic() - started < 8
