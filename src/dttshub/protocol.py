"""The sync protocol (docs/sync-protocol.md) as pydantic models: the single source of truth for every body of the API.

Request models are strict (no coercion: ``"1"`` is not an integer, ``true`` is not one either) and
refuse unknown fields; every string, list and integer is bounded (:mod:`dttscore.bounds`, shared
with the client's pull), integers fit the hub's columns (``MAX_REVISION``: 32-bit INTEGER on
PostgreSQL, within a signed 64-bit one). The hub's OpenAPI document
(``/openapi.json``) is generated from these models.

A batch is checked in two steps: the envelope (:class:`BatchRequest`: its items need only be objects
with a string ``submission_id``, so the hub can say which result belongs to which), then each item
(:class:`Submission`, through :func:`check_submission`): one bad item is ``rejected`` with a sentence
naming the field, the others go on. Courier bundles and ``dttshub courier import`` take the same path.

Reply models document what the hub sends; the handlers build replies as plain dicts.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, WithJsonSchema

from dttscore import bounds as b


def _s(max_length: int, min_length: int = 0, pattern: str | None = None) -> Any:
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length, pattern=pattern)]


Id = _s(b.MAX_ID, 1, b.ID_PATTERN)
Code = _s(b.MAX_CODE, 1)
Short = _s(b.MAX_SHORT)
Stamp = _s(b.MAX_STAMP)
Disagg = _s(b.MAX_DISAGG)
CellValue = _s(b.MAX_VALUE)
Text = _s(b.MAX_COMMENT)
Revision = Annotated[int, Field(ge=0, le=b.MAX_REVISION)]
PositiveRevision = Annotated[int, Field(ge=1, le=b.MAX_REVISION)]


class Strict(BaseModel):
    """A request body: exact types, no unknown fields."""

    model_config = ConfigDict(strict=True, extra="forbid")


class Reply(BaseModel):
    """A reply body (documentation): the hub may add fields."""

    model_config = ConfigDict(extra="allow")


# -- submissions ------------------------------------------------------------------------------------
class Cell(Strict):
    """One value: ``{code, disagg, value}``."""

    code: Code
    disagg: Disagg = ""
    value: CellValue


class Comment(Strict):
    """The officer's comment on a cell (``code`` empty: on the report)."""

    code: _s(b.MAX_CODE) = ""
    disagg: Disagg | None = ""
    text: Text
    author: Short | None = ""
    at: Stamp | None = ""


class ChangeLogEntry(Strict):
    """One edit of a cell, as the device logged it."""

    code: _s(b.MAX_CODE)
    disagg: Disagg | None = ""
    old: CellValue | None = None
    new: CellValue | None = None
    who: Short | None = None
    at: Stamp | None = None


class WarningReason(Strict):
    """The officer's reason for a warning of a rule (``option``: the option or cell it is about)."""

    rule: Short
    option: Disagg | None = ""
    indicator: _s(b.MAX_CODE) | None = ""
    disagg: Disagg | None = ""
    reason: Text | None = ""


class _SubmissionBase(Strict):
    submission_id: Id
    unit: _s(b.MAX_UNIT, 5, b.UNIT_PATTERN)
    unit_list: Short = "vn-2025-07"
    form: Code
    period: _s(b.MAX_PERIOD, 1)
    revision_no: PositiveRevision
    supersedes: Id | None = None
    base_server_revision: Revision
    catalog_id: Id
    catalog_version: PositiveRevision
    finalized_at: Stamp | None = None
    payload_sha256: _s(64, 64, b.SHA_PATTERN)
    comments: Annotated[list[Comment], Field(max_length=b.MAX_COMMENTS)] | None = None
    warnings: Annotated[list[WarningReason], Field(max_length=b.MAX_WARNINGS)] | None = None
    eth_rows: Annotated[list[Code], Field(max_length=b.MAX_ETH_ROWS)] | None = None
    eth_system: Short | None = None


