"""Journey 5's demo as data: Sunset Ridge HOA's clubhouse roof leaks; its manager puts the work order out to bid to
Cibolo Creek Roofing, whose manager (roofer@) prices three options from the "Roof leak repair" template of its
roofing book, sends them, and the HOA's manager (manager@) accepts "Better"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

CIBOLO = "cibolo-roofing"
SUNSET = "sunset-ridge-hoa"
ASSOCIATION = "Sunset Ridge Homeowners Association"
CLUBHOUSE = "Sunset Ridge Clubhouse"
TEMPLATE = "Roof leak repair"
ZONE = ZoneInfo("America/Chicago")
ACCEPTED = "Better"

WORK_ORDER_TITLE = "Clubhouse roof leaking over the kitchen"
WORK_ORDER_DESCRIPTION = (
    "Water stains spread on the clubhouse kitchen ceiling after Sunday's storm and the drywall is soft near the "
    "vent stack. Please inspect the roof over the kitchen and quote the repair."
)
MESSAGE = (
    "Thank you for the invitation to bid. We inspected from the ground and the attic: the leak is at the vent "
    "stack's boot and the step flashing beside it. Three ways to fix it below; Better adds new decking and boots."
)


@dataclass(frozen=True)
class OptionSpec:
    name: str
    tier: str
    description: str
    extra: tuple[tuple[str, str], ...]
    discount_percent: Decimal = Decimal("0")


OPTIONS = (
    OptionSpec("Good", "GOOD", "Repair the leak: flashing, sealant and the damaged shingles.", ()),
    OptionSpec(
        "Better", "BETTER", "The repair plus new underlayment, two lead pipe boots and decking where it is soft.",
        (("RF-UNDERLAY", "1"), ("RF-BOOT", "2"), ("RF-DECK", "2")),
    ),
    OptionSpec(
        "Best", "BEST", "Re-roof the kitchen wing: decking, underlayment, drip edge, shingles; a crew of two.",
        (("RF-UNDERLAY", "3"), ("RF-DECK", "6"), ("RF-DRIP", "8"), ("RF-SHINGLE", "18"), ("RF-LAB", "8"),
         ("RF-LAB-HELP", "10")),
        Decimal("5"),
    ),
)  # fmt: skip


def planned_visit(today: date) -> datetime:
    """The next weekday at 9 am, Chicago time, at least two days out."""
    day = today + timedelta(days=2)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(9), tzinfo=ZONE)
