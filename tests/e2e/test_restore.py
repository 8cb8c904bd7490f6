"""Restoring a backup from another PC through the USB menu, as the officer does it (real X input).

The other PC (the command line on a second profile of the same commune) typed last year's report and
started this year's from it ("values carry": the copied cell stays marked until confirmed), then wrote
a backup to the stick. On this PC: USB → Khôi phục từ bản sao lưu…, first cancelled (nothing changes),
then the file chosen; the message says what was merged; the values and the mark are read from outside
(``dttsclient --json values show``).
"""

from __future__ import annotations

import json
import time
from datetime import date

from tests.e2e.harness import AppProcess
from tests.e2e.journeys import (
    FIRST_FORM_ROW,
    USB_RESTORE,
    choose_in_file_dialog,
    dismiss_message,
    menu,
    start_app,
)

TITLE = "^Chọn bản sao lưu"


def shown(app: AppProcess, form: str, period: str) -> dict | None:
    """``values show --json`` of the report, or None when the profile has no such report."""
    r = app.cli("--json", "values", "show", "--form", form, "--period", period, check=False)
    doc = json.loads(r.stdout)
    return doc if doc["report"] else None


def test_restore_a_backup_of_another_pc_through_the_usb_menu(x, hub, app, procs, tmp_path, artifacts):
    period = str(date.today().year - 1)  # the annual BM01 that is due
    last_year = str(int(period) - 1)
    other = AppProcess(procs, x, tmp_path / "old-pc", artifacts)
    other.sign_in_by_cli(hub)
    other.cli("values", "set", "--form", "BM01", "--period", last_year, "0102=40", "0103=12")
    other.cli("values", "set", "--form", "BM01", "--period", period, "0201=96")
    other.cli("values", "carry", "--form", "BM01", "--period", period, "--indicator", "0102")
    usb = tmp_path / "usb"
    usb.mkdir()
    backup = usb / "may-cu.dttsbak"
    other.cli("backup", "export", str(backup))

    app.sign_in_by_cli(hub)
    win = start_app(x, app)
    assert shown(app, "BM01", period) is None

    # The file dialog cancelled with Esc: nothing happens, the window goes on.
    menu(x, "u", USB_RESTORE)
    dialog = x.wait_window(TITLE, 10)
    x.activate(dialog)
    x.screenshot("restore-file-dialog")
    x.key("Escape")
    x.wait_no_window(TITLE, 5)
    time.sleep(0.5)
    assert shown(app, "BM01", period) is None and not x.windows("^DTTS$")

    # The file chosen: the merge runs on the profile's lane; the message says what it did.
    x.activate(win)
    menu(x, "u", USB_RESTORE)
    choose_in_file_dialog(x, TITLE, str(backup))
    dismiss_message(x, timeout=30)
    doc = shown(app, "BM01", period)
    assert doc is not None, "the restored report is not in the profile"
    cells = {(c["code"], c["disagg"]): c for c in doc["cells"]}
    assert cells[("0102", "")]["value"] == "40" and cells[("0102", "")]["carried_from"] == last_year
    assert cells[("0201", "")]["value"] == "96" and cells[("0201", "")]["carried_from"] is None
    earlier = shown(app, "BM01", last_year)
    assert earlier is not None and {c["code"]: c["value"] for c in earlier["cells"]} == {
        "0102": "40",
        "0103": "12",
    }
    x.screenshot("after-restore")
    x.click(win, *FIRST_FORM_ROW, double=True)  # the restored draft opens; the copied cell is still marked
    time.sleep(1)
    x.screenshot("restored-form-open")
    app.assert_no_crash("after the restore")
