"""Names a person reads instead of codes: periods, times, environments, units of measure, communes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from dttscore.labels import commune_phrase, environment_label, local_time_label, measure_label
from dttscore.periods import period_label


@pytest.mark.parametrize(
    "code, vi, en",
    [
        ("2026", "Năm 2026", "Year 2026"),
        ("2026S1", "6 tháng đầu năm 2026", "First half of 2026"),
        ("2026S2", "6 tháng cuối năm 2026", "Second half of 2026"),
        ("2026Q4", "Quý 4/2026", "Q4 2026"),
        ("202611", "Tháng 11/2026", "November 2026"),
        ("2026q4", "Quý 4/2026", "Q4 2026"),
    ],
)
def test_period_label(code, vi, en):
    assert period_label(code, "vi") == vi
    assert period_label(code) == vi
    assert period_label(code, "en") == en


@pytest.mark.parametrize("code", ["", "2026Q5", "abc", "1999"])
def test_period_label_of_something_else_is_the_text_itself(code):
    assert period_label(code, "vi") == code


@pytest.fixture
def hanoi_time(monkeypatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_local_time_label_is_the_pcs_local_time(hanoi_time):
    assert local_time_label("2026-12-05T00:02:00+00:00") == "05/12/2026 07:02"
    assert local_time_label("2026-12-05T00:02:00Z", "vi") == "05/12/2026 07:02"
    assert local_time_label("2026-12-05T00:02:00", "vi") == "05/12/2026 07:02"  # stored times are UTC
    assert local_time_label(datetime(2026, 12, 4, 23, 59, tzinfo=timezone.utc)) == "05/12/2026 06:59"
    assert local_time_label("2026-12-05T00:02:00+00:00", "en") == "05 Dec 2026 07:02"
    assert local_time_label("not a time") == "not a time"
    assert local_time_label(None) == "—" and local_time_label("") == "—"


def test_environment_label():
    assert environment_label("production") == "chính thức"
    assert environment_label("production", "en") == "live"
    assert environment_label("test") == "thử nghiệm"
    assert environment_label("demo", "vi") == "chạy thử"
    assert environment_label("staging") == "staging"
    assert environment_label(None) == ""


def test_measure_label():
    assert measure_label("người") == "người"
    assert measure_label("người", "en") == "persons"
    assert measure_label("triệu đồng/người/năm", "en") == "million VND/person/year"
    assert measure_label("đơn vị lạ", "en") == "đơn vị lạ"
    assert measure_label(None, "en") == ""


def test_every_unit_of_the_sample_catalogue_has_an_english_name():
    from pathlib import Path

    from dttscore.catalog import load_catalog

    catalog = load_catalog(Path(__file__).resolve().parents[2] / "resources" / "catalog" / "sample.json")
    units = {i.unit for i in catalog.indicators if i.unit}
    assert units
    for unit in units:
        assert unit in ("%", "ha", "km") or measure_label(unit, "en") != unit, unit


def test_commune_phrase_does_not_repeat_the_unit_type():
    assert commune_phrase("Xã Sơn Đông", "01849") == "Xã Sơn Đông"
    assert commune_phrase("Phường Ba Đình", "00004", "en") == "Phường Ba Đình"
    assert commune_phrase(None, "01849") == "xã 01849"
    assert commune_phrase("", "01849", "en") == "commune 01849"
    assert commune_phrase(None, None) == "—"
