"""The grid offers no row for an option the indicator excludes (``options`` column, issue #16)."""

from __future__ import annotations

from dttsclient.ui.grid_layout import build_layout
from dttscore.catalog import load_catalog
from tests.support.hubfixture import SAMPLE_CATALOG


def _rows_of(layout, code):
    block = layout.blocks[layout.block_of_code[code]]
    return [layout.rows[r].option for r in block.data_rows]


def test_no_kinh_row_for_the_minority_population(qapp):
    catalog = load_catalog(SAMPLE_CATALOG)
    layout = build_layout(catalog, catalog.form("BM01"), ["01", "02", "08"])
    assert _rows_of(layout, "0101") == ["eth=02", "eth=08"]
    assert _rows_of(layout, "0102") == ["eth=01", "eth=02", "eth=08"]
    assert not any(code == "0101" and "eth=01" in key for code, key in layout.cell_pos)
    only_kinh = build_layout(catalog, catalog.form("BM01"), ["01"])
    block = only_kinh.blocks[only_kinh.block_of_code["0101"]]
    note = only_kinh.rows[block.last_row]
    assert note.kind == "note" and "loại trừ" in note.label
