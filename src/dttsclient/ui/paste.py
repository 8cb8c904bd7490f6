"""Copy and paste between the entry grid and a spreadsheet (tab- and newline-separated text).

Pasting a block (what Excel puts on the clipboard) starting at the current cell:

* block rows go to the rows below the current cell *of the same indicator* (a block started on an
  undisaggregated indicator runs down the undisaggregated indicators that follow it); block columns go
  to the input columns to the right (computed totals are skipped);
* **blank cells in the block are skipped: they never clear a value already in the grid** (a block
  copied from a sheet with holes must not wipe what was typed; use Delete to clear cells);
* a text that is not a value of its cell's type is refused and named in the message, and the rest of the
  block is still written; values falling outside the table are counted and not written;
* on a table of ethnic groups, a block row that starts with a group's name ("Tày<TAB>120") goes to that
  group's row; a row of a group the indicator excludes (the catalogue's ``options`` column, e.g. Kinh
  for the minority population) or not added to the report is refused with a message naming it;
* the whole paste is one transaction and one undo step.
"""

from __future__ import annotations

import functools
import logging
import unicodedata
from dataclasses import dataclass, field

from dttsclient.ui.grid_model import Change, GridModel
from dttscore.errors import ValueInputError
from dttscore.indicator_options import allows

logger = logging.getLogger(__name__)


@dataclass
class PastePlan:
    """What a paste will do.

    Attributes:
        changes: the values to write (code, disagg, canonical).
        cells: the (row, column) of each change, in the same order.
        refused: (row, column, text, message) of each text that is not a value of its cell.
        blanks: how many blank cells of the block were skipped.
        outside: how many non-blank values fell outside the table.
    """

    changes: list[Change] = field(default_factory=list)
    cells: list[tuple[int, int]] = field(default_factory=list)
    refused: list[tuple[int, int, str, str]] = field(default_factory=list)
    blanks: int = 0
    outside: int = 0


def split_block(text: str) -> list[list[str]]:
    """Rows of cells of clipboard text: rows split on newlines (the trailing one dropped), cells on tabs.

    A cell quoted by Excel because it holds a tab or newline ("a\\tb") keeps its content unquoted.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    rows: list[list[str]] = []
    cell, row, quoted, i = [], [], False, 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"' and text[i + 1 : i + 2] == '"':
                cell.append('"')
                i += 1
            elif ch == '"':
                quoted = False
            else:
                cell.append(ch)
        elif ch == '"' and not cell:
            quoted = True
        elif ch == "\t":
            row.append("".join(cell))
            cell = []
        elif ch == "\n":
            row.append("".join(cell))
            rows.append(row)
            cell, row = [], []
        else:
            cell.append(ch)
        i += 1
    row.append("".join(cell))
    rows.append(row)
    return rows


def target_rows(model: GridModel, r: int) -> list[int]:
    """The rows a block pasted at row ``r`` fills, top to bottom."""
    kind = model.row(r).kind
    if kind == "data":
        block = model.block_at(r)
        assert block is not None
        return [x for x in block.data_rows if x >= r]
    rows = []
    for x in range(r, model.rowCount()):
        k = model.row(x).kind
        if k == "single":
            rows.append(x)
        elif k != "group":
            break
    return rows


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


@functools.cache
def _eth_names() -> dict[str, tuple[str, str]]:
    """Ethnic group names (Vietnamese and without diacritics, folded) → (code, Vietnamese name)."""
    from dttscore import refdata  # local: read only when a labelled block is pasted

    out: dict[str, tuple[str, str]] = {}
    for o in refdata.default_options("eth"):
        for name in (o.name_vi, o.name_en):
            if name:
                out.setdefault(_norm(name), (o.code, o.name_vi))
    return out


def _labelled_row(
    model: GridModel, r: int, c: int, values: list[str], plan: PastePlan
) -> tuple[bool, int | None]:
    """A block row that starts with an ethnic group's name ("Tày<TAB>120") pasted on an ethnic table.

    Returns (labelled, row): ``labelled`` when the first cell names a group (it is then not a value), and
    the grid row of that group, or None when the indicator has no such row — then the refusal is in
    ``plan.refused`` at the cell the paste started from: a group the catalogue excludes for this
    indicator (``options`` column) or one not added to the report.
    """
    block = model.block_at(r) if model.row(r).kind == "data" else None
    if block is None or len(values) < 2 or not model.row(r).option.startswith("eth="):
        return False, None
    found = _eth_names().get(_norm(values[0]))
    if found is None:
        return False, None
    code, name = found
    for x in block.data_rows:
        if model.row(x).option == f"eth={code}":
            return True, x
    ind = block.indicator
    if not allows(ind, "eth", code):
        vi = (
            f"Dòng “{values[0]}”: chỉ tiêu {ind.code} không có dòng dân tộc {name} (danh mục loại trừ); "
            "các số của dòng này không được dán."
        )
        en = (
            f"Row “{values[0]}”: indicator {ind.code} has no row for {name} (the catalogue excludes it); "
            "the values of this row were not pasted."
        )
    else:
        vi = f"Dòng “{values[0]}”: biểu chưa có dòng dân tộc {name}; thêm dân tộc (Ctrl+D) rồi dán lại."
        en = f"Row “{values[0]}”: the form has no row for {name} yet; add the group (Ctrl+D) and paste again."
    plan.refused.append((r, c, values[0], en if model.lang == "en" else vi))
    return True, None


def plan_paste(model: GridModel, r: int, c: int, text: str) -> PastePlan:
    """Map a clipboard block onto the grid from the input cell (r, c); see the module docstring."""
    plan = PastePlan()
    rows = target_rows(model, r)
    for i, values in enumerate(split_block(text)):
        row = rows[i] if i < len(rows) else None
        labelled, labelled_row = _labelled_row(model, r, c, values, plan)
        if labelled:
            values = values[1:]
            if labelled_row is None:
                continue
            row = labelled_row
        cols = [] if row is None else [cc for cc in range(c, model.columnCount()) if model.is_input(row, cc)]
        if row is not None and model.row(row).kind == "single":
            cols = [cc for cc in range(1, model.columnCount()) if model.is_input(row, cc)]
        for j, raw in enumerate(values):
            if not raw.strip():
                plan.blanks += 1
                continue
            if row is None or j >= len(cols):
                plan.outside += 1
                continue
            col = cols[j]
            key = model.cell_key(row, col)
            assert key is not None
            try:
                canonical = model.parse(row, col, raw)
            except ValueInputError as exc:
                plan.refused.append((row, col, raw, exc.text(model.lang)))
                continue
            plan.changes.append((key[0], key[1], canonical))
            plan.cells.append((row, col))
    return plan


def copy_text(model: GridModel, cells: list[tuple[int, int]]) -> str:
    """The selected cells as tab/newline text (the bounding rectangle; unselected cells are blank)."""
    if not cells:
        return ""
    chosen = set(cells)
    top, bottom = min(r for r, _ in cells), max(r for r, _ in cells)
    left, right = min(c for _, c in cells), max(c for _, c in cells)
    lines = []
    for r in range(top, bottom + 1):
        parts = []
        for c in range(left, right + 1):
            text = model.index(r, c).data() if (r, c) in chosen else ""
            parts.append(str(text or "").replace("\t", " ").replace("\n", " "))
        lines.append("\t".join(parts))
    return "\n".join(lines) + "\n"
