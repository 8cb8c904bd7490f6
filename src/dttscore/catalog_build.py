"""Building a :class:`~dttscore.model.Catalog` from tables, the catalogue as JSON, and the validation shared by
the JSON and workbook loaders (:mod:`dttscore.catalog` dispatches a file to the right one).

Both loaders turn their input into the same plain tables (one per workbook sheet, each row a mapping of
column name to raw cell value, with the row number it had in the sheet) and hand them to
:func:`catalog_from_tables`, which checks everything and builds the :class:`~dttscore.model.Catalog`.
So a JSON catalogue and its workbook report the same problems, at the same places: a JSON entry's row is
its index + 2, the row it has in the workbook written from it.

Loading is all or nothing: every problem found is collected and one :class:`CatalogError` lists them all.

The builder also resolves what the frozen :class:`Catalog` answers from later without parsing or reading
files: each form's indicator codes (:func:`expand_indicator_spec`) and the default options of ``eth`` and
``sex`` (:func:`dttscore.refdata.default_options`); see :func:`resolved`.

Example:
    >>> catalog = catalog_from_json(json.loads(Path("resources/catalog/sample.json").read_text("utf-8")))
    >>> [i.code for i in catalog.form_indicators("BM03")][:2]
    ['0101', '0102']
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from dttscore import refdata, validate
from dttscore import rules as rule_grammar
from dttscore.catalog_tables import (
    COLUMNS,
    DIMENSION_ALLOWED,
    DIMENSION_RE,
    META_KEYS,
    REQUIRED_COLUMNS,
    REQUIRED_SHEETS,
    SHEETS,
    WORD_ALLOWED,
    WORD_RE,
    CellReader,
    Problems,
    RawRow,
    RawSheet,
    UniqueKeys,
    canonical_decimal,
    cell_text,
    ok,
)
from dttscore.errors import CatalogError, CatalogProblem, RuleSyntaxError
from dttscore.model import (
    AGGREGATION_WORDS,
    ETH_OPTIONS,
    PERIOD_TYPES,
    REPORTED_BY,
    SEVERITIES,
    VALUE_TYPES,
    Catalog,
    Disaggregation,
    Form,
    Group,
    Indicator,
    Option,
    Rule,
)
from dttscore.payload import canonical_json

logger = logging.getLogger(__name__)

_CATALOG_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_SPEC_ITEM_RE = re.compile(r"([A-Za-z0-9_.]+)(?:\s*-\s*([A-Za-z0-9_.]+))?")


# -- the indicator spec of a form ---------------------------------------------------------------------
def _spec_problems(spec: str, all_codes: Sequence[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Expand ``spec``; return the codes (catalogue order) and the problems (vi, en) found."""
    problems: list[tuple[str, str]] = []
    known = set(all_codes)
    chosen: set[str] = set()
    items = [item.strip() for item in spec.split(",")]
    if not any(items):
        return [], [("biểu mẫu không có chỉ tiêu nào", "the form lists no indicators")]
    for item in items:
        if not item:
            continue
        match = _SPEC_ITEM_RE.fullmatch(item)
        if not match:
            problems.append(
                (
                    f"'{item}' không phải là mã hoặc khoảng mã (ví dụ: 0101-0110, 0201)",
                    f"'{item}' is not a code or a range of codes (e.g. 0101-0110, 0201)",
                )
            )
            continue
        low, high = match[1], match[2]
        if high is None:
            if low in known:
                chosen.add(low)
            else:
                problems.append(
                    (
                        f"chỉ tiêu '{low}' không có trong sheet indicators",
                        f"indicator '{low}' is not in the indicators sheet",
                    )
                )
            continue
        if len(low) != len(high):
            problems.append(
                (
                    f"hai đầu của khoảng '{item}' phải có cùng số ký tự",
                    f"both ends of the range '{item}' must have the same number of characters",
                )
            )
            continue
        if low > high:
            problems.append(
                (
                    f"khoảng '{item}' bị ngược (đầu lớn hơn cuối)",
                    f"range '{item}' is reversed (start after end)",
                )
            )
            continue
        matched = {c for c in all_codes if len(c) == len(low) and low <= c <= high}
        if not matched:
            problems.append(
                (f"khoảng '{item}' không chứa chỉ tiêu nào", f"range '{item}' contains no indicator")
            )
        chosen |= matched
    return [c for c in dict.fromkeys(all_codes) if c in chosen], problems


