"""Ingestion of submissions: the one code path behind ``submissions:batch``, bundles and ``courier import``.

Each submission is checked (shape, scope, payload hash, catalogue version, the same validation rules as
the client) and then stored in its own transaction. The outcome is one of docs/sync-protocol.md's statuses:

* ``accepted`` / ``late`` — stored, receipt issued, the report's head and server revision move (late:
  received after the period's deadline in Vietnam time; it awaits the reviewer's approval);
* ``duplicate`` — the same ID with the same payload was stored before: the original result;
* ``rejected`` — a permanent problem with this item (nothing stored);
* ``conflict`` — the submission started from an older server revision and a newer revision came from
  someone else (a reviewer action, another device, or a submission outside its own chain). It is
  stored with a receipt, but the report's head does not move: the report is flagged for the reviewer.

A device's own offline chain is never a conflict: a revision counts as the device's own when it is in
the submission's ``supersedes`` chain or comes from the same device with a lower ``revision_no``
(intermediate revisions superseded before they were sent leave gaps in the chain). A revision that
arrives after a newer revision of the same device is stored as ``accepted`` without moving the head.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from dttscore.model import Catalog
from dttscore.payload import canonical_values
from dttshub import db as t
from dttshub.catalogs import Catalogs
from dttshub.cells import cell_rows, insert_cells
from dttshub.config import HubConfig
from dttshub.content import Checked, ContentChecker, previous_head_values
from dttshub.db import CHANGE_SEQ, Database, busy, is_lock_timeout, iso
from dttshub.documents import ItemRejected, SubmissionDoc, parse_submission, reject
from dttshub.receipts import format_receipt, receipt_counter_name, vn_date
from dttshub.reportstate import changed_since_acceptance, derive_status
from dttshub.rule_sources import HubReports
from dttshub.scope import Account
from dttshub.wire import expand

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
_RESULT_COLUMNS = tuple(
    t.submissions.c[name]
    for name in (
        "submission_id",
        "unit",
        "form",
        "period",
        "payload_sha256",
        "status",
        "receipt_no",
        "server_revision",
        "received_at",
    )
)

_S = t.submissions.c
_SID = sa.bindparam("sid")
# The row of this submission ID (first) or a newer revision of the same report (see Ingest._look).
_LOOK = (
    sa.select(*_RESULT_COLUMNS)
    .where(
        sa.or_(
            _S.submission_id == _SID,
            sa.and_(
                _S.report_id == sa.bindparam("rid"),
                sa.or_(
                    _S.supersedes == _SID,
                    sa.and_(_S.device_id == sa.bindparam("dev"), _S.revision_no > sa.bindparam("rev")),
                ),
            ),
        )
    )
    .order_by(sa.case((_S.submission_id == _SID, 0), else_=1))
    .limit(1)
)
# Statements built once: SQLAlchemy then reuses their compiled form (parameters given at execution).
_INSERT_SUBMISSION = t.submissions.insert()
_INSERT_REVISION = t.revisions.insert()
_UPDATE_REPORT = t.reports.update().where(t.reports.c.id == sa.bindparam("report_key"))


class Ingest:
    """Checks and stores submissions.

    Args:
        db: the hub database.
        config: the hub configuration (clock).
        catalogs: the published catalogues (every version is kept).
    """

    def __init__(self, db: Database, config: HubConfig, catalogs: Catalogs) -> None:
        self.db = db
        self.config = config
        self.catalogs = catalogs
        self.content = ContentChecker(catalogs)

    def ingest_many(self, account: Account, device_id: str, docs: list, source: str = "batch") -> list[dict]:
        """One result per document, in order; each document in its own transaction.

        The documents share one database connection (one pool checkout per batch, not per item), and
        nothing takes a second one: the catalogue of an item is read on this connection.
        """
        with self.db.connect() as conn:
            return [self._ingest(conn, account, device_id, doc, source) for doc in docs]

    def ingest_one(self, account: Account, device_id: str, doc: dict, source: str = "batch") -> dict:
        """Check and store one submission document; never raises for a problem of the item itself."""
        with self.db.connect() as conn:
            return self._ingest(conn, account, device_id, doc, source)

    def _ingest(self, conn: Connection, account: Account, device_id: str, doc: object, source: str) -> dict:
        sid = str(doc.get("submission_id", ""))[:128] if isinstance(doc, dict) else ""
        now = self.config.now()
        try:
            sub = parse_submission(doc)
            self._check_scope(account, sub)
            values_json = self._check_hash(sub) if sub.compact is None else ""
            catalog: Catalog | None = None
            resolved = False
            checked: Checked | None = None
            for attempt in range(MAX_ATTEMPTS):
                try:
                    if not resolved:
                        # The catalogue version, read (on a cache miss) on this request's own connection
                        # before the transaction begins: nothing inside it needs another connection.
                        catalog = self.catalogs.get(sub.catalog_id, sub.catalog_version, conn)
                        resolved = True
                        if sub.compact is not None:  # payload version 2: decoded before anything looks
                            if catalog is None or not catalog.has_form(sub.form):
                                self.content.check(sub, catalog)  # rejects: unknown catalogue or form
                            sub = expand(conn, account, sub, catalog)
                            values_json = self._check_hash(sub)
                    # One transaction: lock the report, look for this ID and for newer revisions in one
                    # query, check the content (the first time) and store.
                    with conn.begin():
                        report = self._lock_report(conn, sub, now)
                        existing, superseded = self._look(conn, report.id, sub, device_id)
                        if existing is not None:
                            return self._resend(account, sub, existing)
                        if checked is None:
                            earlier_period, earlier = previous_head_values(conn, sub)
                            checked = self.content.check(
                                sub, catalog, HubReports(conn, sub.unit), earlier, earlier_period
                            )
                        return self._store(
                            conn, checked, values_json, report, superseded, account, device_id, source, now
                        )
                except (sa.exc.IntegrityError, sa.exc.OperationalError) as exc:
                    # Another request stored this ID, created the report or held a lock first: look again.
                    logger.info("retrying %s after %s (attempt %d)", sid, type(exc).__name__, attempt + 1)
                    if attempt == MAX_ATTEMPTS - 1:
                        if is_lock_timeout(exc):
                            raise busy() from exc  # SQLite's write lock stayed taken: 503, the client retries
                        raise
            raise AssertionError("unreachable")  # pragma: no cover
        except ItemRejected as rej:
            logger.info("submission %s rejected: %s", sid, [e["code"] for e in rej.errors])
            return _result(sid, rej.status, None, None, iso(now), rej.errors)

    def status(self, account: Account, ids: list[str]) -> list[dict]:
        """The stored result of each ID in the account's scope, ``unknown`` for the others."""
        found: dict[str, dict] = {}
        wanted = [i for i in dict.fromkeys(ids) if isinstance(i, str)]
        with self.db.read() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                for row in conn.execute(
                    sa.select(*_RESULT_COLUMNS).where(t.submissions.c.submission_id.in_(chunk))
                ):
                    if account.covers(row.unit):
                        found[row.submission_id] = _result(
                            row.submission_id,
                            row.status,
                            row.receipt_no,
                            row.server_revision,
                            row.received_at,
                            [],
                        )
        return [found.get(i) or _result(i, "unknown", None, None, None, []) for i in ids]

    # -- checks --------------------------------------------------------------------------------------
    @staticmethod
    def _check_scope(account: Account, sub: SubmissionDoc) -> None:
        if not account.covers(sub.unit):
            raise reject(
                "out_of_scope",
                f"Tài khoản {account.username} không được nộp báo cáo của đơn vị {sub.unit}.",
                f"Account {account.username} may not submit reports of unit {sub.unit}.",
            )

    @staticmethod
    def _check_hash(sub: SubmissionDoc) -> str:
        """The canonical JSON of the values (stored as the report's values) once its hash is checked."""
        canonical = canonical_values(sub.values)
        if hashlib.sha256(canonical).hexdigest() != sub.payload_sha256:
            raise reject(
                "payload_hash_mismatch",
                "Mã kiểm tra (payload_sha256) không khớp với số liệu: bản nộp bị hỏng hoặc bị sửa.",
                "The checksum (payload_sha256) does not match the values: the submission is damaged or altered.",
            )
        return canonical.decode("utf-8")

    @staticmethod
    def _look(conn: Connection, report_id: int, sub: SubmissionDoc, device_id: str):
        """``(the stored row of this ID or None, whether a newer revision of the report arrived first)``.

        A newer revision is one that supersedes this submission, or one from the same device with a
        higher ``revision_no``. One query: the row of this ID comes first when there is one.
        """
        row = conn.execute(
            _LOOK,
            {"sid": sub.submission_id, "rid": report_id, "dev": device_id, "rev": sub.revision_no},
        ).first()
        if row is None:
            return None, False
        if row.submission_id == sub.submission_id:
            return row, False
        return None, True

    @staticmethod
    def _resend(account: Account, sub: SubmissionDoc, row) -> dict:
        same = (
            row.payload_sha256 == sub.payload_sha256
            and (row.unit, row.form, row.period) == (sub.unit, sub.form, sub.period)
            and account.covers(row.unit)
        )
        if not same:
            raise reject(
                "submission_id_reused",
                "Mã bản nộp này đã được dùng cho số liệu khác; bản nộp bị từ chối.",
                "This submission ID was already used for different values; the submission is refused.",
            )
        result = _result(
            row.submission_id, "duplicate", row.receipt_no, row.server_revision, row.received_at, []
        )
        # docs/sync-protocol.md: a duplicate is treated like accepted; the original status lets the client keep a
        # late or conflicting submission marked as such after a resend.
        result["original_status"] = row.status
        return result

    # -- storing -------------------------------------------------------------------------------------
    def _store(
        self,
        conn: Connection,
        checked: Checked,
        values_json: str,
        report,
        superseded: bool,
        account: Account,
        device_id: str,
        source: str,
        now: datetime,
    ) -> dict:
        sub = checked.sub
        current = report.server_revision
        late = vn_date(now) > checked.deadline
        if superseded:
            status, revision, moves = "accepted", current, False
        elif sub.base_server_revision < current and self._foreign_since(conn, report.id, sub, device_id):
            status, revision, moves = "conflict", current, False
        else:
            status, revision, moves = ("late" if late else "accepted"), current + 1, True
        # The receipt number and (when the report changes) the hub-wide change sequence in one statement;
        # the receipt counter is always locked before the change sequence, as everywhere else.
        year = vn_date(now).year
        receipt_counter = receipt_counter_name(sub.unit, year)
        names = [receipt_counter] + ([CHANGE_SEQ] if moves or status == "conflict" else [])
        counted = self.db.next_values(conn, names)
        receipt = format_receipt(sub.unit, year, counted[receipt_counter])
        received_at = iso(now)
        conn.execute(
            _INSERT_SUBMISSION,
            dict(
                submission_id=sub.submission_id,
                report_id=report.id,
                unit=sub.unit,
                form=sub.form,
                period=sub.period,
                username=account.username,
                device_id=device_id,
                revision_no=sub.revision_no,
                supersedes=sub.supersedes,
                base_server_revision=sub.base_server_revision,
                catalog_id=sub.catalog_id,
                catalog_version=sub.catalog_version,
                payload_sha256=sub.payload_sha256,
                status=status,
                receipt_no=receipt,
                server_revision=revision,
                received_at=received_at,
                source=source,
                document=json.dumps(sub.raw, ensure_ascii=False, sort_keys=True),
                warnings_json=json.dumps(checked.warnings, ensure_ascii=False),
            ),
        )
        # Every stored revision's values, in this transaction (the province totals read them).
        insert_cells(conn, cell_rows(sub.submission_id, report.id, revision, sub.values))
        changes: dict = {}
        if moves:
            conn.execute(
                _INSERT_REVISION,
                dict(
                    report_id=report.id,
                    server_revision=revision,
                    kind="submission",
                    submission_id=sub.submission_id,
                    by=account.username,
                    at=received_at,
                ),
            )
            changes = {
                "server_revision": revision,
                "head_submission_id": sub.submission_id,
                "receipt_no": receipt,
                "catalog_id": sub.catalog_id,
                "catalog_version": sub.catalog_version,
                "values_json": values_json,
                "comments_json": json.dumps(sub.comments, ensure_ascii=False),
                "eth_rows_json": json.dumps(sub.eth_rows, ensure_ascii=False),
                "late": late,
                "review_state": None,
                "review_comment": None,
                "review_by": None,
                "review_at": None,
            }
        elif status == "conflict":
            changes = {"conflict": True}
        if changes:
            merged = {**report._mapping, **changes}
            changes["status"] = derive_status(
                merged["conflict"], merged["review_state"], merged["late"], changed_since_acceptance(merged)
            )
            changes["change_seq"] = counted[CHANGE_SEQ]
            changes["updated_at"] = received_at
            # no echo: the device that sent this revision has its receipt; changes leaves it out for that
            # device until the report changes again (a conflict flag is sent back: it is news to the device)
            # (only when the sender is the token's own device: a bundle imported elsewhere is news to it)
            # and only when the reply says it all: the report's status is the item's, and no review state
            # was cleared (a revision after acceptance is "changed_after_acceptance": sent back)
            echo = (
                moves
                and bool(account.device_id)
                and account.device_id == device_id
                and changes["status"] == ("submitted" if status == "accepted" else status)
                and report._mapping["review_state"] is None
            )
            changes["echo_device"] = device_id if echo else None
            changes["echo_seq"] = counted[CHANGE_SEQ] if echo else None
            conn.execute(_UPDATE_REPORT, {**changes, "report_key": report.id})
        logger.info("submission %s: %s %s (rev %s)", sub.submission_id, status, receipt, revision)
        return _result(sub.submission_id, status, receipt, revision, received_at, [])

    def _lock_report(self, conn: Connection, sub: SubmissionDoc, now: datetime):
        """The report's row, created when new, locked until commit: one upsert that returns the row."""
        return self.db.upsert_lock(
            conn,
            t.reports,
            {
                "unit": sub.unit,
                "form": sub.form,
                "period": sub.period,
                "catalog_id": sub.catalog_id,
                "catalog_version": sub.catalog_version,
                "updated_at": iso(now),
            },
            ["unit", "form", "period"],
        )

    @staticmethod
    def _chain(conn: Connection, sub: SubmissionDoc) -> set[str]:
        """The stored submissions this one supersedes, directly or through earlier ones."""
        chain: set[str] = set()
        current = sub.supersedes
        while current and current not in chain and len(chain) < 10_000:
            chain.add(current)
            current = conn.execute(
                sa.select(t.submissions.c.supersedes).where(t.submissions.c.submission_id == current)
            ).scalar()
        return chain

    def _foreign_since(self, conn: Connection, report_id: int, sub: SubmissionDoc, device_id: str) -> bool:
        """True when a revision after the submission's base came from someone else."""
        r, s = t.revisions.c, t.submissions.c
        later = conn.execute(
            sa.select(r.kind, r.submission_id, s.device_id, s.revision_no)
            .select_from(t.revisions.outerjoin(t.submissions, s.submission_id == r.submission_id))
            .where(r.report_id == report_id, r.server_revision > sub.base_server_revision)
        ).all()
        if any(row.kind != "submission" for row in later):
            return True
        chain = self._chain(conn, sub)
        return any(
            row.submission_id not in chain
            and not (row.device_id == device_id and row.revision_no < sub.revision_no)
            for row in later
        )


def _result(
    submission_id: str,
    status: str,
    receipt_no: str | None,
    server_revision: int | None,
    received_at: str | None,
    errors: list[dict],
) -> dict:
    return {
        "submission_id": submission_id,
        "status": status,
        "receipt_no": receipt_no,
        "server_revision": server_revision,
        "received_at": received_at,
        "errors": errors,
    }
