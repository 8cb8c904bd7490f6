"""The list of every problem of the report (errors first), click or Enter to jump to its cell."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QVBoxLayout, QWidget

from dttsclient.ui.rows_model import Index, RowsTableModel
from dttscore.problems import Problem

logger = logging.getLogger(__name__)

PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 1
Describe = Callable[[Problem], str]


class ProblemsModel(RowsTableModel):
    """Problems as rows: severity and place ("Lỗi · 0102 · Tày · Nữ"), then the message.

    Args:
        describe: names the place of a problem for people ("0102 · Tày · Nữ").
        lang: "vi" or "en" for the messages.
    """

    CONTEXT = "ProblemsModel"
    COLUMNS = (QT_TRANSLATE_NOOP("ProblemsModel", "Ở đâu"), QT_TRANSLATE_NOOP("ProblemsModel", "Nội dung"))

    def __init__(self, describe: Describe, lang: str = "vi", parent=None) -> None:
        super().__init__(parent)
        self._describe = describe
        self._lang = lang
        self._fg = {
            "error": QBrush(QColor("#A4261D")),
            "warning": QBrush(QColor("#7A5200")),
            "missing": QBrush(QColor("#5B6770")),
        }

    def set_rows(self, problems: Sequence[Problem]) -> None:
        """Replace every row: each problem with the name of its place."""
        super().set_rows([(p, self._describe(p)) for p in problems])

    def problem(self, row: int) -> Problem:
        return self._rows[row][0]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        problem, where = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                if problem.is_error:
                    level = self.tr("Lỗi")
                elif problem.is_warning:
                    level = self.tr("Cảnh báo")
                else:
                    level = self.tr("Chưa nhập")
                return f"{level}\n{where}"
            return problem.text(self._lang)
        if role == Qt.ItemDataRole.ToolTipRole:
            return problem.text(self._lang)
        if role == Qt.ItemDataRole.ForegroundRole and col == 0:
            return self._fg.get(problem.severity)
        if role == PROBLEM_ROLE:
            return problem
        return None


class ProblemsPanel(QWidget):
    """A heading with the counts and the problems list.

    Signals:
        problemActivated(object): the officer clicked (or pressed Enter on) this :class:`Problem`.
    """

    problemActivated = Signal(object)

    def __init__(self, describe: Describe, lang: str = "vi", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ProblemsModel(describe, lang, self)
        self._heading = QLabel(self)
        self._heading.setObjectName("problemsHeading")
        self._heading.setStyleSheet("font-weight: 600; padding: 4px 2px;")
        self._heading.setWordWrap(True)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setShowGrid(False)
        self.view.verticalHeader().hide()
        self.view.setColumnWidth(0, 120)
        self.view.horizontalHeader().setStretchLastSection(True)
        # Rows as tall as their wrapped text at the list's current width: re-fitted when the panel is
        # resized (a splitter, a maximized window), coalesced into one pass.
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.view.resizeRowsToContents)
        self.view.horizontalHeader().sectionResized.connect(lambda *_: self._fit_timer.start())
        self.view.clicked.connect(self._activate)
        self.view.activated.connect(self._activate)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self._heading)
        lay.addWidget(self.view)
        self.set_problems([])

    def set_problems(self, problems: Sequence[Problem]) -> None:
        self.model.set_rows(problems)
        errors = sum(1 for p in problems if p.is_error)
        warnings = sum(1 for p in problems if p.is_warning)
        missing = sum(1 for p in problems if p.is_missing)
        if not errors and not warnings:
            text = self.tr("Không có lỗi hay cảnh báo nào.")
        else:
            text = (
                self.tr("Cần xem: %1 lỗi, %2 cảnh báo")
                .replace("%1", str(errors))
                .replace("%2", str(warnings))
            )
        if missing:
            # two sentences: "Cần xem: 0 lỗi, 1 cảnh báo. Còn 2 chỉ tiêu …"
            text += (" " if text.endswith(".") else ". ") + self.tr(
                "Còn %1 chỉ tiêu bắt buộc chưa nhập."
            ).replace("%1", str(missing))
        self._heading.setText(text)
        # Rows as tall as their text (the list changes only when the problems do).
        self.view.resizeRowsToContents()

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.problemActivated.emit(self.model.problem(index.row()))
