"""Options per indicator (issue #16, item 4): the ``options`` column, its load checks and the one rule."""

from __future__ import annotations

import pytest

from dttscore import indicator_options
from dttscore.catalog import catalog_from_json, catalog_to_json, load_catalog
from dttscore.disagg import cell_keys
from dttscore.errors import CatalogError
from tests.support.catalogs import make_workbook, small_catalog
from tests.support.hubfixture import SAMPLE_CATALOG


def _with_options(text: str, code: str = "0101") -> dict:
    data = small_catalog()
    for entry in data["indicators"]:
        if entry["code"] == code:
            entry["options"] = text
    return data


@pytest.mark.parametrize(
    ("text", "dimension", "exclude", "codes"),
    [
        ("eth: !01", "eth", True, ("01",)),
        ("eth:02,03", "eth", False, ("02", "03")),
        (" eth : ! 01 , 04 ; sex: F", "eth", True, ("01", "04")),
    ],
)
def test_grammar(text, dimension, exclude, codes):
    clause = indicator_options.parse(text)[0]
    assert (clause.dimension, clause.exclude, clause.codes) == (dimension, exclude, codes)


def test_excluded_options_have_no_cell_key():
    catalog = catalog_from_json(_with_options("eth: !01; sex: F"))
    keys = cell_keys(catalog, "0101", ["01", "02", "08"])
    assert keys == ["eth=02|sex=F", "eth=08|sex=F"]
    assert cell_keys(catalog, "0102", ["01", "02"]) == ["eth=01", "eth=02"]  # another indicator keeps Kinh
    vi, en = indicator_options.refusal(catalog, "0101", {"eth": "01", "sex": "F"})
    assert "0101" in vi and "Kinh" in vi and "eth=01" in en
    assert indicator_options.refusal(catalog, "0101", {"eth": "02", "sex": "F"}) is None
    only = catalog_from_json(_with_options("eth: 02, 03"))
    assert cell_keys(only, "0101", ["01", "02", "08"]) == ["eth=02|sex=M", "eth=02|sex=F"]


def test_json_round_trip_and_etag_unchanged_without_options():
    catalog = catalog_from_json(_with_options("eth: !01"))
    assert catalog_from_json(catalog_to_json(catalog)) == catalog
    plain = catalog_to_json(catalog_from_json(small_catalog()))
    assert all("options" not in entry for entry in plain["indicators"])


@pytest.mark.parametrize(
    ("text", "needle_en"),
    [
        ("eth !01", "is not written 'dimension: code, code'"),
        ("eth: ", "no option code is given"),
        ("area: A", "has no dimension 'area'"),
        ("eth: !99x", "'99x' is not an option of the dimension 'eth'"),
        ("sex: !M, F", "no option of the dimension 'sex' is left"),
        ("eth: 01; eth: 02", "given twice"),
    ],
)
def test_bad_options_are_load_errors_located_by_sheet_row_and_column(tmp_path, text, needle_en):
    with pytest.raises(CatalogError) as info:
        catalog_from_json(_with_options(text))
    [problem] = info.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("indicators", 2, "options")
    assert needle_en in problem.message_en and problem.message_vi
    path = make_workbook(tmp_path / "c.xlsx", cells={("indicators", 2, "options"): text})
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert [(p.sheet, p.row, p.column) for p in info.value.problems] == [("indicators", 2, "options")]


def test_the_sample_excludes_kinh_from_minority_counts():
    catalog = load_catalog(SAMPLE_CATALOG)
    for code in ("0101", "0113", "0114"):
        assert "01" not in {o.code for o in indicator_options.options_of(catalog, code, "eth")}
        assert not any("eth=01" in k for k in cell_keys(catalog, code, ["01", "02"]))
    assert "01" in {o.code for o in indicator_options.options_of(catalog, "0103", "eth")} or not (
        catalog.dimensions_of("0103")
    )
