"""Work-order numbers and SLA clocks, assets and their maintenance, and attachments."""

from __future__ import annotations

import base64
import hashlib
import io
import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from PIL import Image

from hestami.core import runtime
from hestami.core.storage import LocalDiskStore, UrlSigner
from tests.cam.work_order.helpers import ADDRESS, community, new_order
from tests.support.accounts import Account, organization
from tests.support.rpc import fails, ids, ok, suffix

DEFAULT_HOURS = {"EMERGENCY": 4, "HIGH": 24, "MEDIUM": 72, "LOW": 168}


@dataclass
class World:
    manager: Account
    org: str
    association: dict
    unit: dict
    common_area: dict


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    c = shared_client
    manager, org, association, unit = await community(c)
    area = await ok(
        c,
        manager,
        org,
        "commonArea/v1/create",
        {"association_id": association["id"], "name": "Pool", "area_type": "POOL"},
    )
    return World(manager, org, association, unit, area)


def at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# --- numbers and SLA -------------------------------------------------------------------------------------


async def test_numbers_count_per_organization(shared_client: httpx.AsyncClient, world: World) -> None:
    c, manager = shared_client, world.manager
    numbers: dict[str, list[str]] = {}
    for name in ("First", "Second"):
        org = (await organization(c, manager, f"{name} {suffix()}", "MANAGEMENT_COMPANY"))["id"]
        association = await ok(c, manager, org, "association/v1/create", {"name": f"{name} HOA {suffix()}"})
        count = 3 if name == "First" else 2
        numbers[name] = [
            (await new_order(c, manager, org, association["id"], submit=i % 2 == 0))["number"] for i in range(count)
        ]
    assert numbers == {"First": ["WO-000001", "WO-000002", "WO-000003"], "Second": ["WO-000001", "WO-000002"]}


@pytest.mark.parametrize("priority", list(DEFAULT_HOURS))
async def test_sla_due_by_priority(shared_client: httpx.AsyncClient, world: World, priority: str) -> None:
    order = await new_order(shared_client, world.manager, world.org, world.association["id"], priority=priority)
    assert order["status"] == "SUBMITTED"
    assert at(order["sla_due_at"]) - at(order["submitted_at"]) == timedelta(hours=DEFAULT_HOURS[priority])
    assert order["sla_breached"] is False


async def test_sla_hours_overridden_by_the_association(shared_client: httpx.AsyncClient, world: World) -> None:
    c, manager, org = shared_client, world.manager, world.org
    overrides = {"HIGH": "2", "EMERGENCY": "0.5"}
    association = await ok(
        c, manager, org, "association/v1/create", {"name": f"Fast {suffix()}", "work_order_sla_hours": overrides}
    )
    expected = {"HIGH": timedelta(hours=2), "EMERGENCY": timedelta(minutes=30), "LOW": timedelta(hours=168)}
    for priority, span in expected.items():
        order = await new_order(c, manager, org, association["id"], priority=priority)
        assert at(order["sla_due_at"]) - at(order["submitted_at"]) == span, priority


async def test_sla_clock_starts_at_submission(shared_client: httpx.AsyncClient, world: World) -> None:
    c, manager, org = shared_client, world.manager, world.org
    draft = await new_order(c, manager, org, world.association["id"], submit=False, priority="HIGH")
    assert (draft["status"], draft["submitted_at"], draft["sla_due_at"]) == ("DRAFT", None, None)
    submitted = await ok(c, manager, org, "workOrder/v1/updateStatus", {"id": draft["id"], "status": "SUBMITTED"})
    assert at(submitted["submitted_at"]) > at(draft["created_at"])
    assert at(submitted["sla_due_at"]) - at(submitted["submitted_at"]) == timedelta(hours=24)


# --- assets ----------------------------------------------------------------------------------------------


