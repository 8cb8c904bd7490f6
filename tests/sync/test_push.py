"""Push: batches, per-item results, duplicates, rejections, conflicts, late, 413 halving, gzip."""

from __future__ import annotations

import gzip
import json
import random
import string
from collections import Counter
from datetime import datetime, timezone

import pytest

from dttsclient.sync.engine import BATCH_ITEMS_SETTING
from dttscore.payload import payload_sha256, values_to_list
from tests.support.hubfixture import COMMUNE_A, DEFAULT_PASSWORD, good_values
from tests.support.syncutil import (
    REVIEWER,
    USER,
    batch_ids,
    finalize,
    finalize_many,
    hub_submissions,
    states,
    sync,
)


def _gz(docs: list[dict], device_id: str = "x" * 36) -> bytes:
    """The batch body exactly as the transport sends it (compact JSON, gzip level 6, no timestamp)."""
    body = {"device_id": device_id, "app_version": "0.1.0", "submissions": docs}
    return gzip.compress(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(), 6, mtime=0)


def endpoints(proxy) -> list[str]:
    return [e.target.split("?")[0].rsplit("/", 1)[-1] for e in proxy.log]


def test_a_clean_sync_sends_everything_once(store, creds, hub, proxy):
    subs = finalize_many(store, 3)
    proxy.reset_stats()
    result = sync(store, creds)
    assert result.sent == 3 and result.accepted == 3 and not result.rejected
    assert states(store) == Counter(accepted=3)
    assert all(i.receipt_no for i in store.outbox.items())
    assert {r.receipt_no for r in result.receipts} == {i.receipt_no for i in store.outbox.items()}
    assert hub_submissions(hub) == Counter({s.submission_id: 1 for s in subs})
    assert batch_ids(proxy) == [[s.submission_id for s in subs]]
    assert endpoints(proxy) == ["ping", "submissions:batch", "changes"]  # catalogue current: not asked
    assert result.round_trips == 3 == proxy.stats.requests
    assert proxy.stats.connections == 1  # one pool for every endpoint: one TLS handshake on HTTPS
    # our byte count is close to what the proxy saw on the wire
    assert abs(result.bytes_up - proxy.stats.bytes_up) <= 0.1 * proxy.stats.bytes_up
    assert abs(result.bytes_down - proxy.stats.bytes_down) <= 0.1 * proxy.stats.bytes_down
    assert store.sync.last_sync()["summary"]["accepted"] == 3
    # the hub's revision is adopted locally
    report = store.reports.report(COMMUNE_A, "BM01", "2026")
    assert report.server_revision == 1


def test_every_request_carries_the_headers_and_big_bodies_are_gzipped(store, creds, proxy):
    finalize_many(store, 2)
    proxy.reset_stats()
    sync(store, creds)
    for e in proxy.log:
        assert e.request_headers["user-agent"].startswith("dttsclient/")
        assert e.request_headers["x-device-id"] == store.settings.device_id
        if not e.target.endswith("/ping"):
            assert e.request_headers["authorization"].startswith("Bearer ")
    (batch,) = proxy.requests_to("submissions:batch")
    assert batch.request_headers["content-encoding"] == "gzip"
    assert batch.request_body[:2] == b"\x1f\x8b"
    raw = gzip.decompress(batch.request_body)
    assert len(raw) > 512 and len(batch.request_body) < len(raw)
    # a compact batch (issue 18) leaves the device id to the X-Device-Id header, checked above
    assert json.loads(raw).get("device_id", store.settings.device_id) == store.settings.device_id


def test_small_bodies_are_not_compressed(store, creds, proxy):
    # the login body (under 1 KB) went uncompressed; a status request for one id too
    finalize(store)
    claimed = store.outbox.claim(1, 60)
    proxy.reset_stats()
    sync(store, creds)
    (status,) = proxy.requests_to("submissions:status")
    assert "content-encoding" not in status.request_headers
    assert json.loads(status.request_body) == {"ids": [claimed[0].submission_id]}


