"""Every page of the province console over HTTP against a real hub (SQLite and PostgreSQL): what each shows,
and that every action works with plain forms (no JavaScript)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from decimal import Decimal

import openpyxl
import sqlalchemy as sa

from dttscore.catalog import catalog_from_json
from dttscore.workbook import write_workbook
from dttshub import db as t
from tests.support.consoleutil import send
from tests.support.hubfixture import COMMUNE_A, COMMUNE_B, good_values, make_submission, small_catalog


def reviewer(console, name="reviewer_x"):
    r = console.sign_in(name)
    assert r.status_code == 200, r.text
    return console


def test_the_start_page_shows_each_form_with_its_completeness_and_waiting_reports(sent, console):
    page = reviewer(console).get("/console/").text
    assert "BM01 — " in page and "BM02 — " in page
    row = re.search(r'period=2026">Năm 2026</a>.*?</tr>', page, re.S).group(0)
    cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    # expected 92 communes of province 19, received 1, on time 1, accepted 0, waiting 1
    assert cells[0] == "92" and cells[1].startswith("1 ") and cells[2] == "1" and cells[3] == "0"
    assert ">1</a>" in cells[4]


def test_the_board_filters_sorts_searches_without_diacritics_and_exports_to_excel(sent, console):
    reviewer(console)
    page = console.get("/console/completeness?form=BM01&period=2026").text
    assert page.count("<tr data-search=") == 92
    assert "Xã Phong Quang" in page and "officer_a" in page and "Đúng hạn" in page and "Chưa gửi" in page
    assert "<td>10/01/2027 10:00</td>" in page  # received at 03:00 UTC, shown in Vietnam time
    sent_only = console.get("/console/completeness?form=BM01&period=2026&state=on_time").text
    assert sent_only.count("<tr data-search=") == 1 and COMMUNE_A in sent_only
    found = console.get("/console/completeness?form=BM01&period=2026&q=bang+thanh").text
    assert found.count("<tr data-search=") == 1 and "Xã Bằng Thành" in found and COMMUNE_B in found
    by_state = console.get("/console/completeness?form=BM01&period=2026&sort=state").text
    first = re.search(r'<tr data-search="(\d{5})', by_state).group(1)
    assert first != COMMUNE_A  # not_sent comes first, then on_time
    xlsx = console.get("/console/completeness.xlsx?form=BM01&period=2026&state=&q=&sort=unit")
    assert xlsx.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:3] == ("Mã", "Đơn vị", "Trạng thái") and len(rows) == 2 + 92
    mine = next(r for r in rows if r[0] == COMMUNE_A)
    assert mine[2] == "Đúng hạn" and mine[3] == "10/01/2027 10:00" and mine[7] == "officer_a"


def test_y_ty_finds_y_ty(people, console):
    people.add_user("reviewer_lc", "reviewer", "15")
    page = reviewer(console, "reviewer_lc").get("/console/completeness?form=BM01&period=2026&q=y+ty").text
    assert "Xã Y Tý" in page


def test_the_report_page_shows_values_previous_period_swings_changes_and_reviews(sent, console):
    before = dict(good_values())
    before[("0102", "")] = "40"  # 80 now: +100 %, a large swing
    send(sent, "officer_a", [make_submission(before, unit=COMMUNE_A, period="2025")])
    reviewer(console)
    page = console.get(f"/console/report/{COMMUNE_A}/BM01/2026").text
    assert "Xã Phong Quang" in page and "Đúng hạn" in page
    assert "kỳ trước 40 (+100.0%)" in page and "biến động lớn" in page
    assert "<th>Tày</th>" in page or "Tày" in page  # the ethnic group rows of 0101
    # return with a comment, then the officer corrects: the change since the previous revision shows
    r = console.post(
        f"/console/report/{COMMUNE_A}/BM01/2026/review", {"decision": "return", "comment": "Sửa 0102"}
    )
    assert "Đã trả lại báo cáo" in r.text and "Bị trả lại" in r.text
    fixed = dict(good_values())
    fixed[("0102", "")] = "81"
    [res] = send(
        sent, "officer_a", [make_submission(fixed, unit=COMMUNE_A, revision_no=2, base_server_revision=2)]
    )
    assert res["status"] == "accepted", res
    page = console.get(f"/console/report/{COMMUNE_A}/BM01/2026").text
    assert "Thay đổi so với lần gửi trước" in page
    assert re.search(r"<td>0102 Số hộ dân tộc thiểu số</td><td></td><td>80</td><td>81</td>", page)
    r = console.post(f"/console/report/{COMMUNE_A}/BM01/2026/review", {"decision": "accept", "comment": ""})
    assert "Đã chấp nhận báo cáo." in r.text
    # a correction after acceptance says so, with the changes
    again = dict(fixed)
    again[("0102", "")] = "82"
    send(sent, "officer_a", [make_submission(again, unit=COMMUNE_A, revision_no=3, base_server_revision=4)])
    page = console.get(f"/console/report/{COMMUNE_A}/BM01/2026").text
    assert "Đã sửa sau khi chấp nhận" in page
    assert re.search(r"<td>0102 Số hộ dân tộc thiểu số</td><td></td><td>81</td><td>82</td>", page)


def test_a_return_needs_a_comment(sent, console):
    reviewer(console)
    r = console.post(f"/console/report/{COMMUNE_A}/BM01/2026/review", {"decision": "return", "comment": " "})
    assert r.status_code == 400 and "Hãy ghi nhận xét" in r.text


def test_the_queue_accepts_several_at_once_and_leaves_those_with_errors(sent, console):
    [res] = send(sent, "officer_b", [make_submission(good_values(), unit=COMMUNE_B)])
    assert res["status"] == "accepted"
    # B's values break the error rule R01 (0103 <= 0102), as a hub before the content checks could have
    # stored them (the hub refuses such a submission today, so they are written into the table)
    broken = json.dumps(
        [{"code": c, "disagg": d, "value": v} for (c, d), v in {**good_values(), ("0103", ""): "500"}.items()]
    )
    with sent.hub.db.begin() as conn:
        conn.execute(t.reports.update().where(t.reports.c.unit == COMMUNE_B).values(values_json=broken))
    send(sent, "officer_a", [make_submission(good_values(), unit=COMMUNE_A, period="2025")])
    reviewer(console)
    page = console.get("/console/queue").text
    values = re.findall(r'name="sel" value="([^"]+)"', page)
    assert sorted(values) == sorted(
        [f"{COMMUNE_A}|BM01|2025", f"{COMMUNE_A}|BM01|2026", f"{COMMUNE_B}|BM01|2026"]
    )
    r = console.post("/console/queue/accept", [("sel", v) for v in values] + [("comment", "Đạt")])
    assert r.status_code == 200
    assert "Đã chấp nhận 2 báo cáo; để lại 1." in r.text and "số liệu có lỗi" in r.text
    assert re.findall(r'name="sel" value="([^"]+)"', r.text) == [f"{COMMUNE_B}|BM01|2026"]


def test_the_totals_page_adds_up_links_each_total_and_offers_the_downloads(sent, console):
    other = {k: str(int(Decimal(v)) + 1) if "." not in v else v for k, v in good_values().items()}
    send(sent, "officer_b", [make_submission(other, unit=COMMUNE_B)])
    reviewer(console)
    page = console.get("/console/totals?form=BM01&period=2026").text
    expected = int(good_values()[("0102", "")]) + int(other[("0102", "")])
    assert re.search(rf'data-total="0102">{expected}</a>', page)
    assert "Đã tổng hợp 2/92 xã; thiếu 90 xã." in page
    chart = re.search(r'<img class="trend" src="([^"]+)"', page).group(1).replace("&amp;", "&")
    svg = console.get(chart)
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.count("<circle") == 1  # one period has data
    assert "Năm 2026" in svg.text and "Năm 2022" in svg.text
    drill = console.get("/console/totals/units?form=BM01&period=2026&code=0102").text
    assert "Xã Phong Quang" in drill and "Xã Bằng Thành" in drill and f"Tổng: {expected}, từ 2 xã." in drill
    for fmt in ("xlsx", "csv", "dvs", "adx"):
        assert f"format={fmt}" in page
        r = console.get(f"/console/export?form=BM01&period=2026&format={fmt}")
        assert r.status_code == 200 and r.content, fmt
    openpyxl.load_workbook(
        io.BytesIO(console.get("/console/export?form=BM01&period=2026&format=xlsx").content)
    )


def test_the_conflicts_page_shows_both_versions_and_the_reviewer_chooses(sent, console):
    other = dict(good_values())
    other[("0102", "")] = "99"
    [res] = send(
        sent, "officer_a", [make_submission(other, unit=COMMUNE_A, revision_no=1)], device_id="device-2"
    )
    assert res["status"] == "conflict", res
    reviewer(console)
    assert COMMUNE_A in console.get("/console/conflicts").text
    page = console.get(f"/console/conflict/{COMMUNE_A}/BM01/2026").text
    assert re.search(
        r'<tr class="differs"><td>0102 .*?</td><td></td><td class="num">80</td><td class="num">99</td>', page
    )
    other_sid = re.findall(r'name="submission_id" value="([^"]+)"', page)[1]
    r = console.post(
        f"/console/conflict/{COMMUNE_A}/BM01/2026", {"choice": "keep", "submission_id": other_sid}
    )
    assert "Đã chấp nhận báo cáo." in r.text
    with sent.hub.db.read() as conn:
        row = conn.execute(sa.select(t.reports).where(t.reports.c.unit == COMMUNE_A)).one()
    assert row.head_submission_id == other_sid and not row.conflict and row.review_state == "accepted"
    assert "Không có xung đột nào." in console.get("/console/conflicts").text


def test_administration_manages_accounts_and_hands_out_setup_packages(sent, console):
    reviewer(console, "admin_x")
    page = console.get("/console/admin").text
    assert "officer_a" in page and "officer_y" not in page and "reviewer_y" not in page
    r = console.post(
        "/console/admin/users",
        {"username": "officer_new", "role": "officer", "unit": COMMUNE_B, "password": "mat-khau-moi-1"},
    )
    assert "Đã tạo tài khoản officer_new." in r.text
    r = console.post(
        "/console/admin/users",
        {"username": "officer_far", "role": "officer", "unit": "00004", "password": "mat-khau-moi-1"},
    )
    assert r.status_code == 403
    r = console.post("/console/admin/users/officer_new", {"action": "disable"})
    assert "Đã khoá tài khoản officer_new" in r.text
    r = console.post("/console/admin/users/officer_new", {"action": "enable"})
    assert "Đã mở khoá tài khoản officer_new." in r.text
    r = console.post(
        "/console/admin/users/officer_new", {"action": "password", "password": "mat-khau-khac-2"}
    )
    assert "Đã đặt mật khẩu mới" in r.text
    assert sent.login("officer_new", "mat-khau-khac-2")["access_token"]
    r = console.post("/console/admin/users/officer_new", {"action": "unit", "unit": COMMUNE_A})
    assert f"Đã chuyển officer_new sang đơn vị {COMMUNE_A}." in r.text
    assert sent.hub.accounts.get_user("officer_new").unit == COMMUNE_A
    r = console.post("/console/admin/users/officer_y", {"action": "disable"})
    assert r.status_code == 403
    r = console.post("/console/admin/setup-package", {"username": "officer_a"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(r.content)).namelist()


def test_a_reviewer_is_not_an_admin(sent, console):
    reviewer(console)
    assert console.get("/console/admin").status_code == 403
    assert console.post("/console/admin/users/officer_a", {"action": "disable"}).status_code == 403


def test_publishing_a_workbook_shows_every_error_located_and_changes_nothing(sent, console, tmp_path):
    reviewer(console, "admin_all")
    good = tmp_path / "catalog-v2.xlsx"
    write_workbook(catalog_from_json(small_catalog(version=2)), good)
    bad = tmp_path / "catalog-bad.xlsx"
    wb = openpyxl.load_workbook(good)
    ws = wb["indicators"]
    header = [c.value for c in ws[1]]
    ws.cell(row=3, column=header.index("value_type") + 1, value="so_nguyen")
    wb.save(bad)
    r = console.http.post(
        console.url("/console/admin/catalog"),
        data={"csrf": console.csrf},
        files={"workbook": ("catalog-bad.xlsx", bad.read_bytes())},
        timeout=30,
    )
    assert r.status_code == 400 and "chưa công bố gì" in r.text
    assert re.search(r"<tr><td>indicators</td><td>3</td><td>value_type</td><td>", r.text)
    assert sent.hub.catalogs.current().version == 1
    r = console.http.post(
        console.url("/console/admin/catalog"),
        data={"csrf": console.csrf},
        files={"workbook": ("catalog-v2.xlsx", good.read_bytes())},
        timeout=30,
    )
    assert r.status_code == 200 and "Đã công bố danh mục test-dtts phiên bản 2." in r.text
    assert sent.hub.catalogs.current().version == 2


def test_an_admin_of_a_province_cannot_publish_the_catalogue(sent, console, tmp_path):
    reviewer(console, "admin_x")
    r = console.http.post(
        console.url("/console/admin/catalog"),
        data={"csrf": console.csrf},
        files={"workbook": ("c.xlsx", b"x")},
        timeout=30,
    )
    assert r.status_code == 403


def test_the_console_speaks_english_when_asked(sent, console):
    reviewer(console)
    r = console.get("/console/lang?to=en&next=/console/completeness")
    assert r.url.endswith("/console/completeness") and 'lang="en"' in r.text
    assert "Completeness" in r.text and "On time" in r.text and "Tình hình nộp" not in r.text
    assert "Tiếng Việt" in r.text


def test_the_trend_chart_follows_every_change_on_the_hub(sent, console):
    reviewer(console)
    chart = "/console/totals/trend.svg?form=BM01&period=2026&code=0102"
    assert ">80<" in console.get(chart).text and console.get(chart).text.count("<circle") == 1
    assert console.get(chart).text == console.get(chart).text  # served again from the cache
    send(sent, "officer_b", [make_submission(good_values(), unit=COMMUNE_B)])
    assert ">160<" in console.get(chart).text  # a new report: computed again
    send(sent, "officer_b", [make_submission(good_values(), unit=COMMUNE_B, period="2025")])
    assert console.get(chart).text.count("<circle") == 2  # an earlier period changed too


def test_the_queue_returns_one_report_with_a_comment(sent, console):
    reviewer(console)
    page = console.get("/console/queue").text
    action = re.search(r'<form id="return-1" method="post" action="([^"]+)">', page).group(1)
    assert action == f"/console/report/{COMMUNE_A}/BM01/2026/review"
    assert re.search(r'<input name="comment" form="return-1"[^>]*required', page)
    r = console.post(action, {"decision": "return", "comment": "Thiếu số hộ"})
    assert "Đã trả lại báo cáo" in r.text
    assert "Không có báo cáo nào chờ thẩm định." in console.get("/console/queue").text


def test_the_start_page_follows_every_change_on_the_hub(sent, console):
    reviewer(console)
    waiting = re.compile(r'period=2026">Năm 2026</a>.*?<a href="/console/queue">(\d+)</a>', re.S)
    assert waiting.search(console.get("/console/").text).group(1) == "1"
    send(sent, "officer_b", [make_submission(good_values(), unit=COMMUNE_B)])
    assert waiting.search(console.get("/console/").text).group(1) == "2"
    console.post(f"/console/report/{COMMUNE_B}/BM01/2026/review", {"decision": "accept"})
    assert waiting.search(console.get("/console/").text).group(1) == "1"


def test_the_totals_and_drilldown_follow_every_change_on_the_hub(sent, console):
    reviewer(console)
    assert re.search(r'data-total="0102">80</a>', console.get("/console/totals?form=BM01&period=2026").text)
    drill = "/console/totals/units?form=BM01&period=2026&code=0102"
    assert "Tổng: 80, từ 1 xã." in console.get(drill).text
    send(sent, "officer_b", [make_submission(good_values(), unit=COMMUNE_B)])
    assert re.search(r'data-total="0102">160</a>', console.get("/console/totals?form=BM01&period=2026").text)
    assert "Tổng: 160, từ 2 xã." in console.get(drill).text
    console.post(f"/console/report/{COMMUNE_B}/BM01/2026/review", {"decision": "accept"})
    accepted = console.get("/console/totals?form=BM01&period=2026&accepted_only=true").text
    assert re.search(r'data-total="0102">80</a>', accepted)  # only B's report is accepted
