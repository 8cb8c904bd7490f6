"""A blank form to print (issue #16, item 6): the empty form of a report not started yet, on paper."""

from __future__ import annotations

from openpyxl import load_workbook

from dttsclient.store import Store
from dttsclient.usb.pdf_report import export_pdf_blank
from dttsclient.usb.xlsx_import import import_values
from dttsclient.usb.xlsx_report import META_SHEET, export_xlsx_blank
from dttscore.catalog import load_catalog
from tests.support.hubfixture import SAMPLE_CATALOG
from tests.support.usbutil import COMMUNE_A, USER, snapshot
from tests.usb.test_pdf import pdf_text


def _profile(path):
    store = Store.open(path)
    store.settings.set_profile(unit=COMMUNE_A)
    store.catalogs.import_catalog(load_catalog(SAMPLE_CATALOG))
    last_year = store.reports.report(COMMUNE_A, "BM01", "2025", create=True)
    store.reports.set_eth_rows(last_year.id, ["01", "02"])
    store.reports.set_cells(last_year.id, [("0101", "eth=09|sex=F", "40"), ("0102", "eth=02", "7")], USER)
    return store


def test_the_blank_pdf_has_the_form_and_the_communes_ethnic_rows(tmp_path):
    with _profile(tmp_path / "p") as store:
        before = snapshot(store)
        path = export_pdf_blank(store, COMMUNE_A, "BM01", "2026", tmp_path / "blank.pdf")
        assert snapshot(store) == before  # nothing written: no report is started by printing
        assert store.reports.report(COMMUNE_A, "BM01", "2026") is None
    text = pdf_text(path)
    for needle in ("Biểu số: BM01", "Năm 2026", "Biểu trống", "Dân số người dân tộc thiểu số", "Kinh", "Tày"):
        assert needle in text, needle
    assert "Thái" in text  # 09 has a value in 2025: present in the commune too
    assert "Bản nháp" not in text and "40" not in text.split("Dân số người dân tộc thiểu số")[1][:400]


def test_the_blank_workbook_is_empty_without_kinh_for_minorities_and_imports_when_filled(tmp_path):
    with _profile(tmp_path / "p") as store:
        path = export_xlsx_blank(store, COMMUNE_A, "BM01", "2026", tmp_path / "blank.xlsx")
        wb = load_workbook(path)
        rows = list(wb[META_SHEET].iter_rows(values_only=True))
        start = rows.index(("sheet", "cell", "code", "disagg", "value_type"))
        refs = {(r[2], r[3] or ""): r[1] for r in rows[start + 1 :]}
        assert ("0102", "eth=01") in refs and ("0101", "eth=02|sex=F") in refs
        assert not any(code == "0101" and "eth=01" in key for code, key in refs)  # no Kinh row for 0101
        ws = wb["BM01"]
        assert all(ws[ref].value in (None, "") for ref in refs.values())
        ws[refs[("0101", "eth=02|sex=F")]] = 150
        wb.save(path)
        import_values(store, path)
        report = store.reports.report(COMMUNE_A, "BM01", "2026")
        assert store.reports.cells(report.id) == {("0101", "eth=02|sex=F"): "150"}
