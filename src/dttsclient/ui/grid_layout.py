"""The layout of a form on the entry page: which row of the one tall grid shows what.

A form is drawn as one tall table (one model, one view) so that the first paint costs the same for 5
indicators or 130, and so that Enter, Tab and the arrows walk through every cell of the form without
switching widgets. This module computes that table's rows; it knows nothing of Qt widgets.

Columns: 0 holds the labels (group titles, indicator names, ethnic groups, "Tổng số"); 1 … ``value_cols``
hold the values — one per option of the indicator's column dimension plus a computed total, or a single
value column when it has none; the last column holds the message of a failing value. Which dimension runs
across is the one rule of :mod:`dttscore.layout` (``sex``; every other dimension runs down),
shared with the paper report and the hub's export, so the screen and the paper agree.

Rows, per group: a ``group`` title; per indicator either one ``single`` row (undisaggregated: name in
column 0, the value in the last value column — the column of the totals, never under another indicator's
column head; a text value spans every value column) or a block: a ``title`` row (code, name, unit), a ``colhead`` row
(dimension names and the column options), one ``data`` row per combination of the row dimensions
(ethnic groups present, areas …), and a computed ``total`` row when the indicator's values add up.
An ``eth`` block of a form whose rows are the groups present shows a ``note`` row while it has none.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication

from dttscore.disagg import dimension_name, parse_key
from dttscore.errors import IdentifierError
from dttscore.indicator_options import allows
from dttscore.labels import measure_label
from dttscore.layout import IndicatorTable, indicator_table
from dttscore.model import Catalog, Form, Indicator, Option
from dttscore.problems import Problem

logger = logging.getLogger(__name__)

SUMMABLE_TYPES = ("integer", "decimal")
_CTX = "GridLayout"


class Row:
    """One row of the grid (a plain slotted class: a big form has thousands and they are built at open).

    Attributes:
        kind: "group", "title", "colhead", "data", "single", "total" or "note".
        block: index into :attr:`FormLayout.blocks` (-1 for a group title).
        label: the text of column 0.
        keys: for ``data``/``single`` rows, the disaggregation key of each value column (None where the
            column holds no cell of this indicator); empty for the other kinds.
        headers: for ``colhead`` rows, the text of each value column.
        option: for ``data`` rows, the row's options as "eth=08|area=1" ("" for a single row).
    """

    __slots__ = ("block", "headers", "keys", "kind", "label", "option")

    def __init__(
        self,
        kind: str,
        block: int,
        label: str,
        keys: tuple[str | None, ...] = (),
        headers: tuple[str, ...] = (),
        option: str = "",
    ) -> None:
        self.kind = kind
        self.block = block
        self.label = label
        self.keys = keys
        self.headers = headers
        self.option = option

    def __repr__(self) -> str:
        return f"Row({self.kind!r}, {self.block}, {self.label!r}, keys={self.keys!r}, option={self.option!r})"


@dataclass
class Block:
    """One indicator on the page.

    Attributes:
        indicator: the catalogue's indicator.
        first_row / last_row: the rows it covers (inclusive).
        data_rows: the rows that hold cells, top to bottom.
        col_dim: the dimension across (see :mod:`dttscore.layout`), or None.
        col_keys: the option code of each input column ("" for the single value column).
        total_col: the value column (1-based grid column) of the computed row total, or None.
        total_row: the row of the computed column totals, or None.
        message_row: the row that shows the indicator-level messages.
    """

    indicator: Indicator
    first_row: int = 0
    last_row: int = 0
    data_rows: list[int] = field(default_factory=list)
    col_dim: str | None = None
    col_keys: tuple[str, ...] = ("",)
    total_col: int | None = None
    total_row: int | None = None
    message_row: int = 0

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def summable(self) -> bool:
        return self.indicator.value_type in SUMMABLE_TYPES


@dataclass
class FormLayout:
    """The rows of a form, its blocks and the look-ups the model and the view need.

    Attributes:
        rows: every row, top to bottom.
        blocks: every indicator, in form order.
        value_cols: how many value columns the widest block needs.
        cell_pos: (code, disagg) → (row, column) of every input cell.
        spans: (row, column, row_span, column_span) to apply to the view.
    """

    rows: list[Row]
    blocks: list[Block]
    value_cols: int
    cell_pos: dict[tuple[str, str], tuple[int, int]]
    spans: list[tuple[int, int, int, int]]
    block_of_code: dict[str, int]

    @property
    def column_count(self) -> int:
        return self.value_cols + 2

    @property
    def message_col(self) -> int:
        return self.value_cols + 1

    def expected_keys(self) -> list[tuple[str, str]]:
        """Every input cell of the form, in page order."""
        return list(self.cell_pos)


def option_label(option: Option, lang: str) -> str:
    return option.name_en if lang == "en" and option.name_en else option.name_vi


def indicator_name(indicator: Indicator, lang: str) -> str:
    return indicator.name_en if lang == "en" and indicator.name_en else indicator.name_vi


def indicator_title(indicator: Indicator, lang: str) -> str:
    """ "0101 Dân số người dân tộc thiểu số (người)"."""
    unit = f" ({measure_label(indicator.unit, lang)})" if indicator.unit else ""
    return f"{indicator.code} {indicator_name(indicator, lang)}{unit}"


def build_layout(
    catalog: Catalog,
    form: Form,
    eth_rows: list[str],
    lang: str = "vi",
) -> FormLayout:
    """Lay out a form's indicators as rows of one grid.

    Args:
        catalog: the catalogue version the report is pinned to.
        form: the form.
        eth_rows: the ethnic groups that have rows, in order (for an ``eth_options = all`` form, every
            ``eth`` option of the catalogue).
        lang: "vi" or "en", for the catalogue's names.

    Returns:
        The layout.
    """
    indicators = catalog.form_indicators(form)
    options_cache: dict[str, tuple[Option, ...]] = {}

    def options(dim: str) -> tuple[Option, ...]:
        if dim not in options_cache:
            opts = catalog.options_for(dim)
            if dim == "eth":
                by_code = {o.code: o for o in opts}
                opts = tuple(by_code.get(c) or Option("eth", c, c, c, 0) for c in eth_rows)
            options_cache[dim] = opts
        return options_cache[dim]

    codes_cache: dict[str, list[str]] = {}

    def codes(dim: str) -> list[str]:
        if dim not in codes_cache:
            codes_cache[dim] = [o.code for o in options(dim)]
        return codes_cache[dim]

    def codes_of(ind: Indicator):
        # the options the indicator's ``options`` column keeps: an excluded one gets no row nor column
        if not ind.options:
            return codes
        return lambda dim: [c for c in codes(dim) if allows(ind, dim, c)]

    tables: dict[str, IndicatorTable] = {}
    widest = 1
    for ind in indicators:
        dims = catalog.dimensions_of(ind)
        if dims:
            table = tables[ind.code] = indicator_table(dims, codes_of(ind))
            if table.col_dim:
                extra = 1 if ind.value_type in SUMMABLE_TYPES else 0
                widest = max(widest, len(table.col_codes) + extra)
    rows: list[Row] = []
    blocks: list[Block] = []
    cell_pos: dict[tuple[str, str], tuple[int, int]] = {}
    spans: list[tuple[int, int, int, int]] = []
    block_of_code: dict[str, int] = {}
    full_width = widest + 2
    words = {
        # a literal context (not _CTX): lupdate only collects literal strings into the .ts
        "total_col": QCoreApplication.translate("GridLayout", "Tổng"),
        "total_row": QCoreApplication.translate("GridLayout", "Tổng số"),
        "value": QCoreApplication.translate("GridLayout", "Giá trị"),
        "count": QCoreApplication.translate("GridLayout", "Số lượng"),
        "no_eth": QCoreApplication.translate(
            "GridLayout", "Chưa có dân tộc nào. Bấm “Thêm dân tộc” (Ctrl+D) để thêm dòng."
        ),
        "none_kept": QCoreApplication.translate(
            "GridLayout", "Chỉ tiêu này không có dòng cho các dân tộc đã thêm (danh mục loại trừ)."
        ),
    }
    # the note of an eth block without rows: no group added yet, or the indicator excludes those added
    words["no_eth_row"] = words["none_kept"] if eth_rows else words["no_eth"]
    labels_cache: dict[str, dict[str, str]] = {}

    def labels(dim: str) -> dict[str, str]:
        if dim not in labels_cache:
            labels_cache[dim] = {o.code: option_label(o, lang) for o in options(dim)}
        return labels_cache[dim]

    group_names = {g.code: (g.name_en if lang == "en" and g.name_en else g.name_vi) for g in catalog.groups}
    current_group: str | None = None
    for ind in indicators:
        if ind.group != current_group:
            current_group = ind.group
            spans.append((len(rows), 0, 1, full_width))
            rows.append(Row("group", -1, f"{ind.group}. {group_names.get(ind.group, '')}".rstrip(". ")))
        block = Block(ind, first_row=len(rows))
        b = len(blocks)
        blocks.append(block)
        block_of_code[ind.code] = b
        table = tables.get(ind.code)
        if table is None:
            _single(rows, spans, cell_pos, block, b, lang, widest)
        else:
            _table(rows, spans, cell_pos, block, b, table, options, labels, lang, widest, words)
        block.last_row = len(rows) - 1
    logger.debug(
        "layout of %s: %d rows, %d blocks, %d cells", form.code, len(rows), len(blocks), len(cell_pos)
    )
    return FormLayout(rows, blocks, widest, cell_pos, spans, block_of_code)


def _single(rows, spans, cell_pos, block: Block, b: int, lang: str, widest: int) -> None:
    ind = block.indicator
    r = len(rows)
    if ind.value_type == "text" or widest == 1:
        col = 1
        if widest > 1:
            spans.append((r, 1, 1, widest))
    else:
        col = widest  # one value is a total: it sits in the value/total column, not under an option column
    keys = (None,) * (col - 1) + ("",)
    rows.append(Row("single", b, indicator_title(ind, lang), keys=keys))
    block.data_rows = [r]
    block.message_row = r
    cell_pos[(ind.code, "")] = (r, col)


def _table(
    rows,
    spans,
    cell_pos,
    block: Block,
    b: int,
    table: IndicatorTable,
    options,
    labels,
    lang: str,
    widest,
    words,
) -> None:
    ind = block.indicator
    full_width = widest + 2
    spans.append((len(rows), 0, 1, full_width))
    rows.append(Row("title", b, indicator_title(ind, lang)))
    row_dims = table.row_dims
    block.col_dim = table.col_dim
    if table.col_dim:
        col_opts = options(table.col_dim)
        headers = [option_label(o, lang) for o in col_opts]
        if block.summable:
            block.total_col = len(col_opts) + 1
            headers.append(words["total_col"])
    else:
        headers = [measure_label(ind.unit, lang) or words["value"]]
    block.col_keys = table.col_codes
    head_label = " · ".join(dimension_name(d, lang) for d in row_dims) if row_dims else ""
    colhead = len(rows)
    rows.append(Row("colhead", b, head_label, headers=tuple(headers)))
    block.message_row = colhead
    if row_dims and not table.rows and "eth" in row_dims:
        spans.append((len(rows), 0, 1, full_width))
        rows.append(Row("note", b, words["no_eth_row"]))
        return
    code = ind.code
    by_dim = [labels(d) for d in row_dims]  # option code → its label, per row dimension
    one = by_dim[0] if len(by_dim) == 1 else None
    data_rows = block.data_rows
    r = len(rows)
    for trow in table.rows:
        if one is not None:
            label = one[trow.codes[0]]
        else:
            label = (
                " · ".join([by_dim[k][c] for k, c in enumerate(trow.codes)]) if trow.codes else words["count"]
            )
        rows.append(Row("data", b, label, trow.keys, (), trow.option))
        data_rows.append(r)
        for col, key in enumerate(trow.keys, start=1):
            cell_pos[(code, key)] = (r, col)
        r += 1
    if block.summable and (row_dims or block.total_col is None):
        block.total_row = len(rows)
        block.message_row = block.total_row
        rows.append(Row("total", b, words["total_row"]))


@dataclass(frozen=True)
class Place:
    """Where a problem shows: a cell (``column`` ≥ 1) or a whole row (``column`` 0)."""

    row: int
    column: int

    @property
    def is_cell(self) -> bool:
        return self.column > 0


def rule_indicators(catalog: Catalog, codes: set[str]) -> dict[str, str]:
    """For each rule, the first indicator of ``codes`` its expression names (where its message shows)."""
    out: dict[str, str] = {}
    for rule in catalog.rules:
        for token in re.findall(r"[A-Za-z0-9_.]+", rule.expression):
            if token in codes:
                out[rule.code] = token
                break
    return out


def locate(layout: FormLayout, problem: Problem, rule_refs: dict[str, str]) -> Place | None:
    """The cell or row of the grid a problem belongs to, or None when it names nothing on this page.

    A problem about a cell goes to that cell; one about a row option ("eth=08") to that row of its
    indicator; one about the indicator's total to the indicator's message row; one of a rule that names
    no indicator to the first indicator its expression mentions.
    """
    code = problem.indicator or rule_refs.get(problem.code, "")
    b = layout.block_of_code.get(code)
    if b is None:
        return None
    pos = layout.cell_pos.get((code, problem.disagg))
    if pos is not None:
        return Place(*pos)
    block = layout.blocks[b]
    wanted: dict[str, str] = {}
    for key in (problem.disagg, problem.option):
        try:
            wanted.update(parse_key(key))
        except IdentifierError:
            logger.debug("problem %s has an unreadable key %r", problem.code, key)
    if block.col_dim:
        wanted.pop(block.col_dim, None)
    if wanted:
        for r in block.data_rows:
            have = parse_key(layout.rows[r].option)
            if all(have.get(d) == o for d, o in wanted.items()):
                return Place(r, 0)
    if layout.rows[block.message_row].kind == "single":
        return Place(*layout.cell_pos[(code, "")])
    return Place(block.message_row, 0)
