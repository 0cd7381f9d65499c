"""Contact preferences: the channels a person accepts and the categories they opted out of (official notices
excepted). Stored per party; a party without a row has the defaults (every channel, no opt-out)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from hestami.cam.association import api as association
from hestami.cam.communications import repository, rules
from hestami.cam.communications.models import ContactPreference
from hestami.cam.communications.schemas import ByParty, PreferencesOut, SetPreferences
from hestami.core import audit
from hestami.core.context import RequestContext


def _out(party_id: uuid.UUID, row: ContactPreference | None) -> PreferencesOut:
    if row is None:
        return PreferencesOut(
            party_id=party_id, email=True, sms=True, mail=True, opted_out_categories=[], updated_at=None
        )
    return PreferencesOut(
        party_id=party_id,
        email=row.email,
        sms=row.sms,
        mail=row.mail,
        opted_out_categories=list(row.opted_out_categories),
        updated_at=row.updated_at,
    )


async def of_party(ctx: RequestContext, party_id: uuid.UUID) -> PreferencesOut:
    """No authorization of its own: the caller has authorized."""
    return (await outs_of(ctx, [party_id]))[party_id]


async def outs_of(ctx: RequestContext, party_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, PreferencesOut]:
    """Each party's preferences as shown (the defaults for those without), in one query. No authorization."""
    stored = await repository.preferences(ctx.session, party_ids)
    return {party_id: _out(party_id, stored.get(party_id)) for party_id in party_ids}


async def of_parties(ctx: RequestContext, party_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, rules.Preferences]:
    """Each party's preferences as the rules read them (defaults for those without), in one query."""
    stored = await repository.preferences(ctx.session, party_ids)
    return {
        party_id: rules.Preferences(p.email, p.sms, p.mail, tuple(p.opted_out_categories))
        for party_id, p in stored.items()
    }


async def save(
    ctx: RequestContext, party_id: uuid.UUID, *, email: bool, sms: bool, mail: bool, opted_out_categories: list[str]
) -> PreferencesOut:
    """Replaces a party's preferences and audits the change. No authorization of its own."""
    chosen = rules.check_preferences(opted_out_categories)
    before = await of_party(ctx, party_id)
    values = {"email": email, "sms": sms, "mail": mail, "opted_out_categories": chosen}
    row = await repository.save_preferences(ctx.session, ctx.require_org(), party_id, values)
    audit.record(
        ctx, "contact_preference.updated", "party", party_id,
        before=before.model_dump(mode="json", exclude={"updated_at"}), after={"party_id": str(party_id), **values},
    )  # fmt: skip
    return _out(party_id, row)


async def get(ctx: RequestContext, data: ByParty) -> PreferencesOut:
    await association.load_party(ctx, data.party_id)
    return await of_party(ctx, data.party_id)


async def set_(ctx: RequestContext, data: SetPreferences) -> PreferencesOut:
    await association.load_party(ctx, data.party_id, "set_preferences")
    return await save(
        ctx, data.party_id, email=data.email, sms=data.sms, mail=data.mail,
        opted_out_categories=list(data.opted_out_categories),
    )  # fmt: skip
