"""Who reaches jobs and customers. Another contractor's id is NOT_FOUND on every procedure that takes one (never
FORBIDDEN; lists show none of them), exactly like a random id, and changes nothing. Within the contractor: management
and dispatchers keep jobs and customers; VENDOR members read them (not the internal notes); a technician sees only
the jobs they work (dispatch says who: here `working`) and makes the field's moves on them; other jobs and the
customers are NOT_FOUND for a technician."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.contractor.job.helpers import Workforce, contractor, customer, job_in, working
from tests.support.accounts import Account
from tests.support.rpc import all_ids, fails, ok, post

pytestmark = pytest.mark.usefixtures("unthrottled")

WINDOW = {"window_start": "2030-06-12T08:00:00-05:00", "window_end": "2030-06-12T12:00:00-05:00"}
TEXT = base64.b64encode(b"Signed work authorization.\n").decode()


@dataclass
class World:
    home: Workforce
    customer: dict[str, Any]
    job: dict[str, Any]  # JOB_CREATED, with a visit, a QA checkpoint, notes (internal and shared) and a file
    visit: dict[str, Any]
    checkpoint: dict[str, Any]
    attachment: dict[str, Any]
    stranger: Workforce


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    home = await contractor(shared_client, "Home Jobs")
    client = await customer(home)
    job = await job_in(home, "JOB_CREATED", customer_id=client["id"])
    visit = await home.ok("job/v1/addVisit", {"job_id": job["id"], **WINDOW})
    checkpoint = await home.ok("job/v1/addCheckpoint", {"job_id": job["id"], "kind": "QA", "title": "Walk-through"})
    await home.ok("job/v1/addNote", {"job_id": job["id"], "body": "Gate code 4411"})
    await home.ok("job/v1/addNote", {"job_id": job["id"], "body": "Arriving 9 am", "internal": False})
    attachment = await home.ok(
        "job/v1/addAttachment",
        {"id": job["id"], "file_name": "authorization.txt", "content_type": "text/plain", "content_base64": TEXT},
    )
    stranger = await contractor(shared_client, "Stranger Jobs")
    return World(home, client, job, visit, checkpoint, attachment, stranger)


def calls(w: World, ids: dict[str, str]) -> list[tuple[str, dict[str, Any], str]]:
    """Every procedure that takes a customer, job, visit or checkpoint id, with an otherwise valid body, and the kind
    of the id it is about."""
    c, j, v, k = ids["customer"], ids["job"], ids["visit"], ids["checkpoint"]
    return [
        ("customer/v1/get", {"id": c}, "customer"),
        ("customer/v1/update", {"id": c, "phone": "(512) 555-0000"}, "customer"),
        ("customer/v1/delete", {"id": c}, "customer"),
        ("job/v1/create", {"title": "X", "trade": "PLUMBING", "customer_id": c}, "customer"),
        ("job/v1/update", {"id": j, "customer_id": None, "title": "Y"}, "job"),
        ("job/v1/get", {"id": j}, "job"),
        ("job/v1/history", {"id": j}, "job"),
        ("job/v1/transition", {"id": j, "to": "SCHEDULED"}, "job"),
        ("job/v1/convert", {"id": j}, "job"),
        ("job/v1/cancel", {"id": j, "reason": "No"}, "job"),
        ("job/v1/addNote", {"job_id": j, "body": "Hi"}, "job"),
        ("job/v1/listNotes", {"job_id": j}, "job"),
        (
            "job/v1/addAttachment",
            {"id": j, "file_name": "a.txt", "content_type": "text/plain", "content_base64": TEXT},
            "job",
        ),
        ("job/v1/listAttachments", {"id": j}, "job"),
        ("job/v1/downloadAttachment", {"id": j, "attachment_id": ids["attachment"]}, "job"),
        ("job/v1/addVisit", {"job_id": j, **WINDOW}, "job"),
        ("job/v1/updateVisit", {"id": v, "duration_minutes": 30}, "job_visit"),
        ("job/v1/cancelVisit", {"id": v}, "job_visit"),
        ("job/v1/addCheckpoint", {"job_id": j, "kind": "QA", "title": "Again"}, "job"),
        ("job/v1/completeCheckpoint", {"id": k, "passed": True}, "job_checkpoint"),
    ]


def own_ids(w: World) -> dict[str, str]:
    return {"customer": w.customer["id"], "job": w.job["id"], "visit": w.visit["id"],
            "checkpoint": w.checkpoint["id"], "attachment": w.attachment["id"]}  # fmt: skip


async def unchanged(w: World) -> None:
    now = await w.home.ok("job/v1/get", {"id": w.job["id"]})
    assert (now["status"], now["title"], len(now["notes"]), len(now["visits"])) == ("JOB_CREATED", w.job["title"], 2, 1)
    assert now["visits"][0] == w.visit
    assert now["checkpoints"] == [w.checkpoint]
    assert await w.home.ok("customer/v1/get", {"id": w.customer["id"]}) == w.customer
    files = await w.home.ok("job/v1/listAttachments", {"id": w.job["id"]})
    assert [a["id"] for a in files["items"]] == [w.attachment["id"]]


async def test_another_contractors_records_are_not_found_everywhere(world: World) -> None:
    w = world
    random = {name: str(uuid.uuid4()) for name in own_ids(w)}
    for (path, body, kind), (_, random_body, _) in zip(calls(w, own_ids(w)), calls(w, random), strict=True):
        target = own_ids(w)["visit" if kind == "job_visit" else "checkpoint" if kind == "job_checkpoint" else kind]
        error = await w.stranger.fails(path, body, 404, "NOT_FOUND")
        assert error["details"] == {"kind": kind, "id": target}, path
        other = await w.stranger.fails(path, random_body, 404, "NOT_FOUND")
        assert other["message"] == error["message"], path
    for path in ("job/v1/list", "customer/v1/list"):
        assert not {w.job["id"], w.customer["id"]} & await all_ids(w.stranger.client, w.stranger.manager,
                                                                   w.stranger.org, path)  # fmt: skip
    await unchanged(w)


async def test_vendor_members_read_but_not_the_internal_notes(world: World) -> None:
    w, c = world, world.home.client
    vendor = await w.home.member(["VENDOR"])
    reads = {"customer/v1/get", "job/v1/get", "job/v1/history", "job/v1/listNotes", "job/v1/listAttachments",
             "job/v1/downloadAttachment"}  # fmt: skip
    for path, body, _ in calls(w, own_ids(w)):
        if path in reads:
            await ok(c, vendor, w.home.org, path, body)
        else:
            await fails(c, vendor, w.home.org, path, body, 403, "FORBIDDEN")
    notes = await ok(c, vendor, w.home.org, "job/v1/listNotes", {"job_id": w.job["id"]})
    assert [n["body"] for n in notes["items"]] == ["Arriving 9 am"]
    detail = await ok(c, vendor, w.home.org, "job/v1/get", {"id": w.job["id"]})
    assert [n["body"] for n in detail["notes"]] == ["Arriving 9 am"]
    assert w.job["id"] in await all_ids(c, vendor, w.home.org, "job/v1/list")
    assert w.customer["id"] in await all_ids(c, vendor, w.home.org, "customer/v1/list")
    await unchanged(w)


async def test_a_technician_sees_only_the_jobs_they_work(world: World) -> None:
    w, c = world, world.home.client
    tech = await w.home.member(["TECHNICIAN"])
    for path, body, kind in calls(w, own_ids(w)):
        if path == "job/v1/create":  # opening jobs is not a technician's, whatever the customer
            await fails(c, tech, w.home.org, path, body, 403, "FORBIDDEN")
            continue
        error = await fails(c, tech, w.home.org, path, body, 404, "NOT_FOUND")
        assert error["details"]["kind"] == kind, path
    assert await all_ids(c, tech, w.home.org, "job/v1/list") == set()
    assert await all_ids(c, tech, w.home.org, "customer/v1/list") == set()
    await unchanged(w)


async def test_a_technician_working_the_job_records_its_progress(world: World) -> None:
    w, c = world, world.home.client
    tech: Account = await w.home.member(["TECHNICIAN"])
    job = await job_in(w.home, "DISPATCHED")
    visit = await w.home.ok("job/v1/addVisit", {"job_id": job["id"], **WINDOW})
    qa = await w.home.ok("job/v1/addCheckpoint", {"job_id": job["id"], "kind": "QA", "title": "QA"})
    await w.home.ok("job/v1/addNote", {"job_id": job["id"], "body": "Dog in the yard"})
    async with working({job["id"]: [tech.user_id]}):
        seen = await ok(c, tech, w.home.org, "job/v1/get", {"id": job["id"]})
        assert [n["body"] for n in seen["notes"]] == ["Dog in the yard"]
        for step in ("IN_PROGRESS", "ON_HOLD", "IN_PROGRESS", "COMPLETED"):
            await ok(c, tech, w.home.org, "job/v1/transition", {"id": job["id"], "to": step})
        note = await ok(c, tech, w.home.org, "job/v1/addNote", {"job_id": job["id"], "body": "Replaced the valve"})
        assert (note["internal"], note["author_user_id"]) == (True, str(tech.user_id))
        photo = {"id": job["id"], "file_name": "after.txt", "content_type": "text/plain", "content_base64": TEXT}
        await ok(c, tech, w.home.org, "job/v1/addAttachment", photo)
        refused = [
            ("job/v1/transition", {"id": job["id"], "to": "INVOICED"}),
            ("job/v1/update", {"id": job["id"], "title": "Mine"}),
            ("job/v1/updateVisit", {"id": visit["id"], "pinned": True}),
            ("job/v1/cancelVisit", {"id": visit["id"]}),
            ("job/v1/addVisit", {"job_id": job["id"]}),
            ("job/v1/addCheckpoint", {"job_id": job["id"], "kind": "WARRANTY", "title": "W"}),
            ("job/v1/completeCheckpoint", {"id": qa["id"], "passed": True}),
        ]
        for path, body in refused:
            response = await post(c, tech, w.home.org, path, body)
            assert response.status_code == 403, f"{path}: {response.text}"
        await fails(c, tech, w.home.org, "customer/v1/get", {"id": w.customer["id"]}, 404, "NOT_FOUND")
    await fails(c, tech, w.home.org, "job/v1/get", {"id": job["id"]}, 404, "NOT_FOUND")
    history = await w.home.ok("job/v1/history", {"id": job["id"]})
    assert [h["actor_user_id"] for h in history["items"]][-4:] == [str(tech.user_id)] * 4


async def test_dispatchers_keep_jobs_and_customers(world: World) -> None:
    w, c = world, world.home.client
    dispatcher = await w.home.member(["DISPATCHER"])
    made = await ok(c, dispatcher, w.home.org, "customer/v1/create", {"name": "Walk-in Wanda"})
    job = await ok(c, dispatcher, w.home.org, "job/v1/create",
                   {"title": "Drain", "trade": "PLUMBING", "customer_id": made["id"]})  # fmt: skip
    await ok(c, dispatcher, w.home.org, "job/v1/convert", {"id": job["id"]})
    visit = await ok(c, dispatcher, w.home.org, "job/v1/addVisit", {"job_id": job["id"], **WINDOW})
    await ok(c, dispatcher, w.home.org, "job/v1/updateVisit", {"id": visit["id"], "pinned": True})
    await ok(c, dispatcher, w.home.org, "job/v1/transition", {"id": job["id"], "to": "SCHEDULED"})
    qa = await ok(c, dispatcher, w.home.org, "job/v1/addCheckpoint", {"job_id": job["id"], "kind": "QA", "title": "Q"})
    await ok(c, dispatcher, w.home.org, "job/v1/completeCheckpoint", {"id": qa["id"], "passed": True})
    await ok(c, dispatcher, w.home.org, "job/v1/cancel", {"id": job["id"], "reason": "Duplicate"})
    await ok(c, dispatcher, w.home.org, "customer/v1/delete", {"id": made["id"]})
