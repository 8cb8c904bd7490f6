"""Every problem of a report: per-value checks, required indicators and the catalogue's rules.

The client runs :func:`check_report` while the officer types and at finalize; the hub runs the same code
on what it receives, so both always agree (docs/catalogue.md). The catalogue loader calls :func:`rule_problems`
to refuse, at load time, rules that name unknown codes, dimensions or options.
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Context, Decimal
from typing import Protocol

from dttscore import periods, rules
from dttscore.disagg import dimension_name, make_key, parse_key
from dttscore.errors import CatalogError, IdentifierError, RuleSyntaxError, ValueInputError
from dttscore.model import Catalog, Indicator, Rule
from dttscore.problems import MISSING, Problem
from dttscore.values import check_value, to_decimal

logger = logging.getLogger(__name__)

_SUBSET_LIMIT = 6
"""Up to this many dimensions, a cell adds to the sum of every subset of its options (O(1) look-ups)."""


class OtherReports(Protocol):
    """The unit's other reports, for rules that read another period or form (``0101[period=-1]``,
    ``BM01.0101``). The client's store and the hub's cells table each implement it; the unit is bound
    by the implementation."""

    def values(self, form: str, period: str) -> Mapping[tuple[str, str], str | None] | None:
        """The values of the unit's report of ``form`` for ``period``; None when there is no such report."""
        ...


def check_report(
    catalog: Catalog,
    form_code: str,
    values: Mapping[tuple[str, str], str | None],
    eth_present: list[str] | None = None,
    *,
    period: str | None = None,
    others: OtherReports | None = None,
    earlier: Mapping[tuple[str, str], str | None] | None = None,
    earlier_period: str = "",
) -> list[Problem]:
    """Every problem of one report.

    Args:
        catalog: the catalogue version the report is pinned to.
        form_code: the report's form.
        values: canonical values by (indicator code, disaggregation key); None or "" is no value.
        eth_present: the ethnic groups (option codes) the officer added rows for; ``*`` rules on ``eth``
            are checked for these and for every group that has a value.
        period: the report's period, needed by references to other periods and forms.
        others: the unit's other reports; without it (or ``period``), or when the report referred to is
            missing, a reference to another period or form is empty and its rule is skipped.
        earlier: the previous period's values of the same unit and form, for the swing warnings
            (:func:`dttscore.swing.swing_problems`); None or empty: no swing check.
        earlier_period: the code of that period.

    Returns:
        The problems, errors first, then in the form's indicator order. Per value: "type", "min", "max";
        per indicator: "required"; per failing rule: a problem whose ``code`` is the rule's code and
        whose ``option`` names the option of a ``*`` rule ("eth=08").

    Raises:
        KeyError: the catalogue has no such form (a bug of the caller, not bad input).
    """
    form = catalog.form(form_code)
    form_indicators = catalog.form_indicators(form)
    rank = {ind.code: i for i, ind in enumerate(form_indicators)}
    cells = _index(values)
    problems: list[Problem] = []

    for ind in form_indicators:
        own = cells.get(ind.code, ())
        for disagg, canonical in own:
            problems.extend(check_value(ind, canonical, disagg))
        if ind.required and not _entered(cells, ind.code):
            problems.append(_required(ind))
    for code, own in cells.items():
        if code not in rank and catalog.has_indicator(code):
            ind = catalog.indicator(code)
            for disagg, canonical in own:
                problems.extend(check_value(ind, canonical, disagg))

    keys = _Keys()
    numbers = _Sources(catalog, form.code, period, _Numbers(catalog, cells, keys), others, keys)
    stars = _StarOptions(catalog, cells, eth_present, keys)
    context = rules.arithmetic_context()
    for rule in catalog.rules_for(form.code):
        problems.extend(_check_rule(rule, numbers, stars, context, catalog.indicator_codes))
    if earlier:
        from dttscore.swing import swing_problems

        problems.extend(swing_problems(catalog, form.code, values, earlier, earlier_period))

    last = len(rank)
    catalogue_rank = {ind.code: i for i, ind in enumerate(catalog.indicators)}
    problems.sort(
        key=lambda p: (
            not p.is_error,
            rank.get(p.indicator, last + catalogue_rank.get(p.indicator, len(catalogue_rank))),
        )
    )
    return problems


