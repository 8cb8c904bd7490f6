"""Province totals, trends and drill-down, read from the cell table (``dttshub.cells``).

For a form and period, each indicator of the form is added up over the units in scope — the communes of
a province (or of every province for ``"*"``) from the 2025 unit list — per disaggregation cell and as
the indicator's total (key ""), with the number of units that contributed. Which revision of each report
is added up:

* by default the report's head, i.e. its latest received revision (``reports.head_submission_id``);
* with ``accepted_only`` the revision a reviewer accepted: reports whose latest review is a return, or
  that were never accepted, are left out. The accepted revision is the head right after the latest
  accepting review (the submission it adopted, or the head it left in place), so a revision received
  after the acceptance is *not* added up until it is accepted in turn.

How an indicator is added up is :attr:`dttscore.model.Indicator.how_aggregated` (the catalogue's
``aggregation`` column): ``sum`` cells are added exactly (PostgreSQL ``NUMERIC``; on SQLite an exact
aggregate over the canonical text, ``db.DECIMAL_SUM``); ``none`` gives only the total cell, with no
value, and the number of units that reported it; an expression (``0405 / 0401 * 100``) is evaluated over
the other indicators' totals and rounded to :data:`DERIVED_PLACES` decimals (half up), its ``units`` the
fewest units of its operands.

The catalogue that lays the totals out is the most recently published one that has the form.

Legacy values (``dttshub legacy import``: series ``legacy``, mapped onto the 2025 communes) stand in for a
report: a unit of the scope that sent no report for the form and period adds its legacy values of the
indicators that add up (``sum``) — each indicator's total is the unit's own total where the file gave one,
else the sum of its cells — and is counted in :attr:`ProvinceTotals.units_legacy`, not in
``units_included``; a report always wins over legacy values. Values left on their old commune
(``vn-pre-2025``: split communes, values that do not add up) are in no total, only listed
(:attr:`ProvinceTotals.legacy_left_out`). The receipt and completeness tracking never sees legacy values.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from dttscore import refdata, rules
from dttscore.catalog_tables import canonical_decimal
from dttscore.errors import IdentifierError, RuleSyntaxError
from dttscore.model import Catalog, Indicator
from dttscore.periods import check_period_for_form, previous
from dttshub import db as t
from dttshub.catalogs import Catalogs
from dttshub.db import DECIMAL_SUM, Database
from dttshub.errors import BadRequest, Forbidden, NotFound
from dttshub.legacy import LEGACY_SERIES, NEW_UNIT_LIST, OLD_UNIT_LIST, exact_sum, shipped_crosswalk
from dttshub.province_model import LegacyLeftOut, ProvinceTotals, TotalCell
from dttshub.scope import ALL_UNITS, Account
from dttshub.units import reporting_units, unit_names

logger = logging.getLogger(__name__)

DERIVED_PLACES = 2
"""Decimals a derived figure (an ``aggregation`` expression) is rounded to."""
MAX_PERIODS = 60
"""Most periods a trend covers (five years of months)."""
_CHUNK = 5000  # submissions per aggregation query (bind parameters stay far below every limit)
_SMALL_INT = 15  # longest whole number (characters) SQLite adds up itself: 5000 × 10^15 fits in 64 bits
_SQLITE_FILTER = sqlite3.sqlite_version_info >= (3, 30, 0)  # aggregate FILTER (WHERE …)
_C = t.cells.c
_R = t.reports.c


# -- plain results ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UnitContribution:
    """What one unit adds to one total cell (drill-down).

    Attributes:
        unit: the commune code.
        unit_name: its name in the 2025 list.
        value: the unit's value of the cell as a canonical string (the sum of its cells for an
            indicator's total; the derived figure of its own values), None when it reported none.
        receipt_no: the receipt of the revision added up.
        server_revision: the report's server revision at that receipt.
        status: the report's state on the hub (``reports.status``); ``legacy`` for legacy values.
        legacy_source: for legacy values, the file name(s) of their import; "" for a report.
        legacy_incomplete: a legacy value flagged ``incomplete`` (its sum lacks some old communes).
    """

    unit: str
    unit_name: str
    value: str | None
    receipt_no: str | None
    server_revision: int
    status: str
    legacy_source: str = ""
    legacy_incomplete: bool = False


@dataclass(frozen=True)
class Drilldown:
    """A total cell and the units that make it.

    Attributes:
        totals: the totals the cell belongs to (scope, units expected and included).
        cell: the total cell itself.
        units: every included unit with its value (None when it has none for this cell), in code order.
    """

    totals: ProvinceTotals
    cell: TotalCell
    units: tuple[UnitContribution, ...]


@dataclass(frozen=True)
class UnitRevision:
    """A unit's revision of a report that the totals add up, and its values (see :meth:`Totals.unit_values`).

    Attributes:
        unit / submission_id / receipt_no / server_revision / status: the revision.
        values: ``{(code, disagg): canonical text}`` of the indicators asked for.
    """

    unit: str
    submission_id: str
    receipt_no: str | None
    server_revision: int
    status: str
    values: Mapping[tuple[str, str], str]


@dataclass
class _Legacy:
    """The legacy values one period's totals add up (see :meth:`Totals._legacy`)."""

    units: dict[str, tuple[bool, frozenset[str]]] = field(default_factory=dict)  # unit: (incomplete, files)
    # (sum, units, units flagged incomplete) per cell, and per indicator's total
    cells: dict[tuple[str, str], tuple[Decimal, int, int]] = field(default_factory=dict)
    totals: dict[str, tuple[Decimal, int, int]] = field(default_factory=dict)
    left_out: tuple[LegacyLeftOut, ...] = ()


