"""Completeness and timeliness, one report in full, review that locks and bulk acceptance — through a real
hub (SQLite and PostgreSQL), over HTTP and the ``dttshub`` command line."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timezone
from pathlib import Path

import requests
import sqlalchemy as sa

from dttshub import db as t
from dttshub.cli import main
from tests.support.hubfixture import (
    COMMUNE_A,
    COMMUNE_B,
    COMMUNE_Y,
    PROVINCE_X,
    TIMEOUT,
    good_values,
    make_submission,
)

AFTER_DEADLINE = datetime(2027, 2, 5, 3, 0, tzinfo=timezone.utc)  # BM01 2026 was due 30/01/2027


def communes_of(province: str | None) -> list[tuple[str, str]]:
    """(code, name) of the communes of the 2025 list, read from the CSV itself (not through the hub)."""
    path = Path(__file__).resolve().parents[2] / "resources" / "ref" / "communes_2025.csv"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return sorted(
        (r["commune_code"].strip(), r["commune_name"].strip())
        for r in rows
        if province is None or r["province_code"].strip() == province
    )


def send(session, hub, docs, device_id="device-1") -> list[dict]:
    r = session.post(
        hub.api + "/submissions:batch", json={"device_id": device_id, "submissions": docs}, timeout=TIMEOUT
    )
    assert r.status_code == 200, r.text
    return r.json()["results"]


def completeness(session, hub, **params) -> requests.Response:
    return session.get(
        hub.api + "/completeness", params={"form": "BM01", "period": "2026", **params}, timeout=TIMEOUT
    )


def cli(hub, *args: str) -> tuple[int, dict]:
    """``dttshub … --json`` in this process against the running hub's database."""
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["--db", hub.db_url, "--data-dir", str(hub.data_dir), "--json", *args])
    return code, json.loads(buf.getvalue())


def cli_text(hub, *args: str) -> tuple[int, str]:
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["--db", hub.db_url, "--data-dir", str(hub.data_dir), *args])
    return code, buf.getvalue()


# -- completeness ---------------------------------------------------------------------------------------
def test_completeness_counts_against_the_2025_list(people):
    hub = people
    officer_a = hub.session("officer_a")
    [a] = send(officer_a, hub, [make_submission(good_values(), unit=COMMUNE_A)])
    hub.review(hub.session("reviewer_x", device_id="dev-rx"), "accept")
    hub.clock.set(AFTER_DEADLINE)  # tokens of before have expired: sign in again
    officer_b = hub.session("officer_b", device_id="dev-b")
    reviewer = hub.session("reviewer_x", device_id="dev-rx")
    [b] = send(officer_b, hub, [make_submission(good_values(), unit=COMMUNE_B)], "dev-b")
    assert (a["status"], b["status"]) == ("accepted", "late")

    expected = communes_of(PROVINCE_X)
    r = completeness(reviewer, hub)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["expected"] == len(expected) == 92
    assert [(u["unit"], u["name"]) for u in doc["units"]] == expected
    assert (doc["received"], doc["on_time"], doc["late"], doc["accepted"]) == (2, 1, 1, 1)
    assert doc["deadline"] == "2027-01-30"
    assert doc["rates"] == {
        "received": round(200 / 92, 1),
        "on_time": round(100 / 92, 1),
        "accepted": round(100 / 92, 1),
    }
    assert (
        doc["by_state"]["not_sent"] == 90
        and doc["by_state"]["accepted"] == 1
        and doc["by_state"]["late"] == 1
    )
    units = {u["unit"]: u for u in doc["units"]}
    ua, ub = units[COMMUNE_A], units[COMMUNE_B]
    assert ua["state"] == "accepted" and ua["receipt_no"] == a["receipt_no"] and ua["server_revision"] == 2
    assert ua["received_at"] == a["received_at"] and ua["last_seen"] is not None
    assert ub["state"] == "late" and ub["receipt_no"] == b["receipt_no"] and ub["server_revision"] == 1
    others = [u for code, u in units.items() if code not in (COMMUNE_A, COMMUNE_B)]
    assert all(
        u["state"] == "not_sent" and u["receipt_no"] is None and u["last_seen"] is None for u in others
    )

    # an admin of everything: every commune of the list, or one province
    admin = hub.session("admin_all", device_id="dev-all")
    everything = completeness(admin, hub).json()
    assert everything["expected"] == len(communes_of(None)) == 3321 and everything["received"] == 2
    assert completeness(admin, hub, province=PROVINCE_X).json()["units"] == doc["units"]

    # the command line gives the same document, and Vietnamese labels in its text
    code, out = cli(hub, "completeness", "--form", "BM01", "--period", "2026", "--province", PROVINCE_X)
    assert code == 0 and out["units"] == doc["units"] and out["expected"] == 92 and out["on_time"] == 1
    code, text = cli_text(hub, "completeness", "--form", "BM01", "--period", "2026", "--province", PROVINCE_X)
    assert code == 0 and "Đã chấp nhận" in text and "Nộp muộn" in text and "Chưa gửi" in text


