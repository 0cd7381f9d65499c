"""Set-up for procurement's HTTP tests: a contractor with an active pricebook (`invoice.helpers.books`: copper pipe
PIPE-1 and a shut-off valve VLV-1 among its materials), both stocked as inventory items, a warehouse and a second
location, and its members by role; suppliers and purchase orders made through the API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from hestami.core import runtime
from tests.contractor.invoice.helpers import Books, books, until
from tests.support.accounts import Account
from tests.support.rpc import suffix

__all__ = ["TABLES", "Stock", "stock", "until"]

TABLES = (
    "procurement_suppliers", "procurement_supplier_items", "procurement_purchase_orders",
    "procurement_purchase_order_lines", "procurement_purchase_order_status_history", "procurement_receipts",
    "procurement_receipt_lines", "procurement_reorders",
)  # fmt: skip


@dataclass
class Stock:
    """A contractor's books with inventory: `items` by code, `warehouse` and `annex` location ids."""

    books: Books
    items: dict[str, str] = field(default_factory=dict)
    warehouse: str = ""
    annex: str = ""

    @property
    def org(self) -> str:
        return self.books.org

    @property
    def members(self) -> dict[str, Account]:
        return self.books.members

    async def ok(self, path: str, body: dict[str, Any], who: Account | None = None) -> Any:
        return await self.books.ok(path, body, who)

    async def fails(self, path: str, body: dict[str, Any], status: int, code: str | None = None,
                    reason: str | None = None, who: Account | None = None) -> dict[str, Any]:  # fmt: skip
        return await self.books.fails(path, body, status, code, reason, who)

    async def supplier(self, name: str | None = None, **fields: Any) -> dict[str, Any]:
        body = {"name": name or f"Supply House {suffix()}", **fields}
        return dict(await self.ok("procurement/v1/createSupplier", body))

    async def offer(self, supplier_id: str, code: str, cost: str, preferred: bool = True) -> dict[str, Any]:
        body = {"supplier_id": supplier_id, "item_id": self.items[code], "cost": cost, "preferred": preferred,
                "supplier_part_number": f"SP-{code}"}  # fmt: skip
        return dict(await self.ok("procurement/v1/setSupplierItem", body))

    async def order(self, supplier_id: str, lines: tuple[tuple[str, str], ...] = (("PIPE-1", "10"),),
                    location: str | None = None) -> dict[str, Any]:  # fmt: skip
        body = {"supplier_id": supplier_id, "location_id": location or self.warehouse,
                "lines": [{"item_id": self.items[c], "quantity": q} for c, q in lines]}  # fmt: skip
        return dict(await self.ok("procurement/v1/createPurchaseOrder", body))

    async def sent(self, supplier_id: str, lines: tuple[tuple[str, str], ...] = (("PIPE-1", "10"),)) -> dict[str, Any]:
        made = await self.order(supplier_id, lines)
        return dict(await self.ok("procurement/v1/send", {"id": made["id"]}))

    async def on_hand(self, code: str, location: str | None = None) -> Decimal:
        levels = await self.ok("inventory/v1/levels", {"location_id": location or self.warehouse,
                                                           "item_id": self.items[code]})  # fmt: skip
        return sum((Decimal(x["on_hand"]) for x in levels["items"]), Decimal("0"))

    async def cross(self, code: str, location: str | None = None) -> None:
        """Stock brought to 10 with a reorder point of 5 (reorder 12), then 6 lost: the level crosses to 4."""
        where = location or self.warehouse
        item = self.items[code]
        found = str(10 - await self.on_hand(code, where))
        await self.ok("inventory/v1/setReorderPoint", {"item_id": item, "location_id": where, "reorder_point": "5",
                                                       "reorder_quantity": "12"})  # fmt: skip
        await self.ok("inventory/v1/adjust", {"location_id": where, "item_id": item, "quantity": found,
                                              "reason": "FOUND"})  # fmt: skip
        await self.ok("inventory/v1/adjust", {"location_id": where, "item_id": item, "quantity": "-6",
                                              "reason": "LOST"})  # fmt: skip

    async def table_counts(self) -> dict[str, int]:
        async with runtime.current().database.transaction(organization_id=uuid.UUID(self.org), user_id=None) as s:
            return {t: int((await s.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one()) for t in TABLES}


async def stock(client: Any, label: str = "Procurement") -> Stock:
    made = Stock(await books(client, label))
    for code in ("PIPE-1", "VLV-1"):
        item = await made.ok("inventory/v1/createItem", {"code": code})
        made.items[code] = item["id"]
    made.warehouse = (await made.ok("inventory/v1/createLocation", {"name": "Main warehouse",
                                                                    "kind": "WAREHOUSE"}))["id"]  # fmt: skip
    made.annex = (await made.ok("inventory/v1/createLocation", {"name": "Annex", "kind": "WAREHOUSE"}))["id"]
    return made
