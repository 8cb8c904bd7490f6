"""Steps of the officer's day, as a person does them: keys, clicks, menus — shared by the e2e tests.

Where the app offers no key for a control, the click lands at a fixed place of the main window's client
area (the header rows above the tabs have fixed heights; the buttons on the right sit at a fixed
distance from the window's right edge, whatever its width). Menus are opened with their Alt mnemonic
(``&Tệp`` → Alt+T, ``&USB`` → Alt+U) and walked with Down: Qt opens a menu with its first item
highlighted and skips hidden items and separators.
"""

from __future__ import annotations

import time

from tests.e2e.harness import OFFICER, PASSWORD, AppProcess, Window, XSession, wait_for

# Client-area positions in the main window (see the module docstring).
FIRST_FORM_ROW = (200, 158)  # the first row of "Các biểu của kỳ"
SYNC_BUTTON = (69, 69)  # "Đồng bộ", from the right edge
FINALIZE_BUTTON = (79, 154)  # "Chốt báo cáo…" in the form header, from the right edge
STOP_BUTTON = (60, 134)  # "Dừng" on the Đồng bộ tab while a sync runs, from the right edge
SETTINGS_SAVE = (138, 25)  # "Lưu" in Cài đặt, from the bottom-right corner

# Tệp menu, top to bottom: Đổi hồ sơ…, Đăng xuất, —, Cài đặt…, —, Thoát
FILE_SWITCH_PROFILE, FILE_LOGOUT, FILE_SETTINGS, FILE_QUIT = 0, 1, 2, 3
# USB menu: courier, backup, verify, restore, —, export xlsx, export pdf, import xlsx
USB_COURIER, USB_BACKUP, USB_RESTORE, USB_EXPORT_PDF, USB_IMPORT_XLSX = 0, 1, 3, 5, 6

BM01_VALUES = {
    ("0101", "eth=02|sex=M"): "120",
    ("0101", "eth=02|sex=F"): "115",
    ("0102", ""): "80",
    ("0103", ""): "12",
    ("0201", ""): "96",
}


def start_app(x: XSession, app: AppProcess) -> Window:
    """Start the app on a signed-in profile and wait for the main window, focused."""
    app.start()
    win = app.main_window()
    x.activate(win)
    time.sleep(0.5)  # the first paint, then the connection check queued after it
    return win


def menu(x: XSession, mnemonic: str, index: int) -> None:
    """Open a menu by its Alt mnemonic and choose its ``index``-th item (0: the first)."""
    x.key(f"alt+{mnemonic}")
    time.sleep(0.3)
    if index:
        x.key(*["Down"] * index)
    x.key("Return")


def open_first_form(x: XSession, app: AppProcess, win: Window) -> tuple[str, str]:
    """Double-click the first form of the period; its report's ``(form, period)`` once it exists."""
    before = set(app.reports())
    x.click(win, *FIRST_FORM_ROW, double=True)
    form, period, _state = wait_for(
        "the form to open (its report created)", lambda: next(iter(set(app.reports()) - before), None), 10
    )
    time.sleep(0.5)
    return form, period


def jump_to(x: XSession, code: str) -> None:
    """Ctrl+G, type the indicator's code, Enter: the cursor goes to the indicator's first cell."""
    x.key("ctrl+g")
    time.sleep(0.2)
    x.type(code)
    x.key("Return")
    time.sleep(0.3)


def add_ethnic_group(x: XSession, name: str, *, paste: bool = False) -> None:
    """Ctrl+D, find ``name`` (typed as Vietnamese text, or pasted from the clipboard), Enter."""
    x.key("ctrl+d")
    picker = x.wait_window("^Thêm dân tộc$", 5)
    x.activate(picker)  # the keys go to the dialog only once it has the focus
    if paste:
        x.set_clipboard(name)
        x.key("ctrl+v")
    else:
        x.type(name)
    time.sleep(0.3)
    x.key("Return")
    x.wait_no_window("^Thêm dân tộc$", 5)
    time.sleep(0.3)


def fill_bm01(x: XSession, app: AppProcess, form: str, period: str) -> None:
    """Enter :data:`BM01_VALUES` from the keyboard: the Tày row (name typed in Vietnamese), then the rest."""
    add_ethnic_group(x, "Tày")
    try:
        wait_for("the Tày row", lambda: "02" in app.eth_rows(form, period), 5)
    except AssertionError:  # xdotool's remapped keys can be read late under load: once more, pasted
        x.screenshot("tay-not-added-retry")
        add_ethnic_group(x, "Tày", paste=True)
        wait_for("the Tày row", lambda: "02" in app.eth_rows(form, period), 5)
    # the cursor is on the new row's first cell (Tày · Nam)
    x.type("120")
    x.key("Tab")
    x.type("115")
    x.key("Return")
    for code in ("0102", "0103", "0201"):
        jump_to(x, code)
        x.type(BM01_VALUES[(code, "")])
        x.key("Return")
    time.sleep(0.3)


def finalize(x: XSession, app: AppProcess, win: Window, form: str, period: str) -> None:
    """Click "Chốt báo cáo…", confirm with Enter; wait until the report is in the outbox."""
    x.click(win, *FINALIZE_BUTTON, right_anchor=True)
    dialog = x.wait_window("^Chốt báo cáo$", 5)
    x.screenshot("finalize-dialog")
    x.activate(dialog)
    x.key("Return")
    x.wait_no_window("^Chốt báo cáo$", 5)
    wait_for("the report to be finalized", lambda: app.report_doc(form, period)["outbox"], 10)


def click_sync(x: XSession, win: Window) -> None:
    x.click(win, *SYNC_BUTTON, right_anchor=True)


def last_sync_id(app: AppProcess) -> int:
    """The id of the last recorded sync run (the engine records a run when it ends, even with an error)."""
    return app.last_sync_run()[0]


def sign_in_dialog(x: XSession, app: AppProcess, server: str, password: str = PASSWORD) -> None:
    """The "Đăng nhập" dialog: the fields the profile has forgotten (server address, then username —
    after Đăng xuất the username may be gone), then the password; Enter; wait until it closes."""
    profile = app.status()["profile"]
    dialog = x.wait_window("^Đăng nhập$", 10)
    x.activate(dialog)
    time.sleep(0.3)
    x.screenshot("sign-in-dialog")
    if not profile.get("server_url"):
        x.type(server)
        x.key("Tab")
    if not profile.get("username"):
        x.type(OFFICER)
        x.key("Tab")
    x.type(password)
    x.key("Return")
    x.wait_no_window("^Đăng nhập$", 20)


def choose_in_file_dialog(x: XSession, title: str, path: str) -> None:
    """In the file dialog titled ``title`` (a regular expression), type ``path`` and press Enter (again,
    when a folder dialog went into the folder instead of choosing it)."""
    dialog = x.wait_window(title, 10)
    x.activate(dialog)
    x.type(path)
    x.key("Return")
    time.sleep(1)
    if x.windows(title):
        x.key("Return")
    x.wait_no_window(title, 5)


def dismiss_message(x: XSession, title: str = "^DTTS$", timeout: float = 15) -> Window:
    """Wait for a message box, take its picture, press Enter."""
    box = x.wait_window(title, timeout)
    x.screenshot("message")
    x.activate(box)
    x.key("Return")
    x.wait_no_window(title, 5)
    return box
