"""The receivable subledger ties out to the ledger on every date (issue 11, defect 4).

On any `as_of` date, before the books start, between operations and after the last: the aging total and the sum
of the units' open charges equal the Assessments Receivable control account of the trial balance, the units'
credit equals Prepaid Assessments, and each unit's balance equals the ledger's lines for that unit. This holds
for every way money reaches the control accounts: charges (past, today, billed ahead), period billing, late
fees, payments (post-dated too) and payment batches, voids, and manual entries with their reversals (a manual
entry to a control account is refused and writes nothing, and so is reversing a charge's or payment's entry).

The property test drives the services directly (as `test_ledger_invariants` does), one scoped transaction per
operation; the focused tests below go through HTTP, one per instance the issue names.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from hestami.cam.accounting import repository
from hestami.cam.accounting.schemas import (
    ApplyLateFees,
    ArAgingIn,
    BillPeriod,
    CreateAssessmentType,
    CreateCharge,
    CreateJournalEntry,
    CreatePayment,
    CreatePaymentBatch,
    LineIn,
    ListGLAccounts,
    PaymentLine,
    ReverseJournalEntry,
    TrialBalanceIn,
    UnitBalanceIn,
    VoidPayment,
)
from hestami.cam.accounting.services import billing, chart_of_accounts, journal, receivables, reports
from hestami.cam.association.schemas import AddressIn, CreateAssociation, CreateProperty, CreateUnit
from hestami.cam.association.services import associations, places
from hestami.core import runtime
from hestami.core.acting import acting
from hestami.core.context import RequestContext
from hestami.core.errors import HestamiError
from tests.cam.accounting.helpers import Books, books, database_examples, trial_line
from tests.support.accounts import Account, account, organization
from tests.support.rpc import suffix

T = TypeVar("T")
TODAY = date.today()
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
UNITS = 3
AR, PREPAID, INCOME, CASH, EXPENSE = "1200", "2100", "4900", "1010", "5300"


@dataclass
class Tenant:
    admin: Account
    org: uuid.UUID
    client: httpx.AsyncClient


@pytest.fixture(scope="module")
async def tenant(shared_client: httpx.AsyncClient) -> Tenant:
    admin = await account(shared_client)
    created = await organization(shared_client, admin, f"Tie-out HOA {suffix()}")
    return Tenant(admin, uuid.UUID(created["id"]), shared_client)


async def run(tenant: Tenant, step: Callable[[RequestContext], Awaitable[T]]) -> T:
    """One transaction with an ADMIN context, the way a request runs a procedure."""
    async with acting(
        runtime.current(),
        procedure="test-tie-out",
        organization_id=tenant.org,
        user_id=tenant.admin.user_id,
        email=tenant.admin.email,
        roles=frozenset({"ADMIN"}),
    ) as ctx:
        return await step(ctx)


@dataclass
class World:
    association_id: uuid.UUID
    units: list[uuid.UUID]
    types: list[uuid.UUID]  # operating dues with a fixed late fee; a reserve contribution (inter-fund legs)
    chart: dict[str, uuid.UUID]
    payments: list[uuid.UUID] = field(default_factory=list)
    voided: set[uuid.UUID] = field(default_factory=set)
    documents: list[uuid.UUID] = field(default_factory=list)  # journal entries of charges and payments
    dates: set[date] = field(default_factory=set)
    log: list[str] = field(default_factory=list)


async def build_world(tenant: Tenant) -> World:
    async def make(ctx: RequestContext) -> World:
        association = await associations.create(
            ctx,
            CreateAssociation(name=f"Tie-out HOA {suffix()}", late_fee_type="PERCENT", late_fee_percent=Decimal("5")),
        )
        await chart_of_accounts.seed_standard_chart(ctx, association.id)
        address = AddressIn(line1="1 Ledger Ln", city="Austin", state="TX", postal_code="78701")
        prop = await places.create_property(
            ctx, CreateProperty(association_id=association.id, name="Tie-out Acres", address=address)
        )
        units = [
            (await places.create_unit(ctx, CreateUnit(property_id=prop.id, unit_number=str(n), unit_type="CONDO"))).id
            for n in range(1, UNITS + 1)
        ]
        listed = await chart_of_accounts.list_(ctx, ListGLAccounts(association_id=association.id, limit=200))
        chart = {a.account_number: a.id for a in listed.items}
        base: dict[str, Any] = {"association_id": association.id, "frequency": "MONTHLY"}
        dues = await receivables.create_type(
            ctx,
            CreateAssessmentType(
                **base,
                name="Dues",
                amount=Decimal("250.00"),
                late_fee_type="FIXED",
                late_fee_amount=Decimal("25.00"),
                late_fee_grace_days=5,
            ),
        )
        reserve = await receivables.create_type(
            ctx, CreateAssessmentType(**base, name="Reserve", amount=Decimal("40.00"), revenue_account_id=chart["4200"])
        )
        return World(association.id, units, [dues.id, reserve.id], chart)

    return await run(tenant, make)


def money(cents: int) -> Decimal:
    return (Decimal(cents) * CENT).quantize(CENT)


# --- operations: dates are days from today, past and future ------------------------------------------------

offsets = st.integers(min_value=-150, max_value=90)
cents = st.integers(min_value=1, max_value=60_000)
units = st.integers(0, UNITS - 1)

charge_op = st.tuples(st.just("charge"), units, st.integers(0, 1), cents, offsets)
bill_op = st.tuples(st.just("bill"), st.integers(0, 1), offsets)
late_op = st.tuples(st.just("late_fees"), offsets)
payment_op = st.tuples(st.just("payment"), units, cents, offsets)
batch_op = st.tuples(st.just("batch"), st.lists(st.tuples(units, cents, offsets), min_size=1, max_size=3))
void_op = st.tuples(st.just("void"), st.integers(0, 20))
reverse_document_op = st.tuples(st.just("reverse_document"), st.integers(0, 20), offsets)
manual_op = st.tuples(
    st.just("manual"),
    st.sampled_from(["expense", "receivable_with_unit", "receivable", "prepaid_with_unit"]),
    cents,
    offsets,
    st.one_of(st.none(), offsets),  # reversal date, if reversed
)
operations = st.lists(
    st.one_of(charge_op, bill_op, late_op, payment_op, batch_op, void_op, reverse_document_op, manual_op),
    min_size=1,
    max_size=10,
)


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def is_duplicate_charge(error: HestamiError) -> bool:
    """A charge of the same type to the same unit on the same due date may be refused (billed once)."""
    return isinstance(error.details, dict) and error.details.get("reason") == "DUPLICATE_CHARGE"


async def manual_entry(tenant: Tenant, world: World, op: tuple) -> None:
    _, kind, amount, offset, reversed_on = op
    unit = world.units[0] if kind.endswith("with_unit") else None
    debit = {"expense": EXPENSE, "receivable_with_unit": AR, "receivable": AR, "prepaid_with_unit": PREPAID}[kind]
    credit = CASH if kind == "expense" else INCOME
    entry = CreateJournalEntry(
        association_id=world.association_id,
        entry_date=day(offset),
        memo="Manual",
        submit=True,
        lines=[
            LineIn(gl_account_id=world.chart[debit], debit=money(amount), unit_id=unit),
            LineIn(gl_account_id=world.chart[credit], credit=money(amount)),
        ],
    )
    if kind != "expense":
        with pytest.raises(HestamiError) as refused:
            await run(tenant, lambda ctx: journal.create(ctx, entry))
        assert refused.value.details["reason"] == "SUBLEDGER_CONTROL_ACCOUNT", refused.value.details
        return
    created = await run(tenant, lambda ctx: journal.create(ctx, entry))
    await run(tenant, lambda ctx: journal.post(ctx, created.id))
    world.dates.add(day(offset))
    if reversed_on is not None:
        reversal = ReverseJournalEntry(id=created.id, entry_date=day(reversed_on))
        await run(tenant, lambda ctx: journal.reverse(ctx, reversal))
        world.dates.add(day(reversed_on))


async def apply(tenant: Tenant, world: World, op: tuple) -> None:
    kind = op[0]
    world.log.append(repr(op))
    if kind == "charge":
        _, unit, type_index, amount, offset = op
        charge = CreateCharge(
            assessment_type_id=world.types[type_index],
            unit_id=world.units[unit],
            due_date=day(offset),
            amount=money(amount),
        )
        try:
            world.documents.append(
                (await run(tenant, lambda ctx: receivables.create_charge(ctx, charge))).journal_entry_id
            )
        except HestamiError as error:
            if not is_duplicate_charge(error):
                raise
        world.dates.add(day(offset))
    elif kind == "bill":
        _, type_index, offset = op
        month = BillPeriod(assessment_type_id=world.types[type_index], due_date=day(offset))
        try:
            await run(tenant, lambda ctx: billing.bill_period(ctx, month))
        except HestamiError as error:
            if not is_duplicate_charge(error):
                raise
        world.dates.add(day(offset))
    elif kind == "late_fees":
        fees = ApplyLateFees(association_id=world.association_id, as_of=day(op[1]))
        await run(tenant, lambda ctx: receivables.apply_late_fees(ctx, fees))
        world.dates.add(day(op[1]))
    elif kind == "payment":
        _, unit, amount, offset = op
        paid = CreatePayment(
            association_id=world.association_id,
            unit_id=world.units[unit],
            amount=money(amount),
            payment_date=day(offset),
            method="CHECK",
        )
        made = await run(tenant, lambda ctx: receivables.create_payment(ctx, paid))
        world.payments.append(made.id)
        world.documents.append(made.journal_entry_id)
        world.dates.add(day(offset))
    elif kind == "batch":
        lines = [
            PaymentLine(unit_id=world.units[u], amount=money(a), payment_date=day(o), method="ACH") for u, a, o in op[1]
        ]
        batch = CreatePaymentBatch(association_id=world.association_id, payments=lines)
        world.payments += (await run(tenant, lambda ctx: receivables.create_payment_batch(ctx, batch))).payment_ids
        world.dates.update(line.payment_date for line in lines)
    elif kind == "void":
        live = [p for p in world.payments if p not in world.voided]
        if live:
            target = live[op[1] % len(live)]
            await run(tenant, lambda ctx: receivables.void_payment(ctx, VoidPayment(id=target, reason="Returned")))
            world.voided.add(target)
            world.dates.add(TODAY)
    elif kind == "reverse_document" and world.documents:
        reversal = ReverseJournalEntry(id=world.documents[op[1] % len(world.documents)], entry_date=day(op[2]))
        with pytest.raises(HestamiError) as refused:  # corrected through the document (a void), not the ledger
            await run(tenant, lambda ctx: journal.reverse(ctx, reversal))
        assert refused.value.details["reason"] == "SOURCE_DOCUMENT_ENTRY", refused.value.details
    elif kind == "manual":
        await manual_entry(tenant, world, op)


# --- the tie-out ------------------------------------------------------------------------------------------


async def ledger_by_unit(ctx: RequestContext, world: World, as_of: date) -> dict[uuid.UUID, Decimal]:
    """Each unit's net debit on the receivable and prepaid control accounts on `as_of`, straight from the lines."""
    rows = await ctx.session.execute(
        text(
            """SELECT l.unit_id, sum(l.debit - l.credit)
               FROM journal_entry_lines l JOIN journal_entries e ON e.id = l.journal_entry_id
               JOIN gl_accounts g ON g.id = l.gl_account_id
               WHERE e.association_id = :a AND e.status IN ('POSTED', 'REVERSED') AND e.entry_date <= :d
                 AND g.role IN ('AR', 'PREPAID')
               GROUP BY l.unit_id"""
        ),
        {"a": world.association_id, "d": as_of},
    )
    return {unit_id: Decimal(net) for unit_id, net in rows.all()}


