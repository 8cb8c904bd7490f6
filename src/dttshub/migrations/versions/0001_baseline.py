"""Baseline: the hub's schema as released before migrations existed (``schema_version`` 1).

A frozen copy of the tables of ``dttshub/db.py`` at the time: later changes to ``db.py`` go into new
revisions, never here. Tables are created only when missing, so a database made by a release before
Alembic (which created the same tables with ``create_all``) is adopted as it is.

Revision ID: 0001
Revises:
Create Date: 2026-12-05
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

metadata = sa.MetaData()

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", sa.String(40), nullable=False),
)

counters = sa.Table(
    "counters",
    metadata,
    sa.Column("name", sa.String(96), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("unit", sa.String(8), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.String(40), nullable=False),
)

tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(8), nullable=False),  # access | refresh
    sa.Column("username", sa.String(64), sa.ForeignKey("users.username"), nullable=False, index=True),
    sa.Column("device_id", sa.String(128), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("expires_at", sa.String(40), nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False, default=False),
)

devices = sa.Table(
    "devices",
    metadata,
    sa.Column("device_id", sa.String(128), primary_key=True),
    sa.Column("username", sa.String(64), sa.ForeignKey("users.username"), primary_key=True),
    sa.Column("device_name", sa.String(200), nullable=False, default=""),
    sa.Column("app_version", sa.String(40), nullable=False, default=""),
    sa.Column("first_seen", sa.String(40), nullable=False),
    sa.Column("last_seen", sa.String(40), nullable=False),
)

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Index("ix_login_failures_user_at", "username", "at"),
)

catalogs = sa.Table(
    "catalogs",
    metadata,
    sa.Column("catalog_id", sa.String(64), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("content", sa.Text, nullable=False),  # canonical JSON of catalog_to_json()
    sa.Column("etag", sa.String(80), nullable=False),
    sa.Column("publish_seq", sa.BigInteger, nullable=False, unique=True),
    sa.Column("published_at", sa.String(40), nullable=False),
    sa.Column("published_by", sa.String(64), nullable=False, default=""),
)

reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("unit", sa.String(8), nullable=False),
    sa.Column("form", sa.String(32), nullable=False),
    sa.Column("period", sa.String(8), nullable=False),
    sa.Column("catalog_id", sa.String(64), nullable=False, default=""),
    sa.Column("catalog_version", sa.Integer, nullable=False, default=0),
    sa.Column("server_revision", sa.Integer, nullable=False, default=0),
    sa.Column("status", sa.String(16), nullable=False, default="empty"),
    sa.Column("head_submission_id", sa.String(64), nullable=True),
    sa.Column("receipt_no", sa.String(32), nullable=True),
    sa.Column("values_json", sa.Text, nullable=False, default="[]"),
    sa.Column("comments_json", sa.Text, nullable=False, default="[]"),
    sa.Column("eth_rows_json", sa.Text, nullable=False, default="[]"),
    sa.Column("conflict", sa.Boolean, nullable=False, default=False),
    sa.Column("late", sa.Boolean, nullable=False, default=False),
    sa.Column("review_state", sa.String(16), nullable=True),
    sa.Column("review_comment", sa.Text, nullable=True),
    sa.Column("review_by", sa.String(64), nullable=True),
    sa.Column("review_at", sa.String(40), nullable=True),
    sa.Column("change_seq", sa.BigInteger, nullable=False, default=0, index=True),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.UniqueConstraint("unit", "form", "period", name="uq_reports_unit_form_period"),
)

submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("submission_id", sa.String(64), primary_key=True),  # the unique constraint of docs/sync-protocol.md
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False, index=True),
    sa.Column("unit", sa.String(8), nullable=False),
    sa.Column("form", sa.String(32), nullable=False),
    sa.Column("period", sa.String(8), nullable=False),
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("device_id", sa.String(128), nullable=False),
    sa.Column("revision_no", sa.Integer, nullable=False),
    sa.Column("supersedes", sa.String(64), nullable=True),
    sa.Column("base_server_revision", sa.Integer, nullable=False),
    sa.Column("catalog_id", sa.String(64), nullable=False),
    sa.Column("catalog_version", sa.Integer, nullable=False),
    sa.Column("payload_sha256", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # accepted | late | conflict
    sa.Column("receipt_no", sa.String(32), nullable=False, unique=True),
    sa.Column("server_revision", sa.Integer, nullable=False),
    sa.Column("received_at", sa.String(40), nullable=False),
    sa.Column("source", sa.String(16), nullable=False),  # batch | bundle | cli
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("warnings_json", sa.Text, nullable=False, default="[]"),
)

revisions = sa.Table(
    "revisions",
    metadata,
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), primary_key=True),
    sa.Column("server_revision", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("kind", sa.String(16), nullable=False),  # submission | review
    sa.Column("submission_id", sa.String(64), nullable=True),
    sa.Column("by", sa.String(64), nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
)

reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False, index=True),
    sa.Column("server_revision", sa.Integer, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),  # accepted | returned
    sa.Column("comment", sa.Text, nullable=False, default=""),
    sa.Column("submission_id", sa.String(64), nullable=True),
    sa.Column("by", sa.String(64), nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
)


def upgrade() -> None:
    bind = op.get_bind()
    metadata.create_all(bind, checkfirst=True)
    # The releases before Alembic read this table and refuse a schema newer than theirs: a revision that
    # changes the schema after this one also inserts a higher version, so an older dttshub stops cleanly.
    if bind.execute(sa.select(sa.func.count()).select_from(schema_version)).scalar() == 0:
        now = datetime.now(timezone.utc).isoformat(timespec="microseconds")
        bind.execute(schema_version.insert().values(version=1, applied_at=now))


def downgrade() -> None:
    metadata.drop_all(op.get_bind())
