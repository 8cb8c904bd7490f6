"""Province totals, trends and drill-down (issue 14) through a real hub, on SQLite and PostgreSQL.

Officers of several communes submit over HTTP; the expected totals are added up here, independently of the
hub, from the values that were sent. The cell table the totals read is checked through the migration that
creates it too: a database whose reports were stored before ``0003`` gets its cells from them.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from dttscore import refdata
from dttscore.catalog import catalog_from_json
from dttshub import migrations
from dttshub.db import Database
from tests.support.hubfixture import (
    COMMUNE_A,
    COMMUNE_B,
    COMMUNE_Y,
    PROVINCE_X,
    TIMEOUT,
    make_submission,
    small_catalog,
)

FORM, PERIOD = "BM01", "2026"
ETH = ("02", "08")
# Three communes of province X (A, B and one more) and Y of another province.
COMMUNE_C = next(
    c.commune_code for c in refdata.communes_in(PROVINCE_X) if c.commune_code not in (COMMUNE_A, COMMUNE_B)
)


def totals_catalog(version: int = 1) -> dict:
    """The small test catalogue plus 0104 (decimal) and a derived rate: 0201 = 0103 / 0102 * 100."""
    data = small_catalog(version=version)
    data["indicators"].append(
        {
            "code": "0104",
            "group": "01",
            "name_vi": "Diện tích đất ở bình quân",
            "name_en": "Mean residential land",
            "unit": "ha",
            "value_type": "decimal",
            "min": "0",
            "order": 4,
        }
    )
    data["indicators"].append(
        {
            "code": "0105",
            "group": "01",
            "name_vi": "Ghi chú",
            "name_en": "Note",
            "unit": "",
            "value_type": "text",
            "order": 5,
        }
    )
    for entry in data["indicators"]:
        if entry["code"] == "0201":
            entry["aggregation"] = "0103 / 0102 * 100"
    data["forms"][0]["indicators"] = "0101-0105, 0201"
    data["rules"] = [r for r in data["rules"] if r["code"] != "R02"]
    return data


def random_values(rng: random.Random) -> dict[tuple[str, str], str]:
    """Values that pass the catalogue's rules, with decimals whose float sum is not exact (0.1 + 0.2)."""
    values = {}
    for eth in ETH:
        for sex in ("F", "M"):
            values[("0101", f"eth={eth}|sex={sex}")] = str(rng.randint(0, 500))
    households = rng.randint(10, 300)
    values[("0102", "")] = str(households)
    values[("0103", "")] = str(rng.randint(0, households))
    values[("0104", "")] = rng.choice(["0.1", "0.2", "0.7", "1.35", "12.005"])
    values[("0201", "")] = str(rng.randint(10, 100))
    values[("0105", "")] = rng.choice(["Không có gì", "12", "Đường bị sạt lở"])  # text: never added up
    return values


def expected_cells(values_by_unit: dict[str, dict]) -> dict[tuple[str, str], tuple[Decimal | None, int]]:
    """The totals computed here from the submitted values: per cell and per indicator (key "")."""
    out: dict[tuple[str, str], list] = {}
    for values in values_by_unit.values():
        per_code: dict[str, Decimal] = {}
        for (code, disagg), text in values.items():
            if code == "0105":
                text = "0"
            per_code[code] = per_code.get(code, Decimal(0)) + Decimal(text)
            if disagg:
                cell = out.setdefault((code, disagg), [Decimal(0), 0])
                cell[0] += Decimal(text)
                cell[1] += 1
        for code, value in per_code.items():
            cell = out.setdefault((code, ""), [Decimal(0), 0])
            cell[0] += value
            cell[1] += 1
    result = {k: (v[0], v[1]) for k, v in out.items()}
    if ("0105", "") in result:
        result[("0105", "")] = (None, result[("0105", "")][1])  # text: units that answered, no value
    if ("0102", "") in result:
        rate = result[("0103", "")][0] / result[("0102", "")][0] * 100
        units = min(result[("0103", "")][1], result[("0102", "")][1])
        result[("0201", "")] = (rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), units)
    return result


def as_json_cells(expected: dict) -> dict[tuple[str, str], tuple[str | None, int]]:
    return {k: (None if v is None else _canonical(v), n) for k, (v, n) in expected.items()}


