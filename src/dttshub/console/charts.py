"""The totals page's trend chart, drawn on the server as SVG geometry (no script, no library).

:func:`trend_chart` turns the totals of the last periods into the coordinates the template draws: a line
through each period's total of one indicator, a dot and a label per period, and a few grid lines.
"""

from __future__ import annotations

from decimal import Decimal

from dttscore.periods import period_label
from dttshub.province_model import ProvinceTotals

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 70, 50, 20, 40


def _fmt(value: Decimal) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")  # as the tables show numbers: no thousands separator
    return text


def trend_chart(trend: list[ProvinceTotals], code: str, lang: str) -> dict:
    """Geometry of a line chart of indicator ``code``'s total over the periods of ``trend`` (oldest first).

    Returns:
        ``{width, height, line, points: [{x, y, label, value, legacy}], grid: [{y, label}], code}``; a period
        with no total has no dot and breaks nothing (the line joins the periods that have one); ``legacy`` is
        True for a total that includes legacy data (its dot is drawn hollow).
    """
    values: list[tuple[str, Decimal | None]] = []
    legacy: list[bool] = []
    for totals in trend:
        cell = next((c for c in totals.cells if c.code == code and c.disagg == ""), None)
        values.append((totals.period, cell.value if cell is not None else None))
        legacy.append(cell is not None and cell.legacy_units > 0)
    known = [v for _, v in values if v is not None]
    top = max(known) if known else Decimal(1)
    top = top if top > 0 else Decimal(1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(values) - 1)
    points = []
    for i, (period, value) in enumerate(values):
        x = LEFT + (i * step if len(values) > 1 else plot_w / 2)
        y = None if value is None else TOP + plot_h - float(value / top) * plot_h
        points.append(
            {
                "x": round(x, 1),
                "y": None if y is None else round(y, 1),
                "label": period_label(period, lang),
                "period": period,
                "value": "" if value is None else _fmt(value),
                "legacy": legacy[i],
            }
        )
    line = " ".join(f"{p['x']},{p['y']}" for p in points if p["y"] is not None)
    grid = [{"y": round(TOP + plot_h - plot_h * k / 4, 1), "label": _fmt(top * k / 4)} for k in range(5)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "line": line,
        "points": points,
        "grid": grid,
        "code": code,
    }
