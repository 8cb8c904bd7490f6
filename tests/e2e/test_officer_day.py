"""The officer's day on the real app: real X input under Xvfb + openbox at 1366×768, outcomes read from
outside (``dttsclient … --json``, ``dttshub reports``, window titles and geometry, screenshots).

Each test asserts the behaviour issue #11 asks for; see tests/e2e/README.md for what each covers.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.harness import (
    CRASH_TITLE,
    MAIN_TITLE,
    MAIN_TITLE_VI,
    OFFICER,
    PASSWORD,
    SCREEN,
    AppProcess,
    record_figure,
    wait_for,
)
from tests.e2e.journeys import (
    BM01_VALUES,
    FILE_LOGOUT,
    FILE_QUIT,
    FILE_SETTINGS,
    FILE_SWITCH_PROFILE,
    SETTINGS_SAVE,
    STOP_BUTTON,
    USB_BACKUP,
    USB_COURIER,
    USB_EXPORT_PDF,
    USB_IMPORT_XLSX,
    add_ethnic_group,
    choose_in_file_dialog,
    click_sync,
    dismiss_message,
    fill_bm01,
    finalize,
    jump_to,
    last_sync_id,
    menu,
    open_first_form,
    sign_in_dialog,
    start_app,
)

pytestmark = pytest.mark.timeout(150)


def test_first_start_and_sign_in(x, hub, app):
    """A new PC: the wizard (language, server, account) by keyboard, then the main window, signed in."""
    app.start()
    wizard = x.wait_window("^Cài đặt ban đầu", 30)
    x.activate(wizard)
    x.screenshot("wizard-language")
    x.key("Return")  # Tiếng Việt → Tiếp theo
    time.sleep(0.5)
    x.key("Tab")  # from "Đăng nhập qua mạng" to the server address
    x.type(hub.url)
    x.key("Tab")
    x.type(OFFICER)
    x.key("Tab")
    x.type(PASSWORD)
    x.screenshot("wizard-account")
    x.key("Return")  # Tiếp theo: sign in and download
    wait_for("the wizard's last page", lambda: app.status()["catalog"], 30)
    time.sleep(0.5)
    x.screenshot("wizard-done")
    x.key("Return")  # Hoàn tất
    win = app.main_window()
    x.screenshot("main-window")
    status = app.status()
    assert status["profile"]["username"] == OFFICER
    assert status["profile"]["unit"] == "01849"
    assert status["profile"]["server_url"] == hub.url
    assert status["catalog"]["catalog_id"] == "test-dtts"
    assert win.name == MAIN_TITLE_VI
    app.assert_no_crash("after the first start")
    x.activate(win)
    menu(x, "t", FILE_QUIT)  # Tệp → Thoát
    assert app.wait_exit(5) <= 5


def test_main_window_fits_the_screen(x, hub, app):
    """Issue #11 item 7: on a 1366×768 screen the whole window, status bar included, is on the screen."""
    app.sign_in_by_cli(hub)
    win = start_app(x, app)
    x.screenshot("main-window")
    gx, gy, w, h = x.geometry(win)
    left, right, top, bottom = x.frame_extents(win)
    assert gx - left >= 0 and gy - top >= 0, (gx, gy, left, top)
    assert gx + w + right <= SCREEN[0], f"the window's right edge is off the screen: {(gx, w, right)}"
    assert gy + h + bottom <= SCREEN[1], (
        f"the window's bottom (status bar) is off the screen: {(gy, h, bottom)}"
    )


