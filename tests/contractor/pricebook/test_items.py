"""The catalogue over HTTP: categories (names unique per parent, never inside themselves), items (codes unique in
a version, money with two decimals, lists filtered by version, category, kind and text), bundles (components of
the same version, never containing themselves), job templates, and the audit trail of every change."""

from __future__ import annotations

import httpx
import pytest

from tests.contractor.pricebook.helpers import Pricebook, contractor

RULE = "BUSINESS_RULE_VIOLATION"


@pytest.fixture(scope="module")
async def book(shared_client: httpx.AsyncClient) -> Pricebook:
    return await contractor(shared_client, "Catalogue")


async def test_categories_nest_without_cycles_or_twin_names(book: Pricebook) -> None:
    hvac = await book.category("HVAC")
    tune = await book.category("Tune-ups", hvac["id"])
    deep = await book.category("Spring specials", tune["id"])
    await book.fails("pricebook/v1/createCategory", {"name": "hvac"}, 422, RULE, "DUPLICATE_NAME")
    await book.category("Tune-ups")  # the same name at another level
    for parent in (hvac["id"], tune["id"], deep["id"]):
        await book.fails("pricebook/v1/updateCategory", {"id": hvac["id"], "parent_category_id": parent}, 422, RULE,
                         "CATEGORY_CYCLE")  # fmt: skip
    moved = await book.ok("pricebook/v1/updateCategory", {"id": deep["id"], "parent_category_id": None,
                                                          "sort_order": 5})  # fmt: skip
    assert (moved["parent_category_id"], moved["sort_order"], moved["name"]) == (None, 5, "Spring specials")
    inside = await book.ok("pricebook/v1/listCategories", {"parent_category_id": hvac["id"]})
    assert [c["id"] for c in inside["items"]] == [tune["id"]]
    clash = {"id": tune["id"], "name": "Spring specials", "parent_category_id": None}
    await book.fails("pricebook/v1/updateCategory", clash, 422, RULE, "DUPLICATE_NAME")
    assert await book.audit_actions(deep["id"]) == ["pricebook_category.created", "pricebook_category.updated"]


async def test_items_codes_money_and_lists(book: Pricebook) -> None:
    version = await book.version()
    category = await book.category()
    heater = await book.item(version["id"], code="WH-50", name="Water heater replacement 50 gal", price="1895.5",
                             cost="1100", category_id=category["id"], description="Gas, atmospheric vent")  # fmt: skip
    shown = (heater["price"], heater["cost"], heater["taxable"], heater["components"])
    assert shown == ("1895.50", "1100.00", True, [])
    await book.fails("pricebook/v1/createItem", {"version_id": version["id"], "code": "WH-50", "name": "Twin",
                                                 "kind": "SERVICE", "unit": "EACH", "price": "1.00"},
                     422, RULE, "DUPLICATE_CODE")  # fmt: skip
    bad = {"version_id": version["id"], "code": "X1", "name": "X", "kind": "SERVICE", "unit": "EACH"}
    for price in ("1.005", "-1.00"):
        await book.fails("pricebook/v1/createItem", {**bad, "price": price}, 400, "VALIDATION_FAILED")
    await book.fails("pricebook/v1/createItem", {**bad, "code": "lower case", "price": "1"}, 400, "VALIDATION_FAILED")
    labour = await book.item(version["id"], code="LAB-JP", name="Journeyman plumber hour", kind="LABOR", unit="HOUR",
                             taxable=False)  # fmt: skip
    other = await book.version()
    await book.item(other["id"], code="WH-50", name="Water heater, next year")  # a code is unique per version only
    listed = await book.ok("pricebook/v1/listItems", {"version_id": version["id"]})
    assert [i["code"] for i in listed["items"]] == ["WH-50", "LAB-JP"]
    found = await book.ok("pricebook/v1/listItems", {"search": "50 GAL"})
    assert [i["id"] for i in found["items"]] == [heater["id"]]
    assert (await book.ok("pricebook/v1/listItems", {"search": "atmospheric"}))["items"][0]["id"] == heater["id"]
    assert (await book.ok("pricebook/v1/listItems", {"search": "%"}))["items"] == []  # taken literally
    assert [i["id"] for i in (await book.ok("pricebook/v1/listItems", {"kind": "LABOR", "version_id": version["id"]}))[
        "items"]] == [labour["id"]]  # fmt: skip
    in_category = await book.ok("pricebook/v1/listItems", {"category_id": category["id"]})
    assert [i["id"] for i in in_category["items"]] == [heater["id"]]
    changed = await book.ok("pricebook/v1/updateItem", {"id": heater["id"], "price": "1999.99", "description": None,
                                                         "category_id": None, "name": None})  # fmt: skip
    assert (changed["price"], changed["description"], changed["category_id"], changed["name"]) == (
        "1999.99", None, None, "Water heater replacement 50 gal"
    )  # fmt: skip
    await book.fails("pricebook/v1/updateItem", {"id": labour["id"], "code": "WH-50"}, 422, RULE, "DUPLICATE_CODE")
    await book.ok("pricebook/v1/deleteItem", {"id": labour["id"]})
    await book.fails("pricebook/v1/getItem", {"id": labour["id"]}, 404, "NOT_FOUND")
    assert await book.audit_actions(heater["id"]) == ["pricebook_item.created", "pricebook_item.updated"]
    assert await book.audit_actions(labour["id"]) == ["pricebook_item.created", "pricebook_item.deleted"]


