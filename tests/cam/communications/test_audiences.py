"""Who a mass communication reaches and what each person gets, over HTTP and in the outbox: every audience kind
(all owners, one property's owners, delinquent owners, the board through governance's seats, vendors, a custom
list), one delivery and one message per person (an owner of two units gets one, listing both), the message rendered
for that person (their name, their units, their balance), letters on paper to the mailing address and text messages
to the phone, preferences honoured, and a communication cancelled while it is sending stops there."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from hestami.core.config import Settings
from tests.cam.communications.helpers import ADDRESS, Town, adds_up, messages, outbox, town
from tests.support.accounts import member_account
from tests.support.rpc import suffix

MAILING = "12 Ridge Road, Austin TX, 78701"
GREETING = "Dear {{ recipient_name }}, news for {{ unit_numbers }} at {{ association_name }}."


@pytest.fixture(scope="module")
async def place(shared_client: httpx.AsyncClient) -> Town:
    """The helpers' town (owners 0-3 on units 1-5 of the first property, owner 0 of units 1 and 2), and a second
    property whose only unit (6) Pat owns: Pat has an email address, no account, no phone and no mailing address."""
    made = await town(shared_client, "Audiences")
    second = await made.ok("property/v1/create", {"association_id": made.association_id, "name": "Annex",
                                                  "address": ADDRESS})  # fmt: skip
    unit = await made.ok("unit/v1/create", {"property_id": second["id"], "unit_number": f"6-{suffix()}",
                                            "unit_type": "CONDO"})  # fmt: skip
    pat = await made.ok("party/v1/create", {"party_type": "INDIVIDUAL", "first_name": "Pat", "last_name": "Annex",
                                            "email": f"pat-{suffix()}@example.com"})  # fmt: skip
    await made.ok("ownership/v1/create", {"unit_id": unit["id"], "party_id": pat["id"], "percentage": "100",
                                          "start_date": "2020-01-01"})  # fmt: skip
    made.units.append(unit)
    made.parties.append(pat)
    made.books.prop["second"] = second
    return made


def party(place: Town, index: int) -> dict[str, Any]:
    return place.parties[index]


def key(mass: dict[str, Any], party_id: str) -> str:
    return f"massCommunication:{mass['id']}:party:{party_id}"


async def send(place: Town, template: dict[str, Any], audience: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """Drafts and sends; the communication once SENT."""
    mass = await place.mass(template["id"], audience, **fields)
    await place.ok("communication/mass/v1/send", {"id": mass["id"]})
    progress = await place.sent(mass["id"])
    assert progress["status"] == "SENT", progress
    return dict(await place.ok("communication/mass/v1/get", {"id": mass["id"]}))


async def by_party(place: Town, mass: dict[str, Any]) -> dict[str | None, dict[str, Any]]:
    deliveries = await place.deliveries(mass["id"])
    found = {d["party_id"]: d for d in deliveries}
    assert len(found) == len(deliveries), deliveries
    return found


# --- all owners: one delivery and one message per person ---------------------------------------------------------


async def test_all_owners_get_one_message_each_with_their_name_and_units(place: Town) -> None:
    template = await place.template(subject="Hello {{ recipient_name }}", body=GREETING, category="ANNOUNCEMENT")
    mass = await send(place, template, {"kind": "ALL_OWNERS"})
    assert (mass["total"], mass["sent"], mass["skipped"]) == (5, 5, 0)
    deliveries = await by_party(place, mass)
    assert set(deliveries) == {p["id"] for p in place.parties}
    sent = {m["dedupe_key"]: m for m in await outbox(place.org, mass["id"])}
    assert len(sent) == 5
    name = place.books.association["name"]
    for index, owner in enumerate(place.parties):
        message = sent[key(mass, owner["id"])]
        delivery = deliveries[owner["id"]]
        units = [u["unit_number"] for u in place.units if u["id"] in delivery["unit_ids"]]
        assert (message["channel"], message["recipient"]) == ("EMAIL", owner["email"])
        assert message["payload"] == {
            "subject": f"Hello {owner['display_name']}",
            "body": f"Dear {owner['display_name']}, news for {', '.join(units)} at {name}.",
            "title": mass["title"], "category": "ANNOUNCEMENT",
        }  # fmt: skip
        assert (message["template"], message["entity_type"]) == ("communication.mass", "mass_communication")
        expected_user = str(place.owners[index].user_id) if index < len(place.owners) else None
        assert (str(message["recipient_user_id"]) if message["recipient_user_id"] else None) == expected_user
        assert (delivery["status"], delivery["channel"], delivery["address"]) == ("SENT", "EMAIL", owner["email"])
        assert delivery["message_id"] == str(message["id"])
        assert delivery["sent_at"] is not None
        assert delivery["name"] == owner["display_name"]


async def test_an_owner_of_two_units_gets_one_message_listing_both(place: Town) -> None:
    template = await place.template("LETTER", body="Units: {{ unit_numbers }}.")
    mass = await send(place, template, {"kind": "ALL_OWNERS"})
    two = (await by_party(place, mass))[party(place, 0)["id"]]
    assert sorted(two["unit_ids"]) == sorted([place.units[0]["id"], place.units[1]["id"]])
    letters = [m for m in await outbox(place.org, mass["id"]) if m["dedupe_key"] == key(mass, party(place, 0)["id"])]
    assert len(letters) == 1
    first, second = place.units[0]["unit_number"], place.units[1]["unit_number"]
    assert letters[0]["payload"]["body"] == f"Units: {first}, {second}."


# --- channels --------------------------------------------------------------------------------------------------


async def test_a_letter_goes_on_paper_to_the_mailing_address_and_skips_who_has_none(place: Town) -> None:
    template = await place.template("LETTER", body=GREETING)
    mass = await send(place, template, {"kind": "ALL_OWNERS"})
    assert (mass["total"], mass["sent"], mass["skipped"]) == (5, 4, 1)
    deliveries = await by_party(place, mass)
    for owner in place.parties[:4]:
        assert (deliveries[owner["id"]]["channel"], deliveries[owner["id"]]["address"]) == ("MAIL", MAILING)
    pat = deliveries[party(place, 4)["id"]]
    assert (pat["status"], pat["skip_reason"], pat["address"], pat["message_id"]) == (
        "SKIPPED", "NO_ADDRESS", None, None
    )  # fmt: skip
    sent = await messages(place.org, mass["id"])
    assert sorted(sent) == sorted(("MAIL", MAILING, key(mass, o["id"])) for o in place.parties[:4])
    assert all(m["payload"]["subject"] is None for m in await outbox(place.org, mass["id"]))


async def test_a_text_message_goes_to_the_phone(place: Town) -> None:
    template = await place.template("SMS", body="{{ recipient_name }}: water off at {{ association_name }} today.")
    mass = await send(place, template, {"kind": "ALL_OWNERS"})
    assert (mass["total"], mass["sent"], mass["skipped"]) == (5, 4, 1)
    phones = {m["recipient"]: m for m in await outbox(place.org, mass["id"])}
    assert set(phones) == {o["phone"] for o in place.parties[:4]}
    assert all(m["channel"] == "SMS" for m in phones.values())
    assert (await by_party(place, mass))[party(place, 4)["id"]]["skip_reason"] == "NO_ADDRESS"


# --- audiences -------------------------------------------------------------------------------------------------


async def test_a_property_audience_reaches_only_that_propertys_owners(place: Town) -> None:
    template = await place.template(body=GREETING)
    annex = await send(place, template, {"kind": "PROPERTY", "property_id": place.books.prop["second"]["id"]})
    assert set(await by_party(place, annex)) == {party(place, 4)["id"]}
    assert [m["recipient"] for m in await outbox(place.org, annex["id"])] == [party(place, 4)["email"]]
    main = await send(place, template, {"kind": "PROPERTY", "property_id": place.books.prop["id"]})
    assert set(await by_party(place, main)) == {o["id"] for o in place.parties[:4]}
    assert main["total"] == 4


async def test_a_delinquent_audience_gets_each_persons_own_balance(place: Town) -> None:
    template = await place.template(
        "LETTER", category="DELINQUENCY",
        body="{{ recipient_name }} owes {{ balance }} for {{ unit_numbers }}, {{ days_past_due }} days late.",
    )  # fmt: skip
    mass = await send(place, template, {"kind": "DELINQUENT", "min_days_past_due": 30})
    letters = {m["dedupe_key"]: m["payload"]["body"] for m in await outbox(place.org, mass["id"])}
    first, second, fourth = (place.units[i]["unit_number"] for i in (0, 1, 3))
    assert letters == {
        key(mass, party(place, 0)["id"]): f"{party(place, 0)['display_name']} owes 400.00 for {first}, {second}, 45 "
        "days late.",
        key(mass, party(place, 2)["id"]): f"{party(place, 2)['display_name']} owes 200.00 for {fourth}, 95 days late.",
    }
    later = await send(place, template, {"kind": "DELINQUENT", "min_days_past_due": 60})
    assert set(await by_party(place, later)) == {party(place, 2)["id"]}


async def test_a_custom_audience_reaches_the_parties_named_without_units(place: Town) -> None:
    template = await place.template(body="Dear {{ recipient_name }} [{{ unit_numbers }}]")
    chosen = [party(place, 3)["id"], party(place, 4)["id"]]
    mass = await send(place, template, {"kind": "CUSTOM", "party_ids": chosen})
    deliveries = await by_party(place, mass)
    assert set(deliveries) == set(chosen)
    assert all(d["unit_ids"] == [] for d in deliveries.values())
    bodies = {m["recipient"]: m["payload"]["body"] for m in await outbox(place.org, mass["id"])}
    assert bodies == {party(place, i)["email"]: f"Dear {party(place, i)['display_name']} []" for i in (3, 4)}


async def test_the_board_is_its_seat_holders_each_person_once(place: Town) -> None:
    """Seats of the association's board today: owner 0 (by account and party), owner 1 twice over (a seat by party
    and one by account: one person, one message), a director with an account and no party (their member email),
    and a treasurer known by name only (no address)."""
    director = await member_account(place.client, place.manager, place.org, ["OWNER"])
    board = await place.ok("governance/board/v1/create", {"association_id": place.association_id,
                                                          "name": "Board of Directors", "seat_count": 6})  # fmt: skip
    for seat in (
        {"position": "PRESIDENT", "user_id": str(place.owners[0].user_id), "party_id": party(place, 0)["id"]},
        {"position": "DIRECTOR", "party_id": party(place, 1)["id"]},
        {"position": "SECRETARY", "user_id": str(place.owners[1].user_id)},
        {"position": "VICE_PRESIDENT", "user_id": str(director.user_id)},
        {"position": "TREASURER", "holder_name": "Terry Paper"},
    ):
        await place.ok("governance/board/v1/fillSeat", {"board_id": board["id"], "term_start": "2020-01-01", **seat})
    template = await place.template(body="Dear {{ recipient_name }}, the board meets Monday.", category="MEETING")
    mass = await send(place, template, {"kind": "BOARD"})
    assert (mass["total"], mass["sent"], mass["skipped"]) == (4, 3, 1)
    deliveries = await place.deliveries(mass["id"])
    by_user = {d["user_id"]: d for d in deliveries if d["user_id"]}
    assert set(by_user) == {str(place.owners[0].user_id), str(place.owners[1].user_id), str(director.user_id)}
    paper = next(d for d in deliveries if d["user_id"] is None)
    assert (paper["name"], paper["status"], paper["skip_reason"]) == ("Terry Paper", "SKIPPED", "NO_ADDRESS")
    assert all(d["unit_ids"] == [] for d in deliveries)
    sent = await outbox(place.org, mass["id"])
    assert sorted(m["recipient"] for m in sent) == sorted([place.owners[0].email, place.owners[1].email,
                                                           director.email])  # fmt: skip
    assert len({m["dedupe_key"] for m in sent}) == 3


async def test_vendors_are_reached_by_email_and_one_without_is_no_address(place: Town) -> None:
    mower = await place.ok("vendor/v1/create", {"name": f"Mow Co {suffix()}", "contact_name": "Mo Mower",
                                                "email": f"mo-{suffix()}@example.com"})  # fmt: skip
    silent = await place.ok("vendor/v1/create", {"name": f"Quiet Co {suffix()}"})
    template = await place.template(body="Dear {{ recipient_name }}, gate code changes at {{ association_name }}.")
    mass = await send(place, template, {"kind": "VENDORS"})
    deliveries = {d["name"]: d for d in await place.deliveries(mass["id"])}
    assert set(deliveries) == {"Mo Mower", silent["name"]}
    assert (deliveries["Mo Mower"]["status"], deliveries["Mo Mower"]["address"]) == ("SENT", mower["email"])
    assert (deliveries[silent["name"]]["status"], deliveries[silent["name"]]["skip_reason"]) == (
        "SKIPPED", "NO_ADDRESS"
    )  # fmt: skip
    [message] = await outbox(place.org, mass["id"])
    assert message["recipient"] == mower["email"]
    assert message["dedupe_key"] == f"massCommunication:{mass['id']}:vendor:{mower['id']}"
    assert message["payload"]["body"].startswith("Dear Mo Mower, gate code changes at ")


async def test_deliveries_filter_by_status(place: Town) -> None:
    template = await place.template("LETTER", body="Hello.")
    mass = await send(place, template, {"kind": "ALL_OWNERS"})
    sent = await place.ok("communication/mass/v1/deliveries", {"id": mass["id"], "status": "SENT"})
    skipped = await place.ok("communication/mass/v1/deliveries", {"id": mass["id"], "status": "SKIPPED"})
    assert len(sent["items"]) == 4
    assert [d["party_id"] for d in skipped["items"]] == [party(place, 4)["id"]]


async def test_a_message_that_fails_to_render_for_one_person_skips_them_and_the_rest_is_sent(place: Town) -> None:
    """The text divides by zero for Pat alone (by the length of the name): Pat's delivery is SKIPPED as
    RENDER_FAILED, everybody else gets the message, and the communication is SENT."""
    pat = party(place, 4)
    assert all(len(o["display_name"]) != len(pat["display_name"]) for o in place.parties[:4])
    body = f"{{{{ recipient_name }}}}: {{{{ 12 // ((recipient_name | length) - {len(pat['display_name'])}) }}}}"
    template = await place.template(body=body)
    mass = await send(place, template, {"kind": "ALL_OWNERS"})
    assert (mass["total"], mass["sent"], mass["skipped"]) == (5, 4, 1)
    failed = (await by_party(place, mass))[pat["id"]]
    assert (failed["status"], failed["skip_reason"], failed["message_id"]) == ("SKIPPED", "RENDER_FAILED", None)
    assert sorted(m["recipient"] for m in await outbox(place.org, mass["id"])) == sorted(
        o["email"] for o in place.parties[:4]
    )


# --- preferences -------------------------------------------------------------------------------------------------


async def test_text_messages_turned_off_skip_a_notice_and_an_emergency_goes_on_paper(place: Town) -> None:
    owner = party(place, 1)
    await place.ok("communication/preference/v1/set", {"party_id": owner["id"], "sms": False})
    try:
        notice = await place.template("SMS", body="Pool party Saturday.", category="EVENT")
        skipped = await send(place, notice, {"kind": "CUSTOM", "party_ids": [owner["id"]]})
        [delivery] = await place.deliveries(skipped["id"])
        assert (delivery["status"], delivery["skip_reason"]) == ("SKIPPED", "OPTED_OUT")
        assert await outbox(place.org, skipped["id"]) == []
        alarm = await place.template("SMS", body="Boil water before drinking it.", category="EMERGENCY")
        paper = await send(place, alarm, {"kind": "CUSTOM", "party_ids": [owner["id"]]})
        [message] = await outbox(place.org, paper["id"])
        assert (message["channel"], message["recipient"], message["payload"]["body"]) == (
            "MAIL", MAILING, "Boil water before drinking it."
        )  # fmt: skip
    finally:
        await place.ok("communication/preference/v1/set", {"party_id": owner["id"]})


# --- cancel while sending ----------------------------------------------------------------------------------------


async def test_a_communication_cancelled_while_sending_stops_and_skips_the_rest(
    place: Town, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One delivery per batch and a pause between batches: cancelled after the first is sent, the others are
    SKIPPED as CANCELLED, nothing more is sent later, and every progress read adds up."""
    monkeypatch.setattr(settings, "communication_batch_size", 1)
    monkeypatch.setattr(settings, "communication_batch_pause_seconds", 0.6)
    template = await place.template(body=GREETING)
    mass = await place.mass(template["id"], {"kind": "ALL_OWNERS"})
    await place.ok("communication/mass/v1/send", {"id": mass["id"]})
    deadline = asyncio.get_running_loop().time() + 20
    while True:
        progress = await place.ok("communication/mass/v1/progress", {"id": mass["id"]})
        adds_up(progress)
        if progress["sent"] >= 1:
            break
        assert asyncio.get_running_loop().time() < deadline, progress
        await asyncio.sleep(0.05)
    cancelled = await place.ok("communication/mass/v1/cancel", {"id": mass["id"]})
    assert cancelled["status"] == "CANCELLED"
    sent = cancelled["sent"]
    assert 1 <= sent < 5
    assert (cancelled["total"], cancelled["skipped"]) == (5, 5 - sent)
    for _ in range(8):  # past the pause: a batch that ran after the cancel would show here
        progress = await place.ok("communication/mass/v1/progress", {"id": mass["id"]})
        adds_up(progress)
        assert (progress["status"], progress["sent"], progress["pending"]) == ("CANCELLED", sent, 0)
        await asyncio.sleep(0.2)
    deliveries = await place.deliveries(mass["id"])
    assert sorted(d["status"] for d in deliveries) == ["SENT"] * sent + ["SKIPPED"] * (5 - sent)
    assert {d["skip_reason"] for d in deliveries if d["status"] == "SKIPPED"} == {"CANCELLED"}
    assert len(await outbox(place.org, mass["id"])) == sent
