"""The one rule of an indicator's table (core.layout): which dimension runs across, and each cell's key."""

from __future__ import annotations

from dttsclient.core.catalog import catalog_from_json
from dttsclient.core.disagg import cell_keys
from dttsclient.core.layout import column_dimension, indicator_table
from tests.support.catalogs import small_catalog


def _catalog(**overrides):
    return catalog_from_json(small_catalog(**overrides))


def test_sex_runs_across_else_a_short_dimension_else_nothing():
    data = small_catalog()
    data["disaggregations"].append({"name": "by_eth_area", "dimensions": ["eth", "area"]})
    data["options"] += [
        {"dimension": "size", "code": str(n), "name_vi": f"Cỡ {n}", "name_en": f"Size {n}", "order": n}
        for n in range(1, 6)
    ]
    data["disaggregations"].append({"name": "by_size", "dimensions": ["size"]})
    catalog = catalog_from_json(data)
    assert column_dimension(catalog, ("eth", "sex")) == "sex"
    assert column_dimension(catalog, ("area",)) == "area"  # 2 options: across
    assert column_dimension(catalog, ("eth", "area")) == "area"
    assert column_dimension(catalog, ("eth",)) is None  # the ethnic groups never fit across
    assert column_dimension(catalog, ("size",)) is None  # 5 options: down the rows


def test_the_table_has_exactly_the_cells_of_the_indicator():
    catalog = _catalog()
    eth = ["08", "02"]
    for ind in catalog.indicators:
        dims = catalog.dimensions_of(ind)
        if not dims:
            continue

        def options(dim: str) -> list[str]:
            return eth if dim == "eth" else [o.code for o in catalog.options_for(dim)]

        table = indicator_table(catalog, dims, options)
        keys = [k for row in table.rows for k in row.keys]
        assert sorted(keys) == sorted(cell_keys(catalog, ind, eth)), ind.code
        assert all(len(row.keys) == len(table.col_codes) for row in table.rows)
        if "eth" in table.row_dims:  # the rows follow the report's order of its ethnic groups
            assert [row.codes[table.row_dims.index("eth")] for row in table.rows][:1] == ["08"]


def test_an_area_table_is_one_row_across_and_an_empty_eth_table_has_no_rows():
    catalog = _catalog()
    area = next(i for i in catalog.indicators if catalog.dimensions_of(i) == ("area",))
    table = indicator_table(catalog, ("area",), lambda d: [o.code for o in catalog.options_for(d)])
    assert table.col_dim == "area" and table.col_codes == ("A", "B") and table.row_dims == ()
    assert [row.keys for row in table.rows] == [("area=A", "area=B")], area.code
    empty = indicator_table(catalog, ("eth", "sex"), lambda d: [] if d == "eth" else ["F", "M"])
    assert empty.rows == () and empty.col_codes == ("F", "M")
