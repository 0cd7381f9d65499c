"""Property-based ledger invariants (the issue's requirement): any sequence of charges, payments, voids,
reversals, AP approvals and late-fee runs leaves every posted entry balanced (in total and per fund), the
trial balance balanced, the AR subledger equal to the AR control account and the unapplied credit equal to
the prepaid-assessments control account.

Hypothesis drives the services directly (not HTTP) for speed; every operation runs in its own scoped
transaction with an ADMIN context, as a request would. Each example gets a fresh association."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestami.cam.accounting.errors import AccountingError, AccountingReason
from hestami.cam.accounting.schemas import (
    ApplyLateFees,
    BalanceSheetIn,
    CreateAssessmentType,
    CreateCharge,
    CreateInvoice,
    CreateJournalEntry,
    CreatePayment,
    CreateVendor,
    InvoiceLineIn,
    LineIn,
    PayInvoice,
    ReverseJournalEntry,
    TrialBalanceIn,
    VoidInvoice,
    VoidPayment,
)
from hestami.cam.accounting.services import chart_of_accounts, journal, payables, receivables, reports
from hestami.cam.association.schemas import AddressIn, CreateAssociation, CreateProperty, CreateUnit
from hestami.cam.association.services import associations, places
from hestami.core import runtime
from hestami.core.acting import acting
from hestami.core.context import RequestContext
from tests.cam.accounting.helpers import database_examples, ledger_violations, suffix
from tests.support.accounts import Account, account, organization

T = TypeVar("T")
START = date(2026, 1, 1)
CENT = Decimal("0.01")
UNITS = 3


@dataclass
class Tenant:
    admin: Account
    org: uuid.UUID


@pytest.fixture(scope="module")
async def tenant(shared_client: httpx.AsyncClient) -> Tenant:
    admin = await account(shared_client)
    created = await organization(shared_client, admin, f"Invariant HOA {suffix()}")
    return Tenant(admin, uuid.UUID(created["id"]))


def scoped(tenant: Tenant) -> AbstractAsyncContextManager[RequestContext]:
    """One transaction with an ADMIN context, the way a request runs a procedure."""
    return acting(
        runtime.current(),
        procedure="test-invariants",
        organization_id=tenant.org,
        user_id=tenant.admin.user_id,
        email=tenant.admin.email,
        roles=frozenset({"ADMIN"}),
    )


async def run(tenant: Tenant, step: Callable[[RequestContext], Awaitable[T]]) -> T:
    async with scoped(tenant) as ctx:
        return await step(ctx)


@dataclass
class World:
    """What one example has built so far."""

    association_id: uuid.UUID
    units: list[uuid.UUID]
    types: list[uuid.UUID]  # operating dues (fixed late fee), reserve contribution, special (percent via association)
    chart: dict[str, uuid.UUID]
    vendor_id: uuid.UUID
    payments: list[uuid.UUID] = field(default_factory=list)
    assessed: set[tuple[int, int, int]] = field(default_factory=set)  # (unit, type, day) charged
    voided: set[uuid.UUID] = field(default_factory=set)
    invoices: int = 0
    log: list[str] = field(default_factory=list)


async def build_world(tenant: Tenant) -> World:
    async def make(ctx: RequestContext) -> World:
        association = await associations.create(
            ctx,
            CreateAssociation(
                name=f"Property HOA {suffix()}",
                late_fee_type="PERCENT",
                late_fee_percent=Decimal("5"),
                late_fee_grace_days=10,
            ),
        )
        await chart_of_accounts.seed_standard_chart(ctx, association.id)
        prop = await places.create_property(
            ctx,
            CreateProperty(
                association_id=association.id,
                name="Invariant Acres",
                address=AddressIn(line1="1 Main", city="Austin", state="TX", postal_code="78701"),
            ),
        )
        units = [
            (await places.create_unit(ctx, CreateUnit(property_id=prop.id, unit_number=str(n), unit_type="CONDO"))).id
            for n in range(1, UNITS + 1)
        ]
        listed = await chart_of_accounts.list_(ctx, _gl_list(association.id))
        chart = {a.account_number: a.id for a in listed.items}
        base = {"association_id": association.id, "frequency": "MONTHLY"}
        types = [
            await receivables.create_type(
                ctx,
                CreateAssessmentType(
                    **base,
                    name="Dues",
                    amount=Decimal("250.00"),
                    late_fee_type="FIXED",
                    late_fee_amount=Decimal("25.00"),
                    late_fee_grace_days=5,
                ),
            ),
            await receivables.create_type(
                ctx,
                CreateAssessmentType(**base, name="Reserve", amount=Decimal("40.00"), revenue_account_id=chart["4200"]),
            ),
            await receivables.create_type(
                ctx, CreateAssessmentType(**base, name="Special", kind="SPECIAL", amount=Decimal("500.00"))
            ),
        ]
        vendor = await payables.create_vendor(ctx, CreateVendor(name=f"Vendor {suffix()}", w9_on_file=True))
        return World(association.id, units, [t.id for t in types], chart, vendor.id)

    return await run(tenant, make)


def _gl_list(association_id: uuid.UUID) -> Any:
    from hestami.cam.accounting.schemas import ListGLAccounts

    return ListGLAccounts(association_id=association_id, limit=200)


def money(cents: int) -> Decimal:
    return (Decimal(cents) * CENT).quantize(CENT)


# --- operations -------------------------------------------------------------------------------------------

days = st.integers(min_value=0, max_value=180)
cents = st.integers(min_value=1, max_value=200_000)

charge_op = st.tuples(st.just("charge"), st.integers(0, UNITS - 1), st.integers(0, 2), cents, days)
payment_op = st.tuples(st.just("payment"), st.integers(0, UNITS - 1), cents, days)
void_op = st.tuples(st.just("void"), st.integers(0, 50))
manual_op = st.tuples(st.just("manual"), st.sampled_from(["OPERATING", "RESERVE"]), cents, days, st.booleans())
ap_op = st.tuples(st.just("ap"), cents, cents, st.sampled_from(["approve", "pay", "void"]), days)
late_op = st.tuples(st.just("late_fees"), days)
operations = st.lists(st.one_of(charge_op, payment_op, void_op, manual_op, ap_op, late_op), min_size=1, max_size=12)


async def apply(tenant: Tenant, world: World, op: tuple) -> None:
    kind = op[0]
    world.log.append(repr(op))
    if kind == "charge":
        _, unit, type_index, amount, offset = op
        data = CreateCharge(
            assessment_type_id=world.types[type_index],
            unit_id=world.units[unit],
            due_date=START + timedelta(days=offset),
            amount=money(amount),
        )
        if (unit, type_index, offset) in world.assessed:  # an assessment is charged once per unit, type and date
            with pytest.raises(AccountingError) as refused:
                await run(tenant, lambda ctx: receivables.create_charge(ctx, data))
            assert refused.value.details["reason"] == AccountingReason.DUPLICATE_CHARGE
            return
        await run(tenant, lambda ctx: receivables.create_charge(ctx, data))
        world.assessed.add((unit, type_index, offset))
    elif kind == "payment":
        _, unit, amount, offset = op
        paid = CreatePayment(
            association_id=world.association_id,
            unit_id=world.units[unit],
            amount=money(amount),
            payment_date=START + timedelta(days=offset),
            method="CHECK",
        )
        made = await run(tenant, lambda ctx: receivables.create_payment(ctx, paid))
        world.payments.append(made.id)
    elif kind == "void":
        live = [p for p in world.payments if p not in world.voided]
        if not live:
            return
        target = live[op[1] % len(live)]
        await run(tenant, lambda ctx: receivables.void_payment(ctx, VoidPayment(id=target, reason="Returned")))
        world.voided.add(target)
    elif kind == "manual":
        _, fund, amount, offset, reverse = op
        expense, cash = ("5300", "1010") if fund == "OPERATING" else ("7300", "1110")
        entry = CreateJournalEntry(
            association_id=world.association_id,
            entry_date=START + timedelta(days=offset),
            memo="Manual",
            submit=True,
            lines=[
                LineIn(gl_account_id=world.chart[expense], debit=money(amount)),
                LineIn(gl_account_id=world.chart[cash], credit=money(amount)),
            ],
        )
        created = await run(tenant, lambda ctx: journal.create(ctx, entry))
        await run(tenant, lambda ctx: journal.post(ctx, created.id))
        if reverse:
            await run(tenant, lambda ctx: journal.reverse(ctx, ReverseJournalEntry(id=created.id)))
    elif kind == "ap":
        _, reserve, operating, then, offset = op
        world.invoices += 1
        invoice = CreateInvoice(
            association_id=world.association_id,
            vendor_id=world.vendor_id,
            invoice_number=f"INV-{world.invoices}",
            invoice_date=START + timedelta(days=offset),
            amount=money(reserve + operating),
            lines=[
                InvoiceLineIn(gl_account_id=world.chart["7100"], description="Roof", amount=money(reserve)),
                InvoiceLineIn(gl_account_id=world.chart["5400"], description="Repairs", amount=money(operating)),
            ],
        )
        created_invoice = await run(tenant, lambda ctx: payables.create_invoice(ctx, invoice))
        await run(tenant, lambda ctx: payables.approve_invoice(ctx, created_invoice.id))
        if then == "pay":
            paying = PayInvoice(id=created_invoice.id, paid_on=START + timedelta(days=offset + 10))
            await run(tenant, lambda ctx: payables.pay_invoice(ctx, paying))
        elif then == "void":
            voiding = VoidInvoice(id=created_invoice.id, reason="Wrong vendor")
            await run(tenant, lambda ctx: payables.void_invoice(ctx, voiding))
    elif kind == "late_fees":
        fees = ApplyLateFees(association_id=world.association_id, as_of=START + timedelta(days=op[1]))
        await run(tenant, lambda ctx: receivables.apply_late_fees(ctx, fees))


async def check(tenant: Tenant, world: World) -> None:
    """The SQL invariants (per entry and fund, trial balance, AR and prepaid controls), then the reports."""

    async def inspect(ctx: RequestContext) -> None:
        problems = await ledger_violations(ctx.session, world.association_id)
        assert problems == [], f"after {world.log}: {problems}"
        far = date(2100, 1, 1)
        trial = await reports.trial_balance(ctx, TrialBalanceIn(association_id=world.association_id, as_of=far))
        assert trial.balanced, world.log
        sheet = await reports.balance_sheet(ctx, BalanceSheetIn(association_id=world.association_id, as_of=far))
        assert all(f.balanced for f in sheet.funds), (sheet.funds, world.log)

    await run(tenant, inspect)


EXAMPLES = database_examples(15)
receivable_operations = st.lists(st.one_of(charge_op, payment_op, void_op, manual_op, late_op), min_size=1, max_size=12)


async def replay(tenant: Tenant, ops: list[tuple]) -> None:
    world = await build_world(tenant)
    for op in ops:
        try:
            await apply(tenant, world, op)
        except Exception as error:
            raise AssertionError(f"{op} failed after {world.log[:-1]}: {error!r}") from error
    await check(tenant, world)


@EXAMPLES
@given(ops=receivable_operations)
async def test_charges_payments_voids_reversals_and_late_fees_keep_the_books(tenant: Tenant, ops: list[tuple]) -> None:
    await replay(tenant, ops)


@EXAMPLES
@given(ops=operations)
async def test_any_sequence_with_ap_invoices_keeps_the_books(tenant: Tenant, ops: list[tuple]) -> None:
    """The issue's invariant over every operation kind, AP approvals (reserve and operating lines) included."""
    await replay(tenant, ops)


