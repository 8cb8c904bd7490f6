"""Fixtures of the store tests: a profile with the test catalogue imported and a report to fill."""

from __future__ import annotations

import pytest

from dttsclient.store import Store
from tests.support.store_catalog import UNIT, good_values, make_catalog


@pytest.fixture
def catalog():
    return make_catalog()


@pytest.fixture
def store(data_dir, catalog):
    """An open store with the test catalogue (v1) imported and the profile's commune set."""
    with Store.open(data_dir) as s:
        s.catalogs.import_catalog(catalog, etag='"v1"')
        s.settings.set_profile(unit=UNIT, username="can_bo_a", lang="vi")
        yield s


@pytest.fixture
def report(store):
    """An empty draft of BM01 for 2026 with ethnic rows 02 and 08."""
    r = store.reports.report(UNIT, "BM01", "2026", create=True)
    store.reports.set_eth_rows(r.id, ["02", "08"])
    return store.reports.report_by_id(r.id)


@pytest.fixture
def filled(store, report):
    """The BM01 report with values that pass every check."""
    store.reports.set_cells(report.id, good_values(), "can_bo_a")
    return store.reports.report_by_id(report.id)
