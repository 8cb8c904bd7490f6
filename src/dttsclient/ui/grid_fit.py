"""Rows of the entry grid as tall as their text: nothing of a label, a message or a text value is cut off.

The grid keeps one line per row (fast to lay out, easy to read) except where a text does not fit its
column: a long indicator name in the label column, a long check message in the last column, a long text
value, a title wider than the page. Those rows grow to show the text word-wrapped (up to
:data:`MAX_LINES` lines; the tooltip still has all of it). Rows are re-measured when their data changes
(a write, a recheck) and when the message column is resized (a splitter, a maximized window); the
measuring is coalesced into one pass on the next turn of the event loop.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QTableView

from dttsclient.ui.grid_model import GridModel

logger = logging.getLogger(__name__)

MAX_LINES = 4
"""A row grows to at most this many lines of text."""

_H_PADDING = 10  # the item's text margins and the grid line, left and right together
_V_PADDING = 8
_FONT_SLACK = 1.25  # how much wider than the grid's font a title's or a group's font can set a text


class RowFitter(QObject):
    """Keeps the rows of a grid view tall enough for their text (see the module docstring).

    Args:
        view: the grid (its rows' default height is the one-line height).
        row_height: the height of a one-line row.
        group_height: the height of a group title row.
    """

    def __init__(self, view: QTableView, row_height: int, group_height: int) -> None:
        super().__init__(view)
        self._view = view
        self._row_height = row_height
        self._group_height = group_height
        self._pending: set[int] | None = set()  # None: every row
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit_pending)
        self._model: GridModel | None = None
        view.setWordWrap(True)  # a grown row shows its text wrapped; one-line rows are unaffected
        view.horizontalHeader().sectionResized.connect(self._column_resized)

    def attach(self, model: GridModel) -> None:
        """Follow this model's changes (call once, after the view has it)."""
        self._model = model
        model.dataChanged.connect(self._data_changed)
        model.modelReset.connect(self.refit_all)

    def refit_all(self) -> None:
        self._pending = None
        self._timer.start()

    def _data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, _roles=()) -> None:
        if self._pending is not None:
            self._pending.update(range(top_left.row(), bottom_right.row() + 1))
        self._timer.start()

    def _column_resized(self, column: int, _old: int, _new: int) -> None:
        if self._model is not None and column != 0:
            self.refit_all()

    def fit_pending(self) -> None:
        """Measure the rows marked since the last pass (every row after a reset or a resize)."""
        model = self._model
        if model is None:
            return
        rows = range(model.rowCount()) if self._pending is None else sorted(self._pending)
        self._pending = set()
        self.fit(rows)

    def fit(self, rows) -> None:
        """Give each of these rows the height its texts need (one line when they fit)."""
        model = self._model
        assert model is not None
        view = self._view
        header = view.verticalHeader()
        layout = model.layout
        widths = [view.columnWidth(c) for c in range(model.columnCount())]
        full = sum(widths)
        message = layout.message_col
        plain = QFontMetrics(view.font())
        metrics: dict[str, QFontMetrics] = {}
        count = model.rowCount()
        for r in rows:
            if r >= count:
                continue
            row = layout.rows[r]
            base = self._group_height if row.kind == "group" else self._row_height
            need = base
            if row.kind in ("group", "title", "note"):
                cells = [(0, full)]
            else:
                cells = [(0, widths[0]), (message, widths[message])]
                if row.block >= 0 and layout.blocks[row.block].indicator.value_type == "text":
                    cells += self._text_cells(r, widths, message)
            for c, width in cells:
                if c == 0:
                    text = row.label
                elif c == message and not model.problems_at(r, message):
                    continue  # no message on this row
                else:
                    text = model.index(r, c).data()
                if not text or not isinstance(text, str):
                    continue
                room = max(20, width - _H_PADDING)
                if "\n" not in text and plain.horizontalAdvance(text) * _FONT_SLACK <= room:
                    continue  # fits on one line even in a bold or larger font (most rows: no more work)
                font = model.index(r, c).data(Qt.ItemDataRole.FontRole)
                fm = plain
                if isinstance(font, QFont):
                    key = font.key()
                    fm = metrics.get(key) or metrics.setdefault(key, QFontMetrics(font))
                if "\n" not in text and fm.horizontalAdvance(text) <= room:
                    continue
                rect = fm.boundingRect(QRect(0, 0, room, 10_000), int(Qt.TextFlag.TextWordWrap), text)
                lines = min(MAX_LINES, max(1, round(rect.height() / fm.lineSpacing())))
                need = max(need, lines * fm.lineSpacing() + _V_PADDING)
            if header.sectionSize(r) != need:
                header.resizeSection(r, need)

    def _text_cells(self, r: int, widths: list[int], message: int) -> list[tuple[int, int]]:
        """The value cells of a text indicator's row with their widths (a spanned cell is as wide as its
        span)."""
        view = self._view
        out = []
        c = 1
        while c < message:
            span = max(1, view.columnSpan(r, c))
            out.append((c, sum(widths[c : c + span])))
            c += span
        return out
