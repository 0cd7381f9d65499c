"""The reserve inventory: components are created, read, listed, changed and retired; lives are checked against
each other; the expense account must be one of the association's reserve fund."""

from __future__ import annotations

import httpx
import pytest

from tests.cam.reserve.helpers import PAINT, ROOF, Reserve, reserve
from tests.support.rpc import all_ids


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Reserve:
    return await reserve(shared_client, "Components")


async def test_a_component_is_created_read_changed_and_retired(hoa: Reserve) -> None:
    made = await hoa.component(
        **ROOF, quantity="12000.00", unit_of_measure="SQ_FT", placed_in_service="2006-06-01",
        expense_account_id=hoa.chart["7100"], notes="Composition shingles",
    )  # fmt: skip
    assert made["active"] is True
    assert made["replacement_cost"] == "100000.00"
    assert made["expense_account_id"] == hoa.chart["7100"]
    assert made["quantity"] == "12000.00"
    assert await hoa.ok("reserve/component/v1/get", {"id": made["id"]}) == made

    changed = await hoa.ok(
        "reserve/component/v1/update",
        {"id": made["id"], "remaining_life_years": 4, "replacement_cost": "110000.00", "expense_account_id": None},
    )
    assert (changed["remaining_life_years"], changed["replacement_cost"]) == (4, "110000.00")
    assert changed["expense_account_id"] is None
    assert changed["name"] == "Roof"
    assert changed["notes"] == "Composition shingles"

    retired = await hoa.ok("reserve/component/v1/retire", {"id": made["id"]})
    assert retired["active"] is False
    scope = {"association_id": hoa.association_id}
    assert made["id"] not in await all_ids(hoa.client, hoa.manager, hoa.org, "reserve/component/v1/list",
                                           {**scope, "active": True})  # fmt: skip
    assert made["id"] in await all_ids(hoa.client, hoa.manager, hoa.org, "reserve/component/v1/list",
                                       {**scope, "active": False})  # fmt: skip


async def test_lists_filter_by_association(hoa: Reserve, shared_client: httpx.AsyncClient) -> None:
    paint = await hoa.component(**PAINT)
    other = await hoa.ok("association/v1/create", {"name": "Second Association"})
    elsewhere = await hoa.ok("reserve/component/v1/create", {**ROOF, "association_id": other["id"]})
    mine = await all_ids(shared_client, hoa.manager, hoa.org, "reserve/component/v1/list",
                         {"association_id": hoa.association_id})  # fmt: skip
    assert paint["id"] in mine
    assert elsewhere["id"] not in mine


async def test_remaining_life_may_not_exceed_useful_life(hoa: Reserve) -> None:
    error = await hoa.fails(
        "reserve/component/v1/create", {"association_id": hoa.association_id, **ROOF, "remaining_life_years": 21},
        400, "VALIDATION_FAILED",
    )  # fmt: skip
    assert [e["field"] for e in error["field_errors"]] == ["/remaining_life_years"]
    made = await hoa.component(**PAINT)
    await hoa.fails("reserve/component/v1/update", {"id": made["id"], "useful_life_years": 5}, 400, "VALIDATION_FAILED")
    await hoa.fails(
        "reserve/component/v1/create", {"association_id": hoa.association_id, **ROOF, "useful_life_years": 0},
        400, "VALIDATION_FAILED",
    )  # fmt: skip
    assert (await hoa.ok("reserve/component/v1/get", {"id": made["id"]}))["useful_life_years"] == 10


async def test_the_expense_account_is_a_reserve_expense_account(hoa: Reserve) -> None:
    body = {"association_id": hoa.association_id, **ROOF}
    for number in ("5400", "1110", "4200"):  # operating repairs, reserve cash, reserve income
        error = await hoa.fails(
            "reserve/component/v1/create", {**body, "expense_account_id": hoa.chart[number]},
            422, "BUSINESS_RULE_VIOLATION", "NOT_AN_EXPENSE_ACCOUNT",
        )  # fmt: skip
        assert error["details"]["expected_fund"] == "RESERVE"
    assert error["details"]["fund"] == "RESERVE"
    assert error["details"]["account_type"] == "REVENUE"
    made = await hoa.component(**ROOF)
    await hoa.fails(
        "reserve/component/v1/update", {"id": made["id"], "expense_account_id": hoa.chart["5400"]},
        422, "BUSINESS_RULE_VIOLATION", "NOT_AN_EXPENSE_ACCOUNT",
    )  # fmt: skip
    other = await hoa.ok("association/v1/create", {"name": "Third Association"})
    chart = await hoa.ok("accounting/glAccount/v1/list", {"association_id": other["id"], "limit": 200})
    theirs = next(a["id"] for a in chart["items"] if a["account_number"] == "7100")
    await hoa.fails(
        "reserve/component/v1/update", {"id": made["id"], "expense_account_id": theirs},
        422, "BUSINESS_RULE_VIOLATION", "WRONG_ASSOCIATION",
    )  # fmt: skip
    assert (await hoa.ok("reserve/component/v1/get", {"id": made["id"]}))["expense_account_id"] is None
