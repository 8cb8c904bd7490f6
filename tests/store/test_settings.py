"""Settings (JSON values), the device id, the profile, and the guard against stored secrets."""

from __future__ import annotations

import uuid

import pytest

from dttsclient.store import ForbiddenSetting, Profile, Store


def test_settings_round_trip_json_values(store):
    assert store.settings.get_setting("ui.columns", default=[1]) == [1]
    store.settings.set_setting("ui.columns", {"widths": [120, 80], "name": "Lào Cai"})
    assert store.settings.get_setting("ui.columns") == {"widths": [120, 80], "name": "Lào Cai"}
    store.settings.set_setting("ui.columns", None)
    assert store.settings.get_setting("ui.columns") is None


@pytest.mark.parametrize(
    "key", ["password", "hub.Password", "access_token", "refresh-token", "client_secret"]
)
def test_secrets_are_refused(store, key):
    with pytest.raises(ForbiddenSetting) as info:
        store.settings.set_setting(key, "hunter2")
    assert "kho khoá" in info.value.message_vi and "keyring" in info.value.message_en
    assert store.settings.get_setting(key) is None


def test_device_id_is_made_once_and_kept(data_dir):
    with Store.open(data_dir) as store:
        first = store.settings.device_id
        assert str(uuid.UUID(first)) == first
    with Store.open(data_dir) as store:
        assert store.settings.device_id == first


def test_profile_fields(data_dir):
    with Store.open(data_dir) as store:
        assert store.settings.profile() == Profile()
        store.settings.set_profile(
            unit="01849", unit_name="Xã Hợp Thành", server_url="https://hub.example", lang="en"
        )
        store.settings.set_profile(lang=None)
    with Store.open(data_dir) as store:
        p = store.settings.profile()
    assert (p.unit, p.unit_name, p.server_url, p.lang) == (
        "01849",
        "Xã Hợp Thành",
        "https://hub.example",
        None,
    )


def test_profile_has_no_field_for_secrets(store):
    with pytest.raises(TypeError):
        store.settings.set_profile(password="x")
    assert store.settings.get_setting("profile.password") is None
