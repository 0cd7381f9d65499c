"""The notice sequence on the calendar: courtesy at once, then first and second notices as cure dates pass, then
the hearing at the earliest date its notice allows; each letter once, by every delivery method."""

from __future__ import annotations

import httpx

from tests.cam.violations.helpers import community, wait_for_status
from tests.support.rpc import ok


async def test_uncured_violation_escalates_to_a_hearing(shared_client: httpx.AsyncClient, fast_days: float) -> None:
    c = shared_client
    w = await community(c)
    body = w.sighting("Two trash cans at the curb on a Thursday")
    created = await ok(c, w.manager, w.org, "violation/v1/create", body)
    assert created["reference"].startswith("VIO-")
    assert created["settings"]["hearing_notice_days"] == 14
    done = await wait_for_status(c, w.manager, w.org, created["id"], "HEARING_SCHEDULED")
    assert [h["to_status"] for h in done["history"]] == [
        "OPEN", "NOTICED", "CURE_PERIOD", "ESCALATED", "HEARING_SCHEDULED"
    ]  # fmt: skip
    notices = await ok(c, w.manager, w.org, "violation/v1/listNotices", {"id": created["id"]})
    assert [n["step"] for n in notices["items"]] == ["COURTESY", "FIRST", "SECOND", "HEARING"]
    hearing_notice = notices["items"][-1]
    assert hearing_notice["hearing_at"] is not None
    assert all(n["recipients"] == ["Trish Cans"] for n in notices["items"])
    seen = await ok(c, w.owner, w.org, "violation/v1/get", {"id": created["id"]})
    assert seen["status"] == "HEARING_SCHEDULED"