async def tie_out(ctx: RequestContext, world: World, as_of: date) -> None:
    trial = await reports.trial_balance(ctx, TrialBalanceIn(association_id=world.association_id, as_of=as_of))
    nets = {line.account_number: line.debit - line.credit for line in trial.lines}
    ar, prepaid = nets.get(AR, ZERO), nets.get(PREPAID, ZERO)
    aging = await reports.ar_aging(ctx, ArAgingIn(association_id=world.association_id, as_of=as_of))
    aged = aging.totals.total if aging.totals else ZERO
    balances = [await receivables.unit_balance(ctx, UnitBalanceIn(unit_id=u, as_of=as_of)) for u in world.units]
    where = f"as of {as_of} (today {TODAY}) after {world.log}"
    assert aged == ar, f"aging {aged} but AR control {ar} {where}"
    assert sum((b.charges_open for b in balances), ZERO) == ar, f"unit charges vs AR control {ar} {where}"
    assert sum((b.unapplied_credit for b in balances), ZERO) == -prepaid, f"credit vs prepaid {prepaid} {where}"
    assert sum((b.balance for b in balances), ZERO) == ar + prepaid, where
    by_unit = await ledger_by_unit(ctx, world, as_of)
    assert set(by_unit) <= set(world.units), f"control-account lines without a unit {by_unit} {where}"
    for balance in balances:
        assert balance.balance == by_unit.get(balance.unit_id, ZERO), f"unit {balance.unit_id} {where}"
    assert all(b.unapplied_credit >= 0 for b in balances), (balances, where)
    charges = await repository.open_charges_as_of(ctx.session, as_of, association_id=world.association_id)
    assert all(balance > 0 for _, _, balance in charges), f"a charge paid more than once {charges} {where}"


