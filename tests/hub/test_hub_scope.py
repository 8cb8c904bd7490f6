"""Scope on every endpoint: an officer of commune A cannot write or read commune B; a reviewer of province
X cannot act on province Y; every endpoint but ping needs a token."""

from __future__ import annotations

import pytest
import requests

from dttscore import refdata
from dttshub.service import cli_account
from tests.support.hubfixture import (
    COMMUNE_A,
    COMMUNE_B,
    COMMUNE_Y,
    PROVINCE_X,
    PROVINCE_Y,
    TIMEOUT,
    good_values,
    make_bundle,
    make_submission,
)


def send(session, hub, docs, device_id="device-1"):
    body = {"device_id": device_id, "submissions": docs}
    r = session.post(hub.api + "/submissions:batch", json=body, timeout=TIMEOUT)
    assert r.status_code == 200, r.text
    return r.json()["results"]


@pytest.fixture
def stored(people):
    """Reports of communes A (province X) and Y (province Y) on the hub; returns their submission IDs."""
    a = make_submission(good_values(), unit=COMMUNE_A)
    y = make_submission(good_values(), unit=COMMUNE_Y)
    assert send(people.session("officer_a"), people, [a])[0]["status"] == "accepted"
    assert send(people.session("officer_y", device_id="dy"), people, [y], "dy")[0]["status"] == "accepted"
    return {"a": a["submission_id"], "y": y["submission_id"]}


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/catalog"),
        ("POST", "/submissions:batch"),
        ("POST", "/submissions:status"),
        ("GET", "/changes"),
        ("POST", "/bundles"),
        ("GET", "/setup-package"),
        ("POST", "/reviews"),
        ("GET", "/export"),
        ("GET", "/totals?form=BM01&period=2026"),
        ("GET", "/trends?form=BM01&period=2026"),
        ("GET", "/totals/units?form=BM01&period=2026&code=0102"),
        ("GET", "/completeness?form=BM01&period=2026"),
        ("GET", f"/reports/{COMMUNE_A}/BM01/2026"),
        ("POST", "/reviews:bulk-accept"),
    ],
)
def test_every_endpoint_but_ping_needs_a_token(hub, method, path):
    r = requests.request(method, hub.api + path, json={}, timeout=TIMEOUT)
    assert r.status_code == 401
    assert r.json()["server_id"] == hub.server_id and r.json()["error"]["code"] == "token_missing"
    r = requests.request(
        method, hub.api + path, json={}, headers={"Authorization": "Bearer forged"}, timeout=TIMEOUT
    )
    assert r.status_code == 401 and r.json()["error"]["code"] == "token_invalid"


def test_batch_out_of_scope_is_rejected(people):
    officer_a = people.session("officer_a")
    [res] = send(officer_a, people, [make_submission(good_values(), unit=COMMUNE_B)])
    assert res["status"] == "rejected" and res["errors"][0]["code"] == "out_of_scope"
    reviewer_x = people.session("reviewer_x", device_id="px")
    docs = [make_submission(good_values(), unit=COMMUNE_Y), make_submission(good_values(), unit=COMMUNE_B)]
    assert [r["status"] for r in send(reviewer_x, people, docs, "px")] == ["rejected", "accepted"]


def test_status_of_another_commune_is_unknown(people, stored):
    ids = [stored["a"], stored["y"]]

    def statuses(user: str) -> list[str]:
        s = people.session(user, device_id=f"dev-{user}")
        r = s.post(people.api + "/submissions:status", json={"ids": ids}, timeout=TIMEOUT)
        assert r.status_code == 200
        return [x["status"] for x in r.json()["results"]]

    assert statuses("officer_a") == ["accepted", "unknown"]
    assert statuses("officer_b") == ["unknown", "unknown"]
    assert statuses("reviewer_x") == ["accepted", "unknown"]
    assert statuses("reviewer_y") == ["unknown", "accepted"]
    assert statuses("admin_all") == ["accepted", "accepted"]


