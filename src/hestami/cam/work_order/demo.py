"""Demo work orders: service providers, assets, and work orders in every state for the three demo associations.

Runs after the association and accounting seeders, through domain 6's services in scoped transactions like any
request, each step by the login who would take it, with that login's own roles in its own organization: the
manager links providers, records assets, triages, assigns, invoices and closes in the association's organization;
Evergreen's dispatcher (vendor@) and the owner-operator of Lone Star Landscaping (admin@) bid, start, hold and
complete work from their own provider organizations; owner@ reports a leak at unit 14 of Sunset Ridge and
board@ a running toilet at the Sunset Ridge clubhouse from their own logins.
An association that already has work orders is skipped whole, so `hestami dev` can run this on every start.

Submitting a work order starts its `workOrderLifecycle_v1` DBOS workflow: `hestami dev` / `seed-demo` launch
DBOS for the seeders (`cli._seed`), and the API's DBOS recovers the lifecycles they leave PENDING.

The SLA breach: Harbor View's management contract promises a 1-hour emergency response, so its work-order SLA
is EMERGENCY 1 h, HIGH 8 h. The manager submits the burst pipe while a 0.0001-hour (0.36 s, the least the
setting takes) EMERGENCY window is set, then restores the contract's 1 h; the burst pipe keeps its due time, so
it is overdue (shown as breached) by the time anyone looks, and its lifecycle workflow flags `sla_breached` and
notifies the managers. Both changes of the setting are in the association's audit trail.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from hestami.cam.association.schemas import ListAssociations, ListCommonAreas, ListUnits, UpdateAssociation
from hestami.cam.association.services import associations, places
from hestami.cam.work_order.errors import WorkOrderError
from hestami.cam.work_order.models import WorkOrder
from hestami.cam.work_order.schemas import (
    AddAttachment,
    AddComment,
    AssignVendor,
    BidById,
    Complete,
    CreateAsset,
    CreateWorkOrder,
    CreateWorkOrderInvoice,
    GetProfile,
    LinkProvider,
    LogMaintenance,
    Priority,
    RequestBids,
    Schedule,
    Status,
    SubmitBid,
    UpdateStatus,
    UpsertProfile,
)
from hestami.cam.work_order.services import assets, bids, providers, work_orders
from hestami.core.context import Principal, RequestContext
from hestami.core.demo import demo_seed
from hestami.core.errors import ErrorCode, HestamiError
from hestami.core.ids import new_request_id
from hestami.core.runtime import Runtime
from hestami.core.storage import LocalDiskStore
from hestami.identity import demo as identity
from hestami.identity.demo import email_of
from hestami.identity.schemas import CreateOrganizationIn, SetMemberRolesIn
from hestami.identity.services import organizations

TEXAS = ZoneInfo("America/Chicago")
SUMMIT = "summit-property-management"
SUNSET = "sunset-ridge-hoa"
EVERGREEN = "evergreen-plumbing"
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
    profile: UpsertProfile
    create: bool = True
    """Created here (owned by admin@, who is also its VENDOR and DISPATCHER); Evergreen comes from identity."""


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
    sla_hours: dict[Priority, Decimal] = field(default_factory=dict)


def _providers(today: date) -> tuple[Provider, ...]:
    def years(n: int) -> date:
        return date(today.year + n, today.month, min(today.day, 28))

    evergreen = Provider(
        EVERGREEN,
        "Evergreen Plumbing & HVAC",
        "vendor",
        UpsertProfile(
            categories=["PLUMBING", "HVAC"],
            service_zip_codes=[*AUSTIN_ZIPS, *SAN_ANTONIO_ZIPS],
            service_radius_miles=90,
            license_number="TSBPE RMP-41873; TDLR TACLA-28841C",
            license_expires_on=years(1),
            insurance_carrier="Travelers Casualty (general liability, $2M aggregate)",
            insurance_expires_on=today + timedelta(days=240),
            workers_comp_expires_on=today + timedelta(days=240),
            description="Licensed plumbing and HVAC for community associations in Central Texas; 24/7 emergency line.",
        ),
        create=False,
    )
    lone_star = Provider(
        LONE_STAR,
        "Lone Star Landscaping",
        "admin",
        UpsertProfile(
            categories=["LANDSCAPING", "IRRIGATION", "TREE_CARE"],
            service_zip_codes=["78664", "78665", "78681", "78750", "78209", "78232", "78258", "78259", "78411"],
            service_radius_miles=120,
            license_number="TCEQ LI-0019283",
            license_expires_on=years(2),
            insurance_carrier="Hartford (general liability, $1M)",
            insurance_expires_on=today + timedelta(days=310),
            workers_comp_expires_on=today + timedelta(days=310),
            description="Grounds maintenance, irrigation repair and tree care; licensed irrigator on every crew.",
        ),
    )
    bayside = Provider(
        BAYSIDE,
        "Bayside Roofing",
        "admin",
        UpsertProfile(
            categories=["ROOFING", "GUTTERS"],
            service_zip_codes=["78411", "78412", "78413", "78418", "78665", "78681"],
            service_radius_miles=200,
            license_number="RCAT TRSC-2291",
            license_expires_on=years(1),
            insurance_carrier="Gulf States Mutual (general liability, $1M)",
            insurance_expires_on=today - timedelta(days=19),
            workers_comp_expires_on=today + timedelta(days=150),
            description="Commercial and residential roofing on the Coastal Bend; storm repairs.",
        ),
    )
    return evergreen, lone_star, bayside


def _communities(today: date) -> tuple[Community, ...]:
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
        links=(Link(EVERGREEN, preferred=True), Link(LONE_STAR)),
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
        ),
    )
    return willow, harbor, sunset


class _Seeder:
    def __init__(self, runtime: Runtime, users: dict[str, uuid.UUID], orgs: dict[str, uuid.UUID]) -> None:
        self.runtime = runtime
        self.users = users
        self.orgs = orgs
        self.today = date.today()
        self.providers = {p.slug: p for p in _providers(self.today)}
        self.files = LocalDiskStore(Path(runtime.settings.file_storage_dir))

    @asynccontextmanager
    async def acting(self, login: str, slug: str) -> AsyncIterator[RequestContext]:
        """One request's worth of work by `login` in organization `slug`, with the roles they have there; the
        effects a request runs after its commit (waking workflows) run after this one's."""
        user, org = self.users[login], self.orgs[slug]
        async with self.runtime.database.transaction(organization_id=org, user_id=user) as session:
            roles = await identity.roles_in(session, user, org)
            if roles is None:
                raise RuntimeError(f"{email_of(login)} is not a member of {slug}")
            ctx = RequestContext(
                request_id=new_request_id(),
                procedure="seed-demo",
                session=session,
                principal=Principal(user_id=user, session_id="seed-demo", email=email_of(login)),
                organization_id=org,
                organization_slug=slug,
                roles=roles,
                authorizer=self.runtime.authorizer,
            )
            yield ctx
        for effect in ctx.drain_after_commit():
            await effect()

    async def ensure_providers(self) -> list[str]:
        lines = []
        admin = self.users["admin"]
        for spec in self.providers.values():
            if spec.slug not in self.orgs:
                if not spec.create:
                    lines.append(f"  {spec.name}: skipped, organization {spec.slug} is missing")
                    continue
                async with self.runtime.database.transaction(organization_id=None, user_id=admin) as session:
                    ctx = RequestContext(
                        request_id=new_request_id(),
                        procedure="seed-demo",
                        session=session,
                        principal=Principal(user_id=admin, session_id="seed-demo", email=email_of("admin")),
                        authorizer=self.runtime.authorizer,
                    )
                    data = CreateOrganizationIn(name=spec.name, type="SERVICE_PROVIDER", slug=spec.slug)
                    self.orgs[spec.slug] = (await organizations.create(ctx, data)).organization.id
            async with self.acting("admin", spec.slug) as ctx:
                if spec.create and "VENDOR" not in ctx.roles:  # the owner-operator also takes the jobs
                    member_id = await identity.membership_id(ctx.session, ctx.require_org(), admin)
                    assert member_id is not None
                    roles = SetMemberRolesIn(member_id=member_id, roles=["ADMIN", "VENDOR", "DISPATCHER"])
                    await organizations.set_member_roles(ctx, roles)
                try:
                    profile = await providers.get_profile(ctx, GetProfile())
                except HestamiError as exc:
                    if exc.code != ErrorCode.NOT_FOUND:
                        raise
                    profile = await providers.upsert_profile(ctx, spec.profile)
            expired = ", ".join(profile.expired_documents)
            documents = f"{expired.upper()} EXPIRED" if expired else "licence and insurance current"
            lines.append(f"  provider {spec.name} ({spec.slug}): {', '.join(profile.categories)}; {documents}")
        return lines

    async def pending(self, community: Community) -> tuple[uuid.UUID | None, str | None]:
        """The association to load, or the line saying why not."""
        if community.slug not in self.orgs:
            return None, f"  {community.short}: skipped, organization {community.slug} is missing"
        async with self.acting("admin", community.slug) as ctx:
            found = await associations.list_(ctx, ListAssociations(limit=200))
            association = next((a.id for a in found.items if a.name == community.name), None)
            if association is None:
                return None, f"  {community.short}: skipped, the association is missing"
            existing = await ctx.session.scalar(
                select(func.count()).select_from(WorkOrder).where(WorkOrder.association_id == association)
            )
            if existing:
                return None, f"  {community.short}: already loaded ({existing} work orders)"
        return association, None


