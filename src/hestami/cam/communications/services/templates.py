"""Message templates (email, SMS, letter): every change of text is a new version, checked before it is saved
(syntax, known variables, a subject for email, 1,600 characters for SMS); a preview renders a version with sample
data. Names are unique in the organization among live templates; an archived template sends nothing new."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hestami.cam.association import api as association
from hestami.cam.communications import kinds, repository, rules
from hestami.cam.communications.errors import CommunicationReason, rule
from hestami.cam.communications.models import CommunicationTemplate, TemplateVersion
from hestami.cam.communications.schemas import (
    CheckOut,
    CheckTemplate,
    CreateTemplate,
    ListTemplates,
    PreviewOut,
    PreviewTemplate,
    ReviseTemplate,
    TemplateOut,
    TemplatesOut,
    TemplateVersionOut,
    TemplateVersionsOut,
    UpdateTemplate,
    VariableOut,
)
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.pagination import PageRequest


def template_out(template: CommunicationTemplate, version: TemplateVersion | None) -> TemplateOut:
    if version is None:
        return records.output(TemplateOut, template)
    used = sorted(rules.variables_used(version.body) | rules.variables_used(version.subject or ""))
    return records.output(
        TemplateOut, template, subject=version.subject, body=version.body,
        custom_variables=list(version.variables), variables_used=used,
    )  # fmt: skip


def known_variables(custom: list[str]) -> list[VariableOut]:
    system = [VariableOut(name=n, description=d, sample=rules.SAMPLE[n]) for n, d in rules.SYSTEM_VARIABLES.items()]
    return [*system, *(VariableOut(name=n, description="custom", sample=f"<{n}>") for n in custom)]


async def _unique_name(ctx: RequestContext, name: str, keep: CommunicationTemplate | None = None) -> None:
    await repository.lock_template_name(ctx.session, ctx.require_org(), name)
    existing = await repository.template_named(ctx.session, name)
    if existing is not None and existing is not keep:
        raise rule(CommunicationReason.DUPLICATE_NAME, f"A template named {name} exists.")


def _version(template: CommunicationTemplate, number: int, ctx: RequestContext, **text: Any) -> TemplateVersion:
    return TemplateVersion(
        organization_id=template.organization_id, template_id=template.id, version=number, created_by=ctx.user_id,
        **text,
    )  # fmt: skip


async def create(ctx: RequestContext, data: CreateTemplate) -> TemplateOut:
    """A template and its version 1 (DUPLICATE_NAME, TEMPLATE_SYNTAX, UNKNOWN_VARIABLE, SUBJECT_REQUIRED)."""
    await records.authorize_new(ctx, kinds.TEMPLATE, "create")  # before the names are read: a refusal tells nothing
    if data.association_id is not None:
        await association.load_association(ctx, data.association_id)
    rules.check_template(data.channel, data.subject, data.body, data.custom_variables)
    await _unique_name(ctx, data.name)
    template = CommunicationTemplate(
        association_id=data.association_id, name=data.name, channel=data.channel, category=data.category,
        description=data.description, current_version=1,
    )  # fmt: skip
    template = await records.create(ctx, kinds.TEMPLATE, template)
    version = _version(
        template, 1, ctx, subject=data.subject, body=data.body, variables=sorted(set(data.custom_variables))
    )
    ctx.session.add(version)
    await ctx.session.flush()
    return template_out(template, version)


async def get(ctx: RequestContext, template_id: Any) -> TemplateOut:
    template = await records.load(ctx, kinds.TEMPLATE, template_id)
    return template_out(template, await repository.template_version(ctx.session, template.id, template.current_version))


async def list_(ctx: RequestContext, data: ListTemplates) -> TemplatesOut:
    filters = []
    if data.association_id is not None:
        filters.append(CommunicationTemplate.association_id == data.association_id)
    if data.channel is not None:
        filters.append(CommunicationTemplate.channel == data.channel)
    if data.category is not None:
        filters.append(CommunicationTemplate.category == data.category)
    if not data.include_archived:
        filters.append(CommunicationTemplate.archived_at.is_(None))
    page = PageRequest(limit=data.limit, cursor=data.cursor)
    rows, cursor = await records.page(ctx, kinds.TEMPLATE, page, *filters)
    versions = await repository.current_versions(ctx.session, rows)
    return TemplatesOut(items=[template_out(t, versions.get(t.id)) for t in rows], next_cursor=cursor)


async def _live(ctx: RequestContext, template_id: Any, action: str) -> CommunicationTemplate:
    template = await records.load(ctx, kinds.TEMPLATE, template_id, action, lock=True)
    if template.archived_at is not None:
        raise rule(CommunicationReason.TEMPLATE_ARCHIVED, "The template is archived.")
    return template


async def revise(ctx: RequestContext, data: ReviseTemplate) -> TemplateOut:
    """A new version of the text; it becomes the current one."""
    template = await _live(ctx, data.id, "update")
    rules.check_template(template.channel, data.subject, data.body, data.custom_variables)
    number = template.current_version + 1
    version = _version(
        template, number, ctx, subject=data.subject, body=data.body, variables=sorted(set(data.custom_variables))
    )
    ctx.session.add(version)
    template = await records.change(ctx, kinds.TEMPLATE, template, {"current_version": number}, action="revised")
    return template_out(template, version)


async def update(ctx: RequestContext, data: UpdateTemplate) -> TemplateOut:
    """Name, category or description (the text changes through `revise`)."""
    template = await _live(ctx, data.id, "update")
    changes = records.changes_of(data)
    if changes.get("name") is not None:
        await _unique_name(ctx, changes["name"], keep=template)
    changes = {k: v for k, v in changes.items() if v is not None or k == "description"}
    template = await records.change(ctx, kinds.TEMPLATE, template, changes)
    return template_out(template, await repository.template_version(ctx.session, template.id, template.current_version))


async def archive(ctx: RequestContext, template_id: Any) -> TemplateOut:
    template = await _live(ctx, template_id, "update")
    template = await records.change(
        ctx, kinds.TEMPLATE, template, {"archived_at": datetime.now(UTC)}, action="archived"
    )
    return template_out(template, await repository.template_version(ctx.session, template.id, template.current_version))


async def versions(ctx: RequestContext, template_id: Any) -> TemplateVersionsOut:
    template = await records.load(ctx, kinds.TEMPLATE, template_id)
    rows = await repository.template_versions(ctx.session, template.id)
    return TemplateVersionsOut(items=[records.output(TemplateVersionOut, v) for v in rows])


async def version_of(ctx: RequestContext, template: CommunicationTemplate, number: int | None) -> TemplateVersion:
    version = await repository.template_version(ctx.session, template.id, number or template.current_version)
    if version is None:
        raise rule(CommunicationReason.UNKNOWN_VERSION, f"The template has no version {number}.")
    return version


async def preview(ctx: RequestContext, data: PreviewTemplate) -> PreviewOut:
    """The version rendered with the sample data; `values` replace samples (custom variables default to
    `<name>`)."""
    template = await records.load(ctx, kinds.TEMPLATE, data.id)
    version = await version_of(ctx, template, data.version)
    values: dict[str, Any] = {
        **rules.SAMPLE, **{n: f"<{n}>" for n in version.variables}, **data.values
    }  # fmt: skip
    return PreviewOut(
        template_id=template.id, version=version.version, channel=template.channel,
        subject=rules.render(version.subject, values), body=rules.render(version.body, values) or "", values=values,
    )  # fmt: skip


async def check(ctx: RequestContext, data: CheckTemplate) -> CheckOut:
    """Validates a text without saving it."""
    await records.authorize_new(ctx, kinds.TEMPLATE, "create")
    used = rules.check_template(data.channel, data.subject, data.body, data.custom_variables)
    return CheckOut(variables_used=used, known_variables=known_variables(sorted(set(data.custom_variables))))
