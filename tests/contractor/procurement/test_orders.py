"""Purchase orders: numbered without gaps, edited while DRAFT, sent once (the outbox shows it), received into stock
line by line (never more than ordered, also when two receipts of a line race), closed or cancelled by the one
transition table, with the history of who moved them."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import httpx
import pytest

from tests.contractor.invoice.helpers import outbound
from tests.contractor.procurement.helpers import Stock, stock
from tests.support.rpc import post

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def home(shared_client: httpx.AsyncClient) -> Stock:
    return await stock(shared_client, "Order Tests")


async def test_orders_are_numbered_and_priced_from_the_supplier(home: Stock) -> None:
    supplier = await home.supplier()
    await home.offer(supplier["id"], "PIPE-1", "3.10")
    first = await home.order(supplier["id"], (("PIPE-1", "2.5"),))
    second = await home.order(supplier["id"], ())
    assert int(second["number"][3:]) == int(first["number"][3:]) + 1
    assert first["number"].startswith("PO-")
    assert len(first["number"]) == 9
    (line,) = first["lines"]
    assert (line["unit_cost"], line["total"], line["supplier_part_number"]) == ("3.10", "7.75", "SP-PIPE-1")
    assert (first["status"], first["total"], first["replenishment"]) == ("DRAFT", "7.75", False)
    assert [(h["from_status"], h["to_status"]) for h in first["history"]] == [(None, "DRAFT")]
    await home.fails("procurement/v1/addLine", {"purchase_order_id": first["id"], "item_id": home.items["VLV-1"],
                                                "quantity": "1"}, 422, "BUSINESS_RULE_VIOLATION",
                     "UNIT_COST_REQUIRED")  # fmt: skip
    added = await home.ok("procurement/v1/addLine", {"purchase_order_id": first["id"], "item_id": home.items["VLV-1"],
                                                     "quantity": "1.5", "unit_cost": "14.33"})  # fmt: skip
    assert added["total"] == "29.25"
    body = {"purchase_order_id": first["id"], "item_id": home.items["VLV-1"], "quantity": "1", "unit_cost": "1.001"}
    await home.fails("procurement/v1/addLine", body, 400, "VALIDATION_FAILED")


async def test_a_drafts_lines_change_until_it_is_sent(home: Stock) -> None:
    supplier = await home.supplier(email="po@supply.example", lead_time_days=4)
    await home.offer(supplier["id"], "PIPE-1", "2.00")
    draft = await home.order(supplier["id"], (("PIPE-1", "10"),))
    line = draft["lines"][0]["id"]
    changed = await home.ok("procurement/v1/updateLine", {"id": line, "quantity": "20", "unit_cost": "1.50"})
    assert (changed["lines"][0]["total"], changed["total"]) == ("30.00", "30.00")
    emptied = await home.ok("procurement/v1/removeLine", {"id": line})
    assert (emptied["lines"], emptied["total"]) == ([], "0.00")
    await home.fails("procurement/v1/send", {"id": draft["id"]}, 422, "BUSINESS_RULE_VIOLATION", "EMPTY_ORDER")
    again = await home.ok("procurement/v1/addLine", {"purchase_order_id": draft["id"], "item_id": home.items["PIPE-1"],
                                                     "quantity": "8"})  # fmt: skip
    sent = await home.ok("procurement/v1/send", {"id": draft["id"], "ordered_on": "2026-11-02"})
    assert (sent["status"], sent["sent_to"], sent["ordered_on"], sent["expected_on"]) == (
        "SENT",
        "po@supply.example",
        "2026-11-02",
        "2026-11-06",
    )
    assert [(h["from_status"], h["to_status"]) for h in sent["history"]] == [(None, "DRAFT"), ("DRAFT", "SENT")]
    assert sent["history"][1]["actor_user_id"] is not None
    assert await outbound(home.org, draft["id"]) == [("procurement.purchase_order_sent",
                                                      f"purchaseOrder:{draft['id']}:sent")]  # fmt: skip
    notes = await home.ok("notification/v1/list", {"entity_id": draft["id"]})
    (note,) = notes["items"]
    assert (note["channel"], note["recipient"]) == ("EMAIL", "po@supply.example")
    assert note["payload"]["lines"][0]["quantity"] == "8.000"
    line = again["lines"][0]["id"]
    await home.fails("procurement/v1/updateLine", {"id": line, "quantity": "9"}, 422, "BUSINESS_RULE_VIOLATION",
                     "NOT_EDITABLE")  # fmt: skip
    await home.fails("procurement/v1/send", {"id": draft["id"]}, 409, "INVALID_STATE_TRANSITION")
    assert len(await outbound(home.org, draft["id"])) == 1


async def test_receipts_fill_the_order_into_stock_and_close_it(home: Stock) -> None:
    supplier = await home.supplier()
    await home.offer(supplier["id"], "PIPE-1", "2.00")
    await home.offer(supplier["id"], "VLV-1", "12.00")
    order = await home.sent(supplier["id"], (("PIPE-1", "10"), ("VLV-1", "4")))
    pipe, valve = (x["id"] for x in order["lines"])
    before = await home.on_hand("PIPE-1")
    wanted = [{"line_id": pipe, "quantity": "10"}, {"line_id": valve, "quantity": "1"}]
    body = {"purchase_order_id": order["id"], "reference": "PS-1", "lines": wanted}
    first = await home.ok("procurement/v1/receive", body)
    assert first["purchase_order"]["status"] == "PARTIALLY_RECEIVED"
    assert first["receipt"]["total"] == "32.00"
    assert await home.on_hand("PIPE-1") == before + 10
    received = {x["id"]: x["quantity_received"] for x in first["purchase_order"]["lines"]}
    assert received == {pipe: "10.000", valve: "1.000"}
    counts = await home.table_counts()
    over = {"purchase_order_id": order["id"], "lines": [{"line_id": valve, "quantity": "1"},
                                                        {"line_id": pipe, "quantity": "0.5"}]}  # fmt: skip
    error = await home.fails("procurement/v1/receive", over, 422, "BUSINESS_RULE_VIOLATION", "OVER_RECEIPT")
    assert (error["details"]["ordered"], error["details"]["received"], error["details"]["requested"]) == (
        "10.000",
        "10.000",
        "0.5",
    )
    assert await home.table_counts() == counts
    assert await home.on_hand("PIPE-1") == before + 10
    into_annex = {"purchase_order_id": order["id"], "location_id": home.annex,
                  "lines": [{"line_id": valve, "quantity": "3"}]}  # fmt: skip
    done = await home.ok("procurement/v1/receive", into_annex)
    assert done["purchase_order"]["status"] == "RECEIVED"
    assert await home.on_hand("VLV-1", home.annex) == 3
    receipts = await home.ok("procurement/v1/listReceipts", {"purchase_order_id": order["id"]})
    assert [len(r["lines"]) for r in receipts["items"]] == [2, 1]
    assert receipts["items"][1]["location_id"] == home.annex
    await home.fails("procurement/v1/receive", into_annex, 422, "BUSINESS_RULE_VIOLATION", "NOT_RECEIVABLE")
    await home.fails("procurement/v1/cancel", {"id": order["id"], "reason": "late"}, 409, "INVALID_STATE_TRANSITION")
    closed = await home.ok("procurement/v1/close", {"id": order["id"]})
    moves = [(h["from_status"], h["to_status"]) for h in closed["history"]]
    assert moves == [(None, "DRAFT"), ("DRAFT", "SENT"), ("SENT", "PARTIALLY_RECEIVED"),
                     ("PARTIALLY_RECEIVED", "RECEIVED"), ("RECEIVED", "CLOSED")]  # fmt: skip


async def test_two_receipts_of_one_line_at_once_take_no_more_than_ordered(
    home: Stock, shared_client: httpx.AsyncClient
) -> None:
    supplier = await home.supplier()
    await home.offer(supplier["id"], "PIPE-1", "2.00")
    order = await home.sent(supplier["id"], (("PIPE-1", "10"),))
    line = order["lines"][0]["id"]
    before = await home.on_hand("PIPE-1")
    body = {"purchase_order_id": order["id"], "lines": [{"line_id": line, "quantity": "6"}]}
    who = home.books.manager
    answers = await asyncio.gather(*(post(shared_client, who, home.org, "procurement/v1/receive", body)
                                     for _ in range(2)))  # fmt: skip
    assert sorted(r.status_code for r in answers) == [200, 422]
    refused = next(r for r in answers if r.status_code == 422).json()["error"]
    assert refused["details"]["reason"] == "OVER_RECEIPT"
    assert await home.on_hand("PIPE-1") == before + Decimal("6")
    got = await home.ok("procurement/v1/getPurchaseOrder", {"id": order["id"]})
    assert (got["lines"][0]["quantity_received"], got["status"]) == ("6.000", "PARTIALLY_RECEIVED")
    short = await home.ok("procurement/v1/close", {"id": order["id"], "note": "rest backordered for good"})
    assert short["status"] == "CLOSED"


async def test_moves_outside_the_table_are_refused(home: Stock) -> None:
    supplier = await home.supplier()
    draft = await home.order(supplier["id"], ())
    await home.fails("procurement/v1/close", {"id": draft["id"]}, 409, "INVALID_STATE_TRANSITION")
    body = {"purchase_order_id": draft["id"], "lines": [{"line_id": draft["id"], "quantity": "1"}]}
    await home.fails("procurement/v1/receive", body, 422, "BUSINESS_RULE_VIOLATION", "NOT_RECEIVABLE")
    cancelled = await home.ok("procurement/v1/cancel", {"id": draft["id"], "reason": "ordered by phone"})
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("CANCELLED", "ordered by phone")
    await home.fails("procurement/v1/send", {"id": draft["id"]}, 409, "INVALID_STATE_TRANSITION")
    retired = await home.supplier()
    await home.ok("procurement/v1/updateSupplier", {"id": retired["id"], "active": False})
    body = {"supplier_id": retired["id"], "location_id": home.warehouse}
    await home.fails("procurement/v1/createPurchaseOrder", body, 422, "BUSINESS_RULE_VIOLATION", "SUPPLIER_INACTIVE")
    listed = await home.ok("procurement/v1/listPurchaseOrders", {"status": "CANCELLED", "supplier_id": supplier["id"]})
    assert [x["id"] for x in listed["items"]] == [draft["id"]]
