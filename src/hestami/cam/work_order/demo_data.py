"""The demo's work-order data: the service providers, and for each demo association its provider links, SLA,
assets (with what was serviced) and jobs, each job with how far through the lifecycle it goes and who takes
each step. `demo.py` seeds them through the services; dates are relative to the day the demo is seeded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hestami.cam.work_order.schemas import Priority, Status

TEXAS = ZoneInfo("America/Chicago")
SUMMIT = "summit-property-management"
SUNSET = "sunset-ridge-hoa"
EVERGREEN = "evergreen-plumbing"
CIBOLO = "cibolo-roofing"
LONE_STAR = "lone-star-landscaping"
BAYSIDE = "bayside-roofing"
AUSTIN_ZIPS = ("78701", "78702", "78704", "78745", "78748", "78750", "78759", "78664", "78665", "78681")
SAN_ANTONIO_ZIPS = ("78209", "78216", "78232", "78249", "78258", "78259")
PATH: tuple[Status, ...] = (
    "DRAFT",
    "SUBMITTED",
    "TRIAGED",
    "ASSIGNED",
    "SCHEDULED",
    "IN_PROGRESS",
    "COMPLETED",
    "INVOICED",
    "CLOSED",
)
# A 2x2 PNG, a blue-grey smudge: the owner's "photo" of the leak.
LEAK_PHOTO_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR42mOIzqsCIgYIBQAi5gUNyWTqNQAAAABJRU5ErkJggg=="


@dataclass(frozen=True)
class Provider:
    slug: str
    name: str
    operator: str
    """The demo login who works the provider's jobs (VENDOR there) from the provider's own organization."""
    create: bool = True
    """Made by the contractor pillar's seed (its organization, profile, licences and insurance); Evergreen comes
    from identity."""


@dataclass(frozen=True)
class Link:
    provider: str
    preferred: bool = False


@dataclass(frozen=True)
class Service:
    days_ago: int
    description: str
    cost: Decimal
    by: str


@dataclass(frozen=True)
class AssetSpec:
    name: str
    category: str
    area: str
    manufacturer: str
    model: str
    serial: str
    installed_on: date
    warranty_expires_on: date
    warranty_terms: str
    every_days: int
    serviced: tuple[Service, ...] = ()
    """Oldest first."""
    next_due_in_days: int | None = None
    """When there is no maintenance log yet: days from today to the next maintenance."""


@dataclass(frozen=True)
class Offer:
    provider: str
    amount: Decimal
    scope: str
    accepted: bool = False


@dataclass(frozen=True)
class Note:
    by: str
    """A demo login commenting in the association's organization, or "provider": the assigned provider's operator
    from the provider's organization."""
    body: str
    internal: bool = False


@dataclass(frozen=True)
class Job:
    key: str
    title: str
    description: str
    priority: Priority
    category: str
    target: Status
    by: str = "manager"
    unit: str | None = None
    area: str | None = None
    asset: str | None = None
    provider: str | None = None
    estimate: Decimal | None = None
    window: tuple[int, int, int] | None = None
    """(days from today, starting hour, hours) of the scheduled visit."""
    triage: str | None = None
    hold: str | None = None
    cancel: str | None = None
    completion: str | None = None
    cost: Decimal | None = None
    invoice: tuple[str, Decimal] | None = None
    close: str | None = None
    offers: tuple[Offer, ...] = ()
    blocked: str | None = None
    """A provider the manager first tries to invite to bid, whose expired document blocks it."""
    notes: tuple[Note, ...] = ()
    photo: bool = False
    sla_window: bool = False
    maintenance: str | None = None
    """Logged on the job's asset once the job is done."""

    def passes(self, state: Status) -> bool:
        """Whether the job's walk through the lifecycle goes through `state`."""
        if self.target == "CANCELLED":
            return state in ("DRAFT", "SUBMITTED", "CANCELLED")
        if self.target == "ON_HOLD":
            return state == "ON_HOLD" or PATH.index(state) <= PATH.index("IN_PROGRESS")
        if state in ("ON_HOLD", "CANCELLED"):
            return False
        if state == "INVOICED":
            return self.invoice is not None and self.target in ("INVOICED", "CLOSED")
        return PATH.index(state) <= PATH.index(self.target)


@dataclass(frozen=True)
class Community:
    slug: str
    short: str
    name: str
    links: tuple[Link, ...]
    assets: tuple[AssetSpec, ...]
    jobs: tuple[Job, ...]
    sla_hours: dict[str, Decimal] = field(default_factory=dict)
    """Work-order SLA hours per priority, overriding the defaults."""


