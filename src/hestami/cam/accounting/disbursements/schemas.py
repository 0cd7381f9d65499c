"""Inputs and outputs of the disbursements' procedures. Money is a decimal string on the wire ("1250.00")."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Money, Name, Record, Text

BatchStatus = Literal["OPEN", "PROCESSING", "COMPLETED", "CANCELLED"]
Method = Literal["ACH", "CHECK"]
AccountType = Literal["CHECKING", "SAVINGS"]
Routing = Annotated[str, Field(pattern=r"^[0-9]{9}$", description="A nine-digit ABA routing number.")]


class ByAssociation(Input):
    association_id: uuid.UUID


class ApprovalSettingsOut(BaseModel):
    association_id: uuid.UUID
    manager_limit: Decimal = Field(description="A manager approves invoices up to this amount.")
    dual_approval_threshold: Decimal | None = Field(
        description="Above this amount two distinct board members must approve (none: one board member)."
    )
    customized: bool = Field(description="False while the defaults apply.")


class UpdateApprovalSettings(Input):
    association_id: uuid.UUID
    manager_limit: Money
    dual_approval_threshold: Money | None = None

    @model_validator(mode="after")
    def _ordered(self) -> UpdateApprovalSettings:
        if self.dual_approval_threshold is not None and self.dual_approval_threshold < self.manager_limit:
            raise ValueError("dual_approval_threshold may not be below manager_limit")
        return self


class ApprovalOut(BaseModel):
    approver_user_id: uuid.UUID
    approver_name: str | None = Field(
        default=None, description="The approver's name (their email when they gave none), as it is now."
    )
    role: str
    amount: Decimal
    resulting_status: str
    approved_at: datetime


class ApprovalHistoryOut(BaseModel):
    invoice_id: uuid.UUID
    status: str
    amount: Decimal
    board_approvals_needed: int = Field(description="Distinct board members who must approve this amount.")
    board_approvals: int
    awaiting: Literal["BOARD_MEMBER", "MANAGER_OR_BOARD", "NOTHING"] = Field(
        description="Who may move the invoice on: a board member (PENDING_BOARD), anyone who approves, or nobody."
    )
    approvals: list[ApprovalOut]


class SetVendorBank(Input):
    vendor_id: uuid.UUID
    routing_number: Routing
    account_number: str = Field(pattern=r"^[0-9]{4,17}$", description="4 to 17 digits; answered masked.")
    account_type: AccountType = "CHECKING"


class VendorBankOut(BaseModel):
    vendor_id: uuid.UUID
    routing_number: str
    account_number_masked: str
    account_type: str
    updated_at: datetime


class VendorRef(Input):
    vendor_id: uuid.UUID


class SetPaymentProfile(Input):
    bank_account_id: uuid.UUID
    routing_number: Routing = Field(description="The bank's routing number (the ODFI the NACHA file goes to).")
    company_name: Name = Field(max_length=16, description="The company name on NACHA batches (16 characters).")
    company_identification: str = Field(
        pattern=r"^[A-Za-z0-9 ]{10}$", description='Ten characters, usually "1" and the association\'s EIN.'
    )
    next_check_number: int = Field(default=1001, ge=1, le=99_999_999)


class PaymentProfileOut(BaseModel):
    bank_account_id: uuid.UUID
    association_id: uuid.UUID
    routing_number: str
    company_name: str
    company_identification: str
    next_check_number: int


class BankRef(Input):
    bank_account_id: uuid.UUID


class CreateBatch(Input):
    association_id: uuid.UUID
    bank_account_id: uuid.UUID = Field(description="An active bank account of the association, of the batch's fund.")
    invoice_ids: list[uuid.UUID] = Field(min_length=1, max_length=500)
    payment_date: date
    memo: Text | None = None


class ListBatches(PageRequest):
    association_id: uuid.UUID | None = None
    status: BatchStatus | None = None


class BatchItemOut(BaseModel):
    invoice_id: uuid.UUID
    vendor_id: uuid.UUID
    amount: Decimal
    method: str
    check_number: int | None
    trace_number: str | None
    account_number_masked: str | None


class StepOut(BaseModel):
    name: str
    done: bool
    done_at: datetime | None


class BatchOut(Record):
    association_id: uuid.UUID
    bank_account_id: uuid.UUID
    fund: str
    batch_number: int
    payment_date: date
    status: str
    memo: str | None
    total: Decimal
    invoice_count: int
    journal_entry_id: uuid.UUID | None
    workflow_id: str
    steps: list[StepOut] = Field(description="The workflow's steps, in order, and when each was done.")
    has_nacha_file: bool
    has_positive_pay_file: bool
    items: list[BatchItemOut]


class BatchesOut(BaseModel):
    items: list[BatchOut]
    next_cursor: str | None


class DownloadFile(Input):
    id: uuid.UUID
    file: Literal["NACHA", "POSITIVE_PAY"]


class FileOut(BaseModel):
    file_name: str
    content_type: str
    content: str = Field(description="The file's text, exactly as written to storage.")
    size_bytes: int


class Form1099In(Input):
    association_id: uuid.UUID
    year: int = Field(ge=2000, le=2200)


class Vendor1099Out(BaseModel):
    vendor_id: uuid.UUID
    vendor_name: str
    tax_id_masked: str | None
    total_paid: Decimal
    payments: int
    reportable: bool = Field(description="1099-eligible and paid at least the threshold in the year.")


class Form1099Out(BaseModel):
    association_id: uuid.UUID
    year: int
    threshold: Decimal
    vendors: list[Vendor1099Out]
