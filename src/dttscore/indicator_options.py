"""Options per indicator: the ``options`` column of the ``indicators`` sheet (docs/catalogue.md).

An indicator can restrict which options of its dimensions it has. The column holds one clause per
dimension, separated by ``;``::

    eth: !01            every ethnic group except Kinh (01)
    eth: 02, 03         only the groups 02 and 03
    eth: !01; sex: F    every group except Kinh, women only

``!`` before the list excludes the listed options; without it, only the listed ones are kept. This module
is the one rule every layer applies: the grid does not offer an excluded row, paste, Excel import, the CLI
and the store refuse a value for one (:func:`refusal`), and the hub rejects it (the keys of
:func:`dttscore.disagg.cell_keys` leave excluded options out).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from dttscore.catalog_tables import DIMENSION_RE, WORD_RE
from dttscore.model import Catalog, Indicator, Option


@dataclass(frozen=True)
class Clause:
    """The options one dimension keeps: ``codes`` only, or every option but ``codes`` when ``exclude``."""

    dimension: str
    exclude: bool
    codes: tuple[str, ...]

    def keeps(self, code: str) -> bool:
        return (code in self.codes) != self.exclude


class OptionsSyntaxError(ValueError):
    """The ``options`` text does not follow the grammar; ``vi`` and ``en`` say why."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.vi = vi
        self.en = en


@functools.lru_cache(maxsize=1024)
def parse(text: str) -> tuple[Clause, ...]:
    """The clauses of an ``options`` cell, in the order written; () for an empty cell.

    Raises:
        OptionsSyntaxError: a clause without ``dimension:``, a bad name or code, an empty list, a
            dimension given twice.
    """
    clauses: list[Clause] = []
    seen: set[str] = set()
    for part in (p.strip() for p in (text or "").split(";")):
        if not part:
            continue
        dim, colon, rest = part.partition(":")
        dim = dim.strip()
        if not colon or not DIMENSION_RE.fullmatch(dim):
            raise OptionsSyntaxError(
                f"'{part}' không đúng dạng 'chiều: mã, mã' hoặc 'chiều: !mã' (ví dụ eth: !01)",
                f"'{part}' is not written 'dimension: code, code' or 'dimension: !code' (e.g. eth: !01)",
            )
        if dim in seen:
            raise OptionsSyntaxError(f"chiều '{dim}' được ghi hai lần", f"dimension '{dim}' is given twice")
        seen.add(dim)
        rest = rest.strip()
        exclude = rest.startswith("!")
        if exclude:
            rest = rest[1:]
        codes = [c.strip().lstrip("!").strip() if exclude else c.strip() for c in rest.split(",")]
        if not any(codes):
            raise OptionsSyntaxError(
                f"chưa ghi mã nào sau '{dim}:'", f"no option code is given after '{dim}:'"
            )
        for code in codes:
            if not WORD_RE.fullmatch(code):
                raise OptionsSyntaxError(
                    f"'{code}' không phải là mã lựa chọn (trong '{part}')",
                    f"'{code}' is not an option code (in '{part}')",
                )
        clauses.append(Clause(dim, exclude, tuple(dict.fromkeys(codes))))
    return tuple(clauses)


def clause_for(indicator: Indicator, dimension: str) -> Clause | None:
    """The clause of ``indicator`` on ``dimension``; None when it keeps every option (or is malformed)."""
    if not indicator.options:
        return None
    try:
        clauses = parse(indicator.options)
    except OptionsSyntaxError:
        return None  # the loader refuses such catalogues
    return next((c for c in clauses if c.dimension == dimension), None)


def options_of(catalog: Catalog, indicator: Indicator | str, dimension: str) -> tuple[Option, ...]:
    """The options of ``dimension`` the indicator has: the catalogue's, less those its column excludes."""
    ind = catalog.indicator(indicator) if isinstance(indicator, str) else indicator
    every = catalog.options_for(dimension)
    clause = clause_for(ind, dimension)
    if clause is None:
        return every
    return tuple(o for o in every if clause.keeps(o.code))


def allows(indicator: Indicator, dimension: str, code: str) -> bool:
    """Whether the indicator's ``options`` column keeps option ``code`` of ``dimension``."""
    clause = clause_for(indicator, dimension)
    return clause is None or clause.keeps(code)


def refusal(catalog: Catalog, indicator: Indicator | str, key: Mapping[str, str]) -> tuple[str, str] | None:
    """Why a cell of the indicator cannot hold a value: (vi, en), or None when it can.

    Args:
        catalog: the catalogue.
        indicator: the indicator or its code.
        key: the cell's disaggregation key, parsed (dimension → option code).
    """
    ind = catalog.indicator(indicator) if isinstance(indicator, str) else indicator
    if not ind.options:
        return None
    for dim, code in key.items():
        if not allows(ind, dim, code):
            names = {o.code: o.name_vi for o in catalog.options_for(dim)}
            name = names.get(code, code)
            return (
                f"Chỉ tiêu {ind.code} ({ind.name_vi}) không có dòng “{name}” ({dim}={code}): "
                "danh mục loại trừ lựa chọn này, hãy để trống ô này.",
                f"Indicator {ind.code} ({ind.name_en or ind.name_vi}) has no row “{name}” ({dim}={code}): "
                "the catalogue excludes this option; leave the cell empty.",
            )
    return None


def problems(catalog: Catalog, indicator: Indicator) -> list[tuple[str, str]]:
    """What is wrong with an indicator's ``options`` cell (vi, en), for the catalogue loader."""
    if not indicator.options:
        return []
    try:
        clauses = parse(indicator.options)
    except OptionsSyntaxError as err:
        return [(err.vi, err.en)]
    try:
        dims = catalog.dimensions_of(indicator)
    except KeyError:
        return []  # the unknown disaggregation is reported on its own cell
    out: list[tuple[str, str]] = []
    for clause in clauses:
        if clause.dimension not in dims:
            out.append(
                (
                    f"chỉ tiêu không phân tổ theo '{clause.dimension}'",
                    f"the indicator has no dimension '{clause.dimension}'",
                )
            )
            continue
        known = {o.code for o in catalog.options_for(clause.dimension)}
        for code in clause.codes:
            if code not in known:
                out.append(
                    (
                        f"'{code}' không phải là mã của chiều '{clause.dimension}'",
                        f"'{code}' is not an option of the dimension '{clause.dimension}'",
                    )
                )
        if not any(clause.keeps(c) for c in known):
            out.append(
                (
                    f"không còn lựa chọn nào của chiều '{clause.dimension}'",
                    f"no option of the dimension '{clause.dimension}' is left",
                )
            )
    return out