@dataclass(frozen=True)
class _Chosen:
    unit: str
    submission_id: str
    receipt_no: str | None
    server_revision: int
    status: str


# -- scope --------------------------------------------------------------------------------------------
def resolve_scope(account: Account, province: str | None) -> str:
    """The scope a caller's totals cover: ``province`` when given and allowed, else the account's own.

    An officer's scope is their commune; a reviewer or admin may name their province (admin ``*``: any
    province, or ``*``).

    Raises:
        BadRequest: ``province`` is not a province code of the 2025 list nor ``*``.
        Forbidden: the province is outside the account's scope.
    """
    if province is None or province == "":
        return account.unit
    if province != ALL_UNITS and province not in {p.code for p in refdata.provinces()}:
        raise BadRequest(
            "bad_province",
            f"'{province}' không phải mã tỉnh trong danh mục 2025 (2 chữ số) hoặc '*'.",
            f"'{province}' is not a province code of the 2025 list (2 digits) nor '*'.",
        )
    if account.unit == ALL_UNITS or (account.is_reviewer and province == account.unit):
        return province
    raise Forbidden(
        "out_of_scope",
        f"Tài khoản {account.username} không có quyền xem số liệu của {province}.",
        f"Account {account.username} has no rights on {province}.",
    )


def expected_units(
    scope: str, reported_by: str = "commune", conn: Connection | None = None
) -> tuple[str, ...]:
    """The units that should report in a scope ("*", a province or one unit), in code order.

    Args:
        reported_by: the form's ``reported_by`` (communes, the province's agencies, or both).
        conn: a connection to read the agencies on (None: communes only).
    """
    if conn is None:
        if scope == ALL_UNITS:
            return tuple(sorted(c.commune_code for c in refdata.communes()))
        if len(scope) == 2:
            return tuple(sorted(c.commune_code for c in refdata.communes_in(scope)))
        return (scope,)
    return tuple(u.code for u in reporting_units(conn, scope, reported_by))


