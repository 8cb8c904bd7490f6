"""check_report (values, required indicators, rules, * rules) and rule_problems for the catalogue loader."""

from datetime import date
from decimal import Decimal

from dttscore.catalog import resolved
from dttscore.model import Catalog, Disaggregation, Form, Group, Indicator, Option, Rule
from dttscore.validate import check_report, rule_problems

ETH = (
    Option("eth", "02", "Tày", "Tay", 1),
    Option("eth", "03", "Thái", "Thai", 2),
    Option("eth", "08", "HMông", "HMong", 3),
)
SEX = (Option("sex", "M", "Nam", "Male", 1), Option("sex", "F", "Nữ", "Female", 2))


def ind(
    code, value_type="integer", min=0, max=None, required=False, disaggregation=None, group=None, order=0
):
    return Indicator(
        code=code,
        group=group or code[:2],
        name_vi=f"Chỉ tiêu {code}",
        name_en=f"Indicator {code}",
        unit="người",
        value_type=value_type,
        min=None if min is None else Decimal(min),
        max=None if max is None else Decimal(max),
        required=required,
        disaggregation=disaggregation,
        order=order or int(code[2:]),
    )


INDICATORS = (
    ind("0101", required=True, disaggregation="by_eth_sex"),
    ind("0102", required=True),
    ind("0201", disaggregation="by_eth_sex"),
    ind("0202", "percent", min=0, max=100),
    ind("0203", "yes_no", min=None),
    ind("0204", "text", min=None),
    ind("0205", "decimal", min=0, max=1000000),
    ind("0206", disaggregation="by_sex"),
    ind("0301"),
)


def catalog(rules=(), indicators=INDICATORS, options=ETH + SEX, forms=None):
    return resolved(
        Catalog(
            catalog_id="test",
            version=1,
            title="Danh mục thử",
            legal_basis="Thông tư 03/2019/TT-UBDT",
            effective_from=date(2026, 1, 1),
            unit_list="vn-2025-07",
            ethnic_code_system="gso-1979",
            sample=True,
            groups=(
                Group("01", "Dân số", "Population", 1),
                Group("02", "Lao động", "Labour", 2),
                Group("03", "Khác", "Other", 3),
            ),
            indicators=indicators,
            disaggregations=(
                Disaggregation("by_eth_sex", ("eth", "sex")),
                Disaggregation("by_sex", ("sex",)),
            ),
            options=options,
            forms=forms
            or (
                Form("BM01", "Biểu 01", "Form 01", "year", "0101-0102, 0201-0206", 30),
                Form("BM02", "Biểu 02", "Form 02", "year", "0301", 30),
            ),
            rules=tuple(rules),
        )
    )


def rule(code, expression, severity="error", forms=(), vi=None, en=None):
    return Rule(
        code, expression, severity, vi or f"Quy tắc {code} không đạt", en or f"Rule {code} fails", forms
    )


def base_values(**extra):
    values = {
        ("0101", "eth=02|sex=M"): "100",
        ("0101", "eth=02|sex=F"): "110",
        ("0101", "eth=08|sex=M"): "50",
        ("0101", "eth=08|sex=F"): "60",
        ("0102", ""): "80",
    }
    values.update({tuple(k.split("@")): v for k, v in extra.items()})
    return values


def codes(problems):
    return [(p.code, p.indicator, p.disagg, p.option) for p in problems]


# -- per-value checks and required ---------------------------------------------------------------------


def test_clean_report_has_no_problem():
    assert check_report(catalog(), "BM01", base_values()) == []


def test_value_problems_carry_the_cell():
    values = base_values()
    values[("0101", "eth=08|sex=F")] = "-3"
    values[("0202", "")] = "120"
    values[("0205", "")] = "abc"
    problems = check_report(catalog(), "BM01", values)
    assert codes(problems) == [
        ("min", "0101", "eth=08|sex=F", ""),
        ("max", "0202", "", ""),
        ("type", "0205", "", ""),
    ]
    assert problems[0].message_vi == "Chỉ tiêu 0101: số liệu không được âm (đã nhập -3)."


def test_required_indicators():
    values = {("0101", "eth=02|sex=M"): "5", ("0102", ""): None, ("0201", "eth=02|sex=M"): ""}
    problems = check_report(catalog(), "BM01", values)
    assert codes(problems) == [("required", "0102", "", "")]
    p = problems[0]
    assert p.severity == "error"
    assert p.message_vi == "Chỉ tiêu 0102 (Chỉ tiêu 0102) là bắt buộc nhưng chưa có số liệu."
    assert p.message_en == "Indicator 0102 (Indicator 0102) is required but has no value."
    assert codes(check_report(catalog(), "BM01", {})) == [
        ("required", "0101", "", ""),
        ("required", "0102", "", ""),
    ]