async def test_assets_maintenance_and_warranty(shared_client: httpx.AsyncClient, world: World) -> None:
    c, manager, org, aid = shared_client, world.manager, world.org, world.association["id"]
    heater = await ok(
        c,
        manager,
        org,
        "asset/v1/create",
        {
            "association_id": aid,
            "unit_id": world.unit["id"],
            "name": f"Water heater {suffix()}",
            "category": "PLUMBING",
            "installed_on": "2024-01-10",
            "maintenance_frequency_days": 90,
            "warranty_expires_on": (date.today() + timedelta(days=365)).isoformat(),
        },
    )
    assert heater["unit_id"] == world.unit["id"]
    assert heater["next_maintenance_on"] == "2024-04-09"  # installed + 90 days
    assert heater["warranty_active"] is True
    pump = await ok(
        c,
        manager,
        org,
        "asset/v1/create",
        {
            "association_id": aid,
            "common_area_id": world.common_area["id"],
            "name": f"Pool pump {suffix()}",
            "category": "POOL_EQUIPMENT",
            "maintenance_frequency_days": 30,
            "next_maintenance_on": "2027-06-01",
            "warranty_expires_on": "2020-01-01",
        },
    )
    assert pump["common_area_id"] == world.common_area["id"]
    assert pump["warranty_active"] is False
    gate = await ok(c, manager, org, "asset/v1/create", {"association_id": aid, "name": "Gate", "category": "GATE"})
    assert (gate["warranty_active"], gate["next_maintenance_on"]) == (False, None)

    logged = await ok(
        c,
        manager,
        org,
        "asset/v1/logMaintenance",
        {"asset_id": heater["id"], "performed_on": "2024-04-05", "description": "Flushed the tank", "cost": "85.00"},
    )
    assert logged["cost"] == "85.00"
    moved = await ok(c, manager, org, "asset/v1/get", {"id": heater["id"]})
    assert moved["next_maintenance_on"] == "2024-07-04"  # performed + 90 days
    # A late entry for earlier work does not pull the next date back.
    older = {"asset_id": heater["id"], "performed_on": "2024-02-01", "description": "Checked the anode"}
    await ok(c, manager, org, "asset/v1/logMaintenance", older)
    history = await ok(c, manager, org, "asset/v1/getMaintenanceHistory", {"asset_id": heater["id"]})
    assert [(h["performed_on"], h["description"]) for h in history["items"]] == [
        ("2024-04-05", "Flushed the tank"),
        ("2024-02-01", "Checked the anode"),
    ]
    assert history["next_maintenance_on"] == "2024-07-04"

    due_soon = await ok(c, manager, org, "asset/v1/list", {"association_id": aid, "maintenance_due_by": "2024-12-31"})
    assert heater["id"] in ids(due_soon)
    assert pump["id"] not in ids(due_soon)
    assert gate["id"] not in ids(due_soon)
    due_later = await ok(c, manager, org, "asset/v1/list", {"association_id": aid, "maintenance_due_by": "2027-12-31"})
    assert {heater["id"], pump["id"]} <= set(ids(due_later))
    by_category = await ok(c, manager, org, "asset/v1/list", {"association_id": aid, "category": "POOL_EQUIPMENT"})
    assert ids(by_category) == [pump["id"]]

    order = await new_order(c, manager, org, aid, asset_id=pump["id"], title="Pump noisy")
    assert order["asset_id"] == pump["id"]


async def test_asset_location_must_be_in_the_association(shared_client: httpx.AsyncClient, world: World) -> None:
    c, manager, org = shared_client, world.manager, world.org
    other = await ok(c, manager, org, "association/v1/create", {"name": f"Other {suffix()}"})
    prop = await ok(
        c, manager, org, "property/v1/create", {"association_id": other["id"], "name": "P", "address": ADDRESS}
    )
    unit = await ok(
        c, manager, org, "unit/v1/create", {"property_id": prop["id"], "unit_number": "1", "unit_type": "CONDO"}
    )
    body = {"association_id": world.association["id"], "unit_id": unit["id"], "name": "Heater", "category": "PLUMBING"}
    await fails(c, manager, org, "asset/v1/create", body, 422, "BUSINESS_RULE_VIOLATION", "WRONG_ASSOCIATION")


