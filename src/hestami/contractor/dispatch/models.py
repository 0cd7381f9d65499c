"""Dispatch's tables (migration 0038_add_dispatch)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord


class DispatchAssignment(TenantRecord, Base):
    """A technician assigned to a job visit for a slot (`starts_at`..`ends_at`), with the arrival window the customer
    was promised (the visit's; the slot itself when the visit has none). A technician's live slots never overlap
    (exclusion constraint); a visit has one live assignment at most (partial unique index)."""

    __tablename__ = "dispatch_assignments"

    job_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    visit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    technician_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    technician_user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    window_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    window_from_slot: Mapped[bool] = mapped_column(Boolean, default=False)
    """The visit had no window: it took the slot as its window, which then moves with the slot and goes with the
    assignment."""
    status: Mapped[str] = mapped_column(Text, default="ASSIGNED")
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    assigned_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    reason: Mapped[str | None] = mapped_column(Text)
    route_plan_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    en_route_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    on_site_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SlaWindow(TenantRecord, Base):
    """How soon the organization answers a job of one priority (minutes from the job entering JOB_CREATED)."""

    __tablename__ = "dispatch_sla_windows"

    priority: Mapped[str] = mapped_column(Text)
    respond_within_minutes: Mapped[int] = mapped_column(Integer)


class RoutePlan(TenantRecord, Base):
    """A day's route optimization for review: PROPOSED, then APPLIED (every route reassigned through the same checks
    as a dispatcher's) or DISCARDED. `routes` and `unassigned` hold the plan as JSON."""

    __tablename__ = "route_plans"

    plan_date: Mapped[date] = mapped_column(Date)
    time_zone: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, default="PROPOSED")
    technician_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)), default=list)
    routes: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    unassigned: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    travel_minutes: Mapped[int] = mapped_column(Integer, default=0)
    objective: Mapped[int] = mapped_column(Integer, default=0)
    solve_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    decided_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
