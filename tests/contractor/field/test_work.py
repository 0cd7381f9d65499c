"""The work on a visit: the checklist copied from a job template (required steps block completion, naming them),
photos and documents filed as the job's documents, voice notes with their stored transcription, the customer's
signature (once per visit and purpose), materials of the ACTIVE pricebook, and completion: the visit and the
assignment COMPLETED, the job COMPLETED once no other visit is open. Refusals change nothing."""

from __future__ import annotations

import base64

import httpx
import pytest

from tests.contractor.field.helpers import Crew, crew, png, wav

pytestmark = pytest.mark.usefixtures("unthrottled")
RULE = "BUSINESS_RULE_VIOLATION"


@pytest.fixture(scope="module")
async def team(shared_client: httpx.AsyncClient) -> Crew:
    return await crew(shared_client, "Field Work")


async def test_required_steps_block_completion_until_done(team: Crew) -> None:
    stop = await team.stop()
    made = await team.ok("fieldTech/v1/applyChecklist", {"visit_id": stop.id, "template_id": team.template_id})
    assert [(s["position"], s["required"]) for s in made["items"]] == [(1, True), (2, True), (3, False)]
    assert made["required_open"] == 2
    body = {"visit_id": stop.id, "template_id": team.template_id}
    await team.fails("fieldTech/v1/applyChecklist", body, 409, "CONFLICT", "CHECKLIST_EXISTS")
    await team.ok("fieldTech/v1/startWork", {"visit_id": stop.id, "at": stop.at("09:00")})
    first, second, _ = made["items"]
    await team.ok("fieldTech/v1/completeStep", {"step_id": first["id"], "note": "Main valve off"})
    before = await team.counts()
    error = await team.fails("fieldTech/v1/completeVisit", {"visit_id": stop.id}, 422, RULE, "REQUIRED_STEPS_OPEN")
    assert [s["text"] for s in error["details"]["steps"]] == ["Test for leaks"]
    assert "Test for leaks" in error["message"]
    assert await team.counts() == before
    done = await team.ok("fieldTech/v1/completeStep", {"step_id": second["id"]})
    assert done["done_by"] == str(team.tech.user_id)
    undone = await team.ok("fieldTech/v1/uncompleteStep", {"step_id": second["id"], "note": "Drip found"})
    assert (undone["done_at"], undone["note"]) == (None, "Drip found")
    await team.fails("fieldTech/v1/completeVisit", {"visit_id": stop.id}, 422, RULE, "REQUIRED_STEPS_OPEN")
    await team.ok("fieldTech/v1/completeStep", {"step_id": second["id"], "note": "Dry after 10 minutes"})
    completed = await team.ok("fieldTech/v1/completeVisit", {"visit_id": stop.id, "at": stop.at("10:30")})
    assert (completed["visit_status"], completed["job_status"], completed["assignment_status"]) == (
        "COMPLETED", "COMPLETED", "COMPLETED",
    )  # fmt: skip
    assert completed["time_entry_closed"] is not None
    entries = (await team.ok("fieldTech/v1/listTimeEntries", {"job_id": stop.job_id}))["items"]
    assert [(e["kind"], e["minutes"]) for e in entries] == [("WORK", 90)]
    await team.fails("fieldTech/v1/startWork", {"visit_id": stop.id}, 422, RULE, "JOB_CLOSED")


async def test_the_job_completes_with_its_last_open_visit(team: Crew) -> None:
    morning = await team.stop()
    afternoon = await team.another_visit(morning)
    first = await team.ok("fieldTech/v1/completeVisit", {"visit_id": morning.id, "at": morning.at("10:00")})
    assert (first["visit_status"], first["job_status"]) == ("COMPLETED", "IN_PROGRESS")
    await team.fails("fieldTech/v1/stop", {"visit_id": morning.id}, 422, RULE, "VISIT_CLOSED")
    last = await team.ok("fieldTech/v1/completeVisit", {"visit_id": afternoon.id, "at": afternoon.at("15:00")})
    assert (last["visit_status"], last["job_status"]) == ("COMPLETED", "COMPLETED")
    history = await team.force.ok("job/v1/history", {"id": morning.job_id})
    assert [h["to_status"] for h in history["items"]][-3:] == ["DISPATCHED", "IN_PROGRESS", "COMPLETED"]


