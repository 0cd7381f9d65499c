"""add_charge_proration: issue 19: a period assessment prorated on an ownership transfer.

- `assessment_charges.covers_from` / `covers_to`: the days (inclusive) a part of a period assessment covers, when
  the unit changed hands inside the period and its type prorates (`assessment_types.prorate_on_transfer`); both
  NULL for a whole period (every charge before this migration).
- `uq_assessment_charges_period` now holds per part: one charge per organization, type, unit, due date and first
  day covered (the due date for a whole period), so a period is still charged once, whole or in its parts.

Revision ID: 0031
Revises: 0030
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | Sequence[str] | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "uq_assessment_charges_period"
PERIOD = sa.text("period_assessment")


def upgrade() -> None:
    op.add_column("assessment_charges", sa.Column("covers_from", sa.Date(), nullable=True))
    op.add_column("assessment_charges", sa.Column("covers_to", sa.Date(), nullable=True))
    op.create_check_constraint(
        "charge_covers_days", "assessment_charges",
        "(covers_from IS NULL) = (covers_to IS NULL) AND (covers_from IS NULL OR "
        "(period_assessment AND covers_from >= due_date AND covers_to >= covers_from))",
    )  # fmt: skip
    op.drop_index(INDEX, table_name="assessment_charges")
    op.create_index(
        INDEX, "assessment_charges",
        ["organization_id", "assessment_type_id", "unit_id", "due_date", sa.text("coalesce(covers_from, due_date)")],
        unique=True, postgresql_where=PERIOD,
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index(INDEX, table_name="assessment_charges")
    op.create_index(
        INDEX, "assessment_charges", ["organization_id", "assessment_type_id", "unit_id", "due_date"],
        unique=True, postgresql_where=PERIOD,
    )  # fmt: skip
    op.drop_constraint("charge_covers_days", "assessment_charges", type_="check")
    op.drop_column("assessment_charges", "covers_to")
    op.drop_column("assessment_charges", "covers_from")