def test_an_identical_resend_is_a_duplicate_treated_as_accepted(store, creds, hub, proxy):
    sub = finalize(store)
    # the same submission reached the hub another way first (a courier bundle carried to the office)
    session = hub.session(USER, DEFAULT_PASSWORD, device_id=store.settings.device_id)
    first = session.post(hub.api + "/submissions:batch", json={"submissions": [sub.document]}, timeout=30)
    assert first.json()["results"][0]["status"] == "accepted"
    result = sync(store, creds)
    assert result.duplicate == 1 and result.accepted == 1
    (item,) = store.outbox.items()
    assert item.state == "accepted"
    assert item.receipt_no == first.json()["results"][0]["receipt_no"]
    assert hub_submissions(hub) == Counter({sub.submission_id: 1})


def test_a_reused_id_is_rejected_and_the_others_go_on(store, creds, hub):
    sub = finalize(store, "2026")
    other = finalize(store, "2027")
    forged = dict(sub.document)
    changed = dict(good_values())
    changed[("0102", "")] = "81"
    forged["values"] = values_to_list(changed)
    forged["payload_sha256"] = payload_sha256(changed)
    session = hub.session(USER, DEFAULT_PASSWORD, device_id="another-pc")
    assert session.post(hub.api + "/submissions:batch", json={"submissions": [forged]}, timeout=30).ok
    result = sync(store, creds)
    assert [o.submission_id for o in result.rejected] == [sub.submission_id]
    assert result.rejected[0].reasons()  # the hub's sentence, for the officer
    assert result.accepted == 1
    by_id = {i.submission_id: i for i in store.outbox.items()}
    assert by_id[sub.submission_id].state == "needs_attention"
    assert by_id[sub.submission_id].errors
    assert by_id[other.submission_id].state == "accepted"
    summary = store.sync.last_sync()["summary"]
    assert summary["rejected"][0]["submission_id"] == sub.submission_id


def test_a_conflict_after_a_reviewers_action_is_kept(store, creds, hub):
    finalize(store)
    sync(store, creds)
    hub.review(REVIEWER, "return", "Xem lại")
    # the officer edits and finalizes again without having pulled the review
    report = store.reports.report(COMMUNE_A, "BM01", "2026")
    store.reports.set_cell(report.id, "0102", "", "82", USER)
    rev2 = store.outbox.finalize(report.id, USER)
    assert rev2.base_server_revision == 1
    result = sync(store, creds)
    assert [o.submission_id for o in result.conflicts] == [rev2.submission_id]
    assert {i.submission_id: i.state for i in store.outbox.items()}[rev2.submission_id] == "conflict"
    # the review came down in the same sync
    assert store.reports.report(COMMUNE_A, "BM01", "2026").review_state == "returned"


def test_late_data_is_accepted_as_late(store, creds, hub):
    hub.clock.set(datetime(2027, 3, 1, tzinfo=timezone.utc))  # after the 2026 report's deadline
    sub = finalize(store, "2026")
    result = sync(store, creds)
    assert [o.submission_id for o in result.late] == [sub.submission_id]
    (item,) = store.outbox.items()
    assert item.state == "late" and item.receipt_no


def _noisy_reports(store, n: int) -> list:
    """``n`` finalized reports, each with a comment of random letters (so gzip cannot fold them together)."""
    rng = random.Random(413)
    subs = []
    for i in range(n):
        report = store.reports.report(COMMUNE_A, "BM01", str(2026 + i), create=True)
        store.reports.set_eth_rows(report.id, ["02", "08"])
        store.reports.set_cells(report.id, [(c, d, v) for (c, d), v in good_values().items()], USER)
        store.reports.set_comment(
            report.id, "0102", "", "".join(rng.choices(string.ascii_letters, k=400)), USER
        )
        subs.append(store.outbox.finalize(report.id, USER))
    return subs


