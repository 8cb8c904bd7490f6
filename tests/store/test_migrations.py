"""Opening a profile: schema through sqlite_utils.Migrations, the pre-migration copy, pragmas, location."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from dttsclient.store import DatabaseCorrupt, DatabaseTooNew, DatabaseUnavailable, Store
from dttsclient.store.db import open_database
from dttsclient.store.migrations import STEPS, build_migrations

TABLES = {
    "settings",
    "catalogs",
    "reports",
    "cells",
    "comments",
    "eth_rows",
    "change_log",
    "submissions",
    "outbox",
    "server_copies",
    "sync_runs",
}


def table_names(path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_fresh_profile_gets_the_whole_schema_and_no_copy(tmp_path):
    data_dir = tmp_path / "new" / "profile"  # missing folders are created
    with Store.open(data_dir) as store:
        assert store.path == data_dir / "profile.sqlite"
        assert store.migration_backup is None
        applied = [m.name for m in build_migrations().applied(Database(store._db.conn))]
        assert applied == [s.__name__ for s in STEPS]
    assert table_names(data_dir / "profile.sqlite") >= TABLES
    assert not (data_dir / "backups").exists()


def test_connection_pragmas(store):
    conn = store._db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_older_database_is_copied_before_migrating(data_dir):
    # An "old version" of the app: only the first two steps, with some data in it.
    db, backup = open_database(data_dir, build_migrations(upto=2))
    assert backup is None
    db.conn.execute("INSERT INTO settings (key, value) VALUES ('profile.unit', '\"01849\"')")
    db.close()
    assert "outbox" not in table_names(data_dir / "profile.sqlite")

    with Store.open(data_dir) as store:
        copy = store.migration_backup
        assert copy is not None and copy.exists()
        assert copy.parent == data_dir / "backups"
        assert copy.name.startswith("pre-migrate-") and copy.name.endswith("-profile.sqlite")
        assert store.settings.profile().unit == "01849"  # data survived the migration
        assert store.outbox.counts()["queued"] == 0  # new tables work
    # The copy is the old database as it was: old schema, same data, and sound.
    old_tables = table_names(copy)
    assert "reports" in old_tables and "outbox" not in old_tables
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert (
            conn.execute("SELECT value FROM settings WHERE key = 'profile.unit'").fetchone()[0] == '"01849"'
        )

    # Opening again: nothing pending, no second copy.
    with Store.open(data_dir) as store:
        assert store.migration_backup is None
    assert len(list((data_dir / "backups").iterdir())) == 1


def test_database_from_a_newer_version_is_refused(data_dir):
    with Store.open(data_dir):
        pass
    db = Database(sqlite3.connect(data_dir / "profile.sqlite"))
    db["_sqlite_migrations"].insert(
        {"migration_set": "dttsclient.store", "name": "m999_from_the_future", "applied_at": "2030-01-01"}
    )
    db.conn.commit()
    db.close()
    with pytest.raises(DatabaseTooNew) as info:
        Store.open(data_dir)
    assert "mới hơn" in info.value.message_vi and "newer" in info.value.message_en


def test_a_file_that_is_not_a_database_is_a_clear_error(data_dir):
    (data_dir / "profile.sqlite").write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(DatabaseCorrupt) as info:
        Store.open(data_dir)
    assert info.value.message_vi and info.value.message_en != info.value.message_vi


def test_a_data_dir_that_is_a_file_is_a_clear_error(tmp_path):
    target = tmp_path / "not-a-folder"
    target.write_text("x")
    with pytest.raises(DatabaseUnavailable) as info:
        Store.open(target)
    assert "thư mục" in info.value.message_vi
