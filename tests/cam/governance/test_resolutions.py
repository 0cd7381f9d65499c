"""Resolutions and policies through HTTP: a special assessment adopted by the board charges each unit its exact
share (by assessment share or equally) through accounting with balanced books; a failed vote rejects and charges
nothing; a policy resolution creates or amends a versioned policy; a later resolution supersedes one in force;
proposals are withdrawn before their vote; owners see only what was adopted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

import httpx
import pytest

from hestami.cam.governance.rules import REMAINDER_RULE
from tests.cam.association.helpers import unit as add_unit
from tests.cam.governance.helpers import (
    Annex,
    Community,
    after_days,
    annex,
    community,
    held_meeting,
    motion,
    stop_lifecycles,
)
from tests.support.rpc import ids

RULE = "BUSINESS_RULE_VIOLATION"
PROPOSE = "governance/resolution/v1/propose"
GET = "governance/resolution/v1/get"
PREVIEW = "governance/resolution/v1/previewAssessment"
POLICY = "governance/resolution/v1/getPolicy"
DUE = "2027-03-01"


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> AsyncIterator[Community]:
    built = await community(shared_client, "Resolutions")
    yield built
    await stop_lifecycles(built.org)


def special(
    hoa_or_id: Community | str, total: str, allocation: str = "BY_SHARE", fund: str = "RESERVE"
) -> dict[str, Any]:
    association_id = hoa_or_id if isinstance(hoa_or_id, str) else hoa_or_id.association_id
    return {"association_id": association_id, "kind": "SPECIAL_ASSESSMENT", "title": f"Assessment {total}",
            "body": "Resolved: the owners are assessed.", "assessment_total": total, "assessment_due_on": DUE,
            "assessment_fund": fund, "allocation": allocation}  # fmt: skip


def general(hoa: Community, title: str, **extra: Any) -> dict[str, Any]:
    return {"association_id": hoa.association_id, "title": title, "body": f"Resolved: {title}.", **extra}


async def charges_of(
    hoa: Community, association_id: str, assessment_type_id: str | None = None
) -> list[dict[str, Any]]:
    page = await hoa.ok("accounting/assessment/v1/listCharges", {"association_id": association_id, "limit": 200})
    return [c for c in page["items"] if assessment_type_id is None or c["assessment_type_id"] == assessment_type_id]


async def balanced_books(hoa: Community, association_id: str, as_of: str | None = None) -> dict[str, dict[str, Any]]:
    """Both funds' trial balances (today, or as of a day: charges post on their due date), each balanced."""
    books = {}
    for fund in ("OPERATING", "RESERVE"):
        body = {"association_id": association_id, "fund": fund, **({"as_of": as_of} if as_of else {})}
        trial = await hoa.ok("accounting/report/v1/trialBalance", body)
        assert trial["balanced"], trial
        assert Decimal(trial["total_debit"]) == Decimal(trial["total_credit"])
        books[fund] = trial
    return books


async def annex_board_adopts(hoa: Community, side: Annex, resolution_id: str) -> dict[str, Any]:
    """The annex's one-seat board meets (the manager records the seat's attendance and vote) and adopts it."""
    body = {"association_id": side.association_id, "kind": "BOARD", "title": "Annex board", "starts_at": after_days(8)}
    meeting = await hoa.ok("governance/meeting/v1/schedule", body)
    await hoa.until(meeting["id"], "NOTICED")
    await hoa.ok("governance/meeting/v1/callToOrder", {"id": meeting["id"]})
    await hoa.ok("governance/meeting/v1/recordAttendance", {"meeting_id": meeting["id"], "seat_id": side.seat_id})
    vote = await hoa.ok(
        "governance/vote/v1/open",
        {"meeting_id": meeting["id"], "kind": "MOTION", "question": "Adopt?", "resolution_id": resolution_id},
    )
    await hoa.ok("governance/vote/v1/cast", {"vote_id": vote["id"], "choice": "YES", "seat_id": side.seat_id})
    return dict(await hoa.ok("governance/vote/v1/close", {"id": vote["id"]}))


