"""The endpoints of docs/sync-protocol.md over real HTTP: happy paths, statuses of a batch, limits, gzip, versions."""

from __future__ import annotations

import gzip
import json
import re

import pytest
import requests

from dttscore.catalog import catalog_from_json
from tests.support.hubfixture import (
    COMMUNE_A,
    TEST_NOW,
    TIMEOUT,
    good_values,
    make_submission,
    small_catalog,
    start_hub,
)


def batch(session: requests.Session, hub, docs: list[dict], **kw) -> requests.Response:
    body = {"device_id": "device-1", "app_version": "0.1.0", "submissions": docs}
    return session.post(hub.api + "/submissions:batch", json=body, timeout=TIMEOUT, **kw)


def results(resp: requests.Response) -> list[dict]:
    assert resp.status_code == 200, resp.text
    assert resp.headers["Content-Type"].startswith("application/json")
    return resp.json()["results"]


@pytest.fixture
def officer(people):
    return people.session("officer_a")


def test_ping_names_the_hub_and_its_key(hub):
    r = requests.get(hub.api + "/ping", timeout=TIMEOUT)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json"
    doc = r.json()
    assert doc["server_id"] == hub.server_id and doc["server_id"].startswith("hub-")
    assert doc["api_version"] == "1"
    assert doc["environment"] == "test"
    assert doc["min_client_version"] == "0.1.0"
    assert doc["signing_key"] == hub.signing_key
    assert re.match(r"\d{4}-\d\d-\d\dT", doc["server_time"])


def test_server_id_survives_a_restart(tmp_path):
    with start_hub(tmp_path) as first:
        server_id, key = first.server_id, first.signing_key
    with start_hub(tmp_path) as second:
        assert second.server_id == server_id
        assert second.signing_key == key


def test_login_gives_tokens_and_the_account(people):
    doc = people.login("officer_a")
    assert doc["server_id"] == people.server_id
    assert doc["access_token"] and doc["refresh_token"] and doc["access_token"] != doc["refresh_token"]
    assert doc["expires_in"] == 3600
    account = doc["account"]
    assert account["username"] == "officer_a" and account["role"] == "officer"
    assert account["units"] == [COMMUNE_A]
    assert account["unit_details"][0]["name"] == "Xã Phong Quang"
    devices = people.hub.accounts.devices("officer_a")
    assert [d["device_id"] for d in devices] == ["device-1"]
    assert devices[0]["device_name"] == "PC xã"


def test_tokens_are_stored_hashed(people):
    doc = people.login("officer_a")
    import sqlalchemy as sa

    from dttshub import db as t

    with people.hub.db.read() as conn:
        stored = conn.execute(sa.select(t.tokens.c.token_hash)).scalars().all()
        hashes = conn.execute(sa.select(t.users.c.password_hash)).scalars().all()
    assert doc["access_token"] not in stored and doc["refresh_token"] not in stored
    assert all(len(h) == 64 for h in stored)
    assert all(h.startswith("$argon2id$") for h in hashes)


def test_catalog_etag_and_304(officer, hub):
    r = officer.get(hub.api + "/catalog", timeout=TIMEOUT)
    assert r.status_code == 200
    etag = r.headers["ETag"]
    doc = r.json()
    assert doc["server_id"] == hub.server_id and doc["etag"] == etag
    assert catalog_from_json(doc["catalog"]).catalog_id == "test-dtts"
    r2 = officer.get(hub.api + "/catalog", headers={"If-None-Match": etag}, timeout=TIMEOUT)
    assert r2.status_code == 304 and r2.content == b""
    assert r2.headers["ETag"] == etag
    r3 = officer.get(hub.api + "/catalog", headers={"If-None-Match": '"old"'}, timeout=TIMEOUT)
    assert r3.status_code == 200
    # a new version changes the ETag, and the old version stays available
    hub.publish_catalog(small_catalog(version=2))
    r4 = officer.get(hub.api + "/catalog", headers={"If-None-Match": etag}, timeout=TIMEOUT)
    assert r4.status_code == 200 and r4.headers["ETag"] != etag and r4.json()["version"] == 2
    r5 = officer.get(
        hub.api + "/catalog", params={"catalog_id": "test-dtts", "version": "1"}, timeout=TIMEOUT
    )
    assert r5.status_code == 200 and r5.headers["ETag"] == etag


