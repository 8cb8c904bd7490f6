"""The commune's other reports in the local store, for rules across periods and forms (docs/catalogue.md).

:class:`StoreReports` is the client's implementation of :class:`dttscore.validate.OtherReports`:
``0101[period=-1]`` and ``BM01.0101`` read the values the store holds for the same unit — the officer's own
reports and those pulled from the hub — so the rules work offline. The hub reads its cells table instead
(``dttshub.rule_sources``); the evaluation is the same core code.
"""

from __future__ import annotations

import sqlite3

_SQL_REPORT = "SELECT id FROM reports WHERE unit = ? AND form = ? AND period = ?"
_SQL_CELLS = "SELECT code, disagg, value FROM cells WHERE report_id = ?"


class StoreReports:
    """The values of one unit's reports, read on demand from the store's connection.

    Args:
        conn: the store's connection (read in the caller's transaction, if any).
        unit: the commune.
    """

    def __init__(self, conn: sqlite3.Connection, unit: str) -> None:
        self.conn = conn
        self.unit = unit

    def values(self, form: str, period: str) -> dict[tuple[str, str], str] | None:
        """The values of the unit's report of ``form`` for ``period``; None when the store has none."""
        row = self.conn.execute(_SQL_REPORT, (self.unit, form, period)).fetchone()
        if row is None:
            return None
        return {(code, disagg): value for code, disagg, value in self.conn.execute(_SQL_CELLS, (row[0],))}
