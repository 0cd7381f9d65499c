"""Migration helpers for tenant tables: one call gives the columns, keys, grants and RLS policies.

Policies compare `organization_id` with the transaction-local `app.current_org_id`. `NULLIF(..., '')`
matters: a pooled connection that once had the setting reports `''` afterwards, and a bare cast would fail.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from hestami.core.config import get_settings

CURRENT_ORG = "NULLIF(current_setting('app.current_org_id', true), '')::uuid"
CURRENT_USER = "NULLIF(current_setting('app.current_user_id', true), '')::uuid"
CURRENT_EMAIL = "NULLIF(current_setting('app.current_email', true), '')"
TENANT_PREDICATE = f"organization_id = {CURRENT_ORG}"


def app_role() -> str:
    """The role the service connects as; `migrations/env.py` puts it in the Alembic config."""
    config = op.get_context().config
    role = config.attributes.get("app_role") if config is not None else None
    return str(role or get_settings().app_role)


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def rls_statements(
    table: str,
    role: str,
    *,
    select: str,
    insert: str,
    update: str,
    delete: str,
    update_check: str | None = None,
    grant: str = "SELECT, INSERT, UPDATE, DELETE",
) -> list[str]:
    """ENABLE + FORCE row-level security, one policy per command, and the app role's grant."""
    t = quote(table)
    return [
        f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY {quote(table + '_select')} ON {t} FOR SELECT USING ({select})",
        f"CREATE POLICY {quote(table + '_insert')} ON {t} FOR INSERT WITH CHECK ({insert})",
        f"CREATE POLICY {quote(table + '_update')} ON {t} FOR UPDATE USING ({update}) "
        f"WITH CHECK ({update_check or update})",
        f"CREATE POLICY {quote(table + '_delete')} ON {t} FOR DELETE USING ({delete})",
        f"GRANT {grant} ON {t} TO {quote(role)}",
    ]


def enable_rls(table: str, **policies: str) -> None:
    """Row-level security with a predicate per command, for tables whose visibility is not simply their
    organization (users, organizations, the audit trail): see `rls_statements`."""
    for statement in rls_statements(table, app_role(), **policies):
        op.execute(statement)


def tenant_rls_statements(table: str, role: str, *, predicate: str = TENANT_PREDICATE) -> list[str]:
    """A tenant table: every command bound to the transaction's organization."""
    return rls_statements(table, role, select=predicate, insert=predicate, update=predicate, delete=predicate)


def enable_tenant_rls(table: str) -> None:
    """RLS policies and app-role grants for an existing tenant table."""
    for statement in tenant_rls_statements(table, app_role()):
        op.execute(statement)


def tenant_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("organization_id", UUID(as_uuid=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    ]


def tenant_ref(column: str, table: str) -> sa.ForeignKeyConstraint:
    """A reference to another tenant table: the same organization's record, `(organization_id, column)` →
    `table(organization_id, id)`, so no row can point at another tenant's record (foreign keys ignore RLS)."""
    return sa.ForeignKeyConstraint(
        ["organization_id", column], [f"{table}.organization_id", f"{table}.id"], name=f"fk_{column}_{table}"
    )


def one_of(column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    """A text status or type column limited to its values."""
    return sa.CheckConstraint(f"{column} IN ({', '.join(repr(v) for v in values)})", name=column)


def create_tenant_table(table: str, *columns: Any) -> None:
    """Creates a tenant table with `id`, `organization_id`, timestamps, `UNIQUE (organization_id, id)`
    (the target of composite foreign keys from other tenant tables), an index leading with
    `organization_id`, and its RLS policies and grants, all in one call."""
    op.create_table(
        table,
        *tenant_columns(),
        *columns,
        sa.UniqueConstraint("organization_id", "id", name=f"uq_{table}_organization_id_id"),
    )
    enable_tenant_rls(table)
