"""Drafting, changing, sending and cancelling mass communications over HTTP, and what each refuses: an audience's
parameters (AUDIENCE_PARAMS), another association's property (WRONG_ASSOCIATION), another organization's records
(NOT_FOUND, like random ids), the template's custom values (MISSING_VARIABLE, UNKNOWN_VARIABLE), balance variables
outside a delinquent audience (VARIABLE_NOT_AVAILABLE), a schedule in the past (NOT_IN_FUTURE), a change once sent
(NOT_EDITABLE), moves the lifecycle does not have (INVALID_STATE_TRANSITION). A refused request changes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.cam.accounting.helpers import Books, books
from tests.cam.communications.helpers import Town, like_a_random_id, office, refusal
from tests.support.rpc import suffix

LATER = timedelta(hours=2)


@pytest.fixture(scope="module")
async def place(shared_client: httpx.AsyncClient) -> Town:
    """No owners: an audience of owners is empty, so a send finishes at once."""
    made = await office(shared_client, "Drafts")
    made.parties.append(await made.ok("party/v1/create", {"party_type": "INDIVIDUAL", "last_name": f"Doe{suffix()}"}))
    return made


@pytest.fixture(scope="module")
async def elsewhere(place: Town) -> Books:
    """A second association of the same organization."""
    return await books(place.client, place.manager, place.org)


@pytest.fixture(scope="module")
async def away(place: Town) -> Town:
    """Another organization, with a party."""
    made = await office(place.client, "Away")
    made.parties.append(await made.ok("party/v1/create", {"party_type": "INDIVIDUAL", "last_name": "Away"}))
    return made


@pytest.fixture(scope="module")
async def plain(place: Town) -> dict[str, Any]:
    return await place.template("LETTER", body="Dear {{ recipient_name }}, news of {{ association_name }}.")


@pytest.fixture(scope="module")
async def with_values(place: Town) -> dict[str, Any]:
    return await place.template(
        "LETTER", body="The pool opens {{ pool_date }} at {{ hour }}.", custom_variables=["pool_date", "hour"]
    )


@pytest.fixture(scope="module")
async def balance(place: Town) -> dict[str, Any]:
    return await place.template(
        "LETTER", category="DELINQUENCY", body="{{ recipient_name }}: {{ balance }}, {{ days_past_due }} days."
    )


async def drafts(place: Town, association_id: str | None = None) -> list[dict[str, Any]]:
    body = {"association_id": association_id or place.association_id, "limit": 200}
    return list((await place.ok("communication/mass/v1/list", body))["items"])


def new(place: Town, template: dict[str, Any], audience: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"association_id": place.association_id, "template_id": template["id"], "title": f"Mass {suffix()}",
            "audience": audience, **fields}  # fmt: skip


def soon(delta: timedelta = LATER) -> str:
    return (datetime.now(UTC) + delta).isoformat()


# --- create ----------------------------------------------------------------------------------------------------


async def test_a_draft_names_its_template_version_audience_and_values(place: Town, with_values: dict[str, Any]) -> None:
    draft = await place.mass(with_values["id"], {"kind": "ALL_OWNERS"}, values={"pool_date": "May 1", "hour": "9"})
    assert draft == {
        **draft,
        "association_id": place.association_id, "template_id": with_values["id"], "template_version": 1,
        "channel": "LETTER", "category": "GENERAL", "audience": "ALL_OWNERS", "audience_params": {},
        "variables": {"pool_date": "May 1", "hour": "9"}, "status": "DRAFT", "total": None, "sent": 0,
        "skipped": 0, "scheduled_for": None, "started_at": None, "finished_at": None, "cancelled_at": None,
        "created_by": str(place.manager.user_id),
    }  # fmt: skip
    assert await place.ok("communication/mass/v1/get", {"id": draft["id"]}) == draft


async def test_the_category_is_the_templates_unless_given(place: Town, plain: dict[str, Any]) -> None:
    assert (await place.mass(plain["id"], {"kind": "ALL_OWNERS"}))["category"] == "GENERAL"
    given = await place.mass(plain["id"], {"kind": "ALL_OWNERS"}, category="EMERGENCY")
    assert given["category"] == "EMERGENCY"


async def test_audience_parameters_are_stored_as_the_audience_takes_them(place: Town, plain: dict[str, Any]) -> None:
    party = place.parties[0]["id"]
    custom = await place.mass(plain["id"], {"kind": "CUSTOM", "party_ids": [party, party]})
    assert custom["audience_params"] == {"party_ids": [party]}
    delinquent = await place.mass(plain["id"], {"kind": "DELINQUENT"})
    assert delinquent["audience_params"] == {"min_days_past_due": 30}
    ninety = await place.mass(plain["id"], {"kind": "DELINQUENT", "min_days_past_due": 90})
    assert ninety["audience_params"] == {"min_days_past_due": 90}
    prop = await place.mass(plain["id"], {"kind": "PROPERTY", "property_id": place.books.prop["id"]})
    assert prop["audience_params"] == {"property_id": place.books.prop["id"]}
    for kind in ("ALL_OWNERS", "BOARD", "VENDORS"):
        assert (await place.mass(plain["id"], {"kind": kind}))["audience_params"] == {}


@pytest.mark.parametrize(
    "audience",
    [
        {"kind": "PROPERTY"},
        {"kind": "CUSTOM"},
        {"kind": "ALL_OWNERS", "property_id": "<property>"},
        {"kind": "BOARD", "min_days_past_due": 10},
        {"kind": "VENDORS", "party_ids": ["<party>"]},
        {"kind": "DELINQUENT", "party_ids": ["<party>"]},
        {"kind": "PROPERTY", "property_id": "<property>", "min_days_past_due": 10},
        {"kind": "CUSTOM", "party_ids": ["<party>"], "property_id": "<property>"},
    ],
)
async def test_an_audience_without_its_parameter_or_with_another_kinds_is_audience_params(
    place: Town, plain: dict[str, Any], audience: dict[str, Any]
) -> None:
    swap = {"<property>": place.books.prop["id"], "<party>": place.parties[0]["id"]}
    filled = {k: ([swap[x] for x in v] if isinstance(v, list) else swap.get(v, v)) for k, v in audience.items()}
    before = await drafts(place)
    body = new(place, plain, filled)
    await place.fails("communication/mass/v1/create", body, 400, "VALIDATION_FAILED", "AUDIENCE_PARAMS")
    assert await drafts(place) == before


async def test_a_property_of_another_association_is_wrong_association(
    place: Town, plain: dict[str, Any], elsewhere: Books
) -> None:
    before = await drafts(place)
    body = new(place, plain, {"kind": "PROPERTY", "property_id": elsewhere.prop["id"]})
    await place.fails("communication/mass/v1/create", body, 422, "BUSINESS_RULE_VIOLATION", "WRONG_ASSOCIATION")
    assert await drafts(place) == before


async def test_another_organizations_property_party_association_or_template_is_not_found_like_a_random_id(
    place: Town, plain: dict[str, Any], away: Town
) -> None:
    theirs = await away.template("LETTER", body="Theirs.")
    before = await drafts(place)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"audience": {"kind": "PROPERTY", "property_id": away.books.prop["id"]}}, "audience"),
        ({"audience": {"kind": "CUSTOM", "party_ids": [place.parties[0]["id"], away.parties[0]["id"]]}}, "audience"),
        ({"association_id": away.association_id}, "association_id"),
        ({"template_id": theirs["id"]}, "template_id"),
    ]
    for change, field in cases:
        body = {**new(place, plain, {"kind": "ALL_OWNERS"}), **change}
        if field == "audience":
            inner = dict(body["audience"])
            key = "property_id" if "property_id" in inner else "party_ids"
            status, error = await like_a_random_id_in_audience(place, body, key)
        else:
            status, error = await like_a_random_id(
                place.client, place.manager, place.org, "communication/mass/v1/create", body, field
            )
        assert (status, error["code"]) == (404, "NOT_FOUND"), (change, error)
    assert await drafts(place) == before


async def like_a_random_id_in_audience(place: Town, body: dict[str, Any], key: str) -> tuple[int, dict[str, Any]]:
    """As `like_a_random_id`, for a field of the audience (the last party of a list)."""
    path = "communication/mass/v1/create"
    status, error = await refusal(place.client, place.manager, place.org, path, body)
    value = body["audience"][key]
    other: Any = [*value[:-1], str(uuid.uuid4())] if isinstance(value, list) else str(uuid.uuid4())
    random_body = {**body, "audience": {**body["audience"], key: other}}
    random_status, random_error = await refusal(place.client, place.manager, place.org, path, random_body)
    assert (status, error["code"], error["message"]) == (random_status, random_error["code"], random_error["message"])
    assert {**(error.get("details") or {}), "id": "-"} == {**(random_error.get("details") or {}), "id": "-"}
    return status, error


async def test_every_custom_value_is_needed_and_no_other(place: Town, with_values: dict[str, Any]) -> None:
    before = await drafts(place)
    missing = new(place, with_values, {"kind": "ALL_OWNERS"}, values={"pool_date": "May 1"})
    error = await place.fails("communication/mass/v1/create", missing, 400, "VALIDATION_FAILED", "MISSING_VARIABLE")
    assert error["details"]["missing"] == ["hour"]
    extra = new(place, with_values, {"kind": "ALL_OWNERS"}, values={"pool_date": "May 1", "hour": "9", "lane": "3"})
    await place.fails("communication/mass/v1/create", extra, 400, "VALIDATION_FAILED", "UNKNOWN_VARIABLE")
    system = new(place, with_values, {"kind": "ALL_OWNERS"},
                 values={"pool_date": "May 1", "hour": "9", "recipient_name": "Everyone"})  # fmt: skip
    await place.fails("communication/mass/v1/create", system, 400, "VALIDATION_FAILED", "UNKNOWN_VARIABLE")
    assert await drafts(place) == before


@pytest.mark.parametrize("kind", ["ALL_OWNERS", "BOARD", "VENDORS"])
async def test_balance_variables_are_not_available_outside_a_delinquent_audience(
    place: Town, balance: dict[str, Any], kind: str
) -> None:
    before = await drafts(place)
    body = new(place, balance, {"kind": kind})
    error = await place.fails("communication/mass/v1/create", body, 422, "BUSINESS_RULE_VIOLATION")
    assert (error["details"]["reason"], error["details"]["variables"]) == (
        "VARIABLE_NOT_AVAILABLE", ["balance", "days_past_due"]
    )  # fmt: skip
    assert await drafts(place) == before


async def test_balance_variables_are_available_to_a_delinquent_audience(place: Town, balance: dict[str, Any]) -> None:
    draft = await place.mass(balance["id"], {"kind": "DELINQUENT", "min_days_past_due": 60})
    assert (draft["status"], draft["category"]) == ("DRAFT", "DELINQUENCY")


# --- update ------------------------------------------------------------------------------------------------------


async def test_a_draft_changes_title_audience_and_values(place: Town, with_values: dict[str, Any]) -> None:
    draft = await place.mass(with_values["id"], {"kind": "ALL_OWNERS"}, values={"pool_date": "May 1", "hour": "9"})
    changed = await place.ok(
        "communication/mass/v1/update",
        {"id": draft["id"], "title": "Pool, again",
         "audience": {"kind": "CUSTOM", "party_ids": [place.parties[0]["id"]]},
         "values": {"pool_date": "June 1", "hour": "10"}},
    )  # fmt: skip
    assert (changed["title"], changed["audience"], changed["audience_params"], changed["variables"]) == (
        "Pool, again", "CUSTOM", {"party_ids": [place.parties[0]["id"]]}, {"pool_date": "June 1", "hour": "10"}
    )  # fmt: skip


async def test_a_refused_change_leaves_the_draft_as_it_was(
    place: Town, balance: dict[str, Any], with_values: dict[str, Any], elsewhere: Books
) -> None:
    draft = await place.mass(balance["id"], {"kind": "DELINQUENT"})
    for body, status, reason in (
        ({"audience": {"kind": "ALL_OWNERS"}}, 422, "VARIABLE_NOT_AVAILABLE"),
        ({"audience": {"kind": "PROPERTY", "property_id": elsewhere.prop["id"]}}, 422, "WRONG_ASSOCIATION"),
        ({"audience": {"kind": "PROPERTY"}}, 400, "AUDIENCE_PARAMS"),
        ({"values": {"balance": "0.00"}}, 400, "UNKNOWN_VARIABLE"),
    ):
        await place.fails(
            "communication/mass/v1/update", {"id": draft["id"], "title": "X", **body}, status, None, reason
        )
    assert await place.ok("communication/mass/v1/get", {"id": draft["id"]}) == draft
    valued = await place.mass(with_values["id"], {"kind": "ALL_OWNERS"}, values={"pool_date": "May 1", "hour": "9"})
    body = {"id": valued["id"], "values": {"pool_date": "May 2"}}
    await place.fails("communication/mass/v1/update", body, 400, "VALIDATION_FAILED", "MISSING_VARIABLE")
    assert await place.ok("communication/mass/v1/get", {"id": valued["id"]}) == valued


async def test_only_a_draft_can_be_changed(place: Town, plain: dict[str, Any]) -> None:
    sent = await place.mass(plain["id"], {"kind": "ALL_OWNERS"})
    await place.ok("communication/mass/v1/send", {"id": sent["id"]})
    await place.sent(sent["id"])
    scheduled = await place.mass(plain["id"], {"kind": "ALL_OWNERS"})
    await place.ok("communication/mass/v1/send", {"id": scheduled["id"], "scheduled_for": soon()})
    cancelled = await place.mass(plain["id"], {"kind": "ALL_OWNERS"})
    await place.ok("communication/mass/v1/cancel", {"id": cancelled["id"]})
    for mass in (sent, scheduled, cancelled):
        before = await place.ok("communication/mass/v1/get", {"id": mass["id"]})
        error = await place.fails(
            "communication/mass/v1/update", {"id": mass["id"], "title": "Too late"}, 422, "BUSINESS_RULE_VIOLATION"
        )
        assert (error["details"]["reason"], error["details"]["status"]) == ("NOT_EDITABLE", before["status"])
        assert await place.ok("communication/mass/v1/get", {"id": mass["id"]}) == before
    await place.ok("communication/mass/v1/cancel", {"id": scheduled["id"]})


# --- send and cancel ---------------------------------------------------------------------------------------------


async def test_an_empty_audience_is_sent_at_once_with_nothing_to_send(place: Town, plain: dict[str, Any]) -> None:
    draft = await place.mass(plain["id"], {"kind": "ALL_OWNERS"})
    sending = await place.ok("communication/mass/v1/send", {"id": draft["id"]})
    assert (sending["status"], sending["started_at"] is not None, sending["scheduled_for"]) == ("SENDING", True, None)
    progress = await place.sent(draft["id"])
    assert progress == {"id": draft["id"], "status": "SENT", "total": 0, "sent": 0, "skipped": 0, "pending": 0,
                        "percent": 100.0}  # fmt: skip
    done = await place.ok("communication/mass/v1/get", {"id": draft["id"]})
    assert done["finished_at"] is not None
    assert (await place.ok("communication/mass/v1/deliveries", {"id": draft["id"]}))["items"] == []


async def test_a_schedule_in_the_past_is_not_in_future(place: Town, plain: dict[str, Any]) -> None:
    draft = await place.mass(plain["id"], {"kind": "ALL_OWNERS"})
    for at in (soon(-timedelta(minutes=1)), soon(-timedelta(days=400))):
        body = {"id": draft["id"], "scheduled_for": at}
        await place.fails("communication/mass/v1/send", body, 422, "BUSINESS_RULE_VIOLATION", "NOT_IN_FUTURE")
    assert await place.ok("communication/mass/v1/get", {"id": draft["id"]}) == draft


async def test_a_scheduled_send_answers_its_time_and_waits(place: Town, plain: dict[str, Any]) -> None:
    draft = await place.mass(plain["id"], {"kind": "ALL_OWNERS"})
    at = soon()
    scheduled = await place.ok("communication/mass/v1/send", {"id": draft["id"], "scheduled_for": at})
    assert scheduled["status"] == "SCHEDULED"
    assert datetime.fromisoformat(scheduled["scheduled_for"]) == datetime.fromisoformat(at)
    assert scheduled["started_at"] is None
    progress = await place.ok("communication/mass/v1/progress", {"id": draft["id"]})
    assert (progress["status"], progress["total"], progress["pending"]) == ("SCHEDULED", None, 0)
    cancelled = await place.ok("communication/mass/v1/cancel", {"id": draft["id"]})
    assert (cancelled["status"], cancelled["cancelled_at"] is not None) == ("CANCELLED", True)


async def test_a_second_send_is_an_invalid_state_transition(place: Town, plain: dict[str, Any]) -> None:
    draft = await place.mass(plain["id"], {"kind": "ALL_OWNERS"})
    await place.ok("communication/mass/v1/send", {"id": draft["id"]})
    await place.sent(draft["id"])
    for body in ({"id": draft["id"]}, {"id": draft["id"], "scheduled_for": soon()}):
        error = await place.fails("communication/mass/v1/send", body, 409, "INVALID_STATE_TRANSITION")
        assert error["details"]["from"] == "SENT"
    scheduled = await place.mass(plain["id"], {"kind": "ALL_OWNERS"})
    await place.ok("communication/mass/v1/send", {"id": scheduled["id"], "scheduled_for": soon()})
    body = {"id": scheduled["id"], "scheduled_for": soon(2 * LATER)}
    error = await place.fails("communication/mass/v1/send", body, 409, "INVALID_STATE_TRANSITION")
    assert (error["details"]["from"], error["details"]["to"]) == ("SCHEDULED", "SCHEDULED")
    await place.ok("communication/mass/v1/cancel", {"id": scheduled["id"]})


async def test_a_scheduled_one_sent_now_is_sent_now(place: Town, plain: dict[str, Any]) -> None:
    """`send` without a time moves a scheduled communication to SENDING: it is sent then, not at the time it was
    scheduled for."""
    scheduled = await place.mass(plain["id"], {"kind": "ALL_OWNERS"})
    await place.ok("communication/mass/v1/send", {"id": scheduled["id"], "scheduled_for": soon()})
    now = await place.ok("communication/mass/v1/send", {"id": scheduled["id"]})
    assert now["status"] == "SENDING"
    progress = await place.sent(scheduled["id"], timeout=15)
    assert (progress["status"], progress["total"]) == ("SENT", 0)


async def test_a_sent_or_cancelled_one_cannot_be_cancelled(place: Town, plain: dict[str, Any]) -> None:
    sent = await place.mass(plain["id"], {"kind": "ALL_OWNERS"})
    await place.ok("communication/mass/v1/send", {"id": sent["id"]})
    await place.sent(sent["id"])
    error = await place.fails("communication/mass/v1/cancel", {"id": sent["id"]}, 409, "INVALID_STATE_TRANSITION")
    assert (error["details"]["from"], error["details"]["to"]) == ("SENT", "CANCELLED")
    assert (await place.ok("communication/mass/v1/get", {"id": sent["id"]}))["status"] == "SENT"
    draft = await place.mass(plain["id"], {"kind": "ALL_OWNERS"})
    assert (await place.ok("communication/mass/v1/cancel", {"id": draft["id"]}))["status"] == "CANCELLED"
    await place.fails("communication/mass/v1/cancel", {"id": draft["id"]}, 409, "INVALID_STATE_TRANSITION")
    await place.fails("communication/mass/v1/send", {"id": draft["id"]}, 409, "INVALID_STATE_TRANSITION")


async def test_list_filters_by_association_and_status(place: Town, plain: dict[str, Any], elsewhere: Books) -> None:
    body = {**new(place, plain, {"kind": "ALL_OWNERS"}), "association_id": elsewhere.association_id}
    theirs = await place.ok("communication/mass/v1/create", body)
    cancelled = await place.ok("communication/mass/v1/create", body)
    await place.ok("communication/mass/v1/cancel", {"id": cancelled["id"]})
    assert [m["id"] for m in await drafts(place, elsewhere.association_id)] == [theirs["id"], cancelled["id"]]
    page = await place.ok(
        "communication/mass/v1/list", {"association_id": elsewhere.association_id, "status": "CANCELLED"}
    )
    assert [m["id"] for m in page["items"]] == [cancelled["id"]]
    assert all(m["association_id"] == place.association_id for m in await drafts(place))
