"""The report in Excel, in its form's layout (see :mod:`.layout`), print-ready.

One sheet named after the form (e.g. ``BM01``): the heading (form, national motto, reporting unit,
period, catalogue version and legal basis), the table, and the signature block (place and date to fill,
Người lập biểu, Thủ trưởng đơn vị). A4, fit to the page width, the column header repeated on every
printed page, page numbers in the footer.

A hidden and protected sheet ``_dtts`` holds the metadata the import relies on: ``kind``,
``format_version``, form, unit, period, catalogue id and version, the form sheet's name, and a map of
every value cell (sheet, cell reference, code, disagg, value type). Totals are values computed when the
file is written; they are not in the map and the import ignores them.
"""

from __future__ import annotations

import secrets
from copy import copy
from pathlib import Path
from typing import TYPE_CHECKING, Unpack

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dttsclient import __version__
from dttsclient.usb.backup import iso_now
from dttsclient.usb.layout import (
    Cell,
    ExportOptions,
    ReportLayout,
    export_layout,
    export_report,
    layout_for_blank,
    state_mark,
)
from dttsclient.usb.safezip import SafeZip

if TYPE_CHECKING:
    from dttsclient.store import Store

META_SHEET = "_dtts"
KIND = "dtts-report"
FORMAT_VERSION = 1
MAP_HEADER = ("sheet", "cell", "code", "disagg", "value_type")

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
_RIGHT = Alignment(horizontal="right", vertical="center")
_VCENTER = Alignment(vertical="center")


def sheet_title(form: str) -> str:
    """A valid sheet name for a form code (Excel forbids some characters and > 31 characters)."""
    clean = "".join(ch for ch in form if ch not in "[]:*?/\\")[:31]
    return clean or "Bieu"


def number_format(cell: Cell) -> str:
    if isinstance(cell.value, int):
        return "#,##0"
    if isinstance(cell.value, float):
        text = repr(cell.value)
        decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 2
        return "#,##0." + "0" * max(1, decimals)
    return "@" if cell.value_type == "text" else "General"


class _Styles:
    """Applies a combination of font, fill, border, alignment and number format to a cell.

    Setting those attributes one by one costs openpyxl a hash of each style object per cell; the first
    cell of each combination is styled that way and the others copy its style array (openpyxl's own
    representation), which makes writing a large report several times faster.
    """

    def __init__(self) -> None:
        self._cache: dict[tuple, object] = {}

    def apply(
        self,
        cell,
        *,
        font: Font = _NORMAL,
        fill: PatternFill | None = None,
        border: Border | None = None,
        alignment: Alignment | None = None,
        number_format: str | None = None,
    ) -> None:
        key = (id(font), id(fill), id(border), id(alignment), number_format)
        cached = self._cache.get(key)
        if cached is not None:
            cell._style = copy(cached)
            return
        cell.font = font
        if fill is not None:
            cell.fill = fill
        if border is not None:
            cell.border = border
        if alignment is not None:
            cell.alignment = alignment
        if number_format is not None:
            cell.number_format = number_format
        self._cache[key] = copy(cell._style)


