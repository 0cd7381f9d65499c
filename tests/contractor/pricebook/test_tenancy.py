"""Who reaches a pricebook: another contractor finds none of this one's records (NOT_FOUND on every procedure that
names one, exactly like a random id, never FORBIDDEN, and empty lists), and changes nothing; an organization that is
not a contractor on the platform (an HOA, an external provider) has no pricebook at all; inside the contractor,
ADMIN and MANAGER keep it and DISPATCHER, TECHNICIAN and VENDOR read it and quote from it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from hestami.app import build_registry, domain_routers
from tests.contractor.pricebook.helpers import Pricebook, contractor, hoa
from tests.support.accounts import account, organization
from tests.support.rpc import all_ids, fails, ok, post, suffix

RULE = "BUSINESS_RULE_VIOLATION"
LISTS = ("listCategories", "listVersions", "listItems", "listRules", "listTemplates")


@dataclass
class World:
    book: Pricebook
    stranger: Pricebook
    ids: dict[str, str]


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    book = await contractor(shared_client, "Home")
    category = await book.category()
    version = await book.version()
    item = await book.item(version["id"], code="SVC", category_id=category["id"])
    template = await book.ok(
        "pricebook/v1/createTemplate", {"version_id": version["id"], "name": "Job", "trade": "PLUMBING"}
    )
    rule = await book.rule("MEMBER_DISCOUNT", percent="10")
    published = await book.version()
    await book.ok("pricebook/v1/publishVersion", {"id": published["id"]})
    ids = {"category": category["id"], "version": version["id"], "item": item["id"], "template": template["id"],
           "rule": rule["id"], "published": published["id"]}  # fmt: skip
    return World(book, await contractor(shared_client, "Elsewhere"), ids)


def record_calls(ids: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    """Every procedure that names a record, with a body that is valid but for whose the record is."""
    version, item, template, rule = ids["version"], ids["item"], ids["template"], ids["rule"]
    return [
        ("updateCategory", {"id": ids["category"], "name": "Renamed"}),
        ("createCategory", {"name": f"Child {suffix()}", "parent_category_id": ids["category"]}),
        ("getVersion", {"id": version}),
        ("copyVersion", {"id": version, "name": f"Copy {suffix()}"}),
        ("publishVersion", {"id": version}),
        ("activateVersion", {"id": ids["published"]}),
        ("createItem", {"version_id": version, "code": "NEW", "name": "New", "kind": "SERVICE", "unit": "EACH",
                        "price": "1.00"}),
        ("createItem", {"version_id": ids["stranger_version"], "code": "NEW", "name": "New", "kind": "SERVICE",
                        "unit": "EACH", "price": "1.00", "category_id": ids["category"]}),
        ("getItem", {"id": item}),
        ("updateItem", {"id": item, "price": "2.00"}),
        ("deleteItem", {"id": item}),
        ("createTemplate", {"version_id": version, "name": "T", "trade": "PLUMBING"}),
        ("getTemplate", {"id": template}),
        ("updateTemplate", {"id": template, "name": "T2"}),
        ("deleteTemplate", {"id": template}),
        ("createRule", {"name": "R", "kind": "MEMBER_DISCOUNT", "percent": "5", "category_id": ids["category"]}),
        ("getRule", {"id": rule}),
        ("updateRule", {"id": rule, "percent": "20"}),
        ("deactivateRule", {"id": rule}),
        ("price", {"items": [{"code": "SVC", "quantity": "1"}], "version_id": version}),
    ]  # fmt: skip


def test_every_procedure_that_names_a_record_is_walked() -> None:
    names = {path for path, _ in record_calls({k: "x" for k in ("category", "version", "item", "template", "rule",
                                                                 "published", "stranger_version")})}  # fmt: skip
    registry = [p for p in build_registry(domain_routers()) if p.namespace == "pricebook"]
    naming = {p.name for p in registry if any(f == "id" or f.endswith("_id") for f in p.input_model.model_fields)}
    assert naming - set(LISTS) == names


async def test_another_contractors_records_are_not_found_like_random_ids(world: World) -> None:
    stranger = world.stranger
    theirs = {**world.ids, "stranger_version": (await stranger.version())["id"]}
    for path, body in record_calls(theirs):
        full = f"pricebook/v1/{path}"
        named = next(v for k, v in body.items() if (k == "id" or k.endswith("_id")) and v in theirs.values()
                     and v != theirs["stranger_version"])  # fmt: skip
        error = await stranger.fails(full, body, 404, "NOT_FOUND")
        randomized = {k: (str(uuid.uuid4()) if v == named else v) for k, v in body.items()}
        random_error = await stranger.fails(full, randomized, 404, "NOT_FOUND")
        assert error["details"]["kind"] == random_error["details"]["kind"], path
    for path in LISTS:
        assert not set(world.ids.values()) & await all_ids(stranger.client, stranger.manager, stranger.org,
                                                           f"pricebook/v1/{path}")  # fmt: skip
    unchanged = await world.book.ok("pricebook/v1/getItem", {"id": world.ids["item"]})
    assert unchanged["price"] == "100.00"
    assert (await world.book.ok("pricebook/v1/getVersion", {"id": world.ids["version"]}))["status"] == "DRAFT"
    assert (await world.book.ok("pricebook/v1/getRule", {"id": world.ids["rule"]}))["active"] is True


async def test_only_a_contractor_on_the_platform_has_a_pricebook(
    shared_client: httpx.AsyncClient, world: World
) -> None:
    association = await hoa(shared_client, "NoBook")
    outside = await account(shared_client)
    external = str((await organization(shared_client, outside, f"Pools {suffix()}", "EXTERNAL_SERVICE_PROVIDER"))["id"])
    await ok(shared_client, outside, external, "contractor/profile/v1/upsert", {"legal_name": "Off Platform Pools"})
    bare = await account(shared_client)
    no_profile = str((await organization(shared_client, bare, f"New {suffix()}", "SERVICE_PROVIDER"))["id"])
    calls = [*record_calls({**world.ids, "stranger_version": world.ids["version"]}), ("listItems", {}),
             ("createVersion", {"name": "Mine"}), ("price", {"items": [{"code": "SVC", "quantity": "1"}]})]  # fmt: skip
    for who, org in ((association.admin, association.org), (outside, external), (bare, no_profile)):
        for path, body in calls:
            await fails(shared_client, who, org, f"pricebook/v1/{path}", body, 422, RULE, "NOT_A_CONTRACTOR")


async def test_management_keeps_the_pricebook_and_the_field_reads_it(world: World) -> None:
    book = world.book
    manager = book.members["MANAGER"]
    version = await book.ok("pricebook/v1/createVersion", {"name": f"By the manager {suffix()}"}, who=manager)
    call = {"version_id": version["id"], "code": "M1", "name": "Service call", "kind": "SERVICE", "unit": "VISIT",
            "price": "89.00"}  # fmt: skip
    await book.ok("pricebook/v1/createItem", call, who=manager)
    await book.active(version["id"])
    for role in ("DISPATCHER", "TECHNICIAN", "VENDOR"):
        who = book.members[role]
        assert (await book.ok("pricebook/v1/getItem", {"id": world.ids["item"]}, who=who))["code"] == "SVC"
        listed = await book.ok("pricebook/v1/listItems", {"version_id": version["id"]}, who=who)
        assert [i["code"] for i in listed["items"]] == ["M1"]
        quote = await book.ok("pricebook/v1/price", {"items": [{"code": "M1", "quantity": "2"}]}, who=who)
        assert quote["subtotal"] == "178.00"
        for path in LISTS:
            await book.ok(f"pricebook/v1/{path}", {}, who=who)
        writes = [
            ("createVersion", {"name": f"Field {suffix()}"}),
            ("createCategory", {"name": f"Field {suffix()}"}),
            ("updateItem", {"id": world.ids["item"], "price": "1.00"}),
            ("createRule", {"name": "Field", "kind": "MEMBER_DISCOUNT", "percent": "50"}),
            ("deactivateRule", {"id": world.ids["rule"]}),
            ("deleteTemplate", {"id": world.ids["template"]}),
            ("activateVersion", {"id": world.ids["published"]}),
        ]
        for path, body in writes:
            await book.fails(f"pricebook/v1/{path}", body, 403, "FORBIDDEN", who=who)
    assert (await book.ok("pricebook/v1/getItem", {"id": world.ids["item"]}))["price"] == "100.00"


async def test_a_refused_request_changes_nothing(world: World) -> None:
    """A technician's refused write and a published version's refused edit leave no audit event behind."""
    book = world.book
    before = await book.audit_actions(world.ids["item"])
    response = await post(book.client, book.members["TECHNICIAN"], book.org, "pricebook/v1/updateItem",
                          {"id": world.ids["item"], "price": "1.00"})  # fmt: skip
    assert response.status_code == 403
    assert await book.audit_actions(world.ids["item"]) == before