# --- attachments -----------------------------------------------------------------------------------------


def stored_files(root: Path) -> list[bytes]:
    """The files kept for attachments (not the previews extraction renders from them)."""
    return [p.read_bytes() for p in root.rglob("*") if p.is_file() and "previews" not in p.parts]


@pytest.fixture
def file_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Attachments written under the test's temporary directory, through the documents' object store."""
    current = runtime.current()
    monkeypatch.setattr(current, "files", LocalDiskStore(tmp_path, UrlSigner(current.settings.signing_secret())))
    return tmp_path


def png(width: int = 64, height: int = 48) -> bytes:
    """A real PNG photo (noise), which the documents domain reads, scans and thumbnails."""
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


async def test_attachments_are_stored_with_their_hash(
    shared_client: httpx.AsyncClient, world: World, file_store: Path
) -> None:
    c, manager, org = shared_client, world.manager, world.org
    order = await new_order(c, manager, org, world.association["id"])
    content = png()
    body = {
        "id": order["id"],
        "file_name": "leak.png",
        "content_type": "image/png",
        "content_base64": base64.b64encode(content).decode(),
    }
    stored = await ok(c, manager, org, "workOrder/v1/addAttachment", body)
    assert stored["sha256"] == hashlib.sha256(content).hexdigest()
    assert stored["size_bytes"] == len(content)
    assert (stored["file_name"], stored["content_type"], stored["work_order_id"]) == (
        "leak.png",
        "image/png",
        order["id"],
    )
    assert stored["uploaded_by"] == str(manager.user_id)
    assert stored_files(file_store) == [content]

    listed = await ok(c, manager, org, "workOrder/v1/listAttachments", {"id": order["id"]})
    assert [(a["id"], a["sha256"], a["size_bytes"]) for a in listed["items"]] == [
        (stored["id"], stored["sha256"], len(content))
    ]
    link = await ok(
        c, manager, org, "workOrder/v1/downloadAttachment", {"id": order["id"], "attachment_id": stored["id"]}
    )
    assert (await c.get(link["url"])).content == content
    filed = await ok(c, manager, org, "document/v1/get", {"id": stored["id"]})
    assert (filed["category"], filed["scope_type"], filed["scope_id"]) == ("PHOTO", "WORK_ORDER", order["id"])

    too_big = {
        **body,
        "file_name": "huge.bin",
        "content_base64": base64.b64encode(b"\0" * (5 * 1024 * 1024 + 1)).decode(),
    }
    error = await fails(
        c, manager, org, "workOrder/v1/addAttachment", too_big, 422, "BUSINESS_RULE_VIOLATION", "ATTACHMENT_TOO_LARGE"
    )
    assert error["details"]["size"] == 5 * 1024 * 1024 + 1
    for garbage in ("not base64!!", "QUJDRA", "@@@@"):
        await fails(
            c, manager, org, "workOrder/v1/addAttachment", {**body, "content_base64": garbage}, 400, "VALIDATION_FAILED"
        )
    listed = await ok(c, manager, org, "workOrder/v1/listAttachments", {"id": order["id"]})
    assert ids(listed) == [stored["id"]]
    assert stored_files(file_store) == [content]


async def test_an_attachment_of_exactly_five_megabytes_is_accepted(
    shared_client: httpx.AsyncClient, world: World, file_store: Path
) -> None:
    c, manager, org = shared_client, world.manager, world.org
    order = await new_order(c, manager, org, world.association["id"])
    content = b"meter reading 42\n" * (5 * 1024 * 1024 // 17) + b"x" * (5 * 1024 * 1024 % 17)
    body = {
        "id": order["id"],
        "file_name": "meter-readings.txt",
        "content_type": "text/plain",
        "content_base64": base64.b64encode(content).decode(),
    }
    stored = await ok(c, manager, org, "workOrder/v1/addAttachment", body)
    assert stored["size_bytes"] == len(content)
    assert stored["sha256"] == hashlib.sha256(content).hexdigest()
