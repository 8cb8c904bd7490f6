"""Reporting periods: the codes of docs/journeys.md, their dates and deadlines.

=========  ============  ======================================
code       type          meaning
=========  ============  ======================================
"2026"     year          1/1/2026 – 31/12/2026
"2026S1"   half_year     first half (S2: second half)
"2026Q3"   quarter       third quarter (Q1 … Q4)
"202607"   month         July 2026 (01 … 12)
=========  ============  ======================================

Years run from 2000 to 2100. :func:`parse_period` accepts lower-case letters ("2026q3") and surrounding
spaces; :attr:`Period.code` is always the canonical spelling.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta

from dttscore.errors import IdentifierError
from dttscore.model import PERIOD_TYPES

logger = logging.getLogger(__name__)

MIN_YEAR = 2000
MAX_YEAR = 2100

_PER_YEAR = {"year": 1, "half_year": 2, "quarter": 4, "month": 12}
_MONTHS = {"year": 12, "half_year": 6, "quarter": 3, "month": 1}
_TYPE_VI = {"year": "năm", "half_year": "6 tháng", "quarter": "quý", "month": "tháng"}
_TYPE_EN = {"year": "year", "half_year": "half-year", "quarter": "quarter", "month": "month"}
_MONTH_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_PATTERNS = (
    (re.compile(r"([0-9]{4})"), "year"),
    (re.compile(r"([0-9]{4})S([0-9])"), "half_year"),
    (re.compile(r"([0-9]{4})Q([0-9])"), "quarter"),
    (re.compile(r"([0-9]{4})([0-9]{2})"), "month"),
)


@dataclass(frozen=True)
class Period:
    """One reporting period.

    Attributes:
        code: the canonical code ("2026Q3").
        type: "year", "half_year", "quarter" or "month".
        year: the calendar year.
        index: the half, quarter or month within the year (1 for a year).
        start: the first day.
        end: the last day.
    """

    code: str
    type: str
    year: int
    index: int
    start: date
    end: date

    def label(self, lang: str = "vi") -> str:
        """A name for people: "Quý 3/2026", "Tháng 7/2026", "6 tháng đầu năm 2026", "Năm 2026"."""
        if lang == "en":
            if self.type == "year":
                return f"Year {self.year}"
            if self.type == "half_year":
                return f"{'First' if self.index == 1 else 'Second'} half of {self.year}"
            if self.type == "quarter":
                return f"Q{self.index} {self.year}"
            return f"{_MONTH_EN[self.index - 1]} {self.year}"
        if self.type == "year":
            return f"Năm {self.year}"
        if self.type == "half_year":
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {self.year}"
        if self.type == "quarter":
            return f"Quý {self.index}/{self.year}"
        return f"Tháng {self.index}/{self.year}"


def _bad_code(code: object) -> IdentifierError:
    return IdentifierError(
        f"“{code}” không phải mã kỳ báo cáo hợp lệ. Ví dụ: 2026 (năm), 2026S1 (6 tháng), 2026Q3 (quý), "
        "202607 (tháng).",
        f"“{code}” is not a valid period code. Examples: 2026 (year), 2026S1 (half-year), 2026Q3 "
        "(quarter), 202607 (month).",
    )


def make_period(period_type: str, year: int, index: int = 1) -> Period:
    """The period of a type, year and index (half 1–2, quarter 1–4, month 1–12; 1 for a year).

    Raises:
        IdentifierError: the year is outside 2000–2100 or the index is out of range.
        ValueError: ``period_type`` is not a period type (a bug, not bad input).
    """
    if period_type not in PERIOD_TYPES:
        raise ValueError(f"unknown period type {period_type!r}")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise IdentifierError(
            f"Năm {year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR} mà phần mềm nhận.",
            f"The year {year} is outside the range {MIN_YEAR}–{MAX_YEAR} this software accepts.",
        )
    if not 1 <= index <= _PER_YEAR[period_type]:
        raise _bad_code(_code_of(period_type, year, index))
    months = _MONTHS[period_type]
    first_month = (index - 1) * months + 1
    start = date(year, first_month, 1)
    end = _first_of_month_after(year, first_month + months - 1) - timedelta(days=1)
    return Period(_code_of(period_type, year, index), period_type, year, index, start, end)


def _code_of(period_type: str, year: int, index: int) -> str:
    if period_type == "year":
        return f"{year:04d}"
    if period_type == "half_year":
        return f"{year:04d}S{index}"
    if period_type == "quarter":
        return f"{year:04d}Q{index}"
    return f"{year:04d}{index:02d}"


def _first_of_month_after(year: int, month: int) -> date:
    return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)


def parse_period(code: str) -> Period:
    """The period of a code ("2026", "2026S1", "2026Q3", "202607").

    Raises:
        IdentifierError: the code is malformed or its year is outside 2000–2100.
    """
    if not isinstance(code, str):
        raise _bad_code(code)
    text = code.strip().upper()
    for pattern, period_type in _PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            index = int(m.group(2)) if m.lastindex == 2 else 1
            if not 1 <= index <= _PER_YEAR[period_type]:
                raise _bad_code(code)
            return make_period(period_type, int(m.group(1)), index)
    raise _bad_code(code)


def period_label(code: str, lang: str = "vi") -> str:
    """The name people read for a period code: "2026Q4" → "Quý 4/2026" / "Q4 2026", "202611" →
    "Tháng 11/2026" / "November 2026" (see :meth:`Period.label`); a code that is not a period is returned
    unchanged, so a screen never fails on a stray value."""
    try:
        return parse_period(code).label(lang)
    except IdentifierError:
        return str(code)


def type_name(period_type: str, lang: str = "vi") -> str:
    """The name of a period type: "quý" / "quarter"."""
    return (_TYPE_EN if lang == "en" else _TYPE_VI)[period_type]


def check_period_for_form(code: str, period_type: str) -> Period:
    """The period of ``code``, checking it is of the form's period type.

    Raises:
        IdentifierError: the code is malformed, or a period of another type ("2026Q3" for a yearly form).
    """
    period = parse_period(code)
    if period.type != period_type:
        raise IdentifierError(
            f"Kỳ {period.code} là kỳ {_TYPE_VI[period.type]}, nhưng biểu này báo cáo theo "
            f"{_TYPE_VI[period_type]}. Ví dụ một kỳ đúng: {_example(period_type, period.year)}.",
            f"The period {period.code} is a {_TYPE_EN[period.type]}, but this form reports by "
            f"{_TYPE_EN[period_type]}. A valid period, for example: {_example(period_type, period.year)}.",
        )
    return period


def _example(period_type: str, year: int) -> str:
    return make_period(period_type, year, 1).code


def deadline(code: str, deadline_days: int) -> date:
    """The deadline of a period: its last day plus the form's ``deadline_days``."""
    return parse_period(code).end + timedelta(days=deadline_days)


