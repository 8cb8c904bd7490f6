"""Submissions as a table: the per-item results of a sync and the "Cần xử lý" list.

Fed with :class:`OutboxRow` values (:meth:`OutboxModel.set_rows`); never queries SQLite.
:func:`row_from_item` turns a store :class:`~dttsclient.store.models.OutboxItem` into a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from dttsclient.store.models import OutboxItem
from dttsclient.ui.i18n import current_lang
from dttsclient.ui.rows_model import Index, RowsTableModel
from dttscore.periods import period_label

STATES: dict[str, tuple[str, str]] = {
    "queued": (QT_TRANSLATE_NOOP("OutboxModel", "Chờ gửi"), "#1d4f91"),
    "sending": (QT_TRANSLATE_NOOP("OutboxModel", "Đang gửi"), "#1d4f91"),
    "accepted": (QT_TRANSLATE_NOOP("OutboxModel", "Đã nhận ✓"), "#1e6b30"),
    "needs_attention": (QT_TRANSLATE_NOOP("OutboxModel", "Cần xử lý"), "#9b1c1c"),
    "conflict": (QT_TRANSLATE_NOOP("OutboxModel", "Xung đột"), "#9b1c1c"),
    "late": (QT_TRANSLATE_NOOP("OutboxModel", "Nộp muộn"), "#8a4b00"),
    "superseded": (QT_TRANSLATE_NOOP("OutboxModel", "Đã thay bằng bản mới"), "#555555"),
    "discarded": (QT_TRANSLATE_NOOP("OutboxModel", "Đã bỏ"), "#555555"),
}
SUBMISSION_ROLE = Qt.ItemDataRole.UserRole + 1


def state_text(state: str) -> str:
    label = STATES.get(state, (state, ""))[0]
    return QCoreApplication.translate("OutboxModel", label)


@dataclass(frozen=True)
class OutboxRow:
    """One submission with what the hub said about it.

    Attributes:
        submission_id: the device-made id.
        report_id: the local report.
        form / period / revision_no: which report and which revision.
        state: an outbox state of docs/sync-protocol.md (plus superseded/discarded).
        receipt: the hub's receipt number, when accepted.
        message: the reason, in the interface language (the hub's per-item errors, joined).
    """

    submission_id: str
    report_id: int
    form: str
    period: str
    revision_no: int
    state: str
    receipt: str | None = None
    message: str = ""


def error_text(errors: list[dict[str, Any]] | None, last_error: str | None, lang: str) -> str:
    """The hub's per-item errors (or the last local error) as one line in ``lang``."""
    key = "message_en" if lang == "en" else "message_vi"
    parts = []
    for err in errors or []:
        text = err.get(key) or err.get("message_vi") or err.get("code") or ""
        where = err.get("indicator") or ""
        parts.append(f"{where}: {text}" if where else text)
    if not parts and last_error:
        parts.append(last_error)
    return "; ".join(p for p in parts if p)


def row_from_item(item: OutboxItem, lang: str = "vi") -> OutboxRow:
    """The row of a store outbox item."""
    return OutboxRow(
        submission_id=item.submission_id,
        report_id=item.report_id,
        form=item.form,
        period=item.period,
        revision_no=item.revision_no,
        state=item.state,
        receipt=item.receipt_no,
        message=error_text(item.errors, item.last_error, lang),
    )


class OutboxModel(RowsTableModel):
    """Columns: form, period, revision, result, receipt number, reason."""

    CONTEXT = "OutboxModel"
    COLUMNS = (
        QT_TRANSLATE_NOOP("OutboxModel", "Biểu"),
        QT_TRANSLATE_NOOP("OutboxModel", "Kỳ"),
        QT_TRANSLATE_NOOP("OutboxModel", "Lần"),
        QT_TRANSLATE_NOOP("OutboxModel", "Kết quả"),
        QT_TRANSLATE_NOOP("OutboxModel", "Số biên nhận"),
        QT_TRANSLATE_NOOP("OutboxModel", "Lý do / ghi chú"),
    )
    COL_FORM, COL_PERIOD, COL_REVISION, COL_STATE, COL_RECEIPT, COL_MESSAGE = range(6)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: OutboxRow | None = self.row_of(index)
        if row is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (
                row.form,
                period_label(row.period, current_lang()),
                str(row.revision_no),
                state_text(row.state),
                row.receipt or "",
                row.message,
            )
            if role == Qt.ItemDataRole.ToolTipRole:
                return row.message or None if col == self.COL_MESSAGE else None
            return values[col]
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_STATE:
            return QBrush(QColor(STATES.get(row.state, ("", "#000000"))[1]))
        if role == SUBMISSION_ROLE:
            return row.submission_id
        return None
