"""Reporting-unit codes and ethnic code systems (issue 17)."""

from __future__ import annotations

import pytest

from dttscore import ethsystems, unitcodes
from dttscore.bounds import UNIT_RE


@pytest.mark.parametrize(
    ("code", "kind", "province"),
    [("01849", "commune", None), ("19-SGDDT", "agency", "19"), ("01-A", "agency", "01")],
)
def test_unit_kinds(code, kind, province):
    assert unitcodes.unit_kind(code) == kind and unitcodes.agency_province(code) == province
    assert unitcodes.is_unit_code(code) and UNIT_RE.fullmatch(code)


@pytest.mark.parametrize("code", ["", "1849", "19-sgddt", "19-TOOLONG", "19SGDDT", "019-A", "19-"])
def test_not_unit_codes(code):
    assert not unitcodes.is_unit_code(code) and not UNIT_RE.fullmatch(code)


def test_province_name_of_an_agency():
    assert unitcodes.province_name("19") == "Thái Nguyên" and unitcodes.province_name("99") == ""


def test_the_refusal_names_both_lists():
    vi, en = ethsystems.refusal("gso-2008", "gso-1979")
    assert "1019/QĐ-TCTK" in vi and "121-TCTK/PPCĐ" in vi and "(gso-1979)" in vi
    assert "04 is Hoa" in en and "04 is Mường" in en
    assert "'xyz'" in ethsystems.refusal("xyz", "gso-1979")[0]
