"""Opening ``profile.sqlite``: location, connection pragmas, migrations with a copy taken first.

The connection is a plain ``sqlite3`` connection in autocommit mode (``isolation_level=None``): the
store opens every transaction itself with ``BEGIN IMMEDIATE`` and ends it with ``COMMIT``, so a write
either is durable when the call returns (WAL + ``synchronous=FULL``) or raised. Only migrating wraps it
in a ``sqlite_utils.Database``.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

from dttsclient.store.errors import (
    DatabaseTooNew,
    DatabaseUnavailable,
    DiskFull,
    MigrationFailed,
    ProfileDiskFull,
    StoreError,
    translate_sqlite_error,
)
from dttsclient.store.migrations import build_migrations

logger = logging.getLogger(__name__)

DB_FILENAME = "profile.sqlite"
BACKUP_DIRNAME = "backups"
BUSY_TIMEOUT_MS = 5000


def connect(path: Path) -> sqlite3.Connection:
    """A raw connection to ``path`` with the store's pragmas.

    WAL journal, ``synchronous=FULL`` (a commit is on disk when it returns), foreign keys on, a 5 s
    busy timeout, and ``check_same_thread=False`` so a store opened on one thread may be used from
    another (the store serialises its own calls; see :class:`~dttsclient.store.Store`).

    Raises:
        StoreError: the file is locked, corrupt, unreadable, or the disk is full.
    """
    try:
        conn = sqlite3.connect(
            str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )
    except sqlite3.Error as exc:
        _raise_env(exc, path.parent)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            logger.warning("journal_mode is %s, not wal, for %s", mode, path)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        conn.close()
        _raise_env(exc, path.parent)
    return conn


LOW_SPACE_BYTES = 1 << 20  # below this, an I/O error while opening means the disk is full


def _disk_full(folder: Path) -> int | None:
    """The free bytes of ``folder``'s disk when they are too few to open a database, else None."""
    try:
        free = shutil.disk_usage(str(folder)).free
    except OSError:
        return None
    return int(free) if free < LOW_SPACE_BYTES else None


def _raise_env(exc: BaseException, folder: Path | None = None) -> NoReturn:
    """Raise the StoreError for an environment failure (chained), or ``exc`` itself when it is a bug.

    SQLite reports a full disk met while opening (the WAL and shared-memory files cannot be made) as an
    I/O or "cannot open" error: with ``folder`` given, a nearly full disk is named as the cause.
    """
    translated = translate_sqlite_error(exc)
    if folder is not None and isinstance(translated, DatabaseUnavailable | DiskFull):
        free = _disk_full(folder)
        if free is not None:
            raise ProfileDiskFull(folder, free, str(exc)) from exc
    if translated is None:
        raise exc
    raise translated from exc


def _has_user_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchone()
    return bool(row[0])


def backup_database(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy the live database to ``target`` with SQLite's online backup API (consistent snapshot).

    The copy is a single file in rollback-journal mode (no ``-wal``/``-shm`` companions).

    Args:
        conn: an open connection to the database to copy.
        target: the file to create; its folder is created when missing.

    Returns:
        ``target``.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    dest = sqlite3.connect(str(target), isolation_level=None)
    try:
        conn.backup(dest)
        # The live file is in WAL mode and the copy inherits it; a copy is one self-contained file.
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    return target


def pre_migrate_backup_path(data_dir: Path, now: datetime | None = None) -> Path:
    """``data_dir/backups/pre-migrate-<UTC timestamp>-profile.sqlite``, never an existing file."""
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    folder = data_dir / BACKUP_DIRNAME
    candidate = folder / f"pre-migrate-{stamp}-{DB_FILENAME}"
    n = 1
    while candidate.exists():
        n += 1
        candidate = folder / f"pre-migrate-{stamp}-{n}-{DB_FILENAME}"
    return candidate


def migrate(db: Database, data_dir: Path, migrations: Migrations | None = None) -> Path | None:
    """Apply pending migrations, copying the database first when it already holds tables.

    Args:
        db: the open database.
        data_dir: the profile directory (the copy goes to its ``backups`` folder).
        migrations: the migration set; the full set of :mod:`dttsclient.store.migrations` by default.

    Returns:
        The path of the pre-migration copy, or None when none was needed.

    Raises:
        DatabaseTooNew: the database has migrations this version does not know.
        MigrationFailed: a step failed (it was rolled back; the copy is named in the message).
    """
    migrations = migrations or build_migrations()
    # sqlite_utils.Migrations has no public list of its names; _migrations is its registry.
    known = {m.name for m in migrations._migrations}
    applied = [m.name for m in migrations.applied(db)]
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise DatabaseTooNew(unknown)
    pending = migrations.pending(db)
    if not pending:
        return None
    backup: Path | None = None
    if _has_user_tables(db.conn):
        backup = backup_database(db.conn, pre_migrate_backup_path(data_dir))
        logger.info("copied the database to %s before %d migration(s)", backup, len(pending))
    try:
        migrations.apply(db)
    except Exception as exc:
        env = translate_sqlite_error(exc)
        if env is not None:
            raise env from exc
        logger.exception("migration failed; copy at %s", backup)
        raise MigrationFailed(str(backup) if backup else None, str(exc)) from exc
    logger.info("applied migrations: %s", ", ".join(m.name for m in pending))
    return backup


class OpenDatabase:
    """A profile database that is open and migrated; ``conn`` is its raw connection (autocommit).

    A profile already at the newest schema is opened without loading ``sqlite_utils`` (whose import pulls
    its whole command-line stack): only migrating needs it.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def close(self) -> None:
        self.conn.close()


def _is_current(conn: sqlite3.Connection) -> bool:
    """True when the profile holds exactly this version's migrations (nothing to do at open)."""
    from dttsclient.store.migrations import MIGRATION_SET, STEP_NAMES

    try:
        rows = conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,)
        ).fetchall()
    except sqlite3.OperationalError:  # no migrations table: a new profile
        return False
    return {row[0] for row in rows} == set(STEP_NAMES)


def open_database(data_dir: Path, migrations: Migrations | None = None) -> tuple[OpenDatabase, Path | None]:
    """Create ``data_dir`` if needed, open ``profile.sqlite`` and migrate it.

    Args:
        data_dir: the profile directory.
        migrations: the migration set to apply (tests pass a truncated one to make an older schema).

    Returns:
        The :class:`OpenDatabase` (its ``conn`` is the raw connection, handed to the :class:`Store`) and
        the path of the pre-migration copy (None when no copy was needed).

    Raises:
        StoreError: the directory or file cannot be used, or migrating failed.
    """
    data_dir = Path(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _raise_env(exc)
    conn = connect(data_dir / DB_FILENAME)
    try:
        backup = None
        if migrations is not None or not _is_current(conn):
            from sqlite_utils import Database

            backup = migrate(Database(conn, execute_plugins=False), data_dir, migrations)
        db = OpenDatabase(conn)
    except StoreError as exc:
        conn.close()
        if isinstance(exc, DatabaseUnavailable | DiskFull) and (free := _disk_full(data_dir)) is not None:
            raise ProfileDiskFull(data_dir, free, str(exc)) from exc
        raise
    except (sqlite3.Error, OSError) as exc:
        conn.close()
        _raise_env(exc, data_dir)
    except BaseException:
        conn.close()
        raise
    return db, backup
