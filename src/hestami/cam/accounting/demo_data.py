"""The demo books as data: three associations' year of dues, vendors, invoices and the units that pay late,
skip, stop or overpay. `demo.py` keeps these books through the accounting services."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from hestami.cam.accounting.schemas import LateFeeType

MONTHS = 12
LATE_FEE_RUN = 20
"""Days after the due date the monthly late-fee run happens (past the 15 grace days)."""
LATE_PAYMENT = 23
"""Days after the due date a habitually late unit pays, late fee included."""
Stage = Literal["DRAFT", "PENDING_APPROVAL", "APPROVED", "PAID", "VOIDED"]


@dataclass(frozen=True)
class VendorSpec:
    role: str
    name: str
    contact: str
    email: str
    phone: str
    address: str
    tax_id: str | None
    w9: bool
    is_1099: bool
    provider: str | None = None
    """Slug of the service-provider organization the vendor is on Hestami as."""


@dataclass(frozen=True)
class Bill:
    """One vendor invoice; `stage` is where its lifecycle stops."""

    vendor: str
    number: str
    days_ago: int
    account: str
    description: str
    amount: Decimal
    stage: Stage
    paid_after: int = 14
    reference: str | None = None
    from_reserve: bool = False


@dataclass(frozen=True)
class Special:
    name: str
    amount: Decimal
    months_ago: int
    pay_next_month: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Books:
    slug: str
    short: str
    name: str
    code: str
    bank: str
    last4: tuple[str, str]
    dues: Decimal
    """A unit's monthly dues; with `by_share`, the building's, split by each unit's assessment share."""
    reserve: Decimal
    late_fee: tuple[LateFeeType, Decimal]
    opening: tuple[Decimal, Decimal]
    """Operating and reserve cash carried in from the previous books."""
    landscaping: Decimal
    pool_service: Decimal
    bills: tuple[Bill, ...]
    accrual: tuple[str, Decimal, str]
    returned_check: str
    by_share: bool = False
    stopped: dict[str, int] = field(default_factory=dict)
    """Unit -> how many months, counting this one, it has not paid."""
    skipped: dict[str, tuple[frozenset[int], int]] = field(default_factory=dict)
    """Unit -> (months ago it skipped, month ago it paid its whole balance)."""
    late: frozenset[str] = frozenset()
    overpaid: dict[str, int] = field(default_factory=dict)
    """Unit -> month ago it paid two months at once (0: the credit is still unused)."""
    special: Special | None = None


SUMMIT_VENDORS = (
    VendorSpec(
        "landscaping",
        "Hill Country Landscape Services",
        "Ray Castillo",
        "billing@hillcountrylandscape.example",
        "(512) 555-0148",
        "1407 Sam Bass Rd, Round Rock, TX 78681",
        "74-2958316",
        w9=True,
        is_1099=True,
    ),
    VendorSpec(
        "pool",
        "Crystal Clear Pool Care",
        "Dana Whitfield",
        "office@crystalclearpools.example",
        "(512) 555-0172",
        "2210 Palm Valley Blvd, Round Rock, TX 78664",
        "75-3016842",
        w9=True,
        is_1099=True,
    ),
    VendorSpec(
        "insurance",
        "Lone Star Community Insurance Partners",
        "Gregory Tate",
        "renewals@lonestarcip.example",
        "(512) 555-0119",
        "9600 Great Hills Trl, Suite 150, Austin, TX 78759",
        "76-0654219",
        w9=True,
        is_1099=False,
    ),
    VendorSpec(
        "plumbing",
        "Evergreen Plumbing & HVAC",
        "Victor Vendor",
        "dispatch@evergreen-plumbing.example",
        "(512) 555-0190",
        "815 Industrial Blvd, Austin, TX 78745",
        "82-4417093",
        w9=True,
        is_1099=True,
        provider="evergreen-plumbing",
    ),
    VendorSpec(
        "handyman",
        "Gulf Coast Painting & Restoration",
        "Luis Ybarra",
        "luis@gulfcoastpainting.example",
        "(361) 555-0133",
        "5110 Ayers St, Corpus Christi, TX 78415",
        None,
        w9=False,
        is_1099=True,
    ),
)
SUNSET_VENDORS = (
    VendorSpec(
        "landscaping",
        "Mission Oaks Landscaping",
        "Irene Saldana",
        "ar@missionoakslandscaping.example",
        "(210) 555-0161",
        "12730 Nacogdoches Rd, San Antonio, TX 78217",
        "74-3185520",
        w9=True,
        is_1099=True,
    ),
    VendorSpec(
        "pool",
        "Alamo City Pool Service",
        "Jeff Brandt",
        "service@alamocitypools.example",
        "(210) 555-0127",
        "4402 Walzem Rd, San Antonio, TX 78218",
        "81-2290457",
        w9=True,
        is_1099=True,
    ),
    VendorSpec(
        "insurance",
        "Lone Star Community Insurance Partners",
        "Gregory Tate",
        "renewals@lonestarcip.example",
        "(512) 555-0119",
        "9600 Great Hills Trl, Suite 150, Austin, TX 78759",
        "76-0654219",
        w9=True,
        is_1099=False,
    ),
    VendorSpec(
        "plumbing",
        "Evergreen Plumbing & HVAC",
        "Victor Vendor",
        "dispatch@evergreen-plumbing.example",
        "(512) 555-0190",
        "815 Industrial Blvd, Austin, TX 78745",
        "82-4417093",
        w9=True,
        is_1099=True,
        provider="evergreen-plumbing",
    ),
    VendorSpec(
        "handyman",
        "Alamo Fence & Gate Co.",
        "Ruben Olivares",
        "ruben@alamofencegate.example",
        "(210) 555-0184",
        "803 S Flores St, San Antonio, TX 78204",
        None,
        w9=False,
        is_1099=True,
    ),
)
VENDORS = {"summit-property-management": SUMMIT_VENDORS, "sunset-ridge-hoa": SUNSET_VENDORS}

