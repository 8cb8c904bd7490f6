"""Importing values from Excel into a draft: all or nothing.

Two kinds of workbook are read:

* the **form layout** written by :mod:`.xlsx_report` — its hidden ``_dtts`` sheet names the form, unit
  and period and maps every value cell to (code, disagg), so export → import gives back the same values;
* a **plain long table** — a sheet with a header row holding the columns *code* (``mã``, ``mã chỉ
  tiêu``), *disaggregation* (``phân tổ``, ``disagg``; optional) and *value* (``giá trị``, ``số liệu``),
  names in Vietnamese or English, any case, with or without diacritics. The form and period must then
  be given.

Numbers typed in Excel are read as numbers; text cells are read the Vietnamese way (``1.234,5``); yes/no
cells accept Có/Không. Empty cells are skipped (an import never erases a value). Every refused cell is
reported with its sheet and cell reference ("Sheet BM01, ô D14: …"), and when any cell is refused
nothing at all is imported. A file of another form, commune or period is imported only when confirmed.
A finalized report (perhaps already sent) would become a draft again: the import then stops with
:class:`~dttsclient.usb.errors.ReopensReport` listing every cell that would change (old → new), and goes
ahead only when exactly those changes are confirmed (or, on the command line, with ``--yes``).
Accepted values are written in one store transaction (``store.reports.set_cells``), after an automatic
backup of the profile.

Each value gets exactly the checks of typing it (:func:`dttscore.values.check_value`: type, minimum,
maximum — a negative count is refused). The reading is bounded, so a huge or hostile file cannot exhaust
the officer's 4 GB PC: files over :data:`MAX_FILE_BYTES` and sheets declaring more rows than Excel allows
or than :data:`MAX_DECLARED_ROWS` are refused before anything is parsed; the workbook is streamed
(openpyxl ``read_only``); no more rows are read than the form can hold (its cell count, plus a margin);
the message lists the first :data:`~dttsclient.usb.errors.MAX_LISTED_PROBLEMS` refused cells and counts
the rest. A formula cell without a saved result is refused (not taken for an empty cell).
"""

from __future__ import annotations

import dataclasses
import getpass
import io
import logging
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from dttsclient.usb.autobackup import auto_backup
from dttsclient.usb.errors import (
    BadFile,
    ImportRefused,
    MissingArgument,
    NewerFormat,
    NotAnXlsx,
    ReopensReport,
    WrongReport,
    human_size,
)
from dttsclient.usb.safezip import SafeZip, ZipLimits
from dttsclient.usb.xlsx_report import FORMAT_VERSION, KIND, MAP_HEADER, META_SHEET
from dttscore import disagg as disagg_keys
from dttscore import indicator_options, periods, refdata, values
from dttscore.errors import DttsError, IdentifierError, ValueInputError
from dttscore.model import Catalog

if TYPE_CHECKING:
    from openpyxl import Workbook

    from dttsclient.store import Store
    from dttscore.problems import Problem

logger = logging.getLogger(__name__)

LIMITS = ZipLimits(max_members=2000, max_member_size=200 << 20, max_total_size=400 << 20, max_ratio=500)
CODE_NAMES = {"code", "ma", "mso", "maso", "machitieu", "chitieu", "indicator", "indicatorcode"}
DISAGG_NAMES = {"disagg", "disaggregation", "disaggregationkey", "phanto", "khoaphanto", "key"}
VALUE_NAMES = {"value", "giatri", "solieu"}
HEADER_SEARCH_ROWS = 20
MAX_FILE_BYTES = 20 << 20  # an exported form is a few tens of KB; a long table of a whole form < 2 MB
EXCEL_MAX_ROW = 1_048_576
MAX_DECLARED_ROWS = 200_000  # no form has that many cells: refused before reading
ROW_MARGIN = 1_000  # rows of notes, blank lines … tolerated beyond the form's cell count
META_HEADER_ROWS = 50
_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)(?::([A-Z]{1,3})?(\d+))?"')
_REF_RE = re.compile(r"([A-Z]{1,3})([1-9]\d{0,6})")


