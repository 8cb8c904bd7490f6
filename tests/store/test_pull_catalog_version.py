"""apply_pulled() keeps each report with the catalogue version it was made with (docs/catalogue.md), never the
profile's current one; a version the profile lacks leaves the report read-only with a message."""

from __future__ import annotations

import pytest

from dttsclient.store import CatalogVersionMissing
from tests.support.store_catalog import WHO, make_catalog, pulled


@pytest.fixture
def two_versions(store):
    """The store with v1 and v4 of the test catalogue; v4 is the current one (v2 and v3 never came)."""
    store.catalogs.import_catalog(make_catalog(version=4), etag='"v4"')
    assert store.catalogs.current_catalog().version == 4
    return store


def with_version(item: dict, version: int | None, catalog_id: str | None = "test-dtts") -> dict:
    return {**item, "catalog_id": catalog_id, "catalog_version": version}


def test_a_pulled_report_keeps_its_own_version(two_versions):
    store = two_versions
    [out] = store.sync.apply_pulled([with_version(pulled(), 1)], cursor="c")
    assert out.action == "created" and not out.message_vi
    report = store.reports.report_by_id(out.report_id)
    assert (report.catalog_id, report.catalog_version) == ("test-dtts", 1)
    assert store.catalogs.missing_catalogs() == []


def test_without_a_stated_version_the_current_one_is_used(two_versions):
    [out] = two_versions.sync.apply_pulled([pulled()], cursor="c")
    assert two_versions.reports.report_by_id(out.report_id).catalog_version == 4


def test_a_version_the_profile_lacks_keeps_the_report_read_only(two_versions):
    store = two_versions
    [out, other] = store.sync.apply_pulled(
        [with_version(pulled(), 3), with_version(pulled(period="2027"), 1)], cursor="c"
    )
    assert out.action == "created" and other.action == "created"  # the rest of the pull goes on
    assert "phiên bản 3" in out.message_vi and "version 3" in out.message_en and not other.message_vi
    report = store.reports.report_by_id(out.report_id)
    assert (
        report.catalog_version == 3 and len(store.reports.cells(report.id)) == 9
    )  # values kept, version kept
    assert store.catalogs.missing_catalogs() == [("test-dtts", 3)]
    with pytest.raises(CatalogVersionMissing) as refused:
        store.reports.set_cell(report.id, "0101", "", "5", WHO)
    assert "phiên bản 3" in refused.value.message_vi
    # once the version arrives (a later sync), the report is an ordinary v3 report
    assert store.catalogs.import_catalog(make_catalog(version=3), activate=False)
    assert (
        store.catalogs.current_catalog().version == 4
    )  # an old version fetched for a report is not "current"
    assert store.catalogs.missing_catalogs() == []
    store.reports.set_cell(report.id, "0101", "", "5", WHO)


@pytest.mark.parametrize(
    "catalog_id, version",
    [
        ("test-dtts", None),
        (None, 1),
        ("../../x", 1),
        ("test-dtts", 0),
        ("test-dtts", 2**63),
        ("test-dtts", "1"),
    ],
)
def test_a_malformed_version_is_set_aside(two_versions, catalog_id, version):
    [out] = two_versions.sync.apply_pulled([with_version(pulled(), version, catalog_id)], cursor="c")
    assert out.action == "set_aside" and out.report_id == 0


def test_a_newer_revision_made_with_another_version_takes_that_version(two_versions):
    store = two_versions
    [first] = store.sync.apply_pulled([with_version(pulled(), 1)], cursor="c")
    store.catalogs.catalog_version("test-dtts", 1)
    store.reports.set_cell(first.report_id, "0101", "", "121", WHO)  # caches the report's pin
    store.reports.set_cell(first.report_id, "0101", "", "120", WHO)
    store.outbox.finalize(first.report_id, WHO)
    store.outbox.claim(1, 60)
    [sub] = store.outbox.items()
    store.outbox.apply_results(
        [{"submission_id": sub.submission_id, "status": "accepted", "server_revision": 2}]
    )
    [out] = store.sync.apply_pulled([with_version(pulled(revision=3), 4)], cursor="c")
    assert out.action == "replaced"
    assert store.reports.report_by_id(first.report_id).catalog_version == 4
    store.reports.set_cell(first.report_id, "0101", "", "122", WHO)
    assert store.outbox.finalize(first.report_id, WHO).document["catalog_version"] == 4