RECEIVABLES_SCENARIO: list[tuple] = [
    ("charge", 0, 0, 25_000, 0),
    ("charge", 0, 1, 4_000, 0),
    ("payment", 0, 50_000, 3),  # overpays: 210.00 of credit
    ("charge", 0, 2, 12_345, 30),  # consumes the credit
    ("late_fees", 60),
    ("payment", 1, 100, 5),
    ("charge", 1, 0, 25_000, 10),  # uses unit 2's 1.00 of credit
    ("void", 0),  # voids the overpayment whose credit was used
    ("manual", "RESERVE", 9_999, 20, True),
    ("manual", "OPERATING", 1_234, 21, False),
    ("late_fees", 120),
    ("void", 0),
    ("payment", 2, 1, 1),
    ("void", 1),  # a payment that was pure credit
]


async def test_a_busy_receivables_scenario_keeps_the_books(tenant: Tenant) -> None:
    """Overpayments, credit used by later charges, voids of used credit, late fees and reversals."""
    await replay(tenant, RECEIVABLES_SCENARIO)


async def test_a_busy_scenario_with_ap_invoices_keeps_the_books(tenant: Tenant) -> None:
    """The same with invoices approved (reserve and operating lines), paid and voided."""
    ops = [
        *RECEIVABLES_SCENARIO[:6],
        ("ap", 70_000, 3_050, "pay", 15),
        ("ap", 1_000, 1_000, "void", 16),
        ("ap", 500, 700, "approve", 17),
        *RECEIVABLES_SCENARIO[6:],
    ]
    await replay(tenant, ops)