class Submission(_SubmissionBase):
    """A submission document (docs/sync-protocol.md, docs/architecture.md), exactly as the client's finalize makes it.

    Payload version 1: the values as ``{code, disagg, value}`` and the whole change log.
    """

    payload_version: Literal[1] | None = None
    values: Annotated[list[Cell], Field(max_length=b.MAX_CELLS)] | None = None
    change_log: Annotated[list[ChangeLogEntry], Field(max_length=b.MAX_CHANGE_LOG)] | None = None


CellIndex = Annotated[int, Field(ge=0, le=b.MAX_CELLS)]
_Small = Annotated[int, Field(ge=-(2**40), le=2**40)]
_KeyPair = Annotated[list[_s(b.MAX_DISAGG)], Field(min_length=2, max_length=2)]


class CompactLog(Strict):
    """The change log in compact rows ``[cell, at, new, old, who]`` (docs/sync-protocol.md, "Compact payloads")."""

    who: Short | None = None
    rows: Annotated[
        list[Annotated[list[_Small | CellValue | _KeyPair | None], Field(min_length=2, max_length=5)]],
        Field(max_length=b.MAX_CHANGE_LOG),
    ] = []


class CompactSubmission(_SubmissionBase):
    """Payload version 2 (docs/sync-protocol.md, "Compact payloads"): the same submission, keys not repeated.

    In full, ``cells`` holds the values in the catalogue's cell order of the form. As changes, ``base``
    names an earlier submission of the report the hub holds and ``changes`` the cells changed since, as
    ``[index, value or null]``; ``payload_sha256`` is checked on the result. ``extra`` holds
    ``[code, disagg, value or null]`` for keys outside the catalogue's order; ``log`` the change-log
    entries (only those since ``change_log_since`` when it is given); ``same_as_base`` the fields left
    out because they are the base's.
    """

    payload_version: Literal[2]
    cells: Annotated[list[CellValue | None], Field(max_length=b.MAX_CELLS)] | None = None
    base: Id | None = None
    changes: (
        Annotated[
            list[Annotated[list[CellIndex | CellValue | None], Field(min_length=2, max_length=2)]],
            Field(max_length=b.MAX_CELLS),
        ]
        | None
    ) = None
    extra: (
        Annotated[
            list[Annotated[list[_s(b.MAX_DISAGG) | None], Field(min_length=3, max_length=3)]],
            Field(max_length=b.MAX_CELLS),
        ]
        | None
    ) = None
    change_log_since: Id | None = None
    log: CompactLog | None = None
    same_as_base: (
        Annotated[
            list[Literal["unit_list", "comments", "warnings", "eth_rows", "eth_system"]], Field(max_length=5)
        ]
        | bool
        | None
    ) = None


class BatchItem(BaseModel):
    """What the envelope checks of an item: an object with a string ``submission_id`` (the rest later)."""

    model_config = ConfigDict(strict=True, extra="allow")

    submission_id: _s(b.MAX_DEVICE_ID)


# The envelope validates only BatchItem, but documents each item as a full Submission.
_ItemList = Annotated[
    list[BatchItem],
    Field(max_length=b.MAX_BATCH_ITEMS),
    WithJsonSchema(
        {
            "type": "array",
            "items": {
                "anyOf": [
                    {"$ref": "#/components/schemas/Submission"},
                    {"$ref": "#/components/schemas/CompactSubmission"},
                ]
            },
            "maxItems": b.MAX_BATCH_ITEMS,
        }
    ),
]


class BatchRequest(Strict):
    """``POST submissions:batch``."""

    device_id: _s(b.MAX_DEVICE_ID) | None = None
    app_version: Short | None = None
    submissions: _ItemList
    reply: Literal["full", "short"] | None = Field(
        None,
        description='"short": a reply with only what a client needs (no batch_id, server_time nor empty '
        "error lists), for a 2G link (docs/sync-protocol.md, compact payloads)",
    )


class StatusRequest(Strict):
    """``POST submissions:status``."""

    ids: Annotated[list[_s(b.MAX_DEVICE_ID)], Field(max_length=b.MAX_STATUS_IDS)]