def test_values_outside_the_form_are_still_checked_and_unknown_codes_ignored():
    values = base_values(**{"0301@": "-1", "9999@": "abc"})
    assert codes(check_report(catalog(), "BM01", values)) == [("min", "0301", "", "")]


# -- rules ---------------------------------------------------------------------------------------------


def test_failing_rule_gives_a_problem_with_its_severity():
    cat = catalog(
        [rule("R01", "0201 <= 0101", vi="Lao động không thể lớn hơn dân số", en="Workers exceed population")]
    )
    values = base_values(**{"0201@eth=02|sex=M": "300", "0201@eth=02|sex=F": "100"})  # 400 > 320
    [p] = check_report(cat, "BM01", values)
    assert (p.severity, p.code, p.indicator, p.disagg, p.option) == ("error", "R01", "0201", "", "")
    assert p.message_vi == "Lao động không thể lớn hơn dân số"
    assert p.message_en == "Workers exceed population"
    values[("0201", "eth=02|sex=M")] = "200"  # 300 <= 320
    assert check_report(cat, "BM01", values) == []


def test_totals_sum_the_cells_and_selectors_sum_the_matching_cells():
    cat = catalog(
        [
            rule("T1", "0101 == 320"),
            rule("T2", "0101[sex=F] == 170"),
            rule("T3", "0101[eth=08] == 110"),
            rule("T4", "0101[eth=08, sex=F] == 60"),
            rule("T5", "0101[sex=F] + 0101[sex=M] == 0101"),
        ]
    )
    values = base_values()
    values[("0101", "")] = "1"  # a stray total cell of a disaggregated indicator is not counted
    assert check_report(cat, "BM01", values) == []
    values[("0101", "eth=08|sex=F")] = "61"
    assert {p.code for p in check_report(cat, "BM01", values)} == {"T1", "T2", "T3", "T4"}


def test_star_rule_names_the_group():
    cat = catalog(
        [
            rule(
                "R02",
                "0201[eth=*] <= 0101[eth=*]",
                vi="Lao động của dân tộc vượt quá dân số",
                en="Workers of the group exceed its population",
            )
        ]
    )
    values = base_values(**{"0201@eth=02|sex=M": "100", "0201@eth=08|sex=M": "200"})  # 08: 200 > 110
    [p] = check_report(cat, "BM01", values, eth_present=["02", "03", "08"])
    assert (p.code, p.indicator, p.option) == ("R02", "0201", "eth=08")
    assert p.message_vi == "Lao động của dân tộc vượt quá dân số (Dân tộc: HMông)"
    assert p.message_en == "Workers of the group exceed its population (Ethnic group: HMong)"


def test_star_rule_over_two_dimensions():
    cat = catalog([rule("R06", "0201[eth=*, sex=*] <= 0101[eth=*, sex=*]", severity="warning")])
    values = base_values(**{"0201@eth=02|sex=F": "111", "0201@eth=08|sex=M": "51", "0201@eth=08|sex=F": "1"})
    problems = check_report(cat, "BM01", values)
    assert [p.option for p in problems] == ["eth=02|sex=F", "eth=08|sex=M"]
    assert all(p.severity == "warning" for p in problems)
    assert problems[0].message_vi.endswith("(Dân tộc: Tày; Giới tính: Nữ)")
    assert problems[0].message_en.endswith("(Ethnic group: Tay; Sex: Female)")


def test_star_groups_come_from_cells_and_eth_present():
    cat = catalog([rule("R09", "0101[eth=*] > 0", severity="warning")])
    # 03 is only in eth_present and has no cell: its operand is empty, so it is skipped
    assert check_report(cat, "BM01", base_values(), eth_present=["03"]) == []
    values = base_values(**{"0101@eth=03|sex=M": "0", "0101@eth=03|sex=F": "0"})
    [p] = check_report(cat, "BM01", values)
    assert p.option == "eth=03" and p.message_vi.endswith("(Dân tộc: Thái)")


def test_malformed_eth_present_entries_are_ignored():
    cat = catalog([rule("R09", "0101[eth=*] > 1000", severity="warning")])
    problems = check_report(cat, "BM01", base_values(), eth_present=["0 8", "", "03"])
    assert [p.option for p in problems] == ["eth=02", "eth=08"]


def test_star_rule_with_default_ethnic_options():
    cat = catalog([rule("R10", "0101[eth=*] >= 10", vi="Quá ít")], options=SEX)  # eth: the 54 groups
    values = {("0101", "eth=03|sex=M"): "4", ("0101", "eth=03|sex=F"): "5", ("0102", ""): "3"}
    [p] = check_report(cat, "BM01", values)
    assert p.message_vi == "Quá ít (Dân tộc: Thái)"
    assert p.message_en == "Rule R10 fails (Ethnic group: Thai)"