@dataclass
class ImportReport:
    """What an import did.

    Attributes:
        mode: "layout" (a form exported by DTTS) or "table" (a plain long table).
        read: cells with a value in the file; changed: values that changed; unchanged: equal already.
        empty: empty value cells skipped (an import never erases a value).
        eth_rows_added: ethnic groups added to the report's rows.
        differences: (field, in the file, target) that the officer confirmed.
        reopened: the report was finalized and is a draft again (the officer confirmed the changes).
        problems: the report's checks after the import (errors and warnings, as the grid shows them).
    """

    path: Path
    mode: str
    unit: str
    form: str
    period: str
    report_id: int | None = None
    read: int = 0
    changed: int = 0
    unchanged: int = 0
    empty: int = 0
    eth_rows_added: list[str] = field(default_factory=list)
    differences: list[tuple[str, str, str]] = field(default_factory=list)
    safety_copy: Path | None = None
    reopened: bool = False
    problems: list[Problem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "mode": self.mode,
            "unit": self.unit,
            "form": self.form,
            "period": self.period,
            "report_id": self.report_id,
            "read": self.read,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "empty": self.empty,
            "eth_rows_added": list(self.eth_rows_added),
            "differences": [list(d) for d in self.differences],
            "reopened": self.reopened,
            "safety_copy": str(self.safety_copy) if self.safety_copy else None,
            "errors": [p.to_json() for p in self.problems if p.is_error],
            "warnings": [p.to_json() for p in self.problems if not p.is_error],
        }


@dataclass(frozen=True)
class CellChange:
    """One cell an import would change, for the officer to confirm: where, and old → new.

    Attributes:
        code / disagg: the cell. old / new: canonical values (old None: empty before).
        indicator_vi / indicator_en: the indicator's name. breakdown_vi / breakdown_en: the options of
        the disaggregation ("Nam, Tày"; "" for a single value). old_text / new_text: as the grid shows them.
    """

    code: str
    disagg: str
    old: str | None
    new: str
    indicator_vi: str = ""
    indicator_en: str = ""
    breakdown_vi: str = ""
    breakdown_en: str = ""
    old_text: str = ""
    new_text: str = ""

    def indicator(self, lang: str = "vi") -> str:
        return self.indicator_en if lang == "en" else self.indicator_vi

    def breakdown(self, lang: str = "vi") -> str:
        return self.breakdown_en if lang == "en" else self.breakdown_vi

    def line(self, lang: str = "vi") -> str:
        """ "0101 Số hộ (Nam, Tày): (trống) → 15" """
        empty = "(empty)" if lang == "en" else "(trống)"
        where = f" ({self.breakdown(lang)})" if self.breakdown(lang) else ""
        return (
            f"{self.code} {self.indicator(lang)}{where}: {self.old_text or empty} → {self.new_text or empty}"
        )

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "disagg": self.disagg, "old": self.old, "new": self.new}


def describe_change(catalog: Catalog, code: str, key: str, old: str | None, new: str) -> CellChange:
    """The :class:`CellChange` of one cell, with the catalogue's names."""
    ind = catalog.indicator(code)
    names: dict[str, tuple[str, str]] = {}
    mapping = disagg_keys.parse_key(key) if key else {}
    for dim, opt in mapping.items():
        found = next((o for o in catalog.options_for(dim) if o.code == opt), None)
        names[dim] = (found.name_vi, found.name_en or found.name_vi) if found else (opt, opt)
    return CellChange(
        code=code,
        disagg=key,
        old=old,
        new=new,
        indicator_vi=ind.name_vi,
        indicator_en=ind.name_en or ind.name_vi,
        breakdown_vi=", ".join(v for v, _ in names.values()),
        breakdown_en=", ".join(e for _, e in names.values()),
        old_text=values.format_value(old, ind.value_type),
        new_text=values.format_value(new, ind.value_type),
    )


def _was_sent(store: Store, report_id: int, server_revision: int) -> bool:
    if server_revision:
        return True
    return any(
        item.report_id == report_id and item.state not in ("queued", "superseded", "discarded")
        for item in store.outbox.items()
    )


@dataclass(frozen=True)
class _Raw:
    """One value read from the file, with its place."""

    sheet: str
    ref: str
    code: str
    disagg: str
    value: Any
    code_ref: str = ""
    formula: bool = False  # a formula cell without a saved result (value None)


