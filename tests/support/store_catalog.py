"""The store tests' catalogue (built by :func:`tests.support.catalogs.small_catalog`, shape ``store``),
loaded, with values of its BM01 that pass every check and a report as the hub sends it back."""

from __future__ import annotations

from dttscore.catalog import catalog_from_json
from dttscore.model import Catalog
from tests.support.catalogs import small_catalog

UNIT = "01849"


def catalog_json(version: int = 1, catalog_id: str = "test-dtts") -> dict:
    """The store tests' catalogue: :func:`tests.support.catalogs.small_catalog` of the ``store`` shape."""
    return small_catalog("store", version=version, catalog_id=catalog_id)


def make_catalog(version: int = 1, catalog_id: str = "test-dtts") -> Catalog:
    """The test catalogue, loaded (and validated) by the real loader."""
    return catalog_from_json(catalog_json(version, catalog_id))


def good_values() -> list[tuple[str, str, str]]:
    """Values of BM01 that pass every check (ethnic groups 02 and 08)."""
    return [
        ("0101", "", "120"),
        ("0102", "eth=02|sex=F", "150"),
        ("0102", "eth=02|sex=M", "140"),
        ("0102", "eth=08|sex=F", "100"),
        ("0102", "eth=08|sex=M", "110"),
        ("0103", "", "30"),
        ("0201", "", "12.5"),
        ("0202", "", "1"),
        ("0203", "", "97.5"),
    ]


WHO = "can_bo_a"  # the officer of the store tests' pulled reports


def pulled(period="2026", revision=1, values=None, review=None, comments=None, status="accepted") -> dict:
    """A report of BM01 as the hub sends it in ``changes`` (for ``apply_pulled``)."""
    values = values if values is not None else good_values()
    return {
        "unit": UNIT,
        "form": "BM01",
        "period": period,
        "server_revision": revision,
        "status": status,
        "values": [{"code": c, "disagg": d, "value": v} for c, d, v in values],
        "comments": comments or [],
        "review": review,
    }