@dataclass(frozen=True)
class Completeness:
    """How much of a report is entered: the one definition every screen and command uses.

    An indicator counts as entered when at least one of its cells has a value (the same test that makes
    a required indicator pass at finalize, see :func:`check_report`).

    Attributes:
        entered: indicators of the form with at least one value.
        total: indicators of the form.
        missing_required: codes of the required indicators that have no value yet, in form order.
    """

    entered: int
    total: int
    missing_required: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Every required indicator has a value (finalize will not block on a missing one)."""
        return not self.missing_required

    def to_json(self) -> dict:
        return {
            "entered": self.entered,
            "total": self.total,
            "missing_required": list(self.missing_required),
            "complete": self.complete,
        }


def completeness(
    catalog: Catalog, form_code: str, values: Mapping[tuple[str, str], str | None]
) -> Completeness:
    """How much of one report is entered (see :class:`Completeness`).

    Args:
        catalog: the catalogue version the report is pinned to.
        form_code: the report's form.
        values: canonical values by (indicator code, disaggregation key); None or "" is no value.

    Raises:
        KeyError: the catalogue has no such form.
    """
    indicators = catalog.form_indicators(catalog.form(form_code))
    cells = _index(values)
    return Completeness(
        entered=sum(1 for ind in indicators if _entered(cells, ind.code)),
        total=len(indicators),
        missing_required=tuple(
            ind.code for ind in indicators if ind.required and not _entered(cells, ind.code)
        ),
    )


def _entered(cells: Mapping[str, list[tuple[str, str]]], code: str) -> bool:
    """Whether an indicator has a value (:func:`_index` keeps only non-empty values)."""
    return bool(cells.get(code))


def _index(values: Mapping[tuple[str, str], str | None]) -> dict[str, list[tuple[str, str]]]:
    """Non-empty values grouped by indicator code, keys sorted within each code."""
    cells: dict[str, list[tuple[str, str]]] = {}
    for (code, disagg), value in values.items():
        if value is None or value == "":
            continue
        cells.setdefault(code, []).append((disagg, value))
    for own in cells.values():
        own.sort()
    return cells


def as_typed(problems: list[Problem]) -> list[Problem]:
    """The problems as the entry page shows them before the officer asks to finalize.

    A required indicator without a value is not an error while the officer is still typing: its
    "required" error becomes a neutral "chưa nhập" note (severity "missing"), listed after the errors
    and warnings. Finalize still blocks on it (the store checks the problems of :func:`check_report`),
    and the entry page shows it as an error again once the officer asked to finalize, the way DHIS2 runs
    its validation on demand.
    """
    missing = [p for p in problems if p.code == "required" and p.is_error]
    shown = [p for p in problems if p not in missing]
    shown.extend(replace(p, severity=MISSING) for p in missing)
    return shown


def _required(ind: Indicator) -> Problem:
    return Problem(
        severity="error",
        code="required",
        indicator=ind.code,
        disagg="",
        message_vi=f"Chỉ tiêu {ind.code} ({ind.name_vi}) là bắt buộc nhưng chưa có số liệu.",
        message_en=f"Indicator {ind.code} ({ind.name_en or ind.name_vi}) is required but has no value.",
    )


# -- rules --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _prepared(
    expression: str, codes: frozenset[str]
) -> tuple[rules.Expr, tuple[rules.Ref, ...], tuple[str, ...]]:
    """A rule's tree, its references and its ``*`` dimensions (sorted), parsed once per expression."""
    expr = rules.parse(expression, codes)
    return expr, tuple(rules.references(expr)), tuple(sorted(rules.star_dimensions(expr)))


def _check_rule(
    rule: Rule, numbers: _Sources, stars: _StarOptions, context: Context, codes: frozenset[str]
) -> list[Problem]:
    try:
        expr, refs, dims = _prepared(rule.expression, codes)
    except RuleSyntaxError as err:
        # The loader refuses such catalogues; never break the officer's typing over it.
        logger.warning("rule %s cannot be parsed: %s", rule.code, err.message_en)
        return []
    first = refs[0].code if refs else ""
    if not dims:
        found = {ref: numbers.value(ref, ref.selectors) for ref in refs}
        # every operand is evaluated, so one empty operand skips the rule: no need to evaluate it
        if None not in found.values() and rules.evaluate(expr, found.__getitem__, context=context) is False:
            return [_rule_problem(rule, first, {}, stars)]
        return []
    out = []
    for combo in itertools.product(*(stars.options(dim) for dim in dims)):
        binding = dict(zip(dims, combo, strict=True))
        found = {}
        for ref in refs:
            selectors = tuple((d, binding[d] if o == "*" else o) for d, o in ref.selectors)
            value = numbers.value(ref, selectors)
            if value is None:
                break
            found[ref] = value
        else:
            if rules.evaluate(expr, found.__getitem__, context=context) is False:
                out.append(_rule_problem(rule, first, binding, stars))
    return out


