"""Rules across periods and forms (issue #16, item 3): grammar, load checks and evaluation in core."""

from __future__ import annotations

import pytest

from dttscore.catalog import catalog_from_json
from dttscore.errors import CatalogError, RuleSyntaxError
from dttscore.rules import Ref, parse, unparse
from dttscore.validate import check_report, referred_period
from tests.support.catalogs import small_catalog

CROSS_RULES = [
    {
        "code": "X1",
        "expression": "0103 <= 2 * 0103[period=-1]",
        "severity": "error",
        "message_vi": "Thu nhập tăng hơn gấp đôi so với năm trước.",
        "message_en": "Income more than doubled since last year.",
        "forms": ["F1"],
    },
    {
        "code": "X2",
        "expression": "0201 >= 0201[period=-4]",
        "severity": "error",
        "message_vi": "Số thôn có đường ô tô giảm so với cùng quý năm trước.",
        "message_en": "Fewer villages with roads than in the same quarter a year earlier.",
        "forms": ["F2"],
    },
    {
        "code": "X3",
        "expression": "0101 <= 2 * F1.0101[period=-1]",
        "severity": "warning",
        "message_vi": "Dân số quý này hơn gấp đôi dân số báo cáo năm trước.",
        "message_en": "This quarter's population is more than twice last year's annual report.",
        "forms": ["F2"],
    },
    {
        "code": "X4",
        "expression": "F2.0201 >= 0",
        "severity": "error",
        "message_vi": "Biểu quý không có kỳ duy nhất trong năm: luôn bỏ qua.",
        "message_en": "A quarterly form has no single period in a year: always skipped.",
        "forms": ["F1"],
    },
]


def cross_catalog():
    data = small_catalog()
    data["rules"] = data["rules"] + CROSS_RULES
    return catalog_from_json(data)


class Reports:
    """Other reports held in a dict: {(form, period): values}."""

    def __init__(self, reports):
        self.reports = reports
        self.asked = []

    def values(self, form, period):
        self.asked.append((form, period))
        return self.reports.get((form, period))


def test_grammar():
    assert parse("0101[period=-1] > 0").left == Ref("0101", (), -1)
    assert parse("0101[eth=*, period=-4] > 0").left == Ref("0101", (("eth", "*"),), -4)
    assert parse("BM01.0101 > 0").left == Ref("0101", (), 0, "BM01")
    assert parse("BM01.0101[sex=F, period=-2] > 0").left == Ref("0101", (("sex", "F"),), -2, "BM01")
    assert parse("0101 > 01.02").right == Ref("01.02")  # a word starting with a digit is a code
    for text in ("0101[period=-1] >= BM01.0101[eth=08, period=-4]", "BM01.0101 <= 0101"):
        assert parse(unparse(parse(text))) == parse(text)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("0101[period=1] > 0", "period=-1"),
        ("0101[period=-x] > 0", "period=-1"),
        ("0101[period=-0] > 0", "period=-1"),
        ("0101[period=-1, period=-2] > 0", "twice"),
        ("0101[period=-121] > 0", "At most 120"),
        ("BM01. > 0", "FORM.CODE"),
    ],
)
def test_malformed_references_are_syntax_errors(text, needle):
    with pytest.raises(RuleSyntaxError) as info:
        parse(text)
    assert needle in info.value.message_en


@pytest.mark.parametrize(
    ("expression", "needle"),
    [
        ("F9.0101 > 0", "form 'F9' in the expression (F9.0101) is not in the forms sheet"),
        ("F2.0103 > 0", "form 'F2' has no indicator '0103'"),
        ("0101[period=+1] > 0", "invalid expression"),
    ],
)
def test_unknown_forms_and_malformed_references_are_load_errors_with_their_place(expression, needle):
    data = small_catalog()
    data["rules"].append({**CROSS_RULES[0], "code": "BAD", "expression": expression})
    with pytest.raises(CatalogError) as info:
        catalog_from_json(data)
    [problem] = info.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("rules", 4, "expression")
    assert needle in problem.message_en


def test_an_aggregation_formula_cannot_read_another_report():
    data = small_catalog()
    data["indicators"][3]["aggregation"] = "0102 / 0101[period=-1] * 100"
    with pytest.raises(CatalogError) as info:
        catalog_from_json(data)
    [problem] = info.value.problems
    assert (problem.sheet, problem.column) == ("indicators", "aggregation")


def test_the_period_referred_to():
    catalog = cross_catalog()
    assert referred_period(catalog, "F1", "2026", Ref("0103", (), -1)) == ("F1", "2025")
    assert referred_period(catalog, "F2", "2026Q1", Ref("0201", (), -4)) == ("F2", "2025Q1")
    assert referred_period(catalog, "F2", "2026Q1", Ref("0201", (), -1)) == ("F2", "2025Q4")
    assert referred_period(catalog, "F2", "2026Q3", Ref("0101", (), -1, "F1")) == ("F1", "2025")
    assert referred_period(catalog, "F2", "2026Q3", Ref("0101", (), 0, "F1")) == ("F1", "2026")
    assert referred_period(catalog, "F1", "2026", Ref("0201", (), 0, "F2")) is None  # no single quarter
    assert referred_period(catalog, "F1", "2000", Ref("0103", (), -1)) is None  # before 2000


def _codes(problems):
    return sorted(p.code for p in problems if p.code.startswith("X"))


def test_rules_read_the_other_reports_and_skip_when_one_is_missing():
    catalog = cross_catalog()
    mine = {("0103", ""): "300"}
    last_year = Reports({("F1", "2025"): {("0103", ""): "100"}})
    assert _codes(check_report(catalog, "F1", mine, period="2026", others=last_year)) == ["X1"]
    assert last_year.asked == [("F1", "2025")]  # X4 reads nothing: F2 has no single period in 2026
    assert _codes(check_report(catalog, "F1", {("0103", ""): "200"}, period="2026", others=last_year)) == []
    assert _codes(check_report(catalog, "F1", mine, period="2026", others=Reports({}))) == []
    assert _codes(check_report(catalog, "F1", mine, period="2026")) == []  # no other reports at hand
    assert _codes(check_report(catalog, "F1", mine, others=last_year)) == []  # no period given

    quarter = {("0201", "area=A"): "3", ("0101", "eth=02|sex=F"): "500"}
    others = Reports(
        {
            ("F2", "2025Q2"): {("0201", "area=A"): "4", ("0201", "area=B"): "1"},
            ("F1", "2025"): {("0101", "eth=02|sex=F"): "100", ("0101", "eth=08|sex=M"): "100"},
        }
    )
    problems = check_report(catalog, "F2", quarter, period="2026Q2", others=others)
    assert _codes(problems) == ["X2", "X3"]
    assert next(p for p in problems if p.code == "X3").severity == "warning"


def test_a_reference_to_the_report_itself_reads_its_own_values():
    data = small_catalog()
    data["rules"].append({**CROSS_RULES[0], "code": "X5", "expression": "F1.0103 <= 10", "forms": ["F1"]})
    catalog = catalog_from_json(data)
    stale = Reports({("F1", "2026"): {("0103", ""): "5"}})  # e.g. the hub's previous head of this report
    problems = check_report(catalog, "F1", {("0103", ""): "50"}, period="2026", others=stale)
    assert "X5" in _codes(problems) and ("F1", "2026") not in stale.asked
