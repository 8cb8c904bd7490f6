"""The USB commands through the real ``dttsclient`` executable: output, messages and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.hubfixture import COMMUNE_B
from tests.support.usbutil import COMMUNE_A, fill, finalize, open_profile

EXE = Path(sys.executable).with_name("dttsclient")


def run(data_dir: Path, *args: str, lang: str = "vi") -> subprocess.CompletedProcess:
    cmd = [str(EXE), "--data-dir", str(data_dir), "--lang", lang, *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def profile(tmp_path):
    d = tmp_path / "profile"
    with open_profile(d) as s:
        fill(s, "2026")
    return d


def test_backup_export_verify_restore(profile, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    r = run(profile, "--json", "backup", "export", str(stick / "b.dttsbak"))
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["commune"] == COMMUNE_A and doc["counts"]["cells"] == 7
    r = run(profile, "backup", "verify", str(stick / "b.dttsbak"))
    assert r.returncode == 0 and "nguyên vẹn" in r.stdout
    bad = tmp_path / "bad.dttsbak"
    data = bytearray((stick / "b.dttsbak").read_bytes())
    data[len(data) // 3] ^= 1
    bad.write_bytes(bytes(data))
    r = run(profile, "backup", "verify", str(bad), lang="en")
    assert r.returncode == 1 and "cannot be used" in r.stderr and r.stdout == ""
    r = run(tmp_path / "new", "backup", "restore", str(stick / "b.dttsbak"))
    assert r.returncode == 0, r.stderr
    assert "Báo cáo: thêm mới 1." in r.stdout
    r = run(tmp_path / "new", "backup", "restore", str(stick / "b.dttsbak"))
    assert r.returncode == 3 and "không có gì mới" in r.stdout


def test_restore_of_another_commune_needs_yes(profile, tmp_path):
    other = tmp_path / "other"
    with open_profile(other, unit=COMMUNE_B):
        pass
    run(profile, "backup", "export", str(tmp_path / "a.dttsbak"))
    r = run(other, "backup", "restore", str(tmp_path / "a.dttsbak"))
    assert r.returncode == 1 and "--yes" in r.stderr and "01849" in r.stderr
    r = run(other, "backup", "restore", "--yes", str(tmp_path / "a.dttsbak"))
    assert r.returncode == 0, r.stderr


def test_courier_export(profile, tmp_path):
    r = run(profile, "courier", "export", str(tmp_path))
    assert r.returncode == 3 and "Không có báo cáo nào đang chờ gửi" in r.stdout
    with open_profile(profile) as s:
        finalize(s, "2027")
    r = run(profile, "--json", "courier", "export", str(tmp_path / "g.dttsgoi"))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["count"] == 1 and (tmp_path / "g.dttsgoi").exists()


def test_export_xlsx_pdf_and_import(profile, tmp_path):
    for fmt in ("xlsx", "pdf"):
        r = run(
            profile,
            "--unit",
            COMMUNE_A,
            "export",
            fmt,
            "--form",
            "BM01",
            "--period",
            "2026",
            str(tmp_path / f"r.{fmt}"),
        )
        assert r.returncode == 0, r.stderr
        assert (tmp_path / f"r.{fmt}").stat().st_size > 1000
    # no report for 2030 yet: the blank form to fill on paper, with the commune's ethnic rows
    r = run(profile, "--json", "export", "pdf", "--form", "BM01", "--period", "2030", str(tmp_path / "x.pdf"))
    assert r.returncode == 0 and json.loads(r.stdout)["blank"] is True, r.stderr
    assert (tmp_path / "x.pdf").stat().st_size > 1000
    r = run(profile, "export", "xlsx", "--form", "BM01", "--period", "2030", str(tmp_path / "x.xlsx"))
    assert r.returncode == 0 and "biểu trống" in r.stdout, r.stderr
    r = run(profile, "export", "pdf", "--form", "BM99", "--period", "2030", str(tmp_path / "y.pdf"))
    assert r.returncode == 1 and "BM99" in r.stderr and not (tmp_path / "y.pdf").exists()
    fresh = tmp_path / "fresh"
    with open_profile(fresh):
        pass
    r = run(fresh, "values", "import", str(tmp_path / "r.xlsx"))
    assert r.returncode == 0 and "Đã nhập 7 giá trị" in r.stdout, r.stderr
    r = run(fresh, "values", "import", str(tmp_path / "r.xlsx"))
    assert r.returncode == 3
    wb = load_workbook(tmp_path / "r.xlsx")
    ws = wb["BM01"]
    for row in ws.iter_rows():
        for c in row:
            if c.value == 80:  # 0102
                c.value = "tám mươi"
    wb.save(tmp_path / "bad.xlsx")
    r = run(fresh, "values", "import", str(tmp_path / "bad.xlsx"), lang="en")
    assert r.returncode == 1 and "Sheet BM01, cell D" in r.stderr and "Nothing was imported" in r.stderr
    (tmp_path / "notes.xlsx").write_text("0101;12\n", encoding="utf-8")
    r = run(fresh, "values", "import", "--form", "BM01", "--period", "2026", str(tmp_path / "notes.xlsx"))
    assert r.returncode == 1 and "không phải tệp Excel" in r.stderr
    r = run(fresh, "values", "import", "--period", "2025", str(tmp_path / "r.xlsx"))
    assert r.returncode == 1 and "--yes" in r.stderr
    r = run(fresh, "values", "import", "--period", "2025", "--yes", str(tmp_path / "r.xlsx"))
    assert r.returncode == 0, r.stderr


def test_import_into_a_finalized_report_prints_the_changes_and_needs_yes(tmp_path):
    d = tmp_path / "final"
    with open_profile(d) as s:
        finalize(s, "2026")
    r = run(d, "export", "xlsx", "--form", "BM01", "--period", "2026", str(tmp_path / "r.xlsx"))
    assert r.returncode == 0, r.stderr
    wb = load_workbook(tmp_path / "r.xlsx")
    for row in wb["BM01"].iter_rows():
        for c in row:
            if c.value == 80:  # 0102
                c.value = 85
    wb.save(tmp_path / "r.xlsx")
    r = run(d, "values", "import", str(tmp_path / "r.xlsx"))
    assert r.returncode == 1, r.stdout
    assert "đã chốt" in r.stderr and "80 → 85" in r.stderr and "--yes" in r.stderr
    r = run(d, "--json", "values", "import", str(tmp_path / "r.xlsx"))
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert doc["needs_confirmation"] == "reopens_report"
    assert doc["changes"] == [{"code": "0102", "disagg": "", "old": "80", "new": "85"}]
    with open_profile(d) as s:
        report = s.reports.report(COMMUNE_A, "BM01", "2026")
        assert report.state == "finalized" and s.reports.cells(report.id)[("0102", "")] == "80"
    r = run(d, "values", "import", "--yes", str(tmp_path / "r.xlsx"))
    assert r.returncode == 0, r.stderr
    assert "bản nháp" in r.stdout
    with open_profile(d) as s:
        report = s.reports.report(COMMUNE_A, "BM01", "2026")
        assert report.state == "draft" and s.reports.cells(report.id)[("0102", "")] == "85"
