"""add_email_verification: identity: proven email addresses (verification tokens); account linking waits for them.

- `users.email_verified_at`: when the account's owner proved the email (NULL: not yet).
- `email_verifications`: one row per verification message: the sha256 of its token (never the token), the email it
  proves, when it expires and when it was used (single use). Row-level security: a user sees and changes their own
  rows; an anonymous `auth/v1/verifyEmail` sees the one row whose hash the transaction names in
  `app.email_token_hash` (as `app.current_email` names the one account a login may read).
- `app_parties_with_email(email)`: (organization_id, party_id) of every live party of any organization whose email
  is `email` (case-insensitive). Parties are a tenant table with forced RLS, so this one cross-tenant read is a
  SECURITY DEFINER function owned by the owner role (which is itself subject to the forced RLS: neither superuser nor
  BYPASSRLS). A SELECT policy for the owner role alone admits the parties whose email the function names in
  `app.claim_email` while it runs; the app role may only EXECUTE the function (setting `app.claim_email` itself
  admits nothing: the policy is not the app role's). Identity calls it once an email is proven, then links each
  organization's parties inside that organization's own scope.
- `ix_parties_lower_email`: the function's index (live parties by lower-cased email, across organizations).

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from hestami.core.tenancy import CURRENT_USER, app_role, enable_rls, quote

revision: str = "0024"
down_revision: str | Sequence[str] | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAMED_HASH = "NULLIF(current_setting('app.email_token_hash', true), '')"
CLAIM_EMAIL = "NULLIF(current_setting('app.claim_email', true), '')"

PARTIES_WITH_EMAIL = """
CREATE FUNCTION app_parties_with_email(address text)
RETURNS TABLE (organization_id uuid, party_id uuid)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
    previous text := coalesce(current_setting('app.claim_email', true), '');
BEGIN
    IF address IS NULL OR btrim(address) = '' THEN
        RETURN;
    END IF;
    PERFORM set_config('app.claim_email', lower(btrim(address)), true);
    RETURN QUERY
        SELECT p.organization_id, p.id
        FROM parties p
        WHERE lower(p.email) = lower(btrim(address)) AND p.deleted_at IS NULL
        ORDER BY p.organization_id, p.id;
    PERFORM set_config('app.claim_email', previous, true);  -- the caller's value back (it admits nothing to them)
END
$$
"""


def upgrade() -> None:
    op.add_column("users", sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "email_verifications",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("user_id", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("token_hash ~ '^[0-9a-f]{64}$'", name="token_hash_sha256"),
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
        sa.CheckConstraint("expires_at > created_at", name="expires_after_creation"),
    )
    op.create_index("uq_email_verifications_token_hash", "email_verifications", ["token_hash"], unique=True)
    op.create_index("ix_email_verifications_user", "email_verifications", ["user_id", "created_at"])
    own_or_named = f"user_id = {CURRENT_USER} OR token_hash = {NAMED_HASH}"
    enable_rls(
        "email_verifications",
        select=own_or_named,
        insert=f"user_id = {CURRENT_USER}",
        update=own_or_named,
        update_check=own_or_named,
        delete=f"user_id = {CURRENT_USER}",
    )

    op.create_index(
        "ix_parties_lower_email",
        "parties",
        [sa.text("lower(email)")],
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.execute(
        f"CREATE POLICY parties_claim_email ON parties FOR SELECT TO CURRENT_USER USING (lower(email) = {CLAIM_EMAIL})"
    )
    op.execute(PARTIES_WITH_EMAIL)
    op.execute("REVOKE ALL ON FUNCTION app_parties_with_email(text) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION app_parties_with_email(text) TO {quote(app_role())}")


def downgrade() -> None:
    op.execute("DROP FUNCTION app_parties_with_email(text)")
    op.execute("DROP POLICY parties_claim_email ON parties")
    op.drop_index("ix_parties_lower_email", table_name="parties")
    op.drop_table("email_verifications")
    op.drop_column("users", "email_verified_at")