# -- opening ---------------------------------------------------------------------------------------
def open_workbook(path: Path | str) -> Workbook:
    """Open an .xlsx safely (zip checks first) with cached values, not formulas.

    Raises:
        NotAnXlsx: a renamed text/CSV file, an old .xls, a zip that is not a workbook, a damaged workbook.
        BadFile: missing, unreadable, truncated, unsafe.
    """
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except FileNotFoundError as exc:
        raise BadFile(path, "không tìm thấy tệp.", "the file does not exist.") from exc
    except IsADirectoryError as exc:
        raise BadFile(path, "đây là một thư mục, không phải tệp.", "it is a folder, not a file.") from exc
    except OSError as exc:
        raise BadFile(path, "không đọc được tệp.", "the file cannot be read.") from exc
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise NotAnXlsx(
            path,
            "đây là tệp Excel kiểu cũ (.xls) hoặc tệp có đặt mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu "
            "và lưu lại dưới dạng “Excel Workbook (.xlsx)”.",
            "it is an old-style Excel file (.xls) or a password-protected one. Open it in Excel, remove "
            "the password and save it as “Excel Workbook (.xlsx)”.",
        )
    if not head.startswith(b"PK\x03\x04"):
        raise NotAnXlsx(
            path,
            "đây không phải tệp Excel .xlsx (có thể là tệp văn bản hoặc CSV bị đổi tên).",
            "it is not an Excel .xlsx workbook (it may be a text or CSV file that was renamed).",
        )
    _check_size(path)
    with SafeZip(path, LIMITS) as zf:
        if not (zf.has("[Content_Types].xml") and zf.has("xl/workbook.xml")):
            raise NotAnXlsx(
                path, "tệp nén này không phải là sổ tính Excel.", "this zip file is not an Excel workbook."
            )
    _check_declared_rows(path)
    return _load(path, data_only=True)


def _load(path: Path, data_only: bool) -> Workbook:
    """The workbook, streamed (``read_only``); a damaged one is :class:`NotAnXlsx`."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings(), open(path, "rb") as fh:
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            # A file object: openpyxl would otherwise insist on the name ending in .xlsx. read_only reads
            # the sheets lazily, row by row, from the zip (the file object stays open until wb.close()).
            return load_workbook(io.BytesIO(fh.read()), data_only=data_only, read_only=True)
    except (InvalidFileException, *_READ_ERRORS) as exc:
        raise _damaged(path) from exc


def _damaged(path: Path) -> NotAnXlsx:
    return NotAnXlsx(
        path, "sổ tính Excel bị hỏng, không đọc được.", "the Excel workbook is damaged and cannot be read."
    )


def _check_size(path: Path) -> None:
    """Refuse a file too large to be a form of DTTS before reading it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BadFile(path, "không đọc được tệp.", "the file cannot be read.") from exc
    if size > MAX_FILE_BYTES:
        raise BadFile(
            path,
            f"tệp quá lớn ({human_size(size)}; một biểu DTTS nhỏ hơn nhiều, tối đa {human_size(MAX_FILE_BYTES)}). "
            "Hãy kiểm tra đã chọn đúng tệp, hoặc xoá các trang và dòng thừa rồi lưu lại.",
            f"the file is too large ({human_size(size)}; a DTTS form is far smaller, at most "
            f"{human_size(MAX_FILE_BYTES)}). Check that it is the right file, or delete the extra sheets and "
            "rows and save it again.",
        )


def _vi_number(n: int) -> str:
    """1000000 → "1.000.000" (Vietnamese grouping)."""
    return f"{n:,}".replace(",", ".")


def _too_many_rows(path: Path, rows: int, limit: int) -> BadFile:
    return BadFile(
        path,
        f"một trang tính có tới {_vi_number(rows)} dòng, nhiều hơn số ô của biểu (tối đa {_vi_number(limit)} "
        "dòng). Hãy xoá các dòng thừa (hoặc chọn đúng tệp) rồi lưu lại.",
        f"a sheet has {rows:,} rows, more than the form has cells (at most {limit:,} rows). Delete the extra "
        "rows (or choose the right file) and save it again.",
    )