async def test_bundles_contain_items_of_their_version_never_themselves(book: Pricebook) -> None:
    version = await book.version()
    await book.item(version["id"], code="VALVE", kind="MATERIAL")
    await book.item(version["id"], code="HOUR", kind="LABOR", unit="HOUR")
    elsewhere = await book.version()
    await book.item(elsewhere["id"], code="FAR", kind="MATERIAL")
    parts = [{"code": "VALVE", "quantity": "2"}, {"code": "HOUR", "quantity": "1.5"}]
    kit = await book.item(version["id"], code="KIT", kind="BUNDLE", price="250.00", components=parts)
    assert [(c["code"], c["quantity"]) for c in kit["components"]] == [("VALVE", "2.0000"), ("HOUR", "1.5000")]
    body = {"version_id": version["id"], "name": "Bundle", "kind": "BUNDLE", "unit": "JOB", "price": "1.00"}
    far, itself = [{"code": "FAR", "quantity": "1"}], [{"code": "B3", "quantity": "1"}]
    await book.fails(
        "pricebook/v1/createItem", {**body, "code": "B2", "components": far}, 422, RULE, "UNKNOWN_ITEM_CODE"
    )
    await book.fails(
        "pricebook/v1/createItem", {**body, "code": "B3", "components": itself}, 422, RULE, "BUNDLE_CONTAINS_ITSELF"
    )
    await book.fails("pricebook/v1/createItem", {**body, "code": "B4", "kind": "SERVICE",
                                                 "components": [{"code": "VALVE", "quantity": "1"}]},
                     400, "VALIDATION_FAILED")  # fmt: skip
    await book.fails("pricebook/v1/createItem", {**body, "code": "B5", "components": [
        {"code": "VALVE", "quantity": "1"}, {"code": "VALVE", "quantity": "2"}]}, 400, "VALIDATION_FAILED")  # fmt: skip
    outer = await book.item(version["id"], code="OUTER", kind="BUNDLE", components=[{"code": "KIT", "quantity": "1"}])
    await book.fails("pricebook/v1/updateItem", {"id": kit["id"], "components": [{"code": "OUTER", "quantity": "1"}]},
                     422, RULE, "BUNDLE_CYCLE")  # fmt: skip
    await book.fails("pricebook/v1/updateItem", {"id": kit["id"], "components": [{"code": "KIT", "quantity": "1"}]},
                     422, RULE, "BUNDLE_CONTAINS_ITSELF")  # fmt: skip
    valve = (await book.ok("pricebook/v1/listItems", {"version_id": version["id"], "search": "VALVE"}))["items"][0]
    await book.fails("pricebook/v1/updateItem", {"id": valve["id"], "components": [{"code": "HOUR", "quantity": "1"}]},
                     422, RULE, "NOT_A_BUNDLE")  # fmt: skip
    refused = await book.fails("pricebook/v1/deleteItem", {"id": valve["id"]}, 422, RULE, "ITEM_IN_USE")
    assert refused["details"]["bundles"] == ["KIT"]
    plain = await book.ok("pricebook/v1/updateItem", {"id": kit["id"], "kind": "SERVICE"})
    assert plain["components"] == []
    await book.ok("pricebook/v1/deleteItem", {"id": valve["id"]})
    assert "pricebook_item.components_set" in await book.audit_actions(kit["id"])
    await book.ok("pricebook/v1/deleteItem", {"id": outer["id"]})


