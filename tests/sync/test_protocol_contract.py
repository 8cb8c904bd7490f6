"""The contract between the two sides: the client's REAL documents (made by the store's finalize, read
back from the outbox, written into a courier bundle) are valid against the hub's protocol models, and the
hub's served OpenAPI document describes them."""

from __future__ import annotations

import requests

from dttsclient import __version__
from dttsclient.usb.courier import export_courier
from dttscore.bounds import MAX_COMMENT
from dttshub.bundles import read_bundle
from dttshub.config import HubConfig
from dttshub.protocol import BatchRequest, Submission
from tests.support.hubfixture import COMMUNE_A, TIMEOUT
from tests.support.syncutil import USER, finalize, sync


def _rich_history(store) -> None:
    """Two reports; one with comments (one at the longest the hub takes), a second revision and a
    change log of local edits."""
    first = finalize(store, "2026")
    report = store.reports.report(COMMUNE_A, "BM01", "2026")
    store.reports.set_cell(report.id, "0102", "", "91", USER)
    store.reports.set_comment(report.id, "0102", "", "Số hộ tăng do tách hộ — đã kiểm tra, tháng 10.", USER)
    store.reports.set_comment(report.id, "0101", "", "Ý" * MAX_COMMENT, USER)
    second = store.outbox.finalize(report.id, USER)
    assert second.document["supersedes"] == first.submission_id
    assert second.document["comments"] and second.document["change_log"]
    finalize(store, "2027")


def test_the_clients_documents_are_valid_against_the_hubs_models(tmp_path, store, creds, hub):
    _rich_history(store)
    claimed = store.outbox.claim(50, 0)  # a lease that has already run out: the sync below sends them
    docs = [s.document for s in claimed]
    assert len(docs) == 2  # the first revision of 2026 was superseded before it was sent
    for year in ("2026", "2027"):
        for sub in store.outbox.submissions(store.reports.report(COMMUNE_A, "BM01", year).id):
            Submission.model_validate(sub.document)  # raises on any field the hub would refuse
    # the envelope exactly as sync.api.batch() makes it
    BatchRequest.model_validate(
        {"device_id": store.settings.device_id, "app_version": __version__, "submissions": docs}
    )
    # a courier bundle of the same submissions, read by the hub
    info = export_courier(store, tmp_path / "goi.dttsgoi")
    bundle = read_bundle(info.path.read_bytes(), HubConfig())
    assert len(bundle.documents) == len(info.submissions) == 2
    for doc in bundle.documents:
        Submission.model_validate(doc)
    # and the hub takes them all
    result = sync(store, creds)
    assert result.error is None and not result.rejected, result.summary()["rejected"]


def test_the_served_document_names_every_field_the_client_sends(store, hub):
    _rich_history(store)
    doc = requests.get(hub.url + "/openapi.json", timeout=TIMEOUT).json()
    schemas = doc["components"]["schemas"]
    documented = set(schemas["Submission"]["properties"])
    for sub in store.outbox.claim(50, 0):
        assert set(sub.document) <= documented
        for comment in sub.document["comments"]:
            assert set(comment) <= set(schemas["Comment"]["properties"])
        for entry in sub.document["change_log"]:
            assert set(entry) <= set(schemas["ChangeLogEntry"]["properties"])
