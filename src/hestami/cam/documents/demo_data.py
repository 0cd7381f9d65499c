"""The demo's document library as data: for each demo association its governing documents, rules, budget, minutes,
reserve study and (where a company manages it) management agreement, each as a title, category, visibility, date,
tags and the paragraphs of its PDF; and one amendment to the rules, a second version. `demo.py` uploads them
through the services. Dates are relative to the day the demo is seeded; titles are not, so a later run finds
what an earlier one filed (only the budget's year changes, and a new year brings a new budget)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hestami.cam.documents.content.rules import Category
from hestami.cam.documents.schemas import Visibility

SUMMIT = "Summit Property Management, LLC"
RESERVE_FIRM = "Hill Country Reserve Consultants, LLC"


@dataclass(frozen=True)
class Doc:
    title: str
    category: Category
    visibility: Visibility
    document_date: date
    tags: tuple[str, ...]
    description: str
    paragraphs: tuple[str, ...]

    @property
    def file_name(self) -> str:
        slug = "".join(c if c.isalnum() else "-" for c in self.title.lower())
        return "-".join(filter(None, slug.split("-")))[:90] + ".pdf"


@dataclass(frozen=True)
class Amendment:
    """A new version of one of the association's documents (by title)."""

    title: str
    change_note: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Library:
    slug: str
    name: str
    short: str
    documents: tuple[Doc, ...]
    amendment: Amendment | None = None


@dataclass(frozen=True)
class Component:
    name: str
    useful_life: int
    remaining_life: int
    cost: Decimal


@dataclass(frozen=True)
class Facts:
    """What the texts say about one community."""

    name: str
    short: str
    legal: str
    city: str
    county: str
    developer: str
    declaration: str
    bylaws: str
    reference: str
    recorded: date
    homes: int
    home: str
    """What a member owns: "lot" or "unit"."""
    directors: tuple[str, ...]
    """President first."""
    amenities: str
    park: str
    pool_rule: str
    annual: tuple[int, int]
    """The month and day of the annual meeting."""
    late_fee: str
    dues: str
    revenue: tuple[tuple[str, Decimal], ...]
    expenses: tuple[tuple[str, Decimal], ...]
    reserve_contribution: Decimal
    reserve_balance: Decimal
    components: tuple[Component, ...]
    fee_per_unit: Decimal | None = None
    contract_start: date | None = None
    contract_terms: str = ""


def money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def _last(month: int, day: int, today: date) -> date:
    """The most recent `month`/`day` before today."""
    day = min(day, 28) if month == 2 else day  # no February 29th in most years
    this_year = date(today.year, month, day)
    return this_year if this_year < today else date(today.year - 1, month, day)


def declaration(f: Facts) -> Doc:
    vote = "one vote for each lot" if f.home == "lot" else "votes in proportion to each unit's percentage interest"
    upkeep = (
        "Each owner maintains the home, yard, fences and driveway on the owner's lot in good repair."
        if f.home == "lot"
        else "The Association maintains the building envelope, roof, elevators, garage and common systems; each "
        "owner maintains the interior of the unit, its fixtures, appliances and the balcony surface."
    )
    return Doc(
        title=f.declaration,
        category=Category.CC_AND_RS,
        visibility="OWNERS",
        document_date=f.recorded,
        tags=("governing", "declaration", "recorded"),
        description=f"Recorded {f.recorded:%B %-d, %Y} as {f.reference}.",
        paragraphs=(
            f"This Declaration is made by {f.developer} (the Declarant), owner of the land known as {f.short} in "
            f"{f.city}, {f.county} County, Texas, and was recorded on {f.recorded:%B %-d, %Y} as {f.reference} in the "
            "Official Public Records. Every owner takes title subject to these covenants, conditions and "
            "restrictions, which run with the land.",
            f"Article II - Membership and Voting. Every owner of a {f.home} is a member of {f.legal} (the "
            f"Association). Members have {vote}. The Association is governed by its Board of Directors under "
            "its Bylaws.",
            "Article IV - Assessments. The Association levies an annual assessment for common expenses and "
            f"reserves, payable monthly, and may levy special assessments as the Bylaws allow. {f.late_fee} Each "
            f"assessment is a personal obligation of the owner and a continuing lien on the {f.home}.",
            f"Article VI - Use Restrictions. Each {f.home} is used as a private residence only. No noxious or "
            "offensive activity is permitted. Animals, vehicles, signs, trash containers and leasing are "
            "subject to the Rules and Regulations the Board adopts.",
            "Article VII - Architectural Control. No building, fence, wall, exterior alteration, color change or "
            "structure may be erected or changed until the plans have been approved in writing by the "
            "Architectural Review Committee (ARC) appointed by the Board.",
            f"Article IX - Maintenance and Insurance. The Association maintains the common areas ({f.amenities}) "
            f"and insures them. {upkeep}",
            "Article XII - Amendment. This Declaration may be amended by owners holding at least sixty-seven "
            "percent (67%) of the votes in the Association; an amendment takes effect when recorded.",
        ),
    )


