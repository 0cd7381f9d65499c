"""Proration on an ownership transfer (`prorate_on_transfer`): a period whose unit changed hands inside it is
charged in parts, one per owner's stretch of days, adding up to the period's amount; the rules as pure functions,
then billPeriod (the path the posting workflow's batches take too) over HTTP."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestami.cam.accounting import proration
from tests.cam.accounting.helpers import books
from tests.cam.association.helpers import own, person
from tests.support.accounts import account, organization
from tests.support.rpc import suffix

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def test_the_period_runs_to_the_day_before_the_next_due_date() -> None:
    assert proration.period_of("MONTHLY", date(2026, 2, 1)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert proration.period_of("QUARTERLY", date(2026, 1, 15)) == (date(2026, 1, 15), date(2026, 4, 14))
    assert proration.period_of("ANNUAL", date(2026, 1, 1)) == (date(2026, 1, 1), date(2026, 12, 31))
    assert proration.period_of("ONE_TIME", date(2026, 1, 1)) is None


def test_a_transfer_on_the_fifteenth_splits_by_days() -> None:
    parts = proration.parts(Decimal("310.00"), MARCH, [date(2026, 3, 15)])
    assert parts == [
        proration.Part(Decimal("140.00"), date(2026, 3, 1), date(2026, 3, 14)),
        proration.Part(Decimal("170.00"), date(2026, 3, 15), date(2026, 3, 31)),
    ]


def test_transfers_outside_the_period_or_on_its_first_day_leave_it_whole() -> None:
    outside = [date(2026, 3, 1), date(2026, 2, 20), date(2026, 4, 1)]
    assert proration.parts(Decimal("250.00"), MARCH, outside) == [proration.Part(Decimal("250.00"))]
    assert proration.parts(Decimal("250.00"), None, [date(2026, 3, 15)]) == [proration.Part(Decimal("250.00"))]


@given(
    amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2),
    cuts=st.lists(st.integers(min_value=1, max_value=400), max_size=4),
)
def test_the_parts_add_up_and_cover_every_day_once(amount: Decimal, cuts: list[int]) -> None:
    period = (date(2026, 1, 1), date(2026, 12, 31))
    days = [date.fromordinal(period[0].toordinal() + n) for n in cuts]
    parts = proration.parts(amount, period, days)
    assert sum(p.amount for p in parts) == amount
    if len(parts) > 1:
        assert parts[0].start == period[0]
        assert parts[-1].end == period[1]
        for before, after in itertools.pairwise(parts):
            assert after.start is not None
            assert before.end is not None
            assert after.start.toordinal() == before.end.toordinal() + 1


@pytest.mark.parametrize("prorates", [True, False], ids=["prorating", "whole"])
async def test_bill_period_charges_the_seller_and_the_buyer_their_days(
    shared_client: httpx.AsyncClient, prorates: bool
) -> None:
    admin = await account(shared_client)
    org = (await organization(shared_client, admin, f"Prorate HOA {suffix()}"))["id"]
    b = await books(shared_client, admin, org)
    sold, kept = await b.unit("101"), await b.unit("102")
    seller = await person(shared_client, admin, org, "Sam", "Seller")
    buyer = await person(shared_client, admin, org, "Bea", "Buyer")
    await own(shared_client, admin, org, sold["id"], seller["id"], start="2020-01-01", end="2026-03-15")
    await own(shared_client, admin, org, sold["id"], buyer["id"], start="2026-03-15")
    await own(shared_client, admin, org, kept["id"], seller["id"], start="2020-01-01")
    dues = await b.dues("310.00", prorate_on_transfer=prorates)
    body = {"assessment_type_id": dues["id"], "due_date": "2026-03-01"}

    billed = await b.ok("accounting/assessment/v1/billPeriod", body)
    assert billed == {"charged": 2, "skipped_already_charged": 0, "total": "620.00", "prorated": int(prorates)}
    again = await b.ok("accounting/assessment/v1/billPeriod", body)
    assert again == {"charged": 0, "skipped_already_charged": 2, "total": "0.00", "prorated": 0}

    listed = await b.ok("accounting/assessment/v1/listCharges", {"unit_id": sold["id"]})
    charges = sorted((c["amount"], c["covers_from"], c["covers_to"]) for c in listed["items"])
    if prorates:
        assert charges == [("140.00", "2026-03-01", "2026-03-14"), ("170.00", "2026-03-15", "2026-03-31")]
        assert all("prorated" in c["description"] for c in listed["items"])
    else:
        assert charges == [("310.00", None, None)]
    kept_charges = (await b.ok("accounting/assessment/v1/listCharges", {"unit_id": kept["id"]}))["items"]
    assert [(c["amount"], c["covers_from"]) for c in kept_charges] == [("310.00", None)]
    assert Decimal((await b.balance(sold["id"]))["balance"]) == Decimal("310.00")
