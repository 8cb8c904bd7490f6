"""Checking and finalizing a report: the immutable submission and its outbox row, in one transaction."""

from __future__ import annotations

import json
import logging
import sqlite3
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from dttsclient.store._base import Database, Part, guarded, iso_seconds
from dttsclient.store.errors import (
    FinalizeBlocked,
    NothingToFinalize,
    ReasonsRequired,
    SubmissionNotFound,
)
from dttsclient.store.models import Submission
from dttsclient.store.reports import Reports
from dttscore.swing import SWING

if TYPE_CHECKING:
    from dttscore.problems import Problem

logger = logging.getLogger(__name__)

SUBMISSION_COLUMNS = (
    "submission_id, report_id, revision_no, supersedes, base_server_revision, catalog_id, "
    "catalog_version, finalized_at, finalized_by, payload_sha256, document"
)
# Change-log kinds that are the officer's own edits (pulled values came from the hub already).
_LOCAL_KINDS = ("edit", "import")


def warning_key(problem: Problem) -> str:
    """The key of a warning in the ``reasons`` dict of :meth:`Finalize.finalize`.

    ``code``, then ``[option]`` for a ``*`` rule, ``@indicator`` and ``/disagg`` when set: "R05",
    "R05[eth=08]", "max@0301/eth=08|sex=F". ``finalize`` also accepts a reason given under the rule
    code alone (it then covers every option of that rule), which is what the CLI's ``--reason R05=…``
    does.
    """
    key = problem.code
    if problem.option:
        key += f"[{problem.option}]"
    if problem.indicator:
        key += f"@{problem.indicator}"
    if problem.disagg:
        key += f"/{problem.disagg}"
    return key


def submission_from_row(row: tuple) -> Submission:
    return Submission(
        submission_id=row[0],
        report_id=row[1],
        revision_no=row[2],
        supersedes=row[3],
        base_server_revision=row[4],
        catalog_id=row[5],
        catalog_version=row[6],
        finalized_at=row[7],
        finalized_by=row[8],
        payload_sha256=row[9],
        document=json.loads(row[10]),
    )


def _reason_for(problem: Problem, reasons: Mapping[str, str]) -> str:
    for key in (
        warning_key(problem),
        f"{problem.code}[{problem.option}]" if problem.option else None,
        problem.code,
    ):
        if key is not None:
            text = (reasons.get(key) or "").strip()
            if text:
                return text
    return ""


