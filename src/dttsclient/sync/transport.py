"""The HTTP client of the hub: one ``requests.Session``, timeouts, retries, gzip, and what counts as a reply.

This module knows HTTP and docs/sync-protocol.md's "Transport" section, not the endpoints (see
:mod:`dttsclient.sync.api`). Its rules:

* Every call uses ``timeout=(connect, stall)`` — 15 s to connect and 60 s without a byte — never a total
  timeout: a slow 2G link that keeps moving is allowed to take its time. ``ping`` (the probe every sync
  and sign-in starts with) waits 10 s for its tiny reply and, in a sync the officer started, is not asked
  again when it gets none, so a hub that is gone is said within 20 s (as
  :class:`~dttsclient.sync.errors.Unreachable`, whatever made the probe fail).
* A connection that cannot be made (refused, name not found, no route, connect timeout) is never
  retried: it raises :class:`~dttsclient.sync.errors.Unreachable` at once, and the officer hears it
  plainly. Only transient faults are retried — a reply cut or a stall in the middle of a transfer, 502,
  503, 504, and 429 with a ``Retry-After`` — with exponential backoff and jitter. How long: a sync the
  officer started uses :meth:`RetryPolicy.interactive` (one retry, a second or two); the background sync
  uses the patient default (2, 4, 8 … s, capped at 5 minutes). The retries are one explicit loop in
  :meth:`Transport.request` over the :class:`RetryPolicy` (attempts, backoff, the statuses and errors worth
  another attempt, ``Retry-After``); urllib3's own retries are off (``max_retries=0`` on the session's one
  adapter: one connection pool, so one TLS handshake serves a whole sync). POST is retried like GET:
  every hub endpoint is idempotent by design — ``submissions:batch`` deduplicates by ``submission_id``.
  Every wait goes through :meth:`Transport.wait`, which a
  :class:`threading.Event` cancels at once (Dừng, or the window closing), raising
  :class:`~dttsclient.sync.errors.Cancelled`.
* Cancelling interrupts the network too: connections are made in 0.1 s slices that check the cancel
  token, and when the token is a :class:`CancelEvent` setting it shuts down every socket of the
  transport, so a request blocked on a silent hub returns at once (the TLS handshake itself, bounded by
  the connect timeout, is the one step that is not interrupted).
* Login and token refresh are not retried on 429: the hub throttles repeated passwords and the officer
  must hear "wait N minutes", not watch a spinner. ``submissions:batch`` is not retried on a stall timeout:
  the engine halves the batch instead.
* Request bodies over 512 B are gzip-compressed. Redirects are never followed (a captive portal's 302 is
  "no connection"). TLS is verified; the province's CA bundle can be given.
* A reply counts only if it is 2xx, ``application/json``, parses to an object and carries the expected
  ``server_id``. Anything else raises a :class:`~dttsclient.sync.errors.NoConnection`.
"""

from __future__ import annotations

import contextlib
import email.utils
import errno
import gzip
import json
import logging
import random
import selectors
import socket
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
)

from dttsclient import __version__
from dttsclient.sync.errors import (
    AuthRequired,
    BadServerAddress,
    Cancelled,
    CertificateProblem,
    ClientTooOld,
    LoginPageInTheWay,
    NoConnection,
    Offline,
    RequestRefused,
    RequestTooLarge,
    ServerError,
    StallTimeout,
    Throttled,
    Unreachable,
    WrongServer,
)

logger = logging.getLogger(__name__)

API_PREFIX = "api/v1/"
CONNECT_TIMEOUT = 15.0
STALL_TIMEOUT = 60.0
PROBE_TIMEOUT = 10.0
GZIP_THRESHOLD = 512  # issue 18: a compact revision (~700 B of JSON) compresses to ~60 %
#: the replies that say "come back in a moment" (a 500 is the hub's bug: asking again does not help)
RETRY_STATUSES = frozenset({429, 502, 503, 504})
CONNECT_SLICE = 0.1

