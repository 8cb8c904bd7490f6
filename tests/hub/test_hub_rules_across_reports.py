"""Rules across periods and forms give the same result on the client and on the hub (issue #16, item 3).

The client reads the other reports from its local store (``store.other_reports``), the hub from its cells
table (``dttshub.rule_sources``); both hand them to the same core code. The property test fills random
reports on both sides and compares every problem; the last test sends submissions to a running hub.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dttsclient.store import Store
from dttscore.periods import previous
from dttscore.validate import check_report
from dttshub import db as t
from dttshub.cells import cell_rows, insert_cells
from dttshub.db import Database
from dttshub.rule_sources import HubReports
from tests.core.test_rules_across_reports import cross_catalog
from tests.support.hubfixture import COMMUNE_A, TIMEOUT, good_values, make_submission, small_catalog

# (form, period, code, key) of every cell the random reports may hold
REPORTS = {
    ("F1", "2026"): [("0103", ""), ("0101", "eth=02|sex=F"), ("0102", "eth=02")],
    ("F1", "2025"): [("0103", ""), ("0101", "eth=02|sex=F"), ("0101", "eth=08|sex=M")],
    ("F2", "2026Q2"): [("0201", "area=A"), ("0201", "area=B"), ("0101", "eth=02|sex=F")],
    ("F2", "2025Q2"): [("0201", "area=A"), ("0201", "area=B")],
    ("F2", "2026Q1"): [("0201", "area=A")],
}
CELLS = [(form, period, code, key) for (form, period), cells in REPORTS.items() for code, key in cells]
_counter = itertools.count()


@pytest.fixture
def hub_db(tmp_path, db_url):
    db = Database(db_url or f"sqlite:///{tmp_path / 'hub.sqlite'}")
    db.create_schema()
    try:
        yield db
    finally:
        db.dispose()


def _hub_store(db: Database, reports: dict) -> None:
    now = datetime.now(timezone.utc).isoformat()
    with db.begin() as conn:
        conn.execute(t.cells.delete())
        conn.execute(t.reports.delete())
        for (form, period), values in reports.items():
            sid = f"s-{next(_counter)}"
            report_id = conn.execute(
                t.reports.insert().values(
                    unit=COMMUNE_A, form=form, period=period, head_submission_id=sid, updated_at=now
                )
            ).inserted_primary_key[0]
            insert_cells(conn, cell_rows(sid, report_id, 1, values))


def _key(problems):
    return [(p.severity, p.code, p.indicator, p.disagg, p.option, p.message_en) for p in problems]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.lists(st.one_of(st.none(), st.integers(0, 1000)), min_size=len(CELLS), max_size=len(CELLS)),
    current=st.sampled_from([("F1", "2026"), ("F2", "2026Q2")]),
)
def test_client_and_hub_give_the_same_result(tmp_path_factory, hub_db, data, current):
    catalog = cross_catalog()
    reports: dict[tuple[str, str], dict] = {}
    for (form, period, code, key), value in zip(CELLS, data, strict=True):
        if value is not None:
            reports.setdefault((form, period), {})[(code, key)] = str(value)
    mine = reports.pop(current, {})
    # the client: every report in the local store, the current one checked by the store
    with Store.open(tmp_path_factory.mktemp("client")) as store:
        store.settings.set_profile(unit=COMMUNE_A)
        store.catalogs.import_catalog(catalog)
        for (form, period), values in [*reports.items(), (current, mine)]:
            report = store.reports.report(COMMUNE_A, form, period, create=True)
            store.reports.set_cells(report.id, [(c, k, v) for (c, k), v in values.items()], "can_bo")
        client = store.reports.check(report.id)
    # the hub: the other reports as stored submissions in its cells table, the current one as received
    _hub_store(hub_db, reports)
    # the previous period's head values, as ``content.previous_head_values`` reads them from the reports table
    earlier_period = previous(current[1])
    earlier = reports.get((current[0], earlier_period), {})
    with hub_db.connect() as conn:
        hub = check_report(
            catalog,
            current[0],
            mine,
            None,
            period=current[1],
            others=HubReports(conn, COMMUNE_A),
            earlier=earlier,
            earlier_period=earlier_period,
        )
    assert _key(client) == _key(hub)


def test_the_hub_rejects_a_report_that_fails_a_rule_on_last_year(hub):
    data = small_catalog(version=2)
    data["rules"].append(
        {
            "code": "Y1",
            "expression": "0102 <= 2 * 0102[period=-1]",
            "severity": "error",
            "message_vi": "Số hộ tăng hơn gấp đôi so với năm trước.",
            "message_en": "Households more than doubled since last year.",
            "forms": ["BM01"],
        }
    )
    hub.publish_catalog(data)
    hub.add_user("officer_a")
    s = hub.session("officer_a")

    def send(period, households):
        values = {**good_values(), ("0102", ""): households}
        doc = make_submission(values, period=period, catalog_version=2)
        return s.post(hub.api + "/submissions:batch", json={"submissions": [doc]}, timeout=TIMEOUT).json()[
            "results"
        ][0]

    stored = ("accepted", "late")
    assert send("2026", "300")["status"] in stored  # nothing for 2025 yet: the rule is skipped
    assert send("2024", "100")["status"] in stored
    res = send("2025", "250")  # more than twice 2024's 100
    assert res["status"] == "rejected" and [e["code"] for e in res["errors"]] == ["Y1"]
    assert send("2025", "200")["status"] in stored
