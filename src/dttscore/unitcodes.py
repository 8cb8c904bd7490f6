"""Reporting-unit codes: a commune of the 2025 unit list (``01849``) or a province agency (``19-SGDDT``).

An agency's code is its province's two digits, a dash and 1–5 capital letters or digits (at most 8
characters, the width of every ``unit`` column), so its province is read from the code. Agencies are
defined on the hub (``dttshub unit add``); the client learns the agency's name from its account.

Example:
    >>> unit_kind("19-SGDDT"), agency_province("19-SGDDT"), unit_kind("01849")
    ('agency', '19', 'commune')
"""

from __future__ import annotations

import re

AGENCY_RE = re.compile(r"([0-9]{2})-([A-Z0-9]{1,5})")
COMMUNE_RE = re.compile(r"[0-9]{5}")


def is_agency_code(code: str | None) -> bool:
    """True when ``code`` has the shape of an agency code (``19-SGDDT``)."""
    return bool(AGENCY_RE.fullmatch(code or ""))


def is_unit_code(code: str | None) -> bool:
    """True for a commune code (5 digits) or an agency code."""
    return bool(COMMUNE_RE.fullmatch(code or "")) or is_agency_code(code)


def agency_province(code: str | None) -> str | None:
    """The province of an agency code, None when ``code`` is not one."""
    m = AGENCY_RE.fullmatch(code or "")
    return m.group(1) if m else None


def unit_kind(code: str | None) -> str:
    """``agency`` for an agency code, ``commune`` otherwise (the kinds of ``forms.reported_by``)."""
    return "agency" if is_agency_code(code) else "commune"


def province_name(code: str) -> str:
    """The name of a province of the 2025 list ("Thái Nguyên"), "" when unknown."""
    from dttscore import refdata

    communes = refdata.communes_in(code)
    return communes[0].province_name if communes else ""