def test_enter_values_with_modifier_keys(x, hub, app):
    """Issue #11 item 1: type 2, then Shift / Ctrl+A / Shift+Tab / Ctrl+V while the cell is being edited:
    no crash dialog, no keystroke lost, every value stored."""
    app.sign_in_by_cli(hub)
    win = start_app(x, app)
    form, period = open_first_form(x, app, win)
    assert form == "BM01"
    x.screenshot("form-open")

    jump_to(x, "0102")
    x.type("2")
    x.key("shift")  # a bare modifier while editing
    x.type("5")
    x.key("Return")
    app.assert_no_crash("after 2, Shift, 5")
    x.screenshot("after-shift")
    assert app.values(form, period).get(("0102", "")) == "25", "the keys typed after Shift were lost"

    jump_to(x, "0103")
    x.type("2")
    x.key("ctrl+a")
    x.type("3")
    x.key("Return")
    app.assert_no_crash("after 2, Ctrl+A, 3")
    # Ctrl+A selects the editor's text (then 3 replaces it), or does nothing (then 23)
    assert app.values(form, period).get(("0103", "")) in ("3", "23")

    jump_to(x, "0201")
    x.type("2")
    x.key("shift+Tab")
    app.assert_no_crash("after 2, Shift+Tab")
    time.sleep(0.3)
    assert app.values(form, period).get(("0201", "")) == "2", "Shift+Tab did not keep the value typed"

    x.set_clipboard("7")
    jump_to(x, "0102")
    x.type("2")
    x.key("ctrl+v")
    x.key("Return")
    app.assert_no_crash("after 2, Ctrl+V")
    x.screenshot("after-ctrl-v")
    # pasted into the text being typed (27) or into the cell (7)
    assert app.values(form, period).get(("0102", "")) in ("27", "7")

    jump_to(x, "0103")
    for combo in ("ctrl", "alt", "super", "shift+ctrl", "ctrl+shift+Tab", "ctrl+Home", "shift+End"):
        x.type("4")
        x.key(combo)
        app.assert_no_crash(f"after 4, {combo}")
    x.key("Escape")
    assert app.alive


def test_finalize_sync_and_see_the_report_on_the_hub(x, hub, app):
    """Enter a whole form (Vietnamese names typed and pasted), finalize, sync: the hub holds the report."""
    app.sign_in_by_cli(hub)
    win = start_app(x, app)
    form, period = open_first_form(x, app, win)
    fill_bm01(x, app, form, period)
    add_ethnic_group(x, "Nùng", paste=True)  # Vietnamese text through the clipboard
    x.type("30")  # the cursor is on the new row's first cell
    x.key("Tab")
    x.type("31")
    x.key("Return")
    x.screenshot("form-filled")
    values = app.values(form, period)
    for key, value in BM01_VALUES.items():
        assert values.get(key) == value, (key, values)
    nung = {d: v for (c, d), v in values.items() if c == "0101" and not d.startswith("eth=02|")}
    assert sorted(nung.values()) == ["30", "31"], values
    finalize(x, app, win, form, period)
    assert app.status()["outbox"]["queued"] == 1
    click_sync(x, win)
    rows = wait_for(
        "the report on the hub",
        lambda: [r for r in hub.reports() if (r["form"], r["period"]) == (form, period)],
        30,
    )
    assert rows[0]["unit"] == "01849"
    wait_for(  # accepted, or accepted as late (the first form of the list may be past its deadline)
        "the receipt on the PC", lambda: (o := app.status()["outbox"])["accepted"] + o["late"] == 1, 15
    )
    x.screenshot("synced")
    app.assert_no_crash("after the sync")


@pytest.mark.parametrize("when", ["before-sync", "mid-sync"])
def test_hub_gone_is_said_plainly_within_20s(x, hub, app, when):
    """Issue #11 item 4: the hub goes away (killed before Đồng bộ, or while a sync waits for it): the sync
    ends with a plain message within 20 s, the report stays queued, the window stays readable; then
    Tệp → Thoát ends the process within 2 s."""
    app.sign_in_by_cli(hub)
    win = start_app(x, app)
    form, period = open_first_form(x, app, win)
    fill_bm01(x, app, form, period)
    finalize(x, app, win, form, period)
    before = last_sync_id(app)
    if when == "before-sync":
        hub.kill()
        click_sync(x, win)
    else:
        hub.freeze()  # the sync's first request waits …
        click_sync(x, win)
        time.sleep(1.5)
        hub.kill()  # … and the hub goes away under it
    t0 = time.monotonic()
    time.sleep(2)
    x.screenshot("sync-against-a-dead-hub")
    try:
        wait_for("the sync to end with a message", lambda: last_sync_id(app) > before, 20, interval=0.25)
    finally:
        x.screenshot("after-20s")
    elapsed = time.monotonic() - t0
    record_figure(f"hub gone ({when}) → the sync ends with a message", elapsed)
    _id, error = app.last_sync_run()
    assert error, "the sync run ended without an error against a dead hub"
    assert app.status()["outbox"]["queued"] == 1, "the finalized report must stay in the outbox"
    assert app.alive and x.windows("^" + re.escape(MAIN_TITLE_VI) + "$")
    app.assert_no_crash(f"after the hub went away ({elapsed:.1f} s)")
    x.activate(win)
    menu(x, "t", FILE_QUIT)
    assert app.wait_exit(2.0) <= 2.0


