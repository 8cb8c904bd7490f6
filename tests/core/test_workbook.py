"""The authoring workbook: reading real xlsx files the way authors write them, writing, round trips."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dttscore.catalog import catalog_from_json, catalog_to_json, load_catalog
from dttscore.errors import CatalogError
from dttscore.model import (
    ETH_OPTIONS,
    PERIOD_TYPES,
    SEVERITIES,
    Catalog,
    Disaggregation,
    Form,
    Group,
    Indicator,
    Option,
    Rule,
)
from dttscore.workbook import load_workbook, write_workbook
from tests.support.catalogs import make_workbook, small_catalog


@pytest.fixture
def small():
    return catalog_from_json(small_catalog())


# -- writing --------------------------------------------------------------------------------------------
def test_written_workbook_loads_back_to_the_same_catalogue(tmp_path, small):
    path = tmp_path / "out.xlsx"
    write_workbook(small, path)
    assert load_workbook(path) == small
    assert load_catalog(path) == small
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*"))


def test_written_workbook_layout(tmp_path, small):
    path = tmp_path / "out.xlsx"
    write_workbook(small, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["meta", "groups", "indicators", "disaggregations", "options", "forms", "rules"]
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"
        assert all(cell.font.bold for cell in ws[1])
    ws = book["indicators"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["code", "group", "name_vi", "name_en"]
    assert ws["A2"].value == "0101" and ws["A2"].data_type == "s" and ws["A2"].number_format == "@"
    assert ws.cell(2, header.index("required") + 1).value == "yes"
    assert ws.cell(4, header.index("max") + 1).value == 1000  # a number cell, not text
    assert ws.column_dimensions["C"].width > ws.column_dimensions["A"].width >= 8
    meta = {row[0].value: row[1].value for row in book["meta"].iter_rows(min_row=2)}
    assert meta["effective_from"] == datetime(2025, 7, 1) and meta["sample"] == "no" and meta["version"] == 2
    assert book["disaggregations"]["B2"].value == "eth, sex"
    assert book["rules"]["F3"].value == "F1"
    validations = {str(v.sqref).split(":")[0]: v.formula1 for v in ws.data_validations.dataValidation}
    assert validations["F2"] == '"integer,decimal,percent,yes_no,text"'


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    data = small_catalog()
    data["indicators"][0]["name_vi"] = "=SUM(A1:A3)"
    data["indicators"][0]["definition_vi"] = "Dòng 1\nDòng 2 — có “ngoặc kép” và 'nháy'"
    catalog = catalog_from_json(data)
    path = tmp_path / "f.xlsx"
    write_workbook(catalog, path)
    assert load_workbook(path) == catalog


def test_numbers_excel_cannot_hold_exactly_are_written_as_text(tmp_path):
    data = small_catalog()
    data["indicators"][2]["min"] = "0.1"
    data["indicators"][2]["max"] = "12345678901234567890.123456789"
    catalog = catalog_from_json(data)
    path = tmp_path / "n.xlsx"
    write_workbook(catalog, path)
    ws = openpyxl.load_workbook(path)["indicators"]
    assert ws["G4"].value == 0.1
    assert ws["H4"].value == "12345678901234567890.123456789"
    assert load_workbook(path).indicator("0103").max == Decimal("12345678901234567890.123456789")


def test_writing_replaces_an_existing_file(tmp_path, small):
    path = tmp_path / "out.xlsx"
    path.write_text("old content")
    write_workbook(small, path)
    assert load_workbook(path) == small


# -- reading what authors write ------------------------------------------------------------------------
def test_columns_in_any_order_and_letter_case_and_sheet_names_trimmed(tmp_path, small):
    path = make_workbook(tmp_path / "c.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book["indicators"]
    ws.move_range("A1:A8", cols=20)  # the code column goes to the far right
    ws["U1"] = "  CODE "
    ws["B1"] = "Group"
    book["forms"].title = " Forms "
    ws["V1"] = "ghi chú"  # an extra column of notes is ignored
    ws["V2"] = "chỉ tiêu quan trọng"
    book.create_sheet("hướng dẫn")["A1"] = "Đọc kỹ trước khi điền"  # extra sheets are ignored
    book.save(path)
    assert load_workbook(path) == small


def test_blank_rows_are_skipped_and_rows_keep_their_numbers(tmp_path):
    path = make_workbook(tmp_path / "c.xlsx")
    book = openpyxl.load_workbook(path)
    book["indicators"].insert_rows(3, amount=2)  # 0102 moves from row 3 to row 5
    book["indicators"]["G5"] = "abc"
    book.save(path)
    with pytest.raises(CatalogError) as info:
        load_workbook(path)
    [problem] = info.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("indicators", 5, "min")


def test_numbers_and_dates_typed_as_text_or_as_numbers(tmp_path, small):
    cells = {
        ("meta", 3, "value"): "2",  # version as text
        ("meta", 6, "value"): "01/07/2025",  # effective_from as Vietnamese text
        ("meta", 9, "value"): False,  # sample as an Excel boolean
        ("indicators", 4, "min"): 0,
        ("indicators", 4, "max"): "1000",
        ("indicators", 2, "order"): 1.0,
        ("forms", 2, "deadline_days"): "30",
        ("groups", 2, "order"): "1",
        ("indicators", 2, "required"): True,
    }
    assert load_workbook(make_workbook(tmp_path / "c.xlsx", cells=cells)) == small
    for typed in ("2025-07-01", datetime(2025, 7, 1, 0, 0), date(2025, 7, 1)):
        path = make_workbook(tmp_path / "d.xlsx", cells={("meta", 6, "value"): typed})
        assert load_workbook(path) == small


def test_codes_typed_as_numbers_are_read_as_their_digits(tmp_path):
    data = small_catalog()
    data["groups"][0]["code"] = "1"
    for entry in data["indicators"]:
        if entry["group"] == "01":
            entry["group"] = "1"
    cells = {("groups", 2, "code"): 1}
    cells |= {("indicators", row, "group"): 1 for row in range(2, 8)}
    catalog = load_workbook(make_workbook(tmp_path / "c.xlsx", data, cells=cells))
    assert catalog.groups[0].code == "1" and catalog.indicators[0].group == "1"


# -- files that are not workbooks -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "content",
    [
        "code,name_vi\n0101,Dân số\n".encode(),  # a CSV renamed to .xlsx
        b"",  # an empty file
        b"PK\x03\x04 truncated zip",  # a truncated download
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,  # an old .xls (OLE2) renamed
    ],
    ids=["renamed-text", "empty", "truncated-zip", "renamed-xls"],
)
def test_a_file_that_is_not_an_xlsx_workbook_is_refused_clearly(tmp_path, content):
    path = tmp_path / "danh_muc.xlsx"
    path.write_bytes(content)
    for loader in (load_workbook, load_catalog):
        with pytest.raises(CatalogError) as info:
            loader(path)
        [problem] = info.value.problems
        assert problem.message_vi.startswith(
            "Tệp 'danh_muc.xlsx': không phải là bảng tính Excel .xlsx hợp lệ"
        )
        assert "Excel Workbook (.xlsx)" in problem.message_en


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "c.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "xin chào")
    with pytest.raises(CatalogError, match="không phải là bảng tính Excel"):
        load_workbook(path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CatalogError) as info:
        load_workbook(tmp_path / "nowhere.xlsx")
    assert "không đọc được tệp" in info.value.problems[0].message_vi


# -- round trip of random catalogues --------------------------------------------------------------------
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
ALPHABET = VIETNAMESE + VIETNAMESE.upper() + "0123456789 ,.;:()%/–—“”'\"=+-*?!&<>"
# Text that a spreadsheet is tempted to read as something else: formulas, numbers, dates, booleans.
TRICKY = st.sampled_from(
    ["=1+1", "=SUM(A1:A2)", "0101", "1.0", "1e5", "TRUE", "có", "2025-07-01", "+84", "-"]
)
text = st.one_of(st.text(alphabet=ALPHABET, max_size=40).map(str.strip), TRICKY)
name = text.filter(bool)
paragraph = st.lists(text, max_size=3).map(lambda lines: "\n".join(lines).strip())
word = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,7}", fullmatch=True)
decimals = st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**12), max_value=10**12, places=4)


@st.composite
def catalogs(draw) -> Catalog:
    group_codes = draw(
        st.lists(st.from_regex(r"[0-9]{2}", fullmatch=True), min_size=1, max_size=3, unique=True)
    )
    groups = tuple(Group(c, draw(name), draw(text), draw(st.integers(0, 99))) for c in group_codes)
    area_codes = draw(st.lists(st.from_regex(r"[A-Z][A-Z0-9]{0,3}", fullmatch=True), max_size=3, unique=True))
    options = tuple(Option("area", c, draw(name), draw(text), i) for i, c in enumerate(area_codes, start=1))
    disaggregations = [Disaggregation("by_sex", ("sex",)), Disaggregation("by_eth_sex", ("eth", "sex"))]
    if options:
        disaggregations.append(Disaggregation("by_area", ("area",)))
    codes = draw(st.lists(st.from_regex(r"0[0-9]{3}", fullmatch=True), min_size=1, max_size=8, unique=True))
    indicators = []
    for order, code in enumerate(codes):
        value_type = draw(st.sampled_from(("integer", "decimal", "percent", "yes_no", "text")))
        low = high = None
        if value_type != "text":
            low, high = draw(st.none() | decimals), draw(st.none() | decimals)
            if low is not None and high is not None and low > high:
                low, high = high, low
        indicators.append(
            Indicator(
                code=code,
                group=draw(st.sampled_from(group_codes)),
                name_vi=draw(name),
                name_en=draw(text),
                unit=draw(st.sampled_from(("", "người", "hộ", "%", "km", "triệu đồng", "ha"))),
                value_type=value_type,
                min=low,
                max=high,
                required=draw(st.booleans()),
                disaggregation=draw(st.none() | st.sampled_from([d.name for d in disaggregations])),
                definition_vi=draw(paragraph),
                method_vi=draw(paragraph),
                source_vi=draw(text),
                order=order,
            )
        )
    form_codes = draw(
        st.lists(st.from_regex(r"BM[0-9]{2}", fullmatch=True), min_size=1, max_size=3, unique=True)
    )
    forms = tuple(
        Form(
            code=c,
            name_vi=draw(name),
            name_en=draw(text),
            period_type=draw(st.sampled_from(PERIOD_TYPES)),
            indicators=", ".join(draw(st.lists(st.sampled_from(codes), min_size=1, max_size=4, unique=True))),
            deadline_days=draw(st.integers(0, 400)),
            eth_options=draw(st.sampled_from(ETH_OPTIONS)),
        )
        for c in form_codes
    )
    numeric = [i.code for i in indicators if i.value_type != "text"]
    rules = []
    if numeric:
        for n in range(draw(st.integers(0, 3))):
            left, right = draw(st.sampled_from(numeric)), draw(st.sampled_from(numeric))
            factor = draw(st.sampled_from(("", " * 2", " + 1")))
            rules.append(
                Rule(
                    code=f"R{n}",
                    expression=f"{left} <= {right}{factor}",
                    severity=draw(st.sampled_from(SEVERITIES)),
                    message_vi=draw(name),
                    message_en=draw(text),
                    forms=tuple(draw(st.lists(st.sampled_from(form_codes), max_size=2, unique=True))),
                )
            )
    extra_keys = draw(
        st.lists(word.filter(lambda k: k.lower() not in META_TAKEN), max_size=2, unique_by=str.lower)
    )
    return Catalog(
        catalog_id=draw(st.from_regex(r"[a-z0-9][a-z0-9._-]{0,15}", fullmatch=True)),
        version=draw(st.integers(1, 10**6)),
        title=draw(name),
        legal_basis=draw(name),
        effective_from=draw(st.dates(date(2000, 1, 1), date(2099, 12, 31))),
        unit_list=draw(name),
        ethnic_code_system=draw(st.sampled_from(("gso-1979", "gso-2008"))),
        sample=draw(st.booleans()),
        groups=groups,
        indicators=tuple(indicators),
        disaggregations=tuple(disaggregations),
        options=options,
        forms=forms,
        rules=tuple(rules),
        extra_meta=tuple((k, draw(text)) for k in extra_keys),
    )


META_TAKEN = {"catalog_id", "version", "title", "legal_basis", "effective_from", "unit_list"}
META_TAKEN |= {"ethnic_code_system", "sample"}


# No shrinking: each step writes and reads a workbook, and shrinking a failure would take minutes.
@settings(
    max_examples=30,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(catalog=catalogs())
def test_workbook_and_json_round_trip_random_catalogues(tmp_path, catalog):
    assert catalog_from_json(catalog_to_json(catalog)) == catalog
    path = tmp_path / "random.xlsx"
    write_workbook(catalog, path)
    from_workbook = load_workbook(path)
    assert from_workbook == catalog
    again = tmp_path / "again.xlsx"
    write_workbook(catalog_from_json(catalog_to_json(from_workbook)), again)
    assert load_workbook(again) == catalog
