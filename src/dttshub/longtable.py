"""Reading a long table (``.csv`` or ``.xlsx``) of values from outside the reporting flow, with bounds.

The table of ``dttshub legacy import`` and ``dttshub baseline import`` (docs/province.md): a header row with
the columns ``unit, form, period, indicator, value`` plus one column per dimension (``eth``, ``sex``, …;
empty where a value is not broken down), then one row per value. The file is not trusted:

* size: at most :data:`MAX_FILE_BYTES` on disk; an ``.xlsx`` is a zip, checked by
  :class:`~dttscore.formats.safezip.SafeZip` (members, sizes, expansion ratio) before openpyxl reads it;
* shape: at most :data:`MAX_COLUMNS` columns, :data:`MAX_ROWS` rows and :data:`MAX_CELL` characters per
  cell; rows are read one at a time (openpyxl read-only mode, :mod:`csv` over the open file);
* every refusal is a :class:`TableProblem` with its row (the header is row 1, as in Excel) and column.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dttscore.errors import DttsError
from dttscore.formats.safezip import SafeZip, ZipLimits
from dttshub.errors import BadRequest

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_ROWS = 500_000
"""Data rows of one file at most (a province's years of one form fit; the checked rows of a full file take
about 250 MB)."""
MAX_COLUMNS = 32
MAX_CELL = 4000
MAX_PROBLEMS = 200
"""At most this many problems are kept (the first ones, in row order); the count says how many in all."""
REQUIRED = ("unit", "form", "period", "indicator", "value")
OPTIONAL = ("eth_system",)
"""Columns that are not dimensions: ``eth_system``, the ethnic code system of the row's ``eth``."""
_NAME_RE = re.compile(r"[a-z][a-z0-9_]{0,31}")


@dataclass(frozen=True)
class TableProblem:
    """One refusal, with its place in the file.

    Attributes:
        row: the row as Excel numbers it (the header is 1), None for the whole file.
        column: the column's name, None when not about one column.
    """

    message_vi: str
    message_en: str
    row: int | None = None
    column: str | None = None

    def text(self, lang: str = "vi") -> str:
        parts = []
        if self.row is not None:
            parts.append(("row " if lang == "en" else "dòng ") + str(self.row))
        if self.column is not None:
            parts.append(("column " if lang == "en" else "cột ") + self.column)
        msg = self.message_en if lang == "en" else self.message_vi
        return f"{', '.join(parts)}: {msg}" if parts else msg

    def to_json(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
        }


class TableRefused(BadRequest):
    """The file was refused; nothing was imported. ``problems`` lists why (the first :data:`MAX_PROBLEMS`)."""

    def __init__(self, source: str, problems: list[TableProblem], total: int | None = None) -> None:
        self.problems = problems
        self.total = total if total is not None else len(problems)
        shown_vi = "\n".join("  " + p.text("vi") for p in problems[:20])
        shown_en = "\n".join("  " + p.text("en") for p in problems[:20])
        more_vi = f"\n  … và {self.total - 20} lỗi khác" if self.total > 20 else ""
        more_en = f"\n  … and {self.total - 20} more" if self.total > 20 else ""
        super().__init__(
            "import_refused",
            f"Không nhập gì từ tệp {source}: có {self.total} lỗi. Sửa các dòng dưới đây rồi nhập lại cả tệp.\n"
            + shown_vi
            + more_vi,
            f"Nothing was imported from {source}: {self.total} problem(s). Fix the rows below and import the "
            f"whole file again.\n" + shown_en + more_en,
        )


@dataclass(frozen=True)
class Row:
    """One data row: its number in the file and its cells by column name (stripped text, "" when empty)."""

    number: int
    cells: dict[str, str]


@dataclass
class LongTable:
    """A long table whose header was read; the data rows are read one at a time by :attr:`rows`.

    Attributes:
        dimensions: the dimension columns, in file order.
        rows: the data rows (blank rows left out), an iterator read once.
        sha256: the digest of the file's bytes.
        problems: the rows refused while reading (more cells than the header, a cell too long), filled as
            :attr:`rows` is read; at most :data:`MAX_PROBLEMS` kept, ``problem_count`` counts them all.
    """

    source: str
    dimensions: tuple[str, ...]
    rows: Iterator[Row]
    sha256: str
    problems: list[TableProblem] = field(default_factory=list)
    problem_count: int = 0

    def refuse_row(self, problem: TableProblem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)


def _refuse(path: Path, vi: str, en: str) -> TableRefused:
    return TableRefused(path.name, [TableProblem(vi, en)])


