"""Published catalogues: every version is kept, the newest publication is the current one.

A catalogue is stored as the canonical JSON of :func:`dttscore.catalog.catalog_to_json`; its
``ETag`` is derived from those bytes, so the same catalogue always has the same ETag. Submissions are
validated against the version they were made with, which is why no version is ever deleted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from dttscore.catalog import catalog_from_json, catalog_to_json
from dttscore.model import Catalog
from dttscore.payload import canonical_json
from dttshub import db as t
from dttshub.config import HubConfig
from dttshub.db import Database, busy, iso
from dttshub.errors import Conflict

logger = logging.getLogger(__name__)

PUBLISH_SEQ = "catalog_publish_seq"
CACHE_SIZE = 16


@dataclass(frozen=True)
class StoredCatalog:
    """One published catalogue version as stored (``content`` is canonical JSON bytes)."""

    catalog_id: str
    version: int
    etag: str
    content: bytes
    published_at: str

    def to_json(self) -> dict:
        return json.loads(self.content)


@dataclass(frozen=True)
class PublishResult:
    catalog_id: str
    version: int
    etag: str
    published: bool  # False: this exact catalogue was already there (nothing to do)


def make_etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:40] + '"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """True when an ``If-None-Match`` header names ``etag`` (weak or strong, a list, or ``*``)."""
    if not if_none_match:
        return False
    for part in if_none_match.split(","):
        tag = part.strip()
        if tag == "*":
            return True
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag.strip('"') == etag.strip('"'):
            return True
    return False


class _Flight:
    """One load of a catalogue version in progress: the threads that want it too wait for it."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.catalog: Catalog | None = None
        self.failed = False


