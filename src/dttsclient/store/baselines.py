"""Survey baselines of the profile's unit (issue 17 item 4): published survey figures the province loaded
on the hub (``dttshub baseline import``), pulled at sync when the hub's ``baselines_version`` changed, kept
read-only in the ``baselines`` table and shown beside the cell — offline too.

``store.baselines``: :meth:`Baselines.replace`, :meth:`Baselines.version`, :meth:`Baselines.for_cell`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dttsclient.store._base import Part, guarded
from dttsclient.store.settings import Settings
from dttscore import bounds

VERSION_SETTING = "baselines_version"
MAX_ITEMS = 20_000
_FIELDS = ("survey", "reference_date", "form", "period", "indicator", "disagg", "value")


@dataclass(frozen=True)
class Baseline:
    """One survey figure of a cell: the survey, its reference date (YYYY-MM-DD), the period and value."""

    survey: str
    reference_date: str
    period: str
    value: str


def clean_baseline(item: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The fields of an item from the hub when each is a short string, else None (dropped)."""
    out = []
    for name in _FIELDS:
        value = item.get(name)
        if not isinstance(value, str) or len(value) > bounds.MAX_COMMENT:
            return None
        out.append(value)
    return tuple(out)


class Baselines(Part):
    """``store.baselines``: the survey figures of the profile's unit, as the hub last sent them."""

    @guarded
    def replace(self, unit: str, version: int, items: Iterable[Mapping[str, Any]]) -> int:
        """Replace the unit's baselines by ``items`` (the hub's ``GET baselines``) and keep ``version``.

        One transaction; malformed items are dropped, at most :data:`MAX_ITEMS` kept. Returns how many.
        """
        rows = []
        for item in items:
            if len(rows) >= MAX_ITEMS:
                break
            clean = clean_baseline(item) if isinstance(item, Mapping) else None
            if clean is not None:
                rows.append((unit, *clean))
        with self._tx() as conn:
            conn.execute("DELETE FROM baselines WHERE unit = ?", (unit,))
            conn.executemany(
                "INSERT OR REPLACE INTO baselines (unit, survey, reference_date, form, period, indicator, "
                "disagg, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            Settings._put_setting(conn, VERSION_SETTING, version)
        return len(rows)

    @guarded
    def version(self) -> int | None:
        """The hub's baselines version when they were last fetched (None: never)."""
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (VERSION_SETTING,)).fetchone()
        return json.loads(row[0]) if row is not None else None

    @guarded
    def for_cell(self, unit: str, form: str, indicator: str, disagg: str) -> list[Baseline]:
        """The survey figures of one cell, newest reference date first."""
        if self._db.closed:  # a panel refreshed after its window's store closed: nothing to show
            return []
        rows = self._conn.execute(
            "SELECT survey, reference_date, period, value FROM baselines WHERE unit = ? AND form = ? "
            "AND indicator = ? AND disagg = ? ORDER BY reference_date DESC, survey",
            (unit, form, indicator, disagg),
        ).fetchall()
        return [Baseline(*row) for row in rows]