# -- the queries --------------------------------------------------------------------------------------
class Totals:
    """Province totals, trends and drill-down over the hub's cell table.

    Args:
        db: the hub database.
        catalogs: the published catalogues.
    """

    def __init__(self, db: Database, catalogs: Catalogs) -> None:
        self.db = db
        self.catalogs = catalogs

    def catalog_for(self, form: str) -> Catalog:
        """The most recently published catalogue that has ``form``.

        Raises:
            NotFound: no published catalogue has the form.
        """
        current = self.catalogs.current()
        if current is not None:
            catalog = self.catalogs.get(current.catalog_id, current.version)
            if catalog is not None and catalog.has_form(form):
                return catalog
            for v in reversed(self.catalogs.versions()):
                older = self.catalogs.get(v["catalog_id"], v["version"])
                if older is not None and older.has_form(form):
                    return older
        raise NotFound(
            "no_form",
            f"Chưa có danh mục nào được công bố có biểu mẫu {form}.",
            f"No published catalogue has the form {form}.",
        )

    def _check_period(self, catalog: Catalog, form: str, period: str) -> str:
        try:
            return check_period_for_form(period, catalog.form(form).period_type).code
        except IdentifierError as exc:
            raise BadRequest("bad_period", exc.message_vi, exc.message_en) from exc

    def totals(
        self, form: str, period: str, scope: str = ALL_UNITS, *, accepted_only: bool = False
    ) -> ProvinceTotals:
        """The totals of ``form`` for ``period`` over the units of ``scope``.

        Args:
            form: the form code.
            period: the period code (of the form's period type).
            scope: "*", a province code, or one commune code.
            accepted_only: add up the revisions reviewers accepted instead of the latest received.

        Raises:
            NotFound: no published catalogue has the form.
            BadRequest: the period is not one of the form's type.
        """
        catalog = self.catalog_for(form)
        period = self._check_period(catalog, form, period)
        with self.db.read() as conn:
            expected = expected_units(scope, catalog.form(form).reported_by, conn)
            chosen = self._chosen(conn, form, period, expected, accepted_only)
            sums, totals = self._sums(conn, [c.submission_id for c in chosen.values()])
            legacy = self._legacy(conn, catalog, form, [period], scope, expected, {period: chosen})[period]
        return _build(catalog, form, period, scope, accepted_only, expected, chosen, sums, totals, legacy)

    def trends(
        self, form: str, period: str, scope: str = ALL_UNITS, *, periods: int = 5, accepted_only: bool = False
    ) -> list[ProvinceTotals]:
        """The totals of the ``periods`` periods of the form ending with ``period``, oldest first.

        Raises:
            BadRequest: ``periods`` is not between 1 and :data:`MAX_PERIODS`, or a bad period.
        """
        if not isinstance(periods, int) or not 1 <= periods <= MAX_PERIODS:
            raise BadRequest(
                "bad_periods",
                f"Số kỳ phải từ 1 đến {MAX_PERIODS}.",
                f"The number of periods must be between 1 and {MAX_PERIODS}.",
            )
        catalog = self.catalog_for(form)
        codes = [self._check_period(catalog, form, period)]
        while len(codes) < periods:
            try:
                codes.append(previous(codes[-1]))
            except IdentifierError:
                break
        codes.reverse()
        # Each period's totals exactly as :meth:`totals` gives them, read on one connection: the revisions
        # of every period chosen in one query, then each period's cells added up (no catalogue or unit
        # list looked up again per period).
        with self.db.read() as conn:
            expected = expected_units(scope, catalog.form(form).reported_by, conn)
            chosen = self._chosen_periods(conn, form, codes, expected, accepted_only)
            sums = {
                code: self._sums(conn, [c.submission_id for c in chosen[code].values()]) for code in codes
            }
            legacy = self._legacy(conn, catalog, form, codes, scope, expected, chosen)
        return [
            _build(
                catalog, form, code, scope, accepted_only, expected, chosen[code], *sums[code], legacy[code]
            )
            for code in codes
        ]

    def drilldown(
        self,
        form: str,
        period: str,
        code: str,
        disagg: str = "",
        scope: str = ALL_UNITS,
        *,
        accepted_only: bool = False,
    ) -> Drilldown:
        """One total cell and each included unit's value of it.

        Raises:
            NotFound: the form has no such indicator.
        """
        catalog = self.catalog_for(form)
        period = self._check_period(catalog, form, period)
        indicator = next((i for i in catalog.form_indicators(form) if i.code == code), None)
        if indicator is None:
            raise NotFound(
                "no_indicator",
                f"Biểu mẫu {form} không có chỉ tiêu {code}.",
                f"Form {form} has no indicator {code}.",
            )
        how = indicator.how_aggregated
        needed = (
            {code} if how in ("sum", "none") else {r.code for r in rules.references(_derived(catalog, how))}
        )
        if how not in ("sum", "none"):
            needed |= _operands_closure(catalog, needed)
        with self.db.read() as conn:
            expected = expected_units(scope, catalog.form(form).reported_by, conn)
            chosen = self._chosen(conn, form, period, expected, accepted_only)
            sums, totals = self._sums(conn, [c.submission_id for c in chosen.values()])
            per_unit = self._unit_cells(conn, chosen, needed)
            legacy = self._legacy(conn, catalog, form, [period], scope, expected, {period: chosen})[period]
            legacy_cells = self._legacy_unit_cells(conn, form, period, list(legacy.units), needed)
            names = unit_names(conn, [*chosen, *legacy.units])
        result = _build(catalog, form, period, scope, accepted_only, expected, chosen, sums, totals, legacy)
        cell = next(
            (c for c in result.cells if c.code == code and c.disagg == disagg),
            TotalCell(code, disagg, None, 0),
        )
        units = []
        for unit in result.units_included:
            ch = chosen[unit]
            cells = per_unit.get(ch.submission_id, {})
            units.append(
                UnitContribution(
                    unit=unit,
                    unit_name=names.get(unit, ""),
                    value=_unit_value(catalog, indicator, disagg, cells),
                    receipt_no=ch.receipt_no,
                    server_revision=ch.server_revision,
                    status=ch.status,
                )
            )
        for unit in result.units_legacy:
            values, incomplete = legacy_cells.get(unit, ({}, False))
            units.append(
                UnitContribution(
                    unit=unit,
                    unit_name=names.get(unit, ""),
                    value=_unit_value(catalog, indicator, disagg, _own_or_parts(values, disagg)),
                    receipt_no=None,
                    server_revision=0,
                    status="legacy",
                    legacy_source=", ".join(sorted(legacy.units[unit][1])),
                    legacy_incomplete=incomplete,
                )
            )
        units.sort(key=lambda u: u.unit)
        return Drilldown(result, cell, tuple(units))

    def unit_values(
        self,
        form: str,
        period: str,
        units: Sequence[str],
        codes: Iterable[str],
        *,
        accepted_only: bool = False,
    ) -> dict[str, UnitRevision]:
        """Each unit's revision that :meth:`totals` adds up, with its values of the indicators ``codes``.

        Args:
            form / period: the report (the period already checked).
            units: the units wanted (those without a revision that counts are left out).
            codes: the indicators whose values are wanted.
            accepted_only: the accepted revisions instead of the latest received.

        Returns:
            ``{unit: UnitRevision}``.
        """
        with self.db.read() as conn:
            chosen = self._chosen(conn, form, period, units, accepted_only)
            cells = self._unit_cells(conn, chosen, codes)
        return {
            unit: UnitRevision(
                c.unit,
                c.submission_id,
                c.receipt_no,
                c.server_revision,
                c.status,
                cells.get(c.submission_id, {}),
            )
            for unit, c in chosen.items()
        }

    # -- internals -----------------------------------------------------------------------------------
    def _chosen(
        self, conn: Connection, form: str, period: str, expected: Sequence[str], accepted_only: bool
    ) -> dict[str, _Chosen]:
        """The revision of each expected unit's report that is added up, by unit."""
        return self._chosen_periods(conn, form, [period], expected, accepted_only)[period]

    def _chosen_periods(
        self,
        conn: Connection,
        form: str,
        periods: Sequence[str],
        expected: Sequence[str],
        accepted_only: bool,
    ) -> dict[str, dict[str, _Chosen]]:
        """``{period: {unit: revision added up}}`` for several periods of a form, in one query per step."""
        wanted = set(expected)
        rows = conn.execute(
            sa.select(
                _R.id, _R.unit, _R.period, _R.head_submission_id, _R.receipt_no, _R.server_revision, _R.status
            ).where(
                _R.form == form,
                _R.period == periods[0] if len(periods) == 1 else _R.period.in_(periods),
                _R.server_revision > 0,
            )
        ).all()
        rows = [r for r in rows if r.unit in wanted and r.head_submission_id]
        out: dict[str, dict[str, _Chosen]] = {p: {} for p in periods}
        if not accepted_only:
            for r in rows:
                out[r.period][r.unit] = _Chosen(
                    r.unit, r.head_submission_id, r.receipt_no, r.server_revision, r.status
                )
            return out
        by_id = {r.id: r for r in rows}
        accepted = self._accepted_revisions(conn, list(by_id))
        receipts: dict[str, str] = {}
        sids = [sid for sid, _revision in accepted.values()]
        for start in range(0, len(sids), _CHUNK):  # the receipts of the accepted submissions
            receipts.update(
                conn.execute(
                    sa.select(t.submissions.c.submission_id, t.submissions.c.receipt_no).where(
                        t.submissions.c.submission_id.in_(sids[start : start + _CHUNK])
                    )
                ).all()
            )
        for report_id, (sid, revision) in accepted.items():
            r = by_id[report_id]
            out[r.period][r.unit] = _Chosen(r.unit, sid, receipts.get(sid), revision, r.status)
        return out

    @staticmethod
    def _accepted_revisions(conn: Connection, report_ids: list[int]) -> dict[int, tuple[str, int]]:
        """``{report id: (submission id, review revision)}`` of the reports whose latest review accepts."""
        latest: dict[int, tuple[int, str]] = {}
        heads: dict[int, list[tuple[int, str]]] = {}
        for start in range(0, len(report_ids), _CHUNK):
            chunk = report_ids[start : start + _CHUNK]
            for rv in conn.execute(
                sa.select(t.reviews.c.report_id, t.reviews.c.server_revision, t.reviews.c.state)
                .where(t.reviews.c.report_id.in_(chunk))
                .order_by(t.reviews.c.id)
            ):
                latest[rv.report_id] = (rv.server_revision, rv.state)
            for rev in conn.execute(
                sa.select(t.revisions.c.report_id, t.revisions.c.server_revision, t.revisions.c.submission_id)
                .where(t.revisions.c.report_id.in_(chunk), t.revisions.c.submission_id.isnot(None))
                .order_by(t.revisions.c.report_id, t.revisions.c.server_revision)
            ):
                heads.setdefault(rev.report_id, []).append((rev.server_revision, rev.submission_id))
        out: dict[int, tuple[str, int]] = {}
        for report_id, (revision, state) in latest.items():
            if state != "accepted":
                continue
            at = [sid for rev, sid in heads.get(report_id, []) if rev <= revision]
            if at:
                out[report_id] = (at[-1], revision)
        return out

    def _sums(self, conn: Connection, sids: list[str]):
        """``({(code, disagg): (sum, units)}, {code: (sum, units)})`` over the numeric cells of ``sids``."""
        exact_part = None
        if self.db.dialect != "sqlite":
            total = sa.func.sum(_C.num)
        elif _SQLITE_FILTER:
            # Whole numbers of at most 15 characters are added up by SQLite itself (exact 64-bit integers:
            # a chunk's sum stays below 5000 × 10^15); only the other numbers go through the exact decimal
            # aggregate, which runs in Python once per row it is given.
            small = sa.and_(
                _C.num.isnot(None), sa.func.instr(_C.text, ".") == 0, sa.func.length(_C.text) <= _SMALL_INT
            )
            total = sa.func.sum(sa.cast(_C.text, sa.Integer)).filter(small)
            exact_part = sa.type_coerce(
                getattr(sa.func, DECIMAL_SUM)(_C.text).filter(_C.num.isnot(None), sa.not_(small)), sa.String
            )
        else:  # an SQLite without FILTER (before 3.30): every number through the exact decimal aggregate
            numbers = sa.case((_C.num.isnot(None), _C.text))  # text answers have no number
            total = sa.type_coerce(getattr(sa.func, DECIMAL_SUM)(numbers), sa.String)
        columns = [_C.indicator, _C.disagg, total.label("total"), sa.func.count().label("n")]
        if exact_part is not None:
            columns.append(exact_part.label("exact_part"))
        sums: dict[tuple[str, str], tuple[Decimal, int]] = {}
        totals: dict[str, tuple[Decimal | None, int]] = {}
        keyed: dict[str, int] = {}
        for start in range(0, len(sids), _CHUNK):
            chunk = sids[start : start + _CHUNK]
            where = _C.submission_id.in_(chunk)
            widest: dict[str, int] = {}  # per indicator: the most units behind one of its keyed cells
            keys: dict[str, int] = {}  # per indicator: its keyed cells
            for row in conn.execute(sa.select(*columns).where(where).group_by(_C.indicator, _C.disagg)):
                value = _exact(row.total)
                if exact_part is not None and row.exact_part is not None:
                    value = _exact(row.exact_part) if value is None else value + _exact(row.exact_part)
                _add(sums, (row.indicator, row.disagg), value, row.n)
                if row.disagg:  # one row per unit in a cell's group (the key is the table's primary key)
                    widest[row.indicator] = max(widest.get(row.indicator, 0), row.n)
                    keys[row.indicator] = keys.get(row.indicator, 0) + 1
            # Units behind a disaggregated indicator's total: units with any cell of it. Known without
            # another query when it has one keyed cell, or one that every unit of the chunk has; else one
            # row per (indicator, unit) grouped, then counted: far cheaper than count(DISTINCT …) on
            # PostgreSQL.
            units = len(set(chunk))
            open_codes = []
            for code, most in widest.items():
                if keys[code] == 1 or most == units:
                    keyed[code] = keyed.get(code, 0) + most
                else:
                    open_codes.append(code)
            if not open_codes:
                continue
            per_unit = (
                sa.select(_C.indicator, _C.submission_id)
                .where(where, _C.disagg != "", _C.indicator.in_(open_codes))
                .group_by(_C.indicator, _C.submission_id)
                .subquery()
            )
            for row in conn.execute(
                sa.select(per_unit.c.indicator, sa.func.count().label("n")).group_by(per_unit.c.indicator)
            ):
                keyed[row.indicator] = keyed.get(row.indicator, 0) + row.n
        # An indicator's total is the exact sum of its cells' sums.
        for (code, _disagg), (value, _n) in sums.items():
            _add(totals, code, value, 0)
        for code in totals:
            value, _ = totals[code]
            plain = sums.get((code, ""), (None, 0))[1]
            totals[code] = (value, max(plain, keyed.get(code, 0)))
        return sums, totals

    def _legacy(
        self,
        conn: Connection,
        catalog: Catalog,
        form: str,
        periods: Sequence[str],
        scope: str,
        expected: Sequence[str],
        chosen: Mapping[str, Mapping[str, _Chosen]],
    ) -> dict[str, _Legacy]:
        """``{period: legacy values added up}``: those of the expected units with no report on the hub for
        the period (none in ``chosen``, and none waiting outside the accepted-only totals either).

        One grouped query finds the units (with their flags and files); only when some are found, two grouped
        queries per period add up their cells and their totals; one more lists the old communes left out.
        """
        hv, im = t.historical_values.c, t.imports.c
        out = {p: _Legacy() for p in periods}
        codes = sorted(i.code for i in catalog.form_indicators(form) if i.how_aggregated == "sum")
        wanted = set(expected)
        incomplete = sa.func.max(sa.case((hv.flag == "incomplete", 1), else_=0))
        base = (hv.series == LEGACY_SERIES, hv.form == form)
        in_periods = hv.period == periods[0] if len(periods) == 1 else hv.period.in_(periods)
        found: dict[str, dict[str, tuple[bool, set[str]]]] = {p: {} for p in periods}
        if codes:
            joined = t.historical_values.join(t.imports, im.id == hv.import_id)
            for units in _chunks(None if scope == ALL_UNITS else sorted(wanted)):
                where = [*base, in_periods, hv.unit_list == NEW_UNIT_LIST, hv.indicator.in_(codes)]
                if units is not None:
                    where.append(hv.unit.in_(units))
                for r in conn.execute(
                    sa.select(hv.period, hv.unit, im.source, incomplete.label("inc"))
                    .select_from(joined)
                    .where(*where)
                    .group_by(hv.period, hv.unit, im.source)
                ):
                    if r.period not in found or r.unit not in wanted or r.unit in chosen[r.period]:
                        continue  # a report counted for the unit and period wins over its legacy values
                    inc, sources = found[r.period].get(r.unit, (False, set()))
                    sources.add(r.source)
                    found[r.period][r.unit] = (inc or bool(r.inc), sources)
        if any(found.values()):
            # a unit that sent a report for the period is counted from it or not at all (a report waiting
            # for review in the accepted-only totals): its legacy values never stand in for a real report
            for r in conn.execute(
                sa.select(_R.period, _R.unit).where(
                    _R.form == form,
                    _R.period.in_([p for p, units_of in found.items() if units_of]),
                    _R.server_revision > 0,
                    _R.head_submission_id.is_not(None),
                )
            ):
                found[r.period].pop(r.unit, None)
        for period, units_of in found.items():
            if not units_of:
                continue
            number, add = exact_sum(self.db.dialect)
            leg = out[period]
            leg.units = {u: (inc, frozenset(src)) for u, (inc, src) in sorted(units_of.items())}
            units = list(leg.units)
            for start in range(0, len(units), _CHUNK):
                where = (
                    *base,
                    hv.period == period,
                    hv.unit_list == NEW_UNIT_LIST,
                    hv.indicator.in_(codes),
                    hv.unit.in_(units[start : start + _CHUNK]),
                )
                # the cells: one row per indicator and breakdown
                for r in conn.execute(
                    sa.select(
                        hv.indicator,
                        hv.disagg,
                        add(number).label("total"),
                        sa.func.count().label("n"),
                        sa.func.sum(sa.case((hv.flag == "incomplete", 1), else_=0)).label("inc"),
                    )
                    .where(*where, hv.disagg != "", number)
                    .group_by(hv.indicator, hv.disagg)
                ):
                    _add_legacy(leg.cells, (r.indicator, r.disagg), r.total, r.n, r.inc)
                # the totals: each unit's own total where the file gave one, else the sum of its cells
                per_unit = (
                    sa.select(
                        hv.indicator,
                        add(sa.and_(number, hv.disagg == "")).label("own"),
                        add(sa.and_(number, hv.disagg != "")).label("parts"),
                        incomplete.label("inc"),
                    )
                    .where(*where)
                    .group_by(hv.indicator, hv.unit)
                    .subquery()
                )
                value = sa.func.coalesce(per_unit.c.own, per_unit.c.parts)
                summed = (
                    sa.type_coerce(getattr(sa.func, DECIMAL_SUM)(value), sa.String)
                    if self.db.dialect == "sqlite"
                    else sa.func.sum(value)
                )
                for r in conn.execute(
                    sa.select(
                        per_unit.c.indicator,
                        summed.label("total"),
                        sa.func.count(value).label("n"),
                        sa.func.sum(sa.case((value.isnot(None), per_unit.c.inc), else_=0)).label("inc"),
                    ).group_by(per_unit.c.indicator)
                ):
                    _add_legacy(leg.totals, r.indicator, r.total, r.n, r.inc)
        # the old communes of the scope whose values stay on them: listed, in no total (one grouped read over
        # every province, a row per old commune; the crosswalk is read only when there are some)
        left: dict[str, list[LegacyLeftOut]] = {p: [] for p in periods}
        for r in conn.execute(
            sa.select(hv.period, hv.unit, hv.flag, sa.func.count().label("n"))
            .where(*base, in_periods, hv.unit_list == OLD_UNIT_LIST)
            .group_by(hv.period, hv.unit, hv.flag)
        ):
            if r.period in left and (scope == ALL_UNITS or r.unit in old_units_in(scope)):
                name = shipped_crosswalk().old_names.get(r.unit, "")
                left[r.period].append(LegacyLeftOut(r.unit, name, r.flag, r.n))
        for period, items in left.items():
            out[period].left_out = tuple(sorted(items, key=lambda x: (x.unit, x.flag)))
        return out

    @staticmethod
    def _legacy_unit_cells(
        conn: Connection, form: str, period: str, units: list[str], codes: Iterable[str]
    ) -> dict[str, tuple[dict[tuple[str, str], str], bool]]:
        """``{unit: ({(code, disagg): text}, any flagged incomplete)}``: legacy values of the indicators."""
        hv = t.historical_values.c
        codes = sorted(set(codes))
        out: dict[str, tuple[dict[tuple[str, str], str], bool]] = {}
        for start in range(0, len(units), _CHUNK):
            for r in conn.execute(
                sa.select(hv.unit, hv.indicator, hv.disagg, hv.value, hv.flag).where(
                    hv.series == LEGACY_SERIES,
                    hv.unit_list == NEW_UNIT_LIST,
                    hv.form == form,
                    hv.period == period,
                    hv.indicator.in_(codes),
                    hv.unit.in_(units[start : start + _CHUNK]),
                )
            ):
                values, inc = out.get(r.unit, ({}, False))
                values[(r.indicator, r.disagg)] = r.value
                out[r.unit] = (values, inc or r.flag == "incomplete")
        return out

    @staticmethod
    def _unit_cells(
        conn: Connection, chosen: dict[str, _Chosen], codes: Iterable[str]
    ) -> dict[str, dict[tuple[str, str], str]]:
        """``{submission id: {(code, disagg): text}}`` for the given indicators."""
        sids = [c.submission_id for c in chosen.values()]
        codes = sorted(set(codes))
        out: dict[str, dict[tuple[str, str], str]] = {}
        for start in range(0, len(sids), _CHUNK):
            for row in conn.execute(
                sa.select(_C.submission_id, _C.indicator, _C.disagg, _C.text).where(
                    _C.submission_id.in_(sids[start : start + _CHUNK]), _C.indicator.in_(codes)
                )
            ):
                out.setdefault(row.submission_id, {})[(row.indicator, row.disagg)] = row.text
        return out