def test_logout_then_sync_opens_the_sign_in_dialog(x, hub, app):
    """Issue #11 item 3: Tệp → Đăng xuất, then Đồng bộ opens "Đăng nhập"; after the password, sync works."""
    app.sign_in_by_cli(hub)
    win = start_app(x, app)
    menu(x, "t", FILE_LOGOUT)
    wait_for("the sign-out (the token gone from the keyring)", lambda: not app.keyring_entries(), 5)
    time.sleep(0.5)
    x.screenshot("signed-out")
    app.assert_no_crash("after Đăng xuất")
    click_sync(x, win)
    time.sleep(1)
    x.screenshot("sync-while-signed-out")
    sign_in_dialog(x, app, hub.url)
    before = last_sync_id(app)
    x.activate(app.main_window())
    click_sync(x, win)
    wait_for("a sync after signing in again", lambda: last_sync_id(app) > before, 20)
    last = app.status()["last_sync"]
    assert last["summary"]["error"] is None, last
    assert app.status()["profile"]["username"] == OFFICER
    app.assert_no_crash("after signing in again")


def test_new_profile_then_cancel_keeps_the_app_open(x, hub, app):
    """Issue #11 item 2: Tệp → Đổi hồ sơ → Hồ sơ mới → a name → OK → Huỷ in the wizard: back where the
    officer was; the app is still running."""
    app.sign_in_by_cli(hub)
    start_app(x, app)
    menu(x, "t", FILE_SWITCH_PROFILE)
    picker = x.wait_window("^Chọn hồ sơ$", 5)
    x.activate(picker)
    x.screenshot("profile-picker")
    x.key("Tab")  # from the list to the buttons: Mở, Hồ sơ mới…, Thoát
    x.key("Tab")
    x.key("space")
    name = x.wait_window("^Hồ sơ mới$", 5)
    x.activate(name)
    x.type("Cán bộ Thử")
    x.key("Return")
    wizard = x.wait_window("^Cài đặt ban đầu", 15)
    x.activate(wizard)
    x.screenshot("wizard-of-the-new-profile")
    x.key("Escape")  # Huỷ
    time.sleep(3)
    x.screenshot("after-cancel")
    assert app.alive, f"the app closed (exit code {app.proc.returncode if app.proc else '?'})"
    assert x.windows("^" + re.escape(MAIN_TITLE_VI) + "$"), "the main window is gone"
    app.assert_no_crash("after cancelling the new profile's wizard")


def test_language_switch_keeps_the_window_and_the_open_form(x, hub, app):
    """Issue #11 item 7: maximized, a form open; Cài đặt → English → Lưu: still maximized, same size, the
    form still open (the next keys go into it)."""
    app.sign_in_by_cli(hub)
    win = start_app(x, app)
    form, period = open_first_form(x, app, win)
    x.click(win, 300, -8, double=True)  # double-click the title bar: openbox maximizes
    wait_for("the window to be maximized", lambda: "MAXIMIZED_HORZ" in x.net_wm_state(win), 5)
    time.sleep(0.5)
    before = x.geometry(win)
    x.screenshot("maximized-with-form")
    menu(x, "t", FILE_SETTINGS)
    settings = x.wait_window("^Cài đặt$", 5)
    x.activate(settings)
    x.key("Down")  # the language box has the focus: Tiếng Việt → English
    x.screenshot("settings-english")
    x.click(settings, *SETTINGS_SAVE, right_anchor=True, bottom_anchor=True)  # Lưu
    english = wait_for(
        "the window in English",
        lambda: [w for w in x.windows("^DTTS") if w.name != MAIN_TITLE_VI and "Settings" not in w.name],
        10,
    )[0]
    time.sleep(1)
    x.screenshot("after-switch")
    problems = []  # both halves are checked, then reported together
    if "MAXIMIZED_HORZ" not in x.net_wm_state(english):
        problems.append("the window is no longer maximized")
    if x.geometry(english) != before:
        problems.append(f"the window moved or changed size: {before} → {x.geometry(english)}")
    x.activate(english)
    x.type("42")
    x.key("Return")
    time.sleep(0.5)
    x.screenshot("typed-42-after-switch")
    if "42" not in app.values(form, period).values():
        problems.append("the open form was closed by the language switch (42 typed after it went nowhere)")
    app.assert_no_crash("after the language switch")
    assert not problems, "; ".join(problems)


