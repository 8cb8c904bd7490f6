"""A small threaded HTTP/1.1-aware TCP proxy that sits on 127.0.0.1 in front of a real hub and misbehaves.

It reads each request whole, decides what to do from its list of faults, and (unless the fault says
otherwise) forwards it to the hub, reads the hub's whole reply and passes it back. Faults:

=============  ==============================================================================================
``pass``       forward as is
``drop``       close the client's connection at once, without forwarding (a refused/closed connection)
``cut``        forward, then send the reply's head and only part of its body, then close (FIN)
``reset``      like ``cut`` but close with an RST (``SO_LINGER`` 0) in the middle of the body
``lost_reply`` forward (the hub commits), read the whole reply, close without sending a byte of it
``hold``       like ``lost_reply``, but keep the connection open until :meth:`FaultProxy.release` or close;
               :attr:`FaultProxy.held` is set while a reply is held (kill a client at that moment)
``login_page`` answer ``200 text/html`` with a Wi-Fi login page, never forwarding
``redirect``   answer ``302`` to a captive portal's address, never forwarding
``html200``    answer ``200 text/html`` with a proxy's HTML page, never forwarding
``json200``    answer ``200 application/json`` ``{"status": "ok"}`` (a proxy's JSON, no server_id)
``status``     answer with ``status`` (e.g. 502, 503, 429 with ``retry_after``), never forwarding
``slow``       forward, shaping the link (same as :meth:`FaultProxy.shape`); with ``path`` or ``times``
               only the matching requests are slowed (each by itself: ``latency`` seconds each way
               and ``bandwidth`` bytes per second), the rest of the link stays as it is
``rewrite``    forward, then pass back the reply with its body changed by ``rewrite(body) -> body``
               (corruption: a missing result, a wrong field …)
=============  ==============================================================================================

A fault can be limited to requests whose target contains ``path`` and to the next ``times`` matching
requests; when several are set, the first that matches wins. Link shaping (``bandwidth`` in bytes per
second and ``latency`` in seconds added in each direction) applies to everything that goes through.

The proxy counts connections, requests (round trips) and bytes each way (as the client sees them), and
keeps a record of each request. Every loop is bounded: sockets poll with short timeouts, a connection
idle for ``idle_timeout`` is closed, and the whole proxy stops by itself after ``lifetime`` seconds.
:meth:`FaultProxy.close` stops it and joins its threads.

Example::

    with FaultProxy(hub.url) as proxy:
        proxy.fault("lost_reply", path="submissions:batch", times=1)
        sync_through(proxy.url)
        assert proxy.stats.requests == 4
"""

from __future__ import annotations

import contextlib
import gzip
import json
import select
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

MODES = (
    "pass",
    "drop",
    "cut",
    "reset",
    "lost_reply",
    "hold",
    "login_page",
    "redirect",
    "html200",
    "json200",
    "status",
    "slow",
    "rewrite",
)

LOGIN_PAGE = (
    "<!DOCTYPE html><html><head><title>Đăng nhập Wi-Fi</title></head><body>"
    "<h1>Chào mừng quý khách — Welcome</h1><form method='post' action='/login'>"
    "<input name='room'><input name='password' type='password'><button>Kết nối</button></form>"
    "</body></html>"
)
PROXY_PAGE = "<html><body><h1>Proxy</h1><p>The requested URL could not be retrieved.</p></body></html>"

_POLL = 0.2
_MAX_HEAD = 64 * 1024
_MAX_BODY = 64 * 1024 * 1024
_CHUNK = 1024


@dataclass
class Fault:
    """One rule: what to do with the next ``times`` requests whose target contains ``path``."""

    mode: str
    times: int | None = None
    path: str | None = None
    status: int = 503
    retry_after: float | None = None
    fraction: float = 0.5
    rewrite: Callable[[bytes], bytes] | None = None
    bandwidth: float | None = None
    latency: float = 0.0

    def matches(self, target: str) -> bool:
        return (self.times is None or self.times > 0) and (self.path is None or self.path in target)


