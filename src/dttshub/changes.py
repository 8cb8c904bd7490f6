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
import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from dttscore import refdata
from dttshub import db as t
from dttshub.config import HubConfig
from dttshub.db import CHANGE_SEQ, Database
from dttshub.errors import BadRequest
from dttshub.generation import CURSOR_KEY_KEY, FIRST_GENERATION_KEY, GENERATION_KEY
from dttshub.reportstate import report_to_json
from dttshub.scope import ALL_UNITS, Account

logger = logging.getLogger(__name__)

CURSOR_PREFIX = "c1:"  # before generations: "c1:<seq>"
CURSOR_PREFIX_V2 = "c2:"  # "c2:<generation>:<seq>:<seal>"
MAX_SEQ = 2**63 - 1


@dataclass(frozen=True)
class Cursor:
    """A decoded cursor: the generation and seal are None for a cursor made before generations."""

    seq: int
    generation: str | None = None
    seal: str | None = None


def seal(key: str, generation: str, seq: int) -> str:
    """The HMAC that makes a cursor unforgeable (16 hex digits)."""
    return hmac.new(key.encode(), f"{generation}:{seq}".encode(), hashlib.sha256).hexdigest()[:16]


def encode_cursor(seq: int, generation: str | None = None, key: str | None = None) -> str:
    if generation is None:
        text = f"{CURSOR_PREFIX}{seq}"
    else:
        text = f"{CURSOR_PREFIX_V2}{generation}:{seq}:{seal(key or '', generation, seq)}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> Cursor:
    """A cursor's parts; an empty cursor is sequence 0 (the whole history).

    Raises:
        BadRequest: the cursor was not made by this hub.
    """
    if not cursor:
        return Cursor(0)
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        generation = mac = None
        if text.startswith(CURSOR_PREFIX_V2):
            generation, number, mac = text[len(CURSOR_PREFIX_V2) :].split(":")
            if not generation or not mac:
                raise ValueError(text)
        elif text.startswith(CURSOR_PREFIX):
            number = text[len(CURSOR_PREFIX) :]
        else:
            raise ValueError(text)
        seq = int(number)
        if seq < 0 or seq > MAX_SEQ:
            raise ValueError(text)
        return Cursor(seq, generation, mac)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadRequest(
            "bad_cursor",
            "Con trỏ đồng bộ (cursor) không hợp lệ.",
            "The sync cursor is not valid.",
        ) from exc


def scope_filter(scope: str):
    """An SQL condition on ``reports.unit`` for a scope ("*", a province — its communes and agencies — or a unit)."""
    if scope == ALL_UNITS:
        return sa.true()
    if len(scope) == 2:
        return sa.or_(
            t.reports.c.unit.in_([c.commune_code for c in refdata.communes_in(scope)]),
            t.reports.c.unit.like(f"{scope}-%"),
        )
    return t.reports.c.unit == scope


