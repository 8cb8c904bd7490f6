"""The hub's configuration: one frozen dataclass, built by the CLI, the embedded hub or a test.

Nothing here reads the environment at import time; :func:`resolve_data_dir` and :func:`resolve_db_url`
do it when called.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from dttscore.bounds import MAX_JSON_NODES
from dttshub.errors import ConfigError

APP_NAME = "DTTSHub"
ENV_DB = "DTTSHUB_DB"
ENV_DATA_DIR = "DTTSHUB_DATA_DIR"
ENVIRONMENTS = ("production", "test", "demo")
KEY_FILE_NAME = "hub_signing_key.pem"
DB_FILE_NAME = "hub.sqlite"
MiB = 1024 * 1024


def utc_now() -> datetime:
    """The real clock (aware, UTC)."""
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class HubConfig:
    """Everything a hub instance needs to know.

    Attributes:
        db_url: SQLAlchemy URL; None means ``$DTTSHUB_DB`` or ``<data_dir>/hub.sqlite``.
        data_dir: where the SQLite file and the signing key live; None means ``$DTTSHUB_DATA_DIR`` or
            platformdirs' ``user_data_dir("DTTSHub")``.
        key_file: the Ed25519 private key (PEM, 0600); None means ``<data_dir>/hub_signing_key.pem``.
        environment: shown in ``ping``: "production", "test" or "demo".
        public_url: the address written into setup packages; None means the address a request came to.
        min_client_version: older ``dttsclient/<version>`` user agents get 426.
        access_token_ttl / refresh_token_ttl: seconds.
        max_request_bytes: largest request body as sent (413 above).
        max_decompressed_bytes: largest gzip-decompressed body (413 above).
        max_batch_items: most submissions in one batch (413 above: the client halves).
        max_json_nodes: most objects and values one JSON body (or all of a bundle's documents) may
            hold, counted before parsing (413 above): the memory budget of a request.
        max_bundle_bytes / bundle_member_bytes / bundle_total_bytes / bundle_max_members: courier
            bundle limits, checked before anything is extracted.
        changes_page_size: reports per ``changes`` page (``more: true`` when there are more).
        login_max_failures / login_failure_window: throttling of ``auth/token`` per username.
        login_max_failures_per_address: the same per client address (any usernames).
        argon2_time_cost / argon2_memory_cost (KiB) / argon2_parallelism: password hashing cost (OWASP's
            m=19 MiB, t=2, p=1 by default: each hash in progress holds ``argon2_memory_cost`` KiB).
        hash_workers / hash_queue: password hashing runs on ``hash_workers`` threads of its own with at
            most ``hash_queue`` logins waiting; more get 429 at once. Peak hashing memory of a process
            is ``hash_workers × argon2_memory_cost``.
        login_failure_delay: seconds an HTTP login that fails (wrong password, throttled, busy) waits before
            its answer, without holding a thread: a client that retries at once is slowed down.
        clock_skew: seconds a stored time may lie ahead of the clock; a token issued or a failure recorded
            further in the future (the clock was ahead and has been set back) counts as void.
        clock: returns the current time (aware); tests inject one to be "after the deadline".
        sqlite_synchronous: SQLite's ``synchronous`` pragma: "FULL" (every commit is on disk when the
            receipt goes out); test suites may use "NORMAL" for speed.
        highwater_interval: seconds between two writes of the high-water file by a serving process
            (:mod:`dttshub.generation`); 0 writes it only at start-up and shutdown.
        db_pool_size / db_max_overflow: connections the process keeps in its pool / may open on top;
            None: the engine's default (SQLite 5 + 10, PostgreSQL 10 + 10). No code holds two at once
            (docs/architecture.md, "One connection per request").
        db_pool_timeout: seconds a request waits for a pooled connection; then it is answered 503
            ``hub_busy`` with ``Retry-After`` (the client retries), never 500.
    """

    db_url: str | None = None
    data_dir: Path | None = None
    key_file: Path | None = None
    environment: str = "production"
    public_url: str | None = None
    min_client_version: str = "0.1.0"
    access_token_ttl: int = 3600
    refresh_token_ttl: int = 90 * 86400
    max_request_bytes: int = 8 * MiB
    max_decompressed_bytes: int = 16 * MiB
    max_batch_items: int = 200
    max_json_nodes: int = MAX_JSON_NODES
    max_bundle_bytes: int = 64 * MiB
    bundle_member_bytes: int = 8 * MiB
    bundle_total_bytes: int = 64 * MiB
    bundle_max_members: int = 5000
    changes_page_size: int = 200
    compact_payloads: bool = True
    """Whether ``ping`` offers payload version 2 (issue 18); False makes clients send version 1 only."""
    login_max_failures: int = 5
    login_failure_window: int = 15 * 60
    login_max_failures_per_address: int = 30
    argon2_time_cost: int = 2
    argon2_memory_cost: int = 19 * 1024
    argon2_parallelism: int = 1
    hash_workers: int = 1
    hash_queue: int = 16
    login_failure_delay: float = 1.0
    clock_skew: int = 300
    clock: Callable[[], datetime] | None = None
    sqlite_synchronous: str = "FULL"
    highwater_interval: float = 10.0
    db_pool_size: int | None = None
    db_max_overflow: int | None = None
    db_pool_timeout: float = 30.0

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> HubConfig:
        """A config from keyword values; unknown keys are a :class:`ConfigError`."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise ConfigError(
                "config_unknown",
                f"Tham số cấu hình không hợp lệ: {', '.join(unknown)}",
                f"Unknown configuration option(s): {', '.join(unknown)}",
            )
        fixed = dict(values)
        for key in ("data_dir", "key_file"):
            if fixed.get(key) is not None:
                fixed[key] = Path(fixed[key])
        return cls(**fixed)

    def replace(self, **changes: Any) -> HubConfig:
        return dataclasses.replace(self, **changes)

    def now(self) -> datetime:
        """The hub's current time (aware, UTC), from the injected clock when there is one."""
        now = self.clock() if self.clock is not None else utc_now()
        if now.tzinfo is None:
            now = now.replace(tzinfo=timezone.utc)
        return now.astimezone(timezone.utc)

    def resolved_data_dir(self) -> Path:
        return resolve_data_dir(self.data_dir)

    def resolved_db_url(self) -> str:
        return resolve_db_url(self.db_url, self.data_dir)

    def resolved_key_file(self) -> Path:
        return Path(self.key_file) if self.key_file else self.resolved_data_dir() / KEY_FILE_NAME


def resolve_data_dir(data_dir: Path | str | None = None) -> Path:
    """The hub data directory: the argument, ``$DTTSHUB_DATA_DIR``, or the per-user data directory."""
    if data_dir:
        return Path(data_dir)
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def resolve_db_url(db_url: str | None = None, data_dir: Path | str | None = None) -> str:
    """The database URL: the argument, ``$DTTSHUB_DB``, or an SQLite file in the data directory.

    ``postgresql://`` and ``postgres://`` are mapped to the psycopg (v3) driver, and a plain file path
    is taken as an SQLite file.
    """
    url = db_url or os.environ.get(ENV_DB)
    if not url:
        path = resolve_data_dir(data_dir) / DB_FILE_NAME
        return f"sqlite:///{path}"
    return normalise_db_url(url)


def normalise_db_url(url: str) -> str:
    """Map ``postgresql://``/``postgres://`` to ``postgresql+psycopg://``; a bare path to ``sqlite:///``."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if "://" not in url:
        return f"sqlite:///{Path(url).resolve()}"
    return url
