"""How the console lays out a report, the totals and a conflict: grids of ethnic group × sex, labels.

Pure functions over what the service functions return (``report_full``'s document, ``ProvinceTotals``,
the catalogue); no database access.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
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


def totals_indicators(
    catalog: Catalog, form: str, totals: ProvinceTotals, lang: str, baselines: Sequence = ()
) -> list[dict]:
    """Each indicator of the form with its total cell and its other cells (a grid for ethnic group × sex).

    Args:
        baselines: the survey figures added up over the same units (``dttshub.legacy.SurveySums``, newest
            first): each indicator and cell gets ``baselines``, a list of ``{"survey", "label", "date",
            "value", "units"}``; a cell a survey gave but no report did is added (its value None).
    """
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
                "legacy_units": c.legacy_units,
                "label": " · ".join(label(d, o) for d, o in parse_key(c.disagg).items()),
            }
            for c in cells
            if c.disagg
        ]
        if baselines:
            have = {c["disagg"] for c in others}
            extra = {
                k[1] for b in baselines for k in b.cells if k[0] == ind.code and k[1] and k[1] not in have
            }
            others += [
                {
                    "disagg": d,
                    "dims": parse_key(d),
                    "value": None,
                    "units": 0,
                    "label": " · ".join(label(dim, o) for dim, o in parse_key(d).items()),
                }
                for d in extra
            ]
            others.sort(key=lambda c: c["disagg"])
        for c in others:
            c["baselines"] = _figures(baselines, ind.code, c["disagg"])
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
                "baselines": _figures(baselines, ind.code, ""),
                "cells": others,
                "grid": grid,
            }
        )
    return out


@dataclass(frozen=True)
class Baseline:
    """One survey's figures as the totals page shows them: its label and ``{(code, disagg): (sum, units)}``."""

    label: dict
    units: int
    cells: dict


def label_baselines(sums: Sequence, lang: str) -> list[Baseline]:
    """``dttshub.legacy.SurveySums`` with their labels (the period named when a survey gave several)."""
    counts = Counter((s.survey, s.reference_date) for s in sums)
    return [
        Baseline(
            survey_label(
                s.survey, s.reference_date, s.period, counts[(s.survey, s.reference_date)] > 1, lang
            ),
            s.units,
            s.cells,
        )
        for s in sums
    ]


def survey_label(survey: str, reference_date: str, period: str, ambiguous: bool, lang: str) -> dict:
    """How a survey is named beside the totals: its name, its reference date as dd/mm/yyyy, and the period
    when the survey gave several for the form."""
    from dttscore.periods import period_label

    y, _, rest = reference_date.partition("-")
    m, _, d = rest.partition("-")
    name = f"{survey} — {period_label(period, lang)}" if ambiguous else survey
    return {"survey": survey, "label": name, "date": f"{d}/{m}/{y}" if d else reference_date}


def _figures(baselines: Sequence, code: str, disagg: str) -> list[dict]:
    out = []
    for b in baselines:
        found = b.cells.get((code, disagg))
        if found is not None:
            out.append({**b.label, "value": found[0], "units": found[1]})
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