class Catalogs:
    """The catalogues of one hub, with a small cache of parsed versions.

    The cache is filled single-flight: of the requests that miss the same version at once (a herd after
    a restart), one reads and parses it, the others wait for that one (not for the database pool).

    Args:
        db: the hub database.
        config: the hub configuration (clock).
    """

    def __init__(self, db: Database, config: HubConfig) -> None:
        self.db = db
        self.config = config
        self._cache: OrderedDict[tuple[str, int], Catalog] = OrderedDict()
        self._loading: dict[tuple[str, int], _Flight] = {}
        self._lock = threading.Lock()
        self._current: StoredCatalog | None = None  # the last current() read, content included

    def publish(self, catalog: Catalog, by: str = "") -> PublishResult:
        """Store a catalogue version and make it the current one.

        Raises:
            Conflict: a version of the same ``catalog_id`` at least as high is already published (and it
                is not this exact catalogue, which gives ``published=False`` instead).
        """
        content = canonical_json(catalog_to_json(catalog))
        etag = make_etag(content)
        with self.db.begin() as conn:
            latest = conn.execute(
                sa.select(t.catalogs.c.version, t.catalogs.c.etag)
                .where(t.catalogs.c.catalog_id == catalog.catalog_id)
                .order_by(t.catalogs.c.version.desc())
                .limit(1)
            ).first()
            if latest is not None and latest.version == catalog.version and latest.etag == etag:
                return PublishResult(catalog.catalog_id, catalog.version, etag, published=False)
            if latest is not None and catalog.version <= latest.version:
                raise Conflict(
                    "catalog_version_not_newer",
                    f"Danh mục {catalog.catalog_id} phiên bản {catalog.version} không mới hơn phiên bản "
                    f"đã công bố ({latest.version}). Hãy tăng 'version' trong sheet meta.",
                    f"Catalogue {catalog.catalog_id} version {catalog.version} is not newer than the "
                    f"published version ({latest.version}). Increase 'version' in the meta sheet.",
                )
            seq = self.db.next_value(conn, PUBLISH_SEQ)
            conn.execute(
                t.catalogs.insert().values(
                    catalog_id=catalog.catalog_id,
                    version=catalog.version,
                    content=content.decode("utf-8"),
                    etag=etag,
                    publish_seq=seq,
                    published_at=iso(self.config.now()),
                    published_by=by,
                )
            )
        logger.info("catalogue %s v%s published", catalog.catalog_id, catalog.version)
        return PublishResult(catalog.catalog_id, catalog.version, etag, published=True)

    def current(self) -> StoredCatalog | None:
        """The most recently published catalogue, or None before the first publication.

        Asked on every console page: the row is read without its content (a sample catalogue is 100 KB of
        JSON), which is read only when the current version is another than the last one seen.
        """
        c = t.catalogs.c
        with self.db.read() as conn:
            row = conn.execute(
                sa.select(c.catalog_id, c.version, c.etag, c.published_at)
                .order_by(c.publish_seq.desc())
                .limit(1)
            ).first()
            if row is None:
                return None
            with self._lock:
                seen = self._current
            if seen is not None and (seen.catalog_id, seen.version, seen.etag, seen.published_at) == (*row,):
                return seen
            content = conn.execute(
                sa.select(c.content).where(c.catalog_id == row.catalog_id, c.version == row.version)
            ).scalar_one()
        stored = StoredCatalog(*row[:3], content.encode("utf-8"), row.published_at)
        with self._lock:
            self._current = stored
        return stored

    def stored(self, catalog_id: str, version: int) -> StoredCatalog | None:
        with self.db.read() as conn:
            row = conn.execute(
                sa.select(t.catalogs).where(
                    t.catalogs.c.catalog_id == catalog_id, t.catalogs.c.version == version
                )
            ).first()
        return _stored(row) if row else None

    def get(
        self, catalog_id: str, version: int, conn: Connection | None = None, *, in_transaction: bool = False
    ) -> Catalog | None:
        """The parsed catalogue of an id and version (cached), or None when it was never published.

        Args:
            conn: a connection the caller holds, outside a transaction (the ingest's own): a cache miss
                is read on it, so the caller never needs a second connection. None: a miss takes one
                from the pool (so the caller must hold none).
            in_transaction: ``conn`` is inside the caller's own transaction: a miss is read in it.
        """
        key = (catalog_id, version)
        cached = self._cached(key)
        if cached is not None:
            return cached
        if conn is None:
            # The connection is taken before waiting for another thread's load, so that a loader never
            # waits for the pool while others wait for it.
            with self.db.read() as own:
                return self._get(key, own, in_transaction=True)
        return self._get(key, conn, in_transaction=in_transaction)

    def _cached(self, key: tuple[str, int]) -> Catalog | None:
        with self._lock:
            catalog = self._cache.get(key)
            if catalog is not None:
                self._cache.move_to_end(key)
            return catalog

    def _get(self, key: tuple[str, int], conn: Connection, in_transaction: bool) -> Catalog | None:
        """Single-flight: the first thread to miss ``key`` loads it, the others wait for its result."""
        while True:
            with self._lock:
                if key in self._cache:
                    self._cache.move_to_end(key)
                    return self._cache[key]
                flight = self._loading.get(key)
                leader = flight is None
                if leader:
                    flight = self._loading[key] = _Flight()
            if leader:
                return self._lead(key, flight, conn, in_transaction)
            if not flight.done.wait(self.db.pool_timeout):
                raise busy()
            if not flight.failed:
                return flight.catalog
            # the loader failed (its own request gets the error): this thread tries to load it itself

    def _lead(self, key: tuple[str, int], flight: _Flight, conn: Connection, in_transaction: bool):
        try:
            if in_transaction:
                catalog = self._load(key, conn)
            else:
                with self.db.read_on(conn):
                    catalog = self._load(key, conn)
            flight.catalog = catalog
        except BaseException:
            flight.failed = True
            raise
        finally:
            with self._lock:
                if flight.catalog is not None:
                    self._cache[key] = flight.catalog
                    while len(self._cache) > CACHE_SIZE:
                        self._cache.popitem(last=False)
                del self._loading[key]
            flight.done.set()
        return catalog

    def _load(self, key: tuple[str, int], conn: Connection) -> Catalog | None:
        """Read and parse one version on ``conn`` (in a transaction); None when it was never published."""
        row = conn.execute(
            sa.select(t.catalogs).where(t.catalogs.c.catalog_id == key[0], t.catalogs.c.version == key[1])
        ).first()
        if row is None:
            return None
        return catalog_from_json(_stored(row).to_json(), published=True)

    def versions(self) -> list[dict]:
        with self.db.read() as conn:
            rows = conn.execute(
                sa.select(
                    t.catalogs.c.catalog_id,
                    t.catalogs.c.version,
                    t.catalogs.c.etag,
                    t.catalogs.c.published_at,
                ).order_by(t.catalogs.c.publish_seq)
            ).all()
        return [dict(r._mapping) for r in rows]


def _stored(row) -> StoredCatalog:
    return StoredCatalog(row.catalog_id, row.version, row.etag, row.content.encode("utf-8"), row.published_at)
