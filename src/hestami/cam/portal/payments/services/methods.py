"""An owner's stored payment methods: add one from the provider's checkout token, list them, choose the default,
remove one. A method belongs to one party (the caller's own) and is seen and changed by its owner only; a party
has exactly one default while it has methods (the first one added, or the one chosen), held by a lock on the
party's methods and a partial unique index."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func

from hestami.cam.association import api as association
from hestami.cam.association.api import OwnerContact
from hestami.cam.portal.payments import kinds, repository, rules
from hestami.cam.portal.payments.errors import PaymentsReason, conflict, rule
from hestami.cam.portal.payments.models import PaymentMethod
from hestami.cam.portal.payments.schemas import AddMethod, ListMethods, MethodOut, MethodsOut
from hestami.cam.portal.payments.services import gateway, notices
from hestami.core import records
from hestami.core.authz import forbidden
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.core.ids import new_id


def expired(method: PaymentMethod, on: date | None = None) -> bool:
    if method.kind != "CARD" or method.exp_month is None or method.exp_year is None:
        return False
    return rules.card_expired(method.exp_month, method.exp_year, on or date.today())


def method_out(method: PaymentMethod) -> MethodOut:
    return records.output(
        MethodOut, method, token_hint=rules.token_hint(method.provider_token), expired=expired(method)
    )


async def own_party(ctx: RequestContext, party_id: uuid.UUID) -> OwnerContact:
    """The caller's own party: one linked to their account. Any other party answers NOT_FOUND, exactly as a random
    id does (a manager may see every party, but pays with none of them)."""
    party = await association.load_party(ctx, party_id)
    if party.user_id is None or party.user_id != ctx.user_id:
        raise not_found("party", party_id)
    return party


def _refuse_expired(data: AddMethod) -> None:
    if data.exp_month is None or data.exp_year is None:
        return
    if rules.card_expired(data.exp_month, data.exp_year, date.today()):
        raise rule(
            PaymentsReason.CARD_EXPIRED,
            f"The card expired at the end of {data.exp_month:02d}/{data.exp_year}.",
            exp_month=data.exp_month,
            exp_year=data.exp_year,
        )


async def add(ctx: RequestContext, data: AddMethod) -> MethodOut:
    """Stores a card or bank account of the caller's own party from the provider's checkout token (tokenized
    through the payment gateway, which records the call). An expired card is refused (CARD_EXPIRED); a method
    stored already is a CONFLICT (DUPLICATE_METHOD). The party's first method, or one added with `make_default`,
    is its default."""
    party = await own_party(ctx, data.party_id)
    _refuse_expired(data)
    provider = gateway.current()
    method = PaymentMethod(
        id=new_id(), organization_id=ctx.require_org(), party_id=party.party_id, user_id=ctx.require_user(),
        kind=data.kind, provider=provider.provider, provider_token="", last4=data.last4, brand=data.brand,
        exp_month=data.exp_month, exp_year=data.exp_year, bank_name=data.bank_name, account_type=data.account_type,
        label=data.label or rules.default_label(data.kind, data.last4, data.brand, data.bank_name, data.account_type),
        is_default=False,
    )  # fmt: skip
    if not await records.can(ctx, kinds.PAYMENT_METHOD, method, "create"):
        raise forbidden("create", kinds.PAYMENT_METHOD.name)
    await repository.lock_party_methods(ctx.session, party.party_id)
    existing = await repository.live_methods_of_party(ctx.session, party.party_id)
    payer = gateway.Payer(party_id=party.party_id, user_id=ctx.require_user())
    request = gateway.TokenizeRequest(
        payer=payer, method_id=method.id, checkout_token=data.token, kind=data.kind, last4=data.last4,
        brand=data.brand, exp_month=data.exp_month, exp_year=data.exp_year, bank_name=data.bank_name,
        account_type=data.account_type,
    )  # fmt: skip
    method.provider_token = await provider.tokenize(ctx, request)
    await repository.lock_token(ctx.session, method.provider_token)
    if await repository.method_with_token(ctx.session, method.provider_token) is not None:
        raise conflict(PaymentsReason.DUPLICATE_METHOD, "This card or account is stored already.")
    method.is_default = data.make_default or not existing
    if method.is_default:
        await repository.clear_default(ctx.session, party.party_id)
    method = await records.insert(ctx, kinds.PAYMENT_METHOD, method)
    await notices.tell_owner(
        ctx, email=ctx.principal.email if ctx.principal else None, user_id=ctx.user_id,
        template="payment_method.added", entity_type=kinds.PAYMENT_METHOD.name, entity_id=method.id, event="added",
        payload={"label": method.label, "kind": method.kind, "last4": method.last4},
    )  # fmt: skip
    return method_out(method)


async def list_methods(ctx: RequestContext, data: ListMethods) -> MethodsOut:
    filters = [PaymentMethod.party_id == data.party_id] if data.party_id is not None else []
    rows, cursor = await records.page(ctx, kinds.PAYMENT_METHOD, data, *filters)
    return MethodsOut(items=[method_out(row) for row in rows], next_cursor=cursor)


async def _locked_for_party(ctx: RequestContext, method_id: uuid.UUID, action: str) -> PaymentMethod:
    """The caller's live method, authorized for `action`, with its party's methods locked; a method removed while
    the lock was awaited is NOT_FOUND."""
    method = await records.load(ctx, kinds.PAYMENT_METHOD, method_id, action)
    await repository.lock_party_methods(ctx.session, method.party_id)
    method = await records.find(ctx, kinds.PAYMENT_METHOD, method_id, lock=True)
    await ctx.session.refresh(method)
    if method.deleted_at is not None:
        raise not_found(kinds.PAYMENT_METHOD.name, method_id)
    return method


async def set_default(ctx: RequestContext, method_id: uuid.UUID) -> MethodOut:
    """Makes the method its party's default (the one before it no longer is); an expired card cannot be
    (CARD_EXPIRED). Choosing the default again changes nothing."""
    method = await _locked_for_party(ctx, method_id, "update")
    if method.is_default:
        return method_out(method)
    if expired(method):
        raise rule(PaymentsReason.CARD_EXPIRED, "An expired card cannot be the default.")
    await repository.clear_default(ctx.session, method.party_id, keep=method.id)
    method = await records.change(ctx, kinds.PAYMENT_METHOD, method, {"is_default": True}, action="made_default")
    return method_out(method)


async def remove(ctx: RequestContext, method_id: uuid.UUID) -> None:
    """Removes the method (kept for history, never used again). A method an ACTIVE auto-pay pays with cannot be
    (METHOD_IN_USE, naming the enrolments and units): cancel or move that auto-pay first. When the default goes,
    the newest remaining method becomes the default."""
    method = await _locked_for_party(ctx, method_id, "delete")
    in_use = await repository.active_enrolments_using(ctx.session, method.id)
    if in_use:
        numbers = await association.unit_numbers(ctx, [e.unit_id for e in in_use])
        units = ", ".join(numbers.get(e.unit_id, "?") for e in in_use)
        raise rule(
            PaymentsReason.METHOD_IN_USE,
            f"This method pays auto-pay for unit {units}; cancel that auto-pay first.",
            enrolment_ids=[str(e.id) for e in in_use],
            unit_ids=[str(e.unit_id) for e in in_use],
        )
    was_default = method.is_default
    changes = {"deleted_at": func.now(), "is_default": False}
    await records.change(ctx, kinds.PAYMENT_METHOD, method, changes, action="deleted")
    if was_default:
        remaining = await repository.live_methods_of_party(ctx.session, method.party_id)
        usable = [m for m in remaining if not expired(m)] or remaining
        if usable:
            await records.change(ctx, kinds.PAYMENT_METHOD, usable[0], {"is_default": True}, action="made_default")
