"""The indicators' ``aggregation`` column (issue 14): defaults by value type, derived formulas, and a bad
one reported with its sheet, row and column, from JSON and from the workbook."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dttscore import rules
from dttscore.catalog import catalog_from_json, catalog_to_json, load_catalog
from dttscore.errors import CatalogError
from dttscore.workbook import load_workbook, write_workbook
from tests.support.catalogs import make_workbook, small_catalog


@pytest.fixture(params=["json", "xlsx"])
def load(request, tmp_path):
    def _load(data: dict):
        if request.param == "json":
            return catalog_from_json(data)
        return load_workbook(make_workbook(tmp_path / "c.xlsx", data))

    return _load


def _with(code: str, aggregation: str) -> dict:
    data = small_catalog()
    for entry in data["indicators"]:
        if entry["code"] == code:
            entry["aggregation"] = aggregation
    return data


def _problems(load, data):
    with pytest.raises(CatalogError) as info:
        load(data)
    return [(p.sheet, p.row, p.column, p.message_en) for p in info.value.problems]


def test_defaults_follow_the_value_type_and_a_formula_loads(load):
    catalog = load(small_catalog())
    how = {i.code: i.how_aggregated for i in catalog.indicators}
    assert how == {
        "0101": "sum",
        "0102": "sum",
        "0103": "sum",
        "0104": "0102 / 0101 * 100",
        "0105": "none",
        "0106": "none",
        "0201": "sum",
    }
    assert catalog_from_json(catalog_to_json(catalog)) == catalog


def test_words_are_read_in_any_case_and_yes_no_may_be_summed(load):
    catalog = load(_with("0105", "SUM"))
    assert catalog.indicator("0105").how_aggregated == "sum"
    assert load(_with("0103", "None")).indicator("0103").how_aggregated == "none"


def test_an_indicator_without_aggregation_keeps_its_json():
    data = small_catalog()
    entry = catalog_to_json(catalog_from_json(data))["indicators"][0]
    assert "aggregation" not in entry  # catalogues published before the column keep their etag


@pytest.mark.parametrize(
    ("code", "row", "aggregation", "english"),
    [
        ("0103", 4, "0102 / (0101", "neither sum, none nor a formula"),
        ("0103", 4, "0102 > 0101", "must compute a number"),
        ("0103", 4, "0102 / 0999 * 100", "no indicator '0999'"),
        ("0103", 4, "0101[sex=F] / 0101 * 100", "indicator totals only"),
        ("0103", 4, "0103 * 2", "refers to this indicator itself"),
        ("0103", 4, "0105 * 2", "does not add up"),
        ("0106", 7, "sum", "text indicator cannot be summed"),
        ("0103", 4, "0102 / 9999 * 100", "'9999' (character 8) is no indicator code"),
        ("0103", 4, "average", "no indicator 'average' (write sum, none or a formula"),
    ],
)
def test_a_bad_aggregation_is_reported_with_sheet_row_and_column(load, code, row, aggregation, english):
    found = _problems(load, _with(code, aggregation))
    assert any(
        (sheet, r, column) == ("indicators", row, "aggregation") and english in message
        for sheet, r, column, message in found
    ), found


def test_a_circle_of_formulas_is_refused(load):
    data = _with("0103", "0201 * 2")
    for entry in data["indicators"]:
        if entry["code"] == "0201":
            entry["aggregation"] = "0103 + 1"
    found = _problems(load, data)
    assert ("indicators", 4, "aggregation") in [(s, r, c) for s, r, c, _ in found]
    assert ("indicators", 8, "aggregation") in [(s, r, c) for s, r, c, _ in found]


def test_the_workbook_round_trips_the_column(tmp_path):
    catalog = catalog_from_json(small_catalog())
    path = tmp_path / "out.xlsx"
    write_workbook(catalog, path)
    assert load_workbook(path) == catalog


def test_the_sample_catalogue_derives_its_rates():
    from pathlib import Path

    sample = load_catalog(Path(__file__).resolve().parents[2] / "resources" / "catalog" / "sample.json")
    derived = {i.code: i.aggregation for i in sample.indicators if i.how_aggregated not in ("sum", "none")}
    assert derived["0403"] == "0401 / 0102 * 100"
    expr = rules.parse_arithmetic(derived["0403"], sample.indicator_codes)
    totals = {"0401": Decimal(30), "0102": Decimal(120)}
    assert rules.evaluate_number(expr, lambda ref: totals.get(ref.code)) == Decimal(25)
    assert rules.evaluate_number(expr, lambda ref: Decimal(0) if ref.code == "0102" else Decimal(1)) is None