class Changes:
    """Reads the change feed.

    Args:
        db: the hub database.
        config: the hub configuration (page size).
        on_regression: called with the generation a sealed cursor proved behind and a reason; starts a
            new generation and returns it (:meth:`dttshub.service.Hub.regressed`).
    """

    def __init__(
        self, db: Database, config: HubConfig, on_regression: Callable[[str, str], str] | None = None
    ) -> None:
        self.db = db
        self.config = config
        self.on_regression = on_regression

    def since(
        self, account: Account, cursor: str | None, unit: str | None = None, limit: int | None = None
    ) -> dict:
        """The changed reports after ``cursor``: ``{cursor, generation, reset, reports, more}``.

        Args:
            account: the caller; only reports in its scope are returned.
            cursor: from the previous reply, or empty for everything.
            unit: only this commune (must be in the account's scope).
            limit: page size (at most the configured one).

        Raises:
            BadRequest: a bad cursor.
            Forbidden: ``unit`` is outside the account's scope.
        """
        held = decode_cursor(cursor)
        page = max(1, min(limit or self.config.changes_page_size, self.config.changes_page_size))
        cond = scope_filter(account.unit)
        if unit:
            account.require_unit(unit)
            cond = sa.and_(cond, t.reports.c.unit == unit)
        with self.db.read() as conn:
            top, meta = self._head(conn)
            verdict = self._check(cursor, held, top, meta, account) if cursor else "ok"
            if verdict == "ok":
                rows = self._rows(conn, self._no_echo(cond, account, bool(cursor)), held.seq, top, page)
        if verdict == "regressed" and self.on_regression is not None:
            self.on_regression(
                meta[GENERATION_KEY],
                f"restored: a client's cursor ({held.seq}) is ahead of the change sequence ({top})",
            )
        if verdict != "ok":
            with self.db.read() as conn:
                top, meta = self._head(conn)
                rows = self._rows(conn, cond, 0, top, page)
        generation = meta.get(GENERATION_KEY)
        more = len(rows) > page
        rows = rows[:page]
        last = rows[-1].change_seq if more else top
        return {
            "cursor": encode_cursor(last, generation, meta.get(CURSOR_KEY_KEY)),
            "generation": generation,
            "reset": verdict != "ok",
            "reports": [report_to_json(r) for r in rows],
            "more": more,
        }

    def _head(self, conn) -> tuple[int, dict[str, str]]:
        top = self.db.counter(conn, CHANGE_SEQ)
        keys = [GENERATION_KEY, FIRST_GENERATION_KEY, CURSOR_KEY_KEY]
        meta = dict(conn.execute(sa.select(t.meta.c.key, t.meta.c.value).where(t.meta.c.key.in_(keys))).all())
        return top, meta

    @staticmethod
    def _no_echo(cond, account: Account, has_cursor: bool):
        """Leave out the reports whose last change was this device's own submission (issue 18).

        Not for a pull from the start (a new profile, a re-installed PC, a reset feed): that one gets
        everything, its own reports included.
        """
        if not has_cursor or not account.device_id:
            return cond
        r = t.reports.c
        return sa.and_(
            cond,
            sa.or_(r.echo_device.is_(None), r.echo_device != account.device_id, r.echo_seq != r.change_seq),
        )

    @staticmethod
    def _rows(conn, cond, start: int, top: int, page: int) -> list:
        return conn.execute(
            sa.select(t.reports)
            .where(cond, t.reports.c.change_seq > start, t.reports.c.change_seq <= top)
            .order_by(t.reports.c.change_seq)
            .limit(page + 1)
        ).all()

    @staticmethod
    def _check(cursor: str, held: Cursor, top: int, meta: dict[str, str], account: Account) -> str:
        """ "ok", "reset" (read the feed from its start) or "regressed" (the database went back)."""
        generation = meta.get(GENERATION_KEY)
        if held.generation is None:  # made before generations: valid in the first generation only
            if generation is not None and generation != meta.get(FIRST_GENERATION_KEY):
                logger.info(
                    "changes: %s holds a cursor older than generation %s: reset", account.username, generation
                )
                return "reset"
            return "reset" if held.seq > top else "ok"
        if held.generation != generation:
            logger.info(
                "changes: %s holds a cursor of generation %s (now %s): reset",
                account.username,
                held.generation,
                generation,
            )
            return "reset"
        key = meta.get(CURSOR_KEY_KEY) or ""
        if not hmac.compare_digest(held.seal or "", seal(key, held.generation, held.seq)):
            logger.warning("changes: %s sent a cursor this hub did not make: reset", account.username)
            return "reset"
        if held.seq > top:
            logger.warning(
                "changes: %s holds cursor %d of this generation, ahead of the change sequence %d: the "
                "database was restored from an older copy without the hub noticing",
                account.username,
                held.seq,
                top,
            )
            return "regressed"
        return "ok"