class _Loader:
    """Loads one association: set-up, then each step of its work orders by whoever takes it."""

    def __init__(self, seeder: _Seeder, community: Community, association: uuid.UUID) -> None:
        self.s = seeder
        self.c = community
        self.association = association
        self.units: dict[str, uuid.UUID] = {}
        self.areas: dict[str, uuid.UUID] = {}
        self.assets: dict[str, uuid.UUID] = {}
        self.orders: dict[str, uuid.UUID] = {}
        self.numbers: dict[str, str] = {}
        self.bids: dict[tuple[str, str], uuid.UUID] = {}
        self.invoices = 0
        self.notes: list[str] = []

    def _at(self, job: Job) -> tuple[datetime, datetime]:
        assert job.window is not None
        days, hour, hours = job.window
        start = datetime.combine(self.s.today + timedelta(days=days), datetime.min.time(), TEXAS)
        start += timedelta(hours=hour)
        return start, start + timedelta(hours=hours)

    async def load(self) -> str:
        await self.create()
        await self.manage()
        await self.bid()
        await self.award()
        await self.work()
        await self.finish()
        await self.comment()
        return await self.summary()

    async def setup(self, ctx: RequestContext) -> None:
        """The manager links the providers, sets the SLA and records the assets (with what was serviced)."""
        units = await places.list_units(ctx, ListUnits(association_id=self.association, limit=200))
        self.units = {u.unit_number: u.id for u in units.items}
        areas = await places.list_common_areas(ctx, ListCommonAreas(association_id=self.association, limit=200))
        self.areas = {a.name: a.id for a in areas.items}
        for link in self.c.links:
            provider = self.s.providers[link.provider]
            if provider.slug not in self.s.orgs:
                continue
            data = LinkProvider(
                association_id=self.association,
                provider_organization_id=self.s.orgs[provider.slug],
                provider_name=provider.name,
                preferred=link.preferred,
            )
            await providers.link_provider(ctx, data)
        if self.c.sla_hours:
            await associations.update(
                ctx, UpdateAssociation(id=self.association, work_order_sla_hours=self.c.sla_hours)
            )
        for spec in self.c.assets:
            asset = CreateAsset(
                association_id=self.association,
                name=spec.name,
                category=spec.category,
                common_area_id=self.areas.get(spec.area),
                manufacturer=spec.manufacturer,
                model=spec.model,
                serial_number=spec.serial,
                installed_on=spec.installed_on,
                warranty_expires_on=spec.warranty_expires_on,
                warranty_terms=spec.warranty_terms,
                maintenance_frequency_days=spec.every_days,
                next_maintenance_on=(
                    self.s.today + timedelta(days=spec.next_due_in_days) if spec.next_due_in_days else None
                ),
            )
            asset_id = (await assets.create(ctx, asset)).id
            self.assets[spec.name] = asset_id
            for service in spec.serviced:
                log = LogMaintenance(
                    asset_id=asset_id,
                    performed_on=self.s.today - timedelta(days=service.days_ago),
                    description=service.description,
                    cost=service.cost,
                    performed_by=service.by,
                )
                await assets.log_maintenance(ctx, log)

    async def create(self) -> None:
        """Each requestor files their own, the manager first, in the transaction that sets the association up, so
        a failed set-up leaves nothing; the manager's include the burst pipe in its short SLA window."""
        for login in dict.fromkeys(("manager", *(job.by for job in self.c.jobs))):
            async with self.s.acting(login, self.c.slug) as ctx:
                if login == "manager":
                    await self.setup(ctx)
                for job in self.c.jobs:
                    if job.by != login:
                        continue
                    if job.sla_window:
                        window = {**self.c.sla_hours, "EMERGENCY": Decimal("0.0001")}
                        await associations.update(
                            ctx, UpdateAssociation(id=self.association, work_order_sla_hours=window)
                        )
                    data = CreateWorkOrder(
                        association_id=self.association,
                        title=job.title,
                        description=job.description,
                        priority=job.priority,
                        category=job.category,
                        unit_id=self.units[job.unit] if job.unit else None,
                        common_area_id=self.areas.get(job.area) if job.area else None,
                        asset_id=self.assets.get(job.asset) if job.asset else None,
                        estimated_cost=job.estimate,
                        submit=job.passes("SUBMITTED"),
                    )
                    order = await work_orders.create(ctx, data)
                    self.orders[job.key], self.numbers[job.key] = order.id, order.number
                    if job.sla_window:
                        await associations.update(
                            ctx, UpdateAssociation(id=self.association, work_order_sla_hours=self.c.sla_hours)
                        )
                    if job.photo:
                        photo = AddAttachment(
                            id=order.id,
                            file_name="sidewalk-leak.png",
                            content_type="image/png",
                            content_base64=LEAK_PHOTO_PNG,
                        )
                        await work_orders.add_attachment(ctx, photo, self.s.files)

    async def manage(self) -> None:
        async with self.s.acting("manager", self.c.slug) as ctx:
            for job in self.c.jobs:
                order = self.orders[job.key]
                if job.target == "CANCELLED":
                    await work_orders.update_status(ctx, UpdateStatus(id=order, status="CANCELLED", note=job.cancel))
                    continue
                if not job.passes("TRIAGED"):
                    continue
                await work_orders.update_status(ctx, UpdateStatus(id=order, status="TRIAGED", note=job.triage))
                if job.offers:
                    await self._request_bids(ctx, job, order)
                elif job.passes("ASSIGNED") and job.provider:
                    provider = self.s.orgs[job.provider]
                    await work_orders.assign_vendor(ctx, AssignVendor(id=order, provider_organization_id=provider))
                    if job.passes("SCHEDULED"):
                        await self._schedule(ctx, job, order)

    async def _request_bids(self, ctx: RequestContext, job: Job, order: uuid.UUID) -> None:
        if job.blocked and job.blocked in self.s.orgs:
            blocked = self.s.providers[job.blocked]
            try:
                async with ctx.session.begin_nested():
                    invite = RequestBids(work_order_id=order, provider_organization_ids=[self.s.orgs[blocked.slug]])
                    await bids.request_bids(ctx, invite)
            except WorkOrderError as exc:
                reason = (exc.details or {}).get("reason")
                self.notes.append(f"    {blocked.name} not invited to bid on {self.numbers[job.key]}: {reason}")
                note = f"Could not invite {blocked.name} to bid: {exc.message} Asked Evergreen and Lone Star instead."
                await work_orders.add_comment(ctx, AddComment(id=order, body=note, internal=True))
        invited = [self.s.orgs[offer.provider] for offer in job.offers]
        for out in (
            await bids.request_bids(ctx, RequestBids(work_order_id=order, provider_organization_ids=invited))
        ).items:
            slug = next(s for s, org in self.s.orgs.items() if org == out.provider_organization_id)
            self.bids[(job.key, slug)] = out.id

    async def _schedule(self, ctx: RequestContext, job: Job, order: uuid.UUID) -> None:
        start, end = self._at(job)
        note = f"Visit {start:%a %b %d}, {start:%-I %p} to {end:%-I %p}."
        await work_orders.schedule(ctx, Schedule(id=order, scheduled_start=start, scheduled_end=end, note=note))

    async def bid(self) -> None:
        """Each invited provider prices the work from its own organization."""
        for job in self.c.jobs:
            for offer in job.offers:
                operator = self.s.providers[offer.provider].operator
                async with self.s.acting(operator, offer.provider) as ctx:
                    data = SubmitBid(
                        bid_id=self.bids[(job.key, offer.provider)],
                        amount=offer.amount,
                        scope=offer.scope,
                        valid_until=self.s.today + timedelta(days=30),
                    )
                    await bids.submit_bid(ctx, data)

    async def award(self) -> None:
        jobs = [job for job in self.c.jobs if any(offer.accepted for offer in job.offers)]
        if not jobs:
            return
        async with self.s.acting("manager", self.c.slug) as ctx:
            for job in jobs:
                accepted = next(offer for offer in job.offers if offer.accepted)
                await bids.accept_bid(ctx, BidById(bid_id=self.bids[(job.key, accepted.provider)]))
                if job.passes("SCHEDULED"):
                    await self._schedule(ctx, job, self.orders[job.key])

    def _provider_of(self, job: Job) -> str | None:
        return job.provider or next((offer.provider for offer in job.offers if offer.accepted), None)

    async def work(self) -> None:
        """The assigned providers start, pause and finish their jobs from their own organizations."""
        for slug in dict.fromkeys(filter(None, (self._provider_of(job) for job in self.c.jobs))):
            jobs = [j for j in self.c.jobs if self._provider_of(j) == slug and j.passes("IN_PROGRESS")]
            if not jobs:
                continue
            async with self.s.acting(self.s.providers[slug].operator, slug) as ctx:
                for job in jobs:
                    order = self.orders[job.key]
                    await work_orders.update_status(ctx, UpdateStatus(id=order, status="IN_PROGRESS", note="On site."))
                    if job.hold:
                        await work_orders.update_status(ctx, UpdateStatus(id=order, status="ON_HOLD", note=job.hold))
                    if job.completion:
                        data = Complete(id=order, completion_notes=job.completion, actual_cost=job.cost)
                        await work_orders.complete(ctx, data)

    async def finish(self) -> None:
        jobs = [job for job in self.c.jobs if job.passes("COMPLETED")]
        if not jobs:
            return
        async with self.s.acting("manager", self.c.slug) as ctx:
            for job in jobs:
                order = self.orders[job.key]
                if job.maintenance and job.asset:
                    log = LogMaintenance(
                        asset_id=self.assets[job.asset],
                        performed_on=self._at(job)[0].date(),
                        description=job.maintenance,
                        cost=job.cost,
                        performed_by=self.s.providers[job.provider].name if job.provider else None,
                        work_order_id=order,
                    )
                    await assets.log_maintenance(ctx, log)
                if job.passes("INVOICED") and not await self._invoice(ctx, job, order):
                    continue
                if job.target == "CLOSED":
                    await work_orders.update_status(ctx, UpdateStatus(id=order, status="CLOSED", note=job.close))

    async def _invoice(self, ctx: RequestContext, job: Job, order: uuid.UUID) -> bool:
        """The provider's invoice into payables (PENDING_APPROVAL); without the association's books (no
        Repairs and Maintenance account) the work order stays COMPLETED."""
        if job.invoice is None:
            return True
        number, amount = job.invoice
        done = self._at(job)[0].date()
        data = CreateWorkOrderInvoice(
            id=order, invoice_number=number, amount=amount, invoice_date=done, due_date=done + timedelta(days=30)
        )
        try:
            async with ctx.session.begin_nested():
                await work_orders.create_invoice(ctx, data)
        except HestamiError as exc:
            self.notes.append(f"    {self.numbers[job.key]} not invoiced: {exc.message}")
            return False
        self.invoices += 1
        return True

    async def comment(self) -> None:
        for job in self.c.jobs:
            for note in job.notes:
                provider = self._provider_of(job)
                if note.by == "provider" and provider:
                    login, slug = self.s.providers[provider].operator, provider
                else:
                    login, slug = note.by, self.c.slug
                async with self.s.acting(login, slug) as ctx:
                    data = AddComment(id=self.orders[job.key], body=note.body, internal=note.internal)
                    await work_orders.add_comment(ctx, data)

    async def summary(self) -> str:
        async with self.s.acting("manager", self.c.slug) as ctx:
            orders = [await work_orders.get(ctx, self.orders[job.key]) for job in self.c.jobs]
        states = Counter(o.status for o in orders)
        by_state = ", ".join(f"{state} {states[state]}" for state in (*PATH, "ON_HOLD", "CANCELLED") if states[state])
        lines = [
            f"  {self.c.short}: {len(orders)} work orders ({by_state}), {len(self.assets)} assets, "
            f"{len(self.c.links)} providers linked, {len(self.bids)} bids, {self.invoices} invoices to payables"
        ]
        for order in orders:
            if order.sla_breached and order.sla_due_at is not None:
                due = order.sla_due_at.astimezone(TEXAS)
                lines.append(f"    SLA breached: {order.number} {order.title} ({order.priority}, due {due:%H:%M:%S})")
        for job, order in zip(self.c.jobs, orders, strict=True):
            if job.by != "manager":
                lines.append(f"    {order.number} requested by {email_of(job.by)} ({order.status})")
        return "\n".join(lines + self.notes)


@demo_seed("work_order", order=40)
async def seed_work_orders(runtime: Runtime) -> list[str]:
    started = time.perf_counter()
    users = await identity.demo_users(runtime)
    if any(login not in users for login in ("admin", "manager", "owner", "vendor", "board")):
        return ["demo work orders: skipped, the demo logins do not exist"]
    orgs = await identity.demo_organizations(runtime, users["admin"])
    seeder = _Seeder(runtime, users, orgs)
    lines = ["demo work orders:"]
    lines += await seeder.ensure_providers()
    todo: list[tuple[Community, uuid.UUID]] = []
    for community in _communities(seeder.today):
        association, skipped = await seeder.pending(community)
        if association is None:
            lines.append(skipped or "")
        else:
            todo.append((community, association))
    if todo:
        for community, association in todo:
            lines.append(await _Loader(seeder, community, association).load())
    lines.append(f"  work orders seeded in {time.perf_counter() - started:.1f}s")
    return lines
