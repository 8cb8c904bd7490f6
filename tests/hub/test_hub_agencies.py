"""Province agencies as reporting units (issue 17 item 1) through a real hub (SQLite and PostgreSQL):
definition, accounts, submission, scope, completeness, totals, report view and exports."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from dttscore.catalog import catalog_from_json
from dttshub.errors import BadRequest, NotFound
from tests.support.hubfixture import (
    COMMUNE_A,
    PROVINCE_X,
    TIMEOUT,
    good_values,
    make_submission,
    small_catalog,
)

AGENCY = "19-SGDDT"
AGENCY_NAME = "Sở Giáo dục và Đào tạo"


def agency_catalog() -> dict:
    """The small test catalogue, version 2: BM01 reported by communes and agencies, BM02 by agencies only."""
    data = small_catalog(version=2)
    data["forms"][0]["reported_by"] = "both"
    data["forms"][1]["reported_by"] = "agency"
    return data


@pytest.fixture
def agency_hub(hub):
    hub.publish_catalog(agency_catalog())
    hub.hub.units.add(AGENCY, AGENCY_NAME, PROVINCE_X)
    hub.hub.units.add("19-STC", "Sở Tài chính", PROVINCE_X)
    hub.hub.units.add("01-SGDDT", "Sở Giáo dục và Đào tạo Hà Nội", "01")
    hub.add_user("officer_agency", "officer", AGENCY)
    hub.add_user("officer_a", "officer", COMMUNE_A)
    hub.add_user("reviewer_x", "reviewer", PROVINCE_X)
    hub.add_user("reviewer_y", "reviewer", "01")
    return hub


def send(session, hub, docs, device_id="device-1"):
    r = session.post(
        hub.api + "/submissions:batch", json={"device_id": device_id, "submissions": docs}, timeout=TIMEOUT
    )
    assert r.status_code == 200, r.text
    return r.json()["results"]


def test_defining_agencies(hub):
    units = hub.hub.units
    agency = units.add(AGENCY, "  Sở Giáo dục   và Đào tạo ", PROVINCE_X)
    assert (agency.code, agency.name, agency.province) == (AGENCY, AGENCY_NAME, PROVINCE_X)
    for code, province in [
        ("19-SGDDT", "19"),
        ("01-SGDDT", "19"),
        ("19-sgddt", "19"),
        ("19-TOOLONG", "19"),
        ("19-X", "99"),
    ]:
        with pytest.raises(BadRequest):
            units.add(code, "Sở", province)
    assert [a.code for a in units.list()] == [AGENCY]
    assert units.set_disabled(AGENCY).disabled
    with pytest.raises(BadRequest):  # no new officer for a disabled agency
        hub.add_user("o", "officer", AGENCY)
    with pytest.raises(BadRequest):  # nor for one never defined
        hub.add_user("o", "officer", "19-SXD")
    with pytest.raises(NotFound):
        units.set_disabled("19-SXD")
    assert not units.set_disabled(AGENCY, False).disabled
    hub.add_user("o", "officer", AGENCY)


def test_agency_officer_signs_in_with_the_agency_name(agency_hub):
    reply = agency_hub.login("officer_agency")
    details = reply["account"]["unit_details"]
    assert reply["account"]["unit"] == AGENCY
    assert details == [
        {
            "code": AGENCY,
            "name": AGENCY_NAME,
            "level": "agency",
            "province_code": "19",
            "province_name": details[0]["province_name"],
        }
    ]
    assert details[0]["province_name"] == "Thái Nguyên"


def test_agency_reports_and_is_counted(agency_hub):
    hub = agency_hub
    officer = hub.session("officer_agency", device_id="dev-ag")
    [res] = send(officer, hub, [make_submission(good_values(), unit=AGENCY, catalog_version=2)], "dev-ag")
    assert res["status"] == "accepted", res
    assert res["receipt_no"].startswith(AGENCY + "-")
    # an officer of a commune cannot send the agency's report, nor the agency a commune's
    commune_officer = hub.session("officer_a", device_id="dev-a")
    [bad] = send(
        commune_officer, hub, [make_submission(good_values(), unit=AGENCY, catalog_version=2)], "dev-a"
    )
    assert bad["status"] == "rejected"
    [bad] = send(officer, hub, [make_submission(good_values(), unit=COMMUNE_A, catalog_version=2)], "dev-ag")
    assert bad["status"] == "rejected"
    [ok] = send(
        commune_officer, hub, [make_submission(good_values(), unit=COMMUNE_A, catalog_version=2)], "dev-a"
    )
    assert ok["status"] == "accepted"

    reviewer = hub.session("reviewer_x", device_id="dev-rx")
    # completeness: BM01 (both) expects the 92 communes and the two agencies of province 19
    doc = reviewer.get(
        hub.api + "/completeness", params={"form": "BM01", "period": "2026"}, timeout=TIMEOUT
    ).json()
    assert doc["expected"] == 94 and doc["received"] == 2
    units = {u["unit"]: u for u in doc["units"]}
    assert units[AGENCY]["name"] == AGENCY_NAME and units[AGENCY]["state"] == "on_time"
    assert units["19-STC"]["state"] == "not_sent" and "01-SGDDT" not in units
    # BM02 (agencies only): the denominator is the agencies
    doc = reviewer.get(
        hub.api + "/completeness", params={"form": "BM02", "period": "2026Q4"}, timeout=TIMEOUT
    ).json()
    assert [u["unit"] for u in doc["units"]] == ["19-SGDDT", "19-STC"]
    # a disabled agency is no longer expected
    hub.hub.units.set_disabled("19-STC")
    doc = reviewer.get(
        hub.api + "/completeness", params={"form": "BM02", "period": "2026Q4"}, timeout=TIMEOUT
    ).json()
    assert [u["unit"] for u in doc["units"]] == [AGENCY]

    # totals add the agency up with the communes
    doc = reviewer.get(hub.api + "/totals", params={"form": "BM01", "period": "2026"}, timeout=TIMEOUT).json()
    assert (doc["units_expected"], doc["units_included"]) == (93, 2)
    cells = {(c["code"], c["disagg"]): c for c in doc["cells"]}
    assert cells[("0102", "")]["value"] == str(2 * int(good_values()[("0102", "")]))
    r = reviewer.get(
        hub.api + "/totals/units", params={"form": "BM01", "period": "2026", "code": "0102"}, timeout=TIMEOUT
    )
    assert {u["unit"]: u["unit_name"] for u in r.json()["units"]}[AGENCY] == AGENCY_NAME

    # the report in full, and the scope: another province's reviewer sees nothing of it
    r = reviewer.get(hub.api + f"/reports/{AGENCY}/BM01/2026", timeout=TIMEOUT)
    assert r.status_code == 200, r.text
    assert (r.json()["name"], r.json()["province"]) == (AGENCY_NAME, PROVINCE_X)
    other = hub.session("reviewer_y", device_id="dev-ry")
    assert other.get(hub.api + f"/reports/{AGENCY}/BM01/2026", timeout=TIMEOUT).status_code == 403
    changes = other.get(hub.api + "/changes", timeout=TIMEOUT).json()
    assert all(rep["unit"] != AGENCY for rep in changes["reports"])
    mine = officer.get(hub.api + "/changes", timeout=TIMEOUT).json()
    assert [rep["unit"] for rep in mine["reports"]] == [AGENCY]
    reviewer_changes = reviewer.get(hub.api + "/changes", timeout=TIMEOUT).json()
    assert {rep["unit"] for rep in reviewer_changes["reports"]} == {AGENCY, COMMUNE_A}

    # the CSV export lists the agency's values and the agency that did not send
    r = reviewer.get(
        hub.api + "/export", params={"form": "BM01", "period": "2026", "format": "csv"}, timeout=TIMEOUT
    )
    assert r.status_code == 200, r.text
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    agency_rows = [row for row in rows if row["unit"] == AGENCY]
    assert agency_rows and agency_rows[0]["unit_name"] == AGENCY_NAME and agency_rows[0]["value"]
    # the Excel report counts units, not only communes, and lists the agencies
    r = reviewer.get(
        hub.api + "/export", params={"form": "BM01", "period": "2026", "format": "xlsx"}, timeout=TIMEOUT
    )
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.sheetnames[1] == "Danh sách đơn vị"
    listed = {row[1]: row[2] for row in book.worksheets[1].iter_rows(min_row=5, values_only=True)}
    assert listed[AGENCY] == AGENCY_NAME
    texts = {c for row in book.worksheets[0].iter_rows(values_only=True) for c in row if isinstance(c, str)}
    assert (
        "Số đơn vị tổng hợp: 2/93 đơn vị, thiếu 91 đơn vị (xem trang “Danh sách đơn vị”)" in texts
    )  # 19-STC is off


def test_commune_only_forms_do_not_expect_agencies(agency_hub):
    hub = agency_hub
    hub.publish_catalog(catalog_from_json(small_catalog(version=3)))  # every form: communes (the default)
    reviewer = hub.session("reviewer_x", device_id="dev-rx")
    doc = reviewer.get(
        hub.api + "/completeness", params={"form": "BM01", "period": "2026"}, timeout=TIMEOUT
    ).json()
    assert doc["expected"] == 92 and AGENCY not in {u["unit"] for u in doc["units"]}


def test_cli_unit_commands(hub, capsys):
    import json

    from dttshub.cli import main

    def run(*args):
        code = main([*args, "--db", hub.db_url, "--data-dir", str(hub.data_dir), "--json"])
        return code, json.loads(capsys.readouterr().out)

    code, doc = run("unit", "add", AGENCY, "--name", AGENCY_NAME, "--province", "19")
    assert code == 0 and doc["unit"]["code"] == AGENCY
    code, doc = run("unit", "add", "19-x", "--name", "Sở", "--province", "19")
    assert code == 1 and doc["error"]["code"] == "bad_unit"
    code, doc = run("unit", "list")
    assert [u["code"] for u in doc["units"]] == [AGENCY]
    code, doc = run("unit", "disable", AGENCY)
    assert code == 0 and doc["unit"]["disabled"] is True
    code, doc = run("unit", "list", "--province", "01")
    assert doc["units"] == []


def test_forms_and_code_systems_the_unit_does_not_use_are_rejected(agency_hub):
    hub = agency_hub
    commune_officer = hub.session("officer_a", device_id="dev-a")
    # BM02 is reported by agencies only
    doc = make_submission(
        {("0102", ""): "5", ("0103", ""): "1"},
        unit=COMMUNE_A,
        form="BM02",
        period="2026Q4",
        catalog_version=2,
    )
    [res] = send(commune_officer, hub, [doc], "dev-a")
    assert res["status"] == "rejected" and res["errors"][0]["code"] == "form_not_for_unit", res
    # a submission that says its ethnic codes are of the 2008 list is refused, naming the list expected
    doc = make_submission(good_values(), unit=COMMUNE_A, catalog_version=2)
    doc["eth_system"] = "gso-2008"
    [res] = send(commune_officer, hub, [doc], "dev-a")
    assert res["status"] == "rejected" and res["errors"][0]["code"] == "eth_system", res
    assert "gso-1979" in res["errors"][0]["message_vi"]


def test_agencies_over_http(hub):
    hub.add_user("admin_x", "admin", PROVINCE_X)
    hub.add_user("reviewer_x", "reviewer", PROVINCE_X)
    hub.add_user("admin_y", "admin", "01")
    admin = hub.session("admin_x", device_id="d-ax")
    r = admin.post(
        hub.api + "/units", json={"code": AGENCY, "name": AGENCY_NAME, "province": "19"}, timeout=TIMEOUT
    )
    assert r.status_code == 200, r.text
    assert r.json()["unit"]["code"] == AGENCY
    r = admin.post(
        hub.api + "/units", json={"code": "01-SXD", "name": "Sở", "province": "01"}, timeout=TIMEOUT
    )
    assert r.status_code == 403
    other = hub.session("admin_y", device_id="d-ay")
    assert other.post(hub.api + f"/units/{AGENCY}:disable", timeout=TIMEOUT).status_code == 403
    assert other.get(hub.api + "/units", timeout=TIMEOUT).json()["units"] == []
    reviewer = hub.session("reviewer_x", device_id="d-rx")
    assert [u["code"] for u in reviewer.get(hub.api + "/units", timeout=TIMEOUT).json()["units"]] == [AGENCY]
    assert reviewer.post(hub.api + f"/units/{AGENCY}:disable", timeout=TIMEOUT).status_code == 403
    r = admin.post(hub.api + f"/units/{AGENCY}:disable", timeout=TIMEOUT)
    assert r.status_code == 200 and r.json()["unit"]["disabled"] is True
    r = admin.post(hub.api + f"/units/{AGENCY}:enable", timeout=TIMEOUT)
    assert r.json()["unit"]["disabled"] is False
    assert admin.post(hub.api + "/units/19-SXD:disable", timeout=TIMEOUT).status_code == 404
