"""Ownership and tenancy: who holds and who rents each unit, over time. Ending keeps the history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hestami.cam.association import kinds, repository
from hestami.cam.association.errors import AssociationReason, rule
from hestami.cam.association.models import Ownership, Party, Tenancy
from hestami.cam.association.schemas import (
    CreateOwnership,
    CreateTenancy,
    EndOwnership,
    EndTenancy,
    ListByUnit,
    OwnershipOut,
    OwnershipsOut,
    TenanciesOut,
    TenancyOut,
)
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.records import RecordKind
from hestami.core.schemas import ById

HUNDRED = Decimal(100)


def _current(record: Ownership | Tenancy, day: date) -> bool:
    return record.start_date <= day and (record.end_date is None or record.end_date > day)


def _holding(record: Ownership | Tenancy, party: Party, day: date | None) -> dict[str, Any]:
    return {"party_name": party.display_name, "current": _current(record, day or date.today())}


def ownership_out(ownership: Ownership, party: Party, today: date | None = None) -> OwnershipOut:
    return records.output(OwnershipOut, ownership, **_holding(ownership, party, today))


def tenancy_out(tenancy: Tenancy, party: Party, today: date | None = None) -> TenancyOut:
    return records.output(TenancyOut, tenancy, **_holding(tenancy, party, today))


async def _holders(
    ctx: RequestContext, kind: RecordKind[Any], data: ListByUnit
) -> tuple[date, list[tuple[Any, Party]]]:
    """The unit's ownerships or tenancies the caller may see (each checked by its own policy, in SQL)."""
    await records.load(ctx, kinds.UNIT, data.unit_id)
    day = data.as_of or date.today()
    visible = await records.visible(ctx, kind)
    rows = await repository.holders_of_unit(
        ctx.session, kind.model, data.unit_id, as_of=day, include_history=data.include_history, where=visible
    )
    return day, rows


async def _end(ctx: RequestContext, kind: RecordKind[Any], record_id: Any, end_date: date) -> tuple[Any, Party]:
    """Ends an ownership or tenancy on a date; the record stays in the unit's history."""
    record = await records.load(ctx, kind, record_id, "end", lock=True)
    if record.end_date is not None and record.end_date <= end_date:
        raise rule(AssociationReason.ALREADY_ENDED, f"Already ended on {record.end_date}.")
    if end_date <= record.start_date:
        raise rule(AssociationReason.END_BEFORE_START, "end_date must be after start_date.")
    ended = await records.change(ctx, kind, record, {"end_date": end_date}, action="ended")
    return ended, await records.find(ctx, kinds.PARTY, ended.party_id)


def peak_share(existing: list[Ownership], start: date, end: date | None) -> Decimal:
    """The largest sum of existing shares on any day of [start, end). Shares only change on start and end
    dates, so checking the window's first day and every start date inside it is enough."""
    days = {start} | {o.start_date for o in existing if o.start_date > start and (end is None or o.start_date < end)}
    return max(
        (sum((o.percentage for o in existing if _current(o, day)), Decimal(0)) for day in days), default=Decimal(0)
    )


async def create_ownership(ctx: RequestContext, data: CreateOwnership) -> OwnershipOut:
    """At every date, the shares of one unit add up to at most 100%. The unit row is locked so two owners
    added at once are checked one after the other."""
    await records.authorize_new(ctx, kinds.OWNERSHIP, "create")
    if data.end_date is not None and data.end_date <= data.start_date:
        raise rule(AssociationReason.END_BEFORE_START, "end_date must be after start_date.")
    unit = await records.load(ctx, kinds.UNIT, data.unit_id, lock=True)
    party = await records.find(ctx, kinds.PARTY, data.party_id)
    existing = await repository.overlapping_ownerships(ctx.session, unit.id, data.start_date, data.end_date)
    held = peak_share(existing, data.start_date, data.end_date)
    if held + data.percentage > HUNDRED:
        raise rule(
            AssociationReason.OWNERSHIP_OVER_100_PERCENT,
            f"Unit {unit.unit_number} would be owned {held + data.percentage}%.",
            unit_id=str(unit.id),
            held=str(held),
            requested=str(data.percentage),
            available=str(HUNDRED - held),
        )
    ownership = await records.create(ctx, kinds.OWNERSHIP, Ownership(**data.model_dump()))
    return ownership_out(ownership, party)


async def get_ownership(ctx: RequestContext, data: ById) -> OwnershipOut:
    ownership = await records.load(ctx, kinds.OWNERSHIP, data.id)
    return ownership_out(ownership, await records.find(ctx, kinds.PARTY, ownership.party_id))


async def list_ownerships(ctx: RequestContext, data: ListByUnit) -> OwnershipsOut:
    day, rows = await _holders(ctx, kinds.OWNERSHIP, data)
    return OwnershipsOut(items=[ownership_out(o, p, day) for o, p in rows])


async def end_ownership(ctx: RequestContext, data: EndOwnership) -> OwnershipOut:
    """Ends an ownership (a sale, a death, a transfer); the record stays in the unit's history."""
    return ownership_out(*await _end(ctx, kinds.OWNERSHIP, data.id, data.end_date))


async def delete_ownership(ctx: RequestContext, data: ById) -> None:
    """For a record entered by mistake; a change of owner is `end`, which keeps history."""
    await records.hard_delete(ctx, kinds.OWNERSHIP, data.id)


async def create_tenancy(ctx: RequestContext, data: CreateTenancy) -> TenancyOut:
    await records.authorize_new(ctx, kinds.TENANCY, "create")
    if data.end_date is not None and data.end_date <= data.start_date:
        raise rule(AssociationReason.END_BEFORE_START, "end_date must be after start_date.")
    await records.load(ctx, kinds.UNIT, data.unit_id)
    party = await records.find(ctx, kinds.PARTY, data.party_id)
    return tenancy_out(await records.create(ctx, kinds.TENANCY, Tenancy(**data.model_dump())), party)


async def get_tenancy(ctx: RequestContext, data: ById) -> TenancyOut:
    tenancy = await records.load(ctx, kinds.TENANCY, data.id)
    return tenancy_out(tenancy, await records.find(ctx, kinds.PARTY, tenancy.party_id))


async def list_tenancies(ctx: RequestContext, data: ListByUnit) -> TenanciesOut:
    day, rows = await _holders(ctx, kinds.TENANCY, data)
    return TenanciesOut(items=[tenancy_out(t, p, day) for t, p in rows])


async def end_tenancy(ctx: RequestContext, data: EndTenancy) -> TenancyOut:
    """Ends a tenancy (move-out); the record stays in the unit's history."""
    return tenancy_out(*await _end(ctx, kinds.TENANCY, data.id, data.end_date))


async def delete_tenancy(ctx: RequestContext, data: ById) -> None:
    await records.hard_delete(ctx, kinds.TENANCY, data.id)