# --- special assessments -----------------------------------------------------------------------------------------


async def test_special_assessment_by_share_charges_each_unit_exactly(hoa: Community) -> None:
    proposal = await hoa.ok(PROPOSE, special(hoa, "10000.00"))
    assert (proposal["status"], proposal["kind"], proposal["allocation"]) == (
        "PROPOSED",
        "SPECIAL_ASSESSMENT",
        "BY_SHARE",
    )
    preview = await hoa.ok(PREVIEW, {"id": proposal["id"]})
    assert preview["remainder_rule"] == REMAINDER_RULE
    assert Decimal(preview["total"]) == Decimal("10000.00")
    expected = {"101": "1234.57", "102": "3000.00", "103": "2000.00", "104": "3765.43"}
    assert {u["unit_number"]: Decimal(u["amount"]) for u in preview["units"]} == {
        k: Decimal(v) for k, v in expected.items()
    }
    assert [u["unit_number"] for u in preview["units"]] == ["101", "102", "103", "104"]
    assert sum(Decimal(u["amount"]) for u in preview["units"]) == Decimal("10000.00")
    before = await balanced_books(hoa, hoa.association_id, DUE)
    meeting = await held_meeting(hoa, present=3)
    closed = await motion(hoa, meeting["id"], ["YES", "YES", "NO"], proposal["id"])
    assert closed["result"] == "PASSED"
    adopted = await hoa.ok(GET, {"id": proposal["id"]})
    assert (adopted["status"], adopted["charge_count"]) == ("ADOPTED", 4)
    assert (adopted["vote_id"], adopted["meeting_id"]) == (closed["id"], meeting["id"])
    assert adopted["decided_at"] is not None
    charges = await charges_of(hoa, hoa.association_id, adopted["assessment_type_id"])
    assert len(charges) == 4
    by_unit = {c["unit_id"]: c for c in charges}
    assert len(by_unit) == 4  # one charge per unit
    assert {u["unit_id"]: Decimal(u["amount"]) for u in preview["units"]} == {
        unit_id: Decimal(c["amount"]) for unit_id, c in by_unit.items()
    }
    assert sum(Decimal(c["amount"]) for c in charges) == Decimal("10000.00")
    assert {c["due_date"] for c in charges} == {DUE}
    await balanced_books(hoa, hoa.association_id)
    after = await balanced_books(hoa, hoa.association_id, DUE)
    assert Decimal(after["RESERVE"]["total_debit"]) - Decimal(before["RESERVE"]["total_debit"]) >= Decimal("10000.00")
    # the preview still shows what was charged
    assert (await hoa.ok(PREVIEW, {"id": proposal["id"]}))["units"] == preview["units"]
    await hoa.fails("governance/resolution/v1/withdraw", {"id": proposal["id"]}, 409, "INVALID_STATE_TRANSITION")
    # owners see the adopted assessment
    seen = await hoa.ok(GET, {"id": proposal["id"]}, hoa.owners[1])
    assert seen["status"] == "ADOPTED"


async def test_preview_of_an_awkward_total_sums_exactly(hoa: Community) -> None:
    proposal = await hoa.ok(PROPOSE, special(hoa, "999.99", fund="OPERATING"))
    preview = await hoa.ok(PREVIEW, {"id": proposal["id"]})
    amounts = [Decimal(u["amount"]) for u in preview["units"]]
    assert sum(amounts) == Decimal("999.99")
    for unit in preview["units"]:
        exact = Fraction(Decimal("999.99")) * Fraction(Decimal(unit["share"]))  # the shares sum to 1
        assert abs(Fraction(Decimal(unit["amount"])) - exact) < Fraction(1, 100)
    await hoa.fails(
        PREVIEW, {"id": (await hoa.ok(PROPOSE, general(hoa, "No money")))["id"]}, 422, RULE, "INCOMPLETE_RESOLUTION"
    )
    await hoa.ok("governance/resolution/v1/withdraw", {"id": proposal["id"]})


