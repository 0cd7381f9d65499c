"""The caller's own profile: account, parties with the units they hold, contact preferences (the notification
settings); only their own, whoever asks."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.cam.association.helpers import audit_actions, person
from tests.cam.portal.helpers import Portal, portal
from tests.support.accounts import member_account


@pytest.fixture(scope="module")
async def p(shared_client: httpx.AsyncClient) -> Portal:
    return await portal(shared_client, "Profile")


async def test_the_profile_shows_the_account_parties_units_and_preferences(p: Portal) -> None:
    me = await p.ok("portal/profile/v1/get", {}, p.owner.account)
    assert (me["account"]["user_id"], me["account"]["email"]) == (str(p.owner.account.user_id), p.owner.account.email)
    [party] = me["parties"]
    assert (party["id"], party["display_name"]) == (p.owner.party_id, "Olivia Owner")
    assert [(h["relation"], h["unit_id"], h["unit_number"], h["percentage"]) for h in party["holdings"]] == [
        ("OWNER", p.owner.unit_id, "14", "100.0000")
    ]
    prefs = party["preferences"]
    assert (prefs["email"], prefs["sms"], prefs["mail"], prefs["opted_out_categories"]) == (True, True, True, [])
    assert prefs["updated_at"] is None
    assert prefs["required_categories"] == ["DELINQUENCY", "EMERGENCY", "MEETING"]
    tenant = await p.ok("portal/profile/v1/get", {}, p.tenant)
    assert [(h["relation"], h["unit_id"]) for h in tenant["parties"][0]["holdings"]] == [
        ("TENANT", p.neighbour.unit_id)
    ]
    # the manager has no party here: an account and nothing else
    assert (await p.ok("portal/profile/v1/get", {}))["parties"] == []


async def test_an_owner_changes_their_own_name_phone_and_address(p: Portal) -> None:
    address = {"line1": "14 Sunset Ridge Dr", "city": "San Antonio", "state": "TX", "postal_code": "78258"}
    body = {"party_id": p.owner.party_id, "first_name": "Olive", "phone": "210-555-0114", "mailing_address": address}
    changed = await p.ok("portal/profile/v1/update", body, p.owner.account)
    assert (changed["display_name"], changed["phone"]) == ("Olive Owner", "210-555-0114")
    assert changed["mailing_address"]["line1"] == "14 Sunset Ridge Dr"
    assert (await p.ok("party/v1/get", {"id": p.owner.party_id}))["first_name"] == "Olive"
    assert "party.contact_updated" in await audit_actions(p.org, p.owner.party_id)
    cleared = await p.ok("portal/profile/v1/update", {"party_id": p.owner.party_id, "phone": None}, p.owner.account)
    assert (cleared["phone"], cleared["first_name"]) == (None, "Olive")
    # the email on file is not theirs to change here
    await p.fails("portal/profile/v1/update", {"party_id": p.owner.party_id, "email": "x@example.com"}, 400,
                  "VALIDATION_FAILED", who=p.owner.account)  # fmt: skip


async def test_another_partys_id_is_not_found_whoever_asks(p: Portal) -> None:
    unlinked = await person(p.client, p.manager, p.org, "No", "Login")
    for who, party_id in (
        (p.owner.account, p.neighbour.party_id),  # a neighbour's (not visible to her at all)
        (p.manager, p.owner.party_id),  # the manager sees every party, but the portal is each person's own
        (p.manager, unlinked["id"]),
        (p.board, p.owner.party_id),
        (p.owner.account, str(uuid.uuid4())),
    ):
        for path, body in (
            ("portal/profile/v1/update", {"party_id": party_id, "phone": "1"}),
            ("portal/profile/v1/getPreferences", {"party_id": party_id}),
            ("portal/profile/v1/updatePreferences",
             {"party_id": party_id, "email": True, "sms": True, "mail": True, "opted_out_categories": []}),
        ):  # fmt: skip
            error = await p.fails(path, body, 404, "NOT_FOUND", who=who)
            assert error["details"] == {"kind": "party", "id": party_id}


async def test_preferences_are_the_notification_settings(p: Portal) -> None:
    body = {"party_id": p.owner.party_id, "email": True, "sms": False, "mail": False,
            "opted_out_categories": ["NEWSLETTER"]}  # fmt: skip
    saved = await p.ok("portal/profile/v1/updatePreferences", body, p.owner.account)
    assert (saved["sms"], saved["mail"], saved["opted_out_categories"]) == (False, False, ["NEWSLETTER"])
    assert saved["updated_at"] is not None
    read = await p.ok("portal/profile/v1/getPreferences", {"party_id": p.owner.party_id}, p.owner.account)
    assert read == saved
    # official notices cannot be opted out of; unknown categories are refused; nothing changes
    required = {**body, "opted_out_categories": ["NEWSLETTER", "MEETING"]}
    await p.fails("portal/profile/v1/updatePreferences", required, 422, "BUSINESS_RULE_VIOLATION",
                  "REQUIRED_CATEGORY", who=p.owner.account)  # fmt: skip
    await p.fails("portal/profile/v1/updatePreferences", {**body, "opted_out_categories": ["GOSSIP"]}, 400,
                  "VALIDATION_FAILED", who=p.owner.account)  # fmt: skip
    again = await p.ok("portal/profile/v1/getPreferences", {"party_id": p.owner.party_id}, p.owner.account)
    assert again == saved
    me = await p.ok("portal/profile/v1/get", {}, p.owner.account)
    assert me["parties"][0]["preferences"] == saved


async def test_a_member_without_a_party_has_an_account_and_nothing_else(p: Portal) -> None:
    newcomer = await member_account(p.client, p.manager, p.org, ["OWNER"])
    me = await p.ok("portal/profile/v1/get", {}, newcomer)
    assert (me["account"]["email"], me["parties"]) == (newcomer.email, [])
