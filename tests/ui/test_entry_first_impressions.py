"""What a new officer sees first on the entry page (issue 11, items 11 and 12): one completeness figure
on the form list and on the form; an empty form with no "errors", only "chưa nhập" until finalize is asked
for; the single value of 0104 in the value/total column; a right-click menu that shows each shortcut once
and offers "Bỏ dòng dân tộc này" only on an ethnic row; notices that go away when they stop being true;
long labels, messages and problem texts shown whole."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QContextMenuEvent, QFontMetrics, QKeySequence
from PySide6.QtWidgets import QApplication

from dttsclient.ui import form_view as form_view_module
from dttsclient.ui.finalize_dialog import FinalizeDialog
from dttsclient.ui.grid_model import SEVERITY_ROLE
from dttsclient.ui.main_window import MainWindow
from tests.support.entry_fixtures import cell, current, entry_for, go, open_form, press, type_into

ERROR_RED = "#fbe3e1"  # the background of a cell or label with an error


@pytest.fixture
def entry(tmp_path):
    with entry_for(tmp_path) as e:
        yield e


def _wait_checked(qtbot, view) -> None:
    """Let the first recheck (and the row fitting) run."""
    qtbot.waitUntil(lambda: not view._problems_stale)
    QApplication.processEvents()


def _panel_rows(view) -> list[tuple[str, str]]:
    model = view.problems_panel.model
    return [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())]


# -- item 11: one completeness, "chưa nhập" until finalize ---------------------------------------------


def test_the_form_list_and_the_entry_page_say_the_same_completeness(qtbot, store, sync_runner, kit):
    rid = store.reports.report(kit.UNIT, "BM03", "2026Q4", create=True).id
    store.reports.set_eth_rows(rid, ["02", "09"])
    store.reports.set_cells(
        rid,
        [("0101", "eth=02|sex=M", "120"), ("0101", "eth=09|sex=F", "80"), ("0103", "sex=M", "900")],
        kit.OFFICER,
    )
    w = MainWindow(store, sync_runner, None, today=kit.TODAY)
    qtbot.addWidget(w)
    w.show()
    w.set_period("2026Q4")  # the picker opens on the forms due now (Q3); this report is of Q4
    rows = [r.form for r in w.form_model.rows()]
    listed = w.form_model.rows()[rows.index("BM03")]
    # 0101 and 0103 have values: 2 of 11 indicators; 0102 and 0104 are required and still empty
    assert (listed.filled, listed.total, listed.missing_required) == (2, 11, ("0102", "0104"))
    model = w.form_model
    assert model.index(rows.index("BM03"), model.COL_COMPLETE).data() == "2/11"

    w._form_activated(model.index(rows.index("BM03"), 0))
    view = w.form_view
    _wait_checked(qtbot, view)
    done = view.completeness()
    assert (done.entered, done.total, done.missing_required) == (2, 11, ("0102", "0104"))
    status = view.header.status.text()
    assert status.startswith("Đã nhập 2/11 chỉ tiêu · còn 2 chỉ tiêu bắt buộc chưa nhập")
    assert "(0102, 0104)" in view.header.status.toolTip()

    go(view, "0104")
    type_into(view, "400")
    qtbot.waitUntil(lambda: "Đã nhập 3/11 chỉ tiêu" in view.header.status.text())
    listed = w.form_model.rows()[rows.index("BM03")]
    assert (listed.filled, listed.total, listed.missing_required) == (3, 11, ("0102",))


def test_an_empty_form_opens_without_errors_only_not_entered(qtbot, entry):
    view = open_form(qtbot, entry)
    counts = []
    view.problemsChanged.connect(lambda e, w: counts.append((e, w)))
    _wait_checked(qtbot, view)
    view.recheck()
    assert counts[-1] == (0, 0)
    assert " · 0 lỗi · 0 cảnh báo" in view.header.status.text()
    assert not any(p.is_error for p in view.problems())
    missing = [p.indicator for p in view.problems() if p.is_missing]
    assert missing == ["0101", "0102", "0103", "0104"]
    # the list says "Chưa nhập" in grey, and its heading counts no error
    assert [level.split("\n")[0] for level, _text in _panel_rows(view)] == ["Chưa nhập"] * 4
    heading = view.problems_panel._heading.text()
    assert heading.startswith("Không có lỗi hay cảnh báo nào.") and "4 chỉ tiêu bắt buộc chưa nhập" in heading
    # beside the grid: "Chưa nhập (bắt buộc)", neutral; nothing anywhere is painted as an error
    model = view.model
    col = model.layout.message_col
    block = model.layout.blocks[model.layout.block_of_code["0101"]]
    message = model.index(block.message_row, col)
    assert message.data() == "Chưa nhập (bắt buộc)"
    assert message.data(SEVERITY_ROLE) == "missing"
    assert message.data(Qt.ItemDataRole.ForegroundRole).color().name() != "#a4261d"
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            bg = model.index(r, c).data(Qt.ItemDataRole.BackgroundRole)
            assert bg is None or bg.color().name() != ERROR_RED, view.describe_cell(r, c)


def test_finalize_still_blocks_on_missing_required_values_and_then_shows_them_as_errors(
    qtbot, entry, monkeypatch
):
    view = open_form(qtbot, entry)
    _wait_checked(qtbot, view)
    go(view, "0104")
    type_into(view, "40")
    seen = {}

    def ask(cls, parent, store, report_id, lang="vi"):
        dlg = FinalizeDialog(store, report_id, lang, parent)
        seen["errors"] = [p.indicator for p in dlg.errors if p.code == "required"]
        seen["can_finalize"] = dlg.ok_button.isEnabled()
        seen["panel_errors_behind"] = sum(1 for p in view.problems() if p.is_error)
        dlg.deleteLater()
        return None

    monkeypatch.setattr(FinalizeDialog, "ask", classmethod(ask))
    counts = []
    view.problemsChanged.connect(lambda e, w: counts.append((e, w)))
    view.finalize()
    assert seen == {"errors": ["0101", "0102", "0103"], "can_finalize": False, "panel_errors_behind": 3}
    assert entry.store.reports.report_by_id(entry.report_id).state == "draft"
    # from now on the page shows them as the errors that block finalizing
    assert counts[-1] == (3, 0)
    assert [p.indicator for p in view.problems() if p.code == "required" and p.is_error] == [
        "0101",
        "0102",
        "0103",
    ]
    assert "3 lỗi" in view.header.status.text()
    block = view.model.layout.blocks[view.model.layout.block_of_code["0101"]]
    assert view.model.index(block.message_row, view.model.layout.message_col).data(SEVERITY_ROLE) == "error"


# -- item 12: layout details ---------------------------------------------------------------------------


def test_a_single_value_sits_in_the_value_total_column_not_under_a_sex_column(qtbot, entry):
    view = open_form(qtbot, entry)
    model = view.model
    r, c = cell(view, "0104")
    assert c == model.layout.value_cols  # the last value column
    above = model.layout.blocks[model.layout.block_of_code["0103"]]
    head = model.row(above.first_row + 1)
    assert head.kind == "colhead" and head.headers[c - 1] == "Tổng"
    assert [cc for cc in range(model.columnCount()) if model.is_input(r, cc)] == [c]
    # the keys still reach it: Enter from 0103's last cell goes to 0104's cell, and typing lands there
    go(view, "0103", "sex=F")
    type_into(view, "7")
    assert current(view) == (r, c)
    type_into(view, "55")
    assert entry.store.reports.cells(entry.report_id)[("0104", "")] == "55"
    assert model.index(r, c).data() == "55"


def _menu_texts(menu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator() and a.isVisible()]


def _each_shortcut_once(actions) -> None:
    for action in actions:
        text = action.text()
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys:  # the menu prints the shortcut itself: the text must not carry it again
            assert keys not in text, text
        for written in ("Shift+F2", "Ctrl+H", "Ctrl+D", "Delete", "Del)"):
            assert f"({written}" not in text, text


def test_the_context_menu_shows_each_shortcut_once(qtbot, entry):
    view = open_form(qtbot, entry)
    r, _c = cell(view, "0101", "eth=02|sex=M")
    view.view.go_to(r, 1)
    grid_actions = [a for a in view.view.actions() if a.isVisible()]  # the grid's actions and shortcuts
    assert len(grid_actions) > 5
    _each_shortcut_once(grid_actions)
    _each_shortcut_once(
        [a for a in view.context_menu(view.model.index(r, 1)).actions() if not a.isSeparator()]
    )
    # Delete is the grid's own key (not a shortcut that would take it from an editor): shown after a tab
    assert view.clear_action.shortcut().isEmpty()
    assert view.clear_action.text().split("\t")[1] == QKeySequence(Qt.Key.Key_Delete).toString(
        QKeySequence.SequenceFormat.NativeText
    )


def test_remove_ethnic_row_is_offered_only_on_ethnic_rows(qtbot, entry):
    view = open_form(qtbot, entry)
    model = view.model
    remove = "Bỏ dòng dân tộc này"
    eth_row, _ = cell(view, "0101", "eth=08|sex=M")
    assert remove in _menu_texts(view.context_menu(model.index(eth_row, 0)))
    assert remove in _menu_texts(view.context_menu(model.index(eth_row, 2)))
    not_eth = [
        cell(view, "0103", "sex=M")[0],  # "Số lượng": 0103 has no ethnic rows
        cell(view, "0104")[0],  # a single value
        model.layout.blocks[model.layout.block_of_code["0101"]].first_row,  # a title
        model.layout.blocks[model.layout.block_of_code["0101"]].total_row,  # "Tổng số"
        0,  # a group title
    ]
    for r in not_eth:
        texts = _menu_texts(view.context_menu(model.index(r, 1)))
        assert remove not in texts, model.row(r)
        assert "Thêm dân tộc…" in texts
    # from the menu of an ethnic row, the row goes
    view.view.go_to(eth_row, 1)
    menu = view.context_menu(model.index(eth_row, 1))
    next(a for a in menu.actions() if a.text() == remove).trigger()
    assert entry.store.reports.eth_rows(entry.report_id) == ["02", "09"]


def test_the_menu_opens_for_the_cell_clicked_or_with_the_menu_key_beside_the_current_cell(
    qtbot, entry, monkeypatch
):
    view = open_form(qtbot, entry)
    shown = []

    def fake_exec(self, menu, pos):
        shown.append((_menu_texts(menu), pos))

    monkeypatch.setattr(type(view), "exec_menu", fake_exec)
    grid = view.view
    eth_row, _ = cell(view, "0101", "eth=08|sex=M")
    grid.scrollTo(view.model.index(eth_row, 0))
    click = grid.visualRect(view.model.index(eth_row, 0)).center()
    QApplication.sendEvent(
        grid.viewport(),
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, click, grid.viewport().mapToGlobal(click)),
    )
    assert "Bỏ dòng dân tộc này" in shown[-1][0]
    go(view, "0104")
    far = QPoint(2, 2)
    QApplication.sendEvent(
        grid, QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, far, grid.mapToGlobal(far))
    )
    texts, pos = shown[-1]
    assert "Bỏ dòng dân tộc này" not in texts and "Ghi chú…" in texts
    r, c = cell(view, "0104")
    assert pos == grid.viewport().mapToGlobal(grid.visualRect(view.model.index(r, c)).center())


def test_remove_ethnic_row_is_never_offered_on_a_form_with_every_group(qtbot, tmp_path):
    with entry_for(tmp_path, "BM04") as e:  # BM04 lists every ethnic group of the catalogue
        view = open_form(qtbot, e)
        rows = [r for r in range(view.model.rowCount()) if view.model.row(r).kind == "data"]
        assert any("eth=" in view.model.row(r).option for r in rows)
        for r in rows:
            texts = _menu_texts(view.context_menu(view.model.index(r, 1)))
            assert "Bỏ dòng dân tộc này" not in texts and "Thêm dân tộc…" not in texts


def test_an_info_notice_goes_away_by_itself(qtbot, entry, monkeypatch):
    monkeypatch.setattr(form_view_module, "NOTICE_TIMEOUT_MS", 50, raising=False)
    view = open_form(qtbot, entry)
    go(view, "0104")
    view.paste("")  # "the clipboard is empty"
    assert "Bộ nhớ tạm không có gì để dán" in view.notice.text()
    qtbot.waitUntil(lambda: view.notice.text() == "", timeout=2000)


def test_a_refused_cell_notice_goes_when_the_cursor_leaves_the_cell(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0104")
    type_into(view, "abc")  # not a number: the editor stays open and says why
    assert "0104" in view.notice.text()
    press(view, Qt.Key.Key_Escape)  # the officer gives up; the cell keeps its old value
    go(view, "0103", "sex=M")
    assert view.notice.text() == ""


def test_the_finalized_notice_goes_when_the_report_changes_again(qtbot, entry, monkeypatch):
    view = open_form(qtbot, entry)
    values = {
        ("0101", "eth=02|sex=M"): "10",
        ("0102", "eth=02"): "3",
        ("0103", "sex=M"): "500",
        ("0103", "sex=F"): "500",
        ("0104", ""): "200",
    }
    entry.store.reports.set_cells(entry.report_id, [(c, d, v) for (c, d), v in values.items()], "canbo")
    view.reload()
    assert not any(p.is_error for p in entry.store.reports.check(entry.report_id))

    def ask(cls, parent, store, report_id, lang="vi"):
        reasons = {p.code: "Đã kiểm tra" for p in store.reports.check(report_id) if not p.is_error}
        return store.outbox.finalize(report_id, "canbo", reasons)

    monkeypatch.setattr(FinalizeDialog, "ask", classmethod(ask))
    monkeypatch.setattr(form_view_module.ReviseConfirm, "ask", classmethod(lambda cls, parent, rev: True))
    view.finalize()
    assert "Đã chốt lần nộp 1" in view.notice.text()
    go(view, "0104")
    type_into(view, "210")  # a new revision begins: "queued, will be sent" is no longer the whole truth
    assert view.notice.text() == ""


def _fits(fm: QFontMetrics, text: str, width: int, height: int) -> bool:
    need = fm.boundingRect(QRect(0, 0, width - 10, 10_000), int(Qt.TextFlag.TextWordWrap), text).height()
    return need <= height


def test_long_row_labels_and_messages_are_shown_whole_at_1366x768(qtbot, tmp_path):
    with entry_for(tmp_path, "BM01", ["02", "08"]) as e:
        view = open_form(qtbot, e)
        view.resize(1366, 700)
        e.store.reports.set_cells(
            e.report_id, [("0101", "eth=02|sex=M", "500"), ("0102", "eth=02", "900")], "canbo"
        )
        view.reload()
        _wait_checked(qtbot, view)
        qtbot.wait(50)  # the rows are measured on the next turn of the event loop
        grid, model = view.view, view.model
        fm = QFontMetrics(grid.font())
        label_w = grid.columnWidth(0)
        msg_col = model.layout.message_col
        long_labels = 0
        messages = 0
        for r in range(model.rowCount()):
            row = model.row(r)
            if row.kind in ("data", "single", "total"):
                long_labels += fm.horizontalAdvance(row.label) > label_w - 10
                assert _fits(fm, row.label, label_w, grid.rowHeight(r)), row.label
            text = model.index(r, msg_col).data()
            if text and row.kind not in ("group", "title", "note"):
                messages += 1
                assert _fits(fm, text, grid.columnWidth(msg_col), grid.rowHeight(r)), text
        assert long_labels > 0 and messages > 0  # the test saw what it is about
        # a narrower window: the message column shrinks and its rows grow
        r = max(range(model.rowCount()), key=lambda r: len(model.index(r, msg_col).data() or ""))
        before = grid.rowHeight(r)
        view.resize(1200, 700)
        qtbot.waitUntil(lambda: grid.rowHeight(r) > before)
        assert _fits(fm, model.index(r, msg_col).data(), grid.columnWidth(msg_col), grid.rowHeight(r))


def test_the_problem_list_shows_whole_texts_after_a_resize(qtbot, tmp_path):
    with entry_for(tmp_path, "BM01", ["02", "08"]) as e:
        view = open_form(qtbot, e)
        _wait_checked(qtbot, view)
        panel = view.problems_panel
        table = panel.view
        fm = QFontMetrics(table.font())
        view.splitter.setSizes([1000, 260])  # the side panel made narrow after the list was filled
        qtbot.wait(50)
        assert table.model().rowCount() > 3
        for r in range(table.model().rowCount()):  # every row as tall as its wrapped text needs
            assert table.rowHeight(r) >= table.sizeHintForRow(r), table.model().index(r, 1).data()
        assert _fits(fm, table.model().index(0, 1).data(), table.columnWidth(1), table.rowHeight(0))
