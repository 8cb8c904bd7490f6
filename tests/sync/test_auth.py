"""Tokens: refresh after expiry, a dead refresh token keeps the queue, login errors in plain words."""

from __future__ import annotations

from collections import Counter

import pytest

from dttsclient.store import Store
from dttsclient.sync import errors
from dttsclient.sync.credentials import MemoryCredentials
from dttsclient.sync.engine import SyncEngine
from dttsclient.sync.login import login
from tests.support.hubfixture import DEFAULT_PASSWORD
from tests.support.memkeyring import memory_keyring
from tests.support.syncutil import FAST, USER, finalize, finalize_many, hub_submissions, states, sync


@pytest.mark.parametrize("hub_config", [{"access_token_ttl": 60}])
def test_an_expired_token_is_refreshed_once_and_kept_in_the_keyring(store, creds, hub, proxy):
    finalize(store)
    before = creds.load(store.settings.device_id, USER)
    hub.clock.advance(120)  # the access token has expired, the refresh token has not
    proxy.reset_stats()
    result = sync(store, creds)
    assert result.accepted == 1
    assert len(proxy.requests_to("auth/refresh")) == 1
    after = creds.load(store.settings.device_id, USER)
    assert after.access_token != before.access_token
    assert after.refresh_token == before.refresh_token
    # the next sync uses the new token straight away
    proxy.reset_stats()
    sync(store, creds)
    assert proxy.requests_to("auth/refresh") == []


@pytest.mark.parametrize("hub_config", [{"access_token_ttl": 60, "refresh_token_ttl": 90}])
def test_401_after_a_failed_refresh_keeps_the_queue(data_dir, store, creds, hub, proxy):
    subs = finalize_many(store, 2)
    hub.clock.advance(3600)  # both tokens have expired
    proxy.reset_stats()
    with pytest.raises(errors.AuthRequired) as info:
        sync(store, creds)
    assert not isinstance(info.value, errors.WrongPassword)
    assert "đăng nhập lại" in info.value.text("vi")
    assert len(proxy.requests_to("auth/refresh")) == 1
    assert states(store) == Counter(queued=2)  # the queue is kept, ready for after the login
    assert hub_submissions(hub) == Counter()
    # log in again (the app asks for the password), then sync: everything goes once
    login(store, proxy.url, USER, DEFAULT_PASSWORD, creds, "PC xã", config=FAST)
    result = sync(store, creds)
    assert result.accepted == 2
    assert hub_submissions(hub) == Counter({s.submission_id: 1 for s in subs})


def test_login_records_the_profile_and_keeps_tokens_only_in_the_credential_store(data_dir, hub, proxy):
    with memory_keyring() as kr, Store.open(data_dir) as store:
        from dttsclient.sync.credentials import KeyringCredentials

        result = login(store, proxy.url, USER, DEFAULT_PASSWORD, KeyringCredentials(), "PC xã", config=FAST)
        profile = store.settings.profile()
        assert profile.server_url == proxy.url and profile.server_id == hub.server_id
        assert profile.username == USER and profile.unit == "01849"
        assert profile.unit_name  # from the hub's unit details or the shipped code list
        assert result.complete and result.pull is not None
        assert store.catalogs.current_catalog() is not None and store.catalogs.catalog_etag()
        assert result.tokens_saved_persistently
        (key,) = kr.passwords
        assert key == ("dttsclient", f"{store.settings.device_id}:{USER}")
        secret = kr.passwords[key]
    raw = b"".join(p.read_bytes() for p in data_dir.iterdir() if p.is_file())
    for token in __import__("json").loads(secret).values():
        assert token.encode() not in raw


def test_wrong_password(data_dir, hub, proxy):
    with Store.open(data_dir) as store, pytest.raises(errors.WrongPassword) as info:
        login(store, proxy.url, USER, "sai-mat-khau", MemoryCredentials(), "PC xã", config=FAST)
    assert "mật khẩu không đúng" in info.value.text("vi")
    assert "password is wrong" in info.value.text("en")


@pytest.mark.parametrize("hub_config", [{"login_max_failures": 2}])
def test_repeated_failures_are_throttled_without_retrying(data_dir, hub, proxy):
    with Store.open(data_dir) as store:
        for _ in range(2):
            with pytest.raises(errors.WrongPassword):
                login(store, proxy.url, USER, "sai", MemoryCredentials(), "PC xã", config=FAST)
        proxy.reset_stats()
        with pytest.raises(errors.Throttled) as info:
            login(store, proxy.url, USER, DEFAULT_PASSWORD, MemoryCredentials(), "PC xã", config=FAST)
    assert info.value.retry_after and info.value.retry_after > 0
    assert len(proxy.requests_to("auth/token")) == 1  # a throttled login is not retried
    assert "phút" in info.value.text("vi")


def test_login_behind_a_wifi_login_page(data_dir, hub, proxy):
    proxy.set_mode("login_page")
    with Store.open(data_dir) as store:
        with pytest.raises(errors.LoginPageInTheWay) as info:
            login(store, proxy.url, USER, DEFAULT_PASSWORD, MemoryCredentials(), "PC xã", config=FAST)
        assert store.settings.profile().server_id is None
    assert "trình duyệt" in info.value.text("vi") and "Wi-Fi" in info.value.text("en")


def test_login_without_a_connection(data_dir, hub, proxy):
    url = proxy.url
    proxy.close()
    with Store.open(data_dir) as store, pytest.raises(errors.Offline):
        login(store, url, USER, DEFAULT_PASSWORD, MemoryCredentials(), "PC xã", config=FAST)


def test_login_to_a_bad_address(data_dir):
    with Store.open(data_dir) as store, pytest.raises(errors.BadServerAddress):
        login(store, "dtts.example", USER, DEFAULT_PASSWORD, MemoryCredentials(), "PC xã", config=FAST)


def test_sync_without_login_says_so(data_dir):
    with Store.open(data_dir) as store, pytest.raises(errors.NotLoggedIn):
        SyncEngine.for_profile(store, MemoryCredentials())


def test_no_keyring_means_asking_each_session(data_dir, store, hub, proxy):
    # tokens in memory only: a new session (new credential store) must log in again, and is told why
    from dttsclient.sync.errors import NoKeyring

    session_creds = MemoryCredentials(reason=NoKeyring())
    login(store, proxy.url, USER, DEFAULT_PASSWORD, session_creds, "PC xã", config=FAST)
    assert sync(store, session_creds).error is None
    with pytest.raises(errors.NotLoggedIn) as info:
        SyncEngine.for_profile(store, MemoryCredentials(reason=NoKeyring()))
    assert "kho mật khẩu" in info.value.text("vi")