def bylaws(f: Facts) -> Doc:
    act = "Chapter 209 of the Texas Property Code" if f.home == "lot" else "the Texas Uniform Condominium Act"
    month = date(2000, f.annual[0], 1).strftime("%B")
    return Doc(
        title=f.bylaws,
        category=Category.BYLAWS,
        visibility="OWNERS",
        document_date=f.recorded,
        tags=("governing", "bylaws"),
        description="Meetings, elections, the board and officers, and the fiscal year.",
        paragraphs=(
            f"Article I - Name and Office. The name of the corporation is {f.legal}, a Texas nonprofit "
            f"corporation. Its office is in {f.city}, Texas, or where the Board designates.",
            f"Article II - Meetings of Members. The annual meeting is held each {month} at a time and place the "
            "Board sets, with written notice to every member not less than 10 nor more than 60 days before it, as "
            f"{act} requires. Members holding ten percent (10%) of the votes, in person or by proxy, are a quorum.",
            f"Article III - Board of Directors. The Board has {len(f.directors)} directors, members in good "
            "standing elected at the annual meeting for staggered two-year terms. A vacancy is filled by the "
            "remaining directors until the next annual meeting.",
            "Article IV - Officers. The Board elects a President, a Vice President, a Secretary and a Treasurer "
            "from among the directors each year. The Treasurer oversees the Association's funds and books.",
            "Article V - Board Meetings. The Board meets at least quarterly. Meetings are open to members, who "
            "receive notice at least 144 hours ahead; the Board may meet in executive session for personnel, "
            "litigation, delinquencies and violations, and acts only in open session.",
            "Article VI - Finances. The fiscal year is the calendar year. The Board adopts an annual budget with "
            "a contribution to reserves and has a reserve study updated at least every five years.",
        ),
    )


def rules(f: Facts, effective: date, specific: tuple[str, ...]) -> Doc:
    """The Rules and Regulations: the community's own paragraphs (pets, parking, trash cans) in the middle."""
    return Doc(
        title=f"{f.short} Rules and Regulations",
        category=Category.RULES,
        visibility="OWNERS",
        document_date=effective,
        tags=("rules", "pets", "parking", "trash", "quiet hours", "architectural"),
        description="Pets, parking, trash cans, quiet hours, amenities and architectural changes.",
        paragraphs=(
            f"These Rules and Regulations are adopted by the Board of Directors of {f.legal} under Article VI of "
            f"the Declaration and take effect {effective:%B %-d, %Y}. They bind owners, tenants, their families "
            "and guests. A violation is handled under the Association's enforcement policy: a courtesy notice, a "
            "notice of violation with a cure period, and a hearing before the Board before any fine.",
            *specific,
            "Quiet hours. Quiet hours are 10:00 p.m. to 7:00 a.m. every day. Music, parties, power tools and "
            "other noise audible from a neighboring home are not permitted during quiet hours. Contractors work "
            "only between 8:00 a.m. and 6:00 p.m., Monday through Saturday.",
            f"Amenities. {f.pool_rule} Residents must accompany their guests and are responsible for them.",
            "Architectural changes. No exterior change - fences, paint colors, roofs, windows, patios, pools, "
            "solar panels, storm doors or landscaping beyond replacing like plants - may begin before the "
            "Architectural Review Committee (ARC) approves it in writing. Submit the ARC application with a "
            "drawing, materials and colors; the ARC decides within 30 days, and an approval expires if the work "
            "has not started within 180 days.",
        ),
    )


