"""A report keeps its catalogue version wherever it travels (docs/catalogue.md): a new PC after a catalogue change.

Through a real hub on 127.0.0.1 (SQLite, and PostgreSQL when ``DTTS_TEST_POSTGRES_URL`` is set): the
officer's PC A submits a report made with catalogue v1; the admin publishes v2, which removes indicator
0103 and tightens the maximum of 0102; a new PC B logs in and pulls. B's copy must stay a v1 report
(editable, finalizable and accepted by the hub under v1's rules), and B fetches v1 from the hub when it
does not hold it. When the fetch fails, the report is kept with its own version, read-only, with a plain
message, and the rest of the pull goes on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from dttsclient.store import NoCatalog, Store
from dttsclient.sync.login import login
from tests.support.hubfixture import (
    COMMUNE_A,
    DEFAULT_PASSWORD,
    TEST_NOW,
    good_values,
    small_catalog,
    start_hub,
)
from tests.support.syncutil import FAST, REVIEWER, USER, finalize, sync

CATALOG_ID = "test-dtts"
VERSION_FETCH = "catalog_id="  # the target of a fetch of one given catalogue version


def catalog_v2() -> dict:
    """v2 of the small catalogue: indicator 0103 (and its rule R01) removed, 0102 at most 50."""
    doc = small_catalog(version=2)
    doc["indicators"] = [i for i in doc["indicators"] if i["code"] != "0103"]
    for ind in doc["indicators"]:
        if ind["code"] == "0102":
            ind["max"] = "50"
    doc["rules"] = [r for r in doc["rules"] if r["code"] != "R01"]
    for form in doc["forms"]:
        form["indicators"] = {"BM01": "0101-0102, 0201", "BM02": "0102"}[form["code"]]
    return doc


def v2_values() -> dict[tuple[str, str], str]:
    """BM01 values valid under v2 (no 0103, 0102 within the new maximum)."""
    vals = {k: v for k, v in good_values().items() if k[0] != "0103"}
    vals[("0102", "")] = "45"
    return vals


@pytest.fixture
def hub(tmp_path, db_url):
    """A hub with catalogue v1 published, an officer of commune A and a reviewer."""
    running = start_hub(tmp_path, db_url, clock=TEST_NOW)
    try:
        running.publish_catalog()
        running.add_user(USER, "officer", COMMUNE_A)
        running.add_user(REVIEWER, "reviewer", "19")
        yield running
    finally:
        running.stop()


def _pull_warnings(result) -> list:
    """The warnings of a sync about pulled reports (the test hub's clock is off: a clock warning too)."""
    return [w for w in result.warnings if w.code.startswith("pull_")]


def _pc(tmp_path, name: str, proxy, creds) -> Store:
    store = Store.open(tmp_path / name)
    try:
        result = login(store, proxy.url, USER, DEFAULT_PASSWORD, creds, name, config=FAST)
    except BaseException:
        store.close()
        raise
    assert result.pull_error is None, result.pull_error
    store.login_result = result  # type: ignore[attr-defined]  # for the test's checks
    return store


def _hub_report(hub, period: str):
    from dttshub import db as t

    with hub.hub.db.read() as conn:
        return conn.execute(
            sa.select(t.reports).where(
                t.reports.c.unit == COMMUNE_A, t.reports.c.form == "BM01", t.reports.c.period == period
            )
        ).first()


def _pc_a_submits_v1_then_v2_is_published(tmp_path, hub, proxy, creds) -> None:
    with _pc(tmp_path, "pc-a", proxy, creds) as a:
        finalize(a)  # BM01 2026 with catalogue v1
        assert sync(a, creds).accepted == 1
    hub.publish_catalog(catalog_v2())


def test_a_new_pc_keeps_the_version_a_pulled_report_was_made_with(tmp_path, hub, proxy, creds):
    _pc_a_submits_v1_then_v2_is_published(tmp_path, hub, proxy, creds)

    with _pc(tmp_path, "pc-b", proxy, creds) as b:
        pulled = b.login_result.pull
        assert pulled.pull_actions == {"created": 1} and not _pull_warnings(pulled)
        assert b.catalogs.current_catalog().version == 2  # a new report on B is made with v2 …
        report = b.reports.report(COMMUNE_A, "BM01", "2026")
        assert (report.catalog_id, report.catalog_version) == (CATALOG_ID, 1)  # … a pulled one keeps v1
        assert b.reports.cells(report.id) == good_values()
        assert len(proxy.requests_to(VERSION_FETCH)) == 1  # v1 was fetched from the hub, once
        assert b.catalogs.catalog_version(CATALOG_ID, 1).has_indicator("0103")

        # Edit v1 values (0103 is gone in v2; 0102 = 85 is above v2's maximum), finalize, send.
        b.reports.set_cells(report.id, [("0103", "", "15"), ("0102", "", "85")], USER)
        assert [p for p in b.reports.check(report.id) if p.is_error] == []
        sub = b.outbox.finalize(report.id, USER)
        assert sub.document["catalog_version"] == 1
        sent = sync(b, creds)
        assert sent.accepted == 1 and not sent.rejected and not sent.conflicts
        assert len(proxy.requests_to(VERSION_FETCH)) == 1  # held now: not fetched again

        # A new report on B still uses the current catalogue.
        fresh = b.reports.report(COMMUNE_A, "BM01", "2027", create=True)
        assert fresh.catalog_version == 2

    stored = _hub_report(hub, "2026")
    assert stored.server_revision == 2 and stored.catalog_version == 1
    cells = {(c["code"], c["disagg"]): c["value"] for c in json.loads(stored.values_json)}
    assert cells[("0103", "")] == "15" and cells[("0102", "")] == "85"

    # The command line shows B's copy as a v1 report.
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dttsclient",
            "--data-dir",
            str(tmp_path / "pc-b"),
            "--json",
            "values",
            "show",
            "--form",
            "BM01",
            "--period",
            "2026",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert proc.returncode == 0, proc.stderr
    shown = json.loads(proc.stdout)
    assert shown["report"]["catalog_version"] == 1
    assert {(c["code"], c["disagg"]) for c in shown["cells"]} >= {("0103", ""), ("0102", "")}


def test_offline_for_the_catalogue_fetch_the_report_waits_read_only(tmp_path, hub, proxy, creds):
    _pc_a_submits_v1_then_v2_is_published(tmp_path, hub, proxy, creds)
    with Store.open(tmp_path / "pc-a") as a:  # A takes v2 and makes a v2 report
        assert sync(a, creds).catalog_updated
        assert finalize(a, "2027", v2_values()).catalog_version == 2
        assert sync(a, creds).accepted == 1

    proxy.fault("drop", path=VERSION_FETCH)  # the fetch of v1 never gets through
    with _pc(tmp_path, "pc-b", proxy, creds) as b:
        pulled = b.login_result.pull
        assert pulled.pull_actions == {"created": 2}  # both reports kept: nothing lost, pull not stopped
        warned = _pull_warnings(pulled)
        assert [w.code for w in warned] == ["pull_no_catalog"]
        assert "phiên bản 1" in warned[0].message_vi and "2026" in warned[0].message_vi
        old = b.reports.report(COMMUNE_A, "BM01", "2026")
        new = b.reports.report(COMMUNE_A, "BM01", "2027")
        assert (old.catalog_id, old.catalog_version) == (CATALOG_ID, 1)  # never attached to v2
        assert new.catalog_version == 2 and b.reports.cells(new.id) == v2_values()
        assert b.reports.cells(old.id) == good_values()
        with pytest.raises(NoCatalog) as refused:
            b.reports.set_cell(old.id, "0103", "", "15", USER)
        assert "phiên bản 1" in refused.value.message_vi and "đồng bộ" in refused.value.message_vi
        with pytest.raises(NoCatalog):
            b.reports.check(old.id)  # nor validated against another version
        assert b.reports.cells(old.id) == good_values()

        # The network is back: the next sync fetches v1 and the report can be edited and sent.
        proxy.clear()
        healed = sync(b, creds)
        assert not _pull_warnings(healed) and len(proxy.requests_to(VERSION_FETCH)) >= 1
        assert b.catalogs.current_catalog().version == 2
        b.reports.set_cell(old.id, "0103", "", "15", USER)
        b.outbox.finalize(old.id, USER)
        assert sync(b, creds).accepted == 1
    stored = _hub_report(hub, "2026")
    assert stored.server_revision == 2 and stored.catalog_version == 1


def test_a_version_the_hub_does_not_have_is_set_apart_not_attached_to_another(tmp_path, hub, proxy, creds):
    _pc_a_submits_v1_then_v2_is_published(tmp_path, hub, proxy, creds)

    def claim_version_9(body: bytes) -> bytes:
        doc = json.loads(body)
        for item in doc.get("reports", []):
            item["catalog_version"] = 9
        return json.dumps(doc).encode()

    proxy.fault("rewrite", path="changes", rewrite=claim_version_9)
    with _pc(tmp_path, "pc-b", proxy, creds) as b:
        pulled = b.login_result.pull
        assert [w.code for w in _pull_warnings(pulled)] == ["pull_no_catalog"]
        report = b.reports.report(COMMUNE_A, "BM01", "2026")
        assert report.catalog_version == 9 and b.reports.cells(report.id) == good_values()
        # asked once per sync, refused (404), and the sync still ends well
        assert len(proxy.requests_to(VERSION_FETCH)) == 1
        again = sync(b, creds)
        assert again.error is None and [w.code for w in _pull_warnings(again)] == ["pull_no_catalog"]
        assert len(proxy.requests_to(VERSION_FETCH)) == 2


def test_the_hub_checks_a_revision_against_the_version_it_states(hub):
    """After v2, a v1 revision is checked with v1's rules (accepted), the same values stated as v2 with
    v2's (refused), and a version the hub never published is refused; old versions stay fetchable."""
    from tests.support.hubfixture import make_submission

    hub.publish_catalog(catalog_v2())
    officer = hub.session(USER)
    values = {**good_values(), ("0103", ""): "15", ("0102", ""): "85"}

    def send(doc: dict) -> dict:
        r = officer.post(hub.api + "/submissions:batch", json={"submissions": [doc]}, timeout=30)
        assert r.status_code == 200, r.text
        return r.json()["results"][0]

    as_v2 = send(make_submission(values, period="2028", catalog_version=2))
    assert as_v2["status"] == "rejected"
    assert {e["indicator"] for e in as_v2["errors"]} >= {"0103"}
    assert send(make_submission(values, period="2028", catalog_version=3))["status"] == "rejected"
    assert send(make_submission(values, period="2028", catalog_version=1))["status"] == "accepted"
    assert _hub_report(hub, "2028").catalog_version == 1

    old = officer.get(hub.api + "/catalog", params={"catalog_id": CATALOG_ID, "version": "1"}, timeout=30)
    assert old.status_code == 200 and old.json()["version"] == 1
    gone = officer.get(hub.api + "/catalog", params={"catalog_id": CATALOG_ID, "version": "7"}, timeout=30)
    assert gone.status_code == 404
    for bad in ({"catalog_id": CATALOG_ID, "version": "0"}, {"catalog_id": "x" * 65, "version": "1"}):
        assert officer.get(hub.api + "/catalog", params=bad, timeout=30).status_code == 400
