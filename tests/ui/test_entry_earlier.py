"""Earlier periods beside the cell and swing warnings on the entry page (issue 16 items 1, 2)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTranslator

from dttsclient.ui.i18n import TRANSLATOR_NAME, Translations
from tests.support.entry_fixtures import UNIT, cell, entry_for, go, open_form, type_into


@pytest.fixture
def entry(tmp_path):
    """BM03 of 2026 Q1, with the report of 2025 Q4 (0104 = 500 households) and of 2025 Q1 (480)."""
    with entry_for(tmp_path) as e:
        for period, households in (("2025Q4", "500"), ("2025Q1", "480")):
            earlier = e.store.reports.report(UNIT, "BM03", period, create=True)
            e.store.reports.set_cell(earlier.id, "0104", "", households, "canbo")
        yield e


def test_the_side_panel_and_the_tooltip_show_earlier_periods_with_the_change(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0104")
    type_into(view, "550")
    go(view, "0104")
    qtbot.waitUntil(lambda: "Quý 4/2025: 500" in view.indicator_panel.earlier.text())
    text = view.indicator_panel.earlier.text()
    assert "Các kỳ trước" in text
    assert "Quý 4/2025: 500 (nay +10%)" in text
    assert "Quý 1/2025: 480 (nay +14,6%)" in text
    assert "Quý 3/2025: chưa có báo cáo" in text
    tip = view.model.data(view.model.index(*cell(view, "0104")), Qt.ItemDataRole.ToolTipRole)
    assert "Quý 4/2025: 500 (nay +10%)" in tip
    # no swing within the sample's 20% for households
    assert not [p for p in view.problems() if p.code == "swing"]


def test_a_doubled_value_is_a_warning_beside_the_cell_naming_both_values(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0104")
    type_into(view, "1000")
    go(view, "0104")
    qtbot.waitUntil(lambda: any(p.code == "swing" for p in view.problems()))
    [swing] = [p for p in view.problems() if p.code == "swing"]
    assert swing.is_warning and "1.000" in swing.message_vi and "500" in swing.message_vi
    tip = view.model.data(view.model.index(*cell(view, "0104")), Qt.ItemDataRole.ToolTipRole)
    assert swing.message_vi in tip and "Quý 4/2025: 500 (nay +100%)" in tip
    qtbot.waitUntil(lambda: swing.message_vi in view.indicator_panel.cell.text())


@pytest.fixture
def english(qapp):
    t = Translations(qapp)
    assert t.install("en")
    yield t
    t.install("vi")
    for old in qapp.findChildren(QTranslator, TRANSLATOR_NAME):
        qapp.removeTranslator(old)
        old.setParent(None)


def test_english_labels(qtbot, entry, english):
    view = open_form(qtbot, entry, lang="en")
    go(view, "0104")
    type_into(view, "550")
    go(view, "0104")
    qtbot.waitUntil(lambda: "Q4 2025: 500" in view.indicator_panel.earlier.text())
    assert "Earlier periods" in view.indicator_panel.earlier.text()
    assert "Q4 2025: 500 (now +10%)" in view.indicator_panel.earlier.text()
