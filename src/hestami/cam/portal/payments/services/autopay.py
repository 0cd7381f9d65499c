"""Auto-pay: an owner enrols a unit they own to be paid from one of their stored methods on a day of the month
(1-28), up to an optional maximum, from a start date; one ACTIVE enrolment per unit (the unit's row is locked
before the check, and a partial unique index holds it in the database). Enrolling and cancelling go through the
payment gateway (recorded). The owner who enrolled changes and cancels it, the unit's owners see it, management
reads every enrolment (and may cancel one, e.g. for a unit sold) but never a token."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func

from hestami.cam.association import api as association
from hestami.cam.association.api import OwnerContact, UnitRef
from hestami.cam.portal.payments import kinds, repository, rules
from hestami.cam.portal.payments.errors import PaymentsReason, conflict, rule
from hestami.cam.portal.payments.models import AutopayEnrolment, PaymentMethod
from hestami.cam.portal.payments.schemas import (
    AutopayOfUnitOut,
    AutopayOut,
    AutopaysOut,
    CancelAutopay,
    EnrolAutopay,
    ListAutopay,
    MethodSummary,
)
from hestami.cam.portal.payments.services import gateway, notices
from hestami.cam.portal.payments.services.methods import expired
from hestami.core import records
from hestami.core.authz import forbidden
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition, not_found
from hestami.core.ids import new_id
from hestami.identity.services import organizations as identity

TRANSITIONS: dict[str, frozenset[str]] = {"ACTIVE": frozenset({"CANCELLED"}), "CANCELLED": frozenset()}


async def owned_unit(ctx: RequestContext, unit_id: uuid.UUID, *, lock: bool = False) -> tuple[UnitRef, OwnerContact]:
    """A unit the caller owns today and their party among its owners. Any other unit is NOT_FOUND, also one they
    may see (a unit they rent, or any unit for a manager): the portal's payments are an owner's own."""
    unit = await association.load_unit(ctx, unit_id, lock=lock)
    mine = [c for c in await association.owner_contacts(ctx, unit.id) if c.user_id == ctx.user_id]
    if not mine:
        raise not_found(association.UNIT_KIND, unit_id)
    return unit, mine[0]


def _summary(method: PaymentMethod) -> MethodSummary:
    return MethodSummary(
        id=method.id, kind=method.kind, label=method.label, last4=method.last4, brand=method.brand,
        exp_month=method.exp_month, exp_year=method.exp_year, bank_name=method.bank_name,
        removed=method.deleted_at is not None,
    )  # fmt: skip


async def enrolments_out(ctx: RequestContext, enrolments: list[AutopayEnrolment]) -> list[AutopayOut]:
    """The enrolments with their methods (no tokens) and unit numbers, read in one query each."""
    methods = await repository.methods_by_id(ctx.session, [e.payment_method_id for e in enrolments])
    numbers = await association.unit_numbers(ctx, [e.unit_id for e in enrolments])
    today = date.today()
    return [
        records.output(
            AutopayOut, e, unit_number=numbers.get(e.unit_id, ""), method=_summary(methods[e.payment_method_id]),
            next_charge_on=rules.next_charge_on(e.day_of_month, e.start_date, today) if e.status == "ACTIVE" else None,
        )
        for e in enrolments
    ]  # fmt: skip


async def enrolment_out(ctx: RequestContext, enrolment: AutopayEnrolment) -> AutopayOut:
    return (await enrolments_out(ctx, [enrolment]))[0]


def _refuse_unusable(method: PaymentMethod, first_charge: date) -> None:
    """A card must still be good on the first auto-pay day."""
    if method.kind != "CARD" or method.exp_month is None or method.exp_year is None:
        return
    if expired(method) or rules.expiry_day(method.exp_month, method.exp_year) < first_charge:
        raise rule(
            PaymentsReason.CARD_EXPIRED,
            f"The card expires before the first auto-pay day ({first_charge.isoformat()}).",
            first_charge_on=first_charge.isoformat(),
        )


async def enrol(ctx: RequestContext, data: EnrolAutopay) -> AutopayOut:
    """Enrols a unit the caller owns (NOT_FOUND otherwise) with one of their methods (NOT_FOUND otherwise). A unit
    on auto-pay already is a CONFLICT (UNIT_ENROLLED, naming the enrolment), also for two enrolments at once: the
    unit's row is locked before the check. The start date is not before today (START_IN_PAST); a card must be good
    on the first auto-pay day (CARD_EXPIRED)."""
    unit, owner = await owned_unit(ctx, data.unit_id, lock=True)
    method = await records.load(ctx, kinds.PAYMENT_METHOD, data.payment_method_id, lock=True)
    today = date.today()
    start = data.start_date or today
    if start < today:
        raise rule(PaymentsReason.START_IN_PAST, "Auto-pay cannot start before today.", today=today.isoformat())
    _refuse_unusable(method, rules.next_charge_on(data.day_of_month, start, today))
    existing = await repository.active_enrolment_of_unit(ctx.session, unit.id)
    if existing is not None:
        raise conflict(
            PaymentsReason.UNIT_ENROLLED,
            f"Unit {unit.unit_number} is on auto-pay already; cancel that enrolment first.",
            enrolment_id=str(existing.id),
        )
    enrolment = AutopayEnrolment(
        id=new_id(), organization_id=ctx.require_org(), association_id=unit.association_id, unit_id=unit.id,
        party_id=owner.party_id, user_id=ctx.require_user(), payment_method_id=method.id,
        day_of_month=data.day_of_month, max_amount=data.max_amount, start_date=start, status="ACTIVE",
    )  # fmt: skip
    if not await records.can(ctx, kinds.AUTOPAY_ENROLMENT, enrolment, "create"):
        raise forbidden("create", kinds.AUTOPAY_ENROLMENT.name)
    payer = gateway.Payer(owner.party_id, ctx.require_user(), unit.association_id, unit.id)
    request = gateway.MandateRequest(
        payer=payer, enrolment_id=enrolment.id, method_id=method.id, method_token=method.provider_token,
        day_of_month=data.day_of_month, max_amount=data.max_amount, start_date=start,
    )  # fmt: skip
    enrolment.provider_reference = await gateway.current().enrol_autopay(ctx, request)
    enrolment = await records.insert(ctx, kinds.AUTOPAY_ENROLMENT, enrolment)
    out = await enrolment_out(ctx, enrolment)
    await notices.tell_owner(
        ctx, email=ctx.principal.email if ctx.principal else None, user_id=ctx.user_id,
        template="autopay.enrolled", entity_type=kinds.AUTOPAY_ENROLMENT.name, entity_id=enrolment.id,
        event="enrolled",
        payload={"unit_number": unit.unit_number, "method": method.label, "day_of_month": enrolment.day_of_month,
                 "max_amount": str(enrolment.max_amount) if enrolment.max_amount is not None else None,
                 "first_charge_on": out.next_charge_on.isoformat() if out.next_charge_on else None},
    )  # fmt: skip
    return out


async def _owner_email(ctx: RequestContext, enrolment: AutopayEnrolment) -> str | None:
    """Where the enrolling owner is told: their account's email while they are a member, else their party's."""
    email = await identity.email_of_member(ctx, enrolment.user_id)
    if email:
        return email
    contacts = await association.owner_contacts(ctx, enrolment.unit_id)
    return next((c.email for c in contacts if c.party_id == enrolment.party_id and c.email), None)


async def cancel(ctx: RequestContext, data: CancelAutopay) -> AutopayOut:
    """Ends an ACTIVE enrolment through the gateway (INVALID_STATE_TRANSITION once cancelled); the owner who
    enrolled is told."""
    enrolment = await records.load(ctx, kinds.AUTOPAY_ENROLMENT, data.id, "cancel", lock=True)
    check_transition(kinds.AUTOPAY_ENROLMENT.name, TRANSITIONS, enrolment.status, "CANCELLED")
    method = (await repository.methods_by_id(ctx.session, [enrolment.payment_method_id]))[enrolment.payment_method_id]
    payer = gateway.Payer(enrolment.party_id, enrolment.user_id, enrolment.association_id, enrolment.unit_id)
    request = gateway.CancelRequest(
        payer=payer, enrolment_id=enrolment.id, method_id=method.id,
        mandate_reference=enrolment.provider_reference or "", reason=data.reason,
    )  # fmt: skip
    await gateway.current().cancel_autopay(ctx, request)
    changes = {
        "status": "CANCELLED", "cancelled_at": func.now(), "cancelled_by": ctx.user_id, "cancel_reason": data.reason,
    }  # fmt: skip
    enrolment = await records.change(ctx, kinds.AUTOPAY_ENROLMENT, enrolment, changes, action="cancelled")
    await notices.tell_owner(
        ctx, email=await _owner_email(ctx, enrolment), user_id=enrolment.user_id, template="autopay.cancelled",
        entity_type=kinds.AUTOPAY_ENROLMENT.name, entity_id=enrolment.id, event="cancelled",
        payload={"method": method.label, "reason": data.reason, "by_owner": ctx.user_id == enrolment.user_id},
    )  # fmt: skip
    return await enrolment_out(ctx, enrolment)


async def of_unit(ctx: RequestContext, unit_id: uuid.UUID) -> AutopayOfUnitOut:
    """The ACTIVE enrolment of a unit the caller owns (NOT_FOUND otherwise), or none."""
    unit, _ = await owned_unit(ctx, unit_id)
    enrolment = await repository.active_enrolment_of_unit(ctx.session, unit.id)
    if enrolment is None or not await records.can(ctx, kinds.AUTOPAY_ENROLMENT, enrolment, "view"):
        return AutopayOfUnitOut(unit_id=unit.id, enrolment=None)
    return AutopayOfUnitOut(unit_id=unit.id, enrolment=await enrolment_out(ctx, enrolment))


async def list_enrolments(ctx: RequestContext, data: ListAutopay) -> AutopaysOut:
    """The enrolments the caller may see (management: all; owners: their units'), oldest first."""
    filters = []
    if data.association_id is not None:
        await association.load_association(ctx, data.association_id)
        filters.append(AutopayEnrolment.association_id == data.association_id)
    if data.unit_id is not None:
        filters.append(AutopayEnrolment.unit_id == data.unit_id)
    if data.status is not None:
        filters.append(AutopayEnrolment.status == data.status)
    rows, cursor = await records.page(ctx, kinds.AUTOPAY_ENROLMENT, data, *filters)
    return AutopaysOut(items=await enrolments_out(ctx, rows), next_cursor=cursor)