def budget(f: Facts, today: date) -> Doc:
    adopted = date(today.year - 1, 11, 18)
    revenue = sum((amount for _, amount in f.revenue), Decimal(0))
    expenses = sum((amount for _, amount in f.expenses), Decimal(0))
    net = revenue - expenses
    return Doc(
        title=f"{f.short} {today.year} Operating Budget",
        category=Category.BUDGET,
        visibility="OWNERS",
        document_date=adopted,
        tags=("budget", str(today.year), "finance"),
        description=f"Adopted by the Board on {adopted:%B %-d, %Y}; {f.dues}",
        paragraphs=(
            f"The Board of Directors of {f.legal} adopted this operating budget for the fiscal year January 1 "
            f"through December 31, {today.year}, at its meeting of {adopted:%B %-d, %Y}. {f.dues}",
            "Operating revenue: " + "; ".join(f"{name} {money(amount)}" for name, amount in f.revenue) + ". "
            f"Total operating revenue {money(revenue)}.",
            "Operating expenses: " + "; ".join(f"{name} {money(amount)}" for name, amount in f.expenses) + ". "
            f"Total operating expenses {money(expenses)}.",
            f"Net operating result: {money(net)} {'surplus' if net >= 0 else 'deficit'}, carried to the operating "
            "fund. Any surplus at year end stays in the operating fund unless the Board moves it to reserves.",
            f"Reserve contribution: {money(f.reserve_contribution)} for the year, deposited monthly into the "
            f"reserve account, which held {money(f.reserve_balance)} when the budget was adopted. The contribution "
            "follows the funding plan of the current reserve study.",
        ),
    )


def reserve_study(f: Facts, today: date) -> Doc:
    studied = date(today.year, 1, 20) if today > date(today.year, 1, 20) else date(today.year - 1, 1, 20)
    funded = sum((c.cost * (c.useful_life - c.remaining_life) / c.useful_life for c in f.components), Decimal(0))
    percent = (f.reserve_balance / funded * 100).quantize(Decimal("0.1"))
    strength = "weak" if percent < 30 else "fair" if percent < 70 else "strong"
    soon = sorted((c for c in f.components if c.remaining_life <= 5), key=lambda c: c.remaining_life)
    plan = "; ".join(f"{studied.year + c.remaining_life}: {c.name} {money(c.cost)}" for c in soon)
    return Doc(
        title=f"{f.short} Reserve Study",
        category=Category.RESERVE_STUDY,
        visibility="BOARD",
        document_date=studied,
        tags=("reserve study", "reserves", "capital planning"),
        description=f"Level II update with site visit; {percent}% funded.",
        paragraphs=(
            f"Reserve Study Update (Level II, with site visit) for {f.legal}, prepared by {RESERVE_FIRM} as of "
            f"{studied:%B %-d, %Y}. It lists the common components the Association must repair or replace, "
            "their useful and remaining lives and current replacement costs, and a 30-year funding plan.",
            *(
                f"{c.name}: useful life {c.useful_life} years, remaining life {c.remaining_life} years, "
                f"replacement cost {money(c.cost)}."
                for c in f.components
            ),
            f"Reserve balance: {money(f.reserve_balance)}. Fully funded balance: {money(funded.quantize(Decimal(1)))}."
            f" Percent funded: {percent}%, a {strength} position; the risk of a special assessment is "
            f"{'moderate' if percent < 70 else 'low'}.",
            f"Planned replacements in the next five years: {plan or 'none'}.",
            f"Recommendation: a reserve contribution of at least {money(f.reserve_contribution)} a year, rising "
            "3% a year, reaching 100% funded within about 20 years; update this study in three years.",
        ),
    )