@lru_cache(maxsize=64)
def old_units_in(scope: str) -> frozenset[str]:
    """The pre-2025 communes of the shipped crosswalk that went (whole or in part) into ``scope`` (a province or
    a commune): those whose values left on an old commune a reader of the scope may see."""

    def inside(new: str) -> bool:
        if len(scope) == 2:
            return getattr(refdata.commune(new), "province_code", None) == scope
        return new == scope

    targets = shipped_crosswalk().targets
    return frozenset(old for old, ts in targets.items() if any(inside(x.new) for x in ts))


def _chunks(units: list[str] | None):
    """``units`` in pieces of :data:`_CHUNK` (bind parameters stay far below every limit); None: one None."""
    if units is None:
        yield None
        return
    for start in range(0, len(units), _CHUNK):
        yield units[start : start + _CHUNK]


def _add_legacy(into: dict, key, total: object, n: int, incomplete: object) -> None:
    """Add a legacy sum as the database returns it (Decimal, or text on SQLite), its units and flagged ones."""
    value = _exact(total)
    if value is None:
        return
    inc = int(incomplete or 0)
    old = into.get(key)
    into[key] = (value, n, inc) if old is None else (old[0] + value, old[1] + n, old[2] + inc)


def _own_or_parts(values: dict[tuple[str, str], str], disagg: str) -> dict[tuple[str, str], str]:
    """A unit's legacy values as one total of an indicator reads them: its own total (key "") where the file
    gave one, else its cells; a cell (``disagg``) reads the values as they are."""
    if disagg:
        return values
    own = {code for code, key in values if key == ""}
    return {(c, k): v for (c, k), v in values.items() if k == "" or c not in own}


