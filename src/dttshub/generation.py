"""Database generations: a hub database restored from an older copy is detected and made safe.

A restored database is an exact older copy of itself: same ``server_id``, a change sequence and receipt
counters that have gone back. Left alone, the clients trust it, their change cursors point past its
sequence, receipt numbers are issued a second time, and submissions it lost are never resent.

Two things the restore cannot turn back:

* **The high-water file** (``hub_highwater.json`` in the data directory, beside the signing key): the
  hub's ``server_id``, its current *generation* and the highest value of every counter it has committed
  (the change sequence, each commune's receipt numbers). Every hub process rewrites it every
  ``highwater_interval`` seconds, at start-up and at shutdown — read from the database, merged with the
  file under a file lock (the larger value of every receipt counter wins), written to a temp name,
  fsync'd and renamed.
* **The clients**: each holds the generation it last saw and a cursor that names the generation.

At start-up (:func:`start_up`, run by every :class:`~dttshub.service.Hub`, so by ``dttshub serve``
before its workers start and by every admin command) the database is compared with the file. When the
database is *behind* — an older generation, no generation at all while the file has one, or any
counter lower than the file says — the hub starts a **new generation** (:func:`new_generation`, also run
by ``dttshub db new-generation``): a new random generation id in the ``meta`` table (the source of truth
that every process of a PostgreSQL hub reads), and every receipt counter moved past every number the hub
ever issued (the file's value, or the database's, plus :data:`RECEIPT_MARGIN` for what was issued after
the file's last write; for the current year every commune's counter, since a commune's first receipt of
the year may be newer than the file). Receipt numbers are therefore never issued twice.

``ping`` and every ``changes`` reply carry the generation, and the cursor names it. A cursor of another
generation, or one ahead of the hub's change sequence (a restore the file could not see), is answered
from the start of the feed with ``reset: true``. A client that sees a new generation (or a reset) pulls
from the start and asks ``submissions:status`` about every submission it holds a receipt for; those the
hub answers ``unknown`` go back to its queue and are sent again.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from dttscore import refdata
from dttshub import db as t
from dttshub.db import Database, iso
from dttshub.receipts import receipt_counter_name, vn_date

logger = logging.getLogger(__name__)

HIGHWATER_FILE = "hub_highwater.json"
FILE_FORMAT = 1
GENERATION_KEY = "generation"
FIRST_GENERATION_KEY = "generation_first"
STARTED_KEY = "generation_started_at"
REASON_KEY = "generation_reason"
PREVIOUS_KEY = "generation_previous"
CURSOR_KEY_KEY = "cursor_key"
RECEIPT_PREFIX = "receipt:"
RECEIPT_MARGIN = 1000
"""How far past the highest known number each receipt counter moves at a new generation: covers receipts
issued between the file's last write and the copy's loss (a commune issues a few a day)."""
GENERATION_LOCK = 0x647474736876  # a PostgreSQL advisory lock of its own (migrations use ...75)

try:  # POSIX: processes of one hub merge into the file one at a time
    import fcntl
except ImportError:  # pragma: no cover - Windows runs one process
    fcntl = None  # type: ignore[assignment]


@dataclass
class HighWater:
    """What the high-water file holds.

    Attributes:
        server_id: the hub the file belongs to.
        generation: the database generation last started.
        counters: the highest committed value of every counter.
        written_at: when the file was written (UTC, ISO 8601).
    """

    server_id: str
    generation: str
    counters: dict[str, int] = field(default_factory=dict)
    written_at: str = ""

    def to_json(self) -> dict:
        return {
            "format": FILE_FORMAT,
            "server_id": self.server_id,
            "generation": self.generation,
            "written_at": self.written_at,
            "counters": dict(sorted(self.counters.items())),
        }

    @classmethod
    def from_json(cls, doc: Mapping) -> HighWater:
        counters = doc.get("counters")
        if not isinstance(counters, Mapping):
            raise ValueError("counters")
        return cls(
            server_id=str(doc["server_id"]),
            generation=str(doc["generation"]),
            counters={str(k): int(v) for k, v in counters.items()},
            written_at=str(doc.get("written_at") or ""),
        )


class HighWaterFile:
    """The high-water file in the hub's data directory.

    Args:
        path: the file (its directory is created when written).
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._thread_lock = threading.Lock()

    def read(self) -> HighWater | None:
        """The file's content; None when it is missing or cannot be read (logged)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            logger.warning("cannot read the high-water file %s: %s", self.path, exc)
            return None
        try:
            return HighWater.from_json(json.loads(text))
        except (ValueError, KeyError, TypeError) as exc:
            logger.warning("the high-water file %s is damaged (%s): ignored", self.path, exc)
            return None

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the file's lock (threads of this process, and other processes through ``flock``).

        Every reader of the database that writes the file holds it from before its read of the database
        until the file is written, and :func:`start_up` until its transaction has committed: so a write
        never puts back a generation older than the database's.
        """
        with self._thread_lock:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                lock_path = self.path.with_name(self.path.name + ".lock")
                try:
                    lock = open(lock_path, "a+b")  # noqa: SIM115
                except PermissionError:  # made by another user (an admin command): flock works read-only
                    lock = open(lock_path, "rb")  # noqa: SIM115
            except OSError as exc:  # the write will fail too, and say so
                logger.warning("cannot lock the high-water file %s: %s", self.path, exc)
                yield
                return
            with lock:
                if fcntl is not None:
                    fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
                yield

    def merge_write(self, mark: HighWater) -> HighWater:
        """Write ``mark`` merged with what the file holds (the caller holds :meth:`locked`).

        Receipt counters keep the larger value whatever the generation (a number once issued stays
        issued); the other counters keep the larger value only within one generation.

        Returns:
            What was written.

        Raises:
            OSError: the file could not be written.
        """
        old = self.read()
        merged = HighWater(mark.server_id, mark.generation, dict(mark.counters), mark.written_at)
        if old is not None and old.server_id == mark.server_id:
            for name, value in old.counters.items():
                if name.startswith(RECEIPT_PREFIX) or old.generation == mark.generation:
                    merged.counters[name] = max(value, merged.counters.get(name, 0))
        self._write(merged)
        return merged

    def _write(self, mark: HighWater) -> None:
        data = json.dumps(mark.to_json(), indent=1).encode("utf-8")
        fd, tmp = tempfile.mkstemp(prefix=".hub_highwater.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)  # not a secret; readable by the admin commands and the service alike
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        if hasattr(os, "O_DIRECTORY"):
            dir_fd = os.open(self.path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


@dataclass(frozen=True)
class GenerationState:
    """The outcome of :func:`start_up` or :func:`new_generation`.

    Attributes:
        generation: the current generation.
        started: True when this call started a new generation after a restore (or on request).
        reason: why a new generation was started ("" when none was).
        previous: the generation the database held before (None for none).
    """

    generation: str
    started: bool = False
    reason: str = ""
    previous: str | None = None


def read_counters(conn: Connection) -> dict[str, int]:
    """Every counter of the database."""
    return {str(r.name): int(r.value) for r in conn.execute(sa.select(t.counters.c.name, t.counters.c.value))}


def current_generation(db: Database, conn: Connection) -> str | None:
    return db.get_meta(conn, GENERATION_KEY)


def behind(
    server_id: str, generation: str | None, counters: Mapping[str, int], mark: HighWater | None
) -> str:
    """Why the database is older than the high-water file says ("" when it is not).

    Args:
        server_id: the database's server_id.
        generation: the database's generation (None before the first).
        counters: the database's counters.
        mark: the file's content (None when there is no file).
    """
    if mark is None:
        return ""
    if mark.server_id != server_id:
        logger.warning(
            "the high-water file belongs to hub %s, this database to %s: the file is replaced",
            mark.server_id,
            server_id,
        )
        return ""
    if generation is None:
        return "restored: the database predates the generation in the high-water file"
    if generation != mark.generation:
        return f"restored: database generation {generation}, the hub last ran generation {mark.generation}"
    lower = sorted(name for name, value in mark.counters.items() if counters.get(name, 0) < value)
    if lower:
        name = lower[0]
        return (
            f"restored: counter {name} is {counters.get(name, 0)} in the database, "
            f"{mark.counters[name]} in the high-water file ({len(lower)} counter(s) behind)"
        )
    return ""


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": GENERATION_LOCK})


def start_up(db: Database, server_id: str, highwater: HighWaterFile, now: datetime) -> GenerationState:
    """Compare the database with the high-water file; start a new generation when it is behind.

    The first start of a database (no generation yet, no file saying otherwise) records its first
    generation. The file is then rewritten from the database, before the transaction commits and under
    the file's lock: hub processes starting together see one restore and start one generation.
    """
    with highwater.locked(), db.begin() as conn:
        _lock(conn)
        mark = highwater.read()
        generation = current_generation(db, conn)
        counters = read_counters(conn)
        if db.get_meta(conn, CURSOR_KEY_KEY) is None:
            db.set_meta(conn, CURSOR_KEY_KEY, secrets.token_hex(32))
        reason = behind(server_id, generation, counters, mark)
        if reason:
            logger.warning("hub database %s", reason)
            state = _start(db, conn, now, reason, mark if mark and mark.server_id == server_id else None)
        elif generation is None:
            generation = secrets.token_hex(8)
            db.set_meta(conn, GENERATION_KEY, generation)
            db.set_meta(conn, FIRST_GENERATION_KEY, generation)
            db.set_meta(conn, STARTED_KEY, iso(now))
            db.set_meta(conn, REASON_KEY, "first")
            logger.info("hub database generation %s (first)", generation)
            state = GenerationState(generation)
        else:
            state = GenerationState(generation)
        _write_quietly(highwater, HighWater(server_id, state.generation, read_counters(conn), iso(now)))
    return state


def new_generation(
    db: Database,
    server_id: str,
    highwater: HighWaterFile,
    now: datetime,
    reason: str,
    expect: str | None = None,
) -> GenerationState:
    """Start a new generation: on request (``dttshub db new-generation`` after a manual restore), or when a
    client's cursor proves the database went back (:class:`dttshub.changes.Changes`).

    Args:
        expect: start one only if the database is still in this generation (another process may have
            started one already: then that one is returned).
    """
    with highwater.locked(), db.begin() as conn:
        _lock(conn)
        mark = highwater.read()
        current = current_generation(db, conn)
        if expect is not None and current != expect:
            return GenerationState(current or "", previous=expect)
        state = _start(db, conn, now, reason, mark if mark and mark.server_id == server_id else None)
        _write_quietly(highwater, HighWater(server_id, state.generation, read_counters(conn), iso(now)))
    return state


def snapshot(db: Database, server_id: str, now: datetime) -> HighWater | None:
    """The database's generation and counters as a :class:`HighWater` (None before the first generation)."""
    with db.read() as conn:
        generation = current_generation(db, conn)
        counters = read_counters(conn)
    if generation is None:
        return None
    return HighWater(server_id, generation, counters, iso(now))


def _start(
    db: Database, conn: Connection, now: datetime, reason: str, mark: HighWater | None
) -> GenerationState:
    previous = current_generation(db, conn)
    generation = secrets.token_hex(8)
    db.set_meta(conn, GENERATION_KEY, generation)
    db.set_meta(conn, STARTED_KEY, iso(now))
    db.set_meta(conn, REASON_KEY, reason[:500])
    db.set_meta(conn, PREVIOUS_KEY, previous or "")
    moved = _move_receipts(conn, now, mark)
    logger.warning(
        "hub database: new generation %s (was %s); %d receipt counter(s) moved past every number issued",
        generation,
        previous,
        moved,
    )
    return GenerationState(generation, True, reason, previous)


def _move_receipts(conn: Connection, now: datetime, mark: HighWater | None) -> int:
    """Move every receipt counter past every number issued; returns how many counters were set."""
    have = read_counters(conn)
    known = mark.counters if mark is not None else {}
    names = {n for n in have if n.startswith(RECEIPT_PREFIX)} | {
        n for n in known if n.startswith(RECEIPT_PREFIX)
    }
    year = vn_date(now).year
    names |= {receipt_counter_name(c.commune_code, year) for c in refdata.communes()}
    updates, inserts = [], []
    for name in names:
        value = max(have.get(name, 0), known.get(name, 0)) + RECEIPT_MARGIN
        (updates if name in have else inserts).append({"n": name, "v": value})
    if updates:
        conn.execute(
            t.counters.update().where(t.counters.c.name == sa.bindparam("n")).values(value=sa.bindparam("v")),
            updates,
        )
    if inserts:
        conn.execute(t.counters.insert().values(name=sa.bindparam("n"), value=sa.bindparam("v")), inserts)
    return len(names)


def _write_quietly(highwater: HighWaterFile, mark: HighWater) -> None:
    try:
        highwater.merge_write(mark)
    except OSError as exc:
        logger.error(
            "cannot write the high-water file %s (%s): a restore of an older database copy will not be "
            "detected by it",
            highwater.path,
            exc,
        )


class Watch:
    """A daemon thread that rewrites the high-water file every ``interval`` seconds.

    Args:
        db: the hub database.
        server_id: the hub's server_id.
        highwater: the file.
        clock: the hub's clock (for ``written_at``).
        interval: seconds between writes.
    """

    def __init__(
        self, db: Database, server_id: str, highwater: HighWaterFile, clock, interval: float
    ) -> None:
        self.db = db
        self.server_id = server_id
        self.highwater = highwater
        self.clock = clock
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None and self.interval > 0:
            self._thread = threading.Thread(target=self._run, name="dttshub-highwater", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.flush()

    def flush(self) -> None:
        """Write the file from the database now (errors are logged, never raised)."""
        with self.highwater.locked():
            try:
                mark = snapshot(self.db, self.server_id, self.clock())
            except sa.exc.SQLAlchemyError as exc:
                logger.warning("high-water file not updated: the database cannot be read (%s)", exc)
                return
            if mark is not None:
                _write_quietly(self.highwater, mark)

    def stop(self) -> None:
        """Stop the thread and write the file one last time."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)
            self._thread = None
        self.flush()
