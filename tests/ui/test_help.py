"""The user guide: F1 and the Help menu open it on the page of the screen shown, in the interface language;
every page, link and picture of the guide resolves; every state label the app can show is explained."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QPixmap
from PySide6.QtWidgets import QApplication, QLabel

from dttsclient.store import OUTBOX_STATES
from dttsclient.ui import help_view
from dttsclient.ui.form_list_model import BADGES
from dttsclient.ui.help_view import PAGES, HelpWindow, help_root, page_path, plain_text
from dttsclient.ui.i18n import LANGUAGES, Translations
from dttsclient.ui.main_window import MainWindow
from dttsclient.ui.outbox_model import STATES

ROOT = Path(__file__).resolve().parents[2]
MAX_PICTURE = 120 * 1024
MAX_PICTURES = 1536 * 1024


class _Links(HTMLParser):
    """The links, pictures and anchor names of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.images: list[str] = []
        self.ids: set[str] = set()
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs.get("src") or "")
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture
def window(qtbot, store, sync_runner, kit) -> MainWindow:
    w = MainWindow(store, sync_runner, None, form_view_factory=kit.form_view_stub, today=kit.TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _press_f1(qtbot, window: MainWindow) -> HelpWindow:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_F1)
    guide = getattr(window, "help_window", None)
    assert guide is not None, "F1 opened no guide"
    qtbot.addWidget(guide)
    return guide


# -- opening the guide ------------------------------------------------------------------------------
def test_f1_opens_the_vietnamese_guide_on_the_page_of_the_form_list(qtbot, window):
    guide = _press_f1(qtbot, window)
    assert guide.isVisible()
    assert guide.lang == "vi"
    source = Path(guide.browser.source().toLocalFile())
    assert source == page_path("vi", "forms")
    assert "Màn hình chính" in guide.browser.toPlainText()
    assert guide.windowTitle() == "Hướng dẫn sử dụng — DTTS Client"


def test_the_help_menu_has_the_guide_with_f1(window):
    help_menu = next(
        a.menu() for a in window.menuBar().actions() if a.menu() is not None and "giúp" in a.text()
    )
    texts = [a.text() for a in help_menu.actions()]
    assert texts[0] == "Hướng dẫn sử dụng"
    action = help_menu.actions()[0]
    assert action.shortcut() == QKeySequence(Qt.Key.Key_F1)
    action.trigger()
    assert window.help_window.isVisible()
    window.help_window.close()


def test_f1_opens_the_page_of_the_screen_shown_and_reuses_the_window(qtbot, window):
    window.tabs.setCurrentWidget(window.sync_view)
    guide = _press_f1(qtbot, window)
    assert guide.current_page() == "sync"
    window.tabs.setCurrentWidget(window.list_page)
    again = _press_f1(qtbot, window)
    assert again is guide and again.current_page() == "forms"


def test_f1_in_the_entry_grid_opens_the_data_entry_page(qtbot, store, sync_runner, kit):
    report = store.reports.report(kit.UNIT, "BM04", "202610", create=True)
    w = MainWindow(store, sync_runner, None, today=kit.TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.open_report(report.id)
    grid = w.form_view.view
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_F1)
    assert w.help_window.current_page() == "entry"
    qtbot.addWidget(w.help_window)


def test_english_mode_opens_the_english_guide(qtbot, store, sync_runner, kit):
    t = Translations(QApplication.instance())
    try:
        assert t.install("en")
        w = MainWindow(
            store, sync_runner, None, lang="en", form_view_factory=kit.form_view_stub, today=kit.TODAY
        )
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        help_menu = next(
            a.menu() for a in w.menuBar().actions() if a.menu() is not None and "Help" in a.text()
        )
        assert help_menu.actions()[0].text() == "User guide"
        guide = _press_f1(qtbot, w)
        assert guide.lang == "en"
        assert Path(guide.browser.source().toLocalFile()) == page_path("en", "forms")
        assert guide.windowTitle() == "User guide — DTTS Client"
        text = guide.browser.toPlainText()
        assert "main window" in text.lower()
        assert not re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", text.lower()), (
            "Vietnamese words in the English page"
        )
    finally:
        t.install("vi")


