"""One ADOPTED budget per association, fund and fiscal year, also under concurrency: two proposals adopted at the same
moment both succeed, one after the other, the later superseding the earlier (which superseded the budget in force);
the database refuses a second ADOPTED budget whatever path writes it.

The race is forced (`tests.support.race`): the requests are held at the row of the budget in force, which each of
them must supersede after reading it, so on code that reads it without the adoption lock both would adopt."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from hestami.core import runtime
from tests.cam.budgets.helpers import Hoa, hoa, path
from tests.support.accounts import Account, account, organization
from tests.support.race import Held, race
from tests.support.rpc import post, suffix

BUDGET_ROW = "SELECT id FROM budgets WHERE id = :id FOR UPDATE"


@pytest.fixture(scope="module")
async def community(shared_client: httpx.AsyncClient) -> Hoa:
    admin: Account = await account(shared_client)
    org = (await organization(shared_client, admin, f"Race Budgets {suffix()}"))["id"]
    return await hoa(shared_client, admin, org, [None])


def expense(h: Hoa, annual: str) -> list[dict[str, str]]:
    return [{"gl_account_id": h.account("5300"), "annual": annual}]


async def test_two_proposals_adopted_at_once_leave_one_budget_in_force(community: Hoa) -> None:
    h = community
    in_force = await h.adopted(expense(h, "1200.00"), fiscal_year=2027)
    proposals = []
    for annual in ("2400.00", "3600.00"):
        made = await h.budget(2027, lines=expense(h, annual))
        await h.ok("propose", {"id": made["id"]})
        proposals.append(made["id"])
    responses = await race(
        Held(h.org, BUDGET_ROW, {"id": in_force["id"]}),
        *(post(h.books.client, h.director, h.org, path("adopt"), {"id": budget_id}) for budget_id in proposals),
    )
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    listed = await h.ok("list", {"association_id": h.association_id, "fiscal_year": 2027, "limit": 200})
    statuses = {item["id"]: item["status"] for item in listed["items"]}
    assert sorted(statuses.values()) == ["ADOPTED", "SUPERSEDED", "SUPERSEDED"]
    winner = next(budget_id for budget_id, status in statuses.items() if status == "ADOPTED")
    first = next(budget_id for budget_id in proposals if budget_id != winner)
    # one after the other: the first adopted superseded the budget in force, the second superseded the first
    assert (await h.ok("get", {"id": in_force["id"]}))["superseded_by_id"] == first
    assert (await h.ok("get", {"id": first}))["superseded_by_id"] == winner


async def test_the_database_refuses_a_second_adopted_budget(community: Hoa) -> None:
    h = community
    adopted = await h.adopted(expense(h, "1200.00"), fiscal_year=2028)
    database = runtime.current().database
    with pytest.raises(IntegrityError, match="uq_budgets_adopted"):
        async with database.transaction(organization_id=uuid.UUID(h.org), user_id=None) as session:
            await session.execute(
                text(
                    "INSERT INTO budgets (id, organization_id, association_id, fiscal_year, fund, name, status, "
                    "starts_on, ends_on, adopted_at) SELECT :id, organization_id, association_id, fiscal_year, fund, "
                    "'Twin', 'ADOPTED', starts_on, ends_on, now() FROM budgets WHERE id = :adopted"
                ),
                {"id": uuid.uuid4(), "adopted": adopted["id"]},
            )
