"""add_estimates: issue 23 (P2.7): estimates with good/better/best options, proposals, status history.

- `estimates`: numbered per organization (EST-000001), for a job, a customer, or an HOA work order's bid request
  (`bid_id`, `work_order_id`, the HOA's `hoa_organization_id` and `association_id`: ids only, the HOA's records).
  One live estimate per bid request (a partial unique index: VOID ones aside) and one ACCEPTED estimate per job.
  Status in `one_of`; the lifecycle table is `contractor/estimate/lifecycle.py`.
- `estimate_options` (position, name, tier GOOD/BETTER/BEST or none, discount, totals; one ACCEPTED option per
  estimate) and `estimate_lines` (the pricebook item's code, name, kind, unit, quantity, base and unit price,
  applied rules as JSON, line total, taxable).
- `estimate_proposals`: each sending (to whom, when, message, the frozen content, its SHA-256 and version).
- `estimate_status_history`.

Row-level security: the contractor's tenant tables, except that an HOA's organization named on an estimate reads it
once it is sent (SELECT only: `hoa_organization_id` and `sent_at`: SENT, then ACCEPTED, DECLINED, EXPIRED, or VOID
when the contractor withdrew it), and reads the proposals addressed to it
(`addressee_organization_id`). The addressee never writes the contractor's rows from its own scope: its acceptance
switches the transaction to the contractor's scope (`estimate.repository.acting_for_contractor`).

Revision ID: 0041
Revises: 0040
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from hestami.core.tenancy import CURRENT_ORG, TENANT_PREDICATE, create_tenant_table, one_of, tenant_ref

revision: str = "0041"
down_revision: str | Sequence[str] | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("DRAFT", "PENDING_APPROVAL", "APPROVED", "SENT", "ACCEPTED", "DECLINED", "EXPIRED", "VOID")
TIERS = ("GOOD", "BETTER", "BEST")
OPTION_STATUSES = ("OPEN", "ACCEPTED", "DECLINED")
ADDRESSEES = ("CUSTOMER", "HOA")
MONEY = sa.Numeric(18, 2)


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _money(name: str) -> sa.Column[sa.Numeric]:  # type: ignore[type-arg]
    return sa.Column(name, MONEY, nullable=False)


def _readable_by(table: str, predicate: str) -> None:
    """The table's SELECT policy admits the tenant and `predicate` (the addressee's side)."""
    op.execute(f"DROP POLICY {table}_select ON {table}")
    op.execute(f"CREATE POLICY {table}_select ON {table} FOR SELECT USING ({TENANT_PREDICATE} OR ({predicate}))")


def _estimates() -> None:
    create_tenant_table(
        "estimates",
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        _uuid("job_id", nullable=True),
        _uuid("customer_id", nullable=True),
        _uuid("bid_id", nullable=True),
        _uuid("work_order_id", nullable=True),
        _uuid("hoa_organization_id", nullable=True),
        _uuid("association_id", nullable=True),
        _uuid("pricebook_version_id"),
        sa.Column("planned_at", sa.DateTime(timezone=True)),
        sa.Column("member", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("tax_rate", sa.Numeric(7, 3), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text()),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        _uuid("approved_by", nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True)),
        sa.Column("send_request", JSONB()),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("expires_at", sa.DateTime(timezone=True)),
        sa.Column("reminded_at", sa.DateTime(timezone=True)),
        _uuid("accepted_option_id", nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decided_by_name", sa.Text()),
        _uuid("decided_by_user_id", nullable=True),
        _uuid("decided_by_organization_id", nullable=True),
        one_of("status", STATUSES),
        tenant_ref("job_id", "jobs"),
        tenant_ref("customer_id", "customers"),
        sa.CheckConstraint("num_nonnulls(job_id, customer_id, bid_id) >= 1", name="addressed"),
        sa.CheckConstraint(
            "bid_id IS NULL OR (work_order_id IS NOT NULL AND hoa_organization_id IS NOT NULL "
            "AND association_id IS NOT NULL)",
            name="bid_scope",
        ),
        sa.CheckConstraint("tax_rate >= 0 AND tax_rate <= 100", name="tax_rate_range"),
        sa.CheckConstraint("(status = 'ACCEPTED') = (accepted_option_id IS NOT NULL)", name="accepted_option"),
        sa.UniqueConstraint("organization_id", "number", name="uq_estimates_number"),
    )
    op.create_index(
        "uq_estimates_bid", "estimates", ["organization_id", "bid_id"], unique=True,
        postgresql_where=sa.text("bid_id IS NOT NULL AND status <> 'VOID'"),
    )  # fmt: skip
    op.create_index(
        "uq_estimates_accepted_job", "estimates", ["organization_id", "job_id"], unique=True,
        postgresql_where=sa.text("job_id IS NOT NULL AND status = 'ACCEPTED'"),
    )  # fmt: skip
    op.create_index("ix_estimates_status", "estimates", ["organization_id", "status"])
    op.create_index("ix_estimates_work_order", "estimates", ["organization_id", "work_order_id"])
    op.create_index("ix_estimates_hoa", "estimates", ["hoa_organization_id", "status"])
    _readable_by("estimates", f"hoa_organization_id = {CURRENT_ORG} AND sent_at IS NOT NULL")


def _options_and_lines() -> None:
    create_tenant_table(
        "estimate_options",
        _uuid("estimate_id"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("tier", sa.Text()),
        sa.Column("description", sa.Text()),
        _uuid("template_id", nullable=True),
        sa.Column("discount_percent", sa.Numeric(5, 2), nullable=False, server_default="0"),
        _money("discount"),
        _money("subtotal"),
        _money("taxable_subtotal"),
        _money("tax"),
        _money("total"),
        sa.Column("status", sa.Text(), nullable=False, server_default="OPEN"),
        one_of("status", OPTION_STATUSES),
        sa.CheckConstraint(f"tier IS NULL OR tier IN {TIERS!r}", name="tier"),
        sa.CheckConstraint("discount_percent >= 0 AND discount_percent <= 100", name="discount_range"),
        tenant_ref("estimate_id", "estimates"),
        sa.UniqueConstraint("organization_id", "estimate_id", "position", name="uq_estimate_options_position"),
    )
    op.create_index(
        "uq_estimate_options_accepted", "estimate_options", ["organization_id", "estimate_id"], unique=True,
        postgresql_where=sa.text("status = 'ACCEPTED'"),
    )  # fmt: skip
    create_tenant_table(
        "estimate_lines",
        _uuid("estimate_id"),
        _uuid("option_id"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Numeric(14, 4), nullable=False),
        _money("base_price"),
        _money("unit_price"),
        sa.Column("applied_rules", JSONB(), nullable=False, server_default="[]"),
        _money("line_total"),
        sa.Column("taxable", sa.Boolean(), nullable=False),
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        tenant_ref("estimate_id", "estimates"),
        tenant_ref("option_id", "estimate_options"),
    )
    op.create_index("ix_estimate_lines_option", "estimate_lines", ["organization_id", "option_id", "position"])


def _proposals_and_history() -> None:
    create_tenant_table(
        "estimate_proposals",
        _uuid("estimate_id"),
        sa.Column("estimate_version", sa.Integer(), nullable=False),
        sa.Column("addressee_kind", sa.Text(), nullable=False),
        sa.Column("addressee_name", sa.Text(), nullable=False),
        sa.Column("addressee_email", sa.Text()),
        _uuid("addressee_organization_id", nullable=True),
        sa.Column("message", sa.Text()),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        _uuid("sent_by", nullable=True),
        sa.Column("content", JSONB(), nullable=False),
        sa.Column("content_hash", sa.Text(), nullable=False),
        one_of("addressee_kind", ADDRESSEES),
        sa.CheckConstraint("(addressee_kind = 'HOA') = (addressee_organization_id IS NOT NULL)", name="addressee"),
        tenant_ref("estimate_id", "estimates"),
    )
    op.create_index(
        "ix_estimate_proposals_estimate", "estimate_proposals", ["organization_id", "estimate_id", "sent_at"]
    )
    op.create_index("ix_estimate_proposals_addressee", "estimate_proposals", ["addressee_organization_id", "sent_at"])
    _readable_by("estimate_proposals", f"addressee_organization_id = {CURRENT_ORG}")
    create_tenant_table(
        "estimate_status_history",
        _uuid("estimate_id"),
        sa.Column("from_status", sa.Text()),
        sa.Column("to_status", sa.Text(), nullable=False),
        _uuid("actor_user_id", nullable=True),
        sa.Column("actor_name", sa.Text()),
        sa.Column("note", sa.Text()),
        tenant_ref("estimate_id", "estimates"),
    )
    op.create_index(
        "ix_estimate_status_history_estimate", "estimate_status_history",
        ["organization_id", "estimate_id", "created_at"],
    )  # fmt: skip


def upgrade() -> None:
    _estimates()
    _options_and_lines()
    _proposals_and_history()


def downgrade() -> None:
    for table in ("estimate_status_history", "estimate_proposals", "estimate_lines", "estimate_options", "estimates"):
        op.drop_table(table)
