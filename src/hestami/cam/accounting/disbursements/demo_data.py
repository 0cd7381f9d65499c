"""The demo's payables waiting for approval at Sunset Ridge (Journey 1 step 3): three invoices under the manager's
limit and one above it, which waits for a board member once Morgan Manager approves it; the operating account's
payment profile and the landscaper's ACH account, so a payment batch can pay them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ORGANIZATION = "sunset-ridge-hoa"
ODFI_ROUTING = "111000025"
COMPANY_NAME = "SUNSET RIDGE HOA"
COMPANY_IDENTIFICATION = "1742233445"
FIRST_CHECK = 2041
ACH_VENDOR = "landscaping"
ACH_ROUTING = "114000093"
ACH_ACCOUNT = "40012877361"


@dataclass(frozen=True, slots=True)
class Waiting:
    vendor: str
    number: str
    amount: Decimal
    account: str
    description: str


WAITING = (
    Waiting("landscaping", "HCL-5521", Decimal("1480.00"), "5300", "Spring mulch and shrub replacement, main entrance"),
    Waiting("pool", "CCP-0934", Decimal("640.00"), "5400", "Pool pump seal replaced"),
    Waiting("landscaping", "HCL-5534", Decimal("2315.50"), "5300", "Irrigation controller and two zone valves"),
    Waiting("pool", "CCP-0951", Decimal("8940.00"), "5400", "Pool deck resurfacing (above the manager's limit)"),
)
