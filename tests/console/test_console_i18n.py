"""The console's words: every key used by a template or the console's code is in the catalogue, in
Vietnamese and English, with the same ``{fields}`` in both."""

from __future__ import annotations

import re
import string
from pathlib import Path

from dttshub.completeness import STATES
from dttshub.console import i18n
from dttshub.console.pages import SORTS
from dttshub.protocol import EXPORT_MEDIA_TYPES

CONSOLE = Path(i18n.__file__).resolve().parent
KEY_RE = re.compile(r"""\bt\(\s*["']([a-z_]+)["'](?!\s*\+)""")
PREFIX_RE = re.compile(r"""\bt\(\s*["']([a-z_]+_)["']\s*\+""")
PREFIXED = {
    "done_": ["accepted", "returned"],
    "format_": list(EXPORT_MEDIA_TYPES),
    "kind_": ["submission", "review"],
    "review_": ["accepted", "returned"],
    "role_": ["officer", "reviewer", "admin"],
    "sort_": list(SORTS),
}


def _sources() -> list[Path]:
    code = [p for p in sorted(CONSOLE.glob("*.py")) if p.name != "i18n.py"]
    return sorted(CONSOLE.glob("templates/*.html")) + code


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_both_languages_with_the_same_fields():
    for key, (vi, en) in i18n.MESSAGES.items():
        assert vi.strip() and en.strip(), key
        assert _fields(vi) == _fields(en), key


def test_every_key_used_is_in_the_catalogue():
    used: set[str] = set()
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        used |= set(KEY_RE.findall(text))
        for prefix in PREFIX_RE.findall(text):
            assert prefix in PREFIXED, f"{path.name}: a key built from {prefix!r} without its list here"
            used |= {prefix + rest for rest in PREFIXED[prefix]}
    used |= {"user_enabled", "user_disabled"}  # chosen by a condition in pages.py
    missing = sorted(used - set(i18n.MESSAGES))
    assert not missing, missing
    unused = sorted(set(i18n.MESSAGES) - used)
    assert not unused, unused


def test_templates_hold_no_words_outside_the_catalogue():
    # text between tags must come from t(...), a value, or be punctuation/numbers
    for path in sorted(CONSOLE.glob("templates/*.html")):
        text = re.sub(r"{[{%#].*?[}%#]}", "", path.read_text(encoding="utf-8"), flags=re.S)
        for chunk in re.findall(r">([^<>]+)<", text):
            words = [w for w in re.findall(r"[^\W\d_]{2,}", chunk) if w not in ("English", "Tiếng", "Việt")]
            assert not words, f"{path.name}: {chunk.strip()!r}"


def test_state_labels_exist_in_both_languages():
    from dttshub.completeness import STATE_LABELS

    assert all(STATE_LABELS[s][0] and STATE_LABELS[s][1] for s in STATES)
