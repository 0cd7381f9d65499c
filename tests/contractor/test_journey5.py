"""Journey 5 end to end over HTTP, nothing stubbed: an HOA work order becomes a contractor job and comes back as a
payable. The manager puts the clubhouse roof (a reserve component) out to bid to two linked roofers → one prices it
from its pricebook with Good / Better / Best and sends it (its bid) → the manager accepts "Better" (the roofer's
bid accepted at that total, the other rejected, the work order assigned) → the hand-off opens the roofer's job →
its dispatcher books a roofing technician → the technician travels, works the template's checklist, takes a photo,
uses a part and gets the customer's signature → the job and the work order are COMPLETED → the roofer invoices the
job from the accepted option → the association's payables show it PENDING_APPROVAL, linked to the work order, on
the reserve fund's account → the association pays it → the roofer's invoice is PAID and the job CLOSED.
Nothing is typed twice: the amounts the HOA sees are the option's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.cam.work_order.helpers import link, new_order
from tests.cam.work_order.test_reserve_replacement import component
from tests.contractor.dispatch.helpers import at, window
from tests.contractor.estimate.helpers import hoa, shop
from tests.contractor.field.helpers import png
from tests.contractor.invoice.helpers import until
from tests.support.accounts import account, organization
from tests.support.contractors import contractor_profile
from tests.support.rpc import ok, suffix

pytestmark = pytest.mark.usefixtures("unthrottled")
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")


async def test_a_roof_bid_becomes_a_job_an_invoice_and_a_payable_of_the_reserve_fund(
    shared_client: httpx.AsyncClient,
) -> None:
    c = shared_client
    roofer = await shop(c, "Journey Roofing")
    rival_admin = await account(c)
    rival = str((await organization(c, rival_admin, f"Rival Roofing {suffix()}", "SERVICE_PROVIDER"))["id"])
    await contractor_profile(c, rival_admin, rival, trades=("ROOFING",), zip_codes=("78258",))
    h = await hoa(c, roofer)
    await link(c, h.manager, h.org, h.association_id, rival)

    # 1. The manager requests bids on the clubhouse roof from both roofers.
    roof = await component(c, h.manager, h.org, h.association_id, name=f"Clubhouse roof {suffix()}")
    order = await new_order(c, h.manager, h.org, h.association_id, category="ROOFING", reserve_component_id=roof["id"],
                            title="Replace the clubhouse roof")  # fmt: skip
    await h.ok("workOrder/v1/updateStatus", {"id": order["id"], "status": "TRIAGED"})
    bids = await h.ok("bid/v1/requestBids", {"work_order_id": order["id"],
                                             "provider_organization_ids": [roofer.org, rival]})  # fmt: skip
    ours = next(b for b in bids["items"] if b["provider_organization_id"] == roofer.org)

    # 2. The roofer prices it from its pricebook, three ways, and sends it: its bid.
    options = [roofer.option("Good", "GOOD"), roofer.option("Better", "BETTER", extra=1),
               roofer.option("Best", "BEST", extra=3)]  # fmt: skip
    made = await roofer.ok("estimate/v1/generate", {"bid_id": ours["id"], "options": options})
    sent = await roofer.ok("estimate/v1/send", {"id": made["id"], "message": "Three ways to fix it."})
    better = next(o for o in sent["options"] if o["name"] == "Better")

    # 3. The manager accepts "Better": the roofer is assigned, the rival's bid rejected, the job handed off.
    proposal = next(p for p in (await h.ok("estimate/v1/listProposals", {}))["items"] if p["estimate_id"] == made["id"])
    await h.ok("estimate/v1/acceptOption", {"proposal_id": proposal["id"], "option_id": better["id"]})
    decided = {b["provider_organization_id"]: (b["status"], b["amount"])
               for b in (await h.ok("bid/v1/listBids", {"work_order_id": order["id"]}))["items"]}  # fmt: skip
    assert decided[roofer.org] == ("ACCEPTED", better["total"])
    assert decided[rival][0] == "REJECTED"
    assert (await h.ok("workOrder/v1/get", {"id": order["id"]}))["status"] == "ASSIGNED"

    async def handed_off() -> dict[str, Any] | None:
        page = await roofer.ok("job/v1/list", {"work_order_id": order["id"]})
        return page["items"][0] if page["items"] else None

    job = await until(handed_off, "the roofer's job")
    assert (job["source"], job["trade"]) == ("WORK_ORDER", "ROOFING")

    # 4. The dispatcher books a roofing technician; the technician does the work and gets a signature.
    tech_account = roofer.members["TECHNICIAN"]
    tech = await roofer.ok("technician/v1/create", {"user_id": str(tech_account.user_id), "display_name": "Ray Roofer"})
    await roofer.ok("technician/v1/addSkill", {"id": tech["id"], "trade": "ROOFING", "level": "JOURNEYMAN"})
    shifts = [{"weekday": d, "start_time": "07:00", "end_time": "17:00"} for d in WEEKDAYS]
    await roofer.ok("technician/v1/setShifts", {"id": tech["id"], "shifts": shifts})
    await roofer.ok("technician/v1/setTerritory", {"id": tech["id"], "zip_codes": [job["zip_code"]]})
    stop = await roofer.ok(
        "job/v1/addVisit", {"job_id": job["id"], "duration_minutes": 180, **window("08:00", "10:00")}
    )
    booking = {"visit_id": stop["id"], "technician_id": tech["id"], "starts_at": at("08:30")}
    await ok(c, roofer.members["DISPATCHER"], roofer.org, "dispatch/v1/assignTech", booking)

    async def field(path: str, body: dict[str, Any]) -> Any:
        return await ok(c, tech_account, roofer.org, f"fieldTech/v1/{path}", {"visit_id": stop["id"], **body})

    checklist = await field("applyChecklist", {"template_id": roofer.template_id})
    await field("startTravel", {"at": at("08:05")})
    await field("startWork", {"at": at("08:35")})
    for step in checklist["items"]:
        await ok(c, tech_account, roofer.org, "fieldTech/v1/completeStep", {"step_id": step["id"]})
    await field("uploadMedia", {"file_name": "flashing.png", "content_base64": png(3), "caption": "New flashing"})
    await field("recordMaterial", {"code": "FLASH-KIT", "quantity": "1"})
    await field("captureSignature", {"signer_name": "Morgan Manager", "purpose": "WORK_SUMMARY", "at": at("11:20"),
                                     "work_summary": "Re-roofed the clubhouse.", "image_base64": png(9)})  # fmt: skip
    done = await field("completeVisit", {"at": at("11:30")})
    assert (done["visit_status"], done["job_status"]) == ("COMPLETED", "COMPLETED")

    async def work_order_completed() -> bool:
        return (await h.ok("workOrder/v1/get", {"id": order["id"]}))["status"] == "COMPLETED"

    await until(work_order_completed, "the work order COMPLETED")

    # 5. The roofer invoices the job from the accepted option; it lands in the association's payables.
    draft = await roofer.ok("invoice/v1/createFromJob", {"job_id": job["id"], "kind": "FINAL"})
    assert Decimal(draft["total"]) == Decimal(better["total"])
    invoice = await roofer.ok("invoice/v1/issue", {"id": draft["id"]})

    async def in_payables() -> dict[str, Any] | None:
        found = await roofer.ok("invoice/v1/get", {"id": invoice["id"]})
        return found if found["ap_invoice_id"] else None

    invoice = await until(in_payables, "the invoice in the association's payables")
    ap = await h.ok("accounting/apInvoice/v1/get", {"id": invoice["ap_invoice_id"]})
    assert (ap["status"], ap["invoice_number"], Decimal(ap["amount"])) == (
        "PENDING_APPROVAL", invoice["number"], Decimal(better["total"]),
    )  # fmt: skip
    assert (ap["source_type"], ap["source_id"]) == ("WORK_ORDER", order["id"])
    chart = await h.ok("accounting/glAccount/v1/list", {"association_id": h.association_id, "limit": 200})
    accounts = {a["id"]: a for a in chart["items"]}
    assert {accounts[line["gl_account_id"]]["fund"] for line in ap["lines"]} == {"RESERVE"}
    assert (await h.ok("workOrder/v1/get", {"id": order["id"]}))["ap_invoice_id"] == ap["id"]

    # The association pays it: the roofer's invoice is paid and its job closed.
    await h.ok("accounting/apInvoice/v1/approve", {"id": ap["id"]})
    await h.ok("vendor/v1/update", {"id": ap["vendor_id"], "w9_on_file": True})
    await h.ok("accounting/apInvoice/v1/pay", {"id": ap["id"], "paid_on": "2026-12-05", "reference": "Check 4410"})

    async def paid() -> dict[str, Any] | None:
        found = await roofer.ok("invoice/v1/get", {"id": invoice["id"]})
        return found if found["status"] == "PAID" else None

    settled = await until(paid, "the roofer's invoice PAID")
    assert Decimal(settled["balance"]) == 0

    async def closed() -> bool:
        return (await roofer.ok("job/v1/get", {"id": job["id"]}))["status"] == "CLOSED"

    await until(closed, "the job CLOSED")