def _rule_problem(rule: Rule, indicator: str, binding: dict[str, str], stars: _StarOptions) -> Problem:
    vi, en = rule.message_vi, rule.message_en or rule.message_vi
    if binding:
        vi += " (" + "; ".join(f"{dimension_name(d)}: {stars.name(d, o)}" for d, o in binding.items()) + ")"
        en += (
            " ("
            + "; ".join(f"{dimension_name(d, 'en')}: {stars.name(d, o, 'en')}" for d, o in binding.items())
            + ")"
        )
    return Problem(
        severity=rule.severity,
        code=rule.code,
        indicator=indicator,
        disagg="",
        message_vi=vi,
        message_en=en,
        option=make_key(binding) if binding else "",
    )


class _Keys:
    """Parsed disaggregation keys (a report repeats the same few keys over many indicators)."""

    def __init__(self) -> None:
        self.parsed: dict[str, dict[str, str] | None] = {}
        self.subsets: dict[str, list[tuple[tuple[str, str], ...]]] = {}

    def subsets_of(self, disagg: str, key: dict[str, str]) -> list[tuple[tuple[str, str], ...]]:
        """Every subset of a key's (dimension, option) pairs, each sorted: the selections it is part of."""
        found = self.subsets.get(disagg)
        if found is None:
            pairs = tuple(sorted(key.items()))
            found = [sub for size in range(len(pairs) + 1) for sub in itertools.combinations(pairs, size)]
            self.subsets[disagg] = found
        return found

    def parse(self, disagg: str) -> dict[str, str] | None:
        """The mapping of a key, None when it is malformed."""
        try:
            return self.parsed[disagg]
        except KeyError:
            pass
        try:
            result: dict[str, str] | None = parse_key(disagg)
        except IdentifierError:
            result = None
        self.parsed[disagg] = result
        return result


class _Numbers:
    """The numbers rules see: sums of a report's cells, built per indicator on first use.

    ``CODE`` alone is the total: the single value of an indicator that is not disaggregated, or the sum
    of its disaggregated cells (a stray "" cell of a disaggregated indicator, or a keyed cell of one that
    is not, is left out). Text values and values that are not numbers count as empty. Each cell adds to
    the sum of every subset of its options, so any selection is one dictionary look-up.
    """

    def __init__(self, catalog: Catalog, cells: Mapping[str, list[tuple[str, str]]], keys: _Keys) -> None:
        self.catalog = catalog
        self.cells = cells
        self.keys = keys
        self.tables: dict[str, dict[tuple[tuple[str, str], ...], Decimal]] = {}
        self.scans: dict[str, list[tuple[dict[str, str], Decimal]]] = {}

    def value(self, code: str, selectors: tuple[tuple[str, str], ...]) -> Decimal | None:
        """The sum of the cells of ``code`` that match ``selectors`` (sorted pairs); None when none does."""
        table = self.tables.get(code)
        if table is None:
            table = self._build(code)
        scan = self.scans.get(code)
        if scan is None:
            return table.get(selectors)
        # an indicator with very many dimensions: scan its cells
        found = [v for key, v in scan if all(key.get(d) == o for d, o in selectors)]
        return sum(found, Decimal(0)) if found else None

    def lookup(self, ref: rules.Ref) -> Decimal | None:
        """The number of a reference whose ``*`` are bound (the ``lookup`` of :func:`rules.evaluate`)."""
        return self.value(ref.code, ref.selectors)

    def _build(self, code: str) -> dict[tuple[tuple[str, str], ...], Decimal]:
        table: dict[tuple[tuple[str, str], ...], Decimal] = {}
        self.tables[code] = table
        if not self.catalog.has_indicator(code):
            return table
        ind = self.catalog.indicator(code)
        if not ind.numeric:
            return table
        disaggregated = bool(ind.disaggregation)
        scan: list[tuple[str, dict[str, str], Decimal]] = []
        for disagg, canonical in self.cells.get(code, ()):
            if disaggregated != (disagg != ""):
                continue
            key = self.keys.parse(disagg)
            if key is None:
                continue
            try:
                value = to_decimal(canonical)
            except ValueInputError:
                continue
            scan.append((disagg, key, value))
        if any(len(key) > _SUBSET_LIMIT for _, key, _ in scan):
            self.scans[code] = [(key, value) for _, key, value in scan]
            return table
        get = table.get
        zero = Decimal(0)
        for disagg, key, value in scan:
            for subset in self.keys.subsets_of(disagg, key):
                table[subset] = get(subset, zero) + value
        return table