def board_minutes(f: Facts, held: date, business: tuple[str, ...]) -> Doc:
    president, *others = f.directors
    return Doc(
        title=f"{f.short} Board Meeting Minutes",
        category=Category.MINUTES,
        visibility="BOARD",
        document_date=held,
        tags=("minutes", "board meeting"),
        description=f"Regular meeting of the Board of Directors, {held:%B %-d, %Y}, with executive session.",
        paragraphs=(
            f"Minutes of the regular meeting of the Board of Directors of {f.legal}, held {held:%A, %B %-d, %Y}. "
            f"President {president} called the meeting to order at 6:30 p.m. Present: {', '.join(f.directors)}; "
            "a quorum of the Board. Also present: Morgan Manager, community manager, and four owners.",
            "The minutes of the previous meeting were approved as distributed. The Treasurer presented the "
            f"financial report: operating fund in line with the budget, reserve account {money(f.reserve_balance)}.",
            *business,
            "Executive session. The Board met in executive session on delinquent accounts (three owners more than "
            "90 days past due: payment plans offered before referral to the attorney) and one violation hearing "
            "request. No action was taken in executive session.",
            f"There being no further business, the meeting adjourned at 8:05 p.m. Minutes by {others[-1]}, Secretary.",
        ),
    )


def annual_minutes(f: Facts, today: date, elected: str, topics: str) -> Doc:
    held = _last(*f.annual, today)
    present = f.homes * 3 // 10
    return Doc(
        title=f"{f.short} Annual Meeting Minutes",
        category=Category.MINUTES,
        visibility="OWNERS",
        document_date=held,
        tags=("minutes", "annual meeting", "election"),
        description=f"Annual meeting of members, {held:%B %-d, %Y}: election, budget and reserves.",
        paragraphs=(
            f"Minutes of the annual meeting of the members of {f.legal}, held {held:%B %-d, %Y}. "
            f"President {f.directors[0]} called the meeting to order at 7:00 p.m. Owners of {present} of "
            f"{f.homes} {f.home}s were present in person or by proxy, more than the 10% quorum the Bylaws require.",
            "Proof of notice: notice of the meeting was mailed and emailed to every member 30 days before it.",
            f"Election of directors. {elected}",
            "The Treasurer presented the year's financial results and the adopted budget; the manager presented "
            "the reserve study summary and the replacements planned for the coming years.",
            f"Owners' forum. {topics}",
            "The meeting adjourned at 8:40 p.m.",
        ),
    )


def contract(f: Facts) -> Doc:
    assert f.fee_per_unit is not None
    assert f.contract_start is not None
    monthly = f.fee_per_unit * f.homes
    return Doc(
        title=f"{f.short} Management Agreement with Summit Property Management",
        category=Category.CONTRACT,
        visibility="MANAGERS",
        document_date=f.contract_start,
        tags=("contract", "management agreement", "Summit"),
        description=f"{money(f.fee_per_unit)} per unit a month from {f.contract_start:%B %-d, %Y}.",
        paragraphs=(
            f"Management Agreement between {f.legal} (the Association) and {SUMMIT} (the Manager), effective "
            f"{f.contract_start:%B %-d, %Y}.",
            f"Fee. The Association pays the Manager {money(f.fee_per_unit)} per unit per month ({f.homes} units: "
            f"{money(monthly)} a month), due on the first of each month. {f.contract_terms}",
            "Financial services. The Manager bills and collects assessments, pays approved invoices, keeps the "
            "books by fund and delivers the monthly financial package to the Board by the 15th of the month. "
            "Invoices above $2,500 need a director's approval.",
            "Administrative and maintenance services. The Manager answers owner email and calls within 2 business "
            "days, inspects the common areas twice a month, coordinates vendors and work orders, sends violation "
            "notices the Board authorizes, and responds to after-hours emergencies within 1 hour.",
            "Insurance. The Manager carries a fidelity bond of $500,000 covering the Association's funds, "
            "professional liability and general liability insurance, and provides certificates on request.",
            "Signed for the Association by its President and for the Manager by its Managing Director.",
        ),
    )


# --- the three communities ----------------------------------------------------------------------------------------

COLLECTION = "may be set at the curb after 6:00 p.m. the evening before collection and must be put away by 10:00 p.m."