async def test_equal_allocation_and_missing_shares(hoa: Community) -> None:
    side = await annex(hoa, [("A1", "0.500000"), ("A2", "0.250000"), ("A3", None)])
    error = await hoa.fails(PROPOSE, special(side.association_id, "100.00"), 422, RULE, "MISSING_ASSESSMENT_SHARE")
    assert error["details"]["units"] == ["A3"]
    assert error["details"]["count"] == 1
    proposal = await hoa.ok(PROPOSE, special(side.association_id, "100.00", "EQUAL", "OPERATING"))
    preview = await hoa.ok(PREVIEW, {"id": proposal["id"]})
    assert [(u["unit_number"], Decimal(u["amount"])) for u in preview["units"]] == [
        ("A1", Decimal("33.34")), ("A2", Decimal("33.33")), ("A3", Decimal("33.33")),
    ]  # fmt: skip
    closed = await annex_board_adopts(hoa, side, proposal["id"])
    assert closed["result"] == "PASSED"
    adopted = await hoa.ok(GET, {"id": proposal["id"]})
    assert (adopted["status"], adopted["charge_count"]) == ("ADOPTED", 3)
    charges = await charges_of(hoa, side.association_id, adopted["assessment_type_id"])
    unit_numbers = {row["id"]: row["unit_number"] for row in side.units}
    assert sorted((unit_numbers[c["unit_id"]], Decimal(c["amount"])) for c in charges) == [
        ("A1", Decimal("33.34")), ("A2", Decimal("33.33")), ("A3", Decimal("33.33")),
    ]  # fmt: skip
    await balanced_books(hoa, side.association_id)
    await balanced_books(hoa, side.association_id, DUE)


async def test_a_failed_vote_rejects_and_charges_nothing(hoa: Community) -> None:
    proposal = await hoa.ok(PROPOSE, special(hoa, "5000.00", fund="OPERATING"))
    before = await charges_of(hoa, hoa.association_id)
    meeting = await held_meeting(hoa, present=3)
    closed = await motion(hoa, meeting["id"], ["YES", "NO", "NO"], proposal["id"])
    assert closed["result"] == "FAILED"
    rejected = await hoa.ok(GET, {"id": proposal["id"]})
    assert rejected["status"] == "REJECTED"
    assert rejected["decided_at"] is not None
    assert (rejected["charge_count"], rejected["assessment_type_id"]) == (None, None)
    assert await charges_of(hoa, hoa.association_id) == before
    await balanced_books(hoa, hoa.association_id, DUE)
    await hoa.fails(GET, {"id": proposal["id"]}, 404, "NOT_FOUND", who=hoa.owners[1])
    # a rejected resolution is not voted on again
    await hoa.fails(
        "governance/vote/v1/open",
        {"meeting_id": meeting["id"], "kind": "MOTION", "question": "Again?", "resolution_id": proposal["id"]},
        422, RULE, "NOT_EDITABLE",
    )  # fmt: skip
    await balanced_books(hoa, hoa.association_id)


# --- policies ----------------------------------------------------------------------------------------------------


