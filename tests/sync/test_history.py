"""Earlier periods beside a cell and swing warnings (issue 16 items 1, 2), from local and pulled reports,
against a real hub: a new PC has its commune's history after its first sync, and the reason for a
swing travels to the hub, where the reviewer sees it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dttsclient.store import Store
from dttsclient.store.errors import ReasonsRequired
from dttsclient.sync.login import login
from dttscore.swing import SWING
from tests.support.hubfixture import COMMUNE_A, DEFAULT_PASSWORD, good_values, make_submission
from tests.support.syncutil import FAST, REVIEWER, USER, finalize, sync


def taken(result) -> int:
    """Submissions the hub took (last year's report is late by the hub's clock, and taken all the same)."""
    return result.accepted + len(result.late)


def test_earlier_periods_of_a_cell_from_the_officers_own_reports(store):
    finalize(store, "2024", {**good_values(), ("0102", ""): "70"})
    finalize(store, "2025", {**good_values(), ("0102", ""): "80"})
    report = store.reports.report(COMMUNE_A, "BM01", "2026", create=True)
    store.reports.set_cell(report.id, "0102", "", "100", USER)
    shown = store.earlier.cell_history(report.id, "0102", "")
    assert [(e.period, e.value, e.has_report) for e in shown] == [("2025", "80", True), ("2024", "70", True)]
    assert [e.change_pct for e in shown] == [Decimal("25.0"), Decimal("42.9")]
    # a cell empty in an earlier period, and a period with no report at all
    other = store.earlier.cell_history(report.id, "0101", "eth=99|sex=F")
    assert [(e.value, e.has_report, e.change_pct) for e in other] == [(None, True, None), (None, True, None)]
    assert store.earlier.cell_history(store.reports.report(COMMUNE_A, "BM01", "2024").id, "0102", "")[0].has_report is False


def test_a_new_pc_has_the_history_after_its_first_sync_and_a_swing_needs_a_reason(
    tmp_path, store, creds, proxy, hub
):
    finalize(store, "2025")  # 0102 = 80 households
    assert taken(sync(store, creds)) == 1
    with Store.open(tmp_path / "new-pc") as fresh:
        login(fresh, proxy.url, USER, DEFAULT_PASSWORD, creds, "PC mới", config=FAST)
        report = fresh.reports.report(COMMUNE_A, "BM01", "2026", create=True)
        fresh.reports.set_eth_rows(report.id, ["02", "08"])
        fresh.reports.set_cells(report.id, [(c, d, v) for (c, d), v in good_values().items()], USER)
        fresh.reports.set_cell(report.id, "0102", "", "160", USER)  # doubled since last year
        [earlier] = [e for e in fresh.earlier.cell_history(report.id, "0102", "") if e.period == "2025"]
        assert (earlier.value, earlier.change_pct) == ("80", Decimal("100.0"))
        [swing] = [p for p in fresh.reports.check(report.id) if p.code == SWING]
        assert swing.is_warning and (swing.indicator, swing.disagg) == ("0102", "")
        assert "160" in swing.message_vi and "80" in swing.message_vi
        with pytest.raises(ReasonsRequired):
            fresh.outbox.finalize(report.id, USER)
        sub = fresh.outbox.finalize(report.id, USER, reasons={"swing": "Thêm 80 hộ tái định cư"})
        assert {"rule": SWING, "option": "", "reason": "Thêm 80 hộ tái định cư", "indicator": "0102",
                "disagg": ""} in sub.document["warnings"]  # fmt: skip
        assert sync(fresh, creds).accepted == 1
    reviewer = hub.session(REVIEWER, DEFAULT_PASSWORD, device_id="province-pc")
    full = reviewer.get(hub.api + f"/reports/{COMMUNE_A}/BM01/2026", timeout=30)
    assert full.status_code == 200, full.text
    [stored] = [w for w in full.json()["warnings"] if w["rule"] == SWING]
    assert stored["reason"] == "Thêm 80 hộ tái định cư" and stored["indicator"] == "0102"
    assert "160" in stored["message_vi"] and "80" in stored["message_vi"]


def test_the_hub_keeps_a_swing_the_pc_could_not_see_with_an_empty_reason(store, creds, hub):
    """A PC without last year's report finds no swing; the hub, which has it, records one for the reviewer
    with an empty reason rather than refusing the submission."""
    finalize(store, "2025")
    assert taken(sync(store, creds)) == 1
    officer = hub.session(USER, DEFAULT_PASSWORD, device_id="courier-pc")
    doc = make_submission({**good_values(), ("0102", ""): "200"}, period="2026")
    reply = officer.post(
        hub.api + "/submissions:batch", json={"device_id": "courier-pc", "submissions": [doc]}, timeout=30
    )
    assert reply.status_code == 200, reply.text
    assert reply.json()["results"][0]["status"] == "accepted", reply.text
    reviewer = hub.session(REVIEWER, DEFAULT_PASSWORD, device_id="province-pc")
    full = reviewer.get(hub.api + f"/reports/{COMMUNE_A}/BM01/2026", timeout=30).json()
    [stored] = [w for w in full["warnings"] if w["rule"] == SWING]
    assert stored["reason"] == "" and stored["indicator"] == "0102" and "+150%" in stored["message_vi"]
