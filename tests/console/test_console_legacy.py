"""Legacy data (``dttshub legacy import``) in the console's totals, drill-down and trend chart (issue 17 item
2), on a real hub (SQLite and PostgreSQL): imported with the hub's own service, the figures added up in the
test from the file through the shipped crosswalk and compared with the pages."""

from __future__ import annotations

import csv
import html
import re

from tests.support.consoleutil import send
from tests.support.hubfixture import COMMUNE_A, good_values, make_submission

# 01834, 01840, 01846 went whole into 01840; 01837 is one of the four old communes of 01843 (incomplete);
# 01849 and 01984 went into COMMUNE_A (01849), which sends a real report; 05461 was split; 0201 is a percent
# (does not add up); 22771 went into 22780 of province 56.
ROWS = [
    ["01834", "BM01", "2024", "0102", "", "", "10"],
    ["01840", "BM01", "2024", "0102", "", "", "20"],
    ["01846", "BM01", "2024", "0102", "", "", "30"],
    ["01837", "BM01", "2024", "0102", "", "", "7"],
    ["01849", "BM01", "2024", "0102", "", "", "100"],
    ["01984", "BM01", "2024", "0102", "", "", "50"],
    ["05461", "BM01", "2024", "0102", "", "", "40"],
    ["01867", "BM01", "2024", "0201", "", "", "55"],
    ["22771", "BM01", "2024", "0102", "", "", "20"],
    ["01834", "BM01", "2023", "0102", "", "", "5"],
]
FILE = "cu-<img src=x onerror=alert(1)>.csv"  # a file name is shown escaped


def import_legacy(hub, tmp_path, rows=ROWS):
    path = tmp_path / FILE
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["unit", "form", "period", "indicator", "eth", "sex", "value"])
        w.writerows(rows)
    return hub.hub.import_legacy(path, "vn-pre-2025", "test")


def expected_households() -> int:
    """0102 for 2024 in province 19: A's report, plus the legacy sums of the merged communes without one."""
    from dttshub.legacy import shipped_crosswalk

    cw = shipped_crosswalk()
    legacy = sum(
        int(r[6])
        for r in ROWS
        if r[2] == "2024" and r[3] == "0102" and cw.merged_whole(r[0]) in ("01840", "01843")
    )
    return int(good_values()[("0102", "")]) + legacy


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_the_totals_page_adds_legacy_data_and_says_so(people, console, tmp_path):
    [res] = send(people, "officer_a", [make_submission(good_values(), unit=COMMUNE_A, period="2024")])
    assert res["status"] in ("accepted", "late"), res
    import_legacy(people, tmp_path)
    console.sign_in("reviewer_x")
    page = console.get("/console/totals?form=BM01&period=2024").text
    assert re.search(r'data-total="0102">(\d+)</a>', page).group(1) == str(expected_households()) == "147"
    note = text(re.search(r'<p class="legacy-note"[^>]*>(.*?)</p>', page, re.S).group(1))
    assert note.startswith("Gồm số liệu cũ (nhập từ tệp, quy đổi theo danh mục xã 2025) của 2 xã")
    assert FILE in note and "<img src=x" not in page and "&lt;img src=x" in page
    assert "Số liệu cũ của 1 xã có thể chưa đầy đủ" in note and "01843" in note
    assert text(re.search(r'<small class="legacy" data-legacy="0102">(.*?)</small>', page).group(1)) == (
        "gồm số liệu cũ của 2 xã"
    )
    # the old communes left on their own are listed, in no total
    left = re.search(r'<section class="legacy-left">(.*?)</section>', page, re.S).group(1)
    assert (
        "Số liệu cũ không được cộng vào tổng (2 xã cũ)" in left and "dttshub legacy show --form BM01" in left
    )
    assert re.findall(r'data-left-out="(\d+)"', left) == ["01867", "05461"]
    assert "xã bị chia tách" in left and "chỉ tiêu không cộng dồn" in left
    # the communes with legacy values are not missing
    missing = re.search(r"Xã chưa có trong tổng hợp \((\d+)\)</h2>(.*?)</section>", page, re.S)
    assert missing.group(1) == "89" and "01840" not in missing.group(2) and "01843" not in missing.group(2)
    # in English
    console.get("/console/lang?to=en")
    page = console.get("/console/totals?form=BM01&period=2024").text
    note = text(re.search(r'<p class="legacy-note"[^>]*>(.*?)</p>', page, re.S).group(1))
    assert note.startswith(
        "Includes legacy data (imported from a file, mapped onto the 2025 commune list) of 2 communes"
    )
    assert "Legacy data in no total (2 old communes)" in page and "split commune" in page