def province_totals(
    db: Database,
    catalogs: Catalogs,
    form: str,
    period: str,
    scope: str = ALL_UNITS,
    *,
    accepted_only: bool = False,
) -> ProvinceTotals:
    """The totals of ``form`` for ``period`` over ``scope`` (see :meth:`Totals.totals`)."""
    return Totals(db, catalogs).totals(form, period, scope, accepted_only=accepted_only)


# -- building the result ------------------------------------------------------------------------------
def _exact(total: object) -> Decimal | None:
    """A sum as the database returns it (Decimal with the column's scale, or text) without trailing zeros."""
    return None if total is None else Decimal(canonical_decimal(Decimal(str(total))))


def _add(into: dict, key, value: Decimal | None, n: int) -> None:
    old = into.get(key)
    if old is None:
        into[key] = (value, n)
        return
    a, m = old
    into[key] = (a if value is None else value if a is None else a + value, m + n)


def _derived(catalog: Catalog, expression: str):
    return rules.parse_arithmetic(expression, catalog.indicator_codes)


def _operands_closure(catalog: Catalog, codes: set[str]) -> set[str]:
    """``codes`` plus the operands of the derived indicators among them, recursively."""
    seen = set(codes)
    todo = list(codes)
    while todo:
        code = todo.pop()
        if not catalog.has_indicator(code):
            continue
        how = catalog.indicator(code).how_aggregated
        if how in ("sum", "none"):
            continue
        for ref in rules.references(_derived(catalog, how)):
            if ref.code not in seen:
                seen.add(ref.code)
                todo.append(ref.code)
    return seen


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-DERIVED_PLACES), rounding=ROUND_HALF_UP)


