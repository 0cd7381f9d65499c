"""`portal/payment/v1/*`: an owner's payment methods, auto-pay enrolment and payment history."""

from __future__ import annotations

from hestami.cam.portal.payments.schemas import (
    AddMethod,
    AutopayOfUnit,
    AutopayOfUnitOut,
    AutopayOut,
    AutopaysOut,
    BalanceIn,
    BalanceOut,
    ById,
    CancelAutopay,
    EnrolAutopay,
    GatewayRecordsOut,
    HistoryIn,
    HistoryOut,
    ListAutopay,
    ListGatewayRecords,
    ListMethods,
    MethodOut,
    MethodsOut,
    PayIn,
    PayOut,
)
from hestami.cam.portal.payments.services import autopay, history, methods, paying, records_view
from hestami.core.context import RequestContext
from hestami.core.rpc.procedure import ProcedureRouter
from hestami.core.schemas import REMOVED, Removed

payment = ProcedureRouter("portal/payment", tags=("portal",))


# --- payment methods ---------------------------------------------------------------------------------------------


@payment.mutation("addMethod")
async def add_method(ctx: RequestContext, data: AddMethod) -> MethodOut:
    """Store a card (`kind` CARD: `brand`, `last4`, `exp_month`, `exp_year`) or bank account (ACH: `bank_name`,
    `last4`, `account_type`) of the caller's own party (`party_id`: a party linked to the caller's account; any
    other is NOT_FOUND), from the one-time `token` the payment provider's checkout answered (`tok_…` for a card,
    `btok_…` for a bank account): card and account numbers never reach Hestami. The token is exchanged through
    the payment gateway (the call is recorded, see `gatewayRecords`) for a stored one, which no answer ever shows
    (only `token_hint`). An expired card is refused (BUSINESS_RULE_VIOLATION, reason CARD_EXPIRED); the same card
    or account twice is a CONFLICT (DUPLICATE_METHOD). The party's first method, or one sent with `make_default`,
    becomes its default. The owner is told by email."""
    return await methods.add(ctx, data)


@payment.query("listMethods")
async def list_methods(ctx: RequestContext, data: ListMethods) -> MethodsOut:
    """The caller's own stored methods (of all their parties, or of `party_id`), oldest first; removed ones are
    left out. Nobody else, managers included, sees an owner's methods."""
    return await methods.list_methods(ctx, data)


@payment.mutation("setDefaultMethod")
async def set_default_method(ctx: RequestContext, data: ById) -> MethodOut:
    """Make one of the caller's methods their party's default; the previous default no longer is (a party has
    exactly one default while it has methods). An expired card cannot be the default (CARD_EXPIRED). Another
    owner's method is NOT_FOUND."""
    return await methods.set_default(ctx, data.id)


@payment.mutation("removeMethod")
async def remove_method(ctx: RequestContext, data: ById) -> Removed:
    """Remove one of the caller's methods (kept for the history of what paid, never used again). A method an active
    auto-pay uses cannot be removed (BUSINESS_RULE_VIOLATION, reason METHOD_IN_USE, with `enrolment_ids` and
    `unit_ids`): cancel that auto-pay first. Removing the default makes the newest remaining method the default.
    Another owner's method is NOT_FOUND."""
    await methods.remove(ctx, data.id)
    return REMOVED


# --- auto-pay ----------------------------------------------------------------------------------------------------


@payment.mutation("enrolAutopay")
async def enrol_autopay(ctx: RequestContext, data: EnrolAutopay) -> AutopayOut:
    """Put a unit the caller owns (`unit_id`; a unit they do not own is NOT_FOUND) on auto-pay from one of their
    methods (`payment_method_id`), charged on `day_of_month` (1-28), never more than `max_amount` in a month when
    given, from `start_date` (default today; not in the past: START_IN_PAST). One active enrolment per unit: a unit
    on auto-pay is a CONFLICT (UNIT_ENROLLED, with the `enrolment_id`), also when two arrive at once. A card must
    still be good on the first auto-pay day (CARD_EXPIRED). The mandate is made through the payment gateway
    (recorded); the owner is told by email."""
    return await autopay.enrol(ctx, data)


