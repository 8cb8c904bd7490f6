"""Exports through a real hub (SQLite and PostgreSQL): the API route and ``dttshub export``, every file read
back and checked against totals computed here from the values the communes sent."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
import requests

from dttshub import exports
from tests.support.hubfixture import (
    COMMUNE_A,
    COMMUNE_B,
    COMMUNE_Y,
    PROVINCE_X,
    PROVINCE_Y,
    TIMEOUT,
    good_values,
    make_submission,
)

ADX = "{urn:ihe:qrph:adx:2015}"


def values_b() -> dict[tuple[str, str], str]:
    return {
        ("0101", "eth=02|sex=F"): "7",
        ("0101", "eth=02|sex=M"): "9",
        ("0101", "eth=10|sex=F"): "3",
        ("0102", ""): "20",
        ("0103", ""): "4",
        ("0201", ""): "88.25",
    }


SENT = {COMMUNE_A: good_values(), COMMUNE_B: values_b(), COMMUNE_Y: good_values()}


@pytest.fixture
def sent(people):
    """Communes A and B (province X) and Y (province Y) have sent BM01 2026."""
    for user, unit, device, rows in (
        ("officer_a", COMMUNE_A, "da", ("02", "08")),
        ("officer_b", COMMUNE_B, "db", ("02", "10")),
        ("officer_y", COMMUNE_Y, "dy", ("02", "08")),
    ):
        s = people.session(user, device_id=device)
        doc = make_submission(SENT[unit], unit=unit, eth_rows=rows)
        r = s.post(
            people.api + "/submissions:batch",
            json={"device_id": device, "submissions": [doc]},
            timeout=TIMEOUT,
        )
        assert r.status_code == 200 and r.json()["results"][0]["status"] in ("accepted", "late"), r.text
    return people


def independent_totals(units: list[str]) -> dict[tuple[str, str], Decimal]:
    """Sums of the integer indicators per cell, computed from what was sent (percent 0201 is not summed)."""
    out: dict[tuple[str, str], Decimal] = {}
    for unit in units:
        for (code, key), value in SENT[unit].items():
            if code == "0201":
                continue
            out[(code, key)] = out.get((code, key), Decimal(0)) + Decimal(value)
    return out


def exported_cells(totals: dict[tuple[str, str], Decimal]) -> dict[tuple[str, str], str]:
    return {k: format(v.normalize(), "f") for k, v in totals.items()}


def get_export(hub, user: str, fmt: str, **params) -> requests.Response:
    s = hub.session(user, device_id=f"dev-{user}")
    return s.get(
        hub.api + "/export",
        params={"form": "BM01", "period": "2026", "format": fmt, **params},
        timeout=TIMEOUT,
    )


def test_dvs_and_adx_carry_the_province_totals(sent):
    want = exported_cells(independent_totals([COMMUNE_A, COMMUNE_B]))
    r = get_export(sent, "reviewer_x", "dvs")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert f'filename="BM01-{PROVINCE_X}-2026.json"' in r.headers["content-disposition"]
    doc = r.json()
    assert doc["idScheme"] == "CODE" and doc["orgUnit"] == PROVINCE_X and doc["period"] == "2026"
    got = {}
    for dv in doc["dataValues"]:
        coc = dv["categoryOptionCombo"]
        key = (
            ""
            if coc == "default"
            else "|".join(
                p.replace("_", "=", 1).lower() if p.startswith("ETH") else "sex=" + p[4:]
                for p in coc.split("-")
            )
        )
        got[(dv["dataElement"].removeprefix("DTTS_"), key)] = dv["value"]
    assert got == want

    r = get_export(sent, "reviewer_x", "adx")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/adx+xml")
    root = ET.fromstring(r.content)
    [group] = root.findall(ADX + "group")
    assert group.attrib["orgUnit"] == PROVINCE_X and group.attrib["period"] == "2026-01-01/P1Y"
    got = {}
    for dv in group.findall(ADX + "dataValue"):
        a = dict(dv.attrib)
        code, value = a.pop("dataElement").removeprefix("DTTS_"), a.pop("value")
        got[(code, "|".join(f"{k}={v}" for k, v in sorted(a.items())))] = value
    assert got == want


def test_admin_of_everything_gets_one_block_per_province(sent):
    r = get_export(sent, "admin_all", "adx")
    assert r.status_code == 200
    groups = ET.fromstring(r.content).findall(ADX + "group")
    assert [g.attrib["orgUnit"] for g in groups] == sorted([PROVINCE_X, PROVINCE_Y])
    y = next(g for g in groups if g.attrib["orgUnit"] == PROVINCE_Y)
    assert {
        (d.attrib["dataElement"], d.attrib.get("eth", ""), d.attrib.get("sex", "")): d.attrib["value"]
        for d in y.findall(ADX + "dataValue")
    }[("DTTS_0102", "", "")] == "80"
    r = get_export(sent, "admin_all", "dvs", province=PROVINCE_Y)
    assert {dv["orgUnit"] for dv in r.json()["dataValues"]} == {PROVINCE_Y}


def test_csv_lists_every_value_and_every_commune(sent):
    r = get_export(sent, "reviewer_x", "csv")
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    from dttscore import refdata

    expected = {c.commune_code for c in refdata.communes_in(PROVINCE_X)}
    assert {row["unit"] for row in rows} == expected
    got = {}
    for row in rows:
        if row["indicator"]:
            key = "|".join(f"{d}={row[d]}" for d in ("eth", "sex") if row[d])
            got[(row["unit"], row["indicator"], key)] = row["value"]
            assert row["receipt"] and row["state"] in ("on_time", "late")
    want = {(u, c, k): v for u in (COMMUNE_A, COMMUNE_B) for (c, k), v in SENT[u].items()}
    assert got == want
    missing = [row for row in rows if row["unit"] not in (COMMUNE_A, COMMUNE_B)]
    assert missing and {row["state"] for row in missing} == {"not_sent"}
    assert rows[0]["unit_name"] and all(row["unit_name"] for row in rows)
    # the province totals are the sums of the rows
    sums: dict[tuple[str, str], Decimal] = {}
    for (_, code, key), v in got.items():
        if code != "0201":
            sums[(code, key)] = sums.get((code, key), Decimal(0)) + Decimal(v)
    assert sums == independent_totals([COMMUNE_A, COMMUNE_B])


def test_xlsx_has_the_province_totals_and_the_communes(sent):
    r = get_export(sent, "reviewer_x", "xlsx")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    ws = wb["BM01"]
    totals = independent_totals([COMMUNE_A, COMMUNE_B])
    rows = list(ws.iter_rows(values_only=True))
    header = next(row for row in rows if row[0] == "Mã số")
    total_col = header.index("Tổng số")
    by_code = {row[0]: row for row in rows if row[0] in ("0101", "0102", "0103", "0201")}
    assert by_code["0101"][total_col] == sum(v for (c, _), v in totals.items() if c == "0101")
    assert by_code["0102"][3] == totals[("0102", "")] and by_code["0103"][3] == totals[("0103", "")]
    assert by_code["0201"][3] is None
    texts = " ".join(str(v) for row in rows for v in row if v is not None)
    assert "SỞ DÂN TỘC VÀ TÔN GIÁO TỈNH THÁI NGUYÊN" in texts and "Số xã tổng hợp: 2/" in texts
    units = list(wb["Danh sách xã"].iter_rows(min_row=5, values_only=True))
    included = {row[1] for row in units if row[3] == "Đã tổng hợp"}
    assert included == {COMMUNE_A, COMMUNE_B} and len(units) > 2


def test_export_scope_and_refusals(sent):
    r = get_export(sent, "officer_a", "csv")
    assert r.status_code == 403 and r.json()["error"]["code"] == "role_required"
    r = get_export(sent, "reviewer_y", "csv", province=PROVINCE_X)
    assert r.status_code == 403 and r.json()["error"]["code"] == "out_of_scope"
    r = get_export(sent, "admin_x", "csv", province="*")
    assert r.status_code == 403
    assert get_export(sent, "admin_x", "csv").status_code == 200
    assert get_export(sent, "admin_all", "csv", province=PROVINCE_X).status_code == 200
    r = get_export(sent, "reviewer_x", "pdf")
    assert r.status_code == 400
    r = get_export(sent, "reviewer_x", "csv", province="99")
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_province"
    s = sent.session("reviewer_x", device_id="dev-p")
    r = s.get(
        sent.api + "/export", params={"form": "BM01", "period": "2026Q1", "format": "csv"}, timeout=TIMEOUT
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_period"
    r = s.get(
        sent.api + "/export", params={"form": "NOPE", "period": "2026", "format": "csv"}, timeout=TIMEOUT
    )
    assert r.status_code == 404


def test_export_is_in_the_openapi_document(hub):
    doc = requests.get(hub.url + "/openapi.json", timeout=TIMEOUT).json()
    op = doc["paths"]["/api/v1/export"]["get"]
    assert {p["name"] for p in op["parameters"]} >= {"form", "period", "format", "province", "accepted_only"}
    assert "application/adx+xml" in op["responses"]["200"]["content"] and op["security"] == [{"bearer": []}]


def _cli(sent, *args: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("dttshub")
    exe = [str(script)] if script.exists() else [sys.executable, "-m", "dttshub"]
    env = {**os.environ, "DTTSHUB_DATA_DIR": str(sent.data_dir)}
    env.pop("DTTSHUB_DB", None)
    return subprocess.run(
        [*exe, *args, "--db", sent.db_url], capture_output=True, text=True, timeout=120, env=env
    )


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_cli_export_writes_the_same_file_as_the_api(sent, tmp_path, fmt):
    out = tmp_path / "out"
    out.mkdir()
    proc = _cli(
        sent,
        "export",
        "--form",
        "BM01",
        "--period",
        "2026",
        "--province",
        PROVINCE_X,
        "--format",
        fmt,
        str(out),
        "--json",
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    path = Path(doc["path"])
    assert path.parent == out and [p.name for p in out.iterdir()] == [path.name]  # no temporary file left
    assert doc["units_included"] == 2
    api = get_export(sent, "reviewer_x", fmt).content
    if fmt == "xlsx":
        a = openpyxl.load_workbook(path)
        b = openpyxl.load_workbook(io.BytesIO(api))
        assert [list(ws.iter_rows(values_only=True)) for ws in a] == [
            list(ws.iter_rows(values_only=True)) for ws in b
        ]
    elif fmt == "csv":
        assert path.read_bytes() == api
    elif fmt == "dvs":
        a, b = json.loads(path.read_bytes()), json.loads(api)
        assert a == b
    else:
        a, b = ET.fromstring(path.read_bytes()), ET.fromstring(api)
        assert [g.attrib for g in a] == [g.attrib for g in b]
        assert [[d.attrib for d in g] for g in a] == [[d.attrib for d in g] for g in b]


def test_cli_export_refuses_a_bad_form_with_a_message(sent, tmp_path):
    proc = _cli(
        sent, "export", "--form", "NOPE", "--period", "2026", "--format", "csv", str(tmp_path / "x.csv")
    )
    assert proc.returncode == 1 and "NOPE" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.csv").exists()


def test_accepted_only_exports_the_accepted_reports(sent):
    s = sent.session("reviewer_x", device_id="dev-rx")
    sent.review(s, "accept")
    r = get_export(sent, "reviewer_x", "dvs", accepted_only="true")
    assert r.status_code == 200
    got = {(dv["dataElement"], dv["categoryOptionCombo"]): dv["value"] for dv in r.json()["dataValues"]}
    assert got[("DTTS_0102", "default")] == SENT[COMMUNE_A][("0102", "")]
    assert got[("DTTS_0101", "ETH_02-SEX_F")] == SENT[COMMUNE_A][("0101", "eth=02|sex=F")]
    rows = list(
        csv.DictReader(
            io.StringIO(
                get_export(sent, "reviewer_x", "csv", accepted_only="true").content.decode("utf-8-sig")
            )
        )
    )
    assert {r["unit"] for r in rows if r["indicator"]} == {COMMUNE_A}
    assert {r["state"] for r in rows if r["unit"] == COMMUNE_A} == {"accepted"}
    assert {r["state"] for r in rows if r["unit"] == COMMUNE_B} == {"on_time"}  # listed, not added up


def test_cli_export_into_a_missing_folder_says_what_to_do(sent, tmp_path):
    target = tmp_path / "missing" / "x.csv"
    proc = _cli(sent, "export", "--form", "BM01", "--period", "2026", "--format", "csv", str(target))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "Không ghi được tệp" in proc.stderr and "thư mục khác" in proc.stderr
    assert not (tmp_path / "missing").exists()


def test_sample_catalogue_exports_match_the_totals(hub):
    """The sample catalogue (text, yes/no, percent and derived indicators): every file against the totals."""
    from dttscore.catalog import load_catalog
    from dttshub.scope import Account
    from tests.support.hubfixture import SAMPLE_CATALOG, valid_values

    catalog = load_catalog(SAMPLE_CATALOG)
    hub.publish_catalog(catalog)
    form = "BM01"
    values, warnings = valid_values(catalog, form, ["02", "08"])
    admin = Account("test", "admin", "*", "dev")
    units = [COMMUNE_A, COMMUNE_B]
    docs = [
        make_submission(
            values,
            unit=u,
            form=form,
            catalog_id=catalog.catalog_id,
            catalog_version=catalog.version,
            warnings=warnings,
        )
        for u in units
    ]
    assert {r["status"] for r in hub.hub.ingest.ingest_many(admin, "dev", docs)} <= {"accepted", "late"}
    totals = hub.hub.totals.totals(form, "2026", PROVINCE_X)
    data = exports.gather(hub.hub, admin, form, "2026", PROVINCE_X)
    assert data.totals == totals
    split = {c.code for c in totals.cells if c.disagg}
    want = {
        (c.code, c.disagg): exports.plain_decimal(c.value)
        for c in totals.cells
        if c.value is not None and not (c.disagg == "" and c.code in split)
    }
    assert any(c.value is None for c in totals.cells)  # some indicators do not add up
    doc = json.loads(exports.render(data, "dvs"))
    assert {
        (dv["dataElement"].removeprefix("DTTS_"), dv["categoryOptionCombo"]): dv["value"]
        for dv in doc["dataValues"]
    } == {(code, exports.coc_code(key)): v for (code, key), v in want.items()}
    [group] = ET.fromstring(exports.render(data, "adx")).findall(ADX + "group")
    got = {}
    for dv in group:
        a = dict(dv.attrib)
        code, value = a.pop("dataElement").removeprefix("DTTS_"), a.pop("value")
        got[(code, "|".join(f"{k}={v}" for k, v in sorted(a.items())))] = value
    assert got == want
    rows = list(csv.DictReader(io.StringIO(exports.render(data, "csv").decode("utf-8-sig"))))
    sent = {(u, c, k): v for u in units for (c, k), v in values.items() if v not in (None, "")}
    dims = [d for d in rows[0] if d not in (*exports.CSV_FIXED, *exports.CSV_TAIL)]
    assert {
        (r["unit"], r["indicator"], "|".join(f"{d}={r[d]}" for d in sorted(dims) if r[d])): r["value"]
        for r in rows
        if r["indicator"]
    } == sent
    wb = openpyxl.load_workbook(io.BytesIO(exports.render(data, "xlsx")))
    sheet = list(wb[form].iter_rows(values_only=True))
    header = next(r for r in sheet if r[0] == "Mã số")
    total_col = header.index("Tổng số")
    by_code = {r[0]: r for r in sheet if r[0]}
    for c in totals.cells:
        if c.disagg == "" and c.value is not None:
            row = by_code[c.code]
            shown = row[total_col] if c.code in split else row[3]
            assert Decimal(str(shown)) == c.value, c.code
