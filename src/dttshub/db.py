"""Storage of the hub: SQLAlchemy Core tables and the engine, the same code on SQLite and PostgreSQL.

Times are stored as ISO-8601 strings in UTC with microseconds (``2026-11-21T18:50:00.000000+00:00``):
one fixed format, so comparing the strings compares the times on both databases.

Write transactions on SQLite start with ``BEGIN IMMEDIATE`` so two writers wait for each other (busy
timeout) instead of failing when a read lock would have to be upgraded. On PostgreSQL, counters are
incremented with ``UPDATE … RETURNING`` whose row lock lasts until commit: the hub-wide change sequence
therefore grows in commit order, which is what makes the ``changes`` cursor safe.

One connection per request: code that holds a pooled connection never asks the pool for another (a herd
of requests each holding one and waiting for a second would empty the pool for good). The
:class:`Database` refuses such a nested checkout in the same thread (:class:`NestedConnection`); work
that needs the database while a connection is held runs on that connection (:meth:`Database.read_on`).
A request that waits longer than the pool timeout for a connection gets 503 ``hub_busy`` with
``Retry-After`` (:class:`~dttshub.errors.Unavailable`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from dttshub.errors import ConfigError, Unavailable

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
CHANGE_SEQ = "change_seq"

metadata = sa.MetaData()

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", sa.String(40), nullable=False),
)

counters = sa.Table(
    "counters",
    metadata,
    sa.Column("name", sa.String(96), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("unit", sa.String(8), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.String(40), nullable=False),
)

tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(8), nullable=False),  # access | refresh
    sa.Column("username", sa.String(64), sa.ForeignKey("users.username"), nullable=False, index=True),
    sa.Column("device_id", sa.String(128), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("expires_at", sa.String(40), nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False, default=False),
)

devices = sa.Table(
    "devices",
    metadata,
    sa.Column("device_id", sa.String(128), primary_key=True),
    sa.Column("username", sa.String(64), sa.ForeignKey("users.username"), primary_key=True),
    sa.Column("device_name", sa.String(200), nullable=False, default=""),
    sa.Column("app_version", sa.String(40), nullable=False, default=""),
    sa.Column("first_seen", sa.String(40), nullable=False),
    sa.Column("last_seen", sa.String(40), nullable=False),
)

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Index("ix_login_failures_user_at", "username", "at"),
)

catalogs = sa.Table(
    "catalogs",
    metadata,
    sa.Column("catalog_id", sa.String(64), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("content", sa.Text, nullable=False),  # canonical JSON of catalog_to_json()
    sa.Column("etag", sa.String(80), nullable=False),
    sa.Column("publish_seq", sa.BigInteger, nullable=False, unique=True),
    sa.Column("published_at", sa.String(40), nullable=False),
    sa.Column("published_by", sa.String(64), nullable=False, default=""),
)

reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("unit", sa.String(8), nullable=False),
    sa.Column("form", sa.String(32), nullable=False),
    sa.Column("period", sa.String(8), nullable=False),
    sa.Column("catalog_id", sa.String(64), nullable=False, default=""),
    sa.Column("catalog_version", sa.Integer, nullable=False, default=0),
    sa.Column("server_revision", sa.Integer, nullable=False, default=0),
    sa.Column("status", sa.String(32), nullable=False, default="empty"),
    sa.Column("head_submission_id", sa.String(64), nullable=True),
    sa.Column("receipt_no", sa.String(32), nullable=True),
    sa.Column("values_json", sa.Text, nullable=False, default="[]"),
    sa.Column("comments_json", sa.Text, nullable=False, default="[]"),
    sa.Column("eth_rows_json", sa.Text, nullable=False, default="[]"),
    sa.Column("conflict", sa.Boolean, nullable=False, default=False),
    sa.Column("late", sa.Boolean, nullable=False, default=False),
    sa.Column("review_state", sa.String(16), nullable=True),
    sa.Column("review_comment", sa.Text, nullable=True),
    sa.Column("review_by", sa.String(64), nullable=True),
    sa.Column("review_at", sa.String(40), nullable=True),
    # the head submission the reviewer last accepted: kept when a later revision arrives (the report is then
    # "changed_after_acceptance"), replaced only by the next acceptance (migration 0004)
    sa.Column("accepted_submission_id", sa.String(64), nullable=True),
    sa.Column("change_seq", sa.BigInteger, nullable=False, default=0, index=True),
    sa.Column("updated_at", sa.String(40), nullable=False),
    # no echo (migration 0008): the device whose submission took change_seq echo_seq; GET changes leaves the
    # report out for that device while echo_seq == change_seq (dttshub.changes)
    sa.Column("echo_device", sa.String(128), nullable=True),
    sa.Column("echo_seq", sa.BigInteger, nullable=True),
    sa.UniqueConstraint("unit", "form", "period", name="uq_reports_unit_form_period"),
    sa.Index("ix_reports_form_period", "form", "period"),
)

submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("submission_id", sa.String(64), primary_key=True),  # the unique constraint of docs/sync-protocol.md
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False, index=True),
    sa.Column("unit", sa.String(8), nullable=False),
    sa.Column("form", sa.String(32), nullable=False),
    sa.Column("period", sa.String(8), nullable=False),
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("device_id", sa.String(128), nullable=False),
    sa.Column("revision_no", sa.Integer, nullable=False),
    sa.Column("supersedes", sa.String(64), nullable=True),
    sa.Column("base_server_revision", sa.Integer, nullable=False),
    sa.Column("catalog_id", sa.String(64), nullable=False),
    sa.Column("catalog_version", sa.Integer, nullable=False),
    sa.Column("payload_sha256", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # accepted | late | conflict
    sa.Column("receipt_no", sa.String(32), nullable=False, unique=True),
    sa.Column("server_revision", sa.Integer, nullable=False),
    sa.Column("received_at", sa.String(40), nullable=False),
    sa.Column("source", sa.String(16), nullable=False),  # batch | bundle | cli
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("warnings_json", sa.Text, nullable=False, default="[]"),
)

revisions = sa.Table(
    "revisions",
    metadata,
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), primary_key=True),
    sa.Column("server_revision", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("kind", sa.String(16), nullable=False),  # submission | review
    sa.Column("submission_id", sa.String(64), nullable=True),
    sa.Column("by", sa.String(64), nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
)

#: One row per value of each stored submission (``dttshub.cells``): what the province side adds up. Written
#: in the transaction that stores the submission; ``num`` holds numbers (exact NUMERIC on PostgreSQL),
#: ``text`` the canonical text of every value; ``eth``/``sex``/``area``/``age`` the key's options.
cells = sa.Table(
    "cells",
    metadata,
    sa.Column("submission_id", sa.String(64), primary_key=True),
    sa.Column("indicator", sa.String(32), primary_key=True),
    sa.Column("disagg", sa.String(256), primary_key=True),
    sa.Column("report_id", sa.Integer, nullable=False),
    sa.Column("server_revision", sa.Integer, nullable=False),
    sa.Column("eth", sa.String(32), nullable=True),
    sa.Column("sex", sa.String(32), nullable=True),
    sa.Column("area", sa.String(32), nullable=True),
    sa.Column("age", sa.String(32), nullable=True),
    sa.Column("num", sa.Numeric(30, 14), nullable=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Index("ix_cells_report_revision", "report_id", "server_revision"),
)

reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False, index=True),
    sa.Column("server_revision", sa.Integer, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),  # accepted | returned
    sa.Column("comment", sa.Text, nullable=False, default=""),
    sa.Column("submission_id", sa.String(64), nullable=True),
    sa.Column("by", sa.String(64), nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
)


#: Sessions of the province console (``dttshub.console``, migration ``0005``): the SHA-256 of the session
#: cookie, its account, the CSRF token of its forms and when it ends.
console_sessions = sa.Table(
    "console_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("username", sa.String(64), sa.ForeignKey("users.username"), nullable=False, index=True),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("expires_at", sa.String(40), nullable=False),
)


def iso(dt: datetime) -> str:
    """The stored form of a time: UTC, microseconds, ``+00:00``."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).isoformat(timespec="microseconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


