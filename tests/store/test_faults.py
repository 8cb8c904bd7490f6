"""The environment failing: a locked database and a full disk are StoreErrors, and nothing is lost."""

from __future__ import annotations

import sqlite3
import time

import pytest

from dttsclient.store import DatabaseLocked, DiskFull, StoreError

WHO = "can_bo_a"


def test_locked_database_is_a_clear_error(store, report):
    store.reports.set_cell(report.id, "0101", "", "1", WHO)
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseLocked) as info:
            store.reports.set_cell(report.id, "0101", "", "2", WHO)
        assert time.monotonic() - started >= 4  # waited for the busy timeout first
    finally:
        other.execute("ROLLBACK")
        other.close()
    err = info.value
    assert isinstance(err, StoreError)
    assert "chương trình khác" in err.message_vi and "another program" in err.message_en
    assert store.reports.cells(report.id)[("0101", "")] == "1"
    store.reports.set_cell(report.id, "0101", "", "2", WHO)  # works again once the lock is gone
    assert store.reports.cells(report.id)[("0101", "")] == "2"


def test_full_disk_is_a_clear_error_and_keeps_what_was_saved(store, report):
    store.reports.set_cell(report.id, "0101", "", "1", WHO)
    conn = store._db.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: as good as a full disk
    big = [("0204", "", "x" * 1900)] + [
        ("0102", f"eth={eth:02d}|sex={sex}", str(i))
        for i, (eth, sex) in enumerate((e, s) for e in range(1, 55) for s in "MF")
    ]
    with pytest.raises(DiskFull) as info:
        for n in range(200):  # grow until the limit bites
            store.reports.set_comment(report.id, "0204", "", f"{n} " + "y" * 1900, WHO)
            store.reports.set_cells(
                report.id, [(c, d, str(int(v) + n) if c == "0102" else v) for c, d, v in big], WHO
            )
    assert "đầy" in info.value.message_vi and "full" in info.value.message_en
    conn.execute("PRAGMA max_page_count = 1073741823")
    assert store.reports.cells(report.id)[("0101", "")] == "1"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.reports.set_cell(report.id, "0101", "", "2", WHO)
