"""Drafting estimates: generated for a job, a customer or an HOA's bid request, each option priced from the
pricebook's ACTIVE version through its price rules (the association's rate sheet for an HOA, the member discount,
after-hours at the planned time), from a job template's items and extra items, with its discount and the
estimate's tax (`pricing.py`). Only a DRAFT changes; each change re-prices what it touches and bumps `version`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from hestami.cam.work_order import api as work_orders
from hestami.contractor.estimate import kinds, lifecycle, repository, workflows
from hestami.contractor.estimate.errors import EstimateReason, rule
from hestami.contractor.estimate.models import Estimate, EstimateLine, EstimateOption
from hestami.contractor.estimate.pricing import QuotedLine, price_option
from hestami.contractor.estimate.schemas import (
    AddOption,
    EstimateOut,
    GenerateEstimate,
    HistoryOut,
    ListEstimates,
    OptionIn,
    RemoveOption,
    ReplaceOption,
    StatusChangeOut,
    UpdateEstimate,
)
from hestami.contractor.estimate.services import moves
from hestami.contractor.estimate.services.reading import estimate_out, estimates_out, load
from hestami.contractor.job import api as jobs
from hestami.contractor.pricebook import api as pricebook
from hestami.contractor.profile import api as profile
from hestami.core import records, runtime
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.core.pagination import Page

OPEN_BIDS = lifecycle.OPEN_BIDS


@dataclass(frozen=True, slots=True)
class Target:
    """Who and what an estimate is for."""

    title: str
    job_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    bid_id: uuid.UUID | None = None
    work_order_id: uuid.UUID | None = None
    hoa_organization_id: uuid.UUID | None = None
    association_id: uuid.UUID | None = None


async def _target(ctx: RequestContext, data: GenerateEstimate) -> Target:
    """The job, customer or bid request, loaded through the caller's scope (NOT_FOUND otherwise)."""
    if data.job_id is not None:
        job = await jobs.load_job(ctx, data.job_id)
        return Target(
            title=job.title, job_id=job.id, customer_id=job.customer_id, work_order_id=job.work_order_id,
            hoa_organization_id=job.hoa_organization_id, association_id=job.association_id,
        )  # fmt: skip
    if data.customer_id is not None:
        customer = await jobs.load_customer(ctx, data.customer_id)
        return Target(title=f"Estimate for {customer.name}", customer_id=customer.id)
    assert data.bid_id is not None
    request = await work_orders.bid_request(ctx, data.bid_id)
    if request.status not in OPEN_BIDS:
        raise rule(EstimateReason.BID_NOT_OPEN, f"The bid request is {request.status}.", bid_id=str(request.bid_id))
    existing = await repository.live_estimate_for_bid(ctx.session, request.bid_id)
    if existing is not None:
        raise rule(
            EstimateReason.ALREADY_ESTIMATED, f"{existing.display_number} already answers this bid request.",
            estimate_id=str(existing.id), estimate_number=existing.display_number,
        )  # fmt: skip
    return Target(
        title=f"{request.number}: {request.title}", bid_id=request.bid_id, work_order_id=request.work_order_id,
        hoa_organization_id=request.organization_id, association_id=request.association_id,
    )  # fmt: skip


async def _member(ctx: RequestContext, data: GenerateEstimate, target: Target) -> bool:
    """As the input says, else whether the customer or association has a maintenance agreement in force."""
    if data.member is not None:
        return data.member
    return await jobs.is_member(ctx, target.customer_id, target.association_id)


