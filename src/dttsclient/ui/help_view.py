"""The user guide: HTML pages shipped in ``resources/help/<lang>/``, shown in a small help window.

The window has a table of contents (the pages of :data:`PAGES`, titled by each page's ``<title>``),
Back / Forward / Contents buttons and a search box that keeps in the contents only the pages that
contain the words typed and highlights them in the page. It never goes to the network: links between
pages and the pictures (``resources/help/img/``) are local files; a link to anything else is ignored.

F1 in the main window opens the page of the screen the officer is on (:func:`topic_for`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import (
    QGuiApplication,
    QImage,
    QImageReader,
    QKeySequence,
    QPixmap,
    QShortcut,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dttsclient.ui.i18n import normalize

# The pages in reading order (file names without ".html"); every language has all of them.
PAGES = (
    "index",
    "setup",
    "forms",
    "entry",
    "paste",
    "finalize",
    "sync",
    "offline",
    "backup",
    "print",
    "keys",
    "problems",
)
PAGE_ROLE = Qt.ItemDataRole.UserRole + 1


def help_root() -> Path:
    """The folder of the guide (``resources/help``), with ``vi/``, ``en/`` and ``img/`` in it."""
    return Path(str(files("dttsclient.resources").joinpath("help")))


def page_path(lang: str, page: str) -> Path:
    """The HTML file of ``page`` in ``lang`` (Vietnamese when ``lang`` is not a language of the app)."""
    return help_root() / normalize(lang) / f"{page}.html"


def page_title(path: Path) -> str:
    """The ``<title>`` of a page (its file name when it has none)."""
    match = re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8"), re.S | re.I)
    return html.unescape(match.group(1).strip()) if match else path.stem


def page_text(path: Path) -> str:
    """The visible text of a page, folded for searching (lower case, without Vietnamese marks)."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style|title)\b.*?</\1>", " ", raw, flags=re.S | re.I)
    return fold(html.unescape(re.sub(r"<[^>]+>", " ", raw)))


def fold(text: str) -> str:
    """``text`` in lower case without diacritics ("Đồng bộ" → "dong bo"), so a search may omit marks."""
    text = text.lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _fold_char(c: str) -> str:
    """One character folded as :func:`fold` does, always one character long (positions stay put)."""
    if c.isspace() or c in "\u2029\u2028\xa0":
        return " "
    folded = "".join(x for x in unicodedata.normalize("NFD", c.lower().replace("đ", "d")) if not unicodedata.combining(x))
    return folded[:1] or c


def topic_for(window: QWidget) -> str:
    """The page for the screen the main window shows: the form list, data entry or Sync."""
    tabs = getattr(window, "tabs", None)
    if tabs is None:
        return "index"
    current = tabs.currentWidget()
    if current is getattr(window, "sync_view", None):
        return "sync"
    if current is getattr(window, "entry_page", None):
        return "entry" if getattr(window, "form_view", None) is not None else "forms"
    return "forms"


class GuideBrowser(QTextBrowser):
    """A text browser whose pictures fit its width: a picture wider than the page is shown smaller
    (never larger than :attr:`MAX_PICTURE_WIDTH`), and the page is laid out again when the window is
    resized. A click on a picture shows it at full size (see :meth:`HelpWindow.show_picture`)."""

    MAX_PICTURE_WIDTH = 820

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fitted_to = 0
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(150)
        self._relayout.timeout.connect(self._refit)

    def picture_width(self) -> int:
        """The widest a picture is shown in the page now."""
        return max(240, min(self.MAX_PICTURE_WIDTH, self.viewport().width() - 30))

    def loadResource(self, kind: int, url: QUrl):
        if kind in (QTextDocument.ResourceType.HtmlResource, QTextDocument.ResourceType.HtmlResource.value):
            resolved = self.source().resolved(url) if url.isRelative() else url
            if resolved.isLocalFile() and Path(resolved.toLocalFile()).suffix == ".html":
                return self.fitted_html(Path(resolved.toLocalFile()))
        if kind in (QTextDocument.ResourceType.ImageResource, QTextDocument.ResourceType.ImageResource.value):
            resolved = self.source().resolved(url) if url.isRelative() else url
            image = QImage(resolved.toLocalFile()) if resolved.isLocalFile() else QImage()
            if not image.isNull() and self._fitted_to and image.width() > self._fitted_to:
                return image.scaledToWidth(self._fitted_to, Qt.TransformationMode.SmoothTransformation)
        return super().loadResource(kind, url)

    def fitted_html(self, path: Path) -> str:
        """The page with a ``width`` on every picture wider than :meth:`picture_width`."""
        self._fitted_to = limit = self.picture_width()

        def fit(match: re.Match) -> str:
            size = QImageReader(str(path.parent / match.group(1))).size()
            if size.isValid() and size.width() > limit:
                height = round(size.height() * limit / size.width())
                return f'{match.group(0)[:-1]} width="{limit}" height="{height}">'
            return match.group(0)

        return re.sub(r'<img src="([^"]+)"[^>]*>', fit, path.read_text(encoding="utf-8"))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._relayout.start()

    def _refit(self) -> None:
        if self._fitted_to and self._fitted_to != self.picture_width() and not self.source().isEmpty():
            bar = self.verticalScrollBar()
            where = bar.value() / max(1, bar.maximum())
            self.reload()
            bar.setValue(round(where * bar.maximum()))


