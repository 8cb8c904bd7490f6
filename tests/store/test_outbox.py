"""The outbox: claim with leases, expired leases, network errors, hub results for every status."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from dttsclient.store import OUTBOX_STATES, OutboxStateError, Store, SubmissionNotFound
from tests.support.store_catalog import UNIT, good_values

WHO = "can_bo_a"
T0 = datetime(2026, 11, 21, 8, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def queued(data_dir, catalog, clock):
    """A store with three reports (periods 2026, 2027, 2028) finalized in that order."""
    with Store.open(data_dir, clock=clock) as store:
        store.catalogs.import_catalog(catalog)
        subs = []
        for period in ("2026", "2027", "2028"):
            r = store.reports.report(UNIT, "BM01", period, create=True)
            store.reports.set_eth_rows(r.id, ["02", "08"])
            store.reports.set_cells(r.id, good_values(), WHO)
            subs.append(store.outbox.finalize(r.id, WHO))
            clock.now += timedelta(seconds=1)
        yield store, subs


def states(store) -> dict[str, str]:
    return {o.submission_id: o.state for o in store.outbox.items()}


def test_claim_takes_the_oldest_with_a_lease(queued, clock):
    store, subs = queued
    claimed = store.outbox.claim(2, lease_seconds=60)
    assert [s.submission_id for s in claimed] == [subs[0].submission_id, subs[1].submission_id]
    assert claimed[0].document == subs[0].document
    assert store.outbox.sending_ids() == [subs[0].submission_id, subs[1].submission_id]
    item = store.outbox.items(["sending"])[0]
    assert item.attempts == 1
    assert datetime.fromisoformat(item.lease_until) == clock.now + timedelta(seconds=60)
    assert [s.submission_id for s in store.outbox.claim(10, 60)] == [subs[2].submission_id]
    assert store.outbox.claim(10, 60) == []
    assert store.outbox.counts() == {**dict.fromkeys(OUTBOX_STATES, 0), "sending": 3}


def test_expired_leases_return_to_the_queue(queued, clock):
    store, subs = queued
    store.outbox.claim(1, lease_seconds=30)
    clock.now += timedelta(seconds=20)
    store.outbox.claim(1, lease_seconds=30)
    assert store.outbox.release_expired_leases() == 0
    clock.now += timedelta(seconds=15)  # the first lease is over, the second is not
    assert store.outbox.release_expired_leases() == 1
    assert states(store)[subs[0].submission_id] == "queued"
    assert states(store)[subs[1].submission_id] == "sending"
    assert store.outbox.release_expired_leases(now=clock.now + timedelta(hours=1)) == 1
    # Re-claimed rows count their attempts.
    again = store.outbox.claim(5, 30)
    assert [s.submission_id for s in again] == [s.submission_id for s in subs]
    assert [o.attempts for o in store.outbox.items()] == [2, 2, 1]


def test_mark_error_requeues_claimed_rows_with_the_message(queued):
    store, subs = queued
    ids = [s.submission_id for s in store.outbox.claim(2, 60)]
    assert store.outbox.mark_error([*ids, subs[2].submission_id], "Không kết nối được máy chủ") == 2
    items = store.outbox.items()
    assert [o.state for o in items] == ["queued"] * 3
    assert [o.last_error for o in items] == ["Không kết nối được máy chủ"] * 2 + [None]
    assert all(o.lease_until is None for o in items)


def test_apply_results_for_every_status(data_dir, catalog, clock):
    with Store.open(data_dir, clock=clock) as store:
        store.catalogs.import_catalog(catalog)
        subs = {}
        for period, status in zip(
            ("2026", "2027", "2028", "2029", "2030", "2031"),
            ("accepted", "duplicate", "rejected", "conflict", "late", "unknown"),
            strict=True,
        ):
            r = store.reports.report(UNIT, "BM01", period, create=True)
            store.reports.set_eth_rows(r.id, ["02", "08"])
            store.reports.set_cells(r.id, good_values(), WHO)
            subs[status] = store.outbox.finalize(r.id, WHO)
        store.outbox.claim(10, 60)
        errors = [
            {"code": "R01", "indicator": "0103", "disagg": "", "message_vi": "Sai", "message_en": "Wrong"}
        ]
        results = [
            {
                "submission_id": s.submission_id,
                "status": status,
                "receipt_no": f"BN-{i}",
                "server_revision": 3,
                "received_at": "2026-11-21T08:00:01+00:00",
                "errors": errors if status in ("rejected", "conflict") else [],
            }
            for i, (status, s) in enumerate(subs.items())
        ]
        moved = store.outbox.apply_results(results)
        assert moved == {"accepted": 2, "needs_attention": 1, "conflict": 1, "late": 1, "queued": 1}
        by_id = {o.submission_id: o for o in store.outbox.items()}

        for status in ("accepted", "duplicate"):
            o = by_id[subs[status].submission_id]
            assert (o.state, o.server_revision, o.errors, o.lease_until) == ("accepted", 3, [], None)
            assert o.receipt_no.startswith("BN-")
            assert o.received_at == "2026-11-21T08:00:01+00:00"
            r = store.reports.report_by_id(subs[status].report_id)
            assert (r.server_revision, r.base_server_revision, r.server_status) == (3, 3, "accepted")
        rejected = by_id[subs["rejected"].submission_id]
        assert (rejected.state, rejected.errors, rejected.last_error) == ("needs_attention", errors, "Sai")
        assert store.reports.report_by_id(subs["rejected"].report_id).server_revision == 0
        conflict = by_id[subs["conflict"].submission_id]
        assert (conflict.state, conflict.errors) == ("conflict", errors)
        assert store.reports.report_by_id(subs["conflict"].report_id).server_revision == 0
        late = by_id[subs["late"].submission_id]
        assert (late.state, late.receipt_no) == ("late", "BN-4")
        assert store.reports.report_by_id(subs["late"].report_id).server_revision == 3
        unknown = by_id[subs["unknown"].submission_id]
        assert (unknown.state, unknown.lease_until) == ("queued", None)

        # Settled rows never change again: a repeated or stray result is ignored.
        again = store.outbox.apply_results(
            [{"submission_id": subs["accepted"].submission_id, "status": "rejected"}]
        )
        assert again == {}
        assert store.outbox.items(["accepted"])[0].state == "accepted"
        # The next finalize of an accepted report is based on the adopted server revision.
        store.reports.set_cell(subs["accepted"].report_id, "0101", "", "121", WHO)
        assert store.outbox.finalize(subs["accepted"].report_id, WHO).base_server_revision == 3


def test_a_duplicate_keeps_the_original_late_or_conflict_status(data_dir, catalog, clock):
    with Store.open(data_dir, clock=clock) as store:
        store.catalogs.import_catalog(catalog)
        subs = []
        for period in ("2026", "2027", "2028"):
            r = store.reports.report(UNIT, "BM01", period, create=True)
            store.reports.set_eth_rows(r.id, ["02", "08"])
            store.reports.set_cells(r.id, good_values(), WHO)
            subs.append(store.outbox.finalize(r.id, WHO))
        store.outbox.claim(10, 60)
        moved = store.outbox.apply_results(
            [
                {
                    "submission_id": s.submission_id,
                    "status": "duplicate",
                    "original_status": original,
                    "receipt_no": "R-1",
                    "server_revision": 2,
                    "received_at": "2026-11-21T08:00:01+00:00",
                }
                for s, original in zip(subs, ("late", "conflict", "accepted"), strict=True)
            ]
        )
        assert moved == {"late": 1, "conflict": 1, "accepted": 1}


def test_apply_results_is_one_transaction(queued):
    store, subs = queued
    store.outbox.claim(10, 60)

    def results():
        yield {
            "submission_id": subs[0].submission_id,
            "status": "accepted",
            "receipt_no": "1",
            "server_revision": 1,
        }
        raise ConnectionResetError("the reply broke off half-way")

    with pytest.raises(ConnectionResetError):
        store.outbox.apply_results(results())
    assert set(states(store).values()) == {"sending"}  # the first result was rolled back too


def test_discard_only_from_needs_attention(queued):
    store, subs = queued
    with pytest.raises(OutboxStateError) as info:
        store.outbox.discard(subs[0].submission_id)
    assert "queued" in info.value.message_en
    with pytest.raises(SubmissionNotFound):
        store.outbox.discard("no-such-id")
    store.outbox.claim(1, 60)
    store.outbox.apply_results([{"submission_id": subs[0].submission_id, "status": "rejected", "errors": []}])
    store.outbox.discard(subs[0].submission_id)
    assert states(store)[subs[0].submission_id] == "discarded"
    # Its values are not lost: the report is an edited draft again and can be finalized anew.
    r = store.reports.report_by_id(subs[0].report_id)
    assert (r.state, r.dirty) == ("draft", True)
    again = store.outbox.finalize(r.id, WHO)
    assert (again.revision_no, again.supersedes) == (2, subs[0].submission_id)
    assert states(store)[subs[0].submission_id] == "discarded"