SYNCHRONOUS = ("FULL", "NORMAL", "EXTRA")
RETRY_AFTER_BUSY = 2  # seconds a client is asked to wait when no database connection came free in time


DECIMAL_SUM = "dtts_decimal_sum"
"""The exact sum aggregate registered on SQLite connections (PostgreSQL's NUMERIC ``sum`` is exact)."""


class _DecimalSum:
    """``dtts_decimal_sum(text)``: the exact sum of canonical decimal strings, as a canonical string."""

    def __init__(self) -> None:
        self.total: Decimal | None = None

    def step(self, value) -> None:
        if value is None:
            return
        number = Decimal(str(value))
        self.total = number if self.total is None else self.total + number

    def finalize(self) -> str | None:
        return None if self.total is None else str(self.total)


class NestedConnection(RuntimeError):
    """A thread that holds a pooled connection asked for another: a bug (see "One connection per request")."""


def busy() -> Unavailable:
    """The 503 of a hub whose database is busy (no connection free, a lock held too long)."""
    return Unavailable(
        "hub_busy",
        "Máy chủ đang bận; phần mềm sẽ tự thử lại sau ít giây.",
        "The hub is busy; the software will try again in a few seconds.",
        retry_after=RETRY_AFTER_BUSY,
    )


def is_lock_timeout(exc: BaseException) -> bool:
    """True for SQLite's "database is locked": the write lock stayed taken for the whole busy timeout."""
    return isinstance(exc, sa.exc.OperationalError) and "database is locked" in str(exc.orig)