@payment.mutation("cancelAutopay")
async def cancel_autopay(ctx: RequestContext, data: CancelAutopay) -> AutopayOut:
    """End an active enrolment, with an optional `reason` (the owner who enrolled, or management: e.g. the unit was
    sold). The mandate is cancelled through the payment gateway (recorded) and the owner is told.
    INVALID_STATE_TRANSITION when it has ended already."""
    return await autopay.cancel(ctx, data)


@payment.query("getAutopay")
async def get_autopay(ctx: RequestContext, data: AutopayOfUnit) -> AutopayOfUnitOut:
    """The active auto-pay of a unit the caller owns (NOT_FOUND otherwise), with its method (never a token) and
    `next_charge_on`; `enrolment` is null when the unit is not on auto-pay."""
    return await autopay.of_unit(ctx, data.unit_id)


@payment.query("listAutopay")
async def list_autopay(ctx: RequestContext, data: ListAutopay) -> AutopaysOut:
    """Auto-pay enrolments the caller may see, oldest first: management every unit's (who is on auto-pay, by which
    kind of method; never tokens), owners their own units'. Filters: `association_id`, `unit_id`, `status`."""
    return await autopay.list_enrolments(ctx, data)


# --- history -----------------------------------------------------------------------------------------------------


@payment.query("history")
async def payment_history(ctx: RequestContext, data: HistoryIn) -> HistoryOut:
    """The payments received for a unit the caller owns (NOT_FOUND otherwise), oldest first: date, amount, method,
    reference, POSTED or VOIDED (with the reason), the charges each paid (description, due date, amount applied)
    and the credit it still holds. Read from the association's books."""
    return await history.history(ctx, data)


@payment.query("balance")
async def unit_balance(ctx: RequestContext, data: BalanceIn) -> BalanceOut:
    """What a unit the caller owns (NOT_FOUND otherwise) owes today, exactly as the books say
    (`accounting/assessment/v1/getUnitBalance`), with the open charges behind it (oldest due first), the credit it
    holds, and the next auto-pay day if it is enrolled."""
    return await history.balance(ctx, data)


# --- paying now --------------------------------------------------------------------------------------------------


@payment.mutation("pay")
async def pay(ctx: RequestContext, data: PayIn) -> PayOut:
    """Pay `amount` now for a unit the caller owns (NOT_FOUND otherwise) from one of their stored methods
    (`method_id`; another's, or a removed one, is NOT_FOUND; an expired card: CARD_EXPIRED). The method is charged
    through the payment provider (recorded, see `gatewayRecords`) once per Idempotency-Key: a retried request answers
    the same charge. PAID: the payment is in the association's books at once, applied to the oldest open charges first
    (more than the balance is kept as credit), and the owner is told by email. DECLINED: the provider's answer is
    recorded and nothing is booked. Either way the answer carries the provider's `reference` and the unit's balance
    after it."""
    return await paying.pay(ctx, data)


# --- the gateway's records ---------------------------------------------------------------------------------------


@payment.query("gatewayRecords")
async def gateway_records(ctx: RequestContext, data: ListGatewayRecords) -> GatewayRecordsOut:
    """Every call made to the payment provider (TOKENIZE, ENROL_AUTOPAY, CANCEL_AUTOPAY, CHARGE), oldest first: what
    was asked (tokens only as hints), for which party, unit and method, by whom, when, and what the provider
    answered. Management sees every call, an owner the calls for their own methods. Filters: `association_id`,
    `unit_id`, `operation`."""
    return await records_view.list_records(ctx, data)


ROUTERS: list[ProcedureRouter] = [payment]