def test_a_correction_after_the_deadline_does_not_make_a_commune_late(people):
    hub = people
    officer_a = hub.session("officer_a")
    first = make_submission(good_values(), unit=COMMUNE_A)
    send(officer_a, hub, [first])
    hub.clock.set(AFTER_DEADLINE)
    officer_a = hub.session("officer_a")
    values = {**good_values(), ("0102", ""): "90"}
    second = make_submission(values, revision_no=2, supersedes=first["submission_id"], base_server_revision=1)
    assert send(officer_a, hub, [second])[0]["status"] == "late"
    doc = completeness(hub.session("reviewer_x", device_id="rx"), hub).json()
    unit = next(u for u in doc["units"] if u["unit"] == COMMUNE_A)
    assert unit["state"] == "on_time" and unit["server_revision"] == 2
    assert (doc["on_time"], doc["late"]) == (1, 0)


def test_completeness_refuses_an_unknown_form_a_bad_period_or_province(people):
    s = people.session("admin_all", device_id="dev-all")
    assert completeness(s, people, form="BM99").status_code == 404
    r = completeness(s, people, period="2026Q1")
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_period"
    r = completeness(s, people, province="99")
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_province"


# -- review that locks --------------------------------------------------------------------------------
def test_a_revision_after_acceptance_reopens_review(people):
    hub = people
    officer = hub.session("officer_a")
    reviewer = hub.session("reviewer_x", device_id="dev-rx")
    first = make_submission(good_values(), unit=COMMUNE_A)
    send(officer, hub, [first])
    accepted = hub.review(reviewer, "accept", "Đạt").json()["report"]
    assert accepted["status"] == "accepted" and accepted["server_revision"] == 2

    values = {**good_values(), ("0102", ""): "90"}
    second = make_submission(values, revision_no=2, supersedes=first["submission_id"], base_server_revision=2)
    [res] = send(officer, hub, [second])
    assert res["status"] == "accepted" and res["server_revision"] == 3  # stored and received as usual

    pulled = officer.get(hub.api + "/changes", timeout=TIMEOUT).json()["reports"]
    [report] = [p for p in pulled if p["unit"] == COMMUNE_A]
    assert report["status"] == "changed_after_acceptance" and report["server_revision"] == 3
    assert report["submission_id"] == second["submission_id"]
    assert report["accepted_submission_id"] == first["submission_id"]  # the acceptance is not replaced
    with hub.hub.db.read() as conn:
        kept = conn.execute(sa.select(t.reviews.c.state, t.reviews.c.comment)).all()
    assert [(k.state, k.comment) for k in kept] == [("accepted", "Đạt")]

    doc = completeness(reviewer, hub).json()
    assert next(u for u in doc["units"] if u["unit"] == COMMUNE_A)["state"] == "changed_after_acceptance"
    assert doc["accepted"] == 0 and doc["by_state"]["changed_after_acceptance"] == 1

    full = reviewer.get(hub.api + f"/reports/{COMMUNE_A}/BM01/2026", timeout=TIMEOUT).json()
    assert (
        full["state"] == "changed_after_acceptance" and full["state_label_vi"] == "Đã sửa sau khi chấp nhận"
    )
    assert full["changes_since_acceptance"] == {
        "since_submission_id": first["submission_id"],
        "cells": [{"code": "0102", "disagg": "", "old": "80", "new": "90"}],
    }
    # a third revision stays "changed after acceptance"; a bulk accept does not skip it
    third = make_submission(
        {**values, ("0103", ""): "13"},
        revision_no=3,
        supersedes=second["submission_id"],
        base_server_revision=3,
    )
    send(officer, hub, [third])
    assert hub.hub.reports(_admin(), COMMUNE_A)[0]["status"] == "changed_after_acceptance"
    again = reviewer.post(
        hub.api + "/reviews:bulk-accept",
        json={"reports": [{"unit": COMMUNE_A, "form": "BM01", "period": "2026"}]},
        timeout=TIMEOUT,
    ).json()
    assert [r["status"] for r in again["accepted"]] == ["accepted"] and again["skipped"] == []
    assert again["accepted"][0]["accepted_submission_id"] == third["submission_id"]


