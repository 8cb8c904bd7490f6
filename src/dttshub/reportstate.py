"""The state of a report on the hub, and how a report is shown (``changes``, reviews, ``dttshub reports``).

Report status, derived from its flags:

==============  ===================================================================================
``conflict``    a conflicting submission is waiting for the reviewer (the flag is cleared by a review)
``accepted``    the reviewer accepted the current revision
``returned``    the reviewer returned it to the commune (with a comment)
``late``        the current revision arrived after the deadline and awaits the reviewer's approval
``submitted``   the current revision arrived in time and awaits review
==============  ===================================================================================
"""

from __future__ import annotations

import json
from typing import Any

REPORT_STATUSES = ("submitted", "late", "conflict", "accepted", "returned")


def derive_status(conflict: bool, review_state: str | None, late: bool) -> str:
    """The status of a report from its conflict flag, review state and lateness."""
    if conflict:
        return "conflict"
    if review_state in ("accepted", "returned"):
        return review_state
    return "late" if late else "submitted"


def report_to_json(row: Any, include_values: bool = True) -> dict:
    """A ``reports`` row as the ``changes`` item of SYNC.md (plus a few fields the client may use)."""
    m = row._mapping
    doc = {
        "unit": m["unit"],
        "form": m["form"],
        "period": m["period"],
        "server_revision": m["server_revision"],
        "status": m["status"],
        "receipt_no": m["receipt_no"],
        "submission_id": m["head_submission_id"],
        "catalog_id": m["catalog_id"],
        "catalog_version": m["catalog_version"],
        "conflict": bool(m["conflict"]),
        "late": bool(m["late"]),
        "review": {
            "state": m["review_state"],
            "comment": m["review_comment"],
            "by": m["review_by"],
            "at": m["review_at"],
        },
        "updated_at": m["updated_at"],
    }
    if include_values:
        doc["values"] = json.loads(m["values_json"])
        doc["comments"] = json.loads(m["comments_json"])
        doc["eth_rows"] = json.loads(m["eth_rows_json"])
    return doc
