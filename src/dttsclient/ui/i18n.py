"""The interface language: Qt translators loaded from ``resources/i18n/dttsclient_<lang>.qm``.

The source strings in the code (``self.tr("…")``) are Vietnamese, the default language, so the app
speaks Vietnamese even without any ``.qm`` file; ``dttsclient_en.qm`` turns it into English and
``dttsclient_vi.qm`` lets a translator polish the Vietnamese wording without touching the code. The
``.ts`` sources are regenerated and compiled by ``tools/build_translations.py``.

Qt's own dialogs and menus (the file dialog, message-box buttons, the line-edit context menu…) take their
texts from Qt's translations, and Qt ships none in Vietnamese: ``resources/i18n/qtbase_vi.ts`` is ours,
written by hand with Qt's source strings and contexts, and installed as a second translator when the
language is Vietnamese. On Linux the app uses Qt's widget file dialogs (a GTK or portal dialog would
speak the desktop's language, not the app's); on Windows the native dialogs follow the system's language.

A language switch rebuilds the main window (see :mod:`dttsclient.ui.app`): every widget reads its
strings once, when it is built, so a fresh window is the simplest complete retranslation.
"""

from __future__ import annotations

import logging
import sys
from importlib.resources import as_file, files
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator

logger = logging.getLogger(__name__)

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
CATALOG_NAME = "dttsclient"
QT_CATALOG_NAME = "qtbase"
TRANSLATOR_NAME = "dtts-translator"


def normalize(lang: str | None) -> str:
    """``lang`` when it is one of :data:`LANGUAGES`, otherwise Vietnamese."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


LANG_PROPERTY = "dttsLang"


def current_lang() -> str:
    """The interface language in force ("vi" or "en"), for code that has no ``lang`` handed to it
    (:meth:`Translations.install` records it on the application; Vietnamese before that)."""
    app = QCoreApplication.instance()
    return normalize(app.property(LANG_PROPERTY) if app is not None else None)


def qm_path(lang: str, catalog: str = CATALOG_NAME) -> Path:
    """Where the compiled translation of ``lang`` is shipped (it may be missing in a raw checkout).

    Args:
        lang: "vi" or "en".
        catalog: ``dttsclient`` (the app's strings) or ``qtbase`` (Qt's own dialogs).
    """
    resource = files("dttsclient.resources") / "i18n" / f"{catalog}_{normalize(lang)}.qm"
    with as_file(resource) as path:
        return Path(path)


def use_translatable_dialogs() -> None:
    """Qt's widget file dialogs instead of the desktop's, except on Windows.

    On Linux a native (GTK/portal) dialog speaks the desktop's language whatever the app's language is;
    Qt's own dialog is translated by ``qtbase_vi``. Windows' dialogs follow the system's language, which
    is the officer's.
    """
    if sys.platform != "win32":
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)


class Translations:
    """Installs the application's translators: the app's catalogue, and Qt's in Vietnamese.

    Args:
        app: the running ``QCoreApplication``.
    """

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self.lang = DEFAULT_LANGUAGE

    def install(self, lang: str | None) -> bool:
        """Switch the translator to ``lang``.

        Args:
            lang: "vi" or "en" (anything else means Vietnamese).

        Returns:
            True when a ``.qm`` file was loaded (for Vietnamese, False is harmless: the source strings
            are Vietnamese).
        """
        lang = normalize(lang)
        # The translators are children of the application, so that one installed by another instance
        # (the profile picker runs before the controller's) is replaced too.
        for old in self._app.findChildren(QTranslator, TRANSLATOR_NAME):
            self._app.removeTranslator(old)
            old.setParent(None)  # Python owns it now and frees it
        self.lang = lang
        self._app.setProperty(LANG_PROPERTY, lang)
        QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if lang == "vi" else QLocale.Language.English))
        if lang == "vi":
            self._load(qm_path(lang, QT_CATALOG_NAME))
        path = qm_path(lang)
        if not self._load(path):
            if lang != DEFAULT_LANGUAGE:
                logger.warning("no translation file for %s at %s", lang, path)
            return False
        logger.info("interface language %s", lang)
        return True

    def _load(self, path: Path) -> bool:
        translator = QTranslator(self._app)
        translator.setObjectName(TRANSLATOR_NAME)
        if not path.exists() or not translator.load(str(path)):
            translator.setParent(None)
            return False
        self._app.installTranslator(translator)
        return True
