"""Set-up for the inventory's HTTP tests: a contractor on the platform (`dispatch.helpers.contractor`) with an ACTIVE
pricebook (plumbing labour LABOR, a service; copper pipe PIPE at 4.00 a foot and a valve VALVE at 10.00, untracked;
a water filter FILTER, lot-tracked; a water heater HEATER, equipment, serial-tracked; thread tape TAPE, a material
nobody stocks), the stocked items, a warehouse, and a technician ready for plumbing in 78258 with their truck. Visits
assigned to the technician come from the field helpers' `Crew.stop`, each on a day of its own."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import text

from hestami.core import runtime
from tests.contractor.dispatch.helpers import contractor
from tests.contractor.field.helpers import Crew, Stop
from tests.support.accounts import Account
from tests.support.rpc import suffix

__all__ = ["Depot", "Stop", "depot"]

RULE = "BUSINESS_RULE_VIOLATION"
ITEMS = {
    "LABOR": ("Plumbing labour", "SERVICE", "HOUR", "40.00", None),
    "PIPE": ("Copper pipe 1/2 in", "MATERIAL", "FOOT", "4.00", "NONE"),
    "VALVE": ("Shut-off valve", "MATERIAL", "EACH", "10.00", "NONE"),
    "FILTER": ("Whole-house water filter", "MATERIAL", "EACH", "30.00", "LOT"),
    "HEATER": ("50 gal water heater", "EQUIPMENT", "EACH", "600.00", "SERIAL"),
    "TAPE": ("Thread tape", "MATERIAL", "EACH", "1.00", None),
}
TABLES = ("inventory_levels", "inventory_movements", "inventory_job_costs", "inventory_serials",
          "inventory_reorder_crossings", "field_materials")  # fmt: skip


@dataclass
class Depot:
    """The contractor (`crew`: its technician `crew.tech`, `crew.technician`), its stocked items by code (`items`),
    its warehouse and the technician's truck, and members by role."""

    crew: Crew
    items: dict[str, str]
    warehouse: str
    truck: str
    members: dict[str, Account] = field(default_factory=dict)

    @property
    def org(self) -> str:
        return self.crew.org

    async def ok(self, path: str, body: dict[str, Any], who: Account | None = None) -> Any:
        return await self.crew.force.ok(path, body, who=who)

    async def fails(self, path: str, body: dict[str, Any], status: int, code: str | None = None,
                    reason: str | None = None, who: Account | None = None) -> dict[str, Any]:  # fmt: skip
        return await self.crew.force.fails(path, body, status, code, reason, who=who)

    async def location(self, kind: str = "WAREHOUSE", **fields: Any) -> str:
        body = {"name": f"{kind.title()} {suffix()}", "kind": kind, **fields}
        return str((await self.ok("inventory/v1/createLocation", body))["id"])

    async def receive(self, location: str, code: str, quantity: str, cost: str = "10.00", **fields: Any) -> Any:
        body = {"location_id": location, "item_id": self.items[code], "quantity": quantity, "unit_cost": cost,
                "reference": "Opening count", **fields}  # fmt: skip
        return await self.ok("inventory/v1/receive", body)

    async def stock_truck(self, code: str, quantity: str, cost: str = "10.00", **line: Any) -> None:
        """Receives at the warehouse and transfers to the truck (received)."""
        await self.receive(self.warehouse, code, quantity, cost, **line)
        lines = [{"item_id": self.items[code], "quantity": quantity, **line}]
        body = {"from_location_id": self.warehouse, "to_location_id": self.truck, "lines": lines}
        sent = await self.ok("inventory/v1/createTransfer", body)
        await self.ok("inventory/v1/receiveTransfer", {"id": sent["id"]})

    async def on_hand(self, location: str, code: str) -> Decimal:
        found = await self.ok("inventory/v1/levels", {"location_id": location, "item_id": self.items[code]})
        return sum((Decimal(x["on_hand"]) for x in found["items"]), Decimal("0"))

    async def use(self, stop: Stop, code: str, quantity: str, who: Account | None = None, **more: Any) -> Any:
        body = {"visit_id": stop.id, "code": code, "quantity": quantity, **more}
        return await self.ok("fieldTech/v1/recordMaterial", body, who=who or self.crew.tech)

    async def counts(self) -> dict[str, int]:
        found = {}
        async with runtime.current().database.transaction(organization_id=uuid.UUID(self.org), user_id=None) as s:
            for table in TABLES:
                found[table] = int((await s.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())
        return found

    async def ledger_matches_levels(self) -> None:
        """The sum of the movements equals the balance rows, per item, location and lot."""
        sql = """
            SELECT count(*) FROM (
              SELECT item_id, location_id, lot_number, sum(quantity) AS q FROM inventory_movements
              GROUP BY item_id, location_id, lot_number) m
            FULL JOIN inventory_levels l ON l.item_id = m.item_id AND l.location_id = m.location_id
              AND l.lot_number IS NOT DISTINCT FROM m.lot_number
            WHERE coalesce(m.q, 0) <> coalesce(l.on_hand, 0)"""
        async with runtime.current().database.transaction(organization_id=uuid.UUID(self.org), user_id=None) as s:
            assert int((await s.execute(text(sql))).scalar_one()) == 0


async def depot(client: httpx.AsyncClient, label: str = "Stock") -> Depot:
    force = await contractor(client, label)
    tech = await force.member(["TECHNICIAN"])
    technician = await force.ready(who=tech)
    version = (await force.ok("pricebook/v1/createVersion", {"name": "Stock book"}))["id"]
    for code, (name, kind, unit, cost, _) in ITEMS.items():
        body = {"version_id": version, "code": code, "name": name, "kind": kind, "unit": unit, "cost": cost,
                "price": str(Decimal(cost) * 2)}  # fmt: skip
        await force.ok("pricebook/v1/createItem", body)
    await force.ok("pricebook/v1/publishVersion", {"id": version})
    await force.ok("pricebook/v1/activateVersion", {"id": version})
    crew = Crew(force, tech, technician, "")
    items = {}
    for code, (*_, tracking) in ITEMS.items():
        if tracking is not None:
            made = await force.ok("inventory/v1/createItem", {"code": code, "tracking": tracking})
            items[code] = str(made["id"])
    warehouse = await force.ok("inventory/v1/createLocation", {"name": f"Warehouse {suffix()}", "kind": "WAREHOUSE",
                                                               "branch_id": force.branches["North"]})  # fmt: skip
    truck = await force.ok("inventory/v1/createLocation", {"name": f"Truck {suffix()}", "kind": "TRUCK",
                                                           "technician_id": technician["id"]})  # fmt: skip
    made = Depot(crew, items, str(warehouse["id"]), str(truck["id"]))
    for role in ("MANAGER", "VENDOR", "DISPATCHER"):
        made.members[role] = await force.member([role])
    return made
