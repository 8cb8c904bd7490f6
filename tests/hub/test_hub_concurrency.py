"""Many devices at once: one transaction per submission, no lost revision, no 500, a broken database is
a JSON 500 with server_id (never an HTML page)."""

from __future__ import annotations

import threading

import pytest
import requests

from tests.support.hubfixture import TIMEOUT, good_values, make_submission


def _post(hub, token: str, docs: list[dict], device: str, out: list, lock: threading.Lock) -> None:
    with requests.Session() as s:
        r = s.post(
            hub.api + "/submissions:batch",
            json={"device_id": device, "submissions": docs},
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT,
        )
    with lock:
        out.append(r)


def _run_parallel(hub, token: str, jobs: list[tuple[list[dict], str]]) -> list[requests.Response]:
    out: list[requests.Response] = []
    lock = threading.Lock()
    threads = [threading.Thread(target=_post, args=(hub, token, docs, dev, out, lock)) for docs, dev in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT * 2)
    assert len(out) == len(jobs)
    return out


def test_devices_racing_on_one_report(people):
    token = people.login("officer_a")["access_token"]
    jobs = [([make_submission(good_values())], f"pc-{i}") for i in range(8)]
    replies = _run_parallel(people, token, jobs)
    assert all(r.status_code == 200 for r in replies), [r.text for r in replies if r.status_code != 200]
    results = [r.json()["results"][0] for r in replies]
    statuses = sorted(x["status"] for x in results)
    assert statuses == ["accepted"] + ["conflict"] * 7  # the first wins, the others are kept for review
    assert len({x["receipt_no"] for x in results}) == 8
    rows = people.hub.reports(people.hub.accounts.get_user("admin_all"))
    assert [(r["server_revision"], r["status"], r["submissions"]) for r in rows] == [(1, "conflict", 8)]


def test_the_same_submission_sent_twice_at_once(people):
    token = people.login("officer_a")["access_token"]
    doc = make_submission(good_values())
    replies = _run_parallel(people, token, [([doc], "pc-1") for _ in range(6)])
    results = [r.json()["results"][0] for r in replies]
    assert sorted(x["status"] for x in results) == ["accepted"] + ["duplicate"] * 5
    assert len({x["receipt_no"] for x in results}) == 1


def test_many_reports_at_once_keep_a_gapless_change_feed(people):
    token = people.login("officer_a")["access_token"]
    jobs = [([make_submission(good_values(), period=str(2026 + i))], "pc-1") for i in range(10)]
    assert all(r.status_code == 200 for r in _run_parallel(people, token, jobs))
    s = people.session("officer_a")
    doc = s.get(people.api + "/changes", timeout=TIMEOUT).json()
    assert sorted(r["period"] for r in doc["reports"]) == [str(2026 + i) for i in range(10)]
    receipts = sorted(r["receipt_no"] for r in doc["reports"])
    assert receipts == [f"01849-27-{n:04d}" for n in range(1, 11)]


def test_a_broken_database_gives_a_json_500(people):
    s = people.session("officer_a")
    with people.hub.db.begin() as conn:
        conn.exec_driver_sql("DROP TABLE revisions")
    r = s.post(
        people.api + "/submissions:batch",
        json={"submissions": [make_submission(good_values())]},
        timeout=TIMEOUT,
    )
    assert r.status_code == 500
    assert r.headers["Content-Type"] == "application/json"
    assert r.json()["server_id"] == people.server_id and r.json()["error"]["code"] == "internal_error"


def test_a_database_connection_killed_mid_batch_loses_nothing_and_stores_nothing_twice(people):
    """PostgreSQL ends the hub's session while the 2nd item of a batch is being stored (a restarted or
    failed-over database): that item's transaction is gone; the hub reconnects and stores it and the rest."""
    if people.hub.db.dialect != "postgresql":
        pytest.skip("a server-side session kill needs PostgreSQL")
    docs = [make_submission(good_values(), period=str(2001 + i)) for i in range(4)]
    victim = docs[1]["submission_id"]
    with people.hub.db.begin() as conn:
        # The backend kills itself once, while inserting the victim (a sequence is not rolled back).
        conn.exec_driver_sql("CREATE SEQUENCE die_once")
        conn.exec_driver_sql(
            "CREATE FUNCTION die_mid_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF NEW.submission_id = '{victim}' AND nextval('die_once') = 1 THEN "
            "PERFORM pg_terminate_backend(pg_backend_pid()); END IF; RETURN NEW; END $$"
        )
        conn.exec_driver_sql(
            "CREATE TRIGGER die_mid_insert BEFORE INSERT ON submissions "
            "FOR EACH ROW EXECUTE FUNCTION die_mid_insert()"
        )
    s = people.session("officer_a")
    r = s.post(people.api + "/submissions:batch", json={"submissions": docs}, timeout=TIMEOUT)
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["submission_id"] for x in results] == [d["submission_id"] for d in docs]
    assert {x["status"] for x in results} <= {"accepted", "late"}
    with people.hub.db.read() as conn:
        assert conn.exec_driver_sql("SELECT last_value FROM die_once").scalar() >= 1  # it did die
        stored = conn.exec_driver_sql("SELECT submission_id, receipt_no FROM submissions").all()
    assert sorted(sid for sid, _ in stored) == sorted(d["submission_id"] for d in docs)
    assert {rec for _, rec in stored} == {x["receipt_no"] for x in results}  # one receipt each
    again = s.post(people.api + "/submissions:batch", json={"submissions": docs}, timeout=TIMEOUT).json()
    assert [x["status"] for x in again["results"]] == ["duplicate"] * 4
