"""The code lists shipped with the app: ethnic groups (GSO 1979) and the 2025 provinces and communes.

The files live in ``resources/ref/`` (installed as ``dttscore.ref``, core/pyproject.toml); see ``ATTRIBUTION.md`` there for
their sources. They are read on first use and cached; every result is an immutable tuple of frozen
dataclasses, so callers can share them freely.

Code ``99 Không rõ`` of ``ethnic_groups_1979.csv`` is a Ministry of Health extension, not a GSO code: it is
left out of every result here (the catalogues use the ``gso-1979`` code system, whose groups are 01–54).
A catalogue that wants an "unknown" row lists its ``eth`` options, 99 included, in its ``options`` sheet.

Example:
    >>> ethnic_group("09").name_vi
    'Dao'
    >>> [g.code for g in search_ethnic("Mán")][:1]
    ['09']
"""

from __future__ import annotations

import csv
import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from dttscore.model import Option

logger = logging.getLogger(__name__)

ETHNIC_FILE = "ethnic_groups_1979.csv"
COMMUNES_FILE = "communes_2025.csv"
UNKNOWN_ETHNIC_CODE = "99"  # Ministry of Health extension, not a GSO code: not offered


@dataclass(frozen=True)
class EthnicGroup:
    """One of the 54 ethnic groups of Vietnam (GSO codes of QĐ 121-TCTK/PPCĐ, 1979).

    Attributes:
        code: two digits, "01" (Kinh) to "54" (Rơ măm).
        name_vi: the Vietnamese name ("HMông").
        name_ascii: the name without diacritics ("HMong"); also used as the English name.
        other_names: known aliases ("Mèo", "Mán Trắng" …).
        is_minority: False only for Kinh.
    """

    code: str
    name_vi: str
    name_ascii: str
    other_names: tuple[str, ...]
    is_minority: bool


@dataclass(frozen=True)
class Province:
    """A province-level unit in force since 01/07/2025 (34 of them)."""

    code: str
    name: str


@dataclass(frozen=True)
class Commune:
    """A commune-level unit (xã, phường, đặc khu) in force since 01/07/2025, keyed by its 5-digit code."""

    province_code: str
    province_name: str
    commune_code: str
    commune_name: str


