"""Excel import bounds: the checks of typing, Excel's row limit, huge files, formulas without a result.

The huge file is crafted cheaply: a real workbook from openpyxl whose sheet XML is replaced by one that
declares (and, for the streamed case, holds) very many rows. Time and memory are bounded loosely here;
the real figures are in benchmarks/import_bench.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from dttsclient.usb.errors import MAX_LISTED_PROBLEMS, BadFile, ImportRefused
from dttsclient.usb.xlsx_import import import_values
from dttsclient.usb.xlsx_report import export_xlsx
from tests.support.usbutil import COMMUNE_A, fill, open_profile

EXE = Path(sys.executable).with_name("dttsclient")
HEADER = ("Mã chỉ tiêu", "Phân tổ", "Giá trị")


@pytest.fixture
def store(data_dir):
    with open_profile(data_dir) as s:
        yield s


def table(path: Path, rows, header=HEADER) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws.append(["Bảng số liệu nhập tay"])
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def cells_of(store) -> dict:
    report = store.reports.report(COMMUNE_A, "BM01", "2026")
    return store.reports.cells(report.id) if report else {}


def test_negative_count_is_refused_like_typing_it(store, tmp_path):
    path = table(tmp_path / "t.xlsx", [("0102", "", -5), ("0103", "", "-3"), ("0201", "", 120)])
    with pytest.raises(ImportRefused) as info:
        import_values(store, path, form="BM01", period="2026")
    vi = info.value.text("vi")
    assert "Sheet Số liệu, ô C3" in vi and "không được âm" in vi
    assert "Sheet Số liệu, ô C4" in vi
    assert "Sheet Số liệu, ô C5" in vi and "lớn hơn mức tối đa" in vi
    assert len(info.value.problems) == 3
    assert cells_of(store) == {}


def test_negative_count_in_an_exported_form_is_refused(store, tmp_path):
    from openpyxl import load_workbook

    rid = fill(store, "2026")
    path = export_xlsx(store, rid, tmp_path / "bm01.xlsx")
    before = store.reports.cells(rid)
    wb = load_workbook(path)
    meta = list(wb["_dtts"].iter_rows(values_only=True))
    start = meta.index(("sheet", "cell", "code", "disagg", "value_type"))
    ref = next(r[1] for r in meta[start + 1 :] if r[2] == "0102")
    wb["BM01"][ref] = -7
    wb.save(path)
    with pytest.raises(ImportRefused) as info:
        import_values(store, path)
    assert "không được âm" in info.value.text("vi")
    assert store.reports.cells(rid) == before


def _replace_sheet(path: Path, sheet_xml: bytes, member: str = "xl/worksheets/sheet1.xml") -> Path:
    """Rewrite one worksheet part of a real workbook (the rest stays valid)."""
    src = path.with_suffix(".src.xlsx")
    path.rename(src)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = sheet_xml if item.filename == member else zin.read(item.filename)
            zout.writestr(item.filename, data)
    src.unlink()
    return path


NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sheet(dimension: str, rows: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet ' + NS + b">"
        b'<dimension ref="' + dimension.encode() + b'"/><sheetData>' + rows + b"</sheetData></worksheet>"
    )


def _row(n: int, code: str, value: str) -> bytes:
    return (
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{code}</t></is></c>'
        f'<c r="C{n}"><v>{value}</v></c></row>'
    ).encode()


def _header_rows() -> bytes:
    return (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>M\xc3\xa3 ch\xe1\xbb\x89 ti\xc3\xaau</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>Ph\xc3\xa2n t\xe1\xbb\x95</t></is></c>'
        b'<c r="C1" t="inlineStr"><is><t>Gi\xc3\xa1 tr\xe1\xbb\x8b</t></is></c></row>'
    )


def test_a_row_beyond_excels_limit_is_a_clear_refusal(store, tmp_path):
    path = table(tmp_path / "t.xlsx", [])
    _replace_sheet(path, _sheet("A1:C1048577", _header_rows() + _row(1048577, "0102", "5")))
    with pytest.raises(BadFile) as info:
        import_values(store, path, form="BM01", period="2026")
    assert "1.048.576" in info.value.text("vi") and "1,048,576" in info.value.text("en")
    assert cells_of(store) == {}


def test_a_row_beyond_excels_limit_without_a_dimension_is_not_a_traceback(store, tmp_path):
    """No <dimension>: the streamed read stops past the form's last meaningful row."""
    path = table(tmp_path / "t.xlsx", [])
    xml = _sheet("A1", _header_rows() + _row(2, "0102", "5") + _row(1048577, "0103", "5"))
    _replace_sheet(path, xml.replace(b'<dimension ref="A1"/>', b""))
    result = import_values(store, path, form="BM01", period="2026")
    assert result.changed == 1 and cells_of(store) == {("0102", ""): "5"}


