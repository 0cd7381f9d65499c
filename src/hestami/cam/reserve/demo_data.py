"""The demo's reserve studies as data: for each demo association its reserve inventory (the components its reserve
fund replaces, with useful and remaining lives and current replacement costs) and one full reserve study with its
assumptions. The components the association's reserve study PDF lists (`cam/documents/demo_data.py`) come first,
with the same lives and costs; a few more common components follow (the site walk of a full study). The annual
contributions are those of the accounting demo (`cam/accounting/demo_data.py`: the monthly reserve assessment x
12), and the costs are sized against the reserve balance it leaves, so each study shows a plausible percent funded
(about 45 to 65 %). `demo.py` writes them through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hestami.cam.reserve.schemas import Category, Level

PREPARER = "Hill Country Reserve Consultants, LLC"
LEVEL: Level = "FULL"
INFLATION = Decimal("0.03")
INTEREST = Decimal("0.015")


@dataclass(frozen=True)
class Part:
    """One reserve component (`CreateComponent` fields)."""

    name: str
    category: Category
    useful_life_years: int
    remaining_life_years: int
    replacement_cost: Decimal
    quantity: Decimal | None = None
    unit_of_measure: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Reserve:
    slug: str
    """The organization (as in the association demo)."""
    name: str
    """The association's name (as in the association demo)."""
    short: str
    components: tuple[Part, ...]
    threshold: Decimal
    """The board's floor for the reserve balance."""
    contribution: Decimal
    """What the association puts in per year (the accounting demo's reserve assessment)."""
    notes: str


def _part(
    name: str, category: Category, lives: tuple[int, int], cost: str, amount: str | None = None, unit: str | None = None
) -> Part:
    useful, remaining = lives
    return Part(name, category, useful, remaining, Decimal(cost), Decimal(amount) if amount else None, unit)


def study_date(today: date) -> date:
    """The study's date: January 20 of this year once it has passed, else of last year (as the study's PDF)."""
    this_year = date(today.year, 1, 20)
    return this_year if today > this_year else date(today.year - 1, 1, 20)


RESERVES = (
    Reserve(
        slug="summit-property-management",
        name="Willow Creek Homeowners Association",
        short="Willow Creek HOA",
        components=(
            _part("Pool plaster and waterline tile", "POOL", (12, 11), "14600.00", "1850", "SQ_FT"),
            _part("Pool pumps, filters and heater", "POOL", (10, 3), "9800.00"),
            _part("Clubhouse roof (composition shingle)", "ROOFING", (25, 4), "28500.00", "48", "SQUARES"),
            _part("Clubhouse HVAC (two units)", "MECHANICAL", (15, 3), "16200.00", "2", "EACH"),
            _part("Clubhouse interior renovation", "OTHER", (20, 6), "24000.00"),
            _part("Entry gate operators and access system", "MECHANICAL", (12, 2), "18750.00"),
            _part("Perimeter masonry and wood fence", "FENCING", (25, 5), "96000.00", "3200", "LINEAR_FT"),
            _part("Asphalt trail and parking seal coat", "PAVING", (5, 1), "7400.00", "46000", "SQ_FT"),
            _part("Playground equipment, Pecan Grove Park", "SITE", (18, 3), "38500.00"),
            _part("Clubhouse parking lot mill and overlay", "PAVING", (25, 9), "42000.00", "14000", "SQ_FT"),
            _part("Clubhouse exterior paint and trim", "PAINTING", (8, 2), "11500.00"),
            _part("Site and parking lot lighting (LED poles)", "LIGHTING", (20, 7), "18600.00", "24", "EACH"),
            _part("Cluster mailboxes", "SITE", (20, 6), "21000.00", "10", "EACH"),
            _part("Common-area irrigation system", "SITE", (20, 8), "15500.00"),
        ),
        threshold=Decimal("25000.00"),
        contribution=Decimal("16800.00"),
        notes="Full study with site visit; the pool was replastered this year and is reset to a 12-year life.",
    ),
    Reserve(
        slug="summit-property-management",
        name="Harbor View Condominium Association",
        short="Harbor View COA",
        components=(
            _part("Roof membrane (TPO)", "ROOFING", (20, 5), "186000.00", "22000", "SQ_FT"),
            _part("Elevator modernization (two cars)", "ELEVATOR", (25, 9), "240000.00", "2", "EACH"),
            _part("Exterior paint and sealants", "PAINTING", (10, 3), "96000.00"),
            _part("Sky Deck pool resurfacing and coping", "POOL", (12, 11), "9850.00"),
            _part("Garage deck coating", "PAVING", (10, 2), "58000.00", "18500", "SQ_FT"),
            _part("Fire alarm panel and devices", "MECHANICAL", (15, 4), "42000.00"),
            _part("Hallway carpet and finishes", "OTHER", (12, 6), "48500.00"),
            _part("Garage and exterior lighting (LED retrofit)", "LIGHTING", (15, 6), "34000.00", "120", "EACH"),
            _part("Domestic water booster pumps", "MECHANICAL", (20, 10), "38000.00", "2", "EACH"),
            _part("Common-area HVAC (rooftop units)", "MECHANICAL", (18, 7), "72000.00", "4", "EACH"),
            _part("Balcony railings refinish", "PAINTING", (12, 5), "27000.00", "30", "EACH"),
            _part("Mailroom, package lockers and entry intercom", "SITE", (15, 4), "22000.00"),
        ),
        threshold=Decimal("75000.00"),
        contribution=Decimal("18000.00"),
        notes="Full study with site visit; the elevator modernization and the roof dominate the next decade.",
    ),
    Reserve(
        slug="sunset-ridge-hoa",
        name="Sunset Ridge Homeowners Association",
        short="Sunset Ridge HOA",
        components=(
            _part("Pool plaster, waterline tile and coping", "POOL", (12, 12), "18400.00", "1400", "SQ_FT"),
            _part("Pool deck resurfacing", "POOL", (15, 1), "21600.00", "3600", "SQ_FT"),
            _part("Pool pump, filter and automation", "POOL", (10, 4), "8200.00"),
            _part("Clubhouse roof", "ROOFING", (25, 13), "19800.00", "33", "SQUARES"),
            _part("Clubhouse HVAC", "MECHANICAL", (15, 3), "9400.00", "1", "EACH"),
            _part("Entry gate operators and call box", "MECHANICAL", (12, 2), "16500.00"),
            _part("Irrigation controllers and backflow devices", "SITE", (15, 5), "7600.00"),
            _part("Ridgetop Park playground and trail", "SITE", (20, 8), "34000.00"),
            _part("Perimeter wall and monument signs", "FENCING", (30, 8), "72000.00", "2100", "LINEAR_FT"),
            _part("Pool fence and furniture", "FENCING", (12, 4), "12500.00"),
            _part("Clubhouse parking asphalt seal coat", "PAVING", (5, 2), "6800.00", "21000", "SQ_FT"),
            _part("Clubhouse exterior paint", "PAINTING", (8, 3), "7900.00"),
            _part("Site lighting and pathway bollards", "LIGHTING", (20, 9), "14200.00", "36", "EACH"),
            _part("Cluster mailboxes", "SITE", (20, 12), "12600.00", "6", "EACH"),
        ),
        threshold=Decimal("20000.00"),
        contribution=Decimal("12960.00"),
        notes="Full study with site visit; the pool plaster, tile and coping are new (replaced this year).",
    ),
)