def _canonical(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def submit(hub, user: str, unit: str, values: dict, device: str, **kw) -> dict:
    session = hub.session(user, device_id=device)
    doc = make_submission(values, unit=unit, form=FORM, period=kw.pop("period", PERIOD), eth_rows=ETH, **kw)
    r = session.post(
        hub.api + "/submissions:batch", json={"device_id": device, "submissions": [doc]}, timeout=TIMEOUT
    )
    assert r.status_code == 200, r.text
    [res] = r.json()["results"]
    assert res["status"] in ("accepted", "late"), (res.get("errors") or res, values)
    return {**res, "doc": doc}


@pytest.fixture
def province(tmp_path, db_url):
    """A hub with the totals catalogue and officers of A, B, C (province X) and Y; reviewer of X; admin *."""
    from tests.support.hubfixture import TEST_NOW, start_hub

    running = start_hub(tmp_path, db_url, clock=TEST_NOW)
    try:
        running.publish_catalog(totals_catalog())
        for user, unit in (("oa", COMMUNE_A), ("ob", COMMUNE_B), ("oc", COMMUNE_C), ("oy", COMMUNE_Y)):
            running.add_user(user, "officer", unit)
        running.add_user("rx", "reviewer", PROVINCE_X)
        running.add_user("root", "admin", "*")
        yield running
    finally:
        running.stop()


def _cells(doc: dict) -> dict[tuple[str, str], tuple[str | None, int]]:
    return {(c["code"], c["disagg"]): (c["value"], c["units"]) for c in doc["cells"]}


def test_totals_equal_the_sum_of_what_the_communes_sent(province):
    rng = random.Random(14)
    sent = {}
    big = {COMMUNE_A: "98765432109.8765", COMMUNE_B: "0.1", COMMUNE_C: "123456789012.345", COMMUNE_Y: "0.2"}
    for user, unit in (("oa", COMMUNE_A), ("ob", COMMUNE_B), ("oc", COMMUNE_C), ("oy", COMMUNE_Y)):
        sent[unit] = random_values(rng)
        sent[unit][("0104", "")] = big[unit]  # 15 significant digits: a float sum would be off
        submit(province, user, unit, sent[unit], f"dev-{user}")
    in_x = {u: v for u, v in sent.items() if u != COMMUNE_Y}

    reviewer = province.session("rx", device_id="dev-rx")
    r = reviewer.get(province.api + "/totals", params={"form": FORM, "period": PERIOD}, timeout=TIMEOUT)
    assert r.status_code == 200, r.text
    doc = r.json()
    expected_units = [c.commune_code for c in refdata.communes_in(PROVINCE_X)]
    assert doc["scope"] == PROVINCE_X
    assert doc["units_expected"] == len(expected_units)
    assert doc["units_included"] == 3
    assert sorted(doc["units_missing"]) == sorted(set(expected_units) - set(in_x))
    got = _cells(doc)
    want = as_json_cells(expected_cells(in_x))
    assert got == want
    # exact decimals: the 0104 total is the Decimal sum, e.g. "0.3" and never 0.30000000000000004
    assert got[("0104", "")][0] == _canonical(
        sum((Decimal(v[("0104", "")]) for v in in_x.values()), Decimal(0))
    )

    # the admin of every province sees all four; province Y alone is just Y
    admin = province.session("root", device_id="dev-root")
    everything = admin.get(
        province.api + "/totals", params={"form": FORM, "period": PERIOD, "province": "*"}, timeout=TIMEOUT
    ).json()
    assert everything["units_expected"] == len(refdata.communes())
    assert _cells(everything) == as_json_cells(expected_cells(sent))

    # drill-down: the communes that make a total, each with its own value
    r = reviewer.get(
        province.api + "/totals/units",
        params={"form": FORM, "period": PERIOD, "code": "0101", "disagg": "eth=02|sex=F"},
        timeout=TIMEOUT,
    )
    assert r.status_code == 200, r.text
    drill = r.json()
    assert {u["unit"]: u["value"] for u in drill["units"]} == {
        u: v[("0101", "eth=02|sex=F")] for u, v in in_x.items()
    }
    assert drill["cell"]["value"] == want[("0101", "eth=02|sex=F")][0]
    assert all(u["receipt_no"] for u in drill["units"])
    total_drill = reviewer.get(
        province.api + "/totals/units",
        params={"form": FORM, "period": PERIOD, "code": "0101"},
        timeout=TIMEOUT,
    ).json()
    assert sum(Decimal(u["value"]) for u in total_drill["units"]) == Decimal(want[("0101", "")][0])
    rate_drill = reviewer.get(
        province.api + "/totals/units",
        params={"form": FORM, "period": PERIOD, "code": "0201"},
        timeout=TIMEOUT,
    ).json()
    for u in rate_drill["units"]:
        v = in_x[u["unit"]]
        own = (Decimal(v[("0103", "")]) / Decimal(v[("0102", "")]) * 100).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
        assert Decimal(u["value"]) == own


def test_accepted_only_adds_up_what_the_reviewer_accepted(province):
    rng = random.Random(7)
    first = random_values(rng)
    res = submit(province, "oa", COMMUNE_A, first, "dev-a")
    b_values = random_values(rng)
    submit(province, "ob", COMMUNE_B, b_values, "dev-b")
    reviewer = province.session("rx", device_id="dev-rx")

    def totals(**params) -> dict:
        r = reviewer.get(
            province.api + "/totals", params={"form": FORM, "period": PERIOD, **params}, timeout=TIMEOUT
        )
        assert r.status_code == 200, r.text
        return r.json()

    assert totals(accepted_only="true")["units_included"] == 0
    province.review(reviewer, "accept", form=FORM, period=PERIOD)
    accepted = totals(accepted_only="true")
    assert accepted["units_included"] == 1 and _cells(accepted) == as_json_cells(expected_cells({"a": first}))

    # a revision after the acceptance: the latest totals move, the accepted ones do not
    second = dict(first)
    second[("0102", "")] = str(int(first[("0102", "")]) + 1000)
    submit(
        province,
        "oa",
        COMMUNE_A,
        second,
        "dev-a",
        revision_no=2,
        supersedes=res["doc"]["submission_id"],
        base_server_revision=2,
    )
    assert _cells(totals(accepted_only="true")) == as_json_cells(expected_cells({"a": first}))
    assert _cells(totals()) == as_json_cells(expected_cells({"a": second, "b": b_values}))
    # a return takes the report out of the accepted totals
    province.review(reviewer, "return", form=FORM, period=PERIOD)
    assert totals(accepted_only="true")["units_included"] == 0


def test_trends_give_the_last_periods_oldest_first(province):
    rng = random.Random(3)
    by_period = {}
    for period in ("2024", "2026"):
        by_period[period] = random_values(rng)
        submit(province, "oa", COMMUNE_A, by_period[period], f"dev-{period}", period=period)
    reviewer = province.session("rx", device_id="dev-rx")
    r = reviewer.get(
        province.api + "/trends", params={"form": FORM, "period": "2026", "periods": 3}, timeout=TIMEOUT
    )
    assert r.status_code == 200, r.text
    periods = r.json()["periods"]
    assert [p["period"] for p in periods] == ["2024", "2025", "2026"]
    assert [p["units_included"] for p in periods] == [1, 0, 1]
    assert _cells(periods[0]) == as_json_cells(expected_cells({"a": by_period["2024"]}))
    assert _cells(periods[2]) == as_json_cells(expected_cells({"a": by_period["2026"]}))
    assert all(c["value"] is None and c["units"] == 0 for c in periods[1]["cells"])
    bad = reviewer.get(
        province.api + "/trends", params={"form": FORM, "period": "2026", "periods": 0}, timeout=TIMEOUT
    )
    assert bad.status_code == 400


def test_unknown_form_or_period_is_refused_plainly(province):
    reviewer = province.session("rx", device_id="dev-rx")
    r = reviewer.get(province.api + "/totals", params={"form": "ZZ", "period": "2026"}, timeout=TIMEOUT)
    assert r.status_code == 404 and r.json()["error"]["code"] == "no_form"
    r = reviewer.get(province.api + "/totals", params={"form": FORM, "period": "2026Q1"}, timeout=TIMEOUT)
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_period"
    r = reviewer.get(
        province.api + "/totals/units",
        params={"form": FORM, "period": "2026", "code": "9999"},
        timeout=TIMEOUT,
    )
    assert r.status_code == 404 and r.json()["error"]["code"] == "no_indicator"


def test_the_routes_are_in_the_served_openapi(province):
    import requests

    doc = requests.get(province.url + "/openapi.json", timeout=TIMEOUT).json()
    for path, model in (
        ("/api/v1/totals", "TotalsReply"),
        ("/api/v1/trends", "TrendsReply"),
        ("/api/v1/totals/units", "DrilldownReply"),
    ):
        schema = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema["$ref"].endswith("/" + model)
    assert "cells" in doc["components"]["schemas"]["TotalsReply"]["properties"]


def _dttshub(hub, *args: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("dttshub")
    exe = [str(script)] if script.exists() else [sys.executable, "-m", "dttshub"]
    env = {k: v for k, v in os.environ.items() if k != "DTTSHUB_DB"}
    return subprocess.run(
        [*exe, *args, "--db", hub.db_url, "--data-dir", str(hub.data_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_cli_totals_json_and_vietnamese_text(province):
    rng = random.Random(5)
    sent = {COMMUNE_A: random_values(rng), COMMUNE_Y: random_values(rng)}
    submit(province, "oa", COMMUNE_A, sent[COMMUNE_A], "dev-a")
    submit(province, "oy", COMMUNE_Y, sent[COMMUNE_Y], "dev-y")
    p = _dttshub(province, "totals", "--form", FORM, "--period", PERIOD, "--province", PROVINCE_X, "--json")
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert doc["units_expected"] == len(refdata.communes_in(PROVINCE_X)) and doc["units_included"] == 1
    assert {(c["code"], c["disagg"]): (c["value"], c["units"]) for c in doc["cells"]} == as_json_cells(
        expected_cells({COMMUNE_A: sent[COMMUNE_A]})
    )
    assert all(
        set(c) == {"code", "disagg", "value", "units", "legacy_units", "legacy_incomplete"}
        for c in doc["cells"]
    )
    assert all(c["legacy_units"] == 0 for c in doc["cells"]) and doc["legacy_units"] == 0
    p = _dttshub(province, "totals", "--form", FORM, "--period", PERIOD)
    assert p.returncode == 0, p.stderr
    assert "Tổng hợp BM01 kỳ 2026 (cả nước): 2/" in p.stdout
    p = _dttshub(province, "totals", "--form", FORM, "--period", PERIOD, "--periods", "2", "--json")
    assert [d["period"] for d in json.loads(p.stdout)["periods"]] == ["2025", "2026"]
    p = _dttshub(province, "totals", "--form", FORM, "--period", PERIOD, "--province", "99")
    assert p.returncode == 1 and "không phải mã tỉnh" in p.stderr and "Traceback" not in p.stderr
    p = _dttshub(province, "totals", "--form", FORM, "--period", PERIOD, "--accepted-only", "--json")
    assert json.loads(p.stdout)["units_included"] == 0


def test_the_migration_fills_the_cell_table_from_reports_stored_before_it(tmp_path, db_url):
    """Reports stored, the schema taken back to 0001 (no cell table), then upgraded: the same totals."""
    from alembic import command

    from tests.support.hubfixture import TEST_NOW, start_hub

    rng = random.Random(11)
    sent = {}
    with start_hub(tmp_path, db_url, clock=TEST_NOW) as hub:
        hub.publish_catalog(totals_catalog())
        for user, unit in (("oa", COMMUNE_A), ("ob", COMMUNE_B)):
            hub.add_user(user, "officer", unit)
            sent[unit] = random_values(rng)
            submit(hub, user, unit, sent[unit], f"dev-{user}")
        url = hub.db_url
        before = hub.hub.totals.totals(FORM, PERIOD, PROVINCE_X)
    db = Database(url)
    try:
        with db.begin() as conn:
            command.downgrade(migrations.alembic_config(conn), "0001")
        with db.read() as conn:
            assert not sa.inspect(conn).has_table("cells")
            assert migrations.recorded_revision(conn) == "0001"
        before_state, after_state = db.create_schema()
        assert (before_state.revision, after_state.revision) == ("0001", migrations.HEAD)
        with db.read() as conn:
            rows = conn.execute(sa.text("SELECT count(*) FROM cells")).scalar()
            assert rows == sum(len(v) for v in sent.values())
            assert conn.execute(sa.text("SELECT max(version) FROM schema_version")).scalar() >= 3
    finally:
        db.dispose()
    with start_hub(tmp_path / "again", url, clock=TEST_NOW) as hub:
        after = hub.hub.totals.totals(FORM, PERIOD, PROVINCE_X)
    assert after == before
    assert {(c.code, c.disagg): c.value for c in after.cells} == {
        k: v for k, (v, _n) in expected_cells(sent).items()
    }


def test_the_catalogue_of_the_tests_loads():
    catalog = catalog_from_json(totals_catalog())
    assert catalog.indicator("0201").how_aggregated == "0103 / 0102 * 100"


# -- trends against each period's totals, over random reports -------------------------------------------
TREND_PERIODS = ("2022", "2023", "2024", "2025", "2026")
WIDE_ETH = ("02", "08", "09")
# up to the 15 digits a value may have; SQLite adds whole numbers itself, decimals (mixed with whole numbers in
# one cell's sum) through the exact decimal aggregate
WHOLE = ("0", "7", "480", "100000000000000", "999999999999999")
DECIMALS = ("0.1", "0.2", "1.35", "12.005", "98765432109.8765", "5", "123456789012345", "0.00000000000001")


def wide_values(rng: random.Random, eth_rows: tuple[str, ...]) -> dict[tuple[str, str], str]:
    """Values that pass the rules: some of the ethnic rows and sexes, big and small numbers, decimals."""
    values = {}
    for eth in eth_rows:
        for sex in rng.sample(("F", "M"), rng.randint(1, 2)):
            values[("0101", f"eth={eth}|sex={sex}")] = rng.choice((*WHOLE, str(rng.randint(0, 500))))
    households = rng.choice((*WHOLE[1:], str(rng.randint(10, 300))))
    values[("0102", "")] = households
    values[("0103", "")] = str(rng.randint(0, min(int(households), 10**6)))
    values[("0104", "")] = rng.choice(DECIMALS)
    values[("0201", "")] = str(rng.randint(10, 100))
    values[("0105", "")] = rng.choice(["Không có gì", "12", "Đường bị sạt lở"])
    return values


def import_random_legacy(hub, rng: random.Random, units, path) -> dict[tuple[str, str], dict]:
    """Import random legacy values of old communes merged whole into ``units``, over the trend's periods.

    Returns:
        ``{(2025 commune, period): {(code, disagg): value}}``: the values added up here per 2025 commune.
    """
    import csv

    from dttshub.legacy import shipped_crosswalk

    cw = shipped_crosswalk()
    olds = sorted(o for o in cw.targets if cw.merged_whole(o) in units)
    rows, out = [], {}
    for period in TREND_PERIODS:
        for old in rng.sample(olds, min(len(olds), rng.randint(0, 6))):
            into = out.setdefault((cw.merged_whole(old), period), {})
            values = {
                ("0102", ""): str(rng.randint(1, 10**6)),
                ("0103", ""): str(rng.randint(0, 50)),
                ("0104", ""): rng.choice(("0.1", "0.2", "1.35", "12.005", "5")),  # sums within 15 digits
                ("0101", "eth=02|sex=F"): rng.choice(WHOLE[:3]),
            }
            for (code, key), value in values.items():
                rows.append([old, FORM, period, code, "02" if key else "", "F" if key else "", value])
                into[(code, key)] = into.get((code, key), Decimal(0)) + Decimal(value)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["unit", "form", "period", "indicator", "eth", "sex", "value"])
        w.writerows(rows)
    if rows:
        hub.import_legacy(path, "vn-pre-2025", "test")
    return {k: {key: _canonical(v) for key, v in values.items()} for k, values in out.items()}


@pytest.mark.parametrize("seed", [1, 2])
def test_trends_equal_each_periods_totals_over_random_reports(tmp_path, db_url, seed):
    """Property: over random reports, revisions, reviews and legacy values, each period of a trend is exactly
    that period's totals computed on its own, and both equal the sums of what was sent (latest and accepted
    revisions), plus the legacy values of the communes that sent no report."""
    from dttshub.scope import Account
    from dttshub.totals import totals_json
    from tests.support.hubfixture import TEST_NOW, start_hub

    rng = random.Random(seed)
    units = [*(c.commune_code for c in refdata.communes_in(PROVINCE_X)[:8]), COMMUNE_Y]
    admin = Account("root", "admin", "*", "dev-root")
    reviewer = Account("rx", "reviewer", PROVINCE_X)
    latest: dict[tuple[str, str], dict] = {}  # (unit, period) -> the values of the head
    accepted: dict[tuple[str, str], dict | None] = {}  # the values a reviewer accepted (None: returned)
    with start_hub(tmp_path, db_url, clock=TEST_NOW) as running:
        running.publish_catalog(totals_catalog())
        hub = running.hub
        imported = import_random_legacy(hub, rng, units[:8], tmp_path / "legacy.csv")
        seen_legacy = 0
        for _round in range(4):
            for _ in range(rng.randint(4, 12)):
                unit, period = rng.choice(units), rng.choice(TREND_PERIODS)
                eth = tuple(sorted(rng.sample(WIDE_ETH, rng.randint(1, 3))))
                values = wide_values(rng, eth)
                with hub.db.read() as conn:
                    row = conn.execute(
                        sa.text(
                            "SELECT server_revision, head_submission_id FROM reports"
                            " WHERE unit = :u AND form = :f AND period = :p"
                        ),
                        {"u": unit, "f": FORM, "p": period},
                    ).first()
                extra = {}
                if row is not None:
                    extra = {"revision_no": 2, "supersedes": row[1], "base_server_revision": row[0]}
                doc = make_submission(values, unit=unit, form=FORM, period=period, eth_rows=eth, **extra)
                [res] = hub.ingest.ingest_many(admin, "dev-root", [doc])
                assert res["status"] in ("accepted", "late"), (res.get("errors") or res, values)
                latest[(unit, period)] = values
            for unit, period in rng.sample(sorted(latest), min(3, len(latest))):
                if unit == COMMUNE_Y:
                    continue
                decision = rng.choice(["accept", "accept", "return"])
                hub.reviews.review(reviewer, unit, FORM, period, decision, "kiểm tra")
                accepted[(unit, period)] = latest[(unit, period)] if decision == "accept" else None

            for accepted_only, source in ((False, latest), (True, accepted)):
                trend = hub.totals.trends(FORM, "2026", PROVINCE_X, periods=5, accepted_only=accepted_only)
                one_by_one = [
                    hub.totals.totals(FORM, p, PROVINCE_X, accepted_only=accepted_only) for p in TREND_PERIODS
                ]
                assert [totals_json(t) for t in trend] == [totals_json(t) for t in one_by_one]
                assert trend == one_by_one
                for result in trend:
                    sent = {
                        u: v
                        for (u, p), v in source.items()
                        if p == result.period and v is not None and u != COMMUNE_Y
                    }
                    assert set(result.units_included) == set(sent)
                    old = {
                        u: v
                        for (u, p), v in imported.items()
                        if p == result.period and (u, p) not in latest  # a unit that sent no report at all
                    }
                    assert set(result.units_legacy) == set(old)
                    seen_legacy += len(old)
                    sent = {**sent, **old}
                    got = _cells(totals_json(result))
                    if (
                        sent
                    ):  # (an indicator nobody answered, such as text only reports have: no value, 0 units)
                        want = {**{k: (None, 0) for k in got}, **as_json_cells(expected_cells(sent))}
                        assert got == want, (result.period, accepted_only)
                    else:
                        assert all(value is None and n == 0 for value, n in got.values())
        assert seen_legacy  # legacy values were in some of the totals checked


# -- legacy values in the totals (issue 17 item 2) ---------------------------------------------------------
# Old communes (vn-pre-2025) of the shipped crosswalk: 01834, 01840 and 01846 went whole into 01840;
# 01837 and 01843 are two of the four that went into 01843 (its sum is incomplete); 01849 and 01984 went into
# COMMUNE_A (01849), which also sends a real 2024 report; 05461 was split (partial); 0201 is derived (not_sum);
# 22771 went into 22780 and 22768 was split, both in province 56.
LEGACY_HEADER = ["unit", "form", "period", "indicator", "eth", "sex", "value"]
LEGACY_ROWS = [
    *[[u, FORM, "2024", "0102", "", "", v] for u, v in (("01834", "10"), ("01840", "20"), ("01846", "30"))],
    *[[u, FORM, "2024", "0103", "", "", v] for u, v in (("01834", "3"), ("01840", "4"), ("01846", "5"))],
    *[[u, FORM, "2024", "0101", "02", "F", v] for u, v in (("01834", "1"), ("01840", "2"), ("01846", "4"))],
    *[
        [u, FORM, "2024", "0104", "", "", v]
        for u, v in (("01834", "0.1"), ("01840", "0.2"), ("01846", "12.005"))
    ],
    ["01837", FORM, "2024", "0102", "", "", "7"],
    ["01843", FORM, "2024", "0102", "", "", "8"],
    ["01849", FORM, "2024", "0102", "", "", "100"],
    ["01984", FORM, "2024", "0102", "", "", "50"],
    ["05461", FORM, "2024", "0102", "", "", "40"],
    ["01867", FORM, "2024", "0201", "", "", "55"],
    ["22771", FORM, "2024", "0102", "", "", "20"],
    ["22768", FORM, "2024", "0102", "", "", "30"],
    *[[u, FORM, "2022", "0102", "", "", v] for u, v in (("01834", "11"), ("01840", "12"), ("01846", "13"))],
    *[[u, FORM, "2023", "0102", "", "", v] for u, v in (("01834", "21"), ("01840", "22"), ("01846", "23"))],
]
SUMMED = ("0101", "0102", "0103", "0104")


def legacy_by_new_unit(period: str, province: str, skip=()) -> dict[str, dict[tuple[str, str], str]]:
    """The legacy rows of ``period`` added up here per 2025 commune of ``province`` through the crosswalk."""
    from dttshub.legacy import shipped_crosswalk

    cw = shipped_crosswalk()
    out: dict[str, dict[tuple[str, str], Decimal]] = {}
    for old, _form, p, code, eth, sex, value in LEGACY_ROWS:
        new = cw.merged_whole(old)
        if p != period or code not in SUMMED or new is None or new in skip:
            continue
        if refdata.commune(new).province_code != province:
            continue
        key = (code, f"eth={eth}|sex={sex}" if eth else "")
        out.setdefault(new, {})[key] = out.get(new, {}).get(key, Decimal(0)) + Decimal(value)
    return {u: {k: str(v) for k, v in values.items()} for u, values in out.items()}


@pytest.fixture
def legacy(province, tmp_path):
    """The province hub with a legacy file for 2022–2024 imported, a real 2024 report of A, one 2026 of B."""
    import csv

    path = tmp_path / "cu-2024.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(LEGACY_HEADER)
        w.writerows(LEGACY_ROWS)
    province.hub.import_legacy(path, "vn-pre-2025", "test")
    rng = random.Random(17)
    sent = {COMMUNE_A: random_values(rng), COMMUNE_B: random_values(rng)}
    submit(province, "oa", COMMUNE_A, sent[COMMUNE_A], "dev-oa", period="2024")
    submit(province, "ob", COMMUNE_B, sent[COMMUNE_B], "dev-ob", period="2026")
    province.add_user("r56", "reviewer", "56")
    province.add_user("ry", "reviewer", refdata.commune(COMMUNE_Y).province_code)
    return province, sent


def test_legacy_values_stand_in_for_missing_reports(legacy):
    from dttshub.totals import totals_json

    province, sent = legacy
    hub = province.hub
    found = hub.totals.totals(FORM, "2024", PROVINCE_X)
    from_file = legacy_by_new_unit("2024", PROVINCE_X, skip={COMMUNE_A})
    assert sorted(from_file) == ["01840", "01843"]
    # the totals are the report of A plus the merged communes' sums; A's own legacy values (150) are not added
    assert _cells(totals_json(found)) == as_json_cells(
        expected_cells({COMMUNE_A: sent[COMMUNE_A], **from_file})
    )
    assert found.units_included == (COMMUNE_A,)
    assert found.units_legacy == ("01840", "01843") and found.legacy_incomplete == ("01843",)
    assert found.legacy_sources == ("cu-2024.csv",)
    cells = {(c.code, c.disagg): c for c in found.cells}
    assert (cells[("0102", "")].units, cells[("0102", "")].legacy_units) == (3, 2)
    assert cells[("0102", "")].legacy_incomplete == 1
    assert (cells[("0104", "")].value, cells[("0104", "")].legacy_units) == (
        Decimal(sent[COMMUNE_A][("0104", "")]) + Decimal("12.305"),
        1,
    )
    assert cells[("0101", "eth=02|sex=F")].legacy_units == 1
    # the communes with legacy values are not missing; the others are
    assert "01840" not in found.units_missing and "01843" not in found.units_missing
    assert len(found.units_missing) == len(refdata.communes_in(PROVINCE_X)) - 3
    # split communes and values that do not add up stay on their old commune: listed, in no total
    assert [(x.unit, x.flag, x.values) for x in found.legacy_left_out] == [
        ("01867", "not_sum", 1),
        ("05461", "partial", 1),
    ]
    # with accepted revisions only, A's report (waiting for review) is not counted, and its legacy values do
    # not come back in its place: A sent a report, so the old figures no longer speak for it
    accepted = hub.totals.totals(FORM, "2024", PROVINCE_X, accepted_only=True)
    assert accepted.units_included == () and accepted.units_legacy == ("01840", "01843")
    assert COMMUNE_A in accepted.units_missing
    assert {(c.code, c.disagg): c.value for c in accepted.cells}[("0102", "")] == Decimal(60 + 15)


def test_legacy_years_are_in_the_trend_and_equal_their_totals(legacy):
    from dttshub.totals import totals_json

    province, sent = legacy
    hub = province.hub
    trend = hub.totals.trends(FORM, "2026", PROVINCE_X, periods=5)
    assert [t.period for t in trend] == ["2022", "2023", "2024", "2025", "2026"]
    alone = [hub.totals.totals(FORM, p, PROVINCE_X) for p in ("2022", "2023", "2024", "2025", "2026")]
    assert trend == alone and [totals_json(t) for t in trend] == [totals_json(t) for t in alone]
    households = [next(c.value for c in t.cells if (c.code, c.disagg) == ("0102", "")) for t in trend]
    assert households[:2] == [Decimal(36), Decimal(66)]
    assert households[3] is None and households[4] == Decimal(sent[COMMUNE_B][("0102", "")])
    assert [len(t.units_legacy) for t in trend] == [1, 1, 2, 0, 0]


def test_completeness_never_counts_legacy_values_as_received(legacy):
    from dttshub.completeness import completeness
    from dttshub.scope import Account

    province, _sent = legacy
    hub = province.hub
    comp = completeness(hub.db, hub.catalogs, Account("rx", "reviewer", PROVINCE_X), FORM, "2024")
    states = {u.unit: u.state for u in comp.units}
    assert states["01840"] == states["01843"] == "not_sent"
    assert states[COMMUNE_A] in ("on_time", "late")


def test_another_province_sees_none_of_it(legacy):
    province, _sent = legacy
    hub = province.hub
    y = refdata.commune(COMMUNE_Y).province_code
    other = hub.totals.totals(FORM, "2024", y)
    assert other.units_legacy == () and other.legacy_left_out == () and other.legacy_sources == ()
    assert all(c.value is None and c.legacy_units == 0 for c in other.cells)
    south = hub.totals.totals(FORM, "2024", "56")
    assert south.units_legacy == ("22780",) and south.legacy_incomplete == ("22780",)
    assert [x.unit for x in south.legacy_left_out] == ["22768"]
    assert {(c.code, c.disagg): c.value for c in south.cells}[("0102", "")] == Decimal(20)
    # over HTTP: the province's reviewer gets the counts, another province's reviewer is refused
    params = {"form": FORM, "period": "2024"}
    doc = province.session("rx", device_id="dev-rx").get(province.api + "/totals", params=params).json()
    assert doc["legacy_units"] == 2 and doc["units_legacy"] == ["01840", "01843"]
    assert [x["unit"] for x in doc["legacy_left_out"]] == ["01867", "05461"]
    ry = province.session("ry", device_id="dev-ry")
    assert ry.get(province.api + "/totals", params={**params, "province": PROVINCE_X}).status_code == 403
    doc = ry.get(province.api + "/totals", params=params).json()
    assert doc["legacy_units"] == 0 and doc["legacy_left_out"] == []
    r56 = province.session("r56", device_id="dev-r56").get(province.api + "/totals", params=params).json()
    assert r56["units_legacy"] == ["22780"]
    p = _dttshub(province, "totals", "--form", FORM, "--period", "2024", "--province", PROVINCE_X)
    assert p.returncode == 0, p.stderr
    assert "Gồm số liệu cũ (nhập từ tệp cu-2024.csv, quy đổi theo danh mục xã 2025) của 2 xã" in p.stdout


def test_drilldown_marks_legacy_rows_with_their_file(legacy):
    province, sent = legacy
    rx = province.session("rx", device_id="dev-rx")
    r = rx.get(province.api + "/totals/units", params={"form": FORM, "period": "2024", "code": "0102"})
    assert r.status_code == 200, r.text
    units = {u["unit"]: u for u in r.json()["units"]}
    assert sorted(units) == ["01840", "01843", COMMUNE_A]
    assert (units["01840"]["value"], units["01840"]["status"], units["01840"]["legacy_source"]) == (
        "60",
        "legacy",
        "cu-2024.csv",
    )
    assert units["01843"]["legacy_incomplete"] and not units["01840"]["legacy_incomplete"]
    assert units[COMMUNE_A]["value"] == sent[COMMUNE_A][("0102", "")] and units[COMMUNE_A]["receipt_no"]
    assert units[COMMUNE_A]["legacy_source"] == "" and units[COMMUNE_A]["status"] != "legacy"
    # a derived figure of a legacy unit: its own 0103 / 0102 * 100
    r = rx.get(province.api + "/totals/units", params={"form": FORM, "period": "2024", "code": "0201"})
    assert {u["unit"]: u["value"] for u in r.json()["units"]}["01840"] == "20"


def test_totals_exports_follow_the_totals_and_unit_exports_do_not(legacy):
    import csv
    import io

    province, sent = legacy
    rx = province.session("rx", device_id="dev-rx")
    params = {"form": FORM, "period": "2024"}
    dvs = rx.get(province.api + "/export", params={**params, "format": "dvs"}).json()
    values = {(v["dataElement"], v["categoryOptionCombo"]): v["value"] for v in dvs["dataValues"]}
    assert values[("DTTS_0102", "default")] == str(int(sent[COMMUNE_A][("0102", "")]) + 60 + 15)
    r = rx.get(province.api + "/export", params={**params, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    with_values = {row["unit"] for row in rows if row["indicator"]}
    assert with_values == {COMMUNE_A}  # the long CSV lists the reports' values, never legacy ones
    assert {row["state"] for row in rows if row["unit"] in ("01840", "01843")} == {"not_sent"}
    # the Excel file says whose figures are legacy data; the ADX comment counts them
    import openpyxl

    r = rx.get(province.api + "/export", params={**params, "format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    form_text = " ".join(str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value)
    assert (
        "Số liệu cũ: gồm số liệu cũ (nhập từ tệp cu-2024.csv, quy đổi theo danh mục xã 2025) của 2 xã"
        in form_text
    )
    units = {row[1]: row[3] for row in book.worksheets[1].iter_rows(min_row=5, values_only=True)}
    assert (units["01840"], units["01843"], units[COMMUNE_A], units[COMMUNE_B]) == (
        "Số liệu cũ",
        "Số liệu cũ",
        "Đã tổng hợp",
        "Thiếu",
    )
    adx = rx.get(province.api + "/export", params={**params, "format": "adx"}).text
    assert "legacy data (imported history, mapped onto the 2025 communes) of 2 units" in adx
    # every province: a province with legacy data only (56) gets its block too
    root = province.session("root", device_id="dev-root")
    dvs = root.get(province.api + "/export", params={**params, "format": "dvs", "province": "*"}).json()
    south = {v["dataElement"]: v["value"] for v in dvs["dataValues"] if v["orgUnit"] == "56"}
    assert south == {"DTTS_0102": "20"}
