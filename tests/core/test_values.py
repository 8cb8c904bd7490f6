"""Values: officer input (Vietnamese formatting), canonical strings, display and per-value checks."""

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dttscore.errors import ValueInputError
from dttscore.model import Indicator
from dttscore.values import (
    MAX_TEXT,
    canonical_of,
    check_value,
    format_decimal,
    format_value,
    is_canonical,
    parse_input,
    to_decimal,
)

NUMERIC = ("integer", "decimal", "percent")


def indicator(value_type="integer", min=None, max=None, code="0101", unit="người"):
    return Indicator(
        code=code,
        group="01",
        name_vi="Dân số người dân tộc thiểu số",
        name_en="Ethnic-minority population",
        unit=unit,
        value_type=value_type,
        min=None if min is None else Decimal(min),
        max=None if max is None else Decimal(max),
    )


# -- parse_input: numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value_type", "expected"),
    [
        ("1234", "integer", "1234"),
        ("1.234", "integer", "1234"),  # Vietnamese thousands separator
        ("1.234", "decimal", "1234"),
        ("1,234", "decimal", "1.234"),  # the comma is the Vietnamese decimal mark
        ("1.234,5", "decimal", "1234.5"),
        ("1234,5", "decimal", "1234.5"),
        ("1 234", "integer", "1234"),
        ("1 234 567", "integer", "1234567"),
        ("1\u00a0234", "integer", "1234"),  # no-break space from a pasted spreadsheet
        ("1 234,5", "decimal", "1234.5"),
        ("1 234.5", "decimal", "1234.5"),  # spaces group, so the dot is the decimal mark
        ("1.234.567", "integer", "1234567"),
        ("1.234.567,89", "decimal", "1234567.89"),
        ("1234.5", "decimal", "1234.5"),  # plain, unambiguous: 4 digits before the dot
        ("12.5", "decimal", "12.5"),
        ("0.234", "decimal", "0.234"),  # a leading 0 is never a thousands group
        ("12.345", "decimal", "12345"),
        ("1234.567", "decimal", "1234.567"),
        ("1.2345", "decimal", "1.2345"),  # not in thousands position: the decimal mark
        ("12,50", "decimal", "12.5"),  # no trailing zeros
        ("12,0", "integer", "12"),  # a zero decimal part is still a whole number
        ("007", "integer", "7"),  # no leading zeros
        ("0", "integer", "0"),
        ("-0", "integer", "0"),
        ("-0,0", "decimal", "0"),
        ("-3", "integer", "-3"),  # parses; the indicator's min refuses it
        ("\u22123", "integer", "-3"),  # typographic minus
        ("+5", "integer", "5"),
        ("- 5", "integer", "-5"),
        (",5", "decimal", "0.5"),
        ("  42  ", "integer", "42"),
        ("12,5", "percent", "12.5"),
        ("12,5%", "percent", "12.5"),
        ("12,5 %", "percent", "12.5"),
        ("100%", "percent", "100"),
        ("999.999.999.999.999", "integer", "999999999999999"),  # 15 digits: the most allowed
        ("0,000000000000001", "decimal", "0.000000000000001"),
    ],
)
def test_parse_input_numbers(text, value_type, expected):
    assert parse_input(text, value_type) == expected


@pytest.mark.parametrize("text", ["", " ", "\t\n", "\u00a0", None])
@pytest.mark.parametrize("value_type", ["integer", "decimal", "percent", "yes_no", "text"])
def test_empty_input_is_none(text, value_type):
    assert parse_input(text, value_type) is None


def test_not_a_number_message():
    with pytest.raises(ValueInputError) as exc:
        parse_input("abc", "integer")
    assert exc.value.message_vi == "“abc” không phải là số. Nhập số, ví dụ 1.234 hoặc 12,5."
    assert "is not a number" in exc.value.message_en
    assert str(exc.value) == exc.value.message_vi


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "NaN",
        "nan",
        "Infinity",
        "-inf",
        "1e5",
        "1E+5",
        "0x10",
        "12a",
        "--3",
        "-",
        "%",
        "1/2",
        "½",
        "١٢",
    ],
)
def test_non_numbers_refused(text):
    with pytest.raises(ValueInputError) as exc:
        parse_input(text, "decimal")
    assert "không phải là số" in exc.value.message_vi


