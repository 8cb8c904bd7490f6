"""Earlier periods of a cell (issue 16 item 1): the same unit's and form's reports of other periods.

Reads only the local database: the officer's own reports and those a sync pulled from the hub (a pull
stores the values of every report of the unit, see :meth:`SyncState.apply_pulled`), so a new PC has its
commune's history after the first sync and everything works offline. Which periods are shown is
:func:`dttscore.swing.earlier_periods` (the previous two and the same period one and two years
earlier); the previous period's values also feed the swing warnings of
:func:`dttscore.validate.check_report`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from decimal import Decimal

from dttsclient.store._base import Part, guarded
from dttsclient.store.errors import ReportNotFound
from dttsclient.store.models import CellKey, Report
from dttscore.errors import IdentifierError
from dttscore.periods import previous
from dttscore.swing import change_pct, earlier_periods

_SQL_CELL = (
    "SELECT r.period, c.value FROM reports r LEFT JOIN cells c "
    "ON c.report_id = r.id AND c.code = ? AND c.disagg = ? "
    "WHERE r.unit = ? AND r.form = ? AND r.period IN ({marks})"
)
_SQL_REPORT = "SELECT id, unit, form, period FROM reports WHERE id = ?"


@dataclass(frozen=True)
class EarlierValue:
    """One earlier period of a cell.

    Attributes:
        period: the period code ("2025").
        value: its canonical value; None when that period has no report or the cell is empty.
        has_report: the local store has a report of that period.
        change_pct: the current value's change from this one in percent (one decimal); None when
            either is missing or not a number, or this one is 0.
    """

    period: str
    value: str | None
    has_report: bool
    change_pct: Decimal | None


def previous_values(conn: sqlite3.Connection, report: Report) -> tuple[str, dict[CellKey, str]]:
    """The previous period's code and its report's cells (empty when there is none here)."""
    try:
        period = previous(report.period)
    except IdentifierError:
        return "", {}
    rows = conn.execute(
        "SELECT c.code, c.disagg, c.value FROM reports r JOIN cells c ON c.report_id = r.id "
        "WHERE r.unit = ? AND r.form = ? AND r.period = ?",
        (report.unit, report.form, period),
    ).fetchall()
    return period, {(code, disagg): value for code, disagg, value in rows}


class Earlier(Part):
    """``store.earlier``: cell_history(), the same cell in earlier periods."""

    @guarded
    def cell_history(self, report_id: int, code: str, disagg: str = "") -> list[EarlierValue]:
        """The cell ``(code, disagg)`` of the report in its earlier periods, most recent first.

        Every period of :func:`~dttscore.swing.earlier_periods` is listed, with ``value`` None
        when this PC has no report of it or the cell is empty there.

        Raises:
            ReportNotFound: no such report.
        """
        conn = self._conn
        row = conn.execute(_SQL_REPORT, (report_id,)).fetchone()
        if row is None:
            raise ReportNotFound(report_id)
        _, unit, form, period = row
        periods = earlier_periods(period)
        if not periods:
            return []
        current = conn.execute(
            "SELECT value FROM cells WHERE report_id = ? AND code = ? AND disagg = ?",
            (report_id, code, disagg),
        ).fetchone()
        now = current[0] if current else None
        found = {
            p: v
            for p, v in conn.execute(
                _SQL_CELL.format(marks=", ".join("?" * len(periods))), (code, disagg, unit, form, *periods)
            )
        }
        return [EarlierValue(p, found.get(p), p in found, change_pct(found.get(p), now)) for p in periods]
