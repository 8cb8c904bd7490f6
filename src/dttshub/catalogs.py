"""Published catalogues: every version is kept, the newest publication is the current one.

A catalogue is stored as the canonical JSON of :func:`dttsclient.core.catalog.catalog_to_json`; its
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

from dttsclient.core.catalog import catalog_from_json, catalog_to_json
from dttsclient.core.model import Catalog
from dttsclient.core.payload import canonical_json
from dttshub import db as t
from dttshub.config import HubConfig
from dttshub.db import Database, iso
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


class Catalogs:
    """The catalogues of one hub, with a small cache of parsed versions.

    Args:
        db: the hub database.
        config: the hub configuration (clock).
    """

    def __init__(self, db: Database, config: HubConfig) -> None:
        self.db = db
        self.config = config
        self._cache: OrderedDict[tuple[str, int], Catalog] = OrderedDict()
        self._lock = threading.Lock()

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
        """The most recently published catalogue, or None before the first publication."""
        with self.db.read() as conn:
            row = conn.execute(
                sa.select(t.catalogs).order_by(t.catalogs.c.publish_seq.desc()).limit(1)
            ).first()
        return _stored(row) if row else None

    def stored(self, catalog_id: str, version: int) -> StoredCatalog | None:
        with self.db.read() as conn:
            row = conn.execute(
                sa.select(t.catalogs).where(
                    t.catalogs.c.catalog_id == catalog_id, t.catalogs.c.version == version
                )
            ).first()
        return _stored(row) if row else None

    def get(self, catalog_id: str, version: int) -> Catalog | None:
        """The parsed catalogue of an id and version (cached), or None when it was never published."""
        key = (catalog_id, version)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        stored = self.stored(catalog_id, version)
        if stored is None:
            return None
        catalog = catalog_from_json(stored.to_json(), published=True)
        with self._lock:
            self._cache[key] = catalog
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return catalog

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
