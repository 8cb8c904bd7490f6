"""The hub client and the sync engine (docs/sync-protocol.md); no Qt.

Modules: :mod:`.transport` (HTTP: one session, timeouts, retries, gzip, what counts as a reply),
:mod:`.api` (the endpoints), :mod:`.engine` (push + pull), :mod:`.credentials` (tokens in the OS
keyring), :mod:`.login` (online login, offline setup package), :mod:`.errors` (the SyncError tree).

Typical use::

    creds = default_credentials()
    login(store, "https://dtts.example.gov.vn/", "can_bo", password, creds, "PC xã")
    result = SyncEngine.for_profile(store, creds, progress=on_progress, cancel=cancel_event).sync()
"""

from dttsclient.sync.credentials import (
    CredentialStore,
    KeyringCredentials,
    MemoryCredentials,
    Tokens,
    default_credentials,
    keyring_status,
)
from dttsclient.sync.engine import BatchPolicy, ItemOutcome, SyncEngine, SyncResult, SyncWarning
from dttsclient.sync.errors import (
    AuthRequired,
    BadServerAddress,
    Cancelled,
    CertificateProblem,
    ClientTooOld,
    LoginPageInTheWay,
    NoConnection,
    NoKeyring,
    NotLoggedIn,
    Offline,
    RequestRefused,
    RequestTooLarge,
    ServerError,
    SetupImportFailed,
    StallTimeout,
    SyncError,
    Throttled,
    Unreachable,
    WrongAccountForProfile,
    WrongPassword,
    WrongServer,
)
from dttsclient.sync.login import LoginResult, SetupResult, login, setup_import
from dttsclient.sync.transport import CancelEvent, RetryPolicy, Transport, TransportConfig

__all__ = [
    "AuthRequired",
    "BadServerAddress",
    "BatchPolicy",
    "CancelEvent",
    "Cancelled",
    "CertificateProblem",
    "ClientTooOld",
    "CredentialStore",
    "ItemOutcome",
    "KeyringCredentials",
    "LoginPageInTheWay",
    "LoginResult",
    "MemoryCredentials",
    "NoConnection",
    "NoKeyring",
    "NotLoggedIn",
    "Offline",
    "RequestRefused",
    "RequestTooLarge",
    "RetryPolicy",
    "ServerError",
    "SetupImportFailed",
    "SetupResult",
    "StallTimeout",
    "SyncEngine",
    "SyncError",
    "SyncResult",
    "SyncWarning",
    "Throttled",
    "Tokens",
    "Transport",
    "TransportConfig",
    "Unreachable",
    "WrongAccountForProfile",
    "WrongPassword",
    "WrongServer",
    "default_credentials",
    "keyring_status",
    "login",
    "setup_import",
]
