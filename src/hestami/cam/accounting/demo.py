"""Demo books: a year of assessments, payments, late fees, vendors and invoices for the three demo associations.

Runs after the association seeder, as the demo ADMIN of each organization, through domain 2's services so every
posting goes through the ledger's rules (balanced in total and per fund), Cerbos and the audit trail. Each
association loads in one transaction; one that already has an assessment type is skipped whole, so `hestami dev`
can run this on every start and a failed run leaves nothing half loaded.

Most units pay each month a few days after the due date; a few stop paying (so the receivables aging fills every
bucket), skip months and catch up, pay after the late-fee run, pay two months at once, or bounce a check.
"""

from __future__ import annotations

import time
import uuid
from datetime import date, timedelta
from decimal import Decimal

from hestami.cam.accounting.demo_data import (
    BOOKS,
    LATE_FEE_RUN,
    LATE_PAYMENT,
    MONTHS,
    VENDORS,
    Bill,
    Books,
)
from hestami.cam.accounting.schemas import (
    ApplyLateFees,
    BillPeriod,
    ByAssociation,
    CreateAssessmentType,
    CreateBankAccount,
    CreateInvoice,
    CreateJournalEntry,
    CreatePayment,
    CreatePaymentBatch,
    CreateVendor,
    InvoiceLineIn,
    LineIn,
    ListGLAccounts,
    ListVendors,
    PayInvoice,
    PaymentLine,
    PaymentMethod,
    TrialBalanceIn,
    TrialBalanceOut,
    UnitBalanceIn,
    UpdateBankBalance,
    VoidInvoice,
    VoidPayment,
)
from hestami.cam.accounting.services import banking, billing, chart_of_accounts, journal, payables, receivables, reports
from hestami.cam.association import api as association_api
from hestami.cam.association.api import UnitRef
from hestami.core.acting import acting
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity import demo as identity
from hestami.identity.demo import email_of

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ADMIN = frozenset({"ADMIN"})


