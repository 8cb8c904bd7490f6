"""The forms of one period with their state badge, completeness and deadline.

The model is fed with :class:`FormRow` values (:meth:`FormListModel.set_rows`) and never queries SQLite;
:func:`badge_of` decides a report's badge from plain store dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from dttsclient.store.models import OutboxItem, Report
from dttsclient.ui.rows_model import Index, RowsTableModel

# badge key → (label, background colour, text colour)
BADGES: dict[str, tuple[str, str, str]] = {
    "empty": (QT_TRANSLATE_NOOP("Badges", "Chưa nhập"), "#eeeeee", "#555555"),
    "draft": (QT_TRANSLATE_NOOP("Badges", "Nháp"), "#fff4d6", "#6b4e00"),
    "queued": (QT_TRANSLATE_NOOP("Badges", "Chờ gửi"), "#e3ecfa", "#1d4f91"),
    "sending": (QT_TRANSLATE_NOOP("Badges", "Đang gửi"), "#e3ecfa", "#1d4f91"),
    "accepted": (QT_TRANSLATE_NOOP("Badges", "Đã gửi ✓"), "#e2f3e5", "#1e6b30"),
    "needs_attention": (QT_TRANSLATE_NOOP("Badges", "Cần xử lý"), "#fde2e1", "#9b1c1c"),
    "conflict": (QT_TRANSLATE_NOOP("Badges", "Xung đột"), "#fde2e1", "#9b1c1c"),
    "late": (QT_TRANSLATE_NOOP("Badges", "Nộp muộn"), "#fff0e0", "#8a4b00"),
    "returned": (QT_TRANSLATE_NOOP("Badges", "Bị trả lại"), "#fde2e1", "#9b1c1c"),
    # the hub's status after a revision sent once the reviewer had accepted the report: reviewed again
    "changed_after_acceptance": (
        QT_TRANSLATE_NOOP("Badges", "Đã sửa sau khi chấp nhận"),
        "#fff0e0",
        "#8a4b00",
    ),
}
_OUTBOX_BADGE = {
    "queued": "queued",
    "sending": "sending",
    "accepted": "accepted",
    "needs_attention": "needs_attention",
    "conflict": "conflict",
    "late": "late",
}
COMPLETENESS_ROLE = Qt.ItemDataRole.UserRole + 1
BADGE_ROLE = Qt.ItemDataRole.UserRole + 2


def badge_text(key: str) -> str:
    """The translated label of a badge key."""
    return QCoreApplication.translate("Badges", BADGES[key][0])


def completeness_text(
    entered: int, total: int, missing_required: tuple[str, ...] | list[str], codes: bool = True
) -> str:
    """ "Đã nhập 6/11 chỉ tiêu · còn 2 chỉ tiêu bắt buộc chưa nhập (0101, 0102)" — said the same way on the
    form list and on the entry page (``codes=False`` leaves out the codes in brackets)."""
    text = (
        QCoreApplication.translate("Completeness", "Đã nhập %1/%2 chỉ tiêu")
        .replace("%1", str(entered))
        .replace("%2", str(total))
    )
    if missing_required:
        text += " · " + QCoreApplication.translate(
            "Completeness", "còn %1 chỉ tiêu bắt buộc chưa nhập"
        ).replace("%1", str(len(missing_required)))
        if codes:
            listed = ", ".join(missing_required[:8]) + (", …" if len(missing_required) > 8 else "")
            text += f" ({listed})"
    return text


def badge_of(report: Report | None, latest: OutboxItem | None) -> str:
    """The badge of a report.

    Args:
        report: the local report, or None when nothing was entered yet.
        latest: the report's newest outbox row that is not superseded or discarded, if any.

    Returns:
        A key of :data:`BADGES`. Local edits after the last finalize show "draft"; a report the reviewer
        returned shows "returned" until the officer edits it; a revision sent after the reviewer accepted
        the report shows "changed_after_acceptance" (the hub's status, known after a sync) until it is
        reviewed again; otherwise the newest outbox row decides.
    """
    if report is None:
        return "empty"
    if report.dirty or (latest is None and report.revision_no == 0 and report.server_revision == 0):
        return "draft" if report.dirty or report.state == "draft" else "empty"
    if report.review_state == "returned" and (latest is None or latest.state not in ("queued", "sending")):
        return "returned"
    if report.server_status == "changed_after_acceptance" and (
        latest is None or latest.state not in ("queued", "sending")
    ):
        return "changed_after_acceptance"
    if latest is not None and latest.state in _OUTBOX_BADGE:
        if latest.state == "accepted" and report.server_status == "late":
            return "late"
        return _OUTBOX_BADGE[latest.state]
    if report.server_status == "late":
        return "late"
    if report.server_revision > 0:
        return "accepted"  # pulled from the hub (a new PC, or history sent from elsewhere)
    return "draft"


@dataclass(frozen=True)
class FormRow:
    """One line of the form list.

    Attributes:
        form: the form code ("BM01").
        name: the form's name in the interface language.
        period: the period code shown ("2026Q3").
        badge: a key of :data:`BADGES`.
        filled / total: indicators with a value / indicators of the form (see
            :class:`~dttscore.validate.Completeness`, the same figure the entry page shows).
        deadline: the period's deadline for this form.
        receipt: the hub's receipt number of the newest accepted submission.
        report_id: the local report, or None when none exists yet.
        review_comment: the reviewer's comment, when the report was returned.
        missing_required: the required indicators that have no value yet.
    """

    form: str
    name: str
    period: str
    badge: str
    filled: int
    total: int
    deadline: date
    receipt: str | None = None
    report_id: int | None = None
    review_comment: str | None = None
    period_label: str = ""
    missing_required: tuple[str, ...] = ()

    @property
    def completeness(self) -> float:
        return self.filled / self.total if self.total else 0.0


class FormListModel(RowsTableModel):
    """Columns: form code, name, state badge, completeness, deadline (with the days left).

    Args:
        today: the date the countdown counts from (tests pass a fixed one).
        parent: the Qt parent.
    """

    CONTEXT = "FormListModel"
    COLUMNS = (
        QT_TRANSLATE_NOOP("FormListModel", "Biểu"),
        QT_TRANSLATE_NOOP("FormListModel", "Tên biểu"),
        QT_TRANSLATE_NOOP("FormListModel", "Kỳ"),
        QT_TRANSLATE_NOOP("FormListModel", "Trạng thái"),
        QT_TRANSLATE_NOOP("FormListModel", "Đã nhập"),
        QT_TRANSLATE_NOOP("FormListModel", "Hạn nộp"),
    )
    COL_FORM, COL_NAME, COL_PERIOD, COL_BADGE, COL_COMPLETE, COL_DEADLINE = range(6)

    def __init__(self, today: date | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._today = today or date.today()

    def set_rows(self, rows: list[FormRow], today: date | None = None) -> None:
        """Replace every row (and the date the countdown counts from, when given)."""
        if today is not None:
            self._today = today
        super().set_rows(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: FormRow | None = self.row_of(index)
        if row is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == COMPLETENESS_ROLE and col == self.COL_COMPLETE:
            return row.completeness
        if role == BADGE_ROLE:
            return row.badge
        if col == self.COL_BADGE and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(BADGES[row.badge][1]))
        if col == self.COL_BADGE and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(BADGES[row.badge][2]))
        if col == self.COL_DEADLINE and role == Qt.ItemDataRole.ForegroundRole:
            days = (row.deadline - self._today).days
            if days < 0 and row.badge in ("empty", "draft", "needs_attention", "conflict", "returned"):
                return QBrush(QColor("#9b1c1c"))
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.COL_COMPLETE, self.COL_DEADLINE):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, row: FormRow, col: int) -> str:
        if col == self.COL_FORM:
            return row.form
        if col == self.COL_NAME:
            return row.name
        if col == self.COL_PERIOD:
            return row.period_label or row.period
        if col == self.COL_BADGE:
            text = badge_text(row.badge)
            return f"{text} · {row.receipt}" if row.badge == "accepted" and row.receipt else text
        if col == self.COL_COMPLETE:
            return f"{row.filled}/{row.total}"
        return self.deadline_text(row.deadline)

    def deadline_text(self, deadline: date) -> str:
        """ "30/10/2026 (còn 12 ngày)" — the deadline and the countdown."""
        days = (deadline - self._today).days
        when = deadline.strftime("%d/%m/%Y")
        if days > 0:
            left = QCoreApplication.translate("FormListModel", "còn %1 ngày").replace("%1", str(days))
        elif days == 0:
            left = QCoreApplication.translate("FormListModel", "hôm nay")
        else:
            left = QCoreApplication.translate("FormListModel", "quá hạn %1 ngày").replace("%1", str(-days))
        return f"{when} ({left})"

    def _tooltip(self, row: FormRow) -> str | None:
        parts = [completeness_text(row.filled, row.total, row.missing_required)]
        if row.receipt:
            parts.append(
                QCoreApplication.translate("FormListModel", "Số biên nhận: %1").replace("%1", row.receipt)
            )
        if row.review_comment:
            parts.append(
                QCoreApplication.translate("FormListModel", "Ý kiến người duyệt: %1").replace(
                    "%1", row.review_comment
                )
            )
        return "\n".join(parts) or None