def test_rules_with_empty_operands_are_skipped():
    cat = catalog([rule("R01", "0201 <= 0101"), rule("R11", "0206[sex=F] > 1000 and 0102 > 0")])
    assert check_report(cat, "BM01", base_values()) == []


def test_division_by_zero_skips_the_rule():
    cat = catalog([rule("R05", "0201 / 0102 <= 1", severity="warning")])
    values = base_values(**{"0201@eth=02|sex=M": "5", "0102@": "0"})
    assert check_report(cat, "BM01", values) == []
    values[("0102", "")] = "1"
    assert [p.code for p in check_report(cat, "BM01", values)] == ["R05"]


def test_yes_no_counts_as_one_or_zero_and_text_is_empty():
    cat = catalog([rule("R07", "0203 == 1 or 0205 > 0", severity="warning"), rule("R12", "0204 > 0")])
    values = base_values(**{"0203@": "0", "0205@": "0", "0204@": "ghi chú"})
    assert [p.code for p in check_report(cat, "BM01", values)] == ["R07"]
    values[("0203", "")] = "1"
    assert check_report(cat, "BM01", values) == []


def test_rule_for_another_form_is_not_applied():
    cat = catalog([rule("R08", "0301 > 0", forms=("BM02",)), rule("R13", "0102 > 1000", forms=("BM01",))])
    values = base_values(**{"0301@": "0"})
    assert [p.code for p in check_report(cat, "BM01", values)] == ["R13"]
    assert [p.code for p in check_report(cat, "BM02", values)] == ["R08"]


def test_a_rule_that_does_not_parse_is_logged_not_raised(caplog):
    cat = catalog([rule("BAD", "0101 >")])
    assert check_report(cat, "BM01", base_values()) == []
    assert "BAD" in caplog.text


def test_errors_first_then_indicator_order():
    cat = catalog(
        [
            rule("W1", "0102 > 1000", severity="warning"),
            rule("E2", "0205 > 5"),
            rule("W0", "0101 > 1000", severity="warning"),
        ]
    )
    values = base_values(**{"0205@": "1", "0202@": "101"})
    values[("0101", "eth=02|sex=M")] = "-1"
    problems = check_report(cat, "BM01", values)
    assert [(p.severity, p.code, p.indicator) for p in problems] == [
        ("error", "min", "0101"),
        ("error", "max", "0202"),
        ("error", "E2", "0205"),
        ("warning", "W0", "0101"),
        ("warning", "W1", "0102"),
    ]


def test_check_report_is_fast():
    # docs/journeys.md: validation runs while the officer types. A form of 100 indicators, 4 of them by
    # ethnic group × sex with all 54 groups, 23 rules of which 3 are * rules.
    groups = [f"{g:02d}" for g in range(1, 11)]
    wide = {"0101", "0102", "0201", "0301"}
    indicators = tuple(
        ind(f"{g}{i:02d}", required=True, disaggregation="by_eth_sex" if f"{g}{i:02d}" in wide else None)
        for g in groups
        for i in range(1, 11)
    )
    eth = tuple(Option("eth", f"{n:02d}", f"Dân tộc {n}", f"Group {n}", n) for n in range(1, 55))
    forms = (Form("BM01", "Biểu 01", "Form 01", "year", "0101-1010", 30),)
    rules_ = [
        rule("S1", "0102[eth=*] <= 0101[eth=*]"),
        rule("S2", "0201[eth=*, sex=*] <= 0101[eth=*, sex=*]"),
        rule("S3", "0301[eth=*] <= 0101[eth=*] * 2"),
    ]
    rules_ += [rule(f"T{g}", f"{g}05 + {g}06 <= {g}04 * 10 and {g}07 > 0") for g in groups]
    rules_ += [rule(f"U{g}", f"{g}08 <= 0101 and {g}09 / {g}10 <= 100") for g in groups]
    cat = catalog(rules_, indicators=indicators, options=eth + SEX, forms=forms)
    values = {}
    for ind_ in indicators:
        if ind_.disaggregation:
            for e in range(1, 55):
                for s in ("M", "F"):
                    values[(ind_.code, f"eth={e:02d}|sex={s}")] = str(e * 10 + (1 if s == "F" else 0))
        else:
            values[(ind_.code, "")] = "7"
    values[("0102", "eth=54|sex=F")] = "10000"  # one failing group
    problems = check_report(cat, "BM01", values)
    assert [(p.code, p.option) for p in problems] == [("S1", "eth=54")]
    # its speed is measured in benchmarks/store_bench.py (the full check of the largest form), not here


# -- rule_problems -------------------------------------------------------------------------------------


def test_rule_problems_of_a_good_rule():
    cat = catalog()
    for expression in ("0201 <= 0101", "0201[eth=*, sex=F] <= 0101[eth=08]", "0203 == 1", "0206[sex=*] >= 0"):
        assert rule_problems(cat, rule("R", expression)) == [], expression