def _single_family_rules(f: Facts, collection_day: str, parking: str) -> tuple[str, ...]:
    return (
        f"Pets. Residents may keep up to two domestic pets per {f.home}; dogs must be leashed in common areas and "
        f"in {f.park}, and owners pick up after them at once. Pets are not allowed inside the pool enclosure. "
        "Persistent barking is a nuisance. Livestock, poultry and exotic animals are not permitted.",
        f"Parking. {parking} Boats, trailers, RVs and commercial vehicles may not be kept in view, except 24 "
        "hours for loading. An inoperable or unregistered vehicle is towed after 10 days' written notice.",
        "Trash cans. Trash cans and recycling carts must be stored out of sight from the street - in the "
        f"garage, behind a fence or behind approved screening - except on collection day ({collection_day}). "
        f"They {COLLECTION} Bulk items go out only on the city's bulk collection week.",
        "Leasing. Owners register each lease with the Association, give their tenants a copy of these rules and "
        "remain responsible for their tenants' compliance. Leases are for at least six months.",
    )


def _willow(today: date) -> Library:
    f = Facts(
        name="Willow Creek Homeowners Association",
        short="Willow Creek HOA",
        legal="Willow Creek Homeowners Association, Inc.",
        city="Round Rock",
        county="Williamson",
        developer="Brushy Creek Land Partners, Ltd.",
        declaration="Declaration of Covenants, Conditions and Restrictions for Willow Creek",
        bylaws="Bylaws of Willow Creek Homeowners Association, Inc.",
        reference="Williamson County Doc. No. 2004061873",
        recorded=date(2004, 6, 18),
        homes=40,
        home="lot",
        directors=("Gregory Sullivan", "Priya Patel", "Marcus Brooks", "Elena Castillo", "Hannah Kim"),
        amenities="the Willow Creek Pool, the Clubhouse, the Main Entry Gate and Pecan Grove Park",
        park="Pecan Grove Park",
        pool_rule="The Willow Creek Pool is open 8 a.m. to 10 p.m., May through September; no glass; children under "
        "14 with an adult. The Clubhouse is booked 2 to 6 hours with a $150 refundable deposit.",
        annual=(2, 20),
        late_fee="An installment unpaid 15 days after its due date incurs a late charge of $25.00.",
        dues="Monthly assessment $95.00 per lot plus $35.00 to reserves, unchanged from last year.",
        revenue=(
            ("Assessments (40 lots x $95.00 x 12)", Decimal("45600.00")),
            ("Late charges and interest", Decimal("750.00")),
            ("Clubhouse rental fees", Decimal("1200.00")),
        ),
        expenses=(
            ("Management fee (40 x $14.50 x 12)", Decimal("6960.00")),
            ("Landscaping and irrigation", Decimal("17500.00")),
            ("Pool service and chemicals", Decimal("6300.00")),
            ("Insurance, property and liability", Decimal("7850.00")),
            ("Utilities: electric and water", Decimal("4200.00")),
            ("Repairs and maintenance", Decimal("2400.00")),
            ("Legal, audit and administration", Decimal("1400.00")),
            ("Entry gate service and RFID tags", Decimal("900.00")),
        ),
        reserve_contribution=Decimal("16800.00"),
        reserve_balance=Decimal("142600.00"),
        components=(
            Component("Pool plaster and waterline tile", 12, 11, Decimal("14600.00")),
            Component("Pool pumps, filters and heater", 10, 3, Decimal("9800.00")),
            Component("Clubhouse roof (composition shingle)", 25, 4, Decimal("28500.00")),
            Component("Clubhouse HVAC (two units)", 15, 3, Decimal("16200.00")),
            Component("Clubhouse interior renovation", 20, 6, Decimal("24000.00")),
            Component("Entry gate operators and access system", 12, 2, Decimal("18750.00")),
            Component("Perimeter masonry and wood fence", 25, 5, Decimal("96000.00")),
            Component("Asphalt trail and parking seal coat", 5, 1, Decimal("7400.00")),
            Component("Playground equipment, Pecan Grove Park", 18, 3, Decimal("38500.00")),
        ),
        fee_per_unit=Decimal("14.50"),
        contract_start=date(2019, 7, 1),
        contract_terms="The agreement renews each July 1; either party may end it with 90 days' written notice.",
    )
    specific = _single_family_rules(
        f,
        "Tuesday",
        "Vehicles park in garages and driveways first. Street parking is for guests, no more than 72 hours.",
    )
    business = (
        "Pool. The pool replaster, new waterline tile and coping repair were completed on schedule and paid "
        "from reserves ($14,600.00). The board thanked the residents for their patience.",
        "Insurance. The Board reviewed the common-area property and general liability renewal ($7,850.00) and "
        "approved it, above the manager's $2,500 limit, by a vote of 5-0.",
        "Violations and ARC. The manager reported six courtesy notices this month, four for trash cans left at "
        "the curb after collection day; the ARC approved two fence replacements and one roof color change.",
    )
    return Library(
        "summit-property-management",
        f.name,
        f.short,
        (
            declaration(f),
            bylaws(f),
            rules(f, date(2019, 2, 11), specific),
            budget(f, today),
            board_minutes(f, today - timedelta(days=26), business),
            annual_minutes(
                f,
                today,
                "Priya Patel and Elena Castillo were re-elected for two-year terms; 29 ballots were cast.",
                "Owners asked about speeding on Cedar Elm Lane (the Board will ask the city for a traffic study) and "
                "about extending pool hours in September.",
            ),
            reserve_study(f, today),
            contract(f),
        ),
    )


