"""The local store: one SQLite database per profile (sqlite-utils, no Qt).

Open it with :meth:`Store.open`; its parts are ``store.settings``, ``store.catalogs``, ``store.reports``,
``store.outbox`` and ``store.sync`` (``docs/architecture.md``, "The store's parts").
"""

from dttsclient.store.errors import (
    CatalogVersionMissing,
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseTooNew,
    DatabaseUnavailable,
    DiskFull,
    FinalizeBlocked,
    ForbiddenSetting,
    InvalidCell,
    MigrationFailed,
    NoCatalog,
    NoServerCopy,
    NothingToFinalize,
    OutboxStateError,
    ReasonsRequired,
    ReportNotFound,
    StoreError,
    SubmissionNotFound,
    UnknownForm,
)
from dttsclient.store.finalize import warning_key
from dttsclient.store.merge import MergeResult
from dttsclient.store.models import (
    OUTBOX_STATES,
    ChangeEntry,
    Comment,
    OutboxItem,
    Profile,
    PullOutcome,
    Report,
    ServerCopy,
    Submission,
)
from dttsclient.store.store import Store

__all__ = [
    "OUTBOX_STATES",
    "CatalogVersionMissing",
    "ChangeEntry",
    "Comment",
    "DatabaseCorrupt",
    "DatabaseLocked",
    "DatabaseTooNew",
    "DatabaseUnavailable",
    "DiskFull",
    "FinalizeBlocked",
    "ForbiddenSetting",
    "InvalidCell",
    "MergeResult",
    "MigrationFailed",
    "NoCatalog",
    "NoServerCopy",
    "NothingToFinalize",
    "OutboxItem",
    "OutboxStateError",
    "Profile",
    "PullOutcome",
    "ReasonsRequired",
    "Report",
    "ReportNotFound",
    "ServerCopy",
    "Store",
    "StoreError",
    "Submission",
    "SubmissionNotFound",
    "UnknownForm",
    "warning_key",
]
