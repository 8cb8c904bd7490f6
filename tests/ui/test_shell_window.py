"""The shell without a hub: badges and completeness, period picker, settings, profiles, language,
About, the exception hook, and the real data-entry widget embedded."""

from __future__ import annotations

import logging
import sys
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtWidgets import QApplication

from dttsclient import __version__
from dttsclient.ui import settings_dialog
from dttsclient.ui.about_dialog import AboutDialog
from dttsclient.ui.app import AppController
from dttsclient.ui.excepthook import ErrorDialog, ExceptionHook
from dttsclient.ui.i18n import Translations
from dttsclient.ui.main_window import MainWindow
from dttsclient.ui.profiles import ProfilePicker, leave_check, list_profiles, new_profile_dir


@pytest.fixture
def window(qtbot, store, sync_runner, kit) -> MainWindow:
    w = MainWindow(store, sync_runner, None, form_view_factory=kit.form_view_stub, today=kit.TODAY)
    qtbot.addWidget(w)
    w.show()
    w.said = []
    w.say = w.said.append
    return w


def test_forms_with_badges_and_completeness(window, store, kit):
    kit.finalize(store, kit.fill(store, "BM04", "202610"))
    rid = kit.fill(store, "BM03", "2026Q4")
    store.reports.set_cell(
        rid,
        store.catalogs.current_catalog().form_indicators("BM03")[0].code,
        "eth=02|sex=F",
        None,
        kit.OFFICER,
    )
    window.refresh()
    window.set_period("202610")  # a month shows every form, each with its period containing October
    rows = {r.form: r for r in window.form_model.rows()}
    assert [r.form for r in window.form_model.rows()] == ["BM01", "BM02", "BM03", "BM04"]
    assert rows["BM04"].badge == "queued" and rows["BM04"].period == "202610"
    assert rows["BM03"].badge == "draft" and rows["BM03"].period == "2026Q4"
    assert rows["BM01"].badge == "empty" and rows["BM01"].period == "2026"
    assert rows["BM02"].period == "2026S2"
    assert rows["BM04"].filled == rows["BM04"].total > 0
    model = window.form_model
    assert model.data(model.index(3, model.COL_BADGE)) == "Chờ gửi"
    assert model.data(model.index(0, model.COL_BADGE)) == "Chưa nhập"
    # the banner names the commune, the sample catalogue; the status bar counts the outbox
    assert "Xã Y Tý" in window.banner.text() and ">MẪU</span>" in window.banner.text()
    assert window.outbox_label.text() == "Chờ gửi: 1"
    assert window.last_sync_label.text() == "Chưa đồng bộ lần nào"
    assert "Hạn nộp" in window.deadline_label.text()


def test_period_picker_offers_each_forms_own_period_and_the_forms_due_now_first(window, store, kit):
    combo = window.period_combo
    # first: the forms due now, each with the most recent ended period of its own type (today 21/11/2026)
    assert window.current_period() == "due" and combo.currentIndex() == 0
    assert combo.currentText() == "Các biểu đến hạn nộp"
    due = {r.form: (r.period, r.period_label) for r in window.form_model.rows()}
    assert due == {
        "BM01": ("2025", "Năm 2025"),
        "BM02": ("2026S1", "6 tháng đầu năm 2026"),
        "BM03": ("2026Q3", "Quý 3/2026"),
        "BM04": ("202610", "Tháng 10/2026"),
    }
    # then every period of every type the forms use, latest first, the longer first on the same end day
    labels = [combo.itemText(i) for i in range(2, combo.count())]
    assert labels[:6] == [
        "Năm 2026",
        "6 tháng cuối năm 2026",
        "Quý 4/2026",
        "Tháng 11/2026",
        "Tháng 10/2026",
        "Quý 3/2026",
    ]
    assert combo.count() == 2 + 3 + 6 + 12 + 36
    # a quarter picked directly: the quarterly form of that quarter (and the longer forms containing it)
    combo.setCurrentIndex(combo.findData("2026Q3"))
    rows = {r.form: r.period for r in window.form_model.rows()}
    assert rows == {"BM01": "2026", "BM02": "2026S2", "BM03": "2026Q3"}
    combo.setCurrentIndex(combo.findData("2026"))
    assert [(r.form, r.period) for r in window.form_model.rows()] == [("BM01", "2026")]
    # opening a yearly report from the list opens that year's report
    window._form_activated(window.form_model.index(0, 0))
    assert store.reports.report(kit.UNIT, "BM01", "2026") is not None


def test_period_label_names_every_kind_of_period():
    from dttscore.periods import period_label

    assert [period_label(c) for c in ("2026", "2026S2", "2026Q4", "202611")] == [
        "Năm 2026",
        "6 tháng cuối năm 2026",
        "Quý 4/2026",
        "Tháng 11/2026",
    ]
    assert period_label("2026Q4", "en") == "Q4 2026" and period_label("202611", "en") == "November 2026"
    assert period_label("not-a-period") == "not-a-period"


