"""Catalogue versions in the profile: import, current version, pinning, cache, dropped indicators."""

from __future__ import annotations

import pytest

from dttsclient.store import NoCatalog, Store, UnknownForm
from tests.support.store_catalog import UNIT, make_catalog


def test_import_is_idempotent_per_version(store, catalog):
    assert store.catalogs.import_catalog(catalog) is False  # the fixture imported v1 already
    assert store.catalogs.catalog_etag() == '"v1"'
    assert store.catalogs.import_catalog(make_catalog(2), etag='"v2"') is True
    current = store.catalogs.current_catalog()
    assert (current.catalog_id, current.version) == ("test-dtts", 2)
    assert store.catalogs.catalog_etag() == '"v2"'
    # An older version imported later does not become "current": the newest of the active id does.
    assert store.catalogs.catalog_version("test-dtts", 1) == catalog


def test_catalogues_survive_reopening_and_are_parsed_once(data_dir, catalog):
    with Store.open(data_dir) as store:
        store.catalogs.import_catalog(catalog)
    with Store.open(data_dir) as store:
        first = store.catalogs.current_catalog()
        assert first == catalog
        assert store.catalogs.current_catalog() is first  # cached per (id, version), not parsed per call
        assert store.catalogs.catalog_version("test-dtts", 1) is first
        with pytest.raises(NoCatalog):
            store.catalogs.catalog_version("test-dtts", 7)


def test_another_catalogue_id_becomes_active(store):
    store.catalogs.import_catalog(make_catalog(1, catalog_id="other-province"))
    assert store.catalogs.current_catalog().catalog_id == "other-province"
    assert store.status()["catalog"]["catalog_id"] == "other-province"


def test_report_stays_pinned_and_dropped_indicators_stay_readable(store):
    r = store.reports.report(UNIT, "BM01", "2026", create=True)
    store.reports.set_cell(r.id, "0204", "", "Đường sạt lở tháng 9", "can_bo_a")
    store.catalogs.import_catalog(make_catalog(2))  # v2 drops 0204
    r = store.reports.report_by_id(r.id)
    assert (r.catalog_id, r.catalog_version) == ("test-dtts", 1)
    assert store.reports.cells(r.id)[("0204", "")] == "Đường sạt lở tháng 9"
    # A report started now is pinned to v2 and has no 0204, but the old report still does.
    r2 = store.reports.report(UNIT, "BM01", "2027", create=True)
    assert r2.catalog_version == 2
    assert not store.catalogs.catalog_version(r2.catalog_id, r2.catalog_version).has_indicator("0204")
    store.reports.set_cell(r.id, "0204", "", "sửa lại", "can_bo_a")  # still editable against its own version


def test_creating_a_report_needs_a_catalogue_and_a_known_form(data_dir, catalog):
    with Store.open(data_dir) as store:
        with pytest.raises(NoCatalog):
            store.reports.report(UNIT, "BM01", "2026", create=True)
        store.catalogs.import_catalog(catalog)
        with pytest.raises(UnknownForm):
            store.reports.report(UNIT, "BM99", "2026", create=True)
        assert store.reports.all() == []
