"""The shipped sample catalogue (docs/catalogue.md, "Versions"): its content and its two files."""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from datetime import date
from importlib.resources import files
from pathlib import Path

import pytest

from dttscore.catalog import catalog_from_json, catalog_json_text, load_catalog
from dttscore.model import PERIOD_TYPES, VALUE_TYPES
from dttscore.rules import parse

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "make_sample_catalog.py"


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("make_sample_catalog", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def shipped_json():
    return files("dttsclient.resources") / "catalog" / "sample.json"


@pytest.fixture(scope="module")
def shipped_xlsx():
    return files("dttsclient.resources") / "catalog" / "sample.xlsx"


@pytest.fixture(scope="module")
def sample(shipped_json):
    return load_catalog(Path(str(shipped_json)))


def test_shipped_files_equal_each_other_and_the_script(tool, sample, shipped_json, shipped_xlsx):
    built = tool.build_sample_catalog()
    assert sample == built
    assert load_catalog(Path(str(shipped_xlsx))) == built
    assert shipped_json.read_text(encoding="utf-8") == catalog_json_text(built)
    assert tool.check_shipped(Path(str(shipped_json)), Path(str(shipped_xlsx))) == []


def test_the_script_writes_and_checks_fresh_files(tool, tmp_path):
    json_path, xlsx_path = tmp_path / "s.json", tmp_path / "s.xlsx"
    catalog = tool.write_sample(json_path, xlsx_path)
    assert load_catalog(json_path) == catalog == load_catalog(xlsx_path)
    assert tool.check_shipped(json_path, xlsx_path) == []
    data = json.loads(json_path.read_text(encoding="utf-8"))
    data["indicators"][0]["name_vi"] = "Dân số (sửa tay)"
    json_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert tool.check_shipped(json_path, xlsx_path) == [
        f"{json_path} is not the catalogue this script builds"
    ]


def test_meta(sample):
    assert sample.catalog_id == "dtts-sample"
    assert sample.version == 1
    assert sample.title == "Bộ chỉ tiêu thống kê công tác dân tộc cấp xã (MẪU)"
    assert sample.legal_basis == "Thông tư 03/2019/TT-UBDT (mẫu minh hoạ)"
    assert sample.effective_from == date(2025, 7, 1)
    assert sample.unit_list == "vn-2025-07"
    assert sample.ethnic_code_system == "gso-1979"
    assert sample.sample is True


def test_groups_and_indicators(sample):
    assert len(sample.groups) >= 9
    assert [g.code for g in sample.groups][:9] == [f"{n:02d}" for n in range(1, 10)]
    assert sample.group("01").name_vi == "Dân số và dân tộc"
    assert len(sample.indicators) >= 100
    for ind in sample.indicators:
        assert re.fullmatch(r"\d{4}", ind.code) and ind.code[:2] == ind.group, ind.code
        assert ind.name_vi and ind.name_en, ind.code
        assert ind.definition_vi and ind.method_vi and ind.source_vi, ind.code
        if ind.value_type == "percent":
            assert (ind.min, ind.max) == (0, 100), ind.code
        if ind.value_type == "integer":
            assert ind.min == 0, ind.code
    by_group = Counter(i.group for i in sample.indicators)
    assert all(by_group[g.code] >= 5 for g in sample.groups)
    assert set(Counter(i.value_type for i in sample.indicators)) == set(VALUE_TYPES)
    assert sum(i.required for i in sample.indicators) >= 10
    assert sample.indicator("0101").name_vi == "Dân số người dân tộc thiểu số"
    assert sample.dimensions_of("0101") == ("eth", "sex")
    assert sample.dimensions_of("0102") == ("eth",)
    assert {i.unit for i in sample.indicators} >= {"người", "hộ", "%", "km", "thôn", "trường", "giường", "ha"}


def test_vietnamese_text_has_its_diacritics(sample):
    text = " ".join(i.name_vi + i.definition_vi + i.method_vi + i.source_vi for i in sample.indicators)
    for word in ("dân tộc thiểu số", "Số hộ", "Tỷ lệ", "đường", "nước sạch", "trạm y tế", "Thu nhập"):
        assert word in text
    for bare in ("dan toc thieu so", "So ho", "Ty le"):
        assert bare not in text


def test_disaggregations_of_every_kind_are_used(sample):
    uses = Counter(i.disaggregation for i in sample.indicators if i.disaggregation)
    assert set(uses) == {d.name for d in sample.disaggregations}
    assert uses["by_ethnicity_sex"] >= 5 and uses["by_ethnicity"] >= 5 and uses["by_sex"] >= 5
    for d in sample.disaggregations:
        for dim in d.dimensions:
            assert sample.options_for(dim), dim
    assert [o.code for o in sample.options_for("area")] == ["DBKK", "KHAC"]


def test_forms(sample):
    assert len(sample.forms) >= 3
    assert len({f.period_type for f in sample.forms}) >= 3
    assert {f.period_type for f in sample.forms} <= set(PERIOD_TYPES)
    sizes = {f.code: len(sample.form_indicators(f)) for f in sample.forms}
    assert max(sizes, key=sizes.get) == "BM01" and sample.form("BM01").period_type == "year"
    eth_sex = [i for i in sample.form_indicators("BM01") if sample.dimensions_of(i) == ("eth", "sex")]
    assert len(eth_sex) >= 5
    assert {f.eth_options for f in sample.forms} == {"all", "present"}
    assert Counter(f.eth_options for f in sample.forms)["present"] > 1
    assert all(15 <= f.deadline_days <= 45 or f.period_type == "month" for f in sample.forms)
    covered = {i.code for f in sample.forms for i in sample.form_indicators(f)}
    assert covered == {i.code for i in sample.indicators}


def test_rules(sample):
    assert len(sample.rules) >= 15
    assert {r.severity for r in sample.rules} == {"error", "warning"}
    assert any(r.forms for r in sample.rules) and any(not r.forms for r in sample.rules)
    assert any("[eth=*]" in r.expression for r in sample.rules)
    for rule in sample.rules:
        parse(rule.expression)
        assert rule.message_vi and rule.message_en
    for form in sample.forms:
        assert sample.rules_for(form), form.code


def test_the_json_file_is_the_documented_json_form(shipped_json, sample):
    data = json.loads(shipped_json.read_text(encoding="utf-8"))
    assert data["meta"]["sample"] is True
    assert catalog_from_json(data) == sample
