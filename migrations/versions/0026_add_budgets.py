"""add_budgets: issue 19: annual budgets per association and fund, by GL account and month, adopted by the board.

- `budgets`: an association's budget of one fund (OPERATING or RESERVE) for one fiscal year (its first and last day
  fixed when it is made, from the association's fiscal year start month), DRAFT → PROPOSED → ADOPTED → SUPERSEDED
  (PROPOSED → DRAFT when sent back). At most one ADOPTED budget per association, fund and fiscal year: a partial
  unique index holds it whatever path writes. A revision names the budget it revises; an adopted budget names the
  one that superseded it, and the assessment amount last set from it (`applied_*`).
- `budget_lines`: one line per GL account of the budget, twelve monthly amounts (NUMERIC(18,2)[12], none
  negative), one line per account.
- `budget_status_history`: one row per move (its creation too), who moved it and why.

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0026"
down_revision: str | Sequence[str] | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNDS = ("OPERATING", "RESERVE")
STATUSES = ("DRAFT", "PROPOSED", "ADOPTED", "SUPERSEDED")


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def upgrade() -> None:
    create_tenant_table(
        "budgets",
        _uuid("association_id"),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("fund", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text()),
        _uuid("revises_id", nullable=True),
        _uuid("superseded_by_id", nullable=True),
        _uuid("created_by", nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True)),
        _uuid("proposed_by", nullable=True),
        sa.Column("adopted_at", sa.DateTime(timezone=True)),
        _uuid("adopted_by", nullable=True),
        sa.Column("adoption_note", sa.Text()),
        sa.Column("superseded_at", sa.DateTime(timezone=True)),
        _uuid("applied_assessment_type_id", nullable=True),
        sa.Column("applied_amount", sa.Numeric(18, 2)),
        sa.Column("applied_at", sa.DateTime(timezone=True)),
        one_of("fund", FUNDS),
        one_of("status", STATUSES),
        sa.CheckConstraint("fiscal_year BETWEEN 2000 AND 2200", name="fiscal_year"),
        sa.CheckConstraint("ends_on > starts_on", name="period"),
        sa.CheckConstraint("status <> 'ADOPTED' OR adopted_at IS NOT NULL", name="adopted"),
        tenant_ref("association_id", "associations"),
        tenant_ref("revises_id", "budgets"),
        tenant_ref("superseded_by_id", "budgets"),
        tenant_ref("applied_assessment_type_id", "assessment_types"),
    )
    op.create_index("ix_budgets_association", "budgets", ["organization_id", "association_id", "fiscal_year", "fund"])
    # One budget in force per association, fund and fiscal year, whatever path writes.
    op.create_index(
        "uq_budgets_adopted", "budgets", ["organization_id", "association_id", "fund", "fiscal_year"], unique=True,
        postgresql_where=sa.text("status = 'ADOPTED'"),
    )  # fmt: skip
    create_tenant_table(
        "budget_lines",
        _uuid("budget_id"),
        _uuid("gl_account_id"),
        sa.Column("amounts", ARRAY(sa.Numeric(18, 2)), nullable=False),
        sa.Column("note", sa.Text()),
        sa.CheckConstraint(
            "array_ndims(amounts) = 1 AND cardinality(amounts) = 12 AND 0 <= ALL(amounts) "
            "AND array_position(amounts, NULL) IS NULL",
            name="amounts",
        ),
        sa.UniqueConstraint("organization_id", "budget_id", "gl_account_id", name="uq_budget_lines_account"),
        tenant_ref("budget_id", "budgets"),
        tenant_ref("gl_account_id", "gl_accounts"),
    )
    create_tenant_table(
        "budget_status_history",
        _uuid("budget_id"),
        sa.Column("from_status", sa.Text()),
        sa.Column("to_status", sa.Text(), nullable=False),
        _uuid("actor_user_id", nullable=True),
        sa.Column("note", sa.Text()),
        one_of("to_status", STATUSES),
        tenant_ref("budget_id", "budgets"),
    )
    op.create_index("ix_budget_status_history_budget", "budget_status_history", ["organization_id", "budget_id"])


def downgrade() -> None:
    for table in ("budget_status_history", "budget_lines", "budgets"):
        op.drop_table(table)
