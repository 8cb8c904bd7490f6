"""A small catalogue for the store tests (and the crash writer), in the documented JSON form.

Version 1: households (0101), people by ethnic group × sex (0102), poor households (0103), road km
(0201, decimal), a clinic yes/no (0202), a percentage (0203) and a free text (0204). Form BM01 (yearly,
ethnic rows "present") collects all of them; BM02 (quarterly) only 0101. Rules: R01 error
``0103 <= 0101``; R02 warning ``0102 <= 0101 * 8``; R03 warning per ethnic group
``0102[eth=*, sex=F] <= 0102[eth=*, sex=M] * 2``. Version 2 drops 0204.
"""

from __future__ import annotations

from dttscore.catalog import catalog_from_json
from dttscore.model import Catalog

UNIT = "01849"


def catalog_json(version: int = 1, catalog_id: str = "test-dtts") -> dict:
    indicators = [
        ("0101", "01", "Số hộ", "Households", "hộ", "integer", "0", None, True, None),
        ("0102", "01", "Số người", "People", "người", "integer", "0", None, True, "by_eth_sex"),
        ("0103", "01", "Số hộ nghèo", "Poor households", "hộ", "integer", "0", None, False, None),
        ("0201", "02", "Đường ô tô", "Roads", "km", "decimal", "0", None, False, None),
        ("0202", "02", "Có trạm y tế", "Has a clinic", "", "yes_no", None, None, False, None),
        ("0203", "02", "Tỷ lệ hộ có điện", "Households with power", "%", "percent", "0", "100", False, None),
        ("0204", "02", "Ghi chú", "Note", "", "text", None, None, False, None),
    ]
    if version >= 2:
        indicators = indicators[:-1]
    last = "0204" if version < 2 else "0203"
    return {
        "meta": {
            "catalog_id": catalog_id,
            "version": version,
            "title": "Danh mục thử nghiệm",
            "legal_basis": "Thông tư 03/2019/TT-UBDT",
            "effective_from": "2026-01-01",
            "unit_list": "vn-2025-07",
            "ethnic_code_system": "gso-1979",
            "sample": True,
        },
        "groups": [
            {"code": "01", "name_vi": "Dân số", "name_en": "Population", "order": 1},
            {"code": "02", "name_vi": "Hạ tầng", "name_en": "Infrastructure", "order": 2},
        ],
        "indicators": [
            {
                "code": c,
                "group": g,
                "name_vi": nv,
                "name_en": ne,
                "unit": u,
                "value_type": t,
                "min": mn,
                "max": mx,
                "required": req,
                "disaggregation": d,
                "definition_vi": "",
                "method_vi": "",
                "source_vi": "",
                "order": i,
            }
            for i, (c, g, nv, ne, u, t, mn, mx, req, d) in enumerate(indicators, start=1)
        ],
        "disaggregations": [{"name": "by_eth_sex", "dimensions": ["eth", "sex"]}],
        "options": [],
        "forms": [
            {
                "code": "BM01",
                "name_vi": "Biểu dân số và hạ tầng",
                "name_en": "Population and infrastructure",
                "period_type": "year",
                "indicators": f"0101-0103, 0201-{last}",
                "deadline_days": 30,
                "eth_options": "present",
            },
            {
                "code": "BM02",
                "name_vi": "Biểu hộ theo quý",
                "name_en": "Households by quarter",
                "period_type": "quarter",
                "indicators": "0101",
                "deadline_days": 15,
                "eth_options": "all",
            },
        ],
        "rules": [
            {
                "code": "R01",
                "expression": "0103 <= 0101",
                "severity": "error",
                "message_vi": "Số hộ nghèo không được lớn hơn số hộ.",
                "message_en": "Poor households cannot exceed households.",
                "forms": [],
            },
            {
                "code": "R02",
                "expression": "0102 <= 0101 * 8",
                "severity": "warning",
                "message_vi": "Số người quá lớn so với số hộ.",
                "message_en": "Too many people for the number of households.",
                "forms": ["BM01"],
            },
            {
                "code": "R03",
                "expression": "0102[eth=*, sex=F] <= 0102[eth=*, sex=M] * 2",
                "severity": "warning",
                "message_vi": "Số nữ nhiều gấp đôi số nam.",
                "message_en": "Twice as many women as men.",
                "forms": ["BM01"],
            },
        ],
    }


def make_catalog(version: int = 1, catalog_id: str = "test-dtts") -> Catalog:
    """The test catalogue, loaded (and validated) by the real loader."""
    return catalog_from_json(catalog_json(version, catalog_id))


def good_values() -> list[tuple[str, str, str]]:
    """Values of BM01 that pass every check (ethnic groups 02 and 08)."""
    return [
        ("0101", "", "120"),
        ("0102", "eth=02|sex=F", "150"),
        ("0102", "eth=02|sex=M", "140"),
        ("0102", "eth=08|sex=F", "100"),
        ("0102", "eth=08|sex=M", "110"),
        ("0103", "", "30"),
        ("0201", "", "12.5"),
        ("0202", "", "1"),
        ("0203", "", "97.5"),
    ]
