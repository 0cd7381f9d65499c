"""The pricebook's tables (migration 0036_add_pricebook).

Money columns are NUMERIC(18, 2) and quantities NUMERIC(18, 4); percentages NUMERIC(7, 4)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Dialect, Integer, Numeric, Text, Time, TypeDecorator
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord

MONEY = Numeric(18, 2)
QUANTITY = Numeric(18, 4)
PERCENT = Numeric(7, 4)


class ClockTime(TypeDecorator[str]):
    """A time of day stored as TIME and read as its ISO text ("17:00:00"): the audit trail's snapshots of a record
    take JSON values, which a `datetime.time` is not. Writes take a `time` or its text."""

    impl = Time
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> time | None:
        return time.fromisoformat(value) if isinstance(value, str) else value

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return value.isoformat() if isinstance(value, time) else value


class Category(TenantRecord, Base):
    """A category of the organization's catalogue (shared by every version), optionally inside another."""

    __tablename__ = "pricebook_categories"

    name: Mapped[str] = mapped_column(Text)
    parent_category_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Version(TenantRecord, Base):
    """One edition of the catalogue: DRAFT (editable), PUBLISHED (frozen), ACTIVE (the one quoted), RETIRED."""

    __tablename__ = "pricebook_versions"

    name: Mapped[str] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, default="DRAFT")
    copied_from_version_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    activated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class VersionStatusChange(TenantRecord, Base):
    __tablename__ = "pricebook_version_status_history"

    version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    from_status: Mapped[str | None] = mapped_column(Text)
    to_status: Mapped[str] = mapped_column(Text)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    note: Mapped[str | None] = mapped_column(Text)


class Item(TenantRecord, Base):
    """A service, labour rate, material, piece of equipment or bundle of one version."""

    __tablename__ = "pricebook_items"

    version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    code: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    category_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(Text)
    cost: Mapped[Decimal] = mapped_column(MONEY)
    price: Mapped[Decimal] = mapped_column(MONEY)
    taxable: Mapped[bool] = mapped_column(Boolean, default=True)


class BundleComponent(TenantRecord, Base):
    """One item a bundle contains (of the same version), and how many."""

    __tablename__ = "pricebook_bundle_components"

    version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    bundle_item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    component_item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    position: Mapped[int] = mapped_column(Integer)


class JobTemplate(TenantRecord, Base):
    """A job as usually done: its items and checklist steps, within one version."""

    __tablename__ = "pricebook_job_templates"

    version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(Text)
    trade: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)


class TemplateItem(TenantRecord, Base):
    __tablename__ = "pricebook_template_items"

    version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    template_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    position: Mapped[int] = mapped_column(Integer)


class TemplateStep(TenantRecord, Base):
    __tablename__ = "pricebook_template_steps"

    version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    template_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    required: Mapped[bool] = mapped_column(Boolean, default=True)


class PriceRule(TenantRecord, Base):
    """A price rule of the organization, independent of versions (it names items by code and category)."""

    __tablename__ = "pricebook_price_rules"

    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    percent: Mapped[Decimal | None] = mapped_column(PERCENT)
    item_codes: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    category_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    yearly: Mapped[bool] = mapped_column(Boolean, default=False)
    min_quantity: Mapped[Decimal | None] = mapped_column(QUANTITY)
    weekdays: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    window_start: Mapped[str | None] = mapped_column(ClockTime)
    window_end: Mapped[str | None] = mapped_column(ClockTime)
    outside_window: Mapped[bool] = mapped_column(Boolean, default=False)
    time_zone: Mapped[str | None] = mapped_column(Text)
    association_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RateSheetEntry(TenantRecord, Base):
    """A RATE_SHEET rule's price for one item code: a fixed price, or a percentage off the base price."""

    __tablename__ = "pricebook_rate_sheet_entries"

    rule_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    item_code: Mapped[str] = mapped_column(Text)
    price: Mapped[Decimal | None] = mapped_column(MONEY)
    discount_percent: Mapped[Decimal | None] = mapped_column(PERCENT)