def write_workbook(layout: ReportLayout, path: Path) -> None:
    """Write the workbook of ``layout`` to ``path`` (local disk)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(layout.form)
    value_map = _write_form_sheet(ws, layout, _Styles())
    _write_meta_sheet(wb, layout, ws.title, value_map)
    wb.save(path)


def _write_form_sheet(
    ws: Worksheet, layout: ReportLayout, styles: _Styles
) -> list[tuple[str, str, str, str]]:
    k = layout.value_columns
    ncols = 3 + k + 2
    last = get_column_letter(ncols)
    widths = [9, 50, 11, *([13] * k), 14, 30]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w

    def merged(row: int, c1: int, c2: int, text: str, font: Font, align: Alignment = _CENTER) -> None:
        if c2 > c1:
            ws.merge_cells(start_row=row, start_column=c1, end_row=row, end_column=c2)
        cell = ws.cell(row=row, column=c1, value=text)
        cell.font, cell.alignment = font, align

    split = 3
    merged(1, 1, split, f"Biểu số: {layout.form}", _BOLD, Alignment(horizontal="left"))
    merged(1, split + 1, ncols, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", _BOLD)
    merged(2, 1, split, layout.issuer, _BOLD, Alignment(horizontal="left"))
    merged(2, split + 1, ncols, "Độc lập - Tự do - Hạnh phúc", _BOLD)
    merged(4, 1, ncols, layout.title, _TITLE)
    row = 5
    if layout.sample:
        merged(row, 1, ncols, "(Danh mục MẪU — chỉ dùng thử, không phải số liệu chính thức)", _ITALIC)
        row += 1
    if layout.state != "finalized":
        merged(row, 1, ncols, state_mark(layout), _ITALIC)
        row += 1
    for label, text in layout.header_lines:
        merged(row, 1, ncols, f"{label}: {text}", _NORMAL, Alignment(horizontal="left", wrap_text=True))
        row += 1
    row += 1
    header_row = row
    for col, text in enumerate(layout.headers, start=1):
        c = ws.cell(row=row, column=col, value=text)
        styles.apply(c, font=_BOLD, alignment=_CENTER, border=_BORDER, fill=_HEAD_FILL)
    if k > 1:
        ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=3 + k)
    value_map: list[tuple[str, str, str, str]] = []
    for r in layout.rows:
        row += 1
        _write_row(ws, row, r, k, value_map, styles)
    if layout.notes:
        row += 2
        merged(row, 1, ncols, "Ghi chú:", _BOLD, Alignment(horizontal="left"))
        for note in layout.notes:
            row += 1
            merged(row, 1, ncols, f"- {note}", _NORMAL, Alignment(horizontal="left", wrap_text=True))
    row = _write_signature(ws, row + 2, layout, ncols)

    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{last}{row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "Trang &P / &N"
    ws.oddFooter.right.text = f"{layout.form} — {layout.unit} — {layout.period}"
    ws.sheet_view.zoomScale = 100
    return value_map


def _write_row(ws: Worksheet, row: int, r, k: int, value_map: list, styles: _Styles) -> None:
    ncols = 3 + k + 2
    if r.kind == "group":
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        for col in range(1, ncols + 1):
            styles.apply(
                ws.cell(row=row, column=col), font=_BOLD, fill=_GROUP_FILL, border=_BORDER, alignment=_VCENTER
            )
        ws.cell(row=row, column=1).value = r.label
        return
    bold = r.kind in ("indicator", "total")
    font = _BOLD if bold else (_ITALIC if r.kind == "subheader" else _NORMAL)
    label = r.label if r.kind == "indicator" else f"   {r.label}"
    for col, text in enumerate((r.code, label, r.unit), start=1):
        c = ws.cell(row=row, column=col, value=text or None)
        styles.apply(c, font=font, border=_BORDER, alignment=_CENTER if col != 2 else _WRAP)
    for i, cell in enumerate(r.cells):
        c = ws.cell(row=row, column=4 + i)
        if r.kind == "subheader":
            c.value = cell.text or None
            styles.apply(c, font=_ITALIC, border=_BORDER, alignment=_CENTER)
            continue
        c.value = cell.value
        numeric = isinstance(cell.value, (int, float))
        fmt = number_format(cell) if cell.value is not None or cell.key is not None else None
        fill = _TOTAL_FILL if cell.key is None and cell.value is not None else None
        styles.apply(
            c,
            font=_BOLD if r.kind == "total" else _NORMAL,
            border=_BORDER,
            fill=fill,
            alignment=_RIGHT if numeric else _CENTER,
            number_format=fmt,
        )
        if cell.key is not None:
            value_map.append((c.coordinate, cell.key[0], cell.key[1], cell.value_type))
    if r.span:  # a text value across the value and total columns
        for col in range(4, 5 + k):
            c = ws.cell(row=row, column=col)
            styles.apply(c, border=_BORDER, alignment=_WRAP, number_format="@")
        ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=4 + k)
        nc = ws.cell(row=row, column=5 + k, value=r.note or None)
        styles.apply(nc, border=_BORDER, alignment=_WRAP)
        return
    tc = ws.cell(row=row, column=4 + k)
    if r.kind == "subheader":
        tc.value = r.total.text or None
        styles.apply(tc, font=_ITALIC, border=_BORDER, alignment=_CENTER)
    elif r.total.value is not None:
        tc.value = r.total.value
        styles.apply(
            tc,
            font=_BOLD,
            border=_BORDER,
            fill=_TOTAL_FILL,
            alignment=_RIGHT,
            number_format=number_format(r.total),
        )
    else:
        styles.apply(tc, border=_BORDER)
    nc = ws.cell(row=row, column=5 + k, value=r.note or None)
    styles.apply(nc, border=_BORDER, alignment=_WRAP)


def _write_signature(ws: Worksheet, row: int, layout: ReportLayout, ncols: int) -> int:
    right_from = 4
    left_to = 3

    def put(r: int, c1: int, c2: int, text: str, font: Font) -> None:
        if c2 > c1:
            ws.merge_cells(start_row=r, start_column=c1, end_row=r, end_column=c2)
        cell = ws.cell(row=r, column=c1, value=text)
        cell.font, cell.alignment = font, _CENTER

    put(row, right_from, ncols, layout.date_line, _ITALIC)
    put(row + 1, 1, left_to, "NGƯỜI LẬP BIỂU", _BOLD)
    put(row + 1, right_from, ncols, layout.head_title, _BOLD)
    put(row + 2, 1, left_to, "(Ký, ghi rõ họ tên)", _ITALIC)
    put(row + 2, right_from, ncols, "(Ký, đóng dấu, ghi rõ họ tên)", _ITALIC)
    return row + 7


def _write_meta_sheet(wb: Workbook, layout: ReportLayout, sheet: str, value_map: list) -> None:
    meta = wb.create_sheet(META_SHEET)
    rows = [
        ("kind", KIND),
        ("format_version", FORMAT_VERSION),
        ("app_version", __version__),
        ("created_at", iso_now()),
        ("form", layout.form),
        ("unit", layout.unit),
        ("period", layout.period),
        ("catalog_id", layout.catalog_id),
        ("catalog_version", layout.catalog_version),
        ("sheet", sheet),
        ("cells", len(value_map)),
    ]
    for r in rows:
        meta.append(list(r))
    meta.append([])
    meta.append(list(MAP_HEADER))
    for ref, code, key, vt in value_map:
        meta.append([sheet, ref, code, key, vt])
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    meta.protection.password = secrets.token_hex(8)  # not a secret: it only stops accidental edits


def export_xlsx(store: Store, report_id: int, path: Path | str, **options: Unpack[ExportOptions]) -> Path:
    """Write the report as an Excel workbook in its form's layout (atomic and verified, like backups); the file written.

    ``path`` is the target ``.xlsx`` file or a folder; ``options`` and the errors raised are those of
    :func:`~dttsclient.usb.layout.export_report`.
    """
    return export_report(
        store, report_id, path, suffix=".xlsx", render=write_workbook, verify=check_zip, **options
    )


def export_xlsx_blank(
    store: Store, unit: str, form: str, period: str, path: Path | str, **options: Unpack[ExportOptions]
) -> Path:
    """Write the empty form of a report not started yet (Excel), with the commune's ethnic rows.

    See :func:`~dttsclient.usb.layout.layout_for_blank`; nothing is written to the store.
    """
    layout = layout_for_blank(store, unit, form, period)
    return export_layout(layout, path, suffix=".xlsx", render=write_workbook, verify=check_zip, **options)


def check_zip(path: Path) -> None:
    """The written copy is a complete zip whose every member passes its CRC (what a stick gets wrong)."""
    with SafeZip(path) as zf:
        for name in zf.names():
            for _ in zf.iter_chunks(name):
                pass