def expand_indicator_spec(spec: str, all_codes: list[str]) -> list[str]:
    """The indicator codes a form's ``indicators`` cell names, in the order of ``all_codes``.

    Args:
        spec: codes and ranges separated by commas, e.g. ``"0101-0110, 0201"``. A range ``A-B`` takes
            every code ``c`` of ``all_codes`` with the length of ``A`` and ``A <= c <= B`` (string
            comparison), so its ends need not exist themselves.
        all_codes: the catalogue's indicator codes.

    Returns:
        The codes, each once, in catalogue order.

    Raises:
        CatalogError: the spec is empty or malformed, names an unknown code, or a range matches nothing.
    """
    codes, problems = _spec_problems(spec, all_codes)
    if problems:
        raise CatalogError([CatalogProblem(vi, en, column="indicators") for vi, en in problems])
    return codes


DEFAULTED_DIMENSIONS = ("eth", "sex")
"""The dimensions with default options (docs/catalogue.md): the shipped ethnic groups, and M/F."""


def _resolve(catalog: Catalog, problems: Problems | None) -> Catalog:
    members: dict[str, tuple[str, ...]] = {}
    all_codes = [i.code for i in catalog.indicators]
    for f in catalog.forms:
        codes, spec_problems = _spec_problems(f.indicators, all_codes)
        if spec_problems and problems is None:
            raise CatalogError([CatalogProblem(vi, en, column="indicators") for vi, en in spec_problems])
        members[f.code] = tuple(codes)  # a form with a bad spec was already reported by _read_forms
    defaults = {d: refdata.default_options(d) for d in DEFAULTED_DIMENSIONS}
    return dataclasses.replace(catalog, form_members=members, default_options=defaults)


def resolved(catalog: Catalog) -> Catalog:
    """``catalog`` with what the loader resolves filled in: each form's indicator codes and default options.

    The loaders do this themselves; call it on a :class:`Catalog` built by hand (tests, tools).

    Raises:
        CatalogError: a form's ``indicators`` spec is malformed or names an unknown code.
    """
    return _resolve(catalog, None)


# -- building the catalogue from tables ---------------------------------------------------------------
def _check_columns(sheet: RawSheet, problems: Problems) -> bool:
    complete = True
    for column in REQUIRED_COLUMNS[sheet.name]:
        if column not in sheet.columns:
            problems.add(
                "thiếu cột bắt buộc này",
                "this required column is missing",
                sheet.name,
                sheet.header_row,
                column,
            )
            complete = False
    return complete


@dataclass
class _Meta:
    catalog_id: str = ""
    version: int = 0
    title: str = ""
    legal_basis: str = ""
    effective_from: date = date(1970, 1, 1)
    unit_list: str = ""
    ethnic_code_system: str = ""
    sample: bool = False
    extra: list[tuple[str, str]] = field(default_factory=list)


