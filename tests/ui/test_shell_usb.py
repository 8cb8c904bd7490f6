"""The USB menu: each action runs the real USB layer on the runner; exports unlock leaving a profile."""

from __future__ import annotations

import pytest

from dttsclient.ui.main_window import MainWindow
from dttsclient.ui.profiles import leave_check


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
    assert "khôi phục xong" in window.said[-1]
    assert store.outbox_counts()["queued"] == 1


def test_courier_bundle_of_the_unsent_reports(window, store, kit, tmp_path):
    kit.finalize(store, kit.fill(store, "BM04", "202610"))
    window.usb.export_courier(tmp_path)
    assert len(list(tmp_path.glob("*.dttsgoi"))) == 1
    assert "gói chuyển tay" in window.said[-1]
    window.usb.export_courier(tmp_path / "again")  # the bundle holds the same unsent reports
    assert leave_check(store).allowed


def test_export_and_import_of_the_open_report(window, store, kit, tmp_path):
    rid = kit.fill(store, "BM04", "202610")
    window.open_report(rid)
    assert window.usb._open_report_id() is None  # the stub view has no report_id: the officer is told
    window.form_view.report_id = rid
    window.usb.export_report(rid, tmp_path / "bm04.xlsx", "xlsx")
    window.usb.export_report(rid, tmp_path / "bm04.pdf", "pdf")
    assert (tmp_path / "bm04.xlsx").stat().st_size > 0 and (tmp_path / "bm04.pdf").stat().st_size > 0
    other = kit.fill(store, "BM04", "202609")
    window.confirm = lambda _text: True  # another period's file: the officer confirms
    window.usb.import_values(other, tmp_path / "bm04.xlsx")
    assert store.cells(other) == store.cells(rid)
