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
from hestami.cam.association import repository as association_sql
from hestami.cam.association.models import Ownership, Tenancy, Unit
from hestami.core.authz import AttrValue
from hestami.core.context import RequestContext
from hestami.core.records import RecordKind


async def _unit_people(ctx: RequestContext, record: AssessmentCharge | Payment) -> dict[str, AttrValue]:
    """Charges and payments are visible to the people who own or rent their unit."""
    unit = await ctx.session.get(Unit, record.unit_id)
    if unit is None:
        return {"owner_user_ids": [], "member_user_ids": []}
    return {
        "owner_user_ids": await association_sql.owner_user_ids(ctx.session, unit),
        "member_user_ids": await association_sql.tenant_user_ids(ctx.session, unit),
    }


def _unit_people_columns(model: Any) -> dict[str, Any]:
    return {
        "owner_user_ids": association_sql.users_array(Ownership, model.unit_id, model.organization_id),
        "member_user_ids": association_sql.users_array(Tenancy, model.unit_id, model.organization_id),
    }


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