def as_of_dates(world: World) -> list[date]:
    """Before the books start, each date something happened and the day before it, today, after the last."""
    known = world.dates | {TODAY}
    around = {d - timedelta(days=1) for d in known} | known | {max(known) + timedelta(days=400)}
    return sorted(around)


async def check(tenant: Tenant, world: World) -> None:
    async def inspect(ctx: RequestContext) -> None:
        first = min(as_of_dates(world))
        before = await receivables.unit_balance(ctx, UnitBalanceIn(unit_id=world.units[0], as_of=first))
        assert before.balance == before.charges_open == ZERO
        for as_of in as_of_dates(world):
            await tie_out(ctx, world, as_of)

    await run(tenant, inspect)


async def replay(tenant: Tenant, ops: list[tuple]) -> None:
    world = await build_world(tenant)
    for op in ops:
        try:
            await apply(tenant, world, op)
        except Exception as error:
            raise AssertionError(f"{op} failed after {world.log[:-1]}: {error!r}") from error
    await check(tenant, world)


EXAMPLES = database_examples(20)


@EXAMPLES
@given(ops=operations)
async def test_the_subledger_equals_the_control_accounts_on_every_date(tenant: Tenant, ops: list[tuple]) -> None:
    await replay(tenant, ops)


async def test_a_busy_dated_scenario_ties_out_on_every_date(tenant: Tenant) -> None:
    """Billing ahead, post-dated payments and batches, credit used by charges falling due later, late fees,
    voids of used and of post-dated payments, refused and reversed manual entries."""
    await replay(
        tenant,
        [
            ("charge", 0, 0, 25_000, -100),
            ("bill", 1, -60),
            ("payment", 0, 50_000, -90),  # overpays: credit used by the charges that fall due later
            ("bill", 0, 30),  # billed ahead
            ("payment", 1, 10_000, 20),  # post-dated
            ("late_fees", -30),
            ("batch", [(2, 5_000, -10), (1, 2_000, 45), (2, 100, 0)]),
            ("charge", 2, 1, 4_000, 60),
            ("void", 0),  # the overpayment whose credit was used, also by a charge not yet due
            ("void", 0),  # the post-dated payment, voided before its date
            ("manual", "receivable_with_unit", 1_000, -5, None),
            ("manual", "prepaid_with_unit", 1_000, -5, None),
            ("manual", "expense", 3_000, -20, -2),
            ("reverse_document", 0, -1),
            ("reverse_document", 1, 5),
            ("payment", 2, 70_000, 10),
            ("late_fees", 80),
        ],
    )


