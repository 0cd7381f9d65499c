"""Technicians through the API: a member made a technician (and only a member, once), their fields, branch and
status; skills, certifications, shifts, time off and territory; every change audited; only a contractor on the
platform has technicians."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.contractor.technician.helpers import Workforce, contractor
from tests.support.accounts import account, organization
from tests.support.rpc import fails, ok, suffix


@pytest.fixture(scope="module")
async def force(shared_client: httpx.AsyncClient) -> Workforce:
    return await contractor(shared_client, "Evergreen")


async def test_a_member_becomes_a_technician_once(force: Workforce) -> None:
    person = await force.member(["TECHNICIAN"])
    made = await force.technician(
        person, display_name="  Terry Tech ", employee_number="E-100", phone="512-555-0100", home_zip_code="78701",
        hired_on="2024-03-01",
    )  # fmt: skip
    assert made["user_id"] == str(person.user_id)
    assert (made["display_name"], made["employee_number"], made["status"]) == ("Terry Tech", "E-100", "ACTIVE")
    assert made["email"] == person.email  # the member's account email by default
    assert made["time_zone"] == "America/Chicago"
    assert (made["branch_id"], made["hired_on"], made["home_zip_code"]) == (
        force.branches["North"],
        "2024-03-01",
        "78701",
    )
    assert (made["skills"], made["shifts"], made["time_off"], made["territory_zip_codes"]) == ([], [], [], [])
    again = {"user_id": str(person.user_id), "display_name": "Twice"}
    await force.fails("technician/v1/create", again, 409, "CONFLICT", "ALREADY_A_TECHNICIAN")
    other = await force.member(["TECHNICIAN"])
    same_number = {"user_id": str(other.user_id), "display_name": "Other", "employee_number": "E-100"}
    await force.fails("technician/v1/create", same_number, 409, "CONFLICT", "DUPLICATE_EMPLOYEE_NUMBER")
    assert await force.audit_actions(made["id"]) == ["technician.created"]


async def test_only_an_active_member_of_the_organization(force: Workforce, shared_client: httpx.AsyncClient) -> None:
    stranger = await account(shared_client)
    for user_id in (str(stranger.user_id), str(uuid.uuid4())):
        body = {"user_id": user_id, "display_name": "Nobody"}
        error = await force.fails("technician/v1/create", body, 404, "NOT_FOUND")
        assert error["details"]["kind"] == "member"


async def test_the_branch_is_one_of_the_organizations_open_branches(
    force: Workforce, shared_client: httpx.AsyncClient
) -> None:
    elsewhere = await contractor(shared_client, "Elsewhere", insured=False)
    person = await force.member(["TECHNICIAN"])
    for branch in (elsewhere.branches["North"], str(uuid.uuid4())):
        body = {"user_id": str(person.user_id), "display_name": "T", "branch_id": branch}
        await force.fails("technician/v1/create", body, 404, "NOT_FOUND")
    closed = await force.ok("contractor/branch/v1/create", {"name": f"Closed {suffix()}"})
    await force.ok("contractor/branch/v1/close", {"id": closed["id"]})
    body = {"user_id": str(person.user_id), "display_name": "T", "branch_id": closed["id"]}
    await force.fails("technician/v1/create", body, 422, "BUSINESS_RULE_VIOLATION", "BRANCH_CLOSED")
    made = await force.technician(person)
    await force.fails("technician/v1/update", {"id": made["id"], "branch_id": closed["id"]}, 422,
                      "BUSINESS_RULE_VIOLATION", "BRANCH_CLOSED")  # fmt: skip
    moved = await force.ok("technician/v1/update", {"id": made["id"], "branch_id": force.branches["South"]})
    assert moved["branch_id"] == force.branches["South"]


async def test_only_a_contractor_on_the_platform_has_technicians(shared_client: httpx.AsyncClient) -> None:
    admin = await account(shared_client)
    hoa = str((await organization(shared_client, admin, f"HOA {suffix()}"))["id"])
    provider = str((await organization(shared_client, admin, f"No profile {suffix()}", "SERVICE_PROVIDER"))["id"])
    for org in (hoa, provider):
        for path, body in (
            ("technician/v1/create", {"user_id": str(admin.user_id), "display_name": "Me"}),
            ("technician/v1/list", {}),
            ("technician/v1/get", {"id": str(uuid.uuid4())}),
        ):
            await fails(shared_client, admin, org, path, body, 422, "BUSINESS_RULE_VIOLATION", "NOT_A_CONTRACTOR")


async def test_update_deactivate_and_activate(force: Workforce) -> None:
    made = await force.technician(employee_number=f"U-{suffix()}", phone="512-555-0101")
    changed = await force.ok(
        "technician/v1/update",
        {
            "id": made["id"],
            "display_name": "Renamed",
            "phone": None,
            "time_zone": "America/Denver",
            "employee_number": None,
        },
    )
    assert (changed["display_name"], changed["phone"], changed["time_zone"]) == ("Renamed", None, "America/Denver")
    assert changed["employee_number"] is None
    kept = await force.ok("technician/v1/update", {"id": made["id"], "display_name": None, "time_zone": None})
    assert (kept["display_name"], kept["time_zone"]) == ("Renamed", "America/Denver")
    await force.fails("technician/v1/update", {"id": made["id"], "time_zone": "Mars/Olympus"}, 400, "VALIDATION_FAILED")
    assert (await force.ok("technician/v1/deactivate", {"id": made["id"]}))["status"] == "INACTIVE"
    assert (await force.ok("technician/v1/deactivate", {"id": made["id"]}))["status"] == "INACTIVE"
    assert (await force.ok("technician/v1/activate", {"id": made["id"]}))["status"] == "ACTIVE"
    assert await force.audit_actions(made["id"]) == [
        "technician.created", "technician.updated", "technician.deactivated", "technician.activated",
    ]  # fmt: skip


async def test_list_filters_and_pages(force: Workforce) -> None:
    south = await force.technician(branch_id=force.branches["South"])
    await force.ok("technician/v1/addSkill", {"id": south["id"], "trade": "electrical", "level": "MASTER"})
    listed = await force.ok("technician/v1/list", {"branch_id": force.branches["South"], "limit": 200})
    assert south["id"] in {t["id"] for t in listed["items"]}
    assert all(t["branch_id"] == force.branches["South"] for t in listed["items"])
    electricians = await force.ok("technician/v1/list", {"trade": "ELECTRICAL", "limit": 200})
    found = next(t for t in electricians["items"] if t["id"] == south["id"])
    assert found["skills"] == [{"id": found["skills"][0]["id"], "trade": "ELECTRICAL", "level": "MASTER"}]
    assert all(t["certifications"] is None for t in electricians["items"])
    first = await force.ok("technician/v1/list", {"limit": 1})
    assert len(first["items"]) == 1
    assert first["next_cursor"]
    second = await force.ok("technician/v1/list", {"limit": 1, "cursor": first["next_cursor"]})
    assert second["items"][0]["id"] != first["items"][0]["id"]
    await force.ok("technician/v1/deactivate", {"id": south["id"]})
    inactive = await force.ok("technician/v1/list", {"status": "INACTIVE", "limit": 200})
    assert south["id"] in {t["id"] for t in inactive["items"]}


async def test_skills_one_per_trade(force: Workforce) -> None:
    made = await force.technician()
    body = {"id": made["id"], "trade": "Plumbing", "level": "APPRENTICE"}
    added = await force.ok("technician/v1/addSkill", body)
    assert [(s["trade"], s["level"]) for s in added["skills"]] == [("PLUMBING", "APPRENTICE")]
    await force.fails("technician/v1/addSkill", {**body, "level": "MASTER"}, 409, "CONFLICT", "DUPLICATE_SKILL")
    await force.ok("technician/v1/addSkill", {"id": made["id"], "trade": "HVAC", "level": "MASTER"})
    removed = await force.ok("technician/v1/removeSkill", {"id": made["id"], "trade": "PLUMBING"})
    assert [s["trade"] for s in removed["skills"]] == ["HVAC"]
    await force.fails("technician/v1/removeSkill", {"id": made["id"], "trade": "PLUMBING"}, 404, "NOT_FOUND")
    assert await force.audit_actions(made["id"]) == [
        "technician.created", "technician.skill_added", "technician.skill_added", "technician.skill_removed",
    ]  # fmt: skip


async def test_certifications(force: Workforce) -> None:
    made, other = await force.technician(), await force.technician()
    body = {"id": made["id"], "name": "Backflow tester", "issuer": "TCEQ", "number": "BPAT-1", "trade": "plumbing",
            "issued_on": "2024-01-01", "expires_on": "2027-01-01"}  # fmt: skip
    added = await force.ok("technician/v1/addCertification", body)
    (card,) = added["certifications"]
    assert (card["name"], card["trade"], card["expires_on"]) == ("Backflow tester", "PLUMBING", "2027-01-01")
    backwards = {**body, "issued_on": "2028-01-01"}
    await force.fails("technician/v1/addCertification", backwards, 400, "VALIDATION_FAILED")
    theirs = {"id": other["id"], "certification_id": card["id"]}
    await force.fails("technician/v1/removeCertification", theirs, 404, "NOT_FOUND")
    removed = await force.ok("technician/v1/removeCertification", {"id": made["id"], "certification_id": card["id"]})
    assert removed["certifications"] == []


async def test_shifts_replace_the_week(force: Workforce) -> None:
    made = await force.technician()
    week = [{"weekday": "MONDAY", "start_time": "07:00", "end_time": "12:00"},
            {"weekday": "MONDAY", "start_time": "12:00", "end_time": "17:00"},
            {"weekday": "SATURDAY", "start_time": "09:00:00", "end_time": "13:30"}]  # fmt: skip
    set_ = await force.ok("technician/v1/setShifts", {"id": made["id"], "shifts": week})
    assert [(s["weekday"], s["start_time"], s["end_time"]) for s in set_["shifts"]] == [
        ("MONDAY", "07:00:00", "12:00:00"), ("MONDAY", "12:00:00", "17:00:00"), ("SATURDAY", "09:00:00", "13:30:00"),
    ]  # fmt: skip
    overlapping = [*week, {"weekday": "MONDAY", "start_time": "11:00", "end_time": "13:00"}]
    error = await force.fails("technician/v1/setShifts", {"id": made["id"], "shifts": overlapping}, 422,
                              "BUSINESS_RULE_VIOLATION", "OVERLAPPING_SHIFTS")  # fmt: skip
    assert error["details"]["shifts"][0]["weekday"] == "MONDAY"
    backwards = [{"weekday": "MONDAY", "start_time": "17:00", "end_time": "08:00"}]
    await force.fails("technician/v1/setShifts", {"id": made["id"], "shifts": backwards}, 400, "VALIDATION_FAILED")
    with_offset = [{"weekday": "MONDAY", "start_time": "08:00:00Z", "end_time": "09:00:00Z"}]
    await force.fails("technician/v1/setShifts", {"id": made["id"], "shifts": with_offset}, 400, "VALIDATION_FAILED")
    assert len((await force.ok("technician/v1/get", {"id": made["id"]}))["shifts"]) == 3  # unchanged by the refusals
    cleared = await force.ok("technician/v1/setShifts", {"id": made["id"], "shifts": []})
    assert cleared["shifts"] == []


async def test_time_off_never_overlaps(force: Workforce) -> None:
    made = await force.technician()
    week = {"id": made["id"], "starts_at": "2030-07-01T00:00:00-05:00", "ends_at": "2030-07-08T00:00:00-05:00",
            "reason": "Vacation"}  # fmt: skip
    added = await force.ok("technician/v1/addTimeOff", week)
    (period,) = added["time_off"]
    overlap = {"id": made["id"], "starts_at": "2030-07-07T12:00:00-05:00", "ends_at": "2030-07-09T00:00:00-05:00"}
    error = await force.fails("technician/v1/addTimeOff", overlap, 409, "CONFLICT", "TIME_OFF_OVERLAP")
    assert error["details"]["time_off_id"] == period["id"]
    touching = {"id": made["id"], "starts_at": "2030-07-08T00:00:00-05:00", "ends_at": "2030-07-09T00:00:00-05:00"}
    assert len((await force.ok("technician/v1/addTimeOff", touching))["time_off"]) == 2
    backwards = {**overlap, "ends_at": "2030-07-01T00:00:00-05:00"}
    await force.fails("technician/v1/addTimeOff", backwards, 400, "VALIDATION_FAILED")
    naive = {**overlap, "starts_at": "2030-07-07T12:00:00"}
    await force.fails("technician/v1/addTimeOff", naive, 400, "VALIDATION_FAILED")
    other = await force.technician()
    theirs = {"id": other["id"], "time_off_id": period["id"]}
    await force.fails("technician/v1/cancelTimeOff", theirs, 404, "NOT_FOUND")
    cancelled = await force.ok("technician/v1/cancelTimeOff", {"id": made["id"], "time_off_id": period["id"]})
    assert [p["id"] for p in cancelled["time_off"]] != [period["id"]]
    again = {"id": made["id"], "time_off_id": period["id"]}
    await force.fails("technician/v1/cancelTimeOff", again, 422, "BUSINESS_RULE_VIOLATION", "TIME_OFF_CANCELLED")
    inside = {"id": made["id"], "starts_at": "2030-07-02T00:00:00-05:00", "ends_at": "2030-07-03T00:00:00-05:00"}
    assert len((await force.ok("technician/v1/addTimeOff", inside))["time_off"]) == 2  # the period is free again
    assert await force.audit_actions(made["id"]) == [
        "technician.created", "technician.time_off_added", "technician.time_off_added",
        "technician.time_off_cancelled", "technician.time_off_added",
    ]  # fmt: skip


async def test_territory_zip_codes_and_polygons(force: Workforce) -> None:
    made = await force.technician()
    ring = [[-98.5, 29.6], [-98.4, 29.6], [-98.4, 29.7], [-98.5, 29.6]]
    body = {"id": made["id"], "zip_codes": ["78701", "78258", "78701"],
            "polygons": [{"name": "Stone Oak", "rings": [ring]}]}  # fmt: skip
    set_ = await force.ok("technician/v1/setTerritory", body)
    assert set_["territory_zip_codes"] == ["78258", "78701"]
    assert set_["territory_polygons"] == [{"name": "Stone Oak", "rings": [ring]}]
    open_ring = {**body, "polygons": [{"rings": [[*ring[:-1], [-98.45, 29.65]]]}]}
    await force.fails("technician/v1/setTerritory", open_ring, 400, "VALIDATION_FAILED")
    off_the_map = {**body, "polygons": [{"rings": [[[-98.5, 99.0], [-98.4, 29.6], [-98.4, 29.7], [-98.5, 99.0]]]}]}
    await force.fails("technician/v1/setTerritory", off_the_map, 400, "VALIDATION_FAILED")
    await force.fails("technician/v1/setTerritory", {**body, "zip_codes": ["7870"]}, 400, "VALIDATION_FAILED")
    assert "technician.territory_set" in await force.audit_actions(made["id"])


async def test_kpis_are_empty_until_jobs_exist(force: Workforce) -> None:
    made = await force.technician()
    figures = await force.ok("technician/v1/kpis", {"technician_id": made["id"]})
    assert figures == {"technician_id": made["id"], "jobs_completed": 0, "first_time_fix_rate": None,
                       "average_job_minutes": None}  # fmt: skip


async def test_refusals_change_nothing(force: Workforce, shared_client: httpx.AsyncClient) -> None:
    made = await force.technician()
    before = await force.ok("technician/v1/get", {"id": made["id"]})
    await force.fails("technician/v1/update", {"id": made["id"], "branch_id": str(uuid.uuid4())}, 404, "NOT_FOUND")
    await force.fails("technician/v1/removeSkill", {"id": made["id"], "trade": "HVAC"}, 404, "NOT_FOUND")
    after = await force.ok("technician/v1/get", {"id": made["id"]})
    assert after == before
    assert await force.audit_actions(made["id"]) == ["technician.created"]
    assert (await ok(shared_client, force.manager, force.org, "technician/v1/get", {"id": made["id"]}))["id"]
