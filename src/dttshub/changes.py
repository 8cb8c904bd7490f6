"""``GET /changes``: the reports of an account's scope that changed since a cursor.

Every change of a report (a stored submission that moves the head, a conflict flag, a review) takes the
next value of the hub-wide change sequence. The cursor is an opaque string wrapping the last sequence
value the caller has seen; a page holds at most ``changes_page_size`` reports, ``more: true`` says
"ask again with the new cursor". The counter is read before the reports: everything at or below it is
committed (see :mod:`dttshub.db`), so a cursor never skips a change.

The cursor also names the database generation (:mod:`dttshub.generation`). A cursor of another
generation — the database was restored from an older copy since the client last pulled — or one ahead of
the change sequence (a restore the hub could not see) is answered from the start of the feed, with
``reset: true``: the client's view is rebuilt from what the hub holds, and it resends what the hub lost.
Cursors made before generations existed (``c1:``) stay valid while the database is in its first
generation.
"""

from __future__ import annotations

import base64
import binascii
import logging

import sqlalchemy as sa

from dttsclient.core import refdata
from dttshub import db as t
from dttshub.config import HubConfig
from dttshub.db import CHANGE_SEQ, Database
from dttshub.errors import BadRequest
from dttshub.generation import FIRST_GENERATION_KEY, GENERATION_KEY
from dttshub.reportstate import report_to_json
from dttshub.scope import ALL_UNITS, Account

logger = logging.getLogger(__name__)

CURSOR_PREFIX = "c1:"  # before generations: "c1:<seq>"
CURSOR_PREFIX_V2 = "c2:"  # "c2:<generation>:<seq>"
MAX_SEQ = 2**63 - 1


def encode_cursor(seq: int, generation: str | None = None) -> str:
    text = f"{CURSOR_PREFIX}{seq}" if generation is None else f"{CURSOR_PREFIX_V2}{generation}:{seq}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[str | None, int]:
    """The generation (None for a cursor made before generations) and sequence value of a cursor.

    An empty cursor is ``(None, 0)``: the whole history.

    Raises:
        BadRequest: the cursor was not made by this hub.
    """
    if not cursor:
        return None, 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        generation: str | None = None
        if text.startswith(CURSOR_PREFIX_V2):
            generation, _, number = text[len(CURSOR_PREFIX_V2) :].rpartition(":")
            if not generation:
                raise ValueError(text)
        elif text.startswith(CURSOR_PREFIX):
            number = text[len(CURSOR_PREFIX) :]
        else:
            raise ValueError(text)
        seq = int(number)
        if seq < 0 or seq > MAX_SEQ:
            raise ValueError(text)
        return generation, seq
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadRequest(
            "bad_cursor",
            "Con trỏ đồng bộ (cursor) không hợp lệ.",
            "The sync cursor is not valid.",
        ) from exc


def scope_filter(scope: str):
    """An SQL condition on ``reports.unit`` for a scope ("*", a province or a commune)."""
    if scope == ALL_UNITS:
        return sa.true()
    if len(scope) == 2:
        return t.reports.c.unit.in_([c.commune_code for c in refdata.communes_in(scope)])
    return t.reports.c.unit == scope


class Changes:
    """Reads the change feed.

    Args:
        db: the hub database.
        config: the hub configuration (page size).
    """

    def __init__(self, db: Database, config: HubConfig) -> None:
        self.db = db
        self.config = config

    def since(
        self, account: Account, cursor: str | None, unit: str | None = None, limit: int | None = None
    ) -> dict:
        """The changed reports after ``cursor``: ``{cursor, reports, more}``.

        Args:
            account: the caller; only reports in its scope are returned.
            cursor: from the previous reply, or empty for everything.
            unit: only this commune (must be in the account's scope).
            limit: page size (at most the configured one).

        Raises:
            BadRequest: a bad cursor.
            Forbidden: ``unit`` is outside the account's scope.
        """
        held, start = decode_cursor(cursor)
        page = max(1, min(limit or self.config.changes_page_size, self.config.changes_page_size))
        cond = scope_filter(account.unit)
        if unit:
            account.require_unit(unit)
            cond = sa.and_(cond, t.reports.c.unit == unit)
        with self.db.read() as conn:
            top = self.db.counter(conn, CHANGE_SEQ)
            meta = dict(
                conn.execute(
                    sa.select(t.meta.c.key, t.meta.c.value).where(
                        t.meta.c.key.in_([GENERATION_KEY, FIRST_GENERATION_KEY])
                    )
                ).all()
            )
            generation = meta.get(GENERATION_KEY)
            reset = self._stale(cursor, held, start, top, generation, meta.get(FIRST_GENERATION_KEY), account)
            if reset:
                start = 0
            rows = conn.execute(
                sa.select(t.reports)
                .where(cond, t.reports.c.change_seq > start, t.reports.c.change_seq <= top)
                .order_by(t.reports.c.change_seq)
                .limit(page + 1)
            ).all()
        more = len(rows) > page
        rows = rows[:page]
        last = rows[-1].change_seq if more else top
        return {
            "cursor": encode_cursor(last, generation),
            "generation": generation,
            "reset": reset,
            "reports": [report_to_json(r) for r in rows],
            "more": more,
        }

    @staticmethod
    def _stale(
        cursor: str | None,
        held: str | None,
        start: int,
        top: int,
        generation: str | None,
        first: str | None,
        account: Account,
    ) -> bool:
        """True when the cursor cannot be trusted and the feed must be read from its start."""
        if not cursor:
            return False
        if held is not None and held != generation:
            logger.info(
                "changes: %s holds a cursor of generation %s (now %s): reset",
                account.username,
                held,
                generation,
            )
            return True
        if held is None and generation is not None and generation != first:
            logger.info(
                "changes: %s holds a cursor older than generation %s: reset", account.username, generation
            )
            return True
        if start > top:
            logger.warning(
                "changes: %s holds cursor %d, ahead of the change sequence %d: the database looks restored "
                "from an older copy without its high-water file; run 'dttshub db new-generation'",
                account.username,
                start,
                top,
            )
            return True
        return False