def _evaluate(catalog: Catalog, expression: str, total_of) -> tuple[Decimal | None, int]:
    """A derived figure over indicator totals: ``total_of(code) -> (value, units)``."""
    try:
        expr = _derived(catalog, expression)
    except RuleSyntaxError:  # the loader refuses these; a copy of an older catalogue might hold one
        return None, 0
    counts: list[int] = []

    def lookup(ref: rules.Ref) -> Decimal | None:
        value, units = total_of(ref.code)
        counts.append(units)
        return value

    value = rules.evaluate_number(expr, lookup)
    if value is None:
        return None, min(counts, default=0)
    return _round(value), min(counts, default=0)


def _build(
    catalog: Catalog,
    form: str,
    period: str,
    scope: str,
    accepted_only: bool,
    expected: tuple[str, ...],
    chosen: dict[str, _Chosen],
    sums: dict,
    totals: dict,
    legacy: _Legacy | None = None,
) -> ProvinceTotals:
    indicators = catalog.form_indicators(form)
    legacy = legacy or _Legacy()
    if legacy.cells or legacy.totals:  # the legacy units' sums join the reports' (never the same unit)
        sums, totals = dict(sums), dict(totals)
        for key, (value, n, _inc) in legacy.cells.items():
            _add(sums, key, value, n)
        for code, (value, n, _inc) in legacy.totals.items():
            _add(totals, code, value, n)
    by_code: dict[str, list[tuple[str, Decimal | None, int]]] = {}
    for (code, disagg), (value, n) in sums.items():
        by_code.setdefault(code, []).append((disagg, value, n))
    resolved: dict[str, tuple[Decimal | None, int]] = {}

    def total_of(code: str, depth: int = 0) -> tuple[Decimal | None, int]:
        if code in resolved:
            return resolved[code]
        resolved[code] = (None, 0)  # a cycle (refused at load) evaluates to nothing
        how = catalog.indicator(code).how_aggregated if catalog.has_indicator(code) else "sum"
        if how == "none":
            result: tuple[Decimal | None, int] = (None, totals.get(code, (None, 0))[1])
        elif how == "sum":
            value, n = totals.get(code, (None, 0))
            result = (value, n)
        else:
            result = _evaluate(catalog, how, lambda c: total_of(c, depth + 1))
        resolved[code] = result
        return result

    def legacy_of(code: str) -> tuple[int, int]:
        """Legacy units behind an indicator's total, and flagged ones (a derived one: most of its operands)."""
        how = catalog.indicator(code).how_aggregated if catalog.has_indicator(code) else "sum"
        if how == "sum":
            return legacy.totals.get(code, (None, 0, 0))[1:]
        if how == "none":
            return 0, 0
        found = [legacy.totals.get(c, (None, 0, 0))[1:] for c in _operands_closure(catalog, {code})]
        return max((n for n, _ in found), default=0), max((i for _, i in found), default=0)

    cells: list[TotalCell] = []
    for ind in indicators:
        value, n = total_of(ind.code)
        cells.append(TotalCell(ind.code, "", value, n, *legacy_of(ind.code)))
        if ind.how_aggregated == "sum":
            for disagg, v, m in sorted(by_code.get(ind.code, ())):
                if disagg:
                    lu, li = legacy.cells.get((ind.code, disagg), (None, 0, 0))[1:]
                    cells.append(TotalCell(ind.code, disagg, v, m, lu, li))
    included = tuple(sorted(chosen))
    return ProvinceTotals(
        form=form,
        period=period,
        scope=scope,
        catalog_version=catalog.version,
        accepted_only=accepted_only,
        units_expected=expected,
        units_included=included,
        cells=tuple(cells),
        units_legacy=tuple(legacy.units),
        legacy_incomplete=tuple(u for u, (inc, _src) in legacy.units.items() if inc),
        legacy_sources=tuple(sorted({s for _inc, src in legacy.units.values() for s in src})),
        legacy_left_out=legacy.left_out,
    )


