"""A malformed action in an offline batch is answered on its own item (REJECTED, VALIDATION_FAILED, its field errors
within the action), recorded like any refusal (a replay answers it) and never keeps the batch's other actions out;
only a batch that is not 1 to 200 objects each with a `client_action_id` uuid is refused whole, changing nothing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.contractor.field.helpers import Crew, Stop, crew
from tests.support.accounts import Account

pytestmark = pytest.mark.usefixtures("unthrottled")

Item = dict[str, Any]


@pytest.fixture(scope="module")
async def team(shared_client: httpx.AsyncClient) -> Crew:
    return await crew(shared_client, "Field Malformed")


def action(stop: Stop, clock: str, kind: str, payload: Item | None = None) -> Item:
    return {"client_action_id": str(uuid.uuid4()), "client_at": stop.at(clock), "job_id": stop.job_id,
            "visit_id": stop.id, "type": kind, "payload": payload or {}}  # fmt: skip


def without(name: str) -> Callable[[Item], Item]:
    return lambda sent: {key: value for key, value in sent.items() if key != name}


def with_(**changes: Any) -> Callable[[Item], Item]:
    return lambda sent: {**sent, **changes}


MALFORMATIONS: dict[str, tuple[Callable[[Item], Item], str, str | None]] = {
    "an unknown type": (with_(type="teleport"), "/type", "teleport"),
    "no type": (without("type"), "/type", None),
    "a type that is no string": (with_(type=7), "/type", None),
    "a payload failing validation": (
        with_(type="recordMaterial", payload={"code": "PIPE", "quantity": "-2"}),
        "/payload/quantity",
        "recordMaterial",
    ),
    "a payload missing a field": (with_(type="completeStep", payload={}), "/payload/step_id", "completeStep"),
    "a payload with an unknown field": (with_(payload={"colour": "red"}), "/payload/colour", "stop"),
    "a client_at without its offset": (with_(client_at="2030-04-01T09:00:00"), "/client_at", "stop"),
    "a client_at that is no time": (with_(client_at="yesterday"), "/client_at", "stop"),
    "no client_at": (without("client_at"), "/client_at", "stop"),
    "a visit_id that is no uuid": (with_(visit_id="visit-7"), "/visit_id", "stop"),
    "an unknown field": (with_(colour="red"), "/colour", "stop"),
}
TYPES = ("startTravel", "startWork", "stop", "applyChecklist", "completeStep", "uncompleteStep", "uploadMedia",
         "addVoiceNote", "captureSignature", "recordMaterial", "completeVisit")  # fmt: skip


async def send(team: Crew, who: Account, actions: list[Item]) -> list[Item]:
    return list((await team.ok("fieldTech/v1/sync", {"actions": actions}, who=who))["items"])


async def a_visit(team: Crew) -> tuple[Account, Stop]:
    who, technician = await team.newcomer()
    return who, await team.stop(technician)


async def time_entries(team: Crew, who: Account, stop: Stop) -> list[tuple[str, str | None]]:
    entries = (await team.ok("fieldTech/v1/listTimeEntries", {"job_id": stop.job_id}, who=who))["items"]
    return [(e["kind"], e["ended_at"]) for e in entries]


def rejected(answer: Item, field: str) -> None:
    assert (answer["status"], answer["error_code"], answer["reason"]) == ("REJECTED", "VALIDATION_FAILED", None)
    assert answer["record_id"] is None
    assert field in [f["field"] for f in answer["field_errors"]], answer
    assert all(set(f) == {"field", "message", "code"} and f["message"] for f in answer["field_errors"]), answer


@pytest.mark.parametrize("how", list(MALFORMATIONS))
async def test_a_malformed_action_is_rejected_on_its_own_item_and_the_others_apply(team: Crew, how: str) -> None:
    who, stop = await a_visit(team)
    malform, field, named = MALFORMATIONS[how]
    bad = malform(action(stop, "09:30", "stop"))
    batch = [action(stop, "08:30", "startTravel"), bad, action(stop, "09:00", "startWork")]
    answers = await send(team, who, batch)
    assert [a["client_action_id"] for a in answers] == [a["client_action_id"] for a in batch]
    assert [a["status"] for a in answers] == ["APPLIED", "REJECTED", "APPLIED"], answers
    rejected(answers[1], field)
    assert answers[1]["type"] == named
    if field == "/type":
        assert [f["message"] for f in answers[1]["field_errors"]] == [f"type must be one of: {', '.join(TYPES)}"]
    assert await time_entries(team, who, stop) == [("TRAVEL", f"{stop.day}T14:00:00Z"), ("WORK", None)]


async def test_a_malformed_action_is_recorded_and_its_replay_answers_it(team: Crew) -> None:
    who, stop = await a_visit(team)
    bad = with_(payload={"code": "PIPE", "quantity": "lots"}, type="recordMaterial")(action(stop, "09:10", "stop"))
    before = await team.counts()
    (first,) = await send(team, who, [bad])
    rejected(first, "/payload/quantity")
    recorded = await team.counts()
    assert recorded == {**before, "field_sync_actions": before["field_sync_actions"] + 1}
    (again,) = await send(team, who, [bad])
    assert (again["status"], again["original_status"], again["error_code"]) == ("REPLAYED", "REJECTED",
                                                                                "VALIDATION_FAILED")  # fmt: skip
    assert again["field_errors"] == first["field_errors"]
    (theirs,) = await send(team, team.force.manager, [bad])
    assert (theirs["status"], theirs["reason"]) == ("CONFLICT", "ACTION_ID_REUSED")
    corrected = {**bad, "payload": {"code": "PIPE", "quantity": "3"}}
    (reused,) = await send(team, who, [corrected])
    assert (reused["status"], reused["reason"]) == ("CONFLICT", "ACTION_ID_REUSED")
    assert await team.counts() == recorded
    (applied,) = await send(team, who, [{**corrected, "client_action_id": str(uuid.uuid4())}])
    assert applied["status"] == "APPLIED"
    used = (await team.ok("fieldTech/v1/listMaterials", {"job_id": stop.job_id}, who=who))["items"]
    assert [(m["code"], m["quantity"]) for m in used] == [("PIPE", "3.000")]


async def test_a_malformed_copy_of_an_action_in_its_batch_never_loses_the_action(team: Crew) -> None:
    who, stop = await a_visit(team)
    good = action(stop, "08:30", "startTravel")
    copy = {**good, "client_at": "soon"}
    answers = await send(team, who, [copy, good, copy])
    assert [(a["status"], a["reason"]) for a in answers] == [
        ("CONFLICT", "ACTION_ID_REUSED"), ("APPLIED", None), ("CONFLICT", "ACTION_ID_REUSED"),
    ]  # fmt: skip
    assert await time_entries(team, who, stop) == [("TRAVEL", None)]


def batches(stop: Stop) -> list[tuple[Any, str]]:
    """Bodies that are not 1 to 200 objects each with a `client_action_id` uuid, and the field each must name."""
    good = action(stop, "08:30", "startTravel")
    return [
        ({"actions": []}, "/actions"),
        ({"actions": [good] * 201}, "/actions"),
        ({"actions": good}, "/actions"),
        ({"actions": [good, 7]}, "/actions/1"),
        ({"actions": [good, "startWork"]}, "/actions/1"),
        ({"actions": [good, None]}, "/actions/1"),
        ({"actions": [good, without("client_action_id")(good)]}, "/actions/1/client_action_id"),
        ({"actions": [good, {**good, "client_action_id": "not-a-uuid"}]}, "/actions/1/client_action_id"),
        ({"actions": [good, {**good, "client_action_id": 12}]}, "/actions/1/client_action_id"),
        ({"actions": [good], "device": "tablet-3"}, "/device"),
        ({}, "/actions"),
    ]


async def test_a_batch_that_is_not_identified_objects_is_refused_whole_and_changes_nothing(team: Crew) -> None:
    who, stop = await a_visit(team)
    before = await team.counts()
    for body, field in batches(stop):
        error = await team.fails("fieldTech/v1/sync", body, 400, "VALIDATION_FAILED", who=who)
        assert field in [f["field"] for f in error["field_errors"]], (body, error)
    assert await team.counts() == before
    assert await time_entries(team, who, stop) == []