WaitCallback = Callable[[float, str], None]


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter.

    Attributes:
        base: the first wait in seconds (2 in production; tests use 0.01).
        cap: the longest wait between two attempts (5 minutes).
        max_retries: how many times one request is retried before giving up.
        jitter: random extra wait, as a fraction of the wait (0.25 = up to 25 % more).
        retry_after_cap: the longest ``Retry-After`` honoured (a longer one is waited for this long).
        retry_after_limit: a reply whose ``Retry-After`` asks for longer than this is not retried at all
            (the officer hears "wait N minutes" instead of watching a spinner); None: no limit.
        retry_silent_probe: retry a ``ping`` that got no reply within the probe timeout (the background
            sync does; the officer's sync does not, so a silent hub is said within 20 s).
        statuses: the replies that say "come back in a moment" (:data:`RETRY_STATUSES`).
    """

    base: float = 2.0
    cap: float = 300.0
    max_retries: int = 8
    jitter: float = 0.25
    retry_after_cap: float = 300.0
    retry_after_limit: float | None = None
    retry_silent_probe: bool = True
    statuses: frozenset[int] = RETRY_STATUSES

    @classmethod
    def interactive(cls) -> RetryPolicy:
        """The policy of a sync the officer started: one short retry, so the answer comes in seconds, and a
        probe (``ping``) that gets no reply within its timeout is not asked again (the hub is gone)."""
        return cls(
            base=1.0,
            cap=2.0,
            max_retries=1,
            jitter=0.25,
            retry_after_cap=5.0,
            retry_after_limit=5.0,
            retry_silent_probe=False,
        )

    def delay(self, attempt: int) -> float:
        """The wait before retry number ``attempt`` (1, 2, 3 …): base, 2·base, 4·base … plus jitter."""
        delay = min(self.cap, self.base * (2 ** max(0, attempt - 1)))
        if self.jitter:
            delay += random.uniform(0, self.jitter * delay)
        return min(self.cap, delay)

    def wait_after_reply(self, status: int, retry_after: str | None, attempt: int) -> float | None:
        """The wait before asking again after a reply with ``status``, or None: the reply is the answer.

        Args:
            status: the reply's HTTP status.
            retry_after: its ``Retry-After`` header, as sent (None: absent).
            attempt: the number of this failed attempt (1 for the first).

        A status outside :attr:`statuses` is the answer, and so is a 429 that does not say when to come
        back (asking again at once does not help) or whose ``Retry-After`` is longer than
        :attr:`retry_after_limit`. A readable ``Retry-After`` is waited (at most :attr:`retry_after_cap`);
        otherwise the backoff (:meth:`delay`).
        """
        if status not in self.statuses or attempt > self.max_retries:
            return None
        if status == 429 and not retry_after:
            return None
        asked = parse_retry_after(retry_after)
        if asked is None:
            return self.delay(attempt)
        if self.retry_after_limit is not None and asked > self.retry_after_limit:
            return None
        return min(asked, self.retry_after_cap)

    def retries_error(self, error: NoConnection, attempt: int, *, stalls: bool, probe: bool) -> bool:
        """Whether a request that failed with ``error`` is sent again.

        Args:
            error: what the attempt raised.
            attempt: the number of this failed attempt (1 for the first).
            stalls: the endpoint retries a stall (not ``submissions:batch``, which the engine halves).
            probe: the request is the reachability probe (``ping``).

        A connection that cannot be made (:class:`~dttsclient.sync.errors.Unreachable`) and a certificate
        problem are said at once; a stall is retried where the endpoint allows it (a silent probe only
        when :attr:`retry_silent_probe`); any other cut or reset connection is retried.
        """
        if attempt > self.max_retries or isinstance(error, Unreachable) or not isinstance(error, Offline):
            return False
        if isinstance(error, StallTimeout):
            return stalls and (self.retry_silent_probe or not probe)
        return True


@dataclass(frozen=True)
class TransportConfig:
    """How the transport talks to the hub.

    Attributes:
        connect_timeout: seconds to establish a connection.
        stall_timeout: seconds without receiving a byte before giving up (not a total timeout).
        retry: the retry policy.
        ca_bundle: path of the province's CA certificate file (PEM); ``None`` uses the system's store.
        gzip_threshold: request bodies larger than this many bytes are gzip-compressed.
        probe_timeout: seconds to wait for the reply of ``ping`` (tiny, answered at once by a live hub).
    """

    connect_timeout: float = CONNECT_TIMEOUT
    stall_timeout: float = STALL_TIMEOUT
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    ca_bundle: str | None = None
    gzip_threshold: int = GZIP_THRESHOLD
    probe_timeout: float = PROBE_TIMEOUT

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.connect_timeout, self.stall_timeout)

    @classmethod
    def interactive(cls) -> TransportConfig:
        """Settings for a sync or sign-in the officer is watching (see :meth:`RetryPolicy.interactive`)."""
        return cls(retry=RetryPolicy.interactive())


class CancelEvent(threading.Event):
    """A :class:`threading.Event` that also runs callbacks when set (from the thread that sets it).

    A transport given one registers a callback that shuts its sockets down, so Dừng interrupts a request
    that waits on a silent hub, not only the waits between retries.
    """

    def __init__(self) -> None:
        super().__init__()
        self._callbacks: list[Callable[[], None]] = []
        self._cb_lock = threading.Lock()

    def add_callback(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` when the event is set (at once when it already is)."""
        with self._cb_lock:
            if not self.is_set():
                self._callbacks.append(callback)
                return
        callback()

    def remove_callback(self, callback: Callable[[], None]) -> None:
        with self._cb_lock:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

    def set(self) -> None:
        with self._cb_lock:
            super().set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            try:
                callback()
            except Exception:  # a cancel must never fail in the GUI thread
                logger.exception("cancel callback failed")


@dataclass
class WireStats:
    """What went over the wire through one transport (headers are counted as sent/received)."""

    round_trips: int = 0
    bytes_up: int = 0
    bytes_down: int = 0

    def snapshot(self) -> WireStats:
        return WireStats(self.round_trips, self.bytes_up, self.bytes_down)

    def since(self, before: WireStats) -> WireStats:
        return WireStats(
            self.round_trips - before.round_trips,
            self.bytes_up - before.bytes_up,
            self.bytes_down - before.bytes_down,
        )


@dataclass(frozen=True)
class Reply:
    """A reply that counts: its status, headers and parsed JSON body (``None`` for 304)."""

    status: int
    headers: Mapping[str, str]
    data: dict[str, Any] | None
    elapsed: float


class _Sockets:
    """The transport's sockets, so that a cancel from another thread can shut them down."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._socks: weakref.WeakSet[socket.socket] = weakref.WeakSet()

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self._socks.add(sock)

    def discard(self, sock: socket.socket) -> None:
        with self._lock:
            self._socks.discard(sock)

    def shutdown_all(self) -> None:
        """Shut every socket down: a thread blocked reading one returns at once (the fd stays open for
        its owner to close)."""
        with self._lock:
            socks = list(self._socks)
        for sock in socks:
            with contextlib.suppress(OSError):  # not connected yet, already closed, detached by TLS
                sock.shutdown(socket.SHUT_RDWR)


def _connect(
    address: tuple[str, int],
    timeout: Any,
    cancel: threading.Event,
    sockets: _Sockets,
    source_address: Any = None,
    socket_options: Any = None,
) -> socket.socket:
    """``socket.create_connection`` in slices of 0.1 s, stopping as soon as ``cancel`` is set.

    Raises:
        Cancelled: the cancel token was set while connecting.
        TimeoutError: no connection within ``timeout``.
        OSError: refused, no route, name not found (``socket.gaierror``).
    """
    host, port = address
    limit = float(timeout) if isinstance(timeout, (int, float)) else None
    deadline = None if limit is None else time.monotonic() + limit
    error: OSError | None = None
    for family, kind, proto, _name, target in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
        if cancel.is_set():
            raise Cancelled()
        sock = socket.socket(family, kind, proto)
        sockets.add(sock)
        try:
            for option in socket_options or ():
                sock.setsockopt(*option)
            if source_address:
                sock.bind(source_address)
            _connect_in_slices(sock, target, deadline, cancel)
            sock.settimeout(limit)
            return sock
        except OSError as exc:
            error = exc
            sockets.discard(sock)
            sock.close()
        except BaseException:
            sockets.discard(sock)
            sock.close()
            raise
    raise error or OSError(f"no address for {host}")


def _connect_in_slices(
    sock: socket.socket, target: Any, deadline: float | None, cancel: threading.Event
) -> None:
    sock.setblocking(False)
    code = sock.connect_ex(target)
    if code == 0:
        return
    if code not in (errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EALREADY, 10035):  # 10035: WSAEWOULDBLOCK
        raise OSError(code, errno.errorcode.get(code, str(code)))
    with selectors.DefaultSelector() as selector:
        selector.register(sock, selectors.EVENT_WRITE)
        while True:
            if cancel.is_set():
                raise Cancelled()
            left = CONNECT_SLICE if deadline is None else min(CONNECT_SLICE, deadline - time.monotonic())
            if left <= 0:
                raise TimeoutError("timed out")
            if selector.select(left):
                code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if code:
                    raise OSError(code, errno.errorcode.get(code, str(code)))
                return


def _connection_classes(cancel: threading.Event, sockets: _Sockets) -> dict[str, type[HTTPConnectionPool]]:
    """Pools whose connections connect through :func:`_connect` and register their sockets."""

    class _Mixin:
        def _new_conn(self) -> socket.socket:
            conn: Any = self
            try:
                return _connect(
                    (conn._dns_host, conn.port),
                    conn.timeout,
                    cancel,
                    sockets,
                    source_address=conn.source_address,
                    socket_options=conn.socket_options,
                )
            except socket.gaierror as e:
                raise NameResolutionError(conn.host, conn, e) from e
            except TimeoutError as e:
                raise ConnectTimeoutError(conn, f"Connection to {conn.host} timed out.") from e
            except OSError as e:
                raise NewConnectionError(conn, f"Failed to establish a new connection: {e}") from e

        def connect(self) -> None:
            super().connect()  # type: ignore[misc]
            sock = getattr(self, "sock", None)
            if sock is not None:
                sockets.add(sock)  # the TLS socket replaces the plain one
            if cancel.is_set():
                raise Cancelled()

    class _Conn(_Mixin, HTTPConnection):
        pass

    class _TLSConn(_Mixin, HTTPSConnection):
        pass

    class _Pool(HTTPConnectionPool):
        ConnectionCls = _Conn

    class _TLSPool(HTTPSConnectionPool):
        ConnectionCls = _TLSConn

    return {"http": _Pool, "https": _TLSPool}


class _Watcher:
    """For a plain :class:`threading.Event` (no callbacks): a thread that watches it during one request
    and shuts the transport's sockets down when it is set."""

    def __init__(self, cancel: threading.Event, sockets: _Sockets) -> None:
        self._done = threading.Event()
        self._cancel = cancel
        self._sockets = sockets
        self._thread = threading.Thread(target=self._run, name="dtts-cancel-watch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.is_set():
            if self._cancel.wait(CONNECT_SLICE):
                self._sockets.shutdown_all()
                return

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


class _Adapter(HTTPAdapter):
    """requests' adapter with the cancellable pools of :func:`_connection_classes`."""

    def __init__(self, pools: dict[str, type[HTTPConnectionPool]], **kwargs: Any) -> None:
        self._pools = pools
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(self._pools)


class Transport:
    """The one HTTP session of a profile with the hub.

    Args:
        server_url: the hub's base address, e.g. ``https://dtts.example.gov.vn/`` (the API lives under
            ``api/v1/``).
        device_id: this profile's device ID (``X-Device-Id``).
        server_id: the hub's ``server_id`` recorded in the profile; ``None`` for a fresh profile (then
            any ``server_id`` is accepted and :attr:`seen_server_id` tells what the hub said).
        token: the device's access token (Bearer), if signed in.
        config: timeouts, retry policy, CA bundle.
        cancel: the cancel token; setting it stops any wait at once (and, for a :class:`CancelEvent`,
            shuts the transport's sockets so a request in flight returns at once too).
        on_wait: called with (seconds, reason) before each wait between retries (for the progress line).
    """

    #: paths whose stall timeout is not retried (the engine halves the batch instead)
    NO_STALL_RETRY = ("submissions:batch",)
    #: paths whose 429 is not retried (a throttled login must reach the officer at once)
    NO_THROTTLE_RETRY = ("/auth/",)
    #: the reachability check: the short probe timeout; whatever fails it is said as Unreachable
    PROBE_PATHS = ("/ping",)

    def __init__(
        self,
        server_url: str,
        device_id: str,
        *,
        server_id: str | None = None,
        token: str | None = None,
        config: TransportConfig | None = None,
        cancel: threading.Event | None = None,
        on_wait: WaitCallback | None = None,
    ) -> None:
        if not server_url.endswith("/"):
            server_url += "/"
        self.server_url = server_url
        self.device_id = device_id
        self.server_id = server_id
        self.seen_server_id: str | None = None
        self.token = token
        self.config = config or TransportConfig()
        self.cancel_event = cancel or threading.Event()
        self.on_wait = on_wait
        self.stats = WireStats()
        self.session = requests.Session()
        self.session.headers.update(
            {
                "User-Agent": f"dttsclient/{__version__}",
                "X-Device-Id": device_id,
                "Accept-Encoding": "gzip",  # the hub compresses with gzip only
            }
        )
        # Bytes on every request over 2G (issue 18): HTTP/1.1 keeps the connection open anyway, and every
        # reply that counts is JSON whatever the request accepts (a reply is checked, see above).
        self.session.headers.pop("Connection", None)
        self.session.headers.pop("Accept", None)
        self.session.verify = self.config.ca_bundle or True
        self._sockets = _Sockets()
        adapter = _Adapter(
            _connection_classes(self.cancel_event, self._sockets),
            max_retries=0,  # the retries are request()'s own loop
            pool_connections=1,
            pool_maxsize=2,
        )
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        add_callback = getattr(self.cancel_event, "add_callback", None)
        self._notifies = callable(add_callback)
        if callable(add_callback):
            add_callback(self._sockets.shutdown_all)

    # -- lifecycle ------------------------------------------------------------------------------------
    def close(self) -> None:
        remove = getattr(self.cancel_event, "remove_callback", None)
        if callable(remove):
            remove(self._sockets.shutdown_all)
        self.session.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def cancel(self) -> None:
        """Stop the current wait or request (and the sync) as soon as possible."""
        self.cancel_event.set()
        self._sockets.shutdown_all()

    def check_cancelled(self) -> None:
        if self.cancel_event.is_set():
            raise Cancelled()

    def wait(self, seconds: float, reason: str = "") -> None:
        """Wait ``seconds`` before a retry; raises Cancelled at once when the cancel token is set."""
        self.check_cancelled()
        if self.on_wait is not None and seconds > 0:
            self.on_wait(seconds, reason)
        logger.info("waiting %.2f s before retrying (%s)", seconds, reason)
        if self.cancel_event.wait(max(0.0, seconds)):
            raise Cancelled()

    # -- requests -------------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        # not urljoin: "submissions:batch" would read as a URL scheme
        return self.server_url + API_PREFIX + path.lstrip("/")

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
        allow_not_modified: bool = False,
    ) -> Reply:
        """Send one request to the hub and return a reply that counts.

        Args:
            method: "GET" or "POST".
            path: relative to ``api/v1/``, e.g. ``"ping"``, ``"submissions:batch"``.
            body: JSON-able body (gzip-compressed when its JSON is over the threshold).
            params: query parameters.
            headers: extra headers (e.g. ``If-None-Match``).
            auth: send the Bearer token when there is one.
            allow_not_modified: a 304 is a valid reply (``data`` is None).

        Raises:
            NoConnection: network failure, a reply that is not the hub's (login page, HTML, other
                ``server_id``).
            AuthRequired, Throttled, ServerError, RequestTooLarge, ClientTooOld, RequestRefused: the hub
                said so.
            Cancelled: the cancel token was set.
        """
        data: bytes | None = None
        hdrs: dict[str, str] = dict(headers or {})
        if body is not None:
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
            if len(data) > self.config.gzip_threshold:
                data = gzip.compress(data, compresslevel=6, mtime=0)
                hdrs["Content-Encoding"] = "gzip"
        if auth and self.token:
            hdrs["Authorization"] = f"Bearer {self.token}"
        url = self.url(path)
        policy = self.config.retry
        route = "/" + path.lstrip("/")
        probe = any(route.endswith(p) for p in self.PROBE_PATHS)
        stalls = not any(p in route for p in self.NO_STALL_RETRY)
        throttle = not any(p in route for p in self.NO_THROTTLE_RETRY)
        timeout = (self.config.connect_timeout, self.config.probe_timeout) if probe else self.config.timeout
        attempt = 0
        while True:
            self.check_cancelled()
            attempt += 1
            started = time.monotonic()
            try:
                resp = self._send(method, url, data, params, hdrs, timeout)
            except (_BodyFailed, Offline) as exc:
                self.check_cancelled()
                error = exc.error if isinstance(exc, _BodyFailed) else exc
                if not policy.retries_error(error, attempt, stalls=stalls, probe=probe):
                    if probe and not isinstance(error, Unreachable):
                        # the probe got no answer (silence, a cut): the hub cannot be reached
                        raise Unreachable(self.server_url, error.detail) from exc
                    if isinstance(exc, _BodyFailed):
                        raise error from exc.__cause__
                    raise
                self.wait(policy.delay(attempt), "reply cut" if isinstance(exc, _BodyFailed) else "network")
                continue
            elapsed = time.monotonic() - started
            if resp.status_code != 429 or throttle:
                pause = policy.wait_after_reply(resp.status_code, resp.headers.get("Retry-After"), attempt)
                if pause is not None:
                    resp.close()
                    self.wait(pause, f"HTTP {resp.status_code}")
                    continue
            return self._judge(resp, elapsed, allow_not_modified)

    def _send(
        self,
        method: str,
        url: str,
        data: bytes | None,
        params: Mapping[str, str] | None,
        hdrs: dict[str, str],
        timeout: tuple[float, float] | None = None,
    ) -> requests.Response:
        watcher = None if self._notifies else _Watcher(self.cancel_event, self._sockets)
        try:
            resp = self._send_once(method, url, data, params, hdrs, timeout)
        except Cancelled:
            raise
        except Exception as exc:
            if self.cancel_event.is_set():  # the failure is the cancel shutting the socket down
                raise Cancelled() from exc
            raise
        finally:
            if watcher is not None:
                watcher.stop()
        return resp

    def _send_once(
        self,
        method: str,
        url: str,
        data: bytes | None,
        params: Mapping[str, str] | None,
        hdrs: dict[str, str],
        timeout: tuple[float, float] | None,
    ) -> requests.Response:
        try:
            resp = self.session.request(
                method,
                url,
                data=data,
                params=params,
                headers=hdrs,
                timeout=timeout or self.config.timeout,
                # explicit: requests lets $REQUESTS_CA_BUNDLE override session.verify, which would
                # silently drop the province's CA bundle
                verify=self.session.verify,
                allow_redirects=False,
                stream=True,
            )
        except Cancelled:
            raise
        except requests.exceptions.SSLError as exc:
            self.stats.round_trips += 1
            raise CertificateProblem(str(exc)) from exc
        except requests.exceptions.ConnectTimeout as exc:
            self.stats.round_trips += 1
            raise Unreachable(self.server_url, f"connect timeout: {exc}") from exc
        except requests.exceptions.ReadTimeout as exc:
            self.stats.round_trips += 1
            raise StallTimeout(str(exc)) from exc
        except requests.exceptions.ConnectionError as exc:
            self.stats.round_trips += 1
            if _is_read_timeout(exc):
                raise StallTimeout(str(exc)) from exc
            if _is_connect_error(exc):
                raise Unreachable(self.server_url, str(exc)) from exc
            raise Offline(str(exc)) from exc
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.InvalidSchema,
            requests.exceptions.MissingSchema,
        ) as exc:
            raise BadServerAddress(self.server_url) from exc
        except requests.exceptions.RequestException as exc:  # e.g. a malformed header from a middlebox
            self.stats.round_trips += 1
            raise Offline(f"{type(exc).__name__}: {exc}") from exc
        self.stats.round_trips += 1
        self.stats.bytes_up += _request_size(resp.request)
        try:
            resp.content  # noqa: B018 - reads the whole body under the stall timeout
        except requests.exceptions.RequestException as exc:
            self.stats.bytes_down += _head_size(resp) + _raw_bytes(resp)
            resp.close()
            error: NoConnection = StallTimeout(str(exc)) if _is_read_timeout(exc) else Offline(str(exc))
            failed = _BodyFailed(error)
            raise failed from exc
        self.stats.bytes_down += _head_size(resp) + _raw_bytes(resp)
        return resp

    def _judge(self, resp: requests.Response, elapsed: float, allow_not_modified: bool) -> Reply:
        status = resp.status_code
        payload = _json_body(resp)
        if payload is not None and payload.get("server_id") is not None:
            self._check_server_id(payload.get("server_id"))
        if 200 <= status < 300:
            if payload is None:
                raise LoginPageInTheWay(
                    f"HTTP {status} {resp.headers.get('Content-Type')!r}: not the hub's JSON"
                )
            if payload.get("server_id") is None:
                raise LoginPageInTheWay(f"HTTP {status} JSON without server_id")
            return Reply(status, resp.headers, payload, elapsed)
        if status == 304 and allow_not_modified:
            return Reply(status, resp.headers, None, elapsed)
        error = (payload or {}).get("error")
        error = error if isinstance(error, dict) else {}
        code = str(error.get("code") or "")
        if status == 426:
            raise ClientTooOld((payload or {}).get("min_client_version"), code)
        if status == 413:
            raise RequestTooLarge(code or f"HTTP {status}")
        if status == 429:
            raise Throttled(_retry_after(resp), code)
        if status >= 500:
            raise ServerError(status, code)
        if payload is None or payload.get("server_id") is None:
            # a redirect to a captive portal, a proxy's error page, an HTML 401/403 …
            raise LoginPageInTheWay(f"HTTP {status} {resp.headers.get('Content-Type')!r}")
        if status == 401:
            raise AuthRequired(code or "unauthorized")
        raise RequestRefused(status, error.get("message_vi"), error.get("message_en"))

    def _check_server_id(self, got: Any) -> None:
        got = None if got is None else str(got)
        if self.server_id is None:
            self.seen_server_id = got
            return
        if got != self.server_id:
            raise WrongServer(self.server_id, got)
        self.seen_server_id = got


