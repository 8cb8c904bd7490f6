"""A real dttshub on 127.0.0.1 for tests: start it, add users, publish a catalogue, make submissions.

Used by the hub's own tests and by the sync engine and GUI tests::

    from tests.support.hubfixture import start_hub

    def test_something(tmp_path):
        with start_hub(tmp_path) as hub:
            hub.add_user("can_bo", unit="01849")
            hub.publish_catalog()               # the small test catalogue (or pass SAMPLE_CATALOG)
            token = hub.login("can_bo")["access_token"]
            requests.get(hub.url + "/api/v1/ping", timeout=10)

The hub runs in a daemon thread (``dttshub.embedded.EmbeddedHub``: uvicorn with a graceful-shutdown
timeout) over an SQLite file in ``tmp_path`` unless ``db_url`` says otherwise. Password hashing is made
cheap (argon2 time 1, 8 KiB) so logins stay fast, SQLite commits skip the fsync (``synchronous=NORMAL``:
the hub's default is FULL); the clock is a :class:`MutableClock` tests can move.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import threading
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import requests

from dttscore.catalog import catalog_from_json
from dttscore.disagg import cell_keys
from dttscore.model import Catalog
from dttscore.payload import payload_sha256, values_to_list
from dttscore.validate import check_report
from dttshub.embedded import EmbeddedHub
from tests.support import catalogs

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_CATALOG = ROOT / "resources" / "catalog" / "sample.json"
DEFAULT_PASSWORD = "mat-khau-thu-nghiem"
FAST_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_cost": 8, "argon2_parallelism": 1}
NO_LOGIN_DELAY = {"login_failure_delay": 0.0}  # tests of many wrong passwords need not wait 1 s for each
ENV_POSTGRES = "DTTS_TEST_POSTGRES_URL"
TIMEOUT = 30

# A moment after 2026 ended and before the deadline of the 2026 annual report (BM01: 30 days).
TEST_NOW = datetime(2027, 1, 10, 3, 0, tzinfo=timezone.utc)
# Communes used across the hub tests: two in Thái Nguyên (19), one in Hà Nội (01).
COMMUNE_A = "01849"
COMMUNE_B = "01864"
PROVINCE_X = "19"
COMMUNE_Y = "00004"
PROVINCE_Y = "01"


class MutableClock:
    """A clock tests can set or move; it follows real time from the moment it was last set."""

    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        if start is not None:
            self.set(start)

    def __call__(self) -> datetime:
        with self._lock:
            return datetime.now(timezone.utc) + self._offset

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        with self._lock:
            self._offset = moment - datetime.now(timezone.utc)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += timedelta(seconds=seconds)


def small_catalog(version: int = 1, catalog_id: str = "test-dtts") -> dict:
    """The hub tests' catalogue: :func:`tests.support.catalogs.small_catalog` of the ``hub`` shape."""
    return catalogs.small_catalog("hub", version=version, catalog_id=catalog_id)


def good_values() -> dict[tuple[str, str], str]:
    """Values of BM01 of :func:`small_catalog` that pass every rule (ethnic rows 02 and 08)."""
    return {
        ("0101", "eth=02|sex=F"): "120",
        ("0101", "eth=02|sex=M"): "115",
        ("0101", "eth=08|sex=F"): "40",
        ("0101", "eth=08|sex=M"): "38",
        ("0102", ""): "80",
        ("0103", ""): "12",
        ("0201", ""): "96.5",
    }


