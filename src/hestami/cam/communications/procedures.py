"""The procedures of communications: `communication/template/v1/*`, `communication/mass/v1/*` and
`communication/preference/v1/*`."""

from __future__ import annotations

from hestami.cam.communications import workflows as workflows
from hestami.cam.communications.schemas import (
    ById,
    ByParty,
    CancelMass,
    CheckOut,
    CheckTemplate,
    CreateMass,
    CreateTemplate,
    DeliveriesOut,
    ListDeliveries,
    ListMass,
    ListTemplates,
    MassListOut,
    MassOut,
    PreferencesOut,
    PreviewOut,
    PreviewTemplate,
    ProgressOut,
    ReviseTemplate,
    SendMass,
    SetPreferences,
    TemplateOut,
    TemplatesOut,
    TemplateVersionsOut,
    UpdateMass,
    UpdateTemplate,
)
from hestami.cam.communications.services import mass, preferences, templates
from hestami.core.context import RequestContext
from hestami.core.rpc.procedure import ProcedureRouter

template = ProcedureRouter("communication/template", tags=("communication",))
mass_router = ProcedureRouter("communication/mass", tags=("communication",))
preference = ProcedureRouter("communication/preference", tags=("communication",))


@template.mutation("create")
async def create_template(ctx: RequestContext, data: CreateTemplate) -> TemplateOut:
    """A message template (managers): `name` (unique among the organization's live templates, DUPLICATE_NAME),
    `channel` EMAIL (needs a `subject`), SMS (no subject, at most 1,600 characters) or LETTER, a `category`
    (GENERAL, NEWSLETTER, ANNOUNCEMENT, EVENT, MAINTENANCE, or the official DELINQUENCY, MEETING, EMERGENCY that
    owners cannot opt out of), optionally one association's. `subject` and `body` are Jinja text rendered in a
    sandbox: `{{ recipient_name }}`, `{{ association_name }}`, `{{ unit_numbers }}`, `{{ today }}`, for a
    delinquent audience `{{ balance }}` and `{{ days_past_due }}`, and the `custom_variables` it declares (values
    given when sending). Any other variable is UNKNOWN_VARIABLE, bad syntax TEMPLATE_SYNTAX (with the line). This
    is version 1."""
    return await templates.create(ctx, data)


@template.query("get")
async def get_template(ctx: RequestContext, data: ById) -> TemplateOut:
    """A template with its current version's text and the variables it uses."""
    return await templates.get(ctx, data.id)


@template.query("list")
async def list_templates(ctx: RequestContext, data: ListTemplates) -> TemplatesOut:
    """Templates by association, channel or category (live ones unless `include_archived`); oldest first."""
    return await templates.list_(ctx, data)


@template.mutation("revise")
async def revise_template(ctx: RequestContext, data: ReviseTemplate) -> TemplateOut:
    """A new version of the text, checked like `create`; it becomes current. Earlier versions stay, and every
    mass communication names the version it sent."""
    return await templates.revise(ctx, data)


@template.mutation("update")
async def update_template(ctx: RequestContext, data: UpdateTemplate) -> TemplateOut:
    """A template's name, category or description (its text changes through `revise`)."""
    return await templates.update(ctx, data)


@template.mutation("archive")
async def archive_template(ctx: RequestContext, data: ById) -> TemplateOut:
    """No new sends from it; what was sent keeps pointing at its versions. Its name is free again."""
    return await templates.archive(ctx, data.id)


@template.query("versions")
async def template_versions(ctx: RequestContext, data: ById) -> TemplateVersionsOut:
    """Every version of a template, oldest first."""
    return await templates.versions(ctx, data.id)


@template.query("preview")
async def preview_template(ctx: RequestContext, data: PreviewTemplate) -> PreviewOut:
    """A version (default: the current one) rendered with sample data; `values` replace samples."""
    return await templates.preview(ctx, data)


