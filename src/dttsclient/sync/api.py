"""The endpoints of docs/sync-protocol.md as small typed calls on a :class:`~dttsclient.sync.transport.Transport`.

Each call returns plain data and checks what the transport cannot know: a batch or status reply must
carry a result for every submission_id asked about, a ``changes`` page must have a cursor, and so on. A
reply that fails those checks did not come from a working hub and raises
:class:`~dttsclient.sync.errors.NoConnection`, exactly like a login page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dttsclient import __version__
from dttsclient.sync.errors import AuthRequired, NoConnection, WrongPassword
from dttsclient.sync.transport import Transport
from dttscore.bounds import GENERATION_RE
from dttscore.labels import parse_time

logger = logging.getLogger(__name__)

RESULT_STATUSES = frozenset({"accepted", "duplicate", "rejected", "conflict", "late", "need_full"})
"""``need_full``: a revision sent as changes the hub could not apply; the engine sends it in full."""
STATUS_STATUSES = (RESULT_STATUSES - {"need_full"}) | {"unknown"}


class BadReply(NoConnection):
    """The reply parsed but does not say what the hub must say (a result missing, a field of a wrong type)."""


@dataclass(frozen=True)
class PingInfo:
    server_id: str
    api_version: str
    environment: str
    server_time: datetime | None
    min_client_version: str | None
    signing_key: str | None = None
    catalog_etag: str | None = None
    generation: str | None = None
    """The hub database's generation (None from a hub before generations): a new one means the hub's
    database was restored from an older copy."""
    payload_versions: tuple[int, ...] = (1,)
    """The submission payload versions the hub accepts (a hub before issue 18 says nothing: 1 only)."""
    baselines_version: int | None = None
    """Grows with each survey baseline the hub imports (None from an older hub): fetch baselines when it
    differs from the one kept."""


@dataclass(frozen=True)
class TokenGrant:
    """What ``auth/token`` and ``auth/refresh`` give: tokens and the account."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_in: int | None
    account: dict[str, Any]

    @property
    def units(self) -> list[str]:
        units = self.account.get("units") or []
        if not units and self.account.get("unit"):
            units = [self.account["unit"]]
        return [str(u) for u in units]


@dataclass(frozen=True)
class ChangesPage:
    cursor: str | None
    reports: list[dict[str, Any]]
    more: bool
    reset: bool = False
    """The hub did not accept the cursor (another database generation, or ahead of its feed): this page
    starts from the beginning."""
    generation: str | None = None


@dataclass(frozen=True)
class CatalogReply:
    """``data`` is the catalogue JSON (None when not modified), ``etag`` its entity tag."""

    data: dict[str, Any] | None
    etag: str | None

    @property
    def modified(self) -> bool:
        return self.data is not None


