"""Reserve studies: a study copies the association's active components as they are (a snapshot later changes never
touch), changes only its descriptive fields, and its funding analysis starts from a given balance or from the
reserve fund's balance in the ledger on the study date."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from tests.cam.reserve.helpers import PAINT, ROOF, Reserve, reserve
from tests.support.rpc import all_ids


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Reserve:
    made = await reserve(shared_client, "Studies")
    await made.component(**ROOF)
    await made.component(**PAINT)
    return made


async def test_a_study_snapshots_the_active_components(hoa: Reserve) -> None:
    retired = await hoa.component(name="Old fence", category="FENCING", useful_life_years=15,
                                  remaining_life_years=0, replacement_cost="8000.00")  # fmt: skip
    await hoa.ok("reserve/component/v1/retire", {"id": retired["id"]})
    study = await hoa.study(threshold_amount="10000.00", current_contribution="5000.00", notes="First study")
    assert study["level"] == "FULL"
    assert study["inflation_rate"] == "0.0300"
    names = sorted(c["name"] for c in study["components"])
    assert names == ["Paint", "Roof"]  # the retired fence is left out
    assert await hoa.ok("reserve/study/v1/get", {"id": study["id"]}) == study
    listed = await all_ids(hoa.client, hoa.manager, hoa.org, "reserve/study/v1/list",
                           {"association_id": hoa.association_id})  # fmt: skip
    assert study["id"] in listed


async def test_a_later_component_change_leaves_the_study_as_it_was(hoa: Reserve) -> None:
    pool = await hoa.component(name="Pool plaster", category="POOL", useful_life_years=12, remaining_life_years=3,
                               replacement_cost="30000.00")  # fmt: skip
    study = await hoa.study()
    await hoa.ok("reserve/component/v1/update", {"id": pool["id"], "remaining_life_years": 1,
                                                 "replacement_cost": "45000.00"})  # fmt: skip
    await hoa.ok("reserve/component/v1/retire", {"id": pool["id"]})
    seen = next(c for c in (await hoa.ok("reserve/study/v1/get", {"id": study["id"]}))["components"]
                if c["component_id"] == pool["id"])  # fmt: skip
    assert (seen["remaining_life_years"], seen["replacement_cost"]) == (3, "30000.00")


async def test_update_changes_only_the_descriptive_fields(hoa: Reserve) -> None:
    study = await hoa.study(notes="Draft", threshold_amount="5000.00")
    pdf = await hoa.ok("document/v1/upload", {
        "title": "Reserve study 2026", "category": "RULES", "visibility": "MANAGERS",
        "scope": {"type": "ASSOCIATION", "association_id": hoa.association_id},
    })  # fmt: skip
    changed = await hoa.ok(
        "reserve/study/v1/update",
        {"id": study["id"], "preparer": "Other Consultants", "notes": None, "threshold_amount": None,
         "current_contribution": "7500.00", "document_id": pdf["id"]},
    )  # fmt: skip
    assert changed["preparer"] == "Other Consultants"
    assert changed["notes"] is None
    assert changed["threshold_amount"] is None
    assert changed["current_contribution"] == "7500.00"
    assert changed["document_id"] == pdf["id"]
    assert changed["components"] == study["components"]
    assert (changed["study_date"], changed["level"], changed["interest_rate"]) == (
        study["study_date"],
        study["level"],
        study["interest_rate"],
    )
    await hoa.fails("reserve/study/v1/update", {"id": study["id"], "inflation_rate": "0.05"}, 400, "VALIDATION_FAILED")


async def test_a_study_needs_components(hoa: Reserve) -> None:
    empty = await hoa.ok("association/v1/create", {"name": "No Components Yet"})
    await hoa.fails("reserve/study/v1/create", hoa.study_body(association_id=empty["id"]), 422,
                    "BUSINESS_RULE_VIOLATION", "NO_COMPONENTS")  # fmt: skip
    await hoa.fails("reserve/study/v1/create", hoa.study_body(inflation_rate="3"), 400, "VALIDATION_FAILED")


async def test_analysis_with_a_given_balance(hoa: Reserve) -> None:
    fresh = await reserve(hoa.client, "Analysis")
    await fresh.component(**ROOF)
    await fresh.component(**PAINT)
    study = await fresh.study(threshold_amount="10000.00")
    result = await fresh.ok("reserve/funding/v1/analyze", {"study_id": study["id"], "balance": "30000.00",
                                                           "contribution": "5000.00", "years": 12})  # fmt: skip
    assert (result["balance"], result["balance_source"]) == ("30000.00", "GIVEN")
    assert (result["contribution"], result["contribution_source"]) == ("5000.00", "GIVEN")
    assert result["fully_funded_balance"] == "75000.00"
    assert result["percent_funded"] == "40.00"
    rows = {c["name"]: c for c in result["components"]}
    assert (rows["Roof"]["effective_age_years"], rows["Roof"]["fully_funded_balance"]) == (15, "75000.00")
    assert (rows["Paint"]["effective_age_years"], rows["Paint"]["fully_funded_balance"]) == (0, "0.00")
    projection = result["projection"]
    assert len(projection) == 12
    first = projection[0]
    assert (first["opening"], first["interest"], first["contribution"], first["expenditures"], first["closing"]) == (
        "30000.00",
        "300.00",
        "5000.00",
        "0.00",
        "35300.00",
    )
    roof_year = projection[5]  # RUL 5: replaced in year 6, at 100000 x 1.03^5
    assert roof_year["components_replaced"] == ["Roof"]
    assert Decimal(roof_year["expenditures"]) == (Decimal("100000") * Decimal("1.03") ** 5).quantize(Decimal("0.01"))
    assert projection[10]["components_replaced"] == ["Paint"]  # RUL 10: year 11
    plans = result["plans"]
    assert (plans["baseline"], plans["threshold"], plans["full"]) == ("13667.37", "15292.85", "13667.37")
    # The baseline just covers the roof in year 6; the threshold plan keeps the board's 10,000 then.
    for plan, closing in (("baseline", "0.06"), ("threshold", "10000.04")):
        body = {"study_id": study["id"], "balance": "30000.00", "contribution": plans[plan], "years": 12}
        assert (await fresh.ok("reserve/funding/v1/analyze", body))["projection"][5]["closing"] == closing
    # Without a threshold, no threshold plan; without a contribution, the study's (none here: 0).
    plain = await fresh.study()
    result = await fresh.ok("reserve/funding/v1/analyze", {"study_id": plain["id"], "balance": "30000.00"})
    assert result["plans"]["threshold"] is None
    assert len(result["projection"]) == 30
    assert (result["contribution"], result["contribution_source"]) == ("0.00", "NONE")


async def test_analysis_reads_the_reserve_fund_balance_from_the_ledger(hoa: Reserve) -> None:
    fresh = await reserve(hoa.client, "Ledger")
    await fresh.component(**ROOF)
    await fresh.component(**PAINT)

    async def post(entry_date: str, debit: str, credit: str, amount: str) -> None:
        entry = await fresh.ok("accounting/journalEntry/v1/create", {
            "association_id": fresh.association_id, "entry_date": entry_date, "memo": "Reserve", "submit": True,
            "lines": [{"gl_account_id": fresh.chart[debit], "debit": amount},
                      {"gl_account_id": fresh.chart[credit], "credit": amount}],
        })  # fmt: skip
        await fresh.ok("accounting/journalEntry/v1/post", {"id": entry["id"]})

    await post("2025-12-15", "1110", "4200", "12345.67")  # a reserve contribution into reserve savings
    await post("2025-12-20", "1120", "2410", "1000.00")  # owed to the operating fund: assets and liabilities alike
    await post("2025-12-21", "5400", "1010", "999.00")  # the operating fund's, not the reserve's
    await post("2026-02-01", "1110", "4200", "500.00")  # after the study date
    study = await fresh.study(current_contribution="6000.00")
    result = await fresh.ok("reserve/funding/v1/analyze", {"study_id": study["id"]})
    assert (result["balance"], result["balance_source"]) == ("12345.67", "LEDGER")
    assert (result["contribution"], result["contribution_source"]) == ("6000.00", "STUDY")
    assert result["percent_funded"] == "16.46"  # 12345.67 / 75000
