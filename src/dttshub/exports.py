"""Exports of a form and period over the units in scope: Excel (paper layout), long CSV, DHIS2, ADX.

Four writers, each a function of plain data (:class:`ExportData`: the scope's
:class:`~dttshub.province_model.ProvinceTotals`, one per province for DHIS2/ADX, every expected unit's
state, and every stored value as :class:`~dttshub.province_model.UnitValue`), so they are tested from objects
built by hand and the CLI and the API share them:

=======  ==============================================================================================
xlsx     the form in its paper layout with the province as the reporting unit: the province totals, the
         signature block of the province agency, and a sheet listing the communes included and missing;
         A4, fit to width, print area and repeated header set (printable as it is)
csv      long CSV, UTF-8 with BOM: one row per stored value of every unit (and one row per unit that sent
         nothing), ``unit, unit_name, form, period, indicator, <one column per dimension>, value, state,
         receipt`` then the code systems (``catalog``, ``unit_list``, ``eth_system``)
dvs      DHIS2 ``dataValueSets`` JSON with ``idScheme=CODE``: the province totals, ``orgUnit`` = the province
         code (one block of values per province for an admin of every province)
adx      ADX (IHE QRPH) XML: one ``group`` per province and period, period as ``start/duration``, each
         disaggregation dimension an attribute
=======  ==============================================================================================

The code systems (docs/province.md, "Exports"): units are the codes of the 2025 unit list (``vn-2025-07``:
2-digit provinces, 5-digit communes); a data element is ``DTTS_`` + the indicator code; a data set is
``DTTS_`` + the form code; a disaggregation cell's category-option-combo code is its dimensions in key order,
each ``<DIM>_<option>`` with the dimension upper-cased, joined by ``-`` (``eth=02|sex=F`` → ``ETH_02-SEX_F``),
and ``default`` for an indicator that is not disaggregated. An indicator's own total (key ``""``) of a
disaggregated indicator is not sent to DHIS2/ADX: the national system adds its cells up itself. Values that do
not add up (text, yes/no, percent without an aggregation) have no total and are not sent.

Legacy data (``dttshub legacy import``, docs/province.md "Legacy data"): the totals exports (xlsx, dvs, adx)
carry the province totals exactly as :mod:`dttshub.totals` gives them — with the legacy values of the
communes that have no report counted, since they are the province's figures for that period; the Excel file
names those communes (and the files) and the ADX comment counts them. The long CSV lists what units
submitted, one row per stored value of a report: legacy values are never in it (their communes are listed
as not sent, as the completeness board shows them).

Every file is written to a temporary name in the target folder, flushed to disk, and renamed
(:func:`write_export`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dttscore import disagg as disagg_keys
from dttscore import periods, refdata
from dttscore.errors import IdentifierError
from dttscore.layout import indicator_table
from dttscore.model import Catalog, Indicator
from dttshub.completeness import STATE_LABELS, completeness
from dttshub.errors import BadRequest, Forbidden
from dttshub.province_model import ProvinceTotals, TotalCell, UnitValue
from dttshub.scope import ALL_UNITS, UNIT_LIST, Account

if TYPE_CHECKING:
    from dttshub.service import Hub

FORMATS = ("xlsx", "csv", "dvs", "adx")
SUFFIXES = {"xlsx": ".xlsx", "csv": ".csv", "dvs": ".json", "adx": ".xml"}
ADX_NS = "urn:ihe:qrph:adx:2015"
CODE_PREFIX = "DTTS_"
DEFAULT_COC = "default"
CSV_FIXED = ("unit", "unit_name", "form", "period", "indicator")
CSV_TAIL = ("value", "state", "receipt", "catalog", "unit_list", "eth_system")
TOTAL_TYPES = ("integer", "decimal")


@dataclass(frozen=True)
class UnitStatus:
    """One unit that should report, as the export lists it.

    Attributes:
        unit: the commune code.
        name: its name.
        state: its completeness state ("not_sent", "on_time", "accepted", ...).
        receipt_no: the receipt of the revision in the totals, if any.
        included: True when its report is in the totals.
    """

    unit: str
    name: str
    state: str
    receipt_no: str | None = None
    included: bool = False


@dataclass(frozen=True)
class ExportData:
    """Everything an export prints, for one form and period over the units in scope.

    Attributes:
        totals: the totals of the scope (a province, or every province for ``"*"``).
        catalog: the catalogue the totals are laid out by.
        units: every unit that should report, in code order.
        values: every stored value of the reports in the totals, for the long CSV.
        by_province: one :class:`ProvinceTotals` per province (DHIS2/ADX); ``(totals,)`` for a province.
        province_name: the province's name ("Thái Nguyên"), "" for every province.
        exported_at: when the export was made (ISO 8601, UTC).
    """

    totals: ProvinceTotals
    catalog: Catalog
    units: tuple[UnitStatus, ...]
    values: tuple[UnitValue, ...] = ()
    by_province: tuple[ProvinceTotals, ...] = ()
    province_name: str = ""
    exported_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    @property
    def provinces(self) -> tuple[ProvinceTotals, ...]:
        return self.by_province or (self.totals,)


# -- code systems ---------------------------------------------------------------------------------------
def plain_decimal(value: Decimal) -> str:
    """The canonical decimal string of a total: no exponent, no trailing zeros ("1234", "96.5", "-0.25")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def data_element_code(indicator: str) -> str:
    """``DTTS_0101`` for indicator 0101."""
    return CODE_PREFIX + indicator


