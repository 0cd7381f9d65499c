"""The demo's records as data: three Texas communities, the names their owners and tenants are drawn from, and
the bookings and management contracts that go with them. `demo.py` writes them through the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal

from hestami.cam.association.schemas import (
    AddressIn,
    AreaType,
    CreateAssociation,
    GoverningDocument,
    PropertyType,
    ServiceLevel,
    UnitType,
)

# Owners' and tenants' names, drawn in a fixed stride per community (`demo._Loader`).
FIRST_NAMES = (
    "James",
    "Maria",
    "Robert",
    "Linda",
    "David",
    "Priya",
    "Michael",
    "Sofia",
    "Daniel",
    "Emily",
    "Carlos",
    "Grace",
    "Anthony",
    "Hannah",
    "Luis",
    "Megan",
    "Kevin",
    "Rosa",
    "Brian",
    "Aisha",
    "Marcus",
    "Elena",
    "Tyler",
    "Jasmine",
    "Andre",
    "Claire",
    "Hector",
    "Natalie",
    "Samuel",
    "Leticia",
    "Ethan",
    "Monique",
    "Raj",
    "Olga",
    "Wesley",
    "Yolanda",
    "Trevor",
    "Mei",
    "Diego",
    "Brooke",
)
SPOUSE_NAMES = (
    "Patricia",
    "Thomas",
    "Ana",
    "Mark",
    "Jennifer",
    "Jorge",
    "Laura",
    "Steven",
    "Vanessa",
    "Paul",
    "Teresa",
    "Chris",
    "Alicia",
    "Ryan",
    "Denise",
    "Omar",
    "Kathy",
    "Victor",
    "Lauren",
    "Miguel",
)
LAST_NAMES = (
    "Hernandez",
    "Nguyen",
    "Patel",
    "Johnson",
    "Williams",
    "Garcia",
    "Martinez",
    "Thompson",
    "Robinson",
    "Walker",
    "Ramirez",
    "Brooks",
    "Sullivan",
    "Castillo",
    "Okafor",
    "Kim",
    "Delgado",
    "Whitaker",
    "Morales",
    "Fischer",
    "Bennett",
    "Reyes",
    "Coleman",
    "Harper",
    "Vasquez",
    "Chen",
    "Gallagher",
    "Tran",
    "Dawson",
    "Ortiz",
    "McAllister",
    "Schultz",
    "Sandoval",
    "Pham",
    "Landry",
    "Guerrero",
    "Holloway",
    "Wright",
    "Flores",
    "Becker",
    "Alvarado",
    "Jenkins",
    "Nowak",
    "Cardenas",
    "Hughes",
    "Salinas",
    "Rhodes",
    "Mendoza",
    "Barrett",
    "Ibarra",
    "Foster",
    "Trevino",
    "Lindqvist",
    "Cantu",
    "Hale",
    "Esparza",
    "Carver",
    "Zamora",
    "Pruitt",
    "Villarreal",
)

# Where absentee owners (landlords, trusts, companies) get their mail.
MAILING_ADDRESSES = (
    AddressIn(line1="8812 Hollow Oak Dr", city="Houston", state="TX", postal_code="77055"),
    AddressIn(line1="4410 Greenville Ave", line2="Suite 200", city="Dallas", state="TX", postal_code="75206"),
    AddressIn(line1="1701 Commerce St", city="Fort Worth", state="TX", postal_code="76102"),
    AddressIn(line1="6204 Bee Cave Rd", city="Austin", state="TX", postal_code="78746"),
    AddressIn(line1="315 E Hopkins St", city="San Marcos", state="TX", postal_code="78666"),
    AddressIn(line1="2900 Wesleyan St", line2="Suite 410", city="Houston", state="TX", postal_code="77027"),
)
SERVICE_LEVELS = (
    ServiceLevel(name="Respond to owner email and calls", target="2 business days"),
    ServiceLevel(name="Monthly financial package to the board", target="by the 15th of the month"),
    ServiceLevel(name="Common-area site inspection", target="twice a month"),
    ServiceLevel(name="After-hours emergency response", target="1 hour"),
)


@dataclass(frozen=True)
class UnitSpec:
    number: str
    unit_type: UnitType
    address: AddressIn
    square_feet: int | None
    bedrooms: int | None
    bathrooms: Decimal | None
    assessment_share: Decimal | None = None


@dataclass(frozen=True)
class Area:
    name: str
    area_type: AreaType
    capacity: int | None
    reservable: bool
    rules: str


@dataclass(frozen=True)
class Booking:
    area: str
    days_ahead: int
    starts: time
    hours: int
    purpose: str
    guests: int
    unit: str | None = None
    by: str = "admin"
    """The demo login who books it; a non-admin books in their own request, with their own roles."""


@dataclass(frozen=True)
class Contract:
    fee_per_unit: Decimal
    start_date: date
    notes: str


@dataclass(frozen=True)
class Community:
    slug: str
    short: str
    association: CreateAssociation
    property_name: str
    property_type: PropertyType
    address: AddressIn
    latitude: Decimal
    longitude: Decimal
    year_built: int
    units: tuple[UnitSpec, ...]
    area_code: str
    name_offset: int
    first_year: int
    joint: frozenset[str] = frozenset()
    trusts: dict[str, str] = field(default_factory=dict)
    companies: dict[str, str] = field(default_factory=dict)
    sold: frozenset[str] = frozenset()
    rents: dict[str, Decimal] = field(default_factory=dict)
    linked: dict[str, str] = field(default_factory=dict)
    """Unit number -> the demo login who owns it (their party is linked to their user)."""
    claimable: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    """Unit number -> (first name, last name, email) of an owner with no account yet: registering with that email
    and verifying it links the party and makes the account an OWNER member (account linking)."""
    areas: tuple[Area, ...] = ()
    bookings: tuple[Booking, ...] = ()
    contract: Contract | None = None
    manager: str | None = None


def _houses(
    streets: tuple[tuple[str, int], ...],
    per_street: int,
    city: str,
    postal: str,
    count: int,
    lots: frozenset[int] = frozenset(),
) -> tuple[UnitSpec, ...]:
    """Numbered single-family homes along `streets`, even house numbers 4 apart; `lots` are still vacant."""
    units = []
    for i in range(1, count + 1):
        street, first = streets[(i - 1) // per_street]
        address = AddressIn(
            line1=f"{first + ((i - 1) % per_street) * 4} {street}", city=city, state="TX", postal_code=postal
        )
        if i in lots:
            units.append(UnitSpec(str(i), "LOT", address, None, None, None))
            continue
        sqft = 1750 + (i * 373) % 1500 // 10 * 10
        bedrooms = 3 if sqft < 2300 else 4 if sqft < 2900 else 5
        baths = "2.0" if sqft < 2000 else "2.5" if sqft < 2600 else "3.0" if sqft < 3000 else "3.5"
        units.append(UnitSpec(str(i), "SINGLE_FAMILY", address, sqft, bedrooms, Decimal(baths)))
    return tuple(units)


CONDO_STACKS = {
    1: (1240, 2, "2.0"),
    2: (860, 1, "1.0"),
    3: (1080, 2, "2.0"),
    4: (1080, 2, "2.0"),
    5: (860, 1, "1.0"),
    6: (1240, 2, "2.0"),
}


def _condos(address: AddressIn, floors: int) -> tuple[UnitSpec, ...]:
    """Six units a floor; each unit's assessment share is its floor area over the building's, summing to 1."""
    plans = [(floor * 100 + stack, *CONDO_STACKS[stack]) for floor in range(1, floors + 1) for stack in CONDO_STACKS]
    total = sum(sqft for _, sqft, _, _ in plans)
    shares = [(Decimal(sqft) / total).quantize(Decimal("0.000001")) for _, sqft, _, _ in plans]
    shares[-1] += Decimal(1) - sum(shares)
    units = []
    for (number, sqft, beds, baths), share in zip(plans, shares, strict=True):
        address_of_unit = address.model_copy(update={"line2": f"Unit {number}"})
        units.append(UnitSpec(str(number), "CONDO", address_of_unit, sqft, beds, Decimal(baths), share))
    return tuple(units)


def communities(today: date) -> tuple[Community, ...]:
    last_year = today.year - 1
    willow = Community(
        slug="summit-property-management",
        short="Willow Creek HOA",
        association=CreateAssociation(
            name="Willow Creek Homeowners Association",
            legal_name="Willow Creek Homeowners Association, Inc.",
            timezone="America/Chicago",
            late_fee_type="FIXED",
            late_fee_amount=Decimal("25.00"),
            late_fee_grace_days=15,
            governing_documents=[
                GoverningDocument(
                    title="Declaration of Covenants, Conditions and Restrictions for Willow Creek",
                    kind="DECLARATION",
                    reference="Williamson County Doc. No. 2004061873",
                    recorded_on=date(2004, 6, 18),
                ),
                GoverningDocument(
                    title="Bylaws of Willow Creek Homeowners Association, Inc.",
                    kind="BYLAWS",
                    recorded_on=date(2004, 6, 18),
                ),
                GoverningDocument(
                    title="Certificate of Formation",
                    kind="ARTICLES",
                    reference="Texas SOS File No. 800345127",
                    recorded_on=date(2004, 3, 2),
                ),
                GoverningDocument(
                    title="Architectural Control Guidelines", kind="RULES", recorded_on=date(2019, 2, 11)
                ),
            ],
        ),
        property_name="Willow Creek",
        property_type="SINGLE_FAMILY",
        address=AddressIn(line1="1100 Willow Creek Dr", city="Round Rock", state="TX", postal_code="78665"),
        latitude=Decimal("30.553012"),
        longitude=Decimal("-97.659104"),
        year_built=2004,
        units=_houses(
            (("Willow Creek Dr", 1100), ("Cedar Elm Ln", 2200), ("Pecan Hollow Ct", 300), ("Bluebonnet Trl", 1500)),
            10,
            "Round Rock",
            "78665",
            40,
            lots=frozenset({39, 40}),
        ),
        area_code="512",
        name_offset=0,
        first_year=2005,
        joint=frozenset({"3", "8", "15", "22", "31"}),
        trusts={"12": "Hernandez Family Living Trust"},
        companies={"27": "Brazos Valley Rental Homes LLC"},
        sold=frozenset({"19"}),
        rents={"27": Decimal("2350.00"), "34": Decimal("2195.00")},
        areas=(
            Area(
                "Willow Creek Pool",
                "POOL",
                80,
                True,
                "Open 8 a.m. to 10 p.m., May through September. No glass. Children under 14 with an adult. "
                "Private parties up to 4 hours and 60 guests.",
            ),
            Area(
                "Willow Creek Clubhouse",
                "CLUBHOUSE",
                120,
                True,
                "Book 2 to 6 hours; $150 refundable deposit; cleaned and vacated by 11 p.m.",
            ),
            Area(
                "Main Entry Gate",
                "GATE",
                None,
                False,
                "Residents use their RFID tag; the visitor code changes each quarter.",
            ),
            Area("Pecan Grove Park", "PARK", None, False, "Dogs on leash. Closed dusk to dawn."),
        ),
        bookings=(
            Booking("Willow Creek Clubhouse", 9, time(14), 4, "Birthday party", 40, unit="7"),
            Booking("Willow Creek Clubhouse", 16, time(18), 3, "Garden club meeting and potluck", 35),
        ),
        contract=Contract(Decimal("14.50"), date(2019, 7, 1), "Renews each July 1; 90 days' notice to end."),
        manager="manager",
    )
    harbor = Community(
        slug="summit-property-management",
        short="Harbor View COA",
        association=CreateAssociation(
            name="Harbor View Condominium Association",
            legal_name="Harbor View Condominium Association, Inc.",
            timezone="America/Chicago",
            late_fee_type="PERCENT",
            late_fee_percent=Decimal("5"),
            late_fee_grace_days=10,
            governing_documents=[
                GoverningDocument(
                    title="Condominium Declaration for Harbor View, a Condominium",
                    kind="DECLARATION",
                    reference="Nueces County Doc. No. 2009021457",
                    recorded_on=date(2009, 5, 12),
                ),
                GoverningDocument(
                    title="Bylaws of Harbor View Condominium Association, Inc.",
                    kind="BYLAWS",
                    recorded_on=date(2009, 5, 12),
                ),
                GoverningDocument(
                    title="First Amendment to the Condominium Declaration",
                    kind="AMENDMENT",
                    reference="Nueces County Doc. No. 2016008823",
                    recorded_on=date(2016, 3, 22),
                ),
                GoverningDocument(title="Rules and Regulations", kind="RULES", recorded_on=date(2022, 10, 1)),
            ],
        ),
        property_name="Harbor View Tower",
        property_type="CONDOMINIUM",
        address=AddressIn(line1="4250 Ocean Dr", city="Corpus Christi", state="TX", postal_code="78411"),
        latitude=Decimal("27.745318"),
        longitude=Decimal("-97.370962"),
        year_built=2009,
        units=_condos(AddressIn(line1="4250 Ocean Dr", city="Corpus Christi", state="TX", postal_code="78411"), 5),
        area_code="361",
        name_offset=11,
        first_year=2010,
        joint=frozenset({"204", "302", "405"}),
        trusts={"501": "Margaret Whitaker Revocable Trust"},
        companies={"103": "Gulf Breeze Holdings LLC"},
        sold=frozenset({"306"}),
        rents={
            "103": Decimal("1850.00"),
            "106": Decimal("2250.00"),
            "205": Decimal("1695.00"),
            "402": Decimal("1725.00"),
            "503": Decimal("2100.00"),
        },
        areas=(
            Area(
                "Sky Deck Pool",
                "POOL",
                40,
                True,
                "Heated, open 7 a.m. to 10 p.m. all year. Residents and up to 4 guests; private events up to 3 hours.",
            ),
            Area("Harbor Room", "CLUBHOUSE", 60, True, "Book up to 4 hours; $100 deposit; quiet by 10 p.m."),
            Area("Garage Entry Gate", "GATE", None, False, "One transponder a parking space; report lost ones."),
            Area("Fitness Center", "FITNESS_CENTER", 12, False, "Open 5 a.m. to 11 p.m.; wipe down equipment."),
            Area("Bayfront Courtyard", "PARK", 50, False, "No grilling. Pets on leash."),
        ),
        bookings=(
            Booking("Harbor Room", 5, time(18, 30), 3, "Quarterly board meeting", 20),
            Booking("Sky Deck Pool", 12, time(16), 3, "Private pool party", 25, unit="305"),
        ),
        contract=Contract(
            Decimal("21.75"),
            date(2021, 1, 1),
            "Three-year term renewing yearly; insurance claims handled at $95 an hour.",
        ),
        manager="manager",
    )
    sunset = Community(
        slug="sunset-ridge-hoa",
        short="Sunset Ridge HOA",
        association=CreateAssociation(
            name="Sunset Ridge Homeowners Association",
            legal_name="Sunset Ridge Homeowners Association, Inc.",
            timezone="America/Chicago",
            late_fee_type="FIXED",
            late_fee_amount=Decimal("35.00"),
            late_fee_grace_days=30,
            governing_documents=[
                GoverningDocument(
                    title="Declaration of Covenants, Conditions and Restrictions for Sunset Ridge",
                    kind="DECLARATION",
                    reference="Bexar County Doc. No. 20120187654",
                    recorded_on=date(2012, 9, 4),
                ),
                GoverningDocument(
                    title="Bylaws of Sunset Ridge Homeowners Association, Inc.",
                    kind="BYLAWS",
                    recorded_on=date(2012, 9, 4),
                ),
                GoverningDocument(title="Pool and Amenity Rules", kind="RULES", recorded_on=date(last_year, 3, 1)),
            ],
        ),
        property_name="Sunset Ridge",
        property_type="SINGLE_FAMILY",
        address=AddressIn(line1="2100 Sunset Ridge Dr", city="San Antonio", state="TX", postal_code="78258"),
        latitude=Decimal("29.642170"),
        longitude=Decimal("-98.487033"),
        year_built=2012,
        units=_houses(
            (("Sunset Ridge Dr", 2100), ("Canyon Mesa", 2200), ("Agave Bluff", 900)), 8, "San Antonio", "78258", 24
        ),
        area_code="210",
        name_offset=23,
        first_year=2013,
        joint=frozenset({"7", "20"}),
        trusts={"11": "Cantu Family Revocable Trust"},
        companies={"22": "Alamo Heights Property Group LLC"},
        sold=frozenset({"9"}),
        rents={"17": Decimal("1995.00"), "22": Decimal("2150.00")},
        linked={"14": "owner", "3": "board"},
        claimable={"5": ("Nora", "Newcomb", "nora.newcomb@demo.hestami.test")},
        areas=(
            Area(
                "Sunset Ridge Pool",
                "POOL",
                70,
                True,
                "Open 9 a.m. to 9 p.m., Memorial Day to Labor Day. Private parties up to 3 hours, 30 guests.",
            ),
            Area("Sunset Ridge Clubhouse", "CLUBHOUSE", 90, True, "Book 2 to 5 hours; $125 refundable deposit."),
            Area("Sunset Ridge Entry Gate", "GATE", None, False, "Call box at the visitor lane; codes from the board."),
            Area("Ridgetop Park", "PARK", None, False, "Trail and playground; dogs on leash; closed at dusk."),
        ),
        bookings=(
            Booking("Sunset Ridge Clubhouse", 6, time(10), 3, "Birthday party", 18, unit="14", by="owner"),
            Booking("Sunset Ridge Clubhouse", 13, time(19), 2, "Annual meeting of members", 60),
        ),
    )
    return willow, harbor, sunset
