"""The demo's invoices (`demo.py`): Evergreen invoices Sunset Ridge for the pool deck shower valve job the field demo
completed (into the association's payables), takes a 30 % deposit by card for a homeowner's tankless water heater
(an accepted "Better" estimate), is partly paid for a water softener, and waits on two overdue invoices."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from hestami.contractor.field.demo_data import POOL_SHOWER
from hestami.contractor.technician.demo_data import EVERGREEN

__all__ = ["DEPOSIT", "EVERGREEN", "OVERDUE", "PARTLY_PAID", "PAYABLES_WAIT_SECONDS", "POOL_SHOWER", "DemoBill"]

PAYABLES_WAIT_SECONDS = 30.0
"""How long the seeder waits for `invoice_payment_v1` to enter the pool job's invoice in Sunset Ridge's payables
(it waits for the hand-off to mirror the job's completion onto the work order first)."""


@dataclass(frozen=True)
class DemoBill:
    job_title: str
    lines: tuple[tuple[str, str, str, str, bool], ...]
    """(code, description, quantity, unit price, taxable)."""
    issued_days_ago: int
    terms_days: int
    paid: Decimal = Decimal("0")
    customer: str | None = None
    """A customer for a job the seeder opens itself (title not among the job demo's)."""


@dataclass(frozen=True)
class DemoDeposit:
    job_title: str
    options: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]
    """(name, tier, ((code, quantity), ...))."""
    accepted: str
    accepted_by: str
    percent: Decimal
    card_token: str


DEPOSIT = DemoDeposit(
    "Tankless water heater installation",
    (
        ("Good", "GOOD", (("WH-50-GAS", "1"),)),
        ("Better", "BETTER", (("WH-TANKLESS", "1"), ("VLV-BALL-34", "2"))),
        ("Best", "BEST", (("WH-TANKLESS", "1"), ("VLV-BALL-34", "2"), ("CU-34", "20"))),
    ),
    accepted="Better", accepted_by="Priya Raman", percent=Decimal("30"),
    card_token="tok_demo_visa_4242",  # noqa: S106 - the recording payment provider's test token
)  # fmt: skip
PARTLY_PAID = DemoBill(
    "Water softener installation",
    (("SOFT-48K", "48,000-grain water softener, installed", "1", "1895.00", True),
     ("CU-34", '3/4" copper pipe, type L, per foot', "12", "8.75", True)),
    issued_days_ago=12, terms_days=30, paid=Decimal("1000.00"),
)  # fmt: skip
OVERDUE = (
    DemoBill("Repair a leaking outdoor spigot",
             (("SVC-CALL", "Service call / trip charge", "1", "89.00", False),
              ("FIX-SPIGOT", "Frost-free sillcock replacement", "1", "245.00", True)),
             issued_days_ago=48, terms_days=15),
    DemoBill("Main line cleanout after a backup",
             (("DRN-MAIN", "Main line cleanout (cable)", "1", "375.00", False),
              ("DRN-CAMERA", "Sewer camera inspection", "1", "295.00", False)),
             issued_days_ago=100, terms_days=30, customer="Derek Lawson"),
)  # fmt: skip