def test_excel_import_of_another_form_asks_and_cancel_changes_nothing(x, hub, app):
    """Issue #11 item 6: importing BM02's workbook into BM01 asks a question whose default is No; Enter
    (the default) changes nothing."""
    app.sign_in_by_cli(hub)
    app.cli("values", "set", "--form", "BM02", "--period", "2026Q4", "0102=9", "0103=3")
    workbook = app.workdir / "BM02.xlsx"
    app.cli("export", "--form", "BM02", "--period", "2026Q4", "xlsx", str(workbook))
    win = start_app(x, app)
    form, period = open_first_form(x, app, win)
    jump_to(x, "0102")
    x.type("5")
    x.key("Return")
    wait_for("0102 stored", lambda: app.values(form, period).get(("0102", "")) == "5", 10)
    before = app.report_doc(form, period)
    menu(x, "u", USB_IMPORT_XLSX)
    chooser = x.wait_window("^Chọn tệp Excel$", 5)
    x.activate(chooser)
    x.type(str(workbook))
    x.key("Return")
    question = wait_for(
        "the question about the other form",
        lambda: [
            w
            for w in x.windows(".")
            if w.name not in (MAIN_TITLE_VI, "Chọn tệp Excel") and not w.name.startswith("Qt ")
        ],
        15,
    )[0]
    x.screenshot("question")
    x.activate(question)
    x.key("Return")  # the default answer
    time.sleep(1.5)
    x.screenshot("after-enter")
    after = app.report_doc(form, period)
    assert after["cells"] == before["cells"], "Enter imported the other form's values (Yes was the default)"
    assert after["report"]["state"] == before["report"]["state"]
    app.assert_no_crash("after the import question")


def test_closing_the_app_during_a_sync_ends_it_within_2s(x, hub, app):
    """Issue #11 item 4: the hub hangs mid-sync; the officer closes the window (Alt+F4): the process is
    gone within 2 s and the report is still in the outbox."""
    app.sign_in_by_cli(hub)
    win = start_app(x, app)
    form, period = open_first_form(x, app, win)
    fill_bm01(x, app, form, period)
    finalize(x, app, win, form, period)
    hub.freeze()
    click_sync(x, win)
    time.sleep(1.5)
    x.screenshot("sync-against-a-hung-hub")
    x.activate(win)
    x.key("alt+F4")
    t0 = time.monotonic()
    try:
        took = app.wait_exit(2.0)
    finally:
        x.screenshot("after-alt-f4")
        if app.alive:
            record_figure("Alt+F4 during a sync (hub hung) → process gone: still running after", 2.0)
        else:
            record_figure("Alt+F4 during a sync (hub hung) → process gone", time.monotonic() - t0)
    assert took <= 2.0
    assert not x.windows(re.escape(CRASH_TITLE))
    outbox = app.status()["outbox"]
    assert outbox["queued"] + outbox["sending"] == 1, outbox


def test_stop_button_stops_the_sync_within_1s(x, hub, app):
    """Issue #11 item 4: the hub hangs mid-sync; Dừng ends the sync within 1 s (the report stays queued)."""
    app.sign_in_by_cli(hub)
    win = start_app(x, app)
    form, period = open_first_form(x, app, win)
    fill_bm01(x, app, form, period)
    finalize(x, app, win, form, period)
    before = last_sync_id(app)
    hub.freeze()
    click_sync(x, win)
    time.sleep(2)  # the sync waits for the hub
    x.screenshot("sync-against-a-hung-hub")
    assert last_sync_id(app) == before, "the sync ended by itself against a hung hub"
    t0 = time.monotonic()
    x.click(win, *STOP_BUTTON, right_anchor=True)
    try:
        wait_for("the sync to stop", lambda: last_sync_id(app) > before, 5, interval=0.05)
    finally:
        x.screenshot("after-dung")
    took = time.monotonic() - t0
    record_figure("Dừng → the sync stopped", took)
    assert took <= 1.5, f"Dừng took {took:.1f} s (goal 1 s)"
    assert app.status()["outbox"]["queued"] == 1
    app.assert_no_crash("after Dừng")


