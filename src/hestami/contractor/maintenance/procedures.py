"""Maintenance agreements (issue 24, P2.9): `maintenance/v1/*`.

A contractor's memberships: a customer (or an HOA's association, optionally with its standing work order) signs an
agreement for a term at a price, billed MONTHLY, QUARTERLY, SEMI_ANNUAL, ANNUAL or UPFRONT, with included services
and a visit schedule (an RFC 5545 RRULE). Once ACTIVE, `maintenance_contract_v1` generates the visits ahead of time
as jobs for dispatch, bills each period through invoices, sends the renewal notice, renews (or lapses) at term end
and records each visit's SLA outcome. Only a contractor on the platform has agreements (NOT_A_CONTRACTOR otherwise).
Its ADMIN and MANAGER members manage them; its dispatchers read them; nobody else sees them. Another organization's
agreement is NOT_FOUND exactly like a random id."""

from __future__ import annotations

from hestami.contractor.maintenance import membership as membership  # registers job.api's membership resolver
from hestami.contractor.maintenance import workflows as workflows  # maintenance_contract_v1
from hestami.contractor.maintenance.schemas import (
    AgreementDetailOut,
    AgreementOut,
    ById,
    Cancel,
    CreateAgreement,
    HistoryOut,
    ListAgreements,
    Renew,
    SlaReportOut,
    UpdateAgreement,
    VisitsOut,
)
from hestami.contractor.maintenance.services import agreements, moves, visits
from hestami.core.context import RequestContext
from hestami.core.pagination import Page
from hestami.core.rpc.procedure import ProcedureRouter

maintenance = ProcedureRouter("maintenance", tags=("maintenance",))
ROUTERS: tuple[ProcedureRouter, ...] = (maintenance,)


@maintenance.mutation("create")
async def create(ctx: RequestContext, data: CreateAgreement) -> AgreementDetailOut:
    """A DRAFT agreement (ADMIN, MANAGER), numbered AGR-000001 per organization without gaps: for one of your
    customers (`customer_id`; the site defaults to the customer's address) or an HOA (`association_id`, an
    association your organization is linked to, and optionally `work_order_id`, a standing work order of that
    association assigned to you: every visit's job carries its link; another association's: WORK_ORDER_MISMATCH).
    The term runs `term_months` from `term_start` at `price`; `services` are active pricebook codes with quantities
    per visit (UNKNOWN_ITEM otherwise); `schedule_rrule` is an RFC 5545 RRULE anchored at each term's start
    (VALIDATION_FAILED on the field when it does not parse, repeats more than weekly, or never occurs);
    `window_start`..`window_end` is the visits' local arrival window; a visit completed within `sla_days_late_allowed`
    days after its window counts LATE, later MISSED."""
    return await agreements.create(ctx, data)


@maintenance.mutation("update")
async def update(ctx: RequestContext, data: UpdateAgreement) -> AgreementDetailOut:
    """Changes the fields sent. The schedule, window, visit length, term, price, billing frequency, services, template
    and site change only while DRAFT (NOT_EDITABLE otherwise); name, plan, notes, branch, auto-renewal, the renewal
    price change and the SLA's days late also while ACTIVE (the run is woken); a LAPSED or CANCELLED agreement is
    NOT_EDITABLE."""
    return await agreements.update(ctx, data)


@maintenance.query("get")
async def get(ctx: RequestContext, data: ById) -> AgreementDetailOut:
    """One agreement with its included services, terms and renewals (who renewed which term, when, at what price)."""
    return await agreements.get(ctx, data.id)


@maintenance.query("list")
async def list_agreements(ctx: RequestContext, data: ListAgreements) -> Page[AgreementOut]:
    """The agreements, oldest first, filtered by `status`, `customer_id`, `association_id` or `due_for_renewal`
    (ACTIVE, ending within MAINTENANCE_RENEWAL_NOTICE_DAYS, not renewed yet)."""
    return await agreements.list_agreements(ctx, data)


@maintenance.mutation("activate")
async def activate(ctx: RequestContext, data: ById) -> AgreementDetailOut:
    """DRAFT → ACTIVE, only while your license and insurance are in force (NOT_COMPLIANT, with the `reasons`
    otherwise) and when the schedule has a visit in the term (NO_VISITS) that has not ended (TERM_OVER). The visits
    within MAINTENANCE_HORIZON_DAYS are generated at once as jobs (JOB_CREATED, each with one SCHEDULED visit in the
    window: the dispatch board's unassigned visits), and `maintenance_contract_v1` starts: it keeps generating visits
    ahead, bills each billing period as it begins (`invoice/v1/list` with `agreement_id`), sends the renewal notice
    MAINTENANCE_RENEWAL_NOTICE_DAYS before the term ends, renews (auto-renew: the price changed by
    `renewal_price_change_percent`) or lapses at term end, and records each visit's SLA outcome."""
    return await moves.activate(ctx, data.id)


@maintenance.mutation("renew")
async def renew(ctx: RequestContext, data: Renew) -> AgreementDetailOut:
    """Renews an ACTIVE agreement's current term into the next (starting the day after it ends, at `price` or the
    renewal change), recorded with who and when; the customer or HOA is told. Once per term: asking again answers
    CONFLICT, reason ALREADY_RENEWED. The next term comes into force the day after this one ends."""
    return await moves.renew(ctx, data)


@maintenance.mutation("cancel")
async def cancel(ctx: RequestContext, data: Cancel) -> AgreementDetailOut:
    """DRAFT or ACTIVE → CANCELLED with a `reason`: the jobs of visits from today on that have not started are
    cancelled (kept on record), the customer or HOA is told, and the run ends."""
    return await moves.cancel(ctx, data)


@maintenance.query("listVisits")
async def list_visits(ctx: RequestContext, data: ById) -> VisitsOut:
    """The agreement's generated visits by date: each one's job (number, status), visit status, window and SLA
    outcome once recorded."""
    return await visits.list_visits(ctx, data.id)


@maintenance.query("slaReport")
async def sla_report(ctx: RequestContext, data: ById) -> SlaReportOut:
    """The agreement's SLA performance: visits scheduled and evaluated, on time, late, missed, the on-time percent
    of the evaluated visits, and each evaluated visit's outcome."""
    return await visits.sla_report(ctx, data.id)


@maintenance.query("history")
async def history(ctx: RequestContext, data: ById) -> HistoryOut:
    """Every move of the agreement (create, activate, renew, start_term, lapse, cancel) with who, when and the term."""
    return await agreements.history(ctx, data.id)
