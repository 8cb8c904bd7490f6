"""The catalogue loaders: JSON form, validation (shared by JSON and workbook), indicator specs, ETag."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dttscore.catalog import (
    catalog_etag,
    catalog_from_json,
    catalog_json_text,
    catalog_to_json,
    dump_catalog_json,
    expand_indicator_spec,
    load_catalog,
    resolved,
)
from dttscore.errors import CatalogError, DttsError
from dttscore.workbook import load_workbook
from tests.support.catalogs import indicator, make_workbook, small_catalog


@pytest.fixture(params=["json", "xlsx"])
def load(request, tmp_path):
    """Load a catalogue given in JSON form, either directly or through a workbook written from it."""

    def _load(data: dict, **workbook_options):
        if request.param == "json":
            return catalog_from_json(data)
        return load_workbook(make_workbook(tmp_path / "c.xlsx", data, **workbook_options))

    _load.kind = request.param
    return _load


def problems_of(load, data, **workbook_options):
    with pytest.raises(CatalogError) as info:
        load(data, **workbook_options)
    return info.value.problems


def find(problems, sheet, row, column, vi, en):
    """The problem at that place whose messages contain ``vi`` and ``en``; fails with the list otherwise."""
    for p in problems:
        if (p.sheet, p.row, p.column) == (sheet, row, column) and vi in p.message_vi and en in p.message_en:
            return p
    raise AssertionError(f"no problem {(sheet, row, column, vi, en)} in {problems}")


# -- a valid catalogue ---------------------------------------------------------------------------------
def test_small_catalogue_loads_the_same_from_json_and_workbook(load):
    catalog = load(small_catalog())
    assert catalog == catalog_from_json(small_catalog())
    assert catalog.catalog_id == "test-small" and catalog.version == 2
    assert catalog.effective_from == date(2025, 7, 1)
    assert catalog.sample is False
    assert [i.code for i in catalog.indicators] == ["0101", "0102", "0103", "0104", "0105", "0106", "0201"]
    assert catalog.indicator("0103").max == Decimal("1000")
    assert catalog.indicator("0101").required is True
    assert catalog.indicator("0106").disaggregation is None
    assert catalog.disaggregation("by_eth_sex").dimensions == ("eth", "sex")
    assert catalog.rules[1].forms == ("F1",)
    assert [i.code for i in catalog.form_indicators("F2")] == ["0101", "0201"]
    assert [o.code for o in catalog.options_for("area")] == ["A", "B"]
    assert len(catalog.options_for("eth")) == 54


def test_optional_sheets_may_be_left_out(load, tmp_path):
    data = small_catalog(rules=[], options=[], disaggregations=[])
    for entry in data["indicators"]:
        entry["disaggregation"] = None
    for name in ("rules", "options", "disaggregations"):
        del data[name]
    catalog = load(data, drop_sheets=("rules", "options", "disaggregations"))
    assert catalog.rules == () and catalog.options == () and catalog.disaggregations == ()


def test_optional_columns_get_their_defaults(load):
    data = small_catalog()
    data["rules"][1]["expression"] = "0102 <= 0101 * 2"  # without disaggregations, no [eth=*]
    for section, columns in {
        "indicators": ("name_en", "unit", "min", "max", "required", "disaggregation", "order"),
        "forms": ("name_en", "eth_options"),
        "rules": ("message_en", "forms"),
        "groups": ("name_en", "order"),
    }.items():
        for entry in data[section]:
            for column in columns:
                entry.pop(column)
    drop = {
        "indicators": ("name_en", "unit", "min", "max", "required", "disaggregation", "order"),
        "forms": ("name_en", "eth_options"),
        "rules": ("message_en", "forms"),
        "groups": ("name_en", "order"),
    }
    catalog = load(data, drop_columns=drop)
    first = catalog.indicators[0]
    assert (first.min, first.max, first.required, first.disaggregation) == (None, None, False, None)
    assert [i.order for i in catalog.indicators] == list(range(1, 8))
    assert [g.order for g in catalog.groups] == [1, 2]
    assert catalog.form("F2").eth_options == "present"
    assert catalog.rules[1].forms == ()


def test_extra_meta_keys_are_kept_in_order(load):
    catalog = load(small_catalog(meta={"province": "Lào Cai", "contact": "So Dan toc"}))
    assert catalog.extra_meta == (("province", "Lào Cai"), ("contact", "So Dan toc"))
    assert catalog_from_json(catalog_to_json(catalog)) == catalog


def test_yes_no_cells_accept_the_documented_spellings(load):
    spellings = {"yes": True, "no": False, "có": True, "Không": False, "TRUE": True, "false": False}
    spellings |= {"1": True, "0": False}
    for text, expected in spellings.items():
        data = small_catalog(meta={"sample": text})
        data["indicators"][1]["required"] = text
        catalog = load(data)
        assert catalog.sample is expected, text
        assert catalog.indicators[1].required is expected, text


def test_same_option_code_in_two_dimensions_is_fine(load):
    data = small_catalog()
    data["options"].append(
        {"dimension": "zone", "code": "A", "name_vi": "Khu A", "name_en": "Zone A", "order": 1}
    )
    assert len(load(data).options) == 3


# -- every validation problem, with its place, from both loaders -----------------------------------------
def _set(section, index, **fields):
    def mutate(data):
        data[section][index].update(fields)

    return mutate


def _append(section, entry):
    def mutate(data):
        data[section].append(entry)

    return mutate


def _meta(**fields):
    def mutate(data):
        for key, value in fields.items():
            if value is None:
                data["meta"].pop(key)
            else:
                data["meta"][key] = value

    return mutate


GROUP = {"code": "01", "name_vi": "Trùng", "name_en": "Duplicate", "order": 3}
CASES = {
    # codes
    "empty code": (
        _set("indicators", 4, code=""),
        ("indicators", 6, "code", "mã đang trống", "the code is empty"),
    ),
    "code with a space": (
        _set("groups", 1, code="0 2"),
        ("groups", 3, "code", "mã '0 2' chỉ được gồm chữ cái không dấu", "code '0 2' may only hold letters"),
    ),
    "indicator code with a dash": (
        _set("indicators", 5, code="01-06"),
        ("indicators", 7, "code", "mã '01-06' chỉ được gồm", "code '01-06' may only hold"),
    ),
    "indicator code that is a keyword": (
        _set("indicators", 5, code="max"),
        ("indicators", 7, "code", "'max' là từ khoá của công thức", "'max' is a word of the rule grammar"),
    ),
    "duplicate group": (
        _append("groups", GROUP),
        ("groups", 4, "code", "mã nhóm '01' bị trùng (đã có ở dòng 2)", "group code '01' is a duplicate (already on row 2)"),
    ),
    "duplicate indicator": (
        _set("indicators", 5, code="0101"),
        ("indicators", 7, "code", "mã chỉ tiêu '0101' bị trùng (đã có ở dòng 2)", "indicator code '0101' is a duplicate"),
    ),
    "duplicate form": (
        _set("forms", 1, code="F1"),
        ("forms", 3, "code", "mã biểu mẫu 'F1' bị trùng (đã có ở dòng 2)", "form code 'F1' is a duplicate"),
    ),
    "duplicate rule": (
        _set("rules", 1, code="R1"),
        ("rules", 3, "code", "mã quy tắc 'R1' bị trùng (đã có ở dòng 2)", "rule code 'R1' is a duplicate"),
    ),
    "duplicate option in a dimension": (
        _set("options", 1, code="A"),
        ("options", 3, "code", "mã lựa chọn 'A' bị trùng (đã có ở dòng 2)", "option code 'A' is a duplicate"),
    ),
    "option code with a dash": (
        _set("options", 1, code="B-1"),
        ("options", 3, "code", "mã 'B-1' chỉ được gồm", "code 'B-1' may only hold"),
    ),
    "duplicate disaggregation": (
        _set("disaggregations", 1, name="by_eth_sex"),
        ("disaggregations", 3, "name", "tên cách phân tổ 'by_eth_sex' bị trùng", "disaggregation name 'by_eth_sex' is a duplicate"),
    ),
    # references
    "unknown group": (
        _set("indicators", 0, group="09"),
        ("indicators", 2, "group", "nhóm '09' không có trong sheet groups", "group '09' is not in the groups sheet"),
    ),
    "unknown disaggregation": (
        _set("indicators", 5, disaggregation="by_nothing"),
        ("indicators", 7, "disaggregation", "cách phân tổ 'by_nothing' không có trong sheet disaggregations",
         "disaggregation 'by_nothing' is not in the disaggregations sheet"),
    ),
    "dimension without options": (
        _append("disaggregations", {"name": "by_village", "dimensions": ["village"]}),
        ("disaggregations", 5, "dimensions", "chiều 'village' không có lựa chọn nào trong sheet options",
         "dimension 'village' has no options in the options sheet"),
    ),
    "dimension repeated": (
        _set("disaggregations", 0, dimensions=["eth", "eth"]),
        ("disaggregations", 2, "dimensions", "chiều 'eth' bị lặp lại", "dimension 'eth' is repeated"),
    ),
    # indicator cells
    "empty name": (
        _set("indicators", 0, name_vi=""),
        ("indicators", 2, "name_vi", "ô này bắt buộc nhưng đang trống", "this cell is required but empty"),
    ),
    "unknown value type": (
        _set("indicators", 0, value_type="number"),
        ("indicators", 2, "value_type", "'number' không hợp lệ; dùng một trong: integer, decimal, percent, yes_no, text",
         "'number' is not valid; use one of: integer, decimal, percent, yes_no, text"),
    ),
    "min not a number": (
        _set("indicators", 2, min="abc"),
        ("indicators", 4, "min", "'abc' không phải là số", "'abc' is not a number"),
    ),
    "max with a decimal comma": (
        _set("indicators", 2, max="1,5"),
        ("indicators", 4, "max", "'1,5' không phải là số", "'1,5' is not a number"),
    ),
    "min above max": (
        _set("indicators", 2, min="10", max="5"),
        ("indicators", 4, "min", "min (10) lớn hơn max (5)", "min (10) is greater than max (5)"),
    ),
    "min on a text indicator": (
        _set("indicators", 5, min="1"),
        ("indicators", 7, "min", "chỉ tiêu kiểu text không có min/max", "a text indicator cannot have a min or max"),
    ),
    "required not yes/no": (
        _set("indicators", 0, required="maybe"),
        ("indicators", 2, "required", "'maybe' không phải là có/không (yes/no)", "'maybe' is not yes/no"),
    ),
    "order not a whole number": (
        _set("indicators", 1, order="second"),
        ("indicators", 3, "order", "'second' không phải là một số nguyên", "'second' is not a whole number"),
    ),
    # forms
    "unknown period type": (
        _set("forms", 0, period_type="week"),
        ("forms", 2, "period_type", "'week' không hợp lệ; dùng một trong: year, half_year, quarter, month",
         "'week' is not valid; use one of: year, half_year, quarter, month"),
    ),
    "negative deadline": (
        _set("forms", 0, deadline_days=-1),
        ("forms", 2, "deadline_days", "'-1' không phải là một số nguyên không âm", "'-1' is not a non-negative whole number"),
    ),
    "deadline not a number": (
        _set("forms", 0, deadline_days="một tháng"),
        ("forms", 2, "deadline_days", "'một tháng' không phải là một số nguyên không âm", "is not a non-negative whole number"),
    ),
    "fractional deadline": (
        _set("forms", 1, deadline_days=1.5),
        ("forms", 3, "deadline_days", "'1.5' không phải là một số nguyên không âm", "'1.5' is not a non-negative"),
    ),
    "unknown eth_options": (
        _set("forms", 1, eth_options="some"),
        ("forms", 3, "eth_options", "'some' không hợp lệ; dùng một trong: all, present", "'some' is not valid; use one of: all, present"),
    ),
    "form names an unknown code": (
        _set("forms", 0, indicators="0101, 0999"),
        ("forms", 2, "indicators", "chỉ tiêu '0999' không có trong sheet indicators", "indicator '0999' is not in the indicators sheet"),
    ),
    "form names no code": (
        _set("forms", 0, indicators=""),
        ("forms", 2, "indicators", "biểu mẫu không có chỉ tiêu nào", "the form lists no indicators"),
    ),
    "form range matches nothing": (
        _set("forms", 1, indicators="0301-0399"),
        ("forms", 3, "indicators", "khoảng '0301-0399' không chứa chỉ tiêu nào", "range '0301-0399' contains no indicator"),
    ),
    "form spec malformed": (
        _set("forms", 1, indicators="0101 to 0105"),
        ("forms", 3, "indicators", "'0101 to 0105' không phải là mã hoặc khoảng mã", "'0101 to 0105' is not a code or a range"),
    ),
    # rules
    "unknown severity": (
        _set("rules", 0, severity="fatal"),
        ("rules", 2, "severity", "'fatal' không hợp lệ; dùng một trong: error, warning", "'fatal' is not valid; use one of: error, warning"),
    ),
    "rule syntax error": (
        _set("rules", 0, expression="0102 <= "),
        ("rules", 2, "expression", "công thức sai:", "invalid expression:"),
    ),
    "rule with an unknown code": (
        _set("rules", 0, expression="0199 <= 0101"),
        ("rules", 2, "expression", "chỉ tiêu '0199' trong công thức không có trong sheet indicators",
         "indicator '0199' in the expression is not in the indicators sheet"),
    ),
    "rule with an unknown dimension": (
        _set("rules", 1, expression="0102[sex=F] <= 0101"),
        ("rules", 3, "expression", "không phân tổ theo 'sex'", "has no dimension 'sex'"),
    ),
    "rule with an unknown option": (
        _set("rules", 1, expression="0201[area=C] <= 0101"),
        ("rules", 3, "expression", "'C' không phải là mã của chiều 'area'", "'C' is not an option of the dimension 'area'"),
    ),
    "rule with a number shaped like a code": (
        _set("rules", 0, expression="0102 <= 9999"),
        ("rules", 2, "expression", "'9999' (ký tự thứ 9) có dạng mã chỉ tiêu nhưng không có chỉ tiêu nào mã 9999",
         "if you mean the number, write 9999.0"),
    ),
    "rule on a text indicator": (
        _set("rules", 0, expression="0106 <= 0101"),
        ("rules", 2, "expression", "'0106' là dạng chữ", "'0106' is text"),
    ),
    "rule for an unknown form": (
        _set("rules", 1, forms=["F1", "F9"]),
        ("rules", 3, "forms", "biểu mẫu 'F9' không có trong sheet forms", "form 'F9' is not in the forms sheet"),
    ),
    "rule without a message": (
        _set("rules", 1, message_vi=""),
        ("rules", 3, "message_vi", "ô này bắt buộc nhưng đang trống", "this cell is required but empty"),
    ),
    # meta
    "meta key missing": (
        _meta(title=None),
        ("meta", None, None, "thiếu khoá 'title'", "key 'title' is missing"),
    ),
    "version not an integer": (
        _meta(version="abc"),
        ("meta", 3, "value", "version: 'abc' không phải là một số nguyên dương", "version: 'abc' is not a positive whole number"),
    ),
    "version zero": (
        _meta(version=0),
        ("meta", 3, "value", "version: '0' không phải là một số nguyên dương", "version: '0' is not a positive"),
    ),
    "effective_from not a date": (
        _meta(effective_from="1 tháng 7"),
        ("meta", 6, "value", "effective_from: '1 tháng 7' không phải là ngày (ví dụ 2025-07-01)", "effective_from: '1 tháng 7' is not a date"),
    ),
    "sample not yes/no": (
        _meta(sample="maybe"),
        ("meta", 9, "value", "sample: 'maybe' không phải là có/không", "sample: 'maybe' is not yes/no"),
    ),
    "empty title": (
        _meta(title=""),
        ("meta", 4, "value", "title: ô này bắt buộc nhưng đang trống", "title: this cell is required but empty"),
    ),
    "catalog_id with spaces": (
        _meta(catalog_id="my catalogue"),
        ("meta", 2, "value", "catalog_id: 'my catalogue' chỉ được gồm", "catalog_id: 'my catalogue' may only hold"),
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_each_problem_is_reported_with_its_place(load, case):
    mutate, (sheet, row, column, vi, en) = CASES[case]
    data = small_catalog()
    mutate(data)
    problem = find(problems_of(load, data), sheet, row, column, vi, en)
    place_vi = ", ".join(
        part
        for part in (f"Sheet {sheet}", f"dòng {row}" if row else "", f"cột {column}" if column else "")
        if part
    )
    assert problem.text("vi").startswith(place_vi + ": ")


def test_a_number_written_so_it_cannot_be_a_code_loads(load):
    data = small_catalog()
    data["rules"][0]["expression"] = "0102 <= 9999.0 and 0102 >= 0"
    assert load(data).rules[0].expression == "0102 <= 9999.0 and 0102 >= 0"


def test_a_published_copy_with_a_code_shaped_number_still_loads():
    # A catalogue published before the check (stored by a hub or a client) must keep loading.
    data = small_catalog()
    data["rules"][0]["expression"] = "0102 <= 9999"
    with pytest.raises(CatalogError):
        catalog_from_json(data)
    catalog = catalog_from_json(data, published=True)
    assert catalog.rules[0].expression == "0102 <= 9999"


def test_the_example_of_catalog_md_word_for_word(load):
    data = small_catalog()
    data["indicators"] += [indicator(f"01{n:02d}") for n in range(7, 13)]  # 13 indicators: rows 2..14
    data["indicators"][12]["max"] = "abc"
    [problem] = problems_of(load, data)
    assert problem.text("vi") == "Sheet indicators, dòng 14, cột max: 'abc' không phải là số"
    assert problem.text("en") == "Sheet indicators, row 14, column max: 'abc' is not a number"


def test_several_problems_are_reported_at_once_and_nothing_is_loaded(load):
    data = small_catalog(meta={"version": "v2"})
    data["indicators"][0]["group"] = "07"
    data["indicators"][2]["min"] = "ít"
    data["forms"][1]["period_type"] = "weekly"
    data["rules"][0]["expression"] = "0102 <<= 0101"
    with pytest.raises(CatalogError) as info:
        load(data)
    err = info.value
    assert isinstance(err, DttsError)
    places = [(p.sheet, p.row, p.column) for p in err.problems]
    assert places == [
        ("meta", 3, "value"),
        ("indicators", 2, "group"),
        ("indicators", 4, "min"),
        ("forms", 3, "period_type"),
        ("rules", 2, "expression"),
    ]
    assert str(err).startswith("Danh mục chỉ tiêu có 5 lỗi, chưa nạp gì:\n")
    assert err.message_en.startswith("The indicator catalogue has 5 problem(s); nothing was loaded:\n")
    assert "Sheet forms, dòng 3, cột period_type: 'weekly' không hợp lệ" in str(err)


def test_json_and_workbook_report_the_same_problems(tmp_path):
    data = small_catalog(meta={"sample": "perhaps", "catalog_id": None})
    data["groups"].append(GROUP)
    data["indicators"][1]["max"] = "nhiều"
    data["indicators"][3]["disaggregation"] = "by_region"
    data["forms"][0]["indicators"] = "0101-0106, 0200-0100"
    data["rules"][1]["severity"] = "info"

    def report(loader):
        with pytest.raises(CatalogError) as info:
            loader()
        return [(p.sheet, p.row, p.column, p.message_vi, p.message_en) for p in info.value.problems]

    from_json = report(lambda: catalog_from_json(data))
    from_xlsx = report(lambda: load_workbook(make_workbook(tmp_path / "c.xlsx", data)))
    assert from_json == from_xlsx
    assert len(from_json) == 7


def test_a_missing_sheet(tmp_path):
    data = small_catalog()
    del data["forms"]
    for problems in (
        problems_of(lambda d: catalog_from_json(d), data),
        problems_of(
            lambda d: load_workbook(make_workbook(tmp_path / "c.xlsx", d, drop_sheets=["forms"])), data
        ),
    ):
        problem = find(
            problems, "forms", None, None, "tệp không có sheet bắt buộc này", "the file has no such sheet"
        )
        assert problem.text("vi") == "Sheet forms: tệp không có sheet bắt buộc này"


def test_a_missing_required_column(tmp_path):
    data = small_catalog()
    xlsx = problems_of(
        lambda d: load_workbook(
            make_workbook(tmp_path / "c.xlsx", d, drop_columns={"indicators": ["value_type"]})
        ),
        data,
    )
    problem = find(
        xlsx, "indicators", 1, "value_type", "thiếu cột bắt buộc này", "this required column is missing"
    )
    assert problem.text("en") == "Sheet indicators, row 1, column value_type: this required column is missing"
    for entry in data["indicators"]:
        del entry["value_type"]
    from_json = problems_of(lambda d: catalog_from_json(d), data)
    find(
        from_json,
        "indicators",
        None,
        "value_type",
        "thiếu cột bắt buộc này",
        "this required column is missing",
    )


def test_a_control_character_is_refused():
    data = small_catalog()
    data["groups"][0]["name_vi"] = "Dân\x07số"
    [problem] = problems_of(lambda d: catalog_from_json(d), data)
    assert (problem.sheet, problem.row, problem.column) == ("groups", 2, "name_vi")
    assert "ký tự điều khiển" in problem.message_vi


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "không phải là một danh mục chỉ tiêu"),
        ({"meta": "x", "groups": [], "indicators": [], "forms": []}, "phải là một đối tượng"),
        ({**small_catalog(), "groups": {"code": "01"}}, "phải là một danh sách"),
        ({**small_catalog(), "groups": ["01"]}, "mục này không phải là một đối tượng"),
    ],
)
def test_json_of_the_wrong_shape(data, message):
    with pytest.raises(CatalogError) as info:
        catalog_from_json(data)
    assert message in str(info.value)


# -- JSON form ------------------------------------------------------------------------------------------
def test_json_keys_come_in_a_fixed_order_and_values_are_canonical():
    data = small_catalog()
    data["indicators"][2]["min"] = "0.50"
    data["indicators"][2]["max"] = 1000
    data["indicators"][3]["min"] = "-0"
    out = catalog_to_json(catalog_from_json(data))
    assert list(out) == ["meta", "groups", "indicators", "disaggregations", "options", "forms", "rules"]
    assert list(out["meta"]) == [
        "catalog_id", "version", "title", "legal_basis", "effective_from", "unit_list", "ethnic_code_system", "sample",
    ]  # fmt: skip
    assert list(out["indicators"][0]) == [
        "code", "group", "name_vi", "name_en", "unit", "value_type", "min", "max", "required",
        "disaggregation", "definition_vi", "method_vi", "source_vi", "order",
    ]  # fmt: skip
    assert (out["indicators"][2]["min"], out["indicators"][2]["max"]) == ("0.5", "1000")
    assert out["indicators"][3]["min"] == "0"
    assert out["indicators"][4]["min"] is None
    assert out["meta"]["effective_from"] == "2025-07-01"
    assert out["meta"]["sample"] is False and out["indicators"][0]["required"] is True
    assert out["disaggregations"][0]["dimensions"] == ["eth", "sex"]
    assert out["rules"][1]["forms"] == ["F1"]
    assert json.loads(json.dumps(out)) == out


def test_json_round_trip_and_file(tmp_path):
    catalog = catalog_from_json(small_catalog())
    assert catalog_from_json(catalog_to_json(catalog)) == catalog
    assert catalog_from_json(json.loads(catalog_json_text(catalog))) == catalog
    path = tmp_path / "c.json"
    dump_catalog_json(catalog, path)
    assert load_catalog(path) == catalog
    assert path.read_text(encoding="utf-8") == catalog_json_text(catalog)
    assert "Dân số" in path.read_text(encoding="utf-8")  # readable, not \\u-escaped


def test_etag_is_stable_and_follows_the_content():
    first = catalog_from_json(small_catalog())
    again = catalog_from_json(json.loads(json.dumps(small_catalog())))
    assert catalog_etag(first) == catalog_etag(again)
    assert len(catalog_etag(first)) == 64 and int(catalog_etag(first), 16) >= 0
    assert catalog_etag(catalog_from_json(small_catalog(meta={"version": 3}))) != catalog_etag(first)
    changed = small_catalog()
    changed["indicators"][0]["name_vi"] += "."
    assert catalog_etag(catalog_from_json(changed)) != catalog_etag(first)


# -- load_catalog ---------------------------------------------------------------------------------------
def test_load_catalog_picks_the_loader_by_suffix(tmp_path):
    catalog = catalog_from_json(small_catalog())
    (tmp_path / "c.JSON").write_text(json.dumps(small_catalog()), encoding="utf-8")
    assert load_catalog(tmp_path / "c.JSON") == catalog
    assert load_catalog(str(make_workbook(tmp_path / "c.xlsx"))) == catalog


@pytest.mark.parametrize(
    ("name", "content", "vi", "en"),
    [
        ("c.csv", b"code,name\n", "chỉ nạp được danh mục dạng .xlsx hoặc .json", "only .xlsx and .json"),
        ("c.json", b"{not json", "không phải là tệp JSON hợp lệ", "is not a valid JSON file"),
        ("c.json", b"\xff\xfe\x00", "không phải là tệp JSON hợp lệ", "is not a valid JSON file"),
        ("c.json", None, "không đọc được tệp", "cannot read the file"),
    ],
)
def test_load_catalog_refuses_unreadable_files_clearly(tmp_path, name, content, vi, en):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    [problem] = info.value.problems
    assert problem.message_vi.startswith(f"Tệp '{name}': ") and vi in problem.message_vi
    assert en in problem.message_en


# -- indicator specs ------------------------------------------------------------------------------------
CODES = ["0101", "0102", "0105", "0110", "0111", "0201", "0202", "1001", "A1"]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("0101-0110, 0201", ["0101", "0102", "0105", "0110", "0201"]),
        ("0201, 0101", ["0101", "0201"]),  # catalogue order, not spec order
        ("0101 - 0102,0102,0101", ["0101", "0102"]),  # spaces allowed, duplicates once
        ("0100-0199", ["0101", "0102", "0105", "0110", "0111"]),  # ends need not exist
        ("0101-1001", ["0101", "0102", "0105", "0110", "0111", "0201", "0202", "1001"]),
        ("A1, 0202", ["0202", "A1"]),
        ("0101-0101", ["0101"]),
        ("0101,", ["0101"]),
    ],
)
def test_expand_indicator_spec(spec, expected):
    assert expand_indicator_spec(spec, CODES) == expected


@pytest.mark.parametrize(
    "spec", ["", " , ", "0999", "0110-0101", "0101-011", "0300-0399", "0101..0105", "0101-"]
)
def test_expand_indicator_spec_refuses_bad_specs(spec):
    with pytest.raises(CatalogError) as info:
        expand_indicator_spec(spec, CODES)
    assert info.value.problems and all(p.column == "indicators" for p in info.value.problems)


@settings(max_examples=150, deadline=None)
@given(
    codes=st.lists(st.from_regex(r"0[0-9]{3}", fullmatch=True), min_size=1, max_size=30, unique=True),
    bounds=st.lists(st.tuples(st.integers(0, 999), st.integers(0, 999)), min_size=1, max_size=4),
)
def test_expand_indicator_spec_matches_a_brute_force_reading(codes, bounds):
    ranges = [(f"0{min(a, b):03d}", f"0{max(a, b):03d}") for a, b in bounds]
    spec = ", ".join(f"{low}-{high}" for low, high in ranges)
    wanted = [c for c in codes if any(low <= c <= high for low, high in ranges)]
    if all(any(low <= c <= high for c in codes) for low, high in ranges):
        assert expand_indicator_spec(spec, codes) == wanted
    else:
        with pytest.raises(CatalogError):
            expand_indicator_spec(spec, codes)


def test_a_catalogue_built_by_hand_answers_once_resolved():
    loaded = catalog_from_json(small_catalog())
    by_hand = dataclasses.replace(loaded, form_members={}, default_options={})
    assert by_hand == loaded  # what the loader resolves takes no part in equality
    with pytest.raises(KeyError):
        by_hand.form_indicators(loaded.forms[0].code)
    with pytest.raises(LookupError):
        by_hand.options_for("eth")
    again = resolved(by_hand)
    assert again.form_indicators(loaded.forms[0].code) == loaded.form_indicators(loaded.forms[0].code)
    assert again.options_for("eth") == loaded.options_for("eth") and len(again.options_for("eth")) == 54
