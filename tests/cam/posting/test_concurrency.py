""" "Not twice" at the same moment: two starts of one period answer one run and charge each unit once; two
escalations of one day take each collection step once and charge one late fee (the unique constraints on runs and on
steps per charge cycle, the late-fee lock), whichever commits first."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest

from tests.cam.posting.helpers import Place, place


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Place:
    return await place(shared_client, count=4)


async def test_two_starts_at_once_make_one_run(hoa: Place) -> None:
    dues = await hoa.hoa.dues("75.00")
    body = {"assessment_type_id": dues["id"], "due_date": "2026-10-01"}
    first, second = await asyncio.gather(*(hoa.ok("accounting/posting/v1/start", body) for _ in range(2)))
    assert first["id"] == second["id"]
    await hoa.run_done(first["id"])
    charges = await hoa.charges(dues["id"])
    assert Counter(c["unit_id"] for c in charges) == Counter(u["id"] for u in hoa.units)


async def test_two_escalations_at_once_take_each_step_once(hoa: Place) -> None:
    dues = await hoa.hoa.dues("60.00", late_fee_type="FIXED", late_fee_amount="10.00", late_fee_grace_days=5)
    unit = hoa.units[0]["id"]
    await hoa.hoa.charge(dues["id"], unit, "2026-02-01")
    body = {"association_id": hoa.hoa.association_id, "as_of": "2026-02-20"}
    days = await asyncio.gather(*(hoa.ok("accounting/posting/v1/escalate", body) for _ in range(3)))
    assert sorted(d["collection_steps"] for d in days) == [0, 0, 1]
    assert sorted(d["late_fees"] for d in days) == [0, 0, 1]
    steps = (await hoa.ok("accounting/posting/v1/collections", {"unit_id": unit}))["items"]
    assert [s["step"] for s in steps] == ["REMINDER"]
