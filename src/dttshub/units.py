"""Reporting units beyond the communes: a province's agencies (issue 17 item 1).

A province's departments report some forms too (``19-SGDDT`` "Sở Giáo dục và Đào tạo"). An agency is
defined on the hub (``dttshub unit add CODE --name NAME --province CODE``, ``unit list``, ``unit disable``;
the console's administration calls the same :class:`Units`), stored in the ``units`` table. Its code is
the province code, a dash and 1–5 upper-case letters or digits (at most 8 characters, the width of every
``unit`` column), so the province of an agency is read from its code (:func:`agency_province`) and scope
checks stay pure. A disabled agency keeps its reports but is no longer expected to report and cannot get
new officer accounts.

Which kinds of unit report a form is the catalogue's ``forms.reported_by`` (``commune``, ``agency`` or
``both``; docs/catalogue.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa

from dttscore import refdata
from dttscore.unitcodes import AGENCY_RE, agency_province, is_agency_code, unit_kind  # noqa: F401
from dttshub import db as t
from dttshub.config import HubConfig
from dttshub.db import Database, iso
from dttshub.errors import BadRequest, NotFound

logger = logging.getLogger(__name__)

MAX_NAME = 200
KINDS = ("commune", "agency")


def reports_form(reported_by: str, kind: str) -> bool:
    """True when a unit of ``kind`` reports a form whose ``reported_by`` is ``reported_by``."""
    return reported_by == "both" or reported_by == kind


@dataclass(frozen=True)
class Agency:
    """An agency that reports: code, name, province, whether it is disabled."""

    code: str
    name: str
    province: str
    disabled: bool = False
    created_at: str = ""

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "province": self.province,
            "kind": "agency",
            "disabled": self.disabled,
            "created_at": self.created_at,
        }


def _agency(row) -> Agency:
    return Agency(row.code, row.name, row.province, bool(row.disabled), row.created_at)


class Units:
    """The hub's agencies (service of ``dttshub unit``, the API and the console)."""

    def __init__(self, db: Database, config: HubConfig) -> None:
        self.db = db
        self.config = config

    def add(self, code: str, name: str, province: str) -> Agency:
        """Define an agency of ``province``.

        Raises:
            BadRequest: a code not of the shape ``PP-XXXXX`` or of another province, an unknown
                province, an empty or too long name, a code already defined.
        """
        code = (code or "").strip()
        name = " ".join((name or "").split())
        if province not in {p.code for p in refdata.provinces()}:
            raise BadRequest(
                "bad_province",
                f"Không có tỉnh mã '{province}' trong danh mục đơn vị hành chính 2025.",
                f"There is no province '{province}' in the 2025 unit list.",
            )
        if agency_province(code) != province:
            raise BadRequest(
                "bad_unit",
                f"Mã cơ quan phải là mã tỉnh, gạch ngang và 1–5 chữ in hoa hoặc số (ví dụ {province}-SGDDT); "
                f"'{code[:20]}' không hợp lệ.",
                f"An agency code is the province code, a dash and 1–5 capital letters or digits (e.g. "
                f"{province}-SGDDT); '{code[:20]}' is not valid.",
            )
        if not name or len(name) > MAX_NAME:
            raise BadRequest(
                "bad_name",
                f"Cần tên cơ quan (1–{MAX_NAME} ký tự).",
                f"The agency needs a name (1–{MAX_NAME} characters).",
            )
        with self.db.begin() as conn:
            if conn.execute(sa.select(t.units.c.code).where(t.units.c.code == code)).first() is not None:
                raise BadRequest(
                    "unit_exists",
                    f"Đã có đơn vị mã {code}.",
                    f"A unit with code {code} exists already.",
                )
            now = iso(self.config.now())
            conn.execute(
                t.units.insert().values(
                    code=code, name=name, province=province, kind="agency", disabled=False, created_at=now
                )
            )
        logger.info("agency %s (%s) added to province %s", code, name, province)
        return Agency(code, name, province, False, now)

    def list(self, province: str | None = None, include_disabled: bool = True) -> list[Agency]:
        """The agencies (of one province), in code order."""
        conds = []
        if province not in (None, "*"):
            conds.append(t.units.c.province == province)
        if not include_disabled:
            conds.append(t.units.c.disabled == sa.false())
        with self.db.read() as conn:
            rows = conn.execute(sa.select(t.units).where(*conds).order_by(t.units.c.code)).all()
        return [_agency(r) for r in rows]

    def get(self, code: str, conn=None) -> Agency | None:
        """The agency of ``code`` (disabled or not), None when there is none."""
        stmt = sa.select(t.units).where(t.units.c.code == code)
        if conn is not None:
            row = conn.execute(stmt).first()
        else:
            with self.db.read() as own:
                row = own.execute(stmt).first()
        return _agency(row) if row else None

    def set_disabled(self, code: str, disabled: bool = True) -> Agency:
        """Disable (or enable again) an agency: it keeps its reports, but is no longer expected to report.

        Raises:
            NotFound: no such agency.
        """
        with self.db.begin() as conn:
            done = conn.execute(t.units.update().where(t.units.c.code == code).values(disabled=disabled))
            if done.rowcount == 0:
                raise NotFound(
                    "unknown_unit", f"Không có cơ quan mã {code}.", f"There is no agency with code {code}."
                )
            row = conn.execute(sa.select(t.units).where(t.units.c.code == code)).one()
        logger.info("agency %s %s", code, "disabled" if disabled else "enabled")
        return _agency(row)