def make_engine(
    url: str,
    sqlite_synchronous: str = "FULL",
    pool_size: int | None = None,
    max_overflow: int | None = None,
    pool_timeout: float = 30.0,
) -> Engine:
    """An engine for ``url`` (already normalised by :func:`dttshub.config.normalise_db_url`).

    SQLite: the parent directory is created, WAL and ``synchronous`` (FULL) are set, a 30 s busy timeout
    is used and write transactions begin IMMEDIATE. PostgreSQL: a pre-ping pool. ``pool_size`` and
    ``max_overflow`` (None: the defaults) size the pool; a checkout waits at most ``pool_timeout`` s.
    """
    pool = {"pool_timeout": pool_timeout}
    if pool_size is not None:
        pool["pool_size"] = pool_size
    if max_overflow is not None:
        pool["max_overflow"] = max_overflow
    try:
        parsed = sa.engine.make_url(url)
        if parsed.get_backend_name() == "sqlite":
            if sqlite_synchronous not in SYNCHRONOUS:
                raise ConfigError(
                    "sqlite_synchronous",
                    f"Giá trị synchronous không hợp lệ: {sqlite_synchronous}",
                    f"Invalid SQLite synchronous setting: {sqlite_synchronous}",
                )
            return _sqlite_engine(parsed, sqlite_synchronous, pool)
        if parsed.get_backend_name() != "postgresql":
            raise sa.exc.ArgumentError(f"unsupported database {parsed.get_backend_name()}")
        return sa.create_engine(parsed, pool_pre_ping=True, **{"pool_size": 10, "max_overflow": 10, **pool})
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, OSError) as exc:
        raise ConfigError(
            "db_url",
            f"Địa chỉ cơ sở dữ liệu không hợp lệ (chỉ sqlite:/// hoặc postgresql://): {url}",
            f"Invalid database URL (sqlite:/// or postgresql:// only): {url}",
        ) from exc


