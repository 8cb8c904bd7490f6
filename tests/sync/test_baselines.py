"""Survey baselines (issue 17 item 4): imported on the hub, pulled at sync, shown beside the cell offline."""

from __future__ import annotations

import csv

from dttsclient.store import Store
from tests.support.hubfixture import COMMUNE_A
from tests.support.syncutil import REVIEWER, USER, sync


def _import(hub, tmp_path, rows, survey="DTTS 2024", when="2024-10-01"):
    path = tmp_path / f"{survey}.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["unit", "form", "period", "indicator", "eth", "sex", "value"])
        w.writerows(rows)
    return hub.hub.import_baseline(path, survey, when, "test")


def test_baselines_reach_the_client_and_stay_offline(tmp_path, store, hub, proxy, creds):
    # nothing imported: a sync does not ask for baselines (three round trips as before)
    proxy.reset_stats()
    sync(store, creds)
    assert not proxy.requests_to("/baselines")
    _import(
        hub,
        tmp_path,
        [
            [COMMUNE_A, "BM01", "2024", "0102", "", "", "95"],
            [COMMUNE_A, "BM01", "2024", "0101", "02", "F", "130"],
            ["01864", "BM01", "2024", "0102", "", "", "7"],
        ],
    )
    sync(store, creds)
    assert len(proxy.requests_to("/baselines")) == 1
    [b] = store.baselines.for_cell(COMMUNE_A, "BM01", "0102", "")
    assert (b.survey, b.reference_date, b.period, b.value) == ("DTTS 2024", "2024-10-01", "2024", "95")
    assert [x.value for x in store.baselines.for_cell(COMMUNE_A, "BM01", "0101", "eth=02|sex=F")] == ["130"]
    # another commune's figures never reach this profile
    assert store.baselines.for_cell("01864", "BM01", "0102", "") == []
    # unchanged version: not asked again
    sync(store, creds)
    assert len(proxy.requests_to("/baselines")) == 1
    version = store.baselines.version()
    # offline: the hub is gone, the figures are still there
    hub.stop()
    data_dir = store.data_dir
    store.close()
    with Store.open(data_dir) as again:
        assert again.baselines.version() == version
        assert [x.value for x in again.baselines.for_cell(COMMUNE_A, "BM01", "0102", "")] == ["95"]


def test_a_second_survey_is_added_beside_the_first(tmp_path, store, hub, proxy, creds):
    _import(
        hub, tmp_path, [[COMMUNE_A, "BM01", "2019", "0102", "", "", "80"]], "Tổng điều tra 2019", "2019-04-01"
    )
    sync(store, creds)
    _import(hub, tmp_path, [[COMMUNE_A, "BM01", "2024", "0102", "", "", "95"]])
    sync(store, creds)
    got = store.baselines.for_cell(COMMUNE_A, "BM01", "0102", "")
    assert [(b.survey, b.value) for b in got] == [("DTTS 2024", "95"), ("Tổng điều tra 2019", "80")]


def test_the_baselines_route_keeps_to_the_scope(hub, tmp_path):
    from tests.support.hubfixture import TIMEOUT

    _import(hub, tmp_path, [[COMMUNE_A, "BM01", "2024", "0102", "", "", "95"]])
    officer = hub.session(USER, device_id="d1")
    r = officer.get(hub.api + "/baselines", timeout=TIMEOUT)
    assert r.status_code == 200 and r.json()["items"][0]["value"] == "95"
    assert officer.get(hub.api + "/baselines", params={"unit": "01864"}, timeout=TIMEOUT).status_code == 403
    reviewer = hub.session(REVIEWER, device_id="d2")
    assert reviewer.get(hub.api + "/baselines", timeout=TIMEOUT).status_code == 400
    r = reviewer.get(hub.api + "/baselines", params={"unit": COMMUNE_A}, timeout=TIMEOUT)
    assert r.json()["unit"] == COMMUNE_A and r.json()["version"] >= 1
