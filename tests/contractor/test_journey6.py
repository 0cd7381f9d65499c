"""Journey 6, steps 2 and 3, end to end over HTTP, nothing stubbed: a contractor's day after the board.

A technician starts a visit on a job with a checklist, uses parts from the truck's stock (the truck's level goes
down, the job is costed at the average cost; more than the truck holds is refused and changes nothing), which takes
a valve to its reorder point: `inventory_workflow_v1` drafts a replenishment purchase order line for the preferred
supplier, once; the technician finishes the checklist, captures the customer's signature and completes the visit.
The supplier's order is then sent and received into the warehouse (the average cost moves). Then a maintenance
agreement: a quarterly plan signed for a customer schedules its four visits of the year as jobs on activation, and
at its term end `maintenance_contract_v1` renews it once, scheduling next year's visits."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.contractor.field.helpers import Crew, crew, png
from tests.contractor.invoice.helpers import until
from tests.contractor.maintenance.helpers import draft, local_today, months_before, plan, quarterly_after, short_days
from tests.support.rpc import suffix

pytestmark = pytest.mark.usefixtures("unthrottled")


async def _stocked_truck(team: Crew) -> dict[str, str]:
    """The crew's PIPE and VALVE stocked: a warehouse, the technician's truck loaded by a received transfer, a
    reorder point on the truck's valves (2, reorder 6) and a preferred supplier of valves."""
    items = {code: (await team.ok("inventory/v1/createItem", {"code": code}, who=team.force.manager))["id"]
             for code in ("PIPE", "VALVE")}  # fmt: skip
    admin = team.force.manager
    warehouse = (await team.ok("inventory/v1/createLocation", {"name": f"Yard {suffix()}", "kind": "WAREHOUSE"},
                               who=admin))["id"]  # fmt: skip
    van = {"name": f"Van {suffix()}", "kind": "TRUCK", "technician_id": team.technician["id"]}
    truck = (await team.ok("inventory/v1/createLocation", van, who=admin))["id"]
    for code, quantity, cost in (("PIPE", "40", "3.50"), ("VALVE", "10", "9.00")):
        await team.ok("inventory/v1/receive", {"location_id": warehouse, "item_id": items[code], "quantity": quantity,
                                               "unit_cost": cost, "reference": "Opening count"}, who=admin)  # fmt: skip
    lines = [{"item_id": items["PIPE"], "quantity": "20"}, {"item_id": items["VALVE"], "quantity": "4"}]
    sent = await team.ok("inventory/v1/createTransfer", {"from_location_id": warehouse, "to_location_id": truck,
                                                         "lines": lines}, who=admin)  # fmt: skip
    await team.ok("inventory/v1/receiveTransfer", {"id": sent["id"]}, who=admin)
    point = {"item_id": items["VALVE"], "location_id": truck, "reorder_point": "2", "reorder_quantity": "6"}
    await team.ok("inventory/v1/setReorderPoint", point, who=admin)
    supplier = await team.ok("procurement/v1/createSupplier", {"name": f"Valley Supply {suffix()}"}, who=admin)
    await team.ok("procurement/v1/setSupplierItem", {"supplier_id": supplier["id"], "item_id": items["VALVE"],
                                                     "cost": "8.00", "preferred": True}, who=admin)  # fmt: skip
    return {**items, "warehouse": warehouse, "truck": truck, "supplier": supplier["id"]}


async def _truck_holds(team: Crew, stock: dict[str, str], code: str) -> Decimal:
    found = await team.ok("inventory/v1/levels", {"location_id": stock["truck"], "item_id": stock[code]},
                          who=team.force.manager)  # fmt: skip
    return sum((Decimal(x["on_hand"]) for x in found["items"]), Decimal("0"))


