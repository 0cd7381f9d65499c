"""add_payment_preferences: domain 9: an owner's stored payment methods (tokens from the payment provider) and
auto-pay enrolments, with the provider calls recorded.

- `payment_methods`: a card (brand, last four digits, expiry) or a bank account (bank name, last four, checking or
  savings) of one party, stored as the provider's token: card and account numbers never reach the database. One
  default per party (a partial unique index), one live method per provider token; removal is soft (`deleted_at`).
- `autopay_enrolments`: a unit paid automatically from a method on a day of the month (1-28), up to an optional
  maximum, from a start date; one ACTIVE enrolment per unit (a partial unique index).
- `payment_gateway_records`: every call made to the payment provider (tokenize, enrol, cancel, charge): what was
  asked (tokens masked), for whom, by whom, when, and what the provider answered; a charge's idempotency key once.
  Append-only for the app role.

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from hestami.core.tenancy import app_role, create_tenant_table, one_of, quote, tenant_ref

revision: str = "0025"
down_revision: str | Sequence[str] | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

METHOD_KINDS = ("CARD", "ACH")
BRANDS = ("VISA", "MASTERCARD", "AMEX", "DISCOVER", "OTHER")
ACCOUNT_TYPES = ("CHECKING", "SAVINGS")
ENROLMENT_STATUSES = ("ACTIVE", "CANCELLED")
OPERATIONS = ("TOKENIZE", "ENROL_AUTOPAY", "CANCEL_AUTOPAY", "CHARGE")
OUTCOMES = ("SUCCEEDED", "DECLINED")


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _methods() -> None:
    create_tenant_table(
        "payment_methods",
        _uuid("party_id"),
        _uuid("user_id"),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("provider", sa.Text(), nullable=False),
        sa.Column("provider_token", sa.Text(), nullable=False),
        sa.Column("last4", sa.Text(), nullable=False),
        sa.Column("brand", sa.Text()),
        sa.Column("exp_month", sa.Integer()),
        sa.Column("exp_year", sa.Integer()),
        sa.Column("bank_name", sa.Text()),
        sa.Column("account_type", sa.Text()),
        sa.Column("is_default", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        one_of("kind", METHOD_KINDS),
        sa.CheckConstraint("last4 ~ '^[0-9]{4}$'", name="last4"),
        sa.CheckConstraint(f"brand IS NULL OR brand IN {BRANDS!r}", name="brand"),
        sa.CheckConstraint(f"account_type IS NULL OR account_type IN {ACCOUNT_TYPES!r}", name="account_type"),
        sa.CheckConstraint(
            "(kind = 'CARD' AND brand IS NOT NULL AND exp_month BETWEEN 1 AND 12 AND exp_year BETWEEN 2000 AND 2100"
            " AND bank_name IS NULL AND account_type IS NULL)"
            " OR (kind = 'ACH' AND bank_name IS NOT NULL AND account_type IS NOT NULL AND brand IS NULL"
            " AND exp_month IS NULL AND exp_year IS NULL)",
            name="kind_details",
        ),
        sa.CheckConstraint("NOT (is_default AND deleted_at IS NOT NULL)", name="removed_not_default"),
        tenant_ref("party_id", "parties"),
    )
    op.create_index(
        "uq_payment_methods_one_default", "payment_methods", ["organization_id", "party_id"], unique=True,
        postgresql_where=sa.text("is_default AND deleted_at IS NULL"),
    )  # fmt: skip
    op.create_index(
        "uq_payment_methods_token", "payment_methods", ["organization_id", "provider_token"], unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )  # fmt: skip
    op.create_index("ix_payment_methods_user", "payment_methods", ["organization_id", "user_id", "created_at"])
    op.create_index("ix_payment_methods_party", "payment_methods", ["organization_id", "party_id"])


def _enrolments() -> None:
    create_tenant_table(
        "autopay_enrolments",
        _uuid("association_id"),
        _uuid("unit_id"),
        _uuid("party_id"),
        _uuid("user_id"),
        _uuid("payment_method_id"),
        sa.Column("day_of_month", sa.Integer(), nullable=False),
        sa.Column("max_amount", sa.Numeric(18, 2)),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("provider_reference", sa.Text()),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        _uuid("cancelled_by", nullable=True),
        sa.Column("cancel_reason", sa.Text()),
        one_of("status", ENROLMENT_STATUSES),
        sa.CheckConstraint("day_of_month BETWEEN 1 AND 28", name="day_of_month"),
        sa.CheckConstraint("max_amount IS NULL OR max_amount > 0", name="max_amount"),
        sa.CheckConstraint("(status = 'CANCELLED') = (cancelled_at IS NOT NULL)", name="cancelled"),
        tenant_ref("association_id", "associations"),
        tenant_ref("unit_id", "units"),
        tenant_ref("party_id", "parties"),
        tenant_ref("payment_method_id", "payment_methods"),
    )
    op.create_index(
        "uq_autopay_enrolments_active_unit", "autopay_enrolments", ["organization_id", "unit_id"], unique=True,
        postgresql_where=sa.text("status = 'ACTIVE'"),
    )  # fmt: skip
    op.create_index(
        "ix_autopay_enrolments_association", "autopay_enrolments", ["organization_id", "association_id", "status"]
    )
    op.create_index("ix_autopay_enrolments_method", "autopay_enrolments", ["organization_id", "payment_method_id"])
    op.create_index("ix_autopay_enrolments_user", "autopay_enrolments", ["organization_id", "user_id"])


def _gateway_records() -> None:
    create_tenant_table(
        "payment_gateway_records",
        sa.Column("operation", sa.Text(), nullable=False),
        sa.Column("provider", sa.Text(), nullable=False),
        _uuid("association_id", nullable=True),
        _uuid("unit_id", nullable=True),
        _uuid("party_id", nullable=True),
        _uuid("user_id", nullable=True),
        _uuid("payment_method_id", nullable=True),
        _uuid("enrolment_id", nullable=True),
        _uuid("requested_by", nullable=True),
        sa.Column("request", JSONB(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("provider_reference", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(18, 2)),
        sa.Column("idempotency_key", sa.Text()),
        one_of("operation", OPERATIONS),
        one_of("outcome", OUTCOMES),
        sa.UniqueConstraint("organization_id", "idempotency_key", name="uq_payment_gateway_records_idempotency"),
        tenant_ref("association_id", "associations"),
        tenant_ref("unit_id", "units"),
        tenant_ref("party_id", "parties"),
        # The method and the enrolment are named by id without a foreign key: the call is made (and recorded)
        # before the record it is for is stored, with the answer the call gave.
    )
    op.create_index(
        "ix_payment_gateway_records_association", "payment_gateway_records", ["organization_id", "association_id"]
    )
    op.create_index("ix_payment_gateway_records_user", "payment_gateway_records", ["organization_id", "user_id"])
    op.create_index(
        "ix_payment_gateway_records_enrolment", "payment_gateway_records", ["organization_id", "enrolment_id"]
    )
    # What the provider was asked and answered is history: the app role may add to it, never rewrite it.
    op.execute(f"REVOKE UPDATE, DELETE ON payment_gateway_records FROM {quote(app_role())}")


def upgrade() -> None:
    _methods()
    _enrolments()
    _gateway_records()


def downgrade() -> None:
    for table in ("payment_gateway_records", "autopay_enrolments", "payment_methods"):
        op.drop_table(table)
