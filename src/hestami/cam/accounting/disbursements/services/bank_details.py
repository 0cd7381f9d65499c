"""Payment details: a vendor's ACH account (answered masked) and a bank account's payment profile (the bank's
routing number and company identification for NACHA files, the next check number). Both are authorized as their
owner's record: a vendor's details as the vendor (`view` / `update`), a profile as the bank account."""

from __future__ import annotations

import uuid

from hestami.cam.accounting import kinds as accounting_kinds
from hestami.cam.accounting.disbursements import repository, rules
from hestami.cam.accounting.disbursements.errors import DisbursementReason, rule
from hestami.cam.accounting.disbursements.models import BankPaymentProfile, VendorBankAccount
from hestami.cam.accounting.disbursements.schemas import (
    PaymentProfileOut,
    SetPaymentProfile,
    SetVendorBank,
    VendorBankOut,
)
from hestami.core import audit
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.core.records import load


def _routing(value: str) -> str:
    if not rules.valid_routing_number(value):
        raise rule(DisbursementReason.INVALID_ROUTING_NUMBER, f"{value} is not a valid ABA routing number.")
    return value


def _vendor_out(row: VendorBankAccount) -> VendorBankOut:
    return VendorBankOut(
        vendor_id=row.vendor_id, routing_number=row.routing_number,
        account_number_masked=rules.mask(row.account_number) or "", account_type=row.account_type,
        updated_at=row.updated_at,
    )  # fmt: skip


async def set_vendor_bank(ctx: RequestContext, data: SetVendorBank) -> VendorBankOut:
    vendor = await load(ctx, accounting_kinds.VENDOR, data.vendor_id, "update", lock=True)
    _routing(data.routing_number)
    row = await repository.vendor_bank(ctx.session, vendor.id)
    if row is None:
        row = VendorBankAccount(organization_id=vendor.organization_id, vendor_id=vendor.id)
        ctx.session.add(row)
    row.routing_number, row.account_number, row.account_type = (
        data.routing_number,
        data.account_number,
        data.account_type,
    )
    await ctx.session.flush()
    await ctx.session.refresh(row)
    audit.record(
        ctx, "vendor.bank_account_set", accounting_kinds.VENDOR.name, vendor.id,
        after={"routing_number": row.routing_number, "account_number": rules.mask(row.account_number),
               "account_type": row.account_type},
    )  # fmt: skip
    return _vendor_out(row)


async def get_vendor_bank(ctx: RequestContext, vendor_id: uuid.UUID) -> VendorBankOut:
    vendor = await load(ctx, accounting_kinds.VENDOR, vendor_id)
    row = await repository.vendor_bank(ctx.session, vendor.id)
    if row is None:
        raise not_found("vendor_bank_account", vendor_id)
    return _vendor_out(row)


def _profile_out(row: BankPaymentProfile) -> PaymentProfileOut:
    return PaymentProfileOut(
        bank_account_id=row.bank_account_id, association_id=row.association_id, routing_number=row.routing_number,
        company_name=row.company_name, company_identification=row.company_identification,
        next_check_number=row.next_check_number,
    )  # fmt: skip


async def set_profile(ctx: RequestContext, data: SetPaymentProfile) -> PaymentProfileOut:
    bank = await load(ctx, accounting_kinds.BANK_ACCOUNT, data.bank_account_id, "update", lock=True)
    _routing(data.routing_number)
    row = await repository.payment_profile(ctx.session, bank.id, lock=True)
    if row is None:
        row = BankPaymentProfile(
            organization_id=bank.organization_id, bank_account_id=bank.id, association_id=bank.association_id
        )
        ctx.session.add(row)
    row.routing_number, row.company_name = data.routing_number, data.company_name
    row.company_identification, row.next_check_number = data.company_identification.upper(), data.next_check_number
    await ctx.session.flush()
    out = _profile_out(row)
    audit.record(
        ctx, "bank_account.payment_profile_set", accounting_kinds.BANK_ACCOUNT.name, bank.id,
        after=out.model_dump(mode="json"),
    )  # fmt: skip
    return out


async def get_profile(ctx: RequestContext, bank_account_id: uuid.UUID) -> PaymentProfileOut:
    bank = await load(ctx, accounting_kinds.BANK_ACCOUNT, bank_account_id)
    row = await repository.payment_profile(ctx.session, bank.id)
    if row is None:
        raise not_found("bank_payment_profile", bank_account_id)
    return _profile_out(row)