async def generate(ctx: RequestContext, data: GenerateEstimate) -> EstimateOut:
    await profile.require_contractor(ctx)
    await records.authorize_new(ctx, kinds.ESTIMATE, "create")
    target = await _target(ctx, data)
    settings = runtime.current().settings
    version_id = await pricebook.active_version_id(ctx)
    draft = Estimate(
        number=await repository.next_number(ctx.session, ctx.require_org()), title=data.title or target.title,
        status="DRAFT", job_id=target.job_id, customer_id=target.customer_id, bid_id=target.bid_id,
        work_order_id=target.work_order_id, hoa_organization_id=target.hoa_organization_id,
        association_id=target.association_id, pricebook_version_id=version_id, planned_at=data.planned_at,
        member=await _member(ctx, data, target), notes=data.notes, version=1,
        tax_rate=data.tax_rate if data.tax_rate is not None else settings.estimate_tax_rate_percent,
        valid_until=data.valid_until or datetime.now(UTC).date() + timedelta(days=settings.estimate_valid_days),
    )  # fmt: skip
    estimate = await records.create(ctx, kinds.ESTIMATE, draft)
    ctx.session.add(moves.history_row(estimate, None, "DRAFT", actor=ctx.user_id, note="generated"))
    for position, option in enumerate(data.options, start=1):
        await _add_option(ctx, estimate, option, position)
    await workflows.start(estimate.organization_id, estimate.id)
    return await estimate_out(ctx, estimate)


async def _quoted(ctx: RequestContext, estimate: Estimate, items: list[tuple[str, Decimal]]) -> list[QuotedLine]:
    quote = await pricebook.quote(
        ctx, items, association_id=estimate.association_id, at=estimate.planned_at, member=estimate.member,
        version_id=estimate.pricebook_version_id,
    )  # fmt: skip
    return [
        QuotedLine(
            code=line.code,
            name=line.name,
            kind=line.kind,
            unit=line.unit,
            quantity=line.quantity,
            base_price=line.base_price,
            unit_price=line.unit_price,
            taxable=line.taxable,
            applied_rules=tuple(rule.model_dump(mode="json") for rule in line.applied_rules),
        )
        for line in quote.lines
    ]


async def _items(ctx: RequestContext, data: OptionIn) -> list[tuple[str, Decimal]]:
    items: list[tuple[str, Decimal]] = []
    if data.template_id is not None:
        items.extend((await pricebook.template(ctx, data.template_id)).items)
    items.extend((item.code, item.quantity) for item in data.items)
    if not items:
        raise rule(EstimateReason.EMPTY_OPTION, f"The option {data.name} has no items: its template lists none.")
    return items


async def _price_into(
    ctx: RequestContext, estimate: Estimate, option: EstimateOption, items: list[tuple[str, Decimal]]
) -> None:
    """Prices `items` into the option: its lines (replacing any) and totals."""
    priced = price_option(await _quoted(ctx, estimate, items), option.discount_percent, estimate.tax_rate)
    option.discount, option.subtotal, option.total = priced.discount, priced.subtotal, priced.total
    option.taxable_subtotal, option.tax = priced.taxable_subtotal, priced.tax
    ctx.session.add(option)
    await ctx.session.flush()
    for position, line in enumerate(priced.lines, start=1):
        ctx.session.add(
            EstimateLine(
                organization_id=estimate.organization_id, estimate_id=estimate.id, option_id=option.id,
                position=position, code=line.code, name=line.name, kind=line.kind, unit=line.unit,
                quantity=line.quantity, base_price=line.base_price, unit_price=line.unit_price,
                applied_rules=list(line.applied_rules), line_total=line.line_total, taxable=line.taxable,
            )
        )  # fmt: skip
    await ctx.session.flush()


async def _add_option(ctx: RequestContext, estimate: Estimate, data: OptionIn, position: int) -> EstimateOption:
    option = EstimateOption(
        organization_id=estimate.organization_id, estimate_id=estimate.id, position=position, name=data.name,
        tier=data.tier, description=data.description, template_id=data.template_id,
        discount_percent=data.discount_percent, status="OPEN",
    )  # fmt: skip
    await _price_into(ctx, estimate, option, await _items(ctx, data))
    return option