@pytest.mark.parametrize(
    "text",
    [
        "1.2.3,4,5",
        "1,234,567",  # English thousands: two commas
        "1,234.5",  # English style
        "1.23,4",  # a thousands group must have 3 digits
        "12.34.567",
        "1.234 567",  # two kinds of grouping
        "1 23",
        "12,",
        "5.",
        "1,2,3",
    ],
)
def test_bad_separators_refused(text):
    with pytest.raises(ValueInputError) as exc:
        parse_input(text, "decimal")
    assert "dấu chấm để tách hàng nghìn và dấu phẩy cho phần thập phân" in exc.value.message_vi
    assert "Use a dot to group thousands and a comma for the decimal part" in exc.value.message_en


def test_integer_with_decimal_part():
    with pytest.raises(ValueInputError) as exc:
        parse_input("12,5", "integer")
    assert exc.value.message_vi == "Chỉ tiêu này nhận số nguyên; “12,5” có phần thập phân."
    assert exc.value.message_en == "This indicator takes whole numbers only; “12,5” has a decimal part."


def test_integer_english_thousands_gets_a_hint():
    with pytest.raises(ValueInputError) as exc:
        parse_input("1,234", "integer")
    assert exc.value.message_vi.startswith("Chỉ tiêu này nhận số nguyên")
    assert "nhập 1.234 hoặc 1234" in exc.value.message_vi
    assert "enter 1.234 or 1234" in exc.value.message_en


def test_1234_dot_vs_comma():
    # The ambiguity of docs/journeys.md: "." groups thousands, "," is the decimal mark.
    assert parse_input("1.234", "decimal") == "1234"
    assert parse_input("1,234", "decimal") == "1.234"
    assert parse_input("1.234", "integer") == "1234"


@pytest.mark.parametrize("text", ["1234567890123456", "1.234.567.890.123.456", "9999999999999999999999"])
def test_too_large(text):
    with pytest.raises(ValueInputError) as exc:
        parse_input(text, "integer")
    assert "số quá lớn" in exc.value.message_vi
    assert "too large" in exc.value.message_en


def test_too_many_digits():
    with pytest.raises(ValueInputError) as exc:
        parse_input("1234567890,123456", "decimal")
    assert "quá nhiều chữ số" in exc.value.message_vi
    # leading zeros of the integer part and trailing zeros of the decimals do not count
    assert parse_input("000123456789012345,000", "decimal") == "123456789012345"


def test_percent_sign_only_for_percent():
    with pytest.raises(ValueInputError) as exc:
        parse_input("12%", "integer")
    assert "không tính bằng phần trăm" in exc.value.message_vi


def test_unknown_value_type_is_a_bug():
    with pytest.raises(ValueError):
        parse_input("1", "number")


# -- parse_input: yes/no and text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["có", "Có", "CÓ", "co", "c", "C", "yes", "Y", "1", "x", "X", "đúng", " có "]
)
def test_yes(text):
    assert parse_input(text, "yes_no") == "1"


@pytest.mark.parametrize("text", ["không", "Không", "KHÔNG", "khong", "k", "K", "no", "N", "0", "ko", "sai"])
def test_no(text):
    assert parse_input(text, "yes_no") == "0"


def test_yes_no_refuses_other_text():
    with pytest.raises(ValueInputError) as exc:
        parse_input("có lẽ", "yes_no")
    assert exc.value.message_vi.startswith("“có lẽ” không phải Có hoặc Không")
    with pytest.raises(ValueInputError):
        parse_input("2", "yes_no")


def test_text_is_stripped_and_limited():
    assert parse_input("  Đường liên thôn  ", "text") == "Đường liên thôn"
    assert parse_input("x" * MAX_TEXT, "text") == "x" * MAX_TEXT
    with pytest.raises(ValueInputError) as exc:
        parse_input("x" * (MAX_TEXT + 1), "text")
    assert "tối đa 2.000 ký tự" in exc.value.message_vi
    assert "2,001 characters" in exc.value.message_en


