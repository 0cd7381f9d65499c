"""The demo's procurement as data (`demo.py`): Evergreen Plumbing & HVAC buys its stock (`inventory/demo_data.py`)
from three suppliers, each the preferred supplier of its items; a pipe and valve order sent a week ago is partly
received into the Austin North warehouse (the pipe in full, ten of the valves), a filter order to Austin South was
received and closed; and Terry Tech uses a flapper kit on one of his visits, which takes his truck to its reorder
point: `inventory_workflow_v1` drafts the kit's line on its supplier's replenishment order for the truck."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from hestami.contractor.inventory.demo_data import (
    EVERGREEN,
    REORDER_DEMO_CODE,
    REORDER_DEMO_TECH_LOGIN,
    REORDER_DEMO_TRUCK,
)

__all__ = [
    "CLOSED_ORDER", "EVERGREEN", "PARTLY_RECEIVED", "REORDER_DEMO_CODE", "REORDER_DEMO_TECH_LOGIN",
    "REORDER_DEMO_TRUCK", "REORDER_WAIT_SECONDS", "SUPPLIERS", "DemoOrder", "DemoSupplier",
]  # fmt: skip

REORDER_WAIT_SECONDS = 30.0
"""How long the seeder waits for `inventory_workflow_v1` to draft the flapper kit's line."""


@dataclass(frozen=True)
class DemoSupplier:
    name: str
    contact_name: str
    email: str
    phone: str
    terms_days: int
    lead_time_days: int
    vendor_reference: str
    items: tuple[tuple[str, str, bool], ...]
    """(code, cost, preferred)."""


SUPPLIERS: tuple[DemoSupplier, ...] = (
    DemoSupplier("Hill Country Plumbing Supply", "Rosa Delgado", "orders@hillcountrysupply.example", "512-555-0142",
                 30, 2, "HCPS-20418", (("CU-34", "3.98", True), ("CU-12", "2.49", True), ("PEX-34", "0.79", True),
                                       ("PEX-12", "0.52", True), ("VLV-BALL-34", "13.45", True),
                                       ("SUPPLY-LINE", "5.75", True))),
    DemoSupplier("Lone Star Fixtures & Parts", "Walt Kimura", "counter@lonestarfixtures.example", "210-555-0177",
                 45, 4, "LSF-7731", (("WAX-RING", "3.85", True), ("FLAPPER-KIT", "11.60", True),
                                     ("EXP-TANK", "43.20", True), ("CU-34", "4.10", False))),
    DemoSupplier("Capital HVAC Distributors", "Nadia Okafor", "sales@capitalhvac.example", "512-555-0108", 30, 5,
                 "CHD-00912", (("HVAC-FILTER", "5.70", True), ("HVAC-R410A", "27.10", True),
                               ("EQ-DEHUM", "1315.00", True))),
)  # fmt: skip


@dataclass(frozen=True)
class DemoOrder:
    supplier: str
    warehouse: str
    ordered_days_ago: int
    lines: tuple[tuple[str, Decimal, Decimal], ...]
    """(code, quantity ordered, quantity received)."""
    close: bool


PARTLY_RECEIVED = DemoOrder("Hill Country Plumbing Supply", "Austin North Warehouse", 6,
                            (("CU-34", Decimal("200"), Decimal("200")), ("VLV-BALL-34", Decimal("24"), Decimal("10"))),
                            close=False)  # fmt: skip
CLOSED_ORDER = DemoOrder("Capital HVAC Distributors", "Austin South Warehouse", 20,
                         (("HVAC-FILTER", Decimal("60"), Decimal("60")),), close=True)  # fmt: skip