def containing(period_type: str, day: date) -> Period:
    """The period of a type that contains ``day``."""
    if period_type not in PERIOD_TYPES:
        raise ValueError(f"unknown period type {period_type!r}")
    index = (day.month - 1) // _MONTHS[period_type] + 1
    return make_period(period_type, day.year, index)


def _shift(period: Period, steps: int) -> Period:
    per_year = _PER_YEAR[period.type]
    ordinal = period.year * per_year + (period.index - 1) + steps
    return make_period(period.type, ordinal // per_year, ordinal % per_year + 1)


def shift(period: Period, steps: int) -> Period:
    """The period ``steps`` periods of the same type after ``period`` (before it when negative).

    Raises:
        IdentifierError: the period would be before 2000 or after 2100.
    """
    return _shift(period, steps)


def previous(code: str) -> str:
    """The code of the period before ``code``, of the same type ("2026Q1" → "2025Q4").

    Raises:
        IdentifierError: malformed code, or the previous period is before 2000.
    """
    return _shift(parse_period(code), -1).code


def following(code: str) -> str:
    """The code of the period after ``code``, of the same type ("2026Q4" → "2027Q1")."""
    return _shift(parse_period(code), 1).code


def periods_around(period_type: str, today: date, count: int) -> list[Period]:
    """The periods a picker offers: the one containing ``today`` and the ``count - 1`` before it.

    Most recent first; periods before 2000 are left out.
    """
    if count <= 0:
        return []
    current = containing(period_type, today)
    out = [current]
    while len(out) < count:
        try:
            out.append(_shift(out[-1], -1))
        except IdentifierError:
            break
    return out
