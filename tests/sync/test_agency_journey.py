"""A province agency works on the client exactly as a commune (issue 17 item 1): set up from its package,
sign in, enter, finalize, sync, see its hub status, print its paper — against a real hub."""

from __future__ import annotations

from datetime import date

import openpyxl

from dttsclient.store import Store
from dttsclient.sync.login import login, setup_import
from dttsclient.ui import overview
from dttsclient.usb.layout import layout_for_report
from dttsclient.usb.xlsx_report import export_xlsx
from tests.support.hubfixture import DEFAULT_PASSWORD, good_values, small_catalog
from tests.support.syncutil import FAST, sync

AGENCY = "19-SGDDT"
NAME = "Sở Giáo dục và Đào tạo"
OFFICER = "can_bo_so"


def test_agency_journey(tmp_path, data_dir, hub, proxy, creds):
    data = small_catalog(version=2)
    data["forms"][0]["reported_by"] = "both"
    data["forms"][1]["reported_by"] = "commune"
    hub.publish_catalog(data)
    hub.hub.units.add(AGENCY, NAME, "19")
    hub.add_user(OFFICER, "officer", AGENCY)
    package = hub.hub.setup_package(hub.hub.accounts.get_user(OFFICER), proxy.url)
    (tmp_path / "so.dttssetup").write_bytes(package)
    with Store.open(data_dir) as store:
        result = setup_import(store, tmp_path / "so.dttssetup")
        profile = store.settings.profile()
        assert (result.unit, profile.unit, profile.unit_name) == (AGENCY, AGENCY, NAME)
        login(store, proxy.url, OFFICER, DEFAULT_PASSWORD, creds, "PC sở", config=FAST)
        assert store.settings.profile().unit == AGENCY
        catalog = store.catalogs.current_catalog()
        # the form list shows the forms agencies report: BM01 (both), not BM02 (communes only)
        rows = overview.form_rows(store, catalog, AGENCY, None, "vi", date(2027, 1, 10))
        assert [r.form for r in rows] == ["BM01"]
        report = store.reports.report(AGENCY, "BM01", "2026", create=True)
        store.reports.set_eth_rows(report.id, ["02", "08"])
        store.reports.set_cells(report.id, [(c, d, v) for (c, d), v in good_values().items()], OFFICER)
        store.outbox.finalize(report.id, OFFICER)
        assert sync(store, creds).accepted == 1
        # the paper: the agency's own name heads it, with its province, and the head signs for it
        layout = layout_for_report(store, report.id)
        assert (layout.issuer, layout.province_name, layout.place) == (NAME, "Thái Nguyên", "Thái Nguyên")
        assert dict(layout.header_lines)["Đơn vị báo cáo"] == f"{NAME} (mã {AGENCY}), Thái Nguyên"
        path = export_xlsx(store, report.id, tmp_path / "so.xlsx")
        texts = {
            c
            for row in openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True)
            for c in row
            if isinstance(c, str)
        }
        assert NAME in texts and "THỦ TRƯỞNG CƠ QUAN" in texts and f"UBND {NAME}" not in texts
    # the hub holds the agency's report, in the completeness of province 19
    from dttshub.scope import Account

    doc = hub.hub.completeness(Account("r", "reviewer", "19"), "BM01", "2026").to_json()
    state = {u["unit"]: u["state"] for u in doc["units"]}
    assert state[AGENCY] == "on_time" and doc["expected"] == 93