@dataclass
class Exchange:
    """One request seen by the proxy and what was done with it."""

    method: str
    target: str
    mode: str
    request_body: bytes
    request_headers: dict[str, str] = field(default_factory=dict)
    status: int | None = None
    bytes_up: int = 0
    bytes_down: int = 0

    def json_body(self) -> Any:
        """The request body as JSON (gunzipped when it was compressed)."""
        body = self.request_body
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        return json.loads(body.decode("utf-8")) if body else None


@dataclass
class ProxyStats:
    connections: int = 0
    requests: int = 0
    bytes_up: int = 0
    bytes_down: int = 0


@dataclass
class _Message:
    head: bytes
    body: bytes
    start_line: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def raw(self) -> bytes:
        return self.head + self.body


class _Closed(Exception):
    """The peer closed, the proxy is closing, or a bound ran out."""


class FaultProxy:
    """The proxy. Starts listening at construction; use as a context manager or call :meth:`close`.

    Args:
        upstream: the hub's base URL (``http://127.0.0.1:PORT/``) or a ``(host, port)`` pair.
        lifetime: seconds after which the proxy stops by itself.
        idle_timeout: seconds a client connection may stay idle between requests.
        upstream_timeout: seconds to wait for the hub's reply.
    """

    def __init__(
        self,
        upstream: str | tuple[str, int],
        *,
        lifetime: float = 600.0,
        idle_timeout: float = 60.0,
        upstream_timeout: float = 60.0,
    ) -> None:
        if isinstance(upstream, str):
            parts = urlsplit(upstream)
            upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.upstream = upstream
        self.lifetime = lifetime
        self.idle_timeout = idle_timeout
        self.upstream_timeout = upstream_timeout
        self.stats = ProxyStats()
        self.log: list[Exchange] = []
        self.held = threading.Event()
        self._release = threading.Event()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._bandwidth: float | None = None
        self._latency = 0.0
        self._free_at = {"up": 0.0, "down": 0.0}
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(_POLL)
        self.port = self._listener.getsockname()[1]
        self._started = time.monotonic()
        self._accept_thread = threading.Thread(
            target=self._accept_loop, name="faultproxy-accept", daemon=True
        )
        self._accept_thread.start()

    # -- configuration ----------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def fault(
        self,
        mode: str,
        *,
        times: int | None = None,
        path: str | None = None,
        status: int = 503,
        retry_after: float | None = None,
        fraction: float = 0.5,
        bandwidth: float | None = None,
        latency: float | None = None,
        rewrite: Callable[[bytes], bytes] | None = None,
    ) -> Fault:
        """Add a fault rule (after the existing ones) and return it.

        Args:
            mode: one of :data:`MODES`.
            times: apply to this many matching requests, then stop (None: always).
            path: apply only to requests whose target contains this text.
            status: the status of the ``status`` mode.
            retry_after: the ``Retry-After`` header of the ``status`` mode.
            fraction: for ``cut``/``reset``, how much of the reply's body is sent.
            bandwidth, latency: for ``slow``, the shaping (see :meth:`shape`): of the whole link, or
                only of the matching requests when ``path`` or ``times`` is given.
            rewrite: for ``rewrite``, the function that changes the reply's body.
        """
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        own_shaping = mode == "slow" and (path is not None or times is not None)
        if mode == "slow" and not own_shaping:
            self.shape(bandwidth=bandwidth, latency=latency or 0.0)
        if mode == "rewrite" and rewrite is None:
            raise ValueError("the rewrite mode needs a rewrite function")
        rule = Fault(mode, times, path, status, retry_after, fraction, rewrite)
        if own_shaping:
            rule.bandwidth, rule.latency = bandwidth, latency or 0.0
        with self._lock:
            self._faults.append(rule)
        return rule

    def set_mode(self, mode: str, **params: Any) -> Fault:
        """Replace every fault rule by this one (``set_mode("pass")`` clears the faults)."""
        self.clear()
        return self.fault(mode, **params)

    def clear(self) -> None:
        """Forget every fault rule and let held replies go (shaping stays)."""
        with self._lock:
            self._faults.clear()
        self.release()

    def shape(self, bandwidth: float | None = None, latency: float = 0.0) -> None:
        """Shape the link: ``bandwidth`` bytes/s in each direction (None: unlimited), ``latency`` s each way.

        64 kbit/s with a 300 ms round trip is ``shape(bandwidth=8000, latency=0.15)``.
        """
        with self._lock:
            self._bandwidth = bandwidth
            self._latency = latency
            self._free_at = {"up": 0.0, "down": 0.0}

    def release(self) -> None:
        """Let go of held replies: their connections are closed without sending them."""
        self._release.set()

    def reset_stats(self) -> None:
        with self._lock:
            self.stats = ProxyStats()
            self.log = []

    def requests_to(self, path: str) -> list[Exchange]:
        """The recorded requests whose target contains ``path``."""
        with self._lock:
            return [e for e in self.log if path in e.target]

    # -- lifecycle ----------------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop accepting, close every connection and join the threads."""
        self._closed.set()
        self._release.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            socks = list(self._sockets)
        for sock in socks:
            _shutdown(sock)
        self._accept_thread.join(timeout=5)
        for t in list(self._threads):
            t.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    # -- internals ------------------------------------------------------------------------------------------
    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            if time.monotonic() - self._started > self.lifetime:
                self._closed.set()
                break
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            with self._lock:
                self.stats.connections += 1
                self._threads = [t for t in self._threads if t.is_alive()]
                drop_now = (
                    bool(self._faults) and self._faults[0].mode == "drop" and self._faults[0].path is None
                )
                if drop_now and self._faults[0].matches(""):
                    self._take(self._faults[0])
                else:
                    drop_now = False
            if drop_now:
                conn.close()
                continue
            t = threading.Thread(target=self._serve, args=(conn,), name="faultproxy-conn", daemon=True)
            with self._lock:
                self._threads.append(t)
            t.start()
        with contextlib.suppress(OSError):
            self._listener.close()

    def _take(self, rule: Fault) -> None:
        if rule.times is not None:
            rule.times -= 1

    def _pick(self, target: str) -> Fault:
        with self._lock:
            for rule in self._faults:
                if rule.matches(target):
                    self._take(rule)
                    return Fault(
                        rule.mode,
                        None,
                        rule.path,
                        rule.status,
                        rule.retry_after,
                        rule.fraction,
                        rule.rewrite,
                        rule.bandwidth,
                        rule.latency,
                    )
        return Fault("pass")

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def _untrack(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.discard(sock)
        with contextlib.suppress(OSError):
            sock.close()

    def _serve(self, client: socket.socket) -> None:
        client.settimeout(_POLL)
        self._track(client)
        upstream: socket.socket | None = None
        buffers = {"client": bytearray(), "upstream": bytearray()}
        try:
            while not self._closed.is_set():
                try:
                    request = self._read_message(client, buffers["client"], self.idle_timeout, None)
                except _Closed:
                    return
                method, target = _method_target(request.start_line)
                rule = self._pick(target)
                record = Exchange(
                    method, target, rule.mode, request.body, request.headers, bytes_up=len(request.raw)
                )
                with self._lock:
                    self.stats.requests += 1
                    self.stats.bytes_up += len(request.raw)
                    self.log.append(record)
                if rule.mode == "drop":
                    return
                canned = _canned(rule)
                if canned is not None:
                    record.status = rule.status if rule.mode == "status" else int(canned.split(b" ", 2)[1])
                    self._send(client, canned, "down", record)
                    continue
                if upstream is not None and not _alive(upstream):
                    # the hub closed an idle keep-alive connection: open a new one, as an HTTP proxy does
                    self._untrack(upstream)
                    upstream = None
                if upstream is None:
                    upstream = self._connect_upstream()
                    buffers["upstream"] = bytearray()
                self._transmit(upstream, request.raw, "up", rule)
                try:
                    reply = self._read_message(upstream, buffers["upstream"], self.upstream_timeout, method)
                except _Closed:
                    return
                record.status = _status(reply.start_line)
                if rule.mode == "lost_reply":
                    return
                if rule.mode == "hold":
                    self.held.set()
                    deadline = time.monotonic() + self.idle_timeout
                    while not self._release.wait(_POLL) and time.monotonic() < deadline:
                        pass
                    self.held.clear()
                    self._release.clear()
                    return
                if rule.mode in ("cut", "reset"):
                    cut = reply.head + reply.body[: int(len(reply.body) * rule.fraction)]
                    self._send(client, cut, "down", record)
                    if rule.mode == "reset":
                        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return
                if rule.mode == "rewrite" and rule.rewrite is not None:
                    reply = _rewritten(reply, rule.rewrite)
                self._send(client, reply.raw, "down", record, rule)
                if reply.headers.get("connection", "").lower() == "close":
                    self._untrack(upstream)
                    upstream = None
                if request.headers.get("connection", "").lower() == "close":
                    return
        except (OSError, _Closed):
            return
        finally:
            self._untrack(upstream)
            self._untrack(client)

    def _connect_upstream(self) -> socket.socket:
        sock = socket.create_connection(self.upstream, timeout=5)
        sock.settimeout(_POLL)
        self._track(sock)
        return sock

    def _send(
        self, sock: socket.socket, data: bytes, direction: str, record: Exchange, rule: Fault | None = None
    ) -> None:
        sent = self._transmit(sock, data, direction, rule)
        record.bytes_down += sent
        with self._lock:
            self.stats.bytes_down += sent

    def _transmit(self, sock: socket.socket, data: bytes, direction: str, rule: Fault | None = None) -> int:
        """Send ``data`` through the shaped link (or the rule's own shaping); returns the bytes sent."""
        own = rule is not None and rule.mode == "slow" and bool(rule.bandwidth or rule.latency)
        with self._lock:
            bandwidth, latency = (rule.bandwidth, rule.latency) if own else (self._bandwidth, self._latency)
        if not bandwidth and not latency:
            sock.sendall(data)
            return len(data)
        sent = 0
        arrived = time.monotonic()  # the whole message is here: its chunks pipeline on the link
        free_at = arrived  # a request with its own shaping has a link to itself
        for i in range(0, len(data), _CHUNK):
            piece = data[i : i + _CHUNK]
            with self._lock:
                start = max(arrived, free_at if own else self._free_at[direction])
                end = start + (len(piece) / bandwidth if bandwidth else 0.0)
                if own:
                    free_at = end
                else:
                    self._free_at[direction] = end
            deliver_at = end + latency
            while (delay := deliver_at - time.monotonic()) > 0:
                if self._closed.wait(min(delay, _POLL)):
                    raise _Closed()
            sock.sendall(piece)
            sent += len(piece)
        return sent

    def _recv(self, sock: socket.socket, buf: bytearray, deadline: float) -> None:
        while True:
            if self._closed.is_set() or time.monotonic() > deadline:
                raise _Closed()
            try:
                data = sock.recv(65536)
            except TimeoutError:
                continue
            if not data:
                raise _Closed()
            buf.extend(data)
            return

    def _read_message(
        self, sock: socket.socket, buf: bytearray, timeout: float, method: str | None
    ) -> _Message:
        """Read one HTTP message (a request when ``method`` is None, else the reply to ``method``)."""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in buf:
            if len(buf) > _MAX_HEAD:
                raise _Closed()
            self._recv(sock, buf, deadline)
        end = buf.index(b"\r\n\r\n") + 4
        head = bytes(buf[:end])
        del buf[:end]
        lines = head.decode("latin-1").split("\r\n")
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        start_line = lines[0]
        status = _status(start_line) if method is not None else None
        if method == "HEAD" or (status is not None and (status < 200 or status in (204, 304))):
            return _Message(head, b"", start_line, headers)
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = self._read_chunked(sock, buf, deadline)
        elif "content-length" in headers:
            n = int(headers["content-length"])
            if n > _MAX_BODY:
                raise _Closed()
            while len(buf) < n:
                self._recv(sock, buf, deadline)
            body = bytes(buf[:n])
            del buf[:n]
        elif method is None:
            body = b""
        else:  # a reply delimited by the end of the connection
            try:
                while len(buf) <= _MAX_BODY:
                    self._recv(sock, buf, deadline)
            except _Closed:
                pass
            body = bytes(buf)
            buf.clear()
        return _Message(head, body, start_line, headers)

    def _read_chunked(self, sock: socket.socket, buf: bytearray, deadline: float) -> bytes:
        out = bytearray()
        while True:
            while b"\r\n" not in buf:
                self._recv(sock, buf, deadline)
            line_end = buf.index(b"\r\n") + 2
            size = int(bytes(buf[: line_end - 2]).split(b";")[0].strip() or b"0", 16)
            while len(buf) < line_end + size + 2:
                self._recv(sock, buf, deadline)
            out.extend(buf[: line_end + size + 2])
            del buf[: line_end + size + 2]
            if size == 0:
                # the last chunk's CRLF was read above only when there are no trailers
                return bytes(out)
            if len(out) > _MAX_BODY:
                raise _Closed()


def _method_target(start_line: str) -> tuple[str, str]:
    parts = start_line.split(" ")
    return (parts[0], parts[1]) if len(parts) >= 2 else (start_line, "")


def _status(start_line: str) -> int | None:
    parts = start_line.split(" ")
    try:
        return int(parts[1])
    except (IndexError, ValueError):
        return None


def _rewritten(reply: _Message, rewrite: Callable[[bytes], bytes]) -> _Message:
    """The reply with its (de-chunked) body rewritten and its framing headers fixed."""
    body = reply.body
    if "chunked" in reply.headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    body = rewrite(body)
    headers = {k: v for k, v in reply.headers.items() if k not in ("transfer-encoding", "content-length")}
    headers["content-length"] = str(len(body))
    head = reply.start_line + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return _Message(head.encode("latin-1"), body, reply.start_line, headers)


def _dechunk(data: bytes) -> bytes:
    out = bytearray()
    pos = 0
    while True:
        end = data.index(b"\r\n", pos)
        size = int(data[pos:end].split(b";")[0].strip() or b"0", 16)
        if size == 0:
            return bytes(out)
        out.extend(data[end + 2 : end + 2 + size])
        pos = end + 2 + size + 2


def _canned(rule: Fault) -> bytes | None:
    """The reply a fault answers with by itself, or None when the request goes to the hub."""
    if rule.mode == "login_page":
        return _reply(200, "OK", "text/html; charset=utf-8", LOGIN_PAGE.encode("utf-8"))
    if rule.mode == "html200":
        return _reply(200, "OK", "text/html", PROXY_PAGE.encode())
    if rule.mode == "json200":
        return _reply(200, "OK", "application/json", b'{"status": "ok"}')
    if rule.mode == "redirect":
        return _reply(302, "Found", "text/html", b"", {"Location": "http://10.0.0.1/login?orig=dtts"})
    if rule.mode == "status":
        extra = {} if rule.retry_after is None else {"Retry-After": str(int(rule.retry_after))}
        body = f"<html><body><h1>{rule.status}</h1></body></html>".encode()
        return _reply(rule.status, "Fault", "text/html", body, extra)
    return None


def _reply(status: int, reason: str, ctype: str, body: bytes, extra: dict[str, str] | None = None) -> bytes:
    head = f"HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in (extra or {}).items())
    return (head + "\r\n").encode("latin-1") + body


def _alive(sock: socket.socket) -> bool:
    """False when the peer has closed the connection (readable with nothing to read)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return True
        return bool(sock.recv(1, socket.MSG_PEEK))
    except OSError:
        return False


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
