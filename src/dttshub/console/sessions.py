"""Server-side sessions of the province console (table ``console_sessions``, migration ``0005``).

The browser holds a random token in an HttpOnly cookie; the hub stores only its SHA-256, the account and the
session's CSRF token. A session ends at ``expires_at`` (:data:`SESSION_TTL` after sign-in), at sign-out, or
as soon as its account is disabled or stops being a reviewer or admin: every request reads the account
again, so a change by an admin takes effect at once.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from dttshub import db as t
from dttshub.accounts import token_hash
from dttshub.db import Database, iso
from dttshub.scope import Account

SESSION_TTL = 8 * 3600
"""Seconds a console session lasts after sign-in (a working day)."""


@dataclass(frozen=True)
class ConsoleSession:
    """A signed-in browser: its account (as it stands now), the CSRF token of its forms, its end."""

    account: Account
    csrf: str
    expires_at: str


class ConsoleSessions:
    """Opens, finds and closes console sessions.

    Args:
        db: the hub database.
        clock: the hub's clock (``HubConfig.now``).
        ttl: seconds a session lasts.
    """

    def __init__(self, db: Database, clock: Callable[[], datetime], ttl: int = SESSION_TTL) -> None:
        self.db = db
        self.clock = clock
        self.ttl = ttl

    def open(self, account: Account) -> tuple[str, ConsoleSession]:
        """A new session of ``account``; returns the cookie's token and the session."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = self.clock()
        expires = iso(now + timedelta(seconds=self.ttl))
        with self.db.begin() as conn:
            conn.execute(t.console_sessions.delete().where(t.console_sessions.c.expires_at <= iso(now)))
            conn.execute(
                t.console_sessions.insert().values(
                    token_hash=token_hash(token),
                    username=account.username,
                    csrf=csrf,
                    created_at=iso(now),
                    expires_at=expires,
                )
            )
        return token, ConsoleSession(account, csrf, expires)

    def find(self, token: str | None) -> ConsoleSession | None:
        """The live session of a cookie token; None when unknown, expired, or its account is disabled."""
        if not token or len(token) > 128:
            return None
        cs, u = t.console_sessions.c, t.users.c
        with self.db.read() as conn:
            row = conn.execute(
                sa.select(cs.csrf, cs.expires_at, u.username, u.role, u.unit, u.disabled)
                .select_from(t.console_sessions.join(t.users, u.username == cs.username))
                .where(cs.token_hash == token_hash(token))
            ).first()
        if row is None or row.disabled or row.expires_at <= iso(self.clock()):
            return None
        return ConsoleSession(Account(row.username, row.role, row.unit, "console"), row.csrf, row.expires_at)

    def close(self, token: str | None) -> None:
        """Sign out: the session's row is deleted."""
        if token:
            with self.db.begin() as conn:
                conn.execute(
                    t.console_sessions.delete().where(t.console_sessions.c.token_hash == token_hash(token))
                )
