"""A cell of an option the indicator excludes (``options`` column, issue #16) is refused by the store."""

from __future__ import annotations

import pytest

from dttsclient.core.catalog import load_catalog
from dttsclient.store import Store
from dttsclient.store.errors import InvalidCell
from hubfixture import COMMUNE_A, SAMPLE_CATALOG


def test_the_store_refuses_a_value_for_an_excluded_option(data_dir):
    with Store.open(data_dir) as store:
        store.set_profile(unit=COMMUNE_A)
        store.import_catalog(load_catalog(SAMPLE_CATALOG))
        report = store.report(COMMUNE_A, "BM01", "2026", create=True)
        with pytest.raises(InvalidCell) as info:
            store.set_cell(report.id, "0101", "eth=01|sex=F", "12", "can_bo")
        assert "Kinh" in info.value.message_vi and "eth=01" in info.value.message_en
        assert store.cells(report.id) == {}
        store.set_cell(report.id, "0101", "eth=02|sex=F", "12", "can_bo")
        store.set_cell(report.id, "0102", "eth=01", "3", "can_bo")  # households keep their Kinh row
        store.set_cell(report.id, "0101", "eth=01|sex=F", None, "can_bo")  # clearing is always allowed
        assert store.cells(report.id) == {("0101", "eth=02|sex=F"): "12", ("0102", "eth=01"): "3"}
