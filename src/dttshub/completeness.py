"""Completeness and timeliness of one form and period: every unit that should report, and its state.

The units that should report are those that report the form (its ``reported_by`` in the catalogue): the
communes of the 2025 unit list (``communes_2025.csv``, through :mod:`dttscore.refdata`, the list the
hub already checks accounts against) and/or the enabled agencies of the hub (:mod:`dttshub.units`) — those
of one province, or of every province for a scope of ``"*"``. An officer's scope is its own unit.

The state of each unit (stable ASCII codes; Vietnamese labels in :data:`STATE_LABELS`):

============================  ===========================  ===============================================
code                          label                        when
============================  ===========================  ===============================================
``not_sent``                  Chưa gửi                     the hub holds no revision of the report
``on_time``                   Đúng hạn                     received, awaiting review, first receipt in time
``late``                      Nộp muộn                     received, awaiting review, first receipt late
``returned``                  Bị trả lại                   the reviewer returned it
``accepted``                  Đã chấp nhận                 the reviewer accepted the current revision
``conflict``                  Xung đột                     a conflicting submission awaits the reviewer
``changed_after_acceptance``  Đã sửa sau khi chấp nhận     a revision arrived after an acceptance
============================  ===========================  ===============================================

**Deadline** (the rule of the catalogue, docs/catalogue.md ``deadline_days``, the same as at ingest): the last
day of the period plus the form's ``deadline_days``, in Vietnam time (UTC+7), from the hub's current
catalogue. A unit is **on time** when the *first* submission the hub received for the report arrived on
or before that day — a correction sent after the deadline does not make a commune late, a first report
sent late stays late. ``on_time`` + ``late`` = ``received``; ``accepted`` counts units whose current
revision is accepted. Rates are percentages of ``expected`` with one decimal.

``received_at`` / ``receipt_no`` / ``server_revision`` are those of the report's current head revision;
``last_seen`` is the latest contact (a sync or a sign-in) of any device of the commune's officer accounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from dttscore import refdata
from dttscore.errors import DttsError
from dttscore.model import Catalog
from dttscore.periods import check_period_for_form, deadline
from dttshub import db as t
from dttshub.catalogs import Catalogs
from dttshub.db import Database, iso
from dttshub.errors import BadRequest, Forbidden, NotFound
from dttshub.receipts import VN_TZ
from dttshub.scope import ALL_UNITS, Account, province_of
from dttshub.units import ReportingUnit, reporting_units

STATES = ("not_sent", "on_time", "late", "returned", "accepted", "conflict", "changed_after_acceptance")
STATE_LABELS: dict[str, tuple[str, str]] = {
    "not_sent": ("Chưa gửi", "Not sent"),
    "on_time": ("Đúng hạn", "On time"),
    "late": ("Nộp muộn", "Late"),
    "returned": ("Bị trả lại", "Returned"),
    "accepted": ("Đã chấp nhận", "Accepted"),
    "conflict": ("Xung đột", "Conflict"),
    "changed_after_acceptance": ("Đã sửa sau khi chấp nhận", "Changed after acceptance"),
}
# report status (dttshub.reportstate) -> completeness state; "submitted"/"late" are decided by timeliness
_BY_STATUS = {
    "accepted": "accepted",
    "returned": "returned",
    "conflict": "conflict",
    "changed_after_acceptance": "changed_after_acceptance",
}


def state_of(status: str | None, on_time: bool) -> str:
    """The completeness state of a report from its hub status and whether its first receipt was in time.

    Args:
        status: ``reports.status`` (None or "empty" when the hub holds nothing).
        on_time: whether the first submission of the report arrived by the deadline.
    """
    if status is None or status == "empty":
        return "not_sent"
    return _BY_STATUS.get(status) or ("on_time" if on_time else "late")


def cutoff_of(due: date) -> str:
    """The stored-time string (UTC) of the first moment after the deadline day ends in Vietnam."""
    return iso(datetime.combine(due + timedelta(days=1), time(0, 0), tzinfo=VN_TZ))


@dataclass(frozen=True)
class UnitState:
    """One unit that should report, and where its report stands.

    Attributes:
        unit: the commune code.
        name: the commune's name ("Xã Y Tý").
        province: the province code.
        state: a code of :data:`STATES`.
        received_at: when the current head revision was received (None: not sent).
        first_received_at: when the first submission of the report was received.
        receipt_no: the receipt of the current head revision.
        server_revision: the report's server revision (0: not sent).
        last_seen: the latest contact of a device of the commune's officers (None: never).
    """

    unit: str
    name: str
    province: str
    state: str
    received_at: str | None = None
    first_received_at: str | None = None
    receipt_no: str | None = None
    server_revision: int = 0
    last_seen: str | None = None

    def to_json(self) -> dict:
        return {
            "unit": self.unit,
            "name": self.name,
            "province": self.province,
            "state": self.state,
            "received_at": self.received_at,
            "first_received_at": self.first_received_at,
            "receipt_no": self.receipt_no,
            "server_revision": self.server_revision,
            "last_seen": self.last_seen,
        }


@dataclass(frozen=True)
class Completeness:
    """Completeness and timeliness of one form and period over the units in scope (code order)."""

    form: str
    period: str
    scope: str
    deadline: date
    units: tuple[UnitState, ...] = field(default_factory=tuple)

    def count(self, state: str) -> int:
        return sum(1 for u in self.units if u.state == state)

    @property
    def expected(self) -> int:
        return len(self.units)

    @property
    def received(self) -> int:
        return sum(1 for u in self.units if u.state != "not_sent")

    @property
    def on_time(self) -> int:
        """Units whose first submission arrived by the deadline."""
        cut = cutoff_of(self.deadline)
        return sum(1 for u in self.units if u.first_received_at is not None and u.first_received_at < cut)

    @property
    def late(self) -> int:
        return self.received - self.on_time

    @property
    def accepted(self) -> int:
        return self.count("accepted")

    def rate(self, n: int) -> float:
        """``n`` as a percentage of the expected units, one decimal."""
        return round(100.0 * n / self.expected, 1) if self.expected else 0.0

    def to_json(self) -> dict:
        return {
            "form": self.form,
            "period": self.period,
            "scope": self.scope,
            "deadline": self.deadline.isoformat(),
            "expected": self.expected,
            "received": self.received,
            "on_time": self.on_time,
            "late": self.late,
            "accepted": self.accepted,
            "rates": {
                "received": self.rate(self.received),
                "on_time": self.rate(self.on_time),
                "accepted": self.rate(self.accepted),
            },
            "by_state": {s: self.count(s) for s in STATES},
            "units": [u.to_json() for u in self.units],
        }


def expected_units(
    account: Account, province: str | None, conn=None, reported_by: str = "commune"
) -> tuple[str, list[ReportingUnit]]:
    """The scope asked for and the units that should report in it, in code order.

    Args:
        conn: a connection to read the province's agencies on (None: communes only).
        reported_by: the form's ``reported_by`` (docs/catalogue.md): communes, agencies or both.

    Raises:
        BadRequest: an unknown province code.
        Forbidden: a province outside the account's scope.
    """
    if province not in (None, ALL_UNITS) and province not in {p.code for p in refdata.provinces()}:
        raise BadRequest(
            "bad_province",
            f"Không có tỉnh mã '{province}' trong danh mục đơn vị hành chính 2025.",
            f"There is no province '{province}' in the 2025 unit list.",
        )
    scope = account.unit
    if scope == ALL_UNITS:
        chosen = ALL_UNITS if province in (None, ALL_UNITS) else province
    elif len(scope) == 2:
        chosen = scope
        if province not in (None, scope):
            raise _out_of_scope(account, province)
    else:  # an officer: its own unit only
        if province not in (None, province_of(scope)) or province_of(scope) is None:
            raise _out_of_scope(account, province or scope)
        chosen = scope
    if conn is None:
        communes = refdata.communes() if chosen == ALL_UNITS else refdata.communes_in(chosen)
        if len(chosen) not in (1, 2):
            communes = [c for c in (refdata.commune(chosen),) if c is not None]
        units = [ReportingUnit(c.commune_code, c.commune_name, c.province_code, "commune") for c in communes]
        return chosen, sorted(units, key=lambda u: u.code)
    return chosen, reporting_units(conn, chosen, reported_by)


def _out_of_scope(account: Account, what: str | None) -> Forbidden:
    return Forbidden(
        "out_of_scope",
        f"Tài khoản {account.username} không có quyền với đơn vị {what}.",
        f"Account {account.username} has no rights on unit {what}.",
    )


def form_deadline(catalogs: Catalogs, form: str, period: str) -> date:
    """The deadline of ``form`` for ``period`` by the hub's current catalogue.

    Raises:
        NotFound: no catalogue, or the current one has no such form.
        BadRequest: the period is not of the form's period type.
    """
    return _form_deadline(_current_catalog(catalogs), form, period)


def _current_catalog(catalogs: Catalogs) -> Catalog | None:
    current = catalogs.current()
    return catalogs.get(current.catalog_id, current.version) if current is not None else None


def _form_deadline(catalog: Catalog | None, form: str, period: str) -> date:
    if catalog is None or not catalog.has_form(form):
        raise NotFound(
            "unknown_form",
            f"Danh mục hiện hành của máy chủ không có biểu {form}.",
            f"The hub's current catalogue has no form {form}.",
        )
    f = catalog.form(form)
    try:
        check_period_for_form(period, f.period_type)
    except DttsError as exc:
        raise BadRequest("bad_period", exc.message_vi, exc.message_en) from exc
    return deadline(period, f.deadline_days)


def completeness(
    db: Database, catalogs: Catalogs, account: Account, form: str, period: str, province: str | None = None
) -> Completeness:
    """Every unit that should report ``form`` for ``period`` in the account's scope, with its state.

    Args:
        province: a province code to narrow an admin's ``"*"`` (or repeat a reviewer's own); None: the
            whole scope.

    Raises:
        BadRequest: an unknown province, or a period of another type than the form's.
        Forbidden: a province outside the account's scope.
        NotFound: the current catalogue has no such form.
    """
    catalog = _current_catalog(catalogs)  # read once: the deadline and the units that report
    due = _form_deadline(catalog, form, period)
    reported_by = catalog.form(form).reported_by
    with db.read() as conn:
        scope, communes = expected_units(account, province, conn, reported_by)
    codes = [c.code for c in communes]
    r, s = t.reports.c, t.submissions.c
    report_conds = [r.form == form, r.period == period, r.server_revision > 0]
    officer_conds = [t.users.c.role == "officer"]
    if scope != ALL_UNITS:
        report_conds.append(r.unit.in_(codes))
        officer_conds.append(t.users.c.unit.in_(codes))
    head = t.submissions.alias("head")
    first = (
        sa.select(s.report_id, sa.func.min(s.received_at).label("first_at"))
        .select_from(t.submissions.join(t.reports, r.id == s.report_id))
        .where(*report_conds)
        .group_by(s.report_id)
        .subquery("first")
    )
    with db.read() as conn:
        reports = conn.execute(
            sa.select(
                r.unit,
                r.status,
                r.server_revision,
                r.receipt_no,
                head.c.received_at,
                first.c.first_at,
            )
            .select_from(
                t.reports.outerjoin(head, head.c.submission_id == r.head_submission_id).outerjoin(
                    first, first.c.report_id == r.id
                )
            )
            .where(*report_conds)
        ).all()
        seen = conn.execute(
            sa.select(t.users.c.unit, sa.func.max(t.devices.c.last_seen))
            .select_from(t.devices.join(t.users, t.users.c.username == t.devices.c.username))
            .where(*officer_conds)
            .group_by(t.users.c.unit)
        ).all()
    by_unit = {row.unit: row for row in reports}
    last_seen = {unit: at for unit, at in seen}
    cut = cutoff_of(due)
    units = []
    for c in communes:
        row = by_unit.get(c.code)
        if row is None:
            units.append(UnitState(c.code, c.name, c.province, "not_sent", last_seen=last_seen.get(c.code)))
            continue
        first_at = row.first_at or row.received_at
        units.append(
            UnitState(
                unit=c.code,
                name=c.name,
                province=c.province,
                state=state_of(row.status, first_at is not None and first_at < cut),
                received_at=row.received_at,
                first_received_at=first_at,
                receipt_no=row.receipt_no,
                server_revision=row.server_revision,
                last_seen=last_seen.get(c.code),
            )
        )
    return Completeness(form, period, scope, due, tuple(units))
