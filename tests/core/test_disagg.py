"""Disaggregation keys: make, parse, normalize, the cells of an indicator, selector matching."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dttscore.catalog import resolved
from dttscore.disagg import (
    cell_keys,
    dimension_name,
    dimension_options,
    make_key,
    matches,
    normalize_key,
    parse_key,
    report_eth_codes,
)
from dttscore.errors import IdentifierError
from dttscore.model import Catalog, Disaggregation, Group, Indicator, Option


def small_catalog(options=True):
    opts = (
        (
            Option("eth", "02", "Tày", "Tay", 1),
            Option("eth", "03", "Thái", "Thai", 2),
            Option("eth", "08", "HMông", "HMong", 3),
            Option("sex", "M", "Nam", "Male", 1),
            Option("sex", "F", "Nữ", "Female", 2),
        )
        if options
        else ()
    )
    return resolved(
        Catalog(
            catalog_id="test",
            version=1,
            title="Thử",
            legal_basis="",
            effective_from=date(2026, 1, 1),
            unit_list="vn-2025-07",
            ethnic_code_system="gso-1979",
            sample=True,
            groups=(Group("01", "Dân số", "Population", 1),),
            indicators=(
                Indicator(
                    "0101", "01", "Dân số", "Population", "người", "integer", disaggregation="by_eth_sex"
                ),
                Indicator("0102", "01", "Số hộ", "Households", "hộ", "integer"),
                Indicator("0103", "01", "Nữ", "Women", "người", "integer", disaggregation="by_sex"),
            ),
            disaggregations=(
                Disaggregation("by_eth_sex", ("eth", "sex")),
                Disaggregation("by_sex", ("sex",)),
            ),
            options=opts,
            forms=(),
            rules=(),
        )
    )


def test_make_key_sorts_by_dimension():
    assert make_key({"sex": "F", "eth": "08"}) == "eth=08|sex=F"
    assert make_key({"eth": "08", "sex": "F"}) == "eth=08|sex=F"
    assert make_key({}) == ""
    assert make_key({"area": "urban"}) == "area=urban"


@pytest.mark.parametrize(
    "mapping",
    [{"sex": ""}, {"": "F"}, {"sex": "F|eth=1"}, {"se x": "F"}, {"sex": "F=M"}, {"1x": "F"}, {"sex": 1}],
)
def test_make_key_refuses_bad_parts(mapping):
    with pytest.raises(IdentifierError):
        make_key(mapping)


def test_parse_key():
    assert parse_key("") == {}
    assert parse_key("eth=08|sex=F") == {"eth": "08", "sex": "F"}
    assert parse_key("sex=F|eth=08") == {"eth": "08", "sex": "F"}  # any order is understood …
    assert normalize_key("sex=F|eth=08") == "eth=08|sex=F"  # … and normalized to the canonical spelling


@pytest.mark.parametrize(
    "key",
    ["eth", "eth=", "=08", "eth=08|", "|eth=08", "eth=08||sex=F", "eth=08|eth=09", "eth =08", "eth=0 8", " "],
)
def test_parse_key_malformed(key):
    with pytest.raises(IdentifierError) as exc:
        parse_key(key)
    assert "không phải khóa phân tổ hợp lệ" in exc.value.message_vi
    assert "is not a valid disaggregation key" in exc.value.message_en


def test_parse_key_not_a_string():
    with pytest.raises(IdentifierError):
        parse_key(None)


def test_cell_keys_with_listed_options():
    cat = small_catalog()
    assert cell_keys(cat, "0102") == [""]
    assert cell_keys(cat, "0103") == ["sex=M", "sex=F"]
    assert cell_keys(cat, "0101") == [
        "eth=02|sex=M", "eth=02|sex=F", "eth=03|sex=M", "eth=03|sex=F", "eth=08|sex=M", "eth=08|sex=F",
    ]  # fmt: skip
    assert cell_keys(cat, cat.indicator("0101"), eth_present=["08", "02", "08"]) == [
        "eth=08|sex=M", "eth=08|sex=F", "eth=02|sex=M", "eth=02|sex=F",
    ]  # fmt: skip
    assert cell_keys(cat, "0101", eth_present=[]) == []
    assert dimension_options(cat, "eth") == ["02", "03", "08"]


def test_cell_keys_default_options_from_reference_data():
    cat = small_catalog(options=False)
    keys = cell_keys(cat, "0101")
    assert len(keys) == 54 * 2  # the 54 groups of ethnic_groups_1979.csv × M/F
    assert keys[:2] == ["eth=01|sex=M", "eth=01|sex=F"]
    assert len(set(keys)) == len(keys)


def test_matches():
    assert matches("eth=08|sex=F", {"eth": "08"})
    assert matches("eth=08|sex=F", {"eth": "08", "sex": "F"})
    assert matches("eth=08|sex=F", {"eth": "*"})
    assert matches("eth=08|sex=F", {})
    assert not matches("eth=08|sex=F", {"eth": "02"})
    assert not matches("eth=08|sex=F", {"area": "*"})  # a dimension the cell does not have
    assert not matches("", {"sex": "F"})
    assert matches({"eth": "08"}, {"eth": "08"})


def test_dimension_names():
    assert dimension_name("eth") == "Dân tộc"
    assert dimension_name("eth", "en") == "Ethnic group"
    assert dimension_name("sex") == "Giới tính"
    assert dimension_name("zone") == "zone"


_dims = st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True)
_opts = st.from_regex(r"[A-Za-z0-9_.]{1,5}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_dims, _opts, max_size=4))
def test_keys_round_trip(mapping):
    key = make_key(mapping)
    assert parse_key(key) == mapping
    assert normalize_key(key) == key
    assert matches(key, mapping)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_garbage_keys_raise_only_identifier_error(text):
    try:
        parsed = parse_key(text)
    except IdentifierError:
        return
    assert parse_key(make_key(parsed)) == parsed


def test_report_eth_codes_one_rule_for_screen_and_paper():
    """Added rows first, in order; then any group holding a value; ``all`` forms: every option."""
    cat = small_catalog()
    keys = ["", "eth=08|sex=F", "eth=02|sex=M", "eth=08|sex=M", "sex=F"]
    assert report_eth_codes(cat, "present", ["03", "02"], keys) == ["03", "02", "08"]
    assert report_eth_codes(cat, "present", [], []) == []
    assert report_eth_codes(cat, "all", ["03"], keys) == ["02", "03", "08"]
