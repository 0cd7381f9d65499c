"""Who may do what with the books: managers post; board members read reports and the journal but change
nothing; owners see only their own unit's charges, payments and balance; vendors (the membership role) see
nothing of the ledger; and another organization's records are NOT_FOUND, never FORBIDDEN."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from tests.cam.accounting.helpers import Books, books
from tests.support.accounts import Account, account, member_account, organization
from tests.support.governance import seat_on_board
from tests.support.rpc import fails, ok, suffix


@dataclass
class World:
    hoa: Books
    mine: dict
    neighbours: dict
    dues: dict
    my_charge: dict
    their_charge: dict
    my_payment: dict
    their_payment: dict
    pending_entry: dict
    vendor: dict
    invoice: dict
    bank: dict
    owner: Account
    board: Account
    manager: Account
    vendor_member: Account
    outsider: Account  # ADMIN of another organization
    other: Books  # the outsider's own books


async def pending_entry(hoa: Books, who: Account | None = None, amount: str = "10.00") -> dict:
    body = {
        "association_id": hoa.association_id,
        "entry_date": "2026-02-01",
        "memo": f"Mowing {suffix()}",
        "submit": True,
        "lines": [
            {"gl_account_id": hoa.account_id("5300"), "debit": amount},
            {"gl_account_id": hoa.account_id("1010"), "credit": amount},
        ],
    }
    return await hoa.ok("accounting/journalEntry/v1/create", body, who)


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    c = shared_client
    admin = await account(c)
    org = (await organization(c, admin, f"Access Books {suffix()}"))["id"]
    hoa = await books(c, admin, org)
    mine, neighbours = await hoa.unit("101"), await hoa.unit("102")
    owner = await member_account(c, admin, org, ["OWNER"])
    party = await hoa.ok(
        "party/v1/create",
        {"party_type": "INDIVIDUAL", "first_name": "Olive", "last_name": "Owner", "user_id": str(owner.user_id)},
    )
    await hoa.ok(
        "ownership/v1/create",
        {"unit_id": mine["id"], "party_id": party["id"], "percentage": "100", "start_date": "2020-01-01"},
    )
    dues = await hoa.dues("200.00")
    my_charge = await hoa.charge(dues["id"], mine["id"], "2026-01-01")
    their_charge = await hoa.charge(dues["id"], neighbours["id"], "2026-01-01")
    my_payment = await hoa.pay(mine["id"], "50.00")
    their_payment = await hoa.pay(neighbours["id"], "75.00")
    payee = await hoa.ok("vendor/v1/create", {"name": f"Mow Co {suffix()}", "w9_on_file": True})
    invoice = await hoa.ok(
        "accounting/apInvoice/v1/create",
        {
            "association_id": hoa.association_id,
            "vendor_id": payee["id"],
            "invoice_number": f"INV-{suffix()}",
            "invoice_date": "2026-02-01",
            "amount": "90.00",
            "lines": [{"gl_account_id": hoa.account_id("5300"), "description": "Mowing", "amount": "90.00"}],
        },
    )
    bank = await hoa.ok(
        "accounting/bankAccount/v1/create",
        {
            "association_id": hoa.association_id,
            "gl_account_id": hoa.account_id("1010"),
            "name": "Operating",
            "bank_name": "Bank",
            "account_last4": "4321",
            "is_primary": True,
        },
    )
    board = await member_account(c, admin, org, ["BOARD_MEMBER"])
    await seat_on_board(c, admin, org, hoa.association_id, board)
    outsider = await account(c)
    other_org = (await organization(c, outsider, f"Other Books {suffix()}"))["id"]
    return World(
        hoa=hoa,
        mine=mine,
        neighbours=neighbours,
        dues=dues,
        my_charge=my_charge,
        their_charge=their_charge,
        my_payment=my_payment,
        their_payment=their_payment,
        pending_entry=await pending_entry(hoa),
        vendor=payee,
        invoice=invoice,
        bank=bank,
        owner=owner,
        board=board,
        manager=await member_account(c, admin, org, ["MANAGER"]),
        vendor_member=await member_account(c, admin, org, ["VENDOR"]),
        outsider=outsider,
        other=await books(c, outsider, other_org),
    )


def ids(page: dict) -> set[str]:
    return {item["id"] for item in page["items"]}


# --- roles inside the organization -------------------------------------------------------------------------


async def test_manager_creates_posts_charges_and_pays(world: World) -> None:
    hoa, manager = world.hoa, world.manager
    entry = await pending_entry(hoa, manager, "12.00")
    posted = await hoa.ok("accounting/journalEntry/v1/post", {"id": entry["id"]}, manager)
    assert posted["status"] == "POSTED"
    reversal = await hoa.ok("accounting/journalEntry/v1/reverse", {"id": entry["id"]}, manager)
    assert reversal["reverses_entry_id"] == entry["id"]
    unit = await hoa.unit()
    charge = await hoa.ok(
        "accounting/assessment/v1/createCharge",
        {"assessment_type_id": world.dues["id"], "unit_id": unit["id"], "due_date": "2026-03-01"},
        manager,
    )
    assert charge["balance"] == "200.00"
    assert (await hoa.ok("accounting/report/v1/trialBalance", {"association_id": hoa.association_id}, manager))[
        "balanced"
    ]


async def test_board_member_reads_but_does_not_change_the_books(world: World) -> None:
    hoa, board = world.hoa, world.board
    before = await hoa.trial()
    trial = await hoa.ok("accounting/report/v1/trialBalance", {"association_id": hoa.association_id}, board)
    assert trial == before
    journal = await hoa.ok("accounting/journalEntry/v1/list", {"association_id": hoa.association_id}, board)
    assert world.pending_entry["id"] in ids(journal)
    entry = await hoa.ok("accounting/journalEntry/v1/get", {"id": world.my_charge["journal_entry_id"]}, board)
    assert entry["status"] == "POSTED"
    charges = await hoa.ok("accounting/assessment/v1/listCharges", {"association_id": hoa.association_id}, board)
    assert {world.my_charge["id"], world.their_charge["id"]} <= ids(charges)
    await hoa.ok("accounting/report/v1/arAging", {"association_id": hoa.association_id}, board)
    await hoa.ok("accounting/report/v1/balanceSheet", {"association_id": hoa.association_id}, board)

    unit = await hoa.unit()
    charge = {"assessment_type_id": world.dues["id"], "unit_id": unit["id"], "due_date": "2026-03-01"}
    await hoa.fails("accounting/assessment/v1/createCharge", charge, 403, "FORBIDDEN", who=board)
    await hoa.fails("accounting/journalEntry/v1/post", {"id": world.pending_entry["id"]}, 403, "FORBIDDEN", who=board)
    payment = {
        "association_id": hoa.association_id,
        "unit_id": world.mine["id"],
        "amount": "5.00",
        "payment_date": "2026-01-05",
        "method": "CASH",
    }
    await hoa.fails("accounting/payment/v1/create", payment, 403, "FORBIDDEN", who=board)
    void = {"id": world.my_payment["id"], "reason": "no"}
    await hoa.fails("accounting/payment/v1/void", void, 403, "FORBIDDEN", who=board)
    # a seated board member approves invoices (the approval chain, accounting/disbursements), but does not pay them
    pay = {"id": world.invoice["id"], "paid_on": "2026-02-15", "reference": "CHK 1"}
    await hoa.fails("accounting/apInvoice/v1/pay", pay, 403, "FORBIDDEN", who=board)
    fees = {"association_id": hoa.association_id, "as_of": "2027-01-01"}
    await hoa.fails("accounting/assessment/v1/applyLateFees", fees, 403, "FORBIDDEN", who=board)

    # nothing the refused calls began is left behind
    assert await hoa.trial() == before
    assert (await hoa.balance(unit["id"]))["balance"] == "0.00"
    assert (await hoa.ok("accounting/journalEntry/v1/get", {"id": world.pending_entry["id"]}))["status"] == (
        "PENDING_APPROVAL"
    )
    assert (await hoa.ok("accounting/payment/v1/get", {"id": world.my_payment["id"]}))["status"] == "POSTED"


async def test_owner_sees_only_their_own_unit(world: World) -> None:
    hoa, owner = world.hoa, world.owner
    charges = await hoa.ok("accounting/assessment/v1/listCharges", {"association_id": hoa.association_id}, owner)
    assert ids(charges) == {world.my_charge["id"]}
    neighbour = await hoa.ok("accounting/assessment/v1/listCharges", {"unit_id": world.neighbours["id"]}, owner)
    assert neighbour["items"] == []
    payments = await hoa.ok("accounting/payment/v1/list", {"association_id": hoa.association_id}, owner)
    assert ids(payments) == {world.my_payment["id"]}
    await hoa.ok("accounting/payment/v1/get", {"id": world.my_payment["id"]}, owner)
    await hoa.fails("accounting/payment/v1/get", {"id": world.their_payment["id"]}, 404, "NOT_FOUND", who=owner)

    balance = await hoa.ok("accounting/assessment/v1/getUnitBalance", {"unit_id": world.mine["id"]}, owner)
    assert balance["balance"] == "150.00"
    await hoa.fails(
        "accounting/assessment/v1/getUnitBalance", {"unit_id": world.neighbours["id"]}, 404, "NOT_FOUND", who=owner
    )
    report = {"association_id": hoa.association_id}
    await hoa.fails("accounting/report/v1/trialBalance", report, 403, "FORBIDDEN", who=owner)
    await hoa.fails("accounting/report/v1/arAging", report, 403, "FORBIDDEN", who=owner)
    entry = {"id": world.my_charge["journal_entry_id"]}
    await hoa.fails("accounting/journalEntry/v1/get", entry, 404, "NOT_FOUND", who=owner)
    assert (await hoa.ok("accounting/journalEntry/v1/list", report, owner))["items"] == []
    assert (await hoa.ok("accounting/glAccount/v1/list", report, owner))["items"] == []
    pay = {
        "association_id": hoa.association_id,
        "unit_id": world.mine["id"],
        "amount": "150.00",
        "payment_date": "2026-01-05",
        "method": "ACH",
    }
    await hoa.fails("accounting/payment/v1/create", pay, 403, "FORBIDDEN", who=owner)


async def test_vendor_member_sees_nothing_of_the_ledger(world: World) -> None:
    hoa, vendor = world.hoa, world.vendor_member
    report = {"association_id": hoa.association_id}
    # lists are filtered by Cerbos query plans: a denied kind is an empty list, not FORBIDDEN
    assert (await hoa.ok("accounting/assessment/v1/listCharges", report, vendor))["items"] == []
    assert (await hoa.ok("accounting/payment/v1/list", report, vendor))["items"] == []
    assert (await hoa.ok("accounting/journalEntry/v1/list", report, vendor))["items"] == []
    assert (await hoa.ok("vendor/v1/list", {}, vendor))["items"] == []
    assert (await hoa.ok("accounting/apInvoice/v1/list", report, vendor))["items"] == []
    assert (await hoa.ok("accounting/bankAccount/v1/list", report, vendor))["items"] == []
    await hoa.fails("accounting/report/v1/trialBalance", report, 403, "FORBIDDEN", who=vendor)
    await hoa.fails("accounting/report/v1/incomeStatement", {**report, "from_date": "2026-01-01",
                    "to_date": "2026-12-31"}, 403, "FORBIDDEN", who=vendor)  # fmt: skip
    # records it may not see at all answer like ids that do not exist
    await hoa.fails("accounting/payment/v1/get", {"id": world.my_payment["id"]}, 404, "NOT_FOUND", who=vendor)
    await hoa.fails("accounting/apInvoice/v1/get", {"id": world.invoice["id"]}, 404, "NOT_FOUND", who=vendor)
    await hoa.fails("accounting/bankAccount/v1/get", {"id": world.bank["id"]}, 404, "NOT_FOUND", who=vendor)
    await hoa.fails(
        "accounting/assessment/v1/getUnitBalance", {"unit_id": world.mine["id"]}, 404, "NOT_FOUND", who=vendor
    )


# --- another organization ----------------------------------------------------------------------------------


async def test_another_organizations_records_are_not_found(world: World) -> None:
    hoa, other, outsider = world.hoa, world.other, world.outsider
    for path, record_id in (
        ("accounting/glAccount/v1/get", hoa.account_id("1200")),
        ("accounting/journalEntry/v1/get", world.my_charge["journal_entry_id"]),
        ("accounting/payment/v1/get", world.my_payment["id"]),
        ("vendor/v1/get", world.vendor["id"]),
        ("accounting/apInvoice/v1/get", world.invoice["id"]),
        ("accounting/bankAccount/v1/get", world.bank["id"]),
        ("accounting/journalEntry/v1/post", world.pending_entry["id"]),
        ("accounting/apInvoice/v1/approve", world.invoice["id"]),
        ("vendor/v1/delete", world.vendor["id"]),
        ("accounting/glAccount/v1/delete", hoa.account_id("1030")),
    ):
        await other.fails(path, {"id": record_id}, 404, "NOT_FOUND")
    by_association = {"association_id": hoa.association_id}
    await other.fails("accounting/report/v1/trialBalance", by_association, 404, "NOT_FOUND")
    await other.fails("accounting/report/v1/arAging", by_association, 404, "NOT_FOUND")
    await other.fails("accounting/assessment/v1/applyLateFees", {**by_association, "as_of": "2027-01-01"}, 404)
    await other.fails("accounting/assessment/v1/getUnitBalance", {"unit_id": world.mine["id"]}, 404, "NOT_FOUND")
    await other.fails("accounting/payment/v1/void", {"id": world.my_payment["id"], "reason": "x"}, 404, "NOT_FOUND")
    await other.fails(
        "accounting/bankAccount/v1/updateBankBalance",
        {"id": world.bank["id"], "bank_balance": "1.00", "as_of": "2026-01-01"},
        404,
        "NOT_FOUND",
    )
    charge = {"assessment_type_id": world.dues["id"], "unit_id": world.mine["id"], "due_date": "2026-03-01"}
    await other.fails("accounting/assessment/v1/createCharge", charge, 404, "NOT_FOUND")
    own_type = await other.dues()
    await other.fails("accounting/assessment/v1/createCharge", {**charge, "assessment_type_id": own_type["id"]}, 404)
    charges = await other.ok("accounting/assessment/v1/listCharges", {"unit_id": world.mine["id"]})
    assert charges["items"] == []
    everything = await other.ok("accounting/assessment/v1/listCharges", {})
    assert not ids(everything) & {world.my_charge["id"], world.their_charge["id"]}
    journal = await other.ok("accounting/journalEntry/v1/list", by_association)
    assert journal["items"] == []
    entry = {
        "association_id": other.association_id,
        "entry_date": "2026-02-01",
        "memo": "Borrowed accounts",
        "lines": [
            {"gl_account_id": hoa.account_id("5300"), "debit": "1.00"},
            {"gl_account_id": hoa.account_id("1010"), "credit": "1.00"},
        ],
    }
    await other.fails("accounting/journalEntry/v1/create", entry, 404, "NOT_FOUND")
    invoice = {
        "association_id": other.association_id,
        "vendor_id": world.vendor["id"],
        "invoice_number": "X-1",
        "invoice_date": "2026-02-01",
        "amount": "1.00",
        "lines": [{"gl_account_id": other.account_id("5300"), "description": "x", "amount": "1.00"}],
    }
    await other.fails("accounting/apInvoice/v1/create", invoice, 404, "NOT_FOUND")

    # and nothing in the first organization moved
    assert (await hoa.ok("accounting/journalEntry/v1/get", {"id": world.pending_entry["id"]}))["status"] == (
        "PENDING_APPROVAL"
    )
    assert (await hoa.ok("accounting/payment/v1/get", {"id": world.my_payment["id"]}))["status"] == "POSTED"
    assert (await hoa.ok("accounting/apInvoice/v1/get", {"id": world.invoice["id"]}))["status"] == "PENDING_APPROVAL"
    assert outsider.user_id != hoa.admin.user_id


async def test_a_non_member_is_refused_the_organization(world: World) -> None:
    await fails(
        world.hoa.client,
        world.outsider,
        world.hoa.org,
        "accounting/report/v1/trialBalance",
        {"association_id": world.hoa.association_id},
        403,
        "FORBIDDEN",
    )
    assert (await ok(world.hoa.client, world.outsider, world.other.org, "vendor/v1/list", {}))["items"] == []
