"""Pasting a block copied from Excel (tab/newline text): blanks skipped, bad values refused, one undo."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from dttsclient.store import Store
from dttsclient.ui.paste import split_block
from tests.support.entry_fixtures import cell, current, entry_for, go, open_form, press


@pytest.fixture
def entry(tmp_path):
    with entry_for(tmp_path) as e:
        yield e


def _fresh_cells(entry) -> dict:
    with Store.open(entry.data_dir) as fresh:
        return fresh.reports.cells(entry.report_id)


def _paste(view, text: str) -> None:
    QApplication.clipboard().setText(text)
    press(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_a_block_fills_the_rows_and_columns_from_the_current_cell(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0101", "eth=02|sex=M")
    _paste(view, "1\t2\n3\t4\n")  # Excel ends the block with a newline
    cells = _fresh_cells(entry)
    assert cells[("0101", "eth=02|sex=M")] == "1"
    assert cells[("0101", "eth=02|sex=F")] == "2"
    assert cells[("0101", "eth=08|sex=M")] == "3"
    assert cells[("0101", "eth=08|sex=F")] == "4"
    assert len(cells) == 4
    assert "Đã dán 4 ô" in view.notice.text()
    assert view.model.index(cell(view, "0101", "eth=02|sex=M")[0], 3).data() == "3"  # computed total
    press(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the whole paste is one step
    assert _fresh_cells(entry) == {}


def test_blanks_in_the_block_are_skipped_not_cleared(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0101", "eth=02|sex=M")
    _paste(view, "1\t2\n3\t4")
    go(view, "0101", "eth=02|sex=M")
    _paste(view, "\t20\n30\t")
    cells = _fresh_cells(entry)
    assert cells[("0101", "eth=02|sex=M")] == "1"  # blank: kept
    assert cells[("0101", "eth=02|sex=F")] == "20"
    assert cells[("0101", "eth=08|sex=M")] == "30"
    assert cells[("0101", "eth=08|sex=F")] == "4"  # blank: kept
    assert "Bỏ qua 2 ô trống" in view.notice.text()


def test_a_bad_value_is_refused_with_a_message_and_nothing_else_is_lost(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0101", "eth=02|sex=M")
    _paste(view, "5\t6")
    go(view, "0101", "eth=02|sex=M")
    _paste(view, "7\tabc\n1.234\t-")
    cells = _fresh_cells(entry)
    assert cells[("0101", "eth=02|sex=M")] == "7"
    assert cells[("0101", "eth=02|sex=F")] == "6"  # refused: the old value stays
    assert cells[("0101", "eth=08|sex=M")] == "1234"  # Vietnamese thousands
    assert ("0101", "eth=08|sex=F") not in cells
    text = view.notice.text()
    assert "2 ô không nhận" in text and "“abc” không phải là số" in text and "0101 · Tày · Nữ" in text
    assert current(view) == cell(view, "0101", "eth=02|sex=F")  # the cursor on the first refused cell


def test_values_outside_the_table_are_counted_not_written(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0101", "eth=09|sex=M")  # the last ethnic row of 0101
    _paste(view, "1\t2\t3\n4\t5")
    cells = _fresh_cells(entry)
    assert cells == {("0101", "eth=09|sex=M"): "1", ("0101", "eth=09|sex=F"): "2"}
    assert "3 giá trị nằm ngoài bảng" in view.notice.text()


def test_copy_gives_tab_separated_text_that_pastes_back(qtbot, entry):
    view = open_form(qtbot, entry)
    go(view, "0101", "eth=02|sex=M")
    _paste(view, "1500\t2")
    go(view, "0101", "eth=02|sex=M")
    press(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    press(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "1.500\t2\n"
    go(view, "0101", "eth=08|sex=M")
    press(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert _fresh_cells(entry)[("0101", "eth=08|sex=M")] == "1500"


def test_split_block_reads_excel_quoting():
    assert split_block("1\t2\r\n3\t4\r\n") == [["1", "2"], ["3", "4"]]
    assert split_block('"a\tb"\t"say ""hi"""\n') == [["a\tb", 'say "hi"']]
    assert split_block("") == [[""]]


_cell_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8)


def _excel_quote(cell: str) -> str:
    """How Excel puts a cell on the clipboard: quoted when it holds a tab, newline or quote."""
    if any(ch in cell for ch in '\t\n\r"'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_cell_text, min_size=1, max_size=4), min_size=1, max_size=5))
def test_split_block_reads_back_what_excel_writes(rows):
    rows = [[c.replace("\r", "") for c in row] for row in rows]
    text = "\n".join("\t".join(_excel_quote(c) for c in row) for row in rows) + "\n"  # Excel's last newline
    assert split_block(text) == rows
    assert split_block(text.replace("\n", "\r\n")) == rows  # Windows line ends read the same


def test_labelled_rows_go_to_their_group_and_an_excluded_group_is_refused(qtbot, tmp_path):
    # 0101 (minority population) excludes Kinh in the sample catalogue: the grid has no Kinh row for it
    with entry_for(tmp_path, eth=["01", "02", "08"]) as e:
        view = open_form(qtbot, e)
        go(view, "0101", "eth=02|sex=M")
        _paste(view, "Kinh\t5\t6\nHMông\t7\t8\nDao\t1\t2")
        cells = _fresh_cells(e)
        assert cells == {("0101", "eth=08|sex=M"): "7", ("0101", "eth=08|sex=F"): "8"}
        text = view.notice.text()
        assert "2 ô không nhận" in text
        assert "chỉ tiêu 0101 không có dòng dân tộc Kinh (danh mục loại trừ)" in text
        assert "biểu chưa có dòng dân tộc Dao" in text