def test_opening_a_form_embeds_the_real_form_view(qtbot, store, sync_runner, kit):
    from dttsclient.ui.form_view import FormView

    w = MainWindow(store, sync_runner, None, today=kit.TODAY)
    qtbot.addWidget(w)
    w.show()
    w._form_activated(w.form_model.index(3, 0))  # BM04 of October
    assert isinstance(w.form_view, FormView)
    assert w.tabs.currentWidget() is w.entry_page
    report = store.reports.report(kit.UNIT, "BM04", "202610")
    assert report is not None and w.form_view.report_id == report.id
    assert "BM04" in w.tabs.tabText(w.tabs.indexOf(w.entry_page))
    # a write through the store the view shares shows up in the list after the view says "changed"
    catalog = store.catalogs.current_catalog()
    code = next(i.code for i in catalog.form_indicators("BM04") if not catalog.dimensions_of(i))
    store.reports.set_cell(report.id, code, "", "5", kit.OFFICER)
    w.form_view.changed.emit()
    assert next(r for r in w.form_model.rows() if r.form == "BM04").filled == 1


def test_settings_load_and_save(window, store):
    values = settings_dialog.load_settings(store)
    assert values == {
        "profile.lang": "vi",
        "profile.server_url": "",
        "sync.ca_bundle": "",
        "backup.folder": "",
        "sync.auto_when_online": False,
    }
    changed = settings_dialog.save_settings(
        store, {**values, "sync.ca_bundle": "/tmp/ca.pem", "sync.auto_when_online": True}
    )
    assert sorted(changed) == ["sync.auto_when_online", "sync.ca_bundle"]
    assert store.settings.get_setting("sync.ca_bundle") == "/tmp/ca.pem"
    assert settings_dialog.load_settings(store)["sync.auto_when_online"] is True
    # the dialog shows and returns the same values
    dialog = settings_dialog.SettingsDialog(settings_dialog.load_settings(store))
    assert dialog.values()["sync.ca_bundle"] == "/tmp/ca.pem"
    dialog.editor("backup.folder").edit.setText("/media/usb/dtts")
    assert settings_dialog.save_settings(store, dialog.values()) == ["backup.folder"]
    assert store.settings.get_setting("backup.folder") == "/media/usb/dtts"
    dialog.deleteLater()


def test_changing_the_server_or_profile_is_refused_while_reports_are_unsent(window, store, kit):
    kit.finalize(store, kit.fill(store, "BM04", "202610"))
    window.refresh()
    wanted: list[bool] = []
    window.switchProfileRequested.connect(lambda: wanted.append(True))
    assert window.request_switch_profile() is False
    assert window.request_logout() is False
    values = {**settings_dialog.load_settings(store), "profile.server_url": "https://khac.example"}
    assert window.apply_settings(values) is False
    assert store.settings.profile().server_url is None
    assert wanted == []
    assert len(window.said) == 3 and "1 báo cáo chưa gửi" in window.said[0]
    # a backup exported after the report was finalized makes it safe to leave
    later = (datetime.now(timezone.utc) + timedelta(seconds=1)).isoformat()
    store.settings.set_setting("usb.last_export_at", later)
    assert leave_check(store).allowed
    assert window.request_switch_profile() is True
    assert wanted == [True]


def test_profiles_are_listed_and_picked(qtbot, tmp_path, store, kit, monkeypatch):
    from dttsclient.store import Store

    root = store.data_dir.parent
    other = new_profile_dir(root, "Chị Lan")
    Store.open(other).close()
    infos = list_profiles(root)
    assert [i.name for i in infos] == ["chị-lan", "default"]
    assert infos[1].unit == kit.UNIT and infos[1].username == kit.OFFICER
    picker = ProfilePicker(infos, root)
    qtbot.addWidget(picker)
    assert picker.list.count() == 2
    picker.list.setCurrentRow(1)
    picker._open()
    assert picker.chosen == store.data_dir


def test_language_switch_rebuilds_the_window_in_english(qtbot, store, sync_runner, kit):
    app = QApplication.instance()
    controller = AppController(
        app, store.data_dir, "vi", form_view_factory=kit.form_view_stub, runner=sync_runner
    )
    try:
        controller.store = store
        controller.translations.install("vi")
        first = controller.show_window()
        qtbot.addWidget(first)
        assert first.sync_button.text() == "Đồng bộ"
        values = {**settings_dialog.load_settings(store), "profile.lang": "en"}
        assert first.apply_settings(values)
        second = controller.window
        qtbot.addWidget(second)
        assert second is not first and second.lang == "en"
        assert second.sync_button.text() == "Sync"
        assert second.tabs.tabText(0) == "Forms of the period"
        assert (
            second.form_model.data(second.form_model.index(0, second.form_model.COL_BADGE)) == "Not started"
        )
        assert store.settings.profile().lang == "en"
    finally:
        controller.translations.install("vi")
        controller.store = None
        controller.hook.uninstall()


