"""Message templates over HTTP (`communication/template/v1/*`): created as version 1 after their text is checked,
read, listed by association, channel and category, revised into new versions (what was drafted before keeps its
version), renamed (names unique in the organization among live templates, whatever the case), archived (no new
version, no new send, the name free again), previewed with sample data, checked without saving; a template of one
association is no template of another's mass communications; two templates named alike at once leave one."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from hestami.cam.communications import rules
from tests.cam.accounting.helpers import Books, books
from tests.cam.communications.helpers import Town, office
from tests.support.race import Held, race
from tests.support.rpc import all_ids, post, suffix

ASSOCIATION_ROW = "SELECT id FROM associations WHERE id = :id FOR UPDATE"


@pytest.fixture(scope="module")
async def place(shared_client: httpx.AsyncClient) -> Town:
    return await office(shared_client, "Templates")


@pytest.fixture(scope="module")
async def elsewhere(place: Town) -> Books:
    """A second association of the same organization."""
    return await books(place.client, place.manager, place.org)


async def listed(place: Town, **filters: Any) -> set[str]:
    return await all_ids(place.client, place.manager, place.org, "communication/template/v1/list", filters)


# --- create, get, check --------------------------------------------------------------------------------------


async def test_a_new_template_is_version_1_with_the_variables_it_uses(place: Town) -> None:
    made = await place.template(
        name=f"Pool opening {suffix()}", category="EVENT", description="Sent every May",
        subject="Pool opens {{ pool_date }}", custom_variables=["pool_date"],
        body="Dear {{ recipient_name }}, the pool of {{ association_name }} opens {{ pool_date }}.",
    )  # fmt: skip
    assert (made["channel"], made["category"], made["current_version"], made["archived_at"]) == (
        "EMAIL", "EVENT", 1, None
    )  # fmt: skip
    assert made["association_id"] is None
    assert made["subject"] == "Pool opens {{ pool_date }}"
    assert made["custom_variables"] == ["pool_date"]
    assert made["variables_used"] == ["association_name", "pool_date", "recipient_name"]
    got = await place.ok("communication/template/v1/get", {"id": made["id"]})
    assert got == made


async def test_a_template_may_belong_to_one_association(place: Town) -> None:
    made = await place.template(association_id=place.association_id)
    assert made["association_id"] == place.association_id


@pytest.mark.parametrize(
    ("fields", "status", "reason"),
    [
        ({"body": "Dear {{ recipient_name }},\n{% if %}x{% endif %}"}, 400, "TEMPLATE_SYNTAX"),
        ({"body": "Dear {{ lot_owner }}"}, 400, "UNKNOWN_VARIABLE"),
        ({"subject": None}, 400, "SUBJECT_REQUIRED"),
        ({"channel": "SMS", "subject": "Pool"}, 400, "SUBJECT_REQUIRED"),
        ({"channel": "SMS", "subject": None, "body": "x" * 1601}, 400, "TOO_LONG"),
        ({"custom_variables": ["recipient_name"]}, 400, "UNKNOWN_VARIABLE"),
        ({"custom_variables": ["Pool Date"]}, 400, "/custom_variables/0"),
        ({"body": " \n\t "}, 400, "/body"),
        ({"subject": "   "}, 400, "/subject"),
    ],
)
async def test_a_template_whose_text_fails_its_check_is_not_saved(
    place: Town, fields: dict[str, Any], status: int, reason: str
) -> None:
    """Refused with the reason (or, for what the input's schema refuses, naming the field): nothing saved."""
    name = f"Refused {suffix()}"
    body: dict[str, Any] = {
        "name": name, "channel": "EMAIL", "subject": "Hello", "body": "Dear {{ recipient_name }}", **fields
    }  # fmt: skip
    body = {k: v for k, v in body.items() if v is not None}
    if reason.startswith("/"):
        error = await place.fails("communication/template/v1/create", body, status, "VALIDATION_FAILED")
        assert reason in {e["field"] for e in error["field_errors"]}, error
    else:
        await place.fails("communication/template/v1/create", body, status, "VALIDATION_FAILED", reason)
    everything = await place.ok("communication/template/v1/list", {"include_archived": True, "limit": 200})
    assert name not in {t["name"] for t in everything["items"]}


async def test_a_syntax_error_names_its_line(place: Town) -> None:
    body = {"name": f"Broken {suffix()}", "channel": "LETTER", "body": "Dear owner,\n\nThe pool {% if %}opens"}
    error = await place.fails("communication/template/v1/create", body, 400, "VALIDATION_FAILED", "TEMPLATE_SYNTAX")
    assert error["details"]["line"] == 3
    assert error["message"].startswith("Line 3:")


async def test_an_unknown_variable_names_it_and_what_is_known(place: Town) -> None:
    body = {"name": f"Unknown {suffix()}", "channel": "LETTER", "body": "{{ recipient_name }} {{ gate_code }}"}
    error = await place.fails("communication/template/v1/create", body, 400, reason="UNKNOWN_VARIABLE")
    assert error["details"]["unknown"] == ["gate_code"]
    assert "unit_numbers" in error["details"]["known"]


async def test_a_template_of_an_association_of_another_organization_is_not_found(place: Town) -> None:
    other = await office(place.client, "Other")
    body = {
        "name": f"Borrowed {suffix()}",
        "channel": "LETTER",
        "body": "Hello",
        "association_id": other.association_id,
    }
    await place.fails("communication/template/v1/create", body, 404, "NOT_FOUND")


async def test_check_validates_a_text_without_saving_it(place: Town) -> None:
    before = await listed(place, include_archived=True)
    checked = await place.ok(
        "communication/template/v1/check",
        {"channel": "EMAIL", "subject": "{{ association_name }}", "body": "{{ recipient_name }}: {{ gate_code }}",
         "custom_variables": ["gate_code"]},
    )  # fmt: skip
    assert checked["variables_used"] == ["association_name", "gate_code", "recipient_name"]
    known = {v["name"]: v for v in checked["known_variables"]}
    assert set(known) == {*rules.SYSTEM_VARIABLES, "gate_code"}
    assert known["balance"]["sample"] == "412.50"
    assert known["gate_code"] == {"name": "gate_code", "description": "custom", "sample": "<gate_code>"}
    assert await listed(place, include_archived=True) == before


async def test_check_refuses_what_create_refuses(place: Town) -> None:
    bad = {"channel": "EMAIL", "subject": "Hi", "body": "{{ recipient_name }"}
    await place.fails("communication/template/v1/check", bad, 400, "VALIDATION_FAILED", "TEMPLATE_SYNTAX")
    sms = {"channel": "SMS", "body": "{{ balance }} " * 200}
    await place.fails("communication/template/v1/check", sms, 400, "VALIDATION_FAILED", "TOO_LONG")


# --- list ----------------------------------------------------------------------------------------------------


async def test_list_filters_by_association_channel_and_category(place: Town, elsewhere: Books) -> None:
    aid = elsewhere.association_id
    email = await place.template(association_id=aid, category="NEWSLETTER")
    sms = await place.template("SMS", association_id=aid, category="EMERGENCY", body="Water off at {{ today }}.")
    letter = await place.template("LETTER", association_id=aid, category="NEWSLETTER")
    organization_wide = await place.template("SMS", category="NEWSLETTER", body="News.")
    assert await listed(place, association_id=aid) == {email["id"], sms["id"], letter["id"]}
    assert await listed(place, association_id=aid, channel="SMS") == {sms["id"]}
    assert await listed(place, association_id=aid, category="NEWSLETTER") == {email["id"], letter["id"]}
    assert organization_wide["id"] in await listed(place, channel="SMS", category="NEWSLETTER")
    assert await listed(place, association_id=aid, channel="LETTER", category="EMERGENCY") == set()


async def test_list_answers_the_current_text_oldest_first(place: Town, elsewhere: Books) -> None:
    aid = elsewhere.association_id
    first = await place.template("LETTER", association_id=aid, category="MAINTENANCE")
    second = await place.template("LETTER", association_id=aid, category="MAINTENANCE")
    await place.ok("communication/template/v1/revise", {"id": first["id"], "body": "Revised {{ today }}"})
    page = await place.ok(
        "communication/template/v1/list", {"association_id": aid, "category": "MAINTENANCE", "limit": 200}
    )
    assert [t["id"] for t in page["items"]] == [first["id"], second["id"]]
    assert (page["items"][0]["current_version"], page["items"][0]["body"]) == (2, "Revised {{ today }}")
    assert page["items"][0]["variables_used"] == ["today"]


async def test_list_leaves_archived_templates_out_unless_asked(place: Town, elsewhere: Books) -> None:
    aid = elsewhere.association_id
    kept = await place.template("LETTER", association_id=aid, category="GENERAL")
    gone = await place.template("LETTER", association_id=aid, category="GENERAL")
    await place.ok("communication/template/v1/archive", {"id": gone["id"]})
    assert await listed(place, association_id=aid, category="GENERAL") == {kept["id"]}
    assert await listed(place, association_id=aid, category="GENERAL", include_archived=True) == {
        kept["id"], gone["id"]
    }  # fmt: skip


# --- revise and versions ---------------------------------------------------------------------------------------


async def test_a_revision_is_version_2_and_a_draft_made_before_keeps_version_1(place: Town) -> None:
    made = await place.template(subject="Pool", body="Version one for {{ recipient_name }}")
    before = await place.mass(made["id"], {"kind": "ALL_OWNERS"})
    assert before["template_version"] == 1
    revised = await place.ok(
        "communication/template/v1/revise",
        {"id": made["id"], "subject": "Pool {{ pool_date }}", "body": "Version two: {{ pool_date }}",
         "custom_variables": ["pool_date"]},
    )  # fmt: skip
    assert (revised["current_version"], revised["body"], revised["custom_variables"]) == (
        2, "Version two: {{ pool_date }}", ["pool_date"]
    )  # fmt: skip
    assert (await place.ok("communication/template/v1/get", {"id": made["id"]}))["current_version"] == 2
    versions = (await place.ok("communication/template/v1/versions", {"id": made["id"]}))["items"]
    assert [(v["version"], v["subject"], v["body"], v["variables"]) for v in versions] == [
        (1, "Pool", "Version one for {{ recipient_name }}", []),
        (2, "Pool {{ pool_date }}", "Version two: {{ pool_date }}", ["pool_date"]),
    ]
    assert all(v["template_id"] == made["id"] for v in versions)
    assert all(v["created_by"] == str(place.manager.user_id) for v in versions)
    kept = await place.ok("communication/mass/v1/get", {"id": before["id"]})
    assert kept["template_version"] == 1
    after = await place.mass(made["id"], {"kind": "ALL_OWNERS"}, values={"pool_date": "May 1"})
    assert after["template_version"] == 2


async def test_updating_a_draft_moves_it_to_the_current_version(place: Town) -> None:
    made = await place.template(body="One {{ recipient_name }}")
    draft = await place.mass(made["id"], {"kind": "ALL_OWNERS"})
    await place.ok("communication/template/v1/revise", {"id": made["id"], "subject": "Two", "body": "Two"})
    updated = await place.ok("communication/mass/v1/update", {"id": draft["id"], "title": "Renamed"})
    assert (updated["title"], updated["template_version"]) == ("Renamed", 2)


async def test_a_revision_is_checked_like_a_new_template_against_its_channel(place: Town) -> None:
    sms = await place.template("SMS", body="Water off today.")
    revise = {"id": sms["id"], "subject": "Water", "body": "Water off."}
    await place.fails("communication/template/v1/revise", revise, 400, "VALIDATION_FAILED", "SUBJECT_REQUIRED")
    revise = {"id": sms["id"], "body": "Water off for {{ lot }}."}
    await place.fails("communication/template/v1/revise", revise, 400, "VALIDATION_FAILED", "UNKNOWN_VARIABLE")
    versions = (await place.ok("communication/template/v1/versions", {"id": sms["id"]}))["items"]
    assert [v["version"] for v in versions] == [1]
    assert (await place.ok("communication/template/v1/get", {"id": sms["id"]}))["current_version"] == 1


# --- update: names -------------------------------------------------------------------------------------------


async def test_update_changes_name_category_and_description_not_the_text(place: Town) -> None:
    made = await place.template(category="GENERAL", description="Old")
    name = f"Renamed {suffix()}"
    updated = await place.ok(
        "communication/template/v1/update",
        {"id": made["id"], "name": name, "category": "MAINTENANCE", "description": "New"},
    )
    assert (updated["name"], updated["category"], updated["description"]) == (name, "MAINTENANCE", "New")
    assert (updated["current_version"], updated["body"]) == (1, made["body"])
    cleared = await place.ok("communication/template/v1/update", {"id": made["id"], "description": None})
    assert (cleared["description"], cleared["name"]) == (None, name)


async def test_names_are_unique_in_the_organization_whatever_the_case(place: Town, elsewhere: Books) -> None:
    name = f"Board Notice {suffix()}"
    first = await place.template(name=name)
    again = {"name": name.upper(), "channel": "LETTER", "body": "Hello"}
    error = await place.fails("communication/template/v1/create", again, 422, "BUSINESS_RULE_VIOLATION")
    assert error["details"]["reason"] == "DUPLICATE_NAME"
    # another association of the same organization: the same rule
    await place.fails(
        "communication/template/v1/create", {**again, "association_id": elsewhere.association_id}, 422,
        reason="DUPLICATE_NAME",
    )  # fmt: skip
    other = await place.template()
    rename = {"id": other["id"], "name": f"  {name.lower()} "}
    await place.fails("communication/template/v1/update", rename, 422, "BUSINESS_RULE_VIOLATION", "DUPLICATE_NAME")
    assert (await place.ok("communication/template/v1/get", {"id": other["id"]}))["name"] == other["name"]
    # its own name in another case is no duplicate
    recased = await place.ok("communication/template/v1/update", {"id": first["id"], "name": name.lower()})
    assert recased["name"] == name.lower()


async def test_another_organization_may_use_the_same_name(place: Town) -> None:
    name = f"Welcome {suffix()}"
    await place.template(name=name)
    other = await office(place.client, "Same names")
    made = await other.template(name=name)
    assert made["name"] == name


async def test_an_archived_templates_name_is_free_again(place: Town) -> None:
    name = f"Annual Meeting {suffix()}"
    old = await place.template(name=name)
    await place.ok("communication/template/v1/archive", {"id": old["id"]})
    new = await place.template(name=name.lower())
    assert new["id"] != old["id"]
    renamed = await place.template()
    await place.ok("communication/template/v1/archive", {"id": new["id"]})
    updated = await place.ok("communication/template/v1/update", {"id": renamed["id"], "name": name})
    assert updated["name"] == name


async def test_two_templates_named_alike_at_once_leave_one(place: Town) -> None:
    """Forced race: both requests are held at the association's row (the new template's foreign key) after their
    name check; with the lock on the name, the later one waits for it and finds the first one's."""
    name = f"Storm Warning {suffix()}"
    body = {"name": name, "channel": "SMS", "category": "EMERGENCY", "body": "Storm tonight.",
            "association_id": place.association_id}  # fmt: skip

    async def create(label: str) -> httpx.Response:
        return await post(place.client, place.manager, place.org, "communication/template/v1/create", {
            **body, "name": name.upper() if label == "b" else name
        })  # fmt: skip

    held = Held(place.org, ASSOCIATION_ROW, {"id": place.association_id})
    responses = await race(held, create("a"), create("b"))
    assert sorted(r.status_code for r in responses) == [200, 422], [r.text for r in responses]
    refused = next(r for r in responses if r.status_code == 422).json()["error"]
    assert refused["details"]["reason"] == "DUPLICATE_NAME"
    page = await place.ok("communication/template/v1/list", {"association_id": place.association_id, "limit": 200})
    assert [t["name"].lower() for t in page["items"]].count(name.lower()) == 1


# --- archive -----------------------------------------------------------------------------------------------------


async def test_an_archived_template_takes_no_revision_no_update_and_no_new_send(place: Town) -> None:
    made = await place.template()
    draft = await place.mass(made["id"], {"kind": "ALL_OWNERS"})
    archived = await place.ok("communication/template/v1/archive", {"id": made["id"]})
    assert archived["archived_at"] is not None
    assert (await place.ok("communication/template/v1/get", {"id": made["id"]}))["archived_at"] is not None
    for path, body in (
        ("communication/template/v1/revise", {"id": made["id"], "subject": "S", "body": "B"}),
        ("communication/template/v1/update", {"id": made["id"], "description": "D"}),
        ("communication/template/v1/archive", {"id": made["id"]}),
    ):
        await place.fails(path, body, 422, "BUSINESS_RULE_VIOLATION", "TEMPLATE_ARCHIVED")
    new = {"association_id": place.association_id, "template_id": made["id"], "title": "Late",
           "audience": {"kind": "ALL_OWNERS"}}  # fmt: skip
    await place.fails("communication/mass/v1/create", new, 422, "BUSINESS_RULE_VIOLATION", "TEMPLATE_ARCHIVED")
    update = {"id": draft["id"], "title": "Still?"}
    await place.fails("communication/mass/v1/update", update, 422, "BUSINESS_RULE_VIOLATION", "TEMPLATE_ARCHIVED")
    versions = (await place.ok("communication/template/v1/versions", {"id": made["id"]}))["items"]
    assert [v["version"] for v in versions] == [1]
    preview = await place.ok("communication/template/v1/preview", {"id": made["id"]})
    assert preview["version"] == 1


# --- preview -----------------------------------------------------------------------------------------------------


async def test_preview_renders_the_current_version_with_sample_data(place: Town) -> None:
    made = await place.template(
        subject="{{ association_name }}: {{ unit_numbers }}",
        body="Dear {{ recipient_name }}, {{ balance }} is {{ days_past_due }} days late ({{ today }}).",
        category="DELINQUENCY",
    )
    preview = await place.ok("communication/template/v1/preview", {"id": made["id"]})
    assert (preview["template_id"], preview["version"], preview["channel"]) == (made["id"], 1, "EMAIL")
    assert preview["subject"] == "Sunset Ridge Homeowners Association: 104"
    assert preview["body"] == "Dear Olivia Owner, 412.50 is 45 days late (2026-11-02)."
    assert preview["values"]["recipient_name"] == "Olivia Owner"


async def test_preview_values_replace_the_samples_and_custom_variables_default_to_their_name(place: Town) -> None:
    made = await place.template(
        "LETTER", body="{{ recipient_name }}: the gate code is {{ gate_code }} from {{ start }}.",
        custom_variables=["gate_code", "start"],
    )  # fmt: skip
    defaults = await place.ok("communication/template/v1/preview", {"id": made["id"]})
    assert defaults["subject"] is None
    assert defaults["body"] == "Olivia Owner: the gate code is <gate_code> from <start>."
    given = await place.ok(
        "communication/template/v1/preview",
        {"id": made["id"], "values": {"gate_code": "4411", "recipient_name": "Kim Lee"}},
    )
    assert given["body"] == "Kim Lee: the gate code is 4411 from <start>."
    assert given["values"]["gate_code"] == "4411"


async def test_preview_of_an_earlier_version_and_of_one_that_does_not_exist(place: Town) -> None:
    made = await place.template("LETTER", body="First for {{ recipient_name }}.")
    await place.ok("communication/template/v1/revise", {"id": made["id"], "body": "Second."})
    first = await place.ok("communication/template/v1/preview", {"id": made["id"], "version": 1})
    assert (first["version"], first["body"]) == (1, "First for Olivia Owner.")
    current = await place.ok("communication/template/v1/preview", {"id": made["id"]})
    assert (current["version"], current["body"]) == (2, "Second.")
    body = {"id": made["id"], "version": 3}
    await place.fails("communication/template/v1/preview", body, 422, "BUSINESS_RULE_VIOLATION", "UNKNOWN_VERSION")


@pytest.mark.parametrize("text", ["{{ 'x' * 1000000 }}", "{{ 1 / 0 }}", "{{ recipient_name[5:2:0] }}"])
async def test_a_template_that_cannot_render_previews_as_render_failed(place: Town, text: str) -> None:
    """Saved (its variables are known), it fails when rendered: a RENDER_FAILED, never a 500."""
    made = await place.template("LETTER", body=text)
    error = await place.fails("communication/template/v1/preview", {"id": made["id"]}, 422, "BUSINESS_RULE_VIOLATION")
    assert error["details"]["reason"] == "RENDER_FAILED"


@pytest.mark.parametrize(
    "text", ["{{ recipient_name.__class__.__mro__ }}", "{% macro again() %}{{ again() }}{% endmacro %}{{ again() }}"]
)
async def test_a_template_reaching_past_its_variables_is_refused_when_saved(place: Town, text: str) -> None:
    body = {"name": f"Reach {uuid.uuid4().hex[:6]}", "channel": "LETTER", "body": text}
    await place.fails("communication/template/v1/create", body, 400, "VALIDATION_FAILED", "TEMPLATE_SYNTAX")


async def test_a_preview_of_a_random_template_is_not_found(place: Town) -> None:
    await place.fails("communication/template/v1/preview", {"id": str(uuid.uuid4())}, 404, "NOT_FOUND")


# --- one association's template ----------------------------------------------------------------------------------


async def test_a_template_of_another_association_cannot_send_for_this_one(place: Town, elsewhere: Books) -> None:
    theirs = await place.template(association_id=elsewhere.association_id)
    body = {"association_id": place.association_id, "template_id": theirs["id"], "title": "Borrowed",
            "audience": {"kind": "ALL_OWNERS"}}  # fmt: skip
    await place.fails("communication/mass/v1/create", body, 422, "BUSINESS_RULE_VIOLATION", "WRONG_ASSOCIATION")
    page = await place.ok("communication/mass/v1/list", {"association_id": place.association_id, "limit": 200})
    assert theirs["id"] not in {m["template_id"] for m in page["items"]}
    ours = await place.template(association_id=place.association_id)
    organization_wide = await place.template()
    for template in (ours, organization_wide):
        assert (await place.mass(template["id"], {"kind": "ALL_OWNERS"}))["status"] == "DRAFT"
