"""The :class:`Store`: one profile's SQLite database, everything the officer typed and the outbox.

The class is assembled from parts, one module per capability: settings and profile
(:mod:`.settings`), catalogue versions (:mod:`.catalogs`), reports, cells, comments and history
(:mod:`.reports`), check and finalize (:mod:`.finalize`), the outbox (:mod:`.outbox`), pull results,
server copies and sync runs (:mod:`.syncstate`).

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
from pathlib import Path
from types import TracebackType
from typing import Any

from dttsclient.store._base import Clock, guarded
from dttsclient.store.db import DB_FILENAME, open_database
from dttsclient.store.settings import SettingsMixin
from dttsclient.store.syncstate import SyncMixin
from dttsclient.store.wirebase import WireBaseMixin

logger = logging.getLogger(__name__)


class Store(SyncMixin, SettingsMixin, WireBaseMixin):
    """One profile's local database. Open with :meth:`Store.open`; use as a context manager.

    Every write is one transaction and is on disk when the method returns; readers get plain
    dataclasses. Expected failures raise :class:`~dttsclient.store.errors.StoreError` subclasses.

    Attributes:
        data_dir: the profile directory.
        path: the database file (``data_dir / "profile.sqlite"``).
        db: the ``sqlite_utils.Database`` (``db.conn`` is the raw connection).
        migration_backup: the copy taken before migrating at open, or None.
    """

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
            store._ensure_device_id()
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
        with self._lock:
            if not self._closed:
                self._closed = True
                self._conn.close()

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
        sample} or None), reports, drafts, outbox (count per state), last_sync (see :meth:`last_sync`).
        """
        key = self._current_key()
        catalog = None
        if key is not None:
            cat = self._catalog_info(*key).catalog
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
            "device_id": self.device_id,
            "profile": asdict(self.profile()),
            "catalog": catalog,
            "reports": reports,
            "drafts": drafts,
            "outbox": self.outbox_counts(),
            "last_sync": self.last_sync(),
        }
