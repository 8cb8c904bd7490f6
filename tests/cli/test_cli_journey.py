"""The command line end to end, through real processes, on a catalogue someone else wrote.

Journey of issue 2: import a catalogue written in the documented format → enter values → see rule
errors → fix → finalize → see it queued. Plus the bad-input promises: a clear message (Vietnamese by
default, English with --lang en), exit 1, and the database unchanged.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.digests import db_digest
from tests.support.province_workbook import write_province_workbook

UNIT = "02680"  # Xã Hợp Thành, Lào Cai


def run(data_dir: Path, *args: str, lang: str | None = None, check: int | None = 0):
    cmd = [sys.executable, "-m", "dttsclient", "--data-dir", str(data_dir)]
    if lang:
        cmd += ["--lang", lang]
    proc = subprocess.run(
        cmd + list(args),
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "PYTHONIOENCODING": "utf-8"},
    )
    if check is not None:
        assert proc.returncode == check, (
            f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )
    return proc


def run_json(data_dir: Path, *args: str, check: int | None = 0) -> dict:
    proc = run(data_dir, "--json", *args, check=check)
    return json.loads(proc.stdout)


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    data_dir = tmp_path / "p"
    wb = write_province_workbook(tmp_path / "lc.xlsx")
    doc = run_json(data_dir, "catalog", "import", str(wb))
    assert doc["catalog_id"] == "lc-2026" and doc["version"] == 3 and doc["imported"] is True
    return data_dir


def test_journey_import_enter_errors_fix_finalize_queued(profile: Path):
    d = profile
    u = ["--unit", UNIT]
    # Enter values; the working-age count of the Thái (03) women exceeds their population: a rule error.
    doc = run_json(
        d,
        *u,
        "values",
        "set",
        "--form",
        "LC-N",
        "--period",
        "2026",
        "1001=40",
        "1002@eth=03|sex=F=100",
        "1002@eth=03|sex=M=95",
        "1003@eth=03|sex=F=120",
        "1003@sex=M|eth=03=100",
        "1004=12,5",
        "2001@area=CAO=3",
        "2002=có",
    )
    assert doc["saved"] == 8
    codes = {e["code"] for e in doc["errors"]}
    assert {"K1", "K2"} <= codes
    k2 = next(e for e in doc["errors"] if e["code"] == "K2")
    assert k2["option"] == "eth=03" and "Thái" in k2["message_vi"]
    # The warning K3 (more than 12 people per household) holds with 195 people for 40 households: no.
    assert not any(w["code"] == "K3" for w in doc["warnings"])

    # Finalize is blocked with the messages, exit 1, nothing queued.
    proc = run(d, *u, "finalize", "--form", "LC-N", "--period", "2026", check=1)
    assert "K2" in proc.stderr and "Chưa chốt được" in proc.stderr
    assert run_json(d, "status")["outbox"].get("queued", 0) == 0

    # Fix, see the state, finalize, see it queued.
    run_json(d, *u, "values", "set", "--form", "LC-N", "--period", "2026", "1003@eth=03|sex=F=80")
    show = run_json(d, *u, "values", "show", "--form", "LC-N", "--period", "2026")
    assert show["errors"] == []
    cells = {(c["code"], c["disagg"]): c for c in show["cells"]}
    assert cells[("1004", "")]["value"] == "12.5" and cells[("1004", "")]["display"] == "12,5"
    assert cells[("2002", "")]["value"] == "1"
    assert cells[("1003", "eth=03|sex=M")]["value"] == "100"  # the key was normalised (sorted dimensions)
    fin = run_json(d, *u, "finalize", "--form", "LC-N", "--period", "2026")
    assert fin["finalized"] is True and fin["revision_no"] == 1 and fin["supersedes"] is None
    status = run_json(d, "status")
    assert status["outbox"]["queued"] == 1
    assert Path(status["database"]).is_file() and Path(status["data_dir"]) == d.resolve()
    assert status["catalog"]["catalog_id"] == "lc-2026"

    # Finalizing again with nothing changed: nothing to do (exit 3). Editing makes revision 2 that
    # supersedes the still-queued revision 1.
    run(d, *u, "finalize", "--form", "LC-N", "--period", "2026", check=3)
    run_json(d, *u, "values", "set", "--form", "LC-N", "--period", "2026", "1001=41")
    fin2 = run_json(d, *u, "finalize", "--form", "LC-N", "--period", "2026")
    assert fin2["revision_no"] == 2 and fin2["supersedes"] == fin["submission_id"]
    status = run_json(d, "status")
    assert status["outbox"]["queued"] == 1 and status["outbox"]["superseded"] == 1


def test_warnings_are_listed_and_recorded(profile: Path):
    d, u = profile, ["--unit", UNIT]
    run_json(d, *u, "values", "set", "--form", "LC-T", "--period", "202603", "1001=2", "1002@eth=02|sex=F=30")
    fin = run_json(d, *u, "finalize", "--form", "LC-T", "--period", "202603")
    assert fin["finalized"] is True
    assert [w["code"] for w in fin["warnings"]] == ["K3"]


@pytest.mark.parametrize(
    ("args", "needle_vi", "needle_en"),
    [
        (["1001=abc"], "không phải là số", "not a number"),
        (["1001=-5"], "1001", "1001"),
        (["1001=1,5"], "số nguyên", "whole number"),
        (["9999=1"], "không có trong biểu", "is not on form"),
        (["1002=5"], "phân tổ", "broken down"),
        (["1002@eth=77|sex=F=5"], "eth=77", "eth=77"),
        (["1001"], "thiếu dấu", "missing"),
        (["1004=250"], "1004", "1004"),
    ],
)
def test_bad_values_change_nothing(profile: Path, args, needle_vi, needle_en):
    d, u = profile, ["--unit", UNIT]
    run_json(d, *u, "values", "set", "--form", "LC-N", "--period", "2026", "1001=7")
    before = db_digest(d)
    base = [*u, "values", "set", "--form", "LC-N", "--period", "2026", "1001=8", *args]
    vi = run(d, *base, check=1)
    assert needle_vi in vi.stderr and vi.stdout == ""
    en = run(d, *base, lang="en", check=1)
    assert needle_en.lower() in en.stderr.lower()
    assert db_digest(d) == before  # the good 1001=8 in the same command was not saved either


@pytest.mark.parametrize(
    ("args", "needle_vi"),
    [
        (["values", "set", "--form", "LC-N", "--period", "2026Q1", "1001=1"], "2026Q1"),
        (["values", "set", "--form", "XX", "--period", "2026", "1001=1"], "Không có biểu 'XX'"),
        (["values", "set", "--form", "LC-T", "--period", "202613", "1001=1"], "202613"),
        (["--unit", "99999", "values", "set", "--form", "LC-N", "--period", "2026", "1001=1"], "99999"),
        (["--unit", "12", "values", "set", "--form", "LC-N", "--period", "2026", "1001=1"], "5 chữ số"),
    ],
)
def test_bad_identifiers_change_nothing(profile: Path, args, needle_vi):
    before = db_digest(profile)
    extra = [] if "--unit" in args else ["--unit", UNIT]
    proc = run(profile, *extra, *args, check=1)
    assert needle_vi in proc.stderr
    assert db_digest(profile) == before


def test_no_commune_says_what_to_do(profile: Path):
    proc = run(profile, "values", "set", "--form", "LC-N", "--period", "2026", "1001=1", check=1)
    assert "--unit" in proc.stderr and "login" in proc.stderr


def test_bad_catalogue_reports_every_problem_and_loads_nothing(tmp_path: Path, profile: Path):
    bad = write_province_workbook(
        tmp_path / "bad.xlsx",
        edits={
            ("indicators", 2, 7): "abc",  # min of 1001 is not a number
            ("indicators", 3, 2): "ZZ",  # unknown group
            ("rules", 2, 2): "1003 <= 0999",  # a rule naming an unknown code
        },
    )
    before = db_digest(profile)
    proc = run(profile, "catalog", "import", str(bad), check=1)
    assert "3 lỗi" in proc.stderr
    assert "Sheet indicators, dòng 2, cột min" in proc.stderr
    assert "0999" in proc.stderr and "ZZ" in proc.stderr
    en = run(profile, "catalog", "import", str(bad), lang="en", check=1)
    assert "row 2, column min" in en.stderr and "is not a number" in en.stderr
    assert db_digest(profile) == before

    missing = write_province_workbook(tmp_path / "missing.xlsx", drop_sheet="forms")
    proc = run(profile, "catalog", "import", str(missing), check=1)
    assert "forms" in proc.stderr
    fake = tmp_path / "fake.xlsx"
    fake.write_text("this is not a workbook", encoding="utf-8")
    assert run(profile, "catalog", "import", str(fake), check=1).stderr.strip()
    assert db_digest(profile) == before


def test_reimporting_the_same_version_is_nothing_to_do(tmp_path: Path, profile: Path):
    wb = write_province_workbook(tmp_path / "again.xlsx")
    doc = run_json(profile, "catalog", "import", str(wb), check=3)
    assert doc["imported"] is False


def test_the_sample_catalogue_json_imports(tmp_path: Path):
    from importlib import resources

    sample = resources.files("dttsclient.resources") / "catalog" / "sample.json"
    doc = run_json(tmp_path / "s", "catalog", "import", str(sample))
    assert doc["sample"] is True and doc["indicators"] >= 100


def test_usage_errors_exit_2(tmp_path: Path):
    proc = run(tmp_path / "x", "values", "set", "--form", "A", check=2)
    assert "--period" in proc.stderr
    proc = run(tmp_path / "x", "--version", check=0)
    assert "dttsclient" in proc.stdout
