"""The table of a disaggregated indicator: which dimension runs across, which down, and each cell's key.

One rule for every table that shows an indicator's values — the entry grid on screen
(:mod:`dttsclient.ui.grid_layout`), the commune's paper in Excel and PDF (:mod:`dttsclient.usb.layout`)
and the province's export (:mod:`dttshub.exports`) — so a value sits in the same place on all of them:

* the **column dimension** is ``sex`` when the indicator has it (Nữ, Nam, and their total); none otherwise;
* every other dimension runs down the rows, one row per combination of their options (ethnic groups:
  the report's rows, chosen by the caller; areas, levels …).

Why only ``sex`` goes across: the entry grid has to fit a 1366-pixel screen with the label column, the
value columns and a readable message column side by side, and two options plus a total is what fits; a
dimension with three or four options across (school levels) would take the message column's room on every
form that has one. The paper follows the screen, so the officer finds each value in the same place on
both (A4 portrait has no room to spare either).

Pure Python: labels, totals and widgets are the callers'.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

#: the dimension that runs across when an indicator has it
SEX = "sex"


def column_dimension(dims: Sequence[str]) -> str | None:
    """The dimension of an indicator's columns (see the module docstring), or None.

    Args:
        dims: the indicator's dimensions (``catalog.dimensions_of(indicator)``).
    """
    return SEX if SEX in dims else None


class TableRow(NamedTuple):
    """One row of an indicator's table (a tuple: a big form has thousands, built when it opens).

    Attributes:
        codes: the row's option code of each row dimension, in the order of :attr:`IndicatorTable.row_dims`.
        option: the key of the row's options alone (``"area=1|eth=08"``; ``""`` without row dimensions).
        keys: the disaggregation key of the cell in each column.
    """

    codes: tuple[str, ...]
    option: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorTable:
    """The shape of one disaggregated indicator's table.

    Attributes:
        col_dim: the dimension across (None: one value column).
        col_codes: the option code of each column (``("",)`` without a column dimension).
        row_dims: the dimensions down the rows, in the indicator's order.
        rows: one per combination of the row dimensions' options (one row without row dimensions; none when
            a row dimension has no options, e.g. a report without ethnic groups yet).
    """

    col_dim: str | None
    col_codes: tuple[str, ...]
    row_dims: tuple[str, ...]
    rows: tuple[TableRow, ...]


def indicator_table(dims: Sequence[str], options: Callable[[str], Sequence[str]]) -> IndicatorTable:
    """The table of an indicator with the dimensions ``dims``.

    Args:
        dims: the indicator's dimensions (not empty).
        options: the option codes of a dimension, in the order to show them (for ``eth``: the report's
            ethnic rows; the caller decides).
    """
    col_dim = column_dimension(dims)
    row_dims = tuple(d for d in dims if d != col_dim)
    col_codes = tuple(options(col_dim)) if col_dim else ("",)
    col_frags = [f"{col_dim}={c}" for c in col_codes] if col_dim else []
    codes = [list(options(d)) for d in row_dims]
    frags = [[f"{d}={c}" for c in cs] for d, cs in zip(row_dims, codes, strict=True)]
    # a key lists its "dim=option" parts sorted by dimension: the order is the same for every row
    order = sorted(range(len(row_dims)), key=lambda k: row_dims[k])
    split = sum(1 for d in row_dims if col_dim and d < col_dim)  # row parts before the column's part
    rows = []
    if len(row_dims) == 1:  # the usual case (ethnic groups, areas, levels): the loop below, made cheap
        for code, frag in zip(codes[0], frags[0], strict=True):
            if not col_frags:
                keys = (frag,)
            elif split:
                keys = tuple([f"{frag}|{cf}" for cf in col_frags])
            else:
                keys = tuple([f"{cf}|{frag}" for cf in col_frags])
            rows.append(TableRow((code,), frag, keys))
        return IndicatorTable(col_dim, col_codes, row_dims, tuple(rows))
    for idx in itertools.product(*(range(len(cs)) for cs in codes)):
        parts = [frags[k][idx[k]] for k in order]
        option = "|".join(parts)
        if col_frags:
            head, tail = parts[:split], parts[split:]
            keys = tuple("|".join([*head, cf, *tail]) for cf in col_frags)
        else:
            keys = (option,)
        rows.append(TableRow(tuple(codes[k][i] for k, i in enumerate(idx)), option, keys))
    return IndicatorTable(col_dim, col_codes, row_dims, tuple(rows))
