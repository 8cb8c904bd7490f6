"""status() for the CLI, and the record of sync runs."""

from __future__ import annotations

import json

from dttsclient.store import OUTBOX_STATES, Store
from tests.support.store_catalog import UNIT


def test_status_of_an_empty_profile(data_dir):
    with Store.open(data_dir) as store:
        doc = store.status()
    assert doc["data_dir"] == str(data_dir)
    assert doc["database"] == str(data_dir / "profile.sqlite")
    assert doc["catalog"] is None and doc["last_sync"] is None
    assert (doc["drafts"], doc["reports"]) == (0, 0)
    assert doc["outbox"] == dict.fromkeys(OUTBOX_STATES, 0)
    json.dumps(doc)  # JSON-able as it is


def test_status_counts(store, filled):
    store.reports.report(UNIT, "BM02", "2026Q1", create=True)
    store.outbox.finalize(filled.id, "can_bo_a")
    store.sync.record_sync_run({"pushed": 1, "pulled": 0}, started_at="2026-11-21T08:00:00+00:00")
    doc = store.status()
    assert doc["catalog"] == {
        "catalog_id": "test-dtts",
        "version": 1,
        "title": "Danh mục thử nghiệm",
        "sample": True,
    }
    assert (doc["drafts"], doc["reports"]) == (1, 2)
    assert doc["outbox"]["queued"] == 1
    assert doc["profile"]["unit"] == UNIT
    assert doc["device_id"] == store.settings.device_id
    assert doc["last_sync"]["summary"] == {"pushed": 1, "pulled": 0}
    assert doc["last_sync"]["started_at"] == "2026-11-21T08:00:00+00:00"
    json.dumps(doc)


def test_last_sync_is_the_newest_run(store):
    assert store.sync.last_sync() is None
    first = store.sync.record_sync_run({"ok": False, "error": "offline"})
    second = store.sync.record_sync_run(
        {"ok": True, "started_at": "2026-11-21T09:00:00+00:00", "finished_at": "2026-11-21T09:00:05+00:00"}
    )
    assert second > first
    last = store.sync.last_sync()
    assert (last["id"], last["started_at"], last["finished_at"]) == (
        second,
        "2026-11-21T09:00:00+00:00",
        "2026-11-21T09:00:05+00:00",
    )
    assert last["summary"]["ok"] is True
