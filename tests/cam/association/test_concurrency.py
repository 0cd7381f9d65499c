"""A manager's workload limit under concurrent assignments (issue 11, defect 3): two assignments at once are
checked one after the other, so together they never exceed the limit either one alone respects.

The race is forced (`tests.support.race`): both requests are held, after reading the manager's assignments, at
the rows their new assignment refers to. (Concurrent owners and bookings: `test_units_and_ownership` and
`test_reservations_and_management`; an exclusion constraint that fires is a CONFLICT.)"""

from __future__ import annotations

import httpx
import psycopg.errors
from sqlalchemy.exc import IntegrityError

from hestami.core.errors import ErrorCode
from hestami.core.rpc.failures import from_database
from tests.cam.association.helpers import property_, unit
from tests.support.accounts import account, member_account, organization
from tests.support.race import Held, race
from tests.support.rpc import ok, post, suffix

ASSOCIATION_ROWS = "SELECT id FROM associations WHERE id = ANY(CAST(:ids AS uuid[])) FOR UPDATE"


async def test_two_assignments_at_once_stay_within_the_workload_limit(shared_client: httpx.AsyncClient) -> None:
    """Two associations of 2 units each, a manager limited to 3: one assignment is made, the other refused."""
    c = shared_client
    admin = await account(c)
    org = (await organization(c, admin, f"Portfolio {suffix()}", "MANAGEMENT_COMPANY"))["id"]
    associations = []
    for _ in range(2):
        association = await ok(c, admin, org, "association/v1/create", {"name": f"Birch {suffix()}"})
        prop = await property_(c, admin, org, association["id"])
        for number in ("1", "2"):
            await unit(c, admin, org, prop["id"], number)
        associations.append(association)
    manager = await member_account(c, admin, org, ["MANAGER"])
    body = {"user_id": str(manager.user_id), "assignment_type": "PORTFOLIO", "max_units": 3, "start_date": "2026-01-01"}
    responses = await race(
        Held(org, ASSOCIATION_ROWS, {"ids": [a["id"] for a in associations]}),
        *(
            post(c, admin, org, "managerAssignment/v1/create", {**body, "association_id": a["id"]})
            for a in associations
        ),
    )
    assert sorted(r.status_code for r in responses) == [200, 422], [r.text for r in responses]
    refused = next(r for r in responses if r.status_code == 422).json()["error"]
    assert (refused["details"]["reason"], refused["details"]["units"]) == ("MANAGER_WORKLOAD_EXCEEDED", 4)
    listed = await ok(c, admin, org, "managerAssignment/v1/list", {"user_id": str(manager.user_id)})
    assert len(listed["items"]) == 1


def test_an_exclusion_constraint_that_fires_is_a_conflict() -> None:
    """Overlapping bookings are refused by the area's lock, and by `reservations_no_overlap` on any other path:
    that constraint's violation answers CONFLICT like a unique index's, never INTERNAL_ERROR."""
    violation = IntegrityError("INSERT INTO reservations ...", {}, psycopg.errors.ExclusionViolation("overlap"))
    assert from_database(violation).code == ErrorCode.CONFLICT