# --- each instance the issue names ------------------------------------------------------------------------


@pytest.fixture
async def hoa(tenant: Tenant) -> Books:
    return await books(tenant.client, tenant.admin, str(tenant.org))


async def aging_total(hoa: Books, as_of: date) -> Decimal:
    report = await hoa.ok("accounting/report/v1/arAging", {"association_id": hoa.association_id, "as_of": str(as_of)})
    assert report["as_of"] == str(as_of)
    return Decimal(report["totals"]["total"]) if report["totals"] else ZERO


async def balance_on(hoa: Books, unit_id: str, as_of: date) -> dict:
    return await hoa.ok("accounting/assessment/v1/getUnitBalance", {"unit_id": unit_id, "as_of": str(as_of)})


async def control(hoa: Books, as_of: date, number: str = AR) -> Decimal:
    return trial_line(await hoa.trial(as_of=str(as_of)), number)


async def test_aging_and_unit_balance_honour_as_of(hoa: Books) -> None:
    """Charges due later and payments made later do not count; before the books start everything is zero."""
    dues = await hoa.dues()
    unit = await hoa.unit()
    await hoa.charge(dues["id"], unit["id"], "2026-01-01", "100.00")
    await hoa.charge(dues["id"], unit["id"], "2026-03-01", "200.00")
    await hoa.pay(unit["id"], "60.00", on="2026-02-01")
    expected = {
        date(2025, 12, 31): ("0.00", "0.00", 0, None),
        date(2026, 1, 15): ("100.00", "100.00", 1, "2026-01-01"),
        date(2026, 2, 15): ("40.00", "40.00", 1, "2026-01-01"),
        date(2026, 3, 15): ("240.00", "240.00", 2, "2026-01-01"),
    }
    for as_of, (owed, open_total, count, oldest) in expected.items():
        balance = await balance_on(hoa, unit["id"], as_of)
        got = (balance["balance"], balance["charges_open"], balance["open_charges"], balance["oldest_open_due_date"])
        assert got == (owed, open_total, count, oldest), as_of
        assert balance["as_of"] == str(as_of)
        assert await aging_total(hoa, as_of) == Decimal(open_total) == await control(hoa, as_of), as_of
    report = await hoa.ok("accounting/report/v1/arAging", {"association_id": hoa.association_id, "as_of": "2026-04-15"})
    (row,) = report["rows"]
    assert (row["current"], row["days_31_60"], row["days_over_90"], row["total"]) == (
        "0.00",
        "200.00",
        "40.00",
        "240.00",
    )