def test_contents_back_forward_and_search(qtbot):
    guide = HelpWindow("vi")
    qtbot.addWidget(guide)
    guide.show()
    guide.open_page("index")
    assert guide.contents.count() == len(PAGES)
    assert guide.contents.currentItem().text() == "Bắt đầu: một ngày làm việc"
    guide.contents.setCurrentRow(PAGES.index("backup"))
    assert guide.current_page() == "backup"
    assert guide.back_button.isEnabled()
    guide.back_button.click()
    assert guide.current_page() == "index"
    guide.forward_button.click()
    assert guide.current_page() == "backup"
    # a search without Vietnamese marks finds the pages that have the words
    guide.search.setText("goi chuyen tay")
    shown = [guide.contents.item(r).data(help_view.PAGE_ROLE) for r in range(guide.contents.count())]
    visible = [p for r, p in enumerate(shown) if not guide.contents.item(r).isHidden()]
    assert "offline" in visible and "keys" not in visible
    guide.search.returnPressed.emit()
    assert guide.browser.textCursor().selectedText().lower() == "gói chuyển tay"
    guide.search.setText("không có chữ này ở đâu cả xyz")
    assert all(guide.contents.item(r).isHidden() for r in range(guide.contents.count()))
    assert "Không trang nào" in guide.search_note.text()
    guide.activateWindow()
    qtbot.waitUntil(guide.isActiveWindow)
    qtbot.keyClick(guide.search, Qt.Key.Key_Escape)  # Esc closes the guide
    assert not guide.isVisible()


def test_a_link_out_of_the_guide_is_not_followed(qtbot):
    from PySide6.QtCore import QUrl

    guide = HelpWindow("vi")
    qtbot.addWidget(guide)
    guide.open_page("sync#states")
    assert guide.current_page() == "sync"
    guide._follow(QUrl("https://example.org/"))
    assert guide.current_page() == "sync"
    guide._follow(QUrl("offline.html#courier"))
    assert guide.current_page() == "offline"
    guide._follow(QUrl("../img/usb-menu.png"))  # a click on a picture: shown at full size
    assert guide.current_page() == "offline"
    assert guide.picture.isVisible()
    assert (
        guide.picture.findChild(QLabel).pixmap().width()
        == QPixmap(str(help_root() / "img" / "usb-menu.png")).width()
    )


# -- the pages ------------------------------------------------------------------------------------
def test_every_language_has_every_page_and_nothing_else():
    for lang in LANGUAGES:
        folder = help_root() / lang
        assert sorted(p.stem for p in folder.glob("*.html")) == sorted(PAGES), lang
        for page in PAGES:
            assert _parse(folder / f"{page}.html").title.strip(), (lang, page)


def test_every_link_and_picture_of_the_guide_resolves():
    used: set[Path] = set()
    for lang in LANGUAGES:
        for page in PAGES:
            path = page_path(lang, page)
            links = _parse(path)
            if page not in ("index", "keys", "problems"):
                assert links.images, f"{lang}/{page}.html has no picture"
            for src in links.images:
                target = (path.parent / src).resolve()
                assert target.is_file(), f"{lang}/{page}.html: picture {src} is missing"
                assert target.parent == (help_root() / "img").resolve()
                used.add(target)
            for href in links.hrefs:
                parts = urlsplit(href)
                assert not parts.scheme and not parts.netloc, f"{lang}/{page}.html links out: {href}"
                target = (path.parent / parts.path).resolve() if parts.path else path
                assert target.is_file(), f"{lang}/{page}.html: link {href} goes nowhere"
                if target.suffix == ".png":  # a picture shown at full size
                    assert target.parent == (help_root() / "img").resolve()
                    continue
                assert target.parent == path.parent, f"{lang}/{page}.html: {href} leaves the {lang} guide"
                if parts.fragment:
                    assert parts.fragment in _parse(target).ids, f"{lang}/{page}.html: no #{parts.fragment}"
    pictures = sorted((help_root() / "img").glob("*.png"))
    assert set(pictures) == used, "pictures no page shows"


def test_pictures_are_small():
    pictures = list((help_root() / "img").glob("*.png"))
    assert pictures
    for p in pictures:
        assert p.stat().st_size <= MAX_PICTURE, p.name
    assert sum(p.stat().st_size for p in pictures) <= MAX_PICTURES


