"""Ingestion of submissions: the one code path behind ``submissions:batch``, bundles and ``courier import``.

Each submission is checked (shape, scope, payload hash, catalogue version, the same validation rules as
the client) and then stored in its own transaction. The outcome is one of SYNC.md's statuses:

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

import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from dttsclient.core.disagg import cell_keys
from dttsclient.core.errors import DttsError
from dttsclient.core.model import Catalog
from dttsclient.core.payload import payload_sha256, values_to_list
from dttsclient.core.periods import check_period_for_form, deadline
from dttsclient.core.validate import check_report
from dttshub import db as t
from dttshub.catalogs import Catalogs
from dttshub.config import HubConfig
from dttshub.db import CHANGE_SEQ, Database, iso
from dttshub.documents import ItemRejected, SubmissionDoc, item_error, parse_submission, reject
from dttshub.receipts import next_receipt, vn_date
from dttshub.reportstate import derive_status
from dttshub.scope import Account

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
KEY_CACHE_SIZE = 64
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


@dataclass
class _Checked:
    sub: SubmissionDoc
    late_deadline: object  # datetime.date
    warnings: list[dict]


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
        self._keys: dict[tuple[str, int, str], dict[str, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def ingest_many(self, account: Account, device_id: str, docs: list, source: str = "batch") -> list[dict]:
        """One result per document, in order; each document in its own transaction."""
        return [self.ingest_one(account, device_id, doc, source) for doc in docs]

    def ingest_one(self, account: Account, device_id: str, doc: dict, source: str = "batch") -> dict:
        """Check and store one submission document; never raises for a problem of the item itself."""
        sid = str(doc.get("submission_id", "")) if isinstance(doc, dict) else ""
        now = self.config.now()
        try:
            if not isinstance(doc, dict):
                raise reject("malformed_submission", "Bản nộp không hợp lệ.", "Malformed submission.")
            sub = parse_submission(doc)
            self._check_scope(account, sub)
            self._check_hash(sub)
            existing = self._existing(sub.submission_id)
            if existing is not None:
                return self._resend(account, sub, existing)
            checked = self._check_content(sub)
            for attempt in range(MAX_ATTEMPTS):
                try:
                    with self.db.begin() as conn:
                        return self._store(conn, checked, account, device_id, source, now)
                except (sa.exc.IntegrityError, sa.exc.OperationalError) as exc:
                    # Another request stored this ID, created the report or held a lock first: look again.
                    logger.info("retrying %s after %s (attempt %d)", sid, type(exc).__name__, attempt + 1)
                    if attempt == MAX_ATTEMPTS - 1:
                        raise
                    existing = self._existing(sub.submission_id)
                    if existing is not None:
                        return self._resend(account, sub, existing)
            raise AssertionError("unreachable")  # pragma: no cover
        except ItemRejected as rej:
            logger.info("submission %s rejected: %s", sid, [e["code"] for e in rej.errors])
            return _result(sid, "rejected", None, None, iso(now), rej.errors)

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
    def _check_hash(sub: SubmissionDoc) -> None:
        actual = payload_sha256(sub.values)
        if actual != sub.payload_sha256:
            raise reject(
                "payload_hash_mismatch",
                "Mã kiểm tra (payload_sha256) không khớp với số liệu: bản nộp bị hỏng hoặc bị sửa.",
                "The checksum (payload_sha256) does not match the values: the submission is damaged or altered.",
            )

    def _existing(self, submission_id: str):
        with self.db.read() as conn:
            return conn.execute(
                sa.select(*_RESULT_COLUMNS).where(t.submissions.c.submission_id == submission_id)
            ).first()

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
        return _result(
            row.submission_id, "duplicate", row.receipt_no, row.server_revision, row.received_at, []
        )

    def _check_content(self, sub: SubmissionDoc) -> _Checked:
        catalog = self.catalogs.get(sub.catalog_id, sub.catalog_version)
        if catalog is None:
            raise reject(
                "unknown_catalog",
                f"Máy chủ không có danh mục {sub.catalog_id} phiên bản {sub.catalog_version}.",
                f"The hub has no catalogue {sub.catalog_id} version {sub.catalog_version}.",
            )
        if not catalog.has_form(sub.form):
            raise reject(
                "unknown_form",
                f"Danh mục {sub.catalog_id} v{sub.catalog_version} không có biểu {sub.form}.",
                f"Catalogue {sub.catalog_id} v{sub.catalog_version} has no form {sub.form}.",
            )
        form = catalog.form(sub.form)
        try:
            check_period_for_form(sub.period, form.period_type)
        except DttsError as exc:
            raise reject("bad_period", exc.message_vi, exc.message_en) from exc
        allowed = {i.code for i in catalog.form_indicators(form)}
        unknown = sorted({code for code, _ in sub.values} - allowed)
        if unknown:
            raise ItemRejected(
                [
                    item_error(
                        "unknown_indicator",
                        f"Chỉ tiêu {code} không thuộc biểu {sub.form}.",
                        f"Indicator {code} is not part of form {sub.form}.",
                        indicator=code,
                    )
                    for code in unknown
                ]
            )
        bad_cells = _bad_cells(sub, self._valid_keys(catalog, sub.form))
        if bad_cells:
            raise ItemRejected(bad_cells)
        problems = check_report(catalog, sub.form, sub.values, sub.eth_rows or None)
        errors = [p for p in problems if p.is_error]
        if errors:
            raise ItemRejected(
                [
                    item_error(
                        p.code,
                        p.message_vi,
                        p.message_en,
                        indicator=p.indicator,
                        disagg=p.disagg,
                        option=p.option,
                    )
                    for p in errors
                ]
            )
        stored_warnings, missing = [], []
        for p in problems:
            reason = _reason_for(p, sub.warnings)
            if reason is None:
                missing.append(p)
            else:
                stored_warnings.append(
                    {
                        "rule": p.code,
                        "option": p.option,
                        "indicator": p.indicator,
                        "disagg": p.disagg,
                        "reason": reason,
                        "message_vi": p.message_vi,
                        "message_en": p.message_en,
                    }
                )
        if missing:
            raise ItemRejected(
                [
                    item_error(
                        "warning_without_reason",
                        f"Cảnh báo chưa có giải trình: {p.message_vi}",
                        f"Warning without a reason: {p.message_en}",
                        indicator=p.indicator,
                        disagg=p.disagg,
                        rule=p.code,
                        option=p.option,
                    )
                    for p in missing
                ]
            )
        return _Checked(sub, deadline(sub.period, form.deadline_days), stored_warnings)

    def _valid_keys(self, catalog: Catalog, form: str) -> dict[str, frozenset[str]]:
        key = (catalog.catalog_id, catalog.version, form)
        with self._lock:
            if key in self._keys:
                return self._keys[key]
        valid = valid_cell_keys(catalog, form)
        with self._lock:
            self._keys[key] = valid
            while len(self._keys) > KEY_CACHE_SIZE:
                self._keys.pop(next(iter(self._keys)))
        return valid

    # -- storing -------------------------------------------------------------------------------------
    def _store(
        self,
        conn: Connection,
        checked: _Checked,
        account: Account,
        device_id: str,
        source: str,
        now: datetime,
    ) -> dict:
        sub = checked.sub
        report = self._lock_report(conn, sub, now)
        current = report.server_revision
        late = vn_date(now) > checked.late_deadline
        if self._superseded_on_arrival(conn, report.id, sub, device_id):
            status, revision, moves = "accepted", current, False
        elif sub.base_server_revision < current and self._foreign_since(conn, report.id, sub, device_id):
            status, revision, moves = "conflict", current, False
        else:
            status, revision, moves = ("late" if late else "accepted"), current + 1, True
        receipt = next_receipt(self.db, conn, sub.unit, now)
        received_at = iso(now)
        conn.execute(
            t.submissions.insert().values(
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
            )
        )
        changes: dict = {}
        if moves:
            conn.execute(
                t.revisions.insert().values(
                    report_id=report.id,
                    server_revision=revision,
                    kind="submission",
                    submission_id=sub.submission_id,
                    by=account.username,
                    at=received_at,
                )
            )
            changes = {
                "server_revision": revision,
                "head_submission_id": sub.submission_id,
                "receipt_no": receipt,
                "catalog_id": sub.catalog_id,
                "catalog_version": sub.catalog_version,
                "values_json": json.dumps(values_to_list(sub.values), ensure_ascii=False),
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
            changes["status"] = derive_status(merged["conflict"], merged["review_state"], merged["late"])
            changes["change_seq"] = self.db.next_value(conn, CHANGE_SEQ)
            changes["updated_at"] = received_at
            conn.execute(t.reports.update().where(t.reports.c.id == report.id).values(**changes))
        logger.info("submission %s: %s %s (rev %s)", sub.submission_id, status, receipt, revision)
        return _result(sub.submission_id, status, receipt, revision, received_at, [])

    def _lock_report(self, conn: Connection, sub: SubmissionDoc, now: datetime):
        key = {"unit": sub.unit, "form": sub.form, "period": sub.period}
        self.db.insert_ignore(
            conn,
            t.reports,
            {
                **key,
                "catalog_id": sub.catalog_id,
                "catalog_version": sub.catalog_version,
                "updated_at": iso(now),
            },
            ["unit", "form", "period"],
        )
        return conn.execute(
            sa.select(t.reports)
            .where(
                t.reports.c.unit == sub.unit, t.reports.c.form == sub.form, t.reports.c.period == sub.period
            )
            .with_for_update()
        ).one()

    @staticmethod
    def _superseded_on_arrival(conn: Connection, report_id: int, sub: SubmissionDoc, device_id: str) -> bool:
        s = t.submissions.c
        newer = conn.execute(
            sa.select(s.submission_id)
            .where(
                s.report_id == report_id,
                sa.or_(
                    s.supersedes == sub.submission_id,
                    sa.and_(s.device_id == device_id, s.revision_no > sub.revision_no),
                ),
            )
            .limit(1)
        ).first()
        return newer is not None

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


def valid_cell_keys(catalog: Catalog, form: str) -> dict[str, frozenset[str]]:
    """Every valid disaggregation key of each indicator of a form (all options of every dimension)."""
    return {ind.code: frozenset(cell_keys(catalog, ind, None)) for ind in catalog.form_indicators(form)}


def _bad_cells(sub: SubmissionDoc, valid: dict[str, frozenset[str]]) -> list[dict]:
    """Errors for cells whose disaggregation key does not fit the indicator (dimensions or options)."""
    return [
        item_error(
            "bad_disagg",
            f"Ô '{disagg}' không phải phân tổ hợp lệ của chỉ tiêu {code}.",
            f"'{disagg}' is not a valid breakdown cell of indicator {code}.",
            indicator=code,
            disagg=disagg,
        )
        for code, disagg in sub.values
        if disagg not in valid.get(code, ())
    ]


def _reason_for(problem, warnings: list[dict]) -> str | None:
    """The officer's reason for a warning, from the submission's ``warnings`` list, or None."""
    for w in warnings:
        if str(w.get("rule", "")) != problem.code:
            continue
        option = str(w.get("option") or "")
        if option and option not in (problem.option, problem.disagg):
            continue
        indicator = str(w.get("indicator") or "")
        if indicator and problem.indicator and indicator != problem.indicator:
            continue
        reason = str(w.get("reason") or "").strip()
        if reason:
            return reason
    return None


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
