"""Small catalogues for tests: valid ones in JSON form (one builder, three shapes), and workbooks written
straight with openpyxl.

The workbook writer here is deliberately independent of :mod:`dttscore.workbook`, so loader tests
do not depend on the code they test. Import it from any test (``tests.support``)::

    from tests.support.catalogs import make_workbook, small_catalog

    path = make_workbook(tmp_path / "c.xlsx", cells={("indicators", 3, "max"): "abc"})
    data = small_catalog(meta={"version": "abc"}, rules=[])

Contents of :func:`small_catalog` (the default ``loader`` shape): groups 01, 02; indicators 0101 (integer, eth × sex, required), 0102
(integer, eth), 0103 (decimal 0–1000), 0104 (percent; province aggregation ``0102 / 0101 * 100``), 0105 (yes/no), 0106 (text), 0201 (integer, area);
options area A/B; forms F1 (year, "0101-0106", present) and F2 (quarter, "0101, 0201", all); rules
R1 ``0102 <= 0101`` (error) and R2 ``0102[eth=*] <= 0101[eth=*]`` (warning, F1 only). In the workbook,
indicator ``0101`` is on row 2, ``0201`` on row 8.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from openpyxl import Workbook

from dttscore.catalog_tables import COLUMNS, SHEETS

# The sheet and column names the loader reads (tests/support/province_workbook.py spells them out on its own,
# straight from docs/catalogue.md, so a drift in these names is still caught).
SHEET_ORDER = SHEETS
HEADERS = COLUMNS


def _indicator(
    code, group, name_vi, value_type, *, unit="", low=None, high=None, required=False, disagg=None
):
    return {
        "code": code,
        "group": group,
        "name_vi": name_vi,
        "name_en": f"Indicator {code}",
        "unit": unit,
        "value_type": value_type,
        "min": low,
        "max": high,
        "required": required,
        "disaggregation": disagg,
        "definition_vi": f"Khái niệm của chỉ tiêu {code}.",
        "method_vi": "Đếm trực tiếp.",
        "source_vi": "Báo cáo của UBND xã",
        "order": int(code[2:]),
    }


_SMALL = {
    "meta": {
        "catalog_id": "test-small",
        "version": 2,
        "title": "Danh mục thử nghiệm nhỏ",
        "legal_basis": "Thông tư 03/2019/TT-UBDT",
        "effective_from": "2025-07-01",
        "unit_list": "vn-2025-07",
        "ethnic_code_system": "gso-1979",
        "sample": False,
    },
    "groups": [
        {"code": "01", "name_vi": "Dân số", "name_en": "Population", "order": 1},
        {"code": "02", "name_vi": "Hạ tầng", "name_en": "Infrastructure", "order": 2},
    ],
    "indicators": [
        _indicator(
            "0101",
            "01",
            "Dân số người dân tộc thiểu số",
            "integer",
            unit="người",
            low="0",
            required=True,
            disagg="by_eth_sex",
        ),
        _indicator("0102", "01", "Số hộ dân tộc thiểu số", "integer", unit="hộ", low="0", disagg="by_eth"),
        _indicator("0103", "01", "Thu nhập bình quân", "decimal", unit="triệu đồng", low="0", high="1000"),
        {
            **_indicator("0104", "01", "Tỷ lệ hộ nghèo", "percent", unit="%", low="0", high="100"),
            "aggregation": "0102 / 0101 * 100",
        },
        _indicator("0105", "01", "Có trạm y tế đạt chuẩn", "yes_no"),
        _indicator("0106", "01", "Ghi chú", "text"),
        _indicator("0201", "02", "Số thôn có đường ô tô", "integer", unit="thôn", low="0", disagg="by_area"),
    ],
    "disaggregations": [
        {"name": "by_eth_sex", "dimensions": ["eth", "sex"]},
        {"name": "by_eth", "dimensions": ["eth"]},
        {"name": "by_area", "dimensions": ["area"]},
    ],
    "options": [
        {"dimension": "area", "code": "A", "name_vi": "Vùng cao", "name_en": "Highland", "order": 1},
        {"dimension": "area", "code": "B", "name_vi": "Vùng thấp", "name_en": "Lowland", "order": 2},
    ],
    "forms": [
        {
            "code": "F1",
            "name_vi": "Báo cáo năm",
            "name_en": "Annual report",
            "period_type": "year",
            "indicators": "0101-0106",
            "deadline_days": 30,
            "eth_options": "present",
        },
        {
            "code": "F2",
            "name_vi": "Báo cáo quý",
            "name_en": "Quarterly report",
            "period_type": "quarter",
            "indicators": "0101, 0201",
            "deadline_days": 15,
            "eth_options": "all",
        },
    ],
    "rules": [
        {
            "code": "R1",
            "expression": "0102 <= 0101",
            "severity": "error",
            "message_vi": "Số hộ không được lớn hơn số người.",
            "message_en": "Households cannot exceed people.",
            "forms": [],
        },
        {
            "code": "R2",
            "expression": "0102[eth=*] <= 0101[eth=*]",
            "severity": "warning",
            "message_vi": "Với từng dân tộc, số hộ lớn hơn số người.",
            "message_en": "For an ethnic group, more households than people.",
            "forms": ["F1"],
        },
    ],
}


# The hub tests' catalogue: BM01 (year: 0101 by ethnicity×sex, 0102, 0103, 0201), BM02 (quarter:
# 0102-0103); rules R01 ``0103 <= 0102`` (error), R02 ``0201 >= 10`` (warning, BM01 only).
_HUB = {
    "meta": {
        "catalog_id": "test-dtts",
        "version": 1,
        "title": "Danh mục thử nghiệm",
        "legal_basis": "Thông tư 03/2019/TT-UBDT",
        "effective_from": "2025-07-01",
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
            "code": "0101",
            "group": "01",
            "name_vi": "Dân số người dân tộc thiểu số",
            "name_en": "Ethnic-minority population",
            "unit": "người",
            "value_type": "integer",
            "min": "0",
            "required": True,
            "disaggregation": "by_ethnicity_sex",
            "order": 1,
        },
        {
            "code": "0102",
            "group": "01",
            "name_vi": "Số hộ dân tộc thiểu số",
            "name_en": "EM households",
            "unit": "hộ",
            "value_type": "integer",
            "min": "0",
            "required": True,
            "order": 2,
        },
        {
            "code": "0103",
            "group": "01",
            "name_vi": "Số hộ nghèo dân tộc thiểu số",
            "name_en": "Poor EM households",
            "unit": "hộ",
            "value_type": "integer",
            "min": "0",
            "order": 3,
        },
        {
            "code": "0201",
            "group": "02",
            "name_vi": "Tỷ lệ hộ có điện",
            "name_en": "Households with power",
            "unit": "%",
            "value_type": "percent",
            "min": "0",
            "max": "100",
            "order": 1,
        },
    ],
    "disaggregations": [{"name": "by_ethnicity_sex", "dimensions": ["eth", "sex"]}],
    "options": [],
    "forms": [
        {
            "code": "BM01",
            "name_vi": "Biểu năm",
            "name_en": "Annual form",
            "period_type": "year",
            "indicators": "0101-0103, 0201",
            "deadline_days": 30,
            "eth_options": "present",
        },
        {
            "code": "BM02",
            "name_vi": "Biểu quý",
            "name_en": "Quarterly form",
            "period_type": "quarter",
            "indicators": "0102-0103",
            "deadline_days": 15,
            "eth_options": "present",
        },
    ],
    "rules": [
        {
            "code": "R01",
            "expression": "0103 <= 0102",
            "severity": "error",
            "message_vi": "Số hộ nghèo không được lớn hơn số hộ.",
            "message_en": "Poor households cannot exceed households.",
            "forms": [],
        },
        {
            "code": "R02",
            "expression": "0201 >= 10",
            "severity": "warning",
            "message_vi": "Tỷ lệ hộ có điện thấp bất thường.",
            "message_en": "Unusually low share of households with power.",
            "forms": ["BM01"],
        },
    ],
}


def _store_shape(version: int, catalog_id: str) -> dict:
    """The store tests' catalogue (version 2 and later drop 0204: an update that drops an indicator).

    Households (0101), people by ethnic group × sex (0102), poor households (0103), road km (0201,
    decimal), a clinic yes/no (0202), a percentage (0203) and a free text (0204). Form BM01 (yearly, ethnic
    rows "present") collects all of them; BM02 (quarterly) only 0101. Rules: R01 error ``0103 <= 0101``;
    R02 warning ``0102 <= 0101 * 8``; R03 warning per ethnic group
    ``0102[eth=*, sex=F] <= 0102[eth=*, sex=M] * 2``.
    """
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


def small_catalog(
    shape: str = "loader", *, version: int | None = None, catalog_id: str | None = None, **overrides: object
) -> dict:
    """A fresh copy of a small valid catalogue in JSON form: the one builder of the tests' catalogues.

    Args:
        shape: which catalogue: ``"loader"`` (the loader and rule tests: see this module's docstring),
            ``"hub"`` (the hub, sync and GUI tests; :data:`tests.support.hubfixture.good_values` fills
            its BM01) or ``"store"`` (the store tests; :func:`tests.support.store_catalog.good_values`
            fills its BM01; from version 2 on it drops 0204).
        version / catalog_id: the meta's version and id (default: the shape's own).
        overrides: per section: ``meta=`` a dict merged into the meta (a value of ``None`` removes the
            key); any other section (``indicators=[...]``) replaces that list.
    """
    if shape == "store":
        data = _store_shape(version or 1, catalog_id or "test-dtts")
    else:
        data = copy.deepcopy({"loader": _SMALL, "hub": _HUB}[shape])
    if version is not None:
        data["meta"]["version"] = version
    if catalog_id is not None:
        data["meta"]["catalog_id"] = catalog_id
    for section, value in overrides.items():
        if section == "meta":
            assert isinstance(value, Mapping)
            for key, item in value.items():
                if item is None:
                    data["meta"].pop(key, None)
                else:
                    data["meta"][key] = item
        else:
            data[section] = copy.deepcopy(value)
    return data


def indicator(code: str, group: str = "01", value_type: str = "integer", **fields: object) -> dict:
    """One indicator entry in JSON form (for building bigger or broken catalogues)."""
    entry = _indicator(code, group, f"Chỉ tiêu {code}", value_type)
    entry.update(fields)
    return entry


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value)
    return value


def make_workbook(
    path: str | Path,
    data: dict | None = None,
    *,
    drop_sheets: Iterable[str] = (),
    drop_columns: Mapping[str, Iterable[str]] | None = None,
    cells: Mapping[tuple[str, int, str], object] | None = None,
    **overrides: object,
) -> Path:
    """Write a catalogue workbook the way a province's staff would, with plain openpyxl.

    Args:
        path: the ``.xlsx`` file to write.
        data: the catalogue in JSON form (default: :func:`small_catalog` with ``overrides``).
        drop_sheets: sheets to leave out.
        drop_columns: per sheet, columns to leave out.
        cells: raw cell values to put at (sheet, row, column name) after writing, e.g.
            ``{("indicators", 3, "max"): "abc"}``; the column must exist (``meta`` uses "key"/"value").
        overrides: passed to :func:`small_catalog` when ``data`` is None.

    Returns:
        ``path``.
    """
    path = Path(path)
    data = data if data is not None else small_catalog(**overrides)
    dropped = {name: set(cols) for name, cols in (drop_columns or {}).items()}
    book = Workbook()
    book.remove(book.active)
    sheets = {}
    for name in SHEET_ORDER:
        if name in set(drop_sheets):
            continue
        ws = book.create_sheet(name)
        sheets[name] = ws
        if name == "meta":
            ws.append(["key", "value"])
            for key, value in data.get("meta", {}).items():
                if key == "effective_from" and isinstance(value, str):
                    with contextlib.suppress(ValueError):  # a bad date stays text, as typed
                        value = dt.date.fromisoformat(value)
                ws.append([key, _cell(value)])
            continue
        columns = [c for c in HEADERS[name] if c not in dropped.get(name, set())]
        ws.append(columns)
        for entry in data.get(name, []):
            ws.append([_cell(entry.get(c)) for c in columns])
    for (sheet, row, column), value in (cells or {}).items():
        ws = sheets[sheet]
        header = [c.value for c in ws[1]]
        ws.cell(row=row, column=header.index(column) + 1, value=value)
    book.save(path)
    return path
