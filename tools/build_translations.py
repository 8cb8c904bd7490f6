"""Regenerate the Qt translation sources of the GUI and compile them.

    python tools/build_translations.py           # lupdate + lrelease
    python tools/build_translations.py --check   # also fail when an English translation is missing

Steps:

1. ``lupdate`` scans ``src/dttsclient/ui/*.py`` and ``store/setting_keys.py`` (``self.tr``, ``QT_TRANSLATE_NOOP``,
   ``QCoreApplication.translate``) into ``resources/i18n/dttsclient_vi.ts`` and ``dttsclient_en.ts``,
   keeping the translations already there and dropping strings that left the code.
2. The source strings are Vietnamese, so every Vietnamese message is made "finished" with its source as
   the translation (a translator may then reword one in Qt Linguist without touching the code).
3. ``lrelease`` compiles both into ``.qm`` files next to them (shipped as package data).
4. ``lrelease`` also compiles ``qtbase_vi.ts``: our Vietnamese for the texts of Qt's own dialogs (file
   dialog, message box buttons, line-edit menu…), which Qt does not ship. It is written by hand, not by
   ``lupdate`` (its source strings are Qt's, see :mod:`dttsclient.ui.i18n`).

The tools come with PySide6 (``pyside6-lupdate``/``pyside6-lrelease`` in the venv's ``bin``, or the
``lupdate``/``lrelease`` binaries inside the PySide6 package).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "src" / "dttsclient" / "ui"
# Qt-free modules outside ui/ whose labels are marked with a QT_TRANSLATE_NOOP stand-in
EXTRA_SOURCES = (ROOT / "src" / "dttsclient" / "store" / "setting_keys.py",)
I18N = ROOT / "resources" / "i18n"
NAME = "dttsclient"
TARGETS = {"vi": "vi_VN", "en": "en_GB"}
QT_CATALOGS = ("qtbase_vi",)


def find_tool(name: str) -> str:
    """The path of ``lupdate``/``lrelease`` shipped with PySide6."""
    bindir = Path(sys.executable).parent
    for candidate in (bindir / f"pyside6-{name}", bindir / f"pyside6-{name}.exe"):
        if candidate.exists():
            return str(candidate)
    try:
        import PySide6
    except ImportError:  # pragma: no cover
        PySide6 = None
    if PySide6 is not None:
        pkg = Path(PySide6.__file__).parent
        for candidate in (pkg / name, pkg / f"{name}.exe", pkg / "Qt" / "libexec" / name):
            if candidate.exists():
                return str(candidate)
    found = shutil.which(f"pyside6-{name}") or shutil.which(name)
    if found:
        return found
    raise SystemExit(f"{name} not found: install PySide6 (pip install -e .) first")


def source_files() -> list[str]:
    """Every Python file lupdate reads: the screens, and the Qt-free modules that mark labels."""
    return sorted(str(p) for p in SOURCES.glob("*.py")) + [str(p) for p in EXTRA_SOURCES]


def run_lupdate(lang: str) -> Path:
    ts = I18N / f"{NAME}_{lang}.ts"
    files = source_files()
    cmd = [
        find_tool("lupdate"),
        *files,
        "-no-obsolete",
        "-locations",
        "none",
        "-source-language",
        "vi_VN",
        "-target-language",
        TARGETS[lang],
        "-ts",
        str(ts),
    ]
    subprocess.run(cmd, check=True, capture_output=True, text=True)
    return ts


def _write(tree: ET.ElementTree, path: Path) -> None:
    body = ET.tostring(tree.getroot(), encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def finish_vietnamese(ts: Path) -> int:
    """Make every Vietnamese message finished, its translation the source text; the count changed."""
    tree = ET.parse(ts)
    changed = 0
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        if translation.get("type") in ("unfinished", "vanished", "obsolete") or not (
            translation.text or list(translation)
        ):
            translation.attrib.pop("type", None)
            for child in list(translation):
                translation.remove(child)
            if message.get("numerus") == "yes":
                translation.text = None
                form = ET.SubElement(translation, "numerusform")
                form.text = source
            else:
                translation.text = source
            changed += 1
    _write(tree, ts)
    return changed


def unfinished(ts: Path) -> list[tuple[str, str]]:
    """(context, source) of every message without a finished translation."""
    out = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") == "unfinished":
                out.append((name, message.findtext("source") or ""))
    return out


def run_lrelease(ts: Path) -> Path:
    qm = ts.with_suffix(".qm")
    subprocess.run(
        [find_tool("lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True, text=True
    )
    return qm


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when an English translation is missing")
    args = parser.parse_args(argv)
    I18N.mkdir(parents=True, exist_ok=True)
    vi = run_lupdate("vi")
    finish_vietnamese(vi)
    en = run_lupdate("en")
    missing = unfinished(en)
    for ts in (vi, en, *(I18N / f"{name}.ts" for name in QT_CATALOGS)):
        print(f"{run_lrelease(ts).relative_to(ROOT)} built")
    if missing:
        print(f"{len(missing)} English translation(s) missing in {en.relative_to(ROOT)}:")
        for context, source in missing[:50]:
            print(f"  [{context}] {source}")
        if args.check:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
