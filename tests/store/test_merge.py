"""Store.merge_from (the merge of another copy of a profile) and the summary automatic backups ask for.

The merge rules themselves are exercised through a real backup in tests/usb/test_restore.py; here the
store's side: one call, one transaction, a result that says what it did, and nothing secret taken.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta, timezone

import pytest

from dttsclient.store import MergeResult, Store
from dttsclient.store.setting_keys import SECRET_WORDS, is_secret_key
from tests.support.store_catalog import UNIT, good_values, make_catalog

WHO = "can_bo_a"


def _copy_of(store: Store, target) -> None:
    """A single-file copy of the live profile (what a backup holds), taken with SQLite's backup API."""
    with closing(sqlite3.connect(str(target))) as dest, closing(sqlite3.connect(str(store.path))) as src:
        src.backup(dest)


def test_merging_a_copy_with_a_newer_value_takes_it_and_says_so(store, filled, tmp_path):
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    _copy_of(store, other_dir / "profile.sqlite")
    later = datetime.now(timezone.utc) + timedelta(hours=1)
    with Store.open(other_dir, clock=lambda: later) as other:
        other.reports.set_cell(filled.id, "0101", "", "121", "can_bo_b")  # newer there
    result = store.merge_from(other_dir / "profile.sqlite")
    assert isinstance(result, MergeResult)
    assert (result.reports_merged, result.cells_updated, result.reports_added) == (1, 1, 0)
    assert result.changed
    assert store.reports.cells(filled.id)[("0101", "")] == "121"
    assert store.reports.history(filled.id, "0101", "")[-1].kind == "restore"
    again = store.merge_from(other_dir / "profile.sqlite")
    assert not again.changed  # merging the same copy twice changes nothing the second time


def test_a_secret_looking_setting_is_never_merged(tmp_path, store):
    other_dir = tmp_path / "other"
    shutil.copytree(store.data_dir, other_dir, ignore=shutil.ignore_patterns("backups"))
    fresh_dir = tmp_path / "fresh"
    with closing(sqlite3.connect(str(other_dir / "profile.sqlite"), isolation_level=None)) as conn:
        conn.execute("INSERT INTO settings (key, value) VALUES ('profile.access_token', '\"tok\"')")
    with Store.open(fresh_dir) as fresh:
        result = fresh.merge_from(other_dir / "profile.sqlite")
        assert result.profile_set and fresh.settings.profile().unit == UNIT
        with closing(sqlite3.connect(str(fresh.path))) as conn:
            keys = [k for (k,) in conn.execute("SELECT key FROM settings")]
    assert keys and not any(is_secret_key(k) for k in keys)


@pytest.mark.parametrize("key", ["password", "hub.Password", "refresh-token", "client_secret", "credentials"])
def test_one_list_of_secret_words(key):
    assert is_secret_key(key)
    assert any(word in key.lower() for word in SECRET_WORDS)


def test_has_data_and_the_fingerprint_follow_the_data(data_dir):
    with Store.open(data_dir) as store:
        assert not store.has_data()
        before = store.data_fingerprint()
        store.catalogs.import_catalog(make_catalog())
        assert store.has_data()
        after_import = store.data_fingerprint()
        assert after_import != before
        report = store.reports.report(UNIT, "BM01", "2026", create=True)
        store.reports.set_cells(report.id, good_values(), WHO)
        assert store.data_fingerprint() != after_import
        same = store.data_fingerprint()
        store.settings.set_setting("backup.folder", "/tmp")  # a setting is not the profile's data
        assert store.data_fingerprint() == same


def test_baselines_from_a_crafted_copy_are_checked_and_bounded(store, tmp_path):
    """A backup is a file from a USB stick: its survey figures get the checks of the hub's reply."""
    from dttsclient.store.baselines import MAX_ITEMS

    other_dir = tmp_path / "other"
    other_dir.mkdir()
    _copy_of(store, other_dir / "profile.sqlite")
    good = ("DTTS 2024", "2024-10-01", "BM01", "2024", "0101", "")
    with closing(sqlite3.connect(str(other_dir / "profile.sqlite"), isolation_level=None)) as conn:
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO baselines VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(UNIT, *good[:4], f"i{n}", "", "7") for n in range(MAX_ITEMS + 50)],
        )
        conn.execute("INSERT INTO baselines VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (UNIT, *good, "9" * 100_000))
        conn.execute("INSERT INTO baselines VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (UNIT, *good[:5], "x", 12))
        conn.execute("INSERT INTO baselines VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ("99999", *good, "5"))
        conn.execute("INSERT INTO settings (key, value) VALUES ('baselines_version', '7')")
        conn.execute("COMMIT")
    result = store.merge_from(other_dir / "profile.sqlite")
    assert result.baselines_taken == MAX_ITEMS and store.baselines.version() == 7
    assert store.baselines.for_cell(UNIT, "BM01", "0101", "") == []  # the 100,000-digit figure was dropped
    assert store.baselines.for_cell("99999", "BM01", "0101", "") == []  # another unit's rows are not taken
