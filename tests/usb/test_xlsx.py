"""The report in Excel and the Excel import: round trips, the layout, plain tables, refusals, bad files."""

from __future__ import annotations

import zipfile
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from dttsclient.store import Store
from dttsclient.usb.errors import (
    BadFile,
    ImportRefused,
    MissingArgument,
    NotAnXlsx,
    ReopensReport,
    UnsafeArchive,
    WrongReport,
)
from dttsclient.usb.xlsx_import import import_values
from dttsclient.usb.xlsx_report import META_SHEET, export_xlsx
from dttscore.catalog import load_catalog
from dttscore.disagg import cell_keys
from tests.support.hubfixture import COMMUNE_B, SAMPLE_CATALOG
from tests.support.usbutil import (
    COMMUNE_A,
    USER,
    accept,
    fill,
    finalize,
    good_values,
    open_profile,
    refused,
    snapshot,
)


@pytest.fixture
def store(data_dir):
    with open_profile(data_dir) as s:
        yield s


def exported(store, tmp_path, period="2026", values=None, name="bm01.xlsx"):
    rid = fill(store, period, values)
    return export_xlsx(store, rid, tmp_path / name)


def value_refs(path) -> dict[tuple[str, str], str]:
    wb = load_workbook(path)
    rows = list(wb[META_SHEET].iter_rows(values_only=True))
    start = rows.index(("sheet", "cell", "code", "disagg", "value_type"))
    return {(r[2], r[3] or ""): r[1] for r in rows[start + 1 :]}


def test_layout_of_the_form_sheet(store, tmp_path):
    rid = fill(store)
    store.reports.set_comment(rid, "0102", "", "Theo điều tra", USER)
    path = export_xlsx(store, rid, tmp_path / "bm01.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["BM01", META_SHEET]
    ws, meta = wb["BM01"], wb[META_SHEET]
    assert meta.sheet_state == "hidden" and meta.protection.sheet
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    joined = "\n".join(texts)
    for needle in (
        "Biểu số: BM01",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "UBND Xã Phong Quang",
        "BIỂU NĂM",
        "Năm 2026",
        "Thông tư 03/2019/TT-UBDT",
        "phiên bản 1",
        "Dân số người dân tộc thiểu số",
        "Nam",
        "Nữ",
        "Cộng",
        "Theo điều tra",
        "NGƯỜI LẬP BIỂU",
        "THỦ TRƯỞNG ĐƠN VỊ",
        "Phong Quang, ngày …… tháng …… năm ……",
        "(Ký, đóng dấu, ghi rõ họ tên)",
    ):
        assert needle in joined, needle
    assert int(ws.page_setup.paperSize) == 9 and int(ws.page_setup.fitToWidth) == 1  # 9: A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows and ws.print_title_rows.count(":") == 1
    # Totals are computed values: 120 + 115 + 40 + 38 for 0101.
    assert 313 in [c.value for row in ws.iter_rows() for c in row]
    refs = value_refs(path)
    assert ws[refs[("0101", "eth=08|sex=F")]].value == 40 and ws[refs[("0201", "")]].value == 96.5


def test_export_then_import_gives_the_same_values(store, tmp_path, data_dir):
    path = exported(store, tmp_path)
    again = import_values(store, path)
    assert (again.read, again.changed, again.unchanged) == (7, 0, 7)
    with open_profile(tmp_path / "other") as other:
        result = import_values(other, path)
        assert result.changed == 7 and result.mode == "layout" and result.eth_rows_added == ["02", "08"]
        report = other.reports.report(COMMUNE_A, "BM01", "2026")
        assert other.reports.cells(report.id) == good_values()
        assert {h.kind for h in other.reports.history(report.id)} == {"import"}


def test_round_trip_of_every_value_type_on_the_sample_catalogue(tmp_path):
    catalog = load_catalog(SAMPLE_CATALOG)
    values = {}
    for ind in catalog.form_indicators("BM01"):
        for key in cell_keys(catalog, ind, ["09", "17"]):
            values[(ind.code, key)] = {
                "text": "Lễ hội Lồng tồng; “Gầu tào”",
                "yes_no": "1",
                "percent": "12.5",
                "decimal": "1234.56",
            }.get(ind.value_type, "1234567")
    with Store.open(tmp_path / "a") as a:
        a.settings.set_profile(unit=COMMUNE_A)
        a.catalogs.import_catalog(catalog)
        report = a.reports.report(COMMUNE_A, "BM01", "2026", create=True)
        a.reports.set_eth_rows(report.id, ["09", "17"])
        a.reports.set_cells(report.id, [(c, k, v) for (c, k), v in values.items()], USER)
        path = export_xlsx(a, report.id, tmp_path / "sample.xlsx")
    with Store.open(tmp_path / "b") as b:
        b.settings.set_profile(unit=COMMUNE_A)
        b.catalogs.import_catalog(catalog)
        import_values(b, path)
        got = b.reports.cells(b.reports.report(COMMUNE_A, "BM01", "2026").id)
    assert got == values


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    counts=st.lists(st.one_of(st.none(), st.integers(0, 10**14)), min_size=6, max_size=6),
    pct=st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=3)),
)
def test_round_trip_hypothesis(tmp_path_factory, counts, pct):
    root = tmp_path_factory.mktemp("x")
    keys = [
        ("0101", "eth=02|sex=F"),
        ("0101", "eth=02|sex=M"),
        ("0101", "eth=08|sex=F"),
        ("0101", "eth=08|sex=M"),
        ("0102", ""),
        ("0103", ""),
    ]
    values = {k: str(v) for k, v in zip(keys, counts, strict=True) if v is not None}
    if pct is not None:
        values[("0201", "")] = format(pct.normalize(), "f") if pct != 0 else "0"
    if not values:
        values[("0102", "")] = "1"
    with open_profile(root / "a") as a:
        path = exported(a, root, values=values)
    with open_profile(root / "b") as b:
        import_values(b, path)
        assert b.reports.cells(b.reports.report(COMMUNE_A, "BM01", "2026").id) == values


