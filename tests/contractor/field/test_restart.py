"""`kill -9` of the server in the middle of an offline batch, then the device sends the batch again: the batch is one
transaction, so the crash leaves none of it or all of it (never a part), and the resend reaches the same final state
as one clean run: every action applied exactly once (APPLIED, or REPLAYED when the first run had committed).

Runs `hestami serve` as a subprocess (`served_with_clock`) with an executor id of its own; the batch (travel, work,
many photos, materials, stop, completion) takes long enough that the kill lands while it runs."""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from hestami.core.config import Settings
from tests.contractor.field.helpers import png
from tests.support.contractors import served_contractor_profile
from tests.support.serve import ServedCaller, ServeProcess, scoped_rows, served_with_clock

DAY = "2031-03-13"  # a Thursday (CDT, UTC-5)
PHOTOS = 40


@pytest.fixture
def server(
    settings: Settings, stack_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServeProcess]:
    with served_with_clock(stack_env, tmp_path, monkeypatch, "fieldkill", {}) as running:
        yield running


def at(clock: str) -> str:
    return f"{DAY}T{clock}:00-05:00"


def a_visit(admin: ServedCaller) -> tuple[str, str, str]:
    """A contractor (the admin its technician too) with an ACTIVE pricebook and a job's visit assigned on DAY."""
    org = admin.ok("organization/v1/create", {"name": f"Crash Field {secrets.token_hex(3)}",
                                              "type": "SERVICE_PROVIDER"})["organization"]["id"]  # fmt: skip
    served_contractor_profile(admin.ok, org, zip_codes=("78258",))
    tech = admin.ok("technician/v1/create", {"user_id": admin.user_id, "display_name": "Crash Tech"}, org)
    admin.ok("technician/v1/addSkill", {"id": tech["id"], "trade": "PLUMBING", "level": "MASTER"}, org)
    shifts = [{"weekday": "THURSDAY", "start_time": "06:00", "end_time": "20:00"}]
    admin.ok("technician/v1/setShifts", {"id": tech["id"], "shifts": shifts}, org)
    admin.ok("technician/v1/setTerritory", {"id": tech["id"], "zip_codes": ["78258"]}, org)
    version = admin.ok("pricebook/v1/createVersion", {"name": "Crash book"}, org)["id"]
    item = {"version_id": version, "code": "PIPE", "name": "Pipe", "kind": "MATERIAL", "unit": "FOOT", "price": "3.00"}
    admin.ok("pricebook/v1/createItem", item, org)
    admin.ok("pricebook/v1/publishVersion", {"id": version}, org)
    admin.ok("pricebook/v1/activateVersion", {"id": version}, org)
    job = admin.ok("job/v1/create", {"title": "Crash", "trade": "PLUMBING", "zip_code": "78258"}, org)["id"]
    admin.ok("job/v1/transition", {"id": job, "to": "JOB_CREATED"}, org)
    window = {"window_start": at("08:00"), "window_end": at("12:00")}
    visit = admin.ok("job/v1/addVisit", {"job_id": job, **window}, org)["id"]
    admin.ok("dispatch/v1/assignTech", {"visit_id": visit, "technician_id": tech["id"], "starts_at": at("09:00")}, org)
    return org, job, visit


def batch(job: str, visit: str) -> list[dict[str, Any]]:
    def action(clock: str, kind: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"client_action_id": str(uuid.uuid4()), "client_at": at(clock), "job_id": job, "visit_id": visit,
                "type": kind, "payload": payload or {}}  # fmt: skip

    photos = [
        action("09:30", "uploadMedia", {"file_name": f"p{n}.png", "content_base64": png(n, size=32)})
        for n in range(PHOTOS)
    ]
    materials = [action("09:40", "recordMaterial", {"code": "PIPE", "quantity": "1.5"}) for _ in range(5)]
    return [action("08:40", "startTravel"), action("09:00", "startWork"), *photos, *materials,
            action("10:30", "stop"), action("10:35", "completeVisit")]  # fmt: skip


def state(admin: ServedCaller, org: str, job: str) -> dict[str, Any]:
    entries = admin.ok("fieldTech/v1/listTimeEntries", {"job_id": job}, org)["items"]
    media = admin.ok("fieldTech/v1/listMedia", {"job_id": job}, org)["items"]
    used = admin.ok("fieldTech/v1/listMaterials", {"job_id": job}, org)["items"]
    return {
        "job": admin.ok("job/v1/get", {"id": job}, org)["status"],
        "time": [(e["kind"], e["minutes"]) for e in entries],
        "photos": sorted(m["file_name"] for m in media),
        "materials": [m["quantity"] for m in used],
    }


EXPECTED = {
    "job": "COMPLETED",
    "time": [("TRAVEL", 20), ("WORK", 90)],
    "photos": sorted(f"p{n}.png" for n in range(PHOTOS)),
    "materials": ["1.500"] * 5,
}


def test_kill_9_mid_batch_then_a_resend_applies_each_action_once(
    server: ServeProcess, stack_env: dict[str, str]
) -> None:
    server.start()
    admin = ServedCaller.register(server, "fieldkill")
    org, job, visit = a_visit(admin)
    actions = batch(job, visit)
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(admin.post, "fieldTech/v1/sync", {"actions": actions}, org)
        time.sleep(0.5)
        server.kill9()
        try:
            crashed = first.result(timeout=30).status_code != 200
        except httpx.HTTPError:
            crashed = True
    kept = scoped_rows(stack_env, org, "SELECT count(*) FROM field_sync_actions")[0][0]
    assert kept in {0, len(actions)}, kept  # one transaction: none of the batch, or all of it
    server.start()
    answers = admin.ok("fieldTech/v1/sync", {"actions": actions}, org)["items"]
    statuses = {a["status"] for a in answers}
    assert statuses == ({"APPLIED"} if kept == 0 else {"REPLAYED"}), (crashed, answers[:3])
    assert state(admin, org, job) == EXPECTED
    again = admin.ok("fieldTech/v1/sync", {"actions": actions}, org)["items"]
    assert {a["status"] for a in again} == {"REPLAYED"}
    assert state(admin, org, job) == EXPECTED
    assert crashed or kept == len(actions)
