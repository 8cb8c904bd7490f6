"""The :class:`Store`: one profile's SQLite database, everything the officer typed and the outbox.

The store is composed of parts sharing one :class:`~dttsclient.store._base.Database` (the connection, its
lock, the transaction helper, the clock), one module each: ``store.settings`` (settings, device id,
profile: :mod:`.settings`), ``store.catalogs`` (catalogue versions: :mod:`.catalogs`), ``store.reports``
(reports, cells, comments, ethnic-group rows, history, checking: :mod:`.reports`), ``store.outbox``
(finalize and submissions: :mod:`.finalize`; the outbox: :mod:`.outbox`), ``store.sync`` (pull results,
server copies, sync runs: :mod:`.syncstate`). What spans the whole profile (status, merging a backup,
the summary for automatic backups) is on :class:`Store` itself. Nothing outside ``store/`` touches the
connection.

Threading: one connection per ``Store``, opened with ``check_same_thread=False`` so it may be used from
the thread that opened it or another. The GUI thread has its own store (data entry); each background task
opens a store of its own on the runner's profile lane, which runs one task at a time, so background
writers never overlap, while the GUI thread's writes share the file through SQLite's WAL and busy
timeout. Every public method also holds the store's lock, so a stray call from another thread waits
rather than interleaving a transaction.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from dttsclient.store._base import Clock, Database, Part, guarded, iso_seconds
from dttsclient.store.baselines import Baselines
from dttsclient.store.carry import Carry
from dttsclient.store.catalogs import Catalogs
from dttsclient.store.db import DB_FILENAME, OpenDatabase, open_database
from dttsclient.store.history import Earlier
from dttsclient.store.merge import MergeResult, merge_into
from dttsclient.store.outbox import Outbox
from dttsclient.store.reports import Reports
from dttsclient.store.settings import Settings
from dttsclient.store.syncstate import SyncState

logger = logging.getLogger(__name__)


class Store(Part):
    """One profile's local database. Open with :meth:`Store.open`; use as a context manager.

    Every write is one transaction and is on disk when the method returns; readers get plain
    dataclasses. Expected failures raise :class:`~dttsclient.store.errors.StoreError` subclasses.

    Args:
        db: the open, migrated database of :func:`~dttsclient.store.db.open_database` (use :meth:`open`).
        data_dir: the profile directory.
        clock: returns the current time as an aware datetime (tests pass a fixed clock).
        migration_backup: the copy taken before migrating at open, if any.

    Attributes:
        data_dir: the profile directory.
        path: the database file (``data_dir / "profile.sqlite"``).
        migration_backup: the copy taken before migrating at open, or None.
        settings: settings, the device id and the profile (:class:`~dttsclient.store.settings.Settings`).
        catalogs: catalogue versions (:class:`~dttsclient.store.catalogs.Catalogs`).
        reports: reports, cells, comments, history, checks (:class:`~dttsclient.store.reports.Reports`).
        outbox: finalize, submissions and the outbox (:class:`~dttsclient.store.outbox.Outbox`).
        sync: pulled reports, server copies, sync runs (:class:`~dttsclient.store.syncstate.SyncState`).
        earlier: a cell's values in earlier periods (:class:`~dttsclient.store.history.Earlier`).
        carry: copying last period's values as a marked draft (:class:`~dttsclient.store.carry.Carry`).
        baselines: the unit's survey figures from the hub (:class:`~dttsclient.store.baselines.Baselines`).
    """

    def __init__(
        self,
        db: OpenDatabase,
        data_dir: Path,
        *,
        clock: Clock | None = None,
        migration_backup: Path | None = None,
    ) -> None:
        super().__init__(Database(db.conn, clock))
        self.data_dir = Path(data_dir)
        self.migration_backup = migration_backup
        self.settings = Settings(self._db)
        self.catalogs = Catalogs(self._db)
        self.reports = Reports(self._db, self.catalogs)
        self.outbox = Outbox(self._db, self.reports)
        self.sync = SyncState(self._db, self.catalogs, self.reports)
        self.earlier = Earlier(self._db)
        self.carry = Carry(self._db, self.reports)
        self.baselines = Baselines(self._db)

    @classmethod
    def open(cls, data_dir: Path | str, *, clock: Clock | None = None) -> Store:
        """Open (creating and migrating) ``data_dir/profile.sqlite``.

        Args:
            data_dir: the profile directory; created when missing.
            clock: returns the current time as an aware datetime (tests pass a fixed one).

        Raises:
            StoreError: locked, corrupt, unwritable, full disk, too new, or migrating failed.
        """
        data_dir = Path(data_dir)
        db, backup = open_database(data_dir)
        store = cls(db, data_dir, clock=clock, migration_backup=backup)
        try:
            store.settings._ensure_device_id()
        except BaseException:
            store.close()
            raise
        logger.debug("opened %s", store.path)
        return store

    @property
    def path(self) -> Path:
        return self.data_dir / DB_FILENAME

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @guarded
    def status(self) -> dict[str, Any]:
        """A JSON-able summary for ``dttsclient status``.

        Keys: data_dir, database, device_id, profile (dict), catalog ({catalog_id, version, title,
        sample} or None), reports, drafts, outbox (count per state), last_sync (see
        :meth:`SyncState.last_sync`).
        """
        key = self.catalogs._current_key()
        catalog = None
        if key is not None:
            cat = self.catalogs._catalog_info(*key).catalog
            catalog = {
                "catalog_id": cat.catalog_id,
                "version": cat.version,
                "title": cat.title,
                "sample": cat.sample,
            }
        reports, drafts = self._conn.execute(
            "SELECT count(*), coalesce(sum(state = 'draft'), 0) FROM reports"
        ).fetchone()
        return {
            "data_dir": str(self.data_dir),
            "database": str(self.path),
            "device_id": self.settings.device_id,
            "profile": asdict(self.settings.profile()),
            "catalog": catalog,
            "reports": reports,
            "drafts": drafts,
            "outbox": self.outbox.counts(),
            "last_sync": self.sync.last_sync(),
        }

    @guarded
    def merge_from(self, other: Path, *, now: datetime | None = None) -> MergeResult:
        """Merge another copy of a profile database (an extracted backup) into this one. One transaction.

        The rules (newest change wins per cell, nothing local is lost, unsent submissions keep waiting)
        are those of :mod:`dttsclient.store.merge`.

        Args:
            other: the other database file, already at this version's schema
                (:func:`dttsclient.store.merge.upgrade_copy`); it is only read.
            now: the time written on the rows the merge makes (default: the store's clock).

        Returns:
            What was merged.
        """
        stamp = iso_seconds(now) if now is not None else self._stamp()
        with self._tx() as conn:
            return merge_into(conn, Path(other), stamp)

    @guarded
    def has_data(self) -> bool:
        """Whether the profile holds anything worth a safety copy (a catalogue or a report)."""
        row = self._conn.execute(
            "SELECT (SELECT count(*) FROM reports) + (SELECT count(*) FROM catalogs)"
        ).fetchone()
        return bool(row[0])

    @guarded
    def data_fingerprint(self) -> str:
        """A short summary that changes whenever the profile's data changes (values, comments, outbox …):
        an automatic backup is only written when it differs from the last backup's."""
        row = self._conn.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM change_log), (SELECT count(*) FROM outbox), "
            "(SELECT coalesce(max(updated_at), '') FROM outbox), (SELECT coalesce(max(updated_at), '') FROM reports), "
            "(SELECT count(*) FROM reports), (SELECT count(*) FROM catalogs), (SELECT count(*) FROM comments), "
            "(SELECT coalesce(max(at), '') FROM comments), (SELECT count(*) FROM submissions), "
            "(SELECT count(*) FROM eth_rows), (SELECT count(*) FROM carried_cells), "
            "(SELECT coalesce(value, '') FROM settings WHERE key = 'baselines_version')"
        ).fetchone()
        return "|".join(str(v) for v in row)
