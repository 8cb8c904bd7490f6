"""A cell of an option the indicator excludes (``options`` column, issue #16) is refused by the store."""

from __future__ import annotations

import pytest

from dttsclient.store import Store
from dttsclient.store.errors import InvalidCell
from dttscore.catalog import load_catalog
from tests.support.hubfixture import COMMUNE_A, SAMPLE_CATALOG


def test_the_store_refuses_a_value_for_an_excluded_option(data_dir):
    with Store.open(data_dir) as store:
        store.settings.set_profile(unit=COMMUNE_A)
        store.catalogs.import_catalog(load_catalog(SAMPLE_CATALOG))
        report = store.reports.report(COMMUNE_A, "BM01", "2026", create=True)
        with pytest.raises(InvalidCell) as info:
            store.reports.set_cell(report.id, "0101", "eth=01|sex=F", "12", "can_bo")
        assert "Kinh" in info.value.message_vi and "eth=01" in info.value.message_en
        assert store.reports.cells(report.id) == {}
        store.reports.set_cell(report.id, "0101", "eth=02|sex=F", "12", "can_bo")
        store.reports.set_cell(report.id, "0102", "eth=01", "3", "can_bo")  # households keep their Kinh row
        store.reports.set_cell(report.id, "0101", "eth=01|sex=F", None, "can_bo")  # clearing is always allowed
        assert store.reports.cells(report.id) == {("0101", "eth=02|sex=F"): "12", ("0102", "eth=01"): "3"}
