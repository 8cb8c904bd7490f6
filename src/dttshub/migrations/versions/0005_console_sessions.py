"""Sessions of the province console (issue 15): ``console_sessions``.

One row per signed-in browser: the SHA-256 of the session cookie (the cookie itself is never stored), the
account, the CSRF token of the session's forms, and when the session was opened and ends. Signing out or
expiry deletes the row.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(64), sa.ForeignKey("users.username"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("expires_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_console_sessions_username", "console_sessions", ["username"])
    op.get_bind().execute(
        sa.text(
            "INSERT INTO schema_version (version, applied_at) "
            "SELECT coalesce(max(version), 0) + 1, :at FROM schema_version"
        ),
        {"at": datetime.now(timezone.utc).isoformat(timespec="microseconds")},
    )


def downgrade() -> None:
    op.drop_index("ix_console_sessions_username", "console_sessions")
    op.drop_table("console_sessions")
