"""``values show`` reports the same completeness as the app (a real process on a real profile); the keys
it had before stay as they were."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

from dttsclient.store import Store
from dttscore import refdata
from dttscore.catalog import load_catalog

UNIT = "02701"
SHOW = ("values", "show", "--form", "BM03", "--period", "2026Q4")


def _show(data_dir: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dttsclient", "--data-dir", str(data_dir), *extra, *SHOW],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_values_show_reports_completeness(tmp_path: Path):
    data_dir = tmp_path / "p"
    catalog = load_catalog(Path(str(resources.files("dttsclient.resources") / "catalog" / "sample.json")))
    with Store.open(data_dir) as store:
        store.catalogs.import_catalog(catalog)
        store.settings.set_profile(
            unit=UNIT, unit_name=refdata.commune(UNIT).commune_name, lang="vi", username="canbo"
        )
        before = json.loads(_show(data_dir, "--json").stdout)
        rid = store.reports.report(UNIT, "BM03", "2026Q4", create=True).id
        store.reports.set_eth_rows(rid, ["02"])
        store.reports.set_cells(rid, [("0101", "eth=02|sex=M", "12"), ("0104", "", "40")], "canbo")
        expected = store.reports.completeness(rid)
    assert before["completeness"] == {
        "entered": 0,
        "total": 11,
        "missing_required": ["0101", "0102", "0103", "0104"],
        "complete": False,
    }
    proc = _show(data_dir, "--json")
    doc = json.loads(proc.stdout)
    assert {"report", "cells", "outbox", "errors", "warnings"} <= set(doc)  # the keys scripts already use
    assert (
        doc["completeness"]
        == expected.to_json()
        == {
            "entered": 2,
            "total": 11,
            "missing_required": ["0102", "0103"],
            "complete": False,
        }
    )
    # the command line is the on-demand check: missing required values are errors there
    assert {e["indicator"] for e in doc["errors"] if e["code"] == "required"} == {"0102", "0103"}
    text = _show(data_dir).stdout
    assert "Đã nhập 2/11 chỉ tiêu · còn 2 chỉ tiêu bắt buộc chưa nhập (0102, 0103)" in text
