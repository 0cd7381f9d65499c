"""Inputs and outputs of `contractor/profile/v1/*`, `contractor/branch/v1/*`, `contractor/license/v1/*`,
`contractor/insurance/v1/*` and `contractor/compliance/v1/*`."""

from __future__ import annotations

import uuid
from datetime import date, time
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Name, PositiveMoney, Record, Text, Trimmed
from hestami.identity.schemas import Email

InsuranceKind = Literal["GENERAL_LIABILITY", "WORKERS_COMPENSATION", "AUTO", "UMBRELLA", "PROFESSIONAL"]
Weekday = Literal["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
Trade = Annotated[Trimmed, Field(min_length=1, max_length=60, pattern=r"^[A-Za-z][A-Za-z0-9_ /&-]*$")]
ZipCode = Annotated[str, Field(pattern=r"^[0-9]{5}$")]
Phone = Annotated[Trimmed, Field(min_length=7, max_length=30, pattern=r"^[0-9+()\-. x]+$")]
Short = Annotated[Trimmed, Field(min_length=1, max_length=200)]


class Hours(Input):
    """Open from `opens` to `closes` (local time) on a weekday."""

    opens: time
    closes: time

    @model_validator(mode="after")
    def _ordered(self) -> Hours:
        if self.closes <= self.opens:
            raise ValueError("closes must be after opens")
        return self


OperatingHours = dict[Weekday, Hours]


class ProfileFields(Input):
    legal_name: Name
    dba: Name | None = None
    trades: list[Trade] = Field(default_factory=list, max_length=30)
    service_zip_codes: list[ZipCode] = Field(default_factory=list, max_length=500)
    service_radius_miles: int | None = Field(default=None, ge=0, le=500)
    operating_hours: OperatingHours = Field(default_factory=dict)
    description: Text | None = None
    contact_name: Name | None = None
    contact_email: Email | None = None
    contact_phone: Phone | None = None
    website: Short | None = None
    address: Short | None = None


class UpsertProfile(ProfileFields):
    """The caller's organization describes itself (a SERVICE_PROVIDER on the platform, or an
    EXTERNAL_SERVICE_PROVIDER kept as contact fields)."""


class ProfileOut(Record):
    legal_name: str
    dba: str | None
    external: bool
    trades: list[str]
    service_zip_codes: list[str]
    service_radius_miles: int | None
    operating_hours: dict[str, Hours]
    description: str | None
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    website: str | None
    address: str | None
    compliance_status: str
    compliance_since: date | None


class BranchFields(Input):
    name: Name
    code: Annotated[Trimmed, Field(min_length=1, max_length=20)] | None = None
    address: Short | None = None
    city: Annotated[Trimmed, Field(min_length=1, max_length=100)] | None = None
    state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    zip_code: ZipCode | None = None
    phone: Phone | None = None
    primary_branch: bool = False
    service_zip_codes: list[ZipCode] = Field(default_factory=list, max_length=500)
    operating_hours: OperatingHours = Field(default_factory=dict)


class CreateBranch(BranchFields):
    pass


class UpdateBranch(Input):
    id: uuid.UUID
    name: Name | None = None
    code: Annotated[Trimmed, Field(min_length=1, max_length=20)] | None = None
    address: Short | None = None
    city: Annotated[Trimmed, Field(min_length=1, max_length=100)] | None = None
    state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    zip_code: ZipCode | None = None
    phone: Phone | None = None
    primary_branch: bool | None = None
    service_zip_codes: list[ZipCode] | None = Field(default=None, max_length=500)
    operating_hours: OperatingHours | None = None


class BranchOut(Record):
    name: str
    code: str | None
    address: str | None
    city: str | None
    state: str | None
    zip_code: str | None
    phone: str | None
    primary_branch: bool
    service_zip_codes: list[str]
    operating_hours: dict[str, Hours]
    status: str


class ListBranches(PageRequest):
    status: Literal["ACTIVE", "CLOSED"] | None = None


class LicenseFields(Input):
    trade: Trade
    jurisdiction: Annotated[Trimmed, Field(min_length=2, max_length=100)] = Field(
        description="Who issued it: a state (TX), a county or a city."
    )
    license_number: Annotated[Trimmed, Field(min_length=1, max_length=100)]
    classification: Short | None = None
    issued_on: date | None = None
    expires_on: date
    document_id: uuid.UUID | None = Field(default=None, description="The licence's scan, a document of the caller.")

    @model_validator(mode="after")
    def _dates(self) -> LicenseFields:
        if self.issued_on is not None and self.issued_on > self.expires_on:
            raise ValueError("issued_on must not be after expires_on")
        return self


class AddLicense(LicenseFields):
    pass


class UpdateLicense(LicenseFields):
    id: uuid.UUID


class LicenseOut(Record):
    trade: str
    jurisdiction: str
    license_number: str
    classification: str | None
    issued_on: date | None
    expires_on: date
    document_id: uuid.UUID | None
    holds_today: bool


class InsuranceFields(Input):
    kind: InsuranceKind
    carrier: Short
    policy_number: Annotated[Trimmed, Field(min_length=1, max_length=100)]
    per_occurrence_limit: PositiveMoney | None = None
    aggregate_limit: PositiveMoney | None = None
    effective_on: date | None = None
    expires_on: date
    certificate_document_id: uuid.UUID | None = Field(
        default=None, description="The certificate of insurance, a document of the caller."
    )

    @model_validator(mode="after")
    def _dates(self) -> InsuranceFields:
        if self.effective_on is not None and self.effective_on > self.expires_on:
            raise ValueError("effective_on must not be after expires_on")
        if (
            self.per_occurrence_limit is not None
            and self.aggregate_limit is not None
            and self.aggregate_limit < self.per_occurrence_limit
        ):
            raise ValueError("aggregate_limit must not be below per_occurrence_limit")
        return self


class AddInsurance(InsuranceFields):
    pass


class UpdateInsurance(InsuranceFields):
    id: uuid.UUID


class InsuranceOut(Record):
    kind: str
    carrier: str
    policy_number: str
    per_occurrence_limit: Decimal | None
    aggregate_limit: Decimal | None
    effective_on: date | None
    expires_on: date
    certificate_document_id: uuid.UUID | None
    holds_today: bool


class ListDocuments(PageRequest):
    pass


class IssueOut(BaseModel):
    code: str
    message: str
    document: str | None
    expires_on: date | None


class ExpiringOut(BaseModel):
    document_id: uuid.UUID
    kind: str
    label: str
    expires_on: date
    days_left: int


class ComplianceOut(BaseModel):
    """The contractor's compliance computed now from its documents, and what the daily check last recorded."""

    organization_id: uuid.UUID
    status: Literal["COMPLIANT", "NON_COMPLIANT"]
    on: date
    issues: list[IssueOut]
    expiring: list[ExpiringOut] = Field(description="Documents that expire within 30 days.")
    recorded_status: str
    recorded_since: date | None
    checked_on: date | None


class CheckStarted(BaseModel):
    workflow_id: str


class Empty(Input):
    pass