# -- display -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("canonical", "value_type", "shown"),
    [
        ("1234.5", "decimal", "1.234,5"),
        ("1234", "integer", "1.234"),
        ("1234567", "integer", "1.234.567"),
        ("123", "integer", "123"),
        ("-1234", "integer", "-1.234"),
        ("0", "integer", "0"),
        ("0.05", "percent", "0,05"),
        ("12.5", "percent", "12,5"),  # no % sign: the grid shows the unit in its own column
        ("1.234", "decimal", "1,234"),
        ("1", "yes_no", "Có"),
        ("0", "yes_no", "Không"),
        ("Ghi chú", "text", "Ghi chú"),
        (None, "integer", ""),
        ("", "decimal", ""),
    ],
)
def test_format_value(canonical, value_type, shown):
    assert format_value(canonical, value_type) == shown


def test_format_value_english_yes_no_and_bad_stored_values():
    assert format_value("1", "yes_no", lang="en") == "Yes"
    assert format_value("0", "yes_no", lang="en") == "No"
    # a corrupted stored value shows as it is instead of breaking the grid
    assert format_value("abc", "integer") == "abc"
    assert format_value("2", "yes_no") == "2"
    assert format_decimal(Decimal("1E+3")) == "1.000"
    assert format_decimal(Decimal("-0.50")) == "-0,5"


# -- machine values ------------------------------------------------------------------------------------


def test_canonical_of_machine_values():
    assert canonical_of("1.234", "decimal") == "1.234"  # "." is always the decimal mark here
    assert canonical_of("12.50", "decimal") == "12.5"
    assert canonical_of("-0", "integer") == "0"
    assert canonical_of(0.1, "decimal") == "0.1"  # a spreadsheet float, by its shortest repr
    assert canonical_of(12.0, "integer") == "12"
    assert canonical_of(1234, "integer") == "1234"
    assert canonical_of(Decimal("1E+3"), "integer") == "1000"
    assert canonical_of(True, "yes_no") == "1"
    assert canonical_of("Có", "yes_no") == "1"
    assert canonical_of("  ", "integer") is None
    assert canonical_of(None, "integer") is None
    for bad, vtype in [("1,5", "decimal"), ("abc", "integer"), (12.5, "integer"), (float("nan"), "decimal"),
                       (2, "yes_no"), (1e20, "integer"), (Decimal("Infinity"), "decimal")]:  # fmt: skip
        with pytest.raises(ValueInputError):
            canonical_of(bad, vtype)


def test_is_canonical_and_to_decimal():
    assert is_canonical("1234.5", "decimal")
    assert is_canonical("-3", "integer")
    assert not is_canonical("-0", "integer")
    assert not is_canonical("12.50", "decimal")
    assert not is_canonical("012", "integer")
    assert not is_canonical("1.5", "integer")
    assert not is_canonical("1e3", "decimal")
    assert not is_canonical("1234567890123456", "integer")
    assert is_canonical("0.000000000000001", "decimal")
    assert is_canonical("1", "yes_no") and not is_canonical("2", "yes_no")
    assert to_decimal("12.5") == Decimal("12.5")
    for bad in ("NaN", "abc", "Infinity"):
        with pytest.raises(ValueInputError):
            to_decimal(bad)


# -- check_value ---------------------------------------------------------------------------------------


def test_negative_count_with_min_zero():
    problems = check_value(indicator(min=0), "-3", disagg="eth=08|sex=F")
    assert len(problems) == 1
    p = problems[0]
    assert (p.severity, p.code, p.indicator, p.disagg) == ("error", "min", "0101", "eth=08|sex=F")
    assert p.message_vi == "Chỉ tiêu 0101: số liệu không được âm (đã nhập -3)."
    assert p.message_en == "Indicator 0101: the value cannot be negative (-3 was entered)."


def test_no_min_invented_for_counts():
    assert check_value(indicator(min=None), "-3") == []


def test_min_and_max_messages_format_limits_the_vietnamese_way():
    ind = indicator(value_type="decimal", min="1.5", max="1000000")
    [low] = check_value(ind, "0.5")
    assert low.code == "min"
    assert low.message_vi == "Chỉ tiêu 0101: 0,5 nhỏ hơn mức tối thiểu cho phép là 1,5."
    assert low.message_en == "Indicator 0101: 0,5 is below the minimum allowed, 1,5."
    [high] = check_value(ind, "1234567.5")
    assert high.code == "max"
    assert high.message_vi == "Chỉ tiêu 0101: 1.234.567,5 lớn hơn mức tối đa cho phép là 1.000.000."
    assert high.message_en == "Indicator 0101: 1.234.567,5 is above the maximum allowed, 1.000.000."
    assert check_value(ind, "1.5") == [] and check_value(ind, "1000000") == []