def _harbor(today: date) -> Library:
    f = Facts(
        name="Harbor View Condominium Association",
        short="Harbor View COA",
        legal="Harbor View Condominium Association, Inc.",
        city="Corpus Christi",
        county="Nueces",
        developer="Ocean Drive Development Group, LLC",
        declaration="Condominium Declaration for Harbor View, a Condominium",
        bylaws="Bylaws of Harbor View Condominium Association, Inc.",
        reference="Nueces County Doc. No. 2009021457",
        recorded=date(2009, 5, 12),
        homes=30,
        home="unit",
        directors=("Margaret Whitaker", "Luis Ramirez", "Aisha Okafor"),
        amenities="the Sky Deck Pool, the Harbor Room, the Fitness Center, the garage and the Bayfront Courtyard",
        park="the Bayfront Courtyard",
        pool_rule="The Sky Deck Pool is heated and open 7 a.m. to 10 p.m. all year, for residents and up to 4 "
        "guests. The Harbor Room is booked up to 4 hours with a $100 deposit. No grilling in the Courtyard.",
        annual=(3, 12),
        late_fee="An installment unpaid 10 days after its due date incurs a late charge of 5% of the installment.",
        dues="Building assessment $11,400.00 a month plus $1,500.00 to reserves, shared by percentage interest.",
        revenue=(
            ("Assessments ($11,400.00 x 12, by percentage interest)", Decimal("136800.00")),
            ("Late charges and interest", Decimal("1500.00")),
            ("Harbor Room rental fees", Decimal("900.00")),
        ),
        expenses=(
            ("Management fee (30 x $21.75 x 12)", Decimal("7830.00")),
            ("Master insurance policy, property and liability", Decimal("18900.00")),
            ("Windstorm insurance (TWIA)", Decimal("16400.00")),
            ("Elevator maintenance contract", Decimal("7200.00")),
            ("Utilities: electric, water and sewer", Decimal("35400.00")),
            ("Janitorial and porter service", Decimal("14400.00")),
            ("Landscaping", Decimal("14160.00")),
            ("Pool service", Decimal("6480.00")),
            ("Fire and life-safety monitoring and inspections", Decimal("4800.00")),
            ("Repairs and maintenance", Decimal("9000.00")),
            ("Pest control", Decimal("1380.00")),
            ("Legal, audit and administration", Decimal("3200.00")),
        ),
        reserve_contribution=Decimal("18000.00"),
        reserve_balance=Decimal("268400.00"),
        components=(
            Component("Roof membrane (TPO)", 20, 5, Decimal("186000.00")),
            Component("Elevator modernization (two cars)", 25, 9, Decimal("240000.00")),
            Component("Exterior paint and sealants", 10, 3, Decimal("96000.00")),
            Component("Sky Deck pool resurfacing and coping", 12, 11, Decimal("9850.00")),
            Component("Garage deck coating", 10, 2, Decimal("58000.00")),
            Component("Fire alarm panel and devices", 15, 4, Decimal("42000.00")),
            Component("Hallway carpet and finishes", 12, 6, Decimal("48500.00")),
        ),
        fee_per_unit=Decimal("21.75"),
        contract_start=date(2021, 1, 1),
        contract_terms="Three-year term renewing yearly; insurance claims are handled at $95 an hour.",
    )
    specific = (
        "Pets. Residents may keep up to two domestic pets per unit; dogs must be leashed or carried in the lobby, "
        "elevators, halls and garage and leashed in the Bayfront Courtyard. Pets are not allowed on the Sky Deck or "
        "in the Fitness Center, and owners clean up after them at once.",
        "Parking. Each unit uses only its assigned garage spaces, one transponder per space. Guest parking on "
        "level 1 is limited to 48 hours with a pass from the office. Spaces are not for storage; boats, trailers "
        "and vehicles leaking fluids are not permitted.",
        "Trash cans. Bagged trash goes down the chute on each floor; boxes are broken down and taken to the "
        "recycling room. Trash cans and bags may not be kept on balconies, in halls or in parking spaces; the "
        "porter sets the building's carts at the curb on collection day (Monday and Thursday) and returns them "
        "to the trash room, out of sight, the same day.",
        "Balconies and storms. Only outdoor furniture and plants are kept on balconies; nothing hangs over the "
        "railing. When a hurricane watch is issued, everything on the balcony is brought inside.",
    )
    business = (
        "Riser valves. The Board approved Evergreen Plumbing's proposal to replace the isolation valves on riser 3, "
        "floors 1 to 5 ($2,860.00), with a water shutoff notice to the affected units 72 hours ahead.",
        "Insurance. The master policy renewal ($18,900.00) was approved 3-0; the manager is to get a second "
        "windstorm quote before the TWIA renewal.",
        "Roof. With the roof membrane five years from replacement in the reserve study, the Board asked the "
        "manager for a roof condition survey before the next meeting.",
    )
    return Library(
        "summit-property-management",
        f.name,
        f.short,
        (
            declaration(f),
            bylaws(f),
            rules(f, date(2022, 10, 1), specific),
            budget(f, today),
            board_minutes(f, today - timedelta(days=19), business),
            annual_minutes(
                f,
                today,
                "Aisha Okafor was elected to the seat left by a retiring director; 22 ballots were cast.",
                "Owners asked about balcony door leaks on the east side (the manager will schedule inspections) and "
                "about adding EV chargers in the garage.",
            ),
            reserve_study(f, today),
            contract(f),
        ),
    )


