"""The export writers (xlsx, csv, DHIS2 dataValueSets, ADX) from totals built by hand, each read back."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from xml.etree import ElementTree as ET

import openpyxl
import pytest

from dttscore.catalog import catalog_from_json
from dttshub import exports
from dttshub.exports import ExportData, UnitStatus
from dttshub.province_model import ProvinceTotals, TotalCell, UnitValue
from tests.support.hubfixture import COMMUNE_A, COMMUNE_B, PROVINCE_X, small_catalog

ADX = "{urn:ihe:qrph:adx:2015}"


def sample_data(period: str = "2026") -> ExportData:
    """Province X, BM01: commune A reported, commune B did not (expected: A, B, and a third)."""
    catalog = catalog_from_json(small_catalog())
    cells = (
        TotalCell("0101", "", Decimal("313"), 1),
        TotalCell("0101", "eth=02|sex=F", Decimal("120"), 1),
        TotalCell("0101", "eth=02|sex=M", Decimal("115"), 1),
        TotalCell("0101", "eth=08|sex=F", Decimal("40"), 1),
        TotalCell("0101", "eth=08|sex=M", Decimal("38"), 1),
        TotalCell("0102", "", Decimal("80"), 1),
        TotalCell("0103", "", Decimal("12.50"), 1),
        TotalCell("0201", "", None, 1),  # a percent does not add up
    )
    totals = ProvinceTotals(
        "BM01", period, PROVINCE_X, 1, False, (COMMUNE_A, COMMUNE_B, "01867"), (COMMUNE_A,), cells
    )
    values = tuple(
        UnitValue(COMMUNE_A, "Xã Á", "BM01", period, code, key, _dims(key), value, "on_time", "R-1")
        for code, key, value in (
            ("0101", "eth=02|sex=F", "120"),
            ("0101", "eth=02|sex=M", "115"),
            ("0101", "eth=08|sex=F", "40"),
            ("0101", "eth=08|sex=M", "38"),
            ("0102", "", "80"),
            ("0103", "", "12.5"),
            ("0201", "", "96.5"),
        )
    )
    units = (
        UnitStatus(COMMUNE_A, "Xã Á", "on_time", "R-1", True),
        UnitStatus(COMMUNE_B, "Xã Bê", "not_sent"),
        UnitStatus("01867", "Xã Cê", "not_sent"),
    )
    return ExportData(
        totals, catalog, units, values, province_name="Thái Nguyên", exported_at="2027-01-10T03:00:00+00:00"
    )


def _dims(key: str) -> dict[str, str]:
    return dict(p.split("=") for p in key.split("|")) if key else {}


def test_code_systems():
    assert exports.coc_code("") == "default"
    assert exports.coc_code("eth=02|sex=F") == "ETH_02-SEX_F"
    assert exports.coc_code("sex=F|eth=02") == "ETH_02-SEX_F"
    assert [exports.dhis2_period(p) for p in ("2026", "2026s1", "2026Q3", "202607")] == [
        "2026",
        "2026S1",
        "2026Q3",
        "202607",
    ]
    assert exports.adx_period("2026Q3") == "2026-07-01/P3M"
    assert exports.adx_period("2026") == "2026-01-01/P1Y"
    assert exports.adx_period("2026S2") == "2026-07-01/P6M"
    assert exports.adx_period("202602") == "2026-02-01/P1M"
    assert exports.plain_decimal(Decimal("12.50")) == "12.5"
    assert exports.plain_decimal(Decimal("1E+3")) == "1000"
    assert exports.plain_decimal(Decimal("-0.0")) == "0"


def expected_exported(totals: ProvinceTotals) -> dict[tuple[str, str], str]:
    """What DHIS2/ADX must carry, computed here from the totals: numbers, no own total of a split indicator."""
    split = {c.code for c in totals.cells if c.disagg}
    return {
        (c.code, c.disagg): format(c.value.normalize(), "f")
        for c in totals.cells
        if c.value is not None and not (c.disagg == "" and c.code in split)
    }


def test_dvs_is_dhis2_json_with_codes():
    data = sample_data()
    doc = json.loads(exports.render_dvs(data))
    assert doc["idScheme"] == "CODE" and doc["dataSet"] == "DTTS_BM01" and doc["period"] == "2026"
    assert doc["orgUnit"] == PROVINCE_X
    got = {}
    for dv in doc["dataValues"]:
        assert dv["orgUnit"] == PROVINCE_X and dv["period"] == "2026"
        assert dv["dataElement"].startswith("DTTS_")
        got[(dv["dataElement"][5:], dv["categoryOptionCombo"])] = dv["value"]
    want = {(code, exports.coc_code(key)): v for (code, key), v in expected_exported(data.totals).items()}
    assert got == want
    assert got[("0101", "ETH_02-SEX_F")] == "120" and got[("0103", "default")] == "12.5"
    assert ("0101", "default") not in got and ("0201", "default") not in got


def test_adx_groups_and_dimension_attributes():
    data = sample_data("2026Q3")
    root = ET.fromstring(exports.render_adx(data))
    assert root.tag == ADX + "adx"
    [group] = root.findall(ADX + "group")
    assert group.get("orgUnit") == PROVINCE_X and group.get("period") == "2026-07-01/P3M"
    assert group.get("dataSet") == "DTTS_BM01"
    got = {}
    for dv in group.findall(ADX + "dataValue"):
        a = dict(dv.attrib)
        code, value = a.pop("dataElement")[5:], a.pop("value")
        got[(code, "|".join(f"{k}={v}" for k, v in sorted(a.items())))] = value
    assert got == expected_exported(data.totals)
    assert "gso-1979" in exports.render_adx(data).decode()  # the code systems are named in the file


def test_adx_one_group_per_province():
    data = sample_data()
    other = ProvinceTotals(
        "BM01", "2026", "01", 1, False, ("00004",), ("00004",), (TotalCell("0102", "", Decimal(7), 1),)
    )
    data = ExportData(data.totals, data.catalog, data.units, data.values, by_province=(data.totals, other))
    root = ET.fromstring(exports.render_adx(data))
    assert [g.get("orgUnit") for g in root.findall(ADX + "group")] == [PROVINCE_X, "01"]
    doc = json.loads(exports.render_dvs(data))
    assert "orgUnit" not in doc
    assert {dv["orgUnit"] for dv in doc["dataValues"]} == {PROVINCE_X, "01"}


def test_csv_is_long_utf8_with_bom_and_lists_the_missing():
    data = sample_data()
    raw = exports.render_csv(data)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0])[:7] == ["unit", "unit_name", "form", "period", "indicator", "eth", "sex"]
    assert list(rows[0])[7:10] == ["value", "state", "receipt"]
    a = [r for r in rows if r["unit"] == COMMUNE_A]
    assert len(a) == 7 and {r["unit_name"] for r in a} == {"Xã Á"}
    # each (indicator, eth, sex) of the totals is the sum of the rows
    sums: dict[tuple[str, str], Decimal] = {}
    for r in a:
        key = "|".join(f"{d}={r[d]}" for d in ("eth", "sex") if r[d])
        sums[(r["indicator"], key)] = sums.get((r["indicator"], key), Decimal(0)) + Decimal(r["value"])
    for c in data.totals.cells:
        if c.value is not None and c.disagg:
            assert sums[(c.code, c.disagg)] == c.value
    missing = [r for r in rows if r["unit"] != COMMUNE_A]
    assert [(r["unit"], r["state"], r["indicator"]) for r in missing] == [
        (COMMUNE_B, "not_sent", ""),
        ("01867", "not_sent", ""),
    ]
    assert rows[0]["catalog"] == "test-dtts v1" and rows[0]["eth_system"] == "gso-1979"


def test_xlsx_in_paper_layout_with_units_sheet():
    data = sample_data()
    wb = openpyxl.load_workbook(io.BytesIO(exports.render_xlsx(data)))
    assert wb.sheetnames == ["BM01", "Danh sách xã"]
    ws = wb["BM01"]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Sở Dân tộc và Tôn giáo tỉnh Thái Nguyên".upper() in texts
    assert any("Số xã tổng hợp: 1/3 xã, thiếu 2 xã" in t for t in texts)
    assert "THỦ TRƯỞNG CƠ QUAN" in texts and "NGƯỜI LẬP BIỂU" in texts
    # the print setup: A4, fit to one page wide, a print area, the column header repeated
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_area and ws.print_title_rows
    # every total of the province is in the table: own totals in "Tổng số", cells in their columns
    rows = {}
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Mã số")
    total_col = header.index("Tổng số")
    by_code = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0] in ("0101", "0102", "0103", "0201")}
    assert by_code["0101"][total_col] == 313
    assert by_code["0102"][3] == 80 and by_code["0103"][3] == 12.5
    assert by_code["0201"][3] is None  # a percent is not summed
    for r in ws.iter_rows(values_only=True):
        if r[1] and str(r[1]).strip().startswith(("Kinh", "Tày", "Thái", "Hoa", "Khơ", "Mường", "Nùng")):
            rows[str(r[1]).strip()] = r
    # the rows per ethnic group: F and M columns as the totals say (sex columns: Nam, Nữ)
    sub = next(r for r in ws.iter_rows(values_only=True) if r[3] in ("Nam", "Nữ"))
    col = {sub[3]: 3, sub[4]: 4}
    eth_rows = [
        r
        for r in ws.iter_rows(values_only=True)
        if r[0] is None and r[3] is not None and isinstance(r[3], int)
    ]
    got = sorted((r[col["Nữ"]], r[col["Nam"]]) for r in eth_rows if r[total_col] in (235, 78))
    assert got == [(40, 38), (120, 115)]
    units = wb["Danh sách xã"]
    listed = [r for r in units.iter_rows(min_row=5, values_only=True)]
    assert [(r[1], r[3]) for r in listed] == [
        (COMMUNE_A, "Đã tổng hợp"),
        (COMMUNE_B, "Thiếu"),
        ("01867", "Thiếu"),
    ]
    assert int(units.page_setup.paperSize) == 9


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_write_export_is_atomic_into_a_folder(tmp_path, fmt):
    data = sample_data()
    target = exports.write_export(data, fmt, tmp_path)
    assert target.name == f"BM01-{PROVINCE_X}-2026{exports.SUFFIXES[fmt]}"
    assert target.read_bytes() == exports.render(data, fmt) or fmt == "xlsx"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


def test_write_export_leaves_the_old_file_when_rendering_fails(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(KeyError):
        exports.write_export(sample_data(), "nope", target)
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["out.csv"]


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_a_period_nobody_reported_still_makes_a_file(fmt):
    full = sample_data()
    totals = ProvinceTotals("BM01", "2026", PROVINCE_X, 1, False, full.totals.units_expected, (), ())
    units = tuple(UnitStatus(u.unit, u.name, "not_sent") for u in full.units)
    data = ExportData(totals, full.catalog, units, (), province_name="Thái Nguyên")
    raw = exports.render(data, fmt)
    if fmt == "dvs":
        assert json.loads(raw)["dataValues"] == []
    elif fmt == "adx":
        [group] = ET.fromstring(raw).findall(ADX + "group")
        assert list(group) == []
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert [r["state"] for r in rows] == ["not_sent"] * 3
    else:
        wb = openpyxl.load_workbook(io.BytesIO(raw))
        texts = " ".join(str(c.value) for row in wb["BM01"].iter_rows() for c in row if c.value is not None)
        assert "Số xã tổng hợp: 0/3 xã, thiếu 3 xã" in texts
