"""The owner portal's payment SQL beyond the common record steps: a party's methods and its default, the unit's
active enrolment, the enrolments that use a method, a charge already asked under its idempotency key."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.cam.portal.payments.models import AutopayEnrolment, GatewayRecord, PaymentMethod
from hestami.core.repository import hold_lock


def _locked(statement: Any, lock: bool) -> Any:
    return statement.with_for_update(key_share=True) if lock else statement


async def lock_party_methods(session: AsyncSession, party_id: uuid.UUID) -> None:
    """Serializes changes to one party's methods (which is default, which token is stored) until commit."""
    await hold_lock(session, f"payment_methods:{party_id}")


async def lock_token(session: AsyncSession, token: str) -> None:
    """Serializes storing one provider token (two parties of one organization cannot store it at once)."""
    await hold_lock(session, f"payment_method_token:{token}")


async def live_methods_of_party(session: AsyncSession, party_id: uuid.UUID) -> list[PaymentMethod]:
    """The party's methods not removed, newest first."""
    statement = (
        select(PaymentMethod)
        .where(PaymentMethod.party_id == party_id, PaymentMethod.deleted_at.is_(None))
        .order_by(PaymentMethod.created_at.desc(), PaymentMethod.id.desc())
    )
    return list((await session.execute(statement)).scalars())


async def method_with_token(session: AsyncSession, token: str) -> PaymentMethod | None:
    """The live method stored with this provider token, if any."""
    statement = select(PaymentMethod).where(PaymentMethod.provider_token == token, PaymentMethod.deleted_at.is_(None))
    return (await session.execute(statement)).scalar_one_or_none()


async def clear_default(session: AsyncSession, party_id: uuid.UUID, *, keep: uuid.UUID | None = None) -> None:
    """The party's default method is no longer default (except `keep`)."""
    statement = update(PaymentMethod).where(PaymentMethod.party_id == party_id, PaymentMethod.is_default.is_(True))
    if keep is not None:
        statement = statement.where(PaymentMethod.id != keep)
    await session.execute(statement.values(is_default=False).execution_options(synchronize_session="fetch"))


async def methods_by_id(session: AsyncSession, method_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, PaymentMethod]:
    """Methods by id, removed ones too (what enrolments name), in one query."""
    if not method_ids:
        return {}
    statement = select(PaymentMethod).where(PaymentMethod.id.in_(set(method_ids)))
    return {method.id: method for method in (await session.execute(statement)).scalars()}


async def active_enrolment_of_unit(
    session: AsyncSession, unit_id: uuid.UUID, *, lock: bool = False
) -> AutopayEnrolment | None:
    statement = select(AutopayEnrolment).where(AutopayEnrolment.unit_id == unit_id, AutopayEnrolment.status == "ACTIVE")
    return (await session.execute(_locked(statement, lock))).scalar_one_or_none()


async def active_enrolments_of_units(
    session: AsyncSession, unit_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, AutopayEnrolment]:
    if not unit_ids:
        return {}
    statement = select(AutopayEnrolment).where(
        AutopayEnrolment.unit_id.in_(set(unit_ids)), AutopayEnrolment.status == "ACTIVE"
    )
    return {e.unit_id: e for e in (await session.execute(statement)).scalars()}


async def active_enrolments_using(session: AsyncSession, method_id: uuid.UUID) -> list[AutopayEnrolment]:
    statement = (
        select(AutopayEnrolment)
        .where(AutopayEnrolment.payment_method_id == method_id, AutopayEnrolment.status == "ACTIVE")
        .order_by(AutopayEnrolment.created_at, AutopayEnrolment.id)
    )
    return list((await session.execute(statement)).scalars())


async def gateway_record_by_key(session: AsyncSession, idempotency_key: str) -> GatewayRecord | None:
    statement = select(GatewayRecord).where(GatewayRecord.idempotency_key == idempotency_key)
    return (await session.execute(statement)).scalar_one_or_none()


async def active_enrolments_due(session: AsyncSession, day: date) -> list[AutopayEnrolment]:
    """Active enrolments whose auto-pay day is `day` and that have started by then."""
    statement = (
        select(AutopayEnrolment)
        .where(
            AutopayEnrolment.status == "ACTIVE",
            AutopayEnrolment.day_of_month == day.day,
            AutopayEnrolment.start_date <= day,
        )
        .order_by(AutopayEnrolment.created_at, AutopayEnrolment.id)
    )
    return list((await session.execute(statement)).scalars())