def _check_declared_rows(path: Path) -> None:
    """Refuse a sheet whose declared size is beyond Excel's limit or any form's, before parsing it.

    Each worksheet part starts with ``<dimension ref="A1:D14"/>``: only its first bytes are read.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                with zf.open(name) as fh:
                    head = fh.read(4096)
                m = _DIMENSION_RE.search(head)
                if m is None:
                    # no declared size: openpyxl would parse the whole sheet to find one; count its rows
                    # first with a plain byte scan (far cheaper), and refuse a huge one here
                    rows = _count_rows(zf, name)
                    if rows > MAX_DECLARED_ROWS:
                        raise _too_many_rows(path, rows, MAX_DECLARED_ROWS)
                    continue
                rows = max(int(m.group(2)), int(m.group(4) or 0))
                if rows > EXCEL_MAX_ROW:
                    raise BadFile(
                        path,
                        f"một trang tính ghi tới dòng {_vi_number(rows)}, vượt quá giới hạn của Excel (1.048.576 dòng): tệp không do Excel tạo ra hoặc bị "
                        "hỏng. Hãy mở bằng Excel rồi lưu lại, hoặc xuất lại biểu từ DTTS.",
                        f"a sheet reaches row {rows:,}, beyond Excel's limit (1,048,576 rows): the file was not "
                        "made by Excel or is damaged. Open it in Excel and save it again, or export the form "
                        "from DTTS again.",
                    )
                if rows > MAX_DECLARED_ROWS:
                    raise _too_many_rows(path, rows, MAX_DECLARED_ROWS)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise _damaged(path) from exc


_ROW_TAG_RE = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _count_rows(zf: zipfile.ZipFile, name: str) -> int:
    """How many ``<row>`` elements a worksheet part holds (a streamed byte scan, no XML parsing)."""
    count = 0
    carry = b""
    with zf.open(name) as fh:
        while chunk := fh.read(1 << 20):
            buf = carry + chunk
            cut = buf.rfind(b"<")  # a tag cut by the chunk's end is counted with the next chunk
            if cut < 0:
                carry = b""
                count += len(_ROW_TAG_RE.findall(buf))
                continue
            count += len(_ROW_TAG_RE.findall(buf, 0, cut))
            carry = buf[cut:]
            if count > MAX_DECLARED_ROWS:
                break
    return count + len(_ROW_TAG_RE.findall(carry))


def _form_cells(catalog: Catalog, form: str) -> int:
    """How many value cells the form can have (every indicator × its disaggregation options)."""
    total = 0
    for ind in catalog.form_indicators(form):
        n = 1
        for dim in catalog.dimensions_of(ind.code):
            n *= max(len(catalog.options_for(dim)), 1)
        total += n
    return total


_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,  # damaged deflate data inside the zip
    ElementTree.ParseError,  # a damaged or foreign XML part
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    OSError,
    EOFError,
)



# -- reading the two kinds of workbook -------------------------------------------------------------
def _read_meta_header(wb: Workbook, path: Path) -> tuple[dict[str, Any], Iterator[tuple]]:
    """The ``_dtts`` sheet's header (form, unit, period …) and the row iterator, left at the cell map."""
    rows = wb[META_SHEET].iter_rows(values_only=True)
    meta: dict[str, Any] = {}
    in_map = False
    for n, row in enumerate(rows, start=1):
        if n > META_HEADER_ROWS:
            break
        cells = list(row) + [None] * 5
        if tuple(cells[:5]) == MAP_HEADER:
            in_map = True
            break
        if cells[0] is not None:
            meta[str(cells[0])] = cells[1]
    if meta.get("kind") != KIND or not in_map:
        raise _damaged_meta(path)
    version = meta.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise _damaged_meta(path)
    if version > FORMAT_VERSION:
        raise NewerFormat(path, version, FORMAT_VERSION)
    for name in ("form", "unit", "period"):
        if not meta.get(name):
            raise _damaged_meta(path)
        meta[name] = str(meta[name])
    return meta, rows


def _ref_tuple(ref: str) -> tuple[int, int] | None:
    """"D14" → (14, 4); None when it is not a cell reference within Excel's limits."""
    from openpyxl.utils import column_index_from_string

    m = _REF_RE.fullmatch(ref)
    if m is None:
        return None
    row, col = int(m.group(2)), column_index_from_string(m.group(1))
    if row > EXCEL_MAX_ROW or col > 16384:
        return None
    return row, col


