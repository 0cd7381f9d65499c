"""add_communications: domain 7: message templates with versions, contact preferences, mass communications
and their deliveries.

- `communication_templates` (EMAIL, SMS or LETTER; a category; organization-wide or one association's) with
  `communication_template_versions`: every edit is a new version (subject, body, the variables it uses); what was
  sent names the version it was rendered from.
- `contact_preferences`: per party, the channels they accept (email, SMS, paper mail) and the categories they opted
  out of (official notices cannot be opted out of: a rule of the service, not of the table).
- `mass_communications`: one message to an audience (all owners, a property's owners, owners of units delinquent
  over N days, the board, vendors, a custom list of parties), sent now or at `scheduled_for` by the
  `massCommunicationSend_v1` workflow, with its progress (`total`, `sent`, `skipped`).
- `mass_communication_deliveries`: one row per person (never two for one person with several units: unique per
  mass communication and recipient key), PENDING until the workflow records its message in the outbox in the same
  transaction (SENT, with the message id) or SKIPPED with the reason (opted out, no address).

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEMPLATE_CHANNELS = ("EMAIL", "SMS", "LETTER")
CATEGORIES = ("GENERAL", "NEWSLETTER", "ANNOUNCEMENT", "EVENT", "MAINTENANCE", "DELINQUENCY", "MEETING", "EMERGENCY")
AUDIENCES = ("ALL_OWNERS", "PROPERTY", "DELINQUENT", "BOARD", "VENDORS", "CUSTOM")
MASS_STATUSES = ("DRAFT", "SCHEDULED", "SENDING", "SENT", "CANCELLED")
DELIVERY_CHANNELS = ("EMAIL", "SMS", "MAIL")
DELIVERY_STATUSES = ("PENDING", "SENT", "SKIPPED")


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def upgrade() -> None:
    create_tenant_table(
        "communication_templates",
        _uuid("association_id", nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True)),
        one_of("channel", TEMPLATE_CHANNELS),
        one_of("category", CATEGORIES),
        tenant_ref("association_id", "associations"),
    )
    op.create_index(
        "uq_communication_templates_name", "communication_templates", ["organization_id", sa.text("lower(name)")],
        unique=True, postgresql_where=sa.text("archived_at IS NULL"),
    )  # fmt: skip
    create_tenant_table(
        "communication_template_versions",
        _uuid("template_id"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Text()),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("variables", ARRAY(sa.Text()), nullable=False),
        _uuid("created_by", nullable=True),
        sa.UniqueConstraint("organization_id", "template_id", "version", name="uq_template_versions_version"),
        tenant_ref("template_id", "communication_templates"),
    )
    create_tenant_table(
        "contact_preferences",
        _uuid("party_id"),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("sms", sa.Boolean(), nullable=False),
        sa.Column("mail", sa.Boolean(), nullable=False),
        sa.Column("opted_out_categories", ARRAY(sa.Text()), nullable=False),
        sa.UniqueConstraint("organization_id", "party_id", name="uq_contact_preferences_party"),
        tenant_ref("party_id", "parties"),
    )
    create_tenant_table(
        "mass_communications",
        _uuid("association_id"),
        _uuid("template_id"),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("audience", sa.Text(), nullable=False),
        sa.Column("audience_params", JSONB(), nullable=False),
        sa.Column("variables", JSONB(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True)),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        sa.Column("total", sa.Integer()),
        sa.Column("sent", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("skipped", sa.Integer(), nullable=False, server_default="0"),
        _uuid("created_by", nullable=True),
        one_of("channel", TEMPLATE_CHANNELS),
        one_of("category", CATEGORIES),
        one_of("audience", AUDIENCES),
        one_of("status", MASS_STATUSES),
        tenant_ref("association_id", "associations"),
        tenant_ref("template_id", "communication_templates"),
    )
    op.create_index("ix_mass_communications_association", "mass_communications", ["organization_id", "association_id"])
    create_tenant_table(
        "mass_communication_deliveries",
        _uuid("mass_communication_id"),
        sa.Column("recipient_key", sa.Text(), nullable=False),
        _uuid("party_id", nullable=True),
        _uuid("user_id", nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("address", sa.Text()),
        sa.Column("unit_ids", ARRAY(UUID(as_uuid=True)), nullable=False),
        sa.Column("personal_values", JSONB(), nullable=False, server_default="{}"),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("skip_reason", sa.Text()),
        _uuid("message_id", nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        one_of("channel", DELIVERY_CHANNELS),
        one_of("status", DELIVERY_STATUSES),
        sa.UniqueConstraint(
            "organization_id", "mass_communication_id", "recipient_key", name="uq_mass_deliveries_recipient"
        ),
        tenant_ref("mass_communication_id", "mass_communications"),
    )
    op.create_index(
        "ix_mass_deliveries_pending", "mass_communication_deliveries",
        ["organization_id", "mass_communication_id", "id"], postgresql_where=sa.text("status = 'PENDING'"),
    )  # fmt: skip


def downgrade() -> None:
    for table in (
        "mass_communication_deliveries",
        "mass_communications",
        "contact_preferences",
        "communication_template_versions",
        "communication_templates",
    ):
        op.drop_table(table)