async def test_policy_resolutions_create_and_amend_versioned_policies(hoa: Community) -> None:
    owner = hoa.owners[2]
    creating = await hoa.ok(
        PROPOSE,
        general(hoa, "Adopt pool rules", kind="POLICY", policy_title="Pool rules", policy_category="AMENITIES",
                policy_body="No glass at the pool."),
    )  # fmt: skip
    policy_id = creating["policy_id"]
    assert policy_id is not None
    draft = await hoa.ok(POLICY, {"id": policy_id})
    assert (draft["status"], draft["current_version"], draft["versions"]) == ("DRAFT", 0, [])
    assert (draft["title"], draft["category"]) == ("Pool rules", "AMENITIES")
    await hoa.fails(POLICY, {"id": policy_id}, 404, "NOT_FOUND", who=owner)
    await hoa.fails(GET, {"id": creating["id"]}, 404, "NOT_FOUND", who=owner)
    owners_list = await hoa.ok("governance/resolution/v1/listPolicies", {"association_id": hoa.association_id}, owner)
    assert policy_id not in ids(owners_list)
    # a second proposal for the same new policy (never adopted yet) drafts the same policy, not another
    rival = await hoa.ok(PROPOSE, general(hoa, "Again", kind="POLICY", policy_title="pool RULES", policy_body="Other."))
    assert rival["policy_id"] == policy_id
    await hoa.ok("governance/resolution/v1/withdraw", {"id": rival["id"]})
    meeting = await held_meeting(hoa, present=3)
    assert (await motion(hoa, meeting["id"], ["YES", "YES", "YES"], creating["id"]))["result"] == "PASSED"
    adopted = await hoa.ok(GET, {"id": creating["id"]})
    assert (adopted["status"], adopted["policy_version"]) == ("ADOPTED", 1)
    active = await hoa.ok(POLICY, {"id": policy_id}, owner)
    assert (active["status"], active["current_version"]) == ("ACTIVE", 1)
    await hoa.fails(
        PROPOSE, general(hoa, "Again", kind="POLICY", policy_title="pool RULES", policy_body="Other."), 422, RULE,
        "DUPLICATE_NAME",
    )  # fmt: skip
    assert [(v["version"], v["body"], v["resolution_id"]) for v in active["versions"]] == [
        (1, "No glass at the pool.", creating["id"])
    ]
    amending = await hoa.ok(
        PROPOSE, general(hoa, "Amend pool rules", kind="POLICY", policy_id=policy_id, policy_body="No glass; no dogs.")
    )
    assert amending["policy_id"] == policy_id
    assert (await hoa.ok(POLICY, {"id": policy_id}))["current_version"] == 1  # until adopted
    assert (await motion(hoa, meeting["id"], ["YES", "NO", "YES"], amending["id"]))["result"] == "PASSED"
    assert (await hoa.ok(GET, {"id": amending["id"]}))["policy_version"] == 2
    both = await hoa.ok(POLICY, {"id": policy_id}, owner)
    assert both["current_version"] == 2
    assert [(v["version"], v["body"], v["resolution_id"]) for v in both["versions"]] == [
        (2, "No glass; no dogs.", amending["id"]),
        (1, "No glass at the pool.", creating["id"]),
    ]
    listed = await hoa.ok("governance/resolution/v1/listPolicies", {"association_id": hoa.association_id}, owner)
    mine = next(p for p in listed["items"] if p["id"] == policy_id)
    assert [v["version"] for v in mine["versions"]] == [2]  # the current version only


# --- superseding and withdrawing ---------------------------------------------------------------------------------


async def test_a_later_resolution_supersedes_one_in_force(hoa: Community) -> None:
    meeting = await held_meeting(hoa, present=2)
    first = await hoa.ok(PROPOSE, general(hoa, "Quiet hours from 10pm"))
    pending = await hoa.ok(PROPOSE, general(hoa, "Quiet hours from 9pm"))
    await hoa.fails(PROPOSE, general(hoa, "Replace a proposal", supersedes_id=pending["id"]), 422, RULE, "NOT_ADOPTED")
    assert (await motion(hoa, meeting["id"], ["YES", "YES"], first["id"]))["result"] == "PASSED"
    second = await hoa.ok(PROPOSE, general(hoa, "Quiet hours from 11pm", supersedes_id=first["id"]))
    assert second["supersedes_id"] == first["id"]
    assert (await hoa.ok(GET, {"id": first["id"]}))["status"] == "ADOPTED"  # in force until the new one is adopted
    assert (await motion(hoa, meeting["id"], ["YES", "YES"], second["id"]))["result"] == "PASSED"
    old = await hoa.ok(GET, {"id": first["id"]})
    assert (old["status"], old["superseded_by_id"]) == ("SUPERSEDED", second["id"])
    assert (await hoa.ok(GET, {"id": second["id"]}))["status"] == "ADOPTED"
    await hoa.fails(PROPOSE, general(hoa, "Replace it again", supersedes_id=first["id"]), 422, RULE, "NOT_ADOPTED")
    seen = await hoa.ok(GET, {"id": first["id"]}, hoa.owners[1])  # owners see the history
    assert seen["status"] == "SUPERSEDED"


