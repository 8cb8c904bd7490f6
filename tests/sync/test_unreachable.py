"""A hub that is gone: said plainly and at once, never retried into minutes; Dừng stops at once.

Real parts only: a port where nothing listens (refused), a listener that never answers (a hub gone silent
after the handshake), a listener whose backlog is full (every SYN dropped: a connect that hangs), and the
real hub behind the fault proxy.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from dttsclient.sync import errors
from dttsclient.sync.transport import CancelEvent, RetryPolicy, Transport, TransportConfig
from tests.support.blackhole import BlackHole, refused_url
from tests.support.syncutil import FAST, batch_ids, engine, finalize_many, hub_submissions, states, sync

BATCH = "submissions:batch"


def _ping(url: str, config: TransportConfig | None = None, cancel: threading.Event | None = None):
    from dttsclient.sync.api import HubApi

    with Transport(url, "dev", config=config, cancel=cancel) as t:
        return HubApi(t).ping(), t


def _later(seconds: float, action) -> threading.Timer:
    timer = threading.Timer(seconds, action)
    timer.start()
    return timer


@pytest.mark.parametrize("config", [TransportConfig(), TransportConfig.interactive()], ids=["bg", "user"])
def test_a_refused_connection_is_said_at_once_and_never_retried(config):
    url = refused_url()
    t0 = time.monotonic()
    with Transport(url, "dev", config=config) as t:
        with pytest.raises(errors.Unreachable) as info:
            t.request("GET", "catalog")  # not the probe: the rule holds for every request
        assert t.stats.round_trips == 1
    assert time.monotonic() - t0 < 2
    text = info.value.message_vi
    assert text.startswith("Không kết nối được máy chủ http://127.0.0.1:")
    assert "dữ liệu vẫn an toàn trên máy" in text and "gói chuyển tay" in text
    assert "Cannot connect to the server" in info.value.message_en


def test_a_sync_against_a_stopped_hub_ends_with_the_plain_sentence(store, creds, hub, proxy):
    subs = finalize_many(store, 2)
    store.settings.set_profile(server_url=refused_url())
    t0 = time.monotonic()
    with pytest.raises(errors.Unreachable):
        sync(store, creds, config=TransportConfig())  # the patient background policy, production timings
    assert time.monotonic() - t0 < 5
    assert states(store) == Counter(queued=2)
    assert {s.submission_id for s in subs} == {i.submission_id for i in store.outbox.items()}


def test_a_silent_hub_is_said_within_20_seconds():
    with BlackHole() as hole:
        t0 = time.monotonic()
        with pytest.raises(errors.Unreachable) as info:
            _ping(hole.url, TransportConfig.interactive())  # production timings: the probe waits 10 s
        elapsed = time.monotonic() - t0
    assert 9 <= elapsed < 20
    assert info.value.message_vi.startswith("Không kết nối được máy chủ")


def test_the_background_policy_asks_a_silent_probe_again():
    with BlackHole() as hole:
        policy = RetryPolicy(base=0.01, cap=0.01, max_retries=2)
        config = TransportConfig(probe_timeout=0.3, retry=policy)
        t0 = time.monotonic()
        with pytest.raises(errors.Unreachable):
            _ping(hole.url, config)
        assert 0.9 <= time.monotonic() - t0 < 5  # three attempts of 0.3 s


def test_a_connect_that_hangs_gives_up_at_the_connect_timeout():
    with BlackHole(drop_syn=True) as hole:
        t0 = time.monotonic()
        with pytest.raises(errors.Unreachable):
            _ping(hole.url, TransportConfig(connect_timeout=1.0))
        assert 0.9 <= time.monotonic() - t0 < 3


@pytest.mark.parametrize("kind", ["cancel_event", "plain_event"])
@pytest.mark.parametrize("hole_kind", ["silent", "drop_syn"])
def test_cancel_interrupts_a_request_in_flight_within_a_second(kind, hole_kind):
    cancel = CancelEvent() if kind == "cancel_event" else threading.Event()
    with BlackHole(drop_syn=hole_kind == "drop_syn") as hole:
        timer = _later(0.3, cancel.set)
        t0 = time.monotonic()
        with pytest.raises(errors.Cancelled):
            _ping(hole.url, TransportConfig(), cancel)
        stopped = time.monotonic() - t0 - 0.3
        timer.join()
    assert stopped < 1.0


def test_a_500_is_not_retried(store, creds, proxy):
    finalize_many(store, 1)
    proxy.fault("status", path=BATCH, status=500)
    with pytest.raises(errors.ServerError):
        sync(store, creds)
    assert len(proxy.requests_to(BATCH)) == 1


def test_a_429_without_retry_after_is_not_retried(store, creds, proxy):
    finalize_many(store, 1)
    proxy.fault("status", path=BATCH, status=429)
    with pytest.raises(errors.Throttled):
        sync(store, creds)
    assert len(proxy.requests_to(BATCH)) == 1


def test_the_officers_sync_does_not_wait_out_a_long_retry_after(store, creds, proxy):
    finalize_many(store, 1)
    proxy.fault("status", path=BATCH, status=503, retry_after=120)
    t0 = time.monotonic()
    with pytest.raises(errors.ServerError):
        sync(store, creds, config=TransportConfig.interactive())
    assert time.monotonic() - t0 < 5
    assert len(proxy.requests_to(BATCH)) == 1


def test_the_officers_sync_retries_a_passing_503_once_and_briefly(store, creds, proxy):
    finalize_many(store, 1)
    proxy.fault("status", path=BATCH, status=503, times=1)
    result = sync(store, creds, config=TransportConfig.interactive())
    assert result.accepted == 1
    proxy.fault("status", path=BATCH, status=503)
    finalize_many(store, 1, first_year=2030)
    t0 = time.monotonic()
    with pytest.raises(errors.ServerError):
        sync(store, creds, config=TransportConfig.interactive())
    assert time.monotonic() - t0 < 5
    assert RetryPolicy.interactive().max_retries == 1


def test_stopping_a_batch_in_flight_leaves_rows_the_next_sync_settles(store, creds, hub, proxy):
    subs = finalize_many(store, 3)
    ids = {s.submission_id for s in subs}
    proxy.fault("hold", path=BATCH, times=1)  # the hub stores the batch; its reply never comes
    cancel = CancelEvent()
    eng = engine(store, creds, cancel=cancel)
    box: dict = {}

    def run() -> None:
        try:
            eng.sync()
        except errors.SyncError as exc:
            box["error"] = exc
        finally:
            eng.transport.close()

    worker = threading.Thread(target=run)
    worker.start()
    assert proxy.held.wait(10)
    t0 = time.monotonic()
    cancel.set()
    worker.join(5)
    assert not worker.is_alive() and time.monotonic() - t0 < 1.0
    assert isinstance(box["error"], errors.Cancelled)
    assert states(store) == Counter(sending=3)  # not lost, not requeued: the hub may hold them
    proxy.release()
    proxy.clear()
    proxy.reset_stats()
    result = sync(store, creds, config=FAST)
    assert result.settled == 3 and states(store) == Counter(accepted=3)
    assert batch_ids(proxy) == []  # asked, not sent again
    assert hub_submissions(hub) == Counter(dict.fromkeys(ids, 1))
