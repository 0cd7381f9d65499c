"""Inputs and outputs of the estimates' procedures (`estimate/v1/*`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, Field, model_validator

from hestami.contractor.pricebook.schemas import Code, Quantity
from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Name, Record, Text
from hestami.identity.schemas import Email

Status = Literal["DRAFT", "PENDING_APPROVAL", "APPROVED", "SENT", "ACCEPTED", "DECLINED", "EXPIRED", "VOID"]
Tier = Literal["GOOD", "BETTER", "BEST"]
OptionStatus = Literal["OPEN", "ACCEPTED", "DECLINED"]
Discount = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
TaxRate = Annotated[Decimal, Field(ge=0, le=100, max_digits=7, decimal_places=3)]
EARLIEST, LATEST = 2000, 2100


def _in_range(moment: date) -> None:
    if not EARLIEST <= moment.year <= LATEST:
        raise ValueError(f"A date between the years {EARLIEST} and {LATEST}.")


class ItemIn(Input):
    code: Code
    quantity: Quantity


class OptionIn(Input):
    name: Name
    tier: Tier | None = None
    description: Text | None = None
    template_id: uuid.UUID | None = Field(default=None, description="A job template of your pricebook: its items.")
    items: list[ItemIn] = Field(default_factory=list, max_length=100, description="Items beyond the template's.")
    discount_percent: Discount = Decimal("0")

    @model_validator(mode="after")
    def _has_items(self) -> Self:
        if self.template_id is None and not self.items:
            raise ValueError("An option needs a template_id or items.")
        return self


class EstimateTerms(Input):
    """What prices an estimate beyond its items."""

    title: Name | None = None
    tax_rate: TaxRate | None = Field(default=None, description="Percent; default: the setting (8.25).")
    valid_until: date | None = Field(default=None, description="Default: 30 days from today.")
    planned_at: datetime | None = Field(default=None, description="When the work is planned (after-hours rules).")
    member: bool | None = Field(
        default=None,
        description="The member discount applies (the customer has a maintenance agreement); unset: asked of the "
        "maintenance agreements (an ACTIVE agreement of the customer or association in force today).",
    )
    notes: Text | None = None

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.valid_until is not None:
            _in_range(self.valid_until)
        if self.planned_at is not None:
            if self.planned_at.tzinfo is None:
                raise ValueError("planned_at needs its offset.")
            _in_range(self.planned_at)
        return self


class GenerateEstimate(EstimateTerms):
    job_id: uuid.UUID | None = None
    bid_id: uuid.UUID | None = Field(default=None, description="An HOA's request to your organization to bid.")
    customer_id: uuid.UUID | None = None
    options: list[OptionIn] = Field(min_length=1, max_length=6)

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if sum(x is not None for x in (self.job_id, self.bid_id, self.customer_id)) != 1:
            raise ValueError("Exactly one of job_id, bid_id and customer_id.")
        return self


class UpdateEstimate(Input):
    id: uuid.UUID
    title: Name | None = None
    tax_rate: TaxRate | None = None
    valid_until: date | None = None
    planned_at: datetime | None = None
    member: bool | None = None
    notes: Text | None = None

    @model_validator(mode="after")
    def _dates(self) -> Self:
        for moment in (self.valid_until, self.planned_at):
            if moment is not None:
                _in_range(moment)
        if self.planned_at is not None and self.planned_at.tzinfo is None:
            raise ValueError("planned_at needs its offset.")
        return self


class AddOption(OptionIn):
    estimate_id: uuid.UUID


class ReplaceOption(OptionIn):
    estimate_id: uuid.UUID
    option_id: uuid.UUID


class RemoveOption(Input):
    estimate_id: uuid.UUID
    option_id: uuid.UUID


class SendEstimate(Input):
    id: uuid.UUID
    message: Text | None = None
    to_name: Name | None = Field(default=None, description="A customer's estimate: default the customer's name.")
    to_email: Email | None = Field(default=None, description="A customer's estimate: default the customer's email.")


class DecideApproval(Input):
    id: uuid.UUID
    approved: bool = True
    note: Text | None = None


class RecordAcceptance(Input):
    id: uuid.UUID
    option_id: uuid.UUID
    accepted_by_name: Name
    accepted_at: datetime | None = Field(default=None, description="Default: now.")


class RecordDecline(Input):
    id: uuid.UUID
    declined_by_name: Name
    reason: Text | None = None


class VoidEstimate(Input):
    id: uuid.UUID
    reason: Text | None = None


class ListEstimates(PageRequest):
    status: Status | None = None
    job_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    work_order_id: uuid.UUID | None = None


class ListProposals(PageRequest):
    estimate_id: uuid.UUID | None = Field(
        default=None, description="The contractor: the proposals of one of your estimates (each sending)."
    )


class AcceptOption(Input):
    proposal_id: uuid.UUID
    option_id: uuid.UUID


class DeclineProposal(Input):
    proposal_id: uuid.UUID
    reason: Text | None = None


# --- outputs -----------------------------------------------------------------------------------------------------


class LineOut(Record):
    option_id: uuid.UUID
    position: int
    code: str
    name: str
    kind: str
    unit: str
    quantity: Decimal
    base_price: Decimal
    unit_price: Decimal
    applied_rules: list[dict[str, Any]]
    line_total: Decimal
    taxable: bool


class OptionOut(Record):
    estimate_id: uuid.UUID
    position: int
    name: str
    tier: Tier | None
    description: str | None
    template_id: uuid.UUID | None
    discount_percent: Decimal
    discount: Decimal
    subtotal: Decimal
    taxable_subtotal: Decimal
    tax: Decimal
    total: Decimal
    status: OptionStatus
    lines: list[LineOut] = Field(default_factory=list)


class EstimateOut(Record):
    number: str
    title: str
    status: Status
    job_id: uuid.UUID | None
    customer_id: uuid.UUID | None
    bid_id: uuid.UUID | None
    work_order_id: uuid.UUID | None
    hoa_organization_id: uuid.UUID | None
    association_id: uuid.UUID | None
    pricebook_version_id: uuid.UUID
    planned_at: datetime | None
    member: bool
    tax_rate: Decimal
    valid_until: date
    notes: str | None
    version: int
    approved_by: uuid.UUID | None
    approved_at: datetime | None
    sent_at: datetime | None
    expires_at: datetime | None
    reminded_at: datetime | None
    accepted_option_id: uuid.UUID | None
    decided_at: datetime | None
    decided_by_name: str | None
    options: list[OptionOut] = Field(default_factory=list)
    customer_name: str | None = Field(
        default=None,
        description="Whom the estimate is for, as it is now: its customer's name, or for an HOA work order's (a bid "
        "request's) its association's, with the management organization's in parentheses when that is another name "
        "(`hoa_organization_id` set); None when not known.",
    )


class StatusChangeOut(BaseModel):
    model_config = {"from_attributes": True}

    from_status: str | None
    to_status: str
    actor_user_id: uuid.UUID | None
    actor_name: str | None
    note: str | None
    created_at: datetime


class HistoryOut(BaseModel):
    items: list[StatusChangeOut]


class ProposalOut(Record):
    """One sending of an estimate, with the content as it was sent (options and lines, frozen) and the estimate's
    status now."""

    estimate_id: uuid.UUID
    estimate_number: str
    estimate_status: Status
    estimate_version: int
    addressee_kind: Literal["CUSTOMER", "HOA"]
    addressee_name: str
    addressee_email: str | None
    addressee_organization_id: uuid.UUID | None
    message: str | None
    sent_at: datetime
    content: dict[str, Any]
    content_hash: str
    accepted_option_id: uuid.UUID | None
    decided_at: datetime | None
    decided_by_name: str | None
