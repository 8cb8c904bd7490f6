"""No raw codes on screen, no Vietnamese in English mode: periods, times, environments, catalogue ids,
profile folder names and the grid's own words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication, QLabel

from dttsclient.ui.about_dialog import AboutDialog
from dttsclient.ui.finalize_dialog import FinalizeDialog
from dttsclient.ui.grid_layout import build_layout, indicator_title
from dttsclient.ui.i18n import TRANSLATOR_NAME, Translations, current_lang
from dttsclient.ui.main_window import MainWindow
from dttsclient.ui.outbox_model import OutboxModel, OutboxRow
from dttsclient.ui.profiles import ProfileInfo
from dttsclient.ui.sync_view import ReturnedRow, SyncView
from tests.support.entry_fixtures import entry_for

ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
LOCAL_TIME = re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d")


@pytest.fixture
def english(qapp) -> Iterator[Translations]:
    t = Translations(qapp)
    assert t.install("en")
    yield t
    t.install("vi")
    for old in qapp.findChildren(QTranslator, TRANSLATOR_NAME):
        qapp.removeTranslator(old)
        old.setParent(None)


@pytest.fixture
def window(qtbot, store, sync_runner, kit) -> MainWindow:
    w = MainWindow(store, sync_runner, None, form_view_factory=kit.form_view_stub, today=kit.TODAY)
    qtbot.addWidget(w)
    w.said = []
    w.say = w.said.append
    return w


def test_the_grid_speaks_english_in_english_mode(english, sample_catalog):
    assert current_lang() == "en"
    form = sample_catalog.form("BM01")
    eth = [o.code for o in sample_catalog.options_for("eth")][:2]
    layout = build_layout(sample_catalog, form, eth, "en")
    words = [r.label for r in layout.rows] + [h for r in layout.rows for h in r.headers]
    assert "Total" in words
    assert not [w for w in words if w in ("Tổng", "Tổng số", "Giá trị", "Số lượng")]
    people = next(i for i in sample_catalog.indicators if i.unit == "người")
    assert indicator_title(people, "en").endswith("(persons)")
    assert indicator_title(people, "vi").endswith("(người)")


def test_the_grid_speaks_vietnamese_by_default(sample_catalog):
    layout = build_layout(sample_catalog, sample_catalog.form("BM01"), ["01"], "vi")
    words = [r.label for r in layout.rows] + [h for r in layout.rows for h in r.headers]
    assert "Tổng số" in words or "Tổng" in words


def test_receipts_table_and_returned_list_show_period_names(qtbot):
    model = OutboxModel()
    model.set_rows(
        [
            OutboxRow("a", 1, "BM03", "2026Q4", 1, "accepted", "R-1"),
            OutboxRow("b", 2, "BM04", "202611", 1, "queued"),
        ]
    )
    assert model.data(model.index(0, OutboxModel.COL_PERIOD)) == "Quý 4/2026"
    assert model.data(model.index(1, OutboxModel.COL_PERIOD)) == "Tháng 11/2026"
    view = SyncView()
    qtbot.addWidget(view)
    view.set_returned([ReturnedRow(3, "BM03", "2026Q4", "Sửa 0101")])
    assert "Quý 4/2026" in view.returned_list.item(0).text()
    assert "2026Q4" not in view.returned_list.item(0).text()


def test_receipts_table_in_english(english):
    model = OutboxModel()
    model.set_rows([OutboxRow("a", 1, "BM03", "2026Q4", 1, "accepted", "R-1")])
    assert model.data(model.index(0, OutboxModel.COL_PERIOD)) == "Q4 2026"


def test_about_names_the_catalogue_without_its_id(qtbot, store, sample_catalog):
    dialog = AboutDialog(sample_catalog, store.data_dir, "https://dtts.laocai.gov.vn (chính thức)")
    qtbot.addWidget(dialog)
    text = dialog.plain_text()
    assert sample_catalog.catalog_id not in text
    assert f"phiên bản {sample_catalog.version}" in text


def test_banner_and_about_say_the_environment_in_words(window, store):
    store.settings.set_profile(server_url="https://dtts.laocai.gov.vn")
    window._environment = "production"
    window.refresh_banner()
    banner = window.banner.text()
    assert "chính thức" in banner and "production" not in banner
    assert "SAMPLE" not in banner and "padding:0 4px'>MẪU</span>" in banner
    assert window._server_text() == "https://dtts.laocai.gov.vn (chính thức)"


def test_backup_check_says_a_local_time(window, store, kit, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    window.usb.export_backup(usb)
    window.usb.verify_backup(next(usb.glob("*.dttsbak")))
    said = window.said[-1]
    assert "còn nguyên vẹn" in said
    assert not ISO_TIME.search(said), said
    assert LOCAL_TIME.search(said), said


def test_the_entry_tab_names_the_period(window, store, kit):
    rid = kit.fill(store, "BM03", "2026Q4")
    window.open_report(rid)
    title = window.tabs.tabText(window.tabs.indexOf(window.entry_page))
    assert "Quý 4/2026" in title and "2026Q4" not in title


def test_finalize_dialog_names_the_catalogue_without_its_id(qtbot, tmp_path):
    with entry_for(tmp_path) as e:
        dlg = FinalizeDialog(e.store, e.report_id)
        qtbot.addWidget(dlg)
        text = " ".join(w.text() for w in dlg.findChildren(QLabel))
        catalog = e.store.catalogs.current_catalog()
        assert catalog.catalog_id not in text
        assert f"{catalog.title} (phiên bản {catalog.version})" in text


def test_profile_labels_do_not_show_app_made_folder_names():
    info = ProfileInfo(Path("/p/profile"), "profile", "02701", "Xã Y Tý", "canbo.yty")
    assert info.label() == "canbo.yty — Xã Y Tý (02701)"
    assert ProfileInfo(Path("/p/default"), "default", username="a").label() == "a"
    assert ProfileInfo(Path("/p/chi-lan"), "chi-lan", username="lan").label() == "chi-lan: lan"


def test_english_mode_has_no_vietnamese_in_the_banner(english, qtbot, store, sync_runner, kit):
    w = MainWindow(store, sync_runner, None, lang="en", form_view_factory=kit.form_view_stub, today=kit.TODAY)
    qtbot.addWidget(w)
    w._environment = "demo"
    store.settings.set_profile(server_url="http://127.0.0.1:1")
    w.refresh_banner()
    banner = w.banner.text()
    assert "padding:0 4px'>SAMPLE</span>" in banner  # (the catalogue's own title is data, in Vietnamese)
    assert "demo" in banner
    assert QApplication.translate("GridLayout", "Tổng số") == "Total"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_demo_banner_speaks_one_language(qtbot, store, sync_runner, kit, tmp_path, lang):
    from dttsclient.ui.demo import DemoEnvironment

    demo = DemoEnvironment(tmp_path / "demo")
    w = MainWindow(
        store, sync_runner, None, lang=lang, form_view_factory=kit.form_view_stub, demo_banner=demo.banner()
    )
    qtbot.addWidget(w)
    text = w.demo_label.text()
    assert text.startswith("DEMO — ")
    if lang == "vi":
        assert "dữ liệu thử" in text and "trial" not in text
    else:
        assert "trial data" in text and "dữ liệu" not in text
