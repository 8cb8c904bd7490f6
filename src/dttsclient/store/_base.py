"""What every part of :class:`~dttsclient.store.Store` shares: the connection, the lock, transactions,
the clock, and the sorting of raw SQLite errors into :class:`StoreError` or bugs."""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from dttsclient.store.db import OpenDatabase

from dttsclient.store.errors import translate_sqlite_error

F = TypeVar("F", bound=Callable[..., Any])
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso_seconds(moment: datetime) -> str:
    """UTC ISO 8601 to the second ("2026-11-21T18:50:00+00:00"): what people and the hub read."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def iso_micro(moment: datetime) -> str:
    """UTC ISO 8601 to the microsecond: fixed width, so leases compare as strings."""
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def guarded(method: F) -> F:
    """Serialise a public method on the store's lock and turn environment failures into StoreError.

    ``database is locked``, ``disk is full`` and friends become :class:`DatabaseLocked`,
    :class:`DiskFull` … (with the original chained); anything else propagates unchanged as a bug.
    """

    @functools.wraps(method)
    def wrapper(self: StoreBase, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            try:
                return method(self, *args, **kwargs)
            except (sqlite3.Error, OSError) as exc:
                translated = translate_sqlite_error(exc)
                if translated is None:
                    raise
                raise translated from exc

    return wrapper  # type: ignore[return-value]


class StoreBase:
    """State shared by the store's parts. Built by :meth:`Store.open`, never directly.

    Args:
        db: the open, migrated database (its ``conn`` is in autocommit mode).
        data_dir: the profile directory.
        clock: returns the current time as an aware datetime (tests pass a fixed clock).
        migration_backup: the copy taken before migrating at open, if any.
    """

    def __init__(
        self,
        db: OpenDatabase,
        data_dir: Path,
        *,
        clock: Clock | None = None,
        migration_backup: Path | None = None,
    ) -> None:
        self.db = db
        self._conn: sqlite3.Connection = db.conn
        self.data_dir = Path(data_dir)
        self.migration_backup = migration_backup
        self._clock: Clock = clock or utc_now
        # An RLock because public methods call each other; each thread normally has its own store (the
        # lock only makes a stray call from another thread wait instead of corrupt).
        self._lock = threading.RLock()
        self._closed = False
        # Parsed catalogues per (catalog_id, version): parsing JSON never happens on the hot path.
        self._catalogs: dict[tuple[str, int], Any] = {}
        # report id -> (catalog_id, catalog_version): a report's pin never changes once set.
        self._pins: dict[int, tuple[str, int] | None] = {}

    # -- time ---------------------------------------------------------------------------------------
    def _now(self) -> datetime:
        return self._clock()

    def _stamp(self) -> str:
        return iso_seconds(self._clock())

    # -- transactions -------------------------------------------------------------------------------
    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: ``BEGIN IMMEDIATE`` … ``COMMIT`` (durable on return), rolled back on
        any exception. Not re-entrant: internal helpers take the connection instead of nesting."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            rollback_quietly(conn)
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            rollback_quietly(conn)
            raise


def rollback_quietly(conn: sqlite3.Connection) -> None:
    """Roll back if a transaction is still open, never masking the exception being handled."""
    if conn.in_transaction:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
