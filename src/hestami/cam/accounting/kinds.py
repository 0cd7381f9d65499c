"""Domain 2's record kinds as Cerbos sees them (policies/resource/<kind>.yaml)."""

from __future__ import annotations

from typing import Any

from hestami.cam.accounting.models import (
    APInvoice,
    AssessmentCharge,
    AssessmentType,
    BankAccount,
    GLAccount,
    JournalEntry,
    Payment,
    Vendor,
)
from hestami.cam.association import api as association_api
from hestami.core.authz import AttrValue
from hestami.core.context import RequestContext
from hestami.core.records import RecordKind


async def _unit_people(ctx: RequestContext, record: AssessmentCharge | Payment) -> dict[str, AttrValue]:
    """Charges and payments are visible to the people who own or rent their unit."""
    people = await association_api.people_of_unit(ctx, record.unit_id)
    return {"owner_user_ids": people.owner_user_ids, "member_user_ids": people.member_user_ids}


def _unit_people_columns(model: Any) -> dict[str, Any]:
    return association_api.unit_people_columns(model.unit_id, model.organization_id)


GL_ACCOUNT = RecordKind("gl_account", GLAccount)
JOURNAL_ENTRY = RecordKind("journal_entry", JournalEntry)
ASSESSMENT_TYPE = RecordKind("assessment_type", AssessmentType)
ASSESSMENT_CHARGE = RecordKind(
    "assessment_charge", AssessmentCharge, attrs=_unit_people, columns=lambda: _unit_people_columns(AssessmentCharge)
)
PAYMENT = RecordKind("payment", Payment, attrs=_unit_people, columns=lambda: _unit_people_columns(Payment))
VENDOR = RecordKind("vendor", Vendor, hidden_fields=frozenset({"tax_id_hash"}))
AP_INVOICE = RecordKind("ap_invoice", APInvoice)
BANK_ACCOUNT = RecordKind("bank_account", BankAccount)
FINANCIAL_REPORT = "financial_report"