class HubApi:
    """The hub's endpoints.

    Args:
        transport: the HTTP transport (its token is used for the calls that need one).
    """

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    # -- ping -----------------------------------------------------------------------------------------
    def ping(self) -> PingInfo:
        """``GET ping``: who the hub is. Raises ClientTooOld on 426."""
        data = self.transport.request("GET", "ping", auth=False).data or {}
        return PingInfo(
            server_id=str(data["server_id"]),
            api_version=str(data.get("api_version", "")),
            environment=str(data.get("environment", "")),
            server_time=parse_time(data.get("server_time")),
            min_client_version=(str(data["min_client_version"]) if data.get("min_client_version") else None),
            signing_key=_opt_str(data.get("signing_key")),
            catalog_etag=_opt_str(data.get("catalog_etag")),
            generation=_generation(data.get("generation")),
            payload_versions=_versions(data.get("payload_versions")),
            baselines_version=_opt_int(data.get("baselines_version")),
        )

    # -- auth -----------------------------------------------------------------------------------------
    def token(self, username: str, password: str, device_name: str) -> TokenGrant:
        """``POST auth/token``. Raises WrongPassword (401), Throttled (429) and the transport's errors."""
        body = {
            "username": username,
            "password": password,
            "device_id": self.transport.device_id,
            "device_name": device_name,
            "app_version": __version__,
        }
        try:
            reply = self.transport.request("POST", "auth/token", body=body, auth=False)
        except WrongPassword:
            raise
        except AuthRequired as exc:
            raise WrongPassword(exc.detail) from exc
        return _grant(reply.data or {})

    def refresh(self, refresh_token: str) -> TokenGrant:
        """``POST auth/refresh``: a new access token. Raises AuthRequired when the refresh token is dead."""
        body = {"refresh_token": refresh_token, "device_id": self.transport.device_id}
        reply = self.transport.request("POST", "auth/refresh", body=body, auth=False)
        return _grant(reply.data or {}, refresh_token)

    # -- catalogue ------------------------------------------------------------------------------------
    def catalog(self, etag: str | None) -> CatalogReply:
        """``GET catalog`` with ``If-None-Match``: the catalogue JSON, or None when unchanged (304)."""
        headers = {"If-None-Match": etag} if etag else {}
        reply = self.transport.request("GET", "catalog", headers=headers, allow_not_modified=True)
        new_etag = reply.headers.get("ETag") or etag
        if reply.status == 304 or reply.data is None:
            return CatalogReply(None, new_etag)
        data = dict(reply.data)
        catalog = data.get("catalog")
        if isinstance(catalog, dict):  # wrapped: {server_id, catalog: {...}}
            return CatalogReply(catalog, new_etag)
        data.pop("server_id", None)
        return CatalogReply(data, new_etag)

    def catalog_version(self, catalog_id: str, version: int) -> CatalogReply:
        """``GET catalog?catalog_id=&version=``: one published catalogue version (the one a pulled report
        was made with). A 404 (the hub does not have it) raises RequestRefused.

        Raises:
            BadReply: the reply holds no catalogue.
        """
        params = {"catalog_id": catalog_id, "version": str(int(version))}
        reply = self.transport.request("GET", "catalog", params=params)
        data = reply.data or {}
        catalog = data.get("catalog")
        if not isinstance(catalog, dict):
            raise BadReply("catalog: the reply holds no catalogue")
        return CatalogReply(catalog, reply.headers.get("ETag"))

    # -- submissions ----------------------------------------------------------------------------------
    def batch(self, documents: Sequence[dict[str, Any]], short: bool = False) -> list[dict[str, Any]]:
        """``POST submissions:batch``: one result per document, in the order of ``documents``.

        Args:
            short: ask for a short reply, and leave out the device id and version the headers carry
                (a hub that offers compact payloads understands it; issue 18).

        Raises:
            BadReply: the reply lacks a result for a submission sent (it does not count).
        """
        # short: a batch with a compact item gets the short reply (docs/sync-protocol.md)
        body: dict[str, Any] = (
            {} if short else {"device_id": self.transport.device_id, "app_version": __version__}
        )
        body["submissions"] = list(documents)
        reply = self.transport.request("POST", "submissions:batch", body=body)
        ids = [str(d["submission_id"]) for d in documents]
        return _results_for(ids, (reply.data or {}).get("results"), RESULT_STATUSES)

    def status(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        """``POST submissions:status``: the stored result of each ID, or status ``unknown``."""
        ids = [str(i) for i in ids]
        if not ids:
            return []
        reply = self.transport.request("POST", "submissions:status", body={"ids": ids})
        return _results_for(ids, (reply.data or {}).get("results"), STATUS_STATUSES)

    # -- changes --------------------------------------------------------------------------------------
    def baselines(self) -> dict[str, Any]:
        """``GET baselines``: the survey figures of the profile's unit (``{unit, version, items}``)."""
        return self.transport.request("GET", "baselines").data or {}

    def changes(self, since: str | None) -> ChangesPage:
        """``GET changes?since=``: one page of the account's reports changed since the cursor."""
        params = {"since": since} if since else None
        data = self.transport.request("GET", "changes", params=params).data or {}
        reports = data.get("reports")
        if not isinstance(reports, list):
            raise BadReply("changes: 'reports' is not a list")
        # each item is checked by store.sync.apply_pulled(): a malformed one is set aside, the others applied
        cursor = data.get("cursor")
        return ChangesPage(
            None if cursor is None else str(cursor),
            reports,
            bool(data.get("more")),
            reset=data.get("reset") is True,
            generation=_generation(data.get("generation")),
        )


def _generation(value: Any) -> str | None:
    """A database generation within the protocol's bounds; a malformed one did not come from a hub."""
    if value is None:
        return None
    if not isinstance(value, str) or not GENERATION_RE.fullmatch(value):
        raise BadReply("a malformed database generation")
    return value


def _versions(value: Any) -> tuple[int, ...]:
    """The payload versions a hub lists; (1,) when it lists none or something that is not a list of numbers."""
    if not isinstance(value, list):
        return (1,)
    found = tuple(v for v in value[:16] if isinstance(v, int) and not isinstance(v, bool))
    return found or (1,)
def _opt_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _opt_str(value: Any) -> str | None:
    return str(value) if isinstance(value, str) and value else None


def _grant(data: dict[str, Any], old_refresh: str | None = None) -> TokenGrant:
    token = data.get("access_token")
    if not isinstance(token, str) or not token:
        raise BadReply("token reply without access_token")
    account = data.get("account") if isinstance(data.get("account"), dict) else {}
    expires = data.get("expires_in")
    return TokenGrant(
        access_token=token,
        refresh_token=data.get("refresh_token") or old_refresh,
        expires_in=int(expires) if isinstance(expires, (int, float)) else None,
        account=dict(account),
    )


def _results_for(ids: list[str], results: Any, allowed: frozenset[str]) -> list[dict[str, Any]]:
    """The results in the order of ``ids``; every ID must have one with a known status."""
    if not isinstance(results, list):
        raise BadReply("reply without a results list")
    by_id: dict[str, dict[str, Any]] = {}
    for r in results:
        if isinstance(r, dict) and r.get("submission_id") is not None:
            by_id[str(r["submission_id"])] = r
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise BadReply(f"no result for {len(missing)} of {len(ids)} submission(s)")
    bad = [i for i in ids if by_id[i].get("status") not in allowed]
    if bad:
        raise BadReply(f"unknown status for {len(bad)} submission(s)")
    return [by_id[i] for i in ids]
