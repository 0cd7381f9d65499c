"""posting_failed: assessmentPosting_v1 runs can end FAILED, and be started again.

- `assessment_posting_runs.status` gains FAILED: a batch failed for good (not the database out of reach: the type's
  revenue account deactivated, a rule broken); the run keeps the progress its committed batches made.
- `error_code`, `error_message`, `failed_at`: why and when, while the run is FAILED (set exactly then).
- `attempt`: which workflow carries the run (1, then one more each time a FAILED run is started again; the
  workflow id of attempt n > 1 ends in `:attempt<n>`).

Revision ID: 0030
Revises: 0029
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | Sequence[str] | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUN_STATUSES = ("QUEUED", "RUNNING", "COMPLETED")
WITH_FAILED = (*RUN_STATUSES, "FAILED")
TABLE = "assessment_posting_runs"


def _statuses(values: tuple[str, ...]) -> None:
    listed = ", ".join(repr(v) for v in values)
    op.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT ck_{TABLE}_status")
    op.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT ck_{TABLE}_status CHECK (status IN ({listed}))")


def upgrade() -> None:
    _statuses(WITH_FAILED)
    op.add_column(TABLE, sa.Column("attempt", sa.Integer(), nullable=False, server_default="1"))
    op.add_column(TABLE, sa.Column("error_code", sa.Text()))
    op.add_column(TABLE, sa.Column("error_message", sa.Text()))
    op.add_column(TABLE, sa.Column("failed_at", sa.DateTime(timezone=True)))
    op.create_check_constraint("attempt", TABLE, "attempt >= 1")
    op.create_check_constraint(
        "failure",
        TABLE,
        "(status = 'FAILED') = (error_code IS NOT NULL AND error_message IS NOT NULL AND failed_at IS NOT NULL)",
    )


def downgrade() -> None:
    op.drop_constraint("failure", TABLE, type_="check")
    op.drop_constraint("attempt", TABLE, type_="check")
    op.execute(f"UPDATE {TABLE} SET status = 'RUNNING', finished_at = NULL WHERE status = 'FAILED'")
    for column in ("failed_at", "error_message", "error_code", "attempt"):
        op.drop_column(TABLE, column)
    _statuses(RUN_STATUSES)