def _read_meta(sheet: RawSheet, problems: Problems) -> _Meta:
    meta = _Meta()
    seen = UniqueKeys("khoá", "key")
    found: set[str] = set()
    for row in sheet.rows:
        reader = CellReader(problems, "meta", row)
        key = cell_text(row.get("key"))
        if not key:
            reader.bad("key", "khoá đang trống", "the key is empty")
            continue
        std = key.lower()
        if not seen.add(reader, "key", std if std in META_KEYS else key, key):
            continue
        if std not in META_KEYS:
            meta.extra.append((key, cell_text(row.get("value"))))
            continue
        found.add(std)
        reader.prefix = f"{std}: "
        if std == "version":
            value = reader.integer("value", minimum=1)
        elif std == "effective_from":
            value = reader.date("value")
        elif std == "sample":
            value = reader.yes_no("value")
        else:
            value = reader.text("value", required=True)
            if std == "catalog_id" and value and not _CATALOG_ID_RE.fullmatch(value):
                value = reader.bad(
                    "value",
                    f"'{value}' chỉ được gồm chữ cái không dấu, chữ số, '_', '.' và '-'",
                    f"'{value}' may only hold letters without diacritics, digits, '_', '.' and '-'",
                )
        if ok(value):
            setattr(meta, std, value)
    for key in META_KEYS:
        if key not in found:
            problems.add(f"thiếu khoá '{key}'", f"key '{key}' is missing", "meta")
    return meta


def _read_groups(sheet: RawSheet, problems: Problems) -> list[Group]:
    groups = []
    unique = UniqueKeys("mã nhóm", "group code")
    for position, row in enumerate(sheet.rows, start=1):
        r = CellReader(problems, "groups", row)
        code = r.code("code")
        name_vi, name_en = r.text("name_vi", required=True), r.text("name_en")
        order = r.integer("order", default=position)
        if unique.add(r, "code", code):
            groups.append(Group(code, name_vi, name_en, order if ok(order) else position))
    return groups


def _read_options(sheet: RawSheet, problems: Problems) -> list[Option]:
    options = []
    unique = UniqueKeys("mã lựa chọn", "option code")
    positions: dict[str, int] = {}
    for row in sheet.rows:
        r = CellReader(problems, "options", row)
        dimension = r.code("dimension", DIMENSION_RE, DIMENSION_ALLOWED)
        code = r.code("code", WORD_RE, WORD_ALLOWED)
        name_vi, name_en = r.text("name_vi", required=True), r.text("name_en")
        positions[dimension] = positions.get(dimension, 0) + 1
        order = r.integer("order", default=positions[dimension])
        if dimension and code and unique.add(r, "code", f"{dimension}={code}", code):
            options.append(Option(dimension, code, name_vi, name_en, order if ok(order) else 0))
    return options


def _read_disaggregations(sheet: RawSheet, problems: Problems, options: list[Option]) -> list[Disaggregation]:
    with_options = {o.dimension for o in options}
    result = []
    unique = UniqueKeys("tên cách phân tổ", "disaggregation name")
    for row in sheet.rows:
        r = CellReader(problems, "disaggregations", row)
        name = r.code("name")
        dimensions = r.code_list("dimensions")
        if not dimensions:
            r.bad(
                "dimensions",
                "chưa ghi chiều phân tổ nào (ví dụ: eth, sex)",
                "no dimension given (e.g. eth, sex)",
            )
        seen: set[str] = set()
        for dim in dimensions:
            if not DIMENSION_RE.fullmatch(dim):
                r.bad(
                    "dimensions",
                    f"tên chiều '{dim}' chỉ được gồm chữ cái không dấu, chữ số và '_'",
                    f"dimension name '{dim}' may only hold letters without diacritics, digits and '_'",
                )
            elif dim in seen:
                r.bad("dimensions", f"chiều '{dim}' bị lặp lại", f"dimension '{dim}' is repeated")
            elif dim not in with_options and not refdata.default_options(dim):
                r.bad(
                    "dimensions",
                    f"chiều '{dim}' không có lựa chọn nào trong sheet options (chỉ eth và sex có sẵn mặc định)",
                    f"dimension '{dim}' has no options in the options sheet (only eth and sex have defaults)",
                )
            seen.add(dim)
        if unique.add(r, "name", name):
            result.append(Disaggregation(name, tuple(dimensions)))
    return result