def providers_on(today: date) -> tuple[Provider, ...]:
    evergreen = Provider(
        EVERGREEN,
        "Evergreen Plumbing & HVAC",
        "vendor",
        create=False,
    )
    lone_star = Provider(
        LONE_STAR,
        "Lone Star Landscaping",
        "admin",
    )
    bayside = Provider(
        BAYSIDE,
        "Bayside Roofing",
        "admin",
    )
    cibolo = Provider(CIBOLO, "Cibolo Creek Roofing", "roofer", create=False)  # journey 5's roofer: its estimates
    return evergreen, lone_star, bayside, cibolo


def communities_on(today: date) -> tuple[Community, ...]:
    def ago(years: int, month: int, day: int) -> date:
        return date(today.year - years, month, day)

    willow = Community(
        SUMMIT,
        "Willow Creek HOA",
        "Willow Creek Homeowners Association",
        links=(Link(EVERGREEN, preferred=True), Link(LONE_STAR), Link(BAYSIDE)),
        assets=(
            AssetSpec(
                "Pool heater",
                "POOL_EQUIPMENT",
                "Willow Creek Pool",
                "Raypak",
                "Avia P-R406A-EN-C (399,000 BTU, natural gas)",
                "2204R118837",
                ago(3, 3, 15),
                ago(3, 3, 15) + timedelta(days=5 * 365),
                "5 years on the heat exchanger, 2 years parts; labor not covered.",
                365,
                serviced=(
                    Service(
                        200,
                        "Annual service: cleaned burners, replaced igniter gasket, tested safeties.",
                        Decimal("285.00"),
                        "Evergreen Plumbing & HVAC",
                    ),
                ),
            ),
            AssetSpec(
                "Entry gate operator",
                "GATE",
                "Main Entry Gate",
                "LiftMaster",
                "CSW24UL swing gate operator (dual)",
                "LM24-0081-3372",
                ago(5, 8, 3),
                ago(5, 8, 3) + timedelta(days=5 * 365),
                "5-year limited warranty, now expired.",
                180,
                serviced=(
                    Service(
                        170,
                        "Six-month inspection: lubricated hinges, adjusted limits, tested photo eyes.",
                        Decimal("160.00"),
                        "Alamo Fence & Gate Co.",
                    ),
                ),
            ),
            AssetSpec(
                "Clubhouse HVAC",
                "HVAC",
                "Willow Creek Clubhouse",
                "Trane",
                "XR16 4-ton heat pump with TAM7 air handler",
                "22143KX9AF",
                ago(2, 5, 22),
                ago(2, 5, 22) + timedelta(days=10 * 365),
                "10-year registered parts warranty; labor 1 year.",
                90,
                serviced=(
                    Service(
                        170,
                        "Quarterly: replaced filters, flushed condensate line.",
                        Decimal("95.00"),
                        "Evergreen Plumbing & HVAC",
                    ),
                    Service(
                        80,
                        "Quarterly: replaced filters, checked refrigerant charge.",
                        Decimal("95.00"),
                        "Evergreen Plumbing & HVAC",
                    ),
                ),
            ),
        ),
        jobs=(
            Job(
                "heater",
                "Pool heater not igniting",
                "The pool heater clicks but never lights; the pool is at 71 °F and the season opens Saturday.",
                "HIGH",
                "POOL",
                "IN_PROGRESS",
                area="Willow Creek Pool",
                asset="Pool heater",
                provider=EVERGREEN,
                estimate=Decimal("450.00"),
                window=(0, 8, 4),
                triage="Pool opens Saturday; HIGH.",
                notes=(
                    Note("manager", "Pool opens for the season Saturday; please prioritize."),
                    Note("provider", "On site. No spark at the igniter; testing the flame sensor and control board."),
                ),
            ),
            Job(
                "gate",
                "Entry gate stuck open",
                "The main entry gate stays open since the storm Tuesday night; the operator hums but the arms "
                "do not move.",
                "HIGH",
                "GATE",
                "TRIAGED",
                area="Main Entry Gate",
                asset="Entry gate operator",
                triage="Security issue; needs a gate technician.",
                notes=(
                    Note(
                        "manager",
                        "None of our linked providers services gate operators; asking Alamo Fence & Gate for a "
                        "quote before we link them.",
                        internal=True,
                    ),
                ),
            ),
            Job(
                "irrigation",
                "Irrigation leak flooding Pecan Grove Park",
                "Water bubbling up near the playground whenever zone 6 runs; the mulch bed is washing out.",
                "MEDIUM",
                "IRRIGATION",
                "INVOICED",
                area="Pecan Grove Park",
                provider=LONE_STAR,
                estimate=Decimal("700.00"),
                window=(-6, 9, 5),
                completion="Replaced a cracked 2-inch PVC lateral and two rotor heads on zone 6; ran and checked "
                "all zones; regraded the mulch bed.",
                cost=Decimal("685.00"),
                invoice=("LSL-1042", Decimal("685.00")),
            ),
            Job(
                "roof",
                "Roof leak over the clubhouse kitchen",
                "Water drips from the ceiling light in the clubhouse kitchen during heavy rain; the ceiling tile "
                "is stained and sagging.",
                "HIGH",
                "ROOFING",
                "SCHEDULED",
                area="Willow Creek Clubhouse",
                window=(3, 8, 8),
                triage="Getting bids.",
                blocked=BAYSIDE,
                offers=(
                    Offer(
                        EVERGREEN,
                        Decimal("2480.00"),
                        "Replace 40 sq ft of decking and underlayment around the kitchen vent stack, new lead "
                        "flashing and boot, replace the ceiling tile; 2-year workmanship warranty.",
                        accepted=True,
                    ),
                    Offer(
                        LONE_STAR,
                        Decimal("2960.00"),
                        "Tear off and re-shingle the kitchen wing slope, new drip edge, haul-off included.",
                    ),
                ),
                notes=(Note("manager", "Evergreen's bid is lower and includes the flashing; awarded."),),
            ),
            Job(
                "clubhouse-ac",
                "Clubhouse AC blowing warm air",
                "The clubhouse AC runs but blows warm air; 84 °F inside during the garden club meeting.",
                "HIGH",
                "HVAC",
                "CLOSED",
                area="Willow Creek Clubhouse",
                asset="Clubhouse HVAC",
                provider=EVERGREEN,
                window=(-12, 13, 3),
                completion="Replaced a failed 45/5 µF run capacitor under the manufacturer's parts warranty; "
                "18 °F temperature split after repair.",
                cost=Decimal("0.00"),
                close="Warranty repair; no invoice.",
                maintenance="Warranty repair: replaced the failed run capacitor.",
            ),
            Job(
                "lights",
                "Pathway lights out at Pecan Grove Park",
                "Five of the bollard lights along the park trail are out; residents walking at night reported it.",
                "LOW",
                "ELECTRICAL",
                "DRAFT",
                area="Pecan Grove Park",
            ),
        ),
    )
    harbor = Community(
        SUMMIT,
        "Harbor View COA",
        "Harbor View Condominium Association",
        links=(Link(EVERGREEN, preferred=True), Link(LONE_STAR), Link(BAYSIDE)),
        sla_hours={"EMERGENCY": Decimal(1), "HIGH": Decimal(8)},
        assets=(
            AssetSpec(
                "Sky Deck pool pump",
                "POOL_EQUIPMENT",
                "Sky Deck Pool",
                "Pentair",
                "IntelliFlo3 VSF 3 HP variable-speed pump",
                "PF3-21-044917",
                ago(4, 6, 1),
                ago(4, 6, 1) + timedelta(days=3 * 365),
                "3-year limited warranty, expired.",
                180,
                serviced=(
                    Service(
                        150,
                        "Semiannual: cleaned strainer basket, replaced lid O-ring, checked amperage.",
                        Decimal("140.00"),
                        "Evergreen Plumbing & HVAC",
                    ),
                ),
            ),
        ),
        jobs=(
            Job(
                "burst-pipe",
                "Burst pipe above unit 204, water through the ceiling",
                "Water pouring through the living-room ceiling of unit 204 from the riser above; the owner shut "
                "off what they could. Needs a plumber now.",
                "EMERGENCY",
                "PLUMBING",
                "ASSIGNED",
                unit="204",
                provider=EVERGREEN,
                sla_window=True,
                triage="Water shut off at the 3rd-floor riser; EMERGENCY.",
                notes=(
                    Note(
                        "manager",
                        "Paged Evergreen's on-call line twice; no one on site yet, past the 1-hour response in "
                        "our contract.",
                        internal=True,
                    ),
                    Note("provider", "Technician dispatched from San Antonio; on site in about 2 hours."),
                ),
            ),
            Job(
                "pool-pump",
                "Sky Deck pool pump grinding and tripping the breaker",
                "The pool pump makes a grinding noise on start-up and trips its breaker after a few minutes.",
                "MEDIUM",
                "POOL",
                "ON_HOLD",
                area="Sky Deck Pool",
                asset="Sky Deck pool pump",
                provider=EVERGREEN,
                window=(-2, 9, 3),
                hold="Waiting on a replacement motor from Pentair (about 5 business days).",
                notes=(Note("provider", "Motor bearings are gone; the pump end is fine. Motor on order."),),
            ),
            Job(
                "hall-stain",
                "Water stain spreading on the 5th-floor hallway ceiling",
                "A brown stain about two feet across outside unit 503, growing after each rain.",
                "MEDIUM",
                "ROOFING",
                "SUBMITTED",
            ),
            Job(
                "water-heater",
                "Lobby water heater pilot keeps going out",
                "The lobby restrooms have had no hot water three times this week; the pilot light is out each time.",
                "MEDIUM",
                "PLUMBING",
                "COMPLETED",
                provider=EVERGREEN,
                window=(-1, 10, 2),
                completion="Replaced the thermocouple and cleaned the pilot assembly; relit and tested for an hour.",
                cost=Decimal("245.00"),
            ),
            Job(
                "treadmill",
                "Fitness center treadmill belt slipping",
                "The middle treadmill's belt slips under load.",
                "LOW",
                "GENERAL",
                "CANCELLED",
                area="Fitness Center",
                cancel="Covered by the equipment lease; the leasing company services it.",
            ),
        ),
    )
    sunset = Community(
        SUNSET,
        "Sunset Ridge HOA",
        "Sunset Ridge Homeowners Association",
        links=(Link(EVERGREEN, preferred=True), Link(LONE_STAR), Link(CIBOLO)),
        assets=(
            AssetSpec(
                "Irrigation controller",
                "IRRIGATION",
                "Ridgetop Park",
                "Hunter",
                "Pro-C PC-12 with Solar Sync sensor",
                "HPC12-190455",
                ago(6, 4, 10),
                ago(6, 4, 10) + timedelta(days=2 * 365),
                "2-year limited warranty, expired.",
                365,
                next_due_in_days=45,
            ),
        ),
        jobs=(
            Job(
                "sprinkler",
                "Sprinkler line leaking by the sidewalk in front of my house",
                "Water pools on the sidewalk in front of 14 every morning after the common-area sprinklers run; "
                "the grass strip is soggy. Photo attached.",
                "MEDIUM",
                "IRRIGATION",
                "SCHEDULED",
                by="owner",
                unit="14",
                provider=LONE_STAR,
                window=(2, 9, 3),
                triage="Common-area line along the sidewalk; the HOA's to fix.",
                photo=True,
                notes=(
                    Note("owner", "It is worst right after the 5 a.m. cycle."),
                    Note("manager", "Thanks, Olivia. Lone Star will come Thursday morning; no need to be home."),
                ),
            ),
            Job(
                "controller",
                "Ridgetop Park irrigation controller skipping zone 3",
                "Zone 3 (the slope behind the playground) has not watered for a week; the grass is browning.",
                "MEDIUM",
                "IRRIGATION",
                "CLOSED",
                area="Ridgetop Park",
                asset="Irrigation controller",
                provider=LONE_STAR,
                window=(-9, 8, 2),
                completion="Zone 3 solenoid had failed; replaced it and re-seated the station wire; ran all zones.",
                cost=Decimal("240.00"),
                invoice=("LSL-1057", Decimal("240.00")),
                close="Zone 3 watering again; verified by the board.",
                maintenance="Replaced the zone 3 solenoid and re-seated the station wiring.",
            ),
            Job(
                "toilet",
                "Clubhouse restroom toilet running constantly",
                "The men's room toilet at the clubhouse runs nonstop; the water bill jumped last month.",
                "LOW",
                "PLUMBING",
                "ASSIGNED",
                by="board",
                area="Sunset Ridge Clubhouse",
                provider=EVERGREEN,
                notes=(Note("board", "Jiggling the handle stops it for a while."),),
            ),
            Job(
                "pool-shower",
                "Pool deck shower valve will not shut off",
                "The outdoor shower by the pool deck runs in a steady stream; the handle turns all the way without "
                "closing the valve, and the deck around it stays wet and slippery.",
                "MEDIUM",
                "PLUMBING",
                "ASSIGNED",
                area="Sunset Ridge Pool",
                provider=EVERGREEN,
                triage="Slip hazard on the pool deck; Evergreen services the pool's plumbing.",
            ),
        ),
    )
    return willow, harbor, sunset
