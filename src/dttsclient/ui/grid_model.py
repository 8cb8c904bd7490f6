"""The table model of the entry page: every cell of one report's form in one tall grid.

The model is fed with data (the layout, the values, comments and problems) and never touches the
database: an edit goes to the ``writer`` callback it was given (the form view writes the store, pushes
the undo command and calls :meth:`GridModel.apply_values` back).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPixmap, QPolygon

from dttsclient.ui.grid_layout import Block, FormLayout, Place, Row, locate
from dttscore.errors import ValueInputError
from dttscore.periods import period_label
from dttscore.problems import Problem
from dttscore.values import format_decimal, format_value, parse_input, to_decimal

logger = logging.getLogger(__name__)

CellKey = tuple[str, str]
Change = tuple[str, str, str | None]  # (code, disagg, canonical value or None)
Writer = Callable[[list[Change]], bool]

KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # (code, disagg) of an input cell, else None
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # the row kind: "group", "title", "data" …
SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 3  # "error" | "warning" | "missing" | "" for the cell or message
COMMENT_ROLE = Qt.ItemDataRole.UserRole + 4  # the cell's comment text or ""
VALUE_TYPE_ROLE = Qt.ItemDataRole.UserRole + 5  # the indicator's value type for input cells

_Index = QModelIndex | QPersistentModelIndex
_INPUT_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
_READ_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_SEVERITY_RANK = {"error": 2, "warning": 1}


def worst(problems: Iterable[Problem]) -> str:
    """ "error" when any problem is an error, "warning" when any is a warning, "missing" when a required
    indicator is only not entered yet, else ""."""
    best = ""
    for p in problems:
        if p.severity == "error":
            return "error"
        if p.severity == "warning":
            best = "warning"
        elif p.severity == "missing" and not best:
            best = "missing"
    return best


class _Palette:
    """The brushes and fonts of the grid, made once per model (calm, high-contrast, few colours)."""

    def __init__(self) -> None:
        self.group_bg = QBrush(QColor("#E6EDF3"))
        self.group_fg = QBrush(QColor("#1F3A56"))
        self.title_bg = QBrush(QColor("#F6F8FA"))
        self.head_fg = QBrush(QColor("#5B6770"))
        self.total_bg = QBrush(QColor("#EDF0F3"))
        self.label_bg = QBrush(QColor("#F4F6F8"))  # labels and unused cells: only input cells are white
        self.note_fg = QBrush(QColor("#6B7780"))
        self.carried_bg = QBrush(QColor("#E3EEFA"))  # copied from last period, not yet confirmed
        self.bg = {"error": QBrush(QColor("#FBE3E1")), "warning": QBrush(QColor("#FFF2D6"))}
        # "missing" (a required indicator not entered yet) is neutral: grey text, no coloured cell
        self.fg = {
            "error": QBrush(QColor("#A4261D")),
            "warning": QBrush(QColor("#7A5200")),
            "missing": QBrush(QColor("#6B7780")),
        }
        self.bold = QFont()
        self.bold.setBold(True)
        self.group_font = QFont()
        self.group_font.setBold(True)
        self.group_font.setPointSizeF(self.group_font.pointSizeF() * 1.1)
        self.italic = QFont()
        self.italic.setItalic(True)
        self._comment_mark: QPixmap | None = None

    @property
    def comment_mark(self) -> QPixmap:
        if self._comment_mark is None:  # made on first paint: a pixmap needs the running GUI
            self._comment_mark = _comment_mark()
        return self._comment_mark


def _comment_mark() -> QPixmap:
    """The small blue corner shown in a cell that has a comment."""
    pix = QPixmap(9, 9)
    pix.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#2F6FB2"))
    painter.drawPolygon(QPolygon([QPoint(0, 0), QPoint(9, 0), QPoint(0, 9)]))
    painter.end()
    return pix


class GridModel(QAbstractTableModel):
    """Every row of a form's page (see :mod:`dttsclient.ui.grid_layout`) with its values.

    Signals:
        inputRejected(int row, int column, str text, str message): typed or pasted text that is not a
            value of the cell's type; nothing was written.

    Args:
        layout: the rows of the form.
        writer: called with the changes of an edit; writes them durably and returns True, or False when
            nothing was written (the officer declined, or the store failed and said so).
        lang: "vi" or "en" (yes/no words, problem messages).
        parent: the Qt parent.
    """

    inputRejected = Signal(int, int, str, str)

    def __init__(self, layout: FormLayout, writer: Writer, lang: str = "vi", parent=None) -> None:
        super().__init__(parent)
        self._layout = layout
        self._writer = writer
        self._lang = lang
        self._values: dict[CellKey, str] = {}
        self._comments: dict[CellKey, str] = {}
        self._cell_problems: dict[tuple[int, int], list[Problem]] = {}
        self._row_problems: dict[int, list[Problem]] = {}
        self._unplaced: list[Problem] = []
        self._totals: dict[int, tuple[dict[int, Decimal | None], dict[int, Decimal | None]]] = {}
        self._pal = _Palette()
        # the earlier periods of a cell as tooltip lines (set by the form page; issue 16, ui/earlier.py)
        self.earlier_of: Callable[[CellKey], list[str]] | None = None
        self._carried: dict[CellKey, str] = {}  # cells copied from the previous period, not yet confirmed

    # -- feeding ---------------------------------------------------------------------------------
    @property
    def layout(self) -> FormLayout:
        return self._layout

    @property
    def lang(self) -> str:
        return self._lang

    def set_layout(self, layout: FormLayout) -> None:
        """Replace the rows (ethnic groups added or removed); values and comments are kept."""
        self.beginResetModel()
        self._layout = layout
        self._totals.clear()
        self._cell_problems.clear()
        self._row_problems.clear()
        self.endResetModel()

    def set_values(self, values: Mapping[CellKey, str]) -> None:
        """Replace every value (opening, reload after a sync)."""
        self._values = dict(values)
        self._totals.clear()
        self._emit_all()

    def set_comments(self, comments: Mapping[CellKey, str]) -> None:
        self._comments = {k: v for k, v in comments.items() if v}
        self._emit_all()

    def set_comment(self, key: CellKey, text: str | None) -> None:
        if text:
            self._comments[key] = text
        else:
            self._comments.pop(key, None)
        pos = self._layout.cell_pos.get(key)
        if pos:
            idx = self.index(*pos)
            self.dataChanged.emit(
                idx, idx, [COMMENT_ROLE, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.DecorationRole]
            )

    def set_carried(self, carried: Mapping[CellKey, str]) -> None:
        """Mark the cells copied from an earlier period (key → its period code) until confirmed or changed."""
        old, self._carried = self._carried, dict(carried)
        for key in set(old) ^ set(self._carried):
            pos = self._layout.cell_pos.get(key)
            if pos is not None:
                idx = self.index(*pos)
                self.dataChanged.emit(idx, idx)

    def has_values(self) -> bool:
        return bool(self._values)

    def carried(self) -> dict[CellKey, str]:
        return dict(self._carried)

    def set_problems(self, problems: Iterable[Problem], rule_refs: Mapping[str, str]) -> None:
        """Show these problems beside their cells (see :func:`~dttsclient.ui.grid_layout.locate`).

        Only the rows whose problems changed are repainted.
        """
        old_rows, old_cells = self._row_problems, self._cell_problems
        cell_problems: dict[tuple[int, int], list[Problem]] = {}
        row_problems: dict[int, list[Problem]] = {}
        self._unplaced = []
        refs = dict(rule_refs)
        for p in problems:
            place = locate(self._layout, p, refs)
            if place is None:
                self._unplaced.append(p)
                continue
            if place.is_cell:
                cell_problems.setdefault((place.row, place.column), []).append(p)
            row_problems.setdefault(place.row, []).append(p)
        self._cell_problems, self._row_problems = cell_problems, row_problems
        changed = {r for r in set(old_rows) | set(row_problems) if old_rows.get(r) != row_problems.get(r)}
        changed |= {
            r
            for (r, c) in set(old_cells) | set(cell_problems)
            if old_cells.get((r, c)) != cell_problems.get((r, c))
        }
        last = self.columnCount() - 1
        for r in sorted(changed):
            self.dataChanged.emit(self.index(r, 0), self.index(r, last))

    def apply_values(self, changes: Iterable[Change]) -> None:
        """Show values that were just written (edits, undo, redo)."""
        rows: dict[int, set[int]] = {}
        for code, disagg, value in changes:
            key = (code, disagg)
            if value is None or value == "":
                self._values.pop(key, None)
            else:
                self._values[key] = value
            pos = self._layout.cell_pos.get(key)
            if pos is None:
                continue
            block_index = self._layout.rows[pos[0]].block
            self._totals.pop(block_index, None)
            rows.setdefault(pos[0], set()).add(pos[1])
            block = self._layout.blocks[block_index]
            if block.total_col is not None:
                rows[pos[0]].add(block.total_col)
            if block.total_row is not None:
                rows.setdefault(block.total_row, set()).update(range(1, self._layout.value_cols + 1))
        for r, cols in rows.items():
            self.dataChanged.emit(self.index(r, min(cols)), self.index(r, max(cols)))

    # -- reading ---------------------------------------------------------------------------------
    def value(self, key: CellKey) -> str | None:
        return self._values.get(key)

    def values(self) -> dict[CellKey, str]:
        return dict(self._values)

    def comment(self, key: CellKey) -> str:
        return self._comments.get(key, "")

    def unplaced_problems(self) -> list[Problem]:
        """Problems of the report that name no indicator of this page."""
        return list(self._unplaced)

    def row(self, r: int) -> Row:
        return self._layout.rows[r]

    def block_at(self, r: int) -> Block | None:
        b = self._layout.rows[r].block
        return self._layout.blocks[b] if b >= 0 else None

    def cell_key(self, r: int, c: int) -> CellKey | None:
        """(code, disagg) of the input cell at (r, c), or None when it is not an input cell."""
        if r < 0 or r >= len(self._layout.rows) or c < 1:
            return None
        row = self._layout.rows[r]
        if row.kind not in ("data", "single") or c > len(row.keys):
            return None
        key = row.keys[c - 1]
        if key is None:
            return None
        return (self._layout.blocks[row.block].code, key)

    def is_input(self, r: int, c: int) -> bool:
        return self.cell_key(r, c) is not None

    def problems_at(self, r: int, c: int) -> list[Problem]:
        if c == 0 or c == self._layout.message_col:
            return list(self._row_problems.get(r, ()))
        return list(self._cell_problems.get((r, c), ()))

    def place_of(self, key: CellKey) -> Place | None:
        pos = self._layout.cell_pos.get(key)
        return Place(*pos) if pos else None

    def parse(self, r: int, c: int, text: str) -> str | None:
        """The canonical value of ``text`` for the cell at (r, c).

        Raises:
            ValueInputError: the text is not a value of the cell's type.
        """
        block = self.block_at(r)
        assert block is not None
        return parse_input(text, block.indicator.value_type)

    def display_text(self, key: CellKey) -> str:
        block = self._layout.blocks[self._layout.block_of_code[key[0]]]
        return format_value(self._values.get(key), block.indicator.value_type, self._lang)

    # -- Qt model interface ----------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._layout.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._layout.column_count

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        r, c = index.row(), index.column()
        if self.is_input(r, c):
            return _INPUT_FLAGS
        if self._layout.rows[r].kind in ("data", "single", "total"):
            return _READ_FLAGS
        return Qt.ItemFlag.ItemIsEnabled

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if section == 0:
                return self.tr("Chỉ tiêu")
            if section == self._layout.message_col:
                return self.tr("Kiểm tra")
            return str(section)
        return str(section + 1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        row = self._layout.rows[r]
        kind = row.kind
        if role == KIND_ROLE:
            return kind
        if kind == "group":
            return self._group_data(row, c, role)
        if kind in ("title", "note"):
            return self._title_data(row, kind, c, role)
        if c == self._layout.message_col:
            return self._message_data(r, role)
        if kind == "colhead":
            return self._colhead_data(row, c, role)
        if kind == "total":
            return self._total_data(r, row, c, role)
        return self._cell_data(r, row, c, role)

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Parse typed text and hand the change to the writer; a bad text emits :attr:`inputRejected`."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        r, c = index.row(), index.column()
        key = self.cell_key(r, c)
        if key is None:
            return False
        text = "" if value is None else str(value)
        try:
            canonical = self.parse(r, c, text)
        except ValueInputError as exc:
            self.inputRejected.emit(r, c, text, exc.text(self._lang))
            return False
        if canonical == self._values.get(key):
            return True
        return self._writer([(key[0], key[1], canonical)])

    # -- data by row kind ------------------------------------------------------------------------
    def _group_data(self, row: Row, c: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return row.label if c == 0 else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._pal.group_bg
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._pal.group_fg
        if role == Qt.ItemDataRole.FontRole:
            return self._pal.group_font
        return None

    def _title_data(self, row: Row, kind: str, c: int, role: int):
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.label if c == 0 else None
        if kind == "title":
            if role == Qt.ItemDataRole.FontRole:
                return self._pal.bold
            if role == Qt.ItemDataRole.BackgroundRole:
                return self._pal.title_bg
        else:
            if role == Qt.ItemDataRole.FontRole:
                return self._pal.italic
            if role == Qt.ItemDataRole.ForegroundRole:
                return self._pal.note_fg
        return None

    def _colhead_data(self, row: Row, c: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            if c == 0:
                return row.label
            return row.headers[c - 1] if c - 1 < len(row.headers) else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._pal.head_fg
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if c == 0 else _RIGHT
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._pal.title_bg
        return None

    def _message_data(self, r: int, role: int):
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._pal.label_bg
        problems = self._row_problems.get(r)
        if not problems:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if all(p.is_missing for p in problems):
                return self.tr("Chưa nhập (bắt buộc)")  # neutral and short; the tooltip says which
            first = problems[0].text(self._lang)
            more = len(problems) - 1
            return (
                first
                if not more
                else self.tr("%1 (và %2 vấn đề khác)").replace("%1", first).replace("%2", str(more))
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(p.text(self._lang) for p in problems)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._pal.fg.get(worst(problems))
        if role == SEVERITY_ROLE:
            return worst(problems)
        return None

    def _cell_data(self, r: int, row: Row, c: int, role: int):
        block = self._layout.blocks[row.block]
        if c == 0:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return row.label
            if role == Qt.ItemDataRole.BackgroundRole:
                if r in self._row_problems and not any(
                    (r, col) in self._cell_problems for col in range(1, self._layout.value_cols + 1)
                ):
                    return self._pal.bg.get(worst(self._row_problems[r]), self._pal.label_bg)
                return self._pal.label_bg
            return None
        if c == block.total_col:
            return self._computed(self._row_total(row.block, r), role)
        key = row.keys[c - 1] if c - 1 < len(row.keys) else None
        if key is None:
            return self._pal.label_bg if role == Qt.ItemDataRole.BackgroundRole else None
        ckey = (block.code, key)
        vtype = block.indicator.value_type
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return format_value(self._values.get(ckey), vtype, self._lang)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if vtype == "text" else _RIGHT
        if role == KEY_ROLE:
            return ckey
        if role == VALUE_TYPE_ROLE:
            return vtype
        if role == COMMENT_ROLE:
            return self._comments.get(ckey, "")
        if role == Qt.ItemDataRole.DecorationRole:
            return self._pal.comment_mark if ckey in self._comments else None
        problems = self._cell_problems.get((r, c))
        if role == SEVERITY_ROLE:
            return worst(problems or ())
        if role == Qt.ItemDataRole.BackgroundRole:
            if problems:
                return self._pal.bg.get(worst(problems))
            return self._pal.carried_bg if ckey in self._carried else None
        if role == Qt.ItemDataRole.FontRole:
            return self._pal.italic if ckey in self._carried else None
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [p.text(self._lang) for p in problems or ()]
            if ckey in self._carried:
                parts.append(
                    self.tr("Số lấy từ %1, chưa xác nhận: sửa số, hoặc xác nhận (Ctrl+Shift+K).").replace(
                        "%1", period_label(self._carried[ckey], self._lang)
                    )
                )
            comment = self._comments.get(ckey)
            if comment:
                parts.append(self.tr("Ghi chú: %1").replace("%1", comment))
            if self.earlier_of is not None:
                parts.extend(self.earlier_of(ckey))
            return "\n".join(parts) or None
        return None

    def _total_data(self, r: int, row: Row, c: int, role: int):
        if c == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return row.label
            if role == Qt.ItemDataRole.FontRole:
                return self._pal.bold
            if role == Qt.ItemDataRole.BackgroundRole:
                return self._pal.total_bg
            return None
        block = self._layout.blocks[row.block]
        width = len(block.col_keys) + (1 if block.total_col is not None else 0)
        if c > width:
            return self._pal.label_bg if role == Qt.ItemDataRole.BackgroundRole else None
        col_totals = self._block_totals(row.block)[1]
        value = col_totals.get(c)
        if role == Qt.ItemDataRole.FontRole:
            return self._pal.bold
        return self._computed(value, role)

    def _computed(self, value: Decimal | None, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if value is None else format_decimal(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._pal.total_bg
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Tự tính, không nhập")
        return None

    # -- totals ----------------------------------------------------------------------------------
    def _row_total(self, b: int, r: int) -> Decimal | None:
        return self._block_totals(b)[0].get(r)

    def _block_totals(self, b: int) -> tuple[dict[int, Decimal | None], dict[int, Decimal | None]]:
        cached = self._totals.get(b)
        if cached is not None:
            return cached
        block = self._layout.blocks[b]
        rows_t: dict[int, Decimal | None] = {}
        cols_t: dict[int, Decimal | None] = {}
        grand: Decimal | None = None
        for r in block.data_rows:
            row_sum: Decimal | None = None
            for c, key in enumerate(self._layout.rows[r].keys, start=1):
                raw = self._values.get((block.code, key)) if key is not None else None
                if raw is None:
                    continue
                try:
                    v = to_decimal(raw)
                except ValueInputError:
                    continue
                row_sum = v if row_sum is None else row_sum + v
                cols_t[c] = v if cols_t.get(c) is None else cols_t[c] + v
            rows_t[r] = row_sum
            if row_sum is not None:
                grand = row_sum if grand is None else grand + row_sum
        if block.total_col is not None:
            cols_t[block.total_col] = grand
        self._totals[b] = (rows_t, cols_t)
        return rows_t, cols_t

    def _emit_all(self) -> None:
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
