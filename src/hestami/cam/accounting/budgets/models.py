"""The budgets' tables (migration 0026_add_budgets). Money is Decimal / NUMERIC(18,2)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, Integer, Numeric, Text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord

MONEY = Numeric(18, 2)


class Budget(TenantRecord, Base):
    """An association's budget of one fund for one fiscal year (`starts_on` to `ends_on`, twelve months)."""

    __tablename__ = "budgets"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    fund: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    revises_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    superseded_by_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    proposed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    proposed_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    adopted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    adopted_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    adoption_note: Mapped[str | None] = mapped_column(Text)
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    applied_assessment_type_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    applied_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BudgetLine(TenantRecord, Base):
    """One GL account's twelve monthly amounts in a budget (the fiscal year's months, in order)."""

    __tablename__ = "budget_lines"

    budget_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    gl_account_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    amounts: Mapped[list[Decimal]] = mapped_column(ARRAY(MONEY))
    note: Mapped[str | None] = mapped_column(Text)


class BudgetStatusChange(TenantRecord, Base):
    __tablename__ = "budget_status_history"

    budget_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    from_status: Mapped[str | None] = mapped_column(Text)
    to_status: Mapped[str] = mapped_column(Text)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    note: Mapped[str | None] = mapped_column(Text)
