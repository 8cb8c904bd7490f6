"""What the province side of the hub hands to its front ends: totals, one unit's values, in plain data.

The queries (``dttshub.totals``, ``dttshub.completeness``) fill these; the exports (``dttshub.exports``), the
CLI and the API read them. They are plain frozen dataclasses so a writer can be tested from objects built by
hand, and a query can be tested without a writer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class TotalCell:
    """One indicator's total over the units in scope, for one disaggregation cell.

    Attributes:
        code: the indicator's code ("0401").
        disagg: the disaggregation key as the reports store it; "" for the indicator's own total.
        value: the sum (or the derived figure); None where nothing was reported or nothing adds up.
        units: how many units contributed a value to this cell (legacy values included).
        legacy_units: how many of them contributed legacy values (imported history, no report counted).
        legacy_incomplete: how many of those legacy values are flagged ``incomplete`` (a merged commune's sum
            that lacks some of its old communes).
    """

    code: str
    disagg: str
    value: Decimal | None
    units: int
    legacy_units: int = 0
    legacy_incomplete: int = 0


@dataclass(frozen=True)
class LegacyLeftOut:
    """An old (pre-2025) commune whose legacy values of a form and period are in no total.

    Attributes:
        unit: the old commune's code (list ``vn-pre-2025``).
        name: its name in the crosswalk.
        flag: ``partial`` (split between new communes) or ``not_sum`` (values that do not add up).
        values: how many values it has.
    """

    unit: str
    name: str
    flag: str
    values: int


@dataclass(frozen=True)
class ProvinceTotals:
    """A form's totals for one period over the units in scope.

    Attributes:
        form: the form code.
        period: the period code as reports carry it ("2026", "2026-Q3", ...).
        scope: the province code, or "*" for every province.
        catalog_version: the catalogue version the totals are laid out by.
        accepted_only: True when only accepted revisions were added up.
        units_expected: every unit that should report, in code order.
        units_included: the units whose report was added up, in code order.
        cells: the totals, in catalogue order of indicators, then disaggregation key.
        units_legacy: the units with no report in the totals whose legacy values (``dttshub legacy import``,
            mapped onto the 2025 communes) were added up instead, in code order.
        legacy_incomplete: those of them with a value flagged ``incomplete``.
        legacy_sources: the file names of the imports those values come from.
        legacy_left_out: the old communes of the scope whose legacy values stay on them (split communes,
            values that do not add up): in no total, listed here.
    """

    form: str
    period: str
    scope: str
    catalog_version: int
    accepted_only: bool
    units_expected: tuple[str, ...]
    units_included: tuple[str, ...]
    cells: tuple[TotalCell, ...] = field(default_factory=tuple)
    units_legacy: tuple[str, ...] = ()
    legacy_incomplete: tuple[str, ...] = ()
    legacy_sources: tuple[str, ...] = ()
    legacy_left_out: tuple[LegacyLeftOut, ...] = ()

    @property
    def units_missing(self) -> tuple[str, ...]:
        """The expected units with neither a report in the totals nor legacy values added up."""
        included = set(self.units_included) | set(self.units_legacy)
        return tuple(u for u in self.units_expected if u not in included)


@dataclass(frozen=True)
class UnitValue:
    """One stored value of one unit's report, for long exports and drill-down.

    Attributes:
        unit: the unit's code.
        unit_name: the unit's name ("Xã Y Tý").
        form: the form code.
        period: the period code.
        indicator: the indicator's code.
        disagg: the disaggregation key ("" for the indicator's total).
        dims: the key's dimension values by dimension name ({"eth": "01", "sex": "2"}).
        value: the value as the report stores it (canonical text).
        state: the report's completeness state (see ``dttshub.completeness``).
        receipt_no: the receipt of the revision the value comes from.
    """

    unit: str
    unit_name: str
    form: str
    period: str
    indicator: str
    disagg: str
    dims: Mapping[str, str]
    value: str
    state: str
    receipt_no: str | None