async def test_job_templates_list_items_and_steps_of_their_version(book: Pricebook) -> None:
    version = await book.version()
    await book.item(version["id"], code="FLUSH", name="Water heater flush")
    await book.item(version["id"], code="ANODE", name="Anode rod", kind="MATERIAL")
    body = {"version_id": version["id"], "name": "Annual water heater service", "trade": "PLUMBING",
            "items": [{"code": "FLUSH", "quantity": "1"}, {"code": "ANODE", "quantity": "1"}],
            "steps": [{"text": "Shut off gas and water"}, {"text": "Flush the tank"},
                      {"text": "Leave a tag on the heater", "required": False}]}  # fmt: skip
    made = await book.ok("pricebook/v1/createTemplate", body)
    assert [i["code"] for i in made["items"]] == ["FLUSH", "ANODE"]
    assert [(s["position"], s["required"]) for s in made["steps"]] == [(1, True), (2, True), (3, False)]
    await book.fails("pricebook/v1/createTemplate", body, 422, RULE, "DUPLICATE_NAME")
    await book.fails("pricebook/v1/createTemplate", {**body, "name": "X", "items": [{"code": "NOPE", "quantity": "1"}]},
                     422, RULE, "UNKNOWN_ITEM_CODE")  # fmt: skip
    anode = (await book.ok("pricebook/v1/listItems", {"version_id": version["id"], "search": "anode"}))["items"][0]
    refused = await book.fails("pricebook/v1/deleteItem", {"id": anode["id"]}, 422, RULE, "ITEM_IN_USE")
    assert refused["details"]["templates"] == ["Annual water heater service"]
    change = {"id": made["id"], "items": [{"code": "FLUSH", "quantity": "2"}], "steps": [{"text": "Flush twice"}],
              "trade": None}  # fmt: skip
    changed = await book.ok("pricebook/v1/updateTemplate", change)
    assert ([i["quantity"] for i in changed["items"]], [s["text"] for s in changed["steps"]], changed["trade"]) == (
        ["2.0000"], ["Flush twice"], "PLUMBING"
    )  # fmt: skip
    assert (await book.ok("pricebook/v1/listTemplates", {"trade": "PLUMBING", "version_id": version["id"]}))["items"]
    await book.ok("pricebook/v1/deleteItem", {"id": anode["id"]})
    await book.ok("pricebook/v1/deleteTemplate", {"id": made["id"]})
    await book.fails("pricebook/v1/getTemplate", {"id": made["id"]}, 404, "NOT_FOUND")
    assert await book.audit_actions(made["id"]) == [
        "pricebook_template.created", "pricebook_template.contents_set", "pricebook_template.updated",
        "pricebook_template.contents_set", "pricebook_template.deleted",
    ]  # fmt: skip
