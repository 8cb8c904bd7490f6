"""Reporting units beyond communes, and values from outside the reporting flow (issue 17).

* ``units``: a province's agencies that report (``19-SGDDT`` "Sở Giáo dục và Đào tạo"), added with
  ``dttshub unit add``; the province is the code's first two digits.
* ``imports``: one row per long table imported (``dttshub legacy import``, ``dttshub baseline import``).
* ``historical_values``: read-only values of those imports — historical reports mapped through the 2025
  crosswalk (series ``legacy``) and survey baselines (series = the survey).
* a higher ``schema_version`` row, so an older dttshub refuses the database.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("code", sa.String(8), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("province", sa.String(2), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_units_province", "units", ["province"])
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("unit_list", sa.String(32), nullable=False),
        sa.Column("survey", sa.String(200), nullable=False),
        sa.Column("reference_date", sa.String(10), nullable=False),
        sa.Column("imported_at", sa.String(40), nullable=False),
        sa.Column("imported_by", sa.String(64), nullable=False),
        sa.Column("report_json", sa.Text, nullable=False),
    )
    op.create_table(
        "historical_values",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
        sa.Column("series", sa.String(200), nullable=False),
        sa.Column("unit", sa.String(8), nullable=False),
        sa.Column("unit_list", sa.String(32), nullable=False),
        sa.Column("form", sa.String(32), nullable=False),
        sa.Column("period", sa.String(8), nullable=False),
        sa.Column("indicator", sa.String(32), nullable=False),
        sa.Column("disagg", sa.String(256), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("flag", sa.String(16), nullable=False),
        sa.Column("sources", sa.Text, nullable=False),
        sa.UniqueConstraint(
            "series", "unit_list", "unit", "form", "period", "indicator", "disagg", name="uq_historical_values"
        ),
    )
    op.create_index("ix_historical_values_import_id", "historical_values", ["import_id"])
    op.create_index("ix_historical_values_unit_form", "historical_values", ["unit", "form"])
    op.get_bind().execute(
        sa.text(
            "INSERT INTO schema_version (version, applied_at) "
            "SELECT coalesce(max(version), 0) + 1, :at FROM schema_version"
        ),
        {"at": datetime.now(timezone.utc).isoformat(timespec="microseconds")},
    )


def downgrade() -> None:
    op.drop_table("historical_values")
    op.drop_table("imports")
    op.drop_table("units")
