"""Finalize: errors block, every warning needs a reason, the summary of what is sent; editing a finalized
report asks once and makes a new revision."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from dttsclient.store import Store, warning_key
from dttsclient.ui.finalize_dialog import FinalizeDialog, ReviseConfirm
from tests.support.entry_fixtures import cell, entry_for, go, open_form, type_into

ETH = ["02", "08", "09"]


def good_values(eth=ETH) -> dict[tuple[str, str], str]:
    """BM03 values that pass every rule (0105/0106 small enough for the R27 warning)."""
    values = {("0104", ""): "500"}
    for sex in ("M", "F"):
        values[("0103", f"sex={sex}")] = "1000"
        for code in ("0206", "0207", "0208"):
            values[(code, f"sex={sex}")] = "4"
        for e in eth:
            values[("0101", f"eth={e}|sex={sex}")] = "100"
            values[("0105", f"eth={e}|sex={sex}")] = "2"
            values[("0106", f"eth={e}|sex={sex}")] = "1"
    for e in eth:
        values[("0102", f"eth={e}")] = "20"
        values[("0108", f"eth={e}")] = "3"
        values[("0109", f"eth={e}")] = "3"
    return values


@pytest.fixture
def entry(tmp_path):
    with entry_for(tmp_path) as e:
        e.store.reports.set_cells(e.report_id, [(c, d, v) for (c, d), v in good_values().items()], "canbo")
        yield e


def test_the_dialog_summarises_what_will_be_sent(qtbot, entry):
    dlg = FinalizeDialog(entry.store, entry.report_id)
    qtbot.addWidget(dlg)
    text = " ".join(w.text() for w in dlg.findChildren(type(dlg.revision_label)))
    assert "BM03" in text and "Quý 1/2026" in text and "Xã Thử Nghiệm (01849)" in text
    assert str(len(good_values())) in text  # number of values
    assert "Lần nộp 1" in dlg.revision_label.text()
    assert not dlg.errors and not dlg.warnings
    assert dlg.ok_button.isEnabled()
    dlg.ok_button.click()
    assert dlg.submission is not None and dlg.submission.revision_no == 1
    with Store.open(entry.data_dir) as fresh:
        assert [o.state for o in fresh.outbox.items()] == ["queued"]


def test_warnings_need_a_reason_each(qtbot, entry):
    entry.store.reports.set_cell(
        entry.report_id, "0105", "eth=02|sex=M", "50", "canbo"
    )  # births too many: R27
    dlg = FinalizeDialog(entry.store, entry.report_id)
    qtbot.addWidget(dlg)
    assert not dlg.errors and [w.code for w in dlg.warnings] == ["R27"]
    assert not dlg.ok_button.isEnabled()
    dlg.accept()  # Enter while a reason is missing: nothing happens
    assert dlg.submission is None
    key = warning_key(dlg.warnings[0])
    qtbot.keyClicks(dlg.reason_edits[key], "Da kiem tra so sinh tai tram y te")
    assert dlg.ok_button.isEnabled()
    dlg.ok_button.click()
    assert dlg.result() == dlg.DialogCode.Accepted
    doc = dlg.submission.document
    assert doc["warnings"] == [{"rule": "R27", "option": "", "reason": "Da kiem tra so sinh tai tram y te"}]
    assert len(doc["values"]) == len(good_values())


def test_errors_block(qtbot, entry):
    entry.store.reports.set_cell(entry.report_id, "0102", "eth=02", "900", "canbo")  # households > people
    dlg = FinalizeDialog(entry.store, entry.report_id)
    qtbot.addWidget(dlg)
    assert {p.code for p in dlg.errors} >= {"R01", "R02"}
    assert not dlg.ok_button.isEnabled()
    labels = " ".join(w.text() for w in dlg.findChildren(type(dlg.status)))
    assert "chưa chốt được" in labels
    dlg.accept()
    assert dlg.submission is None
    with Store.open(entry.data_dir) as fresh:
        assert fresh.outbox.items() == []


def test_the_finalize_button_opens_the_dialog_and_refreshes(qtbot, entry, monkeypatch):
    view = open_form(qtbot, entry)
    calls = []

    def ask(cls, parent, store, report_id, lang="vi"):
        calls.append(report_id)
        return store.outbox.finalize(report_id, "canbo", reasons={}, require_reasons=True)

    monkeypatch.setattr(FinalizeDialog, "ask", classmethod(ask))
    with qtbot.waitSignals([view.finalizeRequested, view.finalized, view.changed]):
        qtbot.mouseClick(view.finalize_button, Qt.MouseButton.LeftButton)
    assert calls == [entry.report_id]
    assert "lần nộp 1" in view.notice.text()
    assert view.state_bar.isVisible()
    assert "Báo cáo đã chốt (lần nộp 1). Nếu sửa, một lần nộp mới sẽ được tạo." in view.state_bar.text()
    assert not view.finalize_button.isEnabled()  # nothing changed since
    assert view.undo_stack.count() == 0


def test_editing_a_finalized_report_asks_once_and_makes_a_new_revision(qtbot, entry, monkeypatch):
    entry.store.outbox.finalize(entry.report_id, "canbo", reasons={}, require_reasons=True)
    view = open_form(qtbot, entry)
    assert "Báo cáo đã chốt (lần nộp 1)" in view.state_bar.text()
    answers = [False, True]
    asked = []

    def confirm(cls, parent, revision_no):
        asked.append(revision_no)
        return answers.pop(0)

    monkeypatch.setattr(ReviseConfirm, "ask", classmethod(confirm))
    go(view, "0104")
    type_into(view, "600")  # declined: nothing is written, the report stays finalized
    assert asked == [1]
    assert entry.store.reports.cells(entry.report_id)[("0104", "")] == "500"
    assert view.view.delegate.open_editor() is None
    go(view, "0104")
    type_into(view, "600")  # accepted
    go(view, "0103", "sex=M")
    type_into(view, "1200")  # not asked again
    assert asked == [1, 1]
    view.recheck()
    with Store.open(entry.data_dir) as fresh:
        report = fresh.reports.report_by_id(entry.report_id)
        assert report.state == "draft" and report.dirty
        assert fresh.reports.cells(entry.report_id)[("0104", "")] == "600"
    assert "lần nộp 2" in view.state_bar.text()
    assert view.finalize_button.isEnabled()
    sub = entry.store.outbox.finalize(entry.report_id, "canbo", reasons={}, require_reasons=True)
    assert sub.revision_no == 2 and sub.supersedes is not None


def test_the_revision_question_itself(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    def exec_(box):
        assert "lần nộp 1" in box.text() and "lần nộp 2" in box.text()
        box.buttons()[0].click()  # "Sửa báo cáo"
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    assert ReviseConfirm.ask(None, 1) is True


def test_a_finalized_report_without_changes_has_nothing_to_finalize(qtbot, entry):
    entry.store.outbox.finalize(entry.report_id, "canbo", reasons={}, require_reasons=True)
    dlg = FinalizeDialog(entry.store, entry.report_id)
    qtbot.addWidget(dlg)
    assert dlg.nothing_new and not dlg.ok_button.isEnabled()


def test_cells_show_computed_totals(qtbot, entry):
    view = open_form(qtbot, entry)
    r, _c = cell(view, "0101", "eth=02|sex=M")
    block = view.model.block_at(r)
    assert view.model.index(r, block.total_col).data() == "200"
    assert view.model.index(block.total_row, block.total_col).data() == "600"
    assert view.model.index(block.total_row, 1).data() == "300"
    assert not view.model.flags(view.model.index(r, block.total_col)) & Qt.ItemFlag.ItemIsEditable