def referred_period(catalog: Catalog, form_code: str, period: str, ref: rules.Ref) -> tuple[str, str] | None:
    """(form, period) of the report a reference reads, or None when there is none to read.

    ``BM01.0101`` reads form BM01 of the same unit: for the same period when BM01 has the period kind of
    ``form_code``, for the period's year when BM01 is a yearly form, and nothing otherwise (a finer form
    has no single period to read). ``period=-N`` then steps N periods of the referred form's kind back:
    ``0101[period=-4]`` on a quarterly form is the same quarter a year earlier.
    """
    target = ref.form or form_code
    if not catalog.has_form(target) or not catalog.has_form(form_code):
        return None
    kind = catalog.form(target).period_type
    try:
        current = periods.parse_period(period)
        if current.type != kind:
            if kind != "year":
                return None
            current = periods.make_period("year", current.year)
        if ref.period:
            current = periods.shift(current, ref.period)
    except (IdentifierError, ValueError):
        return None
    return target, current.code


class _Sources:
    """The numbers of a rule's references: the report's own, or those of another report of the unit."""

    def __init__(
        self,
        catalog: Catalog,
        form_code: str,
        period: str | None,
        own: _Numbers,
        others: OtherReports | None,
        keys: _Keys,
    ) -> None:
        self.catalog = catalog
        self.form_code = form_code
        self.period = period
        self.own = own
        self.others = others
        self.keys = keys
        self.read: dict[tuple[str, str], _Numbers | None] = {}

    def value(self, ref: rules.Ref, selectors: tuple[tuple[str, str], ...]) -> Decimal | None:
        if not ref.elsewhere:
            return self.own.value(ref.code, selectors)
        if self.others is None or self.period is None:
            return None
        where = referred_period(self.catalog, self.form_code, self.period, ref)
        if where is None:
            return None
        if where == (self.form_code, self.period):  # ``BM01.0101`` written on BM01 itself: this report
            return self.own.value(ref.code, selectors)
        if where not in self.read:
            found = self.others.values(*where)
            self.read[where] = None if found is None else _Numbers(self.catalog, _index(found), self.keys)
        numbers = self.read[where]
        return None if numbers is None else numbers.value(ref.code, selectors)


class _StarOptions:
    """The options a ``*`` rule is checked for, and their names."""

    def __init__(
        self,
        catalog: Catalog,
        cells: Mapping[str, list[tuple[str, str]]],
        eth_present: list[str] | None,
        keys: _Keys,
    ) -> None:
        self.catalog = catalog
        self.cells = cells
        self.keys = keys
        self.eth_present = eth_present
        self.cache: dict[str, list[str]] = {}
        self.names: dict[str, dict[str, tuple[str, str]]] = {}

    def _catalog_options(self, dim: str) -> dict[str, tuple[str, str]]:
        if dim not in self.names:
            self.names[dim] = {
                o.code: (o.name_vi, o.name_en or o.name_vi) for o in self.catalog.options_for(dim)
            }
        return self.names[dim]

    def _present(self, dim: str) -> set[str]:
        found = set()
        for own in self.cells.values():
            for disagg, _ in own:
                key = self.keys.parse(disagg) if disagg else None
                if key and dim in key:
                    found.add(key[dim])
        return found

    def options(self, dim: str) -> list[str]:
        """For ``eth``: the groups with a value or in ``eth_present``; otherwise the catalogue's options
        (or, when the catalogue has none for the dimension, those that have a value). In catalogue order.
        """
        if dim in self.cache:
            return self.cache[dim]
        listed = self._catalog_options(dim)
        if dim == "eth":
            wanted = self._present(dim) | set(self.eth_present or ())
        elif listed:
            wanted = set(listed)
        else:
            wanted = self._present(dim)
        order = {code: i for i, code in enumerate(listed)}
        result = sorted(
            (c for c in wanted if _valid_option(dim, c)), key=lambda c: (order.get(c, len(order)), c)
        )
        self.cache[dim] = result
        return result

    def name(self, dim: str, opt: str, lang: str = "vi") -> str:
        names = self._catalog_options(dim).get(opt)
        if names is None:
            return opt
        return names[1] if lang == "en" else names[0]


def _valid_option(dim: str, code: object) -> bool:
    """Whether an option can stand in a key (``eth_present`` comes from outside: skip what cannot)."""
    try:
        make_key({dim: code})
    except IdentifierError:
        logger.warning("ignoring option %r of dimension %s: not a valid key part", code, dim)
        return False
    return True


