"""add_portfolio_views: issue 20: a service provider's view of its work across every organization it serves.

- `app_provider_work()`: one row per work order of any organization that is assigned to the caller's organization
  (`app.current_org_id`, a service provider) or that the caller was asked to bid on, with the owning organization's
  and association's names, the provider's bid on it and the payable invoice it became. Work orders, bids,
  associations, AP invoices and organizations are tenant tables with forced RLS, and the provider's own scope shows
  only part of them (not the association's name, not the invoice), so this cross-tenant read is a SECURITY DEFINER
  function owned by the owner role (itself subject to the forced RLS: neither superuser nor BYPASSRLS). A SELECT
  policy of the owner role alone on each of those tables admits rows while `app.provider_view` is set; the function
  sets it for its one query and filters every row to the caller's organization. The provider is taken from the
  transaction's own scope, never from an argument, so no caller can name another provider; the app role may only
  EXECUTE the function (setting `app.provider_view` itself admits nothing: the policies are not the app role's).

Revision ID: 0033
Revises: 0032
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from hestami.core.tenancy import app_role, quote

revision: str = "0033"
down_revision: str | Sequence[str] | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PROVIDER_VIEW = "NULLIF(current_setting('app.provider_view', true), '')"
TABLES = ("work_orders", "bids", "associations", "ap_invoices", "organizations")

PROVIDER_WORK = """
CREATE FUNCTION app_provider_work()
RETURNS TABLE (
    organization_id uuid,
    organization_name text,
    association_id uuid,
    association_name text,
    work_order_id uuid,
    work_order_number integer,
    title text,
    category text,
    priority text,
    status text,
    assigned boolean,
    scheduled_start timestamptz,
    completed_at timestamptz,
    sla_breached boolean,
    bid_status text,
    bid_amount numeric,
    invoice_number text,
    invoice_date date,
    invoice_amount numeric,
    invoice_status text,
    invoice_paid_on date
)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
    provider uuid := NULLIF(current_setting('app.current_org_id', true), '')::uuid;
    previous text := coalesce(current_setting('app.provider_view', true), '');
BEGIN
    IF provider IS NULL THEN
        RETURN;
    END IF;
    PERFORM set_config('app.provider_view', provider::text, true);
    RETURN QUERY
        SELECT w.organization_id, o.name, w.association_id, a.name, w.id, w.number, w.title, w.category,
               w.priority, w.status, w.assigned_provider_org_id = provider, w.scheduled_start, w.completed_at,
               w.sla_breached, b.status, b.amount,
               CASE WHEN w.assigned_provider_org_id = provider THEN i.invoice_number END,
               CASE WHEN w.assigned_provider_org_id = provider THEN i.invoice_date END,
               CASE WHEN w.assigned_provider_org_id = provider THEN i.amount END,
               CASE WHEN w.assigned_provider_org_id = provider THEN i.status END,
               CASE WHEN w.assigned_provider_org_id = provider THEN i.paid_on END
        FROM work_orders w
        JOIN organizations o ON o.id = w.organization_id
        JOIN associations a ON a.organization_id = w.organization_id AND a.id = w.association_id
        LEFT JOIN bids b ON b.organization_id = w.organization_id AND b.work_order_id = w.id
            AND b.provider_organization_id = provider
        LEFT JOIN ap_invoices i ON i.organization_id = w.organization_id AND i.id = w.ap_invoice_id
        WHERE w.organization_id <> provider
          AND (w.assigned_provider_org_id = provider OR b.id IS NOT NULL)
        ORDER BY o.name, a.name, w.number;
    PERFORM set_config('app.provider_view', previous, true);
END
$$
"""


def upgrade() -> None:
    for table in TABLES:
        op.execute(
            f"CREATE POLICY {quote(table + '_provider_view')} ON {quote(table)} FOR SELECT TO CURRENT_USER "
            f"USING ({PROVIDER_VIEW} IS NOT NULL)"
        )
    op.execute(PROVIDER_WORK)
    op.execute("REVOKE ALL ON FUNCTION app_provider_work() FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION app_provider_work() TO {quote(app_role())}")


def downgrade() -> None:
    op.execute("DROP FUNCTION app_provider_work()")
    for table in TABLES:
        op.execute(f"DROP POLICY {quote(table + '_provider_view')} ON {quote(table)}")
