"""add_reserve: domain 11, reserve studies.

`reserve_components` (an association's inventory of what the reserve fund replaces: useful and remaining life,
current replacement cost, optionally the asset it is and the reserve expense account it is charged to),
`reserve_studies` (date, preparer, level, the inflation and interest assumptions, the board's threshold, the study
PDF as a document) and `reserve_study_components` (the inventory as the study saw it: a snapshot, so a later
change of a component never changes a finished study).

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(18, 2)
RATE = sa.Numeric(7, 4)
LEVELS = ("FULL", "UPDATE_WITH_SITE_VISIT", "UPDATE_WITHOUT_SITE_VISIT")


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _life_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Numeric(14, 2)),
        sa.Column("unit_of_measure", sa.Text()),
        sa.Column("useful_life_years", sa.Integer(), nullable=False),
        sa.Column("remaining_life_years", sa.Integer(), nullable=False),
        sa.Column("replacement_cost", MONEY, nullable=False),
    ]


def _life_checks() -> list[sa.CheckConstraint]:
    return [
        sa.CheckConstraint("useful_life_years BETWEEN 1 AND 100", name="useful_life"),
        sa.CheckConstraint("remaining_life_years BETWEEN 0 AND useful_life_years", name="remaining_life"),
        sa.CheckConstraint("replacement_cost >= 0", name="cost"),
    ]


def upgrade() -> None:
    create_tenant_table(
        "reserve_components",
        _uuid("association_id"),
        *_life_columns(),
        sa.Column("placed_in_service", sa.Date()),
        _uuid("asset_id", nullable=True),
        _uuid("expense_account_id", nullable=True),
        sa.Column("notes", sa.Text()),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="true"),
        *_life_checks(),
        tenant_ref("association_id", "associations"),
        tenant_ref("asset_id", "assets"),
        tenant_ref("expense_account_id", "gl_accounts"),
    )
    op.create_index("ix_reserve_components_association", "reserve_components", ["organization_id", "association_id"])
    create_tenant_table(
        "reserve_studies",
        _uuid("association_id"),
        sa.Column("study_date", sa.Date(), nullable=False),
        sa.Column("preparer", sa.Text(), nullable=False),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("inflation_rate", RATE, nullable=False),
        sa.Column("interest_rate", RATE, nullable=False),
        sa.Column("threshold_amount", MONEY),
        sa.Column("current_contribution", MONEY),
        _uuid("document_id", nullable=True),
        sa.Column("notes", sa.Text()),
        one_of("level", LEVELS),
        sa.CheckConstraint("inflation_rate > -1 AND inflation_rate < 1", name="inflation"),
        sa.CheckConstraint("interest_rate > -1 AND interest_rate < 1", name="interest"),
        tenant_ref("association_id", "associations"),
        tenant_ref("document_id", "documents"),
    )
    op.create_index("ix_reserve_studies_association", "reserve_studies", ["organization_id", "association_id"])
    create_tenant_table(
        "reserve_study_components",
        _uuid("study_id"),
        _uuid("component_id"),
        *_life_columns(),
        *_life_checks(),
        sa.UniqueConstraint("organization_id", "study_id", "component_id", name="uq_reserve_study_components"),
        tenant_ref("study_id", "reserve_studies"),
        tenant_ref("component_id", "reserve_components"),
    )


def downgrade() -> None:
    for table in ("reserve_study_components", "reserve_studies", "reserve_components"):
        op.drop_table(table)
