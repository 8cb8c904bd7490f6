"""The profile's survey baselines (issue 17 item 4): replaced whole, malformed items dropped, kept on disk."""

from __future__ import annotations

from dttsclient.store import Store
from dttsclient.store.baselines import Baseline

ITEM = {
    "survey": "DTTS 2024",
    "reference_date": "2024-10-01",
    "form": "BM01",
    "period": "2024",
    "indicator": "0102",
    "disagg": "",
    "value": "95",
}


def test_replace_keeps_the_new_set_only(store):
    assert store.baselines.version() is None
    n = store.baselines.replace(
        "01849", 3, [ITEM, {**ITEM, "survey": "TĐT 2019", "reference_date": "2019-04-01"}]
    )
    assert n == 2 and store.baselines.version() == 3
    got = store.baselines.for_cell("01849", "BM01", "0102", "")
    assert got == [
        Baseline("DTTS 2024", "2024-10-01", "2024", "95"),
        Baseline("TĐT 2019", "2019-04-01", "2024", "95"),
    ]
    # a newer version replaces the whole set; items that are not all short strings are dropped
    n = store.baselines.replace(
        "01849", 4, [{**ITEM, "value": 7}, {**ITEM, "value": "96"}, "junk", {"survey": "x"}]
    )
    assert n == 1 and store.baselines.version() == 4
    assert [b.value for b in store.baselines.for_cell("01849", "BM01", "0102", "")] == ["96"]


def test_baselines_survive_reopening(store, data_dir):
    store.baselines.replace("01849", 1, [ITEM])
    store.close()
    with Store.open(data_dir) as again:
        assert [b.value for b in again.baselines.for_cell("01849", "BM01", "0102", "")] == ["95"]
    assert store.baselines.for_cell("01849", "BM01", "0102", "") == []  # closed: nothing, no error