def _read_meta_map(wb: Workbook, path: Path, rows: Iterator[tuple], cap: int) -> list[_Raw]:
    """The cells the map names, with their values, reading no more map rows than the form has cells.

    Each sheet is streamed once, down to the last row the map names (the form's last meaningful row).
    """
    entries: list[tuple[str, str, str, str, int, int]] = []
    blank = 0
    for row in rows:
        cells = list(row) + [None] * 5
        if cells[0] is None:
            blank += 1
            if blank > ROW_MARGIN:
                break
            continue
        blank = 0
        if len(entries) >= cap:
            raise _too_many_rows(path, len(entries) + 1, cap)
        sheet, ref, code, key = (str(c) if c is not None else "" for c in cells[:4])
        where = _ref_tuple(ref)
        if sheet not in wb.sheetnames or where is None:
            raise _damaged_meta(path)
        entries.append((sheet, ref, code, key, *where))
    wanted: dict[str, dict[tuple[int, int], Any]] = {}
    for sheet, _, _, _, r, c in entries:
        wanted.setdefault(sheet, {})[(r, c)] = None
    for sheet, cells in wanted.items():
        _fill(wb[sheet], cells)
    return [_Raw(sheet, ref, code, key, wanted[sheet][(r, c)]) for sheet, ref, code, key, r, c in entries]


def _fill(ws: Any, cells: dict[tuple[int, int], Any]) -> None:
    """Put the values of ``cells`` ((row, col) → value) from one streamed pass over ``ws``."""
    by_row: dict[int, list[int]] = {}
    for r, c in cells:
        by_row.setdefault(r, []).append(c)
    last_row, last_col = max(by_row), max(c for _, c in cells)
    for n, row in enumerate(ws.iter_rows(min_row=1, max_row=last_row, max_col=last_col, values_only=True), 1):
        for c in by_row.get(n, ()):
            cells[(n, c)] = row[c - 1] if c - 1 < len(row) else None


def _damaged_meta(path: Path) -> BadFile:
    return BadFile(
        path,
        f"trang ẩn “{META_SHEET}” của tệp bị hỏng. Hãy xuất lại biểu từ DTTS, hoặc nhập dưới dạng bảng "
        "có các cột mã, phân tổ, giá trị.",
        f"its hidden sheet “{META_SHEET}” is damaged. Export the form from DTTS again, or import a plain "
        "table with the columns code, disaggregation, value.",
    )


def _header_columns(row: tuple) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        if not isinstance(cell, str):
            continue
        name = refdata.fold(cell)
        for role, names in (("code", CODE_NAMES), ("disagg", DISAGG_NAMES), ("value", VALUE_NAMES)):
            if name in names and role not in found:
                found[role] = i
    return found if "code" in found and "value" in found else None


def _read_table(wb: Workbook, path: Path, cap: int) -> list[_Raw]:
    """The rows of the first visible sheet with a code/value header; no more than ``cap`` value rows."""
    from openpyxl.utils import get_column_letter

    for ws in wb.worksheets:
        if getattr(ws, "sheet_state", "visible") != "visible":
            continue
        declared = getattr(ws, "max_row", None)  # from the sheet's <dimension>, which may be wrong
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # read every row that is there, not only the declared ones
        rows = ws.iter_rows(values_only=True)
        header = None
        for n, row in enumerate(rows, start=1):
            if n > HEADER_SEARCH_ROWS:
                break
            header = _header_columns(row)
            if header:
                header_row = n
                break
        if not header:
            continue
        limit = header_row + cap + ROW_MARGIN
        if isinstance(declared, int) and declared > limit:
            raise _too_many_rows(path, declared, limit)
        raws = []
        width = max(header.values()) + 1
        blank = 0
        # the same iterator, past the header: the sheet is read once
        for n, row in enumerate(rows, start=header_row + 1):
            cells = list(row[:width]) + [None] * width
            code_raw = cells[header["code"]]
            value = cells[header["value"]]
            key_raw = cells[header["disagg"]] if "disagg" in header else None
            if code_raw is None and value is None and key_raw is None:
                blank += 1
                if blank > ROW_MARGIN:  # the form's last meaningful row is long past
                    break
                continue
            blank = 0
            if len(raws) >= cap + ROW_MARGIN:  # repeated cells and notes are tolerated, not a million rows
                raise _too_many_rows(path, n, limit)
            if (
                isinstance(code_raw, (int, float))
                and not isinstance(code_raw, bool)
                and float(code_raw).is_integer()
            ):
                code = str(int(code_raw)).zfill(4)  # Excel turned "0101" into 101
            else:
                code = "" if code_raw is None else str(code_raw).strip()
            raws.append(
                _Raw(
                    ws.title,
                    f"{get_column_letter(header['value'] + 1)}{n}",
                    code,
                    "" if key_raw is None else str(key_raw).strip(),
                    value,
                    code_ref=f"{get_column_letter(header['code'] + 1)}{n}",
                )
            )
        return raws
    raise BadFile(
        path,
        "không thấy biểu DTTS hay bảng có dòng tiêu đề gồm các cột “mã” và “giá trị” (và “phân tổ” nếu có).",
        "it is neither a DTTS form nor a table with a header row holding the columns “code” and “value” "
        "(and “disaggregation” when needed).",
    )


