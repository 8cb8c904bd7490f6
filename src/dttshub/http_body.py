"""Reading request bodies with limits: size as sent (413), gzip with a decompressed-size limit (413).

A body over the limit is still read to its end (up to a cap) before the 413 goes out, so a client that
is still sending gets the reply instead of a reset connection, and can halve its batch.
"""

from __future__ import annotations

import json
import zlib

from starlette.requests import Request

from dttscore.bounds import json_nodes
from dttshub.errors import BadRequest, HubError, TooLarge

DRAIN_CAP = 64 * 1024 * 1024


def _too_large(limit: int) -> TooLarge:
    return TooLarge(
        "too_large",
        f"Dữ liệu gửi lên quá lớn (giới hạn {limit} byte); hãy gửi ít bản nộp hơn mỗi lần.",
        f"The request is too large (limit {limit} bytes); send fewer submissions at a time.",
    )


async def read_body(request: Request, max_bytes: int, max_decompressed: int) -> bytes:
    """The request body, decompressed when ``Content-Encoding: gzip``.

    Raises:
        TooLarge: the body as sent is over ``max_bytes``, or decompresses to more than
            ``max_decompressed``.
        BadRequest: a damaged gzip stream.
        HubError: an unsupported content encoding (415).
    """
    declared = request.headers.get("content-length")
    buf = bytearray()
    over = bool(declared and declared.isdigit() and int(declared) > max_bytes)
    drained = 0
    async for chunk in request.stream():
        if over:
            # Discard, but keep reading so a client still sending sees our reply.
            drained += len(chunk)
            if drained > DRAIN_CAP:
                break
            continue
        buf += chunk
        if len(buf) > max_bytes:
            over = True
            buf = bytearray()
    if over:
        raise _too_large(max_bytes)
    encoding = request.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return bytes(buf)
    if encoding in ("gzip", "x-gzip"):
        return gunzip_limited(bytes(buf), max_decompressed)
    raise HubError(
        "unsupported_encoding",
        f"Máy chủ không nhận kiểu nén '{encoding}' (chỉ gzip).",
        f"The hub does not accept content encoding '{encoding}' (gzip only).",
        status=415,
    )


def gunzip_limited(data: bytes, limit: int) -> bytes:
    """Decompress gzip data (one or more members), refusing output over ``limit`` bytes.

    The output is produced at most ``limit + 1`` bytes at a time, so a gzip bomb costs no more memory
    than the limit.

    Raises:
        TooLarge: the decompressed data is over ``limit``.
        BadRequest: not gzip, or truncated.
    """
    out = bytearray()
    rest = data
    try:
        while rest:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out += d.decompress(rest, limit + 1 - len(out))
            if len(out) > limit or d.unconsumed_tail:
                raise _too_large(limit)
            if not d.eof:
                raise zlib.error("truncated gzip stream")
            rest = d.unused_data
    except zlib.error as exc:
        raise BadRequest(
            "bad_gzip",
            "Dữ liệu nén gzip bị hỏng.",
            "The gzip-compressed body is damaged.",
        ) from exc
    return bytes(out)


def check_nodes(body: bytes, max_nodes: int) -> None:
    """Refuse a JSON text that would build more than ``max_nodes`` objects and values (413), counted
    without parsing it (:func:`dttscore.bounds.json_nodes`): ten million ``{}`` in a 31 KB gzip
    body cost a few milliseconds instead of a gigabyte.

    Raises:
        TooLarge: over the budget.
    """
    nodes = json_nodes(body)
    if nodes > max_nodes:
        raise TooLarge(
            "too_many_values",
            f"Dữ liệu gửi lên có quá nhiều mục ({nodes:,} > {max_nodes:,}); hãy gửi ít bản nộp hơn mỗi lần.",
            f"The request holds too many items ({nodes:,} > {max_nodes:,}); send fewer submissions at a time.",
        )


def parse_json(body: bytes, max_nodes: int | None = None) -> object:
    """The JSON of a body (UTF-8), within a budget of ``max_nodes`` objects and values when given.

    Raises:
        BadRequest: empty, not UTF-8 or not JSON.
        TooLarge: over the budget of nodes (see :func:`check_nodes`).
    """
    if max_nodes is not None:
        check_nodes(body, max_nodes)
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadRequest(
            "malformed_json",
            "Yêu cầu không phải JSON hợp lệ.",
            "The request body is not valid JSON.",
        ) from exc
