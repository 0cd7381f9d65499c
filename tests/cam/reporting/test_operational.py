"""Operational report definitions: produced as the user who asks, they count what that user may see of one
association; another organization's association is NOT_FOUND."""

from __future__ import annotations

import uuid

import httpx
import pytest

from hestami.cam.reporting.definitions import ReportData, find
from hestami.core import runtime
from hestami.core.acting import acting
from hestami.core.errors import HestamiError
from tests.cam.work_order.helpers import community, link, new_order, order_in, provider


async def produce(key: str, user_id: uuid.UUID | str, org: str, **params: object) -> ReportData:
    definition = find(key)
    assert definition is not None
    assert definition.category == "OPERATIONAL"
    async with acting(
        runtime.current(), procedure="test", organization_id=uuid.UUID(org), user_id=uuid.UUID(str(user_id))
    ) as ctx:
        return await definition.produce(ctx, definition.parameters.model_validate(params))


def table(data: ReportData, key: str) -> list[list[object]]:
    found = next(t for t in data.tables if t.key == key)
    assert isinstance(found.rows, list)
    return [list(row) for row in found.rows]


async def test_work_order_summary_counts_by_status_vendor_and_age(shared_client: httpx.AsyncClient) -> None:
    manager, org, association, _ = await community(shared_client)
    _, provider_org, _ = await provider(shared_client)
    await link(shared_client, manager, org, association["id"], provider_org)
    await new_order(shared_client, manager, org, association["id"])
    await new_order(shared_client, manager, org, association["id"])
    await order_in(shared_client, manager, org, association["id"], "COMPLETED", provider_org)
    await order_in(shared_client, manager, org, association["id"], "ASSIGNED", provider_org)

    data = await produce("work_order_summary", manager.user_id, org, association_id=association["id"])
    assert dict((s, n) for s, n in table(data, "by_status")) == {"SUBMITTED": 2, "ASSIGNED": 1, "COMPLETED": 1}
    assert data.summary["opened"] == 4
    assert data.summary["open"] == 3
    assert data.summary["completed"] == 1
    assert data.summary["average_days_to_complete"] is not None
    vendors = {row[0]: row[1:] for row in table(data, "by_vendor")}
    assert vendors["Bayside"] == [2, 1, 0]
    assert vendors["(not assigned)"] == [2, 0, 0]
    assert table(data, "open_age")[0] == ["0-7 days", 3]
    assert data.charts[0].categories == ["SUBMITTED", "ASSIGNED", "COMPLETED"]


async def test_the_other_operational_reports_produce_for_an_empty_association(shared_client: httpx.AsyncClient) -> None:
    manager, org, association, _ = await community(shared_client)
    violations = await produce("violation_summary", manager.user_id, org, association_id=association["id"])
    assert violations.summary == {"opened": 0, "open": 0, "cure_deadlines_passed": 0, "fines_assessed": 0}
    arc = await produce("arc_summary", manager.user_id, org, association_id=association["id"])
    assert arc.summary["opened"] == 0
    assert arc.summary["pending_past_deemed_approval"] == 0
    compliance = await produce("compliance_status", manager.user_id, org, association_id=association["id"])
    assert [row[0] for row in table(compliance, "by_status")] == ["OVERDUE", "DUE", "DONE"]


@pytest.mark.parametrize("key", ["work_order_summary", "violation_summary", "arc_summary", "compliance_status"])
async def test_another_organizations_association_is_not_found(shared_client: httpx.AsyncClient, key: str) -> None:
    manager, org, _, _ = await community(shared_client)
    _, _, other, _ = await community(shared_client)
    with pytest.raises(HestamiError) as raised:
        await produce(key, manager.user_id, org, association_id=other["id"])
    assert raised.value.code == "NOT_FOUND"