async def test_withdraw_before_the_vote_only(hoa: Community) -> None:
    proposal = await hoa.ok(PROPOSE, general(hoa, "Paint the fence green"))
    await hoa.fails("governance/resolution/v1/withdraw", {"id": proposal["id"]}, 404, "NOT_FOUND", who=hoa.owners[1])
    withdrawn = await hoa.ok("governance/resolution/v1/withdraw", {"id": proposal["id"]}, hoa.directors[1])
    assert withdrawn["status"] == "WITHDRAWN"
    await hoa.fails("governance/resolution/v1/withdraw", {"id": proposal["id"]}, 409, "INVALID_STATE_TRANSITION")
    meeting = await held_meeting(hoa, present=2)
    await hoa.fails(
        "governance/vote/v1/open",
        {"meeting_id": meeting["id"], "kind": "MOTION", "question": "Paint?", "resolution_id": proposal["id"]},
        422, RULE, "NOT_EDITABLE",
    )  # fmt: skip
    voting = await hoa.ok(PROPOSE, general(hoa, "Paint the fence blue"))
    vote = await hoa.ok(
        "governance/vote/v1/open",
        {"meeting_id": meeting["id"], "kind": "MOTION", "question": "Blue?", "resolution_id": voting["id"]},
    )
    await hoa.fails("governance/resolution/v1/withdraw", {"id": voting["id"]}, 422, RULE, "VOTE_OPEN")
    assert (await hoa.ok(GET, {"id": voting["id"]}))["status"] == "PROPOSED"
    for director in hoa.directors[:2]:
        await hoa.ok("governance/vote/v1/cast", {"vote_id": vote["id"], "choice": "YES"}, director)
    await hoa.ok("governance/vote/v1/close", {"id": vote["id"]})
    assert (await hoa.ok(GET, {"id": voting["id"]}))["status"] == "ADOPTED"


async def test_owners_see_only_adopted_and_superseded_resolutions(hoa: Community) -> None:
    meeting = await held_meeting(hoa, present=2)
    adopted = await hoa.ok(PROPOSE, general(hoa, "Adopted one"))
    await motion(hoa, meeting["id"], ["YES", "YES"], adopted["id"])
    await hoa.ok(PROPOSE, general(hoa, "Still proposed"))
    everything = await hoa.ok("governance/resolution/v1/list", {"association_id": hoa.association_id, "limit": 200})
    statuses = {r["id"]: r["status"] for r in everything["items"]}
    assert {"ADOPTED", "PROPOSED"} <= set(statuses.values())
    owner = hoa.owners[3]
    theirs = await hoa.ok("governance/resolution/v1/list", {"association_id": hoa.association_id, "limit": 200}, owner)
    assert set(ids(theirs)) == {rid for rid, status in statuses.items() if status in ("ADOPTED", "SUPERSEDED")}
    assert adopted["id"] in ids(theirs)
    proposed = await hoa.ok(
        "governance/resolution/v1/list", {"association_id": hoa.association_id, "status": "PROPOSED"}, owner
    )
    assert proposed["items"] == []
    numbers = [r["number"] for r in everything["items"]]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == len(numbers)  # numbered per association


async def test_the_preview_of_an_adopted_assessment_is_what_was_charged(hoa: Community) -> None:
    side = await annex(hoa, [("A1", "0.250000"), ("A2", "0.750000")])
    proposal = await hoa.ok(PROPOSE, special(side.association_id, "999.99"))
    assert (await annex_board_adopts(hoa, side, proposal["id"]))["result"] == "PASSED"
    charged = await hoa.ok(PREVIEW, {"id": proposal["id"]})
    # a unit added after the levy owes nothing of it, and the split of what was charged does not move
    await add_unit(hoa.client, hoa.manager, hoa.org, side.property_id, "A3", assessment_share="0.500000")
    again = await hoa.ok(PREVIEW, {"id": proposal["id"]})
    assert again["units"] == charged["units"]
    assert [(u["unit_number"], Decimal(u["amount"])) for u in again["units"]] == [
        ("A1", Decimal("250.00")),
        ("A2", Decimal("749.99")),
    ]