def _read_indicators(
    sheet: RawSheet,
    problems: Problems,
    group_codes: set[str],
    disagg_names: set[str],
    rows: list[RawRow] | None = None,
) -> list[Indicator]:
    """The indicators of the sheet; ``rows`` receives the row of each one kept (in the same order)."""
    rows = [] if rows is None else rows
    result = []
    unique = UniqueKeys("mã chỉ tiêu", "indicator code")
    for position, row in enumerate(sheet.rows, start=1):
        r = CellReader(problems, "indicators", row)
        code = r.code("code", WORD_RE, WORD_ALLOWED)
        if code.lower() in rule_grammar.KEYWORDS | rule_grammar.FUNCTIONS:
            r.bad(
                "code",
                f"'{code}' là từ khoá của công thức, không dùng làm mã chỉ tiêu được",
                f"'{code}' is a word of the rule grammar and cannot be an indicator code",
            )
            code = ""
        group = r.text("group")
        if not group:
            r.bad("group", "chưa ghi nhóm", "the group is empty")
        elif group not in group_codes:
            r.bad(
                "group",
                f"nhóm '{group}' không có trong sheet groups",
                f"group '{group}' is not in the groups sheet",
            )
        name_vi, name_en = r.text("name_vi", required=True), r.text("name_en")
        value_type = r.choice("value_type", VALUE_TYPES)
        low, high = r.decimal("min"), r.decimal("max")
        if value_type == "text" and (low is not None or high is not None):
            r.bad(
                "min" if low is not None else "max",
                "chỉ tiêu kiểu text không có min/max",
                "a text indicator cannot have a min or max",
            )
        elif isinstance(low, Decimal) and isinstance(high, Decimal) and low > high:
            r.bad(
                "min",
                f"min ({canonical_decimal(low)}) lớn hơn max ({canonical_decimal(high)})",
                f"min ({canonical_decimal(low)}) is greater than max ({canonical_decimal(high)})",
            )
        required = r.yes_no("required", default=False)
        disaggregation = r.text("disaggregation") or None
        if disaggregation and disaggregation not in disagg_names:
            r.bad(
                "disaggregation",
                f"cách phân tổ '{disaggregation}' không có trong sheet disaggregations",
                f"disaggregation '{disaggregation}' is not in the disaggregations sheet",
            )
        order = r.integer("order", default=position)
        aggregation = r.text("aggregation")
        if aggregation.lower() in AGGREGATION_WORDS:
            aggregation = aggregation.lower()
        max_change = _max_change_pct(r, value_type)
        if unique.add(r, "code", code):
            # Kept even when a cell is bad, so that rules referring to it are not reported as well.
            result.append(
                Indicator(
                    code=code,
                    group=group,
                    name_vi=name_vi,
                    name_en=name_en,
                    unit=r.text("unit"),
                    value_type=value_type if ok(value_type) else "text",
                    min=low if ok(low) else None,
                    max=high if ok(high) else None,
                    required=required if ok(required) else False,
                    disaggregation=disaggregation,
                    definition_vi=r.text("definition_vi"),
                    method_vi=r.text("method_vi"),
                    source_vi=r.text("source_vi"),
                    order=order if ok(order) else position,
                    aggregation=aggregation,
                    options=r.text("options"),
                    max_change_pct=max_change,
                )
            )
            rows.append(row)
    return result


def _max_change_pct(r: CellReader, value_type: object) -> str:
    """The ``max_change_pct`` cell: "" (the default), "none" (no swing check) or a canonical positive number."""
    raw = r.raw("max_change_pct")
    if isinstance(raw, str) and raw.strip().lower() in ("none", "không"):
        return "none"
    number = r.decimal("max_change_pct")
    if number is None or not ok(number):
        return ""
    if number <= 0:
        r.bad(
            "max_change_pct",
            f"'{canonical_decimal(number)}' phải là số phần trăm lớn hơn 0 (hoặc none)",
            f"'{canonical_decimal(number)}' must be a percentage above 0 (or none)",
        )
        return ""
    if value_type == "text":
        r.bad(
            "max_change_pct",
            "chỉ tiêu kiểu text không có max_change_pct",
            "a text indicator cannot have a max_change_pct",
        )
        return ""
    return canonical_decimal(number)


