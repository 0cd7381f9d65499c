"""Job templates: a job as it is usually done (a water heater swap: its items and quantities, and the checklist a
technician follows, each step required or not), within one version: its items are that version's (by code), and
like them it changes only while the version is a DRAFT. A name is unique in its version."""

from __future__ import annotations

import uuid
from typing import Any

from hestami.contractor.pricebook import kinds, repository
from hestami.contractor.pricebook.errors import PricebookReason, rule
from hestami.contractor.pricebook.models import Item, JobTemplate, TemplateItem, TemplateStep
from hestami.contractor.pricebook.schemas import (
    CreateTemplate,
    ListTemplates,
    StepIn,
    StepOut,
    TemplateItemIn,
    TemplateItemOut,
    TemplateOut,
    UpdateTemplate,
)
from hestami.contractor.pricebook.services.guard import contractor, draft, still_draft
from hestami.contractor.pricebook.services.items import items_of_codes
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.pagination import Page

REQUIRED = frozenset({"name", "trade"})


def output(template: JobTemplate, lines: list[tuple[TemplateItem, Item]], steps: list[TemplateStep]) -> TemplateOut:
    return records.output(
        TemplateOut,
        template,
        items=[TemplateItemOut(item_id=i.id, code=i.code, name=i.name, quantity=t.quantity) for t, i in lines],
        steps=[StepOut(position=s.position, text=s.text, required=s.required) for s in steps],
    )


async def _outputs(ctx: RequestContext, templates: list[JobTemplate]) -> list[TemplateOut]:
    ids = [t.id for t in templates]
    lines = await repository.template_items_of(ctx.session, ids)
    steps = await repository.steps_of(ctx.session, ids)
    return [output(t, lines[t.id], steps[t.id]) for t in templates]


async def _unique_name(ctx: RequestContext, version_id: uuid.UUID, name: str, other_than: uuid.UUID | None) -> None:
    await repository.lock_template_names(ctx.session, version_id)
    if await repository.template_named(ctx.session, version_id, name, other_than=other_than) is not None:
        raise rule(PricebookReason.DUPLICATE_NAME, f"This version has a job template named {name!r} already.")


async def _set_contents(
    ctx: RequestContext, template: JobTemplate, items: list[TemplateItemIn] | None, steps: list[StepIn] | None
) -> None:
    shown: dict[str, Any] = {}
    if items is not None:
        found = await items_of_codes(ctx, template.version_id, [i.code for i in items])
        await repository.replace_template_items(ctx.session, template, [(found[i.code].id, i.quantity) for i in items])
        shown["items"] = [{"code": i.code, "quantity": str(i.quantity)} for i in items]
    if steps is not None:
        await repository.replace_steps(ctx.session, template, [(s.text, s.required) for s in steps])
        shown["steps"] = [{"text": s.text, "required": s.required} for s in steps]
    if shown:
        audit.record(ctx, f"{kinds.TEMPLATE.name}.contents_set", kinds.TEMPLATE.name, template.id, after=shown)


async def create(ctx: RequestContext, data: CreateTemplate) -> TemplateOut:
    await contractor(ctx)
    await records.authorize_new(ctx, kinds.TEMPLATE, "create")
    version = await draft(ctx, data.version_id)
    await _unique_name(ctx, version.id, data.name, None)
    fields = data.model_dump(include={"version_id", "name", "trade", "description"})
    template = await records.create(ctx, kinds.TEMPLATE, JobTemplate(**fields))
    await _set_contents(ctx, template, data.items, data.steps)
    return (await _outputs(ctx, [template]))[0]


async def update(ctx: RequestContext, data: UpdateTemplate) -> TemplateOut:
    await contractor(ctx)
    template = await records.load(ctx, kinds.TEMPLATE, data.id, "update", lock=True)
    await still_draft(ctx, template.version_id)
    changes = {
        k: v
        for k, v in records.changes_of(data, exclude=("id", "items", "steps")).items()
        if v is not None or k not in REQUIRED
    }
    if "name" in changes:
        await _unique_name(ctx, template.version_id, changes["name"], template.id)
    await records.change(ctx, kinds.TEMPLATE, template, changes)
    await _set_contents(ctx, template, data.items, data.steps)
    return (await _outputs(ctx, [template]))[0]


async def delete(ctx: RequestContext, template_id: uuid.UUID) -> None:
    await contractor(ctx)
    template = await records.load(ctx, kinds.TEMPLATE, template_id, "delete", lock=True)
    await still_draft(ctx, template.version_id)
    before = records.snapshot(template)
    await repository.delete_template(ctx.session, template)
    audit.record(ctx, f"{kinds.TEMPLATE.name}.deleted", kinds.TEMPLATE.name, template_id, before=before)


async def get(ctx: RequestContext, template_id: uuid.UUID) -> TemplateOut:
    await contractor(ctx)
    return (await _outputs(ctx, [await records.load(ctx, kinds.TEMPLATE, template_id)]))[0]


async def list_templates(ctx: RequestContext, data: ListTemplates) -> Page[TemplateOut]:
    await contractor(ctx)
    filters = []
    if data.version_id is not None:
        filters.append(JobTemplate.version_id == data.version_id)
    if data.trade is not None:
        filters.append(JobTemplate.trade == data.trade)
    rows, cursor = await records.page(ctx, kinds.TEMPLATE, data, *filters)
    return Page[TemplateOut](items=await _outputs(ctx, rows), next_cursor=cursor)
