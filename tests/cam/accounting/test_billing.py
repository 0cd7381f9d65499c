"""Billing a period in bulk (`billing.bill_period`): the rows it writes in several rounds of inserts are the
books a charge at a time would make. Every entry numbered once and in sequence, each charge pointing at its own
entry and that entry back at it, every line carrying the charge's unit (the inter-fund legs too), each fund
balanced, the total the sum of what was charged, and the same two audit events as before."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import TypeVar

import httpx
import pytest
from sqlalchemy import text

from hestami.cam.accounting import ledger
from hestami.cam.accounting.schemas import BillPeriod, CreateAssessmentType, CreateCharge, ListGLAccounts
from hestami.cam.accounting.services import billing, chart_of_accounts, receivables
from hestami.cam.association.schemas import AddressIn, CreateAssociation, CreateProperty, CreateUnit
from hestami.cam.association.services import associations, places
from hestami.core import runtime
from hestami.core.acting import acting
from hestami.core.context import RequestContext
from tests.cam.accounting.helpers import ledger_violations, suffix
from tests.support.accounts import Account, account, organization

T = TypeVar("T")
SHARES = [Decimal("0.1"), Decimal("0.2"), Decimal("0.3"), Decimal("0.15"), Decimal("0.25")]
DUE = date(2026, 7, 1)


@pytest.fixture(scope="module")
async def admin_org(shared_client: httpx.AsyncClient) -> tuple[Account, uuid.UUID]:
    admin = await account(shared_client)
    return admin, uuid.UUID((await organization(shared_client, admin, f"Billing HOA {suffix()}"))["id"])


async def run(admin_org: tuple[Account, uuid.UUID], step: Callable[[RequestContext], Awaitable[T]]) -> T:
    admin, org = admin_org
    async with acting(
        runtime.current(),
        procedure="test-billing",
        organization_id=org,
        user_id=admin.user_id,
        email=admin.email,
        roles=frozenset({"ADMIN"}),
    ) as ctx:
        return await step(ctx)


async def reserve_books(ctx: RequestContext) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID, list[uuid.UUID]]:
    """An association with five units (shares adding up to 1), a REGULAR operating type and a reserve-fund
    contribution type (its charges need inter-fund legs): (association, dues type, reserve type, units)."""
    association = await associations.create(ctx, CreateAssociation(name=f"Billing HOA {suffix()}"))
    await chart_of_accounts.seed_standard_chart(ctx, association.id)
    address = AddressIn(line1="1 Main", city="Austin", state="TX", postal_code="78701")
    prop = await places.create_property(
        ctx, CreateProperty(association_id=association.id, name="Billing Acres", address=address)
    )
    units = [
        (
            await places.create_unit(
                ctx, CreateUnit(property_id=prop.id, unit_number=f"U{n}", unit_type="CONDO", assessment_share=share)
            )
        ).id
        for n, share in enumerate(SHARES, start=1)
    ]
    listed = await chart_of_accounts.list_(ctx, ListGLAccounts(association_id=association.id, limit=200))
    reserve_income = next(a.id for a in listed.items if a.account_number == "4200")
    base = {"association_id": association.id, "frequency": "MONTHLY"}
    dues = await receivables.create_type(ctx, CreateAssessmentType(**base, name="Dues", amount=Decimal("250.00")))
    reserve = await receivables.create_type(
        ctx, CreateAssessmentType(**base, name="Reserve", amount=Decimal("40.00"), revenue_account_id=reserve_income)
    )
    return association.id, dues.id, reserve.id, units


async def test_a_period_billed_in_several_rounds_keeps_the_books(
    admin_org: tuple[Account, uuid.UUID], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger, "BATCH_ROWS", 2)  # five charges: three rounds of inserts
    association, dues, reserve, units = await run(admin_org, reserve_books)
    await run(admin_org, lambda ctx: receivables.create_charge(ctx, CreateCharge(
        assessment_type_id=dues, unit_id=units[0], due_date=DUE)))  # fmt: skip
    month = BillPeriod(
        assessment_type_id=reserve, due_date=DUE, amount=Decimal("1000.01"), allocation="ASSESSMENT_SHARE"
    )
    billed = await run(admin_org, lambda ctx: billing.bill_period(ctx, month))
    expected = [(Decimal("1000.01") * share).quantize(Decimal("0.01")) for share in SHARES]
    assert (billed.charged, billed.skipped_already_charged, billed.total) == (5, 0, sum(expected))

    async def check(ctx: RequestContext) -> None:
        params = {"a": association, "t": reserve}
        numbers = await ctx.session.scalars(
            text("SELECT entry_number FROM journal_entries WHERE association_id = :a ORDER BY entry_number"), params
        )
        assert list(numbers) == [1, 2, 3, 4, 5, 6]  # the single charge's entry, then the period's, each once
        rows = (
            await ctx.session.execute(
                text(
                    """SELECT c.id, c.unit_id, c.amount, c.period_assessment, e.source_id, e.source_type, e.memo,
                              e.entry_date, array_agg(l.unit_id), array_agg(l.line_number ORDER BY l.line_number),
                              sum(l.debit) FILTER (WHERE g.role = 'AR')
                       FROM assessment_charges c
                       JOIN journal_entries e ON e.id = c.journal_entry_id
                       JOIN journal_entry_lines l ON l.journal_entry_id = e.id
                       JOIN gl_accounts g ON g.id = l.gl_account_id
                       WHERE c.assessment_type_id = :t GROUP BY c.id, e.id"""
                ),
                params,
            )
        ).all()
        by_unit = {row[1]: row for row in rows}
        assert set(by_unit) == set(units)
        for n, (unit, amount) in enumerate(zip(units, expected, strict=True), start=1):
            charge, _, charged, period, source, kind, memo, on, line_units, line_numbers, ar = by_unit[unit]
            assert (charged, period, source, kind, on, ar) == (amount, True, charge, "ASSESSMENT_CHARGE", DUE, amount)
            assert memo == f"Reserve - unit U{n}"
            assert set(line_units) == {unit}
            assert line_numbers == [1, 2, 3, 4]  # Dr AR / Cr reserve income, with the due-to / due-from legs
        assert await ledger_violations(ctx.session, association) == []
        events = (
            await ctx.session.execute(
                text(
                    """SELECT action, after FROM audit_events
                       WHERE action IN ('assessment_charge.period_billed', 'journal_entry.batch_recorded')
                         AND entity_id IN (:a_text, :t_text) ORDER BY action"""
                ),
                {"a_text": str(association), "t_text": str(reserve)},
            )
        ).all()
        assert [(action, after) for action, after in events] == [
            (
                "assessment_charge.period_billed",
                {"due_date": DUE.isoformat(), "charged": 5, "allocation": "ASSESSMENT_SHARE"},
            ),
            (
                "journal_entry.batch_recorded",
                {"entries": 5, "first_number": 2, "last_number": 6, "source_type": "ASSESSMENT_CHARGE"},
            ),
        ]

    await run(admin_org, check)
    again = await run(admin_org, lambda ctx: billing.bill_period(ctx, month))
    assert (again.charged, again.skipped_already_charged, again.total) == (0, 5, Decimal("0.00"))
