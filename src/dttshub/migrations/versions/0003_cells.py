"""The cell table: every value of every stored submission as one row (for the province totals).

Creates ``cells`` (see ``dttshub/cells.py``) and the index ``ix_reports_form_period``, then fills
``cells`` from the documents of the submissions already stored, in batches. The logic that turns a
document into rows is copied here (frozen), not imported, so later changes to ``dttshub.cells`` cannot
change what this revision did.

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-05
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

SCHEMA_VERSION = 3
BATCH = 200  # submissions read at a time
_NUMBER_RE = re.compile(r"-?[0-9]+(\.[0-9]+)?")

_meta = sa.MetaData()
_cells = sa.Table(
    "cells",
    _meta,
    sa.Column("submission_id", sa.String(64), primary_key=True),
    sa.Column("indicator", sa.String(32), primary_key=True),
    sa.Column("disagg", sa.String(256), primary_key=True),
    sa.Column("report_id", sa.Integer, nullable=False),
    sa.Column("server_revision", sa.Integer, nullable=False),
    sa.Column("eth", sa.String(32), nullable=True),
    sa.Column("sex", sa.String(32), nullable=True),
    sa.Column("area", sa.String(32), nullable=True),
    sa.Column("age", sa.String(32), nullable=True),
    sa.Column("num", sa.Numeric(30, 14), nullable=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Index("ix_cells_report_revision", "report_id", "server_revision"),
)
_submissions = sa.table(
    "submissions",
    sa.column("submission_id", sa.String),
    sa.column("report_id", sa.Integer),
    sa.column("server_revision", sa.Integer),
    sa.column("document", sa.Text),
)
_schema_version = sa.table(
    "schema_version", sa.column("version", sa.Integer), sa.column("applied_at", sa.String)
)


def _rows(sub) -> list[dict]:
    try:
        values = json.loads(sub.document).get("values") or []
    except (ValueError, AttributeError):
        return []
    cells: dict[tuple[str, str], str] = {}
    for item in values:
        if isinstance(item, dict) and item.get("value") not in (None, ""):
            cells[(str(item.get("code", "")), str(item.get("disagg", "")))] = str(item["value"])
    rows = []
    for (code, disagg), text in cells.items():
        dims = {}
        for part in disagg.split("|") if disagg else ():
            dim, eq, opt = part.partition("=")
            if eq:
                dims[dim] = opt
        number = Decimal(text) if len(text) <= 40 and _NUMBER_RE.fullmatch(text) else None
        rows.append(
            {
                "submission_id": sub.submission_id,
                "indicator": code,
                "disagg": disagg,
                "report_id": sub.report_id,
                "server_revision": sub.server_revision,
                "eth": dims.get("eth"),
                "sex": dims.get("sex"),
                "area": dims.get("area"),
                "age": dims.get("age"),
                "num": number,
                "text": text,
            }
        )
    return rows


def upgrade() -> None:
    bind = op.get_bind()
    _cells.create(bind)
    op.create_index("ix_reports_form_period", "reports", ["form", "period"])
    last = ""
    while True:
        subs = bind.execute(
            sa.select(
                _submissions.c.submission_id,
                _submissions.c.report_id,
                _submissions.c.server_revision,
                _submissions.c.document,
            )
            .where(_submissions.c.submission_id > last)
            .order_by(_submissions.c.submission_id)
            .limit(BATCH)
        ).all()
        if not subs:
            break
        rows = [row for sub in subs for row in _rows(sub)]
        if rows:
            bind.execute(_cells.insert(), rows)
        last = subs[-1].submission_id
    if not bind.execute(
        sa.select(_schema_version.c.version).where(_schema_version.c.version == SCHEMA_VERSION)
    ).first():
        now = datetime.now(timezone.utc).isoformat(timespec="microseconds")
        bind.execute(_schema_version.insert().values(version=SCHEMA_VERSION, applied_at=now))


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_index("ix_reports_form_period", "reports")
    _cells.drop(bind)
    bind.execute(_schema_version.delete().where(_schema_version.c.version == SCHEMA_VERSION))
