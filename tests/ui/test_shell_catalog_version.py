"""A report pulled while its catalogue version could not be fetched does not open: the officer is told why
and what to do (sync when there is a connection); a report whose version is there opens as usual."""

from __future__ import annotations

import pytest

from dttsclient.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, store, sync_runner, kit) -> MainWindow:
    w = MainWindow(store, sync_runner, None, form_view_factory=kit.form_view_stub, today=kit.TODAY)
    qtbot.addWidget(w)
    w.said = []
    w.say = w.said.append
    return w


def _pulled(store, kit, period: str, version: int) -> int:
    catalog = store.catalogs.current_catalog()
    item = {
        "unit": kit.UNIT,
        "form": "BM04",
        "period": period,
        "server_revision": 1,
        "status": "accepted",
        "catalog_id": catalog.catalog_id,
        "catalog_version": version,
        "values": [],
        "review": None,
    }
    [out] = store.sync.apply_pulled([item], cursor=None)
    assert out.action == "created"
    return out.report_id


def test_a_report_waiting_for_its_catalogue_version_says_so_instead_of_opening(window, store, kit):
    version = store.catalogs.current_catalog().version
    waiting = _pulled(store, kit, "202609", version + 5)
    window.open_report(waiting)
    assert window.form_view is None
    assert len(window.said) == 1 and f"phiên bản {version + 5}" in window.said[0]
    assert "đồng bộ" in window.said[0]

    window.open_report(_pulled(store, kit, "202610", version))
    assert window.form_view is not None and window.said == [window.said[0]]
