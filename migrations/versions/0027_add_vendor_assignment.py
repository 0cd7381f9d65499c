"""add_vendor_assignment: issue 19: vendorAssignment_v1, provider matching runs for work orders and the bid
requests they sent.

- `vendor_assignments`: one run per work order (`uq_vendor_assignments_work_order`, the workflow id is derived from
  the work order too): how many bids are wanted, how long providers have to answer, the round it is in and its
  deadline, when it decided on its second round, how it ended.
- `vendor_assignment_requests`: each bid request a run sent, with its round, its rank among the matches and its
  timers (reminder at half the deadline, expiry at the deadline) and when each happened. One per work order and
  provider (`uq_vendor_assignment_requests_provider`), on one bid (`uq_vendor_assignment_requests_bid`).
- `bids.status` gains EXPIRED: a request nobody answered by its deadline.

Both are tenant tables of the association's organization (forced RLS); the provider sees its bid, not the run.

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0027"
down_revision: str | Sequence[str] | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BID_STATUSES = ("REQUESTED", "SUBMITTED", "ACCEPTED", "REJECTED", "WITHDRAWN")


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _at(name: str, *, nullable: bool = True) -> sa.Column[sa.DateTime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _bid_statuses(values: tuple[str, ...]) -> None:
    op.execute("ALTER TABLE bids DROP CONSTRAINT ck_bids_status")
    listed = ", ".join(f"'{v}'" for v in values)
    op.execute(f"ALTER TABLE bids ADD CONSTRAINT ck_bids_status CHECK (status IN ({listed}))")


def upgrade() -> None:
    _bid_statuses((*BID_STATUSES, "EXPIRED"))
    create_tenant_table(
        "vendor_assignments",
        _uuid("association_id"),
        _uuid("work_order_id"),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("wanted", sa.Integer(), nullable=False),
        sa.Column("response_hours", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False, server_default="0"),
        _at("round_deadline_at"),
        _at("next_round_at"),
        sa.Column("outcome", sa.Text()),
        _uuid("started_by", nullable=True),
        _at("finished_at"),
        one_of("trigger", ("MANUAL", "EMERGENCY")),
        one_of("status", ("RUNNING", "COMPLETED", "STOPPED")),
        sa.CheckConstraint("wanted BETWEEN 1 AND 10", name="wanted"),
        sa.CheckConstraint("response_hours BETWEEN 1 AND 336", name="response_hours"),
        sa.CheckConstraint("round BETWEEN 0 AND 2", name="round"),
        sa.CheckConstraint("(status = 'RUNNING') = (finished_at IS NULL)", name="finished"),
        sa.UniqueConstraint("organization_id", "work_order_id", name="uq_vendor_assignments_work_order"),
        tenant_ref("association_id", "associations"),
        tenant_ref("work_order_id", "work_orders"),
    )
    create_tenant_table(
        "vendor_assignment_requests",
        _uuid("assignment_id"),
        _uuid("work_order_id"),
        _uuid("bid_id"),
        _uuid("provider_organization_id"),
        sa.Column("provider_name", sa.Text(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        _at("requested_at", nullable=False),
        _at("remind_at", nullable=False),
        _at("due_at", nullable=False),
        _at("reminded_at"),
        _at("expired_at"),
        sa.CheckConstraint("round BETWEEN 1 AND 2", name="round"),
        sa.CheckConstraint("requested_at <= remind_at AND remind_at <= due_at", name="timers"),
        sa.UniqueConstraint(
            "organization_id",
            "work_order_id",
            "provider_organization_id",
            name="uq_vendor_assignment_requests_provider",
        ),
        sa.UniqueConstraint("organization_id", "bid_id", name="uq_vendor_assignment_requests_bid"),
        tenant_ref("assignment_id", "vendor_assignments"),
        tenant_ref("work_order_id", "work_orders"),
        tenant_ref("bid_id", "bids"),
    )
    op.create_index(
        "ix_vendor_assignment_requests_assignment", "vendor_assignment_requests", ["organization_id", "assignment_id"]
    )


def downgrade() -> None:
    op.drop_table("vendor_assignment_requests")
    op.drop_table("vendor_assignments")
    op.execute("UPDATE bids SET status = 'WITHDRAWN' WHERE status = 'EXPIRED'")
    _bid_statuses(BID_STATUSES)
