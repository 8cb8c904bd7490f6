"""Indicator values: what the officer types, the canonical string that is stored and sent, the display.

Values travel as canonical decimal strings (docs/journeys.md): no thousands separators, "." as the decimal
mark, no exponent, no leading zeros, no trailing zeros after the decimal point, "0" rather than "-0"
("1234", "12.5", "-3"); yes/no values are "1" and "0"; text is stored stripped. Arithmetic uses
:class:`decimal.Decimal`, never float.

Officers type the Vietnamese way: "." groups thousands and "," is the decimal mark. :func:`parse_input`
reads officer input by these rules:

* "1.234" and "1.234.567" are thousands groupings: 1234 and 1234567.
* "1,234" is ambiguous (English thousands or Vietnamese decimal); the comma is the Vietnamese decimal
  mark, so it means 1.234. "1,234,567" (two commas) is refused with a hint.
* "1.234,5", "1234,5", "1 234", "1 234,5" and the plain "1234.5" are understood. A single "." is the
  decimal mark unless it sits exactly where a thousands separator would (1–3 digits not starting with 0
  before it, exactly 3 digits after, no comma, no space): "12.5", "0.234" and "1234.567" are decimals,
  "12.345" is 12345. When spaces group the thousands ("1 234.5"), a "." is the decimal mark.
* "1,234.5" (English style), "1.2.3,4,5" and misplaced separators are refused with a message that shows
  the Vietnamese way.
* At most 15 digits (what a spreadsheet keeps exactly); NaN, Infinity and exponents are not numbers.
* Negative numbers parse ("-3", also with the typographic "−" or "–"); whether one is allowed is the
  indicator's ``min`` (:func:`check_value`).

yes/no values accept, in any letter case and with or without diacritics, "có", "c", "đúng", "yes", "y",
"x" (a tick), "1", "true" for yes and "không", "k", "ko", "kh", "sai", "no", "n", "0", "false" for no.

Because of the thousands rule, a canonical string whose only "." is followed by exactly three digits
("1.234" meaning 1.234) does not survive :func:`parse_input` unchanged; machine values (canonical
strings, spreadsheet numbers) go through :func:`canonical_of` instead, which never reads "." as a
thousands separator. The Vietnamese display of :func:`format_value` always parses back to the same
canonical value.

Percent values are stored as the number of percent ("12.5" for 12,5 %). :func:`parse_input` accepts them
with or without a trailing "%"; :func:`format_value` shows them without the sign, because the grid shows
the unit (%) in its own column and the cell editor starts from the displayed text.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from dttscore.errors import ValueInputError
from dttscore.model import VALUE_TYPES, Indicator
from dttscore.problems import Problem

logger = logging.getLogger(__name__)

MAX_DIGITS = 15
"""Most digits a number may have (integer part plus decimals): what a spreadsheet keeps exactly."""

MAX_TEXT = 2000
"""Most characters of a text value."""

NUMERIC_TYPES = ("integer", "decimal", "percent")

_YES = frozenset({"co", "c", "yes", "y", "1", "x", "true", "dung", "d"})
_NO = frozenset({"khong", "k", "no", "n", "0", "false", "sai", "ko", "kh"})
_CANONICAL_RE = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?")
_MACHINE_RE = re.compile(r"[+-]?([0-9]+)(?:\.([0-9]+))?")
_SPACES_RE = re.compile(r"[\s\u00a0\u202f\u2007\u2009]+")
_BODY_RE = re.compile(r"[0-9., ]+")
_DIGITS_RE = re.compile(r"[0-9]+")
_MINUS_SIGNS = ("-", "\u2212", "\u2013")


# -- officer input ------------------------------------------------------------------------------------


def parse_input(text: str | None, value_type: str) -> str | None:
    """Read what an officer typed into the canonical string of a value.

    Args:
        text: the typed text (Vietnamese formatting, see the module docstring).
        value_type: one of ``integer``, ``decimal``, ``percent``, ``yes_no``, ``text``.

    Returns:
        The canonical string ("1234", "12.5", "1"/"0" for yes/no), or None when the text is empty or
        only whitespace.

    Raises:
        ValueInputError: the text is not a value of that type; the message says how to write one.
        ValueError: ``value_type`` is not a value type (a bug, not bad input).
    """
    _check_type(value_type)
    if text is None:
        return None
    if value_type == "text":
        stripped = text.strip()
        if not stripped:
            return None
        _check_text_length(stripped)
        return stripped
    compact = _SPACES_RE.sub(" ", text).strip()
    if not compact:
        return None
    if value_type == "yes_no":
        return _parse_yes_no(compact)
    return _parse_number(compact, value_type)


def _check_type(value_type: str) -> None:
    if value_type not in VALUE_TYPES:
        raise ValueError(f"unknown value type {value_type!r}")


def _check_text_length(text: str) -> None:
    if len(text) > MAX_TEXT:
        raise ValueInputError(
            f"Nội dung dài {_group(str(len(text)))} ký tự, tối đa {_group(str(MAX_TEXT))} ký tự.",
            f"The text is {len(text):,} characters long; at most {MAX_TEXT:,} are allowed.",
        )


def _fold(text: str) -> str:
    """Lower case without diacritics ("Không" → "khong", "Đúng" → "dung")."""
    text = text.lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _parse_yes_no(text: str) -> str:
    folded = _fold(text).strip().rstrip(".")
    if folded in _YES:
        return "1"
    if folded in _NO:
        return "0"
    raise _not_yes_no(text)


def _not_yes_no(text: str) -> ValueInputError:
    return ValueInputError(
        f"“{_short(text)}” không phải Có hoặc Không. Nhập Có hoặc Không (có thể gõ tắt c/k hoặc 1/0).",
        f"“{_short(text)}” is not Yes or No. Enter Có (yes) or Không (no); c/k or 1/0 also work.",
    )


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _not_a_number(text: str) -> ValueInputError:
    return ValueInputError(
        f"“{_short(text)}” không phải là số. Nhập số, ví dụ 1.234 hoặc 12,5.",
        f"“{_short(text)}” is not a number. Enter a number the Vietnamese way, e.g. 1.234 (one thousand "
        "two hundred and thirty-four) or 12,5 (twelve and a half).",
    )


def _bad_separators(text: str) -> ValueInputError:
    return ValueInputError(
        f"“{_short(text)}” viết chưa đúng cách. Dùng dấu chấm để tách hàng nghìn và dấu phẩy cho phần "
        "thập phân, ví dụ 1.234.567 hoặc 1.234,5.",
        f"“{_short(text)}” is not written correctly. Use a dot to group thousands and a comma for the "
        "decimal part, e.g. 1.234.567 or 1.234,5.",
    )


def _parse_number(text: str, value_type: str) -> str:
    body = text
    if body.endswith("%"):
        if value_type != "percent":
            rest = body[:-1].strip().lstrip("".join(_MINUS_SIGNS) + "+").strip()
            if not _BODY_RE.fullmatch(rest) or not any(ch.isdigit() for ch in rest):
                raise _not_a_number(text)
            raise ValueInputError(
                f"Chỉ tiêu này không tính bằng phần trăm; bỏ dấu % trong “{_short(text)}”.",
                f"This indicator is not a percentage; remove the % from “{_short(text)}”.",
            )
        body = body[:-1].rstrip()
    negative = False
    if body[:1] in (*_MINUS_SIGNS, "+"):
        negative = body[0] != "+"
        body = body[1:].lstrip()
    if not body or not _BODY_RE.fullmatch(body) or not any(ch.isdigit() for ch in body):
        raise _not_a_number(text)
    int_digits, frac_digits = _split_number(body, text)
    int_digits = int_digits.lstrip("0")
    frac_digits = frac_digits.rstrip("0")
    if len(int_digits) > MAX_DIGITS:
        raise ValueInputError(
            f"“{_short(text)}” là số quá lớn (tối đa {MAX_DIGITS} chữ số). Kiểm tra lại số đã nhập.",
            f"“{_short(text)}” is too large a number (at most {MAX_DIGITS} digits). Check what was entered.",
        )
    if len(int_digits) + len(frac_digits) > MAX_DIGITS:
        raise ValueInputError(
            f"“{_short(text)}” có quá nhiều chữ số (tối đa {MAX_DIGITS} chữ số). Làm tròn bớt phần thập phân.",
            f"“{_short(text)}” has too many digits (at most {MAX_DIGITS}). Round the decimal part.",
        )
    if value_type == "integer" and frac_digits:
        vi = f"Chỉ tiêu này nhận số nguyên; “{_short(text)}” có phần thập phân."
        en = f"This indicator takes whole numbers only; “{_short(text)}” has a decimal part."
        m = re.fullmatch(r"([1-9][0-9]{0,2}),([0-9]{3})", body)
        if m:  # "1,234": most likely an English thousands separator
            grouped = f"{m.group(1)}.{m.group(2)}"
            vi += f" Dấu phẩy là dấu thập phân; nếu là số {grouped}, nhập {grouped} hoặc {m.group(1)}{m.group(2)}."
            en += (
                f" The comma is the decimal mark; for {m.group(1)}{m.group(2)} enter {grouped} or "
                f"{m.group(1)}{m.group(2)}."
            )
        raise ValueInputError(vi, en)
    return _assemble(negative, int_digits, frac_digits)


def _assemble(negative: bool, int_digits: str, frac_digits: str) -> str:
    """Canonical string from already stripped digit strings."""
    out = int_digits or "0"
    if frac_digits:
        out += "." + frac_digits
    if negative and out != "0":
        out = "-" + out
    return out


def _split_number(body: str, text: str) -> tuple[str, str]:
    """Split a number body (digits, ".", ",", " ") into integer and decimal digits, or raise."""
    if body.count(",") > 1:
        raise _bad_separators(text)
    if "," in body:
        int_part, frac = body.split(",")
        if not _DIGITS_RE.fullmatch(frac):
            raise _bad_separators(text)
        return _ungroup(int_part, text, allow_empty=True), frac
    dots = body.count(".")
    if dots == 0:
        return _ungroup(body, text, allow_empty=False), ""
    if dots > 1:
        return _ungroup(body, text, allow_empty=False), ""
    left, right = body.split(".")
    if " " not in left and re.fullmatch(r"[1-9][0-9]{0,2}", left) and re.fullmatch(r"[0-9]{3}", right):
        return left + right, ""  # "1.234": a thousands separator, the Vietnamese reading
    if not _DIGITS_RE.fullmatch(right):
        raise _bad_separators(text)
    return _ungroup(left, text, allow_empty=True), right


def _ungroup(part: str, text: str, allow_empty: bool) -> str:
    """The digits of an integer part, checking its thousands grouping ("1.234.567", "1 234")."""
    if part == "":
        if allow_empty:
            return ""
        raise _bad_separators(text)
    if _DIGITS_RE.fullmatch(part):
        return part
    seps = {ch for ch in part if ch in ". "}
    if len(seps) != 1:
        raise _bad_separators(text)
    groups = part.split(seps.pop())
    if not re.fullmatch(r"[0-9]{1,3}", groups[0]) or not all(
        re.fullmatch(r"[0-9]{3}", g) for g in groups[1:]
    ):
        raise _bad_separators(text)
    return "".join(groups)


# -- machine values -----------------------------------------------------------------------------------


def canonical_of(value: str | int | float | Decimal | None, value_type: str) -> str | None:
    """The canonical string of a machine value: a canonical or plain string, an int, a Decimal, a float.

    Unlike :func:`parse_input`, a "." is always the decimal mark here ("1.234" is 1.234), and commas or
    spaces are refused. Floats (numbers read from a spreadsheet cell) are taken through their shortest
    representation (``repr``), so 0.1 stays 0.1. yes/no and text strings go through :func:`parse_input`.

    Raises:
        ValueInputError: the value is not a value of the type.
    """
    _check_type(value_type)
    if value is None:
        return None
    if isinstance(value, bool):
        value = int(value)
    if value_type == "text":
        return parse_input(str(value), "text")
    if value_type == "yes_no" and isinstance(value, str):
        return parse_input(value, "yes_no")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _not_a_number(str(value))
        value = Decimal(repr(value))
    if isinstance(value, (int, Decimal)):
        dec = Decimal(value)
        if not dec.is_finite():
            raise _not_a_number(str(value))
        text = _decimal_to_plain(dec)
    else:
        text = str(value).strip()
        if not text:
            return None
    m = _MACHINE_RE.fullmatch(text)
    if not m:
        raise _not_a_number(text)
    negative = text.startswith("-")
    int_digits = m.group(1).lstrip("0")
    frac_digits = (m.group(2) or "").rstrip("0")
    if len(int_digits) + len(frac_digits) > MAX_DIGITS:
        raise ValueInputError(
            f"“{_short(text)}” là số quá lớn hoặc quá nhiều chữ số (tối đa {MAX_DIGITS} chữ số).",
            f"“{_short(text)}” is too large or has too many digits (at most {MAX_DIGITS}).",
        )
    if value_type == "integer" and frac_digits:
        raise ValueInputError(
            f"Chỉ tiêu này nhận số nguyên; “{_short(text)}” có phần thập phân.",
            f"This indicator takes whole numbers only; “{_short(text)}” has a decimal part.",
        )
    canonical = _assemble(negative, int_digits, frac_digits)
    if value_type == "yes_no" and canonical not in ("0", "1"):
        raise _not_yes_no(text)
    return canonical


def _decimal_to_plain(dec: Decimal) -> str:
    """A finite Decimal in positional notation, never with an exponent."""
    return format(dec, "f")


def is_canonical(value: str, value_type: str) -> bool:
    """Whether ``value`` is already the canonical string of a value of ``value_type``."""
    _check_type(value_type)
    if value_type == "text":
        return value == value.strip() and 0 < len(value) <= MAX_TEXT
    if value_type == "yes_no":
        return value in ("0", "1")
    if not _CANONICAL_RE.fullmatch(value) or value == "-0":
        return False
    int_part, _, frac = value.lstrip("-").partition(".")
    if (0 if int_part == "0" else len(int_part)) + len(frac) > MAX_DIGITS:
        return False
    return not (value_type == "integer" and frac)


def to_decimal(canonical: str) -> Decimal:
    """The Decimal of a canonical number string (also accepts plain machine numbers such as "12.50").

    Raises:
        ValueInputError: not a finite number.
    """
    try:
        dec = Decimal(canonical.strip())
    except (InvalidOperation, AttributeError, ValueError):
        raise _not_a_number(str(canonical)) from None
    if not dec.is_finite():
        raise _not_a_number(canonical)
    return dec


# -- display ------------------------------------------------------------------------------------------


def format_value(canonical: str | None, value_type: str, lang: str = "vi") -> str:
    """The Vietnamese display of a canonical value: "1.234,5", "Có"/"Không", the text itself.

    Numbers always show the Vietnamese way (the UI shows and accepts Vietnamese formatting); ``lang``
    changes only the yes/no words. Percent values show without the "%" sign (see the module docstring).
    A stored value that is not canonical shows as it is rather than failing.
    """
    _check_type(value_type)
    if canonical is None or canonical == "":
        return ""
    if value_type == "text":
        return canonical
    if value_type == "yes_no":
        if canonical == "1":
            return "Yes" if lang == "en" else "Có"
        if canonical == "0":
            return "No" if lang == "en" else "Không"
        logger.debug("not a yes/no value: %r", canonical)
        return canonical
    try:
        dec = to_decimal(canonical)
    except ValueInputError:
        logger.debug("not a number: %r", canonical)
        return canonical
    return format_decimal(dec)


def format_decimal(dec: Decimal) -> str:
    """A Decimal the Vietnamese way: "." groups thousands, "," before the decimals ("-1.234,5")."""
    plain = _decimal_to_plain(dec)
    negative = plain.startswith("-")
    plain = plain.lstrip("-")
    int_part, _, frac = plain.partition(".")
    int_part = int_part.lstrip("0") or "0"
    frac = frac.rstrip("0")
    out = _group(int_part)
    if frac:
        out += "," + frac
    if negative and out != "0":
        out = "-" + out
    return out


def _group(digits: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(groups)


# -- checks against the catalogue ---------------------------------------------------------------------


def check_value(indicator: Indicator, canonical: str | None, disagg: str = "") -> list[Problem]:
    """The type and range problems of one stored value of an indicator.

    An empty value has no problem here (``required`` is checked per report by
    :func:`dttscore.validate.check_report`). Limits are those of the catalogue: no minimum is
    invented for counts; the catalogues give counts ``min`` 0.

    Args:
        indicator: the catalogue's indicator.
        canonical: the stored canonical string, or None.
        disagg: the cell's disaggregation key, copied into the problems.

    Returns:
        Problems with codes "type", "min", "max" and severity "error".
    """
    if canonical is None or canonical == "":
        return []
    code = indicator.code

    def problem(kind: str, vi: str, en: str) -> Problem:
        return Problem(
            severity="error", code=kind, indicator=code, disagg=disagg, message_vi=vi, message_en=en
        )

    vtype = indicator.value_type
    if vtype == "text":
        if len(canonical) > MAX_TEXT:
            return [
                problem(
                    "type",
                    f"Chỉ tiêu {code}: nội dung dài {_group(str(len(canonical)))} ký tự, tối đa "
                    f"{_group(str(MAX_TEXT))} ký tự.",
                    f"Indicator {code}: the text is {len(canonical):,} characters long; at most {MAX_TEXT:,}.",
                )
            ]
        return []
    value: int | Decimal
    if (
        canonical.isascii()
        and canonical.isdigit()
        and len(canonical) <= MAX_DIGITS
        and (canonical[0] != "0" or canonical == "0")
    ):
        # the common case, a plain count: no regex, no Decimal (this runs for every cell as the officer types)
        if vtype == "yes_no" and canonical not in ("0", "1"):
            return [problem("type", *_type_messages(code, canonical, vtype))]
        value = int(canonical)
    elif not is_canonical(canonical, vtype):
        return [problem("type", *_type_messages(code, canonical, vtype))]
    else:
        value = to_decimal(canonical)
    if (indicator.min is None or value >= indicator.min) and (
        indicator.max is None or value <= indicator.max
    ):
        return []
    shown = format_value(canonical, vtype)
    problems = []
    if indicator.min is not None and value < indicator.min:
        if indicator.min == 0 and value < 0:
            vi = f"Chỉ tiêu {code}: số liệu không được âm (đã nhập {shown})."
            en = f"Indicator {code}: the value cannot be negative ({shown} was entered)."
        else:
            limit = format_decimal(indicator.min)
            vi = f"Chỉ tiêu {code}: {shown} nhỏ hơn mức tối thiểu cho phép là {limit}."
            en = f"Indicator {code}: {shown} is below the minimum allowed, {limit}."
        problems.append(problem("min", vi, en))
    if indicator.max is not None and value > indicator.max:
        limit = format_decimal(indicator.max)
        vi = f"Chỉ tiêu {code}: {shown} lớn hơn mức tối đa cho phép là {limit}."
        en = f"Indicator {code}: {shown} is above the maximum allowed, {limit}."
        problems.append(problem("max", vi, en))
    return problems


def _type_messages(code: str, canonical: str, vtype: str) -> tuple[str, str]:
    raw = _short(canonical)
    if vtype == "yes_no":
        return (
            f"Chỉ tiêu {code}: giá trị “{raw}” không phải Có hoặc Không.",
            f"Indicator {code}: the value “{raw}” is not Yes or No.",
        )
    if vtype == "integer" and _CANONICAL_RE.fullmatch(canonical):
        return (
            f"Chỉ tiêu {code} nhận số nguyên; giá trị “{format_value(canonical, 'decimal')}” có phần thập phân.",
            f"Indicator {code} takes whole numbers; the value “{format_value(canonical, 'decimal')}” has a "
            "decimal part.",
        )
    return (
        f"Chỉ tiêu {code}: giá trị “{raw}” không phải là số hợp lệ (tối đa {MAX_DIGITS} chữ số).",
        f"Indicator {code}: the value “{raw}” is not a valid number (at most {MAX_DIGITS} digits).",
    )