def _sunset(today: date) -> Library:
    f = Facts(
        name="Sunset Ridge Homeowners Association",
        short="Sunset Ridge HOA",
        legal="Sunset Ridge Homeowners Association, Inc.",
        city="San Antonio",
        county="Bexar",
        developer="Stone Oak Ridge Builders, L.P.",
        declaration="Declaration of Covenants, Conditions and Restrictions for Sunset Ridge",
        bylaws="Bylaws of Sunset Ridge Homeowners Association, Inc.",
        reference="Bexar County Doc. No. 20120187654",
        recorded=date(2012, 9, 4),
        homes=24,
        home="lot",
        directors=("Blair Board", "Carlos Delgado", "Megan Trevino"),
        amenities="the Sunset Ridge Pool, the Clubhouse, the Entry Gate and Ridgetop Park",
        park="Ridgetop Park",
        pool_rule="The Sunset Ridge Pool is open 9 a.m. to 9 p.m., Memorial Day to Labor Day; private parties up to "
        "3 hours and 30 guests. The Clubhouse is booked 2 to 5 hours with a $125 refundable deposit.",
        annual=((today + timedelta(days=13)).month, (today + timedelta(days=13)).day),
        late_fee="An installment unpaid 30 days after its due date incurs a late charge of $35.00.",
        dues="Monthly assessment $110.00 per lot plus $45.00 to reserves.",
        revenue=(
            ("Assessments (24 lots x $110.00 x 12)", Decimal("31680.00")),
            ("Late charges and interest", Decimal("400.00")),
            ("Clubhouse rental fees", Decimal("750.00")),
        ),
        expenses=(
            ("Landscaping and irrigation", Decimal("11400.00")),
            ("Pool service and chemicals", Decimal("5400.00")),
            ("Insurance, property and liability", Decimal("6240.00")),
            ("Utilities: electric and water", Decimal("3600.00")),
            ("Entry gate service", Decimal("1200.00")),
            ("Repairs and maintenance", Decimal("1800.00")),
            ("Bookkeeping, legal and administration", Decimal("1650.00")),
            ("Contingency", Decimal("1500.00")),
        ),
        reserve_contribution=Decimal("12960.00"),
        reserve_balance=Decimal("96500.00"),
        components=(
            Component("Pool plaster, waterline tile and coping", 12, 12, Decimal("18400.00")),
            Component("Pool deck resurfacing", 15, 1, Decimal("21600.00")),
            Component("Pool pump, filter and automation", 10, 4, Decimal("8200.00")),
            Component("Clubhouse roof", 25, 13, Decimal("19800.00")),
            Component("Clubhouse HVAC", 15, 3, Decimal("9400.00")),
            Component("Entry gate operators and call box", 12, 2, Decimal("16500.00")),
            Component("Irrigation controllers and backflow devices", 15, 5, Decimal("7600.00")),
            Component("Ridgetop Park playground and trail", 20, 8, Decimal("34000.00")),
            Component("Perimeter wall and monument signs", 30, 8, Decimal("72000.00")),
            Component("Pool fence and furniture", 12, 4, Decimal("12500.00")),
        ),
    )
    specific = _single_family_rules(
        f,
        "Thursday",
        "Vehicles park in garages and driveways; no vehicle may block a sidewalk. Street parking on Sunset Ridge "
        "Drive, Canyon Mesa and Agave Bluff is for guests, overnight no more than 3 nights in a row.",
    )
    business = (
        "Pool. The pool replaster, waterline tile and coping were completed and paid from reserves ($18,400.00). "
        "The reserve study puts the pool deck resurfacing ($21,600.00) due next year; after discussion, the Board "
        "agreed to put a special assessment for the pool resurfacing on the agenda of next month's meeting.",
        "Violations. Courtesy notices went to five homes for trash cans left out after collection day and two "
        "for overnight street parking; one owner requested a hearing.",
        "Short-term rentals. After complaints about weekend rentals on Canyon Mesa, the Board adopted an amendment "
        "to the Rules and Regulations prohibiting leases of less than 30 days (Amendment No. 1), effective on "
        "notice to the owners.",
    )
    rules_doc = rules(f, date(today.year - 1, 3, 1), specific)
    adopted = today - timedelta(days=12)
    amendment = Amendment(
        title=rules_doc.title,
        change_note=f"Amendment No. 1 (adopted {adopted:%B %-d, %Y}): short-term rentals under 30 days prohibited; "
        "every lease registered within 10 days.",
        paragraphs=(
            *rules_doc.paragraphs,
            f"Amendment No. 1 - Short-term rentals (adopted by the Board {adopted:%B %-d, %Y}). No home may be "
            "leased, or offered for lease, for a term of less than 30 consecutive days, including through Airbnb, "
            "VRBO or similar services. Every lease is registered with the Association within 10 days of signing, "
            "with the tenants' names and vehicles. After notice and an opportunity for a hearing, a violation may be "
            "fined $200 for the first occurrence and $500 for each later one.",
        ),
    )
    return Library(
        "sunset-ridge-hoa",
        f.name,
        f.short,
        (
            declaration(f),
            bylaws(f),
            rules_doc,
            budget(f, today),
            board_minutes(f, today - timedelta(days=12), business),
            annual_minutes(
                f,
                today,
                "Blair Board and Megan Trevino were re-elected; Blair Board continues as President. 17 ballots were "
                "cast.",
                "Owners asked for a second call box lane at the entry gate and raised weekend short-term rentals on "
                "Canyon Mesa; the Board will consider a rule.",
            ),
            reserve_study(f, today),
        ),
        amendment,
    )


def libraries(today: date) -> tuple[Library, ...]:
    return _willow(today), _harbor(today), _sunset(today)
