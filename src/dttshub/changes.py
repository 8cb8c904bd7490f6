"""``GET /changes``: the reports of an account's scope that changed since a cursor.

Every change of a report (a stored submission that moves the head, a conflict flag, a review) takes the
next value of the hub-wide change sequence. The cursor is an opaque string wrapping the last sequence
value the caller has seen; a page holds at most ``changes_page_size`` reports, ``more: true`` says
"ask again with the new cursor". The counter is read before the reports: everything at or below it is
committed (see :mod:`dttshub.db`), so a cursor never skips a change.
"""

from __future__ import annotations

import base64
import binascii

import sqlalchemy as sa

from dttsclient.core import refdata
from dttshub import db as t
from dttshub.config import HubConfig
from dttshub.db import CHANGE_SEQ, Database
from dttshub.errors import BadRequest
from dttshub.reportstate import report_to_json
from dttshub.scope import ALL_UNITS, Account

CURSOR_PREFIX = "c1:"


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The sequence value of a cursor; 0 for an empty cursor (the whole history).

    Raises:
        BadRequest: the cursor was not made by this hub.
    """
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        if not text.startswith(CURSOR_PREFIX):
            raise ValueError(text)
        seq = int(text[len(CURSOR_PREFIX) :])
        if seq < 0:
            raise ValueError(text)
        return seq
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
        start = decode_cursor(cursor)
        page = max(1, min(limit or self.config.changes_page_size, self.config.changes_page_size))
        cond = scope_filter(account.unit)
        if unit:
            account.require_unit(unit)
            cond = sa.and_(cond, t.reports.c.unit == unit)
        with self.db.read() as conn:
            top = self.db.counter(conn, CHANGE_SEQ)
            rows = conn.execute(
                sa.select(t.reports)
                .where(cond, t.reports.c.change_seq > start, t.reports.c.change_seq <= top)
                .order_by(t.reports.c.change_seq)
                .limit(page + 1)
            ).all()
        more = len(rows) > page
        rows = rows[:page]
        last = rows[-1].change_seq if more else max(top, start)
        return {"cursor": encode_cursor(last), "reports": [report_to_json(r) for r in rows], "more": more}
