"""The demo's field work (`demo_data.py`), through the field's own services: on the dispatch day, the technician
assigned Sunset Ridge's pool deck shower valve visit travels, works, runs the checklist, takes two photos, records a
voice note and the parts, has the pool manager sign the work summary, and completes the visit (the job COMPLETED,
which the hand-off mirrors onto the work order); another technician's homeowner visit is under way with the work
timer running. Runs after dispatch (order 48); not again once Evergreen has a time entry."""

from __future__ import annotations

import uuid
from datetime import datetime

from hestami.contractor.dispatch import api as dispatch
from hestami.contractor.dispatch import rules as dispatch_rules
from hestami.contractor.field import repository
from hestami.contractor.field.demo_data import (
    CHECKLIST_TEMPLATE,
    DISPATCHER,
    EVERGREEN,
    MATERIALS,
    PHOTOS,
    POOL_SHOWER,
    SIGNER,
    TIMELINE,
    VOICE_NOTE,
    WORK_SUMMARY,
    ZONE,
    demo_day,
)
from hestami.contractor.field.demo_images import demo_png, demo_wav
from hestami.contractor.field.schemas import MarkStep, MaterialPayload, MediaPayload, SignaturePayload, VoiceNotePayload
from hestami.contractor.field.services import checklists, completion, materials, media, signatures, timers
from hestami.contractor.job import api as jobs
from hestami.contractor.pricebook import api as pricebook_api
from hestami.contractor.pricebook import procedures as pricebook
from hestami.contractor.pricebook.schemas import ListTemplates
from hestami.contractor.profile import api as profile
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.errors import HestamiError
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast


async def _day_assignments(ctx: RequestContext) -> list[tuple[jobs.JobRef, dispatch.VisitAssignment]]:
    day = demo_day(datetime.now(ZONE).date())
    starts, ends = dispatch_rules.day_bounds(day, ZONE.key)
    found = []
    for visit in await jobs.visits_on(ctx, starts, ends):
        assignment = await dispatch.assignment_of_visit(ctx, visit.id)
        if assignment is not None and assignment.status == "ASSIGNED":
            found.append((await jobs.load_job(ctx, visit.job_id), assignment))
    return found


async def _template(ctx: RequestContext) -> uuid.UUID | None:
    version_id = await pricebook_api.active_version_id(ctx)
    page = await pricebook.list_templates(ctx, ListTemplates(version_id=version_id, trade="PLUMBING", limit=50))
    return next((t.id for t in page.items if t.name == CHECKLIST_TEMPLATE), None)


async def _complete(ctx: RequestContext, assignment: dispatch.VisitAssignment, template_id: uuid.UUID | None) -> str:
    visit, start = assignment.visit_id, assignment.starts_at
    await timers.start(ctx, visit, "TRAVEL", start + TIMELINE["travel"])
    await timers.start(ctx, visit, "WORK", start + TIMELINE["work"])
    if template_id is not None:
        steps = await checklists.apply(ctx, visit, template_id)
        for step in steps.items:
            note = "Done" if step.required else None
            await checklists.mark(ctx, MarkStep(step_id=step.id, note=note, at=start + TIMELINE["steps"]), True)
    for number, (name, caption) in enumerate(PHOTOS):
        await media.upload(ctx, visit, MediaPayload(file_name=name, content_base64=demo_png(number), caption=caption))
    await media.voice_note(ctx, visit, VoiceNotePayload(file_name="pool-shower-note.wav", content_base64=demo_wav(),
                                                        transcript_hint=VOICE_NOTE))  # fmt: skip
    for code, quantity in MATERIALS:
        await materials.record(ctx, visit, MaterialPayload(code=code, quantity=quantity))
    await signatures.capture(ctx, visit, SignaturePayload(
        signer_name=SIGNER, purpose="WORK_SUMMARY", work_summary=WORK_SUMMARY, image_base64=demo_png(9),
        at=start + TIMELINE["signed"],
    ))  # fmt: skip
    done = await completion.complete(ctx, visit, start + TIMELINE["done"])
    return done.job_status


def _login(cast: DemoCast, user_id: uuid.UUID) -> str | None:
    return next((login for login, found in cast.users.items() if found == user_id), None)


@demo_seed("field", order=52)
async def seed_field(runtime: Runtime) -> list[str]:
    cast = await DemoCast.gather(runtime)
    if cast is None or EVERGREEN not in cast.orgs or not await cast.member(DISPATCHER, EVERGREEN):
        return ["demo field work: skipped, Evergreen Plumbing & HVAC or its dispatcher is missing"]
    async with cast.acting(DISPATCHER, EVERGREEN) as ctx:
        try:
            await profile.require_contractor(ctx)
        except HestamiError:
            return ["demo field work: skipped, Evergreen Plumbing & HVAC has no contractor profile"]
        if await repository.any_entry(ctx.session):
            return ["demo field work (Evergreen Plumbing & HVAC): already loaded"]
        day = await _day_assignments(ctx)
        template_id = await _template(ctx)
    pool = next(((j, a) for j, a in day if POOL_SHOWER in j.title), None)
    if pool is None:
        return ["demo field work: skipped, the pool deck shower valve visit is not assigned on the dispatch day"]
    lines = []
    login = _login(cast, pool[1].technician_user_id)
    if login is not None:
        async with cast.acting(login, EVERGREEN) as ctx:
            status = await _complete(ctx, pool[1], template_id)
        lines.append(f"demo field work: {login}@ completed {pool[0].number} (pool deck shower valve), job {status}")
    busy = next(((j, a) for j, a in day if j.work_order_id is None and
                 a.technician_user_id != pool[1].technician_user_id), None)  # fmt: skip
    other = _login(cast, busy[1].technician_user_id) if busy is not None else None
    if busy is not None and other is not None:
        async with cast.acting(other, EVERGREEN) as ctx:
            await timers.start(ctx, busy[1].visit_id, "TRAVEL", busy[1].starts_at + TIMELINE["travel"])
            await timers.start(ctx, busy[1].visit_id, "WORK", busy[1].starts_at)
        lines.append(f"  {other}@ is at work on {busy[0].number} ({busy[0].title}), the timer running")
    return lines
