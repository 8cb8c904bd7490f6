"""What every part of :class:`~dttsclient.store.Store` shares: the connection, the lock, the one transaction
helper, the clock, and the sorting of raw SQLite errors into :class:`StoreError` or bugs."""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import datetime, timezone
from typing import Any, TypeVar

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
    def wrapper(self: Part, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            try:
                return method(self, *args, **kwargs)
            except (sqlite3.Error, OSError) as exc:
                translated = translate_sqlite_error(exc)
                if translated is None:
                    raise
                raise translated from exc

    return wrapper  # type: ignore[return-value]


class Database:
    """What the store's parts share: the one connection, its lock, the clock. Built by :meth:`Store.open`.

    Args:
        conn: the open, migrated connection (autocommit mode: :meth:`tx` opens every transaction).
        clock: returns the current time as an aware datetime (tests pass a fixed clock).
    """

    def __init__(self, conn: sqlite3.Connection, clock: Clock | None = None) -> None:
        self.conn = conn
        self.clock: Clock = clock or utc_now
        # An RLock because public methods call each other; each thread normally has its own store (the
        # lock only makes a stray call from another thread wait instead of corrupt).
        self.lock = threading.RLock()
        self.closed = False

    def now(self) -> datetime:
        return self.clock()

    def stamp(self) -> str:
        return iso_seconds(self.clock())

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: ``BEGIN IMMEDIATE`` … ``COMMIT`` (durable on return), rolled back on
        any exception. The store's only way to write. Not re-entrant: internal helpers take the
        connection instead of nesting."""
        conn = self.conn
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

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self.lock:
            if not self.closed:
                self.closed = True
                self.conn.close()


class Part:
    """One part of the store (``store.reports``, ``store.outbox`` …): methods over the shared
    :class:`Database`. Public methods are wrapped in :func:`guarded`.

    Args:
        db: the store's database, shared by all its parts.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    @property
    def _conn(self) -> sqlite3.Connection:
        return self._db.conn

    @property
    def _lock(self) -> threading.RLock:
        return self._db.lock

    def _now(self) -> datetime:
        return self._db.now()

    def _stamp(self) -> str:
        return self._db.stamp()

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._db.tx()


def rollback_quietly(conn: sqlite3.Connection) -> None:
    """Roll back if a transaction is still open, never masking the exception being handled."""
    if conn.in_transaction:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