def test_percent_over_100():
    [p] = check_value(indicator(value_type="percent", min=0, max=100, unit="%"), "120")
    assert p.code == "max" and "120" in p.message_vi and "100" in p.message_vi


def test_type_problems():
    [p] = check_value(indicator(value_type="integer"), "12.5")
    assert p.code == "type" and p.severity == "error"
    assert p.message_vi == "Chỉ tiêu 0101 nhận số nguyên; giá trị “12,5” có phần thập phân."
    [p] = check_value(indicator(value_type="decimal"), "abc")
    assert p.code == "type" and "không phải là số hợp lệ" in p.message_vi
    [p] = check_value(indicator(value_type="yes_no"), "2")
    assert p.code == "type" and "không phải Có hoặc Không" in p.message_vi
    [p] = check_value(indicator(value_type="text"), "x" * (MAX_TEXT + 1))
    assert p.code == "type"
    assert check_value(indicator(value_type="text"), "ok") == []
    assert check_value(indicator(min=0), None) == [] and check_value(indicator(min=0), "") == []


# -- properties ----------------------------------------------------------------------------------------


@st.composite
def decimals(draw):
    """Finite decimals with at most 15 digits, negative or not, up to 14 decimals."""
    digits = draw(st.integers(min_value=0, max_value=15))
    unscaled = draw(st.integers(min_value=-(10**digits - 1) if digits else 0, max_value=10**digits - 1))
    places = draw(st.integers(min_value=0, max_value=min(14, digits) if digits else 0))
    return Decimal(unscaled).scaleb(-places)


_THOUSANDS_SHAPE = re.compile(r"-?[1-9][0-9]{0,2}\.[0-9]{3}")


@settings(max_examples=200, deadline=None)
@given(decimals(), st.sampled_from(["decimal", "percent"]))
def test_display_round_trips(dec, value_type):
    canonical = canonical_of(dec, value_type)
    assert to_decimal(canonical) == dec
    assert is_canonical(canonical, value_type)
    shown = format_value(canonical, value_type)
    assert parse_input(shown, value_type) == canonical
    if value_type == "percent":
        assert parse_input(shown + "%", value_type) == canonical


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(10**15 - 1), max_value=10**15 - 1))
def test_integer_display_round_trips(n):
    canonical = canonical_of(n, "integer")
    assert canonical == str(n)
    assert parse_input(format_value(canonical, "integer"), "integer") == canonical


@settings(max_examples=200, deadline=None)
@given(decimals())
def test_canonical_strings_are_idempotent(dec):
    canonical = canonical_of(dec, "decimal")
    assert canonical_of(canonical, "decimal") == canonical
    assert format_value(canonical, "decimal") == format_decimal(dec)
    if _THOUSANDS_SHAPE.fullmatch(canonical):
        # the documented exception: "1.234" typed by an officer is one thousand two hundred and thirty-four
        assert parse_input(canonical, "decimal") == canonical.replace(".", "")
    else:
        assert parse_input(canonical, "decimal") == canonical
        assert parse_input(parse_input(canonical, "decimal"), "decimal") == canonical


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), st.sampled_from(["integer", "decimal", "percent", "yes_no", "text"]))
def test_garbage_raises_only_value_input_error(text, value_type):
    try:
        result = parse_input(text, value_type)
    except ValueInputError as err:
        assert err.message_vi and err.message_en
        return
    if result is not None and value_type in NUMERIC:
        assert is_canonical(result, value_type)
        assert parse_input(format_value(result, value_type), value_type) == result


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.,- %", max_size=20), st.sampled_from(NUMERIC))
def test_number_like_garbage(text, value_type):
    try:
        result = parse_input(text, value_type)
    except ValueInputError:
        return
    if result is not None:
        assert is_canonical(result, value_type)
        assert parse_input(format_value(result, value_type), value_type) == result