def _read_forms(sheet: RawSheet, problems: Problems, indicator_codes: list[str]) -> list[Form]:
    result = []
    unique = UniqueKeys("mã biểu mẫu", "form code")
    for row in sheet.rows:
        r = CellReader(problems, "forms", row)
        code = r.code("code")
        name_vi, name_en = r.text("name_vi", required=True), r.text("name_en")
        period_type = r.choice("period_type", PERIOD_TYPES)
        spec = r.text("indicators")
        for vi, en in _spec_problems(spec, indicator_codes)[1]:
            r.bad("indicators", vi, en)
        deadline_days = r.integer("deadline_days", minimum=0)
        eth_options = r.choice("eth_options", ETH_OPTIONS, default="present")
        reported_by = r.choice("reported_by", REPORTED_BY, default="commune")
        if unique.add(r, "code", code):
            result.append(
                Form(
                    code=code,
                    name_vi=name_vi,
                    name_en=name_en,
                    period_type=period_type if ok(period_type) else "year",
                    indicators=spec,
                    deadline_days=deadline_days if ok(deadline_days) else 0,
                    eth_options=eth_options if ok(eth_options) else "present",
                    reported_by=reported_by if ok(reported_by) else "commune",
                )
            )
    return result


def _read_rules(sheet: RawSheet, problems: Problems, form_codes: set[str]) -> list[tuple[Rule, RawRow]]:
    result = []
    unique = UniqueKeys("mã quy tắc", "rule code")
    for row in sheet.rows:
        r = CellReader(problems, "rules", row)
        code = r.code("code")
        expression = r.text("expression", required=True)
        severity = r.choice("severity", SEVERITIES)
        message_vi, message_en = r.text("message_vi", required=True), r.text("message_en")
        forms = r.code_list("forms")
        for form in forms:
            if form not in form_codes:
                r.bad(
                    "forms",
                    f"biểu mẫu '{form}' không có trong sheet forms",
                    f"form '{form}' is not in the forms sheet",
                )
        if unique.add(r, "code", code):
            rule = Rule(
                code, expression, severity if ok(severity) else "error", message_vi, message_en, tuple(forms)
            )
            result.append((rule, row))
    return result


def _check_rules(
    catalog: Catalog, rules: list[tuple[Rule, RawRow]], problems: Problems, published: bool = False
) -> None:
    """Syntax errors and unknown references of the rules, checked against the catalogue as read."""
    if not rules:
        return
    for rule, row in rules:
        if not rule.expression:
            continue
        try:
            rule_grammar.parse(rule.expression, catalog.indicator_codes)
        except RuleSyntaxError as err:
            problems.add(
                f"công thức sai: {rule_grammar.describe(err, 'vi')}",
                f"invalid expression: {rule_grammar.describe(err, 'en')}",
                "rules",
                row.row,
                "expression",
            )
            continue
        for vi, en in validate.rule_problems(catalog, rule, published=published):
            problems.add(vi, en, "rules", row.row, "expression")


