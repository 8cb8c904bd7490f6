"""Compact submissions (payload version 2) turned back into the full document before anything else looks.

:mod:`dttscore.wire` defines the encoding; here the hub decodes it with the catalogue version the
submission states and, for a revision sent as changes, with the base submission it holds. The result is
the version 1 document (values and the whole change log, the base's entries first), stored exactly like
one a client that has not updated sends: reports, totals and exports never see the encoding.

A revision sent as changes whose base the hub does not hold (a restored database, another hub, a base
of another report or out of the account's scope), or whose result has another ``payload_sha256`` than
stated, is answered ``need_full`` with nothing stored: the client sends the full payload in the same
sync. A malformed encoding (a cell index outside the form, a cell given twice, a broken change-log row)
is ``rejected`` with its own code.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from dttscore.model import Catalog
from dttscore.payload import payload_sha256, values_from_list, values_to_list
from dttscore.wire import (
    SAME_AS_BASE_FIELDS,
    WireError,
    apply_changes,
    decode_log,
    decode_values,
    layout,
)
from dttshub import db as t
from dttshub.documents import ItemRejected, SubmissionDoc, item_error, parse_submission, reject
from dttshub.scope import Account

COMPACT_FIELDS = (
    "payload_version",
    "cells",
    "base",
    "changes",
    "extra",
    "change_log_since",
    "log",
    "same_as_base",
)


class NeedFull(ItemRejected):
    """A revision sent as changes the hub cannot apply: answered ``need_full``, nothing stored."""

    status = "need_full"


def need_full(code: str, vi: str, en: str) -> NeedFull:
    return NeedFull([item_error(code, vi, en)])


def expand(conn: Connection, account: Account, sub: SubmissionDoc, catalog: Catalog) -> SubmissionDoc:
    """The submission with its values and whole change log decoded; its ``raw`` the version 1 document.

    Args:
        conn: the request's connection, outside a transaction (the base is read in a short one).
        account: the caller (the base must be in its scope).
        sub: a parsed version 2 submission (``sub.compact`` set).
        catalog: the catalogue version it states (holding its form).

    Raises:
        NeedFull: the base is not held, or the changes give another hash.
        ItemRejected: the encoding is malformed.
    """
    m = sub.compact
    base_doc = None
    if m.base is not None:
        base_doc = _base_document(conn, account, sub, m.base)
        if base_doc is None:
            raise need_full(
                "base_unknown",
                "Máy chủ không có bản nộp gốc của phần thay đổi này: cần gửi lại toàn bộ báo cáo.",
                "The hub does not hold the base of these changes: the whole report must be sent.",
            )
    elif m.same_as_base or m.change_log_since is not None or m.changes is not None:
        raise reject(
            "malformed_submission",
            "Bản nộp không hợp lệ: có 'changes', 'same_as_base' hoặc 'change_log_since' mà không có 'base'.",
            "Malformed submission: it has 'changes', 'same_as_base' or 'change_log_since' without 'base'.",
        )
    raw = {k: v for k, v in sub.raw.items() if k not in COMPACT_FIELDS}
    same = SAME_AS_BASE_FIELDS if m.same_as_base is True else (m.same_as_base or ())
    for name in same:
        if name in base_doc and (m.same_as_base is not True or name not in raw):
            raw[name] = base_doc[name]
    eth_rows = raw.get("eth_rows") if isinstance(raw.get("eth_rows"), list) else sub.eth_rows
    order = layout(catalog, sub.form, eth_rows)
    try:
        if base_doc is not None:
            if m.cells is not None:
                raise reject(
                    "malformed_submission",
                    "Bản nộp không hợp lệ: có cả 'cells' lẫn 'base'.",
                    "Malformed submission: it has both 'cells' and 'base'.",
                )
            values = apply_changes(
                values_from_list(base_doc.get("values") or ()), m.changes or (), m.extra or (), order
            )
            if payload_sha256(values) != sub.payload_sha256:
                raise need_full(
                    "base_mismatch",
                    "Số liệu sau khi áp phần thay đổi không khớp mã kiểm tra: cần gửi lại toàn bộ báo cáo.",
                    "The values after applying the changes do not match the checksum: the whole report "
                    "must be sent.",
                )
        else:
            values = decode_values(m.cells or (), m.extra or (), order)
        log = decode_log(
            m.log.model_dump() if m.log is not None else {}, values, order, sub.raw.get("finalized_at")
        )
    except WireError as exc:
        raise reject(exc.code, exc.message_vi, exc.message_en) from exc
    if m.change_log_since is not None:
        if m.change_log_since != m.base:
            raise reject(
                "malformed_submission",
                "Bản nộp không hợp lệ: 'change_log_since' phải là 'base'.",
                "Malformed submission: 'change_log_since' must be the 'base'.",
            )
        log = list(base_doc.get("change_log") or ()) + log
    raw["values"] = values_to_list(values)
    raw["change_log"] = log
    # the whole version 1 document, checked again like one sent so (bounds of the merged change log …)
    return parse_submission(raw)


def _base_document(conn: Connection, account: Account, sub: SubmissionDoc, base: str) -> dict | None:
    s = t.submissions.c
    with conn.begin():
        row = conn.execute(
            sa.select(s.unit, s.form, s.period, s.document).where(s.submission_id == base)
        ).first()
    if row is None or (row.unit, row.form, row.period) != (sub.unit, sub.form, sub.period):
        return None
    if not account.covers(row.unit):
        return None
    try:
        doc = json.loads(row.document)
    except (TypeError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None
