"""The USB menu: each action runs the real USB layer on the runner; exports unlock leaving a profile."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from dttsclient.ui.import_dialogs import ChangesDialog, Question
from dttsclient.ui.main_window import MainWindow
from dttsclient.ui.places import LastFolder
from dttsclient.ui.profiles import leave_check
from dttsclient.usb.xlsx_report import META_SHEET, export_xlsx


@pytest.fixture
def window(qtbot, store, sync_runner, kit) -> MainWindow:
    w = MainWindow(store, sync_runner, None, form_view_factory=kit.form_view_stub, today=kit.TODAY)
    qtbot.addWidget(w)
    w.said = []
    w.say = w.said.append
    return w


def test_menu_offers_the_usb_actions(window):
    texts = [a.text() for a in window.usb.menu.actions() if a.text()]
    assert texts == [
        "Xuất gói chuyển tay (báo cáo chưa gửi)…",
        "Sao lưu ra USB…",
        "Kiểm tra một bản sao lưu…",
        "Khôi phục từ bản sao lưu…",
        "Xuất báo cáo đang mở ra Excel…",
        "Xuất báo cáo đang mở ra PDF (để in)…",
        "Nhập số liệu từ Excel vào báo cáo đang mở…",
    ]


def test_backup_export_verify_restore_and_leaving_the_profile(window, store, kit, tmp_path):
    kit.finalize(store, kit.fill(store, "BM04", "202610"))
    assert not leave_check(store).allowed
    usb = tmp_path / "usb"
    usb.mkdir()
    window.usb.export_backup(usb)
    backups = list(usb.glob("*.dttsbak"))
    assert len(backups) == 1 and "Có thể rút USB" in window.said[-1]
    assert leave_check(store).allowed  # usb.last_export_at is now after the finalize
    window.usb.verify_backup(backups[0])
    assert "còn nguyên vẹn" in window.said[-1]
    window.usb.restore(backups[0])
    # restoring the profile's own backup: nothing new, and the officer is told so in plain words
    assert window.said[-1].startswith("Đã khôi phục xong: tệp không có gì mới")
    assert "Dữ liệu mới hơn trên máy được giữ nguyên." in window.said[-1]
    assert store.outbox.counts()["queued"] == 1


def test_courier_bundle_of_the_unsent_reports(window, store, kit, tmp_path):
    kit.finalize(store, kit.fill(store, "BM04", "202610"))
    window.usb.export_courier(tmp_path)
    assert len(list(tmp_path.glob("*.dttsgoi"))) == 1
    assert "gói chuyển tay" in window.said[-1]
    window.usb.export_courier(tmp_path / "again")  # the bundle holds the same unsent reports
    assert leave_check(store).allowed


def test_export_and_import_of_the_open_report(window, store, kit, tmp_path, monkeypatch):
    rid = kit.fill(store, "BM04", "202610")
    window.open_report(rid)
    assert window.usb._open_report_id() is None  # the stub view has no report_id: the officer is told
    window.form_view.report_id = rid
    window.usb.export_report(rid, tmp_path / "bm04.xlsx", "xlsx")
    window.usb.export_report(rid, tmp_path / "bm04.pdf", "pdf")
    assert (tmp_path / "bm04.xlsx").stat().st_size > 0 and (tmp_path / "bm04.pdf").stat().st_size > 0
    other = kit.fill(store, "BM04", "202609")
    asked = []
    monkeypatch.setattr(Question, "ask", classmethod(lambda cls, *a: asked.append(a) or True))
    window.usb.import_values(other, tmp_path / "bm04.xlsx")
    assert store.reports.cells(other) == store.reports.cells(rid)
    _parent, _title, text, yes, no = asked[0]
    # Vietnamese, naming both reports with the form's code and name; no command-line wording.
    assert "bm04.xlsx" in text and "Tháng 10/2026" in text and "Tháng 9/2026" in text
    assert text.count("BM04 – Báo cáo nhanh hằng tháng") == 2
    assert yes == "Nhập vào biểu BM04" and no == "Không nhập"
    assert "--yes" not in text and "dòng lệnh" not in text


def _changed_export(store, report_id, path: Path, code: str) -> tuple[str, str, str]:
    """Export the report to Excel and change one numeric value there; (disagg, old, new) of that cell."""
    export_xlsx(store, report_id, path)
    wb = load_workbook(path)
    rows = list(wb[META_SHEET].iter_rows(values_only=True))
    start = rows.index(("sheet", "cell", "code", "disagg", "value_type"))
    cells = store.reports.cells(report_id)
    sheet, ref, _, disagg, _ = next(
        r for r in rows[start + 1 :] if r[2] == code and (code, r[3] or "") in cells
    )
    old = cells[(code, disagg or "")]
    new = str(int(old) + 1)
    wb[sheet][ref] = int(new)
    wb.save(path)
    return disagg or "", old, new


def _snapshot(store) -> dict:
    with contextlib.closing(sqlite3.connect(store.path)) as conn:  # a reader of its own
        return {
            t: sorted(tuple(r) for r in conn.execute(f"SELECT * FROM {t}"))
            for t in ("reports", "cells", "change_log", "submissions", "outbox")
        }


def test_the_question_about_another_reports_file_defaults_to_no(window, store, kit, tmp_path, qtbot):
    """Enter on the real question box answers "Không nhập": nothing is imported."""
    rid = kit.fill(store, "BM04", "202610")
    window.usb.export_report(rid, tmp_path / "bm04.xlsx", "xlsx")
    other = store.reports.report(kit.UNIT, "BM04", "202609", create=True).id
    seen = {}

    def press_enter() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["buttons"] = [b.text() for b in box.buttons()]
        seen["default"] = box.defaultButton().text()
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, press_enter)
    window.usb.import_values(other, tmp_path / "bm04.xlsx")
    assert sorted(seen["buttons"]) == ["Không nhập", "Nhập vào biểu BM04"]
    assert seen["default"] == "Không nhập"
    assert store.reports.cells(other) == {}


def _accept(store, sub) -> None:
    store.outbox.claim(50, 60)
    store.outbox.apply_results(
        [
            {
                "submission_id": sub.submission_id,
                "status": "accepted",
                "receipt_no": "BN-7",
                "server_revision": 1,
                "received_at": "2026-11-02T08:00:00+00:00",
                "errors": [],
            }
        ]
    )


@pytest.mark.parametrize("sent", [False, True])
def test_import_into_a_finalized_report_shows_the_changes_first(
    window, store, kit, tmp_path, monkeypatch, sent
):
    rid = kit.fill(store, "BM04", "202610")
    sub = kit.finalize(store, rid)
    if sent:
        _accept(store, sub)
    disagg, old, new = _changed_export(store, rid, tmp_path / "bm04.xlsx", "0113")
    before = _snapshot(store)
    shown = []

    def look_and_answer(answer: bool):
        def ask(cls, parent, intro, changes, lang="vi"):
            dialog = ChangesDialog(parent, intro, changes, lang)
            table = dialog.table
            shown.append(
                {
                    "intro": intro,
                    "headers": [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())],
                    "rows": [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())],
                    "default": dialog.no_button.isDefault(),
                }
            )
            dialog.deleteLater()
            return answer

        return classmethod(ask)

    monkeypatch.setattr(ChangesDialog, "ask", look_and_answer(False))
    window.usb.import_values(rid, tmp_path / "bm04.xlsx")
    assert _snapshot(store) == before  # cancelled: still finalized, nothing written, nothing logged
    assert store.reports.report_by_id(rid).state == "finalized"
    info = shown[0]
    assert info["headers"] == ["Chỉ tiêu", "Phân tổ", "Giá trị cũ", "Giá trị mới"]
    assert len(info["rows"]) == 1 and info["rows"][0][0].startswith("0113 ")
    assert info["rows"][0][2:] == [old, new]
    assert info["default"]
    assert ("đã gửi lên máy chủ" in info["intro"]) is sent and "BM04 – Báo cáo nhanh" in info["intro"]

    monkeypatch.setattr(ChangesDialog, "ask", look_and_answer(True))
    window.usb.import_values(rid, tmp_path / "bm04.xlsx")
    report = store.reports.report_by_id(rid)
    assert report.state == "draft" and report.dirty
    assert store.reports.cells(rid)[("0113", disagg)] == new
    assert "bản nháp" in window.statusBar().currentMessage()


def test_file_dialogs_open_in_the_last_folder_used(window, store, kit, tmp_path, monkeypatch):
    stick = tmp_path / "stick"
    stick.mkdir()
    starts = []

    def folder(parent, caption, start=""):
        starts.append(start)
        return str(stick)

    def save(parent, caption, start="", pattern=""):
        starts.append(start)
        return str(stick / "bm04.pdf"), pattern

    def open_(parent, caption, start="", pattern=""):
        starts.append(start)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(folder))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(open_))
    monkeypatch.chdir(tmp_path)
    window.usb.ask_export_backup()
    # Nothing used before: a USB stick or the home folder, never the working directory.
    assert starts[0] and Path(starts[0]) != Path.cwd()
    rid = kit.fill(store, "BM04", "202610")
    window.open_report(rid)
    window.form_view.report_id = rid
    window.usb.ask_export_report("pdf")
    assert Path(starts[1]) == stick / "BM04_202610_02701.pdf"
    window.usb.ask_import_values()
    window.usb.ask_restore()
    window.usb.ask_verify_backup()
    window.usb.ask_export_courier()
    assert [Path(s) for s in starts[2:]] == [stick] * 4
    # Kept for the next start of the app (the profile's window.ini), not in the profile database.
    assert LastFolder(store.data_dir).folder() == stick
    (stick / "gone").mkdir()
    LastFolder(store.data_dir).remember(stick / "gone")
    (stick / "gone").rmdir()  # the stick was pulled out: back to a removable drive or home
    assert LastFolder(store.data_dir).folder() != stick / "gone"


def test_restoring_another_communes_backup_asks_in_vietnamese(window, store, kit, tmp_path, monkeypatch):
    from dttsclient.store import Store
    from dttsclient.usb.backup import export_backup

    with Store.open(tmp_path / "other") as other:
        other.catalogs.import_catalog(store.catalogs.current_catalog())
        other.settings.set_profile(unit=kit.OTHER_UNIT, username="canbo.khac")
        kit.fill(other, "BM04", "202610", unit=kit.OTHER_UNIT)
        backup = export_backup(other, tmp_path / "usb").path
    asked = []
    answer = [False]
    monkeypatch.setattr(Question, "ask", classmethod(lambda cls, *a: asked.append(a) or answer[0]))
    window.usb.restore(backup)
    _parent, title, text, yes, no = asked[0]
    assert title == "Bản sao lưu của xã khác" and (yes, no) == ("Vẫn khôi phục", "Không khôi phục")
    assert kit.OTHER_UNIT in text and "--yes" not in text and "dòng lệnh" not in text
    assert store.reports.report(kit.OTHER_UNIT, "BM04", "202610") is None
    answer[0] = True
    window.usb.restore(backup)
    assert store.reports.report(kit.OTHER_UNIT, "BM04", "202610") is not None


def test_printing_a_report_without_values_gives_the_blank_form(window, store, kit, tmp_path):
    from tests.usb.test_pdf import pdf_text

    kit.fill(store, "BM04", "202610")  # the commune's ethnic groups are known from this report
    empty = store.reports.report(store.settings.profile().unit, "BM04", "202611", create=True)
    window.usb.export_report(empty.id, tmp_path / "blank.pdf", "pdf")
    text = pdf_text(tmp_path / "blank.pdf")
    assert "Biểu trống" in text and "Bản nháp" not in text and "Tháng 11/2026" in text
    assert store.reports.cells(empty.id) == {}