@pytest.mark.parametrize("limit", ["max_batch_items", "max_request_bytes"])
def test_413_halves_the_batch(store, creds, hub, proxy, limit):
    subs = _noisy_reports(store, 6)
    docs = [s.document for s in subs]
    if limit == "max_batch_items":
        hub.hub.config = hub.hub.config.replace(max_batch_items=2)
    else:  # a small max request size: any two fit, no three do
        pairs = max(len(_gz(docs[i : i + 2], store.settings.device_id)) for i in range(5))
        triples = min(len(_gz(docs[i : i + 3], store.settings.device_id)) for i in range(4))
        assert pairs + 100 < triples
        hub.hub.config = hub.hub.config.replace(max_request_bytes=pairs + 50)
    proxy.reset_stats()
    result = sync(store, creds)
    assert result.accepted == 6
    batches = proxy.requests_to("submissions:batch")
    assert 413 in [e.status for e in batches]
    sent_ok = [ids for ids, e in zip(batch_ids(proxy), batches, strict=True) if e.status == 200]
    assert all(len(ids) <= 2 for ids in sent_ok) and max(len(ids) for ids in sent_ok) == 2
    assert sorted(i for ids in sent_ok for i in ids) == sorted(s.submission_id for s in subs)
    assert hub_submissions(hub) == Counter({s.submission_id: 1 for s in subs})


def test_a_submission_too_large_stays_queued_with_a_warning_and_blocks_nothing(store, creds, hub, proxy):
    report = store.reports.report(COMMUNE_A, "BM01", "2026", create=True)
    store.reports.set_eth_rows(report.id, ["02", "08"])
    store.reports.set_cells(report.id, [(c, d, v) for (c, d), v in good_values().items()], USER)
    rng = random.Random(7)
    noise = "".join(rng.choice(string.ascii_letters) for _ in range(4000))
    store.reports.set_comment(report.id, "0102", "", noise, USER)
    big = store.outbox.finalize(report.id, USER)
    small = finalize(store, "2027")
    hub.hub.config = hub.hub.config.replace(max_request_bytes=2000)
    assert len(_gz([small.document])) < 1000 < 2000 < len(_gz([big.document]))
    result = sync(store, creds)
    assert [w.code for w in result.warnings].count("too_large") == 1
    by_id = {i.submission_id: i.state for i in store.outbox.items()}
    assert by_id == {big.submission_id: "queued", small.submission_id: "accepted"}


def test_batches_grow_after_fast_batches_and_the_size_is_remembered(store, creds, proxy):
    finalize_many(store, 12)
    proxy.reset_stats()
    sync(store, creds)
    assert [len(b) for b in batch_ids(proxy)] == [5, 7]
    assert store.settings.get_setting(BATCH_ITEMS_SETTING) == 20
    finalize_many(store, 25, first_year=2040)
    proxy.reset_stats()
    sync(store, creds)
    assert [len(b) for b in batch_ids(proxy)] == [20, 5]


def test_progress_is_reported(store, creds):
    finalize_many(store, 3)
    seen: list[tuple[int, int, str]] = []
    sync(store, creds, progress=lambda done, total, msg: seen.append((done, total, msg)))
    assert seen and all(isinstance(m, str) and m for _, _, m in seen)
    assert any(done == total == 3 for done, total, _ in seen)


def test_progress_never_counts_past_its_total_when_reports_are_finalized_during_a_sync(store, creds):
    finalize_many(store, 3)
    seen: list[tuple[int, int]] = []
    sending: list[str] = []

    def progress(done: int, total: int, msg: str) -> None:
        if total and not sending:  # the officer finalizes two more reports as the first batch goes out
            sending.append(msg)
            finalize_many(store, 2, first_year=2040)
        seen.append((done, total))

    result = sync(store, creds, progress=progress)
    assert result.sent == 5
    assert all(done <= total for done, total in seen), seen
    assert seen[-1] == (5, 5)