def _unit_value(
    catalog: Catalog, indicator: Indicator, disagg: str, cells: dict[tuple[str, str], str]
) -> str | None:
    """One unit's value of a total cell, as canonical text."""
    how = indicator.how_aggregated

    def total(code: str) -> Decimal | None:
        found = [Decimal(v) for (c, _d), v in cells.items() if c == code and _is_number(v)]
        return sum(found, Decimal(0)) if found else None

    if how == "none":
        found = [v for (c, d), v in cells.items() if c == indicator.code and (d == disagg or not disagg)]
        return found[0] if len(found) == 1 else None
    if how == "sum":
        if disagg:
            v = cells.get((indicator.code, disagg))
            return canonical_decimal(Decimal(v)) if v is not None and _is_number(v) else None
        value = total(indicator.code)
        return None if value is None else canonical_decimal(value)

    def unit_total(code: str) -> tuple[Decimal | None, int]:
        if catalog.has_indicator(code) and catalog.indicator(code).how_aggregated not in ("sum", "none"):
            return _evaluate(catalog, catalog.indicator(code).how_aggregated, unit_total)
        value = total(code)
        return value, 0 if value is None else 1

    value, _ = _evaluate(catalog, how, unit_total)
    return None if value is None else canonical_decimal(value)


def _is_number(text: str) -> bool:
    from dttshub.cells import number_of

    return number_of(text) is not None


