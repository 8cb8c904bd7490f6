"""Every fault of the test proxy against every endpoint the client uses; then one clean sync settles it all.

For each (fault, endpoint) a real hub runs behind :class:`faultproxy.FaultProxy`, and a logged-in profile
with finalized reports goes through two faulted phases, each prepared so that the endpoint is really
called (a new catalogue version for ``catalog``, rows left ``sending`` for ``submissions:status``, an
expired access token for ``auth/refresh``, a new login for ``auth/token``):

1. the fault once (``times=1``): a network fault, a 5xx, a 429 with ``Retry-After`` or a stall is retried
   and the same sync (or login) succeeds; a login page or a proxy's HTML page stops it cleanly;
2. the fault on every request to that endpoint: the sync stops with one of the sync's own errors (or, for
   ``slow``, succeeds slowly), and nothing finalized is lost from the outbox.

Each phase first finalizes new revisions and new reports, so there is always something to send. After
the faults stop, one clean sync must leave the outbox settled, the hub holding exactly the finalized
submissions (superseded ones excepted) once each, with receipts and server revisions matching
(:func:`tests.support.proofutil.assert_settled`). The proxy's log proves each fault hit its endpoint.

:func:`test_random_fault_sequences` chains seeded random faults (several endpoints, counts and cut points
in a row) before the clean sync: once in CI, ``DTTS_PROOF_ROUNDS / 4`` rounds in ``scripts/proof.sh``.
"""

from __future__ import annotations

import contextlib
import random
import time

import pytest
import requests

from dttsclient.store import Store
from dttsclient.sync.errors import SyncError, Throttled
from dttsclient.sync.login import login
from dttsclient.sync.transport import RetryPolicy, TransportConfig
from tests.support.hubfixture import DEFAULT_PASSWORD, small_catalog
from tests.support.proofutil import (
    ENDPOINTS,
    FAULTS,
    Rig,
    apply_fault,
    assert_hub_consistent,
    assert_settled,
    proof_rig,
    rounds,
    seeded_rounds,
)
from tests.support.syncutil import USER, finalize, sync

# Fast retries; a stall after 1 s; a Retry-After longer than 0.1 s is cut to 0.1 s (the sync tests prove
# that Retry-After is honoured; here it would only make 63 cases slow).
CONFIG = TransportConfig(
    connect_timeout=5,
    stall_timeout=1.0,
    retry=RetryPolicy(base=0.01, cap=0.05, max_retries=3, retry_after_cap=0.1),
)
# Faults that the transport must ride out when they happen once (a 429 on auth/* reaches the officer).
RETRIED = {"drop", "cut", "reset", "lost_reply", "5xx", "429", "slow"}
NOT_RETRIED_ON_AUTH = {"429"}
STALL = {"latency": 1.3}  # ``slow`` once: longer than the stall timeout (each way)
CRAWL = {"latency": 0.05, "bandwidth": 40_000}  # ``slow`` always: a 2G link that keeps moving


class Officer:
    """The profile's owner: finalizes, logs in, syncs; remembers every submission it finalized."""

    def __init__(self, rig: Rig, store: Store, rng: random.Random) -> None:
        self.rig, self.store, self.rng = rig, store, rng
        self.finalized: list[str] = []
        self.catalog_version = 1
        self.next_year = 2026

    def work(self) -> None:
        """A new report, and a new revision of an earlier one (unsent revisions get superseded)."""
        self.finalized.append(finalize(self.store, str(self.next_year)).submission_id)
        self.next_year += 1
        if self.next_year > 2027:
            period = str(self.rng.randrange(2026, self.next_year))
            values = {("0102", ""): str(self.rng.randrange(100, 999)), ("0103", ""): "7"}
            report = self.store.reports.report(self.store.settings.profile().unit, "BM01", period)
            self.store.reports.set_cells(report.id, [(c, d, v) for (c, d), v in values.items()], USER)
            self.finalized.append(
                self.store.outbox.finalize(report.id, USER, require_reasons=False).submission_id
            )

    def prepare(self, endpoint: str) -> None:
        """Make the next sync (or login) call ``endpoint``."""
        self.work()
        hub = self.rig.hub
        if endpoint == "catalog":
            self.catalog_version += 1
            hub.publish_catalog(small_catalog(version=self.catalog_version))
        elif endpoint == "auth/refresh":
            hub.clock.advance(2 * 3600)  # the access token (1 h) has expired; the refresh token has not
        elif endpoint == "submissions:status":
            # rows the hub stored whose reply was lost, and rows claimed by a sync that died before sending
            self.rig.proxy.set_mode("lost_reply", path="submissions:batch")
            # Usually the sync fails (the reply never comes). On a loaded machine the client may give up
            # waiting first (a stall) and settle those rows through submissions:status in the same sync;
            # either way the rows claimed below are left for the next sync's status call.
            with contextlib.suppress(SyncError):
                self.sync()
            self.rig.proxy.clear()
            self.work()
            self.store.outbox.claim(2, 1800)
            assert self.store.outbox.sending_ids()

    def act(self, endpoint: str) -> None:
        if endpoint == "auth/token":
            login(
                self.store, self.rig.proxy.url, USER, DEFAULT_PASSWORD, self.rig.creds, "PC xã", config=CONFIG
            )
        else:
            self.sync()

    def sync(self) -> None:
        sync(self.store, self.rig.creds, config=CONFIG)

    def nothing_lost(self) -> None:
        have = {i.submission_id for i in self.store.outbox.items()}
        assert set(self.finalized) <= have


