"""The console's sign-in, sessions and defences, over HTTP against a real hub (SQLite and PostgreSQL):
who may enter, cookies, CSRF, scope by URL, escaping, headers, throttling, expiry and sign-out."""

from __future__ import annotations

import pytest
import requests

from tests.support.consoleutil import Console, csrf_of, send
from tests.support.hubfixture import (
    COMMUNE_A,
    COMMUNE_Y,
    DEFAULT_PASSWORD,
    TIMEOUT,
    good_values,
    make_submission,
)


def test_the_sign_in_form_is_at_console_and_pages_need_a_session(hub, console):
    r = console.get("/console/")
    assert r.status_code == 200
    assert 'name="username"' in r.text and 'name="password"' in r.text and 'lang="vi"' in r.text
    r = console.get("/console/completeness?form=BM01&period=2026", allow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/console/?next=%2Fconsole%2Fcompleteness")


def test_a_reviewer_signs_in_with_a_strict_httponly_cookie_and_signs_out(people, console):
    r = console.sign_in("reviewer_x", next="/console/queue")
    assert r.status_code == 200 and r.url.endswith("/console/queue")
    cookie = r.history[0].headers["set-cookie"]
    assert "dtts_console=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Path=/console" in cookie and "Max-Age=28800" in cookie and "Secure" not in cookie
    old = console.http.cookies["dtts_console"]
    r = console.post("/console/logout", allow_redirects=False)
    assert r.status_code == 303
    # the server forgot the session: the old cookie is refused
    stale = requests.get(
        console.url("/console/queue"), cookies={"dtts_console": old}, allow_redirects=False, timeout=TIMEOUT
    )
    assert stale.status_code == 303


def test_an_off_site_next_is_ignored(people, console):
    r = console.sign_in("reviewer_x", next="//evil.example/")
    assert r.url.endswith("/console/")


def test_an_officer_cannot_enter(people, console):
    r = console.sign_in("officer_a")
    assert r.status_code == 403
    assert "Tài khoản cán bộ xã không dùng được bảng điều khiển tỉnh" in r.text
    assert "dtts_console" not in console.http.cookies


def test_a_wrong_password_says_so_and_sign_in_is_throttled_like_the_api(people, console):
    r = console.sign_in("reviewer_x", password="sai-mat-khau")
    assert r.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu." in r.text
    for _ in range(4):
        console.sign_in("reviewer_x", password="sai-mat-khau")
    r = console.sign_in("reviewer_x")  # the right password, but too many failures: the API's throttle
    assert r.status_code == 429 and "Đăng nhập sai quá nhiều lần" in r.text
    # the API counts the same failures
    r = requests.post(
        people.api + "/auth/token",
        json={"username": "reviewer_x", "password": "x" * 8, "device_id": "d"},
        timeout=TIMEOUT,
    )
    assert r.status_code == 429


def test_a_sign_in_post_without_the_form_token_is_refused(people, console):
    r = requests.post(
        console.url("/console/login"),
        data={"username": "reviewer_x", "password": "mat-khau-thu-nghiem"},
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    assert r.status_code == 403 and "dtts_console" not in r.cookies


def test_a_form_post_without_the_csrf_token_is_refused(sent, console):
    console.sign_in("reviewer_x")
    path = f"/console/report/{COMMUNE_A}/BM01/2026/review"
    r = console.post(path, {"decision": "accept"}, csrf=False)
    assert r.status_code == 403 and "Biểu mẫu đã hết hạn" in r.text
    r = console.post(path, {"decision": "accept", "csrf": "forged"}, csrf=False)
    assert r.status_code == 403
    r = console.post("/console/queue/accept", [("sel", f"{COMMUNE_A}|BM01|2026")], csrf=False)
    assert r.status_code == 403
    r = console.post("/console/logout", csrf=False)
    assert r.status_code == 403
    [report] = sent.hub.reports(sent.hub.accounts.get_user("reviewer_x"), unit=COMMUNE_A)
    assert report["review"]["state"] is None  # nothing was decided


def test_a_reviewer_of_another_province_sees_none_of_its_communes(sent, console):
    console.sign_in("reviewer_y")
    board = console.get("/console/completeness?form=BM01&period=2026")
    assert board.status_code == 200
    assert COMMUNE_A not in board.text and "Phong Quang" not in board.text and COMMUNE_Y in board.text
    for path in (
        f"/console/report/{COMMUNE_A}/BM01/2026",
        f"/console/conflict/{COMMUNE_A}/BM01/2026",
    ):
        r = console.get(path)
        assert r.status_code == 403, path
        assert "Phong Quang" not in r.text and "không có quyền" in r.text
    r = console.post(f"/console/report/{COMMUNE_A}/BM01/2026/review", {"decision": "accept"})
    assert r.status_code == 403
    r = console.post("/console/queue/accept", [("sel", f"{COMMUNE_A}|BM01|2026")])
    assert r.status_code == 403
    queue = console.get("/console/queue")
    assert COMMUNE_A not in queue.text and COMMUNE_Y in queue.text
    totals = console.get("/console/totals?form=BM01&period=2026")
    assert COMMUNE_A not in totals.text
    drill = console.get("/console/totals/units?form=BM01&period=2026&code=0102")
    assert COMMUNE_A not in drill.text and COMMUNE_Y in drill.text
    csv = console.get("/console/export?form=BM01&period=2026&format=csv")
    assert csv.status_code == 200 and COMMUNE_A not in csv.text


def test_a_comment_with_markup_is_shown_as_text(sent, console):
    console.sign_in("reviewer_x")
    r = console.post(
        f"/console/report/{COMMUNE_A}/BM01/2026/review",
        {"decision": "return", "comment": "<script>alert(1)</script><b>sửa</b>"},
    )
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "<b>sửa" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;sửa&lt;/b&gt;" in r.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; số hộ tăng" in r.text  # the officer's comment
    assert r.text.count("<script") == 1  # only the console's own script tag


def test_every_reply_carries_the_security_headers(sent, console):
    console.sign_in("reviewer_x")
    for path in (
        "/console/",
        "/console/completeness",
        f"/console/report/{COMMUNE_A}/BM01/2026",
        "/console/static/console.css",
        "/console/admin",
    ):
        r = console.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
    page = console.get("/console/")
    assert page.headers["cache-control"] == "no-store"
    assert "<script>" not in page.text and " on" + "click=" not in page.text and "style=" not in page.text


def test_console_routes_are_not_in_the_openapi_document(hub):
    doc = requests.get(hub.url + "/openapi.json", timeout=TIMEOUT).json()
    assert not [p for p in doc["paths"] if "console" in p]


def test_a_session_ends_when_it_expires_or_the_account_is_disabled(people, console):
    console.sign_in("reviewer_x")
    assert console.get("/console/queue", allow_redirects=False).status_code == 200
    people.clock.advance(8 * 3600 + 1)
    assert console.get("/console/queue", allow_redirects=False).status_code == 303
    console.sign_in("reviewer_x")
    people.hub.accounts.set_disabled("reviewer_x", True)
    assert console.get("/console/queue", allow_redirects=False).status_code == 303


@pytest.mark.parametrize("hub_config", [{"public_url": "https://tinh.example.vn"}])
def test_the_cookie_is_secure_when_the_console_is_served_over_https(people):
    page = requests.get(people.url + "/console/", timeout=TIMEOUT)
    assert "Secure" in page.headers["set-cookie"]
    token = csrf_of(page.text)
    r = requests.post(
        people.url + "/console/login",
        data={"username": "reviewer_x", "password": DEFAULT_PASSWORD, "csrf": token},
        headers={"Cookie": f"dtts_login_csrf={token}"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert r.status_code == 303 and "Secure" in r.headers["set-cookie"]


def test_a_review_posted_by_an_officer_token_never_reaches_the_console(sent):
    # an API bearer token is no console session
    s = sent.session("officer_a")
    r = s.get(sent.url + "/console/queue", allow_redirects=False, timeout=TIMEOUT)
    assert r.status_code == 303
    send(sent, "officer_a", [make_submission(good_values(), unit=COMMUNE_A, period="2025")])
    c = Console(sent)
    try:
        assert c.sign_in("officer_a").status_code == 403
    finally:
        c.close()
