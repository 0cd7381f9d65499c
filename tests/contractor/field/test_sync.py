"""The offline sync: each action applied exactly once by its client id, in order per job (`client_at`, then batch
position) whatever the order it arrives in, each on its own (a failing one never drops the others), replays
answered from the stored outcome, an id reused for another action refused. Property-tested with hypothesis over
shuffled, duplicated and partially failing batches, with malformed items among them (each REJECTED on its own, a
malformed copy of an action ACTION_ID_REUSED): the final state is the one of applying the distinct well-formed
actions once in per-job order. Each kind of malformation on its own: `test_sync_malformed.py`."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.contractor.field.helpers import Crew, Stop, crew, png
from tests.support.accounts import Account

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def team(shared_client: httpx.AsyncClient) -> Crew:
    return await crew(shared_client, "Field Sync")


def action(stop: Stop, clock: str, kind: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"client_action_id": str(uuid.uuid4()), "client_at": stop.at(clock), "job_id": stop.job_id,
            "visit_id": stop.id, "type": kind, "payload": payload or {}}  # fmt: skip


@dataclass
class Day:
    """One technician's visit, its checklist, and the actions of the visit in the order they happened."""

    who: Account
    stop: Stop
    actions: list[dict[str, Any]]


async def a_day(team: Crew, *, reassigned: bool = False) -> Day:
    who, technician = await team.newcomer()
    stop = await team.stop(technician)
    steps = (await team.ok("fieldTech/v1/applyChecklist", {"visit_id": stop.id, "template_id": team.template_id},
                           who=who))["items"]  # fmt: skip
    actions = [
        action(stop, "08:30", "startTravel"),
        action(stop, "09:00", "startWork"),
        action(stop, "09:10", "completeStep", {"step_id": steps[0]["id"], "note": "Water off"}),
        action(stop, "09:20", "recordMaterial", {"code": "PIPE", "quantity": "2"}),
        action(stop, "09:25", "recordMaterial", {"code": "NOPE", "quantity": "1"}),
        action(stop, "09:30", "completeStep", {"step_id": steps[1]["id"]}),
        action(stop, "09:40", "uploadMedia", {"file_name": "after.png", "content_base64": png(3)}),
        action(stop, "10:00", "stop"),
        action(stop, "10:05", "completeVisit"),
    ]
    if reassigned:
        later = await team.another_visit(stop, technician)
        await team.force.ok("dispatch/v1/unassignTech", {"assignment_id": later.assignment_id, "reason": "Swap"})
        actions.append(action(later, "13:30", "startWork"))
    return Day(who, stop, actions)


EXPECTED = {
    "startTravel": "APPLIED", "startWork": "APPLIED", "completeStep": "APPLIED", "recordMaterial": "APPLIED",
    "uploadMedia": "APPLIED", "stop": "APPLIED", "completeVisit": "APPLIED",
}  # fmt: skip


MALFORMED: dict[str, tuple[dict[str, Any], str]] = {
    "unknown type": ({"type": "teleport"}, "/type"),
    "bad payload": ({"type": "recordMaterial", "payload": {"code": "PIPE", "quantity": "-1"}}, "/payload/quantity"),
    "bad client_at": ({"client_at": "2030-04-01T09:00:00"}, "/client_at"),
    "unknown field": ({"colour": "red"}, "/colour"),
}
"""How an item is malformed: what replaces the action's fields, and the field its answer names."""


@dataclass(frozen=True)
class Sent:
    """An item of the property test's batches: whose, as sent, and for a malformed one the field it must name
    (`copy`: it keeps the id of the well-formed action it was made from)."""

    day: Day
    body: dict[str, Any]
    field: str | None = None
    copy: bool = False


def malformed(day: Day, source: dict[str, Any], how: str, copy: bool) -> Sent:
    changes, field = MALFORMED[how]
    body = {**source, **changes, "client_action_id": source["client_action_id"] if copy else str(uuid.uuid4())}
    return Sent(day, body, field, copy)


def expected_status(sent: dict[str, Any]) -> tuple[str, str | None]:
    if sent["payload"].get("code") == "NOPE":
        return "REJECTED", "UNKNOWN_ITEM"
    if sent["type"] == "startWork" and sent["client_at"].endswith("T13:30:00-05:00"):
        return "CONFLICT", "VISIT_REASSIGNED"
    return EXPECTED[sent["type"]], None


