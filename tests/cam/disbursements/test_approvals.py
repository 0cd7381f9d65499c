"""The approval chain: a manager approves up to the association's limit; above it the invoice waits in
PENDING_BOARD (nothing posts) until a seated board member approves; above the dual threshold two distinct board
members; the history says who, in what role, and what each approval did. The limits are the board's to set."""

from __future__ import annotations

import httpx
import pytest

from tests.cam.disbursements.helpers import Payables, payables
from tests.support.accounts import member_account
from tests.support.rpc import suffix


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Payables:
    return await payables(shared_client, "Approvals")


APPROVE = "accounting/apInvoice/v1/approve"
HISTORY = "accounting/apApproval/v1/history"


async def test_defaults_apply_until_the_board_sets_limits(hoa: Payables) -> None:
    settings = await hoa.ok("accounting/apApproval/v1/getSettings", {"association_id": hoa.association_id})
    assert (settings["manager_limit"], settings["dual_approval_threshold"], settings["customized"]) == (
        "5000.00", None, False,
    )  # fmt: skip
    body = {"association_id": hoa.association_id, "manager_limit": "9000.00"}
    await hoa.fails("accounting/apApproval/v1/updateSettings", body, 403, "FORBIDDEN")  # a manager: not their limit
    bad = {**body, "dual_approval_threshold": "100.00"}
    await hoa.fails("accounting/apApproval/v1/updateSettings", bad, 400, "VALIDATION_FAILED", who=hoa.board)
    seen = await hoa.ok("accounting/apApproval/v1/getSettings", {"association_id": hoa.association_id}, hoa.board)
    assert seen["customized"] is False


async def test_journey_three_under_the_limit_one_waits_for_the_board(hoa: Payables) -> None:
    """Journey 1 step 3: three invoices under her limit are approved; one above it waits for a board member."""
    payee = await hoa.vendor()
    small = [await hoa.invoice(payee["id"], amount) for amount in ("450.00", "1200.00", "5000.00")]
    for made in small:
        approved = await hoa.ok(APPROVE, {"id": made["id"]})
        assert approved["status"] == "APPROVED"
        assert approved["journal_entry_id"] is not None
    big = await hoa.invoice(payee["id"], "12500.00")
    waiting = await hoa.ok(APPROVE, {"id": big["id"]})
    assert waiting["status"] == "PENDING_BOARD"
    assert waiting["journal_entry_id"] is None  # the expense is not recognized yet
    history = await hoa.ok(HISTORY, {"id": big["id"]})
    assert (history["awaiting"], history["board_approvals_needed"], history["board_approvals"]) == (
        "BOARD_MEMBER", 1, 0,
    )  # fmt: skip
    assert [(a["role"], a["resulting_status"]) for a in history["approvals"]] == [("MANAGER", "PENDING_BOARD")]
    assert history["approvals"][0]["approver_user_id"] == str(hoa.manager.user_id)
    assert history["approvals"][0]["approver_name"] == "T. User"  # the name the manager registered with

    again = await hoa.fails(APPROVE, {"id": big["id"]}, 409, "CONFLICT", "ALREADY_APPROVED")
    assert "already" in again["message"]
    other_manager = await member_account(hoa.client, hoa.books.admin, hoa.org, ["MANAGER"])
    refused = await hoa.fails(APPROVE, {"id": big["id"]}, 422, "BUSINESS_RULE_VIOLATION", "BOARD_APPROVAL_REQUIRED",
                              who=other_manager)  # fmt: skip
    assert refused["details"]["manager_limit"] == "5000.00"
    assert (await hoa.ok("accounting/apInvoice/v1/get", {"id": big["id"]}))["status"] == "PENDING_BOARD"

    done = await hoa.ok(APPROVE, {"id": big["id"]}, hoa.board)
    assert done["status"] == "APPROVED"
    assert done["journal_entry_id"] is not None
    assert done["approved_by"] == str(hoa.board.user_id)
    history = await hoa.ok(HISTORY, {"id": big["id"]}, hoa.board)
    assert [(a["role"], a["resulting_status"]) for a in history["approvals"]] == [
        ("MANAGER", "PENDING_BOARD"), ("BOARD_MEMBER", "APPROVED"),
    ]  # fmt: skip
    assert history["awaiting"] == "NOTHING"
    assert [a["approver_name"] for a in history["approvals"]] == ["T. User", "T. User"]


async def test_a_board_member_approves_directly_and_an_unseated_one_cannot(hoa: Payables) -> None:
    payee = await hoa.vendor()
    big = await hoa.invoice(payee["id"], "7000.00")
    unseated = await member_account(hoa.client, hoa.books.admin, hoa.org, ["BOARD_MEMBER"])
    await hoa.fails(APPROVE, {"id": big["id"]}, 404, "NOT_FOUND", who=unseated)  # cannot even see it
    assert (await hoa.ok(APPROVE, {"id": big["id"]}, hoa.board))["status"] == "APPROVED"


async def test_two_board_members_above_the_dual_threshold(hoa: Payables) -> None:
    hoa2 = await payables(hoa.client, "Dual")
    body = {"association_id": hoa2.association_id, "manager_limit": "2500.00", "dual_approval_threshold": "20000.00"}
    updated = await hoa2.ok("accounting/apApproval/v1/updateSettings", body, hoa2.board)
    assert (updated["manager_limit"], updated["dual_approval_threshold"], updated["customized"]) == (
        "2500.00", "20000.00", True,
    )  # fmt: skip
    payee = await hoa2.vendor()
    mid = await hoa2.invoice(payee["id"], "3000.00")
    assert (await hoa2.ok(APPROVE, {"id": mid["id"]}))["status"] == "PENDING_BOARD"  # the new limit holds
    huge = await hoa2.invoice(payee["id"], "45000.00")
    first = await hoa2.ok(APPROVE, {"id": huge["id"]}, hoa2.board)
    assert first["status"] == "PENDING_BOARD"
    assert first["journal_entry_id"] is None
    await hoa2.fails(APPROVE, {"id": huge["id"]}, 409, "CONFLICT", "ALREADY_APPROVED", who=hoa2.board)
    second = await hoa2.ok(APPROVE, {"id": huge["id"]}, hoa2.board2)
    assert second["status"] == "APPROVED"
    history = await hoa2.ok(HISTORY, {"id": huge["id"]})
    assert (history["board_approvals_needed"], history["board_approvals"]) == (2, 2)


async def test_waiting_invoices_void_and_other_tenants_see_nothing(hoa: Payables) -> None:
    payee = await hoa.vendor()
    big = await hoa.invoice(payee["id"], "6000.00")
    await hoa.ok(APPROVE, {"id": big["id"]})
    voided = await hoa.ok("accounting/apInvoice/v1/void", {"id": big["id"], "reason": f"Duplicate {suffix()}"})
    assert voided["status"] == "VOIDED"
    other = await payables(hoa.client, "Elsewhere")
    await other.fails(HISTORY, {"id": big["id"]}, 404, "NOT_FOUND")
    await other.fails("accounting/apApproval/v1/getSettings", {"association_id": hoa.association_id}, 404, "NOT_FOUND")