def _admin():
    from dttshub.service import cli_account

    return cli_account()


def test_a_returned_report_keeps_the_acceptance_and_its_comment_reaches_the_officer(people):
    hub = people
    officer = hub.session("officer_a")
    reviewer = hub.session("reviewer_x", device_id="dev-rx")
    first = make_submission(good_values())
    send(officer, hub, [first])
    hub.review(reviewer, "accept")
    second = make_submission(
        {**good_values(), ("0102", ""): "95"},
        revision_no=2,
        supersedes=first["submission_id"],
        base_server_revision=2,
    )
    send(officer, hub, [second])
    returned = hub.review(reviewer, "return", "Số hộ 95 chưa khớp sổ; kiểm tra lại 0102").json()["report"]
    assert returned["status"] == "returned" and returned["accepted_submission_id"] == first["submission_id"]
    [report] = officer.get(hub.api + "/changes", timeout=TIMEOUT).json()["reports"]
    assert report["review"]["state"] == "returned"
    assert report["review"]["comment"] == "Số hộ 95 chưa khớp sổ; kiểm tra lại 0102"


# -- bulk acceptance -------------------------------------------------------------------------------------
def test_bulk_accept_skips_reports_with_errors_conflicts_or_nothing_received(people):
    hub = people
    commune_e, commune_n = [c for c, _ in communes_of(PROVINCE_X) if c not in (COMMUNE_A, COMMUNE_B)][:2]
    hub.add_user("officer_e", "officer", commune_e)
    reviewer = hub.session("reviewer_x", device_id="dev-rx")
    send(hub.session("officer_a"), hub, [make_submission(good_values(), unit=COMMUNE_A)])
    send(
        hub.session("officer_e", device_id="dev-e"),
        hub,
        [make_submission(good_values(), unit=commune_e)],
        "dev-e",
    )
    # B: the reviewer returns it while the commune, not yet synced, sends a correction → a conflict
    officer_b = hub.session("officer_b", device_id="dev-b")
    b1 = make_submission(good_values(), unit=COMMUNE_B)
    send(officer_b, hub, [b1], "dev-b")
    hub.review(reviewer, "return", "Xem lại", unit=COMMUNE_B)
    b2 = make_submission(
        {**good_values(), ("0102", ""): "81"},
        unit=COMMUNE_B,
        revision_no=2,
        supersedes=b1["submission_id"],
        base_server_revision=1,
    )
    assert send(officer_b, hub, [b2], "dev-b")[0]["status"] == "conflict"
    # E: values that break the error rule R01 (0103 <= 0102), as a hub before the content checks could
    # have stored them (the hub refuses such a submission today, so they are written into the table)
    broken = json.dumps(
        [{"code": c, "disagg": d, "value": v} for (c, d), v in {**good_values(), ("0103", ""): "500"}.items()]
    )
    with hub.hub.db.begin() as conn:
        conn.execute(t.reports.update().where(t.reports.c.unit == commune_e).values(values_json=broken))

    body = {
        "reports": [
            {"unit": u, "form": "BM01", "period": "2026"}
            for u in (COMMUNE_A, COMMUNE_B, commune_e, commune_n)
        ],
        "comment": "Chấp nhận theo lô",
    }
    r = reviewer.post(hub.api + "/reviews:bulk-accept", json=body, timeout=TIMEOUT)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert [(x["unit"], x["status"]) for x in doc["accepted"]] == [(COMMUNE_A, "accepted")]
    assert doc["accepted"][0]["review"] == {
        "state": "accepted",
        "comment": "Chấp nhận theo lô",
        "by": "reviewer_x",
        "at": doc["accepted"][0]["review"]["at"],
    }
    skipped = {x["unit"]: x for x in doc["skipped"]}
    assert {u: x["reason"] for u, x in skipped.items()} == {
        COMMUNE_B: "conflict",
        commune_e: "errors",
        commune_n: "no_report",
    }
    assert [p["code"] for p in skipped[commune_e]["problems"]] == ["R01"]
    assert all(x["message_vi"] and x["message_en"] for x in doc["skipped"])
    # a second pass: A is already accepted
    again = reviewer.post(hub.api + "/reviews:bulk-accept", json=body, timeout=TIMEOUT).json()
    assert again["accepted"] == [] and {x["unit"]: x["reason"] for x in again["skipped"]}[COMMUNE_A] == (
        "already_accepted"
    )
    states = {u["unit"]: u["state"] for u in completeness(reviewer, hub).json()["units"]}
    assert (states[COMMUNE_A], states[COMMUNE_B], states[commune_e], states[commune_n]) == (
        "accepted",
        "conflict",
        "on_time",
        "not_sent",
    )