def test_changes_show_only_the_scope(people, stored):
    def units(user: str, **params) -> requests.Response:
        s = people.session(user, device_id=f"dev-{user}")
        return s.get(people.api + "/changes", params=params, timeout=TIMEOUT)

    assert [r["unit"] for r in units("officer_a").json()["reports"]] == [COMMUNE_A]
    assert units("officer_b").json()["reports"] == []
    assert [r["unit"] for r in units("reviewer_x").json()["reports"]] == [COMMUNE_A]
    assert [r["unit"] for r in units("reviewer_y").json()["reports"]] == [COMMUNE_Y]
    assert sorted(r["unit"] for r in units("admin_all").json()["reports"]) == sorted([COMMUNE_A, COMMUNE_Y])
    r = units("officer_b", unit=COMMUNE_A)
    assert r.status_code == 403 and r.json()["error"]["code"] == "out_of_scope"
    assert units("reviewer_y", unit=COMMUNE_A).status_code == 403
    assert [x["unit"] for x in units("reviewer_x", unit=COMMUNE_A).json()["reports"]] == [COMMUNE_A]


def test_bundle_items_out_of_scope_are_rejected(people):
    bundle = make_bundle([make_submission(good_values(), unit=COMMUNE_A)], commune=COMMUNE_A)
    officer_b = people.session("officer_b", device_id="db")
    r = officer_b.post(people.api + "/bundles", data=bundle, timeout=TIMEOUT)
    assert r.status_code == 200
    [res] = r.json()["results"]
    assert res["status"] == "rejected" and res["errors"][0]["code"] == "out_of_scope"
    reviewer_y = people.session("reviewer_y", device_id="dry")
    assert (
        reviewer_y.post(people.api + "/bundles", data=bundle, timeout=TIMEOUT).json()["results"][0]["status"]
        == "rejected"
    )
    # the province office of A uploads it for its commune
    reviewer_x = people.session("reviewer_x", device_id="drx")
    assert (
        reviewer_x.post(people.api + "/bundles", data=bundle, timeout=TIMEOUT).json()["results"][0]["status"]
        == "accepted"
    )


def test_reviews_need_the_role_and_the_scope(people, stored):
    def post(user: str, unit: str = COMMUNE_A) -> requests.Response:
        return people.review(user, "accept", unit=unit, expect=None)

    r = post("officer_a")
    assert r.status_code == 403 and r.json()["error"]["code"] == "role_required"
    r = post("reviewer_y")
    assert r.status_code == 403 and r.json()["error"]["code"] == "out_of_scope"
    assert post("reviewer_x", COMMUNE_Y).status_code == 403
    assert post("reviewer_x").status_code == 200
    assert post("admin_all", COMMUNE_Y).status_code == 200


def test_setup_package_only_for_oneself_or_an_admin_of_the_scope(people):
    def get(user: str, target: str | None) -> requests.Response:
        s = people.session(user, device_id=f"dev-{user}")
        params = {"user": target} if target else None
        return s.get(people.api + "/setup-package", params=params, timeout=TIMEOUT)

    assert get("officer_a", None).status_code == 200
    assert get("officer_a", "officer_a").status_code == 200
    r = get("officer_a", "officer_b")
    assert r.status_code == 403 and r.json()["server_id"] == people.server_id
    assert get("reviewer_x", "officer_a").status_code == 403  # reviewers do not hand out packages
    assert get("admin_x", "officer_y").status_code == 403  # another province
    assert get("admin_x", "reviewer_y").status_code == 403
    assert get("admin_x", "officer_a").status_code == 200
    assert get("admin_x", "reviewer_x").status_code == 200
    assert get("admin_all", "officer_y").status_code == 200
    assert get("admin_x", "nobody").status_code == 404


