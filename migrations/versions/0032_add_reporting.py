"""add_reporting: issue 20: report runs and schedules.

- `report_runs`: one generation of a report (its definition's key, category and scope, the validated parameters,
  the format) QUEUED → RUNNING → COMPLETED (the stored document, rows and bytes) or FAILED (a code and message),
  by `reportGeneration_v1`, as the user who asked (`requested_by`). A scheduled run names its schedule and due
  date: one run per schedule and due date (unique), so the daily schedule makes each at most once.
- `report_schedules`: a report generated MONTHLY (day 1-28), QUARTERLY (that day of January, April, July and
  October) or WEEKLY (a weekday) as its creator, delivered to the recipients through the outbox; CANCELLED ends it.
- `documents.scope_type` takes REPORT_RUN: a run's output is a document filed under the run; an organization-wide
  run's (PORTFOLIO) has no association, so `scope_complete` admits REPORT_RUN with or without one.
- `app_report_schedule_organizations()`: the organizations with an active schedule, for the daily schedule (which
  then works in each organization's own scope): the one cross-tenant read, a SECURITY DEFINER function owned by the
  owner role, admitted by a SELECT policy of the owner role alone while `app.report_schedules` is set.

Revision ID: 0032
Revises: 0031
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from hestami.core.tenancy import app_role, create_tenant_table, one_of, quote, tenant_ref

revision: str = "0032"
down_revision: str | Sequence[str] | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = ("FINANCIAL", "OPERATIONAL", "PORTFOLIO", "OWNER")
SCOPES = ("ASSOCIATION", "ORGANIZATION", "UNIT")
FORMATS = ("JSON", "CSV", "XLSX", "PDF")
RUN_STATUSES = ("QUEUED", "RUNNING", "COMPLETED", "FAILED")
FREQUENCIES = ("MONTHLY", "QUARTERLY", "WEEKLY")
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
SCHEDULE_STATUSES = ("ACTIVE", "CANCELLED")
DOCUMENT_SCOPES = (
    "ORGANIZATION", "ASSOCIATION", "PROPERTY", "UNIT", "WORK_ORDER", "VIOLATION", "ARC_REQUEST", "MEETING",
    "OWNER_REQUEST",
)  # fmt: skip
SCOPE_COMPLETE = (
    "(scope_type = 'ORGANIZATION') = (association_id IS NULL) "
    "AND (scope_type IN ('ORGANIZATION', 'ASSOCIATION')) = (scope_id IS NULL)"
)
WITH_RUNS = (
    "(scope_type = 'REPORT_RUN' AND scope_id IS NOT NULL) OR (scope_type <> 'REPORT_RUN' AND "
    "(scope_type = 'ORGANIZATION') = (association_id IS NULL) "
    "AND (scope_type IN ('ORGANIZATION', 'ASSOCIATION')) = (scope_id IS NULL))"
)
SCHEDULES = "NULLIF(current_setting('app.report_schedules', true), '')"

SCHEDULE_ORGANIZATIONS = """
CREATE FUNCTION app_report_schedule_organizations()
RETURNS TABLE (organization_id uuid)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
    previous text := coalesce(current_setting('app.report_schedules', true), '');
BEGIN
    PERFORM set_config('app.report_schedules', 'on', true);
    RETURN QUERY
        SELECT DISTINCT s.organization_id
        FROM report_schedules s
        WHERE s.status = 'ACTIVE'
        ORDER BY s.organization_id;
    PERFORM set_config('app.report_schedules', previous, true);
