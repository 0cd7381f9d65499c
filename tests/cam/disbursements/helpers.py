"""Set-up for the disbursements' tests: an association's books with a manager, a seated board member, an
operating bank account with a payment profile, vendors (with or without ACH details) and approved invoices."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

from tests.cam.accounting.helpers import Books, books
from tests.support.accounts import Account, account, member_account, organization
from tests.support.governance import seat_on_board
from tests.support.rpc import AsManager, suffix

ODFI = "021000021"
VENDOR_ROUTING = "011000015"


@dataclass
class Payables(AsManager):
    books: Books
    manager: Account
    board: Account
    board2: Account
    bank: dict[str, Any]

    @property
    def client(self) -> httpx.AsyncClient:
        return self.books.client

    @property
    def org(self) -> str:
        return self.books.org

    @property
    def association_id(self) -> str:
        return self.books.association_id

    async def vendor(self, *, ach: bool = False, w9: bool = True, eligible: bool = True, **extra: Any) -> dict:
        body = {"name": f"Vendor {suffix()}", "w9_on_file": w9, "is_1099_eligible": eligible, "tax_id": "12-3456789"}
        made: dict = await self.ok("vendor/v1/create", {**body, **extra})
        if ach:
            await self.ok("accounting/vendorBank/v1/set", {"vendor_id": made["id"], "routing_number": VENDOR_ROUTING,
                                                           "account_number": "000123456789"})  # fmt: skip
        return made

    async def invoice(self, vendor_id: str, amount: str, account: str = "5400", submit: bool = True) -> dict:
        body = {
            "association_id": self.association_id, "vendor_id": vendor_id, "invoice_number": f"INV-{suffix()}",
            "invoice_date": "2026-03-01", "amount": amount, "submit": submit,
            "lines": [{"gl_account_id": self.books.account_id(account), "description": "Work", "amount": amount}],
        }  # fmt: skip
        made: dict = await self.ok("accounting/apInvoice/v1/create", body)
        return made

    async def approved(self, vendor_id: str, amount: str, account: str = "5400") -> dict:
        made = await self.invoice(vendor_id, amount, account)
        approved: dict = await self.ok("accounting/apInvoice/v1/approve", {"id": made["id"]})
        assert approved["status"] == "APPROVED", approved
        return approved

    async def trial_line(self, number: str) -> Decimal:
        trial = await self.books.trial()
        for line in trial["lines"]:
            if line["account_number"] == number:
                return Decimal(line["debit"]) - Decimal(line["credit"])
        return Decimal("0.00")


async def bank_account(books_: Books, number: str = "1010") -> dict[str, Any]:
    bank: dict[str, Any] = await books_.ok("accounting/bankAccount/v1/create", {
        "association_id": books_.association_id, "gl_account_id": books_.account_id(number),
        "name": f"Checking {suffix()}", "bank_name": "First Community Bank", "account_last4": "4321",
    })  # fmt: skip
    await books_.ok("accounting/bankPaymentProfile/v1/set", {
        "bank_account_id": bank["id"], "routing_number": ODFI, "company_name": "SUNSET RIDGE HOA",
        "company_identification": "1741234567", "next_check_number": 5001,
    })  # fmt: skip
    return bank


async def payables(client: httpx.AsyncClient, name: str = "Disbursements") -> Payables:
    admin = await account(client)
    org = (await organization(client, admin, f"{name} {suffix()}"))["id"]
    made = await books(client, admin, org)
    manager = await member_account(client, admin, org, ["MANAGER"])
    board = await member_account(client, admin, org, ["OWNER"])
    board2 = await member_account(client, admin, org, ["OWNER"])
    await seat_on_board(client, admin, org, made.association_id, board)
    await seat_on_board(client, admin, org, made.association_id, board2)
    return Payables(made, manager, board, board2, await bank_account(made))
