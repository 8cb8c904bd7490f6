"""Swing warnings on the hub (issue 16 item 2), SQLite and PostgreSQL: the hub finds the same swings as the
client with the same core code, against the previous period's head values it holds; a reason given by the
officer is stored with the warning, a swing without one is recorded with an empty reason (never refused),
and the reviewer sees both."""

from __future__ import annotations

from tests.support.hubfixture import COMMUNE_A, DEFAULT_PASSWORD, TIMEOUT, good_values, make_submission


def send(session, hub, docs) -> list[dict]:
    r = session.post(
        hub.api + "/submissions:batch", json={"device_id": "d1", "submissions": docs}, timeout=TIMEOUT
    )
    assert r.status_code == 200, r.text
    return r.json()["results"]


def full(hub, period: str) -> dict:
    reviewer = hub.session("reviewer_x", DEFAULT_PASSWORD, device_id="province-pc")
    r = reviewer.get(hub.api + f"/reports/{COMMUNE_A}/BM01/{period}", timeout=TIMEOUT)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_swing_is_stored_with_its_reason_or_an_empty_one(people):
    hub = people
    officer = hub.session("officer_a", DEFAULT_PASSWORD)
    [first] = send(officer, hub, [make_submission(good_values(), period="2025")])  # 0102 = 80
    assert first["status"] in ("accepted", "late"), first
    swung = {**good_values(), ("0102", ""): "200", ("0101", "eth=02|sex=F"): "400"}  # +150%, +233%
    reason = [{"rule": "swing", "option": "", "indicator": "0102", "disagg": "", "reason": "Sáp nhập thôn"}]
    [second] = send(officer, hub, [make_submission(swung, period="2026", warnings=reason)])
    assert second["status"] == "accepted", second
    warnings = {
        (w["indicator"], w["disagg"]): w for w in full(hub, "2026")["warnings"] if w["rule"] == "swing"
    }
    assert set(warnings) == {("0102", ""), ("0101", "eth=02|sex=F")}
    assert warnings[("0102", "")]["reason"] == "Sáp nhập thôn"
    assert "200" in warnings[("0102", "")]["message_vi"] and "80" in warnings[("0102", "")]["message_vi"]
    assert warnings[("0101", "eth=02|sex=F")]["reason"] == ""  # the PC did not see it: recorded, not refused


def test_no_previous_period_no_swing(people):
    hub = people
    officer = hub.session("officer_a", DEFAULT_PASSWORD)
    [res] = send(officer, hub, [make_submission({**good_values(), ("0102", ""): "200"}, period="2026")])
    assert res["status"] == "accepted", res
    assert not [w for w in full(hub, "2026")["warnings"] if w["rule"] == "swing"]
