"""Setting up a profile: online login (docs/journeys.md, journey 1a, 7) and the offline setup package (1b).

:func:`login` asks the hub for a device token, records who and where in the profile, keeps the tokens in
the :class:`~dttsclient.sync.credentials.CredentialStore` (never in SQLite), then downloads the catalogue
and the account's history (a new PC gets its reports back). :func:`setup_import` does the offline part
from a signed ``*.dttssetup`` file: profile and catalogue, no tokens (log in once a link exists).
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dttsclient.store import Store
from dttsclient.sync.api import HubApi
from dttsclient.sync.credentials import CredentialStore, Tokens
from dttsclient.sync.engine import (
    SIGNING_KEY_SETTING,
    ProgressCallback,
    SyncEngine,
    SyncResult,
    SyncWarning,
    make_transport,
)
from dttsclient.sync.errors import (
    SetupImportFailed,
    SyncError,
    UntrustedServer,
    WrongAccountForProfile,
    WrongServer,
)
from dttsclient.sync.transport import TransportConfig
from dttscore.errors import DttsError

logger = logging.getLogger(__name__)

TRUSTED_KEYS_FILE = "hub-keys.txt"
"""Beside the installed executable: the signing keys of the province's hubs, one per line."""
TRUSTED_KEYS_ENV = "DTTS_HUB_KEYS_FILE"
"""Names a trusted-keys file for a source install (and the tests); wins over the file beside the exe."""


def trusted_keys_file() -> Path | None:
    """The installation's trusted-keys file: ``$DTTS_HUB_KEYS_FILE``, else ``hub-keys.txt`` beside the
    frozen executable; None when there is none (then the first hub seen is trusted and pinned)."""
    named = os.environ.get(TRUSTED_KEYS_ENV)
    if named:
        return Path(named)
    from dttsclient.portable import executable_dir

    folder = executable_dir()
    if folder is not None and (folder / TRUSTED_KEYS_FILE).is_file():
        return folder / TRUSTED_KEYS_FILE
    return None


def installed_trusted_keys() -> list[str] | None:
    """The keys of :func:`trusted_keys_file`, or None when the installation lists none.

    The province IT staff may ship ``hub-keys.txt`` with the installer: then a setup package or a login
    is accepted only from a hub whose signing key is listed, even on the PC's very first run.

    Raises:
        SetupImportFailed: the file is unreadable or holds a line that is not a key (nothing is trusted
            rather than everything).
    """
    from dttscore.formats.setup_package import SetupPackageError, parse_trusted_keys

    path = trusted_keys_file()
    if path is None:
        return None
    try:
        return parse_trusted_keys(path.read_text(encoding="utf-8-sig"), str(path))
    except SetupPackageError as exc:
        raise SetupImportFailed(exc.message_vi, exc.message_en) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SetupImportFailed(
            f"Không đọc được tệp khoá máy chủ tin cậy {path}: {exc}. Hãy báo cán bộ tin học của tỉnh.",
            f"Cannot read the trusted server keys file {path}: {exc}. Tell the province IT staff.",
        ) from exc


def fingerprint_or_none(key_b64: str | None) -> str | None:
    """The phone-readable fingerprint of a hub key (None for no key or a malformed one)."""
    from dttscore.formats.setup_package import SetupPackageError, key_fingerprint

    if not key_b64:
        return None
    try:
        return key_fingerprint(key_b64)
    except SetupPackageError:
        return None


