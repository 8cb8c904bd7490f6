"""Ping: the hub's identity (server_id), a client too old, the clock-skew warning."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from dttsclient.store import Store
from dttsclient.sync import errors
from dttsclient.sync.credentials import MemoryCredentials
from dttsclient.sync.login import login
from tests.support.hubfixture import DEFAULT_PASSWORD
from tests.support.syncutil import FAST, USER, finalize, states, sync


def relogin(store, proxy, creds) -> None:
    # The hub's clock was set back from TEST_NOW: tokens it issued "in the future" are void (#12 item 8).
    login(store, proxy.url, USER, DEFAULT_PASSWORD, creds, "PC xã", config=FAST)


def test_no_warning_when_the_clocks_agree(store, creds, hub, proxy):
    hub.clock.set(datetime.now(timezone.utc) + timedelta(minutes=4))
    relogin(store, proxy, creds)
    result = sync(store, creds)
    assert result.warnings == [] and abs(result.clock_skew + 240) < 30


@pytest.mark.parametrize("minutes", [-40, 10, -60 * 24 * 700])
def test_clock_skew_over_5_minutes_is_a_warning_that_never_blocks(store, creds, hub, proxy, minutes):
    finalize(store)
    hub.clock.set(datetime.now(timezone.utc))
    relogin(store, proxy, creds)
    # this PC's clock is wrong by ``minutes`` (two years behind in the last case)
    result = sync(store, creds, clock=lambda: datetime.now(timezone.utc) + timedelta(minutes=minutes))
    (warning,) = result.warnings
    assert warning.code == "clock_skew"
    assert "đồng hồ" in warning.text("vi").lower() and "clock" in warning.text("en")
    assert result.accepted == 1  # never blocks
    assert store.sync.last_sync()["summary"]["warnings"][0]["code"] == "clock_skew"


def test_a_client_too_old_is_told_to_upgrade(store, creds, hub):
    finalize(store)
    hub.hub.config = hub.hub.config.replace(min_client_version="99.0")
    with pytest.raises(errors.ClientTooOld) as info:
        sync(store, creds)
    assert "99.0" in info.value.text("vi") and "99.0" in info.value.text("en")
    assert states(store) == {"queued": 1}


@pytest.mark.parametrize("minimum", ["0.1.0.post1", "0.1.1rc1", "0.1.1.dev1"])
def test_the_client_reads_pre_and_post_releases_as_the_hub_does(store, creds, hub, minimum):
    """dttsclient 0.1.0 is older than each of these (PEP 440); the old parser let 0.1.0.post1 through."""
    finalize(store)
    hub.hub.config = hub.hub.config.replace(min_client_version=minimum)
    with pytest.raises(errors.ClientTooOld):
        sync(store, creds)
    assert states(store) == {"queued": 1}


def test_a_release_candidate_minimum_lets_the_release_through(store, creds, hub):
    finalize(store)
    hub.hub.config = hub.hub.config.replace(min_client_version="0.1.0rc1")
    assert sync(store, creds).accepted == 1


def test_another_hub_at_the_address_is_no_connection(store, creds):
    finalize(store)
    store.settings.set_profile(server_id="hub-somewhere-else")
    with pytest.raises(errors.WrongServer) as info:
        sync(store, creds)
    assert isinstance(info.value, errors.NoConnection)
    assert info.value.got and info.value.expected == "hub-somewhere-else"
    assert states(store) == {"queued": 1}


def test_the_first_ping_of_a_fresh_profile_records_the_server_id(store, creds, hub):
    store.settings.set_profile(server_id=None)
    store.settings.set_setting("sync.hub_signing_key", None)
    sync(store, creds)
    assert store.settings.profile().server_id == hub.server_id
    assert store.settings.get_setting("sync.hub_signing_key") == hub.signing_key


def test_login_refuses_a_hub_other_than_the_profiles(data_dir, hub, proxy):
    with Store.open(data_dir) as store:
        store.settings.set_profile(server_id="hub-of-another-province")
        with pytest.raises(errors.WrongServer):
            login(store, proxy.url, USER, DEFAULT_PASSWORD, MemoryCredentials(), "PC xã", config=FAST)
        assert store.settings.profile().username is None
