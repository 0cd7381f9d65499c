"""Who a mass communication reaches: the audience resolved on the day it is sent, one recipient per person.

Owners come from the owners of record (a person owning three units is one recipient with three units), the
board from the seats held that day, vendors from the organization's active vendors, a custom list from the
parties named. A board member who also owns a unit is one recipient too: recipients are merged by party, then
by platform user.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from hestami.cam.accounting import api as accounting
from hestami.cam.association import api as association
from hestami.cam.communications.errors import CommunicationReason, invalid, rule
from hestami.cam.communications.schemas import AudienceSpec
from hestami.cam.governance import api as governance
from hestami.core.context import RequestContext
from hestami.identity.services import organizations as identity

DEFAULT_MIN_DAYS = 30
_PARAMS = {"PROPERTY": "property_id", "DELINQUENT": "min_days_past_due", "CUSTOM": "party_ids"}


@dataclass(slots=True)
class Recipient:
    key: str
    name: str
    party_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    email: str | None = None
    phone: str | None = None
    mailing: str | None = None
    unit_ids: list[uuid.UUID] = field(default_factory=list)
    balance: Decimal | None = None
    days_past_due: int | None = None


async def check(ctx: RequestContext, association_id: uuid.UUID, spec: AudienceSpec) -> dict[str, Any]:
    """Validates an audience for the association and answers its parameters as stored (AUDIENCE_PARAMS for a
    parameter the kind does not take or lacks; a property or party out of scope is NOT_FOUND; another
    association's property WRONG_ASSOCIATION)."""
    given = {name for name in ("property_id", "min_days_past_due", "party_ids") if getattr(spec, name) is not None}
    wanted = _PARAMS.get(spec.kind)
    extra = sorted(given - {wanted} if wanted else given)
    if extra:
        raise invalid(CommunicationReason.AUDIENCE_PARAMS, f"{spec.kind} takes no {', '.join(extra)}.", extra=extra)
    if spec.kind == "PROPERTY":
        if spec.property_id is None:
            raise invalid(CommunicationReason.AUDIENCE_PARAMS, "A property audience needs property_id.")
        if await association.property_association(ctx, spec.property_id) != association_id:
            raise rule(CommunicationReason.WRONG_ASSOCIATION, "The property belongs to another association.")
        return {"property_id": str(spec.property_id)}
    if spec.kind == "DELINQUENT":
        return {"min_days_past_due": spec.min_days_past_due or DEFAULT_MIN_DAYS}
    if spec.kind == "CUSTOM":
        if not spec.party_ids:
            raise invalid(CommunicationReason.AUDIENCE_PARAMS, "A custom audience needs party_ids.")
        for party_id in dict.fromkeys(spec.party_ids):
            await association.load_party(ctx, party_id)
        return {"party_ids": [str(p) for p in dict.fromkeys(spec.party_ids)]}
    return {}


def _from_contact(contact: association.OwnerContact) -> Recipient:
    return Recipient(
        key=f"party:{contact.party_id}", name=contact.name, party_id=contact.party_id, user_id=contact.user_id,
        email=contact.email, phone=contact.phone, mailing=contact.mailing_address or None,
    )  # fmt: skip


def _merge(recipients: list[Recipient]) -> list[Recipient]:
    """One recipient per party, then per platform user; units (and balances) added up."""
    by_key: dict[str, Recipient] = {}
    for r in recipients:
        first = by_key.get(r.key)
        if first is None:
            by_key[r.key] = r
            continue
        first.unit_ids.extend(u for u in r.unit_ids if u not in first.unit_ids)
    by_user: dict[uuid.UUID, Recipient] = {}
    merged: list[Recipient] = []
    for r in by_key.values():
        if r.user_id is not None and r.user_id in by_user:
            first = by_user[r.user_id]
            first.unit_ids.extend(u for u in r.unit_ids if u not in first.unit_ids)
            first.email, first.phone, first.mailing = (
                first.email or r.email, first.phone or r.phone, first.mailing or r.mailing,
            )  # fmt: skip
            continue
        if r.user_id is not None:
            by_user[r.user_id] = r
        merged.append(r)
    return merged


async def _owners(
    ctx: RequestContext, association_id: uuid.UUID, day: date, units: set[uuid.UUID] | None
) -> list[Recipient]:
    recipients = []
    for unit_id, contacts in (await association.owners_of_record(ctx, association_id, day)).items():
        if units is not None and unit_id not in units:
            continue
        for contact in contacts:
            recipient = _from_contact(contact)
            recipient.unit_ids.append(unit_id)
            recipients.append(recipient)
    return _merge(recipients)


async def _delinquent(ctx: RequestContext, association_id: uuid.UUID, day: date, min_days: int) -> list[Recipient]:
    behind = {d.unit_id: d for d in await accounting.delinquent_units(ctx, association_id, min_days, day)}
    recipients = await _owners(ctx, association_id, day, set(behind))
    for r in recipients:
        r.balance = sum((behind[u].balance for u in r.unit_ids), Decimal(0))
        r.days_past_due = max(behind[u].days_past_due for u in r.unit_ids)
    return recipients


async def _board(ctx: RequestContext, association_id: uuid.UUID, day: date) -> list[Recipient]:
    seats = await governance.directors(ctx, association_id, day)
    contacts = await association.party_contacts(ctx, [s.party_id for s in seats if s.party_id is not None])
    recipients = []
    for seat in seats:
        contact = contacts.get(seat.party_id) if seat.party_id is not None else None
        if contact is not None:
            recipient = _from_contact(contact)
            recipient.user_id = recipient.user_id or seat.user_id
        elif seat.user_id is not None:
            email = await identity.email_of_member(ctx, seat.user_id)
            recipient = Recipient(key=f"user:{seat.user_id}", name=seat.name, user_id=seat.user_id, email=email)
        else:
            recipient = Recipient(key=f"seat:{seat.seat_id}", name=seat.name)
        recipients.append(recipient)
    return _merge(recipients)


async def _vendors(ctx: RequestContext) -> list[Recipient]:
    return [
        Recipient(key=f"vendor:{v.vendor_id}", name=v.name, email=v.email, phone=v.phone, mailing=v.address)
        for v in await accounting.vendor_contacts(ctx)
    ]


async def _custom(ctx: RequestContext, party_ids: list[uuid.UUID]) -> list[Recipient]:
    contacts = await association.party_contacts(ctx, party_ids)
    return _merge([_from_contact(contacts[p]) for p in party_ids if p in contacts])


async def resolve(
    ctx: RequestContext, association_id: uuid.UUID, kind: str, params: dict[str, Any], day: date
) -> list[Recipient]:
    """The recipients of an audience on `day`, each person once."""
    if kind == "ALL_OWNERS":
        return await _owners(ctx, association_id, day, None)
    if kind == "PROPERTY":
        property_id = uuid.UUID(params["property_id"])
        units = {u.id for u in await association.units_of(ctx, association_id) if u.property_id == property_id}
        return await _owners(ctx, association_id, day, units)
    if kind == "DELINQUENT":
        return await _delinquent(ctx, association_id, day, int(params["min_days_past_due"]))
    if kind == "BOARD":
        return await _board(ctx, association_id, day)
    if kind == "VENDORS":
        return await _vendors(ctx)
    return await _custom(ctx, [uuid.UUID(p) for p in params["party_ids"]])
