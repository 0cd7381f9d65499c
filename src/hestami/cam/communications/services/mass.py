"""Mass communications: a template version to an audience of one association, drafted, then sent now or at a
future time by `massCommunicationSend_v1` (DBOS queue `communications`), with progress and a delivery per person.

The audience is resolved when sending starts (who is delinquent on that day), not when drafted. What is checked
when drafting: the template is live and of the organization (or this association), the audience's parameters, and
the values of the template's custom variables; balance variables only for a delinquent audience.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from hestami.cam.association import api as association
from hestami.cam.communications import kinds, lifecycle, repository, rules, workflows
from hestami.cam.communications.errors import CommunicationReason, rule
from hestami.cam.communications.models import CommunicationTemplate, Delivery, MassCommunication
from hestami.cam.communications.schemas import (
    CancelMass,
    CreateMass,
    DeliveriesOut,
    DeliveryOut,
    ListDeliveries,
    ListMass,
    MassListOut,
    MassOut,
    ProgressOut,
    SendMass,
    UpdateMass,
)
from hestami.cam.communications.services import audiences, templates
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition
from hestami.core.pagination import PageRequest, SortKey, fetch_page


def mass_out(mass: MassCommunication) -> MassOut:
    return records.output(MassOut, mass)


async def _template_for(
    ctx: RequestContext, template_id: uuid.UUID, association_id: uuid.UUID
) -> CommunicationTemplate:
    template = await records.load(ctx, kinds.TEMPLATE, template_id)
    if template.archived_at is not None:
        raise rule(CommunicationReason.TEMPLATE_ARCHIVED, "The template is archived.")
    if template.association_id is not None and template.association_id != association_id:
        raise rule(CommunicationReason.WRONG_ASSOCIATION, "The template belongs to another association.")
    return template


async def _checked_values(
    ctx: RequestContext, template: CommunicationTemplate, audience: str, values: dict[str, str]
) -> int:
    """Checks the values against the template's current version; answers that version."""
    version = await templates.version_of(ctx, template, None)
    used = rules.variables_used(version.body) | rules.variables_used(version.subject or "")
    rules.check_values(used, version.variables, values, audience)
    return version.version


async def create(ctx: RequestContext, data: CreateMass) -> MassOut:
    """A draft (nothing is sent until `send`)."""
    await association.load_association(ctx, data.association_id)
    template = await _template_for(ctx, data.template_id, data.association_id)
    params = await audiences.check(ctx, data.association_id, data.audience)
    version = await _checked_values(ctx, template, data.audience.kind, data.values)
    mass = MassCommunication(
        association_id=data.association_id, template_id=template.id, template_version=version,
        channel=template.channel, category=data.category or template.category, title=data.title,
        audience=data.audience.kind, audience_params=params, variables=dict(data.values), status="DRAFT",
        sent=0, skipped=0, created_by=ctx.user_id,
    )  # fmt: skip
    return mass_out(await records.create(ctx, kinds.MASS, mass))


async def get(ctx: RequestContext, mass_id: uuid.UUID) -> MassOut:
    return mass_out(await records.load(ctx, kinds.MASS, mass_id))


async def list_(ctx: RequestContext, data: ListMass) -> MassListOut:
    filters = []
    if data.association_id is not None:
        filters.append(MassCommunication.association_id == data.association_id)
    if data.status is not None:
        filters.append(MassCommunication.status == data.status)
    rows, cursor = await records.page(ctx, kinds.MASS, PageRequest(limit=data.limit, cursor=data.cursor), *filters)
    return MassListOut(items=[mass_out(m) for m in rows], next_cursor=cursor)


async def update(ctx: RequestContext, data: UpdateMass) -> MassOut:
    """A draft's title, audience or values; it then uses the template's current version."""
    mass = await records.load(ctx, kinds.MASS, data.id, "update", lock=True)
    if mass.status != "DRAFT":
        raise rule(CommunicationReason.NOT_EDITABLE, "Only a draft can be changed.", status=mass.status)
    changes: dict[str, Any] = {}
    audience = mass.audience
    if data.audience is not None:
        changes["audience_params"] = await audiences.check(ctx, mass.association_id, data.audience)
        changes["audience"] = audience = data.audience.kind
    values = data.values if data.values is not None else mass.variables
    template = await _template_for(ctx, mass.template_id, mass.association_id)
    changes["template_version"] = await _checked_values(ctx, template, audience, values)
    changes["variables"] = dict(values)
    if data.title is not None:
        changes["title"] = data.title
    return mass_out(await records.change(ctx, kinds.MASS, mass, changes))