async def final_state(team: Crew, day: Day) -> dict[str, Any]:
    job = await team.job(day.stop.job_id)
    of_job = {"job_id": day.stop.job_id}
    entries = (await team.ok("fieldTech/v1/listTimeEntries", of_job, who=day.who))["items"]
    steps = (await team.ok("fieldTech/v1/getChecklist", {"visit_id": day.stop.id}, who=day.who))["items"]
    used = (await team.ok("fieldTech/v1/listMaterials", of_job, who=day.who))["items"]
    media = (await team.ok("fieldTech/v1/listMedia", of_job, who=day.who))["items"]
    return {
        "job": job["status"],
        "visits": [v["status"] for v in job["visits"]],
        "time": [(e["kind"], e["started_at"], e["ended_at"], e["minutes"]) for e in entries],
        "steps": [(s["position"], s["done_at"] is not None, s["note"]) for s in steps],
        "materials": [(m["code"], m["quantity"]) for m in used],
        "media": [(m["kind"], m["file_name"]) for m in media],
    }


def reference(day: Day, reassigned: bool) -> dict[str, Any]:
    """The state of applying the day's distinct actions once, in order."""
    at = day.stop.at
    return {
        "job": "IN_PROGRESS" if reassigned else "COMPLETED",
        "visits": ["COMPLETED", "UNSCHEDULED"] if reassigned else ["COMPLETED"],
        "time": [
            ("TRAVEL", _utc(at("08:30")), _utc(at("09:00")), 30),
            ("WORK", _utc(at("09:00")), _utc(at("10:00")), 60),
        ],
        "steps": [(1, True, "Water off"), (2, True, None), (3, False, None)],
        "materials": [("PIPE", "2.000")],
        "media": [("PHOTO", "after.png")],
    }


def _utc(local: str) -> str:
    day, clock = local[:10], local[11:16]
    hour = int(clock[:2]) + 5
    return f"{day}T{hour:02d}:{clock[3:]}:00Z"


