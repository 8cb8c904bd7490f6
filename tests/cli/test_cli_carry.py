"""``values carry`` / ``values confirm``: start from last period on the command line (issue #16 item 5)."""

from __future__ import annotations

from tests.cli.test_cli_journey import run, run_json
from tests.support.hubfixture import COMMUNE_A, SAMPLE_CATALOG

U = ["--unit", COMMUNE_A]


def _profile(tmp_path):
    d = tmp_path / "p"
    run_json(d, "catalog", "import", str(SAMPLE_CATALOG))
    last = [*U, "values", "set", "--form", "BM01", "--period", "2025"]
    run_json(d, *last, "0102@eth=02=40", "0102@eth=03=7", "0101@eth=02|sex=F=12")
    run_json(d, *U, "values", "set", "--form", "BM01", "--period", "2026", "0102@eth=03=9")
    return d


def test_carry_lists_then_copies_only_what_is_asked_into_empty_cells(tmp_path):
    d = _profile(tmp_path)
    here = [*U, "values", "carry", "--form", "BM01", "--period", "2026"]
    listed = run_json(d, *here)
    assert listed["previous_period"] == "2025" and listed["copied"] == []
    assert {c["code"]: c["cells"] for c in listed["choices"]} == {
        "0101": 1,
        "0102": 1,
    }  # 0102@eth=03 is filled
    text = run(d, *here).stdout
    assert "--indicator" in text and "Chưa lấy gì" in text
    doc = run_json(d, *here, "--indicator", "0102")
    assert doc["copied"] == [{"code": "0102", "disagg": "eth=02", "value": "40"}]
    assert doc["carried"] == [{"code": "0102", "disagg": "eth=02", "from_period": "2025"}]
    show = run_json(d, *U, "values", "show", "--form", "BM01", "--period", "2026")
    by_key = {(c["code"], c["disagg"]): c for c in show["cells"]}
    assert by_key[("0102", "eth=02")]["carried_from"] == "2025"
    assert (by_key[("0102", "eth=03")]["value"], by_key[("0102", "eth=03")]["carried_from"]) == ("9", None)
    assert ("0101", "eth=02|sex=F") not in by_key  # not asked: not copied
    assert "[lấy từ kỳ 2025]" in run(d, *U, "values", "show", "--form", "BM01", "--period", "2026").stdout


def test_an_indicator_with_nothing_to_copy_is_refused_and_nothing_changes(tmp_path):
    d = _profile(tmp_path)
    before = run_json(d, *U, "values", "show", "--form", "BM01", "--period", "2026")
    proc = run(
        d,
        *U,
        "values",
        "carry",
        "--form",
        "BM01",
        "--period",
        "2026",
        "--indicator",
        "0101",
        "--indicator",
        "9999",
        check=1,
    )
    assert (
        "9999" in proc.stderr and "Không ô nào bị thay đổi" in proc.stderr and "Traceback" not in proc.stderr
    )
    assert run_json(d, *U, "values", "show", "--form", "BM01", "--period", "2026") == before
    proc = run(d, *U, "values", "carry", "--form", "BM01", "--period", "2027", "--indicator", "all", check=1)
    assert "Chưa có báo cáo" in proc.stderr


def test_confirm_unmarks_named_cells_then_all(tmp_path):
    d = _profile(tmp_path)
    run_json(d, *U, "values", "carry", "--form", "BM01", "--period", "2026", "--indicator", "all")
    confirm = [*U, "values", "confirm", "--form", "BM01", "--period", "2026"]
    proc = run(d, *confirm, "0102@eth=03", check=1)  # typed by the officer, never copied
    assert "không được đánh dấu" in proc.stderr
    doc = run_json(d, *confirm, "0102@eth=02")
    assert doc["confirmed"] == 1 and [c["code"] for c in doc["carried"]] == ["0101"]
    doc = run_json(d, *confirm)
    assert doc["confirmed"] == 1 and doc["carried"] == []
    assert run(d, "--lang", "en", *confirm, check=3).stdout.strip() == "No cell is marked."
