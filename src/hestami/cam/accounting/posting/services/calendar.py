"""One day of an association's assessment calendar, as the system (the daily schedule) or a manager does it: the
posting runs that fall due (one per assessment type and due date), the late fees past their grace period (the
rules of `applyLateFees`: one per overdue charge) and the collection steps due.

Collection steps: a unit whose oldest open assessment (its charge cycle) is past due by the association's
REMINDER, LATE_NOTICE or INTENT_TO_LIEN days takes the next step of that cycle not yet taken, one step a day at
most, in that order. Each step is a row (unique per charge and step, so it is taken once whoever runs the day, at
the same moment too) and a dated notice in the outbox to each owner of the unit on that day (a PORTAL message to an
owner with an account, else an EMAIL), with a dedupe key per step and owner.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from hestami.cam.accounting import repository as accounting_repository
from hestami.cam.accounting.posting import kinds, repository, rules
from hestami.cam.accounting.posting.models import PostingRun
from hestami.cam.accounting.services import receivables
from hestami.cam.association import api as association_api
from hestami.cam.association.api import AssociationRef
from hestami.core import audit
from hestami.core.context import RequestContext
from hestami.core.ids import new_id
from hestami.core.outbox import OutboundMessage, record_all_once

NOTICE_TEMPLATE = "accounting.collection_step"
ZERO = Decimal("0.00")


@dataclass
class Day:
    association_id: uuid.UUID
    as_of: date
    runs: list[PostingRun] = field(default_factory=list)
    late_fees: int = 0
    collection_steps: int = 0


async def calendar_of(ctx: RequestContext, association_id: uuid.UUID) -> rules.Calendar:
    saved = await repository.settings_of(ctx.session, association_id)
    if saved is None:
        return rules.Calendar()
    return rules.Calendar(
        saved.due_day, saved.reminder_days, saved.late_notice_days, saved.intent_to_lien_days, saved.allocation
    )


async def open_run(
    ctx: RequestContext, atype_id: uuid.UUID, association_id: uuid.UUID, due: date, values: dict[str, object]
) -> tuple[PostingRun, bool]:
    """The type's run for the due date, made now (QUEUED) unless it exists: (run, made now)."""
    run_id = await repository.add_run(
        ctx.session,
        {"id": new_id(), "organization_id": ctx.require_org(), "association_id": association_id,
         "assessment_type_id": atype_id, "due_date": due, "status": "QUEUED", **values},
    )  # fmt: skip
    run = await repository.run_of_period(ctx.session, atype_id, due)
    assert run is not None
    if run_id is not None:
        audit.record(ctx, f"{kinds.POSTING_RUN.name}.created", kinds.POSTING_RUN.name, run.id,
                     after={"due_date": due.isoformat(), "trigger": values["trigger"]})  # fmt: skip
    return run, run_id is not None


async def run_day(ctx: RequestContext, as_of: date) -> list[Day]:
    """The organization's calendar for `as_of` (the system: no policy decisions), per association."""
    days: dict[uuid.UUID, Day] = {}
    associations: dict[uuid.UUID, AssociationRef] = {}
    for atype in await repository.periodic_types(ctx.session):
        association = associations.get(atype.association_id)
        if association is None:
            association = associations[atype.association_id] = await association_api.find_association(
                ctx, atype.association_id
            )
        day = days.setdefault(association.id, Day(association.id, as_of))
        cal = await calendar_of(ctx, association.id)
        if not rules.falls_due(atype.frequency, cal.due_day, association.fiscal_year_start_month, as_of):
            continue
        values = {"trigger": "SCHEDULE", "allocation": cal.allocation, "amount": atype.amount,
                  "description": f"{atype.name} {as_of.isoformat()}"}  # fmt: skip
        run, _ = await open_run(ctx, atype.id, association.id, as_of, values)
        if run.status not in ("COMPLETED", "FAILED"):  # a FAILED run waits for someone to start it again
            day.runs.append(run)
    for association_id in await repository.association_ids_with_types(ctx.session):
        association = associations.get(association_id) or await association_api.find_association(ctx, association_id)
        day = days.setdefault(association_id, Day(association_id, as_of))
        await escalate(ctx, association, as_of, day, decided=True)
    return list(days.values())


async def escalate(ctx: RequestContext, association: AssociationRef, as_of: date, day: Day, *, decided: bool) -> Day:
    """Late fees, then the collection steps due on `as_of`, in the association."""
    fees = await receivables.post_late_fees(ctx, association, as_of, decided=decided)
    day.late_fees = fees.created
    day.collection_steps = await _collection_steps(ctx, association, as_of)
    return day


async def _collection_steps(ctx: RequestContext, association: AssociationRef, as_of: date) -> int:
    cal = await calendar_of(ctx, association.id)
    cycles = await repository.oldest_open_assessments(ctx.session, association.id, as_of)
    if not cycles:
        return 0
    taken = await repository.steps_taken(ctx.session, [charge_id for _, charge_id, _ in cycles])
    balances: dict[uuid.UUID, Decimal] = defaultdict(lambda: ZERO)
    for unit_id, _, balance in await accounting_repository.open_charges_as_of(
        ctx.session, as_of, unit_ids=[unit_id for unit_id, _, _ in cycles]
    ):
        balances[unit_id] += balance
    owners = await association_api.owners_of_record(ctx, association.id, as_of)
    numbers = await association_api.unit_numbers(ctx, [unit_id for unit_id, _, _ in cycles])
    made = 0
    for unit_id, charge_id, due in cycles:
        days_past_due = (as_of - due).days
        step = rules.next_step(cal, days_past_due, taken[charge_id])
        if step is None:
            continue
        contacts = owners.get(unit_id, [])
        step_id = await repository.add_step(
            ctx.session,
            {"id": new_id(), "organization_id": ctx.require_org(), "association_id": association.id,
             "unit_id": unit_id, "charge_id": charge_id, "step": step, "noticed_on": as_of,
             "days_past_due": days_past_due, "balance": balances[unit_id], "recipients": len(contacts)},
        )  # fmt: skip
        if step_id is None:
            continue
        made += 1
        audit.record(ctx, f"{kinds.COLLECTION_STEP.name}.created", kinds.COLLECTION_STEP.name, step_id,
                     after={"step": step, "unit_id": str(unit_id), "noticed_on": as_of.isoformat()})  # fmt: skip
        payload = {
            "step": step, "noticed_on": as_of.isoformat(), "association_name": association.name,
            "unit_number": numbers.get(unit_id, ""), "balance": str(balances[unit_id]),
            "days_past_due": days_past_due, "oldest_due_date": due.isoformat(),
        }  # fmt: skip
        messages = []
        for contact in contacts:
            if contact.user_id is not None:
                channel, recipient = "PORTAL", f"user:{contact.user_id}"
            elif contact.email:
                channel, recipient = "EMAIL", contact.email
            else:
                continue
            messages.append(
                OutboundMessage(
                    organization_id=ctx.require_org(), channel=channel, recipient=recipient,
                    recipient_user_id=contact.user_id, template=NOTICE_TEMPLATE,
                    payload={**payload, "owner_name": contact.name}, request_id=ctx.request_id,
                    entity_type=kinds.COLLECTION_STEP.name, entity_id=step_id,
                    dedupe_key=f"collection:{charge_id}:{step}:{contact.party_id}",
                )
            )  # fmt: skip
        await record_all_once(ctx.session, messages)
    return made
