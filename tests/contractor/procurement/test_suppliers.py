"""Suppliers and what they sell: names unique in the organization (any case), the vendor mapping only to a
SERVICE_PROVIDER organization, one preferred supplier per item."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.contractor.procurement.helpers import Stock, stock

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def home(shared_client: httpx.AsyncClient) -> Stock:
    return await stock(shared_client, "Supplier Tests")


async def test_a_supplier_is_made_read_changed_and_listed(home: Stock) -> None:
    made = await home.supplier("Ferguson Supply", email="orders@ferguson.example", terms_days=45, lead_time_days=3,
                               vendor_reference="ACCT-778")  # fmt: skip
    assert (made["terms_days"], made["lead_time_days"], made["active"]) == (45, 3, True)
    assert (await home.ok("procurement/v1/getSupplier", {"id": made["id"]}))["vendor_reference"] == "ACCT-778"
    changed = await home.ok("procurement/v1/updateSupplier", {"id": made["id"], "phone": "555-0100",
                                                              "vendor_reference": None, "active": False})  # fmt: skip
    assert (changed["phone"], changed["vendor_reference"], changed["active"]) == ("555-0100", None, False)
    assert changed["name"] == "Ferguson Supply"
    retired = await home.ok("procurement/v1/listSuppliers", {"active": False})
    assert made["id"] in [s["id"] for s in retired["items"]]
    active = await home.ok("procurement/v1/listSuppliers", {"active": True})
    assert made["id"] not in [s["id"] for s in active["items"]]


async def test_a_name_is_taken_once_in_any_case(home: Stock) -> None:
    first = await home.supplier("Winsupply Northside")
    await home.fails("procurement/v1/createSupplier", {"name": "  WINSUPPLY northside "}, 409, "CONFLICT",
                     "SUPPLIER_NAME_TAKEN")  # fmt: skip
    other = await home.supplier("Winsupply Southside")
    await home.fails("procurement/v1/updateSupplier", {"id": other["id"], "name": "winsupply NORTHSIDE"}, 409,
                     "CONFLICT", "SUPPLIER_NAME_TAKEN")  # fmt: skip
    assert (await home.ok("procurement/v1/getSupplier", {"id": first["id"]}))["name"] == "Winsupply Northside"


async def test_the_vendor_organization_is_a_service_provider(home: Stock, shared_client: httpx.AsyncClient) -> None:
    provider = await stock(shared_client, "Supplier On Platform")
    made = await home.supplier(vendor_organization_id=provider.org)
    assert made["vendor_organization_id"] == provider.org
    await home.fails("procurement/v1/createSupplier", {"name": "Nobody", "vendor_organization_id": str(uuid.uuid4())},
                     404, "NOT_FOUND")  # fmt: skip


async def test_one_preferred_supplier_per_item(home: Stock) -> None:
    a, b = await home.supplier(), await home.supplier()
    first = await home.offer(a["id"], "VLV-1", "11.00")
    assert (first["preferred"], first["item_code"], first["cost"]) == (True, "VLV-1", "11.00")
    second = await home.offer(b["id"], "VLV-1", "10.50")
    assert second["preferred"] is True
    listed = await home.ok("procurement/v1/listSupplierItems", {"item_id": home.items["VLV-1"]})
    preferred = {x["supplier_id"]: x["preferred"] for x in listed["items"]}
    assert preferred[a["id"]] is False
    assert preferred[b["id"]] is True
    again = await home.offer(a["id"], "VLV-1", "9.75", preferred=False)
    assert (again["id"], again["cost"], again["preferred"]) == (first["id"], "9.75", False)
    mine = await home.ok("procurement/v1/listSupplierItems", {"supplier_id": a["id"]})
    assert [x["item_code"] for x in mine["items"]] == ["VLV-1"]
    await home.fails("procurement/v1/listSupplierItems", {}, 400, "VALIDATION_FAILED")
