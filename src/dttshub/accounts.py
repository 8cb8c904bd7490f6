"""Accounts: users with argon2id passwords, opaque tokens stored hashed, devices, login throttling.

Tokens are random strings (``secrets.token_urlsafe``); the hub stores only their SHA-256, so a copy of
the database does not let anyone sign in. An access token lives ``access_token_ttl`` seconds (1 h by
default); the refresh token 90 days, counted again from each refresh (an officer who syncs once a month
never has to type the password again, one who stays away for 90 days does).

Throttling: after ``login_max_failures`` wrong passwords for a username within
``login_failure_window`` seconds, every login attempt for that username (right or wrong password) gets
429 with ``Retry-After`` until the oldest of those failures leaves the window; the same after
``login_max_failures_per_address`` failures from one client address, whatever the usernames. Unknown
usernames are counted like known ones (the outside cannot tell them apart); failure rows older than the
window are purged at every failure.

Password hashing (argon2id: memory-hard, ``argon2_memory_cost`` KiB per hash in progress) runs on a
:class:`HashPool` of its own: ``hash_workers`` threads and at most ``hash_queue`` logins waiting, so a
login flood neither takes the hub's memory nor the thread pool that serves ``ping``, the catalogue and
the changes; an attempt beyond the queue gets 429 ``login_busy`` at once.

Clock jumps: a stored time further than ``clock_skew`` seconds ahead of the clock was written while the
clock was wrong. Such a failure row is ignored and purged, such a token is void, and a token is never
valid for longer than its lifetime from now, so a lockout or a token lasts no longer than configured
however the clock moves.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import re
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any, TypeVar

import sqlalchemy as sa
from anyio import to_thread
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.engine import Connection

from dttshub import db as t
from dttshub.config import HubConfig
from dttshub.db import Database, iso, parse_iso
from dttshub.errors import BadRequest, Conflict, NotFound, Throttled, Unauthorized
from dttshub.scope import Account, check_account_unit
from dttshub.units import is_agency_code

logger = logging.getLogger(__name__)

USERNAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
MIN_PASSWORD = 8
ACCESS_PREFIX = "dta_"
REFRESH_PREFIX = "dtr_"
ADDRESS_KEY = "ip:"  # login_failures rows of a client address (":" is never in a username)
BUSY_RETRY_AFTER = 2

T = TypeVar("T")


def token_hash(token: str) -> str:
    """The stored form of a token: SHA-256 hex of its UTF-8 bytes."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _no_user(username: str) -> NotFound:
    return NotFound("no_user", f"Không có tài khoản {username}.", f"There is no account {username}.")


def _wrong_password() -> Unauthorized:
    return Unauthorized(
        "wrong_password",
        "Sai tên đăng nhập hoặc mật khẩu.",
        "Wrong username or password.",
    )


def _login_busy() -> Throttled:
    return Throttled(
        "login_busy",
        "Máy chủ đang bận kiểm tra nhiều lượt đăng nhập; hãy thử lại sau vài giây.",
        "The hub is busy checking many logins; try again in a few seconds.",
        retry_after=BUSY_RETRY_AFTER,
    )


