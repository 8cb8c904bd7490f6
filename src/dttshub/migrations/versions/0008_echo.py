"""No echo (issue 18): which device's submission made a report's last change.

* ``reports.echo_device`` and ``reports.echo_seq`` (new, nullable): the device whose submission moved the
  report's head, and the change sequence value that change took. ``GET changes`` leaves a report out
  for that device while ``echo_seq`` is still the report's ``change_seq`` (its receipt was in the batch
  reply already); any later change (a review, another device, an older dttshub that knows nothing of
  these columns) takes a new ``change_seq`` and the report is sent again. Empty for reports stored
  before, which are sent as before.

Revision ID: 0008
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("reports", sa.Column("echo_device", sa.String(128), nullable=True))
    op.add_column("reports", sa.Column("echo_seq", sa.BigInteger, nullable=True))


def downgrade() -> None:
    op.drop_column("reports", "echo_seq")
    op.drop_column("reports", "echo_device")
