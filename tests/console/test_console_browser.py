"""The province console in a real headless Chromium (Debian's ``chromium``, driven by Playwright's Python API;
never ``playwright install``) against a real hub on 127.0.0.1, with the officer's own client syncing.

The journey of issue 15: a reviewer signs in → the board shows who sent and who did not → opens a report and
returns it with a comment → the officer's client syncs and shows the comment → the officer fixes and resends
→ the reviewer accepts → the totals page equals a sum computed here → the Excel download opens with
openpyxl. Plus: an officer cannot enter, a reviewer of another province sees none of these communes (by URL
too), a form post without its CSRF token is refused, a ``<script>`` comment is shown as text, and the page
raises no script or CSP error. Issue 17 in the console: an admin adds an agency, and the totals page shows
the survey baselines summed over the province.

With ``DTTS_CONSOLE_SCREENSHOTS=<folder>`` the journey saves the README's screenshots (1366x768) there.
"""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from dttsclient.store import Store
from dttsclient.sync.login import login
from tests.support.consoleutil import send
from tests.support.hubfixture import (
    COMMUNE_A,
    COMMUNE_B,
    COMMUNE_Y,
    DEFAULT_PASSWORD,
    TEST_NOW,
    good_values,
    make_submission,
    start_hub,
)
from tests.support.memkeyring import memory_keyring
from tests.support.syncutil import FAST, finalize, sync

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OFFICER = "can_bo"
COMMUNE_C = "01843"  # a third commune of province 19, which sends too
SHOTS = os.environ.get("DTTS_CONSOLE_SCREENSHOTS")

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None, reason="no chromium"),
]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.on("response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status == 404 else None)
    pg.problems = problems
    yield pg
    context.close()


@pytest.fixture
def hub(tmp_path):
    running = start_hub(tmp_path, clock=TEST_NOW)
    try:
        running.publish_catalog()
        running.add_user(OFFICER, "officer", COMMUNE_A)
        running.add_user("officer_c", "officer", COMMUNE_C)
        running.add_user("officer_y", "officer", COMMUNE_Y)
        running.add_user("reviewer_x", "reviewer", "19")
        running.add_user("reviewer_y", "reviewer", "01")
        yield running
    finally:
        running.stop()


@pytest.fixture
def officer_pc(hub, tmp_path):
    """The officer's client: a profile logged in to the hub (catalogue downloaded), its keyring in memory."""
    from dttsclient.sync.credentials import KeyringCredentials

    profile = tmp_path / "profile"
    profile.mkdir()
    with memory_keyring():
        creds = KeyringCredentials()
        with Store.open(profile) as store:
            login(store, hub.url, OFFICER, DEFAULT_PASSWORD, creds, "PC xã", config=FAST)
            yield store, creds


def sign_in(page, hub, username: str, password: str = DEFAULT_PASSWORD) -> None:
    page.goto(hub.url + "/console/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"console-{name}.png"))


def test_the_reviewers_journey_with_the_officers_client(hub, officer_pc, page, tmp_path):
    store, creds = officer_pc
    finalize(store)
    assert sync(store, creds).accepted == 1
    c_values = {**good_values(), ("0102", ""): "57"}
    send(hub, "officer_c", [make_submission(c_values, unit=COMMUNE_C)])
    previous = {**good_values(), ("0102", ""): "50"}  # last year's report of A: 80 is +60 %, a large swing
    send(hub, OFFICER, [make_submission(previous, unit=COMMUNE_A, period="2025")], device_id="device-old")

    # a reviewer signs in: the start page
    sign_in(page, hub, "reviewer_x")
    assert page.locator("h1").inner_text() == "Các biểu đến hạn"
    shot(page, "start")

    # the board shows the communes that sent and those that did not
    page.click("text=Năm 2026")
    page.wait_for_load_state()
    row_a = page.locator(f"tr[data-search^='{COMMUNE_A}']")
    row_b = page.locator(f"tr[data-search^='{COMMUNE_B}']")
    assert "Đúng hạn" in row_a.inner_text() and "Chưa gửi" in row_b.inner_text()
    assert "can_bo" in row_a.inner_text()
    shot(page, "board")
    # the search box filters as one types, diacritics or not (the small script); the form works without it
    page.fill("input[name=q]", "phong quang")
    assert page.locator("#board-table tbody tr:visible").count() == 1
    page.fill("input[name=q]", "")

    # open A's report and return it with a comment holding markup
    row_a.locator("a").click()
    page.wait_for_load_state()
    assert "Xã Phong Quang" in page.locator("h1").inner_text()
    assert page.locator("small.prev.swing").count() >= 1  # 0102: 50 → 80
    shot(page, "report")
    comment = "<script>window.pwned = 1</script> Số 0102 chưa khớp sổ hộ"
    page.fill("textarea[name=comment]", comment)
    page.click("button[value=return]")
    page.wait_for_load_state()
    assert "Đã trả lại báo cáo" in page.locator("p.message").inner_text()
    assert comment in page.locator("p.review-note q").inner_text()  # shown as text
    assert page.evaluate("typeof window.pwned") == "undefined"

    # the officer's client syncs and shows the comment; the officer fixes and resends
    sync(store, creds)
    report = store.reports.report(COMMUNE_A, "BM01", "2026")
    assert report.review_state == "returned" and report.review_comment == comment and report.state == "draft"
    from dttsclient.ui.overview import returned_rows

    [returned] = returned_rows(store)
    assert returned.comment == comment and returned.by == "reviewer_x"
    store.reports.set_cell(report.id, "0102", "", "81", OFFICER)
    # 81 against last year's 50 is a large swing: the officer gives its reason
    reasons = {w.code: "Đã đối chiếu sổ hộ." for w in store.reports.check(report.id) if not w.is_error}
    store.outbox.finalize(report.id, OFFICER, reasons=reasons)
    assert sync(store, creds).accepted == 1

    # the reviewer sees the change and accepts
    page.reload()
    changes = page.locator("section:has(h2:text('Thay đổi so với lần gửi trước'))").inner_text()
    assert "80" in changes and "81" in changes
    page.click("button[value=accept]")
    page.wait_for_load_state()
    assert "Đã chấp nhận báo cáo." in page.locator("p.message").inner_text()
    sync(store, creds)
    assert store.reports.report(COMMUNE_A, "BM01", "2026").review_state == "accepted"

    # the totals page equals a sum computed here
    page.click("nav >> text=Tổng hợp tỉnh")
    page.wait_for_load_state()
    expected = Decimal("81") + Decimal(c_values[("0102", "")])
    assert page.locator("[data-total='0102']").inner_text() == str(expected)
    pop = sum(Decimal(v) for (code, _), v in good_values().items() if code == "0101") * 2
    assert page.locator("[data-total='0101']").inner_text() == str(pop)
    assert page.evaluate("document.querySelector('img.trend').naturalWidth") == 640  # the SVG chart loaded
    chart = page.request.get(hub.url + page.locator("img.trend").get_attribute("src"))
    assert chart.text().count("<circle") == 2  # 2025 and 2026
    shot(page, "totals")

    # the Excel download opens with openpyxl
    with page.expect_download() as info:
        page.click("a[href*='format=xlsx']")
    target = tmp_path / "province.xlsx"
    info.value.save_as(target)
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames and wb[wb.sheetnames[0]].max_row > 5
    assert not page.problems, page.problems


def test_the_queue_accepts_in_bulk_and_returns_one_with_a_comment(hub, page):
    send(hub, OFFICER, [make_submission(good_values(), unit=COMMUNE_A)])
    send(hub, OFFICER, [make_submission(good_values(), unit=COMMUNE_A, period="2025")])
    sign_in(page, hub, "reviewer_x")
    page.goto(hub.url + "/console/queue")
    row_2026 = page.locator("tr:has(td:text-is('2026'))")
    row_2026.locator("input[name=comment]").fill("Thiếu số hộ nghèo")
    row_2026.locator("button.return").click()
    page.wait_for_load_state()
    assert "Đã trả lại báo cáo" in page.locator("p.message").inner_text()
    page.goto(hub.url + "/console/queue")
    page.check("input[data-select-all]")  # the script's "select all" box
    page.click("button.accept")
    page.wait_for_load_state()
    assert "Đã chấp nhận 1 báo cáo; để lại 0." in page.locator("section.message").inner_text()
    assert not page.problems, page.problems


def test_an_officer_cannot_enter(hub, page):
    sign_in(page, hub, OFFICER)
    assert (
        "Tài khoản cán bộ xã không dùng được bảng điều khiển tỉnh" in page.locator("p.message").inner_text()
    )
    page.goto(hub.url + "/console/queue")
    assert page.locator("input[name=password]").count() == 1  # back at the sign-in form


def test_a_reviewer_of_another_province_sees_none_of_these_communes(hub, page):
    send(hub, OFFICER, [make_submission(good_values(), unit=COMMUNE_A)])
    sign_in(page, hub, "reviewer_y")
    page.goto(hub.url + "/console/completeness?form=BM01&period=2026")
    assert COMMUNE_A not in page.content() and "Phong Quang" not in page.content()
    page.goto(hub.url + "/console/queue")
    assert COMMUNE_A not in page.content()
    response = page.goto(hub.url + f"/console/report/{COMMUNE_A}/BM01/2026")
    assert response.status == 403 and "Phong Quang" not in page.content()
    assert "không có quyền" in page.locator("p.message").inner_text()


def test_a_form_post_without_the_csrf_token_is_refused(hub, page):
    send(hub, OFFICER, [make_submission(good_values(), unit=COMMUNE_A)])
    sign_in(page, hub, "reviewer_x")
    page.goto(hub.url + f"/console/report/{COMMUNE_A}/BM01/2026")
    page.evaluate("document.querySelector('#review input[name=csrf]').remove()")
    with page.expect_navigation():
        page.click("button[value=accept]")
    assert "Biểu mẫu đã hết hạn" in page.locator("p.message").inner_text()
    assert (
        hub.hub.report_full(hub.hub.accounts.get_user("reviewer_x"), COMMUNE_A, "BM01", "2026")["review"][
            "state"
        ]
        is None
    )


def test_an_admin_adds_an_agency_in_the_browser(hub, page):
    hub.add_user("admin_x", "admin", "19")
    sign_in(page, hub, "admin_x")
    page.goto(hub.url + "/console/admin")
    form = page.locator("form#add-agency")
    form.locator("input[name=code]").fill("19-SGDDT")
    form.locator("input[name=name]").fill("Sở Giáo dục và Đào tạo")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "Đã thêm cơ quan 19-SGDDT" in page.locator("p.message").inner_text()
    assert "Sở Giáo dục và Đào tạo" in page.locator("tr[data-agency='19-SGDDT']").inner_text()
    assert [a.code for a in hub.hub.units.list("19")] == ["19-SGDDT"]
    assert not page.problems, page.problems


def test_the_totals_page_shows_the_survey_baselines_in_the_browser(hub, page, tmp_path):
    import csv

    send(hub, OFFICER, [make_submission(good_values(), unit=COMMUNE_A)])
    rows = [
        [COMMUNE_A, "BM01", "2019", "0102", "", "", "70"],
        [COMMUNE_B, "BM01", "2019", "0102", "", "", "31"],
    ]
    path = tmp_path / "baseline.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["unit", "form", "period", "indicator", "eth", "sex", "value"], *rows])
    hub.hub.import_baseline(path, "Điều tra 53 DTTS 2019", "2019-04-01", "test")
    expected = sum(Decimal(r[6]) for r in rows)
    sign_in(page, hub, "reviewer_x")
    page.goto(hub.url + "/console/totals?form=BM01&period=2026")
    cell = page.locator("td:has(a[data-total='0102']) small.baseline")
    assert cell.inner_text() == f"Điều tra 53 DTTS 2019 (01/04/2019): {expected} · 2/92 xã"
    shot(page, "totals-baselines")
    assert not page.problems, page.problems


def test_the_totals_page_shows_legacy_data_in_the_browser(hub, page, tmp_path):
    import csv

    rows = [  # 01834, 01840 and 01846 went whole into 01840 (crosswalk 2025)
        ["01834", "BM01", "2024", "0102", "", "", "10"],
        ["01840", "BM01", "2024", "0102", "", "", "20"],
        ["01846", "BM01", "2024", "0102", "", "", "30"],
    ]
    path = tmp_path / "so-lieu-2024.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["unit", "form", "period", "indicator", "eth", "sex", "value"], *rows])
    hub.hub.import_legacy(path, "vn-pre-2025", "test")
    sign_in(page, hub, "reviewer_x")
    page.goto(hub.url + "/console/totals?form=BM01&period=2024")
    assert page.locator("a[data-total='0102']").inner_text() == "60"
    assert (
        page.locator("p.legacy-note")
        .inner_text()
        .startswith("Gồm số liệu cũ (nhập từ tệp, quy đổi theo danh mục xã 2025) của 1 xã")
    )
    shot(page, "totals-legacy")
    page.click("a[data-total='0102']")
    assert "Số liệu cũ, từ tệp so-lieu-2024.csv" in page.locator("tr[data-legacy='01840']").inner_text()
    shot(page, "drilldown-legacy")
    assert not page.problems, page.problems
