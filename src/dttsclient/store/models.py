"""Plain frozen dataclasses the store hands to its callers (never cursors or rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CellKey = tuple[str, str]  # (indicator code, disaggregation key)

OUTBOX_STATES = (
    "queued",
    "sending",
    "accepted",
    "needs_attention",
    "conflict",
    "late",
    "superseded",
    "discarded",
)
PROFILE_FIELDS = ("unit", "unit_name", "unit_list", "username", "server_url", "server_id", "lang")


@dataclass(frozen=True)
class Profile:
    """Who and where this profile reports for. Secrets are never part of it (they live in the keyring)."""

    unit: str | None = None
    unit_name: str | None = None
    unit_list: str | None = None
    username: str | None = None
    server_url: str | None = None
    server_id: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class Report:
    """One report (unit, form, period), pinned to the catalogue version it was started with.

    Attributes:
        state: "draft" or "finalized".
        dirty: True when it holds local edits not yet finalized/sent.
        revision_no: the last revision finalized on this device (0: never).
        base_server_revision: the server revision the last local revision was based on.
        server_revision: the newest server revision adopted locally (accepted, late or pulled).
        server_status: the report's status on the hub as last pulled (e.g. "accepted", "late").
        review_state: the reviewer's decision as last pulled ("accepted", "returned", …) or None.
    """

    id: int
    unit: str
    form: str
    period: str
    catalog_id: str | None
    catalog_version: int | None
    state: str
    dirty: bool
    revision_no: int
    base_server_revision: int
    server_revision: int
    review_state: str | None
    review_comment: str | None
    updated_at: str
    review_by: str | None = None
    review_at: str | None = None
    server_status: str | None = None
    created_at: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.unit, self.form, self.period)


@dataclass(frozen=True)
class Comment:
    code: str
    disagg: str
    text: str
    author: str
    at: str


@dataclass(frozen=True)
class ChangeEntry:
    """One row of the append-only change log. ``kind``: "edit", "import", "pull", "server_copy" or "restore"."""

    id: int
    report_id: int
    code: str
    disagg: str
    old: str | None
    new: str | None
    who: str
    at: str
    kind: str


@dataclass(frozen=True)
class Submission:
    """An immutable snapshot made by Finalize. ``document`` is the docs/sync-protocol.md submission dict."""

    submission_id: str
    report_id: int
    revision_no: int
    supersedes: str | None
    base_server_revision: int
    catalog_id: str
    catalog_version: int
    finalized_at: str
    finalized_by: str
    payload_sha256: str
    document: dict[str, Any] = field(repr=False)

    @property
    def unit(self) -> str:
        return self.document["unit"]

    @property
    def form(self) -> str:
        return self.document["form"]

    @property
    def period(self) -> str:
        return self.document["period"]


@dataclass(frozen=True)
class OutboxItem:
    """One outbox row with what the hub answered for it."""

    submission_id: str
    report_id: int
    unit: str
    form: str
    period: str
    revision_no: int
    state: str
    lease_until: str | None
    attempts: int
    last_error: str | None
    receipt_no: str | None
    server_revision: int | None
    received_at: str | None
    errors: list[dict[str, Any]]
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class PullOutcome:
    """What ``store.sync.apply_pulled`` did with one pulled report.

    ``action``: "created" | "replaced" | "kept_both" | "review_only" | "unchanged" | "set_aside" (the
    pulled item was malformed and nothing of it was applied: ``report_id`` is 0 and ``message_vi`` /
    ``message_en`` say why, for the officer). A ``created`` or ``replaced`` report whose catalogue version
    is not in the profile carries a message too (it waits, read-only, for that version).
    """

    report_id: int
    action: str
    unit: str = ""
    form: str = ""
    period: str = ""
    server_revision: int = 0
    message_vi: str = ""
    message_en: str = ""


@dataclass(frozen=True)
class ServerCopy:
    """The hub's version of a report kept beside local unsent edits, for the officer to compare."""

    report_id: int
    server_revision: int
    status: str | None
    values: dict[CellKey, str]
    comments: list[dict[str, Any]]
    pulled_at: str
