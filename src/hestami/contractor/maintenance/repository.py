"""The maintenance agreements' SQL beyond the common record steps. "Once" rows (a renewal per term, a term per
number, a visit per occurrence, an SLA record per visit, a notice per kind and term) are claimed with
`INSERT .. ON CONFLICT DO NOTHING`: the unique constraint decides."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.contractor.maintenance.models import (
    Agreement,
    AgreementHistory,
    AgreementService,
    AgreementTerm,
    BillingPeriod,
    ContractRenewal,
    Notice,
    ScheduledVisit,
    SlaRecord,
)
from hestami.core.ids import new_id
from hestami.core.repository import hold_lock


async def next_number(session: AsyncSession, organization_id: uuid.UUID) -> int:
    """The organization's next agreement number, gapless: an advisory lock per organization serializes the takers."""
    await hold_lock(session, f"maintenance_agreement_number:{organization_id}")
    last = await session.scalar(select(func.max(Agreement.number)).where(Agreement.organization_id == organization_id))
    return int(last or 0) + 1


async def agreement(session: AsyncSession, agreement_id: uuid.UUID, *, lock: bool = False) -> Agreement | None:
    """One agreement in the transaction's organization (RLS), read as the system; locked FOR NO KEY UPDATE."""
    statement = select(Agreement).where(Agreement.id == agreement_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def services(session: AsyncSession, agreement_id: uuid.UUID) -> Sequence[AgreementService]:
    statement = select(AgreementService).where(AgreementService.agreement_id == agreement_id)
    return (await session.execute(statement.order_by(AgreementService.position))).scalars().all()


async def remove_services(session: AsyncSession, agreement_id: uuid.UUID) -> None:
    for service in await services(session, agreement_id):
        await session.delete(service)
    await session.flush()


async def terms(session: AsyncSession, agreement_id: uuid.UUID) -> Sequence[AgreementTerm]:
    statement = select(AgreementTerm).where(AgreementTerm.agreement_id == agreement_id)
    return (await session.execute(statement.order_by(AgreementTerm.term_number))).scalars().all()


async def _claim(session: AsyncSession, model: Any, keys: list[str], values: dict[str, Any]) -> uuid.UUID | None:
    statement = (
        insert(model)
        .values(id=new_id(), **values)
        .on_conflict_do_nothing(index_elements=["organization_id", *keys])
        .returning(model.id)
    )
    found: uuid.UUID | None = (await session.execute(statement)).scalar_one_or_none()
    return found


async def claim_term(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    """A term row unless the agreement has that term number already (then None)."""
    return await _claim(session, AgreementTerm, ["agreement_id", "term_number"], values)


async def claim_renewal(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    """A renewal of the agreement's term unless that term was renewed already (then None)."""
    return await _claim(session, ContractRenewal, ["agreement_id", "renewed_term_number"], values)


async def claim_sla(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    return await _claim(session, SlaRecord, ["scheduled_visit_id"], values)


async def claim_notice(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    return await _claim(session, Notice, ["agreement_id", "kind", "term_number"], values)


async def claim_period(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    return await _claim(session, BillingPeriod, ["agreement_id", "period_start"], values)


async def renewals(session: AsyncSession, agreement_id: uuid.UUID) -> Sequence[ContractRenewal]:
    statement = select(ContractRenewal).where(ContractRenewal.agreement_id == agreement_id)
    return (await session.execute(statement.order_by(ContractRenewal.renewed_term_number))).scalars().all()


async def renewal_of(session: AsyncSession, agreement_id: uuid.UUID, term_number: int) -> ContractRenewal | None:
    statement = select(ContractRenewal).where(
        ContractRenewal.agreement_id == agreement_id, ContractRenewal.renewed_term_number == term_number
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def history(session: AsyncSession, agreement_id: uuid.UUID) -> Sequence[AgreementHistory]:
    statement = select(AgreementHistory).where(AgreementHistory.agreement_id == agreement_id)
    ordered = statement.order_by(AgreementHistory.created_at, AgreementHistory.id)
    return (await session.execute(ordered)).scalars().all()


async def scheduled_visits(session: AsyncSession, agreement_id: uuid.UUID) -> Sequence[ScheduledVisit]:
    statement = select(ScheduledVisit).where(ScheduledVisit.agreement_id == agreement_id)
    return (await session.execute(statement.order_by(ScheduledVisit.occurs_on))).scalars().all()


async def sla_records(session: AsyncSession, agreement_id: uuid.UUID) -> dict[uuid.UUID, SlaRecord]:
    statement = select(SlaRecord).where(SlaRecord.agreement_id == agreement_id)
    return {r.scheduled_visit_id: r for r in (await session.execute(statement)).scalars()}


async def billed_periods(session: AsyncSession, agreement_id: uuid.UUID) -> Sequence[BillingPeriod]:
    statement = select(BillingPeriod).where(BillingPeriod.agreement_id == agreement_id)
    return (await session.execute(statement.order_by(BillingPeriod.period_start))).scalars().all()


async def notices(session: AsyncSession, agreement_id: uuid.UUID) -> set[tuple[str, int]]:
    statement = select(Notice.kind, Notice.term_number).where(Notice.agreement_id == agreement_id)
    return {(kind, term) for kind, term in (await session.execute(statement)).all()}


def due_for_renewal(today: date, notice_days: int) -> ColumnElement[bool]:
    """ACTIVE, the term ending within `notice_days` of `today`, and not renewed yet."""
    renewed = exists().where(
        ContractRenewal.agreement_id == Agreement.id, ContractRenewal.renewed_term_number == Agreement.term_number
    )
    return (Agreement.status == "ACTIVE") & (Agreement.term_end <= today + timedelta(days=notice_days)) & ~renewed


async def active_agreements(session: AsyncSession) -> Sequence[Agreement]:
    """Every ACTIVE agreement of the transaction's organization (the workflows the demo waits for)."""
    statement = select(Agreement).where(Agreement.status == "ACTIVE").order_by(Agreement.number)
    return (await session.execute(statement)).scalars().all()


async def any_agreement(session: AsyncSession) -> bool:
    """Whether the transaction's organization has an agreement (the demo is loaded)."""
    return bool(await session.scalar(select(exists().where(Agreement.id.is_not(None)))))