async def begin(ctx: RequestContext, data: SendMass) -> tuple[MassCommunication, float]:
    """The move `send` makes, without enqueueing the workflow: SENDING now, or SCHEDULED for `scheduled_for`;
    answers the communication and how many seconds until it is due."""
    mass = await records.load(ctx, kinds.MASS, data.id, "send", lock=True)
    now = datetime.now(UTC)
    later = data.scheduled_for is not None and data.scheduled_for > now
    if data.scheduled_for is not None and not later:
        raise rule(CommunicationReason.NOT_IN_FUTURE, "A scheduled time must be in the future.")
    target = "SCHEDULED" if later else "SENDING"
    check_transition("mass communication", lifecycle.TRANSITIONS, mass.status, target)
    changes: dict[str, Any] = {"status": target, "scheduled_for": data.scheduled_for if later else None}
    if not later:
        changes["started_at"] = now
    mass = await records.change(ctx, kinds.MASS, mass, changes, action="scheduled" if later else "sending")
    delay = (data.scheduled_for - now).total_seconds() if later and data.scheduled_for else 0.0
    return mass, delay


async def send(ctx: RequestContext, data: SendMass) -> MassOut:
    """Now (SENDING) or at `scheduled_for` (SCHEDULED; NOT_IN_FUTURE for a past time). The workflow is enqueued
    before this commits and waits for it."""
    mass, delay = await begin(ctx, data)
    await workflows.enqueue(mass.organization_id, mass.id, delay)
    return mass_out(mass)


async def cancel(ctx: RequestContext, data: CancelMass) -> MassOut:
    """Stops it: a draft or a scheduled one sends nothing; one sending stops after the batch in flight, and the
    deliveries not sent are skipped (CANCELLED)."""
    mass = await records.load(ctx, kinds.MASS, data.id, "cancel", lock=True)
    check_transition("mass communication", lifecycle.TRANSITIONS, mass.status, "CANCELLED")
    skipped = await repository.skip_pending(ctx.session, mass.id, "CANCELLED")
    changes = {"status": "CANCELLED", "cancelled_at": datetime.now(UTC), "skipped": mass.skipped + skipped}
    return mass_out(await records.change(ctx, kinds.MASS, mass, changes, action="cancelled"))


def progress_of(mass: MassCommunication) -> ProgressOut:
    done = mass.sent + mass.skipped
    pending = max((mass.total or 0) - done, 0)
    percent = 100.0 if mass.status == "SENT" else round(100.0 * done / mass.total, 1) if mass.total else 0.0
    return ProgressOut(
        id=mass.id, status=mass.status, total=mass.total, sent=mass.sent, skipped=mass.skipped, pending=pending,
        percent=percent,
    )  # fmt: skip


async def progress(ctx: RequestContext, mass_id: uuid.UUID) -> ProgressOut:
    """Sent / skipped / pending out of the total (known once sending has started)."""
    return progress_of(await records.load(ctx, kinds.MASS, mass_id))


async def deliveries(ctx: RequestContext, data: ListDeliveries) -> DeliveriesOut:
    """One row per person: the channel, the address, their units, SENT (with the outbox message) or SKIPPED and
    why (OPTED_OUT, NO_ADDRESS, CANCELLED, RENDER_FAILED)."""
    mass = await records.load(ctx, kinds.MASS, data.id, "view_deliveries")
    statement = repository.deliveries_of(mass.id, data.status)
    page = PageRequest(limit=data.limit, cursor=data.cursor)
    rows, cursor = await fetch_page(ctx.session, statement, SortKey((Delivery.created_at, Delivery.id)), page)
    return DeliveriesOut(items=[records.output(DeliveryOut, d) for d in rows], next_cursor=cursor)
