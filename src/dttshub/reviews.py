"""Review: the province reviewer accepts or returns a report (``POST /reviews``, ``dttshub review``).

A review moves the report's server revision by one, records ``{state, comment, by, at}`` and clears the
conflict flag (the reviewer has looked at both versions). With ``submission_id`` the reviewer picks
which stored version becomes the report's head (e.g. the conflicting one); without it the head stays.
The officer sees the review, and the comment of a return, through ``changes`` at the next sync.

An acceptance locks the report (``reports.accepted_submission_id``, see :mod:`dttshub.reportstate`): a
later revision from the commune is received, but the report becomes ``changed_after_acceptance`` and
needs review again. :meth:`Reviews.bulk_accept` accepts many reports at once and names each one it left
alone with the reason (no report, a conflict, error-level problems, already accepted).
"""

from __future__ import annotations

import json
import logging

import sqlalchemy as sa

from dttscore.payload import values_from_list, values_to_list
from dttscore.validate import check_report
from dttshub import db as t
from dttshub.catalogs import Catalogs
from dttshub.config import HubConfig
from dttshub.db import CHANGE_SEQ, Database, iso
from dttshub.errors import BadRequest, NotFound
from dttshub.reportstate import derive_status, report_to_json
from dttshub.rule_sources import HubReports
from dttshub.scope import Account

logger = logging.getLogger(__name__)

DECISIONS = {"accept": "accepted", "return": "returned"}
MAX_COMMENT = 4000
MAX_BULK = 4000
"""Reports one bulk acceptance may name (every commune of the country is 3,321)."""

SKIP_REASONS = {
    "no_report": ("máy chủ chưa nhận báo cáo nào", "the hub has received no report"),
    "conflict": (
        "có bản nộp xung đột; hãy xem và chọn từng báo cáo",
        "a conflicting submission waits; review it on its own",
    ),
    "errors": ("số liệu có lỗi", "the values have errors"),
    "already_accepted": ("đã được chấp nhận trước đó", "already accepted"),
    "unknown_catalog": (
        "máy chủ không có danh mục của báo cáo để kiểm tra",
        "the hub lacks the report's catalogue to check it",
    ),
}


class Reviews:
    """Records reviewer decisions.

    Args:
        db: the hub database.
        config: the hub configuration (clock).
    """

    def __init__(self, db: Database, config: HubConfig, catalogs: Catalogs | None = None) -> None:
        self.db = db
        self.config = config
        self.catalogs = catalogs or Catalogs(db, config)

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
        with self.db.begin() as conn:
            report = self._lock(conn, unit, form, period)
            if report is None:
                raise NotFound(
                    "no_report",
                    f"Máy chủ chưa có báo cáo {form} kỳ {period} của đơn vị {unit}.",
                    f"The hub holds no report {form} for period {period} of unit {unit}.",
                )
            row = self._decide(conn, account, report, state, comment, submission_id)
        logger.info(
            "review %s %s %s %s by %s: %s", unit, form, period, row.server_revision, account.username, state
        )
        return report_to_json(row)

    def bulk_accept(self, account: Account, items: list[tuple[str, str, str]], comment: str = "") -> dict:
        """Accept every listed report that can be accepted as it stands; name the others with the reason.

        A report is left alone when the hub holds none (``no_report``), when a conflicting submission
        waits for the reviewer's choice (``conflict``), when its values have error-level problems under its
        own catalogue version (``errors``, with the problems), or when it is accepted already
        (``already_accepted``). Each report is decided in its own transaction, as a single review would be.

        Args:
            items: ``(unit, form, period)`` of each selected report (duplicates are taken once).
            comment: the comment recorded with each acceptance.

        Returns:
            ``{"accepted": [report as changes shows it, …], "skipped": [{unit, form, period, reason,
            message_vi, message_en, problems}, …]}``, both in the order given.

        Raises:
            Forbidden: the account is an officer, or any listed unit is outside its scope (nothing is done).
            BadRequest: more than :data:`MAX_BULK` reports, or a comment too long.
        """
        account.require_reviewer()
        wanted = list(dict.fromkeys((str(u), str(f), str(p)) for u, f, p in items))
        if len(wanted) > MAX_BULK:
            raise BadRequest(
                "too_many_reports",
                f"Mỗi lần chấp nhận tối đa {MAX_BULK} báo cáo.",
                f"At most {MAX_BULK} reports can be accepted at once.",
            )
        comment = comment or ""
        if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
            raise BadRequest(
                "bad_comment",
                f"Nhận xét phải là văn bản tối đa {MAX_COMMENT} ký tự.",
                f"The comment must be text of at most {MAX_COMMENT} characters.",
            )
        for unit, _form, _period in wanted:
            account.require_unit(unit)
        accepted: list[dict] = []
        skipped: list[dict] = []
        with self.db.connect() as conn:
            for unit, form, period in wanted:
                with conn.begin():
                    report = self._lock(conn, unit, form, period)
                    reason, problems = self._why_not(report, conn)
                    if reason is None:
                        row = self._decide(conn, account, report, "accepted", comment, None)
                        accepted.append(report_to_json(row, include_values=False))
                        continue
                vi, en = SKIP_REASONS[reason]
                skipped.append(
                    {
                        "unit": unit,
                        "form": form,
                        "period": period,
                        "reason": reason,
                        "message_vi": vi,
                        "message_en": en,
                        "problems": problems,
                    }
                )
        logger.info(
            "bulk accept by %s: %d accepted, %d skipped", account.username, len(accepted), len(skipped)
        )
        return {"accepted": accepted, "skipped": skipped}

    def _why_not(self, report, conn) -> tuple[str | None, list[dict]]:
        """Why a report cannot be accepted in bulk (None when it can), with its error-level problems."""
        if report is None:
            return "no_report", []
        if report.conflict:
            return "conflict", []
        if report.review_state == "accepted":
            return "already_accepted", []
        # read on the transaction's own connection: a second checkout is refused (one connection per request)
        catalog = self.catalogs.get(report.catalog_id, report.catalog_version, conn, in_transaction=True)
        if catalog is None or not catalog.has_form(report.form):
            return "unknown_catalog", []
        values = values_from_list(json.loads(report.values_json))
        eth_rows = json.loads(report.eth_rows_json) or None
        others = HubReports(conn, report.unit)
        problems = check_report(catalog, report.form, values, eth_rows, period=report.period, others=others)
        errors = [p for p in problems if p.is_error]
        if errors:
            return "errors", [p.to_json() for p in errors]
        return None, []

    @staticmethod
    def _lock(conn, unit: str, form: str, period: str):
        """The report's row locked until commit, or None when the hub holds no such report."""
        return conn.execute(
            sa.select(t.reports)
            .where(
                t.reports.c.unit == unit,
                t.reports.c.form == form,
                t.reports.c.period == period,
                t.reports.c.server_revision > 0,
            )
            .with_for_update()
        ).first()

    def _decide(self, conn, account: Account, report, state: str, comment: str, submission_id: str | None):
        """Record one decision on a locked report (inside the caller's transaction); returns the new row."""
        at = iso(self.config.now())
        revision = report.server_revision + 1
        changes: dict = {}
        if submission_id:
            changes = self._adopt(conn, report, submission_id)
        late = changes.get("late", report.late)
        if state == "accepted":  # the lock: what was accepted is kept until the next acceptance
            changes["accepted_submission_id"] = changes.get("head_submission_id", report.head_submission_id)
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
        return conn.execute(sa.select(t.reports).where(t.reports.c.id == report.id)).one()

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
