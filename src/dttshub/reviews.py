"""Review: the province reviewer accepts or returns a report (``POST /reviews``, ``dttshub review``).

A review moves the report's server revision by one, records ``{state, comment, by, at}`` and clears the
conflict flag (the reviewer has looked at both versions). With ``submission_id`` the reviewer picks
which stored version becomes the report's head (e.g. the conflicting one); without it the head stays.
The officer sees the review through ``changes`` at the next sync.
"""

from __future__ import annotations

import json
import logging

import sqlalchemy as sa

from dttsclient.core.payload import values_from_list, values_to_list
from dttshub import db as t
from dttshub.config import HubConfig
from dttshub.db import CHANGE_SEQ, Database, iso
from dttshub.errors import BadRequest, NotFound
from dttshub.reportstate import derive_status, report_to_json
from dttshub.scope import Account

logger = logging.getLogger(__name__)

DECISIONS = {"accept": "accepted", "return": "returned"}
MAX_COMMENT = 4000


class Reviews:
    """Records reviewer decisions.

    Args:
        db: the hub database.
        config: the hub configuration (clock).
    """

    def __init__(self, db: Database, config: HubConfig) -> None:
        self.db = db
        self.config = config

    def review(
        self,
        account: Account,
        unit: str,
        form: str,
        period: str,
        decision: str,
        comment: str = "",
        submission_id: str | None = None,
    ) -> dict:
        """Accept or return a report; returns the report as ``changes`` shows it.

        Raises:
            Forbidden: the account is an officer, or the unit is outside its scope.
            BadRequest: an unknown decision, a comment too long, a submission of another report.
            NotFound: the hub holds no such report.
        """
        account.require_reviewer()
        if not isinstance(unit, str) or not isinstance(form, str) or not isinstance(period, str):
            raise BadRequest(
                "malformed_review",
                "Yêu cầu thẩm định cần unit, form và period.",
                "A review needs unit, form and period.",
            )
        account.require_unit(unit)
        state = DECISIONS.get(decision)
        if state is None:
            raise BadRequest(
                "bad_decision",
                "Quyết định phải là 'accept' (chấp nhận) hoặc 'return' (trả lại).",
                "The decision must be 'accept' or 'return'.",
            )
        comment = comment or ""
        if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
            raise BadRequest(
                "bad_comment",
                f"Nhận xét phải là văn bản tối đa {MAX_COMMENT} ký tự.",
                f"The comment must be text of at most {MAX_COMMENT} characters.",
            )
        now = self.config.now()
        at = iso(now)
        with self.db.begin() as conn:
            report = conn.execute(
                sa.select(t.reports)
                .where(
                    t.reports.c.unit == unit,
                    t.reports.c.form == form,
                    t.reports.c.period == period,
                    t.reports.c.server_revision > 0,
                )
                .with_for_update()
            ).first()
            if report is None:
                raise NotFound(
                    "no_report",
                    f"Máy chủ chưa có báo cáo {form} kỳ {period} của đơn vị {unit}.",
                    f"The hub holds no report {form} for period {period} of unit {unit}.",
                )
            revision = report.server_revision + 1
            changes: dict = {}
            if submission_id:
                changes = self._adopt(conn, report, submission_id)
            late = changes.get("late", report.late)
            changes.update(
                server_revision=revision,
                review_state=state,
                review_comment=comment,
                review_by=account.username,
                review_at=at,
                conflict=False,
                status=derive_status(False, state, late),
                change_seq=self.db.next_value(conn, CHANGE_SEQ),
                updated_at=at,
            )
            conn.execute(t.reports.update().where(t.reports.c.id == report.id).values(**changes))
            conn.execute(
                t.revisions.insert().values(
                    report_id=report.id,
                    server_revision=revision,
                    kind="review",
                    submission_id=submission_id,
                    by=account.username,
                    at=at,
                )
            )
            conn.execute(
                t.reviews.insert().values(
                    report_id=report.id,
                    server_revision=revision,
                    state=state,
                    comment=comment,
                    submission_id=submission_id,
                    by=account.username,
                    at=at,
                )
            )
            row = conn.execute(sa.select(t.reports).where(t.reports.c.id == report.id)).one()
        logger.info("review %s %s %s %s by %s: %s", unit, form, period, revision, account.username, state)
        return report_to_json(row)

    @staticmethod
    def _adopt(conn, report, submission_id: str) -> dict:
        sub = conn.execute(
            sa.select(t.submissions).where(
                t.submissions.c.submission_id == submission_id, t.submissions.c.report_id == report.id
            )
        ).first()
        if sub is None:
            raise BadRequest(
                "unknown_submission",
                f"Bản nộp {submission_id} không thuộc báo cáo này.",
                f"Submission {submission_id} does not belong to this report.",
            )
        doc = json.loads(sub.document)
        return {
            "head_submission_id": sub.submission_id,
            "receipt_no": sub.receipt_no,
            "catalog_id": sub.catalog_id,
            "catalog_version": sub.catalog_version,
            "values_json": json.dumps(
                values_to_list(values_from_list(doc.get("values") or [])), ensure_ascii=False
            ),
            "comments_json": json.dumps(doc.get("comments") or [], ensure_ascii=False),
            "eth_rows_json": json.dumps(doc.get("eth_rows") or [], ensure_ascii=False),
            "late": sub.status == "late",
        }
