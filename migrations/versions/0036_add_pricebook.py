"""add_pricebook: issue 21 (P2.3): a contractor's pricebook.

- `pricebook_categories`: the catalogue's categories (shared by every version), optionally nested.
- `pricebook_versions` (+ `pricebook_version_status_history`): DRAFT → PUBLISHED → ACTIVE → RETIRED; at most one
  ACTIVE version per organization (a partial unique index); a version never goes back to DRAFT (a trigger).
- `pricebook_items` (kind SERVICE, LABOR, MATERIAL, EQUIPMENT, BUNDLE; a code unique in its version; money as
  NUMERIC(18, 2)), `pricebook_bundle_components` (a bundle's items of the same version, quantities NUMERIC(18, 4)),
  `pricebook_job_templates` with their `pricebook_template_items` and `pricebook_template_steps`. Each of these rows
  names its version, and every reference between them stays inside one version (composite foreign keys on
  `(organization_id, version_id, id)`). The trigger `pricebook_refuse_unless_draft` refuses any INSERT, UPDATE or
  DELETE of them whose version is not a DRAFT: a published version never changes, whatever path writes. It reads
  the version FOR SHARE, so a write waits for a publication under way (and publication for the writes).
- `pricebook_price_rules` (SEASONAL, VOLUME, AFTER_HOURS, RATE_SHEET, MEMBER_DISCOUNT; independent of versions: they
  name items by code and category) with `pricebook_rate_sheet_entries`; one active rate sheet per association (a
  partial unique index). A rate sheet's association belongs to another organization (the HOA): no foreign key.

Every table is a tenant table (forced RLS on every command).

Revision ID: 0036
Revises: 0035
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0036"
down_revision: str | Sequence[str] | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(18, 2)
QUANTITY = sa.Numeric(18, 4)
PERCENT = sa.Numeric(7, 4)
STATUSES = ("DRAFT", "PUBLISHED", "ACTIVE", "RETIRED")
ITEM_KINDS = ("SERVICE", "LABOR", "MATERIAL", "EQUIPMENT", "BUNDLE")
UNITS = (
    "EACH", "HOUR", "FOOT", "SQUARE_FOOT", "GALLON", "POUND", "DAY", "JOB", "VISIT", "SET", "ROLL", "BOX", "TON",
)  # fmt: skip
RULE_KINDS = ("SEASONAL", "VOLUME", "AFTER_HOURS", "RATE_SHEET", "MEMBER_DISCOUNT")
VERSIONED = (
    "pricebook_items", "pricebook_bundle_components", "pricebook_job_templates", "pricebook_template_items",
    "pricebook_template_steps",
)  # fmt: skip

REFUSE_UNLESS_DRAFT = """
CREATE FUNCTION pricebook_refuse_unless_draft() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    version uuid;
    state text;
BEGIN
    FOREACH version IN ARRAY (CASE TG_OP
        WHEN 'INSERT' THEN ARRAY[NEW.version_id]
        WHEN 'DELETE' THEN ARRAY[OLD.version_id]
        ELSE ARRAY[OLD.version_id, NEW.version_id] END)
    LOOP
        SELECT v.status INTO state FROM pricebook_versions v WHERE v.id = version FOR SHARE;
        IF state IS DISTINCT FROM 'DRAFT' THEN
            RAISE EXCEPTION 'pricebook version % is %: its items, bundles and templates never change', version,
                coalesce(state, 'missing') USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END $$
