"""The demo inventory as data: Evergreen Plumbing & HVAC's two branch warehouses (Austin North, Austin South), a
truck for each of its six technicians (tech1@ .. tech6@), stocked from their branch's warehouse through received
transfers, from the pricebook's materials and equipment (`pricebook/demo_data.py`), with reorder points on the
warehouses and trucks. Terry Tech's truck holds one flapper kit more than its reorder point: the procurement demo's
visit uses one and crosses it (REORDER_DEMO_TRUCK, REORDER_DEMO_CODE)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

EVERGREEN = "evergreen-plumbing"
NORTH, SOUTH = "Austin North", "Austin South"
OPENING = "Opening count"

REORDER_DEMO_TECH_LOGIN = "tech1"
REORDER_DEMO_TRUCK = "Truck 1 (Terry Tech)"
"""The truck (location name) whose flapper kits sit one above the reorder point."""
REORDER_DEMO_CODE = "FLAPPER-KIT"


@dataclass(frozen=True)
class StockedItem:
    code: str
    tracking: str = "NONE"


ITEMS: tuple[StockedItem, ...] = (
    StockedItem("CU-34"), StockedItem("CU-12"), StockedItem("PEX-34"), StockedItem("PEX-12"),
    StockedItem("VLV-BALL-34"), StockedItem("SUPPLY-LINE"), StockedItem("WAX-RING"), StockedItem("FLAPPER-KIT"),
    StockedItem("EXP-TANK"), StockedItem("HVAC-FILTER"), StockedItem("HVAC-R410A", "LOT"),
    StockedItem("EQ-DEHUM", "SERIAL"),
)  # fmt: skip


@dataclass(frozen=True)
class Warehouse:
    name: str
    branch: str
    receipts: tuple[tuple[str, str, str, str | None, tuple[str, ...]], ...]
    """(code, quantity, unit cost, lot, serial numbers)."""


WAREHOUSES: tuple[Warehouse, ...] = (
    Warehouse("Austin North Warehouse", NORTH, (
        ("CU-34", "400", "4.05", None, ()), ("CU-12", "500", "2.55", None, ()), ("PEX-34", "600", "0.82", None, ()),
        ("PEX-12", "800", "0.54", None, ()), ("VLV-BALL-34", "60", "13.80", None, ()),
        ("SUPPLY-LINE", "80", "5.90", None, ()), ("WAX-RING", "50", "3.95", None, ()),
        ("FLAPPER-KIT", "40", "11.75", None, ()), ("EXP-TANK", "12", "44.00", None, ()),
        ("HVAC-FILTER", "150", "5.85", None, ()), ("HVAC-R410A", "60", "27.50", "R410-2611", ()),
        ("EQ-DEHUM", "2", "1340.00", None, ("DH70-24001", "DH70-24002")),
    )),
    Warehouse("Austin South Warehouse", SOUTH, (
        ("CU-34", "300", "4.15", None, ()), ("CU-12", "400", "2.65", None, ()), ("PEX-34", "500", "0.86", None, ()),
        ("PEX-12", "600", "0.56", None, ()), ("VLV-BALL-34", "40", "14.10", None, ()),
        ("SUPPLY-LINE", "60", "6.05", None, ()), ("WAX-RING", "40", "4.05", None, ()),
        ("FLAPPER-KIT", "40", "12.20", None, ()), ("EXP-TANK", "8", "45.50", None, ()),
        ("HVAC-FILTER", "120", "6.10", None, ()), ("HVAC-R410A", "40", "28.25", "R410-2614", ()),
    )),
)  # fmt: skip

TRUCK_LOAD: tuple[tuple[str, str], ...] = (
    ("CU-34", "40"), ("CU-12", "50"), ("PEX-34", "60"), ("PEX-12", "80"), ("VLV-BALL-34", "6"),
    ("SUPPLY-LINE", "8"), ("WAX-RING", "4"), ("FLAPPER-KIT", "6"), ("HVAC-FILTER", "12"),
)  # fmt: skip
"""What each truck is loaded with from its branch's warehouse (the reorder demo's truck gets FLAPPER-KIT below)."""
R410A_PER_TRUCK = "5"
REORDER_DEMO_LOAD = "4"


@dataclass(frozen=True)
class DemoPoint:
    code: str
    reorder_point: Decimal
    reorder_quantity: Decimal | None = None
    max_level: Decimal | None = None


WAREHOUSE_POINTS: tuple[DemoPoint, ...] = (
    DemoPoint("CU-34", Decimal("100"), reorder_quantity=Decimal("300")),
    DemoPoint("FLAPPER-KIT", Decimal("20"), reorder_quantity=Decimal("24")),
    DemoPoint("HVAC-FILTER", Decimal("40"), max_level=Decimal("200")),
)
TRUCK_POINTS: tuple[DemoPoint, ...] = (
    DemoPoint("FLAPPER-KIT", Decimal("3"), max_level=Decimal("6")),
    DemoPoint("SUPPLY-LINE", Decimal("2"), max_level=Decimal("8")),
)


def truck_name(number: int, technician: str) -> str:
    return f"Truck {number} ({technician})"