def _mark_formulas(path: Path, raws: list[_Raw]) -> list[_Raw]:
    """Mark the empty-looking cells that hold a formula without a saved result.

    The workbook read for values (``data_only``) shows such a cell as empty; a second streamed read, of
    the formulas, tells them apart. Only the sheets and rows of empty-looking cells are read.
    """
    empty = [i for i, r in enumerate(raws) if r.value is None and _ref_tuple(r.ref) is not None]
    if not empty:
        return raws
    wanted: dict[str, dict[tuple[int, int], Any]] = {}
    for i in empty:
        wanted.setdefault(raws[i].sheet, {})[_ref_tuple(raws[i].ref)] = None  # type: ignore[index]
    wb = _load(path, data_only=False)
    try:
        for sheet, cells in wanted.items():
            if sheet in wb.sheetnames:
                _fill(wb[sheet], cells)
    finally:
        wb.close()
    out = list(raws)
    for i in empty:
        r = raws[i]
        formula = wanted.get(r.sheet, {}).get(_ref_tuple(r.ref))  # type: ignore[arg-type]
        formula = getattr(formula, "text", formula)  # an array formula
        if isinstance(formula, str) and formula.startswith("="):
            out[i] = dataclasses.replace(r, formula=True)
    return out


# -- checking the cells ----------------------------------------------------------------------------
def _where(raw: _Raw, ref: str | None = None) -> tuple[str, str]:
    r = ref or raw.ref
    return f"Sheet {raw.sheet}, ô {r}", f"Sheet {raw.sheet}, cell {r}"


def _canonical(value: Any, value_type: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, (datetime, date, time)):
        raise ValueInputError(
            f"“{value}” là ngày giờ, không phải là số liệu.", f"“{value}” is a date or time, not a value."
        )
    if isinstance(value, bool):
        if value_type != "yes_no":
            raise ValueInputError(f"“{value}” không phải là số.", f"“{value}” is not a number.")
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        if value_type == "text":
            return values.parse_input(values.canonical_of(value, "decimal"), "text")
        return values.canonical_of(value, value_type)
    text = str(value)
    if value_type in values.NUMERIC_TYPES and text.strip().startswith("="):
        raise ValueInputError(
            f"“{text.strip()[:40]}” là công thức chưa có kết quả; hãy dán giá trị (Paste Values).",
            f"“{text.strip()[:40]}” is a formula without a result; paste the values instead.",
        )
    return values.parse_input(text, value_type)


def _check_cell(catalog: Catalog, form_codes: set[str], code: str, key: str) -> tuple[str, str] | None:
    """Why (code, key) is not a cell of the form, or None."""
    if code not in form_codes:
        return (f"chỉ tiêu “{code}” không có trong biểu này.", f"indicator “{code}” is not on this form.")
    try:
        mapping = disagg_keys.parse_key(key)
    except IdentifierError as exc:
        return (exc.message_vi, exc.message_en)
    dims = set(catalog.dimensions_of(code))
    if set(mapping) != dims:
        want = ", ".join(sorted(dims)) or "không phân tổ"
        want_en = ", ".join(sorted(dims)) or "none"
        return (
            f"chỉ tiêu {code} phân tổ theo: {want} (ô ghi “{key}”).",
            f"indicator {code} is broken down by: {want_en} (the cell says “{key}”).",
        )
    for dim, opt in mapping.items():
        if opt not in {o.code for o in catalog.options_for(dim)}:
            return (f"“{dim}={opt}” không phải lựa chọn hợp lệ.", f"“{dim}={opt}” is not a valid option.")
    return indicator_options.refusal(catalog, code, mapping)


