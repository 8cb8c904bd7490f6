"""Finalize (chốt báo cáo): what will be sent, errors that block, a reason for every warning.

Finalizing freezes the report into an immutable submission (revision n + 1) and queues it in the outbox
in one transaction (``store.outbox.finalize``). Also here: :class:`ReviseConfirm`, the question asked once
when the officer starts editing a report that was already finalized.
"""

from __future__ import annotations

import getpass
import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dttsclient.store import FinalizeBlocked, Store, StoreError, Submission, warning_key
from dttsclient.ui.help_view import install_f1
from dttscore import refdata
from dttscore.periods import period_label
from dttscore.problems import Problem

logger = logging.getLogger(__name__)


def officer_name(store: Store) -> str:
    """Who is typing: the profile's user name, else the PC account (kept in the change log)."""
    name = store.settings.profile().username
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment
        return "officer"


def unit_label(store: Store, unit: str) -> str:
    """ "Xã Tân Lập (01849)": the profile's name for its own unit, else the 2025 code list's."""
    profile = store.settings.profile()
    name = profile.unit_name if profile.unit == unit else None
    if not name:
        commune = refdata.commune(unit)
        name = commune.commune_name if commune else ""
    return f"{name} ({unit})" if name else unit


class FinalizeDialog(QDialog):
    """The finalize dialog of one report.

    Args:
        store: the GUI thread's store.
        report_id: the report to finalize.
        lang: "vi" or "en" (catalogue names, problem messages).

    Attributes:
        submission: the submission made, after the dialog was accepted.
        reason_edits: warning key (:func:`~dttsclient.store.warning_key`) → its reason field.
    """

    def __init__(self, store: Store, report_id: int, lang: str = "vi", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._report_id = report_id
        self._lang = lang
        self.submission: Submission | None = None
        self.reason_edits: dict[str, QLineEdit] = {}
        self.setWindowTitle(self.tr("Chốt báo cáo"))
        self.setMinimumWidth(560)
        install_f1(self, "finalize", lang)

        report = store.reports.report_by_id(report_id)
        catalog = store.catalogs.catalog_version(report.catalog_id, report.catalog_version)
        form = catalog.form(report.form)
        problems = store.reports.check(report_id)
        self.errors = [p for p in problems if p.is_error]
        self.warnings = [p for p in problems if not p.is_error]
        count = sum(1 for v in store.reports.cells(report_id).values() if v not in (None, ""))
        self.nothing_new = report.state == "finalized" and not report.dirty

        lay = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Sau khi chốt, báo cáo được lưu thành một lần nộp không sửa được và đưa vào hộp thư đi; "
                "lần đồng bộ tới sẽ gửi lên máy chủ."
            ),
            self,
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        summary = QFormLayout()
        form_name = form.name_en if lang == "en" and form.name_en else form.name_vi
        summary.addRow(
            self.tr("Biểu mẫu:"),
            QLabel(f"{form.code} · {form_name}", self),
        )
        summary.addRow(
            self.tr("Kỳ báo cáo:"),
            QLabel(period_label(report.period, lang), self),
        )
        summary.addRow(
            self.tr("Đơn vị:"),
            QLabel(unit_label(store, report.unit), self),
        )
        summary.addRow(self.tr("Số giá trị:"), QLabel(str(count), self))
        carried = len(store.carry.carried(report_id))  # copied from last period, not confirmed (store/carry.py)
        if carried:
            self.carried_label = QLabel(
                self.tr("%1 ô lấy từ kỳ trước chưa xác nhận (được gửi như đang có)").replace(
                    "%1", str(carried)
                ),
                self,
            )
            self.carried_label.setStyleSheet("color: #1F4E79;")
            summary.addRow(self.tr("Lấy từ kỳ trước:"), self.carried_label)
        revision = report.revision_no + 1
        rev_text = self.tr("Lần nộp %1").replace("%1", str(revision))
        if report.revision_no:
            rev_text += " " + self.tr("(thay cho lần nộp %1)").replace("%1", str(report.revision_no))
        self.revision_label = QLabel(rev_text, self)
        summary.addRow(self.tr("Lần nộp:"), self.revision_label)
        summary.addRow(
            self.tr("Danh mục chỉ tiêu:"),
            QLabel(
                self.tr("%1 (phiên bản %2)").replace("%1", catalog.title).replace("%2", str(catalog.version)),
                self,
            ),
        )
        lay.addLayout(summary)

        body = QWidget(self)
        body_lay = QVBoxLayout(body)
        body_lay.setContentsMargins(0, 0, 0, 0)
        if self.nothing_new:
            body_lay.addWidget(
                self._note(
                    self.tr(
                        "Báo cáo đã chốt ở lần nộp %1 và chưa sửa gì sau đó; không cần chốt lại."
                    ).replace("%1", str(report.revision_no)),
                    "#5B6770",
                )
            )
        if self.errors:
            body_lay.addWidget(
                self._note(
                    self.tr("Còn %1 lỗi nên chưa chốt được. Sửa các lỗi sau rồi chốt lại:").replace(
                        "%1", str(len(self.errors))
                    ),
                    "#A4261D",
                    bold=True,
                )
            )
            for p in self.errors:
                body_lay.addWidget(self._note("• " + p.text(lang), "#A4261D"))
        if self.warnings:
            body_lay.addWidget(
                self._note(
                    self.tr(
                        "%1 cảnh báo: ghi lý do cho từng cảnh báo (lý do được gửi kèm báo cáo).",
                    ).replace("%1", str(len(self.warnings))),
                    "#7A5200",
                    bold=True,
                )
            )
            for p in self.warnings:
                self._add_warning(body_lay, p)
        body_lay.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        if self.errors or self.warnings or self.nothing_new:
            lay.addWidget(scroll, 1)
        else:
            scroll.hide()
            lay.addWidget(
                self._note(
                    self.tr("Không có lỗi hay cảnh báo nào."),
                    "#2E6B3A",
                )
            )
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #A4261D;")
        self.status.hide()
        lay.addWidget(self.status)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(
            self.tr("Chốt báo cáo"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        buttons.addButton(self.tr("Huỷ"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self._update_ok()
        if self.reason_edits:
            next(iter(self.reason_edits.values())).setFocus()

    def _note(self, text: str, colour: str, bold: bool = False) -> QLabel:
        label = QLabel(text, self)
        label.setWordWrap(True)
        label.setStyleSheet(f"color: {colour};" + (" font-weight: 600;" if bold else ""))
        return label

    def _add_warning(self, lay: QVBoxLayout, problem: Problem) -> None:
        lay.addWidget(self._note("• " + problem.text(self._lang), "#7A5200"))
        edit = QLineEdit(self)
        edit.setPlaceholderText(self.tr("Lý do (bắt buộc), ví dụ: số liệu đúng, đã kiểm tra lại"))
        edit.textChanged.connect(self._update_ok)
        key = warning_key(problem)
        edit.setObjectName(f"reason:{key}")
        self.reason_edits[key] = edit
        lay.addWidget(edit)

    def missing_reasons(self) -> list[str]:
        return [k for k, e in self.reason_edits.items() if not e.text().strip()]

    def _update_ok(self) -> None:
        blocked = bool(self.errors) or self.nothing_new
        self.ok_button.setEnabled(not blocked and not self.missing_reasons())
        if not blocked and self.missing_reasons():
            self.ok_button.setToolTip(self.tr("Ghi lý do cho mọi cảnh báo để chốt."))
        else:
            self.ok_button.setToolTip("")

    def accept(self) -> None:
        """Finalize; on a refusal the dialog stays open and says why."""
        if not self.ok_button.isEnabled():
            return
        reasons = {k: e.text().strip() for k, e in self.reason_edits.items()}
        try:
            self.submission = self._store.outbox.finalize(
                self._report_id, officer_name(self._store), reasons=reasons, require_reasons=True
            )
        except FinalizeBlocked as exc:
            self.errors = exc.errors
            self._fail(exc.text(self._lang))
            return
        except StoreError as exc:  # ReasonsRequired, NothingToFinalize, a locked or full database
            self._fail(exc.text(self._lang))
            return
        logger.info("report %s finalized as revision %s", self._report_id, self.submission.revision_no)
        super().accept()

    def _fail(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()
        self._update_ok()

    @classmethod
    def ask(cls, parent: QWidget | None, store: Store, report_id: int, lang: str = "vi") -> Submission | None:
        """Show the dialog; the submission made, or None when the officer did not finalize."""
        dlg = cls(store, report_id, lang, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return dlg.submission


class ReviseConfirm:
    """The one-time question before the first edit of a finalized report."""

    @classmethod
    def ask(cls, parent: QWidget | None, revision_no: int) -> bool:
        """True when the officer wants to edit (which will make revision ``revision_no + 1``)."""

        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(QCoreApplication.translate("ReviseConfirm", "Sửa báo cáo đã chốt"))
        box.setText(
            QCoreApplication.translate(
                "ReviseConfirm",
                "Báo cáo này đã chốt (lần nộp %1). Nếu sửa, khi chốt lại sẽ tạo lần nộp %2 thay cho lần nộp cũ.",
            )
            .replace("%1", str(revision_no))
            .replace("%2", str(revision_no + 1))
        )
        box.setInformativeText(QCoreApplication.translate("ReviseConfirm", "Bạn có muốn sửa không?"))
        yes = box.addButton(
            QCoreApplication.translate("ReviseConfirm", "Sửa báo cáo"), QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(
            QCoreApplication.translate("ReviseConfirm", "Không sửa"), QMessageBox.ButtonRole.RejectRole
        )
        box.setDefaultButton(yes)
        box.exec()
        return box.clickedButton() is yes