def test_batch_accepts_and_issues_a_receipt(officer, hub):
    doc = make_submission(
        good_values(),
        comments=[{"code": "0102", "disagg": "", "text": "Đã kiểm tra", "author": "a", "at": "x"}],
    )
    [res] = results(batch(officer, hub, [doc]))
    assert res["submission_id"] == doc["submission_id"]
    assert res["status"] == "accepted"
    assert re.fullmatch(r"01849-\d\d-0001", res["receipt_no"])
    assert res["server_revision"] == 1
    assert res["errors"] == []
    assert res["received_at"]


def test_batch_results_follow_each_item(officer, hub):
    good = make_submission(good_values())
    bad_values = dict(good_values())
    bad_values[("0103", "")] = "500"  # R01: poor households cannot exceed households
    bad = make_submission(bad_values, form="BM01", period="2027")
    other = make_submission({("0102", ""): "5", ("0103", ""): "1"}, form="BM02", period="2026Q4", eth_rows=[])
    res = results(batch(officer, hub, [good, bad, other]))
    assert [r["status"] for r in res] == ["accepted", "rejected", "accepted"]
    assert res[0]["receipt_no"] != res[2]["receipt_no"]
    assert res[1]["receipt_no"] is None


def test_duplicate_returns_the_original_receipt(officer, hub):
    doc = make_submission(good_values())
    [first] = results(batch(officer, hub, [doc]))
    [again] = results(batch(officer, hub, [doc]))
    assert again["status"] == "duplicate"
    assert again["receipt_no"] == first["receipt_no"]
    assert again["server_revision"] == first["server_revision"]
    assert again["received_at"] == first["received_at"]
    assert len(hub.hub.reports(hub.hub.accounts.get_user("officer_a"))) == 1


def test_submission_id_reused_with_other_values_is_rejected(officer, hub):
    doc = make_submission(good_values())
    results(batch(officer, hub, [doc]))
    values = dict(good_values())
    values[("0102", "")] = "81"
    reuse = make_submission(values, submission_id=doc["submission_id"])
    [res] = results(batch(officer, hub, [reuse]))
    assert res["status"] == "rejected"
    assert res["errors"][0]["code"] == "submission_id_reused"
    assert res["errors"][0]["message_vi"] and res["errors"][0]["message_en"]


def test_payload_hash_mismatch_is_rejected(officer, hub):
    doc = make_submission(good_values())
    doc["values"][0]["value"] = "121"  # altered after the hash was computed
    [res] = results(batch(officer, hub, [doc]))
    assert res["status"] == "rejected"
    assert res["errors"][0]["code"] == "payload_hash_mismatch"
    assert (
        results(
            officer.post(
                hub.api + "/submissions:status", json={"ids": [doc["submission_id"]]}, timeout=TIMEOUT
            )
        )[0]["status"]
        == "unknown"
    )


def test_validation_failure_is_rejected_with_messages(officer, hub):
    values = dict(good_values())
    values[("0103", "")] = "500"
    values[("0201", "")] = "150"  # over max 100
    [res] = results(batch(officer, hub, [make_submission(values)]))
    assert res["status"] == "rejected"
    codes = {(e["code"], e["indicator"]) for e in res["errors"]}
    assert ("R01", "0103") in codes
    assert ("max", "0201") in codes
    for e in res["errors"]:
        assert set(e) >= {"code", "indicator", "disagg", "message_vi", "message_en"}
    r01 = next(e for e in res["errors"] if e["code"] == "R01")
    assert r01["message_vi"] == "Số hộ nghèo không được lớn hơn số hộ."