# -- load-time checks ---------------------------------------------------------------------------------


def rule_problems(catalog: Catalog, rule: Rule, *, published: bool = False) -> list[tuple[str, str]]:
    """What is wrong with a rule's references, as (vi, en) fragments for the catalogue loader.

    Finds indicator codes the catalogue does not have, text indicators (they have no number),
    dimensions an indicator is not disaggregated by and options a dimension does not have. A word
    written like a number is the indicator when the catalogue has that code; a four-digit number that
    names no indicator (``9999``) is refused too, since it is likely a mistyped code (the number is
    written ``9999.0``). A rule that does not parse gives its syntax error.

    Args:
        catalog: the catalogue as read.
        rule: the rule.
        published: the rule comes from a catalogue already published (a stored copy): the four-digit
            check, which concerns authoring only, is skipped so that an older catalogue still loads.

    Returns:
        The problems, each once, in the order found; [] for a rule that can be loaded.
    """
    try:
        expr = rules.parse(rule.expression, catalog.indicator_codes)
    except RuleSyntaxError as err:
        return [
            (
                f"công thức sai: {rules.describe(err, 'vi')}",
                f"invalid expression: {rules.describe(err, 'en')}",
            )
        ]
    out: list[tuple[str, str]] = []
    shaped = [] if published else rules.code_like_numbers(rule.expression, catalog.indicator_codes)
    for word, pos in shaped:
        out.append(
            (
                f"'{word}' (ký tự thứ {pos + 1}) có dạng mã chỉ tiêu nhưng không có chỉ tiêu nào mã {word}: "
                f"nếu là mã chỉ tiêu, hãy sửa lại cho đúng; nếu là con số, hãy viết {word}.0",
                f"'{word}' (character {pos + 1}) looks like an indicator code but no indicator has the code "
                f"{word}: if it is a code, correct it; if you mean the number, write {word}.0",
            )
        )
    for ref in rules.references(expr):
        if ref.form and not catalog.has_form(ref.form):
            out.append(
                (
                    f"biểu mẫu '{ref.form}' trong công thức ({ref.form}.{ref.code}) không có trong sheet forms",
                    f"form '{ref.form}' in the expression ({ref.form}.{ref.code}) is not in the forms sheet",
                )
            )
            continue
        if ref.form and catalog.has_indicator(ref.code) and ref.code not in _form_codes(catalog, ref.form):
            out.append(
                (
                    f"biểu mẫu '{ref.form}' không có chỉ tiêu '{ref.code}' ({ref.form}.{ref.code})",
                    f"form '{ref.form}' has no indicator '{ref.code}' ({ref.form}.{ref.code})",
                )
            )
            continue
        if not catalog.has_indicator(ref.code):
            out.append(
                (
                    f"chỉ tiêu '{ref.code}' trong công thức không có trong sheet indicators",
                    f"indicator '{ref.code}' in the expression is not in the indicators sheet",
                )
            )
            continue
        ind = catalog.indicator(ref.code)
        if not ind.numeric:
            out.append(
                (
                    f"chỉ tiêu '{ref.code}' là dạng chữ (text), không dùng được trong công thức",
                    f"indicator '{ref.code}' is text and cannot be used in an expression",
                )
            )
        try:
            dims = catalog.dimensions_of(ind)
        except KeyError:  # an unknown disaggregation: the loader reports it on the indicator
            continue
        for dim, opt in ref.selectors:
            if dim not in dims:
                has_vi = f"phân tổ theo {', '.join(dims)}" if dims else "không phân tổ"
                has_en = f"disaggregated by {', '.join(dims)}" if dims else "not disaggregated"
                out.append(
                    (
                        f"chỉ tiêu '{ref.code}' không phân tổ theo '{dim}' (chỉ tiêu này {has_vi})",
                        f"indicator '{ref.code}' has no dimension '{dim}' (it is {has_en})",
                    )
                )
            elif opt != "*" and opt not in {o.code for o in catalog.options_for(dim)}:
                out.append(
                    (
                        f"'{opt}' không phải là mã của chiều '{dim}' (trong {ref.code}[{dim}={opt}])",
                        f"'{opt}' is not an option of the dimension '{dim}' (in {ref.code}[{dim}={opt}])",
                    )
                )
    return list(dict.fromkeys(out))


def _form_codes(catalog: Catalog, form: str) -> set[str]:
    """The indicator codes of a form; every code when its list is bad (the loader reports that itself)."""
    try:
        return {i.code for i in catalog.form_indicators(form)}
    except CatalogError:
        return set(catalog.indicator_codes)
