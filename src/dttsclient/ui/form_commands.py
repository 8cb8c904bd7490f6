"""The commands of the entry page: clear, toggle, copy, paste, comment, history, ethnic-group rows.

A mixin of :class:`~dttsclient.ui.form_view.FormView` (kept apart so each module stays small): it uses
the page's model, view, store and writer, and never touches SQLite except through the store.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QModelIndex
from PySide6.QtWidgets import QApplication

from dttsclient.store import StoreError
from dttsclient.ui.comment_dialog import CommentDialog
from dttsclient.ui.ethnic_picker import EthnicPicker
from dttsclient.ui.history_dialog import HistoryDialog
from dttsclient.ui.paste import copy_text, plan_paste
from dttscore.disagg import parse_key

logger = logging.getLogger(__name__)


class EntryCommands:
    """What the officer can do to the grid besides typing (see the module docstring).

    Its strings are translated in the context of :class:`FormView` (what ``self.tr`` there uses).
    """

    def _selected_cells(self) -> list[tuple[int, int]]:
        cells = [(i.row(), i.column()) for i in self.view.selectionModel().selectedIndexes()]
        cur = self.view.currentIndex()
        if not cells and cur.isValid():
            cells = [(cur.row(), cur.column())]
        return sorted(cells)

    def clear_selection(self) -> None:
        """Delete the values of the selected input cells (one undo step)."""
        changes = []
        for r, c in self._selected_cells():
            key = self.model.cell_key(r, c)
            if key is not None and self.model.value(key) is not None:
                changes.append((key[0], key[1], None))
        if changes:
            self._write(changes)

    def _toggle(self, index: QModelIndex) -> None:
        key = self.model.cell_key(index.row(), index.column())
        if key is not None:
            self._write([(key[0], key[1], "0" if self.model.value(key) == "1" else "1")])

    def copy_selection(self) -> None:
        QApplication.clipboard().setText(copy_text(self.model, self._selected_cells() or []))

    def paste(self, text: str | None = None) -> None:
        """Paste a tab/newline block at the current cell (see :mod:`dttsclient.ui.paste`)."""
        if text is None:
            text = QApplication.clipboard().text()
        cur = self.view.currentIndex()
        if not cur.isValid() or not self.model.is_input(cur.row(), cur.column()):
            self.notify(
                "warning", QCoreApplication.translate("FormView", "Chọn ô đầu tiên cần dán rồi bấm Ctrl+V.")
            )
            return
        if not text:
            self.notify("warning", QCoreApplication.translate("FormView", "Bộ nhớ tạm không có gì để dán."))
            return
        plan = plan_paste(self.model, cur.row(), cur.column(), text)
        written = self._write(plan.changes) if plan.changes else True
        if not written:
            return
        parts = [QCoreApplication.translate("FormView", "Đã dán %1 ô.").replace("%1", str(len(plan.changes)))]
        if plan.blanks:
            parts.append(
                QCoreApplication.translate(
                    "FormView", "Bỏ qua %1 ô trống (ô trống không xoá số đã có)."
                ).replace("%1", str(plan.blanks))
            )
        if plan.outside:
            parts.append(
                QCoreApplication.translate("FormView", "%1 giá trị nằm ngoài bảng nên không dán.").replace(
                    "%1", str(plan.outside)
                )
            )
        if plan.refused:
            parts.append(
                QCoreApplication.translate("FormView", "%1 ô không nhận:").replace(
                    "%1", str(len(plan.refused))
                )
            )
            for r, c, _raw, message in plan.refused[:5]:
                parts.append(f"{self.describe_cell(r, c)}: {message}")
            r, c, _raw, _msg = plan.refused[0]
            self.view.go_to(r, c)
        self.notify("error" if plan.refused else "info", " ".join(parts))

    def edit_comment(self) -> None:
        """Write, change or remove the comment of the current cell."""
        cur = self.view.currentIndex()
        key = self.model.cell_key(cur.row(), cur.column()) if cur.isValid() else None
        if key is None:
            self.notify("warning", QCoreApplication.translate("FormView", "Chọn một ô số liệu để ghi chú."))
            return
        text = CommentDialog.ask(self, self.describe_cell(cur.row(), cur.column()), self.model.comment(key))
        if text is None or text == self.model.comment(key):
            return
        if not self._confirm_revision():
            return
        try:
            self._store.reports.set_comment(self._report_id, key[0], key[1], text or None, self._who)
        except StoreError as exc:
            self.notify(
                "error",
                QCoreApplication.translate("FormView", "Chưa lưu được ghi chú: %1").replace(
                    "%1", exc.text(self._lang)
                ),
            )
            return
        self.model.set_comment(key, text)
        self._show_current(force=True)
        self._after_write()

    def show_history(self) -> None:
        cur = self.view.currentIndex()
        key = self.model.cell_key(cur.row(), cur.column()) if cur.isValid() else None
        if key is None:
            self.notify(
                "warning", QCoreApplication.translate("FormView", "Chọn một ô số liệu để xem lịch sử.")
            )
            return
        entries = self._store.reports.history(self._report_id, key[0], key[1])
        block = self.model.block_at(cur.row())
        assert block is not None
        HistoryDialog.ask(
            self, self.describe_cell(cur.row(), cur.column()), entries, block.indicator.value_type, self._lang
        )

    # -- ethnic-group rows -----------------------------------------------------------------------
    def add_ethnic_groups(self) -> None:
        """Pick ethnic groups to add as rows of every ``eth`` indicator of the report."""
        if not self._eth_editable:
            return
        codes = EthnicPicker.ask(self, self._catalog.options_for("eth"), self._eth, self._lang)
        if not codes:
            return
        new = [c for c in codes if c not in self._eth]
        if not new or not self._confirm_revision():
            return
        if not self._set_eth(self._eth + new):
            return
        self._go_to_eth(new[0])

    def remove_ethnic_row(self) -> None:
        """Remove the current ethnic-group row when none of its cells has a value."""
        cur = self.view.currentIndex()
        row = self.model.row(cur.row()) if cur.isValid() else None
        eth = self.eth_of_row(cur.row()) if row is not None else None
        if eth is None:
            self.notify("warning", QCoreApplication.translate("FormView", "Chọn một dòng dân tộc để bỏ."))
            return
        if any(
            parse_key(d).get("eth") == eth for (_c, d), v in self.model.values().items() if v and "eth=" in d
        ):
            self.notify(
                "warning",
                QCoreApplication.translate(
                    "FormView", "Dòng %1 còn số liệu; xoá các số liệu của dòng trước khi bỏ dòng."
                ).replace("%1", row.label),
            )
            return
        if self._confirm_revision():
            self._set_eth([c for c in self._eth if c != eth])

    def _set_eth(self, codes: list[str]) -> bool:
        if not self.commit_pending():  # the rows are laid out again: an open cell's refused text would go
            return False
        try:
            self._store.reports.set_eth_rows(self._report_id, codes)
        except StoreError as exc:
            self.notify("error", exc.text(self._lang))
            return False
        self._eth = list(codes)
        self._relayout()
        self._after_write()
        return True

    def _go_to_eth(self, eth: str) -> None:
        cur = self.view.currentIndex()
        block = self.model.block_at(cur.row()) if cur.isValid() else None
        blocks = ([block] if block else []) + self.model.layout.blocks
        for b in blocks:
            for r in b.data_rows:
                if parse_key(self.model.row(r).option).get("eth") == eth:
                    self.view.go_to(r, self.view.first_input(r) or 1)
                    self.view.setFocus()
                    return
