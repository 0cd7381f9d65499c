"""Domain 1's SQL beyond the common record steps: who owns or rents a unit, overlapping shares, workload."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from hestami.cam.association.models import (
    Association,
    CommonArea,
    ManagerAssignment,
    Ownership,
    Party,
    Property,
    Reservation,
    Tenancy,
    Unit,
)
from hestami.core.repository import hold_lock


def current_on(model: Any, day: date | Any) -> ColumnElement[bool]:
    """A dated relation (ownership, tenancy, assignment) holds on `day`: started, and not yet ended."""
    return and_(model.start_date <= day, or_(model.end_date.is_(None), model.end_date > day))


def _user_ids_of(relation: Any, unit_id: Any, organization_id: Any) -> Any:
    """Text ids of the platform users behind the parties currently in `relation` with a unit. Aliased, so it
    correlates only to the unit it is asked about even inside a query that joins these tables itself."""
    party, held = aliased(Party), aliased(relation)
    return (
        select(cast(party.user_id, Text))
        .join(held, and_(held.organization_id == party.organization_id, held.party_id == party.id))
        .where(
            held.organization_id == organization_id,
            held.unit_id == unit_id,
            current_on(held, func.current_date()),
            party.user_id.is_not(None),
            party.deleted_at.is_(None),
        )
    )


def users_array(relation: Any, unit_id: Any, organization_id: Any) -> Any:
    """The same as an SQL array, for Cerbos query plans (`principal.id in owner_user_ids`)."""
    return type_coerce(func.array(_user_ids_of(relation, unit_id, organization_id).scalar_subquery()), ARRAY(Text))


_CALLER = func.nullif(func.current_setting("app.current_user_id", True), "")


def _caller_in_association(relation: Any, association_id: Any, organization_id: Any) -> ColumnElement[bool]:
    """SQL: the transaction's user is today in `relation` (ownerships, tenancies) with a unit of the association
    (an indexed EXISTS per row, for query plans that ask whether the caller is among an association's owners or
    tenants without listing them all)."""
    party, held, unit = aliased(Party), aliased(relation), aliased(Unit)
    return (
        select(1)
        .select_from(held)
        .join(party, and_(party.organization_id == held.organization_id, party.id == held.party_id))
        .join(unit, and_(unit.organization_id == held.organization_id, unit.id == held.unit_id))
        .where(
            held.organization_id == organization_id,
            unit.association_id == association_id,
            cast(party.user_id, Text) == _CALLER,
            current_on(held, func.current_date()),
            party.deleted_at.is_(None),
        )
        .exists()
    )


def _caller_if(condition: ColumnElement[bool]) -> Any:
    """SQL: `ARRAY[<the caller>]` where `condition` holds, else an empty array."""
    return type_coerce(
        case(
            (condition, func.array_remove(array([_CALLER]), None)),
            else_=cast(array([], type_=Text), ARRAY(Text)),
        ),
        ARRAY(Text),
    )


def caller_owns_in_association(association_id: Any, organization_id: Any) -> ColumnElement[bool]:
    """SQL: the transaction's user owns a unit of the association today."""
    return _caller_in_association(Ownership, association_id, organization_id)


def caller_rents_in_association(association_id: Any, organization_id: Any) -> ColumnElement[bool]:
    """SQL: the transaction's user rents a unit of the association today (a current tenancy)."""
    return _caller_in_association(Tenancy, association_id, organization_id)


def caller_if_owner_in_association(association_id: Any, organization_id: Any) -> Any:
    """SQL: `ARRAY[<the caller>]` when the caller owns a unit of the association today, else an empty array: the
    `owner_user_ids` of a record that every owner of its association may see."""
    return _caller_if(caller_owns_in_association(association_id, organization_id))


def caller_if_tenant_in_association(association_id: Any, organization_id: Any) -> Any:
    """SQL: `ARRAY[<the caller>]` when the caller rents a unit of the association today, else an empty array: the
    `member_user_ids` of a record that every tenant of its association may see."""
    return _caller_if(caller_rents_in_association(association_id, organization_id))