def test_second_window_on_the_same_profile_is_refused(x, hub, app, procs, artifacts):
    """Issue #11 item 2: a second app on the same profile says so (or exits); never two main windows."""
    app.sign_in_by_cli(hub)
    start_app(x, app)
    second = AppProcess(procs, x, app.workdir, artifacts / "second")
    second.start()
    deadline = time.monotonic() + 20
    answered = False
    while second.alive and time.monotonic() < deadline:
        mains = x.windows("^" + re.escape(MAIN_TITLE))
        if len(mains) > 1:
            x.screenshot("two-main-windows")
            pytest.fail("the second app opened a second main window on the same profile")
        others = [w for w in x.windows(".") if not w.name.startswith(MAIN_TITLE)]
        if others and not answered:
            x.screenshot("second-app-says")
            x.activate(others[0])
            x.key("Return")
            answered = True
        time.sleep(0.3)
    assert not second.alive, "the second app is still running"
    assert app.alive, "the first app closed"
    app.assert_no_crash("after the second app")


def test_f1_opens_the_user_guide(x, hub, app):
    """Issue #11 item 14: F1 opens the in-app user guide (a window of its own)."""
    app.sign_in_by_cli(hub)
    start_app(x, app)
    x.key("F1")
    try:
        wait_for("a help window", lambda: [w for w in x.windows(".") if not w.name.startswith(MAIN_TITLE)], 8)
    finally:
        x.screenshot("after-f1")
    app.assert_no_crash("after F1")


def test_ethnic_picker_space_ticks_and_typing_searches_again(x, hub, app):
    """Issue #11 item 10: in "Thêm dân tộc", as its hint says: type Tày, Space (tick), Ctrl+A and type Nùng
    (a new search), Space, Enter: both rows are added."""
    app.sign_in_by_cli(hub)
    win = start_app(x, app)
    form, period = open_first_form(x, app, win)
    x.key("ctrl+d")
    picker = x.wait_window("^Thêm dân tộc$", 5)
    x.activate(picker)
    x.type("Tày")
    x.key("space")
    x.key("ctrl+a")
    x.type("Nùng")
    x.key("space")
    x.screenshot("two-ticked")
    x.key("Return")
    x.wait_no_window("^Thêm dân tộc$", 5)
    time.sleep(0.3)
    x.screenshot("rows-added")
    assert app.eth_rows(form, period) == ["02", "07"]  # Tày, Nùng
    app.assert_no_crash("after the ethnic picker")


def test_go_to_indicator_enter_goes_to_the_highlighted_one(x, hub, app):
    """Issue #11 item 5: Ctrl+G, Down, Down, Enter goes to the highlighted indicator — the second of the
    list (0101, 0102, …), so the next value typed lands in 0102."""
    app.sign_in_by_cli(hub)
    win = start_app(x, app)
    form, period = open_first_form(x, app, win)
    add_ethnic_group(x, "Tày")
    jump_to(x, "0201")  # start away from the target
    x.key("ctrl+g")
    time.sleep(0.3)
    x.key("Down")
    time.sleep(0.2)
    x.key("Down")
    time.sleep(0.2)
    x.screenshot("highlighted")
    x.key("Return")
    time.sleep(0.3)
    x.type("77")
    x.key("Return")
    time.sleep(0.3)
    x.screenshot("typed-77")
    values = app.values(form, period)
    assert values.get(("0102", "")) == "77", f"77 landed elsewhere: {values}"
    app.assert_no_crash("after Ctrl+G")


def test_paste_a_block_from_the_clipboard(x, hub, app):
    """Paste two cells copied from a spreadsheet (tab-separated) into the Tày row: both are stored."""
    app.sign_in_by_cli(hub)
    win = start_app(x, app)
    form, period = open_first_form(x, app, win)
    add_ethnic_group(x, "Tày")  # the cursor is on Tày · Nam
    x.set_clipboard("120\t115\n")
    x.key("ctrl+v")
    want = {("0101", "eth=02|sex=M"): "120", ("0101", "eth=02|sex=F"): "115"}

    def pasted() -> dict:
        return {k: v for k, v in app.values(form, period).items() if k[0] == "0101"}

    try:
        wait_for("the pasted cells", lambda: pasted() == want, 10)
    except AssertionError:
        x.screenshot("not-pasted")
        raise AssertionError(f"after Ctrl+V: {pasted()} (clipboard: {x.get_clipboard()!r})") from None
    x.screenshot("pasted")
    app.assert_no_crash("after the paste")


