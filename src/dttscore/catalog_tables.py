"""Plain tables of a catalogue and typed reading of their cells, shared by the JSON and workbook loaders.

A loader turns its input into :class:`RawSheet` tables (rows of raw cell values keyed by lower-case
column name, with the row number they have in the sheet); :mod:`dttscore.catalog` checks them with
a :class:`CellReader` per row, which records a :class:`~dttscore.errors.CatalogProblem` with its
sheet, row and column for every cell it cannot read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Context, Decimal

from dttscore.errors import CatalogProblem

#: The sheets of the workbook, in the order they are written (docs/catalogue.md).
SHEETS = ("meta", "groups", "indicators", "disaggregations", "options", "forms", "rules")
#: Sheets a catalogue cannot do without; the others may be left out when they would be empty.
REQUIRED_SHEETS = ("meta", "groups", "indicators", "forms")
#: The columns of each sheet, in the order they are written.
COLUMNS: dict[str, tuple[str, ...]] = {
    "meta": ("key", "value"),
    "groups": ("code", "name_vi", "name_en", "order"),
    "indicators": (
        "code",
        "group",
        "name_vi",
        "name_en",
        "unit",
        "value_type",
        "min",
        "max",
        "required",
        "disaggregation",
        "definition_vi",
        "method_vi",
        "source_vi",
        "order",
        "aggregation",
        "options",
        "max_change_pct",
    ),
    "disaggregations": ("name", "dimensions"),
    "options": ("dimension", "code", "name_vi", "name_en", "order"),
    "forms": ("code", "name_vi", "name_en", "period_type", "indicators", "deadline_days", "eth_options", "reported_by"),
    "rules": ("code", "expression", "severity", "message_vi", "message_en", "forms"),
}
#: Columns that must be present in a sheet (the others have defaults).
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "meta": ("key", "value"),
    "groups": ("code", "name_vi"),
    "indicators": ("code", "group", "name_vi", "value_type"),
    "disaggregations": ("name", "dimensions"),
    "options": ("dimension", "code", "name_vi"),
    "forms": ("code", "name_vi", "period_type", "indicators", "deadline_days"),
    "rules": ("code", "expression", "severity", "message_vi"),
}
#: The keys of the ``meta`` sheet, in the order they are written.
META_KEYS = (
    "catalog_id",
    "version",
    "title",
    "legal_basis",
    "effective_from",
    "unit_list",
    "ethnic_code_system",
    "sample",
)

_YES = {"yes", "y", "có", "co", "true", "1"}
_NO = {"no", "n", "không", "khong", "false", "0"}
CODE_RE = re.compile(r"[A-Za-z0-9_.-]+")  # groups, forms, rules, disaggregation names
# Indicator codes and option codes are words of the rule grammar (core/rules.py): no "-", which also
# makes ranges in a form's indicator list, and a letter or digit first.
WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.]*")
WORD_ALLOWED = (
    "'_' và '.', bắt đầu bằng chữ cái hoặc chữ số",
    "'_' and '.', starting with a letter or digit",
)
DIMENSION_ALLOWED = ("'_', bắt đầu bằng chữ cái", "'_', starting with a letter")
DIMENSION_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_INTEGER_RE = re.compile(r"[+-]?\d+")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_VN_DATE_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


# -- raw tables ---------------------------------------------------------------------------------------
@dataclass
class RawRow:
    """One data row of a sheet: its row number and its cells by (lower-case) column name."""

    row: int | None
    cells: dict[str, object]

    def get(self, column: str) -> object:
        return self.cells.get(column)


@dataclass
class RawSheet:
    """A sheet as read from a file, before any checking.

    Attributes:
        name: the sheet name of docs/catalogue.md ("indicators").
        columns: the column names present (lower case, trimmed).
        rows: the non-blank data rows.
        header_row: the row of the header (1 in a workbook, None for JSON, which has no header).
    """

    name: str
    columns: tuple[str, ...]
    rows: list[RawRow] = field(default_factory=list)
    header_row: int | None = 1


class Problems:
    """Collects the problems of one load, in the order they are found."""

    def __init__(self) -> None:
        self.items: list[CatalogProblem] = []

    def add(
        self, vi: str, en: str, sheet: str | None = None, row: int | None = None, column: str | None = None
    ):
        self.items.append(CatalogProblem(vi, en, sheet, row, column))

    def __bool__(self) -> bool:
        return bool(self.items)


class Bad:
    """Marks a cell whose value could not be read (a problem has been recorded)."""


BAD = Bad()


# -- cell readers (shared by both loaders) ------------------------------------------------------------
def canonical_decimal(value: Decimal) -> str:
    """A Decimal as its canonical string: no exponent, no trailing zeros ("1234.5", "0", "-2")."""
    if value.is_zero():
        return "0"
    # normalize() rounds to the context's precision: give it all the digits the value has.
    exact = Context(prec=max(1, len(value.as_tuple().digits)))
    return format(value.normalize(exact), "f")


def _show(value: object) -> str:
    """A raw cell value as the officer would see it, for messages."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def cell_text(value: object) -> str:
    """A cell as text: "" for a blank cell, numbers without a spurious ".0", dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return canonical_decimal(value)
    return _show(value).replace("\r\n", "\n").replace("\r", "\n")


class CellReader:
    """Reads typed cells of one row, recording a problem (with its place) for each unreadable cell."""

    def __init__(self, problems: Problems, sheet: str, row: RawRow, prefix: str = "") -> None:
        self.problems = problems
        self.sheet = sheet
        self.row = row
        self.prefix = prefix  # "version: " for the meta sheet, whose cells all sit in column "value"

    def bad(self, column: str, vi: str, en: str) -> Bad:
        self.problems.add(self.prefix + vi, self.prefix + en, self.sheet, self.row.row, column)
        return BAD

    def raw(self, column: str) -> object:
        return self.row.get(column)

    def text(self, column: str, *, required: bool = False) -> str:
        value = cell_text(self.raw(column))
        if required and not value:
            self.bad(column, "ô này bắt buộc nhưng đang trống", "this cell is required but empty")
        if _CONTROL_RE.search(value):
            # Such characters cannot be stored in an xlsx file: refuse them here, in both loaders.
            self.bad(column, "có ký tự điều khiển không hợp lệ", "contains an invalid control character")
            return _CONTROL_RE.sub("", value)
        return value

    def code(
        self,
        column: str,
        pattern: re.Pattern[str] = CODE_RE,
        allowed: tuple[str, str] = ("'_', '.', '-'",) * 2,
    ) -> str:
        """A code cell; "" (with a problem recorded) when empty or malformed."""
        value = cell_text(self.raw(column))
        if not value:
            self.bad(column, "mã đang trống", "the code is empty")
            return ""
        if not pattern.fullmatch(value):
            self.bad(
                column,
                f"mã '{value}' chỉ được gồm chữ cái không dấu, chữ số, {allowed[0]} (không có dấu cách)",
                f"code '{value}' may only hold letters without diacritics, digits, {allowed[1]} (no spaces)",
            )
            return ""
        return value

    def choice(self, column: str, choices: Sequence[str], default: str | None = None) -> str | Bad:
        value = cell_text(self.raw(column)).lower()
        if not value and default is not None:
            return default
        if not value:
            return self.bad(column, "ô này bắt buộc nhưng đang trống", "this cell is required but empty")
        if value not in choices:
            listed = ", ".join(choices)
            shown = _show(self.raw(column))
            return self.bad(
                column,
                f"'{shown}' không hợp lệ; dùng một trong: {listed}",
                f"'{shown}' is not valid; use one of: {listed}",
            )
        return value

    def decimal(self, column: str) -> Decimal | Bad | None:
        value = self.raw(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        number: Decimal | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, (int, Decimal)):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))
        elif isinstance(value, str) and _NUMBER_RE.fullmatch(value.strip()):
            number = Decimal(value.strip())
        if number is None or not number.is_finite():
            return self.bad(column, f"'{_show(value)}' không phải là số", f"'{_show(value)}' is not a number")
        return number

    def integer(self, column: str, *, minimum: int | None = None, default: int | None = None) -> int | Bad:
        value = self.raw(column)
        if (value is None or (isinstance(value, str) and not value.strip())) and default is not None:
            return default
        number: int | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif (isinstance(value, float) and value.is_integer()) or (
            isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value()
        ):
            number = int(value)
        elif isinstance(value, str) and _INTEGER_RE.fullmatch(value.strip()):
            number = int(value.strip())
        if number is None or (minimum is not None and number < minimum):
            shown = _show(value) if value is not None else ""
            if minimum == 0:
                vi, en = "một số nguyên không âm", "a non-negative whole number"
            elif minimum == 1:
                vi, en = "một số nguyên dương", "a positive whole number"
            else:
                vi, en = "một số nguyên", "a whole number"
            return self.bad(column, f"'{shown}' không phải là {vi}", f"'{shown}' is not {en}")
        return number

    def yes_no(self, column: str, *, default: bool | None = None) -> bool | Bad:
        value = self.raw(column)
        if isinstance(value, bool):
            return value
        text = cell_text(value).lower()
        if not text and default is not None:
            return default
        if text in _YES:
            return True
        if text in _NO:
            return False
        return self.bad(
            column,
            f"'{text}' không phải là có/không (yes/no)",
            f"'{text}' is not yes/no (có/không)",
        )

    def date(self, column: str) -> date | Bad:
        value = self.raw(column)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = cell_text(value)
        try:
            if match := _VN_DATE_RE.fullmatch(text):
                return date(int(match[3]), int(match[2]), int(match[1]))
            return date.fromisoformat(text)
        except ValueError:
            return self.bad(
                column,
                f"'{text}' không phải là ngày (ví dụ 2025-07-01)",
                f"'{text}' is not a date (e.g. 2025-07-01)",
            )

    def code_list(self, column: str) -> list[str]:
        """A list cell: a JSON list, or text with comma-separated items ("eth, sex")."""
        value = self.raw(column)
        items = (
            [cell_text(v) for v in value] if isinstance(value, (list, tuple)) else cell_text(value).split(",")
        )
        return [item.strip() for item in items if item.strip()]


def ok(*values: object) -> bool:
    return not any(v is BAD for v in values)


class UniqueKeys:
    """Remembers the first row of each key of a sheet, to report duplicates."""

    def __init__(self, what_vi: str, what_en: str) -> None:
        self.first: dict[str, int | None] = {}
        self.what_vi, self.what_en = what_vi, what_en

    def add(self, reader: CellReader, column: str, key: str, shown: str | None = None) -> bool:
        if not key:
            return False
        if key in self.first:
            first = self.first[key]
            where_vi = f" (đã có ở dòng {first})" if first is not None else ""
            where_en = f" (already on row {first})" if first is not None else ""
            shown = shown or key
            reader.bad(
                column,
                f"{self.what_vi} '{shown}' bị trùng{where_vi}",
                f"{self.what_en} '{shown}' is a duplicate{where_en}",
            )
            return False
        self.first[key] = reader.row.row
        return True
