"""The bounds of the sync protocol, shared by the client and the hub (Qt-free, no pydantic).

The hub's pydantic models (:mod:`dttshub.protocol`) and the client's check of what it pulls
(:func:`pulled_report_problem`) take their limits from here, so both sides agree on what a valid
document is: every string, list and integer has a bound, and integers fit the hub's columns (32-bit INTEGER on
PostgreSQL, so well within a signed 64-bit one).

The limits are generous beside the largest real form (BM01: about 2,200 cells) and small beside what
would hurt a 4 GB PC or the hub: a document within them costs a few tens of MB at most.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from dttscore.values import MAX_TEXT

INT64_MAX = 2**63 - 1
"""Largest integer a BIGINT column holds."""
MAX_REVISION = 2**31 - 1
"""Largest revision number, base or server revision and catalogue version: what the hub's INTEGER columns
hold on PostgreSQL (32-bit; SQLite's are 64-bit). Far beyond any real count, and within 64 bits."""

MAX_ID = 64
"""Submission IDs, catalogue IDs (``ID_RE``)."""
MAX_SHORT = 64
"""Usernames, device IDs' display names, app versions, rule codes, unit lists, ethnic code systems."""
MAX_DEVICE_ID = 128
MAX_CODE = 32
"""Indicator and form codes."""
MAX_DISAGG = 256
"""A disaggregation key such as ``eth=02|sex=1``."""
MAX_PERIOD = 8
MAX_STAMP = 40
"""An ISO 8601 time stamp."""
MAX_VALUE = MAX_TEXT
"""A cell value (a number as text, or a text answer of at most :data:`dttscore.values.MAX_TEXT`)."""
MAX_COMMENT = 4000
"""A comment on a cell, a warning's reason, a reviewer's comment."""
MAX_MESSAGE = 4000
MAX_PASSWORD = 1024
MAX_TOKEN = 512

MAX_CELLS = 50_000
"""Cells of one submission (the largest form has about 2,200)."""
MAX_COMMENTS = 5_000
"""Comments of one submission."""
MAX_CHANGE_LOG = 50_000
"""Change-log entries of one submission."""
MAX_WARNINGS = 5_000
MAX_ETH_ROWS = 256
MAX_STATUS_IDS = 1000
MAX_UNITS = 20_000
"""Communes in an account's scope (the whole country has about 3,300)."""
MAX_BATCH_ITEMS = 1000
"""Submissions in one batch as the schema allows; the hub's configured limit (413) is lower."""

MAX_JSON_NODES = 2_000_000
"""Structural characters (``{ [ , :``) of one request body: an upper bound on the objects and values
json.loads would make. About 70 bytes of memory per node at worst (``{"a":{}}``), so ≤ 150 MB."""

UNIT_RE = re.compile(r"[0-9]{5}|[0-9]{2}-[A-Z0-9]{1,5}")
MAX_GENERATION = 64
GENERATION_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
"""The hub database's generation (``ping``, ``changes``): changes when the hub's database is restored."""
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"
ID_RE = re.compile(ID_PATTERN)
SHA_PATTERN = r"^[0-9a-f]{64}$"
UNIT_PATTERN = r"^([0-9]{5}|[0-9]{2}-[A-Z0-9]{1,5})$"
"""A reporting unit: a 5-digit commune, or a province agency (``19-SGDDT``: province, dash, 1–5 letters/digits)."""
MAX_UNIT = 8

_NODE_BYTES = (b"{", b"[", b",", b":")


def json_nodes(data: bytes) -> int:
    """An upper bound on the containers and values of a JSON text, counted without parsing it.

    Every container opens with ``{`` or ``[`` and every other value follows ``,`` or ``:`` (or an opening
    bracket), so the count of those four bytes bounds what json.loads would build — characters inside
    strings count too, which only makes the bound looser. Counting 30 MB takes about 20 ms.
    """
    return sum(data.count(b) for b in _NODE_BYTES)


def _int_ok(value: Any, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= MAX_REVISION


def _str_ok(value: Any, max_len: int, empty: bool = True) -> bool:
    return isinstance(value, str) and len(value) <= max_len and (empty or bool(value))


def _opt_str_ok(value: Any, max_len: int) -> bool:
    return value is None or _str_ok(value, max_len)


def pulled_report_problem(item: Any) -> tuple[str, str] | None:
    """Why one report of ``GET /changes`` cannot be applied (``(vi, en)``), or None when it can.

    The same bounds as the hub's models: the client never trusts what it receives (a hub that stored
    ``comments: [1]`` before it checked, a proxy, a damaged reply).
    """
    if not isinstance(item, Mapping):
        return "mục không phải một báo cáo", "the item is not a report"
    for name, max_len in (("unit", 5), ("form", MAX_CODE), ("period", MAX_PERIOD)):
        if not _str_ok(item.get(name), max_len, empty=False):
            return f"trường '{name}' thiếu hoặc sai", f"the field '{name}' is missing or wrong"
    if not UNIT_RE.fullmatch(item["unit"]):
        return "mã xã không phải 5 chữ số", "the commune code is not 5 digits"
    for name, minimum in (("server_revision", 0), ("catalog_version", 1)):
        value = item.get(name)
        if value is not None and not _int_ok(value, minimum):
            return (
                f"trường '{name}' không phải số nguyên hợp lệ",
                f"the field '{name}' is not a valid integer",
            )
    for name, max_len in (("status", MAX_SHORT), ("receipt_no", MAX_SHORT), ("catalog_id", MAX_ID)):
        if not _opt_str_ok(item.get(name), max_len):
            return f"trường '{name}' sai", f"the field '{name}' is wrong"
    # the catalogue version the report was made with: both or neither, and an ID that can go in a URL
    catalog_id, catalog_version = item.get("catalog_id"), item.get("catalog_version")
    if (catalog_id is None) != (catalog_version is None) or (
        catalog_id is not None and not ID_RE.fullmatch(catalog_id)
    ):
        return "phiên bản danh mục của báo cáo sai", "the report's catalogue version is wrong"
    problem = _list_problem(item.get("values"), "values", MAX_CELLS, _cell_ok)
    problem = problem or _list_problem(item.get("comments"), "comments", MAX_COMMENTS, _comment_ok)
    problem = problem or _list_problem(
        item.get("eth_rows"), "eth_rows", MAX_ETH_ROWS, lambda e: _str_ok(e, MAX_CODE, empty=False)
    )
    if problem:
        return problem
    review = item.get("review")
    if review is not None:
        if not isinstance(review, Mapping):
            return "ý kiến thẩm định sai dạng", "the review is malformed"
        for name, max_len in (
            ("state", MAX_SHORT),
            ("comment", MAX_COMMENT),
            ("by", MAX_SHORT),
            ("at", MAX_STAMP),
        ):
            if not _opt_str_ok(review.get(name), max_len):
                return (
                    f"ý kiến thẩm định: trường '{name}' sai hoặc quá dài",
                    f"the review's field '{name}' is wrong or too long",
                )
    return None


def _list_problem(value: Any, name: str, max_items: int, item_ok) -> tuple[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        return f"trường '{name}' không phải danh sách", f"the field '{name}' is not a list"
    if len(value) > max_items:
        return (
            f"trường '{name}' có quá {max_items} mục",
            f"the field '{name}' has more than {max_items} items",
        )
    for i, entry in enumerate(value):
        if not item_ok(entry):
            return (
                f"mục {i + 1} của '{name}' sai dạng hoặc quá dài",
                f"item {i + 1} of '{name}' is malformed or too long",
            )
    return None


def _cell_ok(cell: Any) -> bool:
    return (
        isinstance(cell, Mapping)
        and _str_ok(cell.get("code"), MAX_CODE, empty=False)
        and _str_ok(cell.get("disagg", ""), MAX_DISAGG)
        and _str_ok(cell.get("value"), MAX_VALUE)
    )


def _comment_ok(comment: Any) -> bool:
    return (
        isinstance(comment, Mapping)
        and _str_ok(comment.get("code", ""), MAX_CODE)
        and _opt_str_ok(comment.get("disagg"), MAX_DISAGG)
        and _opt_str_ok(comment.get("text"), MAX_COMMENT)
        and _opt_str_ok(comment.get("author"), MAX_SHORT)
        and _opt_str_ok(comment.get("at"), MAX_STAMP)
    )
