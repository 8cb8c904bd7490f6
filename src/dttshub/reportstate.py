"""The state of a report on the hub, and how a report is shown (``changes``, reviews, ``dttshub reports``).

Report status, derived from its flags:

==============  ===================================================================================
``conflict``    a conflicting submission is waiting for the reviewer (the flag is cleared by a review)
``accepted``    the reviewer accepted the current revision
``returned``    the reviewer returned it to the commune (with a comment)
``changed_after_acceptance``  the reviewer accepted an earlier revision and the commune has sent a new
                one since: it awaits review again (the acceptance is kept, see below)
``late``        the current revision arrived after the deadline and awaits the reviewer's approval
``submitted``   the current revision arrived in time and awaits review
==============  ===================================================================================

An accepted report is locked: a later revision is stored and received as usual, but it never replaces
the acceptance silently. ``reports.accepted_submission_id`` keeps naming the submission the reviewer
accepted (only the next acceptance moves it), and while the head is another submission the status is
``changed_after_acceptance`` — the officer sees that after the next sync, the reviewer in completeness.
"""

from __future__ import annotations

import json
from typing import Any

REPORT_STATUSES = ("submitted", "late", "conflict", "accepted", "returned", "changed_after_acceptance")
CHANGED_AFTER_ACCEPTANCE = "changed_after_acceptance"


def derive_status(
    conflict: bool, review_state: str | None, late: bool, changed_after_acceptance: bool = False
) -> str:
    """The status of a report from its conflict flag, review state and lateness.

    Args:
        changed_after_acceptance: the head is not the submission the reviewer last accepted (a revision
            arrived after an acceptance); it outranks lateness, not a conflict nor a new review.
    """
    if conflict:
        return "conflict"
    if review_state in ("accepted", "returned"):
        return review_state
    if changed_after_acceptance:
        return CHANGED_AFTER_ACCEPTANCE
    return "late" if late else "submitted"


def changed_since_acceptance(row: Any) -> bool:
    """True when a report (a row or a mapping) has an acceptance and its head is another submission."""
    m = row._mapping if hasattr(row, "_mapping") else row
    accepted = m.get("accepted_submission_id")
    return bool(accepted) and accepted != m.get("head_submission_id")


def report_to_json(row: Any, include_values: bool = True) -> dict:
    """A ``reports`` row as the ``changes`` item of docs/sync-protocol.md (plus a few fields the client may use)."""
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
        # the submission the reviewer last accepted (kept when a later revision changed the report)
        "accepted_submission_id": m.get("accepted_submission_id"),
    }
    if include_values:
        doc["values"] = json.loads(m["values_json"])
        doc["comments"] = json.loads(m["comments_json"])
        doc["eth_rows"] = json.loads(m["eth_rows_json"])
    return doc