class _BodyFailed(Exception):
    """Internal: the reply's body could not be read (cut or reset mid-body); the request loop decides."""

    def __init__(self, error: NoConnection) -> None:
        super().__init__(str(error))
        self.error = error


def _is_read_timeout(exc: BaseException) -> bool:
    seen: set[int] = set()
    todo: list[Any] = [exc]
    while todo:
        cur = todo.pop()
        if cur is None or id(cur) in seen:
            continue
        seen.add(id(cur))
        if isinstance(cur, (ReadTimeoutError, requests.exceptions.ReadTimeout)):
            return True
        todo.extend([getattr(cur, "reason", None), cur.__cause__, cur.__context__])
        todo.extend(a for a in getattr(cur, "args", ()) if isinstance(a, BaseException))
    return False


def _is_connect_error(exc: BaseException) -> bool:
    """True when no connection could be made (refused, no route, name not found, connect timeout)."""
    seen: set[int] = set()
    todo: list[Any] = [exc]
    while todo:
        cur = todo.pop()
        if cur is None or id(cur) in seen:
            continue
        seen.add(id(cur))
        if isinstance(cur, (NewConnectionError, ConnectTimeoutError)):
            return True
        todo.extend([getattr(cur, "reason", None), cur.__cause__, cur.__context__])
        todo.extend(a for a in getattr(cur, "args", ()) if isinstance(a, BaseException))
    return False


def _json_body(resp: requests.Response) -> dict[str, Any] | None:
    ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        return None
    try:
        data = json.loads(resp.content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # deep nesting: not a reply
        return None
    return data if isinstance(data, dict) else None


def _retry_after(resp: requests.Response) -> float | None:
    return parse_retry_after(resp.headers.get("Retry-After"))


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: a number of seconds or an HTTP date (None: absent
    or unreadable; a moment already past is 0)."""
    if value is None or not value.strip():
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _request_size(req: requests.PreparedRequest) -> int:
    head = f"{req.method} {req.path_url} HTTP/1.1\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in req.headers.items()) + "\r\n"
    body = req.body or b""
    return len(head.encode("latin-1", "replace")) + len(
        body if isinstance(body, bytes) else str(body).encode()
    )


def _head_size(resp: requests.Response) -> int:
    head = f"HTTP/1.1 {resp.status_code} {resp.reason}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in resp.headers.items()) + "\r\n"
    return len(head.encode("latin-1", "replace"))


def _raw_bytes(resp: requests.Response) -> int:
    """Body bytes as they came over the wire (before any Content-Encoding was undone)."""
    tell = getattr(resp.raw, "tell", None)
    return int(tell()) if callable(tell) else 0
