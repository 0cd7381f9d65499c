"""Inputs and outputs of dispatch's procedures (`dispatch/v1/*`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, Field, model_validator

from hestami.contractor.job.schemas import Day, Moment
from hestami.core.pagination import PageRequest
from hestami.core.schemas import Input, Record, Trimmed

Priority = Literal["EMERGENCY", "HIGH", "MEDIUM", "LOW"]
AssignmentStatus = Literal["ASSIGNED", "EN_ROUTE", "ON_SITE", "COMPLETED", "CANCELLED"]
PlanStatus = Literal["PROPOSED", "APPLIED", "DISCARDED"]
Reason = Annotated[Trimmed, Field(min_length=1, max_length=500)]


def _ordered(starts_at: datetime, ends_at: datetime | None) -> None:
    if ends_at is not None and ends_at <= starts_at:
        raise ValueError("ends_at must be after starts_at")


# --- assignments -------------------------------------------------------------------------------------------------


class AssignTech(Input):
    visit_id: uuid.UUID = Field(description="An open visit of an open job of yours.")
    technician_id: uuid.UUID = Field(description="One of your technicians.")
    starts_at: Moment = Field(description="The slot's start (with an offset): inside the visit's arrival window.")
    ends_at: Moment | None = Field(default=None, description="Default: the start plus the visit's duration.")
    pinned: bool = Field(default=False, description="Route optimization keeps a pinned assignment as it is.")
    reason: Reason | None = None

    @model_validator(mode="after")
    def _slot(self) -> Self:
        _ordered(self.starts_at, self.ends_at)
        return self


class UnassignTech(Input):
    assignment_id: uuid.UUID
    reason: Reason


class Reschedule(Input):
    assignment_id: uuid.UUID
    starts_at: Moment
    ends_at: Moment | None = Field(default=None, description="Default: the start plus the visit's duration.")
    technician_id: uuid.UUID | None = Field(default=None, description="Another technician; default: the same.")
    reason: Reason | None = None

    @model_validator(mode="after")
    def _slot(self) -> Self:
        _ordered(self.starts_at, self.ends_at)
        return self


class MarkEnRoute(Input):
    assignment_id: uuid.UUID


class ListAssignments(PageRequest):
    date: Day | None = Field(default=None, description="Slots starting on this day (the dispatch time zone).")
    technician_id: uuid.UUID | None = None
    job_id: uuid.UUID | None = None
    status: AssignmentStatus | None = None


class AssignmentOut(Record):
    job_id: uuid.UUID
    visit_id: uuid.UUID
    technician_id: uuid.UUID
    technician_user_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    window_start: datetime
    window_end: datetime
    status: AssignmentStatus
    pinned: bool
    assigned_by: uuid.UUID | None
    reason: str | None
    route_plan_id: uuid.UUID | None
    en_route_at: datetime | None
    on_site_at: datetime | None
    finished_at: datetime | None


class ReportSick(Input):
    technician_id: uuid.UUID
    date: Day
    reason: Reason | None = None


class LeftUnassigned(BaseModel):
    """A visit the sick technician had that no other technician could take: unassigned, with why each was refused."""

    visit_id: uuid.UUID
    job_id: uuid.UUID
    cancelled_assignment_id: uuid.UUID
    reasons: list[dict[str, Any]]


class SickReportOut(BaseModel):
    technician_id: uuid.UUID
    date: date
    time_off_added: int = Field(description="Periods of time off added (none when the day was off already).")
    reassigned: list[AssignmentOut]
    unassigned: list[LeftUnassigned]


# --- SLA windows -------------------------------------------------------------------------------------------------


class SetSLAWindow(Input):
    priority: Priority
    respond_within_minutes: int = Field(ge=1, le=525_600, description="1 minute to a year.")


class SlaWindowOut(BaseModel):
    priority: Priority
    respond_within_minutes: int
    configured: bool = Field(description="False: the default for the priority (none set).")


class SlaWindowsOut(BaseModel):
    items: list[SlaWindowOut]


class ListSLAWindows(Input):
    pass


# --- the board ---------------------------------------------------------------------------------------------------


CustomerName = Annotated[
    str | None,
    Field(
        description="Whom the job is for, as it is now: its customer's name, or for an HOA work order's job its "
        "association's (with the management organization's in parentheses when that is another name); None for a "
        "walk-in."
    ),
]
SiteAddress = Annotated[
    str | None, Field(description="Where the work is, on one line: the job's address, else its customer's, as now.")
]
SitePostalCode = Annotated[
    str | None, Field(description="The site's zip code: the job's, else its customer's, as it is now.")
]


class GetBoard(Input):
    date: Day
    branch_id: uuid.UUID | None = Field(default=None, description="One branch's technicians and jobs; default: all.")


class BoardAssignment(BaseModel):
    assignment_id: uuid.UUID
    visit_id: uuid.UUID
    job_id: uuid.UUID
    job_number: str
    title: str
    priority: str
    trade: str
    zip_code: str | None
    window_start: datetime
    window_end: datetime
    starts_at: datetime
    ends_at: datetime
    status: AssignmentStatus
    pinned: bool
    customer_name: CustomerName = None
    site_address: SiteAddress = None
    site_postal_code: SitePostalCode = None


class BoardTechnician(BaseModel):
    technician_id: uuid.UUID
    display_name: str
    branch_id: uuid.UUID | None
    shift_minutes: int = Field(description="The day's shifts less time off.")
    booked_minutes: int
    capacity_left_minutes: int
    assignments: list[BoardAssignment]


class BoardVisit(BaseModel):
    visit_id: uuid.UUID
    job_id: uuid.UUID
    job_number: str
    title: str
    priority: str
    trade: str
    zip_code: str | None
    window_start: datetime | None
    window_end: datetime | None
    duration_minutes: int
    sla_due_at: datetime | None
    customer_name: CustomerName = None
    site_address: SiteAddress = None
    site_postal_code: SitePostalCode = None


class BoardJob(BaseModel):
    job_id: uuid.UUID
    job_number: str
    title: str
    status: str
    priority: str
    trade: str
    zip_code: str | None
    sla_due_at: datetime | None
    customer_name: CustomerName = None
    site_address: SiteAddress = None
    site_postal_code: SitePostalCode = None


class BoardOut(BaseModel):
    date: date
    time_zone: str
    branch_id: uuid.UUID | None
    technicians: list[BoardTechnician]
    unassigned_visits: list[BoardVisit] = Field(description="The day's open visits without a live assignment.")
    unassigned_jobs: list[BoardJob] = Field(description="Open jobs with no visit planned yet, EMERGENCY first.")


# --- route plans -------------------------------------------------------------------------------------------------


class OptimizeRoute(Input):
    date: Day
    technician_ids: list[uuid.UUID] | None = Field(
        default=None, max_length=200, description="The technicians to plan for; default: every active one."
    )


class ByPlan(Input):
    plan_id: uuid.UUID


class StopOut(BaseModel):
    visit_id: uuid.UUID
    arrive_at: datetime
    starts_at: datetime
    ends_at: datetime


class RouteOut(BaseModel):
    technician_id: uuid.UUID
    travel_minutes: int
    stops: list[StopOut]


class UnassignedOut(BaseModel):
    visit_id: uuid.UUID
    code: str
    message: str


class RoutePlanOut(Record):
    plan_date: date
    time_zone: str
    status: PlanStatus
    technician_ids: list[uuid.UUID]
    routes: list[RouteOut]
    unassigned: list[UnassignedOut]
    travel_minutes: int
    objective: int
    solve_seconds: float
    created_by: uuid.UUID | None
    decided_by: uuid.UUID | None
    decided_at: datetime | None
    assignments: list[AssignmentOut] = Field(default_factory=list, description="Applied: the day's assignments.")