async def test_a_visit_uses_truck_stock_triggers_one_reorder_and_completes(shared_client: httpx.AsyncClient) -> None:
    team = await crew(shared_client, "Journey Six")
    admin = team.force.manager
    stock = await _stocked_truck(team)
    stop = await team.stop()

    # The technician starts the visit with the job template's checklist.
    checklist = await team.ok("fieldTech/v1/applyChecklist", {"visit_id": stop.id, "template_id": team.template_id})
    await team.ok("fieldTech/v1/startWork", {"visit_id": stop.id, "at": stop.at("09:00")})

    # Parts from the truck: stock goes down; more valves than the truck holds are refused, and nothing changes.
    await team.ok("fieldTech/v1/recordMaterial", {"visit_id": stop.id, "code": "PIPE", "quantity": "6"})
    used = await team.ok("fieldTech/v1/recordMaterial", {"visit_id": stop.id, "code": "VALVE", "quantity": "2"})
    assert used["unit_cost"] == "9.00"
    assert (await _truck_holds(team, stock, "PIPE"), await _truck_holds(team, stock, "VALVE")) == (14, 2)
    error = await team.fails("fieldTech/v1/recordMaterial", {"visit_id": stop.id, "code": "VALVE", "quantity": "3"},
                             422, "BUSINESS_RULE_VIOLATION", "INSUFFICIENT_STOCK")  # fmt: skip
    assert Decimal(error["details"]["on_hand"]) == 2
    assert await _truck_holds(team, stock, "VALVE") == 2
    costs = await team.ok("inventory/v1/jobCosts", {"job_id": stop.job_id}, who=admin)
    assert Decimal(costs["total"]) == Decimal("6") * Decimal("3.50") + Decimal("2") * Decimal("9.00")

    # The valves reached the truck's reorder point: one line on the supplier's replenishment draft.
    async def drafted() -> list[dict[str, Any]] | None:
        found = await team.ok("procurement/v1/listReorders", {"item_id": stock["VALVE"]}, who=admin)
        done = [x for x in found["items"] if x["status"] == "DRAFTED"]
        return done or None

    (reorder,) = await until(drafted, "the valve's reorder")
    order = await team.ok("procurement/v1/getPurchaseOrder", {"id": reorder["purchase_order_id"]}, who=admin)
    assert (order["status"], order["supplier_id"], order["location_id"]) == ("DRAFT", stock["supplier"], stock["truck"])
    assert order["supplier_name"].startswith("Valley Supply")
    assert order["location_name"].startswith("Van ")
    assert [(x["item_code"], x["quantity"], x["unit_cost"]) for x in order["lines"]] == [("VALVE", "6.000", "8.00")]

    # The checklist done, the customer signs, the visit and the job are complete.
    for step in checklist["items"]:
        if step["required"]:
            await team.ok("fieldTech/v1/completeStep", {"step_id": step["id"]})
    signature = {"visit_id": stop.id, "signer_name": "Pat Owner", "purpose": "WORK_SUMMARY", "at": stop.at("10:45"),
                 "work_summary": "Replaced two valves and six feet of pipe.", "image_base64": png(3)}  # fmt: skip
    await team.ok("fieldTech/v1/captureSignature", signature)
    completed = await team.ok("fieldTech/v1/completeVisit", {"visit_id": stop.id, "at": stop.at("11:00")})
    assert (completed["visit_status"], completed["job_status"]) == ("COMPLETED", "COMPLETED")

    # The office sends the draft and receives it into the truck: the truck is back above its point.
    await team.ok("procurement/v1/send", {"id": order["id"]}, who=admin)
    line = order["lines"][0]
    body = {"purchase_order_id": order["id"], "lines": [{"line_id": line["id"], "quantity": "6"}]}
    received = await team.ok("procurement/v1/receive", body, who=admin)
    assert received["purchase_order"]["status"] == "RECEIVED"
    assert await _truck_holds(team, stock, "VALVE") == 8
    valve = await team.ok("inventory/v1/getItem", {"id": stock["VALVE"]}, who=admin)
    assert Decimal(valve["average_cost"]) < Decimal("9.00")


async def test_an_agreement_schedules_its_visits_as_jobs_and_renews_once_into_next_year(
    shared_client: httpx.AsyncClient,
) -> None:
    office = await plan(shared_client, "Journey Six Club")
    today = local_today()
    with short_days(0.4):
        # Signed a year ago (its term ends in two days), quarterly on the 15th, renewing itself at +5 %.
        schedule = quarterly_after(today + timedelta(days=3))
        made = await draft(office, term_start=months_before(today + timedelta(days=3), 12).isoformat(),
                           schedule_rrule=schedule, renewal_price_change_percent="5")  # fmt: skip
        await office.ok("maintenance/v1/activate", {"id": made["id"]})

        async def renewed() -> dict[str, Any] | None:
            found = await office.get(made["id"])
            return found if found["term_number"] == 2 else None

        agreement = await until(renewed, "the renewed term")
    (term,) = [t for t in agreement["terms"] if t["term_number"] == 2]
    assert (term["price"], date.fromisoformat(term["term_start"])) == ("252.00", today + timedelta(days=3))

    # Next year's four visits are jobs for dispatch, each once: unassigned visits in their windows, AGREEMENT jobs.
    coming = [v for v in await office.visits(made["id"]) if v["term_number"] == 2]
    assert len(coming) == 4
    assert len({v["occurs_on"] for v in coming}) == 4
    assert all(date.fromisoformat(v["occurs_on"]).day == 15 for v in coming)
    for visit in coming:
        job = await office.ok("job/v1/get", {"id": visit["job_id"]})
        assert (job["source"], job["customer_id"], job["trade"]) == ("AGREEMENT", made["customer_id"], "HVAC")
        assert visit["visit_status"] == "SCHEDULED"
    renewals = (await office.get(made["id"]))["renewals"]
    assert [r["kind"] for r in renewals] == ["AUTO"]
    # The customer agrees to the year after as well, once; then the journey's agreement ends (its short clock).
    await office.ok("maintenance/v1/renew", {"id": made["id"]})
    await office.fails("maintenance/v1/renew", {"id": made["id"]}, 409, "CONFLICT", "ALREADY_RENEWED")
    await office.ok("maintenance/v1/cancel", {"id": made["id"], "reason": "Journey over"})
