"""Courier bundles: what goes in, what the hub reads, and the journey USB → hub → next sync."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from dttsclient.store import Store
from dttsclient.usb.backup import LAST_EXPORT_KEY, export_backup
from dttsclient.usb.courier import LAST_COURIER_KEY, document_bytes, export_courier, read_courier
from dttsclient.usb.errors import BadFile, NotEnoughSpace, NothingToExport, TargetVanished
from dttshub.bundles import read_bundle
from dttshub.config import HubConfig
from tests.support.usbutil import (
    COMMUNE_A,
    FailingWriter,
    accept,
    finalize,
    free_space,
    leftovers,
    open_profile,
    refused,
)


@pytest.fixture
def store(data_dir):
    with open_profile(data_dir) as s:
        yield s


def test_bundle_holds_every_unsent_submission_exactly(store, tmp_path):
    accept(store, finalize(store, "2024"), "BN-1")  # accepted: not in the bundle
    old = finalize(store, "2025")
    rid = store.reports.report(COMMUNE_A, "BM01", "2025").id
    store.reports.set_cell(rid, "0102", "", "81", "can_bo")
    newer = store.outbox.finalize(rid, "can_bo", require_reasons=False)  # old becomes superseded
    sending = finalize(store, "2026")
    store.outbox.claim(10, 600)  # newer and 2026 are now "sending"
    queued = finalize(store, "2027")
    info = export_courier(store, tmp_path / "goi.dttsgoi")
    ids = {s["submission_id"] for s in info.submissions}
    assert ids == {newer.submission_id, sending.submission_id, queued.submission_id}
    assert old.submission_id not in ids
    with zipfile.ZipFile(info.path) as zf:
        for entry in info.submissions:
            data = zf.read(entry["file"])
            assert data == document_bytes(store.outbox.submission(entry["submission_id"]).document)
            assert json.loads(data) == store.outbox.submission(entry["submission_id"]).document
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["format"] == "dttsgoi" and manifest["commune"] == COMMUNE_A
    assert manifest["device"]["device_id"] == store.settings.device_id
    assert Counter(o.state for o in store.outbox.items()) == {
        "accepted": 1,
        "superseded": 1,
        "sending": 2,
        "queued": 1,
    }
    assert (
        store.settings.get_setting(LAST_COURIER_KEY)
        == store.settings.get_setting(LAST_EXPORT_KEY)
        == info.created_at
    )
    # The hub's own reader takes it whole.
    bundle = read_bundle(info.path.read_bytes(), HubConfig())
    assert {
        d["submission_id"] for d in bundle.documents
    } == ids and bundle.device_id == store.settings.device_id


def test_nothing_to_send_writes_nothing(store, tmp_path):
    accept(store, finalize(store, "2026"))
    with refused(NothingToExport, "nothing to put in a courier bundle"):
        export_courier(store, tmp_path / "goi.dttsgoi")
    assert not (tmp_path / "goi.dttsgoi").exists()


def test_bundle_into_a_folder_and_read_back(store, tmp_path):
    finalize(store)
    info = export_courier(store, tmp_path)
    assert info.path.parent == tmp_path and info.path.suffix == ".dttsgoi"
    again, docs = read_courier(info.path)
    assert again.sha256 == info.sha256 and len(docs) == 1


def test_damaged_bundle_is_refused(store, tmp_path):
    finalize(store)
    info = export_courier(store, tmp_path / "goi.dttsgoi")
    data = bytearray(info.path.read_bytes())
    for pos in (5, len(data) // 2, len(data) - 3):
        bad = bytearray(data)
        bad[pos] ^= 0x04
        (tmp_path / "bad.dttsgoi").write_bytes(bytes(bad))
        with pytest.raises(BadFile):
            read_courier(tmp_path / "bad.dttsgoi")


def test_full_or_pulled_stick(store, tmp_path):
    finalize(store)
    stick = tmp_path / "stick"
    stick.mkdir()
    with pytest.raises(NotEnoughSpace):
        export_courier(store, stick / "goi.dttsgoi", disk_usage=free_space(10))
    with pytest.raises(TargetVanished):
        export_courier(store, stick / "goi.dttsgoi", wrap=lambda f: FailingWriter(f, 100))
    assert list(stick.iterdir()) == [] and leftovers(stick) == []
    assert store.settings.get_setting(LAST_COURIER_KEY) is None


# -- end to end with a real hub ----------------------------------------------------------------------
@pytest.fixture
def hub(tmp_path):
    from tests.support.hubfixture import TEST_NOW, start_hub

    running = start_hub(tmp_path, clock=TEST_NOW)
    try:
        running.publish_catalog()
        running.add_user("can_bo", "officer", COMMUNE_A)
        yield running
    finally:
        running.stop()


@pytest.fixture
def logged_in(hub, tmp_path):
    from dttsclient.sync.credentials import KeyringCredentials
    from dttsclient.sync.login import login
    from tests.support.hubfixture import DEFAULT_PASSWORD
    from tests.support.memkeyring import memory_keyring
    from tests.support.syncutil import FAST

    with memory_keyring() as kr, Store.open(tmp_path / "client") as s:
        creds = KeyringCredentials()
        login(s, hub.url, "can_bo", DEFAULT_PASSWORD, creds, "PC xã", config=FAST)
        yield s, creds, kr


def _hub_cli(hub, *args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("dttshub")
    return subprocess.run(
        [str(exe), "--db", hub.db_url, "--data-dir", str(hub.data_dir), "--json", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_courier_journey_usb_hub_then_sync(hub, logged_in, tmp_path):
    """Export → the connected office uploads it (twice) → the commune's next sync settles the outbox."""
    from tests.support.syncutil import finalize as sync_finalize
    from tests.support.syncutil import hub_submissions
    from tests.support.syncutil import sync as run_sync

    store, creds, _ = logged_in
    subs = [
        sync_finalize(store, "2026"),
        sync_finalize(store, "2026Q4", {("0102", ""): "80", ("0103", ""): "12"}, form="BM02"),
    ]
    info = export_courier(store, tmp_path / "goi.dttsgoi")
    assert info.count == 2
    office = hub.session("can_bo", device_id="office-pc")
    first = office.post(hub.api + "/bundles", data=info.path.read_bytes(), timeout=30)
    assert first.status_code == 200, first.text
    assert {r["submission_id"]: r["status"] for r in first.json()["results"]} == {
        s.submission_id: "accepted" for s in subs
    }
    again = office.post(hub.api + "/bundles", data=info.path.read_bytes(), timeout=30)
    assert {r["status"] for r in again.json()["results"]} == {"duplicate"}
    cli = _hub_cli(hub, "courier", "import", str(info.path))  # the same stick at the hub's own console
    assert {r["status"] for r in json.loads(cli.stdout)["results"]} == {"duplicate"}, cli.stderr
    assert cli.returncode == 3  # nothing new stored
    assert Counter(o.state for o in store.outbox.items()) == {"queued": 2}  # the commune knows nothing yet
    result = run_sync(store, creds)
    assert not result.needs_attention
    rows = store.outbox.items()
    assert {o.state for o in rows} == {"accepted"} and all(o.receipt_no for o in rows)
    receipts = {r["submission_id"]: r["receipt_no"] for r in first.json()["results"]}
    assert {o.submission_id: o.receipt_no for o in rows} == receipts
    held = hub_submissions(hub)
    assert {s.submission_id: held[s.submission_id] for s in subs} == {s.submission_id: 1 for s in subs}


def test_backup_of_a_logged_in_profile_holds_no_credential(hub, logged_in, tmp_path):
    from tests.support.hubfixture import DEFAULT_PASSWORD
    from tests.support.syncutil import finalize as sync_finalize

    store, _, kr = logged_in
    sync_finalize(store, "2026")
    secrets = [DEFAULT_PASSWORD, *kr.passwords.values()]
    assert len(secrets) >= 2 and all(len(s) >= 8 for s in secrets)
    info = export_backup(store, tmp_path / "b.dttsbak")
    blobs = [info.path.read_bytes()]
    with zipfile.ZipFile(info.path) as zf:
        blobs += [zf.read(n) for n in zf.namelist()]
    bundle = export_courier(store, tmp_path / "g.dttsgoi")
    blobs.append(bundle.path.read_bytes())
    with zipfile.ZipFile(bundle.path) as zf:
        blobs += [zf.read(n) for n in zf.namelist()]
    for secret in secrets:
        for token_part in {secret, secret[:24], secret[-24:]}:
            needle = token_part.encode()
            assert not any(needle in blob for blob in blobs), "a credential leaked into a USB file"
