"""Copy and paste between the entry grid and a spreadsheet (tab- and newline-separated text).

Pasting a block (what Excel puts on the clipboard) starting at the current cell:

* block rows go to the rows below the current cell *of the same indicator* (a block started on an
  undisaggregated indicator runs down the undisaggregated indicators that follow it); block columns go
  to the input columns to the right (computed totals are skipped);
* **blank cells in the block are skipped: they never clear a value already in the grid** (a block
  copied from a sheet with holes must not wipe what was typed; use Delete to clear cells);
* a text that is not a value of its cell's type is refused and named in the message, and the rest of the
  block is still written; values falling outside the table are counted and not written;
* the whole paste is one transaction and one undo step.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from dttsclient.ui.grid_model import Change, GridModel
from dttscore.errors import ValueInputError

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


def plan_paste(model: GridModel, r: int, c: int, text: str) -> PastePlan:
    """Map a clipboard block onto the grid from the input cell (r, c); see the module docstring."""
    plan = PastePlan()
    rows = target_rows(model, r)
    for i, values in enumerate(split_block(text)):
        row = rows[i] if i < len(rows) else None
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
