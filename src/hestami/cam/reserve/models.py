"""Domain 11 tables (migration 0017_add_reserve)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, Integer, Numeric, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord

MONEY = Numeric(18, 2)
RATE = Numeric(7, 4)


class _Life:
    name: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    unit_of_measure: Mapped[str | None] = mapped_column(Text)
    useful_life_years: Mapped[int] = mapped_column(Integer)
    remaining_life_years: Mapped[int] = mapped_column(Integer)
    replacement_cost: Mapped[Decimal] = mapped_column(MONEY)


class Component(_Life, TenantRecord, Base):
    __tablename__ = "reserve_components"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    placed_in_service: Mapped[date | None] = mapped_column(Date)
    asset_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    expense_account_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_replaced_on: Mapped[date | None] = mapped_column(Date)


class Study(TenantRecord, Base):
    __tablename__ = "reserve_studies"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    study_date: Mapped[date] = mapped_column(Date)
    preparer: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(Text)
    inflation_rate: Mapped[Decimal] = mapped_column(RATE)
    interest_rate: Mapped[Decimal] = mapped_column(RATE)
    threshold_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    current_contribution: Mapped[Decimal | None] = mapped_column(MONEY)
    document_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    notes: Mapped[str | None] = mapped_column(Text)


class StudyComponent(_Life, TenantRecord, Base):
    """A component as the study saw it."""

    __tablename__ = "reserve_study_components"

    study_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    component_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
