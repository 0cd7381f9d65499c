"""`kill -9` around `inventory_workflow_v1`: right after a level crossed its reorder point (the run started in that
transaction; its steps perhaps not taken, perhaps half taken). After the restart DBOS recovers the run and the
crossing has exactly one line on the supplier's replenishment draft; a second crossing, killed again, adds exactly
one more line to the same draft.

Runs `hestami serve` as a subprocess (`served_with_clock`, an executor id of its own) so the restarted server
recovers the run it left."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hestami.core.config import Settings
from tests.support.contractors import served_contractor_profile
from tests.support.serve import ServedCaller, ServeProcess, served_with_clock, wait_until

CLOCK: dict[str, float] = {}  # inventory_workflow_v1 has no timer: nothing to shorten
ITEMS = (
    {"code": "PIPE-K", "name": "Copper pipe 3/4 in", "kind": "MATERIAL", "unit": "FOOT", "cost": "5.00",
     "price": "14.00", "taxable": True},
    {"code": "VLV-K", "name": "Ball valve", "kind": "MATERIAL", "unit": "EACH", "cost": "9.00", "price": "29.00",
     "taxable": True},
)  # fmt: skip


@pytest.fixture
def server(
    settings: Settings, stack_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServeProcess]:
    """`settings` first: the stack is migrated before the server starts on it."""
    with served_with_clock(stack_env, tmp_path, monkeypatch, "reorderkill", CLOCK) as running:
        yield running


def _stocked(admin: ServedCaller, org: str) -> tuple[dict[str, str], str]:
    version = admin.ok("pricebook/v1/createVersion", {"name": f"Book {secrets.token_hex(3)}"}, org)
    for item in ITEMS:
        admin.ok("pricebook/v1/createItem", {"version_id": version["id"], **item}, org)
    admin.ok("pricebook/v1/publishVersion", {"id": version["id"]}, org)
    admin.ok("pricebook/v1/activateVersion", {"id": version["id"]}, org)
    items = {x["code"]: admin.ok("inventory/v1/createItem", {"code": x["code"]}, org)["id"] for x in ITEMS}
    warehouse = admin.ok("inventory/v1/createLocation", {"name": "Yard", "kind": "WAREHOUSE"}, org)["id"]
    supplier = admin.ok("procurement/v1/createSupplier", {"name": "Crash Supply"}, org)
    for item in items.values():
        admin.ok("procurement/v1/setSupplierItem", {"supplier_id": supplier["id"], "item_id": item, "cost": "4.00",
                                                    "preferred": True}, org)  # fmt: skip
        admin.ok("inventory/v1/setReorderPoint", {"item_id": item, "location_id": warehouse, "reorder_point": "2",
                                                  "reorder_quantity": "20"}, org)  # fmt: skip
        admin.ok("inventory/v1/adjust", {"location_id": warehouse, "item_id": item, "quantity": "5",
                                         "reason": "COUNT"}, org)  # fmt: skip
    return items, warehouse


def _cross(admin: ServedCaller, org: str, item: str, warehouse: str) -> None:
    admin.ok("inventory/v1/adjust", {"location_id": warehouse, "item_id": item, "quantity": "-4", "reason": "LOST"},
             org)  # fmt: skip


def test_kill_9_mid_reorder_drafts_one_line_per_crossing(server: ServeProcess) -> None:
    server.start()
    admin = ServedCaller.register(server, "reorderkill")
    org = admin.ok("organization/v1/create", {"name": f"Crash Reorders {secrets.token_hex(3)}",
                                              "type": "SERVICE_PROVIDER"})["organization"]["id"]  # fmt: skip
    served_contractor_profile(admin.ok, org)
    items, warehouse = _stocked(admin, org)

    def drafted(count: int) -> Any:
        def probe() -> list[dict[str, Any]] | None:
            found = admin.ok("procurement/v1/listReorders", {"status": "DRAFTED"}, org)["items"]
            return found if len(found) >= count else None

        return probe

    _cross(admin, org, items["PIPE-K"], warehouse)
    server.kill9()  # at once: the run's steps may or may not have run
    server.start()
    (first,) = wait_until(drafted(1), 60, "the pipe's reorder DRAFTED")
    _cross(admin, org, items["VLV-K"], warehouse)
    server.kill9()
    server.start()
    both = wait_until(drafted(2), 60, "the valve's reorder DRAFTED")
    assert {r["purchase_order_id"] for r in both} == {first["purchase_order_id"]}
    order = admin.ok("procurement/v1/getPurchaseOrder", {"id": first["purchase_order_id"]}, org)
    assert Counter(x["item_code"] for x in order["lines"]) == {"PIPE-K": 1, "VLV-K": 1}
    assert {x["crossing_id"] for x in order["lines"]} == {r["crossing_id"] for r in both}
    assert (order["status"], order["total"]) == ("DRAFT", "160.00")
    reorders = admin.ok("procurement/v1/listReorders", {}, org)["items"]
    assert len(reorders) == 2
