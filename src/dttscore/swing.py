"""Earlier periods of a cell and swings from the previous period (issue 16 items 1 and 2).

Shared by the client (entry page, finalize) and the hub (ingest), so both find the same swings. A swing is
a value that moved from the previous period's value of the same cell by more than the indicator's
:attr:`~dttscore.model.Indicator.swing_limit` percent (the catalogue's ``max_change_pct`` column,
docs/catalogue.md). It is a warning: the officer gives a reason at finalize, and the reason travels
with the submission.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from dttscore.errors import IdentifierError
from dttscore.model import Catalog
from dttscore.periods import make_period, parse_period, period_label, previous
from dttscore.problems import Problem
from dttscore.values import format_value

SWING = "swing"
"""The ``code`` of a swing :class:`Problem` (its reason key at finalize is ``swing@0301/eth=08``)."""
HUNDRED = Decimal(100)


def year_earlier(code: str) -> str | None:
    """The same period a year earlier ("2026Q3" → "2025Q3", "2026" → "2025"); None before 2000."""
    try:
        period = parse_period(code)
        return make_period(period.type, period.year - 1, period.index).code
    except IdentifierError:
        return None


def earlier_periods(code: str) -> list[str]:
    """The periods shown beside a cell, most recent first: the previous two periods and the same
    period one and two years earlier (fewer for a year form, where they coincide; none before 2000)."""
    out: list[str] = []
    current = code
    for _ in range(2):
        try:
            current = previous(current)
        except IdentifierError:
            break
        out.append(current)
    one = year_earlier(code)
    two = year_earlier(one) if one else None
    for extra in (one, two):
        if extra and extra not in out:
            out.append(extra)
    return sorted(out, reverse=True, key=lambda c: (parse_period(c).start, c))


def _number(text: str | None) -> Decimal | None:
    if text is None or text == "":
        return None
    try:
        number = Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def change_pct(old: str | None, new: str | None) -> Decimal | None:
    """The change from ``old`` to ``new`` in percent of ``old`` (rounded to one decimal); None when either
    is not a number or ``old`` is zero."""
    a, b = _number(old), _number(new)
    if a is None or b is None or a == 0:
        return None
    return ((b - a) / abs(a) * HUNDRED).quantize(Decimal("0.1"))


def format_pct(pct: Decimal) -> str:
    """ "+100%", "-12,5%" (Vietnamese decimal comma; the sign always shown)."""
    text = format(pct.normalize(), "f").replace(".", ",")
    return f"+{text}%" if pct > 0 else f"{text}%"


def swing_problems(
    catalog: Catalog,
    form_code: str,
    values: Mapping[tuple[str, str], str | None],
    earlier: Mapping[tuple[str, str], str | None],
    earlier_period: str,
) -> list[Problem]:
    """A warning for each cell of the form whose value moved from ``earlier``'s by more than its limit.

    Args:
        catalog: the report's catalogue version.
        form_code: the report's form.
        values: the report's canonical values by (code, disagg).
        earlier: the previous period's values of the same unit and form (empty when there is none).
        earlier_period: that period's code, named in the message.

    Returns:
        Problems with severity "warning", code :data:`SWING`, the cell's indicator and disagg, in the
        order of ``values``; a cell without a previous value, or whose previous value is 0, has none.
    """
    if not earlier:
        return []
    form = catalog.form(form_code)
    limits = {}
    for ind in catalog.form_indicators(form):
        limit = ind.swing_limit
        if limit is not None and ind.numeric:
            limits[ind.code] = (limit, ind)
    label_vi, label_en = period_label(earlier_period, "vi"), period_label(earlier_period, "en")
    out = []
    for (code, disagg), new in values.items():
        found = limits.get(code)
        if found is None:
            continue
        old = earlier.get((code, disagg))
        pct = change_pct(old, new)
        if pct is None or abs(pct) <= found[0]:
            continue
        limit, ind = found
        shown_old, shown_new = format_value(old, ind.value_type), format_value(new, ind.value_type)
        shown_pct, shown_limit = format_pct(pct), format(limit.normalize(), "f").replace(".", ",")
        out.append(
            Problem(
                severity="warning",
                code=SWING,
                indicator=code,
                disagg=disagg,
                message_vi=(
                    f"Chỉ tiêu {code}: {shown_new} so với {shown_old} ({label_vi}), thay đổi {shown_pct}, "
                    f"quá mức {shown_limit}%. Hãy kiểm tra lại số, hoặc ghi lý do khi hoàn tất."
                ),
                message_en=(
                    f"Indicator {code}: {shown_new} against {shown_old} ({label_en}), a change of "
                    f"{shown_pct.replace(',', '.')}, more than {shown_limit.replace(',', '.')}%. Check the "
                    "figure, or give a reason when finalizing."
                ),
            )
        )
    return out
