"""The one rule of an indicator's table (core.layout): which dimension runs across, and each cell's key."""

from __future__ import annotations

from dttscore.catalog import catalog_from_json
from dttscore.disagg import cell_keys
from dttscore.layout import column_dimension, indicator_table
from tests.support.catalogs import small_catalog


def _catalog(**overrides):
    return catalog_from_json(small_catalog(**overrides))


def test_only_sex_runs_across():
    assert column_dimension(("eth", "sex")) == "sex"
    assert column_dimension(("sex",)) == "sex"
    assert column_dimension(("area",)) is None  # two options, still down the rows (the screen's width)
    assert column_dimension(("eth", "area")) is None
    assert column_dimension(("eth",)) is None  # the ethnic groups never fit across


def test_the_table_has_exactly_the_cells_of_the_indicator():
    catalog = _catalog()
    eth = ["08", "02"]
    for ind in catalog.indicators:
        dims = catalog.dimensions_of(ind)
        if not dims:
            continue

        def options(dim: str) -> list[str]:
            return eth if dim == "eth" else [o.code for o in catalog.options_for(dim)]

        table = indicator_table(dims, options)
        keys = [k for row in table.rows for k in row.keys]
        assert sorted(keys) == sorted(cell_keys(catalog, ind, eth)), ind.code
        assert all(len(row.keys) == len(table.col_codes) for row in table.rows)
        if "eth" in table.row_dims:  # the rows follow the report's order of its ethnic groups
            assert [row.codes[table.row_dims.index("eth")] for row in table.rows][:1] == ["08"]


def test_an_area_table_runs_down_and_an_empty_eth_table_has_no_rows():
    catalog = _catalog()
    table = indicator_table(("area",), lambda d: [o.code for o in catalog.options_for(d)])
    assert table.col_dim is None and table.col_codes == ("",) and table.row_dims == ("area",)
    assert [(row.codes, row.option, row.keys) for row in table.rows] == [
        (("A",), "area=A", ("area=A",)),
        (("B",), "area=B", ("area=B",)),
    ]
    sexes = indicator_table(("sex", "eth"), lambda d: ["08", "02"] if d == "eth" else ["F", "M"])
    assert sexes.col_dim == "sex" and sexes.row_dims == ("eth",)
    assert [row.keys for row in sexes.rows] == [
        ("eth=08|sex=F", "eth=08|sex=M"),
        ("eth=02|sex=F", "eth=02|sex=M"),
    ]
    empty = indicator_table(("eth", "sex"), lambda d: [] if d == "eth" else ["F", "M"])
    assert empty.rows == () and empty.col_codes == ("F", "M")