def agencies_in(conn, province: str | None) -> list[Agency]:
    """The enabled agencies of a province (``None`` or ``"*"``: of every province), on a held connection."""
    conds = [t.units.c.disabled == sa.false()]
    if province not in (None, "*"):
        conds.append(t.units.c.province == province)
    return [_agency(r) for r in conn.execute(sa.select(t.units).where(*conds).order_by(t.units.c.code))]


@dataclass(frozen=True)
class ReportingUnit:
    """A unit expected to report: a commune of the 2025 list or an enabled agency of the hub."""

    code: str
    name: str
    province: str
    kind: str  # commune | agency


def reporting_units(conn, scope: str, reported_by: str = "commune") -> list[ReportingUnit]:
    """The units that report a form (``reported_by`` of the catalogue) in ``scope``, in code order.

    Args:
        conn: a connection the caller holds (agencies are read on it).
        scope: ``"*"``, a province code, or one unit (a commune or an agency code).
        reported_by: the form's ``reported_by``: ``commune``, ``agency`` or ``both``.
    """
    out: list[ReportingUnit] = []
    single = scope not in ("*",) and len(scope) != 2
    if reports_form(reported_by, "commune") and not (single and is_agency_code(scope)):
        if scope == "*":
            communes = refdata.communes()
        elif len(scope) == 2:
            communes = refdata.communes_in(scope)
        else:
            one = refdata.commune(scope)
            communes = (one,) if one is not None else ()
        out += [ReportingUnit(c.commune_code, c.commune_name, c.province_code, "commune") for c in communes]
    if reports_form(reported_by, "agency") and not (single and not is_agency_code(scope)):
        if single:
            agency = conn.execute(sa.select(t.units).where(t.units.c.code == scope)).first()
            agencies = [_agency(agency)] if agency is not None and not agency.disabled else []
        else:
            agencies = agencies_in(conn, scope)
        out += [ReportingUnit(a.code, a.name, a.province, "agency") for a in agencies]
    return sorted(out, key=lambda u: u.code)


def unit_names(conn, codes) -> dict[str, str]:
    """The names of units (communes from the unit list, agencies from the hub), "" when unknown."""
    codes = list(codes)
    names = {c: getattr(refdata.commune(c), "commune_name", "") for c in codes if not is_agency_code(c)}
    agencies = [c for c in codes if is_agency_code(c)]
    for start in range(0, len(agencies), 500):
        names.update(
            conn.execute(
                sa.select(t.units.c.code, t.units.c.name).where(
                    t.units.c.code.in_(agencies[start : start + 500])
                )
            ).all()
        )
    return {c: names.get(c, "") for c in codes}
