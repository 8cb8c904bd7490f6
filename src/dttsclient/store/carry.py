"""Start from last period (issue 16 item 5): copy chosen indicators' values of the previous period into a
report as a starting draft, each copied cell marked until the officer confirms or changes it.

Nothing is copied unless asked (:meth:`Carry.copy_from_previous` names the indicators), only into
empty cells, and in one transaction with the markers. A marker (table ``carried_cells``) keeps the value
that was copied: the cell is "carried" while it still holds that value and the marker is there, so typing
another value unmarks it, and undoing the copy (the cells emptied again) shows nothing; confirming
deletes the marker. Markers live in ``profile.sqlite`` and survive a restart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dttsclient.store._base import Database, Part, guarded
from dttsclient.store.errors import InvalidCell
from dttsclient.store.models import CellKey
from dttsclient.store.reports import Reports
from dttscore.errors import IdentifierError
from dttscore.periods import previous

_SQL_REPORT = "SELECT unit, form, period FROM reports WHERE id = ?"
_SQL_PREVIOUS_CELLS = (
    "SELECT c.code, c.disagg, c.value FROM reports r JOIN cells c ON c.report_id = r.id "
    "WHERE r.unit = ? AND r.form = ? AND r.period = ? ORDER BY c.code, c.disagg"
)
_SQL_MARK = (
    "INSERT INTO carried_cells (report_id, code, disagg, value, from_period) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (report_id, code, disagg) DO UPDATE SET value = excluded.value, "
    "from_period = excluded.from_period"
)


@dataclass(frozen=True)
class CarryChoice:
    """An indicator the officer may copy from the previous period.

    Attributes:
        code: the indicator.
        cells: how many of its cells have a value there and are empty here (what a copy would fill).
    """

    code: str
    cells: int


class Carry(Part):
    """``store.carry``: carry_choices(), copy_from_previous(), carried(), confirm_carried().

    Args:
        db: the store's database.
        reports: the store's reports part (reading reports and writing cells).
    """

    def __init__(self, db: Database, reports: Reports) -> None:
        super().__init__(db)
        self._reports = reports

    def _previous_cells(self, report_id: int) -> tuple[str, dict[CellKey, str]]:
        row = self._conn.execute(_SQL_REPORT, (report_id,)).fetchone()
        if row is None:
            self._reports._report_row(report_id)  # raises ReportNotFound
        unit, form, period = row
        try:
            before = previous(period)
        except IdentifierError:
            return "", {}
        rows = self._conn.execute(_SQL_PREVIOUS_CELLS, (unit, form, before)).fetchall()
        return before, {(c, d): v for c, d, v in rows}

    @guarded
    def carry_choices(self, report_id: int) -> tuple[str, list[CarryChoice]]:
        """The previous period and, in the form's order, the indicators a copy from it would fill.

        Only indicators of the report's form (in its pinned catalogue) with at least one cell that has a
        value in the previous period's report of the same unit and form and none here are listed.

        Raises:
            ReportNotFound, NoCatalog: no such report, or its catalogue is missing.
        """
        period, earlier = self._previous_cells(report_id)
        if not earlier:
            return period, []
        report = self._reports._report_row(report_id)
        catalog = self._reports._report_catalog(report)
        if not catalog.has_form(report.form):
            return period, []
        here = self._reports._cells(self._conn, report_id)
        counts: dict[str, int] = {}
        for key in earlier:
            if key not in here:
                counts[key[0]] = counts.get(key[0], 0) + 1
        choices = [
            CarryChoice(ind.code, counts[ind.code])
            for ind in catalog.form_indicators(catalog.form(report.form))
            if ind.code in counts
        ]
        return period, choices

    @guarded
    def copy_from_previous(
        self, report_id: int, codes: Iterable[str], who: str
    ) -> list[tuple[str, str, str]]:
        """Copy the previous period's values of these indicators into the report's empty cells, marked.

        One transaction: the cells (change log kind "import") and their markers. A value the report's
        catalogue would refuse (another version's limits) is left out.

        Returns:
            The cells written, ``(code, disagg, value)``, in code order (empty when nothing was copied).
        """
        wanted = set(codes)
        period, earlier = self._previous_cells(report_id)
        if not wanted or not earlier:
            return []
        info = self._reports._pinned_info(report_id)
        here = self._reports._cells(self._conn, report_id)
        items = []
        for (code, disagg), value in earlier.items():
            if code not in wanted or (code, disagg) in here:
                continue
            try:
                self._reports._checked(info, code, disagg, value)
            except InvalidCell:  # not a cell of this report's catalogue version, or not canonical for it
                continue
            items.append((code, disagg, value))
        if not items:
            return []
        at = self._stamp()
        with self._tx() as conn:
            for code, disagg, value in items:
                self._reports._write_cell(conn, report_id, code, disagg, value, who, at, "import")
                conn.execute(_SQL_MARK, (report_id, code, disagg, value, period))
            conn.execute(
                "UPDATE reports SET state = 'draft', dirty = 1, updated_at = ? WHERE id = ?", (at, report_id)
            )
        return items

    @guarded
    def carried(self, report_id: int) -> dict[CellKey, str]:
        """The cells still marked as copied (holding the copied value, not confirmed): key → period."""
        rows = self._conn.execute(
            "SELECT k.code, k.disagg, k.from_period FROM carried_cells k JOIN cells c "
            "ON c.report_id = k.report_id AND c.code = k.code AND c.disagg = k.disagg AND c.value = k.value "
            "WHERE k.report_id = ?",
            (report_id,),
        ).fetchall()
        return {(code, disagg): period for code, disagg, period in rows}

    @guarded
    def confirm_carried(self, report_id: int, keys: Iterable[CellKey] | None = None) -> int:
        """The officer confirms copied cells (all of the report's when ``keys`` is None): unmarked.

        Returns:
            How many markers were removed.
        """
        with self._tx() as conn:
            if keys is None:
                return conn.execute("DELETE FROM carried_cells WHERE report_id = ?", (report_id,)).rowcount
            return sum(
                conn.execute(
                    "DELETE FROM carried_cells WHERE report_id = ? AND code = ? AND disagg = ?",
                    (report_id, code, disagg),
                ).rowcount
                for code, disagg in keys
            )
