"""The province's agencies in the console's administration (issue 17 item 1) on a real hub (SQLite and
PostgreSQL): the same :class:`dttshub.units.Units` as ``dttshub unit`` and ``/api/v1/units``."""

from __future__ import annotations

import json
import re

from dttshub.cli import main
from tests.support.hubfixture import TIMEOUT

AGENCY = "19-SGDDT"
AGENCY_NAME = "Sở Giáo dục và Đào tạo"


def unit_list(hub, capsys) -> list[dict]:
    """``dttshub unit list --json`` on the hub's own database."""
    capsys.readouterr()
    code = main(["unit", "list", "--db", hub.db_url, "--data-dir", str(hub.data_dir), "--json"])
    assert code == 0
    return json.loads(capsys.readouterr().out)["units"]


def agency_rows(page: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-agency="([^"]+)">(.*?)</tr>', page, re.S))


def test_an_admin_adds_an_agency_and_the_cli_and_api_see_it(people, console, capsys):
    console.sign_in("admin_x")
    page = console.get("/console/admin").text
    assert "Chưa có cơ quan nào." in page and 'action="/console/admin/units"' in page
    r = console.post("/console/admin/units", {"code": AGENCY, "name": AGENCY_NAME}, allow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/console/admin?")  # post, redirect, get
    page = console.get(r.headers["location"]).text
    assert f"Đã thêm cơ quan {AGENCY}" in page
    assert AGENCY_NAME in agency_rows(page)[AGENCY] and "đang báo cáo" in agency_rows(page)[AGENCY]
    [unit] = unit_list(people, capsys)
    assert (unit["code"], unit["name"], unit["province"], unit["disabled"]) == (
        AGENCY,
        AGENCY_NAME,
        "19",
        False,
    )
    api = people.session("reviewer_x", device_id="d-rx")
    got = api.get(people.api + "/units", timeout=TIMEOUT).json()["units"]
    assert [u["code"] for u in got] == [AGENCY]
    # disable, then enable again
    r = console.post(f"/console/admin/units/{AGENCY}", {"action": "disable"})
    assert "done=unit_disabled" in r.url
    assert f"Đã ngừng cơ quan {AGENCY}" in r.text and "đã ngừng" in agency_rows(r.text)[AGENCY]
    assert unit_list(people, capsys)[0]["disabled"] is True
    r = console.post(f"/console/admin/units/{AGENCY}", {"action": "enable"})
    assert f"Đã dùng lại cơ quan {AGENCY}." in r.text
    assert unit_list(people, capsys)[0]["disabled"] is False


def test_an_account_goes_to_an_agency(people, console):
    people.hub.units.add(AGENCY, AGENCY_NAME, "19")
    console.sign_in("admin_x")
    page = console.get("/console/admin").text
    assert f'<option value="{AGENCY}">{AGENCY_NAME}</option>' in page  # offered beside the unit fields
    r = console.post(
        "/console/admin/users",
        {"username": "officer_sgd", "role": "officer", "unit": AGENCY, "password": "mat-khau-moi-1"},
    )
    assert r.status_code == 200 and "Đã tạo tài khoản officer_sgd." in r.text
    assert re.search(rf"<td>officer_sgd</td><td>[^<]*</td><td>{AGENCY}</td>", r.text)  # listed in scope
    r = console.post("/console/admin/users/officer_a", {"action": "unit", "unit": AGENCY})
    assert f"Đã chuyển officer_a sang đơn vị {AGENCY}." in r.text
    assert people.hub.accounts.get_user("officer_a").unit == AGENCY
    # an agency of another province, or one the hub does not have (enabled), is refused
    people.hub.units.add("01-SGDDT", "Sở Giáo dục và Đào tạo Hà Nội", "01")
    r = console.post("/console/admin/users/officer_b", {"action": "unit", "unit": "01-SGDDT"})
    assert r.status_code == 403
    r = console.post("/console/admin/users/officer_b", {"action": "unit", "unit": "19-STC"})
    assert r.status_code == 400 and "Không có cơ quan mã 19-STC đang hoạt động" in r.text
    people.hub.units.set_disabled(AGENCY, True)
    r = console.post("/console/admin/users/officer_b", {"action": "unit", "unit": AGENCY})
    assert r.status_code == 400
    assert people.hub.accounts.get_user("officer_b").unit != AGENCY


def test_mistakes_are_explained_and_change_nothing(people, console, capsys):
    console.sign_in("admin_x")
    r = console.post("/console/admin/units", {"code": "19-sở", "name": AGENCY_NAME})
    assert r.status_code == 400 and 'class="message error"' in r.text
    assert "Mã cơ quan phải là mã tỉnh, gạch ngang và 1–5 chữ in hoa hoặc số" in r.text
    assert 'value="19-SỞ"' in r.text or 'value="19-sở"' in r.text  # what was typed is still there
    r = console.post("/console/admin/units", {"code": AGENCY, "name": "  "})
    assert r.status_code == 400 and "Cần tên cơ quan" in r.text
    assert unit_list(people, capsys) == []
    console.post("/console/admin/units", {"code": AGENCY, "name": AGENCY_NAME})
    r = console.post("/console/admin/units", {"code": AGENCY, "name": "Tên khác"})
    assert r.status_code == 400 and f"Đã có đơn vị mã {AGENCY}." in r.text
    assert [u["name"] for u in unit_list(people, capsys)] == [AGENCY_NAME]
    r = console.post("/console/admin/units/19-KHONG", {"action": "disable"})
    assert r.status_code == 404 and "Không có cơ quan mã 19-KHONG." in r.text
    # in English when switched
    console.get("/console/lang?to=en")
    r = console.post("/console/admin/units", {"code": AGENCY, "name": "Again"})
    assert r.status_code == 400 and f"A unit with code {AGENCY} exists already." in r.text


def test_an_admin_of_another_province_cannot_touch_these_agencies(people, console, capsys):
    people.hub.units.add(AGENCY, AGENCY_NAME, "19")
    people.add_user("admin_y", "admin", "01")
    console.sign_in("admin_y")
    page = console.get("/console/admin").text
    assert AGENCY not in page  # another province's agencies are not listed
    r = console.post("/console/admin/units", {"code": "19-STC", "name": "Sở Tài chính"})
    assert r.status_code == 403 and "bạn chỉ quản lý được cơ quan của tỉnh 01" in r.text
    r = console.post(f"/console/admin/units/{AGENCY}", {"action": "disable"})  # a crafted post
    assert r.status_code == 403
    assert [(u["code"], u["disabled"]) for u in unit_list(people, capsys)] == [(AGENCY, False)]
    # its own province's agency it may add
    r = console.post("/console/admin/units", {"code": "01-STC", "name": "Sở Tài chính Hà Nội"})
    assert r.status_code == 200 and "Đã thêm cơ quan 01-STC" in r.text


def test_an_admin_of_every_province_manages_every_agency(people, console, capsys):
    people.hub.units.add("01-SGDDT", "Sở Giáo dục và Đào tạo Hà Nội", "01")
    console.sign_in("admin_all")
    r = console.post("/console/admin/units", {"code": AGENCY, "name": AGENCY_NAME})
    assert r.status_code == 200 and set(agency_rows(r.text)) == {"01-SGDDT", AGENCY}
    r = console.post("/console/admin/units/01-SGDDT", {"action": "disable"})
    assert "Đã ngừng cơ quan 01-SGDDT" in r.text
    assert {u["code"]: u["province"] for u in unit_list(people, capsys)} == {"01-SGDDT": "01", AGENCY: "19"}


def test_agency_forms_need_the_csrf_token_and_an_admin(people, console, capsys):
    people.hub.units.add(AGENCY, AGENCY_NAME, "19")
    console.sign_in("admin_x")
    r = console.post("/console/admin/units", {"code": "19-STC", "name": "Sở Tài chính"}, csrf=False)
    assert r.status_code == 403 and "Biểu mẫu đã hết hạn" in r.text
    r = console.post(f"/console/admin/units/{AGENCY}", {"action": "disable", "csrf": "forged"}, csrf=False)
    assert r.status_code == 403
    reviewer = type(console)(people)
    try:
        reviewer.sign_in("reviewer_x")
        assert reviewer.get("/console/admin").status_code == 403
        r = reviewer.post("/console/admin/units", {"code": "19-STC", "name": "Sở Tài chính"})
        assert r.status_code == 403
        assert reviewer.post(f"/console/admin/units/{AGENCY}", {"action": "disable"}).status_code == 403
    finally:
        reviewer.close()
    assert [(u["code"], u["disabled"]) for u in unit_list(people, capsys)] == [(AGENCY, False)]


def test_pages_count_an_agency_as_soon_as_it_is_added_or_disabled(people, console):
    from tests.support.hubfixture import small_catalog

    catalog = small_catalog(version=2)
    catalog["forms"][0]["reported_by"] = "both"
    people.publish_catalog(catalog)
    console.sign_in("admin_x")

    def expected() -> int:
        page = console.get("/console/totals?form=BM01&period=2026").text
        return int(re.search(r"Đã tổng hợp \d+/(\d+)", page).group(1))

    assert expected() == 92  # read once: the page's figures are kept until something changes
    console.post("/console/admin/units", {"code": AGENCY, "name": AGENCY_NAME})
    assert expected() == 93
    console.post(f"/console/admin/units/{AGENCY}", {"action": "disable"})
    assert expected() == 92


def test_an_agency_that_has_not_reported_is_named_on_the_totals_page(people, console):
    from tests.support.hubfixture import small_catalog

    catalog = small_catalog(version=2)
    catalog["forms"][0]["reported_by"] = "both"
    people.publish_catalog(catalog)
    people.hub.units.add(AGENCY, AGENCY_NAME, "19")
    console.sign_in("reviewer_x")
    page = console.get("/console/totals?form=BM01&period=2026").text
    missing = page[page.index(AGENCY) :]
    assert AGENCY_NAME in missing[:400]  # its name from the hub's units, not only its code