@pytest.mark.parametrize(
    "user, province, status, units",
    [
        ("officer_a", None, 403, None),  # exports are for the province, not for a commune
        ("officer_a", PROVINCE_X, 403, None),
        ("reviewer_x", None, 200, [PROVINCE_X]),
        ("reviewer_x", PROVINCE_X, 200, [PROVINCE_X]),
        ("reviewer_x", PROVINCE_Y, 403, None),
        ("reviewer_x", "*", 403, None),
        ("reviewer_y", None, 200, [PROVINCE_Y]),
        ("admin_x", None, 200, [PROVINCE_X]),
        ("admin_x", PROVINCE_Y, 403, None),
        ("admin_all", None, 200, sorted([PROVINCE_X, PROVINCE_Y])),
        ("admin_all", PROVINCE_Y, 200, [PROVINCE_Y]),
    ],
)
def test_export_is_for_reviewers_and_admins_of_the_province(people, stored, user, province, status, units):
    s = people.session(user, device_id=f"dev-{user}")
    params = {
        "form": "BM01",
        "period": "2026",
        "format": "dvs",
        **({"province": province} if province else {}),
    }
    r = s.get(people.api + "/export", params=params, timeout=TIMEOUT)
    assert r.status_code == status, r.text
    if status == 200:
        assert sorted({v["orgUnit"] for v in r.json()["dataValues"]}) == units
    else:
        assert r.json()["error"]["code"] in ("role_required", "out_of_scope")


PROVINCE_ROUTES = [
    ("/totals", {}),
    ("/trends", {"periods": 2}),
    ("/totals/units", {"code": "0102"}),
]


def _units_seen(path: str, doc: dict) -> list[str]:
    """The units whose data a province route answered with."""
    if path == "/totals/units":
        return sorted(u["unit"] for u in doc["units"])
    docs = doc["periods"] if path == "/trends" else [doc]
    cells = [c for d in docs for c in d["cells"] if c["code"] == "0102" and c["disagg"] == ""]
    return [str(sum(c["units"] for c in cells))]


@pytest.mark.parametrize("path, extra", PROVINCE_ROUTES)
def test_province_routes_follow_the_scope(people, stored, path, extra):
    """Officer: own commune only; reviewer/admin: their province; admin "*": all (issue 14)."""
    from tests.support.hubfixture import PROVINCE_X, PROVINCE_Y

    def get(user: str, province: str | None = None) -> requests.Response:
        s = people.session(user, device_id=f"dev-{user}")
        params = {"form": "BM01", "period": "2026", **extra}
        if province is not None:
            params["province"] = province
        return s.get(people.api + path, params=params, timeout=TIMEOUT)

    def scope_of(user: str, province: str | None = None) -> tuple[str, list[str]]:
        r = get(user, province)
        assert r.status_code == 200, (user, province, r.text)
        return r.json()["scope"], _units_seen(path, r.json())

    one, none = ([COMMUNE_A], []) if path == "/totals/units" else (["1"], ["0"])
    assert scope_of("officer_a") == (COMMUNE_A, one)
    assert scope_of("officer_b") == (COMMUNE_B, none)  # A's report is not B's to see
    assert scope_of("reviewer_x") == (PROVINCE_X, one)
    assert scope_of("reviewer_x", PROVINCE_X) == (PROVINCE_X, one)
    assert scope_of("admin_x") == (PROVINCE_X, one)
    y = [COMMUNE_Y] if path == "/totals/units" else ["1"]
    assert scope_of("reviewer_y") == (PROVINCE_Y, y)
    both = sorted([COMMUNE_A, COMMUNE_Y]) if path == "/totals/units" else ["2"]
    assert scope_of("admin_all") == ("*", both)
    assert scope_of("admin_all", PROVINCE_Y) == (PROVINCE_Y, y)
    for user, province in (
        ("officer_a", PROVINCE_X),
        ("officer_a", "*"),
        ("reviewer_x", PROVINCE_Y),
        ("reviewer_x", "*"),
        ("admin_x", PROVINCE_Y),
        ("admin_x", "*"),
    ):
        r = get(user, province)
        assert r.status_code == 403 and r.json()["error"]["code"] == "out_of_scope", (user, province)
    r = get("admin_all", "99")
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_province"


