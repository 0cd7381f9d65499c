"""Shared set-up for domain 2's tests: an association with units (its books), and ledger checks in SQL."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
from hypothesis import HealthCheck, Phase, settings
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support.accounts import Account
from tests.support.rpc import fails, ok, suffix

ADDRESS = {"line1": "1 Ledger Ln", "city": "Austin", "state": "TX", "postal_code": "78701"}


@dataclass
class Books:
    """One association of one organization, with a property and a way to add units."""

    client: httpx.AsyncClient
    admin: Account
    org: str
    association: dict
    prop: dict
    chart: dict[str, dict] = field(default_factory=dict)

    @property
    def association_id(self) -> str:
        return self.association["id"]

    async def ok(self, path: str, body: dict, who: Account | None = None) -> Any:
        return await ok(self.client, who or self.admin, self.org, path, body)

    async def fails(
        self, path: str, body: dict, status: int, code: str | None = None, reason: str | None = None, who: Any = None
    ) -> dict:
        return await fails(self.client, who or self.admin, self.org, path, body, status, code, reason)

    async def unit(self, number: str | None = None) -> dict:
        body = {"property_id": self.prop["id"], "unit_number": number or suffix(), "unit_type": "CONDO"}
        return await self.ok("unit/v1/create", body)

    async def dues(self, amount: str = "250.00", **extra: Any) -> dict:
        body = {"association_id": self.association_id, "name": f"Dues {suffix()}", "frequency": "MONTHLY"}
        return await self.ok("accounting/assessment/v1/createType", {**body, "amount": amount, **extra})

    async def charge(self, type_id: str, unit_id: str, due: str, amount: str | None = None) -> dict:
        body: dict[str, Any] = {"assessment_type_id": type_id, "unit_id": unit_id, "due_date": due}
        if amount is not None:
            body["amount"] = amount
        return await self.ok("accounting/assessment/v1/createCharge", body)

    async def pay(self, unit_id: str, amount: str, on: str = "2026-01-05") -> dict:
        body = {
            "association_id": self.association_id,
            "unit_id": unit_id,
            "amount": amount,
            "payment_date": on,
            "method": "CHECK",
            "reference": suffix(),
        }
        return await self.ok("accounting/payment/v1/create", body)

    async def balance(self, unit_id: str) -> dict:
        return await self.ok("accounting/assessment/v1/getUnitBalance", {"unit_id": unit_id})

    async def trial(self, **extra: Any) -> dict:
        return await self.ok("accounting/report/v1/trialBalance", {"association_id": self.association_id, **extra})

    def account_id(self, number: str) -> str:
        return self.chart[number]["id"]


async def books(client: httpx.AsyncClient, admin: Account, org: str, **settings: Any) -> Books:
    """A new association (its chart seeded) with one property, in `org`."""
    association = await ok(client, admin, org, "association/v1/create", {"name": f"HOA {suffix()}", **settings})
    prop = await ok(
        client,
        admin,
        org,
        "property/v1/create",
        {"association_id": association["id"], "name": f"Property {suffix()}", "address": ADDRESS},
    )
    made = Books(client, admin, org, association, prop)
    listed = await made.ok("accounting/glAccount/v1/list", {"association_id": association["id"]})
    made.chart = {a["account_number"]: a for a in listed["items"]}
    return made


def trial_line(trial: dict, number: str) -> Decimal:
    """An account's net debit balance in a trial balance (credit balances are negative)."""
    for line in trial["lines"]:
        if line["account_number"] == number:
            return Decimal(line["debit"]) - Decimal(line["credit"])
    return Decimal("0.00")


# --- the ledger's invariants, checked in SQL ---------------------------------------------------------------

POSTED = "('POSTED', 'REVERSED')"


