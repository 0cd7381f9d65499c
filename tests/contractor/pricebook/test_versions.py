"""Pricebook versions over HTTP: DRAFT → PUBLISHED → ACTIVE → RETIRED with a history row per move; a published
version never changes (every edit of its items, bundle components and templates is VERSION_PUBLISHED, and the
database refuses a write that gets past the service); copyVersion makes an editable draft of any version; exactly
one version is ACTIVE, even when two activations arrive at once."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from hestami.core import runtime
from tests.contractor.pricebook.helpers import Pricebook, contractor
from tests.support.race import Held, race
from tests.support.rpc import post

RULE = "BUSINESS_RULE_VIOLATION"


@pytest.fixture(scope="module")
async def book(shared_client: httpx.AsyncClient) -> Pricebook:
    return await contractor(shared_client, "Versions")


async def published(book: Pricebook) -> dict[str, Any]:
    """A published version with a material, a bundle of it and a job template listing it."""
    version = await book.version()
    pipe = await book.item(version["id"], code="CU-34", kind="MATERIAL", unit="FOOT", price="4.35")
    kit = await book.item(version["id"], code="KIT", kind="BUNDLE", components=[{"code": "CU-34", "quantity": "10"}])
    template = await book.ok(
        "pricebook/v1/createTemplate",
        {"version_id": version["id"], "name": "Repipe", "trade": "PLUMBING",
         "items": [{"code": "KIT", "quantity": "1"}],
         "steps": [{"text": "Shut off the water"}, {"text": "Photograph the work", "required": False}]},
    )  # fmt: skip
    await book.ok("pricebook/v1/publishVersion", {"id": version["id"]})
    return {"version": version, "pipe": pipe, "kit": kit, "template": template}


async def test_a_published_version_never_changes(book: Pricebook) -> None:
    made = await published(book)
    version, pipe, kit, template = made["version"]["id"], made["pipe"]["id"], made["kit"]["id"], made["template"]["id"]
    edits = [
        ("pricebook/v1/updateItem", {"id": pipe, "price": "5.00"}),
        ("pricebook/v1/updateItem", {"id": kit, "components": [{"code": "CU-34", "quantity": "20"}]}),
        ("pricebook/v1/deleteItem", {"id": pipe}),
        ("pricebook/v1/createItem", {"version_id": version, "code": "NEW", "name": "New", "kind": "SERVICE",
                                     "unit": "EACH", "price": "1.00"}),
        ("pricebook/v1/createTemplate", {"version_id": version, "name": "Another", "trade": "PLUMBING"}),
        ("pricebook/v1/updateTemplate", {"id": template, "steps": [{"text": "Skip it"}]}),
        ("pricebook/v1/deleteTemplate", {"id": template}),
    ]  # fmt: skip
    for path, body in edits:
        await book.fails(path, body, 422, RULE, "VERSION_PUBLISHED")
    after = await book.ok("pricebook/v1/getItem", {"id": pipe})
    assert after["price"] == "4.35"
    assert (await book.ok("pricebook/v1/getItem", {"id": kit}))["components"][0]["quantity"] == "10.0000"
    kept = await book.ok("pricebook/v1/getTemplate", {"id": template})
    assert [s["text"] for s in kept["steps"]] == ["Shut off the water", "Photograph the work"]
    await book.fails("pricebook/v1/publishVersion", {"id": version}, 409, "INVALID_STATE_TRANSITION")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE pricebook_items SET price = 1 WHERE id = :item",
        "DELETE FROM pricebook_bundle_components WHERE bundle_item_id = :kit",
        "DELETE FROM pricebook_template_steps WHERE version_id = :version",
        "INSERT INTO pricebook_items (id, organization_id, version_id, code, name, kind, unit, cost, price) "
        "VALUES (gen_random_uuid(), :org, :version, 'SNEAK', 'Sneak', 'SERVICE', 'EACH', 0, 0)",
        "UPDATE pricebook_versions SET status = 'DRAFT' WHERE id = :version",
    ],
    ids=["update an item", "delete components", "delete steps", "insert an item", "back to draft"],
)
async def test_the_database_refuses_any_write_to_a_published_version(book: Pricebook, statement: str) -> None:
    made = await published(book)
    params = {"item": made["pipe"]["id"], "kit": made["kit"]["id"], "version": made["version"]["id"], "org": book.org}
    database = runtime.current().database
    with pytest.raises(DBAPIError, match="never"):
        async with database.transaction(organization_id=uuid.UUID(book.org), user_id=None) as session:
            await session.execute(text(statement), {k: v for k, v in params.items() if f":{k}" in statement})


async def test_the_lifecycle_with_a_history_row_per_move(book: Pricebook) -> None:
    first, second = await book.version(), await book.version()
    await book.fails("pricebook/v1/activateVersion", {"id": first["id"]}, 409, "INVALID_STATE_TRANSITION")
    await book.active(first["id"])
    await book.ok("pricebook/v1/publishVersion", {"id": second["id"]})
    activated = await book.ok("pricebook/v1/activateVersion", {"id": second["id"]})
    assert activated["status"] == "ACTIVE"
    assert activated["activated_at"] is not None
    retired = await book.ok("pricebook/v1/getVersion", {"id": first["id"]})
    assert (retired["status"], retired["retired_at"] is not None) == ("RETIRED", True)
    moves = [(h["from_status"], h["to_status"]) for h in retired["history"]]
    assert moves == [(None, "DRAFT"), ("DRAFT", "PUBLISHED"), ("PUBLISHED", "ACTIVE"), ("ACTIVE", "RETIRED")]
    assert all(h["actor_user_id"] == str(book.manager.user_id) for h in retired["history"])
    await book.fails("pricebook/v1/activateVersion", {"id": second["id"]}, 409, "INVALID_STATE_TRANSITION")
    back = await book.ok("pricebook/v1/activateVersion", {"id": first["id"]})  # going back to earlier prices
    assert back["status"] == "ACTIVE"
    active = await book.ok("pricebook/v1/listVersions", {"status": "ACTIVE"})
    assert [v["id"] for v in active["items"]] == [first["id"]]
    assert (await book.ok("pricebook/v1/getVersion", {"id": second["id"]}))["status"] == "RETIRED"
    actions = await book.audit_actions(first["id"])
    assert actions == ["pricebook_version.created"] + ["pricebook_version.status_changed"] * 4


async def test_copy_version_makes_an_editable_draft_of_everything(book: Pricebook) -> None:
    made = await published(book)
    copy = await book.ok("pricebook/v1/copyVersion", {"id": made["version"]["id"], "name": "Next season"})
    assert (copy["status"], copy["copied_from_version_id"], copy["item_count"]) == (
        "DRAFT", made["version"]["id"], 2
    )  # fmt: skip
    listed = await book.ok("pricebook/v1/listItems", {"version_id": copy["id"]})
    by_code = {i["code"]: i for i in listed["items"]}
    assert set(by_code) == {"CU-34", "KIT"}
    assert by_code["CU-34"]["id"] != made["pipe"]["id"]
    assert by_code["KIT"]["components"] == [
        {"item_id": by_code["CU-34"]["id"], "code": "CU-34", "name": "Drain cleaning", "quantity": "10.0000"}
    ]
    templates = await book.ok("pricebook/v1/listTemplates", {"version_id": copy["id"]})
    [template] = templates["items"]
    assert [(i["code"], i["item_id"]) for i in template["items"]] == [("KIT", by_code["KIT"]["id"])]
    assert [(s["position"], s["text"], s["required"]) for s in template["steps"]] == [
        (1, "Shut off the water", True), (2, "Photograph the work", False)
    ]  # fmt: skip
    changed = await book.ok("pricebook/v1/updateItem", {"id": by_code["CU-34"]["id"], "price": "4.60"})
    assert changed["price"] == "4.60"
    assert (await book.ok("pricebook/v1/getItem", {"id": made["pipe"]["id"]}))["price"] == "4.35"
    await book.fails("pricebook/v1/copyVersion", {"id": copy["id"], "name": "next SEASON"}, 422, RULE, "DUPLICATE_NAME")
    assert "pricebook_version.copied" in await book.audit_actions(copy["id"])


async def test_two_activations_at_once_leave_exactly_one_active(shared_client: httpx.AsyncClient) -> None:
    """Both requests are held at the row lock of the ACTIVE version they would retire, after they read it; the
    activation lock makes the second wait before its read, then retire the version the first one activated."""
    book = await contractor(shared_client, "Race")
    current, a, b = await book.version(), await book.version(), await book.version()
    await book.active(current["id"])
    for version in (a, b):
        await book.ok("pricebook/v1/publishVersion", {"id": version["id"]})
    held = Held(book.org, "SELECT id FROM pricebook_versions WHERE id = :id FOR UPDATE", {"id": current["id"]})
    responses = await race(
        held,
        *(post(shared_client, book.manager, book.org, "pricebook/v1/activateVersion", {"id": v["id"]}) for v in (a, b)),
    )
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    statuses = {v["id"]: v["status"] for v in (await book.ok("pricebook/v1/listVersions", {}))["items"]}
    assert sorted(statuses.values()) == ["ACTIVE", "RETIRED", "RETIRED"]
    assert statuses[current["id"]] == "RETIRED"