def test_a_sheet_declaring_a_million_rows_is_refused_before_reading(store, tmp_path):
    path = table(tmp_path / "t.xlsx", [])
    # 50,000 real rows (about 3 MB of XML) under a declared million: refused from the first bytes.
    body = b"".join(_row(n, "0102", "1") for n in range(2, 50_002))
    _replace_sheet(path, _sheet("A1:C1000000", _header_rows() + body))
    t0 = time.perf_counter()
    with pytest.raises(BadFile) as info:
        import_values(store, path, form="BM01", period="2026")
    assert time.perf_counter() - t0 < 5
    assert "1.000.000 dòng" in info.value.text("vi") and "Hãy xoá các dòng thừa" in info.value.text("vi")


def test_many_rows_under_a_small_dimension_stop_at_the_form_cap(store, tmp_path):
    """A lying dimension: streaming stops once more rows hold values than the form has cells."""
    path = table(tmp_path / "t.xlsx", [])
    body = b"".join(_row(n, "0102", str(-n)) for n in range(2, 200_002))
    _replace_sheet(path, _sheet("A1:C3", _header_rows() + body))
    t0 = time.perf_counter()
    with pytest.raises(BadFile) as info:
        import_values(store, path, form="BM01", period="2026")
    assert time.perf_counter() - t0 < 10
    assert "nhiều hơn số ô của biểu" in info.value.text("vi")


def test_error_list_is_capped_with_a_count(store, tmp_path):
    path = table(tmp_path / "t.xlsx", [("0102", "", -n) for n in range(1, 121)])
    with pytest.raises(ImportRefused) as info:
        import_values(store, path, form="BM01", period="2026")
    vi, en = info.value.text("vi"), info.value.text("en")
    assert vi.count("không được âm") == MAX_LISTED_PROBLEMS
    assert f"và {120 - MAX_LISTED_PROBLEMS} lỗi khác" in vi and f"and {120 - MAX_LISTED_PROBLEMS} more" in en
    assert len(vi) < 20_000


def test_an_oversize_file_is_refused_by_its_size(store, tmp_path):

    path = table(tmp_path / "t.xlsx", [("0102", "", 5)])
    big = tmp_path / "big.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(big, "w", zipfile.ZIP_STORED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item.filename))
        zout.writestr("xl/media/padding.bin", os.urandom(21 << 20))
    with pytest.raises(BadFile) as info:
        import_values(store, big, form="BM01", period="2026")
    assert "tệp quá lớn" in info.value.text("vi")


def test_formula_without_a_cached_value_is_reported(store, tmp_path):
    path = table(tmp_path / "t.xlsx", [("0102", "", "=1+2"), ("0103", "", 4)])  # openpyxl saves no result
    with pytest.raises(ImportRefused) as info:
        import_values(store, path, form="BM01", period="2026")
    vi = info.value.text("vi")
    assert "Sheet Số liệu, ô C3: ô có công thức chưa tính: mở tệp bằng Excel rồi lưu lại" in vi
    assert "C4" not in vi and cells_of(store) == {}


