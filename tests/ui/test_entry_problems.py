"""Live validation beside the cell and in the problems list (click to jump); comments; history; the
ethnic-group picker (aliases, Vietnamese text); reload after a sync; the side panel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dttsclient.store import Store
from dttsclient.ui.comment_dialog import CommentDialog
from dttsclient.ui.ethnic_picker import EthnicPicker
from dttsclient.ui.grid_model import COMMENT_ROLE, SEVERITY_ROLE
from dttsclient.ui.history_dialog import HistoryDialog, HistoryModel
from dttscore.refdata import default_options
from tests.support.entry_fixtures import cell, current, entry_for, go, open_form, press, send_text, type_into


@pytest.fixture
def entry(tmp_path):
    with entry_for(tmp_path) as e:
        yield e


def _message_of_row(view, r: int) -> str:
    return view.model.index(r, view.model.layout.message_col).data() or ""


def test_a_failing_value_shows_its_message_beside_the_cell_and_in_the_list(qtbot, entry):
    view = open_form(qtbot, entry)
    errors = []
    view.problemsChanged.connect(lambda e, w: errors.append((e, w)))
    go(view, "0101", "eth=02|sex=M")
    type_into(view, "100")
    go(view, "0102", "eth=02")
    type_into(view, "500")  # more households than people: rule R02 (error), for Tày
    qtbot.waitUntil(lambda: bool(errors))  # the recheck runs right after the write
    r02 = [p for p in view.problems() if p.code == "R02"]
    assert r02 and r02[0].option == "eth=02"
    r, _c = cell(view, "0102", "eth=02")
    assert r02[0].message_vi in _message_of_row(view, r)
    assert view.model.index(r, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    listed = [view.problems_panel.model.problem(i) for i in range(view.problems_panel.model.rowCount())]
    assert r02[0] in listed
    assert errors[-1][0] == sum(1 for p in view.problems() if p.is_error)

    go(view, "0104")
    row = listed.index(r02[0])
    index = view.problems_panel.model.index(row, 1)
    view.problems_panel.view.scrollTo(index)
    QTest.mouseClick(
        view.problems_panel.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.problems_panel.view.visualRect(index).center(),
    )
    assert current(view) == cell(view, "0102", "eth=02")  # the row the problem names
    assert view.view.hasFocus()


def test_an_out_of_range_value_marks_its_own_cell(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0104")
    type_into(view, "-5")  # below the minimum 0
    view.recheck()
    r, c = cell(view, "0104")
    assert view.model.index(r, c).data(SEVERITY_ROLE) == "error"
    assert "không được âm" in view.model.index(r, c).data(Qt.ItemDataRole.ToolTipRole)
    problem = next(p for p in view.problems() if p.code == "min")
    go(view, "0101", "eth=02|sex=M")
    view.focus_problem(problem)
    assert current(view) == (r, c)
    qtbot.waitUntil(lambda: "không được âm" in view.indicator_panel.cell.text())  # the side panel too


def test_a_comment_per_cell(qtbot, entry, monkeypatch):
    view = open_form(qtbot, entry)
    asked = []

    def ask(parent, where, text):
        asked.append((where, text))
        return "Số liệu từ trưởng thôn"

    monkeypatch.setattr(CommentDialog, "ask", staticmethod(ask))
    go(view, "0101", "eth=08|sex=F")
    press(view, Qt.Key.Key_F2, Qt.KeyboardModifier.ShiftModifier)
    assert asked == [("0101 · HMông · Nữ", "")]
    with Store.open(entry.data_dir) as fresh:
        comments = fresh.reports.comments(entry.report_id)
    assert comments[("0101", "eth=08|sex=F")].text == "Số liệu từ trưởng thôn"
    assert comments[("0101", "eth=08|sex=F")].author == "canbo"
    r, c = cell(view, "0101", "eth=08|sex=F")
    assert view.model.index(r, c).data(COMMENT_ROLE) == "Số liệu từ trưởng thôn"
    assert view.model.index(r, c).data(Qt.ItemDataRole.DecorationRole) is not None
    qtbot.waitUntil(lambda: "Số liệu từ trưởng thôn" in view.indicator_panel.cell.text())

    monkeypatch.setattr(CommentDialog, "ask", staticmethod(lambda parent, where, text: ""))  # removed
    press(view, Qt.Key.Key_F2, Qt.KeyboardModifier.ShiftModifier)
    with Store.open(entry.data_dir) as fresh:
        assert fresh.reports.comments(entry.report_id) == {}


def test_the_comment_dialog(qtbot):
    dlg = CommentDialog("0104", "cũ")
    qtbot.addWidget(dlg)
    dlg.edit.setPlainText("  mới  ")
    assert dlg.result_text() == "mới"
    dlg.remove_button.click()
    assert dlg.result_text() == ""


def test_history_shows_old_to_new(qtbot, entry, monkeypatch):
    view = open_form(qtbot, entry)
    go(view, "0104")
    type_into(view, "10")
    go(view, "0104")
    type_into(view, "1.500")
    shown = []
    monkeypatch.setattr(HistoryDialog, "ask", classmethod(lambda cls, *args: shown.append(args)))
    go(view, "0104")
    press(view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    (_parent, where, entries, value_type, _lang) = shown[0]
    assert where == "0104" and value_type == "integer"
    model = HistoryModel(entries, value_type)
    assert [model.index(r, 2).data() for r in range(model.rowCount())] == ["10 → 1.500", "(trống) → 10"]
    assert model.index(0, 1).data() == "canbo"
    dlg = HistoryDialog(where, entries, value_type)
    qtbot.addWidget(dlg)
    assert dlg.model.rowCount() == 2


def _pick_with_keys(qtbot, keys: str | None = None, text: str | None = None):
    """EthnicPicker.ask replaced by the real dialog driven with the keyboard."""

    def ask(cls, parent, options, present, lang="vi"):
        dlg = cls(options, present, lang, parent)
        qtbot.addWidget(dlg)
        dlg.show()
        if keys is not None:
            qtbot.keyClicks(dlg.search, keys)
        if text is not None:
            send_text(dlg.search, text)
        QTest.keyClick(dlg.search, Qt.Key.Key_Return)
        assert dlg.result() == dlg.DialogCode.Accepted
        return dlg.result_codes()

    return classmethod(ask)


def test_adding_an_ethnic_group_found_by_its_alias(qtbot, entry, monkeypatch):
    view = open_form(qtbot, entry)
    monkeypatch.setattr(EthnicPicker, "ask", _pick_with_keys(qtbot, keys="Man"))  # Mán: an alias of Dao
    before = set(entry.store.reports.eth_rows(entry.report_id))
    assert "09" in before  # already there: the next match must be chosen
    press(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    with Store.open(entry.data_dir) as fresh:
        rows = fresh.reports.eth_rows(entry.report_id)
    added = [c for c in rows if c not in before]
    assert len(added) == 1
    # every ethnic indicator of the report got the row, and the cursor is on it
    for code in ("0101", "0102", "0105", "0108"):
        assert view.model.place_of((code, f"eth={added[0]}" + ("|sex=M" if code in ("0101", "0105") else "")))
    r, _c = current(view)
    assert f"eth={added[0]}" == view.model.row(r).option


def test_the_picker_finds_hmong_by_alias_typed_in_vietnamese(qtbot):
    dlg = EthnicPicker(default_options("eth"), ["02"])
    qtbot.addWidget(dlg)
    dlg.show()
    send_text(dlg.search, "Mèo")
    assert dlg.model.choice(0).code == "08"
    assert dlg.result_codes() == ["08"]
    dlg.search.clear()
    qtbot.keyClicks(dlg.search, "tay")
    assert dlg.model.choice(0).present  # Tày is already in the report: shown, not pickable
    assert dlg.result_codes() != ["02"]


def test_ticking_several_groups_with_space(qtbot):
    dlg = EthnicPicker(default_options("eth"), [])
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.search, "dao")
    QTest.keyClick(dlg.search, Qt.Key.Key_Down)
    QTest.keyClick(dlg.list, Qt.Key.Key_Space)
    dlg.search.clear()
    qtbot.keyClicks(dlg.search, "hmong")
    QTest.keyClick(dlg.search, Qt.Key.Key_Down)
    QTest.keyClick(dlg.list, Qt.Key.Key_Space)
    assert dlg.result_codes() == ["08", "09"]


def test_removing_an_empty_ethnic_row(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0101", "eth=02|sex=M")
    type_into(view, "3")
    go(view, "0102", "eth=02")
    view.remove_ethnic_row()  # Tày has a value in 0101: refused
    assert "còn số liệu" in view.notice.text()
    go(view, "0102", "eth=08")
    view.remove_ethnic_row()
    assert entry.store.reports.eth_rows(entry.report_id) == ["02", "09"]
    assert view.model.place_of(("0101", "eth=08|sex=M")) is None


def test_reload_after_another_store_changed_the_report(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0104")
    type_into(view, "1")
    assert view.undo_stack.count() == 1
    with Store.open(entry.data_dir) as other:  # e.g. the sync engine's own store
        other.reports.set_cell(entry.report_id, "0104", "", "777", "sync")
        other.reports.set_eth_rows(entry.report_id, ["02", "08", "09", "11"])
    view.reload()
    assert view.model.index(*cell(view, "0104")).data() == "777"
    assert view.model.place_of(("0102", "eth=11"))
    assert view.undo_stack.count() == 0


def test_side_panel_shows_the_indicator_of_the_current_cell(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0104")
    ind = entry.catalog.indicator("0104")
    qtbot.waitUntil(lambda: ind.name_vi in view.indicator_panel.info.text())
    text = view.indicator_panel.info.text()
    assert ind.name_vi in text and "Đơn vị tính" in text and ind.unit in text
    assert ind.definition_vi.split()[0] in text


def test_completeness_counts_indicators_entered(qtbot, entry):
    view = open_form(qtbot, entry)
    done = view.completeness()
    # BM03: 11 indicators; required 0101, 0102, 0103, 0104 (one value makes an indicator entered)
    assert (done.entered, done.total, done.missing_required) == (0, 11, ("0101", "0102", "0103", "0104"))
    go(view, "0104")
    type_into(view, "5")
    done = view.completeness()
    assert (done.entered, done.missing_required) == (1, ("0101", "0102", "0103"))


def test_english_interface_smoke(qtbot, tmp_path):
    with entry_for(tmp_path) as entry:
        view = open_form(qtbot, entry, lang="en")
        go(view, "0104")
        type_into(view, "-1")
        view.recheck()
        col = view.model.layout.message_col
        messages = [view.model.index(r, col).data() or "" for r in range(view.model.rowCount())]
        assert any("cannot be negative" in m for m in messages), [m for m in messages if m]


def _keys(widget, *steps) -> None:
    """Real key events into the widget that has the focus (text with its key, as a keyboard sends it)."""
    for step in steps:
        target = QApplication.focusWidget() or widget
        if isinstance(step, str):
            for ch in step:
                QTest.keyClick(target, ch)
        else:
            QTest.keyClick(target, step)


def test_space_in_the_search_box_ticks_the_highlighted_group_and_typing_searches_again(qtbot):
    dlg = EthnicPicker(default_options("eth"), [])
    qtbot.addWidget(dlg)
    with qtbot.waitActive(dlg):
        dlg.show()
        dlg.activateWindow()
    dlg.search.setFocus()
    _keys(dlg.search, "dao", Qt.Key.Key_Space)  # Space ticks Dao: it is not typed into the search
    assert dlg.search.text() == "dao" and dlg.model.checked() == ["09"]
    _keys(dlg.search, "hmong", Qt.Key.Key_Space)  # the next letters start a new search
    assert dlg.search.text() == "hmong" and dlg.model.checked() == ["08", "09"]
    _keys(dlg.search, "hmong", Qt.Key.Key_Space)  # Space again unticks
    assert dlg.model.checked() == ["09"]
    _keys(dlg.search, Qt.Key.Key_Return)
    assert dlg.result() == dlg.DialogCode.Accepted and dlg.result_codes() == ["09"]


def test_after_ticking_in_the_list_typing_returns_to_the_search_box(qtbot):
    dlg = EthnicPicker(default_options("eth"), [])
    qtbot.addWidget(dlg)
    with qtbot.waitActive(dlg):
        dlg.show()
        dlg.activateWindow()
    dlg.search.setFocus()
    _keys(dlg.search, "ta", Qt.Key.Key_Down, Qt.Key.Key_Space)  # in the list now: tick the second match
    assert dlg.list.hasFocus()
    ticked = dlg.model.checked()
    assert len(ticked) == 1
    _keys(dlg.list, "hanhi")  # letters typed in the list go to the search box and filter ("Hà Nhì")
    assert dlg.search.hasFocus() and dlg.search.text() == "hanhi"
    assert dlg.model.choice(0).name == "Hà Nhì"
    _keys(dlg.search, Qt.Key.Key_Space, Qt.Key.Key_Return)
    assert sorted(dlg.result_codes()) == sorted([*ticked, dlg.model.choice(0).code])


def test_the_problems_heading_reads_as_two_sentences(qtbot):
    from dttsclient.ui.problems_panel import ProblemsPanel
    from dttscore.problems import MISSING, Problem

    panel = ProblemsPanel(lambda p: p.indicator)
    qtbot.addWidget(panel)
    warning = Problem("warning", "swing", "0103", "", "Tăng nhiều.", "Rose a lot.")
    missing = Problem(MISSING, "required", "0101", "", "Chưa nhập.", "Not entered.")
    panel.set_problems([warning, missing])
    assert panel._heading.text() == "Cần xem: 0 lỗi, 1 cảnh báo. Còn 1 chỉ tiêu bắt buộc chưa nhập."
    panel.set_problems([missing])
    assert panel._heading.text() == "Không có lỗi hay cảnh báo nào. Còn 1 chỉ tiêu bắt buộc chưa nhập."