def _month(today: date, months_ago: int) -> date:
    """The first of the month `months_ago` months before today's."""
    index = today.year * 12 + today.month - 1 - months_ago
    return date(index // 12, index % 12 + 1, 1)


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _unit_key(unit: UnitRef) -> tuple[int, str]:
    return (int(unit.unit_number), "") if unit.unit_number.isdigit() else (0, unit.unit_number)


class _Bookkeeper:
    """Keeps one association's books for a year, inside one scoped transaction, counting what it posts."""

    def __init__(
        self,
        ctx: RequestContext,
        books: Books,
        association_id: uuid.UUID,
        units: list[UnitRef],
        orgs: dict[str, uuid.UUID],
        today: date,
    ) -> None:
        self.ctx = ctx
        self.books = books
        self.association_id = association_id
        self.units = units
        self.orgs = orgs
        self.today = today
        self.accounts: dict[str, uuid.UUID] = {}
        self.banks: dict[str, uuid.UUID] = {}
        self.types: dict[str, uuid.UUID] = {}
        self.vendors: dict[str, uuid.UUID] = {}
        self.dues: dict[str, Decimal] = {}
        self.reserve: dict[str, Decimal] = {}
        self.returned: uuid.UUID | None = None
        self.charges = 0
        self.payments = 0
        self.late_fees = 0
        self.timings: dict[str, float] = {}

    # --- setup -----------------------------------------------------------------------------------------------

    async def setup(self) -> None:
        ctx, books, association = self.ctx, self.books, self.association_id
        await chart_of_accounts.seed_standard_chart(ctx, association)
        chart = await chart_of_accounts.list_(ctx, ListGLAccounts(association_id=association, limit=200))
        self.accounts = {a.account_number: a.id for a in chart.items}
        for fund, number, name, last4 in (
            ("OPERATING", "1010", "Operating Checking", books.last4[0]),
            ("RESERVE", "1110", "Reserve Savings", books.last4[1]),
        ):
            data = CreateBankAccount(
                association_id=association,
                gl_account_id=self.accounts[number],
                name=name,
                bank_name=books.bank,
                account_last4=last4,
                is_primary=True,
            )
            self.banks[fund] = (await banking.create(ctx, data)).id
        typical = len(self.units) or 1  # by share, the types show an average unit's amount
        dues_amount = (books.dues / typical).quantize(CENT) if books.by_share else books.dues
        reserve_amount = (books.reserve / typical).quantize(CENT) if books.by_share else books.reserve
        fee_type, fee = books.late_fee
        fixed = fee if fee_type == "FIXED" else None
        percent = fee if fee_type == "PERCENT" else None
        dues = CreateAssessmentType(
            association_id=association,
            name="Monthly Dues",
            kind="REGULAR",
            frequency="MONTHLY",
            amount=dues_amount,
            late_fee_type=fee_type,
            late_fee_amount=fixed,
            late_fee_percent=percent,
            late_fee_grace_days=15,
        )
        # One late fee a late month: a percent fee covers the whole installment; a fixed one is charged on the
        # dues only (FIXED $0.00 here, since NONE would fall back to the association's default fee).
        reserve = CreateAssessmentType(
            association_id=association,
            name="Reserve Contribution",
            kind="REGULAR",
            frequency="MONTHLY",
            amount=reserve_amount,
            revenue_account_id=self.accounts["4200"],
            late_fee_type=fee_type,
            late_fee_amount=ZERO if fixed is not None else None,
            late_fee_percent=percent,
            late_fee_grace_days=15,
        )
        self.types["dues"] = (await receivables.create_type(ctx, dues)).id
        self.types["reserve"] = (await receivables.create_type(ctx, reserve)).id
        if books.special is not None:
            special = CreateAssessmentType(
                association_id=association,
                name=books.special.name,
                kind="SPECIAL",
                frequency="ONE_TIME",
                amount=books.special.amount,
            )
            self.types["special"] = (await receivables.create_type(ctx, special)).id
        for unit in self.units:
            share = unit.assessment_share or Decimal(1) / len(self.units)
            self.dues[unit.unit_number] = receivables.cents(books.dues * share) if books.by_share else books.dues
            self.reserve[unit.unit_number] = (
                receivables.cents(books.reserve * share) if books.by_share else books.reserve
            )
        operating, reserve_cash = books.opening
        await self.journal(
            _month(self.today, MONTHS - 1) - timedelta(days=1),
            "Opening balances carried forward from the prior management company's books",
            [
                ("1010", operating, ZERO),
                ("3000", ZERO, operating),
                ("1110", reserve_cash, ZERO),
                ("3100", ZERO, reserve_cash),
            ],
        )
        await self.ensure_vendors()

    async def ensure_vendors(self) -> None:
        """Vendors belong to the organization: the first of its associations adds them, the next reuse them."""
        existing = await payables.list_vendors(self.ctx, ListVendors(limit=200, include_inactive=True))
        by_name = {v.name: v.id for v in existing.items}
        for spec in VENDORS[self.books.slug]:
            if spec.name in by_name:
                self.vendors[spec.role] = by_name[spec.name]
                continue
            data = CreateVendor(
                name=spec.name,
                contact_name=spec.contact,
                email=spec.email,
                phone=spec.phone,
                address=spec.address,
                tax_id=spec.tax_id,
                w9_on_file=spec.w9,
                is_1099_eligible=spec.is_1099,
                service_provider_org_id=self.orgs.get(spec.provider) if spec.provider else None,
            )
            self.vendors[spec.role] = (await payables.create_vendor(self.ctx, data)).id

    async def journal(self, on: date, memo: str, lines: list[tuple[str, Decimal, Decimal]]) -> None:
        """A manual entry, submitted and posted."""
        data = CreateJournalEntry(
            association_id=self.association_id,
            entry_date=on,
            memo=memo,
            lines=[LineIn(gl_account_id=self.accounts[n], debit=dr, credit=cr) for n, dr, cr in lines],
            submit=True,
        )
        entry = await journal.create(self.ctx, data)
        await journal.post(self.ctx, entry.id)

    # --- receivables -----------------------------------------------------------------------------------------

    def method(self, index: int, unit: UnitRef) -> PaymentMethod:
        if unit.unit_number == self.books.returned_check:
            return "CHECK"
        slot = index % 10
        return "ACH" if slot < 5 else "CHECK" if slot < 8 else "LOCKBOX"

    def payment_line(self, index: int, unit: UnitRef, on: date, amount: Decimal, month: int) -> PaymentLine:
        method = self.method(index, unit)
        if method == "ACH":
            reference = f"ACH {on:%Y%m%d}-{self.books.code}{unit.unit_number}"
        elif method == "CHECK":
            reference = f"Check #{1100 + index * 40 + month}"
        else:
            reference = f"Lockbox batch {on:%m%d}-{index + 1:03d}"
        return PaymentLine(unit_id=unit.id, amount=amount, payment_date=on, method=method, reference=reference)

    async def pay(self, index: int, unit: UnitRef, on: date, amount: Decimal, month: int) -> uuid.UUID:
        line = self.payment_line(index, unit, on, amount, month)
        data = CreatePayment(association_id=self.association_id, **line.model_dump())
        self.payments += 1
        return (await receivables.create_payment(self.ctx, data)).id

    async def balance(self, unit: UnitRef) -> Decimal:
        return (await receivables.unit_balance(self.ctx, UnitBalanceIn(unit_id=unit.id))).balance

    def on_time_amount(self, unit: UnitRef, ago: int) -> Decimal | None:
        """What the unit pays a few days after this month's due date; None when it does not pay then."""
        books, number = self.books, unit.unit_number
        if books.stopped.get(number, 0) > ago or number in books.late:
            return None
        if number in books.skipped and ago in books.skipped[number][0]:
            return None
        if books.overpaid.get(number) == ago + 1:  # last month's double payment covers this month
            return ZERO
        amount = self.dues[number] + self.reserve[number]
        if books.overpaid.get(number) == ago:
            amount *= 2
        special = books.special
        if special is not None:
            if ago == special.months_ago and number not in special.pay_next_month:
                amount += special.amount
            if ago == special.months_ago - 1 and number in special.pay_next_month:
                amount += special.amount
        return amount

    async def bill_month(self, kind: str, due: date, total: Decimal, description: str) -> None:
        """One period for every unit in one batch (split by assessment share where the books say so)."""
        data = BillPeriod(
            assessment_type_id=self.types[kind],
            due_date=due,
            amount=total,
            description=description,
            allocation="ASSESSMENT_SHARE" if self.books.by_share else "EQUAL",
        )
        self.charges += (await billing.bill_period(self.ctx, data)).charged

    async def month(self, ago: int) -> None:
        due = _month(self.today, ago)
        label = f"{due:%B %Y}"
        special = self.books.special
        await self.bill_month("dues", due, self.books.dues, f"Monthly dues - {label}")
        await self.bill_month("reserve", due, self.books.reserve, f"Reserve contribution - {label}")
        if special is not None and ago == special.months_ago:
            data = BillPeriod(
                assessment_type_id=self.types["special"], due_date=due, amount=special.amount, description=special.name
            )
            self.charges += (await billing.bill_period(self.ctx, data)).charged
        batch: list[PaymentLine] = []
        returned_at: int | None = None
        for index, unit in enumerate(self.units):
            on = due + timedelta(days=2 + (index * 5 + ago * 3) % 9)
            if on > self.today:
                continue
            amount = self.on_time_amount(unit, ago)
            skipped = self.books.skipped.get(unit.unit_number)
            if skipped is not None and skipped[1] == ago:
                amount = await self.balance(unit)  # catching up: everything owed, late fees included
            if amount:
                if ago == 1 and unit.unit_number == self.books.returned_check:
                    returned_at = len(batch)
                batch.append(self.payment_line(index, unit, on, amount, MONTHS - ago))
        if batch:
            recorded = await receivables.create_payment_batch(
                self.ctx, CreatePaymentBatch(association_id=self.association_id, payments=batch)
            )
            self.payments += recorded.recorded
            if returned_at is not None:
                self.returned = recorded.payment_ids[returned_at]
        run = due + timedelta(days=LATE_FEE_RUN)
        if run < self.today:
            fees = await receivables.apply_late_fees(
                self.ctx, ApplyLateFees(association_id=self.association_id, as_of=run)
            )
            self.late_fees += fees.created
        late_day = due + timedelta(days=LATE_PAYMENT)
        for index, unit in enumerate(self.units):
            if unit.unit_number in self.books.late and late_day <= self.today:
                owed = await self.balance(unit)
                if owed > ZERO:
                    await self.pay(index, unit, late_day, owed, MONTHS - ago)

    # --- payables --------------------------------------------------------------------------------------------

    async def bill(self, bill: Bill) -> None:
        ctx = self.ctx
        on = self.today - timedelta(days=bill.days_ago)
        data = CreateInvoice(
            association_id=self.association_id,
            vendor_id=self.vendors[bill.vendor],
            invoice_number=bill.number,
            invoice_date=on,
            due_date=on + timedelta(days=30),
            amount=bill.amount,
            memo=bill.description,
            lines=[
                InvoiceLineIn(
                    gl_account_id=self.accounts[bill.account], description=bill.description, amount=bill.amount
                )
            ],
            submit=bill.stage != "DRAFT",
        )
        invoice = await payables.create_invoice(ctx, data)
        if bill.stage in ("APPROVED", "PAID", "VOIDED"):
            await payables.approve_invoice(ctx, invoice.id)
        if bill.stage == "PAID":
            pay = PayInvoice(
                id=invoice.id,
                paid_on=min(on + timedelta(days=bill.paid_after), self.today),
                reference=bill.reference,
                bank_account_id=self.banks["RESERVE"] if bill.from_reserve else None,
            )
            await payables.pay_invoice(ctx, pay)
        if bill.stage == "VOIDED":
            reason = "Duplicate: the vendor billed this month's service twice."
            await payables.void_invoice(ctx, VoidInvoice(id=invoice.id, reason=reason))

    async def payables(self) -> None:
        books = self.books
        for ago in range(5, 0, -1):  # landscaping, paid each month by ACH
            end = _month(self.today, ago - 1) - timedelta(days=1)
            await self.bill(
                Bill(
                    "landscaping",
                    f"{books.code}-LS-{end:%y%m}",
                    (self.today - end).days,
                    "5300",
                    f"Grounds maintenance, {end:%B %Y}",
                    books.landscaping,
                    "PAID",
                    paid_after=10,
                    reference=f"ACH {end + timedelta(days=10):%Y%m%d}",
                )
            )
        last = _month(self.today, 0) - timedelta(days=1)
        pool = f"{books.code}-PS-{last:%y%m}"
        days = (self.today - last).days
        service = f"Pool service and chemicals, {last:%B %Y}"
        await self.bill(Bill("pool", pool, days, "5410", service, books.pool_service, "APPROVED"))
        await self.bill(Bill("pool", f"{pool}-2", days - 1, "5410", service, books.pool_service, "VOIDED"))
        for bill in books.bills:
            await self.bill(bill)

    # --- month-end close -------------------------------------------------------------------------------------

    async def close(self) -> None:
        """Accrues last month's fee, takes back the bounced check, and reconciles operating cash to last month-end."""
        books, ctx = self.books, self.ctx
        month_end = _month(self.today, 0) - timedelta(days=1)
        account, amount, memo = books.accrual
        await self.journal(month_end, f"{memo}, {month_end:%B %Y}", [(account, amount, ZERO), ("2010", ZERO, amount)])
        if self.returned is not None:
            reason = "Returned check: NSF (insufficient funds); the bank charged it back."
            await receivables.void_payment(ctx, VoidPayment(id=self.returned, reason=reason))
        trial = await self.trial_balance(month_end)
        cash = next((x.debit - x.credit for x in trial.lines if x.account_number == "1010"), ZERO)
        data = UpdateBankBalance(id=self.banks["OPERATING"], bank_balance=cash, as_of=month_end, reconciled=True)
        await banking.update_bank_balance(ctx, data)

    async def trial_balance(self, as_of: date | None = None) -> TrialBalanceOut:
        return await reports.trial_balance(self.ctx, TrialBalanceIn(association_id=self.association_id, as_of=as_of))

    # --- all of it -------------------------------------------------------------------------------------------

    async def keep(self) -> str:
        start = time.perf_counter()
        await self.setup()
        self.timings["setup"] = time.perf_counter() - start
        for ago in range(MONTHS - 1, -1, -1):
            began = time.perf_counter()
            await self.month(ago)
            self.timings[f"{_month(self.today, ago):%b}"] = time.perf_counter() - began
        began = time.perf_counter()
        await self.payables()
        await self.close()
        trial = await self.trial_balance()
        self.timings["payables+close"] = time.perf_counter() - began
        total = time.perf_counter() - start
        months = sum(t for k, t in self.timings.items() if k not in ("setup", "payables+close"))
        return (
            f"  {self.books.short} books: {self.charges} charges, {self.payments} payments, "
            f"{self.late_fees} late fees, "
            f"trial balance {_money(trial.total_debit)} = {_money(trial.total_credit)} "
            f"({total:.1f} s; 12 months {months:.1f} s)"
        )


async def _keep_books(runtime: Runtime, books: Books, orgs: dict[str, uuid.UUID], admin_id: uuid.UUID) -> str:
    org, email = orgs[books.slug], email_of("admin")
    async with acting(
        runtime, procedure="seed-demo", organization_id=org, user_id=admin_id, email=email, roles=ADMIN
    ) as ctx:
        found = await association_api.association_named(ctx, books.name)
        if found is None:
            return f"  {books.short} books: skipped, the association is missing"
        types = await receivables.list_types(ctx, ByAssociation(association_id=found.id, limit=1))
        if types.items:
            trial = await reports.trial_balance(ctx, TrialBalanceIn(association_id=found.id))
            totals = f"{_money(trial.total_debit)} = {_money(trial.total_credit)}"
            return f"  {books.short} books: already loaded, trial balance {totals}"
        units = await association_api.units_of(ctx, found.id)
        keeper = _Bookkeeper(ctx, books, found.id, sorted(units, key=_unit_key), orgs, date.today())
        return await keeper.keep()


@demo_seed("accounting", order=30)
async def seed_accounting(runtime: Runtime) -> list[str]:
    admin_id = (await identity.demo_users(runtime)).get("admin")
    if admin_id is None:
        return ["demo books: skipped, the demo admin does not exist"]
    orgs = await identity.demo_organizations(runtime, admin_id)
    lines = ["demo books:"]
    for books in BOOKS:
        if books.slug not in orgs:
            lines.append(f"  {books.short} books: skipped, organization {books.slug} is missing")
            continue
        lines.append(await _keep_books(runtime, books, orgs, admin_id))
    return lines
