"""Calendar events through HTTP: scheduling with validation (times, rules, common areas of the same association),
who sees which events, occurrences in a window (weekly rules, cancelled occurrences, window limits, the 500 cap,
UTC across daylight saving), cancelling, and telling the audience once per change."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.cam.bulletin.helpers import EVENT, Community, community, outbound
from tests.support.rpc import ids

CREATE, GET, LIST, UPDATE = (f"{EVENT}/{name}" for name in ("create", "get", "list", "update"))
CANCEL, SKIP, OCCURRENCES = (f"{EVENT}/{name}" for name in ("cancel", "cancelOccurrence", "occurrences"))
TUESDAY = datetime(2030, 3, 5, 19, tzinfo=UTC)  # US daylight saving begins Sunday, March 10, 2030


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Community:
    return await community(shared_client, "Calendar")


def window(start: datetime, days: float) -> dict[str, str]:
    return {"from": start.isoformat(), "to": (start + timedelta(days=days)).isoformat()}


async def occurrences(hoa: Community, who: Any = None, **body: Any) -> dict[str, Any]:
    return dict(await hoa.ok(OCCURRENCES, {"association_id": hoa.association_id, **body}, who))


async def test_an_event_is_scheduled_with_its_place(hoa: Community) -> None:
    closure = await hoa.event(
        title="Pool closed for resurfacing", event_type="AMENITY_CLOSURE", common_area_id=hoa.area_id,
        location="Pool deck", all_day=True, description="The deck is resurfaced.",
    )  # fmt: skip
    assert (closure["status"], closure["revision"], closure["visibility"]) == ("SCHEDULED", 1, "OWNERS")
    assert (closure["common_area_id"], closure["all_day"], closure["rrule"]) == (hoa.area_id, True, None)
    assert closure["exdates"] == []
    got = await hoa.ok(GET, {"id": closure["id"]}, hoa.owners[0])
    assert got == closure
    moved = await hoa.ok(UPDATE, {"id": closure["id"], "common_area_id": None, "location": None})
    assert (moved["common_area_id"], moved["location"], moved["revision"]) == (None, None, 1)  # not a new time


async def test_a_common_area_of_another_association_is_refused(hoa: Community) -> None:
    error = await hoa.fails(
        CREATE,
        {"association_id": hoa.association_id, "title": "Swim", "event_type": "SOCIAL",
         "starts_at": TUESDAY.isoformat(), "ends_at": (TUESDAY + timedelta(hours=1)).isoformat(),
         "common_area_id": hoa.other_area_id},
        422, "BUSINESS_RULE_VIOLATION", "WRONG_ASSOCIATION",
    )  # fmt: skip
    assert error["details"]["common_area_id"] == hoa.other_area_id
    event = await hoa.event()
    await hoa.fails(
        UPDATE, {"id": event["id"], "common_area_id": hoa.other_area_id}, 422, "BUSINESS_RULE_VIOLATION",
        "WRONG_ASSOCIATION",
    )  # fmt: skip
    await hoa.fails(UPDATE, {"id": event["id"], "common_area_id": str(uuid.uuid4())}, 404, "NOT_FOUND")
    assert (await hoa.ok(GET, {"id": event["id"]}))["common_area_id"] is None


async def test_times_and_rules_are_validated(hoa: Community) -> None:
    base = {"association_id": hoa.association_id, "title": "Bad", "event_type": "OTHER",
            "starts_at": TUESDAY.isoformat(), "ends_at": (TUESDAY + timedelta(hours=1)).isoformat()}  # fmt: skip
    cases: list[tuple[dict[str, Any], str]] = [
        ({**base, "ends_at": TUESDAY.isoformat()}, ""),
        ({**base, "ends_at": (TUESDAY - timedelta(hours=1)).isoformat()}, ""),
        ({**base, "ends_at": (TUESDAY + timedelta(days=400)).isoformat()}, ""),
        ({**base, "starts_at": "2030-03-05T19:00:00"}, "/starts_at"),
        ({**base, "event_type": "PARTY"}, "/event_type"),
        ({**base, "visibility": "PUBLIC"}, "/visibility"),
        ({**base, "rrule": "FREQ=HOURLY"}, "/rrule"),
        ({**base, "rrule": "FREQ=WEEKLY;BYDAY=XX"}, "/rrule"),
        ({**base, "rrule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}, "/rrule"),
        ({**base, "rrule": "FREQ=WEEKLY;UNTIL=20200101"}, "/rrule"),
        ({**base, "rrule": "FREQ=WEEKLY;BYHOUR=7"}, "/rrule"),
    ]
    for body, field in cases:
        error = await hoa.fails(CREATE, body, 400, "VALIDATION_FAILED")
        assert any(e["field"].startswith(field) for e in error["field_errors"]), (body, error)
    event = await hoa.event(rrule="FREQ=WEEKLY")
    await hoa.fails(
        UPDATE, {"id": event["id"], "ends_at": event["starts_at"]}, 422, "BUSINESS_RULE_VIOLATION", "ENDS_BEFORE_START"
    )
    await hoa.fails(UPDATE, {"id": event["id"], "rrule": "FREQ=SECONDLY"}, 400, "VALIDATION_FAILED")
    too_long = (datetime.fromisoformat(event["starts_at"]) + timedelta(days=367)).isoformat()
    await hoa.fails(UPDATE, {"id": event["id"], "ends_at": too_long}, 422, "BUSINESS_RULE_VIOLATION", "TOO_LONG")
    assert (await hoa.ok(GET, {"id": event["id"]})) == event


async def test_who_sees_which_events(hoa: Community) -> None:
    social = await hoa.event(title="Chili cook-off")
    board = await hoa.event(title="Budget workshop", event_type="MEETING", visibility="BOARD")
    for who in (hoa.manager, hoa.director):
        for event in (social, board):
            assert (await hoa.ok(GET, {"id": event["id"]}, who))["id"] == event["id"]
    for who in (hoa.owners[1], hoa.tenant):
        assert (await hoa.ok(GET, {"id": social["id"]}, who))["id"] == social["id"]
        await hoa.fails(GET, {"id": board["id"]}, 404, "NOT_FOUND", who=who)
    await hoa.fails(GET, {"id": social["id"]}, 404, "NOT_FOUND", who=hoa.other_owner)
    listed = await hoa.listed(LIST, {"association_id": hoa.association_id}, hoa.tenant)
    assert social["id"] in listed
    assert board["id"] not in listed
    assert board["id"] in await hoa.listed(LIST, {"visibility": "BOARD"}, hoa.director)
    assert await hoa.listed(LIST, {}, hoa.other_owner) & {social["id"], board["id"]} == set()
    seen = {o["event_id"] for o in (await occurrences(hoa, hoa.owners[0], **window(TUESDAY, 1)))["items"]}
    assert social["id"] in seen
    assert board["id"] not in seen
    seen = {o["event_id"] for o in (await occurrences(hoa, hoa.director, **window(TUESDAY, 1)))["items"]}
    assert {social["id"], board["id"]} <= seen
    body = {"association_id": hoa.association_id, "title": "Mine", "event_type": "SOCIAL",
            "starts_at": TUESDAY.isoformat(), "ends_at": (TUESDAY + timedelta(hours=1)).isoformat()}  # fmt: skip
    for who in (hoa.owners[0], hoa.tenant, hoa.director):
        await hoa.fails(CREATE, body, 403, "FORBIDDEN", who=who)
    await hoa.fails(UPDATE, {"id": social["id"], "title": "Mine"}, 403, "FORBIDDEN", who=hoa.director)
    await hoa.fails(CANCEL, {"id": social["id"]}, 403, "FORBIDDEN", who=hoa.owners[0])
    await hoa.fails(CANCEL, {"id": board["id"]}, 404, "NOT_FOUND", who=hoa.owners[0])


async def test_a_weekly_event_expands_into_its_occurrences(shared_client: httpx.AsyncClient) -> None:
    hoa = await community(shared_client, "Weekly")
    yoga = await hoa.event(title="Yoga on the lawn", event_type="OTHER", rrule="FREQ=WEEKLY;BYDAY=TU",
                           ends_at=(TUESDAY + timedelta(hours=1)).isoformat())  # fmt: skip
    once = await hoa.event(title="Spring social", starts_at=datetime(2030, 3, 12, 18, tzinfo=UTC).isoformat(),
                           ends_at=datetime(2030, 3, 12, 21, tzinfo=UTC).isoformat())  # fmt: skip
    march = await occurrences(hoa, **window(datetime(2030, 3, 1, tzinfo=UTC), 31))
    assert march["truncated"] is False
    starts = [(o["event_id"], o["starts_at"]) for o in march["items"]]
    assert starts == [
        (yoga["id"], "2030-03-05T19:00:00Z"),
        (once["id"], "2030-03-12T18:00:00Z"),
        (yoga["id"], "2030-03-12T19:00:00Z"),  # after daylight saving began: still 19:00 UTC
        (yoga["id"], "2030-03-19T19:00:00Z"),
        (yoga["id"], "2030-03-26T19:00:00Z"),
    ]
    first = march["items"][0]
    assert (first["ends_at"], first["recurring"], first["title"]) == ("2030-03-05T20:00:00Z", True, "Yoga on the lawn")
    # one occurrence cancelled: it is left out, and cannot be cancelled twice
    skipped = await hoa.ok(SKIP, {"id": yoga["id"], "occurrence_starts_at": "2030-03-19T19:00:00Z"})
    assert skipped["exdates"] == ["2030-03-19T19:00:00Z"]
    assert skipped["revision"] == 2
    march = await occurrences(hoa, **window(datetime(2030, 3, 1, tzinfo=UTC), 31))
    assert [o["starts_at"][:10] for o in march["items"] if o["event_id"] == yoga["id"]] == [
        "2030-03-05", "2030-03-12", "2030-03-26",
    ]  # fmt: skip
    await hoa.fails(SKIP, {"id": yoga["id"], "occurrence_starts_at": "2030-03-19T19:00:00Z"}, 422,
                    "BUSINESS_RULE_VIOLATION", "OCCURRENCE_CANCELLED")  # fmt: skip
    await hoa.fails(SKIP, {"id": yoga["id"], "occurrence_starts_at": "2030-03-20T19:00:00Z"}, 422,
                    "BUSINESS_RULE_VIOLATION", "NOT_AN_OCCURRENCE")  # fmt: skip
    await hoa.fails(SKIP, {"id": once["id"], "occurrence_starts_at": "2030-03-12T18:00:00Z"}, 422,
                    "BUSINESS_RULE_VIOLATION", "NOT_RECURRING")  # fmt: skip
    # a window before the series began, and one later on
    assert (await occurrences(hoa, **window(datetime(2030, 1, 1, tzinfo=UTC), 30)))["items"] == []
    later = await occurrences(hoa, **window(datetime(2031, 1, 1, tzinfo=UTC), 14))
    assert [o["starts_at"] for o in later["items"]] == ["2031-01-07T19:00:00Z", "2031-01-14T19:00:00Z"]
    only = await occurrences(hoa, event_type="SOCIAL", **window(datetime(2030, 3, 12, tzinfo=UTC), 1))
    assert [o["event_id"] for o in only["items"]] == [once["id"]]


async def test_windows_are_bounded_and_answers_capped(shared_client: httpx.AsyncClient) -> None:
    hoa = await community(shared_client, "Windows")
    start = datetime(2030, 1, 1, 8, tzinfo=UTC)
    await hoa.fails(OCCURRENCES, {"association_id": hoa.association_id, **window(start, 0)}, 400, "VALIDATION_FAILED")
    await hoa.fails(OCCURRENCES, {"association_id": hoa.association_id, **window(start, -1)}, 400, "VALIDATION_FAILED")
    error = await hoa.fails(
        OCCURRENCES, {"association_id": hoa.association_id, **window(start, 401)}, 400, "VALIDATION_FAILED"
    )
    assert "400 days" in error["field_errors"][0]["message"]
    await hoa.fails(OCCURRENCES, {"association_id": str(uuid.uuid4()), **window(start, 1)}, 404, "NOT_FOUND")
    for title in ("Gate patrol", "Trash pickup"):
        await hoa.event(title=title, event_type="MAINTENANCE", rrule="FREQ=DAILY", starts_at=start.isoformat(),
                        ends_at=(start + timedelta(hours=1)).isoformat())  # fmt: skip
    full = await occurrences(hoa, **window(start, 400))
    assert full["truncated"] is True
    assert len(full["items"]) == 500
    starts = [o["starts_at"] for o in full["items"]]
    assert starts == sorted(starts)
    assert starts[-1] == (start + timedelta(days=249)).isoformat().replace("+00:00", "Z")
    short = await occurrences(hoa, **window(start, 100))
    assert (short["truncated"], len(short["items"])) == (False, 200)


async def test_a_cancelled_event_has_no_occurrences(hoa: Community) -> None:
    series = await hoa.event(title="Garden club", rrule="FREQ=MONTHLY;BYDAY=1SA",
                             starts_at=datetime(2030, 6, 1, 15, tzinfo=UTC).isoformat(),
                             ends_at=datetime(2030, 6, 1, 16, tzinfo=UTC).isoformat())  # fmt: skip
    june = window(datetime(2030, 6, 1, tzinfo=UTC), 62)
    assert [o["starts_at"] for o in (await occurrences(hoa, **june))["items"] if o["event_id"] == series["id"]] == [
        "2030-06-01T15:00:00Z", "2030-07-06T15:00:00Z",
    ]  # fmt: skip
    cancelled = await hoa.ok(CANCEL, {"id": series["id"], "reason": "Club disbanded"})
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("CANCELLED", "Club disbanded")
    assert cancelled["revision"] == 2
    assert cancelled["cancelled_at"] is not None
    assert all(o["event_id"] != series["id"] for o in (await occurrences(hoa, **june))["items"])
    assert (await hoa.ok(GET, {"id": series["id"]}, hoa.owners[0]))["status"] == "CANCELLED"
    await hoa.fails(CANCEL, {"id": series["id"]}, 409, "INVALID_STATE_TRANSITION")
    await hoa.fails(UPDATE, {"id": series["id"], "title": "Back"}, 422, "BUSINESS_RULE_VIOLATION", "EVENT_CANCELLED")
    await hoa.fails(SKIP, {"id": series["id"], "occurrence_starts_at": "2030-07-06T15:00:00Z"}, 422,
                    reason="EVENT_CANCELLED")  # fmt: skip
    assert series["id"] in await hoa.listed(LIST, {"status": "CANCELLED"})


async def test_events_list_by_start(shared_client: httpx.AsyncClient) -> None:
    hoa = await community(shared_client, "Listing")
    later = await hoa.event(starts_at=datetime(2030, 9, 1, tzinfo=UTC).isoformat(),
                            ends_at=datetime(2030, 9, 2, tzinfo=UTC).isoformat())  # fmt: skip
    sooner = await hoa.event(event_type="DEADLINE", starts_at=datetime(2030, 4, 1, tzinfo=UTC).isoformat(),
                             ends_at=datetime(2030, 4, 2, tzinfo=UTC).isoformat())  # fmt: skip
    page = await hoa.ok(LIST, {"association_id": hoa.association_id})
    assert ids(page) == [sooner["id"], later["id"]]
    assert ids(await hoa.ok(LIST, {"association_id": hoa.association_id, "event_type": "DEADLINE"})) == [sooner["id"]]
    first = await hoa.ok(LIST, {"association_id": hoa.association_id, "limit": 1})
    second = await hoa.ok(LIST, {"association_id": hoa.association_id, "limit": 1, "cursor": first["next_cursor"]})
    assert ids(first) + ids(second) == [sooner["id"], later["id"]]


async def test_changes_are_told_once_per_revision(hoa: Community) -> None:
    event = await hoa.event(title="Annual picnic", notify=True)
    owners = sorted(str(owner.user_id) for owner in hoa.owners)
    sent = await outbound(hoa.org, event["id"])
    assert sorted(m["user_id"] for m in sent) == owners
    assert {(m["template"], m["channel"]) for m in sent} == {("calendar_event.created", "PORTAL")}
    assert {m["dedupe_key"] for m in sent} == {f"calendar_event:{event['id']}:r1:{user}" for user in owners}
    await hoa.ok(UPDATE, {"id": event["id"], "title": "Annual picnic and swim", "notify": True})  # not a new time
    assert len(await outbound(hoa.org, event["id"])) == len(owners)
    later = datetime.fromisoformat(event["starts_at"]) + timedelta(days=7)
    moved = await hoa.ok(UPDATE, {"id": event["id"], "starts_at": later.isoformat(),
                                  "ends_at": (later + timedelta(hours=3)).isoformat(), "notify": True})  # fmt: skip
    assert moved["revision"] == 2
    rescheduled = [m for m in await outbound(hoa.org, event["id"]) if m["template"] == "calendar_event.rescheduled"]
    assert sorted(m["user_id"] for m in rescheduled) == owners
    assert rescheduled[0]["payload"]["starts_at"] == later.isoformat()
    quiet = await hoa.ok(UPDATE, {"id": event["id"], "rrule": "FREQ=YEARLY"})  # a new time, told to nobody
    assert quiet["revision"] == 3
    assert len(await outbound(hoa.org, event["id"])) == 2 * len(owners)
    await hoa.ok(CANCEL, {"id": event["id"], "reason": "Rain", "notify": True})
    cancelled = [m for m in await outbound(hoa.org, event["id"]) if m["template"] == "calendar_event.cancelled"]
    assert {m["dedupe_key"] for m in cancelled} == {f"calendar_event:{event['id']}:r4:{user}" for user in owners}
    assert cancelled[0]["payload"]["cancel_reason"] == "Rain"


async def test_a_board_event_tells_the_directors_and_a_quiet_one_nobody(hoa: Community) -> None:
    board = await hoa.event(title="Closed session", event_type="MEETING", visibility="BOARD", notify=True)
    assert [m["user_id"] for m in await outbound(hoa.org, board["id"])] == [str(hoa.director.user_id)]
    quiet = await hoa.event(title="Quiet")
    await hoa.ok(CANCEL, {"id": quiet["id"]})
    assert await outbound(hoa.org, quiet["id"]) == []
