"""Swings from the previous period (issue 16 item 2): the ``max_change_pct`` column and the warnings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dttscore.catalog import catalog_from_json, catalog_to_json
from dttscore.errors import CatalogError
from dttscore.swing import SWING, change_pct, earlier_periods, format_pct, swing_problems, year_earlier
from dttscore.validate import check_report
from dttscore.workbook import load_workbook
from tests.support.catalogs import make_workbook, small_catalog


@pytest.fixture(params=["json", "xlsx"])
def load(request, tmp_path):
    def _load(data: dict):
        if request.param == "json":
            return catalog_from_json(data)
        return load_workbook(make_workbook(tmp_path / "c.xlsx", data))

    return _load


def with_limits(**limits: object) -> dict:
    data = small_catalog()
    for entry in data["indicators"]:
        if entry["code"] in limits:
            entry["max_change_pct"] = limits[entry["code"]]
    return data


def test_defaults_are_fifty_percent_for_counts_and_none_for_rates(load):
    catalog = load(small_catalog())
    assert catalog.indicator("0101").swing_limit == Decimal(50)  # a count
    assert catalog.indicator("0103").swing_limit is None  # decimal: an amount, not a count
    assert catalog.indicator("0104").swing_limit is None  # a rate
    assert catalog.indicator("0105").swing_limit is None
    assert catalog.indicator("0106").swing_limit is None


def test_the_column_sets_or_turns_off_the_limit_and_round_trips(load):
    catalog = load(with_limits(**{"0101": 30, "0102": "none", "0104": "12.5"}))
    assert catalog.indicator("0101").swing_limit == Decimal(30)
    assert catalog.indicator("0102").swing_limit is None
    assert catalog.indicator("0104").swing_limit == Decimal("12.5")
    data = catalog_to_json(catalog)
    assert catalog_from_json(data) == catalog
    assert "max_change_pct" not in next(e for e in data["indicators"] if e["code"] == "0103")


def test_a_catalogue_without_the_column_keeps_its_json():
    data = small_catalog()
    assert (
        catalog_to_json(catalog_from_json(data))["indicators"]
        == catalog_to_json(catalog_from_json(small_catalog()))["indicators"]
    )
    assert all("max_change_pct" not in e for e in catalog_to_json(catalog_from_json(data))["indicators"])


@pytest.mark.parametrize(
    ("code", "value", "vi", "en"),
    [
        ("0101", "abc", "'abc' không phải là số", "'abc' is not a number"),
        ("0101", 0, "phải là số phần trăm lớn hơn 0", "must be a percentage above 0"),
        ("0102", -5, "phải là số phần trăm lớn hơn 0", "must be a percentage above 0"),
        ("0106", 20, "chỉ tiêu kiểu text không có max_change_pct", "a text indicator cannot have"),
    ],
)
def test_a_bad_limit_is_reported_with_its_sheet_row_and_column(load, code, value, vi, en):
    with pytest.raises(CatalogError) as info:
        load(with_limits(**{code: value}))
    row = {"0101": 2, "0102": 3, "0106": 7}[code]
    found = [
        p
        for p in info.value.problems
        if (p.sheet, p.row, p.column) == ("indicators", row, "max_change_pct")
        and vi in p.message_vi
        and en in p.message_en
    ]
    assert found, info.value.problems


def test_periods_shown_beside_a_cell():
    assert earlier_periods("2026") == ["2025", "2024"]
    assert earlier_periods("2026Q3") == ["2026Q2", "2026Q1", "2025Q3", "2024Q3"]
    assert earlier_periods("202601") == ["202512", "202511", "202501", "202401"]
    assert earlier_periods("2000") == []
    assert year_earlier("2026S2") == "2025S2"


def test_change_in_percent():
    assert change_pct("120", "240") == Decimal("100.0")
    assert change_pct("3", "2") == Decimal("-33.3")
    assert change_pct("0", "5") is None
    assert change_pct(None, "5") is None
    assert change_pct("5", "abc") is None
    assert format_pct(Decimal("100.0")) == "+100%"
    assert format_pct(Decimal("-12.5")) == "-12,5%"


def test_a_doubled_count_is_a_warning_naming_both_values():
    catalog = catalog_from_json(small_catalog())
    values = {("0101", "eth=02|sex=F"): "2400", ("0101", "eth=02|sex=M"): "1100", ("0103", ""): "900"}
    earlier = {("0101", "eth=02|sex=F"): "1200", ("0101", "eth=02|sex=M"): "1000", ("0103", ""): "10"}
    found = swing_problems(catalog, "F1", values, earlier, "2025")
    assert [(p.severity, p.code, p.indicator, p.disagg) for p in found] == [
        ("warning", SWING, "0101", "eth=02|sex=F")
    ]
    assert "2.400" in found[0].message_vi and "1.200" in found[0].message_vi
    assert "Năm 2025" in found[0].message_vi and "+100%" in found[0].message_vi
    assert "Year 2025" in found[0].message_en
    # the same through check_report, and nothing without the earlier period
    problems = check_report(catalog, "F1", values, ["02"], earlier=earlier, earlier_period="2025")
    assert [p for p in problems if p.code == SWING] == found
    assert not [p for p in check_report(catalog, "F1", values, ["02"]) if p.code == SWING]


def test_a_fall_beyond_the_limit_and_a_custom_limit():
    catalog = catalog_from_json(with_limits(**{"0102": 10}))
    values = {("0102", "eth=02"): "85", ("0101", "eth=02|sex=F"): "40"}
    earlier = {("0102", "eth=02"): "100", ("0101", "eth=02|sex=F"): "100"}
    found = swing_problems(catalog, "F1", values, earlier, "2025")
    assert sorted((p.indicator, p.disagg) for p in found) == [("0101", "eth=02|sex=F"), ("0102", "eth=02")]
