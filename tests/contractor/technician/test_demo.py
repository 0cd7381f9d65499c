"""The demo's technicians: after the identity and contractor seeders, Evergreen Plumbing & HVAC has six technicians
(tech1@ .. tech6@) across Austin North and Austin South; the dispatcher (vendor@) finds Tina Tate eligible for a
plumbing job at Sunset Ridge on a weekday morning, Tessa Torres off next week and Theo Tran's electrician licence
lapsed after 20 days; a technician sees their own record only; Cibolo Creek Roofing has its roofer (tech7@); a
second run adds nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from hestami.contractor.profile.demo import seed as seed_contractors
from hestami.contractor.technician.demo import seed_technicians
from hestami.core import runtime
from hestami.identity.demo import seed_identity
from tests.support.demo import demo_login
from tests.support.rpc import ok

CHICAGO = ZoneInfo("America/Chicago")


def weekday_after(days: int, weekday: int) -> date:
    """The first day on or after `days` from today that is `weekday` (0 Monday)."""
    day = date.today() + timedelta(days=days)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def morning(day: date) -> dict[str, str]:
    starts = datetime.combine(day, time(9), tzinfo=CHICAGO)
    return {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat()}


async def test_evergreen_has_six_technicians(shared_client: httpx.AsyncClient) -> None:
    run = runtime.current()
    for seed in (seed_identity, seed_contractors):
        await seed(run)
    first, again = await seed_technicians(run), await seed_technicians(run)
    assert len(first) == 9, first  # Evergreen's header and six, Cibolo Creek Roofing's header and one
    assert all("already loaded" in line for line in again if not line.startswith("demo technicians")), again

    dispatcher, orgs = await demo_login(shared_client, "vendor")
    org = orgs["evergreen-plumbing"]

    async def call(path: str, body: dict[str, Any]) -> Any:
        return await ok(shared_client, dispatcher, org, path, body)

    listed = {t["display_name"]: t for t in (await call("technician/v1/list", {"limit": 200}))["items"]}
    assert set(listed) == {"Terry Tech", "Tessa Torres", "Theo Tran", "Tina Tate", "Toby Trujillo", "Tara Thompson"}
    branches = {t["branch_id"] for t in listed.values()}
    assert len(branches) == 2

    tina = listed["Tina Tate"]
    job = {"technician_id": tina["id"], "trade": "PLUMBING", "zip_code": "78258"}
    fine = await call("technician/v1/checkEligibility", {**job, **morning(weekday_after(14, 1))})
    assert fine["eligible"] is True, fine
    sunday = await call("technician/v1/checkEligibility", {**job, **morning(weekday_after(14, 6))})
    assert [r["code"] for r in sunday["reasons"]] == ["OUTSIDE_SHIFT"]

    tessa = listed["Tessa Torres"]
    next_tuesday = date.today() + timedelta(days=7 - date.today().weekday() + 1)
    off = {"technician_id": tessa["id"], "trade": "HVAC", "zip_code": "78750", **morning(next_tuesday)}
    assert [r["code"] for r in (await call("technician/v1/checkEligibility", off))["reasons"]] == ["TIME_OFF"]

    theo = listed["Theo Tran"]
    lapsed = {"technician_id": theo["id"], "trade": "ELECTRICAL", "zip_code": "78664",
              **morning(weekday_after(25, 2))}  # fmt: skip
    codes = [r["code"] for r in (await call("technician/v1/checkEligibility", lapsed))["reasons"]]
    assert "CERTIFICATION_EXPIRED" in codes

    terry, _ = await demo_login(shared_client, "tech1")
    own = await ok(shared_client, terry, org, "technician/v1/list", {"limit": 200})
    assert [t["display_name"] for t in own["items"]] == ["Terry Tech"]


async def test_cibolo_creek_roofing_has_its_roofer(shared_client: httpx.AsyncClient) -> None:
    run = runtime.current()
    for seed in (seed_identity, seed_contractors, seed_technicians):
        await seed(run)
    roofer, orgs = await demo_login(shared_client, "roofer")
    listed = await ok(shared_client, roofer, orgs["cibolo-roofing"], "technician/v1/list", {"limit": 200})
    assert [t["display_name"] for t in listed["items"]] == ["Tomas Tovar"]
    skills = {s["trade"] for s in listed["items"][0]["skills"]}
    assert skills == {"ROOFING", "GUTTERS"}
