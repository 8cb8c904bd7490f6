"""``values set``: a value for an excluded option is refused (issue #16), rules across periods are reported."""

from __future__ import annotations

from tests.cli.test_cli_journey import run, run_json
from tests.support.hubfixture import COMMUNE_A, SAMPLE_CATALOG


def test_values_set_refuses_an_excluded_option(tmp_path):
    d = tmp_path / "p"
    run_json(d, "catalog", "import", str(SAMPLE_CATALOG))
    base = ["--unit", COMMUNE_A, "values", "set", "--form", "BM01", "--period", "2026", "0102@eth=01=5"]
    proc = run(d, *base, "0101@eth=01|sex=F=12", check=1)
    assert "0101" in proc.stderr and "Kinh" in proc.stderr and "Không lưu giá trị nào" in proc.stderr
    assert run_json(d, *base, "0101@eth=02|sex=F=12")["saved"] == 2


def test_values_set_reports_a_rule_on_last_years_value(tmp_path):
    from dttscore.catalog import dump_catalog_json
    from tests.core.test_rules_across_reports import cross_catalog

    d = tmp_path / "p"
    catalog = tmp_path / "cross.json"
    dump_catalog_json(cross_catalog(), catalog)
    run_json(d, "catalog", "import", str(catalog))
    base = ["--unit", COMMUNE_A, "values", "set", "--form", "F1"]
    assert not any(e["code"] == "X1" for e in run_json(d, *base, "--period", "2026", "0103=300")["errors"])
    run_json(d, *base, "--period", "2025", "0103=100")
    doc = run_json(d, *base, "--period", "2026", "0103=250")  # more than twice last year's 100
    assert [e["code"] for e in doc["errors"] if e["code"].startswith("X")] == ["X1"]
