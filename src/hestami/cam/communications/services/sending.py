"""The steps `massCommunicationSend_v1` takes, each one transaction on the locked mass communication.

`prepare`: when its time has come, the audience is resolved (on that day) into one delivery per person, each
PENDING or SKIPPED with the reason (their preferences, no address); the total is then known. `send_batch`: the next
pending deliveries are rendered, recorded in the outbox (a dedupe key per mass communication and person) and marked
SENT with their message in the same transaction, so a step interrupted by a crash leaves nothing behind and its
retry sends each person exactly one copy. With none pending left it marks the communication SENT.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from hestami.cam.association import api as association
from hestami.cam.communications import kinds, lifecycle, repository, rules
from hestami.cam.communications.errors import CommunicationError
from hestami.cam.communications.models import Delivery, MassCommunication
from hestami.cam.communications.services import audiences, preferences
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.ids import new_id
from hestami.core.outbox import OutboundMessage, record_all_once

MESSAGE_TEMPLATE = "communication.mass"


async def _delivery_rows(ctx: RequestContext, mass: MassCommunication, day: date) -> list[dict[str, Any]]:
    recipients = await audiences.resolve(ctx, mass.association_id, mass.audience, mass.audience_params, day)
    prefs = await preferences.of_parties(ctx, [r.party_id for r in recipients if r.party_id is not None])
    rows = []
    for r in recipients:
        chosen = prefs.get(r.party_id, rules.Preferences()) if r.party_id else rules.Preferences()
        reach = rules.reach(mass.channel, mass.category, chosen, email=r.email, phone=r.phone, mailing=r.mailing)
        values: dict[str, Any] = {}
        if r.balance is not None:
            values = {"balance": str(r.balance), "days_past_due": r.days_past_due}
        rows.append(
            {
                "mass_communication_id": mass.id, "recipient_key": r.key, "party_id": r.party_id,
                "user_id": r.user_id, "name": r.name, "channel": reach.channel, "address": reach.address,
                "unit_ids": r.unit_ids, "status": "SKIPPED" if reach.skip_reason else "PENDING",
                "skip_reason": reach.skip_reason, "personal_values": values,
            }
        )  # fmt: skip
    return rows


async def exists(ctx: RequestContext, mass_id: uuid.UUID) -> bool:
    """Whether the mass communication is visible (the transaction that sent it has committed)."""
    return await repository.mass_exists(ctx.session, mass_id)


async def prepare(ctx: RequestContext, mass_id: uuid.UUID, now: datetime) -> dict[str, Any]:
    """The state the workflow acts on: FINISHED statuses end it; a scheduled one not due yet says how long to
    wait; otherwise it is SENDING, with its deliveries made once."""
    mass = await records.find(ctx, kinds.MASS, mass_id, lock=True)
    if mass.status in lifecycle.FINISHED or mass.status == "DRAFT":
        return {"status": mass.status, "wait": 0.0}
    if mass.status == "SCHEDULED":
        due = mass.scheduled_for or now
        if due > now:
            return {"status": mass.status, "wait": (due - now).total_seconds()}
        mass = await records.change(ctx, kinds.MASS, mass, {"status": "SENDING", "started_at": now}, action="sending")
    if mass.total is None:
        rows = await _delivery_rows(ctx, mass, now.date())
        await repository.add_deliveries(ctx.session, mass.organization_id, rows)
        skipped = sum(1 for row in rows if row["status"] == "SKIPPED")
        mass.total, mass.skipped = len(rows), skipped
        await ctx.session.flush()
        audit.record(
            ctx, "mass_communication.audience_resolved", kinds.MASS.name, mass.id,
            after={"total": len(rows), "skipped": skipped},
        )  # fmt: skip
    return {"status": mass.status, "wait": 0.0}


def _values(mass: MassCommunication, delivery: Delivery, context: dict[str, Any]) -> dict[str, Any]:
    return {**mass.variables, **context, "recipient_name": delivery.name, **delivery.personal_values}


async def send_batch(ctx: RequestContext, mass_id: uuid.UUID, size: int) -> dict[str, Any]:
    """Sends the next `size` pending deliveries; marks the communication SENT when none are left."""
    mass = await records.find(ctx, kinds.MASS, mass_id, lock=True)
    if mass.status != "SENDING":
        return {"status": mass.status, "done": True}
    batch = await repository.pending_deliveries(ctx.session, mass.id, size)
    now = datetime.now(UTC)
    if not batch:
        await records.change(ctx, kinds.MASS, mass, {"status": "SENT", "finished_at": now}, action="sent")
        return {"status": "SENT", "done": True}
    version = await repository.template_version(ctx.session, mass.template_id, mass.template_version)
    assert version is not None  # versions are never deleted
    place = await association.find_association(ctx, mass.association_id)
    numbers = await association.unit_numbers(ctx, sorted({u for d in batch for u in d.unit_ids}))
    context = {"association_name": place.name, "today": now.date().isoformat()}
    messages, sent, failed = [], {}, []
    for delivery in batch:
        units = ", ".join(numbers[u] for u in numbers if u in delivery.unit_ids)
        values = {**_values(mass, delivery, context), "unit_numbers": units}
        try:
            subject, body = rules.render(version.subject, values), rules.render(version.body, values)
        except CommunicationError:
            failed.append(delivery.id)
            continue
        message_id = new_id()
        messages.append(
            OutboundMessage(
                id=message_id, organization_id=mass.organization_id, channel=delivery.channel,
                recipient=delivery.address or "", recipient_user_id=delivery.user_id, template=MESSAGE_TEMPLATE,
                payload={"subject": subject, "body": body, "title": mass.title, "category": mass.category},
                request_id=ctx.request_id, entity_type=kinds.MASS.name, entity_id=mass.id,
                dedupe_key=lifecycle.dedupe_key(mass.id, delivery.recipient_key),
            )
        )  # fmt: skip
        sent[delivery.id] = message_id
    await record_all_once(ctx.session, messages)
    await repository.mark_sent(ctx.session, sent, now)
    await repository.mark_failed(ctx.session, failed, "RENDER_FAILED")
    mass.sent, mass.skipped = mass.sent + len(sent), mass.skipped + len(failed)
    await ctx.session.flush()
    return {"status": mass.status, "done": False, "sent": mass.sent}