def _read_csv(name: str) -> list[dict[str, str]]:
    """The rows of a shipped CSV file of ``resources/ref`` (UTF-8, with or without BOM)."""
    text = (files("dttscore.ref") / name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _split_aliases(text: str) -> tuple[str, ...]:
    # The source separates aliases with commas; one entry has a full stop instead ("Giơ-lar. Tơ-lô").
    return tuple(part.strip() for part in re.split(r"[,;.]", text or "") if part.strip())


@lru_cache(maxsize=1)
def ethnic_groups() -> tuple[EthnicGroup, ...]:
    """The 54 ethnic groups, in the order of the file (GSO code order, 01 Kinh first)."""
    groups = []
    for row in _read_csv(ETHNIC_FILE):
        code = row["code"].strip()
        if code == UNKNOWN_ETHNIC_CODE:
            continue
        groups.append(
            EthnicGroup(
                code=code,
                name_vi=row["name_vi"].strip(),
                name_ascii=row["name_ascii"].strip(),
                other_names=_split_aliases(row["other_names"]),
                is_minority=row["is_minority"].strip() == "1",
            )
        )
    logger.debug("loaded %d ethnic groups", len(groups))
    return tuple(groups)


@lru_cache(maxsize=1)
def _ethnic_index() -> dict[str, EthnicGroup]:
    return {g.code: g for g in ethnic_groups()}


def ethnic_group(code: str) -> EthnicGroup | None:
    """The ethnic group with this GSO 1979 code ("08"), or None when there is none."""
    return _ethnic_index().get(str(code).strip())


def fold(text: str) -> str:
    """Text folded for matching: lower case, no diacritics (đ → d), only letters and digits kept.

    Example:
        >>> fold("Khơ-me")
        'khome'
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in stripped.lower() if ch.isalnum())


@lru_cache(maxsize=1)
def _ethnic_search_keys() -> tuple[tuple[EthnicGroup, str, tuple[str, ...]], ...]:
    return tuple((g, fold(g.name_vi), tuple(fold(a) for a in g.other_names)) for g in ethnic_groups())


def search_ethnic(text: str) -> tuple[EthnicGroup, ...]:
    """Ethnic groups matching ``text`` by code, name or alias, ignoring case, diacritics and hyphens.

    Best matches first: the exact code, exact name and exact alias; then the looser matches (name prefix,
    alias prefix, names and aliases that merely contain the text), those that keep the diacritics the
    officer typed before the others; ties keep the file order. An empty text returns every group.

    Args:
        text: what the officer typed, e.g. "mán", "Hmong", "08".

    Returns:
        The matching groups, best first.
    """
    query = fold(text)
    if not query:
        return ethnic_groups()
    typed = " ".join(text.lower().split())
    ranked = []
    for index, (group, name, aliases) in enumerate(_ethnic_search_keys()):
        if query.isdigit() and query.lstrip("0") == group.code.lstrip("0"):
            rank = 0
        elif query == name:
            rank = 1
        elif query in aliases:
            rank = 2
        elif name.startswith(query):
            rank = 3
        elif any(a.startswith(query) for a in aliases):
            rank = 4
        elif query in name:
            rank = 5
        elif any(query in a for a in aliases):
            rank = 6
        else:
            continue
        # Among the looser matches, those that also match the diacritics the officer typed come first.
        exact_accents = any(typed in n.lower() for n in (group.name_vi, *group.other_names))
        ranked.append((rank > 2, not exact_accents, rank, index, group))
    ranked.sort(key=lambda item: item[:4])
    return tuple(item[-1] for item in ranked)


@lru_cache(maxsize=1)
def communes() -> tuple[Commune, ...]:
    """The 3,321 communes in force since 01/07/2025, in the order of the file (by province)."""
    result = tuple(
        Commune(
            province_code=row["province_code"].strip(),
            province_name=row["province_name"].strip(),
            commune_code=row["commune_code"].strip(),
            commune_name=row["commune_name"].strip(),
        )
        for row in _read_csv(COMMUNES_FILE)
    )
    logger.debug("loaded %d communes", len(result))
    return result


@lru_cache(maxsize=1)
def _commune_index() -> dict[str, Commune]:
    return {c.commune_code: c for c in communes()}


def commune(code: str) -> Commune | None:
    """The commune with this 5-digit code ("01849"), or None when the 2025 list has no such code."""
    return _commune_index().get(str(code).strip())


@lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    """The 34 provinces, in the order of the file."""
    seen: dict[str, Province] = {}
    for c in communes():
        seen.setdefault(c.province_code, Province(c.province_code, c.province_name))
    return tuple(seen.values())


def communes_in(province_code: str) -> tuple[Commune, ...]:
    """The communes of one province, in file order (empty for an unknown province code)."""
    code = str(province_code).strip()
    return tuple(c for c in communes() if c.province_code == code)


@lru_cache(maxsize=64)
def default_options(dimension: str) -> tuple[Option, ...]:
    """The options a dimension has when the catalogue's ``options`` sheet does not list it (docs/catalogue.md).

    Args:
        dimension: ``"eth"`` gives the 54 ethnic groups 01–54 in file order (English name: the name
            without diacritics; 99 "Không rõ" is not a GSO code and is left out); ``"sex"`` gives
            M "Nam"/"Male" and F "Nữ"/"Female"; any other dimension has no default.

    Returns:
        The options, ``order`` counting from 1.
    """
    if dimension == "eth":
        return tuple(
            Option("eth", g.code, g.name_vi, g.name_ascii, i) for i, g in enumerate(ethnic_groups(), start=1)
        )
    if dimension == "sex":
        return (Option("sex", "M", "Nam", "Male", 1), Option("sex", "F", "Nữ", "Female", 2))
    return ()