def test_review_accept_on_the_command_line_takes_several_units_or_a_province(people):
    hub = people
    for user, unit, dev in (
        ("officer_a", COMMUNE_A, "d1"),
        ("officer_b", COMMUNE_B, "d2"),
        ("officer_y", COMMUNE_Y, "d3"),
    ):
        send(hub.session(user, device_id=dev), hub, [make_submission(good_values(), unit=unit)], dev)
    base = ["review", "accept", "--form", "BM01", "--period", "2026"]
    code, doc = cli(hub, *base, "--unit", COMMUNE_A, "--unit", "01870", "--comment", "Đạt")
    assert code == 3 and [r["unit"] for r in doc["accepted"]] == [COMMUNE_A]
    assert [(s["unit"], s["reason"]) for s in doc["skipped"]] == [("01870", "no_report")]
    code, doc = cli(hub, *base, "--province", PROVINCE_X)
    assert code == 0 and [r["unit"] for r in doc["accepted"]] == [COMMUNE_B] and doc["skipped"] == []
    # neither --unit nor --province, both, or return with several units: usage errors (exit 2)
    where = ["--db", hub.db_url, "--data-dir", str(hub.data_dir)]
    assert main([*where, *base]) == 2
    assert main([*where, *base, "--province", PROVINCE_X, "--unit", COMMUNE_A]) == 2
    assert (
        main(
            [
                *where,
                "review",
                "return",
                "--form",
                "BM01",
                "--period",
                "2026",
                "--unit",
                COMMUNE_A,
                "--unit",
                COMMUNE_B,
            ]
        )
        == 2
    )
    # one unit: the single review as before, the comment of a return included
    code, doc = cli(
        hub,
        "review",
        "return",
        "--form",
        "BM01",
        "--period",
        "2026",
        "--unit",
        COMMUNE_Y,
        "--comment",
        "Thiếu số hộ",
    )
    assert (
        code == 0
        and doc["report"]["status"] == "returned"
        and doc["report"]["review"]["comment"] == "Thiếu số hộ"
    )


