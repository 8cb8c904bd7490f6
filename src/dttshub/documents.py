"""The submission document of docs/architecture.md: shape checks before anything touches the database.

A batch whose items are not objects with a string ``submission_id`` is malformed as a whole (400: the
hub could not say which result belongs to which item). Any other problem of one item makes that item
``rejected`` with an error list; the other items go on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dttsclient.core.payload import CellKey, values_from_list
from dttshub.errors import BadRequest

ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
SHA_RE = re.compile(r"[0-9a-f]{64}")
UNIT_RE = re.compile(r"[0-9]{5}")
KNOWN_UNIT_LISTS = ("vn-2025-07",)


def item_error(
    code: str, message_vi: str, message_en: str, indicator: str = "", disagg: str = "", **extra: Any
) -> dict:
    """One entry of a result's ``errors`` list."""
    err = {
        "code": code,
        "indicator": indicator,
        "disagg": disagg,
        "message_vi": message_vi,
        "message_en": message_en,
    }
    err.update(extra)
    return err


class ItemRejected(Exception):  # a control-flow signal inside ingestion, not an error of the hub
    """The current submission is rejected with ``errors``; raised and caught inside ingestion."""

    def __init__(self, errors: list[dict]) -> None:
        super().__init__(errors[0]["message_en"] if errors else "rejected")
        self.errors = errors


def reject(code: str, message_vi: str, message_en: str, **kw: Any) -> ItemRejected:
    return ItemRejected([item_error(code, message_vi, message_en, **kw)])


@dataclass(frozen=True)
class SubmissionDoc:
    """A submission document whose fields have the right types."""

    submission_id: str
    unit: str
    form: str
    period: str
    revision_no: int
    supersedes: str | None
    base_server_revision: int
    catalog_id: str
    catalog_version: int
    payload_sha256: str
    values: dict[CellKey, str]
    comments: list
    warnings: list[dict]
    eth_rows: list[str]
    raw: dict


def submission_ids(items: Any) -> list[str]:
    """The IDs of a batch's items, checking the batch is a list of objects with string IDs.

    Raises:
        BadRequest: not a list, an item not an object, or an item without a string ``submission_id``.
    """
    if not isinstance(items, list):
        raise BadRequest(
            "malformed_batch",
            "Yêu cầu không hợp lệ: thiếu danh sách 'submissions'.",
            "Malformed request: 'submissions' is not a list.",
        )
    ids = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("submission_id"), str):
            raise BadRequest(
                "malformed_batch",
                f"Yêu cầu không hợp lệ: mục {i + 1} không có 'submission_id'.",
                f"Malformed request: item {i + 1} has no 'submission_id'.",
            )
        ids.append(item["submission_id"])
    return ids


def _field_error(name: str, expected_vi: str, expected_en: str) -> ItemRejected:
    return reject(
        "malformed_submission",
        f"Bản nộp không hợp lệ: trường '{name}' phải là {expected_vi}.",
        f"Malformed submission: field '{name}' must be {expected_en}.",
    )


def _int(doc: dict, name: str, minimum: int) -> int:
    value = doc.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _field_error(name, f"số nguyên ≥ {minimum}", f"an integer ≥ {minimum}")
    return value


def _str(doc: dict, name: str, max_len: int = 64) -> str:
    value = doc.get(name)
    if not isinstance(value, str) or not value or len(value) > max_len:
        raise _field_error(name, "chuỗi ký tự không rỗng", "a non-empty string")
    return value


def _list(doc: dict, name: str) -> list:
    value = doc.get(name, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise _field_error(name, "danh sách", "a list")
    return value


def parse_submission(doc: dict) -> SubmissionDoc:
    """Check the types of a submission document.

    Raises:
        ItemRejected: a field is missing or of the wrong type, a value is not a string, a cell repeats.
    """
    sid = doc.get("submission_id")
    if not isinstance(sid, str) or not ID_RE.fullmatch(sid):
        raise _field_error(
            "submission_id", "mã gồm chữ, số và '-' (tối đa 64)", "an ID of letters, digits, '-'"
        )
    unit = _str(doc, "unit", 5)
    if not UNIT_RE.fullmatch(unit):
        raise _field_error("unit", "mã xã 5 chữ số", "a 5-digit commune code")
    unit_list = doc.get("unit_list", KNOWN_UNIT_LISTS[0])
    if unit_list not in KNOWN_UNIT_LISTS:
        raise reject(
            "unknown_unit_list",
            f"Danh mục đơn vị hành chính '{unit_list}' không được máy chủ hỗ trợ.",
            f"The administrative unit list '{unit_list}' is not supported by the hub.",
        )
    supersedes = doc.get("supersedes")
    if supersedes is not None and (not isinstance(supersedes, str) or not ID_RE.fullmatch(supersedes)):
        raise _field_error("supersedes", "mã bản nộp hoặc null", "a submission ID or null")
    sha = doc.get("payload_sha256")
    if not isinstance(sha, str) or not SHA_RE.fullmatch(sha):
        raise _field_error("payload_sha256", "64 ký tự hex", "64 lower-case hex characters")
    raw_values = _list(doc, "values")
    seen: set[CellKey] = set()
    for cell in raw_values:
        if (
            not isinstance(cell, dict)
            or not isinstance(cell.get("code"), str)
            or not isinstance(cell.get("disagg", ""), str)
            or not isinstance(cell.get("value"), str)
        ):
            raise _field_error(
                "values", "danh sách {code, disagg, value} dạng chuỗi", "a list of string cells"
            )
        key = (cell["code"], cell.get("disagg", ""))
        if key in seen:
            raise reject(
                "duplicate_cell",
                f"Ô {key[0]} {key[1]} xuất hiện hai lần trong bản nộp.",
                f"Cell {key[0]} {key[1]} appears twice in the submission.",
                indicator=key[0],
                disagg=key[1],
            )
        seen.add(key)
    warnings = _list(doc, "warnings")
    if not all(isinstance(w, dict) for w in warnings):
        raise _field_error("warnings", "danh sách {rule, option, reason}", "a list of {rule, option, reason}")
    eth_rows = _list(doc, "eth_rows")
    if not all(isinstance(e, str) for e in eth_rows):
        raise _field_error("eth_rows", "danh sách mã dân tộc", "a list of ethnic group codes")
    return SubmissionDoc(
        submission_id=sid,
        unit=unit,
        form=_str(doc, "form", 32),
        period=_str(doc, "period", 8),
        revision_no=_int(doc, "revision_no", 1),
        supersedes=supersedes,
        base_server_revision=_int(doc, "base_server_revision", 0),
        catalog_id=_str(doc, "catalog_id"),
        catalog_version=_int(doc, "catalog_version", 1),
        payload_sha256=sha,
        values=values_from_list(raw_values),
        comments=_list(doc, "comments"),
        warnings=warnings,
        eth_rows=list(eth_rows),
        raw=doc,
    )