def party_user_text(party_id: Any, organization_id: Any) -> Any:
    """The text id of the user behind a party, correlated to the outer row (an alias, so a query that
    already joins parties still correlates to the right one)."""
    party = aliased(Party)
    return (
        select(cast(party.user_id, Text))
        .where(party.organization_id == organization_id, party.id == party_id)
        .scalar_subquery()
    )


def party_user_array(party_id: Any, organization_id: Any) -> Any:
    party = aliased(Party)
    user_ids = (
        select(cast(party.user_id, Text))
        .where(party.organization_id == organization_id, party.id == party_id, party.user_id.is_not(None))
        .scalar_subquery()
    )
    return type_coerce(func.array(user_ids), ARRAY(Text))


def party_matches(search: str) -> ColumnElement[bool]:
    """A party whose name, organization name or email contains `search`, in any case."""
    needle = f"%{search.strip().lower()}%"
    return or_(
        func.lower(func.concat_ws(" ", Party.first_name, Party.last_name)).like(needle),
        func.lower(Party.organization_name).like(needle),
        Party.email.like(needle),
    )


async def party_user_id(session: AsyncSession, party_id: uuid.UUID) -> str:
    user_id = (await session.execute(select(Party.user_id).where(Party.id == party_id))).scalar_one_or_none()
    return str(user_id) if user_id else ""


async def overlapping_ownerships(
    session: AsyncSession, unit_id: uuid.UUID, start: date, end: date | None
) -> list[Ownership]:
    """Ownerships of the unit whose period meets [start, end)."""
    conditions = [Ownership.unit_id == unit_id, or_(Ownership.end_date.is_(None), Ownership.end_date > start)]
    if end is not None:
        conditions.append(Ownership.start_date < end)
    return list((await session.execute(select(Ownership).where(*conditions))).scalars())


async def holders_of_unit(
    session: AsyncSession,
    relation: Any,
    unit_id: uuid.UUID,
    *,
    as_of: date,
    include_history: bool,
    where: ColumnElement[bool],
) -> list[tuple[Any, Party]]:
    """A unit's ownerships or tenancies (`relation`) with their parties, current on `as_of` or all of them."""
    statement = (
        select(relation, Party)
        .join(Party, and_(Party.organization_id == relation.organization_id, Party.id == relation.party_id))
        .where(relation.unit_id == unit_id, where)
        .order_by(relation.start_date, relation.id)
    )
    if not include_history:
        statement = statement.where(current_on(relation, as_of))
    return [(record, party) for record, party in (await session.execute(statement)).all()]


async def live_properties_of(session: AsyncSession, association_id: uuid.UUID) -> int:
    """How many properties of the association are not deleted."""
    return await _count(session, Property, Property.association_id == association_id, Property.deleted_at.is_(None))


async def live_units_of_property(session: AsyncSession, property_id: uuid.UUID) -> int:
    """How many units of the property are not deleted."""
    return await _count(session, Unit, Unit.property_id == property_id, Unit.deleted_at.is_(None))


async def current_ownerships_of(session: AsyncSession, unit_id: uuid.UUID) -> int:
    """How many ownerships of the unit hold today."""
    return await _count(session, Ownership, Ownership.unit_id == unit_id, current_on(Ownership, func.current_date()))


async def _count(session: AsyncSession, model: Any, *conditions: ColumnElement[bool]) -> int:
    return int((await session.execute(select(func.count()).select_from(model).where(*conditions))).scalar_one())


async def unit_count(session: AsyncSession, association_ids: list[uuid.UUID]) -> int:
    if not association_ids:
        return 0
    count = await session.execute(
        select(func.count())
        .select_from(Unit)
        .where(Unit.association_id.in_(association_ids), Unit.deleted_at.is_(None))
    )
    return int(count.scalar_one())


