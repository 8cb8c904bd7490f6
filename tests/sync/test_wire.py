"""Bytes near the information (issue 18): compact payloads, revisions as changes, need_full, no echo.

A real hub on 127.0.0.1 behind the fault proxy, which records every request body.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from dttsclient.store import Store
from dttsclient.sync.login import login
from tests.support.hubfixture import COMMUNE_A, DEFAULT_PASSWORD, good_values
from tests.support.syncutil import FAST, REVIEWER, USER, finalize, sync


@pytest.fixture
def hub(tmp_path, db_url, hub_config):
    """The sync tests' hub, on SQLite and on PostgreSQL (``DTTS_TEST_POSTGRES_URL``)."""
    from tests.support.hubfixture import TEST_NOW, start_hub

    running = start_hub(tmp_path, db_url, clock=TEST_NOW, **hub_config)
    try:
        running.publish_catalog()
        running.add_user(USER, "officer", COMMUNE_A)
        running.add_user(REVIEWER, "reviewer", "19")
        yield running
    finally:
        running.stop()


def _items(proxy) -> list[dict]:
    return [d for e in proxy.requests_to("submissions:batch") for d in e.json_body()["submissions"]]


def _correct(store: Store, period: str = "2026", value: str = "81"):
    report = store.reports.report(COMMUNE_A, "BM01", period)
    store.reports.set_cells(report.id, [("0102", "", value)], USER)
    return store.outbox.finalize(report.id, USER)


def _head_values(hub, period: str = "2026") -> dict:
    from dttshub import db as t

    with hub.hub.db.read() as conn:
        text = conn.execute(
            sa.select(t.reports.c.values_json).where(
                t.reports.c.unit == COMMUNE_A, t.reports.c.period == period
            )
        ).scalar_one()
    return {(c["code"], c["disagg"]): c["value"] for c in json.loads(text)}


def test_a_first_revision_travels_compact_and_the_hub_keeps_the_same_values(store, creds, hub, proxy):
    sub = finalize(store)
    result = sync(store, creds)
    assert result.accepted == 1
    (item,) = _items(proxy)
    assert item["payload_version"] == 2 and "values" not in item and "change_log" not in item
    assert item["payload_sha256"] == sub.payload_sha256
    assert len(item["log"]["rows"]) == len(sub.document["change_log"])
    assert _head_values(hub) == good_values()
    with hub.hub.db.read() as conn:
        from dttshub import db as t

        stored = json.loads(
            conn.execute(
                sa.select(t.submissions.c.document).where(t.submissions.c.submission_id == sub.submission_id)
            ).scalar_one()
        )
    # the hub keeps the version 1 document: the same values and change log as finalize made
    assert stored["values"] == sub.document["values"]
    assert stored["change_log"] == sub.document["change_log"]


def test_a_one_cell_correction_travels_as_one_change_with_the_new_log_entries_only(store, creds, hub, proxy):
    first = finalize(store)
    sync(store, creds)
    proxy.reset_stats()
    second = _correct(store)
    result = sync(store, creds)
    assert result.accepted == 1 and result.receipts[0].server_revision == 2
    (item,) = _items(proxy)
    assert item["base"] == first.submission_id and "cells" not in item
    assert len(item["changes"]) == 1 and item["changes"][0][1] == "81"
    assert item["change_log_since"] == first.submission_id and len(item["log"]["rows"]) == 1
    assert _head_values(hub) == {**good_values(), ("0102", ""): "81"}
    with hub.hub.db.read() as conn:
        from dttshub import db as t

        stored = json.loads(
            conn.execute(
                sa.select(t.submissions.c.document).where(
                    t.submissions.c.submission_id == second.submission_id
                )
            ).scalar_one()
        )
    assert stored["change_log"] == second.document["change_log"]  # the hub kept the rest


def test_the_full_payload_follows_in_the_same_sync_when_the_hub_cannot_use_the_base(store, creds, hub, proxy):
    from dttshub import db as t

    first = finalize(store)
    sync(store, creds)
    # the hub's copy of the base no longer gives the stated hash after the changes (a damaged copy)
    with hub.hub.db.engine.begin() as conn:
        doc = json.loads(
            conn.execute(
                sa.select(t.submissions.c.document).where(
                    t.submissions.c.submission_id == first.submission_id
                )
            ).scalar_one()
        )
        doc["values"] = doc["values"][1:]
        conn.execute(
            t.submissions.update()
            .where(t.submissions.c.submission_id == first.submission_id)
            .values(document=json.dumps(doc))
        )
    proxy.reset_stats()
    second = _correct(store)
    result = sync(store, creds)
    assert result.accepted == 1 and not result.rejected
    items = _items(proxy)
    assert [("base" in i, "cells" in i) for i in items] == [(True, False), (False, True)]
    assert {i["submission_id"] for i in items} == {second.submission_id}
    assert _head_values(hub) == {**good_values(), ("0102", ""): "81"}
    assert [o.state for o in store.outbox.items() if o.submission_id == second.submission_id] == ["accepted"]


