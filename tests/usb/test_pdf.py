"""The report in PDF: Vietnamese text with an embedded Unicode font, A4, header on every page, signatures."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from dttsclient.store import Store
from dttsclient.usb.errors import TargetVanished
from dttsclient.usb.pdf_report import export_pdf
from dttscore.catalog import load_catalog
from dttscore.disagg import cell_keys
from tests.support.hubfixture import SAMPLE_CATALOG
from tests.support.usbutil import (
    COMMUNE_A,
    USER,
    FailingWriter,
    accept,
    fill,
    good_values,
    leftovers,
    open_profile,
)


def pdf_text(path) -> str:
    """The text of a PDF, by poppler's pdftotext (or pypdf when installed)."""
    exe = shutil.which("pdftotext")
    if exe:
        return subprocess.run(
            [exe, "-layout", str(path), "-"], capture_output=True, text=True, check=True, timeout=60
        ).stdout
    pypdf = pytest.importorskip("pypdf", reason="neither pdftotext nor pypdf is installed")
    return "\f".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


@pytest.fixture
def store(data_dir):
    with open_profile(data_dir) as s:
        yield s


def test_pdf_has_the_report_in_vietnamese(store, tmp_path):
    rid = fill(store)
    store.reports.set_comment(rid, "0102", "", "Điều tra lại", USER)
    path = export_pdf(store, rid, tmp_path / "bm01.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    assert re.search(rb"/MediaBox\s*\[\s*0\s+0\s+595\.28\s+841\.89\s*\]", data)  # A4
    assert data.count(b"/FontFile2") >= 2 and b"LiberationSerif" in data and b"/ToUnicode" in data
    assert b"DejaVu" not in data  # the serif face of administrative documents, not a sans-serif
    text = pdf_text(path)
    for needle in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Biểu số: BM01",
        "BIỂU NĂM",
        "UBND Xã Phong Quang",
        "Năm 2026",
        "Thông tư 03/2019/TT-UBDT",
        "Dân số người dân tộc thiểu số",
        "Nữ",
        "Tày",
        "Điều tra lại",
        "313",
        "96,5",
        "NGƯỜI LẬP BIỂU",
        "THỦ TRƯỞNG ĐƠN VỊ",
        "(Ký, đóng dấu, ghi rõ họ tên)",
        "Phong Quang, ngày …… tháng …… năm ……",
        "Bản nháp",
    ):
        assert needle in text, needle


def test_long_report_repeats_the_header_on_every_page(tmp_path):
    catalog = load_catalog(SAMPLE_CATALOG)
    with Store.open(tmp_path / "p") as s:
        s.settings.set_profile(unit=COMMUNE_A)
        s.catalogs.import_catalog(catalog)
        report = s.reports.report(COMMUNE_A, "BM01", "2026", create=True)
        eth = ["02", "09", "11", "17", "24"]
        s.reports.set_eth_rows(report.id, eth)
        items = []
        for ind in catalog.form_indicators("BM01"):
            for key in cell_keys(catalog, ind, eth):
                items.append(
                    (ind.code, key, {"text": "Lễ hội Lồng tồng", "yes_no": "0"}.get(ind.value_type, "7"))
                )
        s.reports.set_cells(report.id, items, USER)
        path = export_pdf(s, report.id, tmp_path)
    assert path.name == f"BM01-{COMMUNE_A}-2026.pdf"
    pages = pdf_text(path).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 5
    for page in pages:
        assert (
            "Chỉ tiêu" in page and "Tổng số" in page and f"Trang {pages.index(page) + 1}/{len(pages)}" in page
        )
    assert "NGƯỜI LẬP BIỂU" in pages[-1] and "Lễ hội Lồng tồng" in "".join(pages)


def test_stick_pulled_while_writing_the_pdf(store, tmp_path):
    rid = fill(store)
    stick = tmp_path / "stick"
    stick.mkdir()
    with pytest.raises(TargetVanished):
        export_pdf(store, rid, stick / "bm01.pdf", wrap=lambda f: FailingWriter(f, 500))
    assert list(stick.iterdir()) == [] and leftovers(stick) == []


def test_a_finalized_report_prints_its_revision_receipt_and_reasons(store, tmp_path):
    values = {**good_values(), ("0201", ""): "5"}  # R02 "0201 >= 10" is a warning
    rid = fill(store, values=values)
    first = store.outbox.finalize(rid, USER, {"R02": "Xã mới sáp nhập, số liệu đã kiểm tra lại"})
    flat = " ".join(pdf_text(export_pdf(store, rid, tmp_path / "a.pdf")).split())
    assert "Bản nháp" not in flat
    assert re.search(r"Lần nộp: bản 1, chốt lúc \d\d/\d\d/2026 \d\d:\d\d \(can_bo\)", flat), flat
    assert "Số biên nhận: chưa có" in flat
    assert "Ghi chú: - Cảnh báo R02 (0201): Tỷ lệ hộ có điện thấp bất thường — Giải trình: " in flat
    assert "Giải trình: Xã mới sáp nhập, số liệu đã kiểm tra lại" in flat
    accept(store, first, receipt="BN-2026-000123")
    flat = " ".join(pdf_text(export_pdf(store, rid, tmp_path / "b.pdf")).split())
    assert "Số biên nhận: BN-2026-000123, nhận lúc" in flat
    store.reports.set_cell(rid, "0102", "", "81", USER)  # edited again: a draft, no submission facts
    text = pdf_text(export_pdf(store, rid, tmp_path / "c.pdf"))
    assert "Bản nháp" in text and "Lần nộp" not in text and "Giải trình" not in text