def test_rule_problems_unknown_code_dimension_option():
    cat = catalog()
    problems = rule_problems(
        cat, rule("R", "0199 <= 0101[area=urban] + 0201[eth=99] + 0102[sex=F] + 0206[sex=X]")
    )
    assert [vi for vi, _ in problems] == [
        "chỉ tiêu '0199' trong công thức không có trong sheet indicators",
        "chỉ tiêu '0101' không phân tổ theo 'area' (chỉ tiêu này phân tổ theo eth, sex)",
        "'99' không phải là mã của chiều 'eth' (trong 0201[eth=99])",
        "chỉ tiêu '0102' không phân tổ theo 'sex' (chỉ tiêu này không phân tổ)",
        "'X' không phải là mã của chiều 'sex' (trong 0206[sex=X])",
    ]
    assert problems[0][1] == "indicator '0199' in the expression is not in the indicators sheet"
    assert problems[3][1] == "indicator '0102' has no dimension 'sex' (it is not disaggregated)"


def test_rule_problems_text_indicator_and_a_code_that_reads_like_a_number():
    indicators = (*INDICATORS, ind("1001"))
    cat = catalog(indicators=indicators)
    problems = rule_problems(cat, rule("R", "0204 > 0 and 0101 > 1001"))
    assert problems == [
        (
            "chỉ tiêu '0204' là dạng chữ (text), không dùng được trong công thức",
            "indicator '0204' is text and cannot be used in an expression",
        ),
    ]
    # With the catalogue's codes, 1001 is the indicator (group 10, item 01), not the number.
    assert rule_problems(cat, rule("R", "0101 > 1001")) == []
    assert rule_problems(cat, rule("R", "0101 > 1001[]")) == []
    # A four-digit number that names no indicator is most likely a mistyped code: refused, with the way
    # to write the number so that it cannot be a code.
    [(vi, en)] = rule_problems(cat, rule("R", "0101 > 1002"))
    assert vi == (
        "'1002' (ký tự thứ 8) có dạng mã chỉ tiêu nhưng không có chỉ tiêu nào mã 1002: "
        "nếu là mã chỉ tiêu, hãy sửa lại cho đúng; nếu là con số, hãy viết 1002.0"
    )
    assert en == (
        "'1002' (character 8) looks like an indicator code but no indicator has the code 1002: "
        "if it is a code, correct it; if you mean the number, write 1002.0"
    )
    # Numbers that cannot be codes stay numbers.
    for expression in ("0101 > 1002.0", "0101 > 100", "0101 > 12345", "0101 > 0.5 * 1001"):
        assert rule_problems(cat, rule("R", expression)) == [], expression


def test_code_like_numbers():
    from dttscore.rules import code_like_numbers, parse

    codes = frozenset({"1001", "0101"})
    assert code_like_numbers("1001 <= 9999 and 0101 > 2026", codes) == [("9999", 8), ("2026", 24)]
    # a word followed by "[" is always a code (reported as unknown if it is none); options are not numbers
    assert code_like_numbers("0101[eth=1234] <= 9999[] + 9999.0 + 10000", codes) == []
    assert code_like_numbers("0101 <= $", codes) == []  # a character the grammar does not know
    # the parser still reads 9999.0 as the number 9999
    assert parse("0101 <= 9999.0", codes) == parse("0101 <= 9999", codes)


def test_a_code_that_reads_like_a_number_is_checked_as_the_indicator():
    indicators = (*INDICATORS, ind("1001", group="03"))
    forms = (Form("BM01", "Biểu 01", "Form 01", "year", "0101-0102, 1001", 30),)
    cat = catalog(indicators=indicators, forms=forms, rules=(rule("R", "1001 <= 0102"),))
    assert check_report(cat, "BM01", {**base_values(), ("1001", ""): "80"}) == []
    failing = check_report(cat, "BM01", {**base_values(), ("1001", ""): "81"})
    assert codes(failing) == [("R", "1001", "", "")]
    # Without the indicator's value the rule is skipped, as for any empty operand (1001 is no number).
    assert check_report(cat, "BM01", base_values()) == []


def test_rule_problems_of_a_rule_that_does_not_parse():
    [(vi, en)] = rule_problems(catalog(), rule("R", "0101 > 1)"))
    assert vi == "công thức sai: Thừa dấu “)” (ký tự thứ 9)"
    assert en == "invalid expression: An extra “)” (character 9)"


def test_rule_problems_eth_defaults_to_the_54_groups():
    cat = catalog(options=SEX)
    assert rule_problems(cat, rule("R", "0101[eth=54] >= 0")) == []
    assert len(rule_problems(cat, rule("R", "0101[eth=55] >= 0"))) == 1