class TokenRequest(Strict):
    """``POST auth/token``."""

    username: _s(b.MAX_SHORT, 1)
    password: _s(b.MAX_PASSWORD, 1)
    device_id: _s(b.MAX_DEVICE_ID, 1)
    device_name: _s(200) | None = None
    app_version: Short | None = None


class RefreshRequest(Strict):
    """``POST auth/refresh``."""

    refresh_token: _s(b.MAX_TOKEN, 1)
    device_id: _s(b.MAX_DEVICE_ID) | None = None


class ReviewRequest(Strict):
    """``POST reviews``: a reviewer accepts or returns a report."""

    unit: _s(b.MAX_UNIT, 5, b.UNIT_PATTERN)
    form: Code
    period: _s(b.MAX_PERIOD, 1)
    decision: Literal["accept", "return"]
    comment: Text | None = None
    submission_id: Id | None = None


# -- replies ----------------------------------------------------------------------------------------
class ErrorBody(Reply):
    code: str
    message_vi: str
    message_en: str
    retry_after: int | None = None


class ErrorReply(Reply):
    """Every refusal: 400 malformed, 401 token, 403 scope, 404, 413 too large, 415, 426, 429."""

    server_id: str
    error: ErrorBody
    min_client_version: str | None = None


class ItemError(Reply):
    code: str
    indicator: str | None = None
    disagg: str | None = None
    message_vi: str
    message_en: str


class ItemResult(Reply):
    submission_id: str
    status: Literal["accepted", "duplicate", "rejected", "conflict", "late", "unknown", "need_full"] = Field(
        description="need_full: a revision sent as changes whose base the hub lacks (or whose result has "
        "another hash); nothing was stored, send the full payload"
    )
    receipt_no: str | None
    server_revision: int | None
    received_at: str | None
    errors: list[ItemError] = Field([], description="left out when empty in a short reply")


class PingReply(Reply):
    server_id: str
    generation: str | None = Field(
        None,
        max_length=b.MAX_GENERATION,
        pattern=b.GENERATION_RE.pattern,
        description="The database generation: changes when the database is restored from an older copy.",
    )
    api_version: int | str
    environment: str
    server_time: str
    min_client_version: str
    signing_key: str | None = None
    catalog_etag: str | None = None
    payload_versions: list[int] = Field(
        [1],
        description="The submission payload versions the hub accepts (2: compact, docs/sync-protocol.md).",
    )
    baselines_version: int | None = Field(
        None,
        description="Grows with every survey baseline imported: a client fetches baselines when it changes.",
    )


class AccountInfo(Reply):
    username: str
    role: Literal["officer", "reviewer", "admin"]
    units: list[str]


class TokenReply(Reply):
    server_id: str
    access_token: str
    expires_in: int
    refresh_token: str
    account: AccountInfo


class CatalogReply(Reply):
    server_id: str
    catalog_id: str
    version: int
    etag: str
    published_at: str | None = None
    catalog: dict[str, Any]


class BatchReply(Reply):
    server_id: str
    batch_id: str | None = Field(None, description="left out of a short reply")
    server_time: str | None = Field(None, description="left out of a short reply")
    results: list[ItemResult]


class StatusReply(Reply):
    server_id: str
    results: list[ItemResult]


class Review(Reply):
    state: str | None
    comment: str | None
    by: str | None
    at: str | None


class PulledReport(Reply):
    """A report as ``changes`` and ``reviews`` show it.

    ``catalog_id`` and ``catalog_version`` are the catalogue version the report's current revision was
    made with: a client that pulls the report keeps it with that version (fetching it with
    ``GET catalog?catalog_id=…&version=…`` when it does not hold it), never with its own current one.
    """

    unit: str
    form: str
    period: str
    server_revision: int
    status: str
    receipt_no: str | None = None
    submission_id: str | None = None
    catalog_id: Id | None = None
    catalog_version: PositiveRevision | None = None
    values: list[dict[str, str]] | None = None
    comments: list[dict[str, Any]] | None = None
    eth_rows: list[str] | None = None
    review: Review