def cell_json(cell: TotalCell) -> dict:
    """A total cell as the CLI's and the API's JSON: the value as a canonical decimal string (or null)."""
    return {
        "code": cell.code,
        "disagg": cell.disagg,
        "value": None if cell.value is None else canonical_decimal(cell.value),
        "units": cell.units,
        "legacy_units": cell.legacy_units,
        "legacy_incomplete": cell.legacy_incomplete,
    }


def totals_json(totals: ProvinceTotals) -> dict:
    """The JSON document of ``dttshub totals --json`` and of the API."""
    return {
        "form": totals.form,
        "period": totals.period,
        "scope": totals.scope,
        "catalog_version": totals.catalog_version,
        "accepted_only": totals.accepted_only,
        "units_expected": len(totals.units_expected),
        "units_included": len(totals.units_included),
        "units_missing": list(totals.units_missing),
        "legacy_units": len(totals.units_legacy),
        "units_legacy": list(totals.units_legacy),
        "legacy_incomplete": list(totals.legacy_incomplete),
        "legacy_sources": list(totals.legacy_sources),
        "legacy_left_out": [
            {"unit": x.unit, "name": x.name, "flag": x.flag, "values": x.values}
            for x in totals.legacy_left_out
        ],
        "cells": [cell_json(c) for c in totals.cells],
    }