async def test_photos_documents_and_voice_notes_are_the_jobs_documents(team: Crew) -> None:
    stop = await team.stop()
    photo = {"visit_id": stop.id, "file_name": "before.png", "content_base64": png(1), "caption": "Before"}
    made = await team.ok("fieldTech/v1/uploadMedia", photo)
    assert (made["kind"], made["content_type"], made["caption"]) == ("PHOTO", "image/png", "Before")
    note = {"visit_id": stop.id, "file_name": "note.wav", "content_base64": wav(), "transcript_hint": "Valve seized"}
    heard = await team.ok("fieldTech/v1/addVoiceNote", note)
    assert (heard["kind"], heard["content_type"]) == ("VOICE_NOTE", "audio/x-wav")
    assert (heard["transcript"], heard["transcription_status"], heard["transcription_provider"]) == (
        "Valve seized", "TRANSCRIBED", "recording",
    )  # fmt: skip
    assert heard["transcription_request"] == {
        "document_id": heard["document_id"], "file_name": "note.wav", "content_type": "audio/x-wav",
        "size_bytes": heard["size_bytes"], "sha256": heard["sha256"], "transcript_hint": "Valve seized",
    }  # fmt: skip
    plain = await team.ok("fieldTech/v1/addVoiceNote", {**note, "file_name": "n2.wav", "transcript_hint": None})
    assert plain["transcription_status"] == "RECORDED"
    assert "n2.wav" in plain["transcript"]
    assert "recorded for transcription" in plain["transcript"]
    listed = (await team.ok("fieldTech/v1/listMedia", {"job_id": stop.job_id}))["items"]
    assert [m["id"] for m in listed] == [made["id"], heard["id"], plain["id"]]
    assert listed[1]["transcript"] == "Valve seized"
    attachments = (await team.force.ok("job/v1/listAttachments", {"id": stop.job_id}))["items"]
    assert {a["id"] for a in attachments} == {made["document_id"], heard["document_id"], plain["document_id"]}
    bad = {**photo, "content_base64": base64.b64encode(b"\x00\x01 not an image").decode()}
    before = await team.counts()
    await team.fails("fieldTech/v1/uploadMedia", bad, 422)
    await team.fails("fieldTech/v1/uploadMedia", {**photo, "content_base64": "not base64!"}, 400, "VALIDATION_FAILED")
    assert await team.counts() == before


async def test_a_signature_per_visit_and_purpose(team: Crew) -> None:
    stop = await team.stop()
    summary = {"visit_id": stop.id, "signer_name": "Pat Owner", "purpose": "WORK_SUMMARY", "at": stop.at("11:00"),
               "work_summary": "Replaced the shower valve cartridge.", "image_base64": png(7)}  # fmt: skip
    signed = await team.ok("fieldTech/v1/captureSignature", summary)
    assert (signed["signer_name"], signed["purpose"], signed["signed_at"]) == (
        "Pat Owner", "WORK_SUMMARY", f"{stop.day}T16:00:00Z",
    )  # fmt: skip
    await team.fails("fieldTech/v1/captureSignature", summary, 409, "CONFLICT", "SIGNATURE_EXISTS")
    photo = await team.ok("fieldTech/v1/uploadMedia", {"visit_id": stop.id, "file_name": "w.png",
                                                        "content_base64": png(2)})  # fmt: skip
    document = {**summary, "purpose": "DOCUMENT", "work_summary": None, "signed_document_id": photo["document_id"]}
    on_document = await team.ok("fieldTech/v1/captureSignature", document)
    assert on_document["signed_document_id"] == photo["document_id"]
    elsewhere = await team.stop()
    stranger = {**document, "visit_id": elsewhere.id}
    stranger["signed_document_id"] = "01900000-0000-7000-8000-000000000000"
    await team.fails("fieldTech/v1/captureSignature", stranger, 404, "NOT_FOUND")
    await team.fails("fieldTech/v1/captureSignature", {**summary, "work_summary": None}, 400, "VALIDATION_FAILED")
    listed = (await team.ok("fieldTech/v1/listSignatures", {"job_id": stop.job_id}))["items"]
    assert [s["purpose"] for s in listed] == ["WORK_SUMMARY", "DOCUMENT"]
    kinds = [m["kind"] for m in (await team.ok("fieldTech/v1/listMedia", {"job_id": stop.job_id}))["items"]]
    assert kinds == ["SIGNATURE", "PHOTO", "SIGNATURE"]


