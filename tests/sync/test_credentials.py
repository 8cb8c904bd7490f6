"""Credentials: tokens in the OS keyring (an in-memory backend set through keyring's own mechanism)."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import chainer, fail

from dttsclient.store import Store
from dttsclient.sync.credentials import (
    SERVICE,
    KeyringCredentials,
    MemoryCredentials,
    Tokens,
    account_key,
    default_credentials,
    keyring_status,
)
from dttsclient.sync.errors import NoKeyring
from tests.support.memkeyring import MemoryKeyring, memory_keyring


def test_tokens_round_trip_through_the_selected_keyring():
    with memory_keyring() as kr:
        creds = KeyringCredentials()
        assert creds.load("p1", "can_bo") is None
        creds.save("p1", "can_bo", Tokens("acc-1", "ref-1"))
        assert creds.load("p1", "can_bo") == Tokens("acc-1", "ref-1")
        # stored under service "dttsclient", username "<profile_id>:<username>"
        assert (SERVICE, "p1:can_bo") in kr.passwords
        assert keyring.get_password(SERVICE, account_key("p1", "can_bo")) is not None
        creds.save("p1", "can_bo", Tokens("acc-2", None))
        assert creds.load("p1", "can_bo") == Tokens("acc-2", None)
        creds.delete("p1", "can_bo")
        creds.delete("p1", "can_bo")  # no error the second time
        assert creds.load("p1", "can_bo") is None


def test_profiles_and_users_do_not_share_tokens():
    with memory_keyring():
        creds = KeyringCredentials()
        creds.save("p1", "a", Tokens("t-p1a"))
        creds.save("p2", "a", Tokens("t-p2a"))
        creds.save("p1", "b", Tokens("t-p1b"))
        assert creds.load("p1", "a").access_token == "t-p1a"
        assert creds.load("p2", "a").access_token == "t-p2a"
        assert creds.load("p1", "b").access_token == "t-p1b"


def test_an_unreadable_entry_is_ignored():
    with memory_keyring() as kr:
        kr.set_password(SERVICE, "p1:a", "not json")
        assert KeyringCredentials().load("p1", "a") is None


def test_tokens_never_show_in_repr():
    t = Tokens("secret-access", "secret-refresh")
    assert "secret" not in repr(t)


def test_no_backend_is_detected_and_memory_is_used_with_a_reason():
    # the suite runs with keyring's null backend (tests/conftest.py); the fail backend and an empty
    # chainer are "no backend" as well
    assert not keyring_status(fail.Keyring()).available
    empty_chainer = chainer.ChainerBackend()
    if not empty_chainer.backends:
        assert not keyring_status(empty_chainer).available
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        status = keyring_status()
        assert not status.available
        assert isinstance(status.reason, NoKeyring)
        assert "mật khẩu" in status.reason.text("vi")
        creds = default_credentials()
        assert isinstance(creds, MemoryCredentials)
        assert not creds.persistent
        assert creds.reason is not None
    finally:
        keyring.set_keyring(previous)


def test_a_real_backend_is_used_when_there_is_one():
    with memory_keyring():
        assert keyring_status().available
        creds = default_credentials()
        assert isinstance(creds, KeyringCredentials)
        assert creds.persistent


def test_memory_credentials():
    creds = MemoryCredentials()
    creds.save("p", "u", Tokens("a", "r"))
    assert creds.load("p", "u") == Tokens("a", "r")
    creds.delete("p", "u")
    assert creds.load("p", "u") is None


def test_tokens_never_reach_the_database(data_dir):
    """Saving tokens leaves no trace of them in the profile's SQLite file; settings refuse them."""
    from dttsclient.store import ForbiddenSetting

    with memory_keyring(), Store.open(data_dir) as store:
        KeyringCredentials().save(store.settings.device_id, "u", Tokens("TOKEN-XYZ-123", "REFRESH-XYZ-456"))
        with pytest.raises(ForbiddenSetting):
            store.settings.set_setting("sync.access_token", "x")
    raw = (data_dir / "profile.sqlite").read_bytes()
    assert b"TOKEN-XYZ-123" not in raw and b"REFRESH-XYZ-456" not in raw


def test_memory_keyring_is_a_keyring_backend():
    assert issubclass(MemoryKeyring, keyring.backend.KeyringBackend)
