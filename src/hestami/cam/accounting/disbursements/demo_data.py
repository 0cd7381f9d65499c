"""The demo's payables at Sunset Ridge: waiting for approval (Journey 1 step 3), three invoices under the manager's
limit and one above it, which waits for a board member once Morgan Manager approves it; the operating account's
payment profile and the landscaper's ACH account, so a payment batch can pay them. Besides them, two invoices
paid in a completed payment batch (one by ACH, one by check) and two approved ones waiting for the next batch."""

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
class Bill:
    vendor: str
    number: str
    amount: Decimal
    account: str
    description: str


WAITING = (
    Bill("landscaping", "HCL-5521", Decimal("1480.00"), "5300", "Spring mulch and shrub replacement, main entrance"),
    Bill("pool", "CCP-0934", Decimal("640.00"), "5400", "Pool pump seal replaced"),
    Bill("landscaping", "HCL-5534", Decimal("2315.50"), "5300", "Irrigation controller and two zone valves"),
    Bill("pool", "CCP-0951", Decimal("8940.00"), "5400", "Pool deck resurfacing (above the manager's limit)"),
)

PAID_INVOICE_DAYS_AGO = 24
PAID_ON_DAYS_AGO = 10
TO_PAY_DAYS_AGO = 9
PAID_MEMO = "Vendor payments: landscaping and pool repairs"
PAID = (
    Bill("landscaping", "HCL-5497", Decimal("1180.00"), "5300", "Annual color beds replanted at both entrances"),
    Bill("pool", "CCP-0922", Decimal("415.00"), "5400", "Pool gate self-closing hinge replaced"),
)
TO_PAY = (
    Bill("landscaping", "HCL-5512", Decimal("365.00"), "5300", "Storm cleanup: two fallen live oak limbs removed"),
    Bill("pool", "CCP-0940", Decimal("288.75"), "5400", "Pool light fixture gasket and lamp replaced"),
)
