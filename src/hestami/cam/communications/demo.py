"""Demo communications: per demo organization the templates (late notices by email and letter, a meeting notice,
a newsletter, an emergency text); per demo association a late notice to the units 30 or more days behind and a
newsletter to every owner, sent with a delivery per person, and an annual meeting notice in draft. The sends run
the workflow's own steps in the seeder (`services.sending`), so the demo's deliveries exist as soon as it is
loaded. An organization that already has the templates is skipped whole."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hestami.cam.association import api as association
from hestami.cam.communications.demo_data import ORGANIZATIONS, SENT, TEMPLATES
from hestami.cam.communications.schemas import AudienceSpec, CreateMass, CreateTemplate, ListTemplates, SendMass
from hestami.cam.communications.services import mass, sending, templates
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast


async def _templates(ctx: RequestContext) -> dict[str, uuid.UUID]:
    made = {}
    for spec in TEMPLATES:
        body = CreateTemplate(
            name=spec.name, channel=spec.channel, category=spec.category, subject=spec.subject, body=spec.body,
            custom_variables=list(spec.custom), description=spec.description,
        )  # fmt: skip
        made[spec.name] = (await templates.create(ctx, body)).id
    return made


async def _send_now(ctx: RequestContext, mass_id: uuid.UUID) -> int:
    """What `massCommunicationSend_v1` does, in this transaction."""
    await sending.prepare(ctx, mass_id, datetime.now(UTC))
    while not (await sending.send_batch(ctx, mass_id, 100))["done"]:
        pass
    return (await mass.get(ctx, mass_id)).sent


async def _association(ctx: RequestContext, name: str, made: dict[str, uuid.UUID]) -> str:
    found = await association.association_named(ctx, name)
    if found is None:
        return f"{name}: missing"
    parts = []
    for spec in SENT:
        draft = await mass.create(
            ctx,
            CreateMass(
                association_id=found.id, template_id=made[spec.template], title=spec.title,
                audience=AudienceSpec.model_validate(spec.audience), values=spec.values,
            ),
        )  # fmt: skip
        if not spec.send:
            parts.append(f"{spec.title}")
            continue
        await mass.begin(ctx, SendMass(id=draft.id))
        parts.append(f"{spec.title} to {await _send_now(ctx, draft.id)}")
    return f"{name}: {', '.join(parts)}"


@demo_seed("communications", order=110)
async def seed_communications(runtime: Runtime) -> list[str]:
    cast = await DemoCast.gather(runtime)
    if cast is None:
        return ["demo communications: skipped, the demo admin does not exist"]
    lines = ["demo communications:"]
    for slug, names in ORGANIZATIONS.items():
        if slug not in cast.orgs:
            lines.append(f"  {slug}: skipped, the organization is missing")
            continue
        keeper = await cast.keeper(slug)
        async with cast.acting(keeper, slug) as ctx:
            if (await templates.list_(ctx, ListTemplates(limit=1))).items:
                lines.append(f"  {slug}: already loaded (has templates)")
                continue
            made = await _templates(ctx)
            for name in names:
                lines.append(f"  {await _association(ctx, name, made)}")
    return lines