def data_set_code(form: str) -> str:
    """``DTTS_BM01`` for form BM01."""
    return CODE_PREFIX + form


def coc_code(disagg: str) -> str:
    """The category-option-combo code of a disaggregation key: ``eth=02|sex=F`` → ``ETH_02-SEX_F``; "" →
    ``default``."""
    if not disagg:
        return DEFAULT_COC
    pairs = disagg_keys.parse_key(disagg)
    return "-".join(f"{dim.upper()}_{pairs[dim]}" for dim in sorted(pairs))


def dhis2_period(code: str) -> str:
    """The DHIS2 period of a period code: 2026, 2026S1, 2026Q3, 202607 (the codes are DHIS2's already)."""
    return periods.parse_period(code).code


def adx_period(code: str) -> str:
    """The ISO 8601 ``start/duration`` of a period: ``2026Q3`` → ``2026-07-01/P3M``, ``2026`` → ``…/P1Y``."""
    p = periods.parse_period(code)
    duration = {"year": "P1Y", "half_year": "P6M", "quarter": "P3M", "month": "P1M"}[p.type]
    return f"{p.start.isoformat()}/{duration}"


def state_label(state: str) -> str:
    """The Vietnamese label of a completeness state ("Đúng hạn"); an unknown state as it is."""
    return STATE_LABELS.get(state, (state, state))[0]


def province_agency(province_name: str) -> str:
    """The province agency that signs the province's report ("Sở Dân tộc và Tôn giáo tỉnh Cao Bằng")."""
    if not province_name:
        return "Cơ quan công tác dân tộc"
    if province_name.startswith("Thành phố "):
        return f"Sở Dân tộc và Tôn giáo thành phố {province_name[len('Thành phố ') :]}"
    return f"Sở Dân tộc và Tôn giáo tỉnh {province_name}"


def _exported_cells(totals: ProvinceTotals) -> list[TotalCell]:
    """The cells DHIS2/ADX take: values that add up, without the own total of a disaggregated indicator."""
    disaggregated = {c.code for c in totals.cells if c.disagg}
    return [
        c for c in totals.cells if c.value is not None and not (c.disagg == "" and c.code in disaggregated)
    ]


