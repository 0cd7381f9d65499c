"""Who sees and does what with budgets: managers draft and propose but do not adopt; the association's seated board
adopts; a board member seated on another association's board sees nothing of this one's (NOT_FOUND, like a random
id); owners see adopted budgets only and are told of an adoption once; another organization's id answers exactly
like a random id on every procedure, and row-level security hides the budget tables across tenants."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from hestami.core import runtime
from tests.cam.association.helpers import own
from tests.cam.budgets.helpers import Hoa, hoa, path, sql
from tests.support.accounts import Account, account, member_account, organization
from tests.support.rpc import all_ids, post, suffix

TABLES = ("budgets", "budget_lines", "budget_status_history")
BY_ID = ("get", "history", "vsActual", "update", "delete", "propose", "returnToDraft", "adopt", "revise")


@dataclass
class World:
    a: Hoa  # association A: its manager, director, owner
    b: Hoa  # association B of the same organization: its director is seated on B's board only
    tenant: Account
    draft: dict[str, Any]
    proposed: dict[str, Any]
    superseded: dict[str, Any]
    adopted: dict[str, Any]
    b_adopted: dict[str, Any]


def lines(h: Hoa) -> list[dict[str, Any]]:
    return [
        {"gl_account_id": h.account("4000"), "annual": "36000.00"},
        {"gl_account_id": h.account("5300"), "annual": "24000.00"},
    ]


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    c = shared_client
    admin = await account(c)
    org = (await organization(c, admin, f"Access Mgmt {suffix()}", "MANAGEMENT_COMPANY"))["id"]
    a = await hoa(c, admin, org, [None, None])
    b = await hoa(c, admin, org, [None])
    tenant = await member_account(c, admin, org, ["TENANT"])
    draft = await a.budget(2027, lines=lines(a))
    proposed = await a.budget(2027, lines=lines(a), name="Proposed")
    await a.ok("propose", {"id": proposed["id"]})
    superseded = await a.adopted(lines(a), name="First")
    adopted = await a.adopted(lines(a), name="Second")
    b_adopted = await b.adopted(lines(b))
    return World(a, b, tenant, draft, proposed, await a.ok("get", {"id": superseded["id"]}), adopted, b_adopted)


def shown(response: httpx.Response, record_id: str) -> tuple[int, str]:
    """What the caller learns from an answer, the id sent blanked."""
    payload = response.json()
    return response.status_code, json.dumps(payload.get("error"), sort_keys=True).replace(record_id, "<id>")


async def like_a_random_id(client: httpx.AsyncClient, who: Account, org: str, procedure: str, record_id: str) -> None:
    """`record_id` answers NOT_FOUND on `procedure`, exactly as a random id does."""
    random_id = str(uuid.uuid4())
    answers = []
    for some_id in (record_id, random_id):
        response = await post(client, who, org, path(procedure), {"id": some_id})
        answers.append(shown(response, some_id))
    assert answers[0][0] == 404, answers
    assert answers[0] == answers[1], f"{procedure}: {answers}"


async def test_a_manager_drafts_and_proposes_but_does_not_adopt(world: World) -> None:
    a = world.a
    made = await a.budget(2030, lines=lines(a))
    await a.ok("propose", {"id": made["id"]})
    await a.fails("adopt", {"id": made["id"]}, 403, "FORBIDDEN")
    adopted = await a.ok("adopt", {"id": made["id"]}, a.admin)  # an admin of the organization may
    assert adopted["adopted_by"] == str(a.admin.user_id)


async def test_the_seated_board_adopts_and_sends_back_but_does_not_draft(world: World) -> None:
    a = world.a
    body = {"association_id": a.association_id, "fiscal_year": 2031}
    await a.fails("create", body, 403, "FORBIDDEN", who=a.director)
    made = await a.budget(2031, lines=lines(a))
    await a.fails("setLines", {"id": made["id"], "lines": lines(a)}, 403, "FORBIDDEN", who=a.director)
    await a.fails("propose", {"id": made["id"]}, 403, "FORBIDDEN", who=a.director)
    await a.ok("propose", {"id": made["id"]})
    assert (await a.ok("returnToDraft", {"id": made["id"]}, a.director))["status"] == "DRAFT"
    await a.ok("propose", {"id": made["id"]})
    assert (await a.ok("adopt", {"id": made["id"]}, a.director))["status"] == "ADOPTED"
    apply = {"budget_id": made["id"], "assessment_type_id": (await a.books.dues("100.00"))["id"]}
    await a.fails("applyAssessment", apply, 403, "FORBIDDEN", who=a.director)
    derived = await a.ok("deriveAssessment", apply, a.director)  # the board reads what the dues would be
    assert derived["annual_amount_needed"] == "24000.00"


async def test_a_director_of_another_association_sees_nothing_of_this_ones(world: World) -> None:
    a, b = world.a, world.b
    client = a.books.client
    for record in (world.draft, world.adopted):
        for procedure in BY_ID:
            await like_a_random_id(client, b.director, a.org, procedure, record["id"])
    listed = await all_ids(client, b.director, a.org, path("list"), {})
    assert listed == {world.b_adopted["id"]}
    assert await all_ids(client, b.director, a.org, path("list"), {"association_id": a.association_id}) == set()


async def test_owners_see_their_associations_adopted_budget_only(world: World) -> None:
    a, b = world.a, world.b
    client = a.books.client
    seen = await a.ok("get", {"id": world.adopted["id"]}, a.owner)
    assert seen["totals"]["net"] == "12000.00"
    for hidden in (world.draft, world.proposed, world.superseded):
        await like_a_random_id(client, a.owner, a.org, "get", hidden["id"])
    listed = await a.ok("list", {"limit": 200}, a.owner)
    assert world.adopted["id"] in {item["id"] for item in listed["items"]}
    assert {(item["association_id"], item["status"]) for item in listed["items"]} == {(a.association_id, "ADOPTED")}
    assert await all_ids(client, b.owner, a.org, path("list"), {}) == {world.b_adopted["id"]}
    await like_a_random_id(client, b.owner, a.org, "get", world.adopted["id"])
    # an owner may see the adopted budget, but neither how it was drafted, nor compare it with the books, nor derive
    await a.fails("history", {"id": world.adopted["id"]}, 403, "FORBIDDEN", who=a.owner)
    await a.fails("vsActual", {"id": world.adopted["id"]}, 403, "FORBIDDEN", who=a.owner)
    await a.fails("deriveAssessment", {"budget_id": world.adopted["id"]}, 403, "FORBIDDEN", who=a.owner)


async def test_a_tenant_sees_no_budget(world: World) -> None:
    client = world.a.books.client
    assert await all_ids(client, world.tenant, world.a.org, path("list"), {}) == set()
    await like_a_random_id(client, world.tenant, world.a.org, "get", world.adopted["id"])


async def test_owners_are_told_of_an_adoption_once_each(shared_client: httpx.AsyncClient, world: World) -> None:
    a = world.a
    # the owner owns a second unit; an owner of record without an account is written to by email
    await own(shared_client, a.admin, a.org, a.units[1]["id"], (await owner_party(a))["party_id"])
    third = await a.books.unit("103")
    offline = await a.books.ok(
        "party/v1/create",
        {"party_type": "INDIVIDUAL", "first_name": "Eve", "last_name": "Mail", "email": "eve.mail@example.com"},
    )
    await own(shared_client, a.admin, a.org, third["id"], offline["id"])
    made = await a.budget(2032, lines=lines(a))
    await a.ok("propose", {"id": made["id"]})
    await a.ok("adopt", {"id": made["id"]}, a.director)
    told = await sql(
        a.org,
        "SELECT channel, recipient, template, payload FROM outbound_messages WHERE entity_id = :id",
        id=made["id"],
    )
    assert sorted((row[0], row[1]) for row in told) == [
        ("EMAIL", "eve.mail@example.com"),
        ("PORTAL", f"user:{a.owner.user_id}"),
    ]
    assert {row[2] for row in told} == {"budget.adopted"}
    assert told[0][3]["net"] == "12000.00"
    assert told[0][3]["fiscal_year"] == "2032"


async def owner_party(a: Hoa) -> dict[str, Any]:
    owners = await a.books.ok("ownership/v1/listByUnit", {"unit_id": a.units[0]["id"]})
    return dict(owners["items"][0])


async def test_another_organizations_ids_answer_like_random_ones(
    shared_client: httpx.AsyncClient, world: World
) -> None:
    """Another organization's manager (with an association and budget of their own) gets NOT_FOUND for this
    organization's budget ids everywhere, exactly as for a random id, and cannot copy one into their own."""
    other_admin = await account(shared_client)
    other_org = (await organization(shared_client, other_admin, f"Other HOA {suffix()}"))["id"]
    other = await hoa(shared_client, other_admin, other_org, [None])
    for record in (world.draft, world.adopted):
        for procedure in BY_ID:
            await like_a_random_id(shared_client, other.manager, other_org, procedure, record["id"])
        for procedure in ("deriveAssessment", "applyAssessment"):
            answers = []
            for some_id in (record["id"], str(uuid.uuid4())):
                body = {"budget_id": some_id, "assessment_type_id": (await other.books.dues())["id"]}
                answers.append(
                    shown(await post(shared_client, other.manager, other_org, path(procedure), body), some_id)
                )
            assert answers[0][0] == 404
            assert answers[0] == answers[1]
        copy = {"association_id": other.association_id, "fiscal_year": 2027, "copy_from_id": record["id"]}
        response = await post(shared_client, other.manager, other_org, path("create"), copy)
        assert response.status_code == 404, response.text
    assert await all_ids(shared_client, other.manager, other_org, path("list"), {}) == set()


async def test_row_level_security_hides_the_budget_tables_across_tenants(world: World) -> None:
    database = runtime.current().database
    async with database.transaction(organization_id=uuid.uuid4(), user_id=None) as session:
        for table in TABLES:
            count = await session.scalar(
                text(f"SELECT count(*) FROM {table} WHERE organization_id = :org"), {"org": world.a.org}
            )
            assert count == 0, table
    counts = [(await sql(world.a.org, f"SELECT count(*) FROM {table}"))[0][0] for table in TABLES]
    assert all(count > 0 for count in counts), counts
