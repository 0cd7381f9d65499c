"""What other domains may use of communications: contact preferences (the portal shows and changes them)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from hestami.cam.communications import rules
from hestami.cam.communications.schemas import PreferencesOut
from hestami.cam.communications.services import preferences
from hestami.core.context import RequestContext

CATEGORIES = rules.CATEGORIES
REQUIRED_CATEGORIES = rules.REQUIRED_CATEGORIES


@dataclass(frozen=True, slots=True)
class ContactPreferences:
    party_id: uuid.UUID
    email: bool
    sms: bool
    mail: bool
    opted_out_categories: tuple[str, ...]
    updated_at: datetime | None


def _ref(out: PreferencesOut) -> ContactPreferences:
    return ContactPreferences(
        out.party_id, out.email, out.sms, out.mail, tuple(out.opted_out_categories), out.updated_at
    )


async def preferences_of(ctx: RequestContext, party_id: uuid.UUID) -> ContactPreferences:
    """A party's preferences (the defaults when none are stored). No authorization of its own."""
    return _ref(await preferences.of_party(ctx, party_id))


async def preferences_of_parties(
    ctx: RequestContext, party_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, ContactPreferences]:
    """Each party's preferences (the defaults for those without), in one query. No authorization of its own."""
    return {party_id: _ref(out) for party_id, out in (await preferences.outs_of(ctx, party_ids)).items()}


async def set_preferences(
    ctx: RequestContext,
    party_id: uuid.UUID,
    *,
    email: bool,
    sms: bool,
    mail: bool,
    opted_out_categories: list[str],
) -> ContactPreferences:
    """Replaces a party's preferences (REQUIRED_CATEGORY for an official notice, VALIDATION_FAILED for an unknown
    category), audited. No authorization of its own: the caller authorizes (the party's `set_preferences`)."""
    saved = await preferences.save(
        ctx, party_id, email=email, sms=sms, mail=mail, opted_out_categories=opted_out_categories
    )
    return _ref(saved)
