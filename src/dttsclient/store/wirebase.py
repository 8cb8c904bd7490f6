"""The base of a revision sent as changes (issue 18, docs/sync-protocol.md "Compact payloads").

A queued revision may travel as the cells changed since an earlier submission of the same report that
the hub holds: the newest one the hub answered ``accepted``, ``late`` or ``conflict`` for (each is stored
there with its values). Kept apart from the outbox's own queries so it reads on its own.
"""

from __future__ import annotations

from dttsclient.store._base import guarded
from dttsclient.store.finalize import SUBMISSION_COLUMNS, submission_from_row
from dttsclient.store.models import Submission

_HELD = ("accepted", "late", "conflict")
_COLUMNS = ", ".join(f"s.{c.strip()}" for c in SUBMISSION_COLUMNS.split(","))


class WireBaseMixin:
    """``held_base``: the submission a queued revision can be sent as changes from."""

    _conn: object

    @guarded
    def held_base(self, submission_id: str) -> Submission | None:
        """The newest earlier submission of the same report that the hub holds, or None."""
        row = self._conn.execute(  # type: ignore[attr-defined]
            f"SELECT {_COLUMNS} FROM submissions s JOIN outbox o ON o.submission_id = s.submission_id "
            "JOIN submissions me ON me.submission_id = ? "
            f"WHERE s.report_id = me.report_id AND s.revision_no < me.revision_no AND o.state IN {_HELD} "
            "ORDER BY s.revision_no DESC LIMIT 1",
            (submission_id,),
        ).fetchone()
        return submission_from_row(row) if row is not None else None
