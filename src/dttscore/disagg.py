"""Disaggregation keys: which cell of an indicator a value belongs to.

A key lists ``dimension=option`` pairs sorted by dimension and joined by "|" ("eth=08|sex=F"); the
empty string is the single value of an indicator that is not disaggregated (docs/journeys.md). Dimension names
are letters, digits and "_" starting with a letter or "_"; options are letters, digits, "_" and ".".
:func:`parse_key` accepts the pairs in any order; :func:`normalize_key` gives the canonical spelling.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from dttscore.errors import IdentifierError
from dttscore.model import Catalog, Indicator

logger = logging.getLogger(__name__)

_DIM_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPT_RE = re.compile(r"[A-Za-z0-9_.]+")
DIMENSION_NAMES = MappingProxyType(
    {
        "eth": ("Dân tộc", "Ethnic group"),
        "sex": ("Giới tính", "Sex"),
        "area": ("Khu vực", "Area"),
        "age": ("Nhóm tuổi", "Age group"),
    }
)


def _bad_key(key: object, why_vi: str, why_en: str) -> IdentifierError:
    return IdentifierError(
        f"“{key}” không phải khóa phân tổ hợp lệ ({why_vi}). Ví dụ: eth=08|sex=F.",
        f"“{key}” is not a valid disaggregation key ({why_en}). Example: eth=08|sex=F.",
    )


def make_key(mapping: Mapping[str, str]) -> str:
    """The key of a cell: ``{"sex": "F", "eth": "08"}`` → ``"eth=08|sex=F"``; ``{}`` → ``""``.

    Raises:
        IdentifierError: a dimension or option has characters a key cannot hold.
    """
    parts = []
    for dim in sorted(mapping):
        opt = mapping[dim]
        if not isinstance(dim, str) or not _DIM_RE.fullmatch(dim):
            raise _bad_key(f"{dim}={opt}", f"tên chiều “{dim}” không hợp lệ", f"bad dimension name “{dim}”")
        if not isinstance(opt, str) or not _OPT_RE.fullmatch(opt):
            raise _bad_key(f"{dim}={opt}", f"mã “{opt}” không hợp lệ", f"bad option code “{opt}”")
        parts.append(f"{dim}={opt}")
    return "|".join(parts)


def parse_key(key: str) -> dict[str, str]:
    """The dimension → option mapping of a key; ``""`` gives ``{}``.

    Raises:
        IdentifierError: the key is malformed (empty part, missing "=", bad characters, a dimension twice).
    """
    if not isinstance(key, str):
        raise _bad_key(key, "không phải chuỗi ký tự", "not a string")
    if key == "":
        return {}
    out: dict[str, str] = {}
    for part in key.split("|"):
        dim, eq, opt = part.partition("=")
        if not eq:
            raise _bad_key(key, f"thiếu dấu “=” ở “{part}”", f"“{part}” has no “=”")
        if not _DIM_RE.fullmatch(dim):
            raise _bad_key(key, f"tên chiều “{dim}” không hợp lệ", f"bad dimension name “{dim}”")
        if not _OPT_RE.fullmatch(opt):
            raise _bad_key(key, f"mã “{opt}” không hợp lệ", f"bad option code “{opt}”")
        if dim in out:
            raise _bad_key(key, f"chiều “{dim}” lặp lại", f"dimension “{dim}” appears twice")
        out[dim] = opt
    return out


def normalize_key(key: str) -> str:
    """The canonical spelling of a key ("sex=F|eth=08" → "eth=08|sex=F")."""
    return make_key(parse_key(key))


def dimension_options(catalog: Catalog, dimension: str, eth_present: list[str] | None = None) -> list[str]:
    """The option codes of a dimension: ``eth_present`` for ``eth`` when given, else the catalogue's."""
    if dimension == "eth" and eth_present is not None:
        return list(dict.fromkeys(eth_present))
    return [o.code for o in catalog.options_for(dimension)]


def report_eth_codes(
    catalog: Catalog, eth_options: str, eth_rows: Iterable[str], keys: Iterable[str] = ()
) -> list[str]:
    """The ethnic groups a report shows rows for, on screen and on paper alike.

    A form with ``eth_options = present`` shows the rows the officer added, in their order, then any other
    group that holds a value (an import or a pull may bring one), in the order first met; any other form
    shows every ``eth`` option of the catalogue.

    Args:
        catalog: the report's catalogue version.
        eth_options: the form's ``eth_options``.
        eth_rows: the report's ethnic-group rows, in order.
        keys: the disaggregation keys of the report's values.
    """
    if eth_options != "present":
        return [o.code for o in catalog.options_for("eth")]
    codes = list(dict.fromkeys(eth_rows))
    seen = set(codes)
    for key in keys:
        if "eth=" in key:
            code = parse_key(key).get("eth")
            if code and code not in seen:
                codes.append(code)
                seen.add(code)
    return codes


def cell_keys(
    catalog: Catalog, indicator: Indicator | str, eth_present: list[str] | None = None
) -> list[str]:
    """Every disaggregation key of an indicator: the product of its dimensions' options.

    ``[""]`` for an indicator that is not disaggregated. The keys come in the order of the
    disaggregation's dimensions and of each dimension's options (rows: ethnic groups, then sex). Options
    the indicator's ``options`` column excludes are left out (:mod:`dttscore.indicator_options`).

    Args:
        catalog: the catalogue.
        indicator: the indicator or its code.
        eth_present: the ethnic groups of the report, for the ``eth`` dimension; None means all the
            catalogue's ``eth`` options.
    """
    from dttscore.indicator_options import allows  # local: it builds on the catalogue tables

    ind = catalog.indicator(indicator) if isinstance(indicator, str) else indicator
    dims = catalog.dimensions_of(ind)
    if not dims:
        return [""]
    choices = [
        [o for o in dimension_options(catalog, dim, eth_present) if allows(ind, dim, o)] for dim in dims
    ]
    return [make_key(dict(zip(dims, combo, strict=True))) for combo in itertools.product(*choices)]


def matches(key: str | Mapping[str, str], selectors: Mapping[str, str]) -> bool:
    """Whether a cell's key has every selected option ("*" matches any option of that dimension).

    A selector on a dimension the key does not have never matches.
    """
    parsed = parse_key(key) if isinstance(key, str) else key
    for dim, opt in selectors.items():
        have = parsed.get(dim)
        if have is None or (opt != "*" and have != opt):
            return False
    return True


def dimension_name(dimension: str, lang: str = "vi") -> str:
    """A dimension's name for people: "Dân tộc" / "Ethnic group"; unknown dimensions show their code."""
    names = DIMENSION_NAMES.get(dimension)
    if names is None:
        return dimension
    return names[1] if lang == "en" else names[0]
