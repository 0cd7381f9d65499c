"""Demo owner portal (journey 2, the homeowner): at Sunset Ridge, Olivia Owner (owner@, unit 14) has two requests,
a general inquiry a manager is reviewing and a maintenance request about the broken entry gate (with her photo),
which the manager converted to a work order she follows from the portal; and a few owners have contact
preferences: Olivia opted out of the newsletter (from her portal), the owner of unit 5 takes no email (letters
only), unit 11's owners no texts and no events or announcements. The records are in `demo_data.py`.

Runs after the association, work-order and document seeders and before communications sends its demo newsletter
(so the preferences count), through the portal's services in scoped transactions like any request: Olivia asks and
sets her own preferences, the manager (the demo admin where the manager is not a member) reviews, comments,
converts and records the preferences owners gave in writing. A Sunset Ridge where Olivia already has a request is
skipped whole, so `hestami dev` can run this on every start.
"""

from __future__ import annotations

import base64
import uuid

from hestami.cam.association import api as association
from hestami.cam.communications import api as communications
from hestami.cam.portal.demo_data import ASKS, ASSOCIATION, OWNER_UNIT, PREFERENCES, SLUG, Ask, Preference, gate_photo
from hestami.cam.portal.schemas import (
    AddRequestComment,
    AttachmentIn,
    ConvertRequest,
    CreateRequest,
    ListRequests,
    UpdatePreferences,
    UpdateRequestStatus,
)
from hestami.cam.portal.services import conversion, profile, requests
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast


class _Seeder(DemoCast):
    async def load(self) -> str:
        if SLUG not in self.orgs or not await self.member("owner", SLUG):
            return f"  {SLUG}: skipped, the organization or Olivia Owner is missing"
        keeper = await self.keeper(SLUG)
        async with self.acting("owner", SLUG) as ctx:
            found = await association.association_named(ctx, ASSOCIATION)
            if found is None:
                return f"  {SLUG}: skipped, the association is missing"
            mine = await requests.list_(ctx, ListRequests(association_id=found.id, mine=True, limit=1))
            if mine.items:
                return f"  {SLUG}: already loaded (Olivia Owner has requests)"
        async with self.acting(keeper, SLUG) as ctx:
            units = {u.unit_number: u.id for u in await association.units_of(ctx, found.id)}
            areas = {a.name: a.id for a in await association.common_areas_of(ctx, found.id)}
        made = [await self.ask(keeper, found.id, units[OWNER_UNIT], areas, ask) for ask in ASKS]
        set_for = [await self.prefer(keeper, units, spec) for spec in PREFERENCES]
        return f"  {SLUG}: Olivia Owner's requests {', '.join(made)}; contact preferences of units {', '.join(set_for)}"

    async def ask(
        self, keeper: str, association_id: uuid.UUID, unit_id: uuid.UUID, areas: dict[str, uuid.UUID], ask: Ask
    ) -> str:
        attachments = []
        if ask.photo:
            attachments = [AttachmentIn(file_name=ask.photo, content_base64=base64.b64encode(gate_photo()).decode())]
        body = CreateRequest.model_validate(
            {
                "association_id": association_id, "category": ask.category, "subject": ask.subject,
                "description": ask.description, "unit_id": unit_id, "attachments": attachments,
                "common_area_id": areas.get(ask.common_area) if ask.common_area else None,
            }
        )  # fmt: skip
        async with self.acting("owner", SLUG) as ctx:
            made = await requests.create(ctx, body)
        summary = f"{made.number} ({ask.category})"
        async with self.acting(keeper, SLUG) as ctx:
            if ask.review:
                await requests.update_status(ctx, UpdateRequestStatus(id=made.id, status="IN_REVIEW"))
                summary += " in review"
            if ask.manager_comment:
                await requests.add_comment(ctx, AddRequestComment(id=made.id, body=ask.manager_comment))
            if ask.convert:
                converted = await conversion.convert(ctx, ConvertRequest.model_validate({"id": made.id, **ask.convert}))
                summary += f" converted to {converted.work_order.number}"
        return summary

    async def prefer(self, keeper: str, units: dict[str, uuid.UUID], spec: Preference) -> str:
        if spec.unit not in units:
            return f"{spec.unit} (missing)"
        async with self.acting(spec.login or keeper, SLUG) as ctx:
            owners = await association.owner_contacts(ctx, units[spec.unit])
            for owner in owners:
                if spec.login is not None:
                    if owner.user_id != self.users.get(spec.login):
                        continue
                    body = UpdatePreferences(
                        party_id=owner.party_id, email=spec.email, sms=spec.sms, mail=spec.mail,
                        opted_out_categories=list(spec.opted_out),
                    )  # fmt: skip
                    await profile.update_preferences(ctx, body)
                    continue
                await association.load_party(ctx, owner.party_id, "set_preferences")
                await communications.set_preferences(
                    ctx, owner.party_id, email=spec.email, sms=spec.sms, mail=spec.mail,
                    opted_out_categories=list(spec.opted_out),
                )  # fmt: skip
        return spec.unit


@demo_seed("portal", order=105)
async def seed_portal(runtime: Runtime) -> list[str]:
    seeder = await _Seeder.gather(runtime)
    if seeder is None:
        return ["demo owner portal: skipped, the demo admin does not exist"]
    return ["demo owner portal:", await seeder.load()]
