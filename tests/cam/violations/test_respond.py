"""The owner's answer: a cure with its photo (kept as CURE evidence, the managers told once), nothing for a
neighbour, and an appeal only within the appeal period."""

from __future__ import annotations

import asyncio
import base64
import io
from datetime import UTC, datetime

import httpx
from PIL import Image

from tests.cam.association.helpers import linked_member, own
from tests.cam.violations.helpers import community, wait_for_status
from tests.support.rpc import fails, ok


def photo() -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, datetime.now(UTC).microsecond % 256, 90)).save(buffer, "PNG")
    return {"file_name": "cured.png", "content_base64": base64.b64encode(buffer.getvalue()).decode()}


async def test_owner_reports_a_cure_and_a_neighbour_sees_nothing(shared_client: httpx.AsyncClient) -> None:
    c = shared_client
    w = await community(c)
    body = w.sighting("Cans at the curb")
    v = await ok(c, w.manager, w.org, "violation/v1/create", body)
    await fails(c, w.owner, w.org, "violation/v1/respond", {"id": v["id"], "action": "CURED"}, 400, "VALIDATION_FAILED")
    answered = await ok(
        c, w.owner, w.org, "violation/v1/respond", {"id": v["id"], "action": "CURED", "photo": photo(), "note": "Done"}
    )
    assert answered["status"] == v["status"] or answered["status"] == "NOTICED"  # a manager resolves it
    listed = await ok(c, w.manager, w.org, "violation/v1/listEvidence", {"id": v["id"]})
    assert [e["purpose"] for e in listed["items"]] == ["CURE"]

    neighbour_unit = await ok(
        c, w.manager, w.org, "unit/v1/create",
        {"property_id": w.unit["property_id"], "unit_number": "14", "unit_type": "SINGLE_FAMILY"},
    )  # fmt: skip
    neighbour, party = await linked_member(c, w.manager, w.org, ["OWNER"], "Ned", "Bor")
    await own(c, w.manager, w.org, neighbour_unit["id"], party["id"])
    await fails(
        c, neighbour, w.org, "violation/v1/respond", {"id": v["id"], "action": "COMMENT", "note": "hi"}, 404,
        "NOT_FOUND",
    )  # fmt: skip
    await fails(c, neighbour, w.org, "violation/v1/listEvidence", {"id": v["id"]}, 404, "NOT_FOUND")
    resolved = await ok(c, w.manager, w.org, "violation/v1/resolve", {"id": v["id"], "resolution": "CURED"})
    assert resolved["status"] == "CURED"


async def test_appeal_only_within_the_appeal_period(shared_client: httpx.AsyncClient, fast_days: float) -> None:
    c = shared_client
    w = await community(c)
    body = w.sighting("Cans at the curb")
    v = await ok(c, w.manager, w.org, "violation/v1/create", body)
    await fails(
        c, w.owner, w.org, "violation/v1/respond", {"id": v["id"], "action": "APPEAL"}, 422,
        "BUSINESS_RULE_VIOLATION", "APPEAL_CLOSED",
    )  # fmt: skip
    await wait_for_status(c, w.manager, w.org, v["id"], "HEARING_SCHEDULED")
    await ok(c, w.owner, w.org, "violation/v1/respond", {"id": v["id"], "action": "REQUEST_HEARING"})
    await ok(c, w.manager, w.org, "violation/v1/recordOutcome", {"id": v["id"], "outcome": "FINED"})
    appeal = {"id": v["id"], "action": "APPEAL", "note": "Unfair"}
    appealed = await ok(c, w.owner, w.org, "violation/v1/respond", appeal)
    assert appealed["status"] == "FINED"
    hearings = await ok(c, w.manager, w.org, "violation/v1/listHearings", {"id": v["id"]})
    assert hearings["items"][-1]["appeal_requested_at"]
    assert hearings["items"][-1]["hearing_requested"]
    await asyncio.sleep(15 * fast_days + 0.2)  # the 15 appeal days pass
    await fails(
        c, w.owner, w.org, "violation/v1/respond", {"id": v["id"], "action": "APPEAL"}, 422,
        "BUSINESS_RULE_VIOLATION", "APPEAL_CLOSED",
    )  # fmt: skip