# -- one report in full ---------------------------------------------------------------------------------
def test_one_report_in_full(people):
    hub = people
    officer = hub.session("officer_a")
    reviewer = hub.session("reviewer_x", device_id="dev-rx")
    last_year = {**good_values(), ("0102", ""): "72", ("0101", "eth=02|sex=F"): "100"}
    send(officer, hub, [make_submission(last_year, period="2025")])
    low_power = {**good_values(), ("0201", ""): "5"}
    reason = [{"rule": "R02", "option": "", "reason": "Thôn mới chưa có lưới điện"}]
    first = make_submission(
        low_power, warnings=reason, comments=[{"code": "0102", "disagg": "", "text": "Theo sổ hộ"}]
    )
    send(officer, hub, [first])
    hub.review(reviewer, "return", "Kiểm tra 0102")
    values = {**low_power, ("0102", ""): "90"}
    second = make_submission(
        values, revision_no=2, supersedes=first["submission_id"], base_server_revision=2, warnings=reason
    )
    send(officer, hub, [second])

    r = reviewer.get(hub.api + f"/reports/{COMMUNE_A}/BM01/2026", timeout=TIMEOUT)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["name"] and doc["form_name_vi"] == "Biểu năm" and doc["previous_period"] == "2025"
    assert doc["state"] == "on_time" and doc["server_revision"] == 3 and doc["deadline"] == "2027-01-30"
    # the layout: groups in order, the indicators of each, every cell of the report's ethnic rows
    assert [s["group"] for s in doc["sections"]] == ["01", "02"]
    assert [i["code"] for s in doc["sections"] for i in s["indicators"]] == ["0101", "0102", "0103", "0201"]
    cells = {
        (i["code"], c["disagg"]): c for s in doc["sections"] for i in s["indicators"] for c in i["cells"]
    }
    assert [c["disagg"] for c in doc["sections"][0]["indicators"][0]["cells"]] == [
        "eth=02|sex=M",
        "eth=02|sex=F",
        "eth=08|sex=M",
        "eth=08|sex=F",
    ]
    c = cells[("0102", "")]
    assert (c["value"], c["previous_revision_value"], c["changed"]) == ("90", "80", True)
    assert (c["previous_period_value"], c["change_pct"]) == ("72", "25.0")  # (90 - 72) / 72
    c = cells[("0101", "eth=02|sex=F")]
    assert (c["value"], c["changed"], c["previous_period_value"], c["change_pct"]) == (
        "120",
        False,
        "100",
        "20.0",
    )
    assert c["label"] == "Tày · Nữ"
    assert cells[("0103", "")]["change_pct"] == "0.0"
    assert doc["changes"] == {
        "since_submission_id": first["submission_id"],
        "cells": [{"code": "0102", "disagg": "", "old": "80", "new": "90"}],
    }
    [warning] = doc["warnings"]
    assert warning["rule"] == "R02" and warning["reason"] == "Thôn mới chưa có lưới điện"
    assert doc["comments"] == []  # the second revision carries no comment; the first one did
    assert [(x["kind"], x["server_revision"], x["by"]) for x in doc["revisions"]] == [
        ("submission", 1, "officer_a"),
        ("review", 2, "reviewer_x"),
        ("submission", 3, "officer_a"),
    ]
    assert doc["revisions"][0]["receipt_no"] and doc["revisions"][0]["status"] == "accepted"
    assert [(x["state"], x["comment"], x["by"]) for x in doc["reviews"]] == [
        ("returned", "Kiểm tra 0102", "reviewer_x")
    ]
    # the first revision's comment is there when it is the head
    full_2025 = officer.get(hub.api + f"/reports/{COMMUNE_A}/BM01/2025", timeout=TIMEOUT).json()
    assert full_2025["changes"] == {"since_submission_id": None, "cells": []}
    assert full_2025["previous_period_report"] is None
    assert all(
        c["previous_period_value"] is None
        for s in full_2025["sections"]
        for i in s["indicators"]
        for c in i["cells"]
    )
    assert reviewer.get(hub.api + f"/reports/{COMMUNE_B}/BM01/2026", timeout=TIMEOUT).status_code == 404


def test_the_reviewer_routes_are_in_the_served_openapi_document(hub):
    doc = requests.get(hub.url + "/openapi.json", timeout=TIMEOUT).json()
    schemas = doc["components"]["schemas"]
    for path, method, model in (
        ("/api/v1/completeness", "get", "CompletenessReply"),
        ("/api/v1/reports/{unit}/{form}/{period}", "get", "ReportFullReply"),
        ("/api/v1/reviews:bulk-accept", "post", "BulkAcceptReply"),
    ):
        op = doc["paths"][path][method]
        assert op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(model)
        assert op["security"] == [{"bearer": []}] and model in schemas
    states = schemas["CompletenessUnit"]["properties"]["state"]["enum"]
    assert states == [
        "not_sent",
        "on_time",
        "late",
        "returned",
        "accepted",
        "conflict",
        "changed_after_acceptance",
    ]