def read_long_table(path: str | Path) -> LongTable:
    """The header of ``path`` (``.csv`` UTF-8, with or without BOM; or ``.xlsx``, its first sheet) and an
    iterator over its rows (memory stays flat whatever the file's length).

    Raises:
        TableRefused: the file cannot be read, is too large, or its header is wrong; later, while the rows
            are read, a file with more than :data:`MAX_ROWS` rows or a damaged one.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as err:
        raise _refuse(
            path,
            f"không đọc được tệp ({err.strerror or err}).",
            f"cannot read the file ({err.strerror or err}).",
        ) from err
    if size > MAX_FILE_BYTES:
        raise _refuse(
            path,
            f"tệp quá lớn ({size // (1024 * 1024)} MB; tối đa {MAX_FILE_BYTES // (1024 * 1024)} MB): hãy chia nhỏ.",
            f"the file is too large ({size // (1024 * 1024)} MB; at most {MAX_FILE_BYTES // (1024 * 1024)} MB): "
            "split it.",
        )
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = _csv_rows(path)
    elif suffix == ".xlsx":
        raw = _xlsx_rows(path)
    else:
        raise _refuse(
            path,
            "chỉ nhận tệp .csv (UTF-8) hoặc .xlsx.",
            "only .csv (UTF-8) or .xlsx files are taken.",
        )
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    try:
        header = next(raw, None)
        if header is None:
            raise _refuse(path, "tệp trống.", "the file is empty.")
        names = _check_header(path, header)
    except BaseException:
        raw.close()
        raise
    dims = tuple(n for n in names if n not in REQUIRED and n not in OPTIONAL)
    table = LongTable(path.name, dims, iter(()), digest.hexdigest())
    table.rows = _data_rows(path, raw, names, table)
    return table


def _data_rows(path: Path, raw: Iterator, names: list[str], table: LongTable) -> Iterator[Row]:
    """The data rows of ``raw`` after its header; refused rows go to ``table.problems``."""
    seen = 0
    try:
        for number, values in enumerate(raw, start=2):
            if len(values) > len(names) and any(_text(v) for v in values[len(names) :]):
                table.refuse_row(
                    TableProblem(
                        "dòng có nhiều ô hơn tiêu đề.", "the row has more cells than the header.", number
                    )
                )
                continue
            cells = {}
            too_long = False
            for name, value in zip(names, values, strict=False):
                text = _text(value)
                if len(text) > MAX_CELL:
                    table.refuse_row(
                        TableProblem(
                            f"ô dài quá {MAX_CELL} ký tự.",
                            f"the cell is longer than {MAX_CELL} characters.",
                            number,
                            name,
                        )
                    )
                    too_long = True
                    text = ""
                cells[name] = text
            if too_long or not any(cells.values()):
                continue  # refused, or a blank row
            seen += 1
            if seen > MAX_ROWS:
                raise _refuse(
                    path,
                    f"tệp có hơn {MAX_ROWS:,} dòng số liệu: hãy chia nhỏ.".replace(",", "."),
                    f"the file has more than {MAX_ROWS:,} data rows: split it.",
                )
            for name in names[len(values) :]:
                cells[name] = ""
            yield Row(number, cells)
    finally:
        raw.close()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _check_header(path: Path, header: tuple | list) -> list[str]:
    names = [_text(h).lower() for h in header]
    while names and not names[-1]:
        names.pop()
    if len(names) > MAX_COLUMNS:
        raise _refuse(
            path,
            f"có {len(names)} cột; tối đa {MAX_COLUMNS}.",
            f"{len(names)} columns; at most {MAX_COLUMNS}.",
        )
    problems = []
    for i, name in enumerate(names):
        if not _NAME_RE.fullmatch(name):
            problems.append(
                TableProblem(
                    f"tên cột '{name[:40]}' không hợp lệ (chữ thường không dấu, số, gạch dưới).",
                    f"column name '{name[:40]}' is not valid (lower-case ASCII letters, digits, underscore).",
                    1,
                    f"{i + 1}",
                )
            )
        elif name in names[:i]:
            problems.append(
                TableProblem(f"cột '{name}' lặp lại.", f"column '{name}' appears twice.", 1, name)
            )
    for name in REQUIRED:
        if name not in names:
            problems.append(
                TableProblem(
                    f"thiếu cột '{name}' (cần: {', '.join(REQUIRED)}, rồi một cột mỗi chiều phân tổ).",
                    f"the column '{name}' is missing (needed: {', '.join(REQUIRED)}, then one per dimension).",
                    1,
                )
            )
    if problems:
        raise TableRefused(path.name, problems)
    return names


def _csv_rows(path: Path) -> Iterator[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        try:
            yield from reader
        except UnicodeDecodeError as err:
            raise _refuse(
                path,
                "tệp CSV không phải UTF-8: trong Excel hãy lưu dạng 'CSV UTF-8'.",
                "the CSV file is not UTF-8: save it from Excel as 'CSV UTF-8'.",
            ) from err
        except csv.Error as err:
            raise _refuse(
                path,
                f"tệp CSV hỏng gần dòng {reader.line_num} ({err}).",
                f"the CSV file is damaged near line {reader.line_num} ({err}).",
            ) from err


def _xlsx_rows(path: Path) -> Iterator[tuple]:
    import openpyxl

    limits = ZipLimits(max_members=500, max_member_size=MAX_UNPACKED_BYTES, max_total_size=MAX_UNPACKED_BYTES)
    try:
        SafeZip(path, limits).close()
    except DttsError as err:
        raise _refuse(
            path,
            f"không phải bảng tính .xlsx an toàn để đọc ({err.message_vi}).",
            f"not an .xlsx workbook safe to read ({err.message_en}).",
        ) from err

    def rows() -> Iterator[tuple]:
        try:
            with warnings.catch_warnings(), open(path, "rb") as fh:
                warnings.simplefilter("ignore", UserWarning)
                book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
                try:
                    ws = book.worksheets[0]
                    ws.reset_dimensions()
                    for values in ws.iter_rows(values_only=True):
                        if len(values) > MAX_COLUMNS * 4:
                            values = values[: MAX_COLUMNS * 4]
                        yield values
                finally:
                    book.close()
        except TableRefused:
            raise
        except GeneratorExit:
            raise
        except Exception as err:  # a damaged or foreign file can fail anywhere inside openpyxl
            logger.warning("not a readable xlsx: %s (%s: %s)", path, type(err).__name__, err)
            raise _refuse(
                path,
                "không phải bảng tính Excel .xlsx hợp lệ (tệp hỏng hoặc tệp khác bị đổi tên).",
                "not a valid Excel .xlsx workbook (damaged, or another file renamed).",
            ) from err

    return rows()