def parse_cells(
    catalog: Catalog, form_code: str, raws: list[_Raw]
) -> tuple[list[tuple[str, str, str]], int, list[tuple[str, str]]]:
    """Check every value read: (items, empty count, problems), problems naming sheet and cell."""
    form_codes = {i.code for i in catalog.form_indicators(form_code)}
    items: dict[tuple[str, str], tuple[str, _Raw]] = {}
    problems: list[tuple[str, str]] = []
    empty = 0
    for raw in raws:
        where_vi, where_en = _where(raw, raw.code_ref or raw.ref)
        if not raw.code:
            if raw.value is not None:
                problems.append(
                    (f"{where_vi}: thiếu mã chỉ tiêu.", f"{where_en}: the indicator code is missing.")
                )
            continue
        try:
            key = disagg_keys.normalize_key(raw.disagg) if raw.disagg else ""
        except IdentifierError as exc:
            problems.append((f"{where_vi}: {exc.message_vi}", f"{where_en}: {exc.message_en}"))
            continue
        why = _check_cell(catalog, form_codes, raw.code, key)
        if why is not None:
            problems.append((f"{where_vi}: {why[0]}", f"{where_en}: {why[1]}"))
            continue
        where_vi, where_en = _where(raw)
        if raw.formula:
            problems.append(
                (
                    f"{where_vi}: ô có công thức chưa tính: mở tệp bằng Excel rồi lưu lại.",
                    f"{where_en}: the cell holds a formula that was never calculated: open the file in "
                    "Excel and save it again.",
                )
            )
            continue
        indicator = catalog.indicator(raw.code)
        try:
            canonical = _canonical(raw.value, indicator.value_type)
            # exactly the checks of typing the value (values set, the grid): type, minimum, maximum
            failed = values.check_value(indicator, canonical, key) if canonical is not None else []
            if failed:
                raise ValueInputError(failed[0].message_vi, failed[0].message_en)
        except ValueInputError as exc:
            problems.append((f"{where_vi}: {exc.message_vi}", f"{where_en}: {exc.message_en}"))
            continue
        if canonical is None:
            empty += 1
            continue
        cell = (raw.code, key)
        if cell in items and items[cell][0] != canonical:
            first = items[cell][1]
            problems.append(
                (
                    f"{where_vi}: ô {raw.code}@{key} đã có giá trị khác ở {first.sheet}!{first.ref}.",
                    f"{where_en}: cell {raw.code}@{key} already has another value at {first.sheet}!{first.ref}.",
                )
            )
            continue
        items[cell] = (canonical, raw)
    return [(c, k, v) for (c, k), (v, _) in items.items()], empty, problems


# -- the import ------------------------------------------------------------------------------------
def _who(store: Store) -> str:
    name = store.settings.profile().username
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "officer"


def _target(store: Store, unit: str, form: str, period: str) -> tuple[Any, Catalog]:
    """The report (None when new) and the catalogue its values are checked against."""
    report = store.reports.report(unit, form, period)
    catalog = (
        store.catalogs.catalog_version(report.catalog_id, report.catalog_version)
        if report and report.catalog_id
        else store.catalogs.current_catalog()
    )
    if catalog is None:
        raise MissingArgument(
            "Chưa có danh mục chỉ tiêu; hãy đồng bộ hoặc nạp danh mục trước.",
            "No indicator catalogue yet; sync or load one first.",
        )
    if not catalog.has_form(form):
        raise MissingArgument(f"Không có biểu “{form}” trong danh mục.", f"There is no form “{form}” in the catalogue.")
    return report, catalog


