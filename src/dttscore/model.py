"""The catalogue model: plain frozen dataclasses, shared by the client and the hub.

A catalogue is configuration data (docs/catalogue.md): groups of indicators, their disaggregations and options,
the forms that collect them and the validation rules. Loading and writing live in
:mod:`dttscore.catalog_build` (tables and JSON) and :mod:`dttscore.workbook` (the authoring workbook);
:mod:`dttscore.catalog` loads a file of either kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

VALUE_TYPES = ("integer", "decimal", "percent", "yes_no", "text")
PERIOD_TYPES = ("year", "half_year", "quarter", "month")
SEVERITIES = ("error", "warning")
ETH_OPTIONS = ("all", "present")
REPORTED_BY = ("commune", "agency", "both")
"""Which kinds of reporting unit report a form (``forms.reported_by``; docs/catalogue.md)."""
AGGREGATION_WORDS = ("sum", "none")
"""The words of the indicators' ``aggregation`` column; anything else there is a derived formula."""
DEFAULT_MAX_CHANGE_PCT = Decimal(50)
"""The swing allowed for a count when the ``max_change_pct`` column is empty (docs/catalogue.md)."""


@dataclass(frozen=True)
class Group:
    code: str
    name_vi: str
    name_en: str
    order: int


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    name_vi: str
    name_en: str
    unit: str
    value_type: str
    min: Decimal | None = None
    max: Decimal | None = None
    required: bool = False
    disaggregation: str | None = None
    definition_vi: str = ""
    method_vi: str = ""
    source_vi: str = ""
    order: int = 0
    aggregation: str = ""
    options: str = ""  # as written: "eth: !01" (see dttscore.indicator_options)
    max_change_pct: str = ""

    @property
    def numeric(self) -> bool:
        return self.value_type in ("integer", "decimal", "percent", "yes_no")

    @property
    def how_aggregated(self) -> str:
        """How the province adds this indicator up: "sum", "none" or a derived expression.

        The ``aggregation`` column when set, otherwise "sum" for integer and decimal indicators and
        "none" for the others (text, yes/no, percent do not add up).
        """
        if self.aggregation:
            return self.aggregation
        return "sum" if self.value_type in ("integer", "decimal") else "none"

    @property
    def swing_limit(self) -> Decimal | None:
        """How far (in percent) a value may move from the previous period's before a warning; None: never.

        The ``max_change_pct`` column when set ("none" turns the check off), otherwise
        :data:`DEFAULT_MAX_CHANGE_PCT` for counts (integer indicators that add up) and none for the
        others (rates, yes/no, text). See docs/catalogue.md.
        """
        if self.max_change_pct == "none":
            return None
        if self.max_change_pct:
            return Decimal(self.max_change_pct)
        if self.value_type == "integer" and self.how_aggregated == "sum":
            return DEFAULT_MAX_CHANGE_PCT
        return None


@dataclass(frozen=True)
class Disaggregation:
    name: str
    dimensions: tuple[str, ...]


@dataclass(frozen=True)
class Option:
    dimension: str
    code: str
    name_vi: str
    name_en: str
    order: int


@dataclass(frozen=True)
class Form:
    code: str
    name_vi: str
    name_en: str
    period_type: str
    indicators: str  # as written: "0101-0110, 0201"
    deadline_days: int
    eth_options: str = "present"
    reported_by: str = "commune"

    def reported_by_kind(self, kind: str) -> bool:
        """True when a unit of ``kind`` ("commune" or "agency") reports this form."""
        return self.reported_by in ("both", kind)


@dataclass(frozen=True)
class Rule:
    code: str
    expression: str
    severity: str
    message_vi: str
    message_en: str
    forms: tuple[str, ...] = ()

    def applies_to(self, form_code: str) -> bool:
        return not self.forms or form_code in self.forms


