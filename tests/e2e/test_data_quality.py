"""Data quality at entry on the real app (issue 16): a value that doubled since last year is a warning
beside the cell, the officer gives a reason at finalize, and the reason goes with the submission.

Last year's report is made on another PC (the command line on a second profile) and reaches this new
PC through the hub when it signs in (its first sync). Outcomes are read from outside:
``dttsclient --json values show`` (the warning), the profile's submission document (the reason), and
``dttshub --json reports``.
"""

from __future__ import annotations

import json
import time
from datetime import date

from tests.e2e.harness import AppProcess, wait_for
from tests.e2e.journeys import (
    BM01_VALUES,
    FINALIZE_BUTTON,
    click_sync,
    fill_bm01,
    jump_to,
    last_sync_id,
    open_first_form,
    start_app,
)

REASON = "Thêm 40 hộ tái định cư"


def test_a_value_doubled_since_last_year_is_flagged_and_its_reason_is_sent(
    x, hub, app, procs, tmp_path, artifacts
):
    # The form the app opens first is the annual BM01 of the year that is due: last calendar year.
    period = str(date.today().year - 1)
    last_year = str(int(period) - 1)

    # Another PC of the commune sent the report of the year before: 40 households (0102).
    other = AppProcess(procs, x, tmp_path / "old-pc", artifacts)
    other.sign_in_by_cli(hub)
    last = {**BM01_VALUES, ("0102", ""): "40"}
    other.cli(
        "values",
        "set",
        "--form",
        "BM01",
        "--period",
        last_year,
        *[
            f"{code}@{disagg}={value}" if disagg else f"{code}={value}"
            for (code, disagg), value in last.items()
        ],
    )
    other.cli("finalize", "--form", "BM01", "--period", last_year)
    other.cli("sync")
    assert any(r["period"] == last_year for r in hub.reports())

    # This PC is new: signing in (its first sync) brings that report down.
    app.sign_in_by_cli(hub)
    assert app.values("BM01", last_year).get(("0102", "")) == "40"
    win = start_app(x, app)
    form, opened = open_first_form(x, app, win)
    assert (form, opened) == ("BM01", period)
    x.screenshot("form-opened")

    # Type this year's figures: 80 households, twice last year's.
    fill_bm01(x, app, form, period)
    assert app.values(form, period)[("0102", "")] == "80"

    def swing_shown() -> dict | None:
        doc = app.report_doc(form, period)
        return doc if any(w["code"] == "swing" for w in doc["warnings"]) else None

    doc = wait_for("the swing warning", swing_shown, 10)
    [swing] = [w for w in doc["warnings"] if w["code"] == "swing"]
    assert swing["indicator"] == "0102" and "80" in swing["message_vi"] and "40" in swing["message_vi"]
    assert "+100%" in swing["message_vi"]
    jump_to(x, "0102")  # the cursor on the cell: the warning and the earlier periods beside it
    time.sleep(0.8)
    x.screenshot("swing-warning-beside-the-cell")

    # Finalize: the dialog asks a reason for the warning (its field has the focus), Enter sends it.
    x.click(win, *FINALIZE_BUTTON, right_anchor=True)
    dialog = x.wait_window("^Chốt báo cáo$", 5)
    x.activate(dialog)
    time.sleep(0.4)
    x.screenshot("finalize-asks-a-reason")
    x.type(REASON)
    time.sleep(0.3)
    x.screenshot("reason-typed")
    x.key("Return")
    x.wait_no_window("^Chốt báo cáo$", 5)
    wait_for("the report finalized", lambda: app.report_doc(form, period)["outbox"], 10)
    [document] = [
        json.loads(r[0])
        for r in app._query(
            "SELECT s.document FROM submissions s JOIN reports r ON r.id = s.report_id"
            " WHERE r.form = ? AND r.period = ?",
            form,
            period,
        )
    ]
    assert {"rule": "swing", "option": "", "reason": REASON, "indicator": "0102", "disagg": ""} in document[
        "warnings"
    ], document["warnings"]

    # Sent: the hub holds this year's report.
    before = last_sync_id(app)
    click_sync(x, win)
    wait_for("the sync to end", lambda: last_sync_id(app) > before, 30)
    wait_for("this year's report on the hub", lambda: any(r["period"] == period for r in hub.reports()), 15)
    assert app.status()["outbox"]["queued"] == 0
    x.screenshot("sent")
    app.assert_no_crash("after finalize and sync")
