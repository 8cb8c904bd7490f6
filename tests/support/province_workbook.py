"""A catalogue workbook written the way a province's staff would, straight from docs/catalogue.md with openpyxl.

It shares nothing with the sample catalogue or our writer: other codes, another legal basis, an `area`
dimension with its own options, a monthly form, and rules of both severities including a `*` rule.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

SHEETS = {
    "meta": [
        ("key", "value"),
        ("catalog_id", "lc-2026"),
        ("version", 3),
        ("title", "Bộ chỉ tiêu thống kê công tác dân tộc tỉnh Lào Cai"),
        ("legal_basis", "Quyết định 12/2026/QĐ-UBND (thử nghiệm)"),
        ("effective_from", dt.date(2026, 1, 1)),
        ("unit_list", "vn-2025-07"),
        ("ethnic_code_system", "gso-1979"),
        ("sample", "no"),
    ],
    "groups": [
        ("code", "name_vi", "name_en", "order"),
        ("A1", "Dân cư", "Population", 1),
        ("B2", "Hạ tầng thôn bản", "Village infrastructure", 2),
    ],
    "indicators": [
        (
            "code",
            "group",
            "name_vi",
            "name_en",
            "unit",
            "value_type",
            "min",
            "max",
            "required",
            "disaggregation",
            "definition_vi",
            "method_vi",
            "source_vi",
            "order",
        ),
        (
            "1001",
            "A1",
            "Số hộ dân tộc thiểu số",
            "Ethnic-minority households",
            "hộ",
            "integer",
            0,
            None,
            "yes",
            "",
            "Hộ có chủ hộ là người DTTS",
            "Đếm hộ",
            "Sổ hộ khẩu",
            1,
        ),
        (
            "1002",
            "A1",
            "Số nhân khẩu DTTS",
            "Ethnic-minority people",
            "người",
            "integer",
            0,
            None,
            "yes",
            "theo_dan_toc_gioi",
            "Người DTTS thường trú",
            "Cộng theo hộ",
            "Điều tra",
            2,
        ),
        (
            "1003",
            "A1",
            "Số người DTTS trong độ tuổi lao động",
            "Working-age ethnic-minority people",
            "người",
            "integer",
            0,
            None,
            "no",
            "theo_dan_toc_gioi",
            "Từ đủ 15 tuổi",
            "Đếm",
            "Điều tra",
            3,
        ),
        (
            "1004",
            "A1",
            "Tỷ lệ hộ nghèo DTTS",
            "Poor ethnic-minority households",
            "%",
            "percent",
            0,
            100,
            "no",
            "",
            "",
            "",
            "",
            4,
        ),
        (
            "2001",
            "B2",
            "Số thôn có đường ô tô",
            "Villages reachable by car",
            "thôn",
            "integer",
            0,
            None,
            "no",
            "theo_vung",
            "",
            "",
            "",
            1,
        ),
        (
            "2002",
            "B2",
            "Có trạm y tế đạt chuẩn",
            "Clinic up to standard",
            "",
            "yes_no",
            None,
            None,
            "no",
            "",
            "",
            "",
            "",
            2,
        ),
    ],
    "disaggregations": [
        ("name", "dimensions"),
        ("theo_dan_toc_gioi", "eth, sex"),
        ("theo_vung", "area"),
    ],
    "options": [
        ("dimension", "code", "name_vi", "name_en", "order"),
        ("area", "CAO", "Vùng cao", "Highland", 1),
        ("area", "THAP", "Vùng thấp", "Lowland", 2),
    ],
    "forms": [
        ("code", "name_vi", "name_en", "period_type", "indicators", "deadline_days", "eth_options"),
        ("LC-T", "Báo cáo tháng", "Monthly report", "month", "1001-1004, 2002", 10, "present"),
        ("LC-N", "Báo cáo năm", "Annual report", "year", "1001-2002", 30, "present"),
    ],
    "rules": [
        ("code", "expression", "severity", "message_vi", "message_en", "forms"),
        (
            "K1",
            "1003 <= 1002",
            "error",
            "Số người trong độ tuổi lao động không thể lớn hơn tổng số nhân khẩu",
            "Working-age people cannot exceed all people",
            "",
        ),
        (
            "K2",
            "1003[eth=*] <= 1002[eth=*]",
            "error",
            "Theo từng dân tộc, số người lao động không lớn hơn nhân khẩu",
            "Per ethnic group, working-age people cannot exceed people",
            "",
        ),
        (
            "K3",
            "1002 <= 1001 * 12",
            "warning",
            "Bình quân hơn 12 người một hộ: kiểm tra lại",
            "More than 12 people per household: please check",
            "",
        ),
        ("K4", "2001 >= 0", "warning", "Số thôn phải không âm", "Villages must not be negative", "LC-N"),
    ],
}


def write_province_workbook(path: Path, *, drop_sheet: str | None = None, edits: dict | None = None) -> Path:
    """Write the workbook; ``drop_sheet`` leaves a sheet out, ``edits`` maps (sheet, row, col) to a value."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in SHEETS.items():
        if name == drop_sheet:
            continue
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    for (sheet, row, col), value in (edits or {}).items():
        wb[sheet].cell(row=row, column=col, value=value)
    wb.save(path)
    return path
