"""Accounts over HTTP: wrong password, throttling, token expiry and refresh; account rules."""

from __future__ import annotations

import pytest
import requests

from dttshub.errors import BadRequest, Conflict
from tests.support.hubfixture import COMMUNE_A, DEFAULT_PASSWORD, TEST_NOW, TIMEOUT, start_hub


def token(
    hub, username: str, password: str = DEFAULT_PASSWORD, device_id: str = "device-1"
) -> requests.Response:
    return requests.post(
        hub.api + "/auth/token",
        json={"username": username, "password": password, "device_id": device_id, "device_name": "PC"},
        timeout=TIMEOUT,
    )


def get_changes(hub, access_token: str) -> requests.Response:
    return requests.get(
        hub.api + "/changes", headers={"Authorization": f"Bearer {access_token}"}, timeout=TIMEOUT
    )


def test_wrong_password_is_401_with_a_reason(people):
    r = token(people, "officer_a", "not-the-password")
    assert r.status_code == 401
    doc = r.json()
    assert doc["server_id"] == people.server_id
    assert doc["error"]["code"] == "wrong_password"
    assert doc["error"]["message_vi"] == "Sai tên đăng nhập hoặc mật khẩu."
    assert token(people, "nobody", "whatever-pw").json()["error"]["code"] == "wrong_password"


def test_missing_fields_are_400(people):
    r = requests.post(people.api + "/auth/token", json={"username": "officer_a"}, timeout=TIMEOUT)
    assert r.status_code == 400 and r.json()["error"]["code"] == "missing_field"


def test_repeated_failures_are_throttled_with_retry_after(people):
    for _ in range(5):
        assert token(people, "officer_a", "wrong-password").status_code == 401
    for password in ("wrong-password", DEFAULT_PASSWORD):  # while throttled, even the right password
        r = token(people, "officer_a", password)
        assert r.status_code == 429
        assert r.json()["error"]["code"] == "too_many_attempts"
        retry = int(r.headers["Retry-After"])
        assert 0 < retry <= 15 * 60
    # other accounts are not affected
    assert token(people, "officer_b").status_code == 200
    # once the window has passed, the right password works again and clears the failures
    people.clock.advance(15 * 60 + 1)
    assert token(people, "officer_a").status_code == 200
    assert token(people, "officer_a", "wrong-password").status_code == 401
    assert token(people, "officer_a").status_code == 200


def test_retry_after_counts_down(people):
    for _ in range(5):
        token(people, "officer_a", "wrong-password")
    first = int(token(people, "officer_a").headers["Retry-After"])
    people.clock.advance(300)
    later = int(token(people, "officer_a").headers["Retry-After"])
    assert later == pytest.approx(first - 300, abs=2)


def test_access_token_expires_and_refresh_gives_a_new_one(tmp_path, db_url):
    with start_hub(tmp_path, db_url, clock=TEST_NOW, access_token_ttl=60) as hub:
        hub.add_user("officer_a")
        grant = hub.login("officer_a")
        assert grant["expires_in"] == 60
        assert get_changes(hub, grant["access_token"]).status_code == 200
        hub.clock.advance(61)
        r = get_changes(hub, grant["access_token"])
        assert r.status_code == 401 and r.json()["error"]["code"] == "token_expired"
        assert "Bearer" in r.headers["WWW-Authenticate"]
        r = requests.post(
            hub.api + "/auth/refresh",
            json={"refresh_token": grant["refresh_token"], "device_id": "device-1"},
            timeout=TIMEOUT,
        )
        assert r.status_code == 200
        fresh = r.json()
        assert fresh["server_id"] == hub.server_id
        assert fresh["access_token"] != grant["access_token"]
        assert fresh["account"]["units"] == [COMMUNE_A]
        assert get_changes(hub, fresh["access_token"]).status_code == 200
        # another device cannot use this refresh token
        r = requests.post(
            hub.api + "/auth/refresh",
            json={"refresh_token": grant["refresh_token"], "device_id": "x"},
            timeout=TIMEOUT,
        )
        assert r.status_code == 401
        # an access token is not a refresh token, and refresh tokens expire too
        r = requests.post(
            hub.api + "/auth/refresh",
            json={"refresh_token": grant["access_token"], "device_id": "device-1"},
            timeout=TIMEOUT,
        )
        assert r.status_code == 401 and r.json()["error"]["code"] == "refresh_invalid"
        hub.clock.advance(91 * 86400)
        r = requests.post(
            hub.api + "/auth/refresh",
            json={"refresh_token": grant["refresh_token"], "device_id": "device-1"},
            timeout=TIMEOUT,
        )
        assert r.status_code == 401 and r.json()["error"]["code"] == "refresh_expired"


@pytest.mark.parametrize(
    "header, code",
    [(None, "token_missing"), ("Bearer nonsense", "token_invalid"), ("Basic abc", "token_missing")],
)
def test_bad_authorization_is_401(people, header, code):
    headers = {"Authorization": header} if header else {}
    r = requests.get(people.api + "/changes", headers=headers, timeout=TIMEOUT)
    assert r.status_code == 401 and r.json()["error"]["code"] == code


def test_refresh_token_is_not_an_access_token(people):
    grant = people.login("officer_a")
    r = get_changes(people, grant["refresh_token"])
    assert r.status_code == 401 and r.json()["error"]["code"] == "token_invalid"


def test_devices_are_registered_per_login(people):
    people.login("officer_a", device_id="pc-1")
    people.login("officer_a", device_id="pc-2")
    people.login("officer_a", device_id="pc-1")
    devices = people.hub.accounts.devices("officer_a")
    assert sorted(d["device_id"] for d in devices) == ["pc-1", "pc-2"]
    assert all(d["first_seen"] <= d["last_seen"] for d in devices)


def test_account_rules(hub):
    accounts = hub.hub.accounts
    with pytest.raises(BadRequest):
        accounts.add_user("x1", "officer", "19", "long-enough-pw")  # an officer needs a commune
    with pytest.raises(BadRequest):
        accounts.add_user("x2", "reviewer", COMMUNE_A, "long-enough-pw")  # a reviewer needs a province
    with pytest.raises(BadRequest):
        accounts.add_user("x3", "officer", "99999", "long-enough-pw")  # not in communes_2025
    with pytest.raises(BadRequest):
        accounts.add_user("x4", "boss", "*", "long-enough-pw")
    with pytest.raises(BadRequest):
        accounts.add_user("bad name", "admin", "*", "long-enough-pw")
    with pytest.raises(BadRequest):
        accounts.add_user("x5", "admin", "*", "short")
    accounts.add_user("x6", "admin", "*", "long-enough-pw")
    with pytest.raises(Conflict):
        accounts.add_user("x6", "admin", "*", "long-enough-pw")
    accounts.add_user("x7", "reviewer", "19", "long-enough-pw")


def test_a_batch_counts_for_the_device_its_token_was_issued_to(people):
    """A body naming another device (a made-up or a colleague's PC) registers and touches only the token's."""
    from tests.support.hubfixture import good_values, make_submission

    session = people.session("officer_a", device_id="my-pc")
    r = session.post(
        people.api + "/submissions:batch",
        json={"device_id": "ghost-pc", "submissions": [make_submission(good_values())]},
        headers={"X-Device-Id": "other-ghost"},
        timeout=TIMEOUT,
    )
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "accepted"
    assert [d["device_id"] for d in people.hub.accounts.devices("officer_a")] == ["my-pc"]