# -- DHIS2 dataValueSets ----------------------------------------------------------------------------------
def render_dvs(data: ExportData) -> bytes:
    """DHIS2 ``dataValueSets`` JSON (``idScheme=CODE``) of the province totals, orgUnit = the province."""
    values = []
    for prov in data.provinces:
        period = dhis2_period(prov.period)
        for c in _exported_cells(prov):
            values.append(
                {
                    "dataElement": data_element_code(c.code),
                    "period": period,
                    "orgUnit": prov.scope,
                    "categoryOptionCombo": coc_code(c.disagg),
                    "value": plain_decimal(c.value),  # type: ignore[arg-type]
                }
            )
    doc: dict = {
        "idScheme": "CODE",
        "dataSet": data_set_code(data.totals.form),
        "period": dhis2_period(data.totals.period),
    }  # no completeDate: DHIS2 would register the data set complete, a decision for the national side
    if len(data.provinces) == 1:
        doc["orgUnit"] = data.provinces[0].scope
    doc["dataValues"] = values
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# -- ADX --------------------------------------------------------------------------------------------------
def render_adx(data: ExportData) -> bytes:
    """ADX XML: one ``group`` per province and period, each dimension an attribute of ``dataValue``."""
    ET.register_namespace("", ADX_NS)
    root = ET.Element(f"{{{ADX_NS}}}adx", {"exported": data.exported_at})
    root.append(ET.Comment(_code_systems_note(data)))
    for prov in data.provinces:
        group = ET.SubElement(
            root,
            f"{{{ADX_NS}}}group",
            {"orgUnit": prov.scope, "period": adx_period(prov.period), "dataSet": data_set_code(prov.form)},
        )
        for c in _exported_cells(prov):
            attrs = {"dataElement": data_element_code(c.code)}
            attrs.update(disagg_keys.parse_key(c.disagg))
            attrs["value"] = plain_decimal(c.value)  # type: ignore[arg-type]
            ET.SubElement(group, f"{{{ADX_NS}}}dataValue", attrs)
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _code_systems_note(data: ExportData) -> str:
    cat = data.catalog
    return (
        f" DTTS export of form {data.totals.form}, period {data.totals.period}. Code systems: orgUnit = unit "
        f"list {cat.unit_list or UNIT_LIST} (2-digit province code); dataElement = DTTS_ + indicator code of "
        f"catalogue {cat.catalog_id} version {data.totals.catalog_version}; eth = ethnic code system "
        f"{cat.ethnic_code_system}; other dimensions = the catalogue's option codes. "
        + (
            f"The totals include legacy data (imported history, mapped onto the 2025 communes) of "
            f"{legacy} units with no report. "
            if (legacy := sum(len(p.units_legacy) for p in data.provinces))
            else ""
        )
    )


# -- long CSV ---------------------------------------------------------------------------------------------
def render_csv(data: ExportData) -> bytes:
    """The long CSV (UTF-8 with BOM, so Excel reads Vietnamese): one row per stored value of each unit."""
    dims: list[str] = []
    for v in data.values:
        for d in v.dims:
            if d not in dims:
                dims.append(d)
    dims.sort(key=lambda d: (d != "eth", d != "sex", d))
    cat = data.catalog
    catalog = f"{cat.catalog_id} v{data.totals.catalog_version}"
    tail = (catalog, cat.unit_list or UNIT_LIST, cat.ethnic_code_system)
    buf = io.StringIO(newline="")
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow([*CSV_FIXED, *dims, *CSV_TAIL])
    by_unit: dict[str, list[UnitValue]] = {}
    for v in data.values:
        by_unit.setdefault(v.unit, []).append(v)
    form, period = data.totals.form, data.totals.period
    listed = {u.unit for u in data.units}
    statuses = list(data.units) + [
        UnitStatus(u, vs[0].unit_name, vs[0].state, vs[0].receipt_no, True)
        for u, vs in by_unit.items()
        if u not in listed
    ]
    for u in statuses:
        rows = by_unit.get(u.unit)
        if not rows:  # a unit that sent nothing is listed too, so the file shows who is missing
            out.writerow(
                [
                    u.unit,
                    u.name,
                    form,
                    period,
                    "",
                    *([""] * len(dims)),
                    "",
                    u.state,
                    u.receipt_no or "",
                    *tail,
                ]
            )
            continue
        for v in rows:
            out.writerow(
                [
                    v.unit,
                    v.unit_name,
                    v.form,
                    v.period,
                    v.indicator,
                    *(v.dims.get(d, "") for d in dims),
                    v.value,
                    v.state,
                    v.receipt_no or "",
                    *tail,
                ]
            )
    return buf.getvalue().encode("utf-8-sig")


