"""The submission document of docs/architecture.md: shape checks before anything touches the database.

A batch whose items are not objects with a string ``submission_id`` is malformed as a whole (400: the
hub could not say which result belongs to which item). Any other problem of one item makes that item
``rejected`` with an error list; the other items go on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dttscore.payload import CellKey
from dttshub.errors import BadRequest
from dttshub.protocol import CompactSubmission, check_submission

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

    status = "rejected"

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
    compact: Any = None
    """The payload version 2 model (:class:`dttshub.protocol.CompactSubmission`) until the values are
    decoded (:mod:`dttshub.wire`); None for version 1."""


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


def parse_submission(doc: Any) -> SubmissionDoc:
    """Check a submission document against the protocol's model (:class:`dttshub.protocol.Submission`).

    Raises:
        ItemRejected: a field is missing, unknown, of the wrong type or out of bounds (the errors name
            each field); an unknown unit list; a cell that repeats.
    """
    model, problems = check_submission(doc)
    if model is None:
        raise ItemRejected(
            [
                item_error(
                    "malformed_submission",
                    f"Bản nộp không hợp lệ: {vi}.",
                    f"Malformed submission: {en}.",
                    field=where,
                )
                for where, vi, en in problems
            ]
        )
    if model.unit_list not in KNOWN_UNIT_LISTS:
        raise reject(
            "unknown_unit_list",
            f"Danh mục đơn vị hành chính '{model.unit_list}' không được máy chủ hỗ trợ.",
            f"The administrative unit list '{model.unit_list}' is not supported by the hub.",
        )
    values: dict[CellKey, str] = {}
    for cell in getattr(model, "values", None) or ():
        key = (cell.code, cell.disagg)
        if key in values:
            raise reject(
                "duplicate_cell",
                f"Ô {key[0]} {key[1]} xuất hiện hai lần trong bản nộp.",
                f"Cell {key[0]} {key[1]} appears twice in the submission.",
                indicator=key[0],
                disagg=key[1],
            )
        values[key] = cell.value
    return SubmissionDoc(
        submission_id=model.submission_id,
        unit=model.unit,
        form=model.form,
        period=model.period,
        revision_no=model.revision_no,
        supersedes=model.supersedes,
        base_server_revision=model.base_server_revision,
        catalog_id=model.catalog_id,
        catalog_version=model.catalog_version,
        payload_sha256=model.payload_sha256,
        values=values,
        comments=[c.model_dump() for c in model.comments or ()],
        warnings=[w.model_dump() for w in model.warnings or ()],
        eth_rows=list(model.eth_rows or ()),
        raw=doc,
        compact=model if isinstance(model, CompactSubmission) else None,
    )