def import_values(
    store: Store,
    path: Path | str,
    form: str | None = None,
    period: str | None = None,
    unit: str | None = None,
    confirm: bool = False,
    *,
    who: str | None = None,
    confirm_changes: bool | Sequence[CellChange] | None = None,
) -> ImportReport:
    """Import the values of an Excel file into a report's draft, all or nothing.

    Args:
        store: the open profile.
        path: the ``.xlsx`` file (a DTTS form layout or a plain long table).
        form / period: the target report; default from the file (needed for a plain table).
        unit: the target commune; default the profile's.
        confirm: the officer confirmed importing a file of another form, commune or period.
        who: the name kept in the change log (default: the profile's user).
        confirm_changes: for a finalized report (which the import turns back into a draft): the changes
            the officer saw and confirmed (the import goes ahead only when they are exactly the changes
            it would make), or True to accept any (the command line's ``--yes``).

    Returns:
        What was imported (``changed`` may be 0 when the file holds the same values).

    Raises:
        NotAnXlsx, BadFile: the file cannot be read; nothing changed.
        WrongReport: another form/commune/period without ``confirm``; nothing changed.
        ReopensReport: the report is finalized and the changes were not confirmed (``.changes``); nothing
            changed.
        MissingArgument: no commune, or a plain table without form/period.
        ImportRefused: some cells were refused (each with sheet and cell); nothing was imported.
    """
    path = Path(path)
    wb = open_workbook(path)
    try:
        target_unit = unit or store.settings.profile().unit
        if not target_unit:
            raise MissingArgument(
                "Hồ sơ chưa gắn với xã nào; hãy ghi rõ mã xã (--unit).",
                "The profile has no commune yet; give the commune code (--unit).",
            )
        differences: list[tuple[str, str, str]] = []
        try:
            if META_SHEET in wb.sheetnames:
                mode = "layout"
                meta, rows = _read_meta_header(wb, path)
                t_form, t_period = form or meta["form"], period or meta["period"]
                for name, want in (("form", t_form), ("unit", target_unit), ("period", t_period)):
                    if meta[name] != want:
                        differences.append((name, meta[name], want))
                if differences and not confirm:
                    raise WrongReport(differences)
                report, catalog = _target(store, target_unit, t_form, t_period)
                raws = _read_meta_map(wb, path, rows, _form_cells(catalog, t_form))
            else:
                mode = "table"
                if not form or not period:
                    raise MissingArgument(
                        "Tệp là một bảng thường (không phải biểu xuất từ DTTS): hãy chọn biểu và kỳ báo cáo "
                        "(dòng lệnh: --form và --period).",
                        "The file is a plain table (not a form exported by DTTS): choose the form and the "
                        "period (command line: --form and --period).",
                    )
                t_form, t_period = form, period
                report, catalog = _target(store, target_unit, t_form, t_period)
                raws = _read_table(wb, path, _form_cells(catalog, t_form))
        except _READ_ERRORS as exc:  # read_only parses lazily: a damaged part shows up while reading
            raise _damaged(path) from exc
    finally:
        wb.close()
    try:
        raws = _mark_formulas(path, raws)
    except _READ_ERRORS as exc:
        raise _damaged(path) from exc
    periods.check_period_for_form(t_period, catalog.form(t_form).period_type)
    items, empty, problems = parse_cells(catalog, t_form, raws)
    if problems:
        raise ImportRefused(path, problems)
    result = ImportReport(
        path=path,
        mode=mode,
        unit=target_unit,
        form=t_form,
        period=t_period,
        read=len(items),
        empty=empty,
        differences=differences,
    )
    current = store.reports.cells(report.id) if report else {}
    to_write = [(c, k, v) for c, k, v in items if current.get((c, k)) != v]
    result.unchanged = len(items) - len(to_write)
    if report is not None:
        result.report_id = report.id
    if not to_write:
        return result
    if report is not None and report.state == "finalized" and confirm_changes is not True:
        changes = [describe_change(catalog, c, k, current.get((c, k)), v) for c, k, v in to_write]
        if not confirm_changes or list(confirm_changes) != changes:
            sent = _was_sent(store, report.id, report.server_revision)
            raise ReopensReport(target_unit, t_form, t_period, sent, changes)
    if store.has_data():
        result.safety_copy = auto_backup(store, "import").path
    if report is None:
        report = store.reports.report(target_unit, t_form, t_period, create=True)
        result.report_id = report.id
    if catalog.form(t_form).eth_options == "present":
        rows = store.reports.eth_rows(report.id)
        new = []
        for _, key, _ in to_write:
            eth = disagg_keys.parse_key(key).get("eth") if key else None
            if eth and eth not in rows and eth not in new:
                new.append(eth)
        if new:
            store.reports.set_eth_rows(report.id, rows + new)
            result.eth_rows_added = new
    result.reopened = report.state == "finalized"
    try:
        result.changed = store.reports.set_cells(report.id, to_write, who or _who(store), kind="import")
    except DttsError as exc:  # the store refused a value our checks let through: still nothing written
        raise ImportRefused(path, [(exc.message_vi, exc.message_en)]) from exc
    result.problems = store.reports.check(report.id)
    logger.info(
        "imported %d value(s) from %s into %s/%s/%s", result.changed, path, target_unit, t_form, t_period
    )
    return result
