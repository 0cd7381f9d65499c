"""Requirements over HTTP: the library's Texas and Florida defaults adopted (once: adopting again adds nothing),
requirements written by hand with their recurrence rule checked (INVALID_RULE with the parser's message), codes
unique per association, and updates that re-check the rule."""

from __future__ import annotations

import httpx
import pytest

from hestami.cam.compliance import library
from tests.cam.compliance.helpers import Compliance, compliance
from tests.support.rpc import all_ids


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Compliance:
    return await compliance(shared_client, "Requirements")


async def test_adopting_the_texas_defaults_lists_them_with_their_references(hoa: Compliance) -> None:
    body = {"association_id": hoa.association_id, "jurisdiction": "tx", "anchor_date": "2027-01-01"}
    adopted = await hoa.ok("compliance/requirement/v1/adoptDefaults", body)
    assert adopted["skipped_codes"] == []
    assert {r["code"] for r in adopted["adopted"]} == {t.code for t in library.TX}
    listed = await hoa.ok("compliance/requirement/v1/list", {"association_id": hoa.association_id, "limit": 200})
    by_code = {r["code"]: r for r in listed["items"]}
    assert set(by_code) == {t.code for t in library.TX}
    assert all(r["jurisdiction"] == "TX" and r["active"] for r in by_code.values())
    certificate = by_code["TX_MANAGEMENT_CERTIFICATE"]
    assert certificate["reference"] == "Tex. Prop. Code § 209.004"
    assert certificate["kind"] == "STATUTORY_DEADLINE"
    assert by_code["TX_RESALE_CERTIFICATE"]["reference"] == "Tex. Prop. Code § 207.003"
    assert by_code["TX_RESALE_CERTIFICATE"]["kind"] == "NOTICE"
    # Dates count from the fiscal year's start: the budget is adopted a month before it, the review 120 days after
    # the year ends, the reserve study every five years.
    assert by_code["TX_BUDGET_ADOPTION"]["anchor_date"] == "2026-12-01"
    assert by_code["TX_BUDGET_ADOPTION"]["responsible_role"] == "BOARD_MEMBER"
    assert by_code["TX_ANNUAL_FINANCIAL_REVIEW"]["anchor_date"] == "2027-04-30"
    assert by_code["TX_RESERVE_STUDY"]["rrule"] == "FREQ=YEARLY;INTERVAL=5"
    assert by_code["TX_ANNUAL_MEETING"]["anchor_date"] == "2027-04-01"

    again = await hoa.ok("compliance/requirement/v1/adoptDefaults", body)
    assert again["adopted"] == []
    assert sorted(again["skipped_codes"]) == sorted(t.code for t in library.TX)
    listed = await hoa.ok("compliance/requirement/v1/list", {"association_id": hoa.association_id, "limit": 200})
    assert len(listed["items"]) == len(library.TX)


async def test_florida_defaults_cite_chapter_720(hoa: Compliance) -> None:
    other = await hoa.association()
    body = {"association_id": other, "jurisdiction": "FL", "anchor_date": "2026-07-01"}
    adopted = {r["code"]: r for r in (await hoa.ok("compliance/requirement/v1/adoptDefaults", body))["adopted"]}
    assert adopted["FL_FINANCIAL_REPORT"]["reference"] == "Fla. Stat. § 720.303(7)"
    assert adopted["FL_FINANCIAL_REPORT"]["anchor_date"] == "2026-09-28"  # 90 days after June 30
    assert adopted["FL_ESTOPPEL_CERTIFICATE"]["reference"] == "Fla. Stat. § 720.30851"
    assert all(r["reference"] for r in adopted.values())


async def test_an_unknown_jurisdiction_is_refused(hoa: Compliance) -> None:
    body = {"association_id": hoa.association_id, "jurisdiction": "ZZ"}
    await hoa.fails(
        "compliance/requirement/v1/adoptDefaults", body, 422, "BUSINESS_RULE_VIOLATION", "UNKNOWN_JURISDICTION"
    )


async def test_a_requirement_by_hand_and_its_rule(hoa: Compliance) -> None:
    made = await hoa.requirement(rrule="FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31", anchor_date="2020-01-01")
    assert made["rrule"] == "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31"
    assert made["responsible_role"] == "MANAGER"
    assert (await hoa.ok("compliance/requirement/v1/get", {"id": made["id"]}))["code"] == made["code"]
    for rule in (
        "FREQ=SOMETIMES",
        "FREQ=YEARLY;BYMONTH=13",
        "FREQ=DAILY",
        "DTSTART:20200101T000000\nRRULE:FREQ=YEARLY",
    ):
        error = await hoa.fails(
            "compliance/requirement/v1/create", hoa.requirement_body(rrule=rule), 422, "BUSINESS_RULE_VIOLATION",
            "INVALID_RULE",
        )  # fmt: skip
        assert "recurrence rule" in error["message"]
    duplicate = hoa.requirement_body(code=made["code"])
    await hoa.fails("compliance/requirement/v1/create", duplicate, 422, "BUSINESS_RULE_VIOLATION", "DUPLICATE_CODE")
    # The same code in another association is another requirement.
    other = await hoa.association()
    assert (await hoa.requirement(association_id=other, code=made["code"]))["code"] == made["code"]


async def test_an_update_rechecks_the_rule(hoa: Compliance) -> None:
    made = await hoa.requirement()
    bad = {"id": made["id"], "rrule": "FREQ=NEVER"}
    await hoa.fails("compliance/requirement/v1/update", bad, 422, "BUSINESS_RULE_VIOLATION", "INVALID_RULE")
    changed = await hoa.ok(
        "compliance/requirement/v1/update",
        {"id": made["id"], "rrule": "FREQ=YEARLY;INTERVAL=2", "lead_days": 45, "reference": None, "title": None},
    )
    assert (changed["rrule"], changed["lead_days"], changed["reference"]) == ("FREQ=YEARLY;INTERVAL=2", 45, None)
    assert changed["title"] == made["title"]  # a required field is never cleared
    retired = await hoa.ok("compliance/requirement/v1/update", {"id": made["id"], "active": False})
    assert retired["active"] is False
    body = {"association_id": hoa.association_id, "active": False}
    assert made["id"] in await all_ids(hoa.client, hoa.manager, hoa.org, "compliance/requirement/v1/list", body)


async def test_the_board_reads_but_keeps_no_requirements(hoa: Compliance) -> None:
    made = await hoa.requirement()
    assert (await hoa.ok("compliance/requirement/v1/get", {"id": made["id"]}, hoa.board))["id"] == made["id"]
    await hoa.fails("compliance/requirement/v1/create", hoa.requirement_body(), 403, "FORBIDDEN", who=hoa.board)
    update = {"id": made["id"], "lead_days": 1}
    await hoa.fails("compliance/requirement/v1/update", update, 403, "FORBIDDEN", who=hoa.board)
