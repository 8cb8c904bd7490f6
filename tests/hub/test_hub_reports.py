"""Revisions of a report: conflicts, own offline chains, late data, reviews and the changes feed."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.support.hubfixture import COMMUNE_A, COMMUNE_B, TIMEOUT, good_values, make_submission, start_hub


def send(session, hub, docs: list[dict], device_id: str = "device-1") -> list[dict]:
    body = {"device_id": device_id, "app_version": "0.1.0", "submissions": docs}
    r = session.post(hub.api + "/submissions:batch", json=body, timeout=TIMEOUT)
    assert r.status_code == 200, r.text
    return r.json()["results"]


def pull(session, hub, cursor: str | None = None, **params) -> dict:
    if cursor:
        params["since"] = cursor
    r = session.get(hub.api + "/changes", params=params, timeout=TIMEOUT)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["server_id"] == hub.server_id
    return doc


def with_households(n: int) -> dict:
    values = dict(good_values())
    values[("0102", "")] = str(n)
    return values


def report_of(doc: dict, unit: str = COMMUNE_A) -> dict:
    [rep] = [r for r in doc["reports"] if r["unit"] == unit and r["form"] == "BM01" and r["period"] == "2026"]
    return rep


@pytest.fixture
def officer(people):
    return people.session("officer_a")


@pytest.fixture
def reviewer(people):
    return people.session("reviewer_x", device_id="province-pc")


def test_conflict_after_a_reviewer_action_keeps_both_versions(people, officer, reviewer):
    rev1 = make_submission(with_households(80))
    assert send(officer, people, [rev1])[0]["server_revision"] == 1
    r = people.review(reviewer, "return", "Kiểm tra lại số hộ", expect=None)
    assert r.status_code == 200 and r.json()["report"]["server_revision"] == 2
    # the officer edits offline without having pulled the review
    rev2 = make_submission(
        with_households(90), revision_no=2, supersedes=rev1["submission_id"], base_server_revision=1
    )
    [res] = send(officer, people, [rev2])
    assert res["status"] == "conflict"
    assert res["receipt_no"] and res["server_revision"] == 2
    rep = report_of(pull(officer, people))
    assert rep["status"] == "conflict" and rep["conflict"] is True
    assert rep["server_revision"] == 2
    assert {"code": "0102", "disagg": "", "value": "80"} in rep["values"]  # the head did not move
    status = officer.post(
        people.api + "/submissions:status", json={"ids": [rev2["submission_id"]]}, timeout=TIMEOUT
    )
    assert status.json()["results"][0]["status"] == "conflict"
    # the reviewer settles it by taking the officer's new version
    r = people.review(reviewer, "accept", "Đã đối chiếu", submission_id=rev2["submission_id"], expect=None)
    assert r.status_code == 200
    settled = r.json()["report"]
    assert (
        settled["server_revision"] == 3 and settled["status"] == "accepted" and settled["conflict"] is False
    )
    assert {"code": "0102", "disagg": "", "value": "90"} in settled["values"]
    assert settled["submission_id"] == rev2["submission_id"]


def test_own_offline_chain_is_not_a_conflict(people, officer):
    rev1 = make_submission(with_households(80))
    rev2 = make_submission(with_households(81), revision_no=2, supersedes=rev1["submission_id"])
    assert send(officer, people, [rev1])[0]["status"] == "accepted"
    [res] = send(officer, people, [rev2])
    assert res["status"] == "accepted" and res["server_revision"] == 2
    # and in one batch
    rev3 = make_submission(with_households(82), revision_no=3, supersedes=rev2["submission_id"])
    rev4 = make_submission(with_households(83), revision_no=4, supersedes=rev3["submission_id"])
    assert [(r["status"], r["server_revision"]) for r in send(officer, people, [rev3, rev4])] == [
        ("accepted", 3),
        ("accepted", 4),
    ]
    assert {"code": "0102", "disagg": "", "value": "83"} in report_of(pull(officer, people))["values"]


def test_chain_with_a_revision_never_sent_is_not_a_conflict(people, officer):
    rev1 = make_submission(with_households(80))
    send(officer, people, [rev1])
    # rev2 was superseded on the PC before it was sent: rev3 supersedes an ID the hub never saw
    rev3 = make_submission(with_households(85), revision_no=3, supersedes="never-sent-rev2")
    [res] = send(officer, people, [rev3])
    assert res["status"] == "accepted" and res["server_revision"] == 2


def test_another_device_is_a_conflict_unless_it_started_from_the_latest(people, officer):
    send(officer, people, [make_submission(with_households(80))], device_id="pc-office")
    [res] = send(officer, people, [make_submission(with_households(70))], device_id="laptop")
    assert res["status"] == "conflict"
    [res] = send(
        officer, people, [make_submission(with_households(75), base_server_revision=1)], device_id="laptop"
    )
    assert res["status"] == "accepted" and res["server_revision"] == 2
    rep = report_of(pull(officer, people))
    assert rep["status"] == "conflict"  # the earlier conflicting version still waits for the reviewer
    assert {"code": "0102", "disagg": "", "value": "75"} in rep["values"]


def test_older_revision_arriving_after_a_newer_one_does_not_move_the_head(people, officer):
    rev1 = make_submission(with_households(80))
    rev2 = make_submission(with_households(81), revision_no=2, supersedes=rev1["submission_id"])
    assert send(officer, people, [rev2])[0]["server_revision"] == 1
    [res] = send(officer, people, [rev1])
    assert res["status"] == "accepted" and res["server_revision"] == 1
    rep = report_of(pull(officer, people))
    assert rep["server_revision"] == 1 and rep["submission_id"] == rev2["submission_id"]


def test_late_submission_with_an_injected_clock(people):
    # BM01 2026: the period ends 31/12/2026, deadline 30 days later = 30/01/2027 (Vietnam time)
    people.clock.set(datetime(2027, 1, 30, 16, 59, 59, tzinfo=timezone.utc))  # 23:59:59 in Vietnam
    officer = people.session("officer_a")
    reviewer = people.session("reviewer_x", device_id="province-pc")
    [res] = send(officer, people, [make_submission(good_values())])
    assert res["status"] == "accepted"
    people.clock.set(datetime(2027, 1, 30, 17, 0, 1, tzinfo=timezone.utc))  # 31/01 00:00:01 in Vietnam
    late_sub = make_submission(with_households(81), base_server_revision=1)
    [res] = send(officer, people, [late_sub])
    assert res["status"] == "late"
    assert res["receipt_no"].startswith(f"{COMMUNE_A}-27-") and res["server_revision"] == 2
    # A resend is a duplicate that still says it was late, so the client keeps showing "late".
    [again] = send(officer, people, [late_sub])
    assert (again["status"], again["original_status"], again["receipt_no"]) == (
        "duplicate",
        "late",
        res["receipt_no"],
    )
    rep = report_of(pull(officer, people))
    assert rep["status"] == "late" and rep["late"] is True
    r = people.review(reviewer, "accept", "Chấp nhận nộp muộn", expect=None)
    assert r.json()["report"]["status"] == "accepted" and r.json()["report"]["server_revision"] == 3


def test_review_reaches_the_officer_through_changes(people, officer, reviewer):
    send(officer, people, [make_submission(good_values())])
    first = pull(officer, people)
    assert report_of(first)["review"] == {"state": None, "comment": None, "by": None, "at": None}
    assert pull(officer, people, first["cursor"])["reports"] == []
    r = people.review(reviewer, "return", "Số hộ nghèo chưa khớp với danh sách", expect=None)
    assert r.status_code == 200 and r.json()["server_id"] == people.server_id
    later = pull(officer, people, first["cursor"])
    rep = report_of(later)
    assert rep["server_revision"] == 2 and rep["status"] == "returned"
    assert rep["review"]["state"] == "returned"
    assert rep["review"]["comment"] == "Số hộ nghèo chưa khớp với danh sách"
    assert rep["review"]["by"] == "reviewer_x" and rep["review"]["at"]
    assert rep["receipt_no"].startswith(COMMUNE_A)
    # a new submission from the returned revision is accepted and clears the review state
    [res] = send(
        officer, people, [make_submission(with_households(79), revision_no=2, base_server_revision=2)]
    )
    assert res["status"] == "accepted" and res["server_revision"] == 3
    rep = report_of(pull(officer, people, later["cursor"]))
    assert rep["status"] == "submitted" and rep["review"]["state"] is None


def test_review_errors(people, reviewer):
    assert people.review(reviewer, "approve", expect=None).status_code == 400
    r = people.review(reviewer, "accept", expect=None)
    assert r.status_code == 404 and r.json()["error"]["code"] == "no_report"
    r = reviewer.post(people.api + "/reviews", json={"unit": COMMUNE_A}, timeout=TIMEOUT)
    assert r.status_code == 400


def test_changes_cursor_and_paging(tmp_path, db_url):
    from tests.support.hubfixture import TEST_NOW

    with start_hub(tmp_path, db_url, clock=TEST_NOW, changes_page_size=2) as hub:
        hub.publish_catalog()
        hub.add_user("officer_a")
        s = hub.session("officer_a")
        docs = [make_submission(good_values(), period=str(2026 + i)) for i in range(5)]
        send(s, hub, docs)
        # the feed as another PC of the commune sees it (the sender's own revisions are not echoed to it)
        s = hub.session("officer_a", device_id="device-2")
        seen, cursor, pages = [], None, 0
        while True:
            page = pull(s, hub, cursor)
            pages += 1
            assert len(page["reports"]) <= 2
            seen += [r["period"] for r in page["reports"]]
            cursor = page["cursor"]
            if not page["more"]:
                break
        assert pages == 3 and seen == ["2026", "2027", "2028", "2029", "2030"]
        assert pull(s, hub, cursor) == {
            "server_id": hub.server_id,
            "generation": hub.hub.generation,
            "reset": False,
            "cursor": cursor,
            "reports": [],
            "more": False,
        }
        # one report changes on the first PC: only it comes back to this one
        first = hub.session("officer_a")
        [res] = send(first, hub, [make_submission(with_households(70), period="2027", base_server_revision=1)])
        assert res["server_revision"] == 2
        page = pull(s, hub, cursor)
        assert [(r["period"], r["server_revision"]) for r in page["reports"]] == [("2027", 2)]
        assert page["cursor"] != cursor
        # a smaller page on request
        assert len(pull(s, hub, None, limit="1")["reports"]) == 1
        r = s.get(hub.api + "/changes", params={"since": "not-a-cursor"}, timeout=TIMEOUT)
        assert r.status_code == 400 and r.json()["error"]["code"] == "bad_cursor"


def test_receipts_count_per_commune(people):
    a = people.session("officer_a")
    b = people.session("officer_b", device_id="device-b")
    r1 = send(a, people, [make_submission(good_values())])[0]["receipt_no"]
    r2 = send(a, people, [make_submission(good_values(), period="2027")])[0]["receipt_no"]
    r3 = send(b, people, [make_submission(good_values(), unit=COMMUNE_B)], device_id="device-b")[0][
        "receipt_no"
    ]
    assert (r1, r2, r3) == (f"{COMMUNE_A}-27-0001", f"{COMMUNE_A}-27-0002", f"{COMMUNE_B}-27-0001")


def test_new_pc_gets_its_history_back(people, officer):
    send(officer, people, [make_submission(good_values(), period=p) for p in ("2026", "2027")])
    fresh = people.session("officer_a", device_id="new-pc")
    doc = pull(fresh, people)
    assert sorted(r["period"] for r in doc["reports"]) == ["2026", "2027"]
    assert all(r["values"] and r["eth_rows"] == ["02", "08"] for r in doc["reports"])