async def current_assignments_of(
    session: AsyncSession, user_id: uuid.UUID, day: date, *, lock: bool = False
) -> list[ManagerAssignment]:
    """The manager's assignments current on `day`. `lock` serializes workload checks for one manager: a lock on
    the manager (`hold_lock`), taken before the read and held until commit, so a concurrent check waits and then
    reads the assignment this one adds (locking the rows read would not: a new row is not among them)."""
    if lock:
        await hold_lock(session, f"manager_workload:{user_id}")
    same_association = and_(
        Association.organization_id == ManagerAssignment.organization_id,
        Association.id == ManagerAssignment.association_id,
    )
    statement = (
        select(ManagerAssignment)
        .join(Association, same_association)
        .where(ManagerAssignment.user_id == user_id, current_on(ManagerAssignment, day))
        .where(Association.deleted_at.is_(None))
    )
    return list((await session.execute(statement)).scalars())


async def units_managed_by(session: AsyncSession, user_ids: Sequence[uuid.UUID], day: date) -> dict[uuid.UUID, int]:
    """For each manager, the live units of the (live) associations of their assignments current on `day`, in
    one query; a manager without any is absent (0 units)."""
    if not user_ids:
        return {}
    managed = (
        select(ManagerAssignment.user_id, ManagerAssignment.association_id)
        .join(
            Association,
            and_(
                Association.organization_id == ManagerAssignment.organization_id,
                Association.id == ManagerAssignment.association_id,
            ),
        )
        .where(
            ManagerAssignment.user_id.in_(user_ids),
            current_on(ManagerAssignment, day),
            Association.deleted_at.is_(None),
        )
        .distinct()
        .subquery()
    )
    statement = (
        select(managed.c.user_id, func.count(Unit.id))
        .select_from(managed)
        .join(Unit, and_(Unit.association_id == managed.c.association_id, Unit.deleted_at.is_(None)))
        .group_by(managed.c.user_id)
    )
    return {user_id: int(units) for user_id, units in (await session.execute(statement)).all()}


async def confirmed_overlap(
    session: AsyncSession, common_area_id: uuid.UUID, starts_at: Any, ends_at: Any
) -> Reservation | None:
    statement = select(Reservation).where(
        Reservation.common_area_id == common_area_id,
        Reservation.status == "CONFIRMED",
        Reservation.starts_at < ends_at,
        Reservation.ends_at > starts_at,
    )
    return (await session.execute(statement.limit(1))).scalar_one_or_none()


UNIT_REF_COLUMNS = (
    Unit.id, Unit.organization_id, Unit.association_id, Unit.property_id, Unit.unit_number, Unit.voting_weight,
    Unit.assessment_share,
)  # fmt: skip


UNIT_ORDER = (Unit.unit_number, Unit.id)
"""The order units are listed and billed in (`units_of`, a posting run's units)."""


def live_units(association_id: uuid.UUID) -> Select[Any]:
    """The association's live units, the columns of `UNIT_REF_COLUMNS`, not ordered (`UNIT_ORDER`): a statement for
    a query of its own (`units_of`) or for another repository to aggregate server side (a posting run's units)."""
    return select(*UNIT_REF_COLUMNS).where(Unit.association_id == association_id, Unit.deleted_at.is_(None))


async def units_of(
    session: AsyncSession, association_id: uuid.UUID, *, unit_ids: Sequence[uuid.UUID] | None, lock: bool
) -> list[Any]:
    """The columns of `UNIT_REF_COLUMNS` (plain rows, no ORM objects: an association may have thousands)."""
    statement = live_units(association_id)
    if unit_ids is not None:
        statement = statement.where(Unit.id.in_(unit_ids))
    statement = statement.order_by(*UNIT_ORDER)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return list((await session.execute(statement)).all())


async def ownership_changes(
    session: AsyncSession, unit_ids: Sequence[uuid.UUID], first: date, last: date
) -> list[tuple[uuid.UUID, date]]:
    """(unit, day) for every ownership of these units starting or ending on a day after `first` up to `last`
    (an end date is the first day no longer owned), in one statement."""
    if not unit_ids:
        return []
    starts = select(Ownership.unit_id, Ownership.start_date.label("day")).where(
        Ownership.unit_id.in_(unit_ids), Ownership.start_date > first, Ownership.start_date <= last
    )
    ends = select(Ownership.unit_id, Ownership.end_date.label("day")).where(
        Ownership.unit_id.in_(unit_ids), Ownership.end_date > first, Ownership.end_date <= last
    )
    return [(unit_id, day) for unit_id, day in (await session.execute(union_all(starts, ends))).all()]