async def test_a_manual_entry_on_the_receivable_control_accounts_is_refused(hoa: Books) -> None:
    """With a unit or without, to Assessments Receivable or Prepaid Assessments, as a draft or submitted: the
    entry is refused with its reason and nothing is written; entries elsewhere still post."""
    unit = await hoa.unit()
    before = await hoa.ok("accounting/journalEntry/v1/list", {"association_id": hoa.association_id})
    for number, unit_id, submit in ((AR, unit["id"], True), (AR, None, False), (PREPAID, unit["id"], False)):
        body = {
            "association_id": hoa.association_id,
            "entry_date": "2026-02-01",
            "memo": "Adjust a unit by hand",
            "submit": submit,
            "lines": [
                {"gl_account_id": hoa.account_id(number), "debit": "75.00", "unit_id": unit_id},
                {"gl_account_id": hoa.account_id(INCOME), "credit": "75.00"},
            ],
        }
        error = await hoa.fails(
            "accounting/journalEntry/v1/create", body, 422, "BUSINESS_RULE_VIOLATION", "SUBLEDGER_CONTROL_ACCOUNT"
        )
        assert (error["details"]["line"], error["details"]["account_number"]) == (1, number)
    after = await hoa.ok("accounting/journalEntry/v1/list", {"association_id": hoa.association_id})
    assert after["items"] == before["items"]
    assert (await hoa.balance(unit["id"]))["balance"] == "0.00"
    assert await control(hoa, TODAY) == ZERO == await control(hoa, TODAY, PREPAID)
    elsewhere = {
        "association_id": hoa.association_id,
        "entry_date": "2026-02-01",
        "memo": "Landscaping paid by hand",
        "submit": True,
        "lines": [
            {"gl_account_id": hoa.account_id(EXPENSE), "debit": "75.00", "unit_id": unit["id"]},
            {"gl_account_id": hoa.account_id(CASH), "credit": "75.00"},
        ],
    }
    created = await hoa.ok("accounting/journalEntry/v1/create", elsewhere)
    assert (await hoa.ok("accounting/journalEntry/v1/post", {"id": created["id"]}))["status"] == "POSTED"