def test_missing_required_value_and_bad_cells_are_rejected(officer, hub):
    values = {("0102", ""): "5"}  # 0101 is required
    [res] = results(batch(officer, hub, [make_submission(values)]))
    assert res["status"] == "rejected" and res["errors"][0]["code"] == "required"
    values = dict(good_values())
    values[("0101", "eth=77|sex=F")] = "3"  # not an ethnic group
    values[("0102", "sex=F")] = "3"  # 0102 is not disaggregated
    [res] = results(batch(officer, hub, [make_submission(values)]))
    assert res["status"] == "rejected"
    assert {e["disagg"] for e in res["errors"] if e["code"] == "bad_disagg"} == {"eth=77|sex=F", "sex=F"}
    values = dict(good_values())
    values[("9999", "")] = "1"
    [res] = results(batch(officer, hub, [make_submission(values)]))
    assert res["errors"][0]["code"] == "unknown_indicator" and res["errors"][0]["indicator"] == "9999"


def test_unknown_catalogue_form_or_period_is_rejected(officer, hub):
    docs = [
        make_submission(good_values(), catalog_version=9),
        make_submission(good_values(), catalog_id="other"),
        make_submission(good_values(), form="BM99"),
        make_submission(good_values(), period="2026Q1"),
    ]
    res = results(batch(officer, hub, docs))
    assert [r["status"] for r in res] == ["rejected"] * 4
    assert [r["errors"][0]["code"] for r in res] == [
        "unknown_catalog",
        "unknown_catalog",
        "unknown_form",
        "bad_period",
    ]


def test_warning_needs_a_reason(officer, hub):
    values = dict(good_values())
    values[("0201", "")] = "5"  # R02 warning: below 10
    [res] = results(batch(officer, hub, [make_submission(values)]))
    assert res["status"] == "rejected"
    assert res["errors"][0]["code"] == "warning_without_reason"
    reason = [{"rule": "R02", "option": "", "reason": "Xã mới có điện lưới từ tháng 10."}]
    [res] = results(batch(officer, hub, [make_submission(values, warnings=reason)]))
    assert res["status"] == "accepted"
    import sqlalchemy as sa

    from dttshub import db as t

    with hub.hub.db.read() as conn:
        stored = conn.execute(sa.select(t.submissions.c.warnings_json)).scalar_one()
    assert json.loads(stored)[0]["reason"] == "Xã mới có điện lưới từ tháng 10."


def test_malformed_items_are_rejected_but_the_batch_goes_on(officer, hub):
    doc = make_submission(good_values())
    broken = dict(make_submission(good_values(), period="2028"))
    broken["revision_no"] = "two"
    res = results(batch(officer, hub, [broken, doc]))
    assert [r["status"] for r in res] == ["rejected", "accepted"]
    assert res[0]["errors"][0]["code"] == "malformed_submission"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        json.dumps({"submissions": "x"}).encode(),
        json.dumps({"submissions": [{"a": 1}]}).encode(),
    ],
)
def test_malformed_batch_is_400_with_server_id(officer, hub, body):
    r = officer.post(
        hub.api + "/submissions:batch",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=TIMEOUT,
    )
    assert r.status_code == 400
    doc = r.json()
    assert doc["server_id"] == hub.server_id
    assert set(doc["error"]) >= {"code", "message_vi", "message_en"}


def test_status_gives_stored_results_or_unknown(officer, hub):
    doc = make_submission(good_values())
    [res] = results(batch(officer, hub, [doc]))
    r = officer.post(
        hub.api + "/submissions:status", json={"ids": [doc["submission_id"], "never-sent"]}, timeout=TIMEOUT
    )
    got = results(r)
    assert got[0]["status"] == "accepted" and got[0]["receipt_no"] == res["receipt_no"]
    assert got[1] == {
        "submission_id": "never-sent",
        "status": "unknown",
        "receipt_no": None,
        "server_revision": None,
        "received_at": None,
        "errors": [],
    }


def test_request_over_the_size_limit_is_413(tmp_path, db_url):
    with start_hub(tmp_path, db_url, clock=TEST_NOW, max_request_bytes=4096) as hub:
        hub.publish_catalog()
        hub.add_user("officer_a")
        s = hub.session("officer_a")
        docs = [make_submission(good_values(), period=str(2026 + i)) for i in range(10)]
        r = batch(s, hub, docs)
        assert r.status_code == 413
        assert r.json()["server_id"] == hub.server_id and r.json()["error"]["code"] == "too_large"
        # halving until it fits, as the client does
        r = batch(s, hub, docs[:1])
        assert results(r)[0]["status"] == "accepted"


