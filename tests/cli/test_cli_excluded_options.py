"""``values set`` refuses a value for an option the indicator excludes (issue #16) and saves nothing."""

from __future__ import annotations

from cli.test_cli_journey import run, run_json
from hubfixture import COMMUNE_A, SAMPLE_CATALOG


def test_values_set_refuses_an_excluded_option(tmp_path):
    d = tmp_path / "p"
    run_json(d, "catalog", "import", str(SAMPLE_CATALOG))
    base = ["--unit", COMMUNE_A, "values", "set", "--form", "BM01", "--period", "2026", "0102@eth=01=5"]
    proc = run(d, *base, "0101@eth=01|sex=F=12", check=1)
    assert "0101" in proc.stderr and "Kinh" in proc.stderr and "Không lưu giá trị nào" in proc.stderr
    assert run_json(d, *base, "0101@eth=02|sex=F=12")["saved"] == 2
