"""The authoring workbook of the catalogue (docs/catalogue.md, "Sheets"), read and written with openpyxl.

Reading is forgiving about layout and strict about content: sheets and columns are found by name (any
order, any letter case, spaces trimmed), blank rows are skipped, numbers and dates may be typed as
numbers or as text, yes/no cells accept yes/no/có/không/true/false/1/0. The content is then checked by
:func:`dttscore.catalog.catalog_from_tables`, the same checks as for the JSON form, and every
problem is reported at once with its sheet, row and column.

Writing produces one sheet per section (``meta`` first), a bold frozen header row, codes stored as text
(so Excel keeps the leading zeros of "0101") and drop-down lists for the columns with fixed choices.
``load_workbook(write_workbook(c))`` gives back ``c``.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dttscore.catalog_build import catalog_from_tables, catalog_to_json
from dttscore.catalog_tables import COLUMNS, SHEETS, RawRow, RawSheet, cell_text
from dttscore.errors import CatalogError, CatalogProblem
from dttscore.model import ETH_OPTIONS, PERIOD_TYPES, REPORTED_BY, SEVERITIES, VALUE_TYPES, Catalog

logger = logging.getLogger(__name__)

MAX_ROWS = 20_000
"""Rows read per sheet at most: far above any real catalogue, low enough to refuse a runaway file."""

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Largest workbook file accepted."""

_TEXT_COLUMNS = {"key", "code", "group", "name", "dimension", "disaggregation", "indicators", "forms"}
_CHOICES = {
    ("indicators", "value_type"): VALUE_TYPES,
    ("indicators", "required"): ("yes", "no"),
    ("forms", "period_type"): PERIOD_TYPES,
    ("forms", "eth_options"): ETH_OPTIONS,
    ("forms", "reported_by"): REPORTED_BY,
    ("rules", "severity"): SEVERITIES,
}
_WIDTH_MIN, _WIDTH_MAX = 8, 60


# -- reading ------------------------------------------------------------------------------------------
def _file_error(path: Path, vi: str, en: str) -> CatalogError:
    return CatalogError([CatalogProblem(f"Tệp '{path.name}': {vi}", f"File '{path.name}': {en}")])


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_sheet(name: str, rows: Iterable[tuple], problems: list[CatalogProblem]) -> RawSheet:
    """A sheet's header (row 1) and its non-blank data rows."""
    iterator = iter(rows)
    header = next(iterator, ())
    columns: dict[int, str] = {}
    seen: set[str] = set()
    for index, value in enumerate(header):
        column = cell_text(value).lower()
        if not column:
            continue
        if column in seen:
            problems.append(
                CatalogProblem(
                    "cột này xuất hiện hai lần; chỉ dùng cột đầu tiên",
                    "this column appears twice; only the first is used",
                    name,
                    1,
                    column,
                )
            )
            continue
        seen.add(column)
        columns[index] = column
    sheet = RawSheet(name, tuple(columns.values()), [], 1)
    for number, values in enumerate(iterator, start=2):
        cells = {column: values[index] for index, column in columns.items() if index < len(values)}
        if all(_blank(v) for v in cells.values()):
            continue
        if number > MAX_ROWS:
            problems.append(
                CatalogProblem(
                    f"sheet có quá nhiều dòng (tối đa {MAX_ROWS})",
                    f"the sheet has too many rows (at most {MAX_ROWS})",
                    name,
                    number,
                )
            )
            break
        sheet.rows.append(RawRow(number, cells))
    return sheet