class HelpWindow(QWidget):
    """The guide in one language (a separate window that stays open beside the app).

    Args:
        lang: "vi" or "en".
        parent: the main window (the guide closes with it).
    """

    def __init__(self, lang: str = "vi", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.lang = normalize(lang)
        self.setWindowTitle(self.tr("Hướng dẫn sử dụng — DTTS Client"))
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        width, height = 1120, 720
        if screen is not None:
            width, height = min(width, screen.width() - 40), min(height, screen.height() - 60)
        self.resize(width, height)

        self.back_button = QPushButton(self.tr("◀ Quay lại"))
        self.back_button.setShortcut(QKeySequence("Alt+Left"))
        self.forward_button = QPushButton(self.tr("Tiếp ▶"))
        self.forward_button.setShortcut(QKeySequence("Alt+Right"))
        self.home_button = QPushButton(self.tr("Mục lục"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Tìm trong hướng dẫn…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.search_note = QLabel()
        self.search_note.setStyleSheet("color:#555;")
        bar = QHBoxLayout()
        for w in (self.back_button, self.forward_button, self.home_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.search_note)
        bar.addWidget(self.search)

        self.contents = QListWidget()
        self.contents.setMinimumWidth(200)
        self.contents.setWordWrap(True)
        self.browser = GuideBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)  # every link goes through _follow (local pages only)
        self.browser.anchorClicked.connect(self._follow)
        self.browser.sourceChanged.connect(self._source_changed)
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.browser.forwardAvailable.connect(self.forward_button.setEnabled)
        self.back_button.clicked.connect(self.browser.backward)
        self.forward_button.clicked.connect(self.browser.forward)
        self.home_button.clicked.connect(lambda: self.open_page("index"))
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.close)
        self.back_button.setEnabled(False)
        self.forward_button.setEnabled(False)
        self.contents.currentItemChanged.connect(self._contents_clicked)
        self.search.textChanged.connect(self._search)
        self.search.returnPressed.connect(self._find_next)

        splitter = QSplitter()
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, width - 250])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        self._texts: dict[str, str] = {}
        for page in PAGES:
            path = page_path(self.lang, page)
            item = QListWidgetItem(page_title(path))
            item.setData(PAGE_ROLE, page)
            self.contents.addItem(item)
            self._texts[page] = page_text(path)

    # -- pages ----------------------------------------------------------------------------------------
    def open_page(self, page: str) -> None:
        """Show ``page`` (a name of :data:`PAGES`, optionally with ``#anchor``)."""
        name, _, anchor = page.partition("#")
        if name not in PAGES:
            name, anchor = "index", ""
        url = QUrl.fromLocalFile(str(page_path(self.lang, name)))
        if anchor:
            url.setFragment(anchor)
        self.browser.setSource(url)

    def current_page(self) -> str:
        """The name of the page shown (without ``.html``)."""
        return Path(self.browser.source().toLocalFile()).stem

    def _follow(self, url: QUrl) -> None:
        """A click on a link: local pages of the guide open here; anything else is ignored."""
        if url.isRelative():
            url = self.browser.source().resolved(url)
        if not url.isLocalFile():
            return
        path = Path(url.toLocalFile())
        if path.suffix == ".html":
            self.browser.setSource(url)
        elif path.suffix == ".png" and path.is_file():
            self.show_picture(path)

    def show_picture(self, path: Path) -> QDialog:
        """A picture of the guide at its full size (a click on a picture in a page)."""
        dialog = QDialog(self)
        dialog.setWindowTitle(self.windowTitle())
        label = QLabel()
        label.setPixmap(QPixmap(str(path)))
        area = QScrollArea()
        area.setWidget(label)
        layout = QVBoxLayout(dialog)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(area)
        size = label.pixmap().size()
        dialog.resize(min(size.width() + 24, self.width() + 120), min(size.height() + 24, self.height()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.picture = dialog
        return dialog

    def _source_changed(self, url: QUrl) -> None:
        page = Path(url.toLocalFile()).stem
        for row in range(self.contents.count()):
            item = self.contents.item(row)
            if item.data(PAGE_ROLE) == page and self.contents.currentItem() is not item:
                self.contents.blockSignals(True)
                self.contents.setCurrentItem(item)
                self.contents.blockSignals(False)
        words = self.search.text().strip()
        if words:
            self.find_words(words, from_start=True)

    def _contents_clicked(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None and item.data(PAGE_ROLE) != self.current_page():
            self.open_page(item.data(PAGE_ROLE))

    # -- search ---------------------------------------------------------------------------------------
    def matching_pages(self, words: str) -> list[str]:
        """The pages that contain every word of ``words`` (case and Vietnamese marks ignored)."""
        wanted = fold(words).split()
        return [p for p in PAGES if all(w in self._texts[p] for w in wanted)]

    def _search(self, words: str) -> None:
        found = set(self.matching_pages(words)) if words.strip() else set(PAGES)
        for row in range(self.contents.count()):
            item = self.contents.item(row)
            item.setHidden(item.data(PAGE_ROLE) not in found)
        if not words.strip():
            self.search_note.clear()
        elif found:
            self.search_note.setText(self.tr("%1 trang có «%2»").replace("%1", str(len(found))).replace("%2", words))
        else:
            self.search_note.setText(self.tr("Không trang nào có «%1»").replace("%1", words))

    def find_words(self, words: str, from_start: bool = False) -> bool:
        """Select the next place of ``words`` in the page (case and Vietnamese marks ignored).

        Returns:
            False when the words are not found after the cursor (or from the start).
        """
        doc = self.browser.document()
        text = "".join(_fold_char(doc.characterAt(i)) for i in range(doc.characterCount()))
        wanted = fold(words)
        start = 0 if from_start else self.browser.textCursor().selectionEnd()
        at = text.find(wanted, start) if wanted else -1
        if at < 0:
            return False
        cursor = QTextCursor(doc)
        cursor.setPosition(at)
        cursor.setPosition(at + len(wanted), QTextCursor.MoveMode.KeepAnchor)
        self.browser.setTextCursor(cursor)
        self.browser.ensureCursorVisible()
        return True

    def _find_next(self) -> None:
        """Enter in the search box: the next place of the words in this page, else the next page."""
        words = self.search.text().strip()
        if not words or self.find_words(words):
            return
        pages = self.matching_pages(words)
        if not pages:
            return
        here = self.current_page()
        later = [p for p in pages if PAGES.index(p) > PAGES.index(here)] if here in PAGES else []
        target = (later or pages)[0]
        if target == here:
            self.find_words(words, from_start=True)
        else:
            self.open_page(target)

    # -- showing --------------------------------------------------------------------------------------
    @classmethod
    def show_for(cls, window: QWidget, lang: str, existing: HelpWindow | None = None) -> HelpWindow:
        """Open (or bring forward) the guide on the page of the screen ``window`` shows.

        Args:
            window: the main window (the guide's parent).
            lang: the interface language.
            existing: the guide opened before from this window, reused when it is in the same language.

        Returns:
            The guide's window.
        """
        guide = existing if existing is not None and existing.lang == normalize(lang) else cls(lang, window)
        guide.open_page(topic_for(window))
        if guide.isVisible() and QGuiApplication.platformName() != "offscreen":
            guide.raise_()  # already open, maybe behind the main window (offscreen windows cannot be raised)
        guide.show()
        guide.activateWindow()
        return guide


def install_f1(widget: QWidget, page: str, lang: Callable[[], str] | str) -> QShortcut:
    """F1 in a dialog (the first-run wizard, finalize …): the guide on ``page``, owned by the dialog so a
    modal dialog does not block it.

    Args:
        widget: the dialog.
        page: a name of :data:`PAGES`.
        lang: the language, or a function that tells the current one (the wizard can switch).

    Returns:
        The shortcut (kept alive by ``widget``).
    """
    shortcut = QShortcut(QKeySequence(Qt.Key.Key_F1), widget)

    def open_guide() -> None:
        current = normalize(lang() if callable(lang) else lang)
        guide = getattr(widget, "help_window", None)
        if guide is None or guide.lang != current:
            guide = HelpWindow(current, widget)
            widget.help_window = guide
        guide.open_page(page)
        guide.show()
        guide.activateWindow()

    shortcut.activated.connect(open_guide)
    return shortcut


def plain_text(path: Path) -> str:
    """The text a reader sees on a page (for tests): the HTML laid out by Qt, without markup."""
    doc = QTextDocument()
    doc.setHtml(path.read_text(encoding="utf-8"))
    return doc.toPlainText()
