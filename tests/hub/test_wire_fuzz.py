"""Damaged compact submissions (issue 18) never make the hub fail: bad indexes, huge counts, wrong hashes,
unknown bases and wrong types are answered per item (``rejected`` with a code, or ``need_full``) or, for
a body that is not a batch at all, 400 — never 500."""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dttscore.catalog import catalog_from_json
from dttscore.wire import compact_document
from tests.support.hubfixture import COMMUNE_A, TIMEOUT, good_values, make_submission, small_catalog

ITEM_CODES = {
    "malformed_submission",
    "bad_cell_index",
    "bad_cell_change",
    "bad_change_log",
    "duplicate_cell",
    "payload_hash_mismatch",
    "need_full",
    "base_unknown",
    "base_mismatch",
}
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.text(max_size=8),
    st.lists(st.one_of(st.none(), st.integers(-(2**40), 2**40), st.text(max_size=4)), max_size=4),
)
fields = st.sampled_from(["cells", "changes", "extra", "base", "log", "change_log_since", "payload_sha256"])


def _compact() -> dict:
    catalog = catalog_from_json(small_catalog())
    doc = make_submission(good_values())
    return compact_document(doc, catalog)


_SESSIONS: dict[int, object] = {}


def _officer(hub):
    """One officer's session per hub (Hypothesis runs every example on the test's one hub)."""
    if id(hub) not in _SESSIONS:
        hub.add_user("fuzz_officer", "officer", COMMUNE_A)
        _SESSIONS.clear()
        _SESSIONS[id(hub)] = hub.session("fuzz_officer")
    return _SESSIONS[id(hub)]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40, deadline=None)
@given(st.dictionaries(fields, junk, min_size=1, max_size=3), st.integers(0, 60_000))
def test_damaged_compact_items_are_answered_per_item(hub, changes, ncells):
    s = _officer(hub)
    doc = _compact()
    doc["submission_id"] = str(uuid.uuid4())
    doc.update(changes)
    if ncells > 50_000:
        doc["cells"] = ["1"] * ncells
    r = s.post(hub.api + "/submissions:batch", json={"submissions": [doc]}, timeout=TIMEOUT)
    assert r.status_code == 200, r.text
    (res,) = r.json()["results"]
    if res["status"] in ("rejected", "need_full"):
        assert res["errors"] and {e["code"] for e in res["errors"]} <= ITEM_CODES, res
    else:
        assert res["status"] in ("accepted", "late", "duplicate", "conflict")


def test_a_base_the_hub_does_not_hold_asks_for_the_full_payload(hub):
    hub.add_user("officer_a", "officer", COMMUNE_A)
    s = hub.session("officer_a")
    doc = _compact()
    del doc["cells"]
    doc.update(base="no-such-submission", changes=[[0, "1"]])
    (res,) = s.post(hub.api + "/submissions:batch", json={"submissions": [doc]}, timeout=TIMEOUT).json()[
        "results"
    ]
    assert res["status"] == "need_full" and res["errors"][0]["code"] == "base_unknown"