def read_tables(path: str | Path) -> tuple[dict[str, RawSheet | None], list[CatalogProblem]]:
    """The raw tables of a workbook, unchecked, and the problems found while reading it.

    Raises:
        CatalogError: the file cannot be read or is not an Excel workbook.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as err:
        raise _file_error(
            path,
            f"không đọc được tệp ({err.strerror or err})",
            f"cannot read the file ({err.strerror or err})",
        ) from err
    if size > MAX_FILE_BYTES:
        raise _file_error(
            path, "tệp quá lớn để là một danh mục chỉ tiêu", "the file is too large for a catalogue"
        )
    problems: list[CatalogProblem] = []
    sheets: dict[str, RawSheet | None] = {}
    try:
        # Our own file object: openpyxl leaves the file it opened itself open when a damaged file fails.
        with warnings.catch_warnings(), open(path, "rb") as fh:
            # openpyxl warns about Excel features it does not keep (extensions, data validation styles);
            # they do not matter for reading the catalogue.
            warnings.simplefilter("ignore", UserWarning)
            book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
            try:
                by_title = {ws.title.strip().lower(): ws for ws in book.worksheets}
                for name in SHEETS:
                    ws = by_title.get(name)
                    if ws is None:
                        sheets[name] = None
                        continue
                    ws.reset_dimensions()  # some writers store a wrong sheet size; read every row
                    sheets[name] = _read_sheet(name, ws.iter_rows(values_only=True), problems)
            finally:
                book.close()
    except OSError as err:
        logger.warning("cannot read workbook %s: %s", path, err)
        raise _file_error(
            path,
            f"không đọc được tệp ({err.strerror or err})",
            f"cannot read the file ({err.strerror or err})",
        ) from err
    except Exception as err:  # a damaged or foreign file can fail anywhere inside openpyxl
        logger.warning("not a readable xlsx workbook: %s (%s: %s)", path, type(err).__name__, err)
        raise _file_error(
            path,
            "không phải là bảng tính Excel .xlsx hợp lệ (tệp hỏng, hoặc là tệp .xls/.csv bị đổi tên); "
            "hãy mở bằng Excel và lưu lại dạng 'Excel Workbook (.xlsx)'",
            "is not a valid Excel .xlsx workbook (the file is damaged, or an .xls/.csv file renamed); "
            "open it in Excel and save it as 'Excel Workbook (.xlsx)'",
        ) from err
    return sheets, problems


def load_workbook(path: str | Path) -> Catalog:
    """Load a catalogue from its authoring workbook.

    Args:
        path: the ``.xlsx`` file.

    Returns:
        The catalogue.

    Raises:
        CatalogError: the file cannot be read, is not an xlsx workbook, or has any problem (all listed,
            each with its sheet, row and column).
    """
    sheets, problems = read_tables(path)
    return catalog_from_tables(sheets, problems)


# -- writing ------------------------------------------------------------------------------------------
def _cell_value(column: str, value: object) -> object:
    """A JSON value of the catalogue as the workbook cell shows it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value) or None
    if column in ("min", "max") or (column == "max_change_pct" and value not in ("", "none")):
        number = Decimal(value)
        # A number cell when Excel's binary float holds it exactly; otherwise text, which loads the same.
        if number == number.to_integral_value() and abs(number) < 2**53:
            return int(number)
        as_float = float(number)
        return as_float if Decimal(repr(as_float)) == number else str(value)
    if value == "":
        return None
    return value


def _meta_rows(data: dict) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = []
    for key, value in data["meta"].items():
        if key == "effective_from":
            value = date.fromisoformat(value)
        elif key == "sample":
            value = "yes" if value else "no"
        rows.append((key, value))
    return rows


def _write_sheet(ws, columns: tuple[str, ...], rows: list[tuple], name: str) -> None:
    ws.append(list(columns))
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
    ws.freeze_panes = "A2"
    widths = [len(c) + 2 for c in columns]
    for row_index, values in enumerate(rows, start=2):
        for col_index, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = ws.cell(row=row_index, column=col_index)
            cell.value = value
            column = columns[col_index - 1]
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, even when the text starts with "="
                if column in _TEXT_COLUMNS or (name == "meta" and column == "value"):
                    cell.number_format = "@"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            longest = max((len(line) for line in str(value).splitlines()), default=0)
            widths[col_index - 1] = max(widths[col_index - 1], longest + 2)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(_WIDTH_MIN, min(_WIDTH_MAX, width))
    for (sheet, column), choices in _CHOICES.items():
        if sheet != name:
            continue
        letter = get_column_letter(columns.index(column) + 1)
        validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        validation.add(f"{letter}2:{letter}{max(len(rows) + 1, 2) + 500}")
        ws.add_data_validation(validation)


def write_workbook(catalog: Catalog, path: str | Path) -> None:
    """Write the authoring workbook of a catalogue, replacing ``path`` atomically.

    Args:
        catalog: the catalogue.
        path: the ``.xlsx`` file to write (its folder must exist).

    Raises:
        OSError: the file cannot be written.
    """
    path = Path(path)
    data = catalog_to_json(catalog)
    book = openpyxl.Workbook()
    book.properties.creator = "dttsclient"
    book.properties.title = catalog.title
    first = True
    for name in SHEETS:
        ws = book.active if first else book.create_sheet()
        first = False
        ws.title = name
        if name == "meta":
            rows = _meta_rows(data)
        else:
            rows = [tuple(_cell_value(c, entry.get(c)) for c in COLUMNS[name]) for entry in data[name]]
        _write_sheet(ws, COLUMNS[name], rows, name)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        book.save(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    logger.info("catalogue %s v%s written to %s", catalog.catalog_id, catalog.version, path)