def test_the_drilldown_and_the_trend_mark_legacy_data(people, console, tmp_path):
    import_legacy(people, tmp_path)
    console.sign_in("reviewer_x")
    page = console.get("/console/totals/units?form=BM01&period=2024&code=0102").text
    rows = dict(re.findall(r'<tr class="legacy" data-legacy="(\d+)">(.*?)</tr>', page, re.S))
    assert sorted(rows) == ["01840", "01843", COMMUNE_A]  # A sent no 2024 report here: its legacy sum counts
    assert f"Số liệu cũ, từ tệp {FILE}" in text(rows["01840"]) and ">60<" in rows["01840"]
    assert "có thể chưa đầy đủ" in rows["01843"] and "có thể chưa đầy đủ" not in rows["01840"]
    assert "/console/report/01840" not in page  # no report to open
    svg = console.get("/console/totals/trend.svg?form=BM01&period=2026&code=0102").text
    assert re.findall(r'data-legacy="(\d+)"', svg) == ["2023", "2024"]
    assert "gồm số liệu cũ" in svg


def test_the_board_still_shows_legacy_communes_as_not_received(people, console, tmp_path):
    import_legacy(people, tmp_path)
    console.sign_in("reviewer_x")
    page = console.get("/console/completeness?form=BM01&period=2024").text
    assert re.search(r'<tr data-search="01840 [^"]*" class="st-not_sent">', page)
    assert re.search(r'<tr data-search="01843 [^"]*" class="st-not_sent">', page)


def test_another_province_sees_none_of_it(people, console, tmp_path):
    import_legacy(people, tmp_path)
    console.sign_in("reviewer_y")
    page = console.get("/console/totals?form=BM01&period=2024").text
    assert "legacy" not in page and "01840" not in page and "05461" not in page and "cu-" not in page
    svg = console.get("/console/totals/trend.svg?form=BM01&period=2026&code=0102").text
    assert "data-legacy" not in svg
    r = console.get("/console/totals/units?form=BM01&period=2024&code=0102")
    assert "01840" not in r.text


def test_legacy_data_costs_a_few_reads_whatever_the_number_of_communes(people, console, tmp_path):
    import sqlalchemy as sa

    from dttscore import refdata
    from dttshub.legacy import shipped_crosswalk

    # every old commune merged whole into a commune of province 19, each with two cells and a total
    cw = shipped_crosswalk()
    province = {c.commune_code for c in refdata.communes_in("19")}
    rows = []
    for old in sorted(cw.targets):
        if cw.merged_whole(old) in province:
            rows += [
                [old, "BM01", "2024", "0102", "", "", "3"],
                [old, "BM01", "2024", "0101", "02", "F", "1"],
                [old, "BM01", "2024", "0101", "08", "M", "2"],
            ]
    import_legacy(people, tmp_path, rows)
    console.sign_in("reviewer_x")
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        if "historical_values" in statement and "imports.survey" not in statement:
            statements.append(statement)

    engine = people.hub.db.engine
    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        page = console.get("/console/totals?form=BM01&period=2024").text
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    n = int(re.search(r'data-legacy-units="(\d+)"', page).group(1))
    assert n > 20
    assert len(statements) == 4  # the units, their cells, their totals, the old communes left out