@template.query("check")
async def check_template(ctx: RequestContext, data: CheckTemplate) -> CheckOut:
    """Validates a text without saving it: its syntax, the variables it uses, and every variable it may use."""
    return await templates.check(ctx, data)


@mass_router.mutation("create")
async def create_mass(ctx: RequestContext, data: CreateMass) -> MassOut:
    """A draft mass communication of an association (managers): a live `template_id` of the organization or
    this association, a `title`, an `audience` (ALL_OWNERS; PROPERTY with `property_id`; DELINQUENT with
    `min_days_past_due`, default 30; BOARD; VENDORS; CUSTOM with `party_ids`), the `category` (default: the
    template's) and `values` for every custom variable of the template (MISSING_VARIABLE, UNKNOWN_VARIABLE;
    balance variables only for DELINQUENT: VARIABLE_NOT_AVAILABLE). Nothing is sent until `send`."""
    return await mass.create(ctx, data)


@mass_router.query("get")
async def get_mass(ctx: RequestContext, data: ById) -> MassOut:
    """A mass communication with its status and counts (board members of the association read them too)."""
    return await mass.get(ctx, data.id)


@mass_router.query("list")
async def list_mass(ctx: RequestContext, data: ListMass) -> MassListOut:
    """Mass communications by association or status; oldest first."""
    return await mass.list_(ctx, data)


@mass_router.mutation("update")
async def update_mass(ctx: RequestContext, data: UpdateMass) -> MassOut:
    """A draft's title, audience or values (NOT_EDITABLE once sent or scheduled)."""
    return await mass.update(ctx, data)


@mass_router.mutation("send")
async def send_mass(ctx: RequestContext, data: SendMass) -> MassOut:
    """Sends a draft now (SENDING) or at `scheduled_for` (SCHEDULED; NOT_IN_FUTURE for a time past).
    `massCommunicationSend_v1` resolves the audience when sending starts (who is delinquent that day), makes one
    delivery per person (an owner of several units gets one message), honours each owner's contact preferences
    (an opted-out category or channel is SKIPPED as OPTED_OUT; official notices go on paper instead), records each
    message once in the outbox and survives a crash without sending anyone a second copy."""
    return await mass.send(ctx, data)


@mass_router.mutation("cancel")
async def cancel_mass(ctx: RequestContext, data: CancelMass) -> MassOut:
    """Cancels a draft or a scheduled one, or stops one sending after the batch in flight (the rest SKIPPED,
    CANCELLED)."""
    return await mass.cancel(ctx, data)


@mass_router.query("progress")
async def mass_progress(ctx: RequestContext, data: ById) -> ProgressOut:
    """Sent, skipped and pending out of the total (known once sending has started), and the percentage done."""
    return await mass.progress(ctx, data.id)


@mass_router.query("deliveries")
async def mass_deliveries(ctx: RequestContext, data: ListDeliveries) -> DeliveriesOut:
    """Every person's delivery (managers): channel, address, units, SENT with the outbox message id, or SKIPPED
    with the reason (OPTED_OUT, NO_ADDRESS, CANCELLED, RENDER_FAILED); filter by `status`."""
    return await mass.deliveries(ctx, data)


@preference.query("get")
async def get_preferences(ctx: RequestContext, data: ByParty) -> PreferencesOut:
    """A party's contact preferences (the defaults, every channel and no opt-out, until set); whoever may view the
    party (the person, managers, the board)."""
    return await preferences.get(ctx, data)


@preference.mutation("set")
async def set_preferences(ctx: RequestContext, data: SetPreferences) -> PreferencesOut:
    """Replaces a party's contact preferences (the person themselves, or a manager recording one given in
    writing): channels `email`, `sms`, `mail` and `opted_out_categories`; official notices (DELINQUENCY,
    MEETING, EMERGENCY) cannot be opted out of (REQUIRED_CATEGORY). Audited."""
    return await preferences.set_(ctx, data)


ROUTERS = [template, mass_router, preference]
