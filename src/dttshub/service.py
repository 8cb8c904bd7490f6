"""The hub: one object that owns the database and offers every operation to the HTTP API and the CLI.

Both front ends call the same methods, so ``dttshub courier import`` and ``POST /bundles`` (or
``dttshub review`` and ``POST /reviews``) cannot drift apart.
"""

from __future__ import annotations

import getpass
import logging
import secrets
import time
import uuid
from functools import cached_property

import sqlalchemy as sa
from pydantic import ValidationError

from dttscore.wire import PAYLOAD_V1, PAYLOAD_VERSIONS
from dttshub import db as t
from dttshub import generation
from dttshub.accounts import Accounts
from dttshub.bundles import read_bundle
from dttshub.catalogs import Catalogs
from dttshub.changes import Changes, scope_filter
from dttshub.config import HubConfig
from dttshub.db import Database, iso
from dttshub.errors import BadRequest, NotFound, TooLarge
from dttshub.generation import HIGHWATER_FILE, GenerationState, HighWaterFile, Watch
from dttshub.protocol import BatchRequest
from dttshub.reportstate import report_to_json
from dttshub.reviews import Reviews
from dttshub.scope import ALL_UNITS, Account
from dttshub.setup_package import API_VERSION, build_setup_package
from dttshub.signing import Signer
from dttshub.submissions import Ingest
from dttshub.totals import Totals
from dttshub.units import Units

logger = logging.getLogger(__name__)

GENERATION_TTL = 5.0
_VALUE_COLUMNS = ("values_json", "comments_json", "eth_rows_json")  # what report lists leave out


