"""Both versions of a report in conflict (issue 15, the province console's conflicts page).

A conflicting submission is stored beside the report without becoming its head (``submissions.status`` =
``conflict``, ``reports.conflict`` set; see :mod:`dttshub.submissions`). The reviewer sees the standing
version (the head) and the latest conflicting one side by side and picks which stands through
:meth:`dttshub.reviews.Reviews.review` with that ``submission_id`` (or returns the report).
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from dttscore.payload import values_from_list
from dttshub import db as t
from dttshub.errors import NotFound
from dttshub.scope import Account


def conflict_versions(hub, account: Account, unit: str, form: str, period: str) -> dict:
    """The standing and the conflicting version of a report, with their values by ``(code, disagg)``.

    Raises:
        Forbidden: the account is not a reviewer, or the unit is outside its scope.
        NotFound: no such report, or no conflicting submission waits.
    """
    account.require_reviewer()
    account.require_unit(unit)
    r, s = t.reports.c, t.submissions.c
    with hub.db.read() as conn:
        report = conn.execute(
            sa.select(t.reports).where(
                r.unit == unit, r.form == form, r.period == period, r.server_revision > 0
            )
        ).first()
        if report is None or not report.conflict:
            raise NotFound(
                "no_conflict",
                f"Báo cáo {form} kỳ {period} của đơn vị {unit} không có xung đột nào đang chờ.",
                f"Report {form} for period {period} of unit {unit} has no conflict waiting.",
            )
        cols = (s.submission_id, s.received_at, s.receipt_no, s.username, s.device_id, s.document)
        head = conn.execute(sa.select(*cols).where(s.submission_id == report.head_submission_id)).first()
        other = conn.execute(
            sa.select(*cols)
            .where(s.report_id == report.id, s.status == "conflict")
            .order_by(s.received_at.desc())
            .limit(1)
        ).first()
    if other is None:
        raise NotFound(
            "no_conflict",
            f"Báo cáo {form} kỳ {period} của đơn vị {unit} không có xung đột nào đang chờ.",
            f"Report {form} for period {period} of unit {unit} has no conflict waiting.",
        )

    def version(row) -> dict:
        doc = json.loads(row.document) if row is not None and row.document else {}
        return {
            "submission_id": row.submission_id if row is not None else None,
            "received_at": row.received_at if row is not None else None,
            "receipt_no": row.receipt_no if row is not None else None,
            "by": row.username if row is not None else None,
            "device_id": row.device_id if row is not None else None,
            "values": values_from_list(doc.get("values") or []),
            "comments": doc.get("comments") or [],
        }

    return {
        "unit": unit,
        "form": form,
        "period": period,
        "server_revision": report.server_revision,
        "head": version(head),
        "other": version(other),
    }