# -- Excel in the paper layout ----------------------------------------------------------------------------
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(name="Times New Roman", bold=True, size=11)
_NORMAL = Font(name="Times New Roman", size=11)
_ITALIC = Font(name="Times New Roman", italic=True, size=11)
_TITLE = Font(name="Times New Roman", bold=True, size=14)
_GROUP_FILL = PatternFill("solid", fgColor="D9D9D9")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_HEAD_FILL = PatternFill("solid", fgColor="BFBFBF")
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")
FORM_SHEET_MAX = 31
UNITS_SHEET = "Danh sách xã"
UNITS_SHEET_ANY = "Danh sách đơn vị"  # a form that agencies report too (forms.reported_by): not only communes


def _unit_word(data: ExportData) -> str:
    """ "xã" when only communes report the form, "đơn vị" when agencies do too (docs/province.md)."""
    catalog, form = data.catalog, data.totals.form
    reported_by = catalog.form(form).reported_by if catalog.has_form(form) else "commune"
    return "xã" if reported_by == "commune" else "đơn vị"


def _units_sheet_name(data: ExportData) -> str:
    return UNITS_SHEET if _unit_word(data) == "xã" else UNITS_SHEET_ANY


@dataclass(frozen=True)
class _Row:
    kind: str  # group | indicator | subheader | data | total
    code: str = ""
    label: str = ""
    unit: str = ""
    cells: tuple[object, ...] = ()
    total: object = None
    note: str = ""


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value() and abs(value) < Decimal(10) ** 15:
        return int(value)
    return float(value)


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def province_layout(data: ExportData) -> tuple[list[_Row], int]:
    """The rows of the province's table in the form's paper layout, and the number of value columns.

    The same table as the commune's paper (``dttsclient.usb.layout``, which the hub may not import; both take
    each indicator's shape from :mod:`dttscore.layout`): a group row per catalogue group, an indicator
    row per indicator (its total), and for a disaggregated indicator a sub-header naming the column options
    (sex), one row per combination of the other dimensions (ethnic groups that have a total, areas …) with
    its row total, and a "Cộng" row.
    """
    catalog, totals = data.catalog, data.totals
    word = _unit_word(data)
    cells: dict[tuple[str, str], TotalCell] = {(c.code, c.disagg): c for c in totals.cells}
    keys_of: dict[str, list[dict[str, str]]] = {}
    for c in totals.cells:
        if c.disagg:
            keys_of.setdefault(c.code, []).append(disagg_keys.parse_key(c.disagg))
    form = catalog.form(totals.form)
    indicators = catalog.form_indicators(form)

    def options(ind: Indicator, dim: str) -> list[tuple[str, str]]:
        names = {o.code: o.name_vi for o in catalog.options_for(dim)}
        seen = [k[dim] for k in keys_of.get(ind.code, []) if dim in k]
        if dim == "eth":  # the ethnic groups some commune reported, in the catalogue's order
            order = list(names)
            codes = sorted(set(seen), key=lambda c: (order.index(c) if c in order else len(order), c))
        else:
            codes = list(names) + sorted(set(seen) - set(names))
        return [(c, names.get(c, c)) for c in codes]

    tables = {
        ind.code: indicator_table(dims, lambda d, ind=ind: [c for c, _ in options(ind, d)])
        for ind in indicators
        if (dims := catalog.dimensions_of(ind))
    }
    width = max([len(t.col_codes) for t in tables.values() if t.col_dim] or [1])

    def units_note(cell: TotalCell | None, ind: Indicator) -> str:
        if cell is None:
            return ""
        if cell.value is None and cell.units:
            return f"{cell.units} {word} có số liệu; chỉ tiêu không cộng dồn"
        return f"{cell.units}/{len(totals.units_expected)} {word}"

    rows: list[_Row] = []
    groups = {g.code: g.name_vi for g in catalog.groups}
    current, group_no = None, 0
    for ind in indicators:
        if ind.group != current:
            current, group_no = ind.group, group_no + 1
            rows.append(_Row("group", ind.group, f"{_roman(group_no)}. {groups.get(ind.group, ind.group)}"))
        own = cells.get((ind.code, ""))
        dims = catalog.dimensions_of(ind)
        if not dims:
            rows.append(
                _Row(
                    "indicator",
                    ind.code,
                    ind.name_vi,
                    ind.unit,
                    cells=(own.value if own else None,) + (None,) * (width - 1),
                    note=units_note(own, ind),
                )
            )
            continue
        table = tables[ind.code]
        col_dim, row_dims = table.col_dim, table.row_dims
        col_opts = options(ind, col_dim) if col_dim else [(None, "")]
        names = {d: dict(options(ind, d)) for d in row_dims}
        rows.append(
            _Row(
                "indicator",
                ind.code,
                ind.name_vi,
                ind.unit,
                (None,) * width,
                own.value if own else None,
                units_note(own, ind),
            )
        )
        if col_dim:
            rows.append(
                _Row(
                    "subheader",
                    label=", ".join(disagg_keys.dimension_name(d) for d in row_dims),
                    cells=tuple(o[1] for o in col_opts) + ("",) * (width - len(col_opts)),
                    total="Cộng" if ind.value_type in TOTAL_TYPES else "",
                )
            )
        col_values: list[list[Decimal | None]] = [[] for _ in col_opts]
        data_rows = 0
        for trow in table.rows:
            row_vals = []
            for i, key in enumerate(trow.keys):
                c = cells.get((ind.code, key))
                v = c.value if c else None
                row_vals.append(v)
                col_values[i].append(v)
            if all(v is None for v in row_vals):
                continue
            data_rows += 1
            rows.append(
                _Row(
                    "data",
                    label=" — ".join(names[d].get(c, c) for d, c in zip(row_dims, trow.codes, strict=True))
                    or "Số liệu",
                    cells=tuple(row_vals) + (None,) * (width - len(row_vals)),
                    total=_sum(row_vals) if len(col_opts) > 1 else None,
                )
            )
        if data_rows > 1 and ind.value_type in TOTAL_TYPES:
            col_totals = [_sum(vs) for vs in col_values]
            rows.append(
                _Row(
                    "total",
                    label="Cộng",
                    cells=tuple(col_totals) + (None,) * (width - len(col_totals)),
                    total=own.value if own else _sum(col_totals),
                )
            )
    return rows, width


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


