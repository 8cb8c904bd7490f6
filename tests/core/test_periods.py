"""Period codes: parsing, dates, deadlines, neighbours and the picker list."""

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dttscore.errors import IdentifierError
from dttscore.periods import (
    Period,
    check_period_for_form,
    containing,
    deadline,
    following,
    make_period,
    parse_period,
    periods_around,
    previous,
    type_name,
)


@pytest.mark.parametrize(
    ("code", "ptype", "year", "index", "start", "end"),
    [
        ("2026", "year", 2026, 1, date(2026, 1, 1), date(2026, 12, 31)),
        ("2026S1", "half_year", 2026, 1, date(2026, 1, 1), date(2026, 6, 30)),
        ("2026S2", "half_year", 2026, 2, date(2026, 7, 1), date(2026, 12, 31)),
        ("2026Q1", "quarter", 2026, 1, date(2026, 1, 1), date(2026, 3, 31)),
        ("2026Q3", "quarter", 2026, 3, date(2026, 7, 1), date(2026, 9, 30)),
        ("2026Q4", "quarter", 2026, 4, date(2026, 10, 1), date(2026, 12, 31)),
        ("202601", "month", 2026, 1, date(2026, 1, 1), date(2026, 1, 31)),
        ("202602", "month", 2026, 2, date(2026, 2, 1), date(2026, 2, 28)),
        ("202402", "month", 2024, 2, date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        ("202612", "month", 2026, 12, date(2026, 12, 1), date(2026, 12, 31)),
        ("2000", "year", 2000, 1, date(2000, 1, 1), date(2000, 12, 31)),
        ("2100Q4", "quarter", 2100, 4, date(2100, 10, 1), date(2100, 12, 31)),
    ],
)
def test_parse_period(code, ptype, year, index, start, end):
    assert parse_period(code) == Period(code, ptype, year, index, start, end)


def test_lenient_spelling_gives_the_canonical_code():
    assert parse_period(" 2026q3 ").code == "2026Q3"
    assert parse_period("2026s1").code == "2026S1"


@pytest.mark.parametrize(
    "code",
    ["", "26", "20261", "2026Q5", "2026Q0", "2026S3", "2026S0", "202600", "202613", "2026-07", "2026H1",
     "Q3 2026", "1999", "2101", "199912", "2101Q1", "２０２６", "2026Q", "abc"],
)  # fmt: skip
def test_bad_codes(code):
    with pytest.raises(IdentifierError) as exc:
        parse_period(code)
    assert exc.value.message_vi and exc.value.message_en


def test_bad_code_message():
    with pytest.raises(IdentifierError) as exc:
        parse_period("2026Q5")
    assert exc.value.message_vi == (
        "“2026Q5” không phải mã kỳ báo cáo hợp lệ. Ví dụ: 2026 (năm), 2026S1 (6 tháng), 2026Q3 (quý), 202607 (tháng)."
    )
    assert exc.value.message_en.startswith("“2026Q5” is not a valid period code.")
    with pytest.raises(IdentifierError) as exc:
        parse_period("1999")
    assert "2000–2100" in exc.value.message_vi
    with pytest.raises(IdentifierError):
        parse_period(2026)  # not a string


def test_check_period_for_form():
    assert check_period_for_form("2026", "year").code == "2026"
    with pytest.raises(IdentifierError) as exc:
        check_period_for_form("2026Q3", "year")
    assert exc.value.message_vi == (
        "Kỳ 2026Q3 là kỳ quý, nhưng biểu này báo cáo theo năm. Ví dụ một kỳ đúng: 2026."
    )
    assert exc.value.message_en == (
        "The period 2026Q3 is a quarter, but this form reports by year. A valid period, for example: 2026."
    )
    with pytest.raises(IdentifierError):
        check_period_for_form("202607", "quarter")
    with pytest.raises(IdentifierError):
        check_period_for_form("bad", "year")


def test_deadline():
    assert deadline("2026", 30) == date(2027, 1, 30)
    assert deadline("2026Q1", 15) == date(2026, 4, 15)
    assert deadline("202602", 0) == date(2026, 2, 28)


def test_previous_and_following():
    assert previous("2026") == "2025"
    assert previous("2026S1") == "2025S2"
    assert previous("2026S2") == "2026S1"
    assert previous("2026Q1") == "2025Q4"
    assert previous("202601") == "202512"
    assert previous("202607") == "202606"
    assert following("2026Q4") == "2027Q1"
    assert following("202612") == "202701"
    with pytest.raises(IdentifierError):
        previous("2000Q1")
    with pytest.raises(IdentifierError):
        following("2100")


def test_periods_around():
    today = date(2026, 2, 10)
    assert [p.code for p in periods_around("month", today, 4)] == ["202602", "202601", "202512", "202511"]
    assert [p.code for p in periods_around("quarter", today, 3)] == ["2026Q1", "2025Q4", "2025Q3"]
    assert [p.code for p in periods_around("half_year", date(2026, 7, 1), 2)] == ["2026S2", "2026S1"]
    assert [p.code for p in periods_around("year", today, 2)] == ["2026", "2025"]
    assert periods_around("year", today, 0) == []
    assert [p.code for p in periods_around("year", date(2001, 5, 1), 5)] == ["2001", "2000"]  # stops at 2000


def test_containing_and_labels():
    assert containing("quarter", date(2026, 9, 30)).code == "2026Q3"
    assert containing("half_year", date(2026, 6, 30)).code == "2026S1"
    assert parse_period("2026Q3").label() == "Quý 3/2026"
    assert parse_period("202607").label() == "Tháng 7/2026"
    assert parse_period("2026S1").label() == "6 tháng đầu năm 2026"
    assert parse_period("2026S2").label() == "6 tháng cuối năm 2026"
    assert parse_period("2026").label() == "Năm 2026"
    assert parse_period("202607").label("en") == "July 2026"
    assert parse_period("2026Q3").label("en") == "Q3 2026"
    assert type_name("half_year") == "6 tháng" and type_name("quarter", "en") == "quarter"
    with pytest.raises(ValueError):
        make_period("week", 2026, 1)


@st.composite
def periods(draw):
    ptype = draw(st.sampled_from(["year", "half_year", "quarter", "month"]))
    count = {"year": 1, "half_year": 2, "quarter": 4, "month": 12}[ptype]
    return make_period(ptype, draw(st.integers(2001, 2099)), draw(st.integers(1, count)))


@settings(max_examples=200, deadline=None)
@given(periods())
def test_codes_round_trip(period):
    assert parse_period(period.code) == period
    assert parse_period(period.code.lower()) == period
    assert period.start <= period.end
    assert containing(period.type, period.start) == period
    assert containing(period.type, period.end) == period
    before = parse_period(previous(period.code))
    assert before.end + timedelta(days=1) == period.start
    assert following(previous(period.code)) == period.code
    assert parse_period(following(period.code)).start == period.end + timedelta(days=1)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_garbage_raises_only_identifier_error(text):
    try:
        period = parse_period(text)
    except IdentifierError:
        return
    assert parse_period(period.code) == period


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(1, 30))
def test_picker_is_contiguous_and_newest_first(today, count):
    for ptype in ("year", "half_year", "quarter", "month"):
        listed = periods_around(ptype, today, count)
        assert listed[0].start <= today <= listed[0].end
        for newer, older in itertools.pairwise(listed):
            assert older.end + timedelta(days=1) == newer.start