"""

NEVER_BACK_TO_DRAFT = """
CREATE FUNCTION pricebook_never_back_to_draft() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'DRAFT' AND NEW.status = 'DRAFT' THEN
        RAISE EXCEPTION 'pricebook version % is %: it never becomes a DRAFT again', OLD.id, OLD.status
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$
"""


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _in_version(column: str, table: str, *, cascade: bool = False) -> sa.ForeignKeyConstraint:
    """A reference to a row of the same organization AND the same version."""
    return sa.ForeignKeyConstraint(
        ["organization_id", "version_id", column],
        [f"{table}.organization_id", f"{table}.version_id", f"{table}.id"],
        name=f"fk_{column}_{table}",
        ondelete="CASCADE" if cascade else None,
    )


def _versioned_key(table: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint("organization_id", "version_id", "id", name=f"uq_{table}_version_id")


def _catalogue() -> None:
    create_tenant_table(
        "pricebook_categories",
        sa.Column("name", sa.Text(), nullable=False),
        _uuid("parent_category_id", nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False, server_default="0"),
        tenant_ref("parent_category_id", "pricebook_categories"),
        sa.CheckConstraint("parent_category_id IS NULL OR parent_category_id <> id", name="not_own_parent"),
    )
    op.create_index(
        "uq_pricebook_categories_name",
        "pricebook_categories",
        ["organization_id", sa.text("coalesce(parent_category_id, '00000000-0000-0000-0000-000000000000'::uuid)"),
         sa.text("lower(name)")],
        unique=True,
    )  # fmt: skip
    create_tenant_table(
        "pricebook_versions",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text()),
        sa.Column("status", sa.Text(), nullable=False, server_default="DRAFT"),
        _uuid("copied_from_version_id", nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("activated_at", sa.DateTime(timezone=True)),
        sa.Column("retired_at", sa.DateTime(timezone=True)),
        one_of("status", STATUSES),
        tenant_ref("copied_from_version_id", "pricebook_versions"),
        sa.UniqueConstraint("organization_id", "name", name="uq_pricebook_versions_name"),
    )
    op.create_index(
        "uq_pricebook_versions_active",
        "pricebook_versions",
        ["organization_id"],
        unique=True,
        postgresql_where=sa.text("status = 'ACTIVE'"),
    )
    create_tenant_table(
        "pricebook_version_status_history",
        _uuid("version_id"),
        sa.Column("from_status", sa.Text()),
        sa.Column("to_status", sa.Text(), nullable=False),
        _uuid("actor_user_id", nullable=True),
        sa.Column("note", sa.Text()),
        tenant_ref("version_id", "pricebook_versions"),
    )
    op.create_index("ix_pricebook_version_status_history_version", "pricebook_version_status_history", ["version_id"])


def _items() -> None:
    create_tenant_table(
        "pricebook_items",
        _uuid("version_id"),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text()),
        _uuid("category_id", nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("cost", MONEY, nullable=False),
        sa.Column("price", MONEY, nullable=False),
        sa.Column("taxable", sa.Boolean(), nullable=False, server_default="true"),
        one_of("kind", ITEM_KINDS),
        one_of("unit", UNITS),
        sa.CheckConstraint("cost >= 0", name="cost_not_negative"),
        sa.CheckConstraint("price >= 0", name="price_not_negative"),
        tenant_ref("version_id", "pricebook_versions"),
        tenant_ref("category_id", "pricebook_categories"),
        sa.UniqueConstraint("organization_id", "version_id", "code", name="uq_pricebook_items_code"),
        _versioned_key("pricebook_items"),
    )
    create_tenant_table(
        "pricebook_bundle_components",
        _uuid("version_id"),
        _uuid("bundle_item_id"),
        _uuid("component_item_id"),
        sa.Column("quantity", QUANTITY, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("bundle_item_id <> component_item_id", name="not_inside_itself"),
        _in_version("bundle_item_id", "pricebook_items", cascade=True),
        _in_version("component_item_id", "pricebook_items"),
        sa.UniqueConstraint("organization_id", "bundle_item_id", "component_item_id", name="uq_pricebook_components"),
    )
    op.create_index("ix_pricebook_components_component", "pricebook_bundle_components", ["component_item_id"])


def _templates() -> None:
    create_tenant_table(
        "pricebook_job_templates",
        _uuid("version_id"),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("trade", sa.Text(), nullable=False),
        sa.Column("description", sa.Text()),
        tenant_ref("version_id", "pricebook_versions"),
        sa.UniqueConstraint("organization_id", "version_id", "name", name="uq_pricebook_job_templates_name"),
        _versioned_key("pricebook_job_templates"),
    )
    create_tenant_table(
        "pricebook_template_items",
        _uuid("version_id"),
        _uuid("template_id"),
        _uuid("item_id"),
        sa.Column("quantity", QUANTITY, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        _in_version("template_id", "pricebook_job_templates", cascade=True),
        _in_version("item_id", "pricebook_items"),
        sa.UniqueConstraint("organization_id", "template_id", "item_id", name="uq_pricebook_template_items"),
    )
    op.create_index("ix_pricebook_template_items_item", "pricebook_template_items", ["item_id"])
    create_tenant_table(
        "pricebook_template_steps",
        _uuid("version_id"),
        _uuid("template_id"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False, server_default="true"),
        _in_version("template_id", "pricebook_job_templates", cascade=True),
        sa.UniqueConstraint("organization_id", "template_id", "position", name="uq_pricebook_template_steps"),
    )


RULE_SHAPES = (
    "percent IS NULL OR (percent > 0 AND percent <= 100)",
    "kind = 'RATE_SHEET' OR percent IS NOT NULL",
    "kind <> 'SEASONAL' OR (starts_on IS NOT NULL AND ends_on IS NOT NULL AND (yearly OR starts_on <= ends_on))",
    "kind <> 'VOLUME' OR min_quantity > 0",
    "kind <> 'AFTER_HOURS' OR (window_start IS NOT NULL AND window_end IS NOT NULL AND time_zone IS NOT NULL "
    "AND cardinality(weekdays) > 0 AND weekdays <@ ARRAY['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', "
    "'SATURDAY', 'SUNDAY'])",
    "(kind = 'RATE_SHEET') = (association_id IS NOT NULL)",
)


def _rules() -> None:
    create_tenant_table(
        "pricebook_price_rules",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="true"),
        sa.Column("percent", PERCENT),
        sa.Column("item_codes", ARRAY(sa.Text()), nullable=False, server_default="{}"),
        _uuid("category_id", nullable=True),
        sa.Column("starts_on", sa.Date()),
        sa.Column("ends_on", sa.Date()),
        sa.Column("yearly", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("min_quantity", QUANTITY),
        sa.Column("weekdays", ARRAY(sa.Text()), nullable=False, server_default="{}"),
        sa.Column("window_start", sa.Time()),
        sa.Column("window_end", sa.Time()),
        sa.Column("outside_window", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("time_zone", sa.Text()),
        _uuid("association_id", nullable=True),
        sa.Column("deactivated_at", sa.DateTime(timezone=True)),
        one_of("kind", RULE_KINDS),
        tenant_ref("category_id", "pricebook_categories"),
        *(sa.CheckConstraint(shape, name=f"shape_{n}") for n, shape in enumerate(RULE_SHAPES, start=1)),
    )
    op.create_index(
        "uq_pricebook_price_rules_rate_sheet",
        "pricebook_price_rules",
        ["organization_id", "association_id"],
        unique=True,
        postgresql_where=sa.text("kind = 'RATE_SHEET' AND active"),
    )
    create_tenant_table(
        "pricebook_rate_sheet_entries",
        _uuid("rule_id"),
        sa.Column("item_code", sa.Text(), nullable=False),
        sa.Column("price", MONEY),
        sa.Column("discount_percent", PERCENT),
        sa.CheckConstraint("num_nonnulls(price, discount_percent) = 1", name="price_or_discount"),
        sa.CheckConstraint("price IS NULL OR price >= 0", name="price_not_negative"),
        sa.CheckConstraint(
            "discount_percent IS NULL OR (discount_percent > 0 AND discount_percent <= 100)", name="discount_range"
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "rule_id"],
            ["pricebook_price_rules.organization_id", "pricebook_price_rules.id"],
            name="fk_rule_id_pricebook_price_rules",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("organization_id", "rule_id", "item_code", name="uq_pricebook_rate_sheet_entries_code"),
    )


def _guards() -> None:
    op.execute(REFUSE_UNLESS_DRAFT)
    for table in VERSIONED:
        op.execute(
            f"CREATE TRIGGER {table}_draft_only BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION pricebook_refuse_unless_draft()"
        )
    op.execute(NEVER_BACK_TO_DRAFT)
    op.execute(
        "CREATE TRIGGER pricebook_versions_never_back_to_draft BEFORE UPDATE OF status ON pricebook_versions "
        "FOR EACH ROW EXECUTE FUNCTION pricebook_never_back_to_draft()"
    )


def upgrade() -> None:
    _catalogue()
    _items()
    _templates()
    _rules()
    _guards()


def downgrade() -> None:
    for table in (
        "pricebook_rate_sheet_entries", "pricebook_price_rules", "pricebook_template_steps",
        "pricebook_template_items", "pricebook_job_templates", "pricebook_bundle_components", "pricebook_items",
        "pricebook_version_status_history", "pricebook_versions", "pricebook_categories",
    ):  # fmt: skip
        op.drop_table(table)
    op.execute("DROP FUNCTION pricebook_never_back_to_draft()")
    op.execute("DROP FUNCTION pricebook_refuse_unless_draft()")
