"""Excel import refuses a value for an option the indicator excludes, naming its cell (issue #16)."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from dttsclient.store import Store
from dttsclient.usb.errors import ImportRefused
from dttsclient.usb.xlsx_import import import_values
from dttscore.catalog import load_catalog
from tests.support.hubfixture import COMMUNE_A, SAMPLE_CATALOG


def test_import_refuses_the_kinh_row_of_the_minority_population(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws.append(["Bảng số liệu nhập tay"])
    ws.append(["Mã chỉ tiêu", "Phân tổ", "Giá trị"])
    ws.append(["0101", "eth=02|sex=F", 120])
    ws.append(["0101", "eth=01|sex=F", 300])  # row 4: Kinh is excluded from 0101
    ws.append(["0102", "eth=01", 30])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    with Store.open(tmp_path / "p") as store:
        store.settings.set_profile(unit=COMMUNE_A)
        store.catalogs.import_catalog(load_catalog(SAMPLE_CATALOG))
        with pytest.raises(ImportRefused) as info:
            import_values(store, path, form="BM01", period="2026")
        assert store.reports.report(COMMUNE_A, "BM01", "2026") is None
    [(vi, en)] = info.value.problems
    assert en.startswith("Sheet Số liệu, cell A4: ") and "eth=01" in en
    assert "Kinh" in vi
