"""Looking for secrets in files: every byte of every file, inside zip members (nested), in SQLite pages.

A secret is searched in the encodings it could be written in: UTF-8, JSON with ``\\uXXXX`` escapes,
UTF-16 (little and big endian), and, for tokens, their random part without the ``dta_``/``dtr_`` prefix.
SQLite files (the database, its ``-wal`` and ``-shm``, a backup's copy) are scanned as raw bytes, so
free pages and WAL frames that no query would show are covered too.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

TOKEN_PREFIXES = ("dta_", "dtr_")


@dataclass(frozen=True)
class Leak:
    """Where a secret was found: the file, the zip member path inside it (if any), which secret."""

    where: str
    secret_label: str

    def __str__(self) -> str:
        return f"{self.secret_label} in {self.where}"


def needles(secret: str) -> set[bytes]:
    """The byte strings ``secret`` may appear as."""
    forms = {secret}
    for prefix in TOKEN_PREFIXES:
        if secret.startswith(prefix) and len(secret) > len(prefix) + 16:
            forms.add(secret[len(prefix) :])
    out: set[bytes] = set()
    for form in forms:
        out.add(form.encode("utf-8"))
        out.add(json.dumps(form)[1:-1].encode("ascii"))  # \uXXXX escapes
        out.add(form.encode("utf-16-le"))
        out.add(form.encode("utf-16-be"))
    return out


def _label(secret: str) -> str:
    return f"secret {secret[:4]}…({len(secret)} chars)"


def scan_bytes(data: bytes, secrets: dict[str, set[bytes]], where: str, depth: int = 0) -> Iterator[Leak]:
    """Leaks in ``data`` and, when it is a zip, in each member (zips inside zips too, 3 levels)."""
    for label, forms in secrets.items():
        if any(form in data for form in forms):
            yield Leak(where, label)
    if depth >= 3 or not data.startswith(b"PK"):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                yield from scan_bytes(zf.read(info), secrets, f"{where}!{info.filename}", depth + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return


def scan_paths(paths: Iterable[Path], secrets: Iterable[str]) -> list[Leak]:
    """Every leak of ``secrets`` in the files ``paths`` (folders are walked)."""
    table = {_label(s): needles(s) for s in secrets if s}
    leaks: list[Leak] = []
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            leaks.extend(scan_bytes(path.read_bytes(), table, str(path)))
    return leaks


def scanned_files(paths: Iterable[Path]) -> list[Path]:
    """The files :func:`scan_paths` reads (for asserting that the logs and the WAL were looked at)."""
    out: list[Path] = []
    for root in paths:
        out.extend([root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file()))
    return out


__all__ = ["Leak", "needles", "scan_bytes", "scan_paths", "scanned_files"]