class ChangesReply(Reply):
    server_id: str
    generation: str | None = Field(None, max_length=b.MAX_GENERATION, pattern=b.GENERATION_RE.pattern)
    reset: bool = Field(
        False,
        description="The cursor sent was of another database generation or ahead of the feed: this page "
        "starts the feed from its beginning.",
    )
    cursor: str | None
    reports: list[PulledReport]
    more: bool


class BundleReply(Reply):
    server_id: str
    batch_id: str
    server_time: str
    results: list[ItemResult]


class ReviewReply(Reply):
    server_id: str
    report: PulledReport


# -- exports (``GET /export``: the reply is the file itself) ----------------------------------------------
ExportFormat = Literal["xlsx", "csv", "dvs", "adx"]
"""The export formats: Excel in the form's paper layout, long CSV, DHIS2 ``dataValueSets`` JSON, ADX XML."""

EXPORT_MEDIA_TYPES: dict[str, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "dvs": "application/json",
    "adx": "application/adx+xml",
}


# -- province totals -------------------------------------------------------------------------------------
class TotalCellDoc(Reply):
    """One total cell: ``value`` a canonical decimal string (null when nothing adds up or was reported)."""

    code: str
    disagg: str = Field(description='the disaggregation key; "" for the indicator\'s total')
    value: str | None
    units: int = Field(description="how many units contributed a value to this cell (legacy values included)")
    legacy_units: int = Field(
        0, description="how many of them contributed legacy values (imported history: no report counted)"
    )
    legacy_incomplete: int = Field(
        0, description="how many of those legacy values are flagged incomplete (a sum lacking old communes)"
    )


class TotalsDoc(Reply):
    """A form's totals for one period over the units in scope."""

    form: str
    period: str
    scope: str = Field(description='"*", a province code, or a commune code (an officer)')
    catalog_version: int
    accepted_only: bool
    units_expected: int
    units_included: int
    units_missing: list[str] = Field(
        description="units with neither a report in the totals nor legacy values"
    )
    legacy_units: int = Field(0, description="units whose legacy values stand in for a missing report")
    units_legacy: list[str] = Field(default_factory=list, description="those units, in code order")
    legacy_incomplete: list[str] = Field(
        default_factory=list, description="those of them with a value flagged incomplete"
    )
    legacy_sources: list[str] = Field(default_factory=list, description="file names of the legacy imports")
    legacy_left_out: list[dict] = Field(
        default_factory=list,
        description="old communes whose legacy values are in no total: {unit, name, flag, values}",
    )
    cells: list[TotalCellDoc]


class TotalsReply(TotalsDoc):
    server_id: str


class TrendsReply(Reply):
    server_id: str
    form: str
    scope: str
    periods: list[TotalsDoc] = Field(description="oldest first")


class UnitContributionDoc(Reply):
    unit: str
    unit_name: str
    value: str | None
    receipt_no: str | None
    server_revision: int
    status: str = Field(description='the report\'s state; "legacy" for legacy values')
    legacy_source: str = Field("", description="for legacy values, the file name(s) of their import")
    legacy_incomplete: bool = Field(False, description="a legacy value flagged incomplete")


class DrilldownReply(Reply):
    """One total cell and the units that make it (every included unit, null where it has no value)."""

    server_id: str
    form: str
    period: str
    scope: str
    accepted_only: bool
    cell: TotalCellDoc
    units_expected: int
    units_missing: list[str]
    units: list[UnitContributionDoc]


# -- item-level validation ----------------------------------------------------------------------------
MAX_REPORTED_ERRORS = 5


def check_submission(doc: Any) -> tuple[Submission | CompactSubmission | None, list[tuple[str, str, str]]]:
    """``(the model, [])`` for a valid submission, ``(None, [(field, vi, en), …])`` otherwise.

    The sentences name the field (``comments[0].text``) and what it must be; at most
    :data:`MAX_REPORTED_ERRORS` of them.
    """
    model = CompactSubmission if isinstance(doc, dict) and doc.get("payload_version") == 2 else Submission
    try:
        return model.model_validate(doc), []
    except ValidationError as exc:
        return None, [describe(e) for e in exc.errors(include_url=False)[:MAX_REPORTED_ERRORS]]


