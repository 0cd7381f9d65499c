"""Who reaches the field work: another contractor's visit, job, step, time entry, template or document is NOT_FOUND
on every procedure that takes one (never FORBIDDEN), exactly like a random id, and changes nothing; the field tables
keep each organization's rows to itself under RLS; an organization that is no contractor is refused."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from hestami.core import runtime
from tests.contractor.field.helpers import Crew, Stop, crew, png, wav
from tests.support.accounts import organization
from tests.support.rpc import fails

pytestmark = pytest.mark.usefixtures("unthrottled")
TABLES = ("field_time_entries", "field_checklist_steps", "field_media", "field_transcriptions", "field_signatures",
          "field_materials", "field_sync_actions")  # fmt: skip


@dataclass
class World:
    home: Crew
    away: Crew
    mine: Stop
    ids: dict[str, str]
    """Away's records: a visit, its job, a checklist step, a time entry, a template, a document."""


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    home, away = await crew(shared_client, "Home Field"), await crew(shared_client, "Away Field")
    theirs = await away.stop()
    steps = await away.ok("fieldTech/v1/applyChecklist", {"visit_id": theirs.id, "template_id": away.template_id})
    entry = await away.ok("fieldTech/v1/startWork", {"visit_id": theirs.id, "at": theirs.at("09:00")})
    photo = await away.ok("fieldTech/v1/uploadMedia", {"visit_id": theirs.id, "file_name": "a.png",
                                                       "content_base64": png()})  # fmt: skip
    await away.ok("fieldTech/v1/addVoiceNote", {"visit_id": theirs.id, "file_name": "a.wav", "content_base64": wav()})
    await away.ok("fieldTech/v1/recordMaterial", {"visit_id": theirs.id, "code": "PIPE", "quantity": "1"})
    await away.ok(
        "fieldTech/v1/captureSignature",
        {
            "visit_id": theirs.id,
            "signer_name": "Pat",
            "purpose": "WORK_SUMMARY",
            "work_summary": "Done",
            "image_base64": png(),
        },
    )
    sync = {"client_action_id": str(uuid.uuid4()), "client_at": theirs.at("09:30"), "job_id": theirs.job_id,
            "visit_id": theirs.id, "type": "recordMaterial", "payload": {"code": "VALVE", "quantity": "1"}}  # fmt: skip
    await away.ok("fieldTech/v1/sync", {"actions": [sync]})
    ids = {"visit": theirs.id, "job": theirs.job_id, "step": steps["items"][0]["id"], "entry": entry["id"],
           "template": away.template_id, "document": photo["document_id"]}  # fmt: skip
    mine = await home.stop()
    return World(home, away, mine, ids)


def calls(ids: dict[str, str], mine: Stop, template: str) -> list[tuple[str, dict[str, Any]]]:
    visit, job = ids["visit"], ids["job"]
    return [
        ("fieldTech/v1/startTravel", {"visit_id": visit}),
        ("fieldTech/v1/startWork", {"visit_id": visit}),
        ("fieldTech/v1/stop", {"visit_id": visit}),
        ("fieldTech/v1/listTimeEntries", {"job_id": job}),
        ("fieldTech/v1/listTimeEntries", {"job_id": mine.job_id, "visit_id": visit}),
        ("fieldTech/v1/correctTimeEntry", {"id": ids["entry"], "ended_at": mine.at("10:00"), "reason": "Fix"}),
        ("fieldTech/v1/applyChecklist", {"visit_id": visit, "template_id": template}),
        ("fieldTech/v1/applyChecklist", {"visit_id": mine.id, "template_id": ids["template"]}),
        ("fieldTech/v1/getChecklist", {"visit_id": visit}),
        ("fieldTech/v1/completeStep", {"step_id": ids["step"]}),
        ("fieldTech/v1/uncompleteStep", {"step_id": ids["step"]}),
        ("fieldTech/v1/uploadMedia", {"visit_id": visit, "file_name": "x.png", "content_base64": png()}),
        ("fieldTech/v1/addVoiceNote", {"visit_id": visit, "file_name": "x.wav", "content_base64": wav()}),
        ("fieldTech/v1/listMedia", {"job_id": job}),
        ("fieldTech/v1/captureSignature", {"visit_id": visit, "signer_name": "X", "purpose": "WORK_SUMMARY",
                                           "work_summary": "Done", "image_base64": png()}),
        ("fieldTech/v1/captureSignature", {"visit_id": mine.id, "signer_name": "X", "purpose": "DOCUMENT",
                                           "signed_document_id": ids["document"], "image_base64": png()}),
        ("fieldTech/v1/listSignatures", {"job_id": job}),
        ("fieldTech/v1/recordMaterial", {"visit_id": visit, "code": "PIPE", "quantity": "1"}),
        ("fieldTech/v1/listMaterials", {"job_id": job}),
        ("fieldTech/v1/completeVisit", {"visit_id": visit}),
    ]  # fmt: skip


async def counts(org: str) -> dict[str, int]:
    async with runtime.current().database.transaction(organization_id=uuid.UUID(org), user_id=None) as s:
        return {t: int((await s.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one()) for t in TABLES}


async def test_another_contractors_records_are_not_found(world: World) -> None:
    home, away = world.home, world.away
    random = {name: str(uuid.uuid4()) for name in world.ids}
    before = (await counts(home.org), await counts(away.org))
    for (path, body), (_, blind) in zip(calls(world.ids, world.mine, home.template_id),
                                        calls(random, world.mine, home.template_id), strict=True):  # fmt: skip
        theirs = await home.fails(path, body, 404, "NOT_FOUND", who=home.force.manager)
        unknown = await home.fails(path, blind, 404, "NOT_FOUND", who=home.force.manager)
        assert theirs["details"]["kind"] == unknown["details"]["kind"], path
        assert theirs["message"] == unknown["message"], path
    assert (await counts(home.org), await counts(away.org)) == before
    assert min(before[1].values()) >= 1


async def test_rls_keeps_each_organizations_rows(world: World) -> None:
    home = await counts(world.home.org)
    assert home["field_time_entries"] == 0
    async with runtime.current().database.transaction(organization_id=uuid.UUID(world.home.org), user_id=None) as s:
        for table in TABLES:
            found = await s.execute(text(f"SELECT count(*) FROM {table} WHERE organization_id = :org"),
                                    {"org": world.away.org})  # fmt: skip
            assert found.scalar_one() == 0, table


async def test_an_organization_that_is_no_contractor_is_refused(world: World) -> None:
    manager = world.home.force.manager
    hoa = str((await organization(world.home.force.client, manager, "Not A Contractor"))["id"])
    await fails(world.home.force.client, manager, hoa, "fieldTech/v1/listMaterials", {"job_id": world.ids["job"]},
                422, "BUSINESS_RULE_VIOLATION", "NOT_A_CONTRACTOR")  # fmt: skip