def _hit(rig: Rig, endpoint: str, mode: str, since: int) -> bool:
    return any(e.mode == mode and endpoint in e.target for e in rig.proxy.log[since:])


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("fault", list(FAULTS))
def test_fault_then_one_clean_sync_settles_everything_once(tmp_path, fault, endpoint):
    rng = random.Random(f"{fault}@{endpoint}")
    with proof_rig(tmp_path) as rig, rig.open() as store:
        officer = Officer(rig, store, rng)
        mode = FAULTS[fault][0]

        # 1. once: retried within the same call, or a clean stop
        officer.prepare(endpoint)
        start = len(rig.proxy.log)
        apply_fault(rig.proxy, fault, endpoint, times=1, **(STALL if fault == "slow" else {}))
        t0 = time.monotonic()
        try:
            officer.act(endpoint)
            error = None
        except SyncError as exc:
            error = exc
        assert _hit(rig, endpoint, mode, start), f"the {fault} fault never hit {endpoint}"
        retried = fault in RETRIED and not (endpoint.startswith("auth/") and fault in NOT_RETRIED_ON_AUTH)
        if retried:
            assert error is None, f"{fault} once on {endpoint} was not ridden out: {error!r}"
        elif endpoint.startswith("auth/") and fault == "429":
            assert isinstance(error, Throttled)
        if fault == "slow":
            assert time.monotonic() - t0 >= CONFIG.stall_timeout  # it did stall
        officer.nothing_lost()
        assert_hub_consistent(store, rig.hub, note=f"{fault} once on {endpoint}")

        # 2. always, until the fault is cleared
        rig.proxy.clear()
        officer.prepare(endpoint)
        start = len(rig.proxy.log)
        apply_fault(rig.proxy, fault, endpoint, **(CRAWL if fault == "slow" else {}))
        try:
            officer.act(endpoint)
            error = None
        except SyncError as exc:
            error = exc
        assert _hit(rig, endpoint, mode, start), f"the {fault} fault never hit {endpoint}"
        if fault == "slow":
            assert error is None, f"a slow {endpoint} that keeps moving must work: {error!r}"
        officer.nothing_lost()
        assert_hub_consistent(store, rig.hub, note=f"{fault} always on {endpoint}")

        # the faults stop: one clean sync settles everything, once
        rig.proxy.clear()
        if endpoint == "auth/token" and error is not None:
            officer.act(endpoint)
        officer.sync()
        assert_settled(store, rig.hub, officer.finalized, note=f"{fault} on {endpoint}")


def test_random_fault_sequences(tmp_path):
    """Seeded sequences of faults (mode, endpoint, count, fraction) then one clean sync: once in CI,
    ``DTTS_PROOF_ROUNDS / 4`` times in the long run."""
    for i, seed, rng in seeded_rounds(rounds(1, 0.25), "fault sequences"):
        with proof_rig(tmp_path / f"r{i}") as rig, rig.open() as store:
            officer = Officer(rig, store, rng)
            for _ in range(rng.randint(2, 6)):
                endpoint = rng.choice(ENDPOINTS)
                fault = rng.choice(list(FAULTS))
                officer.prepare(endpoint)
                times = rng.choice([1, 2, 3, 5, None])
                extra = {"fraction": rng.random()} if fault in ("cut", "reset") else {}
                if fault == "5xx":
                    extra = {"status": rng.choice([500, 502, 503, 504])}
                if fault == "slow":
                    extra = dict(STALL) if times is not None and rng.random() < 0.5 else dict(CRAWL)
                apply_fault(rig.proxy, fault, endpoint, times=times, **extra)
                with contextlib.suppress(SyncError):
                    officer.act(endpoint)
                officer.nothing_lost()
                assert_hub_consistent(store, rig.hub, note=f"seed {seed}")
                if rng.random() < 0.5:
                    rig.proxy.clear()
            rig.proxy.clear()
            officer.act("auth/token")
            officer.sync()
            assert_settled(store, rig.hub, officer.finalized, note=f"seed {seed}")


def test_a_slow_fault_on_one_path_slows_only_that_path(tmp_path):
    """The proxy's per-path ``slow`` (added for this matrix): only the matching requests wait."""
    with proof_rig(tmp_path) as rig, requests.Session() as s:
        api = rig.proxy.url + "api/v1/"
        rig.proxy.fault("slow", path="ping", times=2, latency=0.3)
        timings = []
        for path in ("ping", "catalog", "ping", "ping"):
            t0 = time.monotonic()
            assert s.get(api + path, timeout=10).status_code in (200, 401)
            timings.append(time.monotonic() - t0)
        assert timings[0] >= 0.6 and timings[2] >= 0.6  # 0.3 s each way, twice
        # another path, then the rule used up: the proxy's log says which requests it slowed
        assert [e.mode for e in rig.proxy.log[-4:]] == ["slow", "pass", "slow", "pass"]