def _sqlite_engine(url: sa.engine.URL, synchronous: str, pool: dict) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    else:
        pool = {}  # an in-memory database has a pool of its own kind, without these options
    engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **pool)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
        # Let SQLAlchemy (not the sqlite3 module) decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()
        # SQLite's SUM is floating point for decimals: the province totals add canonical text exactly.
        dbapi_conn.create_aggregate(DECIMAL_SUM, 1, _DecimalSum)

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("hub_readonly"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class Database:
    """The hub database: an engine plus the few helpers every module needs.

    Args:
        url: a normalised SQLAlchemy URL.
        sqlite_synchronous: SQLite's ``synchronous`` pragma ("FULL" unless a test suite says otherwise).
        pool_size / max_overflow / pool_timeout: the connection pool (see :func:`make_engine`).

    Every connection is taken through :meth:`begin`, :meth:`connect` or :meth:`read`, one at a time per
    thread: asking for a second while holding one raises :class:`NestedConnection`; a pool that stays
    empty for ``pool_timeout`` seconds raises :class:`~dttshub.errors.Unavailable` (503).
    """

    def __init__(
        self,
        url: str,
        sqlite_synchronous: str = "FULL",
        pool_size: int | None = None,
        max_overflow: int | None = None,
        pool_timeout: float = 30.0,
    ) -> None:
        self.url = url
        self.engine = make_engine(url, sqlite_synchronous, pool_size, max_overflow, pool_timeout)
        self.dialect = self.engine.dialect.name
        self.pool_timeout = pool_timeout
        self._statements: dict[tuple, sa.Executable] = {}  # built once, so compiled once
        self._held = threading.local()  # .conn: the connection this thread holds, if any

    def create_schema(self, now: datetime | None = None):
        """Create or upgrade the schema to the newest migration (:func:`dttshub.migrations.ensure`).

        Args:
            now: unused (kept for callers of the releases before migrations).

        Returns:
            The :class:`~dttshub.migrations.SchemaState` before and after, as a pair.

        Raises:
            ConfigError: the database cannot be reached or opened, or belongs to a newer dttshub.
        """
        from dttshub import migrations

        try:
            with self.read() as conn:  # the usual case, without the write lock: already at the newest
                if migrations.recorded_revision(conn) == migrations.HEAD:
                    current = migrations.SchemaState("current", migrations.HEAD)
                    return current, current
            with self.begin() as conn:
                return migrations.ensure(conn)
        except sa.exc.DBAPIError as exc:
            logger.debug("cannot open the hub database %s: %s", self.engine.url, exc)
            raise ConfigError(
                "db_unreachable",
                f"Không mở được cơ sở dữ liệu {self.engine.url!r}: {exc.orig}",
                f"Cannot open the database {self.engine.url!r}: {exc.orig}",
            ) from exc

    def schema_state(self):
        """Where the schema stands (:class:`~dttshub.migrations.SchemaState`), without changing it."""
        from dttshub import migrations

        try:
            with self.read() as conn:
                return migrations.state(conn)
        except sa.exc.DBAPIError as exc:
            raise ConfigError(
                "db_unreachable",
                f"Không mở được cơ sở dữ liệu {self.engine.url!r}: {exc.orig}",
                f"Cannot open the database {self.engine.url!r}: {exc.orig}",
            ) from exc

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A write transaction: committed on success, rolled back on any exception."""
        with self._checkout() as conn, conn.begin():
            yield conn

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection for several write transactions (``with conn.begin(): ...`` each)."""
        with self._checkout() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction (never takes the SQLite write lock)."""
        with self._checkout() as conn:
            conn = conn.execution_options(hub_readonly=True)
            with conn.begin():
                yield conn

    @contextmanager
    def read_on(self, conn: Connection) -> Iterator[Connection]:
        """A read-only transaction on a connection the caller holds (no second checkout).

        The connection must be outside a transaction; on SQLite the read begins DEFERRED (no write
        lock), and the connection's later write transactions begin IMMEDIATE again.
        """
        options = conn.get_execution_options()
        conn.execution_options(hub_readonly=True)  # in place: a Connection's options are its own
        try:
            with conn.begin():
                yield conn
        finally:
            conn.execution_options(hub_readonly=options.get("hub_readonly", False))

    def holds_connection(self) -> bool:
        """True when this thread holds a connection of this database."""
        return getattr(self._held, "conn", None) is not None

    @contextmanager
    def _checkout(self) -> Iterator[Connection]:
        """One pooled connection for this thread: never a second one, never a wait beyond the timeout."""
        if self.holds_connection():
            raise NestedConnection(
                "this thread already holds a connection of the hub database; use it (Database.read_on) "
                "instead of asking the pool for a second one"
            )
        try:
            conn = self.engine.connect()
        except sa.exc.TimeoutError as exc:
            logger.warning("no database connection came free within %s s: answered 503", self.pool_timeout)
            raise busy() from exc
        self._held.conn = conn
        try:
            with conn:
                yield conn
        finally:
            self._held.conn = None

    def dispose(self) -> None:
        self.engine.dispose()

    # -- helpers used inside a transaction ---------------------------------------------------------
    def insert_ignore(self, conn: Connection, table: sa.Table, values: dict, keys: list[str]) -> None:
        """INSERT that does nothing when a row with the same ``keys`` exists (no error, no lock-up)."""
        insert = self._dialect_insert()
        conn.execute(insert(table).values(**values).on_conflict_do_nothing(index_elements=keys))

    def upsert_lock(self, conn: Connection, table: sa.Table, values: dict, keys: list[str]):
        """The row with ``keys``, inserted from ``values`` when missing, locked until commit (one statement).

        ``INSERT … ON CONFLICT DO UPDATE … RETURNING``: on PostgreSQL the conflicting row is locked as by
        ``SELECT … FOR UPDATE``; on SQLite the transaction already holds the write lock.
        """
        cache_key = ("upsert_lock", table.name, tuple(keys))
        stmt = self._statements.get(cache_key)
        if stmt is None:
            stmt = self._dialect_insert()(table)
            stmt = stmt.on_conflict_do_update(
                index_elements=keys, set_={keys[0]: stmt.excluded[keys[0]]}
            ).returning(*table.c)
            self._statements[cache_key] = stmt
        return conn.execute(stmt, values).one()

    def _dialect_insert(self):
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert

    def next_value(self, conn: Connection, name: str) -> int:
        """Increment the named counter (made at 1) and return its new value (row-locked until commit)."""
        return self.next_values(conn, [name])[name]

    def next_values(self, conn: Connection, names: list[str]) -> dict[str, int]:
        """Increment several counters (each made at 1) in one statement; rows are locked in the order given.

        Written as text: SQLAlchemy cannot cache a multi-row ``VALUES`` construct, and the statement is the
        same on PostgreSQL and SQLite (3.35 or newer).
        """
        stmt = self._statements.get(("next_values", len(names)))
        if stmt is None:
            rows = ", ".join(f"(:name{i}, 1)" for i in range(len(names)))
            stmt = sa.text(
                f"INSERT INTO {counters.name} (name, value) VALUES {rows} "
                f"ON CONFLICT (name) DO UPDATE SET value = {counters.name}.value + 1 RETURNING name, value"
            ).columns(name=sa.String, value=sa.BigInteger)
            self._statements[("next_values", len(names))] = stmt
        params = {f"name{i}": name for i, name in enumerate(names)}
        return {row.name: int(row.value) for row in conn.execute(stmt, params)}

    def counter(self, conn: Connection, name: str) -> int:
        value = conn.execute(sa.select(counters.c.value).where(counters.c.name == name)).scalar()
        return int(value or 0)

    def get_meta(self, conn: Connection, key: str) -> str | None:
        return conn.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()

    def set_meta(self, conn: Connection, key: str, value: str) -> None:
        if conn.execute(sa.select(meta.c.key).where(meta.c.key == key)).first() is None:
            conn.execute(meta.insert().values(key=key, value=value))
        else:
            conn.execute(meta.update().where(meta.c.key == key).values(value=value))


#: Reporting units beyond the communes of the unit list: a province's agencies (``19-SGDDT``), defined on the
#: hub (``dttshub unit add``; migration 0006). The province is the code's first two digits.
units = sa.Table(
    "units",
    metadata,
    sa.Column("code", sa.String(8), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("province", sa.String(2), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False, default="agency"),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.String(40), nullable=False),
)

#: One import of a long table (``dttshub legacy import`` / ``dttshub baseline import``): its file, what it
#: said (``report_json``), who and when (migration 0006).
imports = sa.Table(
    "imports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(16), nullable=False),  # legacy | baseline
    sa.Column("source", sa.String(255), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("unit_list", sa.String(32), nullable=False),
    sa.Column("survey", sa.String(200), nullable=False, default=""),
    sa.Column("reference_date", sa.String(10), nullable=False, default=""),
    sa.Column("imported_at", sa.String(40), nullable=False),
    sa.Column("imported_by", sa.String(64), nullable=False),
    sa.Column("report_json", sa.Text, nullable=False, default="{}"),
)

#: Read-only values from outside the reporting flow: historical reports (``series`` "legacy") mapped through
#: the crosswalk, and survey baselines (``series`` = the survey). ``unit_list`` says which list ``unit``
#: belongs to (``vn-2025-07``, or ``vn-pre-2025`` for a value left on its old commune); ``flag`` is
#: "" or why it was left there (``partial``, ``not_sum``) or ``incomplete`` (a sum missing parts).
historical_values = sa.Table(
    "historical_values",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
    sa.Column("series", sa.String(200), nullable=False),
    sa.Column("unit", sa.String(8), nullable=False),
    sa.Column("unit_list", sa.String(32), nullable=False),
    sa.Column("form", sa.String(32), nullable=False),
    sa.Column("period", sa.String(8), nullable=False),
    sa.Column("indicator", sa.String(32), nullable=False),
    sa.Column("disagg", sa.String(256), nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("flag", sa.String(16), nullable=False, default=""),
    sa.Column("sources", sa.Text, nullable=False, default=""),
    sa.UniqueConstraint(
        "series", "unit_list", "unit", "form", "period", "indicator", "disagg", name="uq_historical_values"
    ),
    sa.Index("ix_historical_values_unit_form", "unit", "form"),
)
