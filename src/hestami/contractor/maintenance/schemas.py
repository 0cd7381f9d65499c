"""Inputs and outputs of the maintenance agreements' procedures (`maintenance/v1/*`). Money travels as decimal
strings; dates are local dates, window times local times (DISPATCH_TIME_ZONE)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, Field, model_validator

from hestami.contractor.job.schemas import Address, Day, Trade, ZipCode
from hestami.contractor.maintenance import rules
from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Money, Name, Record, Text, Trimmed

Status = Literal["DRAFT", "ACTIVE", "LAPSED", "CANCELLED"]
Frequency = Literal["MONTHLY", "QUARTERLY", "SEMI_ANNUAL", "ANNUAL", "UPFRONT"]
Outcome = Literal["ON_TIME", "LATE", "MISSED"]


def _schedule(text: str) -> str:
    try:
        return rules.check_schedule(text)
    except rules.ScheduleError as e:
        raise ValueError(str(e)) from e


Schedule = Annotated[
    str,
    Field(
        min_length=6,
        max_length=500,
        description="An RFC 5545 RRULE anchored at each term's start, e.g. "
        "`FREQ=MONTHLY;INTERVAL=3` (quarterly) or `FREQ=YEARLY;BYMONTH=4,10;BYMONTHDAY=1`: WEEKLY, MONTHLY or "
        "YEARLY, at most weekly.",
    ),
    AfterValidator(_schedule),
]
Months = Annotated[int, Field(ge=1, le=60, description="The length of a term in months.")]
ChangePercent = Annotated[Decimal, Field(ge=-100, le=100, max_digits=7, decimal_places=4)]
Minutes = Annotated[int, Field(ge=5, le=1440)]
DaysLate = Annotated[int, Field(ge=0, le=60)]
Code = Annotated[Trimmed, Field(min_length=1, max_length=60)]
Quantity = Annotated[Decimal, Field(gt=0, le=10_000, max_digits=18, decimal_places=4)]
Plan = Annotated[Trimmed, Field(min_length=1, max_length=120)]
Reason = Annotated[Trimmed, Field(min_length=1, max_length=500)]


class IncludedService(Input):
    code: Code = Field(description="A pricebook item code of the active version.")
    quantity: Quantity = Decimal("1")


def _window_ordered(start: time | None, end: time | None) -> None:
    if start is not None and end is not None and end <= start:
        raise ValueError("The window must end after it starts.")


class CreateAgreement(Input):
    name: Name
    plan: Plan | None = Field(default=None, description="The membership plan, e.g. Comfort Club.")
    trade: Trade
    customer_id: uuid.UUID | None = Field(default=None, description="A customer of yours (or association_id).")
    association_id: uuid.UUID | None = Field(
        default=None, description="An HOA's association your organization is linked to (or customer_id)."
    )
    work_order_id: uuid.UUID | None = Field(
        default=None, description="An HOA agreement: the association's standing work order assigned to you, whose link "
        "every visit's job carries.",
    )  # fmt: skip
    address: Address | None = Field(default=None, description="The site (default: the customer's).")
    zip_code: ZipCode | None = Field(default=None, description="Default: the customer's.")
    branch_id: uuid.UUID | None = None
    term_start: Day
    term_months: Months = 12
    price: Money = Field(description="The price of one term.")
    billing_frequency: Frequency = "ANNUAL"
    auto_renew: bool = True
    renewal_price_change_percent: ChangePercent = Decimal("0")
    job_template_id: uuid.UUID | None = Field(default=None, description="A pricebook job template for each visit.")
    services: list[IncludedService] = Field(default_factory=list, max_length=50)
    schedule_rrule: Schedule
    window_start: time = Field(default=time(8, 0), description="The visits' arrival window, local time.")
    window_end: time = time(12, 0)
    visit_duration_minutes: Minutes = 60
    sla_days_late_allowed: DaysLate = Field(default=0, description="Days after its window a visit counts LATE.")
    notes: Text | None = None

    @model_validator(mode="after")
    def _one_party(self) -> Self:
        if (self.customer_id is None) == (self.association_id is None):
            raise ValueError("Exactly one of customer_id and association_id.")
        if self.work_order_id is not None and self.association_id is None:
            raise ValueError("A work order belongs to an HOA agreement (association_id).")
        _window_ordered(self.window_start, self.window_end)
        return self


class UpdateAgreement(Input):
    """Name, plan, notes, branch, renewal terms and SLA may change while ACTIVE; the rest only while DRAFT."""

    id: uuid.UUID
    name: Name | None = None
    plan: Plan | None = None
    notes: Text | None = None
    branch_id: uuid.UUID | None = None
    auto_renew: bool | None = None
    renewal_price_change_percent: ChangePercent | None = None
    sla_days_late_allowed: DaysLate | None = None
    address: Address | None = None
    zip_code: ZipCode | None = None
    term_start: Day | None = None
    term_months: Months | None = None
    price: Money | None = None
    billing_frequency: Frequency | None = None
    job_template_id: uuid.UUID | None = None
    services: list[IncludedService] | None = Field(default=None, max_length=50)
    schedule_rrule: Schedule | None = None
    window_start: time | None = None
    window_end: time | None = None
    visit_duration_minutes: Minutes | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        _window_ordered(self.window_start, self.window_end)
        return self


class ListAgreements(PageRequest):
    status: Status | None = None
    customer_id: uuid.UUID | None = None
    association_id: uuid.UUID | None = None
    due_for_renewal: bool | None = Field(
        default=None, description="True: ACTIVE agreements whose term ends within MAINTENANCE_RENEWAL_NOTICE_DAYS and "
        "that are not renewed yet.",
    )  # fmt: skip


class Cancel(Input):
    id: uuid.UUID
    reason: Reason


class Renew(Input):
    id: uuid.UUID
    price: Money | None = Field(default=None, description="The next term's price (default: the renewal change).")
    note: Text | None = None


class ServiceOut(BaseModel):
    code: str
    description: str
    quantity: Decimal


class TermOut(BaseModel):
    term_number: int
    term_start: date
    term_end: date
    price: Decimal


class RenewalOut(BaseModel):
    renewed_term_number: int
    new_term_number: int
    kind: Literal["AUTO", "MANUAL"]
    price_before: Decimal
    price_after: Decimal
    renewed_by: uuid.UUID | None
    renewed_at: datetime


class AgreementOut(Record):
    number: str
    name: str
    plan: str | None
    trade: str
    status: Status
    customer_id: uuid.UUID | None
    hoa_organization_id: uuid.UUID | None
    association_id: uuid.UUID | None
    work_order_id: uuid.UUID | None
    address: str | None
    zip_code: str | None
    branch_id: uuid.UUID | None
    term_number: int
    term_start: date
    term_end: date
    term_months: int
    price: Decimal
    billing_frequency: Frequency
    auto_renew: bool
    renewal_price_change_percent: Decimal
    job_template_id: uuid.UUID | None
    schedule_rrule: str
    window_start: time
    window_end: time
    visit_duration_minutes: int
    sla_days_late_allowed: int
    notes: str | None
    activated_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    lapsed_at: datetime | None


class AgreementDetailOut(AgreementOut):
    services: list[ServiceOut]
    terms: list[TermOut]
    renewals: list[RenewalOut]


class VisitOut(BaseModel):
    id: uuid.UUID
    agreement_id: uuid.UUID
    term_number: int
    occurs_on: date
    job_id: uuid.UUID
    job_number: str
    job_status: str
    visit_id: uuid.UUID
    visit_status: str
    window_start: datetime
    window_end: datetime
    sla_outcome: Outcome | None = Field(description="Recorded once the visit's outcome is known.")


class VisitsOut(BaseModel):
    items: list[VisitOut]


class SlaVisitOut(BaseModel):
    occurs_on: date
    job_number: str
    outcome: Outcome
    due_by: datetime
    completed_at: datetime | None
    days_late: int


class SlaReportOut(BaseModel):
    agreement_id: uuid.UUID
    number: str
    visits_scheduled: int
    visits_evaluated: int
    on_time: int
    late: int
    missed: int
    on_time_percent: Decimal | None = Field(description="On time of the evaluated visits; null before any is.")
    visits: list[SlaVisitOut]


class HistoryItemOut(BaseModel):
    action: str
    from_status: str | None
    to_status: str
    term_number: int
    actor_user_id: uuid.UUID | None
    note: str | None
    at: datetime


class HistoryOut(BaseModel):
    items: list[HistoryItemOut]
