"""The earlier periods of a cell as lines of text, for the side panel and the cell's tooltip (issue 16).

The values come from :meth:`store.earlier.cell_history <dttsclient.store.history.Earlier.cell_history>`
(the officer's own reports and those pulled from the hub); nothing here touches the network.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from dttsclient.store.history import EarlierValue
from dttscore.periods import period_label
from dttscore.swing import format_pct
from dttscore.values import format_value


def earlier_title() -> str:
    return QCoreApplication.translate("EarlierPeriods", "Các kỳ trước")


def earlier_lines(entries: Sequence[EarlierValue], value_type: str, lang: str = "vi") -> list[str]:
    """One line per earlier period: "Năm 2025: 80 (+100%)", "Năm 2024: chưa có báo cáo"."""
    lines = []
    for e in entries:
        if e.value is not None:
            shown = format_value(e.value, value_type, lang)
            if e.change_pct is not None:
                now = QCoreApplication.translate("EarlierPeriods", "nay %1")
                shown += " (" + now.replace("%1", format_pct(e.change_pct)) + ")"
        elif e.has_report:
            shown = QCoreApplication.translate("EarlierPeriods", "để trống")
        else:
            shown = QCoreApplication.translate("EarlierPeriods", "chưa có báo cáo")
        lines.append(f"{period_label(e.period, lang)}: {shown}")
    return lines
