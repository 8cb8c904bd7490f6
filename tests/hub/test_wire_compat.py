"""Clients that have not updated (issue 18): the hub still takes the documents today's client makes.

The fixtures (tests/fixtures/wire_v1) were made by the client code of before the compact payload and are
frozen: a ``submissions:batch`` body of a first sync, the body of a second sync (a one-cell correction
and a new report) and a courier bundle of the same two submissions.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.hubfixture import COMMUNE_A, TIMEOUT

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wire_v1"
USER = "can_bo"


def _body(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def _session(hub, body: dict):
    hub.add_user(USER, "officer", COMMUNE_A)
    return hub.session(USER, device_id=body["device_id"])


def test_old_batches_are_accepted_and_resent_as_duplicates(hub):
    first, second = _body("batch1"), _body("batch2")
    s = _session(hub, first)
    for body in (first, second):
        r = s.post(hub.api + "/submissions:batch", json=body, timeout=TIMEOUT)
        assert r.status_code == 200, r.text
        assert [x["status"] for x in r.json()["results"]] == ["accepted"] * len(body["submissions"])
    again = s.post(hub.api + "/submissions:batch", json=second, timeout=TIMEOUT).json()["results"]
    assert [x["status"] for x in again] == ["duplicate", "duplicate"]
    feed = s.get(hub.api + "/changes", timeout=TIMEOUT).json()
    values = {r["period"]: r for r in feed["reports"]}
    assert values["2026"]["server_revision"] == 2
    cells = {(c["code"], c["disagg"]): c["value"] for c in values["2026"]["values"]}
    assert cells[("0102", "")] == "81"


def test_old_courier_bundle_is_imported_after_the_first_batch(hub):
    first = _body("batch1")
    s = _session(hub, first)
    assert s.post(hub.api + "/submissions:batch", json=first, timeout=TIMEOUT).status_code == 200
    data = (FIXTURES / "courier.dttsgoi").read_bytes()
    r = s.post(hub.api + "/bundles", data=data, timeout=TIMEOUT)
    assert r.status_code == 200, r.text
    assert [x["status"] for x in r.json()["results"]] == ["accepted", "accepted"]
    second = _body("batch2")
    again = s.post(hub.api + "/submissions:batch", json=second, timeout=TIMEOUT).json()["results"]
    assert [x["status"] for x in again] == ["duplicate", "duplicate"]