def make_submission(
    values: Mapping[tuple[str, str], str],
    *,
    unit: str = COMMUNE_A,
    form: str = "BM01",
    period: str = "2026",
    catalog_id: str = "test-dtts",
    catalog_version: int = 1,
    revision_no: int = 1,
    supersedes: str | None = None,
    base_server_revision: int = 0,
    eth_rows: Iterable[str] = ("02", "08"),
    warnings: list[dict] | None = None,
    submission_id: str | None = None,
    comments: list[dict] | None = None,
) -> dict:
    """A submission document as the client sends it (docs/architecture.md), with its payload hash."""
    return {
        "submission_id": submission_id or str(uuid.uuid4()),
        "unit": unit,
        "unit_list": "vn-2025-07",
        "form": form,
        "period": period,
        "revision_no": revision_no,
        "supersedes": supersedes,
        "base_server_revision": base_server_revision,
        "catalog_id": catalog_id,
        "catalog_version": catalog_version,
        "finalized_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "payload_sha256": payload_sha256(values),
        "values": values_to_list(values),
        "comments": comments or [],
        "change_log": [],
        "warnings": warnings or [],
        "eth_rows": list(eth_rows),
        "eth_system": "gso-1979",
    }


def make_bundle(
    docs: list[dict],
    *,
    device_id: str = "device-courier",
    commune: str = COMMUNE_A,
    tamper: Mapping[str, bytes] | None = None,
    extra_members: Mapping[str, bytes] | None = None,
) -> bytes:
    """A courier bundle (``*.dttsgoi``) of ``docs``; ``tamper`` replaces a member's bytes after hashing."""
    members: dict[str, bytes] = {}
    entries = []
    for doc in docs:
        name = f"submissions/{doc['submission_id']}.json"
        data = json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8")
        members[name] = data
        entries.append(
            {"submission_id": doc["submission_id"], "file": name, "sha256": hashlib.sha256(data).hexdigest()}
        )
    for name, data in (tamper or {}).items():
        members[name] = data
    manifest = {
        "format": "dttsgoi",
        "format_version": 1,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "app_version": "0.1.0",
        "device": {"device_id": device_id, "device_name": "Máy xã"},
        "commune": commune,
        "submissions": entries,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
        for name, data in members.items():
            zf.writestr(name, data)
        for name, data in (extra_members or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def valid_values(catalog: Catalog, form: str, eth_rows: list[str] | None = None) -> tuple[dict, list[dict]]:
    """Values for a form that pass the catalogue's errors, and reasons for its warnings.

    ``eth_rows`` are the report's ethnic groups (02 and 08 by default; every group for a form whose
    ``eth_options`` is "all"). Every numeric cell gets ``K / (cells of its indicator)``, so all indicators have the same total and
    rules such as ``A <= B`` or ``A[eth=*] <= B[eth=*]`` hold; percentages and bounded values take a value
    inside their range. While an error remains, the change to one of the indicators its rule names that
    leaves the fewest errors is made: divide or multiply its cells by 10, or empty it when it is optional
    (a rule with an empty operand is skipped).

    Returns:
        ``(values, warnings)`` ready for :func:`make_submission`.
    """
    import math
    from decimal import Decimal

    from dttscore import rules

    eth = eth_rows if eth_rows is not None else ["02", "08"]
    if catalog.form(form).eth_options == "all":
        eth = None
    keys = {ind.code: cell_keys(catalog, ind, eth) for ind in catalog.form_indicators(form)}
    total = 10 * math.lcm(*(len(k) for k in keys.values()))
    values: dict[tuple[str, str], str] = {}
    for ind in catalog.form_indicators(form):
        for key in keys[ind.code]:
            if ind.value_type == "text":
                value = "Ghi chú"
            elif ind.value_type == "yes_no":
                value = "1"
            elif ind.max is not None or ind.value_type == "percent":
                low, high = ind.min or Decimal(0), ind.max if ind.max is not None else Decimal(100)
                value = str(int((low + high) / 2))
            else:
                value = str(max(ind.min or 0, total // len(keys[ind.code])))
            values[(ind.code, key)] = value

    def errors_of(vals: dict) -> list:
        return [p for p in check_report(catalog, form, vals, eth) if p.is_error]

    def scaled(vals: dict, code: str, factor: Decimal) -> dict:
        ind = catalog.indicator(code)
        out = dict(vals)
        for k, v in vals.items():
            if k[0] == code:
                new = max(Decimal(v) * factor, ind.min or Decimal(0))
                out[k] = str(int(new)) if ind.value_type == "integer" else str(new.normalize())
        return out

    errors = errors_of(values)
    seen = {frozenset(values.items())}
    for _ in range(100):
        if not errors:
            break
        p = errors[0]
        named = [p.indicator]
        rule = next((r for r in catalog.rules if r.code == p.code), None)
        if rule is not None:
            named += [ref.code for ref in rules.references(rules.parse(rule.expression))]
        present = {code for code, _ in values}
        candidates = []
        for code in dict.fromkeys(c for c in named if c in present):
            ind = catalog.indicator(code)
            if ind.value_type in ("integer", "decimal") and ind.max is None:
                candidates += [scaled(values, code, Decimal("0.1")), scaled(values, code, Decimal(10))]
            if not ind.required:
                candidates.append({k: v for k, v in values.items() if k[0] != code})
        fresh = [c for c in candidates if frozenset(c.items()) not in seen]
        scored = sorted((len(errors_of(c)), i) for i, c in enumerate(fresh))
        if not scored or scored[0][0] > len(errors):  # a sideways move is allowed, never a worse one
            raise AssertionError(f"cannot build valid values for {form}: {p.message_en}")
        values = fresh[scored[0][1]]
        seen.add(frozenset(values.items()))
        errors = errors_of(values)
    warnings = [
        {"rule": p.code, "option": p.option, "reason": "Số liệu đã được kiểm tra lại tại xã."}
        for p in check_report(catalog, form, values, eth)
    ]
    return values, warnings


def pg_schema_url(base_url: str, schema: str) -> str:
    """``base_url`` with its ``search_path`` set to ``schema`` (one schema per test keeps tests apart)."""
    import sqlalchemy as sa

    url = sa.engine.make_url(base_url.replace("postgresql://", "postgresql+psycopg://", 1))
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def create_pg_schema(base_url: str) -> tuple[str, str]:
    """Make a fresh schema on the PostgreSQL server of ``base_url``; returns ``(schema, url)``."""
    import sqlalchemy as sa

    schema = "t_" + uuid.uuid4().hex[:12]
    engine = sa.create_engine(base_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    return schema, pg_schema_url(base_url, schema)


def drop_pg_schema(base_url: str, schema: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(base_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    engine.dispose()


@dataclass
class RunningHub:
    """A hub serving on 127.0.0.1 (see :func:`start_hub`)."""

    embedded: EmbeddedHub
    db_url: str
    data_dir: Path
    clock: MutableClock
    _sessions: list[requests.Session] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.embedded.url

    @property
    def api(self) -> str:
        return self.embedded.url + "/api/v1"

    @property
    def hub(self):
        """The :class:`dttshub.service.Hub` behind the server (direct access to every operation)."""
        return self.embedded.hub

    @property
    def server_id(self) -> str:
        return self.hub.server_id

    @property
    def signing_key(self) -> str:
        return self.hub.signer.public_key_b64

    def add_user(
        self, username: str, role: str = "officer", unit: str = COMMUNE_A, password: str = DEFAULT_PASSWORD
    ):
        """Create an account directly in the hub database."""
        return self.hub.accounts.add_user(username, role, unit, password)

    def publish_catalog(self, catalog: dict | Catalog | str | Path | None = None):
        """Publish a catalogue: a JSON dict, a Catalog, a file, or (None) the small test catalogue."""
        if catalog is None:
            catalog = small_catalog()
        if isinstance(catalog, (str, Path)):
            from dttscore.catalog import load_catalog

            catalog = load_catalog(catalog)
        if isinstance(catalog, dict):
            catalog = catalog_from_json(catalog)
        return self.hub.catalogs.publish(catalog, by="test")

    def login(self, username: str, password: str = DEFAULT_PASSWORD, device_id: str = "device-1") -> dict:
        """``POST auth/token`` over HTTP; returns the reply (raises on a non-200)."""
        r = requests.post(
            self.api + "/auth/token",
            json={"username": username, "password": password, "device_id": device_id, "device_name": "PC xã"},
            timeout=TIMEOUT,
        )
        r.raise_for_status()
        return r.json()

    def session(
        self, username: str, password: str = DEFAULT_PASSWORD, device_id: str = "device-1"
    ) -> requests.Session:
        """A ``requests.Session`` logged in as ``username`` (closed by :meth:`stop`)."""
        s = requests.Session()
        token = self.login(username, password, device_id)["access_token"]
        s.headers.update(
            {"Authorization": f"Bearer {token}", "X-Device-Id": device_id, "User-Agent": "dttsclient/0.1.0"}
        )
        self._sessions.append(s)
        return s

    def review(
        self,
        reviewer: str | requests.Session,
        decision: str,
        comment: str = "",
        *,
        unit: str = COMMUNE_A,
        form: str = "BM01",
        period: str = "2026",
        expect: int | None = 200,
        **extra: Any,
    ) -> requests.Response:
        """``POST reviews``: accept or return one report over HTTP, as a reviewer would.

        Args:
            reviewer: a signed-in session, or a username (signed in with the default password on the
                device ``dev-<username>``).
            decision: ``"accept"`` or ``"return"`` (anything else, for the tests of a refusal).
            comment: the reviewer's comment.
            unit / form / period: the report.
            expect: the status the reply must have (an assertion names the body); None: any.
            extra: more fields of the request body (``submission_id=...``).

        Returns:
            The reply (``.json()["report"]``: the report after the review).
        """
        session = reviewer if isinstance(reviewer, requests.Session) else self.session(
            reviewer, device_id=f"dev-{reviewer}"
        )
        body = {"unit": unit, "form": form, "period": period, "decision": decision, "comment": comment, **extra}
        r = session.post(self.api + "/reviews", json=body, timeout=TIMEOUT)
        if expect is not None:
            assert r.status_code == expect, r.text
        return r

    def stop(self) -> None:
        for s in self._sessions:
            s.close()
        self._sessions.clear()
        self.embedded.stop()

    def __enter__(self) -> RunningHub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_hub(tmp_path: Path, db_url: str | None = None, **config: Any) -> RunningHub:
    """Start a hub on a free port of 127.0.0.1.

    Args:
        tmp_path: the test's directory (the hub's data directory and SQLite file go in ``tmp_path/hub``).
        db_url: another database (e.g. a PostgreSQL URL from :func:`create_pg_schema`).
        **config: any :class:`dttshub.config.HubConfig` field; ``clock`` (a callable, or a datetime to
            start a :class:`MutableClock` at) defaults to a :class:`MutableClock` on real time,
            ``environment`` to "test", argon2 to cheap parameters.
    """
    data_dir = Path(tmp_path) / "hub"
    data_dir.mkdir(parents=True, exist_ok=True)
    url = db_url or f"sqlite:///{data_dir / 'hub.sqlite'}"
    clock = config.pop("clock", None) or MutableClock()
    if isinstance(clock, datetime):
        clock = MutableClock(clock)
    settings = {
        **FAST_ARGON2,
        **NO_LOGIN_DELAY,
        "environment": "test",
        "data_dir": data_dir,
        "sqlite_synchronous": "NORMAL",
        **config,
    }
    embedded = EmbeddedHub(url, clock=clock, **settings).start()
    return RunningHub(embedded, url, data_dir, clock)


def postgres_url() -> str | None:
    """The PostgreSQL server for tests (``$DTTS_TEST_POSTGRES_URL``), or None."""
    return os.environ.get(ENV_POSTGRES) or None


__all__ = [
    "COMMUNE_A",
    "COMMUNE_B",
    "COMMUNE_Y",
    "DEFAULT_PASSWORD",
    "FAST_ARGON2",
    "PROVINCE_X",
    "PROVINCE_Y",
    "SAMPLE_CATALOG",
    "TEST_NOW",
    "MutableClock",
    "RunningHub",
    "create_pg_schema",
    "drop_pg_schema",
    "good_values",
    "make_bundle",
    "make_submission",
    "postgres_url",
    "small_catalog",
    "start_hub",
    "valid_values",
]
