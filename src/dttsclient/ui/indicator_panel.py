"""The side panel: what the current indicator means (unit, definition, method, source) and its cell."""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from dttsclient.store.baselines import Baseline
from dttsclient.ui.grid_layout import indicator_name
from dttscore.labels import measure_label
from dttscore.model import Indicator
from dttscore.periods import period_label
from dttscore.problems import Problem

logger = logging.getLogger(__name__)

_TYPE_NAMES = {  # translated with the context of the panel (self.tr)
    "integer": QT_TRANSLATE_NOOP("IndicatorPanel", "Số nguyên"),
    "decimal": QT_TRANSLATE_NOOP("IndicatorPanel", "Số thập phân"),
    "percent": QT_TRANSLATE_NOOP("IndicatorPanel", "Phần trăm"),
    "yes_no": QT_TRANSLATE_NOOP("IndicatorPanel", "Có/Không"),
    "text": QT_TRANSLATE_NOOP("IndicatorPanel", "Chữ"),
}


class IndicatorPanel(QWidget):
    """Shows the indicator of the current cell and that cell's comment and problems.

    Signals:
        commentRequested(): the "Ghi chú…" button.
        historyRequested(): the "Lịch sử…" button.
    """

    commentRequested = Signal()
    historyRequested = Signal()

    def __init__(self, lang: str = "vi", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cell = QLabel(self)
        self.cell.setWordWrap(True)
        self.cell.setTextFormat(Qt.TextFormat.RichText)
        self.earlier = QLabel(self)  # the same cell in earlier periods (issue 16, ui/earlier.py)
        self.earlier.setWordWrap(True)
        self.earlier.setTextFormat(Qt.TextFormat.RichText)
        self.survey = QLabel(self)  # the cell's survey baselines (issue 17), right under the earlier periods
        self.survey.setWordWrap(True)
        self.survey.setTextFormat(Qt.TextFormat.RichText)
        self.comment_button = QPushButton(self.tr("Ghi chú… (Shift+F2)"), self)
        self.history_button = QPushButton(self.tr("Lịch sử… (Ctrl+H)"), self)
        self.comment_button.clicked.connect(self.commentRequested)
        self.history_button.clicked.connect(self.historyRequested)
        for b in (self.comment_button, self.history_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays in the grid
        body = QWidget(self)
        inner = QVBoxLayout(body)
        inner.setContentsMargins(10, 8, 10, 8)
        inner.addWidget(self.earlier)  # first: what the officer compares with while typing
        inner.addWidget(self.survey)
        inner.addWidget(self.info)
        inner.addWidget(self.cell)
        buttons = QHBoxLayout()
        buttons.addWidget(self.comment_button)
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        inner.addLayout(buttons)
        inner.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(scroll)
        self.set_indicator(None)

    def set_indicator(self, indicator: Indicator | None) -> None:
        """Show an indicator's description (None: a hint to pick a cell)."""
        self._indicator = indicator
        if indicator is None:
            self.info.setText(
                "<p style='color:#5B6770'>"
                + html.escape(self.tr("Chọn một ô để xem giải thích chỉ tiêu."))
                + "</p>"
            )
            self.set_cell("", "", [], enabled=False)
            return
        e = html.escape
        parts = [
            f"<p style='font-size:110%'><b>{e(indicator.code)} {e(indicator_name(indicator, self._lang))}</b></p>",
            "<table cellspacing='0' cellpadding='2'>",
            self._line(self.tr("Đơn vị tính"), measure_label(indicator.unit, self._lang) or "—"),
            self._line(
                self.tr("Kiểu số liệu"), self.tr(_TYPE_NAMES.get(indicator.value_type, indicator.value_type))
            ),
        ]
        limits = self._limits(indicator)
        if limits:
            parts.append(self._line(self.tr("Giới hạn"), limits))
        parts.append(
            self._line(self.tr("Bắt buộc"), self.tr("Có") if indicator.required else self.tr("Không"))
        )
        parts.append("</table>")
        for title, text in (
            (self.tr("Khái niệm"), indicator.definition_vi),
            (self.tr("Phương pháp tính"), indicator.method_vi),
            (self.tr("Nguồn số liệu"), indicator.source_vi),
        ):
            parts.append(f"<p><b>{e(title)}</b><br>{e(text) if text else '<i>—</i>'}</p>")
        self.info.setText("".join(parts))

    def set_cell(
        self,
        where: str,
        comment: str,
        problems: Sequence[Problem],
        enabled: bool = True,
        baselines: Sequence[Baseline] = (),
    ) -> None:
        """Show the current cell: its place, its problems, its comment and the survey figures of the cell
        (survey baselines the province loaded, kept from the last sync: shown offline too)."""
        e = html.escape
        parts = []
        if where:
            parts.append(f"<p><b>{e(self.tr('Ô đang chọn'))}:</b> {e(where)}</p>")
        survey_word = self.tr("Số liệu điều tra")
        self.survey.setText(
            "".join(
                f"<p style='color:#1F4E79'>{e(survey_word)} {e(b.survey)} "
                f"({e(self._date(b.reference_date))}), {e(period_label(b.period, self._lang))}: "
                f"<b>{e(self._value(b.value))}</b></p>"
                for b in baselines
            )
        )
        self.survey.setVisible(bool(baselines))
        for p in problems:
            colour = "#A4261D" if p.is_error else "#7A5200" if p.is_warning else "#5B6770"
            parts.append(f"<p style='color:{colour}'>● {e(p.text(self._lang))}</p>")
        if comment:
            parts.append(f"<p><b>{e(self.tr('Ghi chú'))}:</b> {e(comment)}</p>")
        self.cell.setText("".join(parts))
        self.comment_button.setEnabled(enabled)
        self.history_button.setEnabled(enabled)

    def set_earlier(self, title: str, lines: Sequence[str]) -> None:
        """Show the current cell's values in earlier periods (no lines: nothing is shown)."""
        e = html.escape
        if not lines:
            self.earlier.setText("")
            return
        self.earlier.setText(f"<p><b>{e(title)}:</b><br>" + "<br>".join(e(line) for line in lines) + "</p>")

    @staticmethod
    def _date(iso_date: str) -> str:
        parts = iso_date.split("-")
        return "/".join(reversed(parts)) if len(parts) == 3 else iso_date

    def _value(self, canonical: str) -> str:
        from dttscore.errors import DttsError
        from dttscore.values import format_value

        indicator = getattr(self, "_indicator", None)
        try:
            return format_value(canonical, indicator.value_type, self._lang) if indicator else canonical
        except DttsError:
            return canonical

    @staticmethod
    def _line(label: str, value: str) -> str:
        e = html.escape
        return f"<tr><td style='color:#5B6770; padding-right:8px'>{e(label)}</td><td>{e(value)}</td></tr>"

    def _limits(self, indicator: Indicator) -> str:
        from dttscore.values import format_decimal

        lo = format_decimal(indicator.min) if indicator.min is not None else None
        hi = format_decimal(indicator.max) if indicator.max is not None else None
        if lo is not None and hi is not None:
            return self.tr("từ %1 đến %2").replace("%1", lo).replace("%2", hi)
        if lo is not None:
            return self.tr("không nhỏ hơn %1").replace("%1", lo)
        if hi is not None:
            return self.tr("không lớn hơn %1").replace("%1", hi)
        return ""