def _aggregation_problems(catalog: Catalog, ind: Indicator, published: bool) -> list[tuple[str, str]]:
    """What is wrong with an indicator's ``aggregation`` (vi, en fragments); [] when it is fine."""
    how = ind.aggregation
    if not how or how == "none":
        return []
    if how == "sum":
        if ind.value_type == "text":
            return [
                (
                    "chỉ tiêu kiểu text không cộng được (dùng none)",
                    "a text indicator cannot be summed (use none)",
                )
            ]
        return []
    try:
        expr = rule_grammar.parse_arithmetic(how, catalog.indicator_codes)
    except RuleSyntaxError as err:
        return [
            (
                f"không phải sum, none hay một công thức tính: {rule_grammar.describe(err, 'vi')}",
                f"neither sum, none nor a formula: {rule_grammar.describe(err, 'en')}",
            )
        ]
    out: list[tuple[str, str]] = []
    if not published:
        for word, pos in rule_grammar.code_like_numbers(how, catalog.indicator_codes):
            out.append(
                (
                    f"'{word}' (ký tự {pos + 1}) không phải mã chỉ tiêu nào; nếu là số, hãy viết {word}.0",
                    f"'{word}' (character {pos + 1}) is no indicator code; for the number write {word}.0",
                )
            )
    for ref in rule_grammar.references(expr):
        if ref.elsewhere:
            out.append(
                (
                    "công thức tổng hợp chỉ dùng số liệu của cùng báo cáo (không dùng kỳ khác, biểu khác)",
                    "an aggregation formula uses the same report only (no other period or form)",
                )
            )
        elif ref.selectors:
            out.append(
                (
                    f"công thức tổng hợp chỉ dùng tổng của chỉ tiêu, không dùng ô phân tổ ({ref.code}[…])",
                    f"an aggregation formula uses indicator totals only, not disaggregated cells ({ref.code}[…])",
                )
            )
        elif ref.code == ind.code:
            out.append(
                ("công thức tự tham chiếu chính chỉ tiêu này", "the formula refers to this indicator itself")
            )
        elif not catalog.has_indicator(ref.code):
            out.append(
                (
                    f"không có chỉ tiêu '{ref.code}' (ghi sum, none hoặc công thức trên mã chỉ tiêu)",
                    f"there is no indicator '{ref.code}' (write sum, none or a formula over indicator codes)",
                )
            )
        elif catalog.indicator(ref.code).how_aggregated == "none":
            out.append(
                (
                    f"chỉ tiêu {ref.code} không được cộng dồn (aggregation none), không dùng trong công thức được",
                    f"indicator {ref.code} does not add up (aggregation none) and cannot be used in a formula",
                )
            )
    return out


def _aggregation_cycle(catalog: Catalog, ind: Indicator) -> bool:
    """True when the formula of ``ind`` depends on itself through other formulas."""
    seen: set[str] = set()
    todo = [ind.code]
    while todo:
        code = todo.pop()
        if not catalog.has_indicator(code):
            continue
        how = catalog.indicator(code).how_aggregated
        if how in AGGREGATION_WORDS:
            continue
        try:
            refs = rule_grammar.references(rule_grammar.parse_arithmetic(how, catalog.indicator_codes))
        except RuleSyntaxError:
            continue
        for ref in refs:
            if ref.code == ind.code and code != ind.code:
                return True
            if ref.code not in seen:
                seen.add(ref.code)
                todo.append(ref.code)
    return False


def _check_aggregations(catalog: Catalog, rows: list[RawRow], problems: Problems, published: bool) -> None:
    """Bad ``aggregation`` cells, each with its sheet, row and column (checked once every code is known)."""
    for ind, row in zip(catalog.indicators, rows, strict=False):
        found = _aggregation_problems(catalog, ind, published)
        if not found and ind.aggregation not in ("", *AGGREGATION_WORDS) and _aggregation_cycle(catalog, ind):
            found = [
                ("công thức phụ thuộc vòng tròn vào chính nó", "the formula depends on itself in a circle")
            ]
        for vi, en in found:
            problems.add(f"aggregation: {vi}", f"aggregation: {en}", "indicators", row.row, "aggregation")


def _check_indicator_options(catalog: Catalog, rows: list[RawRow], problems: Problems) -> None:
    """Bad ``options`` cells of the indicators, each with its sheet, row and column."""
    from dttscore import indicator_options

    for ind, row in zip(catalog.indicators, rows, strict=False):
        for vi, en in indicator_options.problems(catalog, ind):
            problems.add(f"options: {vi}", f"options: {en}", "indicators", row.row, "options")


