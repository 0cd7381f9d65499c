"""Who hears about a work order, and what they are sent: each status change, recorded by the transition in its
own transaction, and the SLA breach, recorded by the lifecycle workflow. Every message carries a deterministic
dedupe key (`core.outbox.record_all_once`), so it is recorded once however often the code that records it runs;
a retried request with the same idempotency key replays its stored answer and records nothing."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from hestami.cam.work_order import repository
from hestami.cam.work_order.directory import ComplianceIssue
from hestami.cam.work_order.models import StatusChange, WorkOrder
from hestami.core.context import RequestContext
from hestami.core.outbox import OutboundMessage, record_all_once
from hestami.identity.services import organizations as identity

MANAGING_ROLES = ["MANAGER", "ADMIN"]


async def recipients(ctx: RequestContext, order: WorkOrder) -> list[tuple[str, uuid.UUID | None]]:
    """The requestor, the managers and the assigned provider's dispatch inbox, each once, in a stable order.
    `ctx` is scoped to the work order's organization."""
    people: dict[str, uuid.UUID | None] = {}
    managers = await identity.members_in_roles(ctx, MANAGING_ROLES)
    requestor = order.requestor_user_id
    if requestor is not None and all(user_id != requestor for user_id, _ in managers):
        email = await identity.email_of_member(ctx, requestor)
        if email:
            people[email] = requestor
    for user_id, email in managers:
        people[email] = user_id
    if order.assigned_provider_org_id is not None:
        people[f"provider:{order.assigned_provider_org_id}"] = None
    return sorted(people.items())


def message(
    order: WorkOrder, recipient: str, user_id: uuid.UUID | None, template: str, payload: dict[str, Any], dedupe_key: str
) -> OutboundMessage:
    return OutboundMessage(
        organization_id=order.organization_id,
        channel="EMAIL",
        recipient=recipient,
        recipient_user_id=user_id,
        template=template,
        payload={"work_order": order.display_number, "title": order.title, **payload},
        entity_type="work_order",
        entity_id=order.id,
        dedupe_key=dedupe_key,
    )


def status_message(
    order: WorkOrder, change: StatusChange, recipient: str, user_id: uuid.UUID | None
) -> OutboundMessage:
    payload = {"from": change.from_status, "to": change.to_status, "note": change.note}
    key = f"work_order:{order.id}:change:{change.id}:{recipient}"
    return message(order, recipient, user_id, "work_order.status_changed", payload, key)


async def status_changed(ctx: RequestContext, order: WorkOrder, change: StatusChange) -> None:
    """Records `change` (flushed) for every recipient, in the caller's transaction, and the work order's earlier
    transitions for a recipient who has heard of none of them yet (the provider when it is assigned), all in one
    statement. The assigned provider moves the work order from its own organization's scope: the messages
    belong to the work order's organization, so they are recorded there, acting as the system
    (`repository.acting_for_organization`)."""
    if order.organization_id == ctx.organization_id:
        await _record_status_change(ctx, order, change)
        return
    caller = (ctx.organization_id, ctx.user_id)
    async with repository.acting_for_organization(ctx.session, order.organization_id, caller=caller):
        system = dataclasses.replace(ctx, organization_id=order.organization_id, principal=None, roles=frozenset())
        await _record_status_change(system, order, change)


async def _record_status_change(ctx: RequestContext, order: WorkOrder, change: StatusChange) -> None:
    addressed = await recipients(ctx, order)
    messages = [status_message(order, change, recipient, user_id) for recipient, user_id in addressed]
    if change.from_status != "DRAFT":  # after the first transition (the submission)
        known = await repository.status_change_recipients(ctx.session, order)
        newcomers = [(recipient, user_id) for recipient, user_id in addressed if recipient not in known]
        earlier = await repository.status_changes_since(ctx.session, order.id, [change.id]) if newcomers else []
        messages += [status_message(order, c, recipient, user_id) for c in earlier for recipient, user_id in newcomers]
    await record_all_once(ctx.session, messages)


async def sla_breached(ctx: RequestContext, order: WorkOrder) -> None:
    """The breach, to the managers of the work order's organization (`ctx`'s), once each."""
    due = order.sla_due_at.isoformat() if order.sla_due_at is not None else None
    payload = {"priority": order.priority, "sla_due_at": due, "status": order.status}
    messages = [
        message(
            order, email, user_id, "work_order.sla_breached", payload, f"work_order:{order.id}:sla_breached:{email}"
        )
        for user_id, email in await identity.members_in_roles(ctx, MANAGING_ROLES)
    ]
    await record_all_once(ctx.session, messages)


async def provider_non_compliant(
    ctx: RequestContext,
    association_id: uuid.UUID,
    provider_org: uuid.UUID,
    since: date,
    issues: Sequence[ComplianceIssue],
) -> int:
    """The association's managers hear that a linked provider became non-compliant on `since` (why, and that it
    cannot be assigned work until it is compliant again), once each: the dedupe key names the provider, the
    association, the day and the recipient. `ctx` is scoped to the association's organization."""
    link = await repository.provider_link(ctx.session, ctx.require_org(), provider_org, association_id=association_id)
    if link is None:
        return 0
    payload: dict[str, Any] = {
        "provider": link.provider_name,
        "since": since.isoformat(),
        "issues": [{"code": i.code, "message": i.message} for i in issues],
    }
    people = await identity.members_in_roles(ctx, MANAGING_ROLES)
    messages = [
        OutboundMessage(
            organization_id=ctx.require_org(),
            channel="EMAIL",
            recipient=email,
            recipient_user_id=user_id,
            template="service_provider.non_compliant",
            payload=payload,
            entity_type="service_provider_link",
            entity_id=link.id,
            dedupe_key=f"provider_non_compliant:{provider_org}:{association_id}:{since.isoformat()}:{email}",
        )
        for user_id, email in people
    ]
    await record_all_once(ctx.session, messages)
    return len(messages)


async def provider_proposal(
    ctx: RequestContext, order: WorkOrder, template: str, payload: dict[str, Any], key: str
) -> int:
    """A provider's proposal about the work order (or its reminder), to the managers of the work order's
    organization, once each (`key` and the recipient). `ctx` is the provider's organization: the messages belong
    to the work order's, so they are recorded there, acting as the system (`repository.acting_for_organization`)."""
    caller = (ctx.organization_id, ctx.user_id)
    async with repository.acting_for_organization(ctx.session, order.organization_id, caller=caller):
        system = dataclasses.replace(ctx, organization_id=order.organization_id, principal=None, roles=frozenset())
        people = await identity.members_in_roles(system, MANAGING_ROLES)
        messages = [message(order, email, user_id, template, payload, f"{key}:{email}") for user_id, email in people]
        await record_all_once(ctx.session, messages)
    return len(messages)
