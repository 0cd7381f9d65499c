"""Inputs and outputs of the workforce's procedures (`technician/v1/*`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, Literal
from zoneinfo import available_timezones

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field, StringConstraints, model_validator

from hestami.contractor.technician.models import DEFAULT_TIME_ZONE
from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Name, Record, Trimmed
from hestami.identity.schemas import Email

Status = Literal["ACTIVE", "INACTIVE"]
Level = Literal["APPRENTICE", "JOURNEYMAN", "MASTER"]
Trade = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=60, pattern=r"^[A-Za-z][A-Za-z0-9_ /&-]*$"),
    AfterValidator(lambda trade: trade.upper()),
    Field(description="A trade, e.g. PLUMBING, HVAC, ELECTRICAL (kept in capitals, like the profile's trades)."),
]
ZipCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{5}$")]
Weekday = Literal["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]

EARLIEST, LATEST = 2000, 2100


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _zone(name: str) -> str:
    if name not in _zones():
        raise ValueError("Not an IANA time zone (e.g. America/Chicago).")
    return name


def _in_range(moment: datetime) -> datetime:
    if not EARLIEST <= moment.year <= LATEST:
        raise ValueError(f"A time between the years {EARLIEST} and {LATEST}.")
    return moment


def _wall_clock(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("A wall-clock time without an offset (the technician's time zone applies).")
    return value


TimeZone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z][A-Za-z0-9_+/-]*$"),
    AfterValidator(_zone),
    Field(description="An IANA time zone the shifts are written in, e.g. America/Chicago."),
]
Moment = Annotated[AwareDatetime, AfterValidator(_in_range)]
WallClock = Annotated[time, AfterValidator(_wall_clock)]
Coordinate = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]


def _point(value: list[float]) -> list[float]:
    if not -90 <= value[1] <= 90:
        raise ValueError("A latitude between -90 and 90.")
    return value


Point = Annotated[list[Coordinate], Field(min_length=2, max_length=2), AfterValidator(_point)]


def _closed(ring: list[list[float]]) -> list[list[float]]:
    if ring[0] != ring[-1]:
        raise ValueError("A ring ends at the point it starts from.")
    return ring


Ring = Annotated[
    list[Point],
    Field(min_length=4, max_length=1000, description="[lon, lat] points, the last the same as the first."),
    AfterValidator(_closed),
]


# --- technicians -------------------------------------------------------------------------------------------------


class CreateTechnician(Input):
    user_id: uuid.UUID = Field(description="An active member of the organization (one technician record each).")
    display_name: Name
    employee_number: Trimmed | None = Field(default=None, min_length=1, max_length=40)
    phone: Trimmed | None = Field(default=None, max_length=40)
    email: Email | None = Field(default=None, description="Default: the member's account email.")
    branch_id: uuid.UUID | None = Field(default=None, description="A branch of the organization.")
    home_zip_code: ZipCode | None = None
    hired_on: date | None = None
    time_zone: TimeZone = DEFAULT_TIME_ZONE


class UpdateTechnician(Input):
    id: uuid.UUID
    display_name: Name | None = None
    employee_number: Trimmed | None = Field(default=None, min_length=1, max_length=40)
    phone: Trimmed | None = Field(default=None, max_length=40)
    email: Email | None = None
    branch_id: uuid.UUID | None = None
    home_zip_code: ZipCode | None = None
    hired_on: date | None = None
    time_zone: TimeZone | None = None


class ListTechnicians(PageRequest):
    branch_id: uuid.UUID | None = None
    status: Status | None = None
    trade: Trade | None = Field(default=None, description="Only technicians with a skill in this trade.")


class SkillOut(BaseModel):
    id: uuid.UUID
    trade: str
    level: str


class CertificationOut(BaseModel):
    id: uuid.UUID
    name: str
    issuer: str | None
    number: str | None
    trade: str | None
    issued_on: date | None
    expires_on: date | None


class ShiftOut(BaseModel):
    id: uuid.UUID
    weekday: str
    start_time: time
    end_time: time


class TimeOffOut(BaseModel):
    id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    reason: str | None
    status: str
    cancelled_at: datetime | None


class TechnicianOut(Record):
    user_id: uuid.UUID
    display_name: str
    employee_number: str | None
    phone: str | None
    email: str | None
    branch_id: uuid.UUID | None
    home_zip_code: str | None
    status: str
    hired_on: date | None
    time_zone: str
    territory_zip_codes: list[str]
    territory_polygons: list[Any]
    skills: list[SkillOut]
    certifications: list[CertificationOut] | None = Field(default=None, description="With `get` and the changes.")
    shifts: list[ShiftOut] | None = Field(default=None, description="With `get` and the changes.")
    time_off: list[TimeOffOut] | None = Field(
        default=None, description="Scheduled time off not over yet, soonest first; with `get` and the changes."
    )


class TechniciansOut(BaseModel):
    items: list[TechnicianOut]
    next_cursor: str | None


# --- skills, certifications --------------------------------------------------------------------------------------


class AddSkill(Input):
    id: uuid.UUID = Field(description="The technician.")
    trade: Trade
    level: Level


class RemoveSkill(Input):
    id: uuid.UUID = Field(description="The technician.")
    trade: Trade


class AddCertification(Input):
    id: uuid.UUID = Field(description="The technician.")
    name: Name
    issuer: Trimmed | None = Field(default=None, max_length=200)
    number: Trimmed | None = Field(default=None, max_length=100)
    trade: Trade | None = Field(default=None, description="The trade it qualifies for, if any.")
    issued_on: date | None = None
    expires_on: date | None = None

    @model_validator(mode="after")
    def _validity(self) -> AddCertification:
        if self.issued_on is not None and self.expires_on is not None and self.expires_on < self.issued_on:
            raise ValueError("expires_on may not be before issued_on")
        return self


class RemoveCertification(Input):
    id: uuid.UUID = Field(description="The technician.")
    certification_id: uuid.UUID = Field(description="One of the technician's certifications.")


# --- availability ------------------------------------------------------------------------------------------------


class ShiftIn(Input):
    weekday: Weekday
    start_time: WallClock
    end_time: WallClock

    @model_validator(mode="after")
    def _period(self) -> ShiftIn:
        if self.end_time <= self.start_time:
            raise ValueError("end_time must be after start_time (a shift stays in its day)")
        return self


class SetShifts(Input):
    id: uuid.UUID = Field(description="The technician.")
    shifts: list[ShiftIn] = Field(max_length=50, description="The whole week; an empty list clears it.")


class AddTimeOff(Input):
    id: uuid.UUID = Field(description="The technician.")
    starts_at: Moment
    ends_at: Moment
    reason: Trimmed | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _period(self) -> AddTimeOff:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class CancelTimeOff(Input):
    id: uuid.UUID = Field(description="The technician.")
    time_off_id: uuid.UUID = Field(description="One of the technician's periods of time off.")


class TerritoryPolygon(Input):
    name: Trimmed | None = Field(default=None, max_length=200)
    rings: list[Ring] = Field(
        min_length=1, max_length=10, description="The outer ring first, then any holes (GeoJSON order)."
    )


class SetTerritory(Input):
    id: uuid.UUID = Field(description="The technician.")
    zip_codes: list[ZipCode] = Field(default_factory=list, max_length=500)
    polygons: list[TerritoryPolygon] = Field(default_factory=list, max_length=20)


# --- eligibility and KPIs ----------------------------------------------------------------------------------------


class CheckEligibility(Input):
    technician_id: uuid.UUID
    trade: Trade
    zip_code: ZipCode
    starts_at: Moment
    ends_at: Moment

    @model_validator(mode="after")
    def _period(self) -> CheckEligibility:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class ReasonOut(BaseModel):
    code: str = Field(
        description="INACTIVE, CONTRACTOR_NON_COMPLIANT, NO_SKILL, CERTIFICATION_EXPIRED, OUT_OF_TERRITORY, "
        "OUTSIDE_SHIFT or TIME_OFF."
    )
    message: str
    details: dict[str, Any]


class EligibilityOut(BaseModel):
    technician_id: uuid.UUID
    eligible: bool
    reasons: list[ReasonOut]


class ByTechnician(Input):
    technician_id: uuid.UUID


class KpisOut(BaseModel):
    technician_id: uuid.UUID
    jobs_completed: int
    first_time_fix_rate: Decimal | None = Field(description="0 to 1, 4 places; null without completed jobs.")
    average_job_minutes: Decimal | None = Field(description="1 place; null without timed completed jobs.")
