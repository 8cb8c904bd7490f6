"""Digests of a profile database: "the database is unchanged" and "the file is intact", made checkable."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def db_digest(data_dir: Path) -> str:
    """A digest of every row of every table of ``data_dir``'s ``profile.sqlite``."""
    con = sqlite3.connect(data_dir / "profile.sqlite")
    h = hashlib.sha256()
    for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
        for row in con.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
            h.update(repr(row).encode())
    con.close()
    return h.hexdigest()


def integrity(path: Path) -> str:
    """SQLite's ``PRAGMA integrity_check`` of the database file at ``path`` (``"ok"`` when intact)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