def _table(path, rows, header=("Mã chỉ tiêu", "Phân tổ", "Giá trị"), title="Số liệu"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(["Bảng số liệu nhập tay"])
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def test_plain_long_table_in_vietnamese_or_english(store, tmp_path):
    path = _table(
        tmp_path / "t.xlsx", [("0101", "sex=F|eth=02", 120), (102, None, "1.234"), ("0201", "", "96,5")]
    )
    with refused(MissingArgument, "--form and --period"):
        import_values(store, path)
    result = import_values(store, path, form="BM01", period="2026")
    assert result.mode == "table" and result.changed == 3
    cells = store.reports.cells(store.reports.report(COMMUNE_A, "BM01", "2026").id)
    assert cells == {("0101", "eth=02|sex=F"): "120", ("0102", ""): "1234", ("0201", ""): "96.5"}
    en = _table(tmp_path / "en.xlsx", [("0103", "", 7)], header=("Code", "Disaggregation", "Value"))
    assert import_values(store, en, form="BM01", period="2026").changed == 1


def test_every_refused_cell_is_named_and_nothing_is_imported(store, tmp_path):
    path = exported(store, tmp_path)
    refs = value_refs(path)
    wb = load_workbook(path)
    ws = wb["BM01"]
    ws[refs[("0102", "")]] = "abc"
    ws[refs[("0101", "eth=02|sex=F")]] = 12.5
    ws[refs[("0103", "")]] = 5  # a good change, not imported because of the others
    wb.save(path)
    with open_profile(tmp_path / "b") as other:
        before = snapshot(other)
        with pytest.raises(ImportRefused) as info:
            import_values(other, path)
        assert snapshot(other) == before
    err = info.value
    assert len(err.problems) == 2
    assert any(
        p[0].startswith(f"Sheet BM01, ô {refs[('0102', '')]}: ") and "abc" in p[0] for p in err.problems
    )
    assert any(f"Sheet BM01, cell {refs[('0101', 'eth=02|sex=F')]}: " in p[1] for p in err.problems)
    assert "Không nhập giá trị nào" in err.message_vi and "Nothing was imported" in err.message_en


def test_table_refusals_name_their_cells(store, tmp_path):
    path = _table(
        tmp_path / "t.xlsx",
        [
            ("0101", "eth=02", 5),  # row 3: wrong key for eth × sex
            ("9999", "", 5),  # row 4: not on the form
            ("0102", "", 5),
            ("0102", "", 6),  # rows 5, 6: the same cell twice with two values
            ("0103", "", "12,3"),  # row 7: an integer indicator
            ("0101", "eth=99|sex=F", 1),  # row 8: not an ethnic group of the catalogue
        ],
    )
    with pytest.raises(ImportRefused) as info:
        import_values(store, path, form="BM01", period="2026")
    where = sorted(p[1].split(":")[0] for p in info.value.problems)
    assert where == [
        "Sheet Số liệu, cell A3",
        "Sheet Số liệu, cell A4",
        "Sheet Số liệu, cell A8",
        "Sheet Số liệu, cell C6",
        "Sheet Số liệu, cell C7",
    ]
    assert store.reports.report(COMMUNE_A, "BM01", "2026") is None


def test_file_of_another_form_commune_or_period_needs_confirmation(store, tmp_path):
    path = exported(store, tmp_path)
    with open_profile(tmp_path / "b", unit=COMMUNE_B) as other:
        with refused(WrongReport, "the file's commune is 01849, not 01864"):
            import_values(other, path)
        assert other.reports.all() == []
        assert import_values(other, path, confirm=True).changed == 7
        assert other.reports.report(COMMUNE_B, "BM01", "2026") is not None
    with refused(WrongReport, "the file's period is Year 2026, not Year 2025"):
        import_values(store, path, period="2025")
    assert store.reports.report(COMMUNE_A, "BM01", "2025") is None
    with refused(WrongReport, "the file's form is BM01, not BM02"):
        import_values(store, path, form="BM02")


def _changed_file(store, tmp_path, new_0102="85", new_0103="13"):
    """An export of the report BM01/2026 with two cells changed in Excel (0102 and 0103)."""
    path = exported(store, tmp_path, name="changed.xlsx")
    refs = value_refs(path)
    wb = load_workbook(path)
    wb["BM01"][refs[("0102", "")]] = int(new_0102)
    wb["BM01"][refs[("0103", "")]] = int(new_0103)
    wb.save(path)
    return path


@pytest.mark.parametrize("sent", [False, True])
def test_a_finalized_or_sent_report_changes_only_after_the_changes_are_confirmed(store, tmp_path, sent):
    sub = finalize(store)
    if sent:
        accept(store, sub)
    path = _changed_file(store, tmp_path)
    before = snapshot(store)
    with pytest.raises(ReopensReport) as info:
        import_values(store, path)
    exc = info.value
    assert exc.sent is sent
    assert [(c.code, c.disagg, c.old, c.new) for c in exc.changes] == [
        ("0102", "", "80", "85"),
        ("0103", "", "12", "13"),
    ]
    assert exc.changes[0].line("vi").endswith(": 80 → 85")
    assert ("đã gửi lên máy chủ" in exc.message_vi) is sent and "Không nhập gì" in exc.message_vi
    assert "--yes" not in exc.message_vi and "--yes" not in exc.message_en  # the CLI adds its own hint
    assert snapshot(store) == before  # nothing changed: still finalized, same cells, no log, no backup
    report = store.reports.report(COMMUNE_A, "BM01", "2026")
    assert report.state == "finalized" and not report.dirty

    # Confirming other changes than the ones the import would make changes nothing either.
    with pytest.raises(ReopensReport):
        import_values(store, path, confirm_changes=exc.changes[:1])
    assert snapshot(store) == before

    result = import_values(store, path, confirm_changes=exc.changes)
    assert result.changed == 2 and result.reopened
    report = store.reports.report(COMMUNE_A, "BM01", "2026")
    assert report.state == "draft" and report.dirty
    assert store.reports.cells(report.id)[("0102", "")] == "85"


def test_a_draft_report_takes_an_import_without_a_question(store, tmp_path):
    path = _changed_file(store, tmp_path)
    result = import_values(store, path)
    assert result.changed == 2 and not result.reopened


def test_empty_cells_never_erase(store, tmp_path):
    path = exported(store, tmp_path)
    refs = value_refs(path)
    wb = load_workbook(path)
    wb["BM01"][refs[("0102", "")]] = None
    wb.save(path)
    result = import_values(store, path)
    assert result.empty >= 1 and result.changed == 0
    assert store.reports.cells(store.reports.report(COMMUNE_A, "BM01", "2026").id)[("0102", "")] == "80"


def test_an_import_takes_a_safety_copy_first(store, tmp_path):
    path = exported(store, tmp_path)
    refs = value_refs(path)
    wb = load_workbook(path)
    wb["BM01"][refs[("0102", "")]] = 81
    wb.save(path)
    result = import_values(store, path)
    assert result.changed == 1 and result.safety_copy is not None and result.safety_copy.exists()


def test_bad_files(store, tmp_path):
    text = tmp_path / "bang.xlsx"
    text.write_text("code,value\n0101,12\n", encoding="utf-8")
    with refused(NotAnXlsx, "renamed"):
        import_values(store, text, form="BM01", period="2026")
    xls = tmp_path / "old.xlsx"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000)
    with refused(NotAnXlsx, ".xls"):
        import_values(store, xls)
    other_zip = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(other_zip, "w") as zf:
        zf.writestr("photo.jpg", b"\xff\xd8")
    with refused(NotAnXlsx, "not an Excel workbook"):
        import_values(store, other_zip)
    good = exported(store, tmp_path)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(BadFile):
        import_values(store, cut)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b" " * (8 << 20))
    with refused(UnsafeArchive, "zip bomb"):
        import_values(store, bomb)
    with refused(BadFile, "does not exist"):
        import_values(store, tmp_path / "missing.xlsx")


def test_damaged_metadata_sheet(store, tmp_path):
    path = exported(store, tmp_path)
    wb = load_workbook(path)
    wb[META_SHEET]["B1"] = "something-else"
    wb.save(path)
    with refused(BadFile, "hidden sheet"):
        import_values(store, path)


def test_totals_are_not_imported(store, tmp_path):
    """Editing a computed total in Excel changes nothing: only the mapped value cells are read."""
    path = exported(store, tmp_path)
    wb = load_workbook(path)
    ws = wb["BM01"]
    for row in ws.iter_rows():
        for c in row:
            if c.value == 313:
                c.value = 999
    wb.save(path)
    assert import_values(store, path).changed == 0
    assert (
        Decimal(
            store.reports.cells(store.reports.report(COMMUNE_A, "BM01", "2026").id)[("0101", "eth=02|sex=F")]
        )
        == 120
    )
