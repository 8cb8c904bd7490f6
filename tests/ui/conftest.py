"""Fixtures of the GUI tests: a real store on tmp_path with the sample catalogue, a real hub on 127.0.0.1,
the runners, and helpers that fill and finalize reports the way an officer would.

The data-entry engineer adds fixtures in ``tests/support/entry_fixtures.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from dttsclient.store import Store, Submission, warning_key
from dttsclient.sync.credentials import MemoryCredentials
from dttsclient.ui.session import SyncSession
from dttsclient.ui.tasks import SynchronousRunner, TaskRunner
from dttscore import refdata
from dttscore.catalog import load_catalog
from dttscore.model import Catalog

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "catalog" / "sample.json"
UNIT = "02701"  # Xã Y Tý, Lào Cai
OTHER_UNIT = "01849"  # a commune outside the officer's account (the hub rejects it)
OFFICER = "canbo.yty"
PASSWORD = "mat-khau-thu-nghiem"
TODAY = date(2026, 11, 21)
HUB_NOW = datetime(2026, 11, 21, 10, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def _no_leaked_excepthook() -> Iterator[None]:
    """The app installs its hook; a test must not leave it behind."""
    before = sys.excepthook
    yield
    sys.excepthook = before


@pytest.fixture(scope="session")
def sample_catalog() -> Catalog:
    return load_catalog(SAMPLE)


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    return tmp_path / "profiles" / "default"


@pytest.fixture
def store(profile_dir: Path, sample_catalog: Catalog) -> Iterator[Store]:
    """The GUI thread's store: sample catalogue, the commune set, no server."""
    s = Store.open(profile_dir)
    s.catalogs.import_catalog(sample_catalog)
    s.settings.set_profile(
        unit=UNIT, unit_name=refdata.commune(UNIT).commune_name, lang="vi", username=OFFICER
    )
    yield s
    s.close()


@pytest.fixture
def sync_runner() -> SynchronousRunner:
    return SynchronousRunner()


@pytest.fixture
def runner(qapp) -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.wait_for_done(30_000)


@pytest.fixture
def credentials() -> MemoryCredentials:
    return MemoryCredentials()


@pytest.fixture
def hub(tmp_path: Path):
    """A real hub with the officer (commune UNIT), a reviewer of its province and the sample catalogue."""
    from tests.support.hubfixture import start_hub

    with start_hub(tmp_path, clock=HUB_NOW) as running:
        running.officer = running.add_user(OFFICER, unit=UNIT, password=PASSWORD)
        running.reviewer = running.add_user("tinh.duyet", role="reviewer", unit="15", password=PASSWORD)
        running.publish_catalog(SAMPLE)
        yield running


@pytest.fixture
def session(profile_dir: Path, credentials: MemoryCredentials) -> SyncSession:
    return SyncSession(profile_dir, credentials)


@pytest.fixture
def signed_in(hub, store: Store, session: SyncSession) -> SyncSession:
    """The profile logged in to the hub (tokens in memory), history and catalogue downloaded."""
    import threading

    session.login(hub.url, OFFICER, PASSWORD, lambda _p: None, threading.Event())
    return session


def plausible_values(catalog: Catalog, form: str, eth: list[str]) -> dict[tuple[str, str], str]:
    """Values for every cell of a form that pass its error rules: every number starts at 10 and the
    right-hand side of a failing ``a <= b`` rule is multiplied by 10 until nothing fails."""
    import re
    from decimal import Decimal

    from dttscore.disagg import cell_keys
    from dttscore.validate import check_report

    values: dict[tuple[str, str], str] = {}
    for ind in catalog.form_indicators(form):
        for key in cell_keys(catalog, ind, eth):
            if ind.value_type == "text":
                values[(ind.code, key)] = "Ghi chú"
            elif ind.value_type == "yes_no":
                values[(ind.code, key)] = "1"
            elif ind.value_type == "percent":
                values[(ind.code, key)] = "50"
            else:
                values[(ind.code, key)] = "10"
    rules = {r.code: r for r in catalog.rules}
    for _ in range(30):
        errors = [p for p in check_report(catalog, form, values, eth) if p.is_error]
        if not errors:
            return values
        rule = rules.get(errors[0].code)
        assert rule is not None, errors[0].message_en
        for clause in rule.expression.split(" and "):
            if "<=" in clause:
                for code in re.findall(r"\b\d{4}\b", clause.split("<=")[1]):
                    for k in [k for k in values if k[0] == code]:
                        if catalog.indicator(code).value_type in ("integer", "decimal"):
                            values[k] = str(int(Decimal(values[k]) * 10))
    left = [p.message_en for p in check_report(catalog, form, values, eth) if p.is_error]
    raise AssertionError(f"no valid values for {form}: {left[:3]}")


def fill(store: Store, form: str, period: str, unit: str = UNIT, eth: tuple[str, ...] = ("02", "09")) -> int:
    """Type valid values into every cell of a report (as the grid would); the report id."""
    catalog = store.catalogs.current_catalog()
    assert catalog is not None
    report = store.reports.report(unit, form, period, create=True)
    assert report is not None
    if catalog.form(form).eth_options == "present":
        store.reports.set_eth_rows(report.id, list(eth))
    values = plausible_values(catalog, form, list(eth))
    store.reports.set_cells(report.id, [(c, d, v) for (c, d), v in values.items()], OFFICER)
    return report.id


def finalize(store: Store, report_id: int) -> Submission:
    """Finalize with a reason for every warning."""
    reasons = {
        warning_key(p): "Đã kiểm tra lại tại xã." for p in store.reports.check(report_id) if not p.is_error
    }
    return store.outbox.finalize(report_id, OFFICER, reasons)


def form_view_stub(store, report_id, lang, parent):
    """A light stand-in for tests that only look at the shell (the shipped app uses the real FormView)."""
    from PySide6.QtWidgets import QLabel

    return QLabel(f"report {report_id}", parent)


class ShellKit:
    """What the shell tests share (fixtures cannot be imported across files in importlib mode)."""

    UNIT = UNIT
    OTHER_UNIT = OTHER_UNIT
    OFFICER = OFFICER
    PASSWORD = PASSWORD
    TODAY = TODAY
    SAMPLE = SAMPLE
    fill = staticmethod(fill)
    finalize = staticmethod(finalize)
    form_view_stub = staticmethod(form_view_stub)


@pytest.fixture
def kit() -> type[ShellKit]:
    return ShellKit
