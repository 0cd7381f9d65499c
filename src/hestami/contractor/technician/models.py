"""The workforce's tables (migration 0035_add_technicians)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Date, DateTime, Text, Time
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord

DEFAULT_TIME_ZONE = "America/Chicago"


class Technician(TenantRecord, Base):
    """A member of the contractor organization who works its jobs; the territory is kept on the record (zip codes,
    and polygons as data)."""

    __tablename__ = "technicians"

    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    display_name: Mapped[str] = mapped_column(Text)
    employee_number: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    branch_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    home_zip_code: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, default="ACTIVE")
    hired_on: Mapped[date | None] = mapped_column(Date)
    time_zone: Mapped[str] = mapped_column(Text, default=DEFAULT_TIME_ZONE)
    territory_zip_codes: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    territory_polygons: Mapped[list[Any]] = mapped_column(JSONB, default=list)


class Skill(TenantRecord, Base):
    __tablename__ = "technician_skills"

    technician_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    trade: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(Text)


class Certification(TenantRecord, Base):
    __tablename__ = "technician_certifications"

    technician_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(Text)
    number: Mapped[str | None] = mapped_column(Text)
    trade: Mapped[str | None] = mapped_column(Text)
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)


class Shift(TenantRecord, Base):
    """A weekly shift: a weekday (MONDAY .. SUNDAY), wall-clock times in the technician's time zone."""

    __tablename__ = "technician_shifts"

    technician_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    weekday: Mapped[str] = mapped_column(Text)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)


class TimeOff(TenantRecord, Base):
    __tablename__ = "technician_time_off"

    technician_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, default="SCHEDULED")
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