def test_a_hub_that_does_not_offer_compact_payloads_gets_version_1(tmp_path, creds):
    from tests.support.faultproxy import FaultProxy
    from tests.support.hubfixture import TEST_NOW, start_hub

    hub = start_hub(tmp_path / "old-hub", clock=TEST_NOW, compact_payloads=False)
    try:
        hub.publish_catalog()
        hub.add_user(USER, "officer", COMMUNE_A)
        with FaultProxy(hub.url, lifetime=120) as proxy, Store.open(tmp_path / "pc") as store:
            login(store, proxy.url, USER, DEFAULT_PASSWORD, creds, "PC xã", config=FAST)
            sub = finalize(store)
            assert sync(store, creds).accepted == 1
            (item,) = _items(proxy)
            assert item == sub.document
    finally:
        hub.stop()


def test_no_echo_own_revisions_are_not_sent_back_but_a_review_and_a_new_pc_get_them(
    tmp_path, store, creds, hub, proxy
):
    finalize(store)
    finalize(store, "2027")
    proxy.reset_stats()
    result = sync(store, creds)
    assert result.accepted == 2 and result.pulled == 0
    (page,) = proxy.requests_to("changes")
    assert page.bytes_down < 1024
    # a reviewer returns one report: that change comes down
    reviewer = hub.session(REVIEWER, device_id="reviewer-pc")
    body = {"unit": COMMUNE_A, "form": "BM01", "period": "2026", "decision": "return", "comment": "Xem lại"}
    assert reviewer.post(hub.api + "/reviews", json=body, timeout=30).status_code == 200
    again = sync(store, creds)
    assert again.pulled == 1
    # a PC installed again (a new device id) gets everything, its old device's revisions included
    with Store.open(tmp_path / "reinstalled") as fresh:
        got = login(fresh, proxy.url, USER, DEFAULT_PASSWORD, creds, "PC cài lại", config=FAST)
        assert got.pull.pulled == 2
    # … and the new device's own revision is not echoed to it, while the first PC gets it
    with Store.open(tmp_path / "reinstalled") as fresh:
        _correct(fresh, "2027", "79")
        assert sync(fresh, creds).pulled == 0
    assert sync(store, creds).pulled == 1
    assert store.reports.cells(store.reports.report(COMMUNE_A, "BM01", "2027").id)[("0102", "")] == "79"


@pytest.mark.parametrize("bad", ["index", "count", "hash"])
def test_a_damaged_compact_item_is_rejected_with_a_clear_code(store, creds, hub, bad):
    sub = finalize(store)
    from dttscore.wire import compact_document

    doc = compact_document(sub.document, store.catalogs.catalog_version(sub.catalog_id, sub.catalog_version))
    if bad == "index":
        doc["cells"] = doc["cells"] + ["1"] * 50
        code = "bad_cell_index"
    elif bad == "count":
        doc["cells"] = ["1"] * 60_000
        code = "malformed_submission"
    else:
        doc["payload_sha256"] = "0" * 64
        code = "payload_hash_mismatch"
    s = hub.session(USER)
    r = s.post(hub.api + "/submissions:batch", json={"submissions": [doc]}, timeout=30)
    assert r.status_code == 200, r.text
    (res,) = r.json()["results"]
    assert res["status"] == "rejected" and res["errors"][0]["code"] == code


def test_ping_lists_the_payload_versions_and_a_compact_batch_gets_the_short_reply(store, hub, proxy):
    import requests

    assert requests.get(hub.api + "/ping", timeout=30).json()["payload_versions"] == [1, 2]
    sub = finalize(store)
    from dttscore.wire import compact_document

    doc = compact_document(sub.document, store.catalogs.catalog_version(sub.catalog_id, sub.catalog_version))
    s = hub.session(USER)
    short = s.post(hub.api + "/submissions:batch", json={"submissions": [doc]}, timeout=30).json()
    assert set(short) == {"server_id", "results"} and "errors" not in short["results"][0]
    full = s.post(hub.api + "/submissions:batch", json={"submissions": [sub.document]}, timeout=30).json()
    assert {"batch_id", "server_time"} <= set(full) and full["results"][0]["status"] == "duplicate"