def test_about_shows_versions(qtbot, store, sample_catalog):
    dialog = AboutDialog(sample_catalog, store.data_dir, "https://dtts.laocai.gov.vn (demo)")
    qtbot.addWidget(dialog)
    text = dialog.plain_text()
    assert __version__ in text
    assert f"phiên bản {sample_catalog.version}" in text and sample_catalog.legal_basis in text
    assert "MẪU" in text
    assert str(store.data_dir) in text
    assert "01/07/2025" in text


def test_about_names_the_server_with_the_fingerprint_of_its_key(window, store):
    import base64

    from dttsclient.sync.engine import SIGNING_KEY_SETTING
    from dttscore.formats.setup_package import key_fingerprint

    key = base64.b64encode(bytes(range(32))).decode()
    store.settings.set_profile(server_url="https://dtts.laocai.gov.vn")
    store.settings.set_setting(SIGNING_KEY_SETTING, key)
    assert window._server_text().startswith("https://dtts.laocai.gov.vn")
    assert f"mã nhận diện {key_fingerprint(key)}" in window._server_text()


def test_exception_hook_logs_and_offers_to_copy_details(qtbot, caplog, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(
        ErrorDialog, "ask", classmethod(lambda cls, details, parent=None: shown.append(details))
    )
    hook = ExceptionHook().install()
    try:
        try:
            raise RuntimeError("hỏng ở đâu đó")
        except RuntimeError:
            with caplog.at_level(logging.ERROR, logger="dttsclient.ui.excepthook"):
                sys.excepthook(*sys.exc_info())
    finally:
        hook.uninstall()
    assert len(shown) == 1 and "RuntimeError: hỏng ở đâu đó" in shown[0] and __version__ in shown[0]
    assert any(r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)
    dialog = ErrorDialog(shown[0])
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == shown[0]
    assert dialog.copy_button.text() == "Đã sao chép ✓"


def _messages(ts) -> set[tuple[str, str]]:
    import xml.etree.ElementTree as ET

    return {
        (context.findtext("name") or "", message.findtext("source") or "")
        for context in ET.parse(ts).getroot().iter("context")
        for message in context.iter("message")
    }


def test_translations_are_complete(qapp, tmp_path):
    """Every string the code marks for translation is in both .ts files (and no other), translated."""
    import importlib.util
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location(
        "build_translations", root / "tools" / "build_translations.py"
    )
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    fresh = tmp_path / "fresh.ts"
    files = tool.source_files()
    subprocess.run(
        [
            tool.find_tool("lupdate"),
            *files,
            "-locations",
            "none",
            "-source-language",
            "vi_VN",
            "-ts",
            str(fresh),
        ],
        check=True,
        capture_output=True,
    )
    in_code = _messages(fresh)
    assert in_code, "lupdate found no strings"
    for lang in ("vi", "en"):
        committed = root / "resources" / "i18n" / f"dttsclient_{lang}.ts"
        assert _messages(committed) == in_code, f"run tools/build_translations.py: {committed.name} is stale"
        assert not tool.unfinished(committed), f"{committed.name}: untranslated strings"
    t = Translations(QApplication.instance())
    try:
        assert t.install("en")
        assert QApplication.translate("Badges", "Bị trả lại") == "Returned"
    finally:
        t.install("vi")


def test_a_second_profile_brings_the_picker(tmp_path, store, monkeypatch):
    from dttsclient.appdirs import AppDirs
    from dttsclient.store import Store
    from dttsclient.ui.app import choose_profile

    root = store.data_dir.parent
    assert (
        choose_profile(AppDirs(store.data_dir, root, root / "logs", False, "environment")) == store.data_dir
    )  # only one: no picker
    Store.open(root / "chi-lan").close()
    asked: list = []
    monkeypatch.setattr(
        ProfilePicker,
        "ask",
        classmethod(
            lambda cls, profiles, r, parent=None: asked.append([p.name for p in profiles]) or root / "chi-lan"
        ),
    )
    assert (
        choose_profile(AppDirs(store.data_dir, root, root / "logs", False, "environment")) == root / "chi-lan"
    )
    assert asked == [["chi-lan", "default"]]
    assert (
        choose_profile(AppDirs(store.data_dir, root, root / "logs", True, "argument")) == store.data_dir
    )  # --data-dir: exactly that one