async def send(team: Crew, who: Account, actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return list((await team.ok("fieldTech/v1/sync", {"actions": actions}, who=who))["items"])


async def test_a_batch_applies_each_action_once_in_order_and_reports_each(team: Crew) -> None:
    day = await a_day(team, reassigned=True)
    shuffled = [*reversed(day.actions), day.actions[1], day.actions[3]]
    answers = await send(team, day.who, shuffled)
    assert [a["client_action_id"] for a in answers] == [s["client_action_id"] for s in shuffled]
    for sent, answer in zip(shuffled[: len(day.actions)], answers, strict=False):
        assert (answer["status"], answer["reason"]) == expected_status(sent), answer
    assert [a["status"] for a in answers[-2:]] == ["REPLAYED", "REPLAYED"]
    assert [a["original_status"] for a in answers[-2:]] == ["APPLIED", "APPLIED"]
    assert await final_state(team, day) == reference(day, reassigned=True)
    again = await send(team, day.who, day.actions)
    assert {a["status"] for a in again} == {"REPLAYED"}
    assert [a["record_id"] for a in again] == [a["record_id"] for a in reversed(answers[: len(day.actions)])]
    assert await final_state(team, day) == reference(day, reassigned=True)


async def test_an_id_reused_for_another_action_is_a_conflict(team: Crew) -> None:
    day = await a_day(team)
    material = day.actions[3]
    tampered = {**material, "payload": {"code": "PIPE", "quantity": "9"}}
    answers = await send(team, day.who, [material, tampered])
    assert [(a["status"], a["reason"]) for a in answers] == [("APPLIED", None), ("CONFLICT", "ACTION_ID_REUSED")]
    used = (await team.ok("fieldTech/v1/listMaterials", {"job_id": day.stop.job_id}, who=day.who))["items"]
    assert [m["quantity"] for m in used] == ["2.000"]


async def test_another_technicians_actions_on_my_visit_are_not_found(team: Crew) -> None:
    mine, theirs = await a_day(team), await a_day(team)
    answers = await send(team, theirs.who, mine.actions[:2])
    assert [(a["status"], a["error_code"]) for a in answers] == [("REJECTED", "NOT_FOUND")] * 2
    wrong_job = {**theirs.actions[0], "job_id": mine.stop.job_id, "client_action_id": str(uuid.uuid4())}
    (answer,) = await send(team, theirs.who, [wrong_job])
    assert (answer["status"], answer["error_code"]) == ("REJECTED", "NOT_FOUND")


@settings(max_examples=8, deadline=None, database=None, phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(data=st.data())
async def test_shuffled_duplicated_partially_failing_batches_reach_the_reference_state(
    team: Crew, data: st.DataObject
) -> None:
    reassigned = data.draw(st.booleans(), label="reassigned")
    days = [await a_day(team, reassigned=reassigned), await a_day(team)]
    everything = [Sent(d, a) for d in days for a in d.actions]
    spoiled = data.draw(st.lists(st.tuples(st.sampled_from(everything), st.sampled_from(sorted(MALFORMED)),
                                           st.booleans()), max_size=4), label="malformed")  # fmt: skip
    everything += [malformed(source.day, source.body, how, copy) for source, how, copy in spoiled]
    extra = data.draw(st.lists(st.sampled_from(range(len(everything))), max_size=6), label="duplicates")
    batch = data.draw(st.permutations(list(range(len(everything))) + extra), label="order")
    by_who: dict[int, list[int]] = {}
    for index in batch:
        by_who.setdefault(days.index(everything[index].day), []).append(index)
    for who, indexes in by_who.items():
        answers = await send(team, days[who].who, [everything[i].body for i in indexes])
        seen: set[int] = set()
        for index, answer in zip(indexes, answers, strict=True):
            check_answer(everything[index], answer, replayed=index in seen)
            seen.add(index)
    resend = data.draw(st.lists(st.sampled_from(range(len(everything))), min_size=1, max_size=5), label="resend")
    for index in resend:
        (answer,) = await send(team, everything[index].day.who, [everything[index].body])
        check_answer(everything[index], answer, replayed=True)
    for number, day in enumerate(days):
        assert await final_state(team, day) == reference(day, reassigned=reassigned and number == 0)


def check_answer(sent: Sent, answer: dict[str, Any], *, replayed: bool) -> None:
    """A malformed copy is ACTION_ID_REUSED (its action, well-formed, is applied first, whatever the order); a
    malformed item is REJECTED naming its field, then REPLAYED; the others as `expected_status`, then REPLAYED."""
    if sent.copy:
        assert (answer["status"], answer["reason"]) == ("CONFLICT", "ACTION_ID_REUSED"), answer
        return
    if sent.field is not None:
        status = ("REPLAYED", "REJECTED") if replayed else ("REJECTED", None)
        assert (answer["status"], answer["original_status"], answer["error_code"]) == (*status, "VALIDATION_FAILED")
        assert sent.field in [f["field"] for f in answer["field_errors"]], answer
        return
    if replayed:
        assert answer["status"] == "REPLAYED", answer
    else:
        assert (answer["status"], answer["reason"]) == expected_status(sent.body), answer


async def test_a_technicians_timers_across_jobs_follow_the_clock(team: Crew) -> None:
    who, technician = await team.newcomer()
    morning = await team.stop(technician)
    window = {"window_start": morning.at("13:00"), "window_end": morning.at("16:00")}
    job = await team.force.ok("job/v1/create", {"title": "Afternoon call", "trade": "PLUMBING", "zip_code": "78258"})
    await team.force.ok("job/v1/transition", {"id": job["id"], "to": "JOB_CREATED"})
    later = await team.force.ok("job/v1/addVisit", {"job_id": job["id"], "duration_minutes": 60, **window})
    body = {"visit_id": later["id"], "technician_id": technician["id"], "starts_at": morning.at("14:00")}
    await team.force.ok("dispatch/v1/assignTech", body)
    afternoon = Stop(later["id"], job["id"], morning.day, "", technician["id"])
    sent = [action(afternoon, "13:40", "startTravel"), action(morning, "09:00", "startWork")]
    answers = await send(team, who, sent)
    assert [a["status"] for a in answers] == ["APPLIED", "APPLIED"]
    mine = (await team.ok("fieldTech/v1/listTimeEntries", {"job_id": morning.job_id}, who=who))["items"]
    assert [(e["kind"], e["minutes"]) for e in mine] == [("WORK", 280)]


async def test_another_users_replay_of_an_id_is_a_conflict(team: Crew) -> None:
    day = await a_day(team)
    (first,) = await send(team, day.who, day.actions[:1])
    assert first["status"] == "APPLIED"
    (theirs,) = await send(team, team.force.manager, day.actions[:1])
    assert (theirs["status"], theirs["reason"], theirs["record_id"]) == ("CONFLICT", "ACTION_ID_REUSED", None)


async def test_two_devices_sending_one_batch_at_once_apply_it_once(team: Crew) -> None:
    day = await a_day(team)
    body = {"actions": day.actions}
    responses = await asyncio.gather(
        *(team.force.client.post("/api/v1/rpc/fieldTech/v1/sync", json=body, headers=day.who.headers(team.org))
          for _ in range(2))
    )  # fmt: skip
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    first, second = (r.json()["data"]["items"] for r in responses)
    for one, other in zip(first, second, strict=True):
        assert sorted([one["status"], other["status"]]) in (["APPLIED", "REPLAYED"], ["REJECTED", "REPLAYED"]), (
            one, other,
        )  # fmt: skip
    assert await final_state(team, day) == reference(day, reassigned=False)