def render_xlsx(data: ExportData) -> bytes:
    """The province's report in the form's paper layout, and the list of communes included and missing."""
    wb = Workbook()
    ws = wb.active
    ws.title = "".join(ch for ch in data.totals.form if ch not in "[]:*?/\\")[:FORM_SHEET_MAX] or "Bieu"
    _form_sheet(ws, data)
    _units_sheet(wb.create_sheet(_units_sheet_name(data)), data)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _print_setup(ws: Worksheet, last_col: str, last_row: int, header_row: int, footer: str) -> None:
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{last_col}{last_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "Trang &P / &N"
    ws.oddFooter.right.text = footer


def _form_sheet(ws: Worksheet, data: ExportData) -> None:
    totals, catalog = data.totals, data.catalog
    word = _unit_word(data)
    rows, k = province_layout(data)
    ncols = 3 + k + 2
    last = get_column_letter(ncols)
    for i, w in enumerate([9, 50, 11, *([13] * k), 14, 30], start=1):
        ws.column_dimensions[get_column_letter(i)].width = w

    def merged(row: int, c1: int, c2: int, text: str, font: Font, align: Alignment = _CENTER) -> None:
        if c2 > c1:
            ws.merge_cells(start_row=row, start_column=c1, end_row=row, end_column=c2)
        cell = ws.cell(row=row, column=c1, value=text)
        cell.font, cell.alignment = font, align

    form = catalog.form(totals.form)
    scope_name = data.province_name or "Toàn quốc"
    agency = province_agency(data.province_name) if totals.scope != ALL_UNITS else "Tổng hợp toàn quốc"
    merged(1, 1, 3, f"Biểu số: {totals.form}", _BOLD, Alignment(horizontal="left"))
    merged(1, 4, ncols, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", _BOLD)
    merged(2, 1, 3, agency.upper(), _BOLD, _LEFT)
    merged(2, 4, ncols, "Độc lập - Tự do - Hạnh phúc", _BOLD)
    merged(4, 1, ncols, f"{form.name_vi.upper()} — TỔNG HỢP {scope_name.upper()}", _TITLE)
    row = 5
    if catalog.sample:
        merged(row, 1, ncols, "(Danh mục MẪU — chỉ dùng thử, không phải số liệu chính thức)", _ITALIC)
        row += 1
    missing = len(totals.units_missing)
    basis = "chỉ các báo cáo đã được chấp nhận" if totals.accepted_only else "bản mới nhất máy chủ đã nhận"
    lines = [
        ("Đơn vị báo cáo", f"{agency} (mã {totals.scope})" if totals.scope != ALL_UNITS else agency),
        ("Kỳ báo cáo", f"{periods.period_label(totals.period)} (mã kỳ {totals.period})"),
        ("Danh mục chỉ tiêu", f"{catalog.title}, phiên bản {totals.catalog_version}"),
        ("Căn cứ", catalog.legal_basis),
        (
            f"Số {word} tổng hợp",
            f"{len(totals.units_included)}/{len(totals.units_expected)} {word}"
            + (f", thiếu {missing} {word} (xem trang “{_units_sheet_name(data)}”)" if missing else ""),
        ),
        ("Số liệu", basis),
    ]
    if totals.units_legacy:
        lines.append(
            (
                "Số liệu cũ",
                f"gồm số liệu cũ (nhập từ tệp {', '.join(totals.legacy_sources)}, quy đổi theo danh mục xã 2025) "
                f"của {len(totals.units_legacy)} xã chưa có báo cáo"
                + (
                    f"; số liệu cũ của {len(totals.legacy_incomplete)} xã có thể chưa đầy đủ"
                    if totals.legacy_incomplete
                    else ""
                ),
            )
        )
    for label, text in lines:
        merged(row, 1, ncols, f"{label}: {text}", _NORMAL, _LEFT)
        row += 1
    row += 1
    header_row = row
    headers = ("Mã số", "Chỉ tiêu", "Đơn vị tính", *(["Số liệu"] * k), "Tổng số", "Ghi chú")
    for col, text in enumerate(headers, start=1):
        c = ws.cell(row=row, column=col, value=text)
        c.font, c.alignment, c.border, c.fill = _BOLD, _CENTER, _BORDER, _HEAD_FILL
    if k > 1:
        ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=3 + k)
    for r in rows:
        row += 1
        _write_row(ws, row, r, k)
    row += 2
    merged(row, 4, ncols, f"{_place(data.province_name)}, ngày …… tháng …… năm ……", _ITALIC)
    merged(row + 1, 1, 3, "NGƯỜI LẬP BIỂU", _BOLD)
    merged(row + 1, 4, ncols, "THỦ TRƯỞNG CƠ QUAN", _BOLD)
    merged(row + 2, 1, 3, "(Ký, ghi rõ họ tên)", _ITALIC)
    merged(row + 2, 4, ncols, "(Ký, đóng dấu, ghi rõ họ tên)", _ITALIC)
    row += 7
    _print_setup(ws, last, row, header_row, f"{totals.form} — {totals.scope} — {totals.period}")


def _place(province_name: str) -> str:
    if province_name.startswith("Thành phố "):
        return province_name[len("Thành phố ") :]
    return province_name or "……"


def _write_row(ws: Worksheet, row: int, r: _Row, k: int) -> None:
    ncols = 3 + k + 2
    if r.kind == "group":
        for col in range(1, ncols + 1):
            c = ws.cell(row=row, column=col)
            c.font, c.fill, c.border = _BOLD, _GROUP_FILL, _BORDER
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        ws.cell(row=row, column=1).value = r.label
        return
    bold = r.kind in ("indicator", "total")
    font = _BOLD if bold else (_ITALIC if r.kind == "subheader" else _NORMAL)
    label = r.label if r.kind == "indicator" else f"   {r.label}"
    for col, text in enumerate((r.code, label, r.unit), start=1):
        c = ws.cell(row=row, column=col, value=text or None)
        c.font, c.border, c.alignment = font, _BORDER, (_WRAP if col == 2 else _CENTER)
    for i, v in enumerate(r.cells):
        c = ws.cell(row=row, column=4 + i)
        c.border = _BORDER
        if r.kind == "subheader":
            c.value, c.font, c.alignment = (v or None), _ITALIC, _CENTER
            continue
        num = _number(v)  # type: ignore[arg-type]
        c.value, c.font, c.alignment = num, (_BOLD if r.kind == "total" else _NORMAL), _RIGHT
        if num is not None:
            c.number_format = "#,##0" if isinstance(num, int) else "#,##0.0##"
    tc = ws.cell(row=row, column=4 + k)
    tc.border = _BORDER
    if r.kind == "subheader":
        tc.value, tc.font, tc.alignment = (r.total or None), _ITALIC, _CENTER
    else:
        num = _number(r.total)  # type: ignore[arg-type]
        if num is not None:
            tc.value, tc.font, tc.fill, tc.alignment = num, _BOLD, _TOTAL_FILL, _RIGHT
            tc.number_format = "#,##0" if isinstance(num, int) else "#,##0.0##"
    nc = ws.cell(row=row, column=5 + k, value=r.note or None)
    nc.border, nc.alignment, nc.font = _BORDER, _WRAP, _NORMAL


def _units_sheet(ws: Worksheet, data: ExportData) -> None:
    totals = data.totals
    word = _unit_word(data)
    headers = ("STT", f"Mã {word}", f"Tên {word}", "Tổng hợp", "Tình trạng", "Số biên nhận")
    for i, w in enumerate((6, 9, 34, 16, 26, 24), start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    title = ws.cell(
        row=1, column=1, value=f"DANH SÁCH {word.upper()} — BIỂU {totals.form}, KỲ {totals.period}"
    )
    title.font, title.alignment = _TITLE, _CENTER
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
    summary = ws.cell(
        row=2,
        column=1,
        value=f"Đã tổng hợp {len(totals.units_included)}/{len(totals.units_expected)} {word}; "
        + (f"dùng số liệu cũ của {len(totals.units_legacy)} {word}; " if totals.units_legacy else "")
        + f"thiếu {len(totals.units_missing)} {word}.",
    )
    summary.font, summary.alignment = _ITALIC, _CENTER
    header_row = 4
    for col, text in enumerate(headers, start=1):
        c = ws.cell(row=header_row, column=col, value=text)
        c.font, c.alignment, c.border, c.fill = _BOLD, _CENTER, _BORDER, _HEAD_FILL
    included, legacy = set(totals.units_included), set(totals.units_legacy)
    row = header_row
    for n, u in enumerate(data.units, start=1):
        row += 1
        values = (
            n,
            u.unit,
            u.name,
            "Đã tổng hợp" if u.unit in included else "Số liệu cũ" if u.unit in legacy else "Thiếu",
            state_label(u.state),
            u.receipt_no or "",
        )
        for col, v in enumerate(values, start=1):
            c = ws.cell(row=row, column=col, value=v)
            c.border, c.font = _BORDER, _NORMAL
            c.alignment = _WRAP if col == 3 else _CENTER
    _print_setup(ws, get_column_letter(len(headers)), row, header_row, f"{totals.form} — {totals.period}")


# -- writing ----------------------------------------------------------------------------------------------
RENDERERS: Mapping[str, Callable[[ExportData], bytes]] = {
    "xlsx": render_xlsx,
    "csv": render_csv,
    "dvs": render_dvs,
    "adx": render_adx,
}


def render(data: ExportData, fmt: str) -> bytes:
    """The bytes of an export in ``fmt`` (one of :data:`FORMATS`)."""
    return RENDERERS[fmt](data)


def file_name(data: ExportData, fmt: str) -> str:
    """``BM01-19-2026.xlsx`` (``all`` for every province)."""
    scope = "all" if data.totals.scope == ALL_UNITS else data.totals.scope
    return f"{data.totals.form}-{scope}-{data.totals.period}{SUFFIXES[fmt]}"


def write_atomic(target: Path, content: bytes) -> None:
    """Write ``content`` to a temporary name in ``target``'s folder, flush it to disk, and rename it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:  # the rename itself reaches the disk with the folder
        dir_fd = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def write_export(data: ExportData, fmt: str, path: Path | str) -> Path:
    """Write an export to ``path`` (a file, or a folder: then :func:`file_name` inside it); the file written."""
    target = Path(path)
    if target.is_dir():
        target = target / file_name(data, fmt)
    write_atomic(target, render(data, fmt))
    return target


# -- gathering the data of an export from the hub -------------------------------------------------------
def export_scope(account: Account, province: str | None) -> str:
    """The scope an export covers: ``province`` when given and allowed, else the account's own.

    Raises:
        Forbidden: an officer (exports are for the province's reviewers and admins), or a province outside
            the account's scope.
        BadRequest: ``province`` is not a province code of the 2025 list nor ``*``.
    """
    account.require_reviewer()
    if not province:
        return account.unit
    if province != ALL_UNITS and province not in {p.code for p in refdata.provinces()}:
        raise BadRequest(
            "bad_province",
            f"'{province}' không phải mã tỉnh trong danh mục 2025 (2 chữ số) hoặc '*'.",
            f"'{province}' is not a province code of the 2025 list (2 digits) nor '*'.",
        )
    if account.unit in (ALL_UNITS, province):
        return province
    raise Forbidden(
        "out_of_scope",
        f"Tài khoản {account.username} không có quyền xuất số liệu của {province}.",
        f"Account {account.username} may not export the data of {province}.",
    )


def check_format(fmt: str) -> str:
    """``fmt`` when it is one of :data:`FORMATS`.

    Raises:
        BadRequest: another format.
    """
    if fmt not in FORMATS:
        raise BadRequest(
            "bad_format",
            f"Định dạng xuất '{fmt}' không có; hãy chọn một trong: {', '.join(FORMATS)}.",
            f"There is no export format '{fmt}'; choose one of: {', '.join(FORMATS)}.",
        )
    return fmt


def gather(
    hub: Hub,
    account: Account,
    form: str,
    period: str,
    province: str | None = None,
    *,
    accepted_only: bool = False,
) -> ExportData:
    """The data of an export of ``form`` for ``period`` over the caller's scope (or ``province`` in it).

    Raises:
        Forbidden: an officer, or a province outside the account's scope.
        BadRequest: a bad province code or period.
        NotFound: no published catalogue has the form.
    """
    scope = export_scope(account, province)
    catalog = hub.totals.catalog_for(form)
    try:
        period = periods.check_period_for_form(period, catalog.form(form).period_type).code
    except IdentifierError as exc:
        raise BadRequest("bad_period", exc.message_vi, exc.message_en) from exc
    totals = hub.totals.totals(form, period, scope, accepted_only=accepted_only)
    # every unit that should report, with its state (dttshub.completeness: the reviewer's own view)
    comp = completeness(hub.db, hub.catalogs, account, form, period, scope)
    states = {u.unit: u for u in comp.units}
    included = set(totals.units_included)
    # each unit's values of the very revision the totals add up (the cell table, through dttshub.totals)
    codes = [i.code for i in catalog.form_indicators(catalog.form(form))]
    chosen = hub.totals.unit_values(form, period, totals.units_included, codes, accepted_only=accepted_only)
    values: list[UnitValue] = []
    for unit in totals.units_included:
        ch = chosen[unit]
        st = states.get(unit)
        name, state = (st.name, st.state) if st else (unit, ch.status)
        for (code, key), value in sorted(ch.values.items()):
            values.append(
                UnitValue(
                    unit, name, form, period, code, key, _lenient_dims(key), value, state, ch.receipt_no
                )
            )
    by_province: tuple[ProvinceTotals, ...] = ()
    if scope == ALL_UNITS:
        counted = included | set(totals.units_legacy)  # a province with legacy data only has totals too
        provinces = sorted({st.province for st in comp.units if st.unit in counted})
        by_province = tuple(
            hub.totals.totals(form, period, p, accepted_only=accepted_only) for p in provinces
        )
    receipts = {u: chosen[u].receipt_no for u in totals.units_included}
    units = tuple(
        UnitStatus(u.unit, u.name, u.state, receipts.get(u.unit, u.receipt_no), u.unit in included)
        for u in comp.units
    )
    province_name = ""
    if len(scope) == 2:
        communes = refdata.communes_in(scope)
        province_name = communes[0].province_name if communes else ""
    return ExportData(totals, catalog, units, tuple(values), by_province, province_name)


def _lenient_dims(key: str) -> dict[str, str]:
    try:
        return disagg_keys.parse_key(key)
    except IdentifierError:  # a damaged key is exported as it is, without dimension columns
        return {}
