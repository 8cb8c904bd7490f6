"""What the main window shows, read from the GUI thread's store as plain rows (no widgets here).

The models never query SQLite; these functions do, once per refresh, and hand them rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dttsclient.store import OutboxItem, Report, Store, StoreError
from dttsclient.ui.form_list_model import FormRow, badge_of
from dttsclient.ui.outbox_model import OutboxRow, row_from_item
from dttsclient.ui.sync_view import DiffRow, ReturnedRow
from dttscore import periods
from dttscore.model import Catalog
from dttscore.unitcodes import unit_kind
from dttscore.validate import completeness

_LIVE = ("queued", "sending", "accepted", "needs_attention", "conflict", "late")
PERIOD_TYPE_ORDER = {"month": 0, "quarter": 1, "half_year": 2, "year": 3}


def finest_type(catalog: Catalog) -> str:
    """The shortest period type among the catalogue's forms (the picker's step)."""
    types = {f.period_type for f in catalog.forms} or {"year"}
    return min(types, key=lambda t: PERIOD_TYPE_ORDER[t])


def period_choices(catalog: Catalog, today: date, years: int = 3) -> list[periods.Period]:
    """The periods the picker offers: every period of every type the forms use (years, halves,
    quarters, months), about ``years`` back from the one containing ``today``. Latest end first and,
    among periods ending the same day, the longer first ("Năm 2026", "6 tháng cuối năm 2026",
    "Quý 4/2026", "Tháng 12/2026")."""
    per_year = {"year": 1, "half_year": 2, "quarter": 4, "month": 12}
    types = {f.period_type for f in catalog.forms} or {"year"}
    out = [p for t in types for p in periods.periods_around(t, today, per_year[t] * years)]
    return sorted(out, key=lambda p: (p.end, PERIOD_TYPE_ORDER[p.type]), reverse=True)


def due_period(period_type: str, today: date) -> periods.Period:
    """The period of a type that is due now: the most recent one that has ended."""
    return periods.containing(period_type, periods.containing(period_type, today).start - timedelta(days=1))


def default_period(choices: list[periods.Period], today: date) -> periods.Period | None:
    """The most recent period that has ended, else the first offered."""
    ended = [p for p in choices if p.end < today]
    return ended[0] if ended else (choices[0] if choices else None)


def form_period(form_period_type: str, anchor: periods.Period) -> periods.Period:
    """The period of a form's type that contains the chosen ``anchor`` period."""
    return periods.containing(form_period_type, anchor.start)


def wanted_periods(catalog: Catalog, anchor: periods.Period | None, today: date) -> dict[str, periods.Period]:
    """The period each form shows in the list. ``anchor`` None: the forms due now, each with the most
    recent ended period of its own type. Else the forms whose period type is as long as the anchor's or
    longer, each with its period containing the anchor (a quarter shows the quarterly, half-yearly and
    yearly forms; a month shows every form)."""
    if anchor is None:
        return {f.code: due_period(f.period_type, today) for f in catalog.forms}
    rank = PERIOD_TYPE_ORDER[anchor.type]
    return {
        f.code: form_period(f.period_type, anchor)
        for f in catalog.forms
        if PERIOD_TYPE_ORDER[f.period_type] >= rank
    }


def latest_items(store: Store) -> dict[int, OutboxItem]:
    """The newest live outbox row of each report (superseded and discarded rows are history)."""
    out: dict[int, OutboxItem] = {}
    for item in store.outbox.items(_LIVE):
        out[item.report_id] = item  # oldest first, so the last one wins
    return out


