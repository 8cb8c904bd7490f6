"""Survey baselines beside the province totals (issue 17 item 4) on a real hub (SQLite and PostgreSQL):
imported with the hub's own service (as ``dttshub baseline import`` does), added up over the scope's units
in the test and compared with the page."""

from __future__ import annotations

import csv
import html
import re
from decimal import Decimal

import sqlalchemy as sa

from tests.support.hubfixture import COMMUNE_A, COMMUNE_B, COMMUNE_Y

SURVEY = "Điều tra 53 DTTS 2019"
ROWS = [
    [COMMUNE_A, "BM01", "2019", "0102", "", "", "70"],
    [COMMUNE_B, "BM01", "2019", "0102", "", "", "1234"],
    [COMMUNE_A, "BM01", "2019", "0101", "02", "F", "100"],
    [COMMUNE_B, "BM01", "2019", "0101", "02", "F", "33"],
    [COMMUNE_B, "BM01", "2019", "0101", "08", "M", "9"],
    [COMMUNE_B, "BM01", "2019", "0101", "05", "F", "4"],  # a cell no report has
    [COMMUNE_Y, "BM01", "2019", "0102", "", "", "500"],  # another province: never in province 19's sums
    [COMMUNE_A, "BM01", "2019", "0201", "", "", "96.5"],  # a percent: not added up, so not shown
]


def import_baselines(hub, tmp_path, rows, survey=SURVEY, when="2019-04-01"):
    path = tmp_path / "baseline.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["unit", "form", "period", "indicator", "eth", "sex", "value"])
        w.writerows(rows)
    return hub.hub.import_baseline(path, survey, when, "test")


def expected_sum(rows, units, indicator, cell=None):
    """The test's own sum: values of ``indicator`` (one cell ``(eth, sex)``, or all) over ``units``."""
    found = [
        r for r in rows if r[0] in units and r[3] == indicator and (cell is None or (r[4], r[5]) == cell)
    ]
    return sum((Decimal(r[6]) for r in found), Decimal(0)), len({r[0] for r in found})


def figures(page: str) -> list[str]:
    return [html.unescape(x) for x in re.findall(r'<small class="baseline"[^>]*>(.*?)</small>', page)]


def test_the_totals_page_shows_the_baselines_summed_over_the_province(sent, console, tmp_path):
    import_baselines(sent, tmp_path, ROWS)
    console.sign_in("reviewer_x")
    page = console.get("/console/totals?form=BM01&period=2026").text
    province = {COMMUNE_A, COMMUNE_B}
    total, n = expected_sum(ROWS, province, "0102")
    assert (total, n) == (Decimal(1304), 2)
    row = re.search(r'data-total="0102">80</a>(.*?)</td>', page, re.S).group(1)
    assert figures(row) == [f"{SURVEY} (01/04/2019): {total} · {n}/92 xã"]
    # an indicator broken down: its total is each commune's cells added up, each cell its own sum
    total, n = expected_sum(ROWS, province, "0101")
    row = re.search(r'data-total="0101">313</a>(.*?)</td>', page, re.S).group(1)
    assert figures(row) == [f"{SURVEY} (01/04/2019): {total} · {n}/92 xã"]
    grid = re.search(r'<table class="data grid">.*?</table>', page, re.S).group(0)
    for cell in [("02", "F"), ("08", "M"), ("05", "F")]:
        value, units = expected_sum(ROWS, province, "0101", cell)
        assert f"{SURVEY} (01/04/2019): {value} · {units}/92 xã" in figures(grid), cell
    assert "Mốc so sánh: Điều tra 53 DTTS 2019 (ngày tham chiếu 01/04/2019), có số liệu của 2/92 xã" in page
    # an indicator without baselines shows none, nor one that does not add up (a percent)
    row = re.search(r'data-total="0103">12</a>(.*?)</td>', page, re.S).group(1)
    assert figures(row) == []
    assert not [f for f in figures(page) if "96.5" in f]


def test_an_admin_of_every_province_sees_the_baselines_of_every_province(sent, console, tmp_path):
    import_baselines(sent, tmp_path, ROWS)
    console.sign_in("admin_all")
    page = console.get("/console/totals?form=BM01&period=2026").text
    total, n = expected_sum(ROWS, {COMMUNE_A, COMMUNE_B, COMMUNE_Y}, "0102")
    expected_units = re.search(r"Đã tổng hợp \d+/(\d+) xã", page).group(1)
    row = re.search(r'data-total="0102">\d+</a>(.*?)</td>', page, re.S).group(1)
    assert figures(row) == [f"{SURVEY} (01/04/2019): {total} · {n}/{expected_units} xã"]


def test_two_surveys_stand_side_by_side_newest_first_and_in_english(sent, console, tmp_path):
    import_baselines(sent, tmp_path, ROWS)
    import_baselines(
        sent, tmp_path, [[COMMUNE_A, "BM01", "2024", "0102", "", "", "75"]], "DTTS 2024", "2024-10-01"
    )
    console.sign_in("reviewer_x")
    console.get("/console/lang?to=en")
    page = console.get("/console/totals?form=BM01&period=2026").text
    row = re.search(r'data-total="0102">80</a>(.*?)</td>', page, re.S).group(1)
    assert figures(row) == [
        "DTTS 2024 (01/10/2024): 75 · 1/92 communes",
        f"{SURVEY} (01/04/2019): 1304 · 2/92 communes",
    ]
    assert "Baseline: DTTS 2024 (reference date 01/10/2024), with figures for 1 of 92 communes" in page


def test_without_baselines_the_totals_page_shows_none(sent, console):
    console.sign_in("reviewer_x")
    page = console.get("/console/totals?form=BM01&period=2026").text
    assert 'class="baseline"' not in page and 'class="baselines"' not in page


def test_markup_in_a_survey_name_is_shown_as_text(sent, console, tmp_path):
    import_baselines(sent, tmp_path, ROWS, survey="<script>alert(1)</script> Điều tra")
    console.sign_in("reviewer_x")
    page = console.get("/console/totals?form=BM01&period=2026").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Điều tra (01/04/2019): 1304" in page


def test_the_baselines_cost_one_read_whatever_the_number_of_cells(sent, console, tmp_path):
    import_baselines(sent, tmp_path, ROWS)
    console.sign_in("reviewer_x")
    statements: list[str] = []
    engine = sent.hub.db.engine

    def seen(conn, cursor, statement, *args):
        if "historical_values" in statement and "imports.survey" in statement:  # (legacy data: its own reads)
            statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        console.get("/console/totals?form=BM01&period=2026")
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    assert len(statements) == 2  # the cells, and each unit's totals: not one query per cell
