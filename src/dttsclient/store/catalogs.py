"""Catalogue versions kept in the profile, and the per-store cache of parsed catalogues."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from dttsclient.store import setting_keys
from dttsclient.store._base import Database, Part, dumps, guarded
from dttsclient.store.errors import CatalogVersionMissing, InvalidCell

if TYPE_CHECKING:
    from dttscore.model import Catalog

logger = logging.getLogger(__name__)

ACTIVE_CATALOG_KEY = setting_keys.ACTIVE_CATALOG


class CatalogInfo:
    """A parsed catalogue plus what the hot path of a cell write needs, computed once.

    Args:
        catalog: the catalogue.
    """

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._valid_cells: dict[tuple[str, str], str] = {}  # (code, disagg) -> value_type
        self._options: dict[str, frozenset[str]] = {}

    def option_codes(self, dimension: str) -> frozenset[str]:
        codes = self._options.get(dimension)
        if codes is None:
            codes = frozenset(o.code for o in self.catalog.options_for(dimension))
            self._options[dimension] = codes
        return codes

    def value_type_of(self, code: str, disagg: str) -> str:
        """The value type of cell (code, disagg), checking the cell exists in this catalogue.

        Raises:
            InvalidCell: unknown indicator, or a key that does not fit its disaggregation.
        """
        known = self._valid_cells.get((code, disagg))
        if known is not None:
            return known
        catalog = self.catalog
        if not catalog.has_indicator(code):
            raise InvalidCell(
                f"Chỉ tiêu {code} không có trong danh mục {catalog.catalog_id} phiên bản {catalog.version} "
                "của báo cáo này.",
                f"Indicator {code} is not in catalogue {catalog.catalog_id} version {catalog.version} "
                "of this report.",
            )
        indicator = catalog.indicator(code)
        dims = catalog.dimensions_of(indicator)
        self._check_key(code, disagg, dims)
        self._valid_cells[(code, disagg)] = indicator.value_type
        return indicator.value_type

    def _check_key(self, code: str, disagg: str, dims: tuple[str, ...]) -> None:
        from dttscore.disagg import make_key, parse_key
        from dttscore.errors import IdentifierError

        if not dims:
            if disagg != "":
                raise InvalidCell(
                    f"Chỉ tiêu {code} không phân tổ; không nhận khóa “{disagg}”.",
                    f"Indicator {code} is not disaggregated; the key “{disagg}” does not apply.",
                )
            return
        try:
            parsed = parse_key(disagg)
        except IdentifierError as exc:
            raise InvalidCell(exc.message_vi, exc.message_en) from exc
        expected = "|".join(f"{d}=…" for d in sorted(dims))
        if set(parsed) != set(dims) or make_key(parsed) != disagg:
            raise InvalidCell(
                f"Khóa phân tổ “{disagg}” không khớp chỉ tiêu {code} (cần dạng {expected}).",
                f"The key “{disagg}” does not fit indicator {code} (expected {expected}).",
            )
        for dim, opt in parsed.items():
            if opt not in self.option_codes(dim):
                raise InvalidCell(
                    f"Mã “{opt}” không có trong danh sách “{dim}” của chỉ tiêu {code}.",
                    f"Option “{opt}” is not one of the “{dim}” options of indicator {code}.",
                )
        from dttscore.indicator_options import refusal

        refused = refusal(self.catalog, code, parsed)
        if refused is not None:
            raise InvalidCell(*refused)


class Catalogs(Part):
    """``store.catalogs``: import and read catalogue versions; parsed catalogues are cached per (id, version)."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        # Parsed catalogues per (catalog_id, version): parsing JSON never happens on the hot path.
        self._parsed: dict[tuple[str, int], CatalogInfo] = {}

    def _catalog_info(self, catalog_id: str, version: int) -> CatalogInfo:
        key = (catalog_id, int(version))
        info = self._parsed.get(key)
        if info is None:
            row = self._conn.execute(
                "SELECT json FROM catalogs WHERE catalog_id = ? AND version = ?", key
            ).fetchone()
            if row is None:
                raise CatalogVersionMissing(catalog_id, int(version))
            from dttscore.catalog import catalog_from_json

            info = CatalogInfo(catalog_from_json(json.loads(row[0]), published=True))
            self._parsed[key] = info
        return info

    def _current_key(self) -> tuple[str, int] | None:
        active = self._conn.execute(
            "SELECT value FROM settings WHERE key = ?", (ACTIVE_CATALOG_KEY,)
        ).fetchone()
        if active is not None:
            catalog_id = json.loads(active[0])
            row = self._conn.execute(
                "SELECT catalog_id, max(version) FROM catalogs WHERE catalog_id = ?", (catalog_id,)
            ).fetchone()
            if row[0] is not None:
                return row[0], row[1]
        row = self._conn.execute(
            "SELECT catalog_id, version FROM catalogs ORDER BY imported_at DESC, rowid DESC LIMIT 1"
        ).fetchone()
        return (row[0], row[1]) if row else None

    @guarded
    def import_catalog(self, catalog: Catalog, etag: str | None = None, *, activate: bool = True) -> bool:
        """Keep a catalogue version and (``activate``) make its catalog_id the active one.

        Args:
            catalog: the catalogue (already validated by :mod:`dttscore.catalog`).
            etag: the hub's ETag for it, used as ``If-None-Match`` on the next sync.
            activate: False for an older version fetched only because a pulled report was made with it:
                it is kept for that report and the current catalogue stays as it is.

        Returns:
            False when that catalog_id + version was already there (only the ETag and the active
            catalogue are updated then), True when it was added.
        """
        from dttscore.catalog import catalog_to_json

        key = (catalog.catalog_id, int(catalog.version))
        with self._tx() as conn:
            exists = conn.execute(
                "SELECT etag FROM catalogs WHERE catalog_id = ? AND version = ?", key
            ).fetchone()
            if exists is None:
                conn.execute(
                    "INSERT INTO catalogs (catalog_id, version, etag, json, imported_at) VALUES (?, ?, ?, ?, ?)",
                    (*key, etag, dumps(catalog_to_json(catalog)), self._stamp()),
                )
            elif etag is not None and exists[0] != etag:
                conn.execute(
                    "UPDATE catalogs SET etag = ? WHERE catalog_id = ? AND version = ?", (etag, *key)
                )
            if activate:
                self._put_active(conn, catalog.catalog_id)
        if exists is None:
            self._parsed[key] = CatalogInfo(catalog)
            logger.info("imported catalogue %s version %s", *key)
        return exists is None

    def _put_active(self, conn, catalog_id: str) -> None:
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (ACTIVE_CATALOG_KEY, dumps(catalog_id)),
        )

    @guarded
    def current_catalog(self) -> Catalog | None:
        """The newest version of the active catalogue, or None when none was imported."""
        key = self._current_key()
        return None if key is None else self._catalog_info(*key).catalog

    @guarded
    def catalog_version(self, catalog_id: str, version: int) -> Catalog:
        """A stored catalogue version (the one a report is pinned to).

        Raises:
            NoCatalog: that version is not in this profile.
        """
        return self._catalog_info(catalog_id, version).catalog

    @guarded
    def has_catalog(self, catalog_id: str, version: int) -> bool:
        """True when this profile holds that catalogue version."""
        row = self._conn.execute(
            "SELECT 1 FROM catalogs WHERE catalog_id = ? AND version = ?", (catalog_id, int(version))
        ).fetchone()
        return row is not None

    @guarded
    def missing_catalogs(self, limit: int = 100) -> list[tuple[str, int]]:
        """The catalogue versions reports are pinned to that this profile does not hold (reports pulled
        while their version could not be fetched), at most ``limit``, lowest first."""
        rows = self._conn.execute(
            "SELECT DISTINCT r.catalog_id, r.catalog_version FROM reports r WHERE r.catalog_id IS NOT NULL "
            "AND r.catalog_version IS NOT NULL AND NOT EXISTS (SELECT 1 FROM catalogs c WHERE "
            "c.catalog_id = r.catalog_id AND c.version = r.catalog_version) "
            "ORDER BY r.catalog_id, r.catalog_version LIMIT ?",
            (limit,),
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    @guarded
    def catalog_versions(self) -> list[tuple[str, int, str]]:
        """Every stored (catalog_id, version, imported_at), oldest import first."""
        rows = self._conn.execute(
            "SELECT catalog_id, version, imported_at FROM catalogs ORDER BY imported_at, rowid"
        ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    @guarded
    def catalog_etag(self) -> str | None:
        """The ETag of the current catalogue (None when unknown or no catalogue)."""
        key = self._current_key()
        if key is None:
            return None
        row = self._conn.execute(
            "SELECT etag FROM catalogs WHERE catalog_id = ? AND version = ?", key
        ).fetchone()
        return row[0] if row else None
