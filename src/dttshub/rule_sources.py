"""The unit's other reports on the hub, for rules across periods and forms (docs/catalogue.md).

:class:`HubReports` is the hub's implementation of :class:`dttscore.validate.OtherReports`: the
values of a report's head submission, read from the cells table (:mod:`dttshub.cells`). The client reads
its local store instead; both hand them to the same core code, so a rule gives the same result on both.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from dttshub import db as t


class HubReports:
    """The values of one unit's reports, read on demand on the caller's connection (and transaction).

    Args:
        conn: the request's connection.
        unit: the commune the submission is for.
    """

    def __init__(self, conn: Connection, unit: str) -> None:
        self.conn = conn
        self.unit = unit

    def values(self, form: str, period: str) -> dict[tuple[str, str], str] | None:
        """The values of the head submission of the unit's report of ``form`` for ``period``; None when
        the hub has no submission of it."""
        head = self.conn.execute(
            sa.select(t.reports.c.head_submission_id).where(
                t.reports.c.unit == self.unit, t.reports.c.form == form, t.reports.c.period == period
            )
        ).scalar()
        if head is None:
            return None
        rows = self.conn.execute(
            sa.select(t.cells.c.indicator, t.cells.c.disagg, t.cells.c.text).where(
                t.cells.c.submission_id == head
            )
        )
        return {(code, disagg): text for code, disagg, text in rows}