def form_rows(
    store: Store,
    catalog: Catalog,
    unit: str,
    anchor: periods.Period | None,
    lang: str,
    today: date | None = None,
) -> list[FormRow]:
    """One row per form shown for ``anchor`` (see :func:`wanted_periods`; None: the forms due now),
    with its badge, completeness and deadline."""
    wanted = wanted_periods(catalog, anchor, today or date.today())
    codes = {p.code for p in wanted.values()}
    reports = {(r.form, r.period): r for r in store.reports.all(unit=unit) if r.period in codes}
    latest = latest_items(store) if reports else {}
    rows: list[FormRow] = []
    kind = unit_kind(unit)  # a province agency sees the forms agencies report (forms.reported_by)
    for form in catalog.forms:
        if form.code not in wanted or not form.reported_by_kind(kind):
            continue
        period = wanted[form.code]
        report = reports.get((form.code, period.code))
        item = latest.get(report.id) if report else None
        receipt = None
        if report is None:
            done = completeness(catalog, form.code, {})
        else:
            try:
                done = store.reports.completeness(report.id)  # against the catalogue the report is pinned to
            except StoreError:  # no pinned catalogue (yet): measure against the current one
                done = completeness(catalog, form.code, store.reports.cells(report.id))
            if item is not None and item.state in ("accepted", "late"):
                receipt = item.receipt_no
        badge = badge_of(report, item)
        if badge == "draft" and done.entered == 0:
            badge = "empty"
        rows.append(
            FormRow(
                form=form.code,
                name=form.name_en if lang == "en" else form.name_vi,
                period=period.code,
                badge=badge,
                filled=done.entered,
                total=done.total,
                missing_required=done.missing_required,
                deadline=periods.deadline(period.code, form.deadline_days),
                receipt=receipt,
                report_id=report.id if report else None,
                review_comment=report.review_comment
                if report and report.review_state == "returned"
                else None,
                period_label=period.label(lang),
            )
        )
    return rows


@dataclass(frozen=True)
class StatusInfo:
    """The status bar: unsent submissions, items that need the officer, the last sync."""

    unsent: int
    attention: int
    last_sync: str | None
    last_ok: bool | None


def status_info(store: Store) -> StatusInfo:
    counts = store.outbox.counts()
    last = store.sync.last_sync()
    ok = None
    when = None
    if last is not None:
        summary = last.get("summary") or {}
        ok = bool(summary.get("ok", not summary.get("error")))
        when = last.get("finished_at")
    return StatusInfo(
        unsent=counts.get("queued", 0) + counts.get("sending", 0),
        attention=counts.get("needs_attention", 0) + counts.get("conflict", 0),
        last_sync=when,
        last_ok=ok,
    )


def attention_rows(store: Store, lang: str) -> list[OutboxRow]:
    return [row_from_item(i, lang) for i in store.outbox.items(["needs_attention"])]


def conflict_rows(store: Store, lang: str) -> list[OutboxRow]:
    return [row_from_item(i, lang) for i in store.outbox.items(["conflict"])]


def returned_rows(store: Store) -> list[ReturnedRow]:
    """Reports the reviewer returned that the officer has not finalized again."""
    out = []
    for r in store.reports.all():
        if r.review_state == "returned" and r.state == "draft":
            out.append(ReturnedRow(r.id, r.form, r.period, r.review_comment or "", r.review_by or ""))
    return out


def diff_rows(store: Store, report: Report, submission_id: str | None = None) -> tuple[list[DiffRow], int]:
    """Both versions of a report, cell by cell, and the server revision compared against.

    The server's side is the store's server copy when one is waiting; otherwise (a ``conflict`` answer
    whose newer revision was already pulled) the report's current cells are the server's and the
    officer's side is the submission that was sent.
    """
    copy = store.sync.server_copy(report.id)
    if copy is not None:
        mine, theirs, revision = store.reports.cells(report.id), copy.values, copy.server_revision
    else:
        mine = {}
        if submission_id:
            doc = store.outbox.submission(submission_id).document
            mine = {(v["code"], v.get("disagg", "")): v["value"] for v in doc.get("values", [])}
        theirs, revision = store.reports.cells(report.id), report.server_revision
    try:
        catalog = (
            store.catalogs.catalog_version(report.catalog_id, report.catalog_version)
            if report.catalog_id
            else None
        )
    except StoreError:  # its version is not in the profile yet (a pulled report): codes without names
        catalog = None
    rows = []
    for code, disagg in sorted(set(mine) | set(theirs)):
        name = ""
        if catalog is not None and catalog.has_indicator(code):
            name = catalog.indicator(code).name_vi
        rows.append(DiffRow(code, name, disagg, mine.get((code, disagg)), theirs.get((code, disagg))))
    return rows, revision
