"""The hub's db.py of release 0.1.0 (before Alembic), frozen to make the databases that release made.

Storage of the hub: SQLAlchemy Core tables and the engine, the same code on SQLite and PostgreSQL.

Times are stored as ISO-8601 strings in UTC with microseconds (``2026-11-21T18:50:00.000000+00:00``):
one fixed format, so comparing the strings compares the times on both databases.

Write transactions on SQLite start with ``BEGIN IMMEDIATE`` so two writers wait for each other (busy
timeout) instead of failing when a read lock would have to be upgraded. On PostgreSQL, counters are
incremented with ``UPDATE … RETURNING`` whose row lock lasts until commit: the hub-wide change sequence
therefore grows in commit order, which is what makes the ``changes`` cursor safe.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from dttshub.errors import ConfigError

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
    sa.Column("status", sa.String(16), nullable=False, default="empty"),
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
    sa.Column("change_seq", sa.BigInteger, nullable=False, default=0, index=True),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.UniqueConstraint("unit", "form", "period", name="uq_reports_unit_form_period"),
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


def iso(dt: datetime) -> str:
    """The stored form of a time: UTC, microseconds, ``+00:00``."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).isoformat(timespec="microseconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


SYNCHRONOUS = ("FULL", "NORMAL", "EXTRA")


def make_engine(url: str, sqlite_synchronous: str = "FULL") -> Engine:
    """An engine for ``url`` (already normalised by :func:`dttshub.config.normalise_db_url`).

    SQLite: the parent directory is created, WAL and ``synchronous`` (FULL) are set, a 30 s busy timeout
    is used and write transactions begin IMMEDIATE. PostgreSQL: a pre-ping pool.
    """
    try:
        parsed = sa.engine.make_url(url)
        if parsed.get_backend_name() == "sqlite":
            if sqlite_synchronous not in SYNCHRONOUS:
                raise ConfigError(
                    "sqlite_synchronous",
                    f"Giá trị synchronous không hợp lệ: {sqlite_synchronous}",
                    f"Invalid SQLite synchronous setting: {sqlite_synchronous}",
                )
            return _sqlite_engine(parsed, sqlite_synchronous)
        if parsed.get_backend_name() != "postgresql":
            raise sa.exc.ArgumentError(f"unsupported database {parsed.get_backend_name()}")
        return sa.create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=10)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, OSError) as exc:
        raise ConfigError(
            "db_url",
            f"Địa chỉ cơ sở dữ liệu không hợp lệ (chỉ sqlite:/// hoặc postgresql://): {url}",
            f"Invalid database URL (sqlite:/// or postgresql:// only): {url}",
        ) from exc


def _sqlite_engine(url: sa.engine.URL, synchronous: str) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

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
    """

    def __init__(self, url: str, sqlite_synchronous: str = "FULL") -> None:
        self.url = url
        self.engine = make_engine(url, sqlite_synchronous)
        self.dialect = self.engine.dialect.name
        self._statements: dict[tuple, sa.Executable] = {}  # built once, so compiled once

    def create_schema(self, now: datetime) -> None:
        """Create every table that does not exist yet and record the schema version.

        Raises:
            ConfigError: the database cannot be reached or opened, or belongs to a newer dttshub.
        """
        try:
            self._create_schema(now)
        except sa.exc.DBAPIError as exc:
            logger.debug("cannot open the hub database %s: %s", self.engine.url, exc)
            raise ConfigError(
                "db_unreachable",
                f"Không mở được cơ sở dữ liệu {self.engine.url!r}: {exc.orig}",
                f"Cannot open the database {self.engine.url!r}: {exc.orig}",
            ) from exc

    def _create_schema(self, now: datetime) -> None:
        metadata.create_all(self.engine)
        with self.begin() as conn:
            have = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
            if have is None:
                conn.execute(schema_version.insert().values(version=SCHEMA_VERSION, applied_at=iso(now)))
            elif have > SCHEMA_VERSION:
                raise ConfigError(
                    "db_too_new",
                    f"Cơ sở dữ liệu thuộc phiên bản mới hơn ({have}) của dttshub; hãy cập nhật dttshub.",
                    f"The database belongs to a newer dttshub (schema {have}); upgrade dttshub.",
                )

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A write transaction: committed on success, rolled back on any exception."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection for several write transactions (``with conn.begin(): ...`` each)."""
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction (never takes the SQLite write lock)."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(hub_readonly=True)
            with conn.begin():
                yield conn

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