@dataclass(frozen=True)
class Catalog:
    """One version of a province's indicator catalogue.

    ``options`` holds only the options listed in the workbook's ``options`` sheet; use
    :meth:`options_for` to get a dimension's options with the defaults of docs/catalogue.md (``eth``: the 54
    groups, ``sex``: M/F) filled in.

    The model neither parses nor reads files: the loader (:func:`dttscore.catalog_build.resolved`) fills in
    ``form_members`` (each form's indicator codes, from its ``indicators`` spec) and ``default_options``
    (the shipped code lists). Neither takes part in equality. A catalogue built by hand goes through
    :func:`~dttscore.catalog_build.resolved` before :meth:`form_indicators` or :meth:`options_for`.
    """

    catalog_id: str
    version: int
    title: str
    legal_basis: str
    effective_from: date
    unit_list: str
    ethnic_code_system: str
    sample: bool
    groups: tuple[Group, ...]
    indicators: tuple[Indicator, ...]
    disaggregations: tuple[Disaggregation, ...]
    options: tuple[Option, ...]
    forms: tuple[Form, ...]
    rules: tuple[Rule, ...]
    extra_meta: tuple[tuple[str, str], ...] = field(default=())
    form_members: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)
    default_options: Mapping[str, tuple[Option, ...]] = field(default_factory=dict, compare=False, repr=False)

    # -- look-ups ---------------------------------------------------------------------------------
    @cached_property
    def _indicator_index(self) -> dict[str, Indicator]:
        return {i.code: i for i in self.indicators}

    @cached_property
    def indicator_codes(self) -> frozenset[str]:
        """Every indicator code; the rule grammar reads a number-like word as a code when it is one."""
        return frozenset(self._indicator_index)

    def indicator(self, code: str) -> Indicator:
        return self._indicator_index[code]

    def has_indicator(self, code: str) -> bool:
        return code in self._indicator_index

    def form(self, code: str) -> Form:
        for f in self.forms:
            if f.code == code:
                return f
        raise KeyError(code)

    def has_form(self, code: str) -> bool:
        return any(f.code == code for f in self.forms)

    def group(self, code: str) -> Group:
        for g in self.groups:
            if g.code == code:
                return g
        raise KeyError(code)

    def disaggregation(self, name: str) -> Disaggregation:
        for d in self.disaggregations:
            if d.name == name:
                return d
        raise KeyError(name)

    def dimensions_of(self, indicator: Indicator | str) -> tuple[str, ...]:
        """The dimensions of an indicator's disaggregation, () when it has a single value."""
        ind = self.indicator(indicator) if isinstance(indicator, str) else indicator
        if not ind.disaggregation:
            return ()
        return self.disaggregation(ind.disaggregation).dimensions

    def options_for(self, dimension: str) -> tuple[Option, ...]:
        """The options of a dimension, sorted by order, with the docs/catalogue.md defaults for eth and sex.

        Raises:
            LookupError: the dimension has no listed options and the catalogue was not resolved.
        """
        listed = tuple(sorted((o for o in self.options if o.dimension == dimension), key=lambda o: o.order))
        if listed:
            return listed
        if not self.default_options:
            raise LookupError("catalogue not resolved: build it with dttscore.catalog.resolved() or a loader")
        return self.default_options.get(dimension, ())

    def form_indicators(self, form: Form | str) -> tuple[Indicator, ...]:
        """The indicators a form collects, in catalogue order (group order, then indicator order).

        Raises:
            KeyError: no such form, or the catalogue was not resolved by its loader (``form_members``).
        """
        f = self.form(form) if isinstance(form, str) else form
        codes = set(self.form_members[f.code])
        group_order = {g.code: g.order for g in self.groups}
        chosen = [i for i in self.indicators if i.code in codes]
        return tuple(sorted(chosen, key=lambda i: (group_order.get(i.group, 0), i.order, i.code)))

    def rules_for(self, form: Form | str) -> tuple[Rule, ...]:
        code = form if isinstance(form, str) else form.code
        return tuple(r for r in self.rules if r.applies_to(code))
