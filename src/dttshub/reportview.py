"""One report in full, for a reviewer (``GET /api/v1/reports/{unit}/{form}/{period}``).

What a reviewer needs to decide on one report, in one reply:

* the values in the form's layout: sections by indicator group (catalogue order), each indicator with its
  cells (disaggregation keys in the order the form shows them, the report's ethnic rows), each cell with
  its value, its value in the previous revision (``changed`` when it differs), the previous period's value
  of the same unit and the change in percent (``(now - before) / |before| * 100``, one decimal; None when
  either is missing or not a number, or the previous value is 0 and the new one is not);
* the officer's warnings with their reasons (as stored with the head submission), the comments;
* what changed since the previous revision (and, for a report changed after acceptance, since the
  accepted one);
* the revisions (submissions and reviews, who and when, with receipts) and the reviews (with comments).

The previous revision is the submission that was the report's head before the current one (a review that
adopted a submission counts as making it the head).
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa

from dttscore.disagg import cell_keys, parse_key
from dttscore.errors import DttsError
from dttscore.model import Catalog
from dttscore.payload import values_from_list
from dttscore.periods import deadline, period_label, previous
from dttshub import db as t
from dttshub.catalogs import Catalogs
from dttshub.completeness import STATE_LABELS, cutoff_of, state_of
from dttshub.db import Database
from dttshub.errors import NotFound
from dttshub.scope import Account, province_of
from dttshub.units import unit_names

PCT_STEP = Decimal("0.1")
Values = dict[tuple[str, str], str]


def change_pct(now: str | None, before: str | None) -> str | None:
    """The change from ``before`` to ``now`` in percent of ``|before|``, one decimal, as text; or None."""
    if now in (None, "") or before in (None, ""):
        return None
    try:
        a, b = Decimal(now), Decimal(before)
    except (InvalidOperation, ValueError):
        return None
    if not (a.is_finite() and b.is_finite()):
        return None
    if b == 0:
        return "0.0" if a == 0 else None
    return str(((a - b) / abs(b) * 100).quantize(PCT_STEP))


def _diff(old: Values, new: Values) -> list[dict]:
    keys = sorted(set(old) | set(new))
    return [
        {"code": code, "disagg": disagg, "old": old.get((code, disagg)), "new": new.get((code, disagg))}
        for code, disagg in keys
        if old.get((code, disagg)) != new.get((code, disagg))
    ]


def _values(text: str | None) -> Values:
    return values_from_list(json.loads(text or "[]"))


def _doc_values(document: str | None) -> Values:
    if not document:
        return {}
    return values_from_list(json.loads(document).get("values") or [])


def report_full(
    db: Database, catalogs: Catalogs, account: Account, unit: str, form: str, period: str
) -> dict:
    """One report in full (see the module's description).

    Raises:
        Forbidden: the unit is outside the account's scope (an officer: another commune).
        NotFound: the hub holds no such report.
    """
    account.require_unit(unit)
    r, s = t.reports.c, t.submissions.c
    try:
        before_period = previous(period)
    except DttsError:
        before_period = None
    with db.read() as conn:
        report = conn.execute(
            sa.select(t.reports).where(
                r.unit == unit, r.form == form, r.period == period, r.server_revision > 0
            )
        ).first()
        if report is None:
            raise NotFound(
                "no_report",
                f"Máy chủ chưa có báo cáo {form} kỳ {period} của đơn vị {unit}.",
                f"The hub holds no report {form} for period {period} of unit {unit}.",
            )
        subs = conn.execute(
            sa.select(
                s.submission_id,
                s.status,
                s.receipt_no,
                s.received_at,
                s.username,
                s.device_id,
                s.revision_no,
                s.server_revision,
                s.warnings_json,
            )
            .where(s.report_id == report.id)
            .order_by(s.received_at)
        ).all()
        revisions = conn.execute(
            sa.select(t.revisions)
            .where(t.revisions.c.report_id == report.id)
            .order_by(t.revisions.c.server_revision)
        ).all()
        reviews = conn.execute(
            sa.select(t.reviews)
            .where(t.reviews.c.report_id == report.id)
            .order_by(t.reviews.c.server_revision)
        ).all()
        previous_sid = _previous_head(revisions, report.head_submission_id)
        wanted_docs = {x for x in (previous_sid, report.accepted_submission_id) if x}
        wanted_docs.discard(report.head_submission_id)
        docs = {}
        if wanted_docs:
            docs = dict(
                conn.execute(
                    sa.select(s.submission_id, s.document).where(s.submission_id.in_(sorted(wanted_docs)))
                ).all()
            )
        prior = None
        if before_period:
            prior = conn.execute(
                sa.select(r.values_json, r.server_revision, r.status).where(
                    r.unit == unit, r.form == form, r.period == before_period, r.server_revision > 0
                )
            ).first()
        unit_name = unit_names(conn, [unit])[unit]

    by_sid = {x.submission_id: x for x in subs}
    head = by_sid.get(report.head_submission_id)
    values = _values(report.values_json)
    eth_rows = [str(e) for e in json.loads(report.eth_rows_json or "[]")]
    prev_values = _doc_values(docs.get(previous_sid)) if previous_sid else {}
    prior_values = _values(prior.values_json) if prior is not None else {}
    accepted_values = None
    if report.accepted_submission_id and report.accepted_submission_id != report.head_submission_id:
        accepted_values = _doc_values(docs.get(report.accepted_submission_id))
    catalog = catalogs.get(report.catalog_id, report.catalog_version)
    first_at = subs[0].received_at if subs else None
    due = None
    if catalog is not None and catalog.has_form(form):
        try:
            due = deadline(period, catalog.form(form).deadline_days)
        except DttsError:
            due = None
    state = state_of(report.status, due is None or (first_at is not None and first_at < cutoff_of(due)))
    form_obj = catalog.form(form) if catalog is not None and catalog.has_form(form) else None
    return {
        "unit": unit,
        "name": unit_name,
        "province": province_of(unit) or "",
        "form": form,
        "form_name_vi": form_obj.name_vi if form_obj else "",
        "form_name_en": form_obj.name_en if form_obj else "",
        "period": period,
        "period_label": period_label(period),
        "previous_period": before_period,
        "deadline": due.isoformat() if due else None,
        "status": report.status,
        "state": state,
        "state_label_vi": STATE_LABELS[state][0],
        "state_label_en": STATE_LABELS[state][1],
        "server_revision": report.server_revision,
        "submission_id": report.head_submission_id,
        "receipt_no": report.receipt_no,
        "received_at": head.received_at if head else None,
        "first_received_at": first_at,
        "catalog_id": report.catalog_id,
        "catalog_version": report.catalog_version,
        "accepted_submission_id": report.accepted_submission_id,
        "review": {
            "state": report.review_state,
            "comment": report.review_comment,
            "by": report.review_by,
            "at": report.review_at,
        },
        "eth_rows": eth_rows,
        "sections": _layout(
            catalog, form, values, prev_values if previous_sid else None, prior_values, eth_rows
        )
        if catalog is not None and catalog.has_form(form)
        else [],
        "warnings": json.loads(head.warnings_json) if head is not None else [],
        "comments": json.loads(report.comments_json or "[]"),
        "changes": {
            "since_submission_id": previous_sid,
            "cells": _diff(prev_values, values) if previous_sid else [],
        },
        "changes_since_acceptance": None
        if accepted_values is None
        else {"since_submission_id": report.accepted_submission_id, "cells": _diff(accepted_values, values)},
        "previous_period_report": None
        if prior is None
        else {"period": before_period, "server_revision": prior.server_revision, "status": prior.status},
        "revisions": [_revision(rev, by_sid.get(rev.submission_id)) for rev in revisions],
        "reviews": [
            {
                "server_revision": rv.server_revision,
                "state": rv.state,
                "comment": rv.comment,
                "submission_id": rv.submission_id,
                "by": rv.by,
                "at": rv.at,
            }
            for rv in reviews
        ],
    }


def _previous_head(revisions, head_sid: str | None) -> str | None:
    """The submission that was the head before the current one (None for a first revision)."""
    heads: list[str] = [rev.submission_id for rev in revisions if rev.submission_id]
    while heads and heads[-1] == head_sid:
        heads.pop()
    return heads[-1] if heads else None


def _revision(rev, sub) -> dict:
    doc = {
        "server_revision": rev.server_revision,
        "kind": rev.kind,
        "submission_id": rev.submission_id,
        "by": rev.by,
        "at": rev.at,
        "receipt_no": None,
        "status": None,
        "device_id": None,
        "revision_no": None,
    }
    if sub is not None:
        doc.update(
            receipt_no=sub.receipt_no, status=sub.status, device_id=sub.device_id, revision_no=sub.revision_no
        )
    return doc


def _layout(
    catalog: Catalog, form: str, values: Values, prev: Values | None, prior: Values, eth_rows: list[str]
) -> list[dict]:
    """The form's indicators grouped as on paper, every cell with its comparisons."""
    eth = list(eth_rows)
    for source in (values, prev or {}, prior):
        for _code, disagg in source:
            if "eth=" in disagg:
                code = parse_key(disagg).get("eth")
                if code and code not in eth:
                    eth.append(code)
    names = {}
    sections: list[dict] = []
    by_group: dict[str, dict] = {}
    placed: set[tuple[str, str]] = set()
    for ind in catalog.form_indicators(form):
        section = by_group.get(ind.group)
        if section is None:
            group = next((g for g in catalog.groups if g.code == ind.group), None)
            section = {
                "group": ind.group,
                "name_vi": group.name_vi if group else "",
                "name_en": group.name_en if group else "",
                "indicators": [],
            }
            by_group[ind.group] = section
            sections.append(section)
        keys = cell_keys(catalog, ind, eth)
        keys += sorted(k for (c, k) in values if c == ind.code and k not in keys)
        cells = []
        for key in keys:
            placed.add((ind.code, key))
            dims = parse_key(key)
            label = " · ".join(_option_name(catalog, names, d, o) for d, o in dims.items())
            now = values.get((ind.code, key))
            before = prior.get((ind.code, key))
            cell = {
                "disagg": key,
                "dims": dims,
                "label": label,
                "value": now,
                "previous_revision_value": None if prev is None else prev.get((ind.code, key)),
                "changed": prev is not None and prev.get((ind.code, key)) != now,
                "previous_period_value": before,
                "change_pct": change_pct(now, before) if ind.numeric and ind.value_type != "yes_no" else None,
            }
            cells.append(cell)
        section["indicators"].append(
            {
                "code": ind.code,
                "name_vi": ind.name_vi,
                "name_en": ind.name_en,
                "unit": ind.unit,
                "value_type": ind.value_type,
                "required": ind.required,
                "dimensions": list(catalog.dimensions_of(ind)),
                "cells": cells,
            }
        )
    return sections


def _option_name(catalog: Catalog, cache: dict, dim: str, code: str) -> str:
    if dim not in cache:
        cache[dim] = {o.code: o.name_vi for o in catalog.options_for(dim)}
    return cache[dim].get(code, code)