def test_courier_bundle_when_the_hub_is_gone(x, hub, app, tmp_path):
    """No connection: USB → Xuất gói chuyển tay writes a bundle to the USB folder; the hub imports it."""
    app.sign_in_by_cli(hub)
    win = start_app(x, app)
    form, period = open_first_form(x, app, win)
    fill_bm01(x, app, form, period)
    finalize(x, app, win, form, period)
    hub.kill()
    usb = tmp_path / "usb"
    usb.mkdir()
    menu(x, "u", USB_COURIER)
    choose_in_file_dialog(x, "^Chọn ổ USB", str(usb))
    dismiss_message(x)
    bundle = wait_for("the bundle on the USB", lambda: sorted(usb.glob("*.dttsgoi")), 10)[0]
    hub.cli("courier", "import", str(bundle))
    rows = [r for r in hub.reports() if (r["form"], r["period"]) == (form, period)]
    assert rows and rows[0]["unit"] == "01849", hub.reports()
    app.assert_no_crash("after the courier bundle")


def test_backup_to_usb_and_print_to_pdf(x, hub, app, tmp_path):
    """USB → Sao lưu ra USB… writes a checked backup; USB → Xuất … PDF writes the form for printing."""
    app.sign_in_by_cli(hub)
    win = start_app(x, app)
    form, period = open_first_form(x, app, win)
    fill_bm01(x, app, form, period)
    usb = tmp_path / "usb"
    usb.mkdir()
    menu(x, "u", USB_BACKUP)
    choose_in_file_dialog(x, "^Chọn ổ USB", str(usb))
    dismiss_message(x, timeout=30)
    assert sorted(usb.glob("*.dttsbak")), sorted(usb.iterdir())
    pdf = usb / "BM01-in.pdf"
    x.activate(win)
    menu(x, "u", USB_EXPORT_PDF)
    choose_in_file_dialog(x, "^Lưu báo cáo$", str(pdf))
    dismiss_message(x, timeout=30)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    app.assert_no_crash("after the backup and the PDF")


def test_demo_starts_and_quits_cleanly(x, app):
    """``dttsclient --demo``: the main window with its embedded hub; Tệp → Thoát removes the demo's folder."""
    app.start("--demo")
    win = app.main_window(60)
    x.activate(win)
    assert list(app.tmpdir.glob("dttsclient-demo-*")), "the demo made no temporary folder under TMPDIR"
    time.sleep(0.5)
    x.screenshot("demo")
    menu(x, "t", FILE_QUIT)
    app.wait_exit(5)
    assert not list(app.tmpdir.glob("dttsclient-demo-*"))


def test_demo_new_profile_cancel_then_quit_leaves_nothing_behind(x, app):
    """Issue #11 item 2, as reported: ``dttsclient --demo``, Tệp → Đổi hồ sơ → Hồ sơ mới → a name → Huỷ in
    the wizard: the app stays; Tệp → Thoát then ends it and removes the demo's temporary folder."""
    app.start("--demo")
    win = app.main_window(60)
    x.activate(win)
    assert list(app.tmpdir.glob("dttsclient-demo-*")), "the demo made no temporary folder under TMPDIR"
    time.sleep(0.5)
    x.screenshot("demo")
    menu(x, "t", FILE_SWITCH_PROFILE)
    picker = x.wait_window("^Chọn hồ sơ$", 5)
    x.activate(picker)
    x.key("Tab")
    x.key("Tab")
    x.key("space")  # Hồ sơ mới…
    name = x.wait_window("^Hồ sơ mới$", 5)
    x.activate(name)
    x.type("Tập huấn")
    x.key("Return")
    wizard = x.wait_window("^Cài đặt ban đầu", 15)
    x.activate(wizard)
    x.key("Escape")
    time.sleep(3)
    x.screenshot("after-cancel")
    problems = []
    if not app.alive:
        problems.append(f"the app closed when the wizard was cancelled (exit code {app.proc.returncode})")
    else:
        app.assert_no_crash("after cancelling the wizard in the demo")
        x.activate(app.main_window())
        menu(x, "t", FILE_QUIT)
        app.wait_exit(5)
    left = sorted(p.name for p in app.tmpdir.glob("dttsclient-demo-*"))
    if left:
        problems.append(f"the demo's temporary folder was left behind: {left}")
    assert not problems, "; ".join(problems)