def field_path(loc: tuple) -> str:
    """``("comments", 0, "text")`` → ``comments[0].text``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("list[Cell]", "none") or "[" in str(part):
            continue  # the branch names pydantic adds for ``X | None``
        else:
            out += ("." if out else "") + str(part)
    return out or "(bản nộp)"


def describe(err: Any) -> tuple[str, str, str]:
    """One pydantic error as ``(field, Vietnamese sentence, English sentence)``."""
    where = field_path(tuple(err.get("loc", ())))
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        vi, en = "bị thiếu", "is missing"
    elif kind == "extra_forbidden":
        vi, en = "là trường không có trong giao thức", "is not a field of the protocol"
    elif kind == "string_too_long":
        vi, en = (
            f"dài quá {ctx.get('max_length')} ký tự",
            f"is longer than {ctx.get('max_length')} characters",
        )
    elif kind == "string_too_short":
        vi, en = "không được rỗng", "must not be empty"
    elif kind == "too_long":
        vi, en = f"có quá {ctx.get('max_length')} mục", f"has more than {ctx.get('max_length')} items"
    elif kind in ("less_than_equal", "less_than"):
        limit = ctx.get("le", ctx.get("lt"))
        vi, en = f"là số lớn hơn mức cho phép ({limit})", f"is a number above the allowed maximum ({limit})"
    elif kind in ("greater_than_equal", "greater_than"):
        limit = ctx.get("ge", ctx.get("gt"))
        vi, en = f"là số nhỏ hơn mức cho phép ({limit})", f"is a number below the allowed minimum ({limit})"
    elif kind.startswith("int_"):
        vi, en = "phải là số nguyên", "must be an integer"
    elif kind.startswith("string_pattern"):
        vi, en = "sai định dạng", "has the wrong format"
    elif kind.startswith("string"):
        vi, en = "phải là chuỗi ký tự", "must be a string"
    elif kind.startswith("list"):
        vi, en = "phải là danh sách", "must be a list"
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        vi, en = "phải là một đối tượng {…}", "must be an object {…}"
    elif kind.startswith("literal"):
        vi, en = "có giá trị không được phép", "has a value that is not allowed"
    else:
        vi, en = "không hợp lệ", "is not valid"
    return where, f"trường '{where}' {vi}", f"the field '{where}' {en}"


__all__ = [
    "BatchRequest",
    "Submission",
    "check_submission",
]


# -- the reviewer's side (completeness, one report in full, bulk accept) ---------------------------------
CompletenessState = Literal[
    "not_sent", "on_time", "late", "returned", "accepted", "conflict", "changed_after_acceptance"
]


class BulkAcceptItem(Strict):
    """One selected report."""

    unit: _s(b.MAX_UNIT, 5, b.UNIT_PATTERN)
    form: Code
    period: _s(b.MAX_PERIOD, 1)


class BulkAcceptRequest(Strict):
    """``POST reviews:bulk-accept``: accept every selected report that has no error-level problem."""

    reports: Annotated[list[BulkAcceptItem], Field(min_length=1, max_length=4000)]
    comment: Text | None = None


class CompletenessUnit(Reply):
    """One unit that should report, and where its report stands."""

    unit: str
    name: str
    province: str
    state: CompletenessState
    received_at: str | None
    first_received_at: str | None
    receipt_no: str | None
    server_revision: int
    last_seen: str | None


class CompletenessRates(Reply):
    """Percentages of the expected units, one decimal."""

    received: float
    on_time: float
    accepted: float


class CompletenessReply(Reply):
    """``GET completeness``: every unit in scope with its state, counts and rates."""

    server_id: str
    form: str
    period: str
    scope: str
    deadline: str
    expected: int
    received: int
    on_time: int
    late: int
    accepted: int
    rates: CompletenessRates
    by_state: dict[str, int]
    units: list[CompletenessUnit]


class FullCell(Reply):
    """One cell of a report in full, with the previous revision's and the previous period's value."""

    disagg: str
    dims: dict[str, str]
    label: str
    value: str | None
    previous_revision_value: str | None
    changed: bool
    previous_period_value: str | None
    change_pct: str | None


class FullIndicator(Reply):
    code: str
    name_vi: str
    name_en: str
    unit: str
    value_type: str
    required: bool
    dimensions: list[str]
    cells: list[FullCell]


class FullSection(Reply):
    """An indicator group of the form, as on paper."""

    group: str
    name_vi: str
    name_en: str
    indicators: list[FullIndicator]


class CellChange(Reply):
    code: str
    disagg: str
    old: str | None
    new: str | None


class ChangeSet(Reply):
    since_submission_id: str | None
    cells: list[CellChange]


class RevisionEntry(Reply):
    """A server revision of the report: a submission or a review, who and when."""

    server_revision: int
    kind: str
    submission_id: str | None
    by: str
    at: str
    receipt_no: str | None
    status: str | None
    device_id: str | None
    revision_no: int | None


class ReviewEntry(Reply):
    server_revision: int
    state: str
    comment: str
    submission_id: str | None
    by: str
    at: str


class StoredWarning(Reply):
    """A warning the officer gave a reason for, as stored with the submission."""

    rule: str
    reason: str
    option: str | None = None
    indicator: str | None = None
    disagg: str | None = None
    message_vi: str | None = None
    message_en: str | None = None


class PriorReport(Reply):
    period: str
    server_revision: int
    status: str


class ReportFullReply(Reply):
    """``GET reports/{unit}/{form}/{period}``: one report in full for a reviewer."""

    server_id: str
    unit: str
    name: str
    province: str
    form: str
    form_name_vi: str
    form_name_en: str
    period: str
    period_label: str
    previous_period: str | None
    deadline: str | None
    status: str
    state: CompletenessState
    state_label_vi: str
    state_label_en: str
    server_revision: int
    submission_id: str | None
    receipt_no: str | None
    received_at: str | None
    first_received_at: str | None
    catalog_id: str
    catalog_version: int
    accepted_submission_id: str | None
    review: Review
    eth_rows: list[str]
    sections: list[FullSection]
    warnings: list[StoredWarning]
    comments: list[dict[str, Any]]
    changes: ChangeSet
    changes_since_acceptance: ChangeSet | None
    previous_period_report: PriorReport | None
    revisions: list[RevisionEntry]
    reviews: list[ReviewEntry]


class SkippedReport(Reply):
    """A selected report bulk acceptance left alone, and why."""

    unit: str
    form: str
    period: str
    reason: Literal["no_report", "conflict", "errors", "already_accepted", "unknown_catalog"]
    message_vi: str
    message_en: str
    problems: list[dict[str, Any]]


class BulkAcceptReply(Reply):
    server_id: str
    accepted: list[PulledReport]
    skipped: list[SkippedReport]


class BaselineItem(Reply):
    """One survey figure for a unit (``dttshub baseline import``): shown beside the cell on the client."""

    survey: str
    reference_date: str
    form: str
    period: str
    indicator: str
    disagg: str
    value: str


class BaselinesReply(Reply):
    """``GET baselines``: the survey baselines of one unit, and the hub's baselines version."""

    unit: str
    version: int
    items: list[BaselineItem]


class UnitAddRequest(Strict):
    """``POST units``: an admin defines an agency of its province as a reporting unit."""

    code: _s(b.MAX_UNIT, 4, r"^[0-9]{2}-[A-Z0-9]{1,5}$")
    name: _s(200, 1)
    province: _s(2, 2, r"^[0-9]{2}$")


class UnitDoc(Reply):
    """A province agency that reports (``dttshub unit``)."""

    code: str
    name: str
    province: str
    kind: Literal["agency"]
    disabled: bool
    created_at: str


class UnitReply(Reply):
    unit: UnitDoc


class UnitsReply(Reply):
    units: list[UnitDoc]
