"""Billing a period in bulk (`accounting/assessment/v1/billPeriod`, and each batch of a posting run): the units not
yet charged a REGULAR or SPECIAL assessment for the due date are charged in one round of bulk inserts, prorated on an
ownership transfer where the type says so (`accounting.proration`); units holding credit have it applied."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from hestami.cam.accounting import kinds, ledger, proration, repository
from hestami.cam.accounting.errors import AccountingReason, rule
from hestami.cam.accounting.models import AssessmentCharge, AssessmentType, GLAccount
from hestami.cam.accounting.schemas import BilledOut, BillPeriod
from hestami.cam.accounting.services import receivables
from hestami.cam.accounting.services.receivables import PERIOD_KINDS, ZERO, cents
from hestami.cam.association import api as association_api
from hestami.cam.association.api import UnitRef
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.ids import new_id
from hestami.core.repository import insert_rows


async def bill_period(ctx: RequestContext, data: BillPeriod) -> BilledOut:
    """Charges one period of an assessment type to every unit of its association (or the units given), each
    charge with its own journal entry, in one batch. Units already charged this type on this due date are
    skipped, so running it again charges nobody twice, even at the same moment: the type's billing lock for the
    due date is taken before that check, so a concurrent run waits and then skips the units the first one
    billed (and a unique index on period assessments holds the rule in the database). Units holding credit
    have it applied.

    One transaction for the whole period, so a run is billed whole or not at all (a retry of a failed one starts
    clean): Cerbos once, the accounts once, one numbering lock, and the rows written in bulk (`_Billing`), a few
    thousand per round of inserts, none of them kept in the session; 20,000 units take seconds, during which
    other postings to the association wait for its numbering lock. One audit event describes the run and one
    the batch of entries (`ledger.record_many`). A type that prorates on transfer charges a unit that changed
    hands inside the period (an ownership recorded as ending or starting in it) a charge per part
    (`accounting.proration`): `prorated` counts them."""
    atype = await records.load(ctx, kinds.ASSESSMENT_TYPE, data.assessment_type_id)
    await records.authorize_new(ctx, kinds.ASSESSMENT_CHARGE, "create")
    amount = data.amount if data.amount is not None else atype.amount
    if amount <= ZERO:
        raise rule(AccountingReason.EMPTY_ENTRY, "A charge needs an amount greater than zero.")
    units = await association_api.units_of(ctx, atype.association_id, unit_ids=data.unit_ids)
    if data.unit_ids is not None and len(units) != len(set(data.unit_ids)):
        raise rule(AccountingReason.WRONG_ASSOCIATION, "Some units are not units of this association.")
    return await bill_units(ctx, atype, data, units, amount)


async def bill_units(
    ctx: RequestContext, atype: AssessmentType, data: BillPeriod, units: Sequence[UnitRef], amount: Decimal
) -> BilledOut:
    """`bill_period` after its checks: the units not yet charged this type on the due date (under the type's
    billing lock for it) are charged, in bulk. Also a batch of a posting run (`accounting.posting`), whose run was
    authorized when it started."""
    await repository.lock_billing(ctx.session, atype.id, data.due_date)
    charged_already = await repository.units_charged(ctx.session, atype.id, data.due_date, unit_ids=data.unit_ids)
    to_bill = [u for u in units if u.id not in charged_already]
    billing = _Billing(
        ctx,
        atype,
        data,
        await receivables.revenue_account(ctx, atype),
        await ledger.account_for(ctx, atype.association_id, "AR"),
    )
    period, transfers = await _transfers(ctx, atype, data.due_date, to_bill)
    for unit in to_bill:
        unit_amount = amount if data.allocation == "EQUAL" else cents(amount * (unit.assessment_share or ZERO))
        if unit_amount > ZERO:
            for part in proration.parts(unit_amount, period, transfers.get(unit.id, ())):
                await billing.charge(unit, part)
    charged = await billing.post()
    audit.record(
        ctx,
        "assessment_charge.period_billed",
        "assessment_type",
        atype.id,
        after={"due_date": data.due_date.isoformat(), "charged": len(charged), "allocation": data.allocation},
    )
    with_credit = await repository.units_with_credit(ctx.session, atype.association_id)
    for unit in to_bill:
        if unit.id in with_credit:
            await receivables.apply_credit(ctx, unit, data.due_date)
    return BilledOut(
        charged=len(charged), skipped_already_charged=len(units) - len(to_bill), total=billing.total,
        prorated=billing.prorated,
    )  # fmt: skip


async def _transfers(
    ctx: RequestContext, atype: AssessmentType, due_date: date, units: Sequence[UnitRef]
) -> tuple[tuple[date, date] | None, dict[uuid.UUID, set[date]]]:
    """The days a period of the type covers and the units changing hands in it, when the type prorates."""
    period = proration.period_of(atype.frequency, due_date) if atype.prorate_on_transfer else None
    if period is None or atype.kind not in PERIOD_KINDS:
        return None, {}
    return period, await association_api.transfer_days(ctx, [unit.id for unit in units], *period)


class _Billing:
    """The charges of one period run and their postings (Dr AR for the unit / Cr the type's income, with the
    inter-fund legs): the legs are worked out once per amount and shared by the postings of that amount, each
    naming its unit (`Posting.unit_id`); `post` writes them all in bulk. A unit's period prorated on a transfer is
    a charge per part (`accounting.proration`), each naming the days it covers."""

    def __init__(
        self, ctx: RequestContext, atype: AssessmentType, data: BillPeriod, revenue: GLAccount, ar: GLAccount
    ) -> None:
        self.ctx, self.atype, self.revenue, self.ar = ctx, atype, revenue, ar
        self.due_date = data.due_date
        self.description = data.description or atype.name
        self.templates: dict[Decimal, list[ledger.Leg]] = {}
        self.units: list[UnitRef] = []
        self.parts: list[proration.Part] = []
        self.postings: list[ledger.Posting] = []
        self.total = ZERO
        self.prorated = 0

    async def charge(self, unit: UnitRef, part: proration.Part) -> None:
        legs = self.templates.get(part.amount)
        if legs is None:
            plain = [ledger.debit(self.ar, part.amount), ledger.credit(self.revenue, part.amount)]
            with_interfund = await ledger.with_interfund_legs(self.ctx, self.atype.association_id, plain)
            legs = [ledger.Leg(leg.account, leg.debit, leg.credit, self.description) for leg in with_interfund]
            self.templates[part.amount] = legs
        memo = f"{self._description(part)} - unit {unit.unit_number}"
        self.postings.append(ledger.Posting(self.due_date, memo, legs, "ASSESSMENT_CHARGE", new_id(), unit.id))
        if part.start == self.due_date:
            self.prorated += 1  # a prorated period's first part
        self.units.append(unit)
        self.parts.append(part)
        self.total += part.amount

    def _description(self, part: proration.Part) -> str:
        if part.start is None or part.end is None:
            return self.description
        return f"{self.description} (prorated {part.start.isoformat()} to {part.end.isoformat()})"

    async def post(self) -> list[UnitRef]:
        """Writes the entries, then the charges (each naming its entry); returns the units charged."""
        entry_ids = await ledger.record_many(self.ctx, self.atype.association_id, self.postings)
        same = {
            "organization_id": self.ctx.require_org(),
            "association_id": self.atype.association_id,
            "assessment_type_id": self.atype.id,
            "due_date": self.due_date,
            "amount_paid": ZERO,
            "period_assessment": self.atype.kind in PERIOD_KINDS,
        }
        if not self.prorated:
            same["description"] = self.description
        for start in range(0, len(self.postings), ledger.BATCH_ROWS):
            chunk = slice(start, start + ledger.BATCH_ROWS)
            parts = self.parts[chunk]
            charges: dict[str, Sequence[Any]] = {
                "id": [posting.source_id for posting in self.postings[chunk]],
                "unit_id": [unit.id for unit in self.units[chunk]],
                "amount": [part.amount for part in parts],
                "journal_entry_id": entry_ids[chunk],
            }
            if self.prorated:
                charges["description"] = [self._description(part) for part in parts]
                charges["covers_from"] = [part.start for part in parts]
                charges["covers_to"] = [part.end for part in parts]
            await insert_rows(self.ctx.session, AssessmentCharge, charges, same)
        return list(dict.fromkeys(self.units)) if self.prorated else self.units
