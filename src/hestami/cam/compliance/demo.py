"""Demo compliance calendars: each demo association (all in Texas) adopts the Texas defaults of the requirement
library (the fiscal year is the calendar year), generates its deadlines for the next twelve months, completes the
management certificate's with a note, waives the dedicatory instruments' with the board's reason, and prepares its
annual meeting with a four-item checklist linked to that deadline, the first item done (the records are in
`demo_data.py`; this module seeds them).

Runs after the association, document and reserve seeders, through domain 12's services in scoped transactions
like any request: the manager (the demo admin where the manager is not a member) does it all. An association
that already has requirements is skipped whole, so `hestami dev` can run this on every start.

Generating starts each deadline's `complianceDeadline_v1` (`hestami dev` / `seed-demo` launch DBOS for the
seeders): the deadlines already inside their reminder period are reminded at once, the others wait for their
reminder date; the API's DBOS recovers the clocks the seeders leave PENDING.

The completed deadline carries no evidence document: `documents.api` offers no way to find an association's
document (the budget PDF the documents demo files) by category or title, and its services are private to that
domain; `compliance/deadline/v1/complete` takes `evidence_document_ids` once someone has them.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from hestami.cam.association import api as association
from hestami.cam.compliance.demo_data import (
    CALENDARS,
    COMPLETED,
    COMPLETED_ITEM_NOTES,
    JURISDICTION,
    MEETING_CHECKLIST,
    MEETING_CODE,
    MEETING_DESCRIPTION,
    MEETING_ITEMS,
    WAIVED,
    WINDOW_DAYS,
    Calendar,
    fiscal_year_start,
)
from hestami.cam.compliance.schemas import (
    AdoptDefaults,
    ChecklistItemIn,
    CompleteChecklistItem,
    CompleteDeadline,
    CreateChecklist,
    DeadlineOut,
    GenerateDeadlines,
    ListDeadlines,
    ListRequirements,
    WaiveDeadline,
)
from hestami.cam.compliance.services import checklists, deadlines, requirements
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast


async def _all_deadlines(ctx: RequestContext, association_id: uuid.UUID) -> list[DeadlineOut]:
    found: list[DeadlineOut] = []
    cursor: str | None = None
    while True:
        page = await deadlines.list_deadlines(
            ctx, ListDeadlines(association_id=association_id, limit=100, cursor=cursor)
        )
        found.extend(page.items)
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


def _first_of(found: list[DeadlineOut], code: str) -> DeadlineOut | None:
    """The soonest open deadline of the requirement with `code`."""
    mine = sorted(
        (d for d in found if d.code == code and d.status not in ("COMPLETED", "WAIVED")), key=lambda d: d.due_on
    )
    return mine[0] if mine else None


class _Seeder(DemoCast):
    async def load(self, spec: Calendar, today: date) -> str:
        if spec.slug not in self.orgs:
            return f"  {spec.short}: skipped, organization {spec.slug} is missing"
        keeper = await self.keeper(spec.slug)
        async with self.acting(keeper, spec.slug) as ctx:
            found = await association.association_named(ctx, spec.name)
            if found is None:
                return f"  {spec.short}: skipped, the association is missing"
            existing = await requirements.list_requirements(ctx, ListRequirements(association_id=found.id, limit=1))
            if existing.items:
                return f"  {spec.short}: already loaded (has compliance requirements)"
            adopt = AdoptDefaults(
                association_id=found.id, jurisdiction=JURISDICTION, anchor_date=fiscal_year_start(today)
            )
            adopted = await requirements.adopt_defaults(ctx, adopt)
        through = today + timedelta(days=WINDOW_DAYS)
        async with self.acting(keeper, spec.slug) as ctx:
            made = await deadlines.generate(ctx, GenerateDeadlines(association_id=found.id, through=through))
        async with self.acting(keeper, spec.slug) as ctx:
            calendar = await _all_deadlines(ctx, found.id)
        closed = []
        completing = _first_of(calendar, COMPLETED.code)
        if completing is not None:
            async with self.acting(keeper, spec.slug) as ctx:
                await deadlines.complete(ctx, CompleteDeadline(id=completing.id, notes=COMPLETED.notes))
            closed.append(f"{COMPLETED.code} of {completing.due_on:%Y-%m-%d} completed")
        waiving = _first_of(calendar, WAIVED.code)
        if waiving is not None:
            async with self.acting(keeper, spec.slug) as ctx:
                await deadlines.waive(ctx, WaiveDeadline(id=waiving.id, notes=WAIVED.notes))
            closed.append(f"{WAIVED.code} of {waiving.due_on:%Y-%m-%d} waived")
        meeting = _first_of(calendar, MEETING_CODE)
        checklist_line = "no annual meeting in the window"
        if meeting is not None:
            items = [
                ChecklistItemIn(title=title, due_on=max(today, meeting.due_on - timedelta(days=before)))
                for title, before in MEETING_ITEMS
            ]
            data = CreateChecklist(
                association_id=found.id, title=MEETING_CHECKLIST, description=MEETING_DESCRIPTION,
                due_on=meeting.due_on, deadline_id=meeting.id, items=items,
            )  # fmt: skip
            async with self.acting(keeper, spec.slug) as ctx:
                checklist = await checklists.create(ctx, data)
            assert checklist.items
            done = CompleteChecklistItem(id=checklist.id, item_id=checklist.items[0].id, notes=COMPLETED_ITEM_NOTES)
            async with self.acting(keeper, spec.slug) as ctx:
                await checklists.complete_item(ctx, done)
            checklist_line = (
                f"a {len(items)}-item checklist for the annual meeting of {meeting.due_on:%Y-%m-%d} (1 done)"
            )
        return (
            f"  {spec.short}: {len(adopted.adopted)} {JURISDICTION} requirements adopted, {made.created} deadlines "
            f"through {through:%Y-%m-%d}; {', '.join(closed) or 'none closed'}; {checklist_line}"
        )


@demo_seed("compliance", order=90)
async def seed_compliance(runtime: Runtime) -> list[str]:
    seeder = await _Seeder.gather(runtime)
    if seeder is None:
        return ["demo compliance calendars: skipped, the demo admin does not exist"]
    lines = ["demo compliance calendars:"]
    today = datetime.now(UTC).date()
    for spec in CALENDARS:
        lines.append(await seeder.load(spec, today))
    return lines
