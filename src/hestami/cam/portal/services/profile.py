"""The caller's own profile: their account, their party records in this organization (name, contact points, the
units they own or rent today) and each party's contact preferences, which are also the portal's notification
settings (communications decides by them what reaches the person, and how).

Everything here is the caller's own: a party id that is not one of theirs answers NOT_FOUND, exactly like a random
id, whoever asks (managers keep other people's parties through `party/v1` and their preferences through
communications). Password, sessions and sign-in are identity's (`auth/v1/*`).
"""

from __future__ import annotations

import uuid

from hestami.cam.association import api as association
from hestami.cam.communications import api as communications
from hestami.cam.portal import kinds
from hestami.cam.portal.schemas import (
    AccountOut,
    ByParty,
    HoldingOut,
    PartyProfileOut,
    PreferencesOut,
    ProfileOut,
    UpdatePreferences,
    UpdateProfile,
)
from hestami.core.authz import Resource, allows
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.identity.services import accounts

PARTY = "party"


def preferences_out(preferences: communications.ContactPreferences) -> PreferencesOut:
    return PreferencesOut(
        party_id=preferences.party_id, email=preferences.email, sms=preferences.sms, mail=preferences.mail,
        opted_out_categories=list(preferences.opted_out_categories),
        required_categories=sorted(communications.REQUIRED_CATEGORIES), updated_at=preferences.updated_at,
    )  # fmt: skip


def _party_out(party: association.PartyProfile, preferences: communications.ContactPreferences) -> PartyProfileOut:
    return PartyProfileOut(
        id=party.id, party_type=party.party_type, display_name=party.display_name, first_name=party.first_name,
        last_name=party.last_name, organization_name=party.organization_name, email=party.email, phone=party.phone,
        mailing_address=party.mailing_address, updated_at=party.updated_at,
        holdings=[HoldingOut.model_validate(h, from_attributes=True) for h in party.holdings],
        preferences=preferences_out(preferences),
    )  # fmt: skip


async def _allowed(ctx: RequestContext, party_id: uuid.UUID, user_id: uuid.UUID | None, action: str) -> bool:
    attrs = {"organization_id": str(ctx.require_org()), "user_id": str(user_id) if user_id else ""}
    return await allows(ctx, action, Resource(kinds.PROFILE, str(party_id), attrs))


async def own_party(ctx: RequestContext, party_id: uuid.UUID, action: str) -> None:
    """`party_id` is one of the caller's own parties and the portal lets them `action` it (`portal_profile`);
    NOT_FOUND otherwise, the same answer as for an id that does not exist."""
    party = await association.load_party(ctx, party_id)  # NOT_FOUND unless the caller may see it at all
    if not await _allowed(ctx, party_id, party.user_id, action):
        raise not_found(PARTY, party_id)


async def get(ctx: RequestContext) -> ProfileOut:
    me = (await accounts.me(ctx)).user
    parties = await association.parties_of_caller(ctx)
    shown = [party for party in parties if await _allowed(ctx, party.id, party.user_id, "view")]
    chosen = await communications.preferences_of_parties(ctx, [party.id for party in shown])
    out = [_party_out(party, chosen[party.id]) for party in shown]
    return ProfileOut(account=AccountOut(user_id=me.id, name=me.name, email=me.email), parties=out)


async def update(ctx: RequestContext, data: UpdateProfile) -> PartyProfileOut:
    """Name, phone and mailing address of the caller's own party (only the fields sent; a name or an address sent
    as null is left as it is, a null phone removes it)."""
    await own_party(ctx, data.party_id, "update")
    changes = {
        name: value
        for name, value in data.model_dump(exclude_unset=True, exclude={"party_id"}).items()
        if value is not None or name == "phone"
    }
    party = await association.change_party_contact(ctx, data.party_id, changes)
    return _party_out(party, await communications.preferences_of(ctx, party.id))


async def get_preferences(ctx: RequestContext, data: ByParty) -> PreferencesOut:
    await own_party(ctx, data.party_id, "view_preferences")
    return preferences_out(await communications.preferences_of(ctx, data.party_id))


async def update_preferences(ctx: RequestContext, data: UpdatePreferences) -> PreferencesOut:
    await own_party(ctx, data.party_id, "update_preferences")
    saved = await communications.set_preferences(
        ctx, data.party_id, email=data.email, sms=data.sms, mail=data.mail,
        opted_out_categories=list(data.opted_out_categories),
    )  # fmt: skip
    return preferences_out(saved)
