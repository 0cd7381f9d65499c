"""Deadlines over HTTP: generated from the requirements' rules for a window (the dates a yearly and a five-yearly
rule give, computed by hand; generating again creates nothing), completed with evidence documents, waived with
a reason (and nothing closed twice), and reminded by their clock once their reminder date has come."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date, timedelta

import httpx
import pytest

from tests.cam.compliance.helpers import Compliance, compliance, today
from tests.support.governance import seat_on_board


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Compliance:
    return await compliance(shared_client, "Deadlines")


async def fresh(hoa: Compliance) -> Compliance:
    """The same organization and people (the board member seated on its board), in an association of its own
    (generation covers every requirement)."""
    association_id = await hoa.association()
    await seat_on_board(hoa.client, hoa.manager, hoa.org, association_id, hoa.board)
    return dataclasses.replace(hoa, association_id=association_id)


async def deadline(hoa: Compliance) -> dict:
    """One open deadline: a yearly requirement due on March 31 (its next March 31)."""
    made = await hoa.requirement()
    return (await hoa.deadlines(made["id"], date(today().year + 1, 12, 31)))[0]


async def test_generation_gives_the_rules_dates_once(hoa: Compliance) -> None:
    hoa = await fresh(hoa)
    now = today()
    # March 31 every year (anchored 2020-03-31), reminded 30 days before (March 1); a study every five years from
    # June 15 four years ago (so next June 15, then five years later, out of the window).
    yearly = await hoa.requirement(rrule="FREQ=YEARLY", anchor_date="2020-03-31", lead_days=30)
    study_anchor = date(now.year - 4, 6, 15)
    study = await hoa.requirement(
        kind="RESERVE_STUDY", rrule="FREQ=YEARLY;INTERVAL=5", anchor_date=study_anchor.isoformat(), lead_days=90
    )
    through = date(now.year + 1, 12, 31)
    body = {"association_id": hoa.association_id, "through": through.isoformat()}
    first = await hoa.ok("compliance/deadline/v1/generate", body)
    # Run on 2026-11-29: 2027-03-31 (this year's March 31 is past) and the study on 2027-06-15.
    march = [date(y, 3, 31) for y in (now.year, now.year + 1) if date(y, 3, 31) >= now]
    assert first == {"created": len(march) + 1, "already_there": 0}

    listed = await hoa.ok("compliance/deadline/v1/list", {"requirement_id": yearly["id"], "limit": 200})
    found = sorted(listed["items"], key=lambda d: d["due_on"])
    assert [d["due_on"] for d in found] == [d.isoformat() for d in march]
    assert [d["remind_on"] for d in found] == [date(d.year, 3, 1).isoformat() for d in march]
    assert all(d["code"] == yearly["code"] and d["title"] == yearly["title"] for d in found)
    assert all(d["status"] in ("UPCOMING", "DUE_SOON") for d in found)
    studies = await hoa.ok("compliance/deadline/v1/list", {"requirement_id": study["id"]})
    assert [d["due_on"] for d in studies["items"]] == [date(now.year + 1, 6, 15).isoformat()]
    assert studies["items"][0]["remind_on"] == (date(now.year + 1, 6, 15) - timedelta(days=90)).isoformat()

    again = await hoa.ok("compliance/deadline/v1/generate", body)
    assert again == {"created": 0, "already_there": first["created"]}
    listed = await hoa.ok("compliance/deadline/v1/list", {"association_id": hoa.association_id, "limit": 200})
    assert len(listed["items"]) == first["created"]
    got = await hoa.ok("compliance/deadline/v1/get", {"id": found[0]["id"]})
    assert got["due_on"] == found[0]["due_on"]


async def test_an_inactive_requirement_generates_nothing(hoa: Compliance) -> None:
    hoa = await fresh(hoa)
    made = await hoa.requirement()
    await hoa.ok("compliance/requirement/v1/update", {"id": made["id"], "active": False})
    body = {"association_id": hoa.association_id, "through": date(today().year + 1, 12, 31).isoformat()}
    assert await hoa.ok("compliance/deadline/v1/generate", body) == {"created": 0, "already_there": 0}


async def test_the_window_is_at_most_three_years(hoa: Compliance) -> None:
    for through in (today() + timedelta(days=3 * 366 + 1), today() - timedelta(days=1)):
        body = {"association_id": hoa.association_id, "through": through.isoformat()}
        await hoa.fails("compliance/deadline/v1/generate", body, 422, "BUSINESS_RULE_VIOLATION", "WINDOW_TOO_LONG")


async def test_completed_with_evidence_and_never_closed_twice(hoa: Compliance) -> None:
    hoa = await fresh(hoa)
    due = await deadline(hoa)
    evidence = [await hoa.document(), await hoa.document()]
    done = await hoa.ok(
        "compliance/deadline/v1/complete", {"id": due["id"], "evidence_document_ids": evidence, "notes": "Filed"}
    )
    assert done["status"] == "COMPLETED"
    assert done["evidence_document_ids"] == evidence
    assert done["completed_by"] == str(hoa.manager.user_id)
    assert done["completed_at"] is not None
    assert done["notes"] == "Filed"
    stored = await hoa.ok("compliance/deadline/v1/get", {"id": due["id"]})
    assert (stored["status"], stored["evidence_document_ids"]) == ("COMPLETED", evidence)
    for path, body in (
        ("compliance/deadline/v1/waive", {"id": due["id"], "notes": "Not this year"}),
        ("compliance/deadline/v1/complete", {"id": due["id"]}),
    ):
        await hoa.fails(path, body, 422, "BUSINESS_RULE_VIOLATION", "ALREADY_CLOSED")
    listed = await hoa.ok("compliance/deadline/v1/list", {"association_id": hoa.association_id, "status": "COMPLETED"})
    assert [d["id"] for d in listed["items"]] == [due["id"]]


async def test_evidence_of_another_association_is_refused(hoa: Compliance) -> None:
    hoa = await fresh(hoa)
    due = await deadline(hoa)
    elsewhere = await hoa.document(await hoa.association())
    body = {"id": due["id"], "evidence_document_ids": [elsewhere]}
    await hoa.fails("compliance/deadline/v1/complete", body, 422, "BUSINESS_RULE_VIOLATION", "WRONG_ASSOCIATION")
    assert (await hoa.ok("compliance/deadline/v1/get", {"id": due["id"]}))["status"] != "COMPLETED"


async def test_a_waiver_needs_its_reason(hoa: Compliance) -> None:
    hoa = await fresh(hoa)
    due = await deadline(hoa)
    for body in ({"id": due["id"]}, {"id": due["id"], "notes": "   "}):
        await hoa.fails("compliance/deadline/v1/waive", body, 400, "VALIDATION_FAILED")
    waived = await hoa.ok("compliance/deadline/v1/waive", {"id": due["id"], "notes": "The meeting moved to May"})
    assert (waived["status"], waived["notes"]) == ("WAIVED", "The meeting moved to May")
    await hoa.fails(
        "compliance/deadline/v1/complete", {"id": due["id"]}, 422, "BUSINESS_RULE_VIOLATION", "ALREADY_CLOSED"
    )


async def test_the_board_signs_off_but_does_not_generate_or_waive(hoa: Compliance) -> None:
    hoa = await fresh(hoa)
    due = await deadline(hoa)
    body = {"association_id": hoa.association_id, "through": today().isoformat()}
    await hoa.fails("compliance/deadline/v1/generate", body, 403, "FORBIDDEN", who=hoa.board)
    waive = {"id": due["id"], "notes": "No"}
    await hoa.fails("compliance/deadline/v1/waive", waive, 403, "FORBIDDEN", who=hoa.board)
    assert (await hoa.ok("compliance/deadline/v1/get", {"id": due["id"]}, hoa.board))["id"] == due["id"]
    done = await hoa.ok("compliance/deadline/v1/complete", {"id": due["id"]}, hoa.board)
    assert (done["status"], done["completed_by"]) == ("COMPLETED", str(hoa.board.user_id))


async def reminders(hoa: Compliance, deadline_id: str) -> list[dict]:
    listed = await hoa.ok("notification/v1/list", {"entity_id": deadline_id, "limit": 200})
    return [n for n in listed["items"] if n["template"] == "compliance.deadline.reminder"]


async def test_a_deadline_inside_its_reminder_period_is_reminded_once(hoa: Compliance) -> None:
    hoa = await fresh(hoa)
    due_on = today() + timedelta(days=5)
    made = await hoa.requirement(
        anchor_date=due_on.isoformat(), lead_days=30, responsible_role="BOARD_MEMBER", code="SOON_FILING"
    )
    (soon,) = await hoa.deadlines(made["id"], today() + timedelta(days=10))
    assert (soon["due_on"], soon["status"]) == (due_on.isoformat(), "DUE_SOON")
    assert soon["remind_on"] == (due_on - timedelta(days=30)).isoformat()
    sent: list[dict] = []
    for _ in range(150):
        sent = await reminders(hoa, soon["id"])
        if sent:
            break
        await asyncio.sleep(0.1)
    # The board (responsible) and the management: the organization's admin here.
    assert sorted(n["recipient"] for n in sent) == sorted([hoa.board.email, hoa.manager.email])
    assert sent[0]["payload"]["requirement"] == "SOON_FILING"
    assert sent[0]["payload"]["due_on"] == due_on.isoformat()
    for _ in range(50):
        if (await hoa.ok("compliance/deadline/v1/get", {"id": soon["id"]}))["reminded_at"]:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)
    assert len(await reminders(hoa, soon["id"])) == 2  # once each
    assert (await hoa.ok("compliance/deadline/v1/get", {"id": soon["id"]}))["reminded_at"] is not None