async def _edited(ctx: RequestContext, estimate: Estimate) -> EstimateOut:
    estimate = await records.change(ctx, kinds.ESTIMATE, estimate, {"version": estimate.version + 1})
    return await estimate_out(ctx, estimate)


async def _option_of(ctx: RequestContext, estimate: Estimate, option_id: uuid.UUID) -> EstimateOption:
    option = await repository.option(ctx.session, option_id)
    if option is None or option.estimate_id != estimate.id:
        raise not_found("estimate_option", option_id)
    return option


async def add_option(ctx: RequestContext, data: AddOption) -> EstimateOut:
    estimate = await load(ctx, data.estimate_id, "update", lock=True)
    moves.require_draft(estimate)
    existing = await repository.options(ctx.session, estimate.id)
    await _add_option(ctx, estimate, data, max((o.position for o in existing), default=0) + 1)
    return await _edited(ctx, estimate)


async def replace_option(ctx: RequestContext, data: ReplaceOption) -> EstimateOut:
    """The option re-made from the input (name, tier, template, items, discount), at its position."""
    estimate = await load(ctx, data.estimate_id, "update", lock=True)
    moves.require_draft(estimate)
    option = await _option_of(ctx, estimate, data.option_id)
    position = option.position
    await repository.remove_option(ctx.session, option.id)
    await _add_option(ctx, estimate, data, position)
    return await _edited(ctx, estimate)


async def remove_option(ctx: RequestContext, data: RemoveOption) -> EstimateOut:
    estimate = await load(ctx, data.estimate_id, "update", lock=True)
    moves.require_draft(estimate)
    option = await _option_of(ctx, estimate, data.option_id)
    await repository.remove_option(ctx.session, option.id)
    return await _edited(ctx, estimate)


REPRICING = frozenset({"tax_rate", "planned_at", "member"})


async def update(ctx: RequestContext, data: UpdateEstimate) -> EstimateOut:
    """Changes a DRAFT's terms; a new tax rate, planned time or member flag re-prices every option."""
    estimate = await load(ctx, data.id, "update", lock=True)
    moves.require_draft(estimate)
    changes = {k: v for k, v in records.changes_of(data).items() if v is not None or k in ("planned_at", "notes")}
    estimate = await records.change(ctx, kinds.ESTIMATE, estimate, {**changes, "version": estimate.version + 1})
    if REPRICING & changes.keys():
        for option in await repository.options(ctx.session, estimate.id):
            items = [(line.code, line.quantity) for line in await repository.option_lines(ctx.session, option.id)]
            await repository.remove_lines(ctx.session, option.id)
            await _price_into(ctx, estimate, option, items)
    return await estimate_out(ctx, estimate)


async def get(ctx: RequestContext, estimate_id: uuid.UUID) -> EstimateOut:
    return await estimate_out(ctx, await load(ctx, estimate_id))


async def list_estimates(ctx: RequestContext, data: ListEstimates) -> Page[EstimateOut]:
    """A page of the estimates the caller may view (the estimate policy's query plan), oldest first."""
    await profile.require_contractor(ctx)
    wanted: list[tuple[Any, Any]] = [
        (Estimate.status, data.status), (Estimate.job_id, data.job_id), (Estimate.customer_id, data.customer_id),
        (Estimate.work_order_id, data.work_order_id),
    ]  # fmt: skip
    filters = [column == value for column, value in wanted if value is not None]
    filters.append(Estimate.organization_id == ctx.require_org())
    rows, cursor = await records.page(ctx, kinds.ESTIMATE, data, *filters)
    return Page[EstimateOut](items=await estimates_out(ctx, rows), next_cursor=cursor)


async def history(ctx: RequestContext, estimate_id: uuid.UUID) -> HistoryOut:
    estimate = await load(ctx, estimate_id)
    rows = await repository.history(ctx.session, estimate.id)
    return HistoryOut(items=[StatusChangeOut.model_validate(h) for h in rows])
