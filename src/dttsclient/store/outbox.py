"""The outbox: one row per submission, with the states of docs/sync-protocol.md.

States: ``queued`` → ``sending`` (claimed with a lease) → ``accepted`` | ``needs_attention`` (rejected)
| ``conflict`` | ``late``; ``sending`` returns to ``queued`` when its lease expires, after a network
failure (:meth:`Outbox.mark_error`) or when the hub says ``unknown``. Two local-only states:
``superseded`` (a queued revision replaced by a newer one before it was sent) and ``discarded`` (a
``needs_attention`` row the officer chose to drop; only allowed from ``needs_attention``, the row and
its submission stay as a record, and the report becomes an edited draft again so nothing is lost).
Only ``queued`` rows are ever changed by local decisions.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from dttsclient.store._base import dumps, guarded, iso_micro
from dttsclient.store.errors import OutboxStateError, SubmissionNotFound
from dttsclient.store.finalize import SUBMISSION_COLUMNS, Finalize, submission_from_row
from dttsclient.store.models import OUTBOX_STATES, OutboxItem, Submission

logger = logging.getLogger(__name__)

_OUTBOX_SELECT = (
    "SELECT o.submission_id, o.report_id, r.unit, r.form, r.period, s.revision_no, o.state, o.lease_until, "
    "o.attempts, o.last_error, o.receipt_no, o.server_revision, o.received_at, o.errors_json, o.created_at, "
    "o.updated_at FROM outbox o JOIN submissions s ON s.submission_id = o.submission_id "
    "JOIN reports r ON r.id = o.report_id"
)
# Result statuses of submissions:batch / submissions:status and the outbox state each leads to.
RESULT_STATES = {
    "accepted": "accepted",
    "duplicate": "accepted",
    "rejected": "needs_attention",
    "conflict": "conflict",
    "late": "late",
    "unknown": "queued",
}
# Rows a hub result may still change: the ones this device is sending or will send.
_OPEN_STATES = ("queued", "sending")
# the answers after which the hub keeps a submission with its values: a later revision can be sent as changes
_HELD = ("accepted", "late", "conflict")
_BASE_COLUMNS = ", ".join(f"s.{c.strip()}" for c in SUBMISSION_COLUMNS.split(","))


def _item(row: tuple) -> OutboxItem:
    return OutboxItem(
        submission_id=row[0],
        report_id=row[1],
        unit=row[2],
        form=row[3],
        period=row[4],
        revision_no=row[5],
        state=row[6],
        lease_until=row[7],
        attempts=row[8],
        last_error=row[9],
        receipt_no=row[10],
        server_revision=row[11],
        received_at=row[12],
        errors=json.loads(row[13]) if row[13] else [],
        created_at=row[14],
        updated_at=row[15],
    )


def _error_text(errors: list[Mapping[str, Any]]) -> str | None:
    texts = [str(e.get("message_vi") or e.get("message_en") or e.get("code") or "") for e in errors]
    texts = [t for t in texts if t]
    return "; ".join(texts) if texts else None


class Outbox(Finalize):
    """``store.outbox``: finalizing a report into a queued submission (written in :mod:`.finalize`),
    reading the outbox, and the sync engine's side of it."""

    @guarded
    def items(self, states: Iterable[str] | None = None) -> list[OutboxItem]:
        """Outbox rows, oldest first, optionally only those in ``states``."""
        sql, params = _OUTBOX_SELECT, []
        if states is not None:
            params = list(states)
            sql += f" WHERE o.state IN ({', '.join('?' * len(params))})" if params else " WHERE 0"
        rows = self._conn.execute(sql + " ORDER BY o.seq", params).fetchall()
        return [_item(r) for r in rows]

    @guarded
    def counts(self) -> dict[str, int]:
        """Number of rows per state; every state is present (0 when none)."""
        counts = dict.fromkeys(OUTBOX_STATES, 0)
        for state, n in self._conn.execute("SELECT state, count(*) FROM outbox GROUP BY state"):
            counts[state] = n
        return counts

    @guarded
    def sending_ids(self) -> list[str]:
        """submission_ids of the rows in ``sending`` (to ask ``submissions:status`` after a crash)."""
        rows = self._conn.execute("SELECT submission_id FROM outbox WHERE state = 'sending' ORDER BY seq")
        return [r[0] for r in rows]

    @guarded
    def held_ids(self) -> list[str]:
        """submission_ids the hub has stored by its answer (accepted, late, conflict), oldest first."""
        rows = self._conn.execute(
            "SELECT submission_id FROM outbox WHERE state IN ('accepted', 'late', 'conflict') ORDER BY seq"
        )
        return [r[0] for r in rows]

    @guarded
    def held_base(self, submission_id: str) -> Submission | None:
        """The newest earlier submission of the same report that the hub holds (answered ``accepted``,
        ``late`` or ``conflict``, each stored there with its values), or None: the base a queued revision
        can be sent as changes from (docs/sync-protocol.md, "Compact payloads")."""
        row = self._conn.execute(
            f"SELECT {_BASE_COLUMNS} FROM submissions s JOIN outbox o ON o.submission_id = s.submission_id "
            "JOIN submissions me ON me.submission_id = ? "
            f"WHERE s.report_id = me.report_id AND s.revision_no < me.revision_no AND o.state IN {_HELD} "
            "ORDER BY s.revision_no DESC LIMIT 1",
            (submission_id,),
        ).fetchone()
        return submission_from_row(row) if row is not None else None

    @guarded
    def requeue_lost(self, ids: Iterable[str], note: str) -> int:
        """Put back in the queue rows the hub no longer holds (its database was restored from an older copy).

        Only rows the hub had stored (accepted, late, conflict) move; their receipt and server revision
        are cleared (the hub gives new ones when the row is sent again) and ``note`` is kept as the last
        error. One transaction.

        Returns:
            How many rows went back to the queue.
        """
        stamp = iso_micro(self._now())
        with self._tx() as conn:
            n = 0
            for sid in ids:
                n += conn.execute(
                    "UPDATE outbox SET state = 'queued', lease_until = NULL, receipt_no = NULL, "
                    "server_revision = NULL, received_at = NULL, errors_json = NULL, last_error = ?, "
                    "updated_at = ? WHERE submission_id = ? AND state IN ('accepted', 'late', 'conflict')",
                    (note, stamp, str(sid)),
                ).rowcount
        if n:
            logger.info("%d submission(s) the hub no longer holds returned to the queue", n)
        return n

    @guarded
    def release_expired_leases(self, now: datetime | None = None) -> int:
        """Return ``sending`` rows whose lease has expired to ``queued``. One transaction.

        Returns:
            How many rows went back to the queue.
        """
        moment = now or self._now()
        with self._tx() as conn:
            n = conn.execute(
                "UPDATE outbox SET state = 'queued', lease_until = NULL, updated_at = ? "
                "WHERE state = 'sending' AND (lease_until IS NULL OR lease_until <= ?)",
                (iso_micro(moment), iso_micro(moment)),
            ).rowcount
        if n:
            logger.info("%d expired lease(s) returned to the queue", n)
        return n

    @guarded
    def claim(self, limit: int, lease_seconds: float) -> list[Submission]:
        """Move the oldest ``queued`` rows to ``sending`` with a lease. One transaction.

        Args:
            limit: at most this many rows.
            lease_seconds: how long the claim holds before :meth:`release_expired_leases` may return
                the row to the queue.

        Returns:
            The claimed submissions, oldest first.
        """
        now = self._now()
        until = iso_micro(now + timedelta(seconds=lease_seconds))
        with self._tx() as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT submission_id FROM outbox WHERE state = 'queued' ORDER BY seq LIMIT ?",
                    (int(limit),),
                )
            ]
            conn.executemany(
                "UPDATE outbox SET state = 'sending', lease_until = ?, attempts = attempts + 1, updated_at = ? "
                "WHERE submission_id = ? AND state = 'queued'",
                [(until, iso_micro(now), sid) for sid in ids],
            )
            rows = {
                r[0]: r
                for r in conn.execute(
                    f"SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE submission_id IN "
                    f"({', '.join('?' * len(ids))})",
                    ids,
                )
            }
        return [submission_from_row(rows[sid]) for sid in ids]

    @guarded
    def mark_error(self, ids: Iterable[str], message: str) -> int:
        """Return claimed rows to ``queued`` after a network failure, keeping the error text.

        Returns:
            How many ``sending`` rows went back to the queue.
        """
        stamp = iso_micro(self._now())
        with self._tx() as conn:
            n = 0
            for sid in ids:
                n += conn.execute(
                    "UPDATE outbox SET state = 'queued', lease_until = NULL, last_error = ?, updated_at = ? "
                    "WHERE submission_id = ? AND state = 'sending'",
                    (message, stamp, sid),
                ).rowcount
        return n

    @guarded
    def apply_results(self, results: Iterable[Mapping[str, Any]]) -> dict[str, int]:
        """Apply the hub's per-item results of one batch (or of ``submissions:status``). One transaction.

        ``accepted`` and ``duplicate`` → accepted; ``rejected`` → needs_attention (errors kept);
        ``conflict`` → conflict; ``late`` → late (receipt kept); ``unknown`` → back to queued. For
        accepted and late the report adopts the returned server revision. Results for rows that are
        neither queued nor sending, for unknown ids, or with an unknown status change nothing (logged).

        Returns:
            Number of rows moved to each state.
        """
        stamp = iso_micro(self._now())
        moved: dict[str, int] = {}
        with self._tx() as conn:
            for result in results:
                sid = str(result.get("submission_id", ""))
                status = str(result.get("status", ""))
                if status == "duplicate" and result.get("original_status") in ("late", "conflict"):
                    status = str(result["original_status"])  # a resend of a late/conflicting item
                target = RESULT_STATES.get(status)
                row = conn.execute(
                    "SELECT state, report_id FROM outbox WHERE submission_id = ?", (sid,)
                ).fetchone()
                if row is None or target is None or row[0] not in _OPEN_STATES:
                    logger.warning(
                        "result %r for %s ignored (row state %s)", status, sid, row[0] if row else "missing"
                    )
                    continue
                report_id = row[1]
                if target == "queued":
                    conn.execute(
                        "UPDATE outbox SET state = 'queued', lease_until = NULL, updated_at = ? "
                        "WHERE submission_id = ?",
                        (stamp, sid),
                    )
                else:
                    errors = list(result.get("errors") or [])
                    server_revision = result.get("server_revision")
                    server_revision = int(server_revision) if server_revision not in (None, "") else None
                    receipt = result.get("receipt_no")
                    conn.execute(
                        "UPDATE outbox SET state = ?, lease_until = NULL, receipt_no = ?, server_revision = ?, "
                        "received_at = ?, errors_json = ?, last_error = ?, updated_at = ? WHERE submission_id = ?",
                        (
                            target,
                            str(receipt) if receipt not in (None, "") else None,
                            server_revision,
                            result.get("received_at"),
                            dumps(errors) if errors else None,
                            _error_text(errors) if target in ("needs_attention", "conflict") else None,
                            stamp,
                            sid,
                        ),
                    )
                    if target in ("accepted", "late") and server_revision is not None:
                        conn.execute(
                            "UPDATE reports SET server_revision = max(server_revision, ?), "
                            "base_server_revision = max(base_server_revision, ?), server_status = ? WHERE id = ?",
                            (server_revision, server_revision, target, report_id),
                        )
                    elif target == "conflict":
                        conn.execute(
                            "UPDATE reports SET server_status = 'conflict' WHERE id = ?", (report_id,)
                        )
                moved[target] = moved.get(target, 0) + 1
        if moved:
            logger.info("applied sync results: %s", moved)
        return moved

    @guarded
    def discard(self, submission_id: str) -> None:
        """Drop a ``needs_attention`` row: its state becomes ``discarded`` (kept as a record).

        When it was the report's latest revision, the report becomes a draft with unsent edits again,
        so its values can be fixed and finalized as a new revision.

        Raises:
            SubmissionNotFound: no such outbox row.
            OutboxStateError: the row is not in ``needs_attention``.
        """
        stamp = iso_micro(self._now())
        with self._tx() as conn:
            row = conn.execute(
                "SELECT o.state, o.report_id, s.revision_no FROM outbox o JOIN submissions s "
                "ON s.submission_id = o.submission_id WHERE o.submission_id = ?",
                (submission_id,),
            ).fetchone()
            if row is None:
                raise SubmissionNotFound(submission_id)
            state, report_id, revision_no = row
            if state != "needs_attention":
                raise OutboxStateError(submission_id, state, "bỏ đi", "discarded")
            conn.execute(
                "UPDATE outbox SET state = 'discarded', updated_at = ? WHERE submission_id = ?",
                (stamp, submission_id),
            )
            conn.execute(
                "UPDATE reports SET state = 'draft', dirty = 1, updated_at = ? WHERE id = ? AND revision_no = ?",
                (self._stamp(), report_id, revision_no),
            )
        logger.info("discarded submission %s", submission_id)
