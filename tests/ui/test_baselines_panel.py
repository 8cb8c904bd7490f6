"""The side panel shows a cell's survey baselines (issue 17 item 4)."""

from __future__ import annotations

from dttsclient.store.baselines import Baseline
from dttsclient.ui.indicator_panel import IndicatorPanel
from dttscore.catalog import catalog_from_json
from tests.support.hubfixture import small_catalog


def test_the_panel_shows_the_survey_figures_of_the_cell(qtbot):
    panel = IndicatorPanel("vi")
    qtbot.addWidget(panel)
    panel.set_indicator(catalog_from_json(small_catalog()).indicator("0102"))
    panel.set_cell("0102", "", [], baselines=[Baseline("DTTS 2024", "2024-10-01", "2024", "1234")])
    text = panel.survey.text()
    assert "Số liệu điều tra" in text and "DTTS 2024" in text and "01/10/2024" in text
    assert "1.234" in text and "Năm 2024" in text
    panel.set_cell("0102", "", [])
    assert "DTTS" not in panel.survey.text()
