"""The shipped sample catalogue on the hub: a valid report of every form is accepted, a broken one is not."""

from __future__ import annotations

import pytest

from dttscore.catalog import load_catalog
from tests.support.hubfixture import COMMUNE_A, SAMPLE_CATALOG, TIMEOUT, make_submission, valid_values

pytestmark = pytest.mark.skipif(
    not SAMPLE_CATALOG.exists(), reason="resources/catalog/sample.json not built yet"
)

PERIODS = {"year": "2026", "half_year": "2026S2", "quarter": "2026Q4", "month": "202612"}
ETH = ["02", "08", "09"]


def test_every_form_of_the_sample_catalogue(hub):
    catalog = load_catalog(SAMPLE_CATALOG)
    hub.publish_catalog(catalog)
    hub.add_user("officer_a")
    s = hub.session("officer_a")
    docs = []
    for form in catalog.forms:
        values, warnings = valid_values(catalog, form.code, ETH)
        eth_rows = [] if form.eth_options == "all" else ETH
        docs.append(
            make_submission(
                values,
                form=form.code,
                period=PERIODS[form.period_type],
                catalog_id=catalog.catalog_id,
                catalog_version=catalog.version,
                eth_rows=eth_rows,
                warnings=warnings,
            )
        )
    r = s.post(hub.api + "/submissions:batch", json={"device_id": "d", "submissions": docs}, timeout=TIMEOUT)
    assert r.status_code == 200
    assert [(x["status"], x["errors"]) for x in r.json()["results"]] == [("accepted", [])] * len(docs)
    # the same rule the client runs refuses a broken report on the hub
    values, warnings = valid_values(catalog, "BM01", ETH)
    values[("0102", "eth=02")] = str(10**9)
    doc = make_submission(
        values, period="2027", catalog_id=catalog.catalog_id, eth_rows=ETH, warnings=warnings
    )
    [res] = s.post(hub.api + "/submissions:batch", json={"submissions": [doc]}, timeout=TIMEOUT).json()[
        "results"
    ]
    assert res["status"] == "rejected"
    assert {e["code"] for e in res["errors"]} & {"R01", "R02", "R04"}
    assert all(e["message_vi"] and e["message_en"] for e in res["errors"])
    assert doc["unit"] == COMMUNE_A