async def test_a_post_dated_payment_counts_from_its_date(hoa: Books) -> None:
    """Today the charge is still owed (aging, balance and ledger agree); from the payment's date it is paid."""
    dues = await hoa.dues()
    unit = await hoa.unit()
    await hoa.charge(dues["id"], unit["id"], str(TODAY - timedelta(days=40)), "100.00")
    paid_on = TODAY + timedelta(days=30)
    payment = await hoa.pay(unit["id"], "130.00", on=str(paid_on))
    assert payment["unapplied_amount"] == "30.00"
    today = await hoa.balance(unit["id"])
    assert (today["balance"], today["unapplied_credit"]) == ("100.00", "0.00")
    assert await aging_total(hoa, TODAY) == Decimal("100.00") == await control(hoa, TODAY)
    assert await control(hoa, TODAY, PREPAID) == ZERO
    later = await balance_on(hoa, unit["id"], paid_on)
    assert (later["balance"], later["charges_open"], later["unapplied_credit"]) == ("-30.00", "0.00", "30.00")
    assert await aging_total(hoa, paid_on) == ZERO == await control(hoa, paid_on)
    assert await control(hoa, paid_on, PREPAID) == Decimal("-30.00")

    await hoa.ok("accounting/payment/v1/void", {"id": payment["id"], "reason": "Stopped"})
    for as_of in (TODAY, paid_on, paid_on + timedelta(days=1)):  # voided on its own date: it never counts
        balance = await balance_on(hoa, unit["id"], as_of)
        assert (balance["balance"], balance["unapplied_credit"]) == ("100.00", "0.00"), as_of
        assert await aging_total(hoa, as_of) == Decimal("100.00") == await control(hoa, as_of), as_of
        assert await control(hoa, as_of, CASH) == ZERO


async def test_credit_pays_a_charge_billed_ahead_on_its_due_date(hoa: Books) -> None:
    """Money received before a charge falls due is credit until that date, then pays it."""
    dues = await hoa.dues()
    unit = await hoa.unit()
    await hoa.pay(unit["id"], "100.00", on=str(TODAY - timedelta(days=10)))
    due = TODAY + timedelta(days=20)
    charge = await hoa.charge(dues["id"], unit["id"], str(due), "80.00")
    assert charge["balance"] == "0.00"
    today = await hoa.balance(unit["id"])
    assert (today["balance"], today["charges_open"], today["unapplied_credit"]) == ("-100.00", "0.00", "100.00")
    assert await control(hoa, TODAY) == ZERO
    assert await control(hoa, TODAY, PREPAID) == Decimal("-100.00")
    then = await balance_on(hoa, unit["id"], due)
    assert (then["balance"], then["charges_open"], then["unapplied_credit"]) == ("-20.00", "0.00", "20.00")
    assert await control(hoa, due) == ZERO
    assert await control(hoa, due, PREPAID) == Decimal("-20.00")


async def test_a_void_leaves_earlier_dates_as_they_were(hoa: Books) -> None:
    """A payment voided today still paid its charge on the dates before; from today the charge is owed again."""
    dues = await hoa.dues()
    unit = await hoa.unit()
    await hoa.charge(dues["id"], unit["id"], str(TODAY - timedelta(days=60)), "100.00")
    payment = await hoa.pay(unit["id"], "100.00", on=str(TODAY - timedelta(days=50)))
    await hoa.ok("accounting/payment/v1/void", {"id": payment["id"], "reason": "NSF"})
    yesterday = TODAY - timedelta(days=1)
    assert (await balance_on(hoa, unit["id"], yesterday))["balance"] == "0.00"
    assert await aging_total(hoa, yesterday) == ZERO == await control(hoa, yesterday)
    assert (await balance_on(hoa, unit["id"], TODAY))["balance"] == "100.00"
    assert await aging_total(hoa, TODAY) == Decimal("100.00") == await control(hoa, TODAY)


async def test_a_payment_dated_before_a_void_does_not_pay_the_charge_twice(hoa: Books) -> None:
    """A charge paid, its payment voided today, then paid again by a payment dated before the void: on the dates
    between, the first payment still paid it, so the second is credit until the void reopened the charge."""
    dues = await hoa.dues()
    unit = await hoa.unit()
    await hoa.charge(dues["id"], unit["id"], str(TODAY - timedelta(days=80)), "100.00")
    first = await hoa.pay(unit["id"], "100.00", on=str(TODAY - timedelta(days=70)))
    await hoa.ok("accounting/payment/v1/void", {"id": first["id"], "reason": "NSF"})
    await hoa.pay(unit["id"], "100.00", on=str(TODAY - timedelta(days=40)))
    between = TODAY - timedelta(days=30)
    balance = await balance_on(hoa, unit["id"], between)
    assert (balance["charges_open"], balance["unapplied_credit"]) == ("0.00", "100.00")
    assert await aging_total(hoa, between) == ZERO == await control(hoa, between)
    assert await control(hoa, between, PREPAID) == Decimal("-100.00")
    today = await hoa.balance(unit["id"])
    assert (today["charges_open"], today["unapplied_credit"]) == ("0.00", "0.00")
