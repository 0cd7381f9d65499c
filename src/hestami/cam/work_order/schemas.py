"""Inputs and outputs of domain 6's procedures."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Money, Name, PositiveMoney, Record, Text, Trimmed

Priority = Literal["LOW", "MEDIUM", "HIGH", "EMERGENCY"]
OriginKind = Literal["REMEDIATION", "INSPECTION", "INSTALLATION"]
Status = Literal[
    "DRAFT",
    "SUBMITTED",
    "TRIAGED",
    "ASSIGNED",
    "SCHEDULED",
    "IN_PROGRESS",
    "ON_HOLD",
    "COMPLETED",
    "INVOICED",
    "CLOSED",
    "CANCELLED",
]
BidStatus = Literal["REQUESTED", "SUBMITTED", "ACCEPTED", "REJECTED", "WITHDRAWN", "EXPIRED"]


# --- assets ----------------------------------------------------------------------------------------------


class CreateAsset(Input):
    association_id: uuid.UUID
    name: Name
    category: Trimmed = Field(min_length=1, max_length=100, description="e.g. HVAC, POOL_EQUIPMENT, GATE, ROOF.")
    unit_id: uuid.UUID | None = None
    common_area_id: uuid.UUID | None = None
    manufacturer: Trimmed | None = Field(default=None, max_length=200)
    model: Trimmed | None = Field(default=None, max_length=200)
    serial_number: Trimmed | None = Field(default=None, max_length=200)
    installed_on: date | None = None
    warranty_expires_on: date | None = None
    warranty_terms: Text | None = None
    maintenance_frequency_days: int | None = Field(default=None, ge=1, le=3650)
    next_maintenance_on: date | None = None


class UpdateAsset(Input):
    id: uuid.UUID
    name: Name | None = None
    category: Trimmed | None = Field(default=None, min_length=1, max_length=100)
    manufacturer: Trimmed | None = Field(default=None, max_length=200)
    model: Trimmed | None = Field(default=None, max_length=200)
    serial_number: Trimmed | None = Field(default=None, max_length=200)
    warranty_expires_on: date | None = None
    warranty_terms: Text | None = None
    maintenance_frequency_days: int | None = Field(default=None, ge=1, le=3650)
    next_maintenance_on: date | None = None


class AssetOut(Record):
    association_id: uuid.UUID
    unit_id: uuid.UUID | None
    common_area_id: uuid.UUID | None
    name: str
    category: str
    manufacturer: str | None
    model: str | None
    serial_number: str | None
    installed_on: date | None
    warranty_expires_on: date | None
    warranty_terms: str | None
    warranty_active: bool
    maintenance_frequency_days: int | None
    next_maintenance_on: date | None


class ListAssets(PageRequest):
    association_id: uuid.UUID | None = None
    category: str | None = None
    maintenance_due_by: date | None = Field(default=None, description="Only assets due for maintenance by then.")


class LogMaintenance(Input):
    asset_id: uuid.UUID
    performed_on: date
    description: Trimmed = Field(min_length=1, max_length=2000)
    cost: Money | None = None
    performed_by: Trimmed | None = Field(default=None, max_length=200)
    work_order_id: uuid.UUID | None = None


class MaintenanceOut(Record):
    asset_id: uuid.UUID
    performed_on: date
    description: str
    cost: Decimal | None
    performed_by: str | None
    work_order_id: uuid.UUID | None


class MaintenanceHistoryIn(Input):
    asset_id: uuid.UUID


class MaintenanceHistoryOut(BaseModel):
    items: list[MaintenanceOut]
    next_maintenance_on: date | None


# --- service providers -----------------------------------------------------------------------------------


class IssueOut(BaseModel):
    code: str = Field(
        description="LICENSE_EXPIRED, INSURANCE_EXPIRED, WORKERS_COMP_EXPIRED, INSURANCE_MISSING, "
        "INSURANCE_BELOW_MINIMUM, LICENSE_MISSING."
    )
    message: str
    document: str | None
    expires_on: date | None


class GetCompliance(Input):
    association_id: uuid.UUID
    provider_organization_id: uuid.UUID


class ComplianceOut(BaseModel):
    """What an association sees of a linked provider: its compliance status, not its documents."""

    provider_organization_id: uuid.UUID
    provider_name: str
    status: Literal["COMPLIANT", "NON_COMPLIANT"]
    on: date
    issues: list[IssueOut] = Field(
        description="The provider's own issues, then the association's requirements it misses."
    )


class RequirementsIn(Input):
    association_id: uuid.UUID
    min_general_liability_per_occurrence: PositiveMoney | None = None
    min_general_liability_aggregate: PositiveMoney | None = None
    min_auto_per_occurrence: PositiveMoney | None = None
    require_workers_compensation: bool = False
    require_license: bool = False


class RequirementsOf(Input):
    association_id: uuid.UUID


class RequirementsOut(BaseModel):
    association_id: uuid.UUID
    min_general_liability_per_occurrence: Decimal | None
    min_general_liability_aggregate: Decimal | None
    min_auto_per_occurrence: Decimal | None
    require_workers_compensation: bool
    require_license: bool


class LinkProvider(Input):
    association_id: uuid.UUID
    provider_organization_id: uuid.UUID
    provider_name: Name
    preferred: bool = False
    approval_status: Literal["PENDING", "APPROVED", "SUSPENDED"] = "APPROVED"


class UpdateLink(Input):
    id: uuid.UUID
    preferred: bool | None = None
    approval_status: Literal["PENDING", "APPROVED", "SUSPENDED"] | None = None
    rating: Decimal | None = Field(default=None, ge=0, le=5, decimal_places=2)


class LinkOut(Record):
    association_id: uuid.UUID
    provider_organization_id: uuid.UUID
    provider_name: str
    preferred: bool
    approval_status: str
    rating: Decimal | None
    review_count: int
    vendor_id: uuid.UUID | None


class ListLinks(PageRequest):
    association_id: uuid.UUID | None = None


# --- work orders -----------------------------------------------------------------------------------------


class CreateWorkOrder(Input):
    association_id: uuid.UUID
    title: Name
    description: Trimmed = Field(min_length=1, max_length=5000)
    priority: Priority = "MEDIUM"
    category: Trimmed = Field(default="GENERAL", min_length=1, max_length=100)
    unit_id: uuid.UUID | None = None
    common_area_id: uuid.UUID | None = None
    asset_id: uuid.UUID | None = None
    reserve_component_id: uuid.UUID | None = Field(
        default=None,
        description="The reserve component this work replaces: completing it resets the component's remaining life, "
        "and its invoice is paid from the reserve fund.",
    )
    estimated_cost: Money | None = None
    submit: bool = Field(default=False, description="Submit at once (starts the lifecycle and its SLA clock).")


class WorkOrderOut(Record):
    association_id: uuid.UUID
    number: str = Field(description="WO-000001, per organization.")
    requestor_user_id: uuid.UUID | None
    unit_id: uuid.UUID | None
    common_area_id: uuid.UUID | None
    asset_id: uuid.UUID | None
    reserve_component_id: uuid.UUID | None
    title: str
    description: str
    priority: Priority
    category: str
    status: Status
    assigned_provider_org_id: uuid.UUID | None
    assigned_vendor_id: uuid.UUID | None
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    submitted_at: datetime | None
    sla_due_at: datetime | None
    sla_breached: bool
    completed_at: datetime | None
    completion_notes: str | None
    estimated_cost: Decimal | None
    actual_cost: Decimal | None
    ap_invoice_id: uuid.UUID | None
    owner_request_id: uuid.UUID | None = Field(
        default=None, description="The owner request (`portal/request/v1`) this work order was made from."
    )
    violation_id: uuid.UUID | None = Field(default=None, description="The violation this work order remediates.")
    arc_request_id: uuid.UUID | None = Field(
        default=None, description="The approved ARC request this work order inspects or carries out."
    )
    origin_kind: OriginKind | None = Field(
        default=None, description="REMEDIATION (of a violation), INSPECTION or INSTALLATION (of an ARC request)."
    )
    origin_reference: str | None = Field(default=None, description="The originating record's number: VIO-…, ARC-….")
    unit_number: str | None = Field(default=None, description="The unit's number as it is now.")
    common_area_name: str | None = Field(default=None, description="The common area's name as it is now.")
    provider_name: str | None = Field(
        default=None, description="The assigned provider's name as the association's link to it has it now."
    )


class ProviderWorkOrderOut(BaseModel):
    """What a service provider sees of an association's work order: the job, not the association's books."""

    id: uuid.UUID
    number: str
    association_organization_id: uuid.UUID
    title: str
    description: str
    priority: Priority
    category: str
    status: Status
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    sla_due_at: datetime | None
    assigned_to_me: bool
    my_bid_status: BidStatus | None


class ListWorkOrders(PageRequest):
    association_id: uuid.UUID | None = None
    status: Status | None = None
    priority: Priority | None = None
    unit_id: uuid.UUID | None = None
    violation_id: uuid.UUID | None = Field(default=None, description="Only the work ordered for this violation.")
    arc_request_id: uuid.UUID | None = Field(default=None, description="Only the work ordered for this ARC request.")


class ListForProvider(PageRequest):
    pass


class UpdateStatus(Input):
    id: uuid.UUID
    status: Status
    note: Trimmed | None = Field(default=None, max_length=2000)


class AssignVendor(Input):
    id: uuid.UUID
    provider_organization_id: uuid.UUID
    note: Trimmed | None = Field(default=None, max_length=2000)


class Schedule(Input):
    id: uuid.UUID
    scheduled_start: datetime
    scheduled_end: datetime
    note: Trimmed | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _window(self) -> Schedule:
        if self.scheduled_end <= self.scheduled_start:
            raise ValueError("scheduled_end must be after scheduled_start")
        return self


class Complete(Input):
    id: uuid.UUID
    completion_notes: Trimmed = Field(min_length=1, max_length=5000)
    actual_cost: Money | None = None


class InvoiceLine(Input):
    description: Trimmed = Field(min_length=1, max_length=500)
    amount: PositiveMoney
    gl_account_id: uuid.UUID | None = None


class CreateWorkOrderInvoice(Input):
    id: uuid.UUID
    invoice_number: Trimmed = Field(min_length=1, max_length=60)
    amount: PositiveMoney
    invoice_date: date
    due_date: date | None = None
    lines: list[InvoiceLine] | None = Field(default=None, max_length=100)
    gl_account_id: uuid.UUID | None = Field(default=None, description="Defaults to Repairs and Maintenance.")


class AddComment(Input):
    id: uuid.UUID
    body: Trimmed = Field(min_length=1, max_length=5000)
    internal: bool = Field(default=False, description="Visible to managers only.")


class CommentOut(Record):
    work_order_id: uuid.UUID
    author_user_id: uuid.UUID | None
    body: str
    internal: bool


class CommentsOut(BaseModel):
    items: list[CommentOut]


class AddAttachment(Input):
    id: uuid.UUID
    file_name: Trimmed = Field(min_length=1, max_length=255, pattern=r"^[^/\\\\]+$")
    content_type: str = Field(
        pattern=r"^[a-z]+/[a-z0-9.+-]+$", description="Informative: the stored type is read from the bytes."
    )
    content_base64: Trimmed = Field(min_length=1, max_length=7_000_000, description="At most 5 MB once decoded.")


class AttachmentRef(Input):
    id: uuid.UUID = Field(description="The work order.")
    attachment_id: uuid.UUID


class AttachmentOut(Record):
    work_order_id: uuid.UUID
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by: uuid.UUID | None


class AttachmentsOut(BaseModel):
    items: list[AttachmentOut]


class StatusChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: str | None
    to_status: str
    actor_user_id: uuid.UUID | None
    note: str | None
    created_at: datetime


class StatusHistoryOut(BaseModel):
    items: list[StatusChangeOut]


# --- bids ------------------------------------------------------------------------------------------------


class RequestBids(Input):
    work_order_id: uuid.UUID
    provider_organization_ids: list[uuid.UUID] = Field(min_length=1, max_length=20)


class SubmitBid(Input):
    bid_id: uuid.UUID
    amount: PositiveMoney
    scope: Trimmed = Field(min_length=1, max_length=5000)
    valid_until: date | None = None


class BidById(Input):
    bid_id: uuid.UUID


class BidOut(Record):
    work_order_id: uuid.UUID
    provider_organization_id: uuid.UUID
    provider_name: str
    status: BidStatus
    amount: Decimal | None
    scope: str | None
    valid_until: date | None
    requested_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None


class ListBids(PageRequest):
    work_order_id: uuid.UUID | None = Field(
        default=None,
        description="An association's bids on one work order; without it a provider lists the bids it was invited to.",
    )
    status: BidStatus | None = None


class BidsOut(BaseModel):
    items: list[BidOut]
    next_cursor: str | None


# --- vendor assignment (vendorAssignment_v1) -------------------------------------------------------------

ExclusionCode = Literal[
    "NOT_APPROVED",
    "NO_PROFILE",
    "CATEGORY_NOT_OFFERED",
    "OUT_OF_SERVICE_AREA",
    "LICENSE_MISSING",
    "LICENSE_EXPIRED",
    "INSURANCE_MISSING",
    "INSURANCE_EXPIRED",
    "WORKERS_COMP_EXPIRED",
    "INSURANCE_BELOW_MINIMUM",
    "NOT_COMPLIANT",
]
AssignmentStatus = Literal["NOT_STARTED", "RUNNING", "COMPLETED", "STOPPED"]
AssignmentStep = Literal[
    "STARTED", "REQUESTED", "REMINDED", "ANSWERED", "DECLINED", "EXPIRED", "NEXT_ROUND", "NO_MATCHES", "COMPLETED",
    "STOPPED",
]  # fmt: skip


class WorkOrderAssignmentIn(Input):
    work_order_id: uuid.UUID


class StartVendorAssignment(Input):
    work_order_id: uuid.UUID
    providers: int = Field(default=3, ge=1, le=10, description="How many bids are wanted (providers asked at once).")
    response_hours: int = Field(
        default=48, ge=1, le=336, description="How long providers have to answer; reminded at half of it."
    )


class MatchOut(BaseModel):
    rank: int = Field(description="1 is the best match.")
    provider_organization_id: uuid.UUID
    provider_name: str
    preferred: bool
    rating: Decimal | None
    review_count: int
    bid_status: BidStatus | None = Field(description="The provider's bid on the work order, if it was asked already.")


class ExclusionReasonOut(BaseModel):
    code: ExclusionCode
    message: str


class ExcludedOut(BaseModel):
    provider_organization_id: uuid.UUID
    provider_name: str
    reasons: list[ExclusionReasonOut]


class MatchesOut(BaseModel):
    work_order_id: uuid.UUID
    category: str
    postal_codes: list[str] = Field(description="Where the job is: a provider must serve one of them.")
    on: date = Field(description="The day the documents were checked for.")
    matches: list[MatchOut]
    excluded: list[ExcludedOut]


class AssignmentRequestOut(BaseModel):
    provider_organization_id: uuid.UUID
    provider_name: str
    bid_id: uuid.UUID
    bid_status: BidStatus
    round: int
    rank: int
    requested_at: datetime
    remind_at: datetime
    due_at: datetime
    reminded_at: datetime | None
    expired_at: datetime | None
    answered_at: datetime | None = Field(description="When the provider priced the work, if it did.")


class AssignmentStepOut(BaseModel):
    at: datetime
    step: AssignmentStep
    round: int | None = None
    provider_organization_id: uuid.UUID | None = None
    provider_name: str | None = None
    note: str | None = None


class VendorAssignmentOut(BaseModel):
    """A work order's `vendorAssignment_v1` run (NOT_STARTED, with no id, for a work order never put out to bid by
    it)."""

    work_order_id: uuid.UUID
    id: uuid.UUID | None = None
    status: AssignmentStatus
    trigger: Literal["MANUAL", "EMERGENCY"] | None = None
    wanted: int | None = None
    response_hours: int | None = None
    round: int = 0
    round_deadline_at: datetime | None = None
    next_round_at: datetime | None = None
    answered: int = Field(default=0, description="How many of the providers asked have priced the work.")
    outcome: str | None = None
    started_by: uuid.UUID | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    workflow_id: str | None = None
    requests: list[AssignmentRequestOut] = Field(default_factory=list)
    steps: list[AssignmentStepOut] = Field(default_factory=list)
