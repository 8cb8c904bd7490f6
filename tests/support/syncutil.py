"""Helpers of the sync tests: fast transport settings, making finalized reports, reading the hub."""

from __future__ import annotations

from collections import Counter
from typing import Any

import sqlalchemy as sa

from dttsclient.store import Store, Submission
from dttsclient.sync.credentials import CredentialStore
from dttsclient.sync.engine import BatchPolicy, SyncEngine, SyncResult
from tests.support.fast import FAST
from tests.support.faultproxy import FaultProxy
from tests.support.hubfixture import COMMUNE_A, good_values

USER = "can_bo"
REVIEWER = "tham_dinh"


def finalize(
    store: Store, period: str = "2026", values: dict | None = None, form: str = "BM01"
) -> Submission:
    """Fill and finalize one report of commune A; returns its submission (queued in the outbox).

    Warnings (a large swing against the previous period of a revised report, say) are finalized without
    a reason, as the CLI does."""
    report = store.reports.report(COMMUNE_A, form, period, create=True)
    store.reports.set_eth_rows(report.id, ["02", "08"])
    vals = values if values is not None else good_values()
    store.reports.set_cells(report.id, [(c, d, v) for (c, d), v in vals.items()], USER)
    return store.outbox.finalize(report.id, USER, require_reasons=False)


def finalize_many(store: Store, n: int, first_year: int = 2026) -> list[Submission]:
    return [finalize(store, str(first_year + i)) for i in range(n)]


def engine(store: Store, creds: CredentialStore, **kw: Any) -> SyncEngine:
    kw.setdefault("config", FAST)
    return SyncEngine.for_profile(store, creds, **kw)


def sync(store: Store, creds: CredentialStore, **kw: Any) -> SyncResult:
    eng = engine(store, creds, **kw)
    try:
        return eng.sync()
    finally:
        eng.transport.close()


def hub_submissions(hub) -> Counter:
    """submission_id → number of rows the hub holds for it."""
    from dttshub import db as t

    with hub.hub.db.read() as conn:
        rows = conn.execute(sa.select(t.submissions.c.submission_id)).all()
    return Counter(r[0] for r in rows)


def batch_ids(proxy: FaultProxy) -> list[list[str]]:
    """The submission_ids of each submissions:batch request the proxy saw, in order."""
    return [
        [d["submission_id"] for d in e.json_body()["submissions"]]
        for e in proxy.requests_to("submissions:batch")
    ]


def states(store: Store) -> Counter:
    return Counter(item.state for item in store.outbox.items())


__all__ = ["FAST", "REVIEWER", "USER", "BatchPolicy", "batch_ids", "engine", "finalize", "finalize_many"]