END
$$
"""


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _subject() -> list[sa.Column[object] | sa.Constraint]:
    return [
        _uuid("association_id", nullable=True),
        _uuid("unit_id", nullable=True),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("parameters", JSONB(), nullable=False, server_default="{}"),
        sa.Column("format", sa.Text(), nullable=False),
        one_of("category", CATEGORIES),
        one_of("scope", SCOPES),
        one_of("format", FORMATS),
        tenant_ref("association_id", "associations"),
        tenant_ref("unit_id", "units"),
    ]


def _documents(scopes: tuple[str, ...], complete: str, *, valid: bool = True) -> None:
    listed = ", ".join(f"'{value}'" for value in scopes)
    suffix = "" if valid else " NOT VALID"
    op.execute("ALTER TABLE documents DROP CONSTRAINT ck_documents_scope_type")
    op.execute(f"ALTER TABLE documents ADD CONSTRAINT ck_documents_scope_type CHECK (scope_type IN ({listed})){suffix}")
    op.execute("ALTER TABLE documents DROP CONSTRAINT ck_documents_scope_complete")
    op.execute(f"ALTER TABLE documents ADD CONSTRAINT ck_documents_scope_complete CHECK ({complete}){suffix}")


def upgrade() -> None:
    _documents((*DOCUMENT_SCOPES, "REPORT_RUN"), WITH_RUNS)
    create_tenant_table(
        "report_schedules",
        *_subject(),
        sa.Column("frequency", sa.Text(), nullable=False),
        sa.Column("day_of_month", sa.SmallInteger()),
        sa.Column("weekday", sa.Text()),
        sa.Column("recipients", ARRAY(UUID(as_uuid=True)), nullable=False, server_default="{}"),
        sa.Column("status", sa.Text(), nullable=False, server_default="ACTIVE"),
        _uuid("created_by"),
        _uuid("cancelled_by", nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        one_of("frequency", FREQUENCIES),
        one_of("status", SCHEDULE_STATUSES),
        sa.CheckConstraint(
            "(frequency = 'WEEKLY' AND weekday IN ("
            + ", ".join(f"'{d}'" for d in WEEKDAYS)
            + ") AND day_of_month IS NULL) OR "
            "(frequency <> 'WEEKLY' AND day_of_month BETWEEN 1 AND 28 AND weekday IS NULL)",
            name="when",
        ),
    )
    op.create_index("ix_report_schedules_status", "report_schedules", ["organization_id", "status"])
    create_tenant_table(
        "report_runs",
        *_subject(),
        sa.Column("status", sa.Text(), nullable=False, server_default="QUEUED"),
        _uuid("requested_by"),
        _uuid("schedule_id", nullable=True),
        sa.Column("due_on", sa.Date()),
        sa.Column("rows_written", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("row_count", sa.Integer()),
        sa.Column("size_bytes", sa.BigInteger()),
        _uuid("document_id", nullable=True),
        sa.Column("file_name", sa.Text()),
        sa.Column("content_type", sa.Text()),
        sa.Column("error_code", sa.Text()),
        sa.Column("error_message", sa.Text()),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
        one_of("status", RUN_STATUSES),
        sa.CheckConstraint("status <> 'COMPLETED' OR document_id IS NOT NULL", name="completed_document"),
        sa.CheckConstraint("(schedule_id IS NULL) = (due_on IS NULL)", name="scheduled_due"),
        tenant_ref("schedule_id", "report_schedules"),
        tenant_ref("document_id", "documents"),
        sa.UniqueConstraint("organization_id", "schedule_id", "due_on", name="uq_report_runs_schedule_due"),
    )
    op.create_index("ix_report_runs_association", "report_runs", ["organization_id", "association_id", "created_at"])
    op.execute(
        "CREATE POLICY report_schedules_daily ON report_schedules FOR SELECT TO CURRENT_USER "
        f"USING ({SCHEDULES} = 'on')"
    )
    op.execute(SCHEDULE_ORGANIZATIONS)
    op.execute("REVOKE ALL ON FUNCTION app_report_schedule_organizations() FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION app_report_schedule_organizations() TO {quote(app_role())}")


def downgrade() -> None:
    op.execute("DROP FUNCTION app_report_schedule_organizations()")
    op.execute("DROP POLICY report_schedules_daily ON report_schedules")
    op.drop_table("report_runs")
    op.drop_table("report_schedules")
    _documents(DOCUMENT_SCOPES, SCOPE_COMPLETE, valid=False)
