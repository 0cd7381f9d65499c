"""add_identity: users, organizations (the tenants) and memberships (roles, pending invitations).

Row-level security:
- users: a user sees itself, the members of its current organization, and the one account whose email the
  transaction names in `app.current_email` (login, registration, adding a member by email).
- organizations: the current organization, and every organization the user belongs to (for its list).
  Creating one sets the new id as the transaction's scope first.
- memberships: rows of the current organization, the user's own rows in any organization, and invitations
  addressed to `app.current_email` (attached at registration).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from hestami.core.tenancy import CURRENT_EMAIL, CURRENT_ORG, CURRENT_USER, enable_rls

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORGANIZATION_TYPES = (
    "COMMUNITY_ASSOCIATION",
    "MANAGEMENT_COMPANY",
    "SERVICE_PROVIDER",
    "EXTERNAL_SERVICE_PROVIDER",
    "INDIVIDUAL_CONCIERGE",
    "INDIVIDUAL_PROPERTY_OWNER",
    "TRUST_OR_LLC",
    "COMMERCIAL_CLIENT",
)


def _timestamps() -> list[sa.Column[sa.DateTime]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    ]


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("default_organization_id", UUID(as_uuid=True), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
    )
    op.create_index("uq_users_email", "users", ["email"], unique=True)

    op.create_table(
        "organizations",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("slug", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        *_timestamps(),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(f"type IN ({', '.join(repr(t) for t in ORGANIZATION_TYPES)})", name="type"),
        sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="slug_format"),
    )
    op.create_index("uq_organizations_slug", "organizations", ["slug"], unique=True)

    op.create_table(
        "memberships",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("organization_id", UUID(as_uuid=True), sa.ForeignKey("organizations.id"), nullable=False),
        sa.Column("user_id", UUID(as_uuid=True), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("invited_email", sa.Text(), nullable=True),
        sa.Column("roles", ARRAY(sa.Text()), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("invited_by", UUID(as_uuid=True), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("status IN ('ACTIVE', 'INVITED')", name="status"),
        sa.CheckConstraint("cardinality(roles) >= 1", name="has_roles"),
        sa.CheckConstraint(
            "(status = 'ACTIVE' AND user_id IS NOT NULL) OR (status = 'INVITED' AND invited_email IS NOT NULL)",
            name="active_has_user",
        ),
        sa.UniqueConstraint("organization_id", "id", name="uq_memberships_organization_id_id"),
        sa.UniqueConstraint("organization_id", "user_id", name="uq_memberships_organization_id_user_id"),
    )
    op.create_index(
        "uq_memberships_invitation",
        "memberships",
        ["organization_id", "invited_email"],
        unique=True,
        postgresql_where=sa.text("status = 'INVITED'"),
    )
    op.create_index("ix_memberships_user_id", "memberships", ["user_id"])
    op.create_index(
        "ix_memberships_invited_email", "memberships", ["invited_email"], postgresql_where=sa.text("status = 'INVITED'")
    )

    enable_rls(
        "users",
        select=f"id = {CURRENT_USER} OR email = {CURRENT_EMAIL} "
        "OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id)",
        insert=f"email = {CURRENT_EMAIL}",
        update=f"id = {CURRENT_USER}",
        update_check=f"id = {CURRENT_USER}",
        delete="false",
    )
    enable_rls(
        "organizations",
        select=f"id = {CURRENT_ORG} OR EXISTS (SELECT 1 FROM memberships m "
        f"WHERE m.organization_id = organizations.id AND m.user_id = {CURRENT_USER})",
        insert=f"id = {CURRENT_ORG}",
        update=f"id = {CURRENT_ORG}",
        update_check=f"id = {CURRENT_ORG}",
        delete=f"id = {CURRENT_ORG}",
    )
    invited = f"(status = 'INVITED' AND invited_email = {CURRENT_EMAIL})"
    enable_rls(
        "memberships",
        select=f"organization_id = {CURRENT_ORG} OR user_id = {CURRENT_USER} OR {invited}",
        insert=f"organization_id = {CURRENT_ORG}",
        update=f"organization_id = {CURRENT_ORG} OR {invited}",
        update_check=f"organization_id = {CURRENT_ORG} OR user_id = {CURRENT_USER}",
        delete=f"organization_id = {CURRENT_ORG}",
    )


def downgrade() -> None:
    op.drop_table("memberships")
    op.drop_table("organizations")
    op.drop_table("users")
