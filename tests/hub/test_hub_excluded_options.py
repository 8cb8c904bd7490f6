"""The hub rejects a value for an option the indicator excludes (``options`` column, issue #16)."""

from __future__ import annotations

from dttscore.catalog import load_catalog
from tests.support.hubfixture import SAMPLE_CATALOG, TIMEOUT, make_submission, valid_values

ETH = ["02", "08"]


def test_the_hub_rejects_a_kinh_value_of_the_minority_population(hub):
    catalog = load_catalog(SAMPLE_CATALOG)
    hub.publish_catalog(catalog)
    hub.add_user("officer_a")
    s = hub.session("officer_a")
    values, warnings = valid_values(catalog, "BM01", ETH)
    values[("0101", "eth=01|sex=F")] = "7"
    doc = make_submission(
        values,
        catalog_id=catalog.catalog_id,
        catalog_version=catalog.version,
        eth_rows=ETH,
        warnings=warnings,
    )
    r = s.post(hub.api + "/submissions:batch", json={"submissions": [doc]}, timeout=TIMEOUT)
    [res] = r.json()["results"]
    assert res["status"] == "rejected"
    [err] = res["errors"]
    assert (err["code"], err["indicator"], err["disagg"]) == ("bad_disagg", "0101", "eth=01|sex=F")
    assert "Kinh" in err["message_vi"] and "excludes" in err["message_en"]
    del values[("0101", "eth=01|sex=F")]
    doc = make_submission(
        values,
        catalog_id=catalog.catalog_id,
        catalog_version=catalog.version,
        eth_rows=ETH,
        warnings=warnings,
    )
    [res] = s.post(hub.api + "/submissions:batch", json={"submissions": [doc]}, timeout=TIMEOUT).json()[
        "results"
    ]
    assert res["status"] == "accepted"