async def test_materials_come_from_the_active_pricebook(team: Crew) -> None:
    stop = await team.stop()
    used = await team.ok("fieldTech/v1/recordMaterial", {"visit_id": stop.id, "code": "PIPE", "quantity": "3.5"})
    assert (used["code"], used["name"], used["unit"], used["quantity"]) == ("PIPE", "Copper pipe 1/2 in", "FOOT",
                                                                            "3.500")  # fmt: skip
    await team.ok("fieldTech/v1/recordMaterial", {"visit_id": stop.id, "code": "VALVE", "quantity": "1"})
    await team.ok("fieldTech/v1/recordMaterial", {"visit_id": stop.id, "code": "PIPE", "quantity": "2"})
    before = await team.counts()
    body = {"visit_id": stop.id, "code": "NOPE", "quantity": "1"}
    await team.fails("fieldTech/v1/recordMaterial", body, 422, RULE, "UNKNOWN_ITEM")
    await team.fails("fieldTech/v1/recordMaterial", {**body, "code": "PIPE", "quantity": "0"}, 400, "VALIDATION_FAILED")
    assert await team.counts() == before
    listed = (await team.ok("fieldTech/v1/listMaterials", {"job_id": stop.job_id}))["items"]
    assert [(m["code"], m["quantity"]) for m in listed] == [("PIPE", "3.500"), ("VALVE", "1.000"), ("PIPE", "2.000")]


async def test_vendor_members_read_and_do_not_record(team: Crew) -> None:
    stop = await team.stop()
    vendor = await team.force.member(["VENDOR"])
    await team.ok("fieldTech/v1/recordMaterial", {"visit_id": stop.id, "code": "PIPE", "quantity": "1"})
    listed = await team.ok("fieldTech/v1/listMaterials", {"job_id": stop.job_id}, who=vendor)
    assert len(listed["items"]) == 1
    await team.fails("fieldTech/v1/recordMaterial", {"visit_id": stop.id, "code": "PIPE", "quantity": "1"}, 403,
                     "FORBIDDEN", who=vendor)  # fmt: skip


async def test_a_job_is_not_completed_by_hand_with_required_steps_open(team: Crew) -> None:
    stop = await team.stop()
    made = await team.ok("fieldTech/v1/applyChecklist", {"visit_id": stop.id, "template_id": team.template_id})
    await team.ok("fieldTech/v1/startWork", {"visit_id": stop.id, "at": stop.at("09:00")})
    body = {"id": stop.job_id, "to": "COMPLETED"}
    error = await team.force.fails("job/v1/transition", body, 422, RULE, "REQUIRED_STEPS_OPEN")
    assert [s["position"] for s in error["details"]["steps"]] == [1, 2]
    assert (await team.job(stop.job_id))["status"] == "IN_PROGRESS"
    for step in made["items"][:2]:
        await team.ok("fieldTech/v1/completeStep", {"step_id": step["id"]})
    assert (await team.force.ok("job/v1/transition", body))["status"] == "COMPLETED"
