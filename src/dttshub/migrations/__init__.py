"""Schema migrations of the hub database (Alembic), shipped inside the package.

The Alembic environment (``env.py``) and the revisions (``versions/``) live next to this module and are
configured in code, so migrations run the same from a checkout and from an installed wheel; no
``alembic.ini`` is needed. :meth:`dttshub.db.Database.create_schema` calls :func:`ensure` whenever a hub
opens its database (``dttshub serve`` at start-up, every admin command, the embedded hub):

* a database already at :data:`HEAD` is left alone (one ``SELECT``; Alembic is not even imported);
* an empty database is created by running every revision;
* a database made before migrations existed (its tables and ``schema_version`` 1, no ``alembic_version``)
  is adopted at the baseline revision, then upgraded;
* an older revision is upgraded to :data:`HEAD`;
* a revision this code does not know (a newer dttshub migrated it) is refused with a clear message.

Everything happens in one transaction that holds the migration lock (``BEGIN IMMEDIATE`` on SQLite, an
advisory lock on PostgreSQL), so hub processes starting together migrate once, and a failed migration
leaves the database as it was (both databases roll DDL back).

A maintainer adds a revision with ``alembic`` pointed at this directory (see docs/architecture.md) and
updates :data:`HEAD`; ``tests/hub/test_hub_migrations.py`` checks that the revisions produce exactly the
tables of ``dttshub/db.py``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from dttshub.errors import ConfigError

logger = logging.getLogger(__name__)

HEAD = "0008"
"""The newest revision in ``versions/`` (a test checks it against Alembic's own view)."""
BASELINE = "0001"
"""The revision equal to the schema of the releases before Alembic (``schema_version`` 1)."""
LEGACY_SCHEMA_VERSION = 1
VERSION_TABLE = "alembic_version"
HERE = Path(__file__).resolve().parent
ADVISORY_LOCK = 0x647474736875  # "dttshu": one number for every hub process on the PostgreSQL server


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands.

    Attributes:
        status: "empty" (no hub tables), "legacy" (made before migrations), "behind", "current" or
            "newer" (migrated by a newer dttshub).
        revision: the revision recorded in ``alembic_version`` (None for empty and legacy databases).
        head: the newest revision this code knows.
    """

    status: str
    revision: str | None
    head: str = HEAD


def alembic_config(connection: Connection | None = None):
    """An Alembic :class:`~alembic.config.Config` for the shipped scripts (no ini file)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(HERE))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    """Every revision in ``versions/``."""
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def recorded_revision(conn: Connection) -> str | None:
    """The revision in ``alembic_version``, or None when the table is missing or empty."""
    if not sa.inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def state(conn: Connection) -> SchemaState:
    """Where the database of ``conn`` stands (reads only)."""
    revision = recorded_revision(conn)
    if revision == HEAD:
        return SchemaState("current", revision)
    if revision is not None:
        return SchemaState("behind" if revision in known_revisions() else "newer", revision)
    inspector = sa.inspect(conn)
    from dttshub.db import metadata

    if not any(inspector.has_table(name) for name in metadata.tables):
        return SchemaState("empty", None)
    return SchemaState("legacy", None)


def too_new(revision: str | int) -> ConfigError:
    return ConfigError(
        "db_too_new",
        f"Cơ sở dữ liệu đã được một phiên bản dttshub mới hơn nâng cấp (lược đồ {revision}); phiên bản "
        f"này chỉ biết đến lược đồ {HEAD}. Hãy cài phiên bản dttshub mới hơn (không hạ cấp cơ sở dữ liệu).",
        f"The database was upgraded by a newer dttshub (schema {revision}); this version knows schema "
        f"{HEAD} at most. Install the newer dttshub (the database cannot be downgraded).",
    )


def ensure(conn: Connection) -> tuple[SchemaState, SchemaState]:
    """Bring the database of ``conn`` to :data:`HEAD`; returns its state before and after.

    ``conn`` must be inside the write transaction that will commit the migration (on SQLite a
    ``BEGIN IMMEDIATE`` one, which is the lock); on PostgreSQL the advisory lock is taken here.

    Raises:
        ConfigError: the database belongs to a newer dttshub ("db_too_new").
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
    before = state(conn)
    if before.status == "current":
        return before, before
    if before.status == "newer":
        raise too_new(before.revision or "?")
    if before.status == "legacy":
        have = _legacy_schema_version(conn)
        if have is not None and have > LEGACY_SCHEMA_VERSION:
            raise too_new(have)
        logger.info("hub database made before migrations (schema_version %s): adopted at %s", have, BASELINE)
    try:
        from alembic import command
    except ModuleNotFoundError as exc:
        raise ConfigError(
            "alembic_missing",
            "Thiếu gói alembic để tạo hoặc nâng cấp cơ sở dữ liệu; hãy cài lại: pip install ./core ./hub.",
            "The alembic package is missing to create or upgrade the database; reinstall: "
            "pip install ./core ./hub.",
        ) from exc
    command.upgrade(alembic_config(conn), "head")
    after = state(conn)
    logger.info("hub database upgraded: %s -> %s", before.revision or before.status, after.revision)
    return before, after


def _legacy_schema_version(conn: Connection) -> int | None:
    if not sa.inspect(conn).has_table("schema_version"):
        return None
    return conn.execute(sa.text("SELECT max(version) FROM schema_version")).scalar()