def test_every_page_renders_with_its_pictures(qtbot):
    """Qt finds every picture through the page's own address (what the guide window does)."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    guide = HelpWindow("vi")
    qtbot.addWidget(guide)
    for lang in LANGUAGES:
        for page in PAGES:
            path = page_path(lang, page)
            guide.browser.setSource(QUrl.fromLocalFile(str(path)))
            for src in _parse(path).images:
                url = guide.browser.source().resolved(QUrl(src))
                image = guide.browser.loadResource(QTextDocument.ResourceType.ImageResource, url)
                assert image is not None and not image.isNull(), (lang, page, src)


# -- every state label is explained -------------------------------------------------------------------
def _labels(context: str, labels: list[str], lang: str) -> list[str]:
    t = Translations(QApplication.instance())
    try:
        assert t.install(lang) or lang == "vi"
        return [QCoreApplication.translate(context, label) for label in labels]
    finally:
        t.install("vi")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_guide_explains_every_state_the_app_shows(qapp, lang):
    sync_page = plain_text(page_path(lang, "sync"))
    forms_page = plain_text(page_path(lang, "forms"))
    assert set(STATES) == set(OUTBOX_STATES), "an outbox state without a label"
    outbox = _labels("OutboxModel", [label for label, _colour in STATES.values()], lang)
    badges = _labels("Badges", [label for label, _bg, _fg in BADGES.values()], lang)
    missing = [label for label in outbox if label not in sync_page]
    assert not missing, f"the {lang} Sync page does not explain {missing}"
    missing = [label for label in badges if label not in forms_page]
    assert not missing, f"the {lang} main window page does not explain {missing}"


def test_the_guide_ships_with_the_package_and_the_frozen_app(monkeypatch):
    """pyproject ships ``resources/**/*``; the PyInstaller spec copies every page and picture."""
    spec = ROOT / "installer" / "dttsclient.spec"
    prefix = spec.read_text(encoding="utf-8").split("# -- analysis")[0]
    namespace: dict = {"SPECPATH": str(spec.parent), "__name__": "dttsclient_spec"}
    monkeypatch.delenv("DTTS_BUNDLE_HUB", raising=False)
    exec(compile(prefix, str(spec), "exec"), namespace)
    datas = {
        (Path(src).relative_to(ROOT / "resources").as_posix(), dest.replace("\\", "/"))
        for src, dest in namespace["resource_datas"]()
    }
    for lang in LANGUAGES:
        for page in PAGES:
            assert (f"help/{lang}/{page}.html", f"dttsclient/resources/help/{lang}") in datas
    for picture in (help_root() / "img").glob("*.png"):
        assert (f"help/img/{picture.name}", "dttsclient/resources/help/img") in datas
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"dttsclient.resources" = ["**/*"]' in pyproject


def test_the_english_guide_has_no_vietnamese(qapp):
    vietnamese = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹàáèéìíòóùúýõã]")
    for page in PAGES:
        text = plain_text(page_path("en", page)).lower()
        assert not vietnamese.search(text), f"en/{page}.html: {vietnamese.search(text).group()!r}"
        assert not re.search(
            r"\.\./img/[\w-]+(?<!-en)\.png", page_path("en", page).read_text(encoding="utf-8")
        ), f"en/{page}.html shows a Vietnamese picture"


def test_pictures_fit_the_page_and_follow_the_window_size(qtbot):
    guide = HelpWindow("vi")
    qtbot.addWidget(guide)
    guide.resize(1100, 700)
    guide.show()
    qtbot.waitExposed(guide)
    guide.open_page("sync")
    browser = guide.browser
    wide = browser.picture_width()
    assert wide <= browser.MAX_PICTURE_WIDTH
    assert f'width="{wide}"' in browser.fitted_html(page_path("vi", "sync"))
    # a small picture (a dialog) is never enlarged
    assert re.search(r'<img src="\.\./img/comment\.png">', browser.fitted_html(page_path("vi", "entry")))
    guide.resize(700, 600)
    qtbot.waitUntil(lambda: browser.picture_width() < wide)
    qtbot.waitUntil(lambda: browser._fitted_to == browser.picture_width())
    assert guide.current_page() == "sync"


def _press_f1_in(qtbot, dialog):
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_F1)
    guide = getattr(dialog, "help_window", None)
    assert guide is not None, "F1 opened no guide"
    return guide


def test_f1_in_the_finalize_dialog_opens_the_finalize_page(qtbot, store, kit):
    from dttsclient.ui.finalize_dialog import FinalizeDialog

    report = store.reports.report(kit.UNIT, "BM04", "202610", create=True)
    dialog = FinalizeDialog(store, report.id, "vi")
    qtbot.addWidget(dialog)
    guide = _press_f1_in(qtbot, dialog)
    assert guide.isVisible() and guide.current_page() == "finalize" and guide.lang == "vi"


def test_f1_in_the_setup_wizard_opens_the_setup_page_in_the_language_chosen(qtbot, tmp_path, sync_runner):
    from dttsclient.sync.credentials import MemoryCredentials
    from dttsclient.ui.session import SyncSession
    from dttsclient.ui.wizard import SetupWizard

    wizard = SetupWizard(SyncSession(tmp_path / "new", MemoryCredentials()), sync_runner, "vi")
    qtbot.addWidget(wizard)
    guide = _press_f1_in(qtbot, wizard)
    assert guide.current_page() == "setup" and guide.lang == "vi"
    wizard.lang = "en"  # what choosing English on the first page does
    guide = _press_f1_in(qtbot, wizard)
    assert guide.current_page() == "setup" and guide.lang == "en"