def cli_account() -> Account:
    """The account the admin CLI acts as: an admin of everything, named after the OS user."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no user name in some containers
        who = "admin"
    return Account(f"cli:{who}"[:64], "admin", ALL_UNITS, "cli")


class Hub:
    """A hub instance over one database.

    Args:
        config: the configuration; the schema is created on first use.
    """

    def __init__(self, config: HubConfig) -> None:
        self.config = config
        self.db = Database(
            config.resolved_db_url(),
            config.sqlite_synchronous,
            pool_size=config.db_pool_size,
            max_overflow=config.db_max_overflow,
            pool_timeout=config.db_pool_timeout,
        )
        self.db.create_schema(config.now())
        self.server_id = self._ensure_server_id()
        # a database restored from an older copy starts a new generation here (dttshub.generation)
        self.highwater = HighWaterFile(config.resolved_data_dir() / HIGHWATER_FILE)
        self.generation_state: GenerationState = generation.start_up(
            self.db, self.server_id, self.highwater, config.now()
        )
        self.generation = self.generation_state.generation
        self._generation_read = time.monotonic()
        self._watch = Watch(self.db, self.server_id, self.highwater, config.now, config.highwater_interval)
        self.accounts = Accounts(self.db, config)
        self.catalogs = Catalogs(self.db, config)
        self.ingest = Ingest(self.db, config, self.catalogs)
        self.changes = Changes(self.db, config, self.regressed)
        self.reviews = Reviews(self.db, config, self.catalogs)
        self.totals = Totals(self.db, self.catalogs)
        self.units = Units(self.db, config)

    def watch(self) -> None:
        """Keep the high-water file up to date while serving (every ``highwater_interval`` seconds)."""
        self._watch.start()

    def new_generation(self, reason: str) -> GenerationState:
        """Start a new database generation (``dttshub db new-generation``, after a manual restore)."""
        self.generation_state = generation.new_generation(
            self.db, self.server_id, self.highwater, self.config.now(), reason
        )
        self.generation = self.generation_state.generation
        return self.generation_state

    def regressed(self, seen: str, reason: str) -> str:
        """A client's cursor proved that the database went back: start a new generation (once)."""
        state = generation.new_generation(
            self.db, self.server_id, self.highwater, self.config.now(), reason, expect=seen
        )
        if state.started:
            self.generation_state = state
        self.generation = state.generation
        self._generation_read = time.monotonic()
        return state.generation

    def current_generation(self) -> str:
        """The database generation, read again at most every :data:`GENERATION_TTL` seconds: another
        process of the hub may have started a new one."""
        if time.monotonic() - self._generation_read > GENERATION_TTL:
            with self.db.read() as conn:
                self.generation = generation.current_generation(self.db, conn) or self.generation
            self._generation_read = time.monotonic()
        return self.generation

    def close(self) -> None:
        self._watch.stop()  # the last write of the high-water file, before the database closes
        self.accounts.close()
        self.db.dispose()

    @cached_property
    def signer(self) -> Signer:
        """The hub's signing key, created in the data directory on first use."""
        return Signer.load_or_create(self.config.resolved_key_file())

    def _ensure_server_id(self) -> str:
        with self.db.begin() as conn:
            server_id = self.db.get_meta(conn, "server_id")
            if server_id is None:
                server_id = "hub-" + secrets.token_hex(8)
                self.db.set_meta(conn, "server_id", server_id)
                logger.info("new hub, server_id %s", server_id)
        return server_id

    def get_meta(self, key: str) -> str | None:
        with self.db.read() as conn:
            return self.db.get_meta(conn, key)

    def set_meta(self, key: str, value: str) -> None:
        with self.db.begin() as conn:
            self.db.set_meta(conn, key, value)

    # -- operations ------------------------------------------------------------------------------------
    def ping(self) -> dict:
        current = self.catalogs.current()
        return {
            "server_id": self.server_id,
            "generation": self.current_generation(),
            "api_version": API_VERSION,
            "environment": self.config.environment,
            "server_time": iso(self.config.now()),
            "min_client_version": self.config.min_client_version,
            "signing_key": self.signer.public_key_b64,
            # lets a client skip GET catalog when its copy is current: one round trip less per sync
            "catalog_etag": current.etag if current is not None else None,
            # issue 18: a client sends compact submissions (version 2) only to a hub that lists it here
            "payload_versions": list(PAYLOAD_VERSIONS) if self.config.compact_payloads else [PAYLOAD_V1],
            "baselines_version": self.baselines_version(),
        }

    def batch(
        self, account: Account, body: BatchRequest | object, header_device_id: str = "", user_agent: str = ""
    ) -> dict:
        """``submissions:batch``: one result per submission, each in its own transaction.

        Args:
            body: the envelope (:class:`~dttshub.protocol.BatchRequest`, or its JSON, checked here);
                each item is checked on its own later (a bad one is ``rejected``, the others go on).

        Raises:
            BadRequest: the body is not ``{device_id, app_version, submissions: [...]}`` with an object
                holding a string ``submission_id`` for each item.
            TooLarge: more submissions than ``max_batch_items``.
        """
        if not isinstance(body, BatchRequest):
            try:
                body = BatchRequest.model_validate(body)
            except ValidationError as exc:
                raise BadRequest("malformed_batch", "Yêu cầu không hợp lệ.", "Malformed request.") from exc
        # the items as they came (no copy): each is checked against the Submission model on its own
        items = [
            {"submission_id": item.submission_id, **(item.model_extra or {})} for item in body.submissions
        ]
        if len(items) > self.config.max_batch_items:
            raise TooLarge(
                "too_many_items",
                f"Lô gửi có quá nhiều bản nộp (tối đa {self.config.max_batch_items}).",
                f"The batch holds too many submissions (at most {self.config.max_batch_items}).",
            )
        # the device is the one the token was issued to; what the body or the header claims is only used
        # for a token bound to no device (a crafted id must not pose as a colleague's PC on the board)
        device_id = (account.device_id or body.device_id or header_device_id)[:128]
        if body.device_id and body.device_id != device_id:
            logger.warning(
                "batch from %s: body names device %s, token's is %s",
                account.username,
                body.device_id[:128],
                device_id,
            )
        self._touch(account, device_id, body.app_version or _ua_version(user_agent))
        results = self.ingest.ingest_many(account, device_id, items, source="batch")
        # issue 18: only what a client needs, for a 2G link; asked for, or implied by a compact item
        if body.reply == "short" or (
            body.reply is None and any(i.get("payload_version") == 2 for i in items)
        ):
            return {"results": [{k: v for k, v in r.items() if v or k != "errors"} for r in results]}
        return {"batch_id": str(uuid.uuid4()), "server_time": iso(self.config.now()), "results": results}

    def import_bundle(self, account: Account, data: bytes, device_id: str = "") -> dict:
        """A courier bundle: the same per-item results as a batch (the bundle is checked whole first)."""
        bundle = read_bundle(data, self.config)
        device = (bundle.device_id or device_id or account.device_id)[:128]
        results = self.ingest.ingest_many(account, device, bundle.documents, source="bundle")
        logger.info("bundle %s from device %s: %d submissions", bundle.sha256[:12], device, len(results))
        return {
            "batch_id": "bundle-" + bundle.sha256[:32],
            "bundle_sha256": bundle.sha256,
            "commune": bundle.commune,
            "device_id": device,
            "server_time": iso(self.config.now()),
            "results": results,
        }

    def setup_package(self, account: Account, server_url: str | None = None) -> bytes:
        """A signed setup package for ``account``.

        Raises:
            NotFound: no catalogue has been published yet.
        """
        catalog = self.catalogs.current()
        if catalog is None:
            raise NotFound(
                "no_catalog",
                "Máy chủ chưa có danh mục chỉ tiêu nào; hãy công bố danh mục trước (dttshub catalog publish).",
                "The hub has no catalogue yet; publish one first (dttshub catalog publish).",
            )
        url = server_url or self.config.public_url or self.get_meta("public_url") or ""
        return build_setup_package(
            signer=self.signer,
            account=account,
            catalog=catalog,
            server_id=self.server_id,
            server_url=url,
            environment=self.config.environment,
            now=self.config.now(),
            unit_name=self.accounts.unit_name(account.unit),
        )

    def reports(
        self, account: Account, unit: str | None = None, form: str | None = None, period: str | None = None
    ) -> list[dict]:
        """What the hub holds, per report: revision, state, head and latest receipt (no values)."""
        conds = [t.reports.c.server_revision > 0, scope_filter(account.unit)]
        if unit:
            account.require_unit(unit)
            conds.append(t.reports.c.unit == unit)
        if form:
            conds.append(t.reports.c.form == form)
        if period:
            conds.append(t.reports.c.period == period)
        with self.db.read() as conn:
            rows = conn.execute(
                sa.select(*(c for c in t.reports.c if c.name not in _VALUE_COLUMNS))  # no values: not read
                .where(*conds)
                .order_by(t.reports.c.unit, t.reports.c.form, t.reports.c.period)
            ).all()
            latest: dict[int, tuple[str, str]] = {}  # report id -> (received_at, receipt_no) of the newest
            counts: dict[int, int] = {}
            ids = [r.id for r in rows]
            for start in range(0, len(ids), 500):
                subs = conn.execute(
                    sa.select(
                        t.submissions.c.report_id, t.submissions.c.received_at, t.submissions.c.receipt_no
                    ).where(t.submissions.c.report_id.in_(ids[start : start + 500]))
                ).all()
                for s in subs:
                    counts[s.report_id] = counts.get(s.report_id, 0) + 1
                    latest[s.report_id] = max(
                        latest.get(s.report_id, ("", "")), (s.received_at, s.receipt_no)
                    )
        out = []
        for r in rows:
            doc = report_to_json(r, include_values=False)
            doc["latest_receipt_no"] = latest[r.id][1] if r.id in latest else None
            doc["submissions"] = counts.get(r.id, 0)
            out.append(doc)
        return out

    # -- the reviewer's side (completeness, one report in full) --------------------------------------------
    def completeness(self, account: Account, form: str, period: str, province: str | None = None):
        """Every unit that should report ``form`` for ``period`` in scope, with its state
        (:func:`dttshub.completeness.completeness`)."""
        from dttshub.completeness import completeness

        return completeness(self.db, self.catalogs, account, form, period, province)

    def report_full(self, account: Account, unit: str, form: str, period: str) -> dict:
        """One report in full for a reviewer (:func:`dttshub.reportview.report_full`)."""
        from dttshub.reportview import report_full

        return report_full(self.db, self.catalogs, account, unit, form, period)

    # -- values from outside the reporting flow (issue 17: legacy data, survey baselines) ------------------
    def import_legacy(self, path, unit_list: str, by: str, crosswalk=None, eth_system: str = "") -> dict:
        """``dttshub legacy import``: a pre-2025 long table through the crosswalk (:mod:`dttshub.legacy`)."""
        from dttshub.legacy import import_legacy

        return import_legacy(
            self.db, self.catalogs, path, unit_list, by, self.config.now(), crosswalk, eth_system
        )

    def import_baseline(self, path, survey: str, reference_date: str, by: str, eth_system: str = "") -> dict:
        """``dttshub baseline import``: a survey's figures for 2025 units (:mod:`dttshub.legacy`)."""
        from dttscore import refdata
        from dttshub.legacy import import_baseline

        agencies = {a.code for a in self.units.list(include_disabled=False)}

        def known(unit: str) -> bool:
            return refdata.commune(unit) is not None or unit in agencies

        return import_baseline(
            self.db,
            self.catalogs,
            path,
            survey,
            reference_date,
            by,
            self.config.now(),
            unit_known=known,
            eth_system=eth_system,
        )

    def baselines_version(self) -> int:
        """The newest survey baseline import (0: none): what ``ping`` tells clients."""
        with self.db.read() as conn:
            newest = conn.execute(
                sa.select(sa.func.max(t.imports.c.id)).where(t.imports.c.kind == "baseline")
            ).scalar()
        return int(newest or 0)

    def baselines(self, account: Account, unit: str | None = None) -> dict:
        """``GET baselines``: the survey figures of the caller's unit (a reviewer: ``unit``, in scope).

        Raises:
            BadRequest: a reviewer or admin without ``unit``.
            Forbidden: ``unit`` outside the account's scope.
        """
        from dttshub.legacy import MAX_BASELINES, baselines_of

        if unit is None:
            if account.is_reviewer:
                raise BadRequest("unit_required", "Hãy ghi rõ mã đơn vị (unit).", "Name the unit (unit=…).")
            unit = account.unit
        account.require_unit(unit)
        version = self.baselines_version()
        items = baselines_of(self.db, unit)[:MAX_BASELINES]
        return {"unit": unit, "version": version, "items": items}

    def baseline_sums(self, form: str, units, indicators) -> list:
        """The survey baselines of ``form`` added up over ``units`` (already in the caller's scope), per survey
        (:func:`dttshub.legacy.baseline_sums`): what the console shows beside the province totals."""
        from dttshub.legacy import baseline_sums

        return baseline_sums(self.db, form, units, indicators)

    def unit_names(self, codes) -> dict[str, str]:
        """The names of reporting units: communes from the 2025 unit list, agencies from the hub ("" when
        unknown)."""
        from dttshub.units import unit_names

        with self.db.connect() as conn:
            return unit_names(conn, codes)

    def _touch(self, account: Account, device_id: str, app_version: str) -> None:
        if not device_id or account.username.startswith("cli:"):
            return
        with self.db.begin() as conn:
            self.accounts.touch_device(
                conn, account.username, device_id, self.config.now(), app_version=app_version
            )


def _ua_version(user_agent: str | None) -> str:
    """The version of a ``dttsclient/0.1.0`` User-Agent ("" for another one)."""
    name, _, version = (user_agent or "").partition("/")
    return version.split()[0][:64] if name == "dttsclient" and version.strip() else ""
