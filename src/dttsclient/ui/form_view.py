"""The data-entry page of one report: the form's indicators in one tall grid, with its side panels.

Every cell is written to the store the moment it is left (synchronously, on the GUI thread, before the
next key is handled); problems are rechecked right after (coalesced, so a pasted block is checked once).
See :mod:`dttsclient.ui.grid_view` for the keys and :mod:`dttsclient.ui.paste` for pasting.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QContextMenuEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMenu,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dttsclient.store import Store, StoreError
from dttsclient.ui.carry_dialog import CarryDialog
from dttsclient.ui.earlier import earlier_lines, earlier_title
from dttsclient.ui.finalize_dialog import (
    FinalizeDialog,
    ReviseConfirm,
    officer_name,
    period_label,
    unit_label,
)
from dttsclient.ui.form_commands import EntryCommands
from dttsclient.ui.form_header import FormHeader
from dttsclient.ui.form_list_model import completeness_text
from dttsclient.ui.grid_fit import RowFitter
from dttsclient.ui.grid_layout import build_layout, indicator_name, locate, rule_indicators
from dttsclient.ui.grid_model import Change, GridModel
from dttsclient.ui.grid_view import GROUP_ROW_HEIGHT, ROW_HEIGHT, GridView
from dttsclient.ui.indicator_panel import IndicatorPanel
from dttsclient.ui.problems_panel import ProblemsPanel
from dttsclient.ui.tasks import Runner
from dttsclient.ui.undo import SetCellsCommand
from dttscore.disagg import parse_key, report_eth_codes
from dttscore.problems import Problem
from dttscore.validate import Completeness, as_typed, completeness

logger = logging.getLogger(__name__)

RECHECK_DELAY_MS = 60
"""Problems are rechecked this long after the last write: a burst of keys or a paste is checked once,
and typing never waits behind a check."""

NOTICE_TIMEOUT_MS = 10_000
"""An "info" or "warning" sentence under the grid (what just happened) goes away after this long; any
notice also goes when the report changes after it, and one about a cell when the cursor leaves that cell.
An "error" about the report (a write the store refused) stays until a write succeeds."""

_NOTICE_STYLE = {
    "error": "color: #A4261D;",
    "warning": "color: #7A5200;",
    "info": "color: #2E4A62;",
}


class FormView(EntryCommands, QWidget):
    """Data entry for one report (unit, form, period).

    Signals:
        changed(): a cell, comment or ethnic-group row was written (or a submission made).
        finalizeRequested(): the officer pressed "Chốt báo cáo"; the finalize dialog opens next.
        problemsChanged(int, int): the report's errors and warnings after a recheck.
        finalized(object): the :class:`~dttsclient.store.Submission` the finalize dialog made.

    Args:
        store: the GUI thread's store (reads and cell writes).
        report_id: the report to show.
        lang: "vi" or "en" (catalogue names, problem messages).
        parent: the Qt parent.
    """

    changed = Signal()
    finalizeRequested = Signal()
    problemsChanged = Signal(int, int)
    finalized = Signal(object)

    def __init__(self, store: Store, report_id: int, lang: str = "vi", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._report_id = report_id
        self._lang = lang
        self._who = officer_name(store)
        self._revise_confirmed = False
        self._declined_at: tuple[int, int] | None = None
        self._confirming = False
        self._gate: Runner | None = None
        self._held: list[tuple[list[Change], list[Change]]] = []  # (changes, values before) not yet written
        self._problems: list[Problem] = []
        self._problems_stale = True  # the panels have not shown self._problems yet
        # Until the officer asks to finalize, a required indicator not entered yet is "chưa nhập" (neutral),
        # not an error (core.validate.as_typed); from then on it shows as the error finalize reports.
        self.finalize_asked = False
        self._shown_block = -2
        self._recheck_on_show = False
        self._shown_once = False
        self._load_report()
        layout = build_layout(self._catalog, self._form, self._eth, lang)
        self._rule_refs = rule_indicators(self._catalog, set(layout.block_of_code))
        self.model = GridModel(layout, self._write, lang, self)
        self.model.inputRejected.connect(self._input_rejected)
        self.model.earlier_of = self._earlier_lines
        self.undo_stack = QUndoStack(self)
        self._recheck_timer = QTimer(self)
        self._recheck_timer.setSingleShot(True)
        self._recheck_timer.setInterval(RECHECK_DELAY_MS)
        self._recheck_timer.timeout.connect(self.recheck)
        self._panel_timer = QTimer(self)
        self._panel_timer.setSingleShot(True)
        self._panel_timer.setInterval(0)
        self._panel_timer.timeout.connect(lambda: self._show_current(force=False))
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.clear_notice)
        self._notice_cell: tuple[int, int] | None = None  # the cell a notice is about, if any
        self._build_ui()
        self._load_values()
        self.view.setModel(self.model)
        self.view.apply_layout()
        self.row_fitter = RowFitter(self.view, ROW_HEIGHT, GROUP_ROW_HEIGHT)
        self.row_fitter.attach(self.model)
        self.row_fitter.refit_all()
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self._make_actions()
        self._update_state_bar()
        self.setFocusProxy(self.view)
        self._recheck_timer.start()  # problems show right after the first paint
        self._offer_carry()
        first = self.view.target(0, 0, "first")
        if first:
            self.view.setCurrentIndex(self.model.index(*first))

    # -- loading ---------------------------------------------------------------------------------
    def _load_report(self) -> None:
        self._report = self._store.reports.report_by_id(self._report_id)
        self._catalog = self._store.catalogs.catalog_version(
            self._report.catalog_id, self._report.catalog_version
        )
        self._form = self._catalog.form(self._report.form)
        self._has_eth = any(
            "eth" in self._catalog.dimensions_of(i) for i in self._catalog.form_indicators(self._form)
        )
        self._eth = self._eth_codes()
        self._eth_editable = self._has_eth and self._form.eth_options == "present"

    def _eth_codes(self) -> list[str]:
        # the paper's rule too (usb.layout): the added rows, then any group that holds a value
        keys = (key for _, key in self._store.reports.cells(self._report_id))
        return report_eth_codes(
            self._catalog, self._form.eth_options, self._store.reports.eth_rows(self._report_id), keys
        )

    def _load_values(self) -> None:
        self.model.set_values(self._store.reports.cells(self._report_id))
        self.model.set_comments({k: c.text for k, c in self._store.reports.comments(self._report_id).items()})

    # -- the page --------------------------------------------------------------------------------
    def _build_ui(self) -> None:
        form_name = self._form.name_en if self._lang == "en" and self._form.name_en else self._form.name_vi
        sub = (
            f"{period_label(self._report.period, self._lang)} · {unit_label(self._store, self._report.unit)}"
        )
        if self._catalog.sample:
            sub += " · " + self.tr("Danh mục mẫu (chỉ để thử)")
        jumps = [
            (b.code, f"{b.code} {indicator_name(b.indicator, self._lang)}") for b in self.model.layout.blocks
        ]
        self.header = FormHeader(f"{self._form.code} · {form_name}", sub, jumps, self._eth_editable, self)
        self.header.jumpRequested.connect(self._jump_to)
        self.header.jumpCancelled.connect(lambda: self.view.setFocus(Qt.FocusReason.OtherFocusReason))
        self.header.addEthRequested.connect(self.add_ethnic_groups)
        self.header.finalizeClicked.connect(self.finalize)
        self.status = self.header.status
        self.state_bar = self.header.state_bar
        self.finalize_button = self.header.finalize_button
        self.view = GridView(self)
        self.view.before_edit = self._confirm_revision
        self.view.clearRequested.connect(self.clear_selection)
        self.view.toggleRequested.connect(self._toggle)
        self.indicator_panel = IndicatorPanel(self._lang, self)
        self.indicator_panel.commentRequested.connect(self.edit_comment)
        self.indicator_panel.historyRequested.connect(self.show_history)
        self.problems_panel = ProblemsPanel(self.describe, self._lang, self)
        self.problems_panel.problemActivated.connect(self.focus_problem)
        side = QSplitter(Qt.Orientation.Vertical, self)
        side.addWidget(self.indicator_panel)
        side.addWidget(self.problems_panel)
        side.setSizes([300, 400])
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([860, 340])
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #E1E6EA;")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 6)
        lay.addWidget(self.header)
        lay.addWidget(line)
        lay.addWidget(self.splitter, 1)
        lay.addWidget(self.notice)

    def _make_actions(self) -> None:
        def action(text: str, slot, keys=(), on_view: bool = True) -> QAction:
            act = QAction(text, self)
            if keys:
                act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(lambda _checked=False, run=slot: run())  # not the "checked" flag
            self.addAction(act)
            if on_view:
                self.view.addAction(act)
            return act

        # A menu shows an action's shortcut by itself: the texts do not repeat it. Delete is a key of the
        # grid (it must not become a shortcut that would steal it from an open editor): only shown.
        self.copy_action = action(self.tr("Sao chép"), self.copy_selection, [QKeySequence.StandardKey.Copy])
        self.paste_action = action(
            self.tr("Dán (ô trống trong khối dán được bỏ qua)"), self.paste, [QKeySequence.StandardKey.Paste]
        )
        delete = QKeySequence(Qt.Key.Key_Delete).toString(QKeySequence.SequenceFormat.NativeText)
        self.clear_action = action(self.tr("Xoá giá trị") + "\t" + delete, self.clear_selection)
        self.comment_action = action(self.tr("Ghi chú…"), self.edit_comment, ["Shift+F2"])
        self.history_action = action(self.tr("Lịch sử giá trị…"), self.show_history, ["Ctrl+H"])
        self.carry_action = action(self.tr("Lấy số kỳ trước…"), self.copy_from_previous, ["Ctrl+Shift+L"])
        self.confirm_action = action(
            self.tr("Xác nhận số lấy từ kỳ trước"), self.confirm_carried, ["Ctrl+Shift+K"]
        )
        self.add_eth_action = action(self.tr("Thêm dân tộc…"), self.add_ethnic_groups, ["Ctrl+D"])
        self.remove_eth_action = action(self.tr("Bỏ dòng dân tộc này"), self.remove_ethnic_row)
        for act in (self.add_eth_action, self.remove_eth_action):
            act.setVisible(self._eth_editable)
        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("Hoàn tác"))
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("Làm lại"))
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        for act in (self.undo_action, self.redo_action):
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(act)
        action(self.tr("Đi tới chỉ tiêu"), self.header.focus_jump, ["Ctrl+G"], on_view=False)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._show_context_menu)
        self._menu_by_keyboard = False
        self.view.installEventFilter(self)  # the Menu key: the menu of the current cell, shown beside it
        self.view.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.ContextMenu:
            self._menu_by_keyboard = event.reason() == QContextMenuEvent.Reason.Keyboard
        return super().eventFilter(watched, event)

    def context_menu(self, index: QModelIndex) -> QMenu:
        """The right-click menu of a cell: only what applies there ("Bỏ dòng dân tộc này" on the row of an
        ethnic group the officer added, nowhere else)."""
        menu = QMenu(self.view)
        groups = [
            [self.copy_action, self.paste_action, self.clear_action],
            [self.comment_action, self.history_action],
            [self.carry_action, self.confirm_action],
            [self.undo_action, self.redo_action],
        ]
        if self._eth_editable:
            groups.append(
                [self.add_eth_action] + ([self.remove_eth_action] if self.eth_of_row(index.row()) else [])
            )
        for n, group in enumerate(groups):
            if n:
                menu.addSeparator()
            menu.addActions(group)
        return menu

    def eth_of_row(self, r: int) -> str | None:
        """The ethnic group (option code) of a grid row the officer can remove, else None."""
        if not self._eth_editable or not 0 <= r < self.model.rowCount():
            return None
        row = self.model.row(r)
        if row.kind != "data":
            return None
        return parse_key(row.option).get("eth")

    def _show_context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if self._menu_by_keyboard or not index.isValid():
            index = self.view.currentIndex()
            pos = self.view.visualRect(index).center()
        menu = self.context_menu(index)
        self.exec_menu(menu, self.view.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def exec_menu(self, menu: QMenu, global_pos: QPoint) -> None:
        """Show a menu modally (one method, so a test can stand in for it)."""
        menu.exec(global_pos)

    # -- public API (the shell) ------------------------------------------------------------------
    @property
    def report_id(self) -> int:
        return self._report_id

    def commit_pending(self) -> bool:
        """Save the cell being edited, if any (before a sync, a backup, closing the window).

        Returns:
            False when the open cell holds text that is not a value (it stays open and says why).
        """
        return self.view.commit_editor()

    def reload(self) -> None:
        """Re-read everything from the store (after a sync replaced values); the undo history is dropped.

        A cell being edited is saved first: the officer's last keystrokes are not thrown away.
        """
        self.commit_pending()
        old_key = (self._report.catalog_id, self._report.catalog_version, tuple(self._eth))
        self._load_report()
        if old_key != (self._report.catalog_id, self._report.catalog_version, tuple(self._eth)):
            self._relayout()
        self._load_values()
        self.undo_stack.clear()
        self._revise_confirmed = False
        self.recheck()

    def completeness(self) -> Completeness:
        """How much of the report is entered: the same figure as the form list's (``core.validate``)."""
        return completeness(self._catalog, self._form.code, self.model.values())

    def focus_problem(self, problem: Problem) -> None:
        """Put the cursor on the cell (or the row) a problem is about."""
        place = locate(self.model.layout, problem, self._rule_refs)
        if place is None:
            self.notify(
                "info",
                self.tr("Vấn đề này không gắn với ô nào của biểu: %1").replace(
                    "%1", problem.text(self._lang)
                ),
            )
            return
        r, c = place.row, place.column
        if not self.model.is_input(r, c):
            if self.model.row(r).kind not in ("data", "single"):  # the indicator as a whole: its first row
                block = self.model.block_at(r)
                if block is None or not block.data_rows:
                    self.view.scrollTo(self.model.index(r, 0))
                    return
                r = block.data_rows[0]
            c = self.view.first_input(r) or 1
        self.view.go_to(r, c)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def describe(self, problem: Problem) -> str:
        """Where a problem is, for people ("0102 · Tày · Nữ")."""
        place = locate(self.model.layout, problem, self._rule_refs)
        if place is None:
            return problem.indicator or "—"
        return self.describe_cell(place.row, place.column)

    def describe_cell(self, r: int, c: int) -> str:
        model = self.model
        block = model.block_at(r)
        if block is None:
            return ""
        row = model.row(r)
        parts = [block.code]
        if row.kind == "data":
            parts.append(row.label)
            if c >= 1 and block.col_keys != ("",):
                head = model.row(block.first_row + 1)
                if c - 1 < len(head.headers):
                    parts.append(head.headers[c - 1])
        return " · ".join(parts)

    # -- writing ---------------------------------------------------------------------------------
    def _confirm_revision(self) -> bool:
        """Before the first edit of a finalized report: ask once whether to make a new revision.

        After a "no", further keys on the same cell are ignored without asking again.
        """
        if self._report.state != "finalized" or self._revise_confirmed:
            return True
        cur = self.view.currentIndex()
        here = (cur.row(), cur.column())
        if self._confirming or self._declined_at == here:
            return False
        self._confirming = True
        try:
            ok = ReviseConfirm.ask(self, self._report.revision_no)
        finally:
            self._confirming = False
        self._revise_confirmed = ok
        self._declined_at = None if ok else here
        if not ok:
            self.notify("info", self.tr("Báo cáo đã chốt; chưa sửa gì."))
        return ok

    def _write(self, changes: list[Change]) -> bool:
        """The model's writer: write durably, show, push the undo step. False when nothing was written."""
        if self._confirming:
            return False  # a focus change while the revision question is open
        before = [(c, d, self.model.value((c, d))) for c, d, _ in changes]
        real = [(ch, old) for ch, old in zip(changes, before, strict=True) if ch[2] != old[2]]
        if not real:
            return True
        if not self._confirm_revision():
            return False
        changes = [ch for ch, _ in real]
        if self._gate is not None and self._gate.profile_writing:
            self._hold(changes, [old for _, old in real])
            return True
        try:
            if len(changes) == 1:
                self._store.reports.set_cell(self._report_id, *changes[0], self._who)
            else:
                self._store.reports.set_cells(self._report_id, changes, self._who)
        except StoreError as exc:
            self.notify("error", self.tr("Chưa lưu được: %1").replace("%1", exc.text(self._lang)))
            return False
        self.model.apply_values(changes)
        self.undo_stack.push(
            SetCellsCommand(self._apply, [old for _, old in real], changes, self._step_text(changes))
        )
        self._after_write()
        return True

    # -- writes held while a restore or an import holds the profile ---------------------------------------
    def set_write_gate(self, gate: Runner | None) -> None:
        """The runner: while it runs a ``long_write`` task (restore, import), cell writes are held.

        A held write is shown at once and written as soon as that task ends (before the screen reloads),
        so a keystroke never waits on the database lock and is never lost.
        """
        self._gate = gate

    @property
    def held_writes(self) -> int:
        """How many writes are waiting for a restore or an import to end."""
        return len(self._held)

    def _hold(self, changes: list[Change], before: list[Change]) -> None:
        self._held.append((changes, before))
        self.model.apply_values(changes)
        self.notify(
            "info",
            self.tr("Đang khôi phục hoặc nhập số liệu; ô vừa nhập sẽ được lưu ngay khi việc đó xong."),
        )
        if len(self._held) == 1 and self._gate is not None:
            self._gate.when_profile_free(self.write_held)

    def write_held(self) -> None:
        """The restore or import ended: write the held values in order, then show them as saved.

        Called by the runner when that task ends, or by the window closing meanwhile (after waiting for it).
        """
        import shiboken6

        held, self._held = self._held, []
        store, report_id, who = self._store, self._report_id, self._who
        written: list[tuple[list[Change], list[Change]]] = []
        failure: StoreError | None = None
        for changes, before in held:
            try:
                store.reports.set_cells(report_id, changes, who)
            except StoreError as exc:
                logger.warning("a held cell write failed: %s", exc)
                failure = exc
                break
            written.append((changes, before))
        if not shiboken6.isValid(self):
            return  # the screen was closed meanwhile; the values are in the store all the same
        if failure is not None:
            self.notify("error", self.tr("Chưa lưu được: %1").replace("%1", failure.text(self._lang)))
            self._load_values()
        for changes, before in written:
            self.model.apply_values(changes)
            self.undo_stack.push(SetCellsCommand(self._apply, before, changes, self._step_text(changes)))
        if written:
            self._after_write()

    def _apply(self, changes: list[Change]) -> bool:
        """Undo/redo: write the values back durably and go to the first cell."""
        try:
            self._store.reports.set_cells(self._report_id, changes, self._who)
        except StoreError as exc:
            self.notify("error", self.tr("Chưa hoàn tác được: %1").replace("%1", exc.text(self._lang)))
            self._load_values()
            return False
        self.model.apply_values(changes)
        place = self.model.place_of(changes[0][:2])
        if place is not None:
            self.view.go_to(place.row, place.column)
        self._after_write()
        return True

    # -- start from last period (issue 16 item 5, store/carry.py) ------------------------------------
    def copy_from_previous(self) -> None:
        """Ask which indicators to copy from the previous period, copy them (one undo step), mark them."""
        if not self.commit_pending() or not self._confirm_revision():
            return
        try:
            period, choices = self._store.carry.carry_choices(self._report_id)
        except StoreError as exc:
            self.notify("error", exc.text(self._lang))
            return
        if not choices:
            self.notify(
                "info",
                self.tr("Kỳ trước (%1) không có số liệu nào để lấy vào các ô còn trống.").replace(
                    "%1", period_label(period, self._lang) if period else "—"
                ),
            )
            return
        codes = CarryDialog.ask(self, self._catalog, period, choices, self._lang)
        if not codes:
            return
        try:
            written = self._store.carry.copy_from_previous(self._report_id, codes, self._who)
        except StoreError as exc:
            self.notify("error", self.tr("Chưa lưu được: %1").replace("%1", exc.text(self._lang)))
            return
        if not written:
            return
        changes: list[Change] = list(written)
        self.model.apply_values(changes)
        text = self.tr("Lấy số kỳ trước (%1 ô)").replace("%1", str(len(changes)))
        self.undo_stack.push(
            SetCellsCommand(self._apply, [(c, d, None) for c, d, _ in changes], changes, text)
        )
        self.notify(
            "info",
            self.tr(
                "Đã lấy %1 ô từ %2. Các ô này được tô xanh cho đến khi anh/chị xác nhận (Ctrl+Shift+K) "
                "hoặc sửa số."
            )
            .replace("%1", str(len(changes)))
            .replace("%2", period_label(period, self._lang)),
        )
        self._after_write()

    def _offer_carry(self) -> None:
        """A new, empty report whose previous period has values: say that they can be copied (never copy)."""
        if self.model.has_values():
            return
        try:
            period, choices = self._store.carry.carry_choices(self._report_id)
        except StoreError:
            return
        if choices:
            self.notify(
                "info",
                self.tr(
                    "%1 đã có số liệu. Bấm Ctrl+Shift+L để chọn chỉ tiêu lấy số kỳ trước làm bản nháp."
                ).replace("%1", period_label(period, self._lang)),
            )

    def confirm_carried(self) -> None:
        """Confirm the selected copied cells: they are no longer marked."""
        carried = self.model.carried()
        keys = [self.model.cell_key(r, c) for r, c in self._selected_cells() or []]
        chosen = [k for k in keys if k in carried]
        if not chosen:
            self.notify(
                "info",
                self.tr("Chọn các ô tô xanh cần xác nhận (Ctrl+A: cả biểu) rồi bấm Ctrl+Shift+K."),
            )
            return
        try:
            self._store.carry.confirm_carried(self._report_id, chosen)
        except StoreError as exc:
            self.notify("error", exc.text(self._lang))
            return
        self._refresh_carried()

    def _refresh_carried(self) -> None:
        try:
            self.model.set_carried(self._store.carry.carried(self._report_id))
        except StoreError as exc:
            logger.warning("copied cells: %s", exc)

    def _after_write(self) -> None:
        self.clear_notice()  # what it said was about the report before this write
        self._recheck_timer.start()
        self.changed.emit()

    def _step_text(self, changes: list[Change]) -> str:
        if len(changes) > 1:
            return self.tr("Nhập %1 ô").replace("%1", str(len(changes)))
        place = self.model.place_of(changes[0][:2])
        where = self.describe_cell(place.row, place.column) if place else changes[0][0]
        return self.tr("Nhập ô %1").replace("%1", where)

    def recheck(self) -> None:
        """Re-read the report's state and problems and show them (runs after each write)."""
        self._recheck_timer.stop()
        before = (self._report.state, self._report.revision_no, self._report.dirty)
        try:
            self._report = self._store.reports.report_by_id(self._report_id)
            problems = self._store.reports.check(self._report_id)
        except StoreError as exc:
            self.notify("error", exc.text(self._lang))
            return
        if before != (self._report.state, self._report.revision_no, self._report.dirty):
            self.clear_notice()  # the report changed (a sync, an import): what was said is old news
        if not self.finalize_asked:
            problems = as_typed(problems)
        self._refresh_carried()
        if problems != self._problems or self._problems_stale:
            self._problems = problems
            self._problems_stale = False
            self.model.set_problems(problems, self._rule_refs)
            self.problems_panel.set_problems(problems)
        errors = sum(1 for p in problems if p.is_error)
        warnings = sum(1 for p in problems if p.is_warning)
        self._update_status(errors, warnings)
        self._update_state_bar()
        self._show_current(force=False)
        self.problemsChanged.emit(errors, warnings)

    def problems(self) -> list[Problem]:
        return list(self._problems)

    # -- finalize --------------------------------------------------------------------------------
    def finalize(self) -> None:
        """Open the finalize dialog (errors block, warnings need reasons)."""
        if not self.commit_pending():
            return  # the open cell holds text that is not a value: the officer fixes it first
        self.finalizeRequested.emit()
        if not self.finalize_asked:
            self.finalize_asked = True  # the validation on demand: missing required values are errors now
            self.recheck()
        submission = FinalizeDialog.ask(self, self._store, self._report_id, self._lang)
        if submission is None:
            return
        self.undo_stack.clear()  # the submission is frozen; undo must not reach behind it
        self._revise_confirmed = False
        self.recheck()
        self.notify(
            "info",
            self.tr("Đã chốt lần nộp %1. Báo cáo nằm trong hộp thư đi và sẽ được gửi khi đồng bộ.").replace(
                "%1", str(submission.revision_no)
            ),
        )
        self.finalized.emit(submission)
        self.changed.emit()

    # -- layout ----------------------------------------------------------------------------------
    def _relayout(self) -> None:
        cur = self.view.currentIndex()
        key = self.model.cell_key(cur.row(), cur.column()) if cur.isValid() else None
        layout = build_layout(self._catalog, self._form, self._eth, self._lang)
        self._rule_refs = rule_indicators(self._catalog, set(layout.block_of_code))
        self.model.set_layout(layout)
        self.view.apply_layout()
        self._shown_block = -2
        self.model.set_problems(self._problems, self._rule_refs)
        place = self.model.place_of(key) if key else None
        target = (place.row, place.column) if place else self.view.target(0, 0, "first")
        if target:
            self.view.go_to(*target)

    # -- visibility ------------------------------------------------------------------------------
    def hideEvent(self, event) -> None:
        """The cell being edited is saved; a hidden page does not recheck, it catches up when shown."""
        self.commit_pending()
        if self._recheck_timer.isActive():
            self._recheck_timer.stop()
            self._recheck_on_show = True
        self._panel_timer.stop()  # it reads the store (earlier periods); shown again with the page
        super().hideEvent(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._recheck_on_show:
            self._recheck_on_show = False
            self._recheck_timer.start()
        if not self._shown_once:
            self._shown_once = True
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- feedback --------------------------------------------------------------------------------
    def notify(self, level: str, text: str, cell: tuple[int, int] | None = None) -> None:
        """Show a sentence under the grid ("error", "warning" or "info"; "" clears it).

        It is replaced by the next one and cleared when it stops being true (see
        :data:`NOTICE_TIMEOUT_MS`); ``cell`` names the cell it is about, when it is about one.
        """
        self.notice.setText(text)
        self.notice.setProperty("level", level if text else "")
        self.notice.setStyleSheet(_NOTICE_STYLE.get(level, ""))
        self._notice_cell = cell if text else None
        self._notice_timer.stop()
        if text and level != "error":
            self._notice_timer.start(NOTICE_TIMEOUT_MS)

    def clear_notice(self) -> None:
        if self.notice.text():
            self.notify("info", "")

    def _input_rejected(self, r: int, c: int, text: str, message: str) -> None:
        where = self.describe_cell(r, c)
        self.notify("error", f"{where}: {message}", cell=(r, c))
        self.view.mark_refused(r, c, message)

    def _update_status(self, errors: int, warnings: int) -> None:
        done = self.completeness()
        parts = [
            completeness_text(done.entered, done.total, done.missing_required, codes=False),
            self.tr("%1 lỗi").replace("%1", str(errors)),
            self.tr("%1 cảnh báo").replace("%1", str(warnings)),
        ]
        self.header.set_status(
            " · ".join(parts), completeness_text(done.entered, done.total, done.missing_required)
        )

    def _update_state_bar(self) -> None:
        rep = self._report
        lines = []
        if rep.state == "finalized":
            lines.append(
                self.tr("Báo cáo đã chốt (lần nộp %1). Nếu sửa, một lần nộp mới sẽ được tạo.").replace(
                    "%1", str(rep.revision_no)
                )
            )
        elif rep.revision_no and rep.dirty:
            lines.append(
                self.tr("Đã sửa sau lần nộp %1; bấm “Chốt báo cáo” để tạo lần nộp %2.")
                .replace("%1", str(rep.revision_no))
                .replace("%2", str(rep.revision_no + 1))
            )
        if rep.server_status == "changed_after_acceptance" and rep.review_state != "returned":
            lines.append(
                self.tr(
                    "Báo cáo đã được chấp nhận trước đó; lần nộp sửa sau đó đang chờ người duyệt xem lại."
                )
            )
        if rep.review_state == "returned":
            line = self.tr("Người duyệt đã trả lại báo cáo.")
            if rep.review_comment:
                line += " " + self.tr("Ý kiến: %1").replace("%1", rep.review_comment)
            lines.append(line)
        nothing_new = rep.state == "finalized" and not rep.dirty
        tip = (
            self.tr("Báo cáo đã chốt và chưa sửa gì sau đó.")
            if nothing_new
            else self.tr("Kiểm tra và chốt báo cáo")
        )
        self.header.set_state(lines, not nothing_new, tip)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._declined_at = None
        if self._notice_cell is not None and self._notice_cell != (current.row(), current.column()):
            self.clear_notice()  # it was about the cell the cursor left
        self._panel_timer.start()  # the side panel follows on the next turn, not inside a keystroke

    def _show_current(self, force: bool) -> None:
        cur = self.view.currentIndex()
        if not cur.isValid():
            return
        b = self.model.row(cur.row()).block
        if b != self._shown_block or force:
            self._shown_block = b
            self.indicator_panel.set_indicator(self.model.layout.blocks[b].indicator if b >= 0 else None)
        key = self.model.cell_key(cur.row(), cur.column())
        if key is None:
            self.indicator_panel.set_cell("", "", self.model.problems_at(cur.row(), 0), enabled=False)
            self.indicator_panel.set_earlier("", [])
            return
        self.indicator_panel.set_cell(
            self.describe_cell(cur.row(), cur.column()),
            self.model.comment(key),
            self.model.problems_at(cur.row(), cur.column()),
            baselines=self._baselines(key),
        )
        self.indicator_panel.set_earlier(earlier_title(), self._earlier_lines(key))

    def _earlier_lines(self, key: tuple[str, str]) -> list[str]:
        """The cell in earlier periods of the same form, from the local store (issue 16, ui/earlier.py)."""
        code, disagg = key
        if not self._catalog.has_indicator(code) or not self.isVisible():
            return []  # a closed page may outlive its store
        try:
            entries = self._store.earlier.cell_history(self._report_id, code, disagg)
        except StoreError as exc:
            logger.warning("earlier periods of %s/%s: %s", code, disagg, exc)
            return []
        return earlier_lines(entries, self._catalog.indicator(code).value_type, self._lang)

    def _baselines(self, key: tuple[str, str]) -> list:
        """The survey figures of a cell of this report's unit (kept from the last sync)."""
        from dttsclient.store import StoreError

        try:
            return self._store.baselines.for_cell(self._report.unit, self._report.form, key[0], key[1])
        except StoreError:
            return []

    def _jump_to(self, code: str) -> None:
        b = self.model.layout.block_of_code.get(code)
        if b is None:
            return
        block = self.model.layout.blocks[b]
        r = block.data_rows[0] if block.data_rows else block.first_row
        self.view.go_to(r, self.view.first_input(r) or 1)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
