"""Parties: the people and entities who own, rent or act, with contact points and an optional user link."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from hestami.cam.association import kinds, repository
from hestami.cam.association.models import Party
from hestami.cam.association.schemas import CreateParty, ListParties, PartyOut, UpdateParty, address_of
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, FieldError, HestamiError
from hestami.core.pagination import Page
from hestami.core.schemas import ById
from hestami.identity.linking import Attached
from hestami.identity.services import organizations as identity


def party_out(party: Party) -> PartyOut:
    return records.output(PartyOut, party, display_name=party.display_name, mailing_address=address_of(party))


def _columns(changes: dict[str, Any]) -> dict[str, Any]:
    address = changes.pop("mailing_address", None)
    if address is not None:
        changes.update(
            address_line1=address["line1"],
            address_line2=address.get("line2"),
            city=address["city"],
            state=address["state"],
            postal_code=address["postal_code"],
            country=address.get("country", "US"),
        )
    if changes.get("email"):
        changes["email"] = changes["email"].strip().lower()
    return changes


async def _linked_user(ctx: RequestContext, user_id: uuid.UUID | None, email: str | None) -> uuid.UUID | None:
    """A given user must be a member of the organization; without one, a member with the same email is linked,
    but only one who has proven that email (`auth/v1/verifyEmail`: who merely typed it at registration is not)."""
    if user_id is not None:
        if await identity.member_roles(ctx, user_id) is None:
            raise HestamiError(
                ErrorCode.VALIDATION_FAILED,
                field_errors=[FieldError("/user_id", "Not a member of this organization.", "not_a_member")],
            )
        return user_id
    return await identity.verified_member_with_email(ctx, email) if email else None


async def create(ctx: RequestContext, data: CreateParty) -> PartyOut:
    await records.authorize_new(ctx, kinds.PARTY, "create")
    fields = _columns(data.model_dump())
    fields["user_id"] = await _linked_user(ctx, data.user_id, fields.get("email"))
    return party_out(await records.create(ctx, kinds.PARTY, Party(**fields)))


async def get(ctx: RequestContext, data: ById) -> PartyOut:
    return party_out(await records.load(ctx, kinds.PARTY, data.id))


async def list_(ctx: RequestContext, data: ListParties) -> Page[PartyOut]:
    filters = [repository.party_matches(data.search)] if data.search else []
    items, cursor = await records.page(ctx, kinds.PARTY, data, *filters)
    return Page[PartyOut](items=[party_out(p) for p in items], next_cursor=cursor)


async def update(ctx: RequestContext, data: UpdateParty) -> PartyOut:
    party = await records.load(ctx, kinds.PARTY, data.id, "update")
    changes = _columns(records.changes_of(data))
    if "user_id" in changes and changes["user_id"] is not None:
        changes["user_id"] = await _linked_user(ctx, changes["user_id"], None)
    elif "user_id" not in changes and party.user_id is None and changes.get("email"):
        changes["user_id"] = await _linked_user(ctx, None, changes["email"])
    return party_out(await records.change(ctx, kinds.PARTY, party, changes))


async def delete(ctx: RequestContext, data: ById) -> None:
    """Soft delete: ownership and tenancy history keep pointing at the party."""
    await records.soft_delete(ctx, kinds.PARTY, data.id)


async def link_proven_email(ctx: RequestContext, email: str, party_ids: Sequence[uuid.UUID]) -> Attached:
    """Account linking (registered with `identity.linking`): the user of `ctx` has just proven `email`. Each of the
    organization's live parties among `party_ids` that carries this email and no user yet is linked to them
    (audited `party.linked`), under a lock, so a concurrent link or update of the party waits; a party linked to
    another user stays as it is. The roles that follow from the user's parties with this email: OWNER where one
    owns a unit today, TENANT where one rents one."""
    user_id = ctx.require_user()
    address = email.strip().lower()
    linked: list[uuid.UUID] = []
    theirs: list[uuid.UUID] = []
    for party in await repository.lock_live_parties(ctx.session, party_ids):
        if (party.email or "").strip().lower() != address:
            continue
        if party.user_id is None:
            await records.change(ctx, kinds.PARTY, party, {"user_id": user_id}, action="linked")
            linked.append(party.id)
        if party.user_id == user_id:
            theirs.append(party.id)
    owns, rents = await repository.hold_units_today(ctx.session, theirs)
    roles = frozenset({"OWNER"} if owns else set()) | frozenset({"TENANT"} if rents else set())
    return Attached(linked=tuple(linked), roles=roles)