def catalog_from_tables(
    sheets: Mapping[str, RawSheet | None], problems: Iterable[CatalogProblem] = (), *, published: bool = False
) -> Catalog:
    """Check the tables of a catalogue and build it: the common end of both loaders.

    Args:
        sheets: the tables by sheet name (``None`` or absent for a sheet the file does not have).
        problems: problems the reader has already found (unreadable cells, duplicate headers …).
        published: the tables are a copy of a catalogue already published (the hub's or a client's
            store, a hub reply): checks that concern authoring only (a four-digit number in a rule that
            names no indicator) are skipped, so a catalogue published before they existed still loads.

    Returns:
        The catalogue.

    Raises:
        CatalogError: with every problem found, when there is any.
    """
    found = Problems()
    found.items.extend(problems)
    usable: dict[str, RawSheet] = {}
    for name in SHEETS:
        sheet = sheets.get(name)
        if sheet is None:
            if name in REQUIRED_SHEETS:
                found.add(
                    "tệp không có sheet bắt buộc này", "the file has no such sheet (it is required)", name
                )
            usable[name] = RawSheet(name, COLUMNS[name], [])
        elif _check_columns(sheet, found):
            usable[name] = sheet
        else:
            usable[name] = RawSheet(name, sheet.columns, [], sheet.header_row)

    meta = _read_meta(usable["meta"], found)
    groups = _read_groups(usable["groups"], found)
    options = _read_options(usable["options"], found)
    disaggregations = _read_disaggregations(usable["disaggregations"], found, options)
    indicator_rows: list[RawRow] = []
    indicators = _read_indicators(
        usable["indicators"],
        found,
        {g.code for g in groups},
        {d.name for d in disaggregations},
        indicator_rows,
    )
    forms = _read_forms(usable["forms"], found, [i.code for i in indicators])
    rules = _read_rules(usable["rules"], found, {f.code for f in forms})
    catalog = Catalog(
        catalog_id=meta.catalog_id,
        version=meta.version,
        title=meta.title,
        legal_basis=meta.legal_basis,
        effective_from=meta.effective_from,
        unit_list=meta.unit_list,
        ethnic_code_system=meta.ethnic_code_system,
        sample=meta.sample,
        groups=tuple(groups),
        indicators=tuple(indicators),
        disaggregations=tuple(disaggregations),
        options=tuple(options),
        forms=tuple(forms),
        rules=tuple(rule for rule, _ in rules),
        extra_meta=tuple(meta.extra),
    )
    catalog = _resolve(catalog, found)
    _check_rules(catalog, rules, found, published)
    _check_aggregations(catalog, indicator_rows, found, published)
    _check_indicator_options(catalog, indicator_rows, found)
    if found:
        order = {name: i for i, name in enumerate(SHEETS)}
        items = sorted(found.items, key=lambda p: (order.get(p.sheet or "", -1), p.row or 0))
        logger.info("catalogue refused: %d problem(s)", len(items))
        raise CatalogError(items)
    logger.info(
        "catalogue %s v%s loaded: %d indicators, %d forms, %d rules",
        catalog.catalog_id,
        catalog.version,
        len(catalog.indicators),
        len(catalog.forms),
        len(catalog.rules),
    )
    return catalog


# -- JSON ---------------------------------------------------------------------------------------------
def _json_tables(data: object) -> tuple[dict[str, RawSheet | None], list[CatalogProblem]]:
    problems: list[CatalogProblem] = []
    if not isinstance(data, dict):
        problems.append(
            CatalogProblem(
                "nội dung JSON không phải là một danh mục chỉ tiêu (cần một đối tượng { … })",
                "the JSON is not an indicator catalogue (an object { … } is expected)",
            )
        )
        return {}, problems
    sheets: dict[str, RawSheet | None] = {}
    meta = data.get("meta")
    if isinstance(meta, dict):
        rows = [RawRow(i + 2, {"key": k, "value": v}) for i, (k, v) in enumerate(meta.items())]
        sheets["meta"] = RawSheet("meta", ("key", "value"), rows, None)
    elif meta is not None:
        problems.append(CatalogProblem("phải là một đối tượng { … }", "must be an object { … }", "meta"))
    for name in SHEETS[1:]:
        entries = data.get(name)
        if entries is None:
            sheets[name] = None
            continue
        if not isinstance(entries, list):
            problems.append(CatalogProblem("phải là một danh sách [ … ]", "must be a list [ … ]", name))
            continue
        rows = []
        columns: dict[str, None] = {}
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                problems.append(
                    CatalogProblem(
                        "mục này không phải là một đối tượng { … }",
                        "this entry is not an object { … }",
                        name,
                        index + 2,
                    )
                )
                continue
            cells = {str(k).strip().lower(): v for k, v in entry.items()}
            columns.update(dict.fromkeys(cells))
            rows.append(RawRow(index + 2, cells))
        # An empty list has no columns to miss; otherwise a column is there when any entry has it.
        present = tuple(columns) if entries else COLUMNS[name]
        sheets[name] = RawSheet(name, present, rows, None)
    return sheets, problems