class HashPool:
    """Password hashing on a few threads of its own with a bounded queue.

    Args:
        workers: hashing threads (each hash in progress holds argon2's memory).
        queue: calls that may wait for a thread; a call beyond raises :class:`Throttled` at once.
    """

    def __init__(self, workers: int, queue: int) -> None:
        self._executor = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="dttshub-hash")
        self._capacity = max(1, workers) + max(0, queue)
        self._lock = threading.Lock()
        self._in_use = 0

    @property
    def in_use(self) -> int:
        """Calls running or waiting."""
        return self._in_use

    def _release(self, _future: Future) -> None:
        with self._lock:
            self._in_use -= 1

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Start ``fn(*args)`` on the pool.

        Raises:
            Throttled: ``login_busy``, every thread busy and the queue full.
        """
        with self._lock:
            if self._in_use >= self._capacity:
                raise _login_busy()
            self._in_use += 1
        try:
            future = self._executor.submit(fn, *args)
        except BaseException:
            self._release(None)  # type: ignore[arg-type]
            raise
        future.add_done_callback(self._release)
        return future

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the pool, waited for (from a thread that is not the event loop)."""
        return self.submit(fn, *args).result()

    async def run_async(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the pool, awaited without holding a thread of the event loop's pool."""
        return await asyncio.wrap_future(self.submit(fn, *args))

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class Accounts:
    """Users, tokens and devices of one hub.

    Args:
        db: the hub database.
        config: the hub configuration (token lifetimes, argon2 cost, throttling, clock).
    """

    def __init__(self, db: Database, config: HubConfig) -> None:
        self.db = db
        self.config = config
        self.hasher = PasswordHasher(
            time_cost=config.argon2_time_cost,
            memory_cost=config.argon2_memory_cost,
            parallelism=config.argon2_parallelism,
            type=Type.ID,
        )
        self.hashing = HashPool(config.hash_workers, config.hash_queue)
        self._warned: dict[str, float] = {}  # throttled key → when it was last logged (monotonic)
        # made now, on the pool, so the first unknown username costs one hash like any other attempt
        self.hashing.submit(lambda: self._dummy_hash)

    def close(self) -> None:
        """Stop the hashing threads."""
        self.hashing.close()

    @property
    def _skew(self) -> timedelta:
        return timedelta(seconds=self.config.clock_skew)

    @cached_property
    def _dummy_hash(self) -> str:
        # Verified against when the username is unknown, so both cases take the same time.
        return self.hasher.hash(secrets.token_hex(16))

    # -- users -------------------------------------------------------------------------------------
    def add_user(self, username: str, role: str, unit: str, password: str) -> Account:
        """Create a user.

        Raises:
            BadRequest: bad username, role, unit or a password shorter than 8 characters.
            Conflict: the username exists.
        """
        if not isinstance(username, str) or not USERNAME_RE.fullmatch(username):
            raise BadRequest(
                "bad_username",
                "Tên đăng nhập chỉ gồm chữ không dấu, số và . _ @ - (tối đa 64 ký tự).",
                "A username has only ASCII letters, digits and . _ @ - (at most 64 characters).",
            )
        check_account_unit(role, unit)
        self._check_password(password)
        pw_hash = self.hasher.hash(password)
        with self.db.begin() as conn:
            if role == "officer":
                _require_enabled_agency(conn, unit)
            if conn.execute(sa.select(t.users.c.username).where(t.users.c.username == username)).first():
                raise Conflict(
                    "user_exists",
                    f"Tài khoản {username} đã có.",
                    f"The account {username} already exists.",
                )
            conn.execute(
                t.users.insert().values(
                    username=username,
                    role=role,
                    unit=unit,
                    password_hash=pw_hash,
                    disabled=False,
                    created_at=iso(self.config.now()),
                )
            )
        logger.info("user %s added (%s, %s)", username, role, unit)
        return Account(username, role, unit)

    def get_user(self, username: str) -> Account:
        """The account of a username.

        Raises:
            NotFound: no such user.
        """
        with self.db.read() as conn:
            row = conn.execute(sa.select(t.users).where(t.users.c.username == username)).first()
        if row is None:
            raise _no_user(username)
        return Account(row.username, row.role, row.unit)

    def set_disabled(self, username: str, disabled: bool) -> int:
        """Lock (``disabled``) or unlock an account; locking revokes every token of every device.

        Returns:
            How many tokens were revoked.

        Raises:
            NotFound: no such user.
        """
        with self.db.begin() as conn:
            self._require_user(conn, username)
            conn.execute(t.users.update().where(t.users.c.username == username).values(disabled=disabled))
            revoked = self._revoke_tokens(conn, username) if disabled else 0
        logger.info(
            "user %s %s (%d tokens revoked)", username, "disabled" if disabled else "enabled", revoked
        )
        return revoked

    def set_password(self, username: str, password: str) -> int:
        """Give an account a new password; every device must sign in again (its tokens are revoked).

        Returns:
            How many tokens were revoked.

        Raises:
            BadRequest: a password shorter than the minimum.
            NotFound: no such user.
        """
        self._check_password(password)
        pw_hash = self.hasher.hash(password)
        with self.db.begin() as conn:
            self._require_user(conn, username)
            conn.execute(t.users.update().where(t.users.c.username == username).values(password_hash=pw_hash))
            conn.execute(t.login_failures.delete().where(t.login_failures.c.username == username))
            revoked = self._revoke_tokens(conn, username)
        logger.info("password of %s changed (%d tokens revoked)", username, revoked)
        return revoked

    @staticmethod
    def _require_user(conn: Connection, username: str) -> None:
        if conn.execute(sa.select(t.users.c.username).where(t.users.c.username == username)).first() is None:
            raise _no_user(username)

    @staticmethod
    def _revoke_tokens(conn: Connection, username: str) -> int:
        tok = t.tokens.c
        done = conn.execute(
            t.tokens.update().where(tok.username == username, tok.revoked == sa.false()).values(revoked=True)
        )
        return int(done.rowcount or 0)

    @staticmethod
    def _check_password(password: str) -> None:
        if len(password) < MIN_PASSWORD:
            raise BadRequest(
                "weak_password",
                f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.",
                f"The password needs at least {MIN_PASSWORD} characters.",
            )

    def list_users(self) -> list[dict]:
        with self.db.read() as conn:
            rows = conn.execute(sa.select(t.users).order_by(t.users.c.username)).all()
        return [
            {"username": r.username, "role": r.role, "unit": r.unit, "disabled": bool(r.disabled)}
            for r in rows
        ]

    # -- login -------------------------------------------------------------------------------------
    def login(
        self,
        username: str,
        password: str,
        device_id: str,
        device_name: str = "",
        app_version: str = "",
        address: str = "",
    ) -> dict:
        """Check a password and issue an access and a refresh token for the device.

        Args:
            address: the client's address (throttled as a whole); "" for none.

        Returns:
            ``{access_token, token_type, expires_in, refresh_token, refresh_expires_in, account}``.

        Raises:
            Throttled: too many recent failures for this username or address, or every hashing thread
                busy and the queue full (``login_busy``).
            Unauthorized: wrong username or password, or a disabled account.
        """
        now, row = self._login_start(username, address)
        checked = self.hashing.run(self._check_password_hash, row, password)
        return self._login_finish(now, username, row, checked, device_id, device_name, app_version, address)

    async def login_async(
        self,
        username: str,
        password: str,
        device_id: str,
        device_name: str = "",
        app_version: str = "",
        address: str = "",
    ) -> dict:
        """:meth:`login` for the HTTP API: the database work in the worker threads, the password hash on
        :attr:`hashing`, awaited without holding a worker thread.

        A failed attempt (wrong password, throttled, busy) is answered after ``login_failure_delay``
        seconds, awaited without holding a thread, so a client that retries at once (a password
        sprayer, a flood) costs the hub a few requests a second instead of as many as it can send.
        """
        try:
            now, row = await to_thread.run_sync(self._login_start, username, address)
            checked = await self.hashing.run_async(self._check_password_hash, row, password)
            return await to_thread.run_sync(
                self._login_finish, now, username, row, checked, device_id, device_name, app_version, address
            )
        except (Throttled, Unauthorized):
            if self.config.login_failure_delay > 0:
                await asyncio.sleep(self.config.login_failure_delay)
            raise

    async def verify_async(self, username: str, password: str, address: str = "") -> Account:
        """Check a password without issuing tokens (the province console's sign-in, ``dttshub.console``).

        The same throttling, failure counting, hashing pool and failure delay as :meth:`login_async`.

        Raises:
            Throttled: too many recent failures for this username or address, or the hashing pool full.
            Unauthorized: wrong username or password, or a disabled account.
        """
        try:
            now, row = await to_thread.run_sync(self._login_start, username, address)
            ok, _ = await self.hashing.run_async(self._check_password_hash, row, password)
            if row is None or not ok:
                await to_thread.run_sync(self._record_failure, username, address, now)
                logger.info("console sign-in failed for %s from %s", username, address or "-")
                raise _wrong_password()
            if row.disabled:
                raise Unauthorized("account_disabled", "Tài khoản đã bị khoá.", "The account is disabled.")
            await to_thread.run_sync(self._clear_failures, username)
            return Account(row.username, row.role, row.unit, "console")
        except (Throttled, Unauthorized):
            if self.config.login_failure_delay > 0:
                await asyncio.sleep(self.config.login_failure_delay)
            raise

    def _clear_failures(self, username: str) -> None:
        with self.db.begin() as conn:
            conn.execute(t.login_failures.delete().where(t.login_failures.c.username == username))

    def set_unit(self, username: str, unit: str) -> None:
        """Move an account to another unit (a commune for an officer, a province or ``*`` otherwise).

        Raises:
            BadRequest: the unit does not suit the account's role.
            NotFound: no such user.
        """
        current = self.get_user(username)
        check_account_unit(current.role, unit)
        with self.db.begin() as conn:
            if current.role == "officer":
                _require_enabled_agency(conn, unit)
            conn.execute(t.users.update().where(t.users.c.username == username).values(unit=unit))
            self._revoke_tokens(conn, username)
        logger.info("user %s moved to unit %s", username, unit)

    def _login_start(self, username: str, address: str) -> tuple[datetime, Any]:
        """The time of the attempt and the user's row (None: unknown); throttled attempts stop here."""
        now = self.config.now()
        self._check_throttle(username, address, now)
        if not isinstance(username, str) or not USERNAME_RE.fullmatch(username):
            # No account can have this name, and it must not count against a username key: refused
            # without a hash, which tells nothing about which accounts exist.
            self._record_failure(None, address, now)
            raise _wrong_password()
        with self.db.read() as conn:
            row = conn.execute(sa.select(t.users).where(t.users.c.username == username)).first()
        return now, row

    def _check_password_hash(self, row: Any, password: str) -> tuple[bool, str | None]:
        """(password right, new hash when the stored one has old parameters); on the hashing pool.

        An unknown user (``row`` None) is checked against a dummy hash: both cases take the same time.
        """
        ok = self._verify(row.password_hash if row is not None else self._dummy_hash, password)
        if row is None or not ok:
            return False, None
        return True, self.hasher.hash(password) if self.hasher.check_needs_rehash(row.password_hash) else None

    def _login_finish(
        self,
        now: datetime,
        username: str,
        row: Any,
        checked: tuple[bool, str | None],
        device_id: str,
        device_name: str,
        app_version: str,
        address: str,
    ) -> dict:
        ok, new_hash = checked
        if row is None or not ok:
            self._record_failure(username, address, now)
            logger.info("login failed for %s from %s", username, address or "-")
            raise _wrong_password()
        if row.disabled:
            raise Unauthorized("account_disabled", "Tài khoản đã bị khoá.", "The account is disabled.")
        access, refresh = self._new_token(), self._new_token(REFRESH_PREFIX)
        with self.db.begin() as conn:
            conn.execute(t.login_failures.delete().where(t.login_failures.c.username == username))
            self._purge_failures(conn, now)
            if new_hash:
                conn.execute(
                    t.users.update().where(t.users.c.username == username).values(password_hash=new_hash)
                )
            self._purge_tokens(conn, now)
            self._store_token(conn, access, "access", username, device_id, now, self.config.access_token_ttl)
            self._store_token(
                conn, refresh, "refresh", username, device_id, now, self.config.refresh_token_ttl
            )
            self.touch_device(
                conn, username, device_id, now, device_name=device_name, app_version=app_version
            )
        logger.info("login %s from device %s", username, device_id)
        account = Account(row.username, row.role, row.unit, device_id)
        return self._token_reply(access, refresh, account)

    def refresh(self, refresh_token: str, device_id: str | None) -> dict:
        """A new access token for a valid refresh token (whose lifetime starts again).

        A refresh token is bound to the device it was issued to: ``device_id`` must be that device.

        Raises:
            BadRequest: no ``device_id`` (absent, empty or not a string).
            Unauthorized: unknown, revoked or expired refresh token, another device, disabled account.
        """
        if not isinstance(device_id, str) or not device_id:
            raise BadRequest(
                "missing_field",
                "Yêu cầu thiếu trường 'device_id': phiên đăng nhập chỉ làm mới được trên máy đã đăng nhập.",
                "The request lacks the field 'device_id': a login session is refreshed only on the device "
                "that logged in.",
            )
        now = self.config.now()
        h = token_hash(refresh_token)
        with self.db.begin() as conn:
            row = conn.execute(
                sa.select(t.tokens, t.users.c.role, t.users.c.unit, t.users.c.disabled)
                .join(t.users, t.users.c.username == t.tokens.c.username)
                .where(t.tokens.c.token_hash == h)
            ).first()
            if row is None or row.kind != "refresh" or row.revoked:
                raise Unauthorized(
                    "refresh_invalid",
                    "Phiên đăng nhập không còn hợp lệ, hãy đăng nhập lại.",
                    "The login session is no longer valid; please log in again.",
                )
            if self._token_dead(row, now, self.config.refresh_token_ttl):
                raise Unauthorized(
                    "refresh_expired",
                    "Phiên đăng nhập đã hết hạn, hãy đăng nhập lại.",
                    "The login session has expired; please log in again.",
                )
            if device_id != row.device_id:
                raise Unauthorized(
                    "refresh_other_device",
                    "Phiên đăng nhập thuộc máy khác, hãy đăng nhập lại.",
                    "The login session belongs to another device; please log in again.",
                )
            if row.disabled:
                raise Unauthorized("account_disabled", "Tài khoản đã bị khoá.", "The account is disabled.")
            access = self._new_token()
            self._store_token(
                conn, access, "access", row.username, row.device_id, now, self.config.access_token_ttl
            )
            conn.execute(
                t.tokens.update()
                .where(t.tokens.c.token_hash == h)
                .values(expires_at=iso(now + timedelta(seconds=self.config.refresh_token_ttl)))
            )
            self.touch_device(conn, row.username, row.device_id, now)
        account = Account(row.username, row.role, row.unit, row.device_id)
        return self._token_reply(access, refresh_token, account)

    def authenticate(self, token: str | None) -> Account:
        """The account of a bearer access token.

        Raises:
            Unauthorized: missing, unknown, revoked or expired token, disabled account (``code`` says
                which).
        """
        if not token:
            raise Unauthorized(
                "token_missing",
                "Chưa đăng nhập: yêu cầu không có mã truy cập.",
                "Not logged in: the request has no access token.",
            )
        with self.db.read() as conn:
            row = conn.execute(
                sa.select(t.tokens, t.users.c.role, t.users.c.unit, t.users.c.disabled)
                .join(t.users, t.users.c.username == t.tokens.c.username)
                .where(t.tokens.c.token_hash == token_hash(token))
            ).first()
        if row is None or row.kind != "access":
            raise Unauthorized(
                "token_invalid",
                "Mã truy cập không hợp lệ, hãy đăng nhập lại.",
                "The access token is not valid; please log in again.",
            )
        if row.revoked:
            raise Unauthorized(
                "token_revoked", "Mã truy cập đã bị thu hồi.", "The access token has been revoked."
            )
        if self._token_dead(row, self.config.now(), self.config.access_token_ttl):
            raise Unauthorized(
                "token_expired",
                "Mã truy cập đã hết hạn, hãy làm mới hoặc đăng nhập lại.",
                "The access token has expired; refresh it or log in again.",
            )
        if row.disabled:
            raise Unauthorized("account_disabled", "Tài khoản đã bị khoá.", "The account is disabled.")
        return Account(row.username, row.role, row.unit, row.device_id)

    def touch_device(
        self,
        conn: Connection,
        username: str,
        device_id: str,
        now: datetime,
        device_name: str = "",
        app_version: str = "",
    ) -> None:
        """Register the device on first sight, update when it was last seen."""
        key = (t.devices.c.device_id == device_id) & (t.devices.c.username == username)
        row = conn.execute(sa.select(t.devices.c.device_name).where(key)).first()
        if row is None:
            self.db.insert_ignore(
                conn,
                t.devices,
                {
                    "device_id": device_id,
                    "username": username,
                    "device_name": device_name[:200],
                    "app_version": app_version[:40],
                    "first_seen": iso(now),
                    "last_seen": iso(now),
                },
                ["device_id", "username"],
            )
            return
        values: dict = {"last_seen": iso(now)}
        if device_name:
            values["device_name"] = device_name[:200]
        if app_version:
            values["app_version"] = app_version[:40]
        conn.execute(t.devices.update().where(key).values(**values))

    def devices(self, username: str | None = None) -> list[dict]:
        stmt = sa.select(t.devices).order_by(t.devices.c.username, t.devices.c.first_seen)
        if username:
            stmt = stmt.where(t.devices.c.username == username)
        with self.db.read() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]

    # -- internals ---------------------------------------------------------------------------------
    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _token_dead(self, row: Any, now: datetime, ttl: int) -> bool:
        """Whether a token has expired, or was issued (or refreshed) while the clock was ahead.

        A token lives until ``expires_at`` but never longer than ``ttl`` from now, and one issued
        further than the skew in the future is void: a clock set back after running ahead can
        neither keep a token alive for years nor revive one.
        """
        expires, issued = parse_iso(row.expires_at), parse_iso(row.created_at)
        if expires <= now:
            return True
        return issued > now + self._skew or expires > now + timedelta(seconds=ttl) + self._skew

    def _check_throttle(self, username: str, address: str, now: datetime) -> None:
        window = timedelta(seconds=self.config.login_failure_window)
        checks = [(username, self.config.login_max_failures)]
        if address:
            checks.append((ADDRESS_KEY + address, self.config.login_max_failures_per_address))
        fc = t.login_failures.c
        with self.db.read() as conn:
            for key, limit in checks:
                # Failures "in the future" were recorded while the clock was ahead: they do not count.
                recent = (
                    conn.execute(
                        sa.select(fc.at)
                        .where(
                            fc.username == key[:64],
                            fc.at > iso(now - window),
                            fc.at <= iso(now + self._skew),
                        )
                        .order_by(fc.at.desc())
                        .limit(limit)
                    )
                    .scalars()
                    .all()
                )
                if len(recent) < limit:
                    continue
                free_at = min(parse_iso(recent[limit - 1]), now) + window
                wait = max(1, math.ceil((free_at - now).total_seconds()))
                self._warn_throttled(key, wait)
                raise Throttled(
                    "too_many_attempts",
                    f"Đăng nhập sai quá nhiều lần. Hãy thử lại sau {math.ceil(wait / 60)} phút.",
                    f"Too many failed logins. Try again in {math.ceil(wait / 60)} minute(s).",
                    retry_after=wait,
                )

    def _warn_throttled(self, key: str, wait: int) -> None:
        """Log a throttled key at most once a minute, so that a flood does not flood the log too."""
        moment = time.monotonic()
        if moment - self._warned.get(key, -math.inf) < 60:
            return
        if len(self._warned) > 1000:
            self._warned.clear()
        self._warned[key] = moment
        logger.warning("login throttled for %s (%d s)", key, wait)

    def _record_failure(self, username: str | None, address: str, now: datetime) -> None:
        """Count a failed login against the username and the address; purge rows out of the window."""
        keys = [username[:64]] if username else []
        if address:
            keys.append((ADDRESS_KEY + address)[:64])
        with self.db.begin() as conn:
            self._purge_failures(conn, now)
            if keys:
                conn.execute(t.login_failures.insert(), [{"username": k, "at": iso(now)} for k in keys])

    def _purge_failures(self, conn: Connection, now: datetime) -> None:
        """Delete failure rows out of the window, or in the future (written while the clock was ahead)."""
        fc = t.login_failures.c
        window = timedelta(seconds=self.config.login_failure_window)
        conn.execute(
            t.login_failures.delete().where(sa.or_(fc.at <= iso(now - window), fc.at > iso(now + self._skew)))
        )

    @staticmethod
    def _new_token(prefix: str = ACCESS_PREFIX) -> str:
        return prefix + secrets.token_urlsafe(32)

    def _store_token(
        self, conn: Connection, token: str, kind: str, username: str, device_id: str, now: datetime, ttl: int
    ) -> None:
        conn.execute(
            t.tokens.insert().values(
                token_hash=token_hash(token),
                kind=kind,
                username=username,
                device_id=device_id,
                created_at=iso(now),
                expires_at=iso(now + timedelta(seconds=ttl)),
                revoked=False,
            )
        )

    def _purge_tokens(self, conn: Connection, now: datetime) -> None:
        """Delete tokens expired for a day, and tokens issued while the clock was ahead (void)."""
        tc = t.tokens.c
        longest = timedelta(seconds=max(self.config.access_token_ttl, self.config.refresh_token_ttl))
        conn.execute(
            t.tokens.delete().where(
                sa.or_(
                    tc.expires_at < iso(now - timedelta(days=1)),
                    tc.created_at > iso(now + self._skew),
                    tc.expires_at > iso(now + longest + self._skew),
                )
            )
        )

    def _token_reply(self, access: str, refresh: str, account: Account) -> dict:
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.config.access_token_ttl,
            "refresh_token": refresh,
            "refresh_expires_in": self.config.refresh_token_ttl,
            "account": account.to_json(self.unit_name(account.unit)),
        }

    def unit_name(self, unit: str) -> str | None:
        """The name of an agency (from the ``units`` table), None for any other unit."""
        if not is_agency_code(unit):
            return None
        with self.db.read() as conn:
            return conn.execute(sa.select(t.units.c.name).where(t.units.c.code == unit)).scalar()


def _require_enabled_agency(conn, unit: str) -> None:
    """Raise :class:`BadRequest` when ``unit`` is an agency code the hub does not have enabled."""
    if not is_agency_code(unit):
        return
    agency = conn.execute(sa.select(t.units).where(t.units.c.code == unit)).first()
    if agency is None or agency.disabled:
        raise BadRequest(
            "bad_unit",
            f"Không có cơ quan mã {unit} đang hoạt động; thêm nó trước (dttshub unit add).",
            f"There is no enabled agency {unit}; add it first (dttshub unit add).",
        )
