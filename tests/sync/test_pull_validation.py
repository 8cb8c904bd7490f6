"""The client's pull never trusts what it receives: malformed reports (stored by an older hub, or damaged
on the way) are set aside with a plain message, and the rest of the pull goes on — on the PC that sent
them, on a new PC's login, and in ``dttsclient --json sync``."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from dttsclient.store import Store
from dttsclient.sync.login import login
from dttscore.bounds import pulled_report_problem
from dttshub import db as t
from dttshub.db import CHANGE_SEQ
from tests.support.hubfixture import COMMUNE_A, DEFAULT_PASSWORD, good_values
from tests.support.syncutil import FAST, USER, finalize_many, sync

POISON = {
    "2027": {"comments_json": "[1]"},
    "2028": {"comments_json": json.dumps([{"code": "0102", "text": "x" * (5 << 20)}])},
    "2029": {"values_json": json.dumps([{"code": "0102", "disagg": "", "value": 5}])},
}


def poison(hub) -> None:
    """Write malformed reports straight into the hub's database (as a hub without checks stored them),
    each as a new server revision so every PC pulls it."""
    with hub.hub.db.begin() as conn:
        for period, fields in POISON.items():
            seq = hub.hub.db.next_values(conn, [CHANGE_SEQ])[CHANGE_SEQ]
            conn.execute(
                t.reports.update()
                .where(t.reports.c.period == period)
                .values(**fields, change_seq=seq, server_revision=t.reports.c.server_revision + 1)
            )


def test_malformed_pulled_reports_are_set_aside_and_the_rest_applied(tmp_path, store, creds, proxy, hub):
    finalize_many(store, 4)  # 2026 … 2029
    assert sync(store, creds).accepted == 4
    poison(hub)
    result = sync(store, creds)
    assert result.error is None
    assert result.pull_actions == {"set_aside": 3}
    set_aside = [w for w in result.warnings if w.code == "pull_set_aside"]
    assert len(set_aside) == 3
    assert all("Hãy báo cán bộ tỉnh" in w.message_vi and "BM01" in w.message_vi for w in set_aside)
    assert json.dumps(result.summary(), ensure_ascii=False)  # the --json document can still be made
    # the local copies are untouched
    for year in ("2027", "2028", "2029"):
        report = store.reports.report(COMMUNE_A, "BM01", year)
        assert report.server_revision == 1 and store.reports.cells(report.id) == good_values()
    # a new PC logs in, gets the good report and sets the others aside
    with Store.open(tmp_path / "new-pc") as fresh:
        got = login(fresh, proxy.url, USER, DEFAULT_PASSWORD, creds, "PC mới", config=FAST)
        assert got.pull.pull_actions == {"created": 1, "set_aside": 3}
        assert got.pull.pulled == 1
        assert fresh.reports.report(COMMUNE_A, "BM01", "2026") is not None
        assert fresh.reports.report(COMMUNE_A, "BM01", "2027") is None


@pytest.mark.parametrize(
    ("item", "needle"),
    [
        ({"unit": COMMUNE_A, "form": "BM01", "period": "2026", "comments": [1]}, "comments"),
        (
            {"unit": COMMUNE_A, "form": "BM01", "period": "2026", "comments": [{"text": "x" * 4001}]},
            "comments",
        ),
        ({"unit": COMMUNE_A, "form": "BM01", "period": "2026", "server_revision": 2**63}, "server_revision"),
        ({"unit": COMMUNE_A, "form": "BM01", "period": "2026", "server_revision": True}, "server_revision"),
        ({"unit": COMMUNE_A, "form": "BM01", "period": "2026", "catalog_version": 2**64}, "catalog_version"),
        ({"unit": COMMUNE_A, "form": "BM01", "period": "2026", "values": [{"code": "1"}]}, "values"),
        ({"unit": COMMUNE_A, "form": "BM01", "period": "2026", "review": {"comment": "x" * 5000}}, "comment"),
        ({"unit": 1849, "form": "BM01", "period": "2026"}, "unit"),
        ({"form": "BM01", "period": "2026"}, "unit"),
        ([1], "report"),
    ],
)
def test_the_bounds_of_a_pulled_report(item, needle):
    problem = pulled_report_problem(item)
    assert problem is not None and needle in problem[1]


def test_a_well_formed_pulled_report_passes():
    item = {
        "unit": COMMUNE_A,
        "form": "BM01",
        "period": "2026",
        "server_revision": 3,
        "status": "submitted",
        "receipt_no": None,
        "catalog_id": "test-dtts",
        "catalog_version": 1,
        "values": [{"code": "0102", "disagg": "", "value": "12"}],
        "comments": [{"code": "0102", "disagg": "", "text": "ok", "author": "a", "at": "2026-01-01"}],
        "eth_rows": ["02"],
        "review": {"state": None, "comment": None, "by": None, "at": None},
    }
    assert pulled_report_problem(item) is None


def test_json_sync_still_prints_its_document(data_dir, store, creds, hub):
    finalize_many(store, 2)
    sync(store, creds)
    poison(hub)
    pc = data_dir
    proc = subprocess.run(
        [sys.executable, "-m", "dttsclient", "--data-dir", str(pc), "--json", "sync", "--password-stdin"],
        input=DEFAULT_PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["pull_actions"] == {"set_aside": 1}
    assert any(w["code"] == "pull_set_aside" for w in doc["warnings"])
