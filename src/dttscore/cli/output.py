"""How both command lines speak: human text in the chosen language, or one JSON document with ``--json``.

``dttsclient`` and ``dttshub`` share this class, so ``--json`` and the message streams behave the same.
"""

from __future__ import annotations

import json
import sys
from typing import Any


class Output:
    """Writes results to stdout and messages to stderr.

    Args:
        lang: "vi" or "en".
        json_mode: print one JSON document instead of text.
    """

    def __init__(self, lang: str = "vi", json_mode: bool = False) -> None:
        self.lang = lang
        self.json_mode = json_mode

    def t(self, vi: str, en: str) -> str:
        """Pick the sentence for the UI language."""
        return en if self.lang == "en" else vi

    def error(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    def note(self, message: str) -> None:
        """A line of human text (stderr in JSON mode, so stdout stays one document)."""
        print(message, file=sys.stderr if self.json_mode else sys.stdout, flush=True)

    def result(self, doc: Any, text: str | None = None) -> None:
        """Print the command's result: ``doc`` as JSON, or ``text`` for a person."""
        if self.json_mode:
            json.dump(doc, sys.stdout, ensure_ascii=False, indent=2, default=str)
            sys.stdout.write("\n")
            sys.stdout.flush()
        elif text is not None:
            print(text, flush=True)
