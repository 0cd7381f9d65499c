"""Mass communications over HTTP: audiences resolved into one delivery per person, preferences honoured, each
message recorded once in the outbox, progress readable, cancel and schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.cam.communications.helpers import Town, messages, town


@pytest.fixture(scope="module")
async def place(shared_client: httpx.AsyncClient) -> Town:
    return await town(shared_client)


async def test_delinquent_email_reaches_each_owner_once_and_honours_an_opt_out(place: Town) -> None:
    opted_out = place.parties[2]  # 95 days behind, turned email off: a delinquency notice goes on paper instead
    await place.ok("communication/preference/v1/set", {"party_id": opted_out["id"], "email": False})
    template = await place.template(
        category="DELINQUENCY",
        subject="Past due: {{ unit_numbers }}",
        body="Dear {{ recipient_name }}, {{ balance }} is {{ days_past_due }} days past due.",
    )
    mass = await place.mass(template["id"], {"kind": "DELINQUENT", "min_days_past_due": 30})
    assert mass["status"] == "DRAFT"
    sending = await place.ok("communication/mass/v1/send", {"id": mass["id"]})
    assert sending["status"] == "SENDING"
    progress = await place.sent(mass["id"])
    assert progress == {**progress, "status": "SENT", "total": 2, "sent": 2, "skipped": 0, "pending": 0}
    deliveries = {d["party_id"]: d for d in await place.deliveries(mass["id"])}
    two_units = deliveries[place.parties[0]["id"]]
    assert two_units["channel"] == "EMAIL"
    assert two_units["address"] == place.owners[0].email
    assert sorted(two_units["unit_ids"]) == sorted([place.units[0]["id"], place.units[1]["id"]])
    assert deliveries[opted_out["id"]]["channel"] == "MAIL"
    assert "Austin" in deliveries[opted_out["id"]]["address"]
    assert place.parties[1]["id"] not in deliveries  # 10 days behind
    sent = await messages(place.org, mass["id"])
    assert sorted(channel for channel, _, _ in sent) == ["EMAIL", "MAIL"]
    assert len({key for _, _, key in sent}) == 2


async def test_a_newsletter_skips_who_opted_out_of_it(place: Town) -> None:
    await place.ok(
        "communication/preference/v1/set", {"party_id": place.parties[3]["id"], "opted_out_categories": ["NEWSLETTER"]}
    )
    template = await place.template(category="NEWSLETTER")
    mass = await place.mass(template["id"], {"kind": "ALL_OWNERS"})
    await place.ok("communication/mass/v1/send", {"id": mass["id"]})
    progress = await place.sent(mass["id"])
    assert (progress["total"], progress["sent"], progress["skipped"]) == (4, 2, 2)
    skipped = {d["party_id"]: d["skip_reason"] for d in await place.deliveries(mass["id"]) if d["status"] == "SKIPPED"}
    # owner 3 opted out of newsletters; owner 2 turned email off (earlier test), and a newsletter is no notice
    assert skipped == {place.parties[3]["id"]: "OPTED_OUT", place.parties[2]["id"]: "OPTED_OUT"}


async def test_a_scheduled_send_waits_and_a_cancelled_one_sends_nothing(place: Town) -> None:
    template = await place.template()
    mass = await place.mass(template["id"], {"kind": "ALL_OWNERS"})
    at = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
    scheduled = await place.ok("communication/mass/v1/send", {"id": mass["id"], "scheduled_for": at})
    assert scheduled["status"] == "SCHEDULED"
    done = await place.sent(mass["id"])
    assert (done["status"], done["sent"], done["skipped"]) == ("SENT", 3, 1)  # owner 2 turned email off
    other = await place.mass(template["id"], {"kind": "ALL_OWNERS"})
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    await place.ok("communication/mass/v1/send", {"id": other["id"], "scheduled_for": later})
    cancelled = await place.ok("communication/mass/v1/cancel", {"id": other["id"]})
    assert cancelled["status"] == "CANCELLED"
    assert await messages(place.org, other["id"]) == []
