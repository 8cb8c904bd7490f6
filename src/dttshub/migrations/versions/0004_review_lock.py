"""Review that locks: the accepted submission of a report, and room for the status "changed_after_acceptance".

* ``reports.accepted_submission_id`` (new, nullable): the head submission the reviewer last accepted. A
  later revision from the commune no longer wipes the acceptance: the report's status becomes
  ``changed_after_acceptance`` and this column still names what was accepted. Filled for reports that are
  accepted now.
* ``reports.status`` grows from VARCHAR(16) to VARCHAR(32) (``changed_after_acceptance`` has 24
  characters). On PostgreSQL an ``ALTER COLUMN … TYPE``; on SQLite, which never checks a VARCHAR's
  length, only the declared type in the schema text changes — SQLite's own procedure for a change that
  leaves the stored rows as they are (sqlite.org/lang_altertable.html, "writable_schema"), because copying
  the table (Alembic's batch mode) would trip the foreign keys of ``submissions``, ``revisions`` and
  ``reviews`` inside the migration's transaction.
* a higher ``schema_version`` row, so dttshub 0.1.0 refuses the database.

Revision ID: 0004
Revises: 0001
Create Date: 2026-12-05
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OLD_STATUS = "status VARCHAR(16)"
NEW_STATUS = "status VARCHAR(32)"


def upgrade() -> None:
    conn = op.get_bind()
    op.add_column("reports", sa.Column("accepted_submission_id", sa.String(64), nullable=True))
    if conn.dialect.name == "sqlite":
        _widen_status_sqlite(conn)
    else:
        op.alter_column(
            "reports", "status", type_=sa.String(32), existing_type=sa.String(16), existing_nullable=False
        )
    conn.execute(
        sa.text(
            "UPDATE reports SET accepted_submission_id = head_submission_id "
            "WHERE review_state = 'accepted' AND head_submission_id IS NOT NULL"
        )
    )
    conn.execute(
        sa.text(
            "INSERT INTO schema_version (version, applied_at) "
            "SELECT coalesce(max(version), 0) + 1, :at FROM schema_version"
        ),
        {"at": datetime.now(timezone.utc).isoformat(timespec="microseconds")},
    )


def _widen_status_sqlite(conn) -> None:
    """The declared type of ``reports.status`` in SQLite's schema text (the rows are not touched)."""
    sql = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'reports'"
    ).scalar()
    if sql is None or OLD_STATUS not in sql:
        return  # already wide (or made by hand): nothing to change
    version = conn.exec_driver_sql("PRAGMA schema_version").scalar()
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        conn.exec_driver_sql(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'reports'",
            (sql.replace(OLD_STATUS, NEW_STATUS, 1),),
        )
        conn.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")  # other connections reload it
    finally:
        conn.exec_driver_sql("PRAGMA writable_schema = OFF")


def downgrade() -> None:
    op.drop_column("reports", "accepted_submission_id")
