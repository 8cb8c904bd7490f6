"""The interface language: Qt translators loaded from ``resources/i18n/dttsclient_<lang>.qm``.

The source strings in the code (``self.tr("…")``) are Vietnamese, the default language, so the app
speaks Vietnamese even without any ``.qm`` file; ``dttsclient_en.qm`` turns it into English and
``dttsclient_vi.qm`` lets a translator polish the Vietnamese wording without touching the code. The
``.ts`` sources are regenerated and compiled by ``tools/build_translations.py``.

A language switch rebuilds the main window (see :mod:`dttsclient.ui.app`): every widget reads its
strings once, when it is built, so a fresh window is the simplest complete retranslation.
"""

from __future__ import annotations

import logging
from importlib.resources import as_file, files
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

logger = logging.getLogger(__name__)

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
CATALOG_NAME = "dttsclient"


def normalize(lang: str | None) -> str:
    """``lang`` when it is one of :data:`LANGUAGES`, otherwise Vietnamese."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def qm_path(lang: str) -> Path:
    """Where the compiled translation of ``lang`` is shipped (it may be missing in a raw checkout)."""
    resource = files("dttsclient.resources") / "i18n" / f"{CATALOG_NAME}_{normalize(lang)}.qm"
    with as_file(resource) as path:
        return Path(path)


class Translations:
    """Owns the installed translator of the application (Qt keeps only a pointer to it).

    Args:
        app: the running ``QCoreApplication``.
    """

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._translator: QTranslator | None = None
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
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        self.lang = lang
        QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if lang == "vi" else QLocale.Language.English))
        path = qm_path(lang)
        translator = QTranslator(self._app)
        if not path.exists() or not translator.load(str(path)):
            if lang != DEFAULT_LANGUAGE:
                logger.warning("no translation file for %s at %s", lang, path)
            return False
        self._app.installTranslator(translator)
        self._translator = translator
        logger.info("interface language %s", lang)
        return True