def test_formula_with_a_cached_value_is_imported(store, tmp_path):
    path = table(tmp_path / "t.xlsx", [("0102", "", "=1+2")])
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert b"<f>1+2</f><v></v>" in xml or b"<f>1+2</f><v/>" in xml or b"<f>1+2</f>" in xml
    cached = xml.replace(b"<f>1+2</f><v></v>", b"<f>1+2</f><v>3</v>").replace(
        b"<f>1+2</f><v/>", b"<f>1+2</f><v>3</v>"
    )
    if b"<v>3</v>" not in cached:
        cached = cached.replace(b"<f>1+2</f>", b"<f>1+2</f><v>3</v>")
    _replace_sheet(path, cached)
    assert import_values(store, path, form="BM01", period="2026").changed == 1
    assert cells_of(store) == {("0102", ""): "3"}


def test_cli_import_of_a_million_row_file_is_quick_and_small(data_dir, tmp_path):
    """Through the real command: refused quickly, a short message, bounded memory, no traceback."""
    with open_profile(data_dir):
        pass
    path = table(tmp_path / "t.xlsx", [])
    body = b"".join(_row(n, "0102", "-1") for n in range(2, 30_002))
    _replace_sheet(path, _sheet("A1:C1000001", _header_rows() + body))
    args = ["values", "import", str(path), "--form", "BM01", "--period", "2026", "--unit", COMMUNE_A]
    err_path = tmp_path / "stderr.txt"
    # A small wrapper process runs the import and reports its child's peak memory: a process started
    # straight from pytest inherits pytest's own high-water mark through vfork+exec (Linux counts the
    # old address space at exec), so the figure would be the test run's, not the import's
    wrapper = (
        "import resource, subprocess, sys\n"
        "with open(sys.argv[1], 'wb') as err:\n"
        "    code = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=err).returncode\n"
        "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper, str(err_path), str(EXE), "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    returncode, peak_kb = (int(x) for x in done.stdout.split())
    stderr = err_path.read_text(encoding="utf-8")
    assert returncode == 1, stderr
    assert "Traceback" not in stderr and len(stderr) < 2000
    assert "1.000.001 dòng" in stderr
    assert peak_kb < 600 * 1024


def test_a_huge_sheet_without_a_dimension_is_refused_by_a_cheap_count(store, tmp_path):
    """Without <dimension>, openpyxl would parse the whole sheet to size it: a byte scan refuses first."""
    path = table(tmp_path / "t.xlsx", [])
    body = b"".join(_row(n, "0102", "1") for n in range(2, 300_002))
    xml = _sheet("A1", _header_rows() + body).replace(b'<dimension ref="A1"/>', b"")
    _replace_sheet(path, xml)
    t0 = time.perf_counter()
    with pytest.raises(BadFile) as info:
        import_values(store, path, form="BM01", period="2026")
    assert time.perf_counter() - t0 < 5
    assert "nhiều hơn số ô của biểu" in info.value.text("vi")


def test_a_map_naming_a_cell_beyond_excels_limit_is_a_damaged_file(store, data_dir, tmp_path):
    from openpyxl import load_workbook

    rid = fill(store, "2026")
    path = export_xlsx(store, rid, tmp_path / "bm01.xlsx")
    wb = load_workbook(path)
    ws = wb["_dtts"]
    for row in ws.iter_rows():
        if row[2].value == "0102":
            row[1].value = "D1048577"
    wb.save(path)
    with pytest.raises(BadFile) as info:
        import_values(store, path)
    assert "bị hỏng" in info.value.text("vi")
    r = subprocess.run(
        [str(EXE), "--data-dir", str(data_dir), "values", "import", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1 and "Traceback" not in r.stderr and "bị hỏng" in r.stderr, r.stderr