async def ledger_violations(session: AsyncSession, association_id: uuid.UUID) -> list[str]:
    """Every way the association's books break the double-entry and subledger invariants (empty when sound)."""
    problems: list[str] = []
    params = {"a": association_id}
    unbalanced = await session.execute(
        text(
            f"""SELECT e.entry_number, e.source_type, l.fund, sum(l.debit), sum(l.credit)
                FROM journal_entries e JOIN journal_entry_lines l ON l.journal_entry_id = e.id
                WHERE e.association_id = :a AND e.status IN {POSTED}
                GROUP BY e.entry_number, e.source_type, l.fund HAVING sum(l.debit) <> sum(l.credit)"""
        ),
        params,
    )
    problems += [f"entry {n} ({s}) fund {f} debits {d} credits {c}" for n, s, f, d, c in unbalanced.all()]
    totals = await session.execute(
        text(
            f"""SELECT e.entry_number, sum(l.debit), sum(l.credit)
                FROM journal_entries e JOIN journal_entry_lines l ON l.journal_entry_id = e.id
                WHERE e.association_id = :a AND e.status IN {POSTED}
                GROUP BY e.entry_number HAVING sum(l.debit) <> sum(l.credit)"""
        ),
        params,
    )
    problems += [f"entry {n} debits {d} credits {c}" for n, d, c in totals.all()]
    trial = (
        await session.execute(
            text(
                f"""SELECT coalesce(sum(CASE WHEN net > 0 THEN net ELSE 0 END), 0),
                           coalesce(sum(CASE WHEN net < 0 THEN -net ELSE 0 END), 0)
                    FROM (SELECT sum(l.debit - l.credit) AS net
                          FROM journal_entry_lines l JOIN journal_entries e ON e.id = l.journal_entry_id
                          WHERE e.association_id = :a AND e.status IN {POSTED} GROUP BY l.gl_account_id) t"""
            ),
            params,
        )
    ).one()
    if trial[0] != trial[1]:
        problems.append(f"trial balance debits {trial[0]} credits {trial[1]}")
    funds = await session.execute(
        text(
            f"""SELECT l.fund, sum(l.debit), sum(l.credit)
                FROM journal_entry_lines l JOIN journal_entries e ON e.id = l.journal_entry_id
                WHERE e.association_id = :a AND e.status IN {POSTED}
                GROUP BY l.fund HAVING sum(l.debit) <> sum(l.credit)"""
        ),
        params,
    )
    problems += [f"fund {f} debits {d} credits {c}" for f, d, c in funds.all()]
    payments = await session.execute(
        text(
            """SELECT p.id, p.amount, p.unapplied_amount, coalesce(sum(pa.amount), 0)
               FROM payments p LEFT JOIN payment_applications pa ON pa.payment_id = p.id
               WHERE p.association_id = :a AND p.status = 'POSTED'
               GROUP BY p.id, p.amount, p.unapplied_amount
               HAVING p.unapplied_amount < 0 OR p.unapplied_amount + coalesce(sum(pa.amount), 0) <> p.amount"""
        ),
        params,
    )
    problems += [f"payment {i} amount {a} unapplied {u} applied {s}" for i, a, u, s in payments.all()]

    async def control(role: str) -> Decimal:
        value = await session.scalar(
            text(
                f"""SELECT coalesce(sum(l.debit - l.credit), 0)
                    FROM journal_entry_lines l JOIN journal_entries e ON e.id = l.journal_entry_id
                    JOIN gl_accounts g ON g.id = l.gl_account_id
                    WHERE e.association_id = :a AND e.status IN {POSTED} AND g.role = :role"""
            ),
            {**params, "role": role},
        )
        return Decimal(value)

    open_charges = Decimal(
        await session.scalar(
            text("SELECT coalesce(sum(amount - amount_paid), 0) FROM assessment_charges WHERE association_id = :a"),
            params,
        )
    )
    ar = await control("AR")
    if ar != open_charges:
        problems.append(f"AR control {ar} but open charges {open_charges}")
    credit = Decimal(
        await session.scalar(
            text(
                "SELECT coalesce(sum(unapplied_amount), 0) FROM payments "
                "WHERE association_id = :a AND status = 'POSTED'"
            ),
            params,
        )
    )
    prepaid = -(await control("PREPAID"))
    if prepaid != credit:
        problems.append(f"PREPAID control {prepaid} but unapplied credit {credit}")
    bad = await session.execute(
        text(
            "SELECT id, amount, amount_paid FROM assessment_charges "
            "WHERE association_id = :a AND (amount_paid < 0 OR amount_paid > amount)"
        ),
        params,
    )
    problems += [f"charge {i} amount {a} paid {p}" for i, a, p in bad.all()]
    applied = await session.execute(
        text(
            """SELECT c.id, c.amount_paid, coalesce(sum(pa.amount), 0)
               FROM assessment_charges c
               LEFT JOIN payment_applications pa ON pa.charge_id = c.id AND pa.reversed_on IS NULL
               WHERE c.association_id = :a GROUP BY c.id, c.amount_paid
               HAVING c.amount_paid <> coalesce(sum(pa.amount), 0)"""
        ),
        params,
    )
    problems += [f"charge {i} amount_paid {p} but applications {s}" for i, p, s in applied.all()]
    return problems


def database_examples(count: int) -> settings:
    """Hypothesis settings for examples that each build an association through the database: no shrinking
    (it would take minutes; the operation log in each assertion message is enough) and no deadline."""
    return settings(
        max_examples=count,
        deadline=None,
        database=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
