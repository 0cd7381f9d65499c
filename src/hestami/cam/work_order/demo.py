"""Demo work orders: service providers, assets, and work orders in every state for the three demo associations
(the records themselves are in `demo_data.py`; this module seeds them).

Runs after the association and accounting seeders, through domain 6's services in scoped transactions like any
request, each step by the login who would take it, with that login's own roles in its own organization: the
manager links providers, records assets, triages, assigns, invoices and closes in the association's organization;
Evergreen's dispatcher (vendor@) and the owner-operator of Lone Star Landscaping (admin@) bid, start, hold and
complete work from their own provider organizations; owner@ reports a leak at unit 14 of Sunset Ridge and
board@ a running toilet at the Sunset Ridge clubhouse from their own logins.
An association that already has work orders is skipped whole, so `hestami dev` can run this on every start.

Submitting a work order starts its `workOrderLifecycle_v2` DBOS workflow: `hestami dev` / `seed-demo` launch
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
from datetime import date, datetime, timedelta
from decimal import Decimal

from hestami.cam.association import api as association
from hestami.cam.work_order import assignment_demo as assignment_demo  # vendorAssignment_v1's seeder registers
from hestami.cam.work_order import repository
from hestami.cam.work_order.demo_data import (
    LEAK_PHOTO_PNG,
    PATH,
    TEXAS,
    Community,
    Job,
    communities_on,
    providers_on,
)
from hestami.cam.work_order.errors import WorkOrderError
from hestami.cam.work_order.schemas import (
    AddAttachment,
    AddComment,
    AssignVendor,
    BidById,
    Complete,
    CreateAsset,
    CreateWorkOrder,
    CreateWorkOrderInvoice,
    LinkProvider,
    LogMaintenance,
    RequestBids,
    Schedule,
    SubmitBid,
    UpdateStatus,
)
from hestami.cam.work_order.services import assets, bids, providers, work_orders
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.errors import HestamiError
from hestami.core.runtime import Runtime
from hestami.identity import demo as identity
from hestami.identity.demo import DemoCast, email_of


class _Seeder(DemoCast):
    def __init__(self, runtime: Runtime, users: dict[str, uuid.UUID], orgs: dict[str, uuid.UUID]) -> None:
        super().__init__(runtime, users, orgs)
        self.today = date.today()
        self.providers = {p.slug: p for p in providers_on(self.today)}

    async def ensure_providers(self) -> list[str]:
        """The providers' organizations, profiles and documents are the contractor pillar's seed (it runs first);
        a provider it did not make is left out of the links."""
        lines = []
        for spec in self.providers.values():
            if spec.slug not in self.orgs:
                lines.append(f"  {spec.name}: skipped, organization {spec.slug} is missing")
        return lines

    async def pending(self, community: Community) -> tuple[uuid.UUID | None, str | None]:
        """The association to load, or the line saying why not."""
        if community.slug not in self.orgs:
            return None, f"  {community.short}: skipped, organization {community.slug} is missing"
        async with self.acting("admin", community.slug) as ctx:
            found = await association.association_named(ctx, community.name)
            if found is None:
                return None, f"  {community.short}: skipped, the association is missing"
            existing = await repository.count_work_orders(ctx.session, found.id)
            if existing:
                return None, f"  {community.short}: already loaded ({existing} work orders)"
        return found.id, None


class _Loader:
    """Loads one association: set-up, then each step of its work orders by whoever takes it."""

    def __init__(self, seeder: _Seeder, community: Community, association_id: uuid.UUID) -> None:
        self.s = seeder
        self.c = community
        self.association = association_id
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
        self.units = {u.unit_number: u.id for u in await association.units_of(ctx, self.association)}
        self.areas = {a.name: a.id for a in await association.common_areas_of(ctx, self.association)}
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
            await association.set_work_order_sla_hours(ctx, self.association, self.c.sla_hours)
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
                        await association.set_work_order_sla_hours(ctx, self.association, window)
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
                        await association.set_work_order_sla_hours(ctx, self.association, self.c.sla_hours)
                    if job.photo:
                        photo = AddAttachment(
                            id=order.id,
                            file_name="sidewalk-leak.png",
                            content_type="image/png",
                            content_base64=LEAK_PHOTO_PNG,
                        )
                        await work_orders.add_attachment(ctx, photo)

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
    for community in communities_on(seeder.today):
        association_id, skipped = await seeder.pending(community)
        if association_id is None:
            lines.append(skipped or "")
        else:
            todo.append((community, association_id))
    for community, association_id in todo:
        lines.append(await _Loader(seeder, community, association_id).load())
    lines.append(f"  work orders seeded in {time.perf_counter() - started:.1f}s")
    return lines
