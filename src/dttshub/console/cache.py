"""A small cache of what the console computes from the reports, valid while nothing on the hub has changed.

The start page counts twelve form-periods, the totals page adds up the province and its trend chart five
periods, again and again while reviewers move between pages; those figures change only when a report changes (every stored revision, review or conflict moves the hub's
``change_seq`` counter), when a catalogue is published, when the database starts a new generation, when
an agency is added, disabled or enabled, or when legacy data or baselines are imported (issue 17). An entry
remembers all five and is used only while they are the same, so the chart is never stale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from dttshub import db as t
from dttshub.db import CHANGE_SEQ

MAX_ENTRIES = 64


class ChangeCache:
    """Values computed from the hub's reports, kept until the hub's data changes (least recently used out)."""

    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, tuple[tuple, Any]] = OrderedDict()

    @staticmethod
    def marker(hub) -> tuple:
        """What the hub's data stands at: the change counter, the current catalogue, the generation, the
        agencies with their state (a few rows: adding or disabling one changes who is expected to report), and
        the latest import of legacy data or baselines (their values join the totals)."""
        with hub.db.read() as conn:
            seq = hub.db.counter(conn, CHANGE_SEQ)
            agencies = tuple(
                conn.execute(sa.select(t.units.c.code, t.units.c.disabled).order_by(t.units.c.code)).all()
            )
            imported = conn.execute(sa.select(sa.func.max(t.imports.c.id))).scalar()
        current = hub.catalogs.current()
        return seq, current.etag if current is not None else "", hub.current_generation(), agencies, imported

    def get(self, hub, key: tuple, compute: Callable[[], Any]) -> Any:
        mark = self.marker(hub)
        with self._lock:
            found = self._entries.get(key)
            if found is not None and found[0] == mark:
                self._entries.move_to_end(key)
                return found[1]
        value = compute()
        with self._lock:
            self._entries[key] = (mark, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value