async def unit_numbers(session: AsyncSession, unit_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not unit_ids:
        return {}
    rows = await session.execute(
        select(Unit.id, Unit.unit_number).where(Unit.id.in_(unit_ids)).order_by(Unit.unit_number, Unit.id)
    )
    return {unit_id: number for unit_id, number in rows.all()}


async def common_area_names(session: AsyncSession, area_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not area_ids:
        return {}
    rows = await session.execute(select(CommonArea.id, CommonArea.name).where(CommonArea.id.in_(set(area_ids))))
    return {area_id: name for area_id, name in rows.all()}


async def people_of_unit(session: AsyncSession, unit_id: uuid.UUID) -> tuple[list[str], list[str]]:
    """Owners' and tenants' user ids of a unit in scope, in one statement (both empty if it is not visible)."""
    owners = users_array(Ownership, Unit.id, Unit.organization_id)
    tenants = users_array(Tenancy, Unit.id, Unit.organization_id)
    row = (await session.execute(select(owners, tenants).where(Unit.id == unit_id))).one_or_none()
    if row is None:
        return [], []
    return list(row[0] or []), list(row[1] or [])


async def current_owner_parties(session: AsyncSession, unit_id: uuid.UUID) -> list[Party]:
    """The parties who own the unit today (live ones), by name."""
    statement = (
        select(Party)
        .join(Ownership, and_(Ownership.organization_id == Party.organization_id, Ownership.party_id == Party.id))
        .where(Ownership.unit_id == unit_id, current_on(Ownership, func.current_date()), Party.deleted_at.is_(None))
        .order_by(Party.last_name, Party.first_name, Party.organization_name, Party.id)
    )
    return list((await session.execute(statement)).scalars().unique())


async def current_owner_parties_of(
    session: AsyncSession, unit_ids: Sequence[uuid.UUID], where: ColumnElement[bool]
) -> list[tuple[uuid.UUID, Party]]:
    """(unit id, party) for each of the units and each live party owning it today through an ownership matching
    `where` (those the caller may see), by name, in one query."""
    if not unit_ids:
        return []
    statement = (
        select(Ownership.unit_id, Party)
        .join(Party, and_(Party.organization_id == Ownership.organization_id, Party.id == Ownership.party_id))
        .where(
            Ownership.unit_id.in_(set(unit_ids)),
            current_on(Ownership, func.current_date()),
            Party.deleted_at.is_(None),
            where,
        )
        .order_by(Party.last_name, Party.first_name, Party.organization_name, Party.id)
    )
    return [(unit_id, party) for unit_id, party in (await session.execute(statement)).all()]


async def owner_parties_on(
    session: AsyncSession, association_id: uuid.UUID, day: date
) -> list[tuple[uuid.UUID, Party]]:
    """(unit id, party) for every live unit of the association and each party owning it on `day`, by unit number
    and then name."""
    statement = (
        select(Unit.id, Party)
        .join(Ownership, and_(Ownership.organization_id == Unit.organization_id, Ownership.unit_id == Unit.id))
        .join(Party, and_(Party.organization_id == Ownership.organization_id, Party.id == Ownership.party_id))
        .where(
            Unit.association_id == association_id,
            Unit.deleted_at.is_(None),
            Party.deleted_at.is_(None),
            current_on(Ownership, day),
        )
        .order_by(Unit.unit_number, Unit.id, Party.last_name, Party.first_name, Party.organization_name, Party.id)
    )
    return [(unit_id, party) for unit_id, party in (await session.execute(statement)).all()]


async def live_parties(session: AsyncSession, party_ids: Sequence[uuid.UUID]) -> list[Party]:
    """The live parties among `party_ids` (in scope)."""
    if not party_ids:
        return []
    statement = select(Party).where(Party.id.in_(list(party_ids)), Party.deleted_at.is_(None))
    return list((await session.execute(statement)).scalars())


async def lock_live_parties(session: AsyncSession, party_ids: Sequence[uuid.UUID]) -> list[Party]:
    """The live parties among `party_ids` (in scope), locked until the transaction ends, in id order (so two
    transactions locking the same parties cannot deadlock): account linking reads and links them under the lock."""
    if not party_ids:
        return []
    statement = (
        select(Party)
        .where(Party.id.in_(list(party_ids)), Party.deleted_at.is_(None))
        .order_by(Party.id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    return list((await session.execute(statement)).scalars())


async def hold_units_today(session: AsyncSession, party_ids: Sequence[uuid.UUID]) -> tuple[bool, bool]:
    """Whether any of the parties owns a unit today, and whether any rents one today (one statement)."""
    if not party_ids:
        return False, False
    today = func.current_date()

    def held(relation: Any) -> Any:
        return (
            select(1)
            .select_from(relation)
            .join(Unit, and_(Unit.organization_id == relation.organization_id, Unit.id == relation.unit_id))
            .where(relation.party_id.in_(list(party_ids)), current_on(relation, today), Unit.deleted_at.is_(None))
            .exists()
        )

    owns, rents = (await session.execute(select(held(Ownership), held(Tenancy)))).one()
    return bool(owns), bool(rents)


async def caller_owns_in(session: AsyncSession, association_id: uuid.UUID, organization_id: uuid.UUID) -> bool:
    return bool((await session.execute(select(caller_owns_in_association(association_id, organization_id)))).scalar())


async def caller_rents_in(session: AsyncSession, association_id: uuid.UUID, organization_id: uuid.UUID) -> bool:
    return bool((await session.execute(select(caller_rents_in_association(association_id, organization_id)))).scalar())


async def owners_of_unit(session: AsyncSession, unit_id: uuid.UUID, organization_id: uuid.UUID) -> list[str]:
    """The unit's current owners' user ids, in one statement on ownerships and parties alone."""
    return list((await session.execute(_user_ids_of(Ownership, unit_id, organization_id))).scalars())


async def tenancy_people(session: AsyncSession, tenancy: Tenancy) -> tuple[str, list[str]]:
    """The tenant's user id ("" if the party is no user) and the unit's owners' user ids, in one statement."""
    tenant = func.coalesce(party_user_text(tenancy.party_id, tenancy.organization_id), "")
    owners = users_array(Ownership, tenancy.unit_id, tenancy.organization_id)
    user_id, owner_ids = (await session.execute(select(tenant, owners))).one()
    return user_id, list(owner_ids or [])


async def lock_association(session: AsyncSession, association_id: uuid.UUID) -> None:
    await session.execute(
        select(Association.id).where(Association.id == association_id).with_for_update(key_share=True)
    )


# --- the owner portal: a person's own parties and what they hold ------------------------------------------


async def parties_of_user(session: AsyncSession, user_id: uuid.UUID) -> list[Party]:
    """The live parties (in scope) linked to the account `user_id`, by name."""
    statement = (
        select(Party)
        .where(Party.user_id == user_id, Party.deleted_at.is_(None))
        .order_by(Party.last_name, Party.first_name, Party.organization_name, Party.id)
    )
    return list((await session.execute(statement)).scalars())


def _held_columns(relation: Any) -> tuple[Any, ...]:
    return (
        relation.id.label("record_id"), relation.party_id, relation.unit_id, Unit.unit_number, Unit.association_id,
        relation.start_date, relation.end_date,
    )  # fmt: skip


async def holdings_of(session: AsyncSession, party_ids: Sequence[uuid.UUID], day: date) -> list[Any]:
    """The ownerships and tenancies of `party_ids` current on `day`, on live units, with each unit's number and
    association: plain rows (relation, record_id, party_id, unit_id, unit_number, association_id, start_date, end_date,
    percentage), by unit number. One statement."""
    if not party_ids:
        return []
    owned = (
        select(literal("OWNER").label("relation"), *_held_columns(Ownership), Ownership.percentage)
        .join(Unit, and_(Unit.organization_id == Ownership.organization_id, Unit.id == Ownership.unit_id))
        .where(Ownership.party_id.in_(list(party_ids)), current_on(Ownership, day), Unit.deleted_at.is_(None))
    )
    rented = (
        select(literal("TENANT").label("relation"), *_held_columns(Tenancy), null().label("percentage"))
        .join(Unit, and_(Unit.organization_id == Tenancy.organization_id, Unit.id == Tenancy.unit_id))
        .where(Tenancy.party_id.in_(list(party_ids)), current_on(Tenancy, day), Unit.deleted_at.is_(None))
    )
    both = union_all(owned, rented).subquery()
    rows = await session.execute(select(both).order_by(both.c.unit_number, both.c.relation, both.c.record_id))
    return list(rows.all())


async def work_site_postal_codes(
    session: AsyncSession, association_id: uuid.UUID, *, unit_id: uuid.UUID | None, common_area_id: uuid.UUID | None
) -> list[str]:
    """The postal codes where work happens: a unit's own, else its property's; a common area's property's; with
    neither (or no postal code on file there), those of the association's live properties. Distinct and sorted;
    empty when none is on file."""
    if unit_id is not None:
        on_unit = (
            select(func.coalesce(func.nullif(Unit.postal_code, ""), Property.postal_code))
            .select_from(Unit)
            .join(Property, and_(Property.organization_id == Unit.organization_id, Property.id == Unit.property_id))
        )
        found = await session.scalar(on_unit.where(Unit.id == unit_id))
        if found:
            return [found]
    if common_area_id is not None:
        area_property = and_(
            CommonArea.organization_id == Property.organization_id, CommonArea.property_id == Property.id
        )
        on_area = select(Property.postal_code).select_from(CommonArea).join(Property, area_property)
        found = await session.scalar(on_area.where(CommonArea.id == common_area_id))
        if found:
            return [found]
    codes = await session.scalars(
        select(Property.postal_code)
        .where(
            Property.association_id == association_id,
            Property.deleted_at.is_(None),
            func.coalesce(Property.postal_code, "") != "",
        )
        .distinct()
    )
    return sorted(code for code in codes if code)


# --- reporting (issue 20): the portfolio of a management company -------------------------------------------------


async def live_associations(session: AsyncSession) -> list[Association]:
    """The live associations in the session's scope (the organization's), by name."""
    statement = select(Association).where(Association.deleted_at.is_(None)).order_by(Association.name, Association.id)
    return list((await session.execute(statement)).scalars())


async def association_names(session: AsyncSession, association_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The names of the given associations in scope, in one query."""
    if not association_ids:
        return {}
    rows = await session.execute(
        select(Association.id, Association.name).where(Association.id.in_(set(association_ids)))
    )
    return {association_id: name for association_id, name in rows.all()}


async def unit_counts(session: AsyncSession, association_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Live units per association, in one query; an association without units is absent."""
    if not association_ids:
        return {}
    statement = (
        select(Unit.association_id, func.count())
        .where(Unit.association_id.in_(set(association_ids)), Unit.deleted_at.is_(None))
        .group_by(Unit.association_id)
    )
    return {association_id: int(n) for association_id, n in (await session.execute(statement)).all()}


async def current_assignments(session: AsyncSession, day: date) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(manager, association) of every assignment current on `day` to a live association in scope, by manager."""
    statement = (
        select(ManagerAssignment.user_id, ManagerAssignment.association_id)
        .join(
            Association,
            and_(
                Association.organization_id == ManagerAssignment.organization_id,
                Association.id == ManagerAssignment.association_id,
            ),
        )
        .where(current_on(ManagerAssignment, day), Association.deleted_at.is_(None))
        .distinct()
        .order_by(ManagerAssignment.user_id, ManagerAssignment.association_id)
    )
    return [(user_id, association_id) for user_id, association_id in (await session.execute(statement)).all()]
