"""The forms' ``reported_by`` column (issue 17): which kinds of unit report a form."""

from __future__ import annotations

import pytest

from dttscore.catalog import catalog_from_json, catalog_to_json
from dttscore.errors import CatalogError
from dttscore.workbook import load_workbook, write_workbook
from tests.support.catalogs import make_workbook, small_catalog


def test_default_is_commune_and_json_leaves_it_out():
    catalog = catalog_from_json(small_catalog())
    assert {f.reported_by for f in catalog.forms} == {"commune"}
    assert all("reported_by" not in f for f in catalog_to_json(catalog)["forms"])
    assert catalog.forms[0].reported_by_kind("commune") and not catalog.forms[0].reported_by_kind("agency")


@pytest.mark.parametrize("value", ["agency", "both"])
def test_round_trips_through_json_and_workbook(tmp_path, value):
    data = small_catalog()
    data["forms"][0]["reported_by"] = value
    catalog = catalog_from_json(data)
    assert catalog.forms[0].reported_by == value
    assert catalog_from_json(catalog_to_json(catalog)) == catalog
    write_workbook(catalog, tmp_path / "c.xlsx")
    assert load_workbook(tmp_path / "c.xlsx") == catalog
    assert catalog.forms[0].reported_by_kind("agency")


def test_a_bad_value_is_located(tmp_path):
    path = make_workbook(tmp_path / "c.xlsx", cells={("forms", 2, "reported_by"): "xa"})
    with pytest.raises(CatalogError) as info:
        load_workbook(path)
    places = [(p.sheet, p.row, p.column) for p in info.value.problems]
    assert ("forms", 2, "reported_by") in places