def catalog_from_json(data: dict, *, published: bool = False) -> Catalog:
    """Build a catalogue from its JSON form, checking everything (see :func:`catalog_from_tables`).

    ``published=True`` for a stored copy of a published catalogue (see :func:`catalog_from_tables`).

    Raises:
        CatalogError: with every problem found; places name the equivalent workbook sheet and row.
    """
    sheets, problems = _json_tables(data)
    return catalog_from_tables(sheets, problems, published=published)


def _entry(item: object, columns: Sequence[str]) -> dict[str, object]:
    """One row of a sheet as JSON: the dataclass fields named like the sheet's columns, in their order."""
    entry: dict[str, object] = {}
    for column in columns:
        value = getattr(item, column)
        if isinstance(value, Decimal):
            value = canonical_decimal(value)
        elif isinstance(value, tuple):
            value = list(value)
        entry[column] = value
    return entry


def catalog_to_json(catalog: Catalog) -> dict:
    """The JSON form of a catalogue: what the hub serves and the client stores.

    ``{"meta": {key: value}, "groups": [...], "indicators": [...], ...}``: one member per workbook sheet,
    keys in the order of the sheet's columns; ``min``/``max`` are canonical decimal strings or null,
    ``effective_from`` an ISO date, dimensions and a rule's forms JSON arrays, yes/no cells booleans.
    ``catalog_from_json(catalog_to_json(c)) == c``.
    """
    meta: dict[str, object] = {key: getattr(catalog, key) for key in META_KEYS}
    meta["effective_from"] = catalog.effective_from.isoformat()
    meta.update(catalog.extra_meta)
    sections = {
        "groups": catalog.groups,
        "indicators": catalog.indicators,
        "disaggregations": catalog.disaggregations,
        "options": catalog.options,
        "forms": catalog.forms,
        "rules": catalog.rules,
    }
    data: dict[str, object] = {"meta": meta}
    for name, items in sections.items():
        data[name] = [_entry(item, COLUMNS[name]) for item in items]
    for entry in data["indicators"]:
        # Left out when empty, so a catalogue without aggregations keeps its JSON (and etag) as before.
        if not entry.get("aggregation"):
            entry.pop("aggregation", None)
        if not entry.get("options"):
            entry.pop("options", None)
        if not entry.get("max_change_pct"):
            entry.pop("max_change_pct", None)
    for entry in data["forms"]:
        # Left out when "commune" (the default), so catalogues without agencies keep their JSON and etag.
        if entry.get("reported_by") == "commune":
            entry.pop("reported_by", None)
    return data


def catalog_etag(catalog: Catalog) -> str:
    """SHA-256 (hex) of the canonical JSON of the catalogue: the hub's ETag, equal for equal catalogues."""
    return hashlib.sha256(canonical_json(catalog_to_json(catalog))).hexdigest()


def catalog_json_text(catalog: Catalog) -> str:
    """The JSON form of a catalogue as a readable file: UTF-8 text, indented, keys in their fixed order."""
    return json.dumps(catalog_to_json(catalog), ensure_ascii=False, indent=2) + "\n"


def dump_catalog_json(catalog: Catalog, path: str | Path) -> None:
    """Write :func:`catalog_json_text` to ``path``, replacing the file atomically."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(catalog_json_text(catalog), encoding="utf-8")
    tmp.replace(path)
