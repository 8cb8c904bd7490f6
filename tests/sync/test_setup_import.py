"""The offline first run: a signed setup package gives the profile and the catalogue."""

from __future__ import annotations

import io
import zipfile

import pytest

from dttsclient.store import Store
from dttsclient.sync import errors
from dttsclient.sync.login import login, setup_import
from tests.support.hubfixture import COMMUNE_A, DEFAULT_PASSWORD
from tests.support.syncutil import FAST, USER, finalize, sync


def _package(hub, tmp_path, server_url: str) -> bytes:
    account = hub.hub.accounts.get_user(USER)
    data = hub.hub.setup_package(account, server_url)
    (tmp_path / "can_bo.dttssetup").write_bytes(data)
    return data


def test_setup_import_then_login_and_sync_when_a_link_exists(tmp_path, data_dir, hub, proxy, creds):
    _package(hub, tmp_path, proxy.url)
    with Store.open(data_dir) as store:
        result = setup_import(store, tmp_path / "can_bo.dttssetup")
        profile = store.settings.profile()
        assert (profile.unit, profile.username, profile.server_id) == (COMMUNE_A, USER, hub.server_id)
        assert profile.server_url == proxy.url and profile.unit_name
        assert result.catalog_added and store.catalogs.current_catalog().catalog_id == result.catalog_id
        # work offline, then log in and sync: the catalogue is not downloaded again (same ETag)
        finalize(store)
        proxy.reset_stats()
        login(store, proxy.url, USER, DEFAULT_PASSWORD, creds, "PC xã", config=FAST)
        assert all(r.status == 304 for r in proxy.requests_to("/catalog"))
        assert sync(store, creds).accepted == 1


def test_a_tampered_package_is_refused_and_nothing_changes(tmp_path, data_dir, hub):
    data = _package(hub, tmp_path, "https://dtts.example/")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "server.json":
                content = content.replace(b"https://dtts.example/", b"https://evil.example/")
            dst.writestr(info, content)
    (tmp_path / "bad.dttssetup").write_bytes(out.getvalue())
    with Store.open(data_dir) as store:
        with pytest.raises(errors.SetupImportFailed) as info:
            setup_import(store, tmp_path / "bad.dttssetup")
        assert store.settings.profile().server_url is None and store.catalogs.current_catalog() is None
    assert "gói" in info.value.text("vi").lower()


def test_a_package_of_another_hub_is_refused(tmp_path, data_dir, hub):
    _package(hub, tmp_path, "https://dtts.example/")
    with Store.open(data_dir) as store:
        store.settings.set_profile(server_id="hub-other-province")
        with pytest.raises(errors.SetupImportFailed):
            setup_import(store, tmp_path / "can_bo.dttssetup")
        store.settings.set_profile(server_id=None)
        store.settings.set_setting("sync.hub_signing_key", "A" * 43 + "=")  # pinned key of another hub
        with pytest.raises(errors.SetupImportFailed):
            setup_import(store, tmp_path / "can_bo.dttssetup")


def test_a_missing_file_is_a_plain_error(tmp_path, data_dir):
    with Store.open(data_dir) as store, pytest.raises(errors.SetupImportFailed):
        setup_import(store, tmp_path / "nothing.dttssetup")


# -- the province's list of trusted hubs (hub-keys.txt) ----------------------------------------------------
OTHER_KEY = "A" * 43 + "="  # a well-formed key of some other hub


def _keys_file(tmp_path, monkeypatch, *lines: str):
    path = tmp_path / "hub-keys.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("DTTS_HUB_KEYS_FILE", str(path))
    return path


def test_a_listed_hub_is_trusted_on_the_first_run_and_its_fingerprint_is_shown(
    tmp_path, data_dir, hub, monkeypatch
):
    from dttscore.formats.setup_package import key_fingerprint

    _keys_file(tmp_path, monkeypatch, "# Ban Dân tộc tỉnh Lào Cai", f"{hub.signing_key}  # dttshub chính")
    _package(hub, tmp_path, "https://dtts.example/")
    with Store.open(data_dir) as store:
        result = setup_import(store, tmp_path / "can_bo.dttssetup")
    assert result.key_listed is True
    assert result.key_fingerprint == key_fingerprint(hub.signing_key)


def test_a_package_from_a_hub_the_province_did_not_list_is_refused_and_nothing_changes(
    tmp_path, data_dir, hub, monkeypatch
):
    _keys_file(tmp_path, monkeypatch, OTHER_KEY)
    _package(hub, tmp_path, "https://dtts.example/")
    with Store.open(data_dir) as store:
        with pytest.raises(errors.SetupImportFailed) as info:
            setup_import(store, tmp_path / "can_bo.dttssetup")
        assert store.settings.profile().server_url is None and store.catalogs.current_catalog() is None
        assert store.settings.get_setting("sync.hub_signing_key") is None
    assert "không do máy chủ đã biết ký" in info.value.text("vi")


def test_a_damaged_keys_file_trusts_nothing_and_says_which_line(tmp_path, data_dir, hub, monkeypatch):
    path = _keys_file(tmp_path, monkeypatch, hub.signing_key, "khong-phai-khoa")
    _package(hub, tmp_path, "https://dtts.example/")
    with Store.open(data_dir) as store:
        with pytest.raises(errors.SetupImportFailed) as info:
            setup_import(store, tmp_path / "can_bo.dttssetup")
        assert store.catalogs.current_catalog() is None
    assert f"{path}" in info.value.text("vi") and "dòng 2" in info.value.text("vi")
    assert "line 2" in info.value.text("en")


def test_login_to_an_unlisted_hub_never_sends_the_password(
    tmp_path, data_dir, hub, proxy, creds, monkeypatch
):
    from dttscore.formats.setup_package import key_fingerprint

    _keys_file(tmp_path, monkeypatch, OTHER_KEY)
    proxy.reset_stats()
    with Store.open(data_dir) as store:
        with pytest.raises(errors.UntrustedServer) as info:
            login(store, proxy.url, USER, DEFAULT_PASSWORD, creds, "PC xã", config=FAST)
        assert store.settings.profile().username is None
    assert key_fingerprint(hub.signing_key) in info.value.text("vi")
    assert not proxy.requests_to("/auth/token")  # the password never left the PC
    # once the province lists the hub, the same login goes through
    _keys_file(tmp_path, monkeypatch, OTHER_KEY, hub.signing_key)
    with Store.open(data_dir) as store:
        assert login(store, proxy.url, USER, DEFAULT_PASSWORD, creds, "PC xã", config=FAST).username == USER