@dataclass
class LoginResult:
    """What :func:`login` did. ``pull`` is the first sync's result (None when the pull failed)."""

    username: str
    role: str
    units: list[str]
    unit: str | None
    unit_name: str | None
    server_id: str
    tokens_saved_persistently: bool
    pull: SyncResult | None = None
    pull_error: SyncError | None = None
    warnings: list[SyncWarning] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when the catalogue and the history came down as well."""
        return self.pull is not None


@dataclass(frozen=True)
class SetupResult:
    """What :func:`setup_import` did."""

    username: str
    unit: str
    unit_name: str | None
    server_url: str
    server_id: str
    catalog_id: str
    catalog_version: int
    catalog_added: bool
    key_fingerprint: str | None = None
    key_listed: bool = False  # the key is in the installation's hub-keys.txt (not trusted on first use)


def unit_name(code: str | None, details: list[dict[str, Any]] | None = None) -> str | None:
    """The commune's name: from the hub's ``unit_details`` when given, else from the shipped code list."""
    if not code:
        return None
    for d in details or []:
        if isinstance(d, dict) and str(d.get("code")) == code and d.get("name"):
            return str(d["name"])
    try:
        from dttscore import refdata

        commune = refdata.commune(code)
    except (ImportError, DttsError, OSError):
        return None
    return commune.commune_name if commune else None


def _account_unit(account: dict[str, Any], units: list[str]) -> str | None:
    """The profile's unit: the account's first unit when it is a commune (5 digits) or a province agency."""
    from dttscore.unitcodes import is_unit_code

    for u in units or [str(account.get("unit") or "")]:
        if is_unit_code(u):
            return u
    return None


def login(
    store: Store,
    server_url: str,
    username: str,
    password: str,
    credentials: CredentialStore,
    device_name: str,
    *,
    config: TransportConfig | None = None,
    cancel: threading.Event | None = None,
    progress: ProgressCallback | None = None,
    pull: bool = True,
) -> LoginResult:
    """Log this profile in to the hub, keep the tokens, then download the catalogue and history.

    Args:
        store: the profile.
        server_url: the hub's address.
        username, password: the officer's account (the password is sent once and never kept).
        credentials: where the tokens go (the OS keyring, or memory when there is none).
        device_name: a name for this PC shown to the province (e.g. the computer name).
        config: transport settings (timeouts, retries, CA bundle).
        cancel: the cancel token.
        progress: progress callback for the download that follows.
        pull: download the catalogue and history after logging in.

    Returns:
        What was done; a failed download after a successful login is in ``pull_error``.

    Raises:
        WrongPassword: wrong username or password.
        Throttled: too many failed attempts; wait ``retry_after`` seconds.
        LoginPageInTheWay / Offline / NoConnection: no connection to the hub.
        WrongServer: the address answers with another hub than the profile's.
        WrongAccountForProfile: the account is for another commune than the profile's reports.
        ClientTooOld: the hub needs a newer client.
    """
    profile = store.settings.profile()
    server_url = server_url.strip()
    transport = make_transport(store, server_url, config=config, cancel=cancel)
    with transport:
        api = HubApi(transport)
        info = api.ping()
        if profile.server_id and info.server_id != profile.server_id:
            raise WrongServer(profile.server_id, info.server_id)
        installed = installed_trusted_keys()
        if installed is not None and info.signing_key not in installed:
            # before the password is sent: it must never reach a hub the province did not list
            raise UntrustedServer(fingerprint_or_none(info.signing_key))
        grant = api.token(username, password, device_name)
        account = grant.account
        units = grant.units
        unit = _account_unit(account, units)
        if profile.unit and unit and unit != profile.unit and store.reports.all():
            raise WrongAccountForProfile(profile.unit, units)
        credentials.save(store.settings.device_id, username, Tokens(grant.access_token, grant.refresh_token))
        if profile.username and profile.username != username:
            credentials.delete(store.settings.device_id, profile.username)  # one sign-in per profile
        fields: dict[str, Any] = {
            "server_url": server_url,
            "server_id": info.server_id,
            "username": username,
        }
        if unit:
            fields["unit"] = unit
            fields["unit_name"] = unit_name(unit, account.get("unit_details"))
        if account.get("unit_list"):
            fields["unit_list"] = str(account["unit_list"])
        store.settings.set_profile(**fields)
        if info.signing_key:
            store.settings.set_setting(SIGNING_KEY_SETTING, info.signing_key)
        logger.info("logged in as %s (%s) on %s", username, account.get("role"), info.server_id)
        result = LoginResult(
            username=username,
            role=str(account.get("role", "")),
            units=units,
            unit=unit,
            unit_name=fields.get("unit_name"),
            server_id=info.server_id,
            tokens_saved_persistently=credentials.persistent,
        )
        if not pull:
            return result
        transport.token = grant.access_token
        engine = SyncEngine(store, transport, credentials=credentials, progress=progress)
        try:
            result.pull = engine.sync(push=False, pull=True)
            result.warnings.extend(result.pull.warnings)
        except SyncError as exc:
            logger.warning("logged in, but the first download failed: %s", exc.message_en)
            result.pull_error = exc
        return result


def setup_import(store: Store, path: str | Path) -> SetupResult:
    """Set up the profile from a signed setup package (offline first run): profile fields + catalogue.

    When the profile already pinned the hub's signing key (from an earlier ping), only a package signed
    with that key is accepted; a profile bound to another hub (``server_id``) refuses the package.

    Raises:
        SetupImportFailed: the package is damaged, altered, unsigned, from another hub, or unreadable.
        WrongAccountForProfile: the package is for another commune than the profile's reports.
    """
    from dttscore.catalog import catalog_etag
    from dttscore.formats.setup_package import SetupPackageError, read_setup_package

    pinned = store.settings.get_setting(SIGNING_KEY_SETTING)
    installed = installed_trusted_keys()
    if pinned and installed is not None:
        trusted: list[str] | None = [pinned] if pinned in installed else []
    elif pinned:
        trusted = [pinned]
    else:
        trusted = installed
    try:
        package = read_setup_package(Path(path), trusted_keys=trusted)
    except SetupPackageError as exc:
        raise SetupImportFailed(exc.message_vi, exc.message_en) from exc
    except OSError as exc:
        raise SetupImportFailed(
            f"Không đọc được tệp gói cài đặt {path}: {exc.strerror or exc}.",
            f"Cannot read the setup package {path}: {exc.strerror or exc}.",
        ) from exc
    profile = store.settings.profile()
    if profile.server_id and package.server_id and package.server_id != profile.server_id:
        raise SetupImportFailed(
            "Gói cài đặt này là của một máy chủ khác với máy chủ của hồ sơ trên máy. Hãy xin cán bộ tỉnh đúng "
            "gói cài đặt.",
            "This setup package belongs to another server than this profile's. Ask the province staff for the "
            "right package.",
        )
    account = package.account
    units = [str(u) for u in (account.get("units") or [package.unit])]
    unit = _account_unit(account, units)
    if profile.unit and unit and unit != profile.unit and store.reports.all():
        raise WrongAccountForProfile(profile.unit, units)
    name = unit_name(unit, account.get("unit_details"))
    fields: dict[str, Any] = {
        "server_url": package.server_url or profile.server_url,
        "server_id": package.server_id or profile.server_id,
        "username": package.username or profile.username,
        "unit_list": str(account.get("unit_list") or package.catalog.unit_list or "") or None,
    }
    if unit:
        fields["unit"] = unit
        fields["unit_name"] = name
    added = store.catalogs.import_catalog(package.catalog, etag=f'"{catalog_etag(package.catalog)[:40]}"')
    store.settings.set_profile(**fields)
    store.settings.set_setting(SIGNING_KEY_SETTING, package.signing_key)
    logger.info("setup package imported: %s for %s", package.server_id, package.username)
    return SetupResult(
        username=package.username,
        unit=unit or package.unit,
        unit_name=name,
        server_url=package.server_url,
        server_id=package.server_id,
        catalog_id=package.catalog.catalog_id,
        catalog_version=int(package.catalog.version),
        catalog_added=added,
        key_fingerprint=fingerprint_or_none(package.signing_key),
        key_listed=installed is not None,
    )
