"""add_scope_entry: a transaction's tenant scope and the caller's membership in one round trip (issue 12).

Every request began with two statements: `set_config` of the organization and user, then the caller's roles in
that organization. `app_enter_scope(org, user)` does both, in that order, as the calling role (not SECURITY
DEFINER: row-level security applies to the membership read exactly as it did to the separate query, with the
settings it has just made). It returns the membership row (roles, organization slug) when `user` is an active
member of `org` and the organization is not deleted, and no row otherwise (also when either is empty: a system
transaction or an unscoped one). Empty strings mean "not set", as `NULLIF(current_setting(...), '')` reads them.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION app_enter_scope(org text, usr text)
        RETURNS TABLE (roles text[], slug text)
        LANGUAGE plpgsql VOLATILE
        AS $$
        BEGIN
            PERFORM set_config('app.current_org_id', org, true);
            PERFORM set_config('app.current_user_id', usr, true);
            IF org = '' OR usr = '' THEN
                RETURN;
            END IF;
            RETURN QUERY
                SELECT m.roles, o.slug
                FROM memberships m JOIN organizations o ON o.id = m.organization_id
                WHERE m.organization_id = org::uuid AND m.user_id = usr::uuid
                  AND m.status = 'ACTIVE' AND o.deleted_at IS NULL;
        END
        $$
        """
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION app_enter_scope(text, text)")
