"""How the console lays out a report, the totals and a conflict: grids of ethnic group × sex, labels.

Pure functions over what the service functions return (``report_full``'s document, ``ProvinceTotals``,
the catalogue); no database access.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from dttscore.disagg import parse_key
from dttscore.model import Catalog
from dttshub.province_model import ProvinceTotals

SWING_PCT = Decimal(20)
"""A change from the previous period of this many percent or more (either way) is marked as a large swing."""


def _name(obj, lang: str) -> str:
    return (obj.name_en or obj.name_vi) if lang == "en" else obj.name_vi


def option_names(catalog: Catalog, dim: str, lang: str) -> dict[str, str]:
    return {o.code: _name(o, lang) for o in catalog.options_for(dim)}


def key_label(catalog: Catalog, disagg: str, lang: str) -> str:
    """A disaggregation key in words ("Tày · Nữ"); "" for an indicator's own total."""
    if not disagg:
        return ""
    parts = []
    for dim, code in parse_key(disagg).items():
        parts.append(option_names(catalog, dim, lang).get(code, code))
    return " · ".join(parts)


def is_swing(change_pct: str | None) -> bool:
    if change_pct is None:
        return False
    try:
        return abs(Decimal(change_pct)) >= SWING_PCT
    except InvalidOperation:
        return False


def _grid(cells: list[dict], dims: list[str], eth_names: dict[str, str], sex_names: dict[str, str]):
    """Rows of ethnic group × columns of sex when a cell list is keyed exactly by (eth, sex); else None."""
    if sorted(dims) != ["eth", "sex"]:
        return None
    rows: dict[str, dict[str, dict]] = {}
    sexes: list[str] = []
    for cell in cells:
        d = cell["dims"]
        eth, sex = d.get("eth"), d.get("sex")
        if eth is None or sex is None:
            return None
        rows.setdefault(eth, {})[sex] = cell
        if sex not in sexes:
            sexes.append(sex)
    order = list(sex_names)
    sexes.sort(key=lambda s: (order.index(s) if s in order else len(order), s))
    return {
        "columns": [(s, sex_names.get(s, s)) for s in sexes],
        "rows": [(e, eth_names.get(e, e), by_sex) for e, by_sex in rows.items()],
    }


def report_sections(doc: dict, lang: str) -> list[dict]:
    """``report_full``'s sections with names in ``lang``, swings marked, and a grid where one fits."""
    eth_names = {g.code: g.name_ascii if lang == "en" else g.name_vi for g in _ethnic_groups()}
    sex_names = {"M": "Nam" if lang == "vi" else "Male", "F": "Nữ" if lang == "vi" else "Female"}
    out = []
    for section in doc["sections"]:
        indicators = []
        for ind in section["indicators"]:
            cells = [{**c, "swing": is_swing(c["change_pct"])} for c in ind["cells"]]
            indicators.append(
                {
                    **ind,
                    "name": ind["name_en"] if lang == "en" and ind["name_en"] else ind["name_vi"],
                    "cells": cells,
                    "grid": _grid(cells, ind["dimensions"], eth_names, sex_names),
                }
            )
        out.append(
            {
                "name": section["name_en"] if lang == "en" and section["name_en"] else section["name_vi"],
                "group": section["group"],
                "indicators": indicators,
            }
        )
    return out


def _ethnic_groups():
    from dttscore import refdata

    return refdata.ethnic_groups()


def totals_indicators(catalog: Catalog, form: str, totals: ProvinceTotals, lang: str) -> list[dict]:
    """Each indicator of the form with its total cell and its other cells (a grid for ethnic group × sex)."""
    by_code: dict[str, list] = {}
    for cell in totals.cells:
        by_code.setdefault(cell.code, []).append(cell)
    names: dict[str, dict[str, str]] = {}

    def label(dim: str, code: str) -> str:
        if dim not in names:
            names[dim] = option_names(catalog, dim, lang)
        return names[dim].get(code, code)

    out = []
    for ind in catalog.form_indicators(form):
        cells = by_code.get(ind.code, [])
        total = next((c for c in cells if c.disagg == ""), None)
        others = [
            {
                "disagg": c.disagg,
                "dims": parse_key(c.disagg),
                "value": c.value,
                "units": c.units,
                "label": " · ".join(label(d, o) for d, o in parse_key(c.disagg).items()),
            }
            for c in cells
            if c.disagg
        ]
        dims = list(catalog.dimensions_of(ind))
        grid = None
        if others and sorted(dims) == ["eth", "sex"]:
            grid = _grid(
                others,
                dims,
                {k: label("eth", k) for k in {c["dims"].get("eth") for c in others} if k},
                {k: label("sex", k) for k in ("M", "F")},
            )
        out.append(
            {
                "code": ind.code,
                "name": _name(ind, lang),
                "unit": ind.unit,
                "how": ind.how_aggregated,
                "total": total,
                "cells": others,
                "grid": grid,
            }
        )
    return out


def conflict_rows(hub, doc: dict, lang: str) -> list[dict]:
    """One row per cell of either version, in catalogue order: label, the standing value, the other."""
    catalog = hub.totals.catalog_for(doc["form"])
    head, other = doc["head"]["values"], doc["other"]["values"]
    order = {ind.code: i for i, ind in enumerate(catalog.form_indicators(doc["form"]))}
    names = {ind.code: _name(ind, lang) for ind in catalog.indicators}
    keys = sorted(set(head) | set(other), key=lambda k: (order.get(k[0], 10**6), k[0], k[1]))
    return [
        {
            "code": code,
            "name": names.get(code, code),
            "label": key_label(catalog, disagg, lang),
            "head": head.get((code, disagg)),
            "other": other.get((code, disagg)),
            "differs": head.get((code, disagg)) != other.get((code, disagg)),
        }
        for code, disagg in keys
    ]
