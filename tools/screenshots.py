"""Render the README's screenshots offscreen (``widget.grab()``), against the demo's embedded hub.

    python tools/screenshots.py [--out docs]

Writes ``screenshot-main.png`` (the forms of a period with their badges), ``screenshot-grid.png`` (data
entry with a validation message beside a cell) and ``screenshot-sync.png`` (the result of a sync with
one item that needs attention). Needs the ``hub`` extra (the demo hub).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

OTHER_UNIT = "02683"  # Xã Bát Xát: not the demo officer's commune, so the hub refuses that report


def _values(catalog, form: str, eth: list[str]) -> dict[tuple[str, str], str]:
    """Plausible values for a form that pass its error rules (the larger side of a failing a <= b grows)."""
    from dttscore.disagg import cell_keys
    from dttscore.validate import check_report

    values = {}
    for ind in catalog.form_indicators(form):
        for key in cell_keys(catalog, ind, eth):
            values[(ind.code, key)] = {"text": "Ghi chú", "yes_no": "1", "percent": "50"}.get(
                ind.value_type, "10"
            )
    rules = {r.code: r for r in catalog.rules}
    for _ in range(30):
        errors = [p for p in check_report(catalog, form, values, eth) if p.is_error]
        if not errors:
            break
        for clause in rules[errors[0].code].expression.split(" and "):
            if "<=" in clause:
                for code in re.findall(r"\b\d{4}\b", clause.split("<=")[1]):
                    for k in [k for k in values if k[0] == code]:
                        if catalog.indicator(code).value_type in ("integer", "decimal"):
                            values[k] = str(int(Decimal(values[k]) * 10))
    return values


def _fill(store, unit: str, form: str, period: str, eth=("02", "09", "13")) -> int:
    catalog = store.catalogs.current_catalog()
    report = store.reports.report(unit, form, period, create=True)
    if catalog.form(form).eth_options == "present":
        store.reports.set_eth_rows(report.id, list(eth))
    values = _values(catalog, form, list(eth))
    store.reports.set_cells(report.id, [(c, d, v) for (c, d), v in values.items()], "canbo.yty")
    return report.id


def _finalize(store, report_id: int):
    from dttsclient.store import warning_key

    reasons = {
        warning_key(p): "Đã kiểm tra lại tại xã." for p in store.reports.check(report_id) if not p.is_error
    }
    return store.outbox.finalize(report_id, "canbo.yty", reasons)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs")
    args = parser.parse_args(argv)
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QApplication

    from dttsclient.store import Store
    from dttsclient.ui.demo import DemoEnvironment
    from dttsclient.ui.i18n import Translations
    from dttsclient.ui.main_window import MainWindow
    from dttsclient.ui.tasks import SynchronousRunner
    from dttscore import periods

    app = QApplication.instance() or QApplication(sys.argv[:1])
    Translations(app).install("vi")
    args.out.mkdir(parents=True, exist_ok=True)
    today = date.today()
    month = periods.containing("month", today)
    last = periods.parse_period(periods.previous(month.code))  # the month just ended
    quarter = periods.containing("quarter", last.start)
    with DemoEnvironment() as demo, Store.open(demo.profile_dir) as store:
        unit = store.settings.profile().unit
        # a history: last month's report sent and accepted, the quarter in progress, one refused item
        _finalize(store, _fill(store, unit, "BM04", last.code))
        _finalize(store, _fill(store, unit, "BM02", periods.containing("half_year", last.start).code))
        _finalize(store, _fill(store, OTHER_UNIT, "BM04", last.code))
        window = MainWindow(store, SynchronousRunner(), demo.session, today=today)
        window.resize(1280, 760)
        window.show()
        window.start_sync()
        _fill(store, unit, "BM03", quarter.code)
        window.set_period(last.code)
        window.tabs.setCurrentWidget(window.list_page)
        window.refresh()
        app.processEvents()
        window.grab().save(str(args.out / "screenshot-main.png"))

        window.tabs.setCurrentWidget(window.sync_view)
        app.processEvents()
        window.grab().save(str(args.out / "screenshot-sync.png"))

        # data entry with a rule broken: more ethnic-minority households than households in the commune
        report = store.reports.report(unit, "BM01", periods.containing("year", last.start).code, create=True)
        store.reports.set_eth_rows(report.id, ["02", "09"])
        store.reports.set_cells(
            report.id,
            [
                ("0101", "eth=02|sex=M", "812"),
                ("0101", "eth=02|sex=F", "845"),
                ("0101", "eth=09|sex=M", "431"),
                ("0101", "eth=09|sex=F", "446"),
                ("0102", "eth=02", "402"),
                ("0102", "eth=09", "219"),
                ("0103", "sex=M", "1390"),
                ("0103", "sex=F", "1402"),
                ("0104", "", "600"),
            ],
            "canbo.yty",
        )
        window.open_report(report.id)
        view = window.form_view
        view.recheck()
        app.processEvents()
        problems = view.problems()
        if problems:
            view.focus_problem(next(p for p in problems if p.is_error))
        app.processEvents()
        window.grab().save(str(args.out / "screenshot-grid.png"))
        window.close()
        del QDate
    for name in ("screenshot-main.png", "screenshot-grid.png", "screenshot-sync.png"):
        print(args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