class Finalize(Part):
    """The finalize half of ``store.outbox`` (:class:`~dttsclient.store.outbox.Outbox`): freezing a report
    into a submission and reading submissions.

    Args:
        db: the store's database.
        reports: the store's reports part.
    """

    def __init__(self, db: Database, reports: Reports) -> None:
        super().__init__(db)
        self._reports = reports

    @guarded
    def finalize(
        self,
        report_id: int,
        who: str,
        reasons: Mapping[str, str] | None = None,
        require_reasons: bool = True,
    ) -> Submission:
        """Freeze the report into a new immutable submission queued in the outbox. One transaction.

        The submission is revision n + 1 of the report and supersedes revision n; an older revision of
        the report still ``queued`` becomes ``superseded`` (never sent). The report becomes
        "finalized" without unsent edits.

        Args:
            report_id: the report.
            who: the officer finalizing.
            reasons: reason text per warning, keyed by :func:`warning_key` or by rule code.
            require_reasons: when True (the GUI) every warning needs a reason; when False (the CLI)
                warnings without one are recorded with an empty reason.

        Returns:
            The new submission (``.document`` is the docs/sync-protocol.md submission).

        Raises:
            FinalizeBlocked: the report has errors (``.errors``; ``.problems`` has all findings).
            ReasonsRequired: warnings without a reason (``.warnings``), only with ``require_reasons``.
            NothingToFinalize: the report is finalized and unchanged since.
        """
        from dttscore.payload import payload_sha256, values_to_list

        reasons = reasons or {}
        with self._tx() as conn:
            report = self._reports._report_row(report_id)
            if report.state == "finalized" and not report.dirty:
                raise NothingToFinalize()
            catalog = self._reports._report_catalog(report)
            problems = self._reports._problems(conn, report)
            if any(p.is_error for p in problems):
                raise FinalizeBlocked(problems)
            warnings = [p for p in problems if not p.is_error]
            warning_docs, missing = [], []
            for w in warnings:
                reason = _reason_for(w, reasons)
                if not reason:
                    missing.append(w)
                doc = {"rule": w.code, "option": w.option, "reason": reason}
                if w.code == SWING:  # one per cell: the hub matches the reason to its own swing by the cell
                    doc.update(indicator=w.indicator, disagg=w.disagg)
                warning_docs.append(doc)
            if require_reasons and missing:
                raise ReasonsRequired(missing)

            prev = conn.execute(
                "SELECT submission_id, revision_no FROM submissions WHERE report_id = ? "
                "ORDER BY revision_no DESC LIMIT 1",
                (report_id,),
            ).fetchone()
            revision_no = max(prev[1] if prev else 0, report.revision_no) + 1
            supersedes = prev[0] if prev else None
            cells = self._reports._cells(conn, report_id)
            now = self._now()
            finalized_at = iso_seconds(now)
            submission_id = str(uuid.uuid4())
            document: dict[str, Any] = {
                "submission_id": submission_id,
                "unit": report.unit,
                "unit_list": catalog.unit_list,
                "form": report.form,
                "period": report.period,
                "revision_no": revision_no,
                "supersedes": supersedes,
                "base_server_revision": report.server_revision,
                "catalog_id": catalog.catalog_id,
                "catalog_version": catalog.version,
                "finalized_at": finalized_at,
                "payload_sha256": payload_sha256(cells),
                "values": values_to_list(cells),
                "comments": [
                    {"code": c.code, "disagg": c.disagg, "text": c.text, "author": c.author, "at": c.at}
                    for c in self._reports._comments(conn, report_id)
                ],
                "change_log": self._change_log_doc(conn, report_id),
                "warnings": warning_docs,
                "eth_rows": self._reports._eth_rows(conn, report_id),
                "eth_system": catalog.ethnic_code_system,
            }
            conn.execute(
                f"INSERT INTO submissions ({SUBMISSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    submission_id,
                    report_id,
                    revision_no,
                    supersedes,
                    report.server_revision,
                    catalog.catalog_id,
                    catalog.version,
                    finalized_at,
                    who,
                    document["payload_sha256"],
                    json.dumps(document, ensure_ascii=False, separators=(",", ":")),  # keys in order already
                ),
            )
            superseded = conn.execute(
                "UPDATE outbox SET state = 'superseded', lease_until = NULL, updated_at = ? "
                "WHERE report_id = ? AND state = 'queued'",
                (finalized_at, report_id),
            ).rowcount
            conn.execute(
                "INSERT INTO outbox (submission_id, report_id, state, created_at, updated_at) "
                "VALUES (?, ?, 'queued', ?, ?)",
                (submission_id, report_id, finalized_at, finalized_at),
            )
            conn.execute(
                "UPDATE reports SET state = 'finalized', dirty = 0, revision_no = ?, "
                "base_server_revision = server_revision, updated_at = ? WHERE id = ?",
                (revision_no, finalized_at, report_id),
            )
        logger.info(
            "finalized report %s revision %s (%s); %d queued revision(s) superseded",
            report_id,
            revision_no,
            submission_id,
            superseded,
        )
        return Submission(
            submission_id=submission_id,
            report_id=report_id,
            revision_no=revision_no,
            supersedes=supersedes,
            base_server_revision=report.server_revision,
            catalog_id=catalog.catalog_id,
            catalog_version=catalog.version,
            finalized_at=finalized_at,
            finalized_by=who,
            payload_sha256=document["payload_sha256"],
            document=document,
        )

    @staticmethod
    def _change_log_doc(conn: sqlite3.Connection, report_id: int) -> list[dict[str, Any]]:
        rows = conn.execute(
            "SELECT code, disagg, old, new, who, at FROM change_log WHERE report_id = ? AND kind IN (?, ?) "
            "ORDER BY id",
            (report_id, *_LOCAL_KINDS),
        ).fetchall()
        return [
            {"code": r[0], "disagg": r[1], "old": r[2], "new": r[3], "who": r[4], "at": r[5]} for r in rows
        ]

    # -- reading submissions ------------------------------------------------------------------------
    @guarded
    def submission(self, submission_id: str) -> Submission:
        """One submission.

        Raises:
            SubmissionNotFound: no such submission.
        """
        row = self._conn.execute(
            f"SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE submission_id = ?", (submission_id,)
        ).fetchone()
        if row is None:
            raise SubmissionNotFound(submission_id)
        return submission_from_row(row)

    @guarded
    def submissions(self, report_id: int) -> list[Submission]:
        """Every submission of a report, oldest revision first."""
        rows = self._conn.execute(
            f"SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE report_id = ? ORDER BY revision_no",
            (report_id,),
        ).fetchall()
        return [submission_from_row(r) for r in rows]
