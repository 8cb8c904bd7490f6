"""The screen and the paper lay a report out alike: every value sits in the same column of its indicator's
table on the entry grid (ui.grid_layout) and on the printed report (usb.layout), as core.layout decides."""

from __future__ import annotations

import pytest

from dttsclient.ui.grid_layout import build_layout as screen_layout
from dttsclient.usb.layout import build_layout as paper_layout
from dttscore.disagg import report_eth_codes
from tests.support.entry_fixtures import ETH_ROWS, load_sample, period_for

CATALOG = load_sample()


def _paper_columns(layout) -> dict[tuple[str, str], tuple[int, str]]:
    """(code, disagg) → (column, the label of the row) of every value cell on the paper."""
    out = {}
    for row in layout.rows:
        for column, cell in enumerate(row.cells, start=1):
            if cell.key is not None:
                out[cell.key] = (column, row.label)
    return out


@pytest.mark.parametrize("form", [f.code for f in CATALOG.forms])
def test_every_disaggregated_value_is_in_the_same_column_on_screen_and_on_paper(form):
    f = CATALOG.form(form)
    eth = report_eth_codes(CATALOG, f.eth_options, ETH_ROWS, [])
    screen = screen_layout(CATALOG, f, eth)
    paper = _paper_columns(paper_layout(CATALOG, form, "01849", period_for(f), {}, eth_rows=eth))
    compared = 0
    for block in screen.blocks:
        if not CATALOG.dimensions_of(block.indicator):
            continue  # a single value: the screen puts it in the totals column, the paper in the first
        for (code, key), (_row, column) in screen.cell_pos.items():
            if code != block.code:
                continue
            assert paper[(code, key)][0] == column, (code, key)
            compared += 1
        rows = {screen.rows[r].label for r in block.data_rows}
        labels = {paper[(code, key)][1] for (code, key) in screen.cell_pos if code == block.code}
        assert len(rows) == len(labels), block.code  # as many rows on both
    assert compared or not any(CATALOG.dimensions_of(i) for i in CATALOG.form_indicators(f))