def test_too_many_items_is_413(tmp_path):
    with start_hub(tmp_path, clock=TEST_NOW, max_batch_items=2) as hub:
        hub.publish_catalog()
        hub.add_user("officer_a")
        s = hub.session("officer_a")
        docs = [make_submission(good_values(), period=str(2026 + i)) for i in range(3)]
        assert batch(s, hub, docs).status_code == 413
        assert [r["status"] for r in results(batch(s, hub, docs[:2]))] == ["accepted", "accepted"]


def test_gzip_bodies_are_accepted(officer, hub):
    docs = [make_submission(good_values(), period=str(2026 + i)) for i in range(3)]
    body = gzip.compress(json.dumps({"device_id": "device-1", "submissions": docs}).encode())
    r = officer.post(
        hub.api + "/submissions:batch",
        data=body,
        headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
        timeout=TIMEOUT,
    )
    assert [x["status"] for x in results(r)] == ["accepted"] * 3


def test_gzip_bomb_is_refused(tmp_path):
    with start_hub(tmp_path, max_decompressed_bytes=1_000_000) as hub:
        hub.add_user("officer_a")
        s = hub.session("officer_a")
        bomb = gzip.compress(b'{"submissions": [' + b" " * 50_000_000 + b"]}", compresslevel=9)
        assert len(bomb) < 100_000
        r = s.post(
            hub.api + "/submissions:batch", data=bomb, headers={"Content-Encoding": "gzip"}, timeout=TIMEOUT
        )
        assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
        r = s.post(
            hub.api + "/submissions:batch",
            data=b"\x1f\x8b garbage",
            headers={"Content-Encoding": "gzip"},
            timeout=TIMEOUT,
        )
        assert r.status_code == 400 and r.json()["error"]["code"] == "bad_gzip"


def test_old_client_gets_426(tmp_path):
    with start_hub(tmp_path, min_client_version="0.3.0") as hub:
        old = requests.get(hub.api + "/ping", headers={"User-Agent": "dttsclient/0.2.9"}, timeout=TIMEOUT)
        assert old.status_code == 426
        assert old.json()["min_client_version"] == "0.3.0" and old.json()["server_id"] == hub.server_id
        assert old.json()["error"]["code"] == "client_too_old"
        assert (
            requests.get(
                hub.api + "/ping", headers={"User-Agent": "dttsclient/0.3.0"}, timeout=TIMEOUT
            ).status_code
            == 200
        )
        assert (
            requests.get(
                hub.api + "/ping", headers={"User-Agent": "dttsclient/0.10.1"}, timeout=TIMEOUT
            ).status_code
            == 200
        )
        hub.add_user("officer_a")
        r = requests.post(
            hub.api + "/auth/token",
            json={"username": "officer_a", "password": "x" * 9, "device_id": "d"},
            headers={"User-Agent": "dttsclient/0.1.0"},
            timeout=TIMEOUT,
        )
        assert r.status_code == 426


@pytest.mark.parametrize(
    "agent, status",
    [("0.10.2rc1", 426), ("0.10.2.dev3", 426), ("0.10.1", 426), ("0.10.2", 200), ("0.10.2.post1", 200)],
)
def test_pre_and_post_releases_are_compared_by_pep_440(tmp_path, agent, status):
    with start_hub(tmp_path, min_client_version="0.10.2") as hub:
        r = requests.get(hub.api + "/ping", headers={"User-Agent": f"dttsclient/{agent}"}, timeout=TIMEOUT)
        assert r.status_code == status


def test_unknown_route_is_json_404(hub):
    r = requests.get(hub.api + "/nothing-here", timeout=TIMEOUT)
    assert r.status_code == 404
    assert r.json()["server_id"] == hub.server_id and r.json()["error"]["code"] == "not_found"
    r = requests.get(hub.api + "/submissions:batch", timeout=TIMEOUT)
    assert r.status_code == 405 and r.json()["server_id"] == hub.server_id