def test_completeness_shows_only_the_scope(people, stored):
    def get(user: str, **params) -> requests.Response:
        s = people.session(user, device_id=f"dev-{user}")
        query = {"form": "BM01", "period": "2026", **params}
        return s.get(people.api + "/completeness", params=query, timeout=TIMEOUT)

    def units(user: str, **params) -> list[str]:
        r = get(user, **params)
        assert r.status_code == 200, r.text
        return [u["unit"] for u in r.json()["units"]]

    province_x = [c.commune_code for c in refdata.communes_in(PROVINCE_X)]
    province_y = [c.commune_code for c in refdata.communes_in(PROVINCE_Y)]
    assert units("officer_a") == [COMMUNE_A]
    assert units("officer_a", province=PROVINCE_X) == [COMMUNE_A]
    assert units("officer_b") == [COMMUNE_B]
    assert units("officer_y") == [COMMUNE_Y]
    assert sorted(units("reviewer_x")) == sorted(province_x)
    assert sorted(units("reviewer_y")) == sorted(province_y)
    assert sorted(units("admin_x")) == sorted(province_x)
    assert len(units("admin_all")) == len(refdata.communes())
    assert sorted(units("admin_all", province=PROVINCE_Y)) == sorted(province_y)
    for user, province in (
        ("officer_a", PROVINCE_Y),
        ("reviewer_x", PROVINCE_Y),
        ("reviewer_y", PROVINCE_X),
        ("admin_x", PROVINCE_Y),
        ("reviewer_x", "*"),
    ):
        r = get(user, province=province)
        assert r.status_code == 403 and r.json()["error"]["code"] == "out_of_scope", (user, province)
    # what an officer sees of its own commune only: its own report
    [mine] = get("officer_a").json()["units"]
    assert mine["state"] == "on_time" and get("officer_b").json()["units"][0]["state"] == "not_sent"


def test_one_report_in_full_only_in_scope(people, stored):
    def status(user: str, unit: str) -> int:
        s = people.session(user, device_id=f"dev-{user}")
        r = s.get(people.api + f"/reports/{unit}/BM01/2026", timeout=TIMEOUT)
        if r.status_code == 403:
            assert r.json()["error"]["code"] == "out_of_scope"
        return r.status_code

    matrix = {
        ("officer_a", COMMUNE_A): 200,
        ("officer_a", COMMUNE_Y): 403,
        ("officer_b", COMMUNE_A): 403,
        ("officer_y", COMMUNE_Y): 200,
        ("reviewer_x", COMMUNE_A): 200,
        ("reviewer_x", COMMUNE_Y): 403,
        ("reviewer_y", COMMUNE_Y): 200,
        ("reviewer_y", COMMUNE_A): 403,
        ("admin_x", COMMUNE_A): 200,
        ("admin_x", COMMUNE_Y): 403,
        ("admin_all", COMMUNE_A): 200,
        ("admin_all", COMMUNE_Y): 200,
    }
    assert {key: status(*key) for key in matrix} == matrix
    assert status("officer_b", COMMUNE_B) == 404  # in scope, nothing sent


def test_bulk_accept_needs_the_role_and_every_unit_in_scope(people, stored):
    def post(user: str, *units: str) -> requests.Response:
        s = people.session(user, device_id=f"dev-{user}")
        body = {"reports": [{"unit": u, "form": "BM01", "period": "2026"} for u in units]}
        return s.post(people.api + "/reviews:bulk-accept", json=body, timeout=TIMEOUT)

    r = post("officer_a", COMMUNE_A)
    assert r.status_code == 403 and r.json()["error"]["code"] == "role_required"
    r = post("reviewer_y", COMMUNE_A)
    assert r.status_code == 403 and r.json()["error"]["code"] == "out_of_scope"
    r = post("reviewer_x", COMMUNE_A, COMMUNE_Y)  # one unit outside: nothing is done
    assert r.status_code == 403 and r.json()["error"]["code"] == "out_of_scope"
    assert people.hub.reports(cli_account(), COMMUNE_A)[0]["status"] == "submitted"
    assert post("admin_x", COMMUNE_Y).status_code == 403
    r = post("reviewer_x", COMMUNE_A)
    assert r.status_code == 200 and [x["unit"] for x in r.json()["accepted"]] == [COMMUNE_A]
    r = post("admin_all", COMMUNE_A, COMMUNE_Y)
    assert r.status_code == 200 and [x["unit"] for x in r.json()["accepted"]] == [COMMUNE_Y]
    assert post("reviewer_x").status_code == 400  # an empty selection is malformed
