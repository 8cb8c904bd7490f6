"""Every fault of the proxy leaves the outbox consistent, and a later clean sync settles everything once.

"Consistent": no row is lost, every row is ``queued``, ``sending`` (to be settled through
``submissions:status``) or settled with the hub's answer, and nothing the hub holds is sent again.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest

from dttsclient.sync import errors
from dttsclient.sync.engine import BATCH_ITEMS_SETTING
from dttsclient.sync.transport import RetryPolicy, TransportConfig
from tests.support.syncutil import FAST, batch_ids, finalize_many, hub_submissions, states, sync

BATCH = "submissions:batch"

# mode, fault options, the error the sync stops with, whether the hub stored the batch
PERSISTENT = [
    ("drop", {"path": BATCH}, errors.Offline, False),
    ("cut", {"path": BATCH}, errors.Offline, True),
    ("reset", {"path": BATCH}, errors.Offline, True),
    ("lost_reply", {"path": BATCH}, errors.Offline, True),
    ("html200", {"path": BATCH}, errors.LoginPageInTheWay, False),
    ("json200", {"path": BATCH}, errors.LoginPageInTheWay, False),
    ("status", {"path": BATCH, "status": 502}, errors.ServerError, False),
    ("status", {"path": BATCH, "status": 503}, errors.ServerError, False),
    ("status", {"path": BATCH, "status": 429, "retry_after": 0}, errors.Throttled, False),
    ("login_page", {}, errors.LoginPageInTheWay, False),
    ("redirect", {}, errors.LoginPageInTheWay, False),
    ("drop", {}, errors.Unreachable, False),  # the probe (ping) gets no answer: "cannot connect"
]


def _consistent(store, subs) -> None:
    items = {i.submission_id: i for i in store.outbox.items()}
    assert set(items) == {s.submission_id for s in subs}  # nothing lost
    assert {i.state for i in items.values()} <= {"queued", "sending", "accepted"}


@pytest.mark.parametrize(("mode", "options", "error", "stored"), PERSISTENT, ids=lambda v: str(v)[:20])
def test_a_persistent_fault_then_a_clean_sync_settles_everything_once(
    store, creds, hub, proxy, mode, options, error, stored
):
    subs = finalize_many(store, 3)
    ids = {s.submission_id for s in subs}
    proxy.set_mode(mode, **options)
    with pytest.raises(error) as info:
        sync(store, creds)
    assert info.value.result.error == error.__name__
    assert info.value.message_vi and info.value.message_en
    _consistent(store, subs)
    assert set(hub_submissions(hub)) == (ids if stored else set())
    proxy.clear()
    proxy.reset_stats()
    result = sync(store, creds)
    assert states(store) == Counter(accepted=3)
    assert hub_submissions(hub) == Counter(dict.fromkeys(ids, 1))
    resent = [i for b in batch_ids(proxy) for i in b]
    if stored:
        # the hub had them all: settled through submissions:status, nothing sent again
        assert resent == [] and result.settled == 3
    else:
        assert sorted(resent) == sorted(ids)


@pytest.mark.parametrize(
    ("mode", "options"),
    [
        ("drop", {}),
        ("cut", {}),
        ("reset", {}),
        ("lost_reply", {}),
        ("status", {"status": 502}),
        ("status", {"status": 503}),
        ("status", {"status": 504}),
    ],
    ids=lambda v: str(v)[:20],
)
def test_a_passing_fault_is_retried_within_the_same_sync(store, creds, hub, proxy, mode, options):
    subs = finalize_many(store, 3)
    proxy.fault(mode, path=BATCH, times=2, **options)
    proxy.reset_stats()
    result = sync(store, creds)
    assert states(store) == Counter(accepted=3)
    assert hub_submissions(hub) == Counter({s.submission_id: 1 for s in subs})
    if mode in ("cut", "reset", "lost_reply"):
        # the hub stored them the first time; the resend came back "duplicate" = accepted
        assert result.duplicate == 3
    assert len(proxy.requests_to(BATCH)) == 3
    if mode == "status":
        assert result.round_trips == proxy.stats.requests  # every attempt is counted once


def test_429_retry_after_is_honoured(store, creds, proxy):
    finalize_many(store, 1)
    proxy.fault("status", path=BATCH, status=429, retry_after=1, times=1)
    t0 = time.monotonic()
    result = sync(store, creds)
    assert time.monotonic() - t0 >= 1.0
    assert result.accepted == 1


def test_a_stall_halves_the_batch_and_settles_before_resending(store, creds, hub, proxy):
    subs = finalize_many(store, 4)
    proxy.fault("hold", path=BATCH, times=1)
    config = TransportConfig(connect_timeout=5, stall_timeout=0.5, retry=FAST.retry)
    result = sync(store, creds, config=config)
    # the held batch was stored by the hub; status settled it, nothing was sent twice
    assert result.settled == 4 and result.accepted == 4
    assert len(proxy.requests_to(BATCH)) == 1
    assert hub_submissions(hub) == Counter({s.submission_id: 1 for s in subs})
    assert store.settings.get_setting(BATCH_ITEMS_SETTING) == 2


def test_a_slow_link_is_slow_but_works(store, creds, proxy):
    finalize_many(store, 2)
    proxy.shape(bandwidth=20_000, latency=0.05)
    proxy.reset_stats()
    t0 = time.monotonic()
    result = sync(store, creds)
    elapsed = time.monotonic() - t0
    assert result.accepted == 2
    floor = proxy.stats.bytes_down / 20_000 + proxy.stats.requests * 0.1
    assert elapsed >= floor * 0.9


def test_waiting_is_cancelled_at_once(store, creds, proxy):
    from tests.support.syncutil import engine

    finalize_many(store, 1)
    proxy.set_mode("status", status=503)
    slow = TransportConfig(retry=RetryPolicy(base=5.0, cap=300, max_retries=8))
    eng = engine(store, creds, config=slow)
    waits: list[float] = []
    eng.transport.on_wait = lambda seconds, reason: (waits.append(seconds), eng.transport.cancel())
    t0 = time.monotonic()
    with pytest.raises(errors.Cancelled):
        eng.sync()
    eng.transport.close()
    assert waits and waits[0] >= 5.0
    assert time.monotonic() - t0 < waits[0]  # the wait was cut short, not sat out
    assert store.sync.last_sync()["summary"]["error"] == "Cancelled"
    assert states(store) == Counter(queued=1)  # the ping itself failed: nothing was claimed
