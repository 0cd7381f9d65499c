"""Inputs and outputs of domain 1's procedures. Money and shares are decimal strings on the wire."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Money, Name, Percentage, Record, Text, Trimmed
from hestami.core.schemas import Removed as Removed

AssociationStatus = Literal["ONBOARDING", "ACTIVE", "SUSPENDED", "TERMINATED"]
PropertyType = Literal["SINGLE_FAMILY", "CONDOMINIUM", "TOWNHOME", "MIXED_USE", "COMMERCIAL", "OTHER"]
UnitType = Literal["SINGLE_FAMILY", "CONDO", "TOWNHOUSE", "LOT", "COMMERCIAL", "OTHER"]
AreaType = Literal[
    "POOL", "CLUBHOUSE", "PARK", "GATE", "FITNESS_CENTER", "TENNIS_COURT", "PLAYGROUND", "PARKING", "OTHER"
]
PartyType = Literal["INDIVIDUAL", "ORGANIZATION"]
OwnershipType = Literal["FEE_SIMPLE", "JOINT_TENANCY", "TENANCY_IN_COMMON", "TRUST", "LLC", "OTHER"]
LateFeeType = Literal["NONE", "FIXED", "PERCENT"]
FeeBasis = Literal["FLAT_MONTHLY", "PER_UNIT_MONTHLY"]
AssignmentType = Literal["COMMUNITY", "PORTFOLIO", "ASSISTANT"]

# --- addresses -------------------------------------------------------------------------------------------


class AddressIn(Input):
    line1: Trimmed = Field(min_length=1, max_length=200)
    line2: Trimmed | None = Field(default=None, max_length=200)
    city: Trimmed = Field(min_length=1, max_length=100)
    state: Trimmed = Field(min_length=2, max_length=50)
    postal_code: Trimmed = Field(min_length=3, max_length=20)
    country: Trimmed = Field(default="US", min_length=2, max_length=2)

    def columns(self) -> dict[str, str | None]:
        return {
            "address_line1": self.line1,
            "address_line2": self.line2,
            "city": self.city,
            "state": self.state,
            "postal_code": self.postal_code,
            "country": self.country,
        }


class AddressOut(BaseModel):
    line1: str | None
    line2: str | None
    city: str | None
    state: str | None
    postal_code: str | None
    country: str


def address_of(record: object) -> AddressOut:
    return AddressOut(
        line1=getattr(record, "address_line1", None),
        line2=getattr(record, "address_line2", None),
        city=getattr(record, "city", None),
        state=getattr(record, "state", None),
        postal_code=getattr(record, "postal_code", None),
        country=getattr(record, "country", "US"),
    )


# --- associations ----------------------------------------------------------------------------------------


class GoverningDocument(Input):
    title: Trimmed = Field(min_length=1, max_length=200)
    kind: Literal["DECLARATION", "BYLAWS", "ARTICLES", "RULES", "AMENDMENT", "OTHER"] = "OTHER"
    reference: Trimmed | None = Field(default=None, max_length=500, description="Recording number or document link.")
    recorded_on: date | None = None


class AssociationSettings(Input):
    fiscal_year_start_month: int = Field(default=1, ge=1, le=12)
    timezone: Trimmed = Field(default="America/New_York", min_length=1, max_length=64)
    late_fee_type: LateFeeType = "NONE"
    late_fee_amount: Money | None = None
    late_fee_percent: Percentage | None = None
    late_fee_grace_days: int = Field(default=15, ge=0, le=120)

    @model_validator(mode="after")
    def _late_fee_complete(self) -> AssociationSettings:
        if self.late_fee_type == "FIXED" and self.late_fee_amount is None:
            raise ValueError("a FIXED late fee needs late_fee_amount")
        if self.late_fee_type == "PERCENT" and self.late_fee_percent is None:
            raise ValueError("a PERCENT late fee needs late_fee_percent")
        return self


Priority = Literal["LOW", "MEDIUM", "HIGH", "EMERGENCY"]
SlaHours = dict[Priority, Annotated[Decimal, Field(gt=0, le=8760, decimal_places=4)]]


class CreateAssociation(AssociationSettings):
    name: Name
    legal_name: Name | None = None
    governing_documents: list[GoverningDocument] = Field(default_factory=list, max_length=50)
    work_order_sla_hours: SlaHours = Field(
        default_factory=dict,
        description="Work-order SLA per priority, overriding EMERGENCY 4, HIGH 24, MEDIUM 72, LOW 168.",
    )


class UpdateAssociation(Input):
    id: uuid.UUID
    name: Name | None = None
    legal_name: Name | None = None
    fiscal_year_start_month: int | None = Field(default=None, ge=1, le=12)
    timezone: Trimmed | None = Field(default=None, min_length=1, max_length=64)
    late_fee_type: LateFeeType | None = None
    late_fee_amount: Money | None = None
    late_fee_percent: Percentage | None = None
    late_fee_grace_days: int | None = Field(default=None, ge=0, le=120)
    governing_documents: list[GoverningDocument] | None = Field(default=None, max_length=50)
    work_order_sla_hours: SlaHours | None = None


class ChangeAssociationStatus(Input):
    id: uuid.UUID
    status: AssociationStatus
    note: Text | None = None


class AssociationOut(Record):
    name: str
    legal_name: str | None
    status: AssociationStatus
    fiscal_year_start_month: int
    timezone: str
    late_fee_type: LateFeeType
    late_fee_amount: Decimal | None
    late_fee_percent: Decimal | None
    late_fee_grace_days: int
    governing_documents: list[GoverningDocument]
    work_order_sla_hours: dict[str, Decimal]


class ListAssociations(PageRequest):
    status: AssociationStatus | None = None


# --- properties and units --------------------------------------------------------------------------------


class CreateProperty(Input):
    association_id: uuid.UUID
    name: Name
    property_type: PropertyType = "SINGLE_FAMILY"
    address: AddressIn
    latitude: Decimal | None = Field(default=None, ge=-90, le=90, decimal_places=6)
    longitude: Decimal | None = Field(default=None, ge=-180, le=180, decimal_places=6)
    year_built: int | None = Field(default=None, ge=1700, le=2100)
    total_units: int | None = Field(default=None, ge=0, le=100_000)


class UpdateProperty(Input):
    id: uuid.UUID
    name: Name | None = None
    property_type: PropertyType | None = None
    address: AddressIn | None = None
    latitude: Decimal | None = Field(default=None, ge=-90, le=90, decimal_places=6)
    longitude: Decimal | None = Field(default=None, ge=-180, le=180, decimal_places=6)
    year_built: int | None = Field(default=None, ge=1700, le=2100)
    total_units: int | None = Field(default=None, ge=0, le=100_000)


class PropertyOut(Record):
    association_id: uuid.UUID
    name: str
    property_type: PropertyType
    address: AddressOut
    latitude: Decimal | None
    longitude: Decimal | None
    year_built: int | None
    total_units: int | None


class ListProperties(PageRequest):
    association_id: uuid.UUID | None = None


class CreateUnit(Input):
    property_id: uuid.UUID
    unit_number: Trimmed = Field(min_length=1, max_length=30)
    unit_type: UnitType
    address: AddressIn | None = None
    square_feet: int | None = Field(default=None, ge=0, le=1_000_000)
    bedrooms: int | None = Field(default=None, ge=0, le=50)
    bathrooms: Decimal | None = Field(default=None, ge=0, le=50, decimal_places=1)
    voting_weight: Decimal = Field(default=Decimal(1), ge=0, max_digits=9, decimal_places=4)
    assessment_share: Decimal | None = Field(default=None, ge=0, le=1, max_digits=9, decimal_places=6)


class UpdateUnit(Input):
    id: uuid.UUID
    unit_number: Trimmed | None = Field(default=None, min_length=1, max_length=30)
    unit_type: UnitType | None = None
    address: AddressIn | None = None
    square_feet: int | None = Field(default=None, ge=0, le=1_000_000)
    bedrooms: int | None = Field(default=None, ge=0, le=50)
    bathrooms: Decimal | None = Field(default=None, ge=0, le=50, decimal_places=1)
    voting_weight: Decimal | None = Field(default=None, ge=0, max_digits=9, decimal_places=4)
    assessment_share: Decimal | None = Field(default=None, ge=0, le=1, max_digits=9, decimal_places=6)


class UnitOut(Record):
    association_id: uuid.UUID
    property_id: uuid.UUID
    unit_number: str
    unit_type: UnitType
    address: AddressOut
    square_feet: int | None
    bedrooms: int | None
    bathrooms: Decimal | None
    voting_weight: Decimal
    assessment_share: Decimal | None
    owner_names: list[str] = Field(
        default_factory=list,
        description="The names of the unit's owners of record today that the caller may see (their ownerships' "
        "policy), by name, as they are now.",
    )


class ListUnits(PageRequest):
    association_id: uuid.UUID | None = None
    property_id: uuid.UUID | None = None


# --- common areas and reservations -----------------------------------------------------------------------


class CreateCommonArea(Input):
    association_id: uuid.UUID
    property_id: uuid.UUID | None = None
    name: Name
    area_type: AreaType
    capacity: int | None = Field(default=None, ge=0, le=100_000)
    reservable: bool = False
    rules: Text | None = None


class UpdateCommonArea(Input):
    id: uuid.UUID
    name: Name | None = None
    area_type: AreaType | None = None
    capacity: int | None = Field(default=None, ge=0, le=100_000)
    reservable: bool | None = None
    rules: Text | None = None


class CommonAreaOut(Record):
    association_id: uuid.UUID
    property_id: uuid.UUID | None
    name: str
    area_type: AreaType
    capacity: int | None
    reservable: bool
    rules: str | None


class ListCommonAreas(PageRequest):
    association_id: uuid.UUID | None = None


class Reserve(Input):
    common_area_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    unit_id: uuid.UUID | None = None
    purpose: Trimmed | None = Field(default=None, max_length=500)
    guest_count: int | None = Field(default=None, ge=0, le=10_000)

    @model_validator(mode="after")
    def _period(self) -> Reserve:
        if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
            raise ValueError("starts_at and ends_at need a time zone offset")
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class ReservationOut(Record):
    common_area_id: uuid.UUID
    reserved_by_user_id: uuid.UUID
    unit_id: uuid.UUID | None
    starts_at: datetime
    ends_at: datetime
    status: Literal["CONFIRMED", "CANCELLED"]
    purpose: str | None
    guest_count: int | None


class ListReservations(PageRequest):
    common_area_id: uuid.UUID | None = None
    from_time: datetime | None = None


# --- parties ---------------------------------------------------------------------------------------------


class CreateParty(Input):
    party_type: PartyType
    first_name: Name | None = None
    last_name: Name | None = None
    organization_name: Name | None = None
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: Trimmed | None = Field(default=None, max_length=40)
    mailing_address: AddressIn | None = None
    user_id: uuid.UUID | None = Field(default=None, description="The platform user this person is, if any.")
    notes: Text | None = None

    @model_validator(mode="after")
    def _named(self) -> CreateParty:
        if self.party_type == "INDIVIDUAL" and not self.last_name:
            raise ValueError("an INDIVIDUAL needs last_name")
        if self.party_type == "ORGANIZATION" and not self.organization_name:
            raise ValueError("an ORGANIZATION needs organization_name")
        return self


class UpdateParty(Input):
    id: uuid.UUID
    first_name: Name | None = None
    last_name: Name | None = None
    organization_name: Name | None = None
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: Trimmed | None = Field(default=None, max_length=40)
    mailing_address: AddressIn | None = None
    user_id: uuid.UUID | None = None
    notes: Text | None = None


class PartyOut(Record):
    party_type: PartyType
    display_name: str
    first_name: str | None
    last_name: str | None
    organization_name: str | None
    email: str | None
    phone: str | None
    mailing_address: AddressOut
    user_id: uuid.UUID | None
    notes: str | None


class ListParties(PageRequest):
    search: str | None = Field(default=None, max_length=100, description="Part of a name or email.")


# --- ownership and tenancy -------------------------------------------------------------------------------


class CreateOwnership(Input):
    unit_id: uuid.UUID
    party_id: uuid.UUID
    percentage: Percentage
    start_date: date
    end_date: date | None = None
    ownership_type: OwnershipType = "FEE_SIMPLE"
    is_primary_contact: bool = False


class EndOwnership(Input):
    id: uuid.UUID
    end_date: date


class OwnershipOut(Record):
    unit_id: uuid.UUID
    party_id: uuid.UUID
    party_name: str
    ownership_type: OwnershipType
    percentage: Decimal
    start_date: date
    end_date: date | None
    is_primary_contact: bool
    current: bool


class ListByUnit(Input):
    unit_id: uuid.UUID
    include_history: bool = Field(default=False, description="Also ended and future records.")
    as_of: date | None = Field(default=None, description="Defaults to today.")


class OwnershipsOut(BaseModel):
    items: list[OwnershipOut]


class CreateTenancy(Input):
    unit_id: uuid.UUID
    party_id: uuid.UUID
    start_date: date
    end_date: date | None = None
    monthly_rent: Money | None = None
    notes: Text | None = None


class EndTenancy(Input):
    id: uuid.UUID
    end_date: date


class TenancyOut(Record):
    unit_id: uuid.UUID
    party_id: uuid.UUID
    party_name: str
    start_date: date
    end_date: date | None
    monthly_rent: Decimal | None
    notes: str | None
    current: bool


class TenanciesOut(BaseModel):
    items: list[TenancyOut]


# --- management ------------------------------------------------------------------------------------------


class ServiceLevel(Input):
    name: Trimmed = Field(min_length=1, max_length=200, description="e.g. 'Respond to owner email'.")
    target: Trimmed = Field(min_length=1, max_length=200, description="e.g. '2 business days'.")


class CreateManagementContract(Input):
    association_id: uuid.UUID
    management_company_name: Name
    management_organization_id: uuid.UUID | None = None
    start_date: date
    end_date: date | None = None
    fee_basis: FeeBasis
    fee_amount: Money
    service_levels: list[ServiceLevel] = Field(default_factory=list, max_length=50)
    notes: Text | None = None


class UpdateManagementContract(Input):
    id: uuid.UUID
    end_date: date | None = None
    fee_basis: FeeBasis | None = None
    fee_amount: Money | None = None
    service_levels: list[ServiceLevel] | None = Field(default=None, max_length=50)
    notes: Text | None = None


class TerminateManagementContract(Input):
    id: uuid.UUID
    terminated_on: date


class ManagementContractOut(Record):
    association_id: uuid.UUID
    management_company_name: str
    management_organization_id: uuid.UUID | None
    start_date: date
    end_date: date | None
    fee_basis: FeeBasis
    fee_amount: Decimal
    service_levels: list[ServiceLevel]
    status: Literal["ACTIVE", "TERMINATED"]
    terminated_on: date | None
    notes: str | None


class ListByAssociation(PageRequest):
    association_id: uuid.UUID | None = None


class AssignManager(Input):
    association_id: uuid.UUID
    user_id: uuid.UUID
    assignment_type: AssignmentType
    max_units: int = Field(ge=1, le=100_000)
    start_date: date


class EndManagerAssignment(Input):
    id: uuid.UUID
    end_date: date


class ManagerAssignmentOut(Record):
    association_id: uuid.UUID
    user_id: uuid.UUID
    assignment_type: AssignmentType
    max_units: int
    start_date: date
    end_date: date | None
    units_managed: int = Field(description="Units across this manager's current assignments.")


class ListManagerAssignments(PageRequest):
    association_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
