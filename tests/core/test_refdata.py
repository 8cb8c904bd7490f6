"""The shipped code lists: ethnic groups, provinces, communes, and the default options of eth and sex."""

from __future__ import annotations

import dataclasses
from importlib.resources import files

import pytest

from dttscore import refdata
from dttscore.catalog import catalog_from_json
from dttscore.model import Option
from tests.support.catalogs import small_catalog


def test_resources_are_importable_as_a_package():
    ref = files("dttscore.ref")
    assert (ref / "ethnic_groups_1979.csv").is_file()
    assert (ref / "communes_2025.csv").is_file()
    assert (ref / "ATTRIBUTION.md").is_file()


# -- ethnic groups --------------------------------------------------------------------------------------
def test_the_54_ethnic_groups_in_gso_order():
    groups = refdata.ethnic_groups()
    assert len(groups) == 54
    assert [g.code for g in groups] == [f"{n:02d}" for n in range(1, 55)]
    assert (groups[0].name_vi, groups[0].is_minority) == ("Kinh", False)
    assert all(g.is_minority for g in groups[1:])
    assert groups[7] == refdata.EthnicGroup(
        "08", "HMông", "HMong", ("Mèo", "Hoa", "Mèo Xanh", "Mèo Đỏ", "Mèo Đen", "Ná Mẻo", "Mán Trắng"), True
    )
    assert groups[53].name_vi == "Rơ măm" and groups[53].other_names == ()
    assert isinstance(groups, tuple) and dataclasses.is_dataclass(groups[0])


def test_code_99_is_not_offered():
    assert refdata.ethnic_group("99") is None
    assert "99" not in {g.code for g in refdata.ethnic_groups()}
    assert refdata.search_ethnic("Không rõ") == ()


def test_aliases_are_split_even_where_the_source_has_a_full_stop():
    assert refdata.ethnic_group("13").other_names[:2] == ("Giơ-lar", "Tơ-lô")
    assert refdata.ethnic_group("22").other_names == ("Xa-điêng",)


def test_ethnic_group_lookup():
    assert refdata.ethnic_group("09").name_vi == "Dao"
    assert refdata.ethnic_group(" 05 ").name_vi == "Khơ-me"
    assert refdata.ethnic_group("55") is None
    assert refdata.ethnic_group("") is None


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("Mán", "09"),  # an alias of Dao (also part of aliases of Thái, HMông, Sán Chay; one of Sán Dìu)
        ("man", "09"),  # accents ignored
        ("MÁN", "09"),
        ("Dao", "09"),
        ("hmong", "08"),
        ("Mèo", "08"),  # alias
        ("meo den", "08"),  # alias, no accents, case and spaces ignored
        ("khome", "05"),  # hyphen ignored: Khơ-me
        ("kho-me", "05"),
        ("ba na", "13"),
        ("bana", "13"),
        ("Ê đê", "12"),
        ("ede", "12"),
        ("08", "08"),  # by code
        ("8", "08"),
        ("Tày", "02"),
        ("tay", "02"),  # the exact name comes before names and aliases merely starting with it
        ("Cao Lan", "15"),
        ("ơ đu", "53"),
    ],
)
def test_search_ethnic_is_accent_insensitive_and_knows_the_aliases(typed, first):
    found = refdata.search_ethnic(typed)
    assert found and found[0].code == first


def test_search_ethnic_finds_every_group_with_an_alias():
    assert [g.code for g in refdata.search_ethnic("Mán")][:2] == ["09", "18"]  # exact alias: Dao, Sán Dìu
    loose = [g.code for g in refdata.search_ethnic("Mán")]
    assert {"03", "08", "15"} <= set(loose)  # Mán Thanh (Thái), Mán Trắng (HMông), Mán Cao Lan (Sán Chay)
    # what matches with its diacritics comes before what matches only without them (Mảng)
    assert loose.index("03") < loose.index("45")


def test_search_ethnic_edge_cases():
    assert refdata.search_ethnic("") == refdata.ethnic_groups()
    assert refdata.search_ethnic("   ") == refdata.ethnic_groups()
    assert refdata.search_ethnic("xyzzy") == ()
    assert refdata.search_ethnic("-") == refdata.ethnic_groups()  # nothing left to match on


def test_fold():
    assert refdata.fold("Đồng bào Khơ-me") == "dongbaokhome"
    assert refdata.fold("Ơ Đu") == "odu"


# -- units ----------------------------------------------------------------------------------------------
def test_34_provinces_and_3321_communes():
    communes = refdata.communes()
    assert len(communes) == 3321
    assert len({c.commune_code for c in communes}) == 3321
    assert all(len(c.commune_code) == 5 and c.commune_code.isdigit() for c in communes)
    provinces = refdata.provinces()
    assert len(provinces) == 34
    assert provinces[0] == refdata.Province("01", "Thành phố Hà Nội")
    assert {p.code for p in provinces} == {c.province_code for c in communes}
    assert sum(len(refdata.communes_in(p.code)) for p in provinces) == 3321


def test_commune_lookup():
    assert refdata.commune("01849") == refdata.Commune("19", "Thái Nguyên", "01849", "Xã Phong Quang")
    assert refdata.commune("00004").commune_name == "Phường Ba Đình"
    assert refdata.commune("99999") is None
    assert refdata.commune("1849") is None  # codes are 5-digit strings
    assert refdata.communes_in("99") == ()


def test_results_are_cached():
    assert refdata.communes() is refdata.communes()
    assert refdata.ethnic_groups() is refdata.ethnic_groups()
    assert refdata.default_options("eth") is refdata.default_options("eth")


# -- default options ------------------------------------------------------------------------------------
def test_default_options_of_eth_are_the_54_groups_in_file_order():
    options = refdata.default_options("eth")
    assert len(options) == 54
    assert options[0] == Option("eth", "01", "Kinh", "Kinh", 1)
    assert options[7] == Option("eth", "08", "HMông", "HMong", 8)
    assert [o.order for o in options] == list(range(1, 55))
    assert "99" not in {o.code for o in options}


def test_default_options_of_sex_and_others():
    assert refdata.default_options("sex") == (
        Option("sex", "M", "Nam", "Male", 1),
        Option("sex", "F", "Nữ", "Female", 2),
    )
    assert refdata.default_options("area") == ()
    assert refdata.default_options("") == ()


def test_a_catalogue_uses_the_defaults_unless_it_lists_options():
    catalog = catalog_from_json(small_catalog())
    assert catalog.options_for("sex") == refdata.default_options("sex")
    assert catalog.options_for("eth") == refdata.default_options("eth")
    data = small_catalog()
    data["options"].append({"dimension": "eth", "code": "02", "name_vi": "Tày", "name_en": "Tay", "order": 1})
    assert [o.code for o in catalog_from_json(data).options_for("eth")] == ["02"]