BOOKS = (
    Books(
        slug="summit-property-management",
        short="Willow Creek HOA",
        name="Willow Creek Homeowners Association",
        code="WC",
        bank="Frost Bank",
        last4=("4417", "8820"),
        dues=Decimal("95.00"),
        reserve=Decimal("35.00"),
        late_fee=("FIXED", Decimal("25.00")),
        opening=(Decimal("48250.00"), Decimal("142600.00")),
        landscaping=Decimal("2150.00"),
        pool_service=Decimal("685.00"),
        bills=(
            Bill(
                "pool",
                "CCP-23817",
                75,
                "7300",
                "Willow Creek Pool: replaster, new waterline tile and coping repair",
                Decimal("14600.00"),
                "PAID",
                paid_after=21,
                reference="Check #1042 (reserve)",
                from_reserve=True,
            ),
            Bill(
                "insurance",
                "LSCIP-48812",
                6,
                "5100",
                "Common-area property and general liability renewal, 12 months",
                Decimal("7850.00"),
                "PENDING_APPROVAL",
            ),
            Bill(
                "plumbing",
                "EPH-10482",
                3,
                "5430",
                "Pool equipment room: replace leaking backflow preventer and shutoff valves",
                Decimal("1240.00"),
                "PENDING_APPROVAL",
            ),
            Bill(
                "handyman",
                "GCP-0917",
                2,
                "5400",
                "Clubhouse exterior trim and entry doors repainting",
                Decimal("2400.00"),
                "DRAFT",
            ),
        ),
        accrual=("5000", Decimal("580.00"), "Management fee accrual: 40 units at $14.50"),
        returned_check="21",
        stopped={"12": 6, "27": 4, "33": 4},
        skipped={"5": (frozenset({8, 7}), 5)},
        late=frozenset({"18"}),
        overpaid={"9": 6, "30": 0},
    ),
    Books(
        slug="summit-property-management",
        short="Harbor View COA",
        name="Harbor View Condominium Association",
        code="HV",
        bank="American Bank",
        last4=("2093", "6651"),
        dues=Decimal("11400.00"),
        reserve=Decimal("1500.00"),
        by_share=True,
        late_fee=("PERCENT", Decimal("5")),
        opening=(Decimal("61830.00"), Decimal("268400.00")),
        landscaping=Decimal("1180.00"),
        pool_service=Decimal("540.00"),
        bills=(
            Bill(
                "pool",
                "CCP-23902",
                60,
                "7300",
                "Sky Deck Pool: resurface shell and replace coping tile",
                Decimal("9850.00"),
                "PAID",
                paid_after=20,
                reference="Check #2215 (reserve)",
                from_reserve=True,
            ),
            Bill(
                "insurance",
                "LSCIP-48827",
                8,
                "5100",
                "Master policy renewal: property, windstorm and general liability, 12 months",
                Decimal("18900.00"),
                "PENDING_APPROVAL",
            ),
            Bill(
                "plumbing",
                "EPH-10477",
                4,
                "5430",
                "Riser 3 domestic water: replace isolation valves, floors 1-5",
                Decimal("2860.00"),
                "PENDING_APPROVAL",
            ),
            Bill("handyman", "GCP-0921", 1, "5400", "Garage stairwells repainting", Decimal("3750.00"), "DRAFT"),
        ),
        accrual=("5000", Decimal("652.50"), "Management fee accrual: 30 units at $21.75"),
        returned_check="206",
        stopped={"304": 5, "103": 2},
        skipped={"202": (frozenset({9, 8}), 6)},
        late=frozenset({"405"}),
        overpaid={"101": 0},
    ),
    Books(
        slug="sunset-ridge-hoa",
        short="Sunset Ridge HOA",
        name="Sunset Ridge Homeowners Association",
        code="SR",
        bank="Broadway Bank",
        last4=("7305", "1149"),
        dues=Decimal("110.00"),
        reserve=Decimal("45.00"),
        late_fee=("FIXED", Decimal("25.00")),
        opening=(Decimal("31475.00"), Decimal("96500.00")),
        landscaping=Decimal("1650.00"),
        pool_service=Decimal("595.00"),
        bills=(
            Bill(
                "pool",
                "ACPS-5531",
                40,
                "7300",
                "Sunset Ridge Pool: full replaster, waterline tile and coping",
                Decimal("18400.00"),
                "PAID",
                paid_after=15,
                reference="Check #3108 (reserve)",
                from_reserve=True,
            ),
            Bill(
                "insurance",
                "LSCIP-48840",
                5,
                "5100",
                "Common-area property and general liability renewal, 12 months",
                Decimal("6240.00"),
                "PENDING_APPROVAL",
            ),
            Bill(
                "plumbing",
                "EPH-10490",
                2,
                "5430",
                "Clubhouse water heater: replace thermostat and gas valve",
                Decimal("890.00"),
                "PENDING_APPROVAL",
            ),
            Bill(
                "handyman", "AFG-2217", 1, "5420", "Entry gate: replace swing arm operator", Decimal("1980.00"), "DRAFT"
            ),
        ),
        accrual=("6100", Decimal("350.00"), "Audit and tax preparation accrual: $4,200 a year"),
        returned_check="10",
        stopped={"22": 4},
        skipped={"19": (frozenset({6, 5}), 4)},
        late=frozenset({"6"}),
        overpaid={"2": 5},
        special=Special("Pool Resurfacing Special Assessment", Decimal("450.00"), 2, frozenset({"8", "15"})),
    ),
)
