"""Posting's SQL: runs, their batches of units, collection steps, the calendar settings and the daily schedule's
cross-tenant list of organizations."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, literal, select, text, update
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.cam.accounting.models import AssessmentCharge, AssessmentType
from hestami.cam.accounting.posting.models import CollectionStep, PostingRun, PostingSettings

_POSTING_ORGANIZATIONS = text("SELECT organization_id FROM app_posting_organizations()")


async def posting_organizations(session: AsyncSession) -> list[uuid.UUID]:
    """Every organization with an active periodic REGULAR assessment type (migration 0028's SECURITY DEFINER
    function: ids only, across tenants)."""
    return list((await session.execute(_POSTING_ORGANIZATIONS)).scalars())


async def add_run(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    """Inserts a run unless the type already has one for the due date; the new run's id, or None."""
    statement = (
        pg_insert(PostingRun)
        .values(**values)
        .on_conflict_do_nothing(constraint="uq_assessment_posting_runs_period")
        .returning(PostingRun.id)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def run_of_period(session: AsyncSession, assessment_type_id: uuid.UUID, due_date: date) -> PostingRun | None:
    found = await session.execute(
        select(PostingRun).where(PostingRun.assessment_type_id == assessment_type_id, PostingRun.due_date == due_date)
    )
    return found.scalar_one_or_none()


async def run_exists(session: AsyncSession, run_id: uuid.UUID) -> bool:
    return bool(await session.scalar(select(func.count()).where(PostingRun.id == run_id)))


async def batch_units(session: AsyncSession, run_id: uuid.UUID, start: int, size: int) -> list[tuple[Any, ...]]:
    """The run's units from position `start` (0-based), at most `size` of them, in the run's order: (id, property,
    number, voting weight, assessment share) as fixed when the run started, in one statement."""
    columns = (
        PostingRun.unit_ids, PostingRun.unit_properties, PostingRun.unit_numbers, PostingRun.unit_weights,
        PostingRun.unit_shares,
    )  # fmt: skip
    row = (
        await session.execute(select(*(c[start + 1 : start + size] for c in columns)).where(PostingRun.id == run_id))
    ).one()
    return list(zip(*(values or [] for values in row), strict=True))


async def fix_units(session: AsyncSession, run_id: uuid.UUID, units: Select[Any]) -> int:
    """Stores the units `units` selects (`association.api.live_units_query`) as the run's parallel arrays, by unit
    number then id, in one statement: aggregated in the database, never brought to Python (20,000 units are
    100,000 values). Returns how many."""
    unit = units.subquery()

    def column(name: str) -> Any:
        return func.array_agg(aggregate_order_by(unit.c[name], unit.c.unit_number, unit.c.id))

    fixed = select(
        column("id").label("ids"), column("property_id").label("properties"), column("unit_number").label("numbers"),
        column("voting_weight").label("weights"), column("assessment_share").label("shares"),
        func.count().label("total"), literal(run_id, PG_UUID(as_uuid=True)).label("run_id"),
    ).subquery()  # fmt: skip
    result = await session.execute(
        update(PostingRun)
        .where(PostingRun.id == fixed.c.run_id)
        .values(
            unit_ids=fixed.c.ids, unit_properties=fixed.c.properties, unit_numbers=fixed.c.numbers,
            unit_weights=fixed.c.weights, unit_shares=fixed.c.shares,
        )
        .returning(fixed.c.total)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    return int(result.scalar_one())


async def settings_of(session: AsyncSession, association_id: uuid.UUID) -> PostingSettings | None:
    found = await session.execute(select(PostingSettings).where(PostingSettings.association_id == association_id))
    return found.scalar_one_or_none()


async def save_settings(session: AsyncSession, organization_id: uuid.UUID, values: dict[str, Any]) -> None:
    """Inserts or replaces the association's settings (one row per association, whoever writes at once)."""
    statement = pg_insert(PostingSettings).values(organization_id=organization_id, **values)
    changes = {k: statement.excluded[k] for k in values if k != "association_id"}
    await session.execute(
        statement.on_conflict_do_update(
            constraint="uq_assessment_posting_settings_association", set_={**changes, "updated_at": func.now()}
        )
    )


async def periodic_types(session: AsyncSession) -> list[AssessmentType]:
    """The organization's active periodic REGULAR assessment types with an amount, by association."""
    found = await session.execute(
        select(AssessmentType)
        .where(
            AssessmentType.is_active.is_(True),
            AssessmentType.kind == "REGULAR",
            AssessmentType.frequency != "ONE_TIME",
            AssessmentType.amount > 0,
        )
        .order_by(AssessmentType.association_id, AssessmentType.created_at, AssessmentType.id)
    )
    return list(found.scalars())


async def association_ids_with_types(session: AsyncSession) -> list[uuid.UUID]:
    """The organization's associations with assessment types (where charges, fees and steps may be due)."""
    found = await session.execute(
        select(AssessmentType.association_id).distinct().order_by(AssessmentType.association_id)
    )
    return list(found.scalars())


async def oldest_open_assessments(
    session: AsyncSession, association_id: uuid.UUID, as_of: date
) -> list[tuple[uuid.UUID, uuid.UUID, date]]:
    """Per unit of the association with an assessment (REGULAR or SPECIAL) still open and past due on `as_of`:
    (unit, its oldest such charge, that charge's due date). A unit's charge cycle is that charge."""
    ranked = (
        select(
            AssessmentCharge.unit_id,
            AssessmentCharge.id,
            AssessmentCharge.due_date,
            func.row_number()
            .over(
                partition_by=AssessmentCharge.unit_id,
                order_by=(AssessmentCharge.due_date, AssessmentCharge.created_at, AssessmentCharge.id),
            )
            .label("n"),
        )
        .where(
            AssessmentCharge.association_id == association_id,
            AssessmentCharge.period_assessment.is_(True),
            AssessmentCharge.amount_paid < AssessmentCharge.amount,
            AssessmentCharge.voided_on.is_(None),
            AssessmentCharge.due_date < as_of,
        )
        .subquery()
    )
    rows = await session.execute(
        select(ranked.c.unit_id, ranked.c.id, ranked.c.due_date).where(ranked.c.n == 1).order_by(ranked.c.unit_id)
    )
    return [(unit_id, charge_id, due) for unit_id, charge_id, due in rows.all()]


async def steps_taken(session: AsyncSession, charge_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    """The collection steps already taken per charge cycle."""
    taken: dict[uuid.UUID, set[str]] = {charge_id: set() for charge_id in charge_ids}
    if not charge_ids:
        return taken
    rows = await session.execute(
        select(CollectionStep.charge_id, CollectionStep.step).where(CollectionStep.charge_id.in_(set(charge_ids)))
    )
    for charge_id, step in rows.all():
        taken[charge_id].add(step)
    return taken


async def add_step(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    """Records a collection step unless that charge cycle has taken it; the new step's id, or None."""
    statement = (
        pg_insert(CollectionStep)
        .values(**values)
        .on_conflict_do_nothing(constraint="uq_collection_steps_cycle_step")
        .returning(CollectionStep.id)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def latest_steps(
    session: AsyncSession, association_id: uuid.UUID, unit_ids: Sequence[uuid.UUID], as_of: date
) -> list[CollectionStep]:
    """Each unit's latest collection step noticed by `as_of` (units without any: left out)."""
    if not unit_ids:
        return []
    statement = (
        select(CollectionStep)
        .where(
            CollectionStep.association_id == association_id,
            CollectionStep.unit_id.in_(set(unit_ids)),
            CollectionStep.noticed_on <= as_of,
        )
        .distinct(CollectionStep.unit_id)
        .order_by(CollectionStep.unit_id, CollectionStep.noticed_on.desc(), CollectionStep.days_past_due.desc())
    )
    return list((await session.execute(statement)).scalars())
