"""Pull: a new PC gets its history back, pulled revisions vs local edits, reviews, catalogue ETag, paging."""

from __future__ import annotations

import pytest

from dttsclient.store import Store
from dttsclient.sync.login import login
from tests.support.hubfixture import COMMUNE_A, DEFAULT_PASSWORD, good_values, small_catalog
from tests.support.syncutil import FAST, REVIEWER, USER, finalize, finalize_many, sync


def _second_pc(tmp_path, proxy, creds) -> Store:
    other = Store.open(tmp_path / "second-pc")
    login(other, proxy.url, USER, DEFAULT_PASSWORD, creds, "PC thứ hai", config=FAST)
    return other


def test_a_new_pc_gets_its_history_back(tmp_path, store, creds, proxy):
    subs = finalize_many(store, 3)
    sync(store, creds)
    with Store.open(tmp_path / "new-pc") as fresh:
        result = login(fresh, proxy.url, USER, DEFAULT_PASSWORD, creds, "PC mới", config=FAST)
        assert result.pull.pulled == 3 and result.pull.pull_actions == {"created": 3}
        assert fresh.settings.profile().server_id == store.settings.profile().server_id
        for sub in subs:
            report = fresh.reports.report(COMMUNE_A, "BM01", sub.period)
            assert report is not None and report.state == "finalized" and not report.dirty
            assert fresh.reports.cells(report.id) == good_values()
            assert report.server_revision == 1
        # the next sync pulls nothing new
        again = sync(fresh, creds)
        assert again.pulled == 0


def test_a_pulled_revision_replaces_a_clean_local_copy(tmp_path, store, creds, proxy):
    finalize(store)
    sync(store, creds)
    with _second_pc(tmp_path, proxy, creds) as other:
        report = other.reports.report(COMMUNE_A, "BM01", "2026")
        other.reports.set_cell(report.id, "0102", "", "90", USER)
        other.outbox.finalize(report.id, USER)
        assert sync(other, creds).accepted == 1
    result = sync(store, creds)
    assert result.pull_actions.get("replaced") == 1
    mine = store.reports.report(COMMUNE_A, "BM01", "2026")
    assert store.reports.cells(mine.id)[("0102", "")] == "90"
    assert mine.server_revision == 2 and not mine.dirty


def test_unsent_edits_keep_both_versions(tmp_path, store, creds, proxy):
    finalize(store)
    sync(store, creds)
    with _second_pc(tmp_path, proxy, creds) as other:
        report = other.reports.report(COMMUNE_A, "BM01", "2026")
        other.reports.set_cell(report.id, "0102", "", "90", USER)
        other.outbox.finalize(report.id, USER)
        sync(other, creds)
    mine = store.reports.report(COMMUNE_A, "BM01", "2026")
    store.reports.set_cell(mine.id, "0102", "", "85", USER)  # an unsent local edit
    result = sync(
        store,
        creds,
    )
    assert result.pull_actions.get("kept_both") == 1
    assert store.reports.cells(mine.id)[("0102", "")] == "85"  # the officer's edit is untouched
    copy = store.sync.server_copy(mine.id)
    assert copy is not None and copy.values[("0102", "")] == "90" and copy.server_revision == 2


def test_reviewer_feedback_comes_down(store, creds, hub):
    finalize(store)
    sync(store, creds)
    hub.review(REVIEWER, "return", "Kiểm tra 0103")
    result = sync(store, creds)
    assert result.pulled == 1
    report = store.reports.report(COMMUNE_A, "BM01", "2026")
    assert report.review_state == "returned" and report.review_comment == "Kiểm tra 0103"


def test_the_catalogue_is_refreshed_when_its_etag_changes(store, creds, hub, proxy):
    first_etag = store.catalogs.catalog_etag()
    proxy.reset_stats()
    result = sync(store, creds)
    # ping names the hub's current catalogue ETag: an up-to-date client does not even ask for it.
    assert proxy.requests_to("/catalog") == []
    assert not result.catalog_updated
    hub.publish_catalog(small_catalog(version=2))
    proxy.reset_stats()
    result = sync(store, creds)
    assert result.catalog_updated
    assert proxy.requests_to("/catalog")[0].status == 200
    assert store.catalogs.current_catalog().version == 2 and store.catalogs.catalog_etag() != first_etag
    proxy.reset_stats()
    assert not sync(store, creds).catalog_updated
    assert proxy.requests_to("/catalog") == []


@pytest.mark.parametrize("hub_config", [{"changes_page_size": 2}])
def test_changes_are_paged_until_more_is_false(tmp_path, store, creds, proxy):
    finalize_many(store, 5)
    sync(store, creds)
    with Store.open(tmp_path / "new-pc") as fresh:
        proxy.reset_stats()
        result = login(fresh, proxy.url, USER, DEFAULT_PASSWORD, creds, "PC mới", config=FAST)
        assert result.pull.pulled == 5
        assert len(proxy.requests_to("/changes")) == 3
        assert len(fresh.reports.all()) == 5
