"""Organizations and memberships through HTTP (API.md, "Identity procedures"): create, scope, the Cerbos role
matrix and the tenant-scoped policy, members and invitations, roles, removal, delete, default, update,
idempotency, and the outbox and audit rows they leave."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from hestami.core import runtime
from hestami.identity.demo import seed_identity
from tests.support.accounts import (
    Account,
    accept_invitation,
    account,
    add_member,
    login,
    member_account,
    organization,
    register,
    rpc,
    unique_email,
)
from tests.support.demo import demo_login

ROLES = ["ADMIN", "MANAGER", "BOARD_MEMBER", "OWNER", "TENANT", "VENDOR"]


def suffix() -> str:
    return secrets.token_hex(4)


async def call(
    client: httpx.AsyncClient,
    caller: Account,
    path: str,
    org: uuid.UUID | str | None = None,
    body: dict[str, Any] | None = None,
    key: str | None = None,
) -> httpx.Response:
    return await client.post(rpc(path), json=body or {}, headers=caller.headers(org, key))


def error(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert body["ok"] is False, response.text
    return body["error"]


def data(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ok"] is True
    return body["data"]


async def admin_and_org(client: httpx.AsyncClient, name: str = "Test Org", **extra: str) -> tuple[Account, dict]:
    admin = await account(client)
    org = await organization(client, admin, name, **extra)
    return admin, org


async def members(client: httpx.AsyncClient, caller: Account, org: str) -> list[dict[str, Any]]:
    return data(await call(client, caller, "organization/v1/listMembers", org, {"limit": 200}))["items"]


async def my_orgs(client: httpx.AsyncClient, caller: Account) -> dict[str, dict[str, Any]]:
    items = data(await call(client, caller, "organization/v1/list", body={"limit": 200}))["items"]
    return {item["id"]: item for item in items}


async def scoped_rows(org: str, sql: str) -> list[Any]:
    async with runtime.current().database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        return list((await session.execute(text(sql), {"org": org})).all())


# --- create -------------------------------------------------------------------------------------------------


async def test_creator_becomes_admin_and_sees_it_in_list(client: httpx.AsyncClient) -> None:
    admin, org = await admin_and_org(client, f"Maple Grove {suffix()}")
    current = data(await call(client, admin, "organization/v1/current", org["id"]))
    assert current["organization"]["id"] == org["id"]
    assert current["roles"] == ["ADMIN"]
    mine = await my_orgs(client, admin)
    assert mine[org["id"]]["roles"] == ["ADMIN"]
    assert mine[org["id"]]["name"] == org["name"]
    assert mine[org["id"]]["slug"] == org["slug"]
    assert mine[org["id"]]["type"] == "COMMUNITY_ASSOCIATION"


async def test_slug_is_derived_from_the_name(client: httpx.AsyncClient) -> None:
    tag = suffix()
    _, org = await admin_and_org(client, f"Oak  Hollow HOA #{tag}!")
    assert org["slug"] == f"oak-hollow-hoa-{tag}"


async def test_explicit_slug_that_is_taken_is_a_conflict(client: httpx.AsyncClient) -> None:
    slug = f"taken-{suffix()}"
    await admin_and_org(client, "First", slug=slug)
    other = await account(client)
    response = await call(
        client, other, "organization/v1/create", body={"name": "Second", "type": "TRUST_OR_LLC", "slug": slug}
    )
    assert response.status_code == 409, response.text
    assert error(response)["code"] == "CONFLICT"
    assert error(response)["details"]["reason"] == "SLUG_TAKEN"
    assert await my_orgs(client, other) == {}


async def test_derived_slug_that_collides_gets_a_suffix(client: httpx.AsyncClient) -> None:
    name = f"Twin Pines {suffix()}"
    admin, first = await admin_and_org(client, name)
    second = await organization(client, admin, name)
    assert first["id"] != second["id"]
    assert first["slug"] != second["slug"]
    assert second["slug"].startswith(first["slug"] + "-")
    assert set(await my_orgs(client, admin)) == {first["id"], second["id"]}


async def test_bad_type_is_a_validation_failure(client: httpx.AsyncClient) -> None:
    caller = await account(client)
    response = await call(client, caller, "organization/v1/create", body={"name": "X Org", "type": "CASTLE"})
    assert response.status_code == 400, response.text
    problem = error(response)
    assert problem["code"] == "VALIDATION_FAILED"
    assert "/type" in [f["field"] for f in problem["field_errors"]]


# --- scope --------------------------------------------------------------------------------------------------


async def test_org_scoped_call_without_x_org_id(client: httpx.AsyncClient) -> None:
    admin, _ = await admin_and_org(client)
    response = await call(client, admin, "organization/v1/get")
    assert response.status_code == 400, response.text
    assert error(response)["code"] == "ORG_SCOPE_REQUIRED"


async def test_org_scoped_call_for_another_org_is_forbidden(client: httpx.AsyncClient) -> None:
    _, theirs = await admin_and_org(client)
    outsider, _ = await admin_and_org(client)
    for path in ("organization/v1/get", "organization/v1/current", "organization/v1/listMembers"):
        response = await call(client, outsider, path, theirs["id"])
        assert response.status_code == 403, (path, response.text)
        assert error(response)["code"] == "FORBIDDEN"


# --- role matrix --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
async def test_role_matrix(client: httpx.AsyncClient, role: str) -> None:
    admin, org = await admin_and_org(client)
    member = await member_account(client, admin, org["id"], [role])

    get = await call(client, member, "organization/v1/get", org["id"])
    assert get.status_code == 200, get.text
    assert get.json()["data"]["organization"]["id"] == org["id"]

    listed = await call(client, member, "organization/v1/listMembers", org["id"])
    expected = 200 if role in {"ADMIN", "MANAGER", "BOARD_MEMBER"} else 403
    assert listed.status_code == expected, listed.text
    if expected == 403:
        assert error(listed)["code"] == "FORBIDDEN"

    added = await add_member(client, member, org["id"], unique_email("matrix"), ["TENANT"])
    assert added.status_code == (200 if role == "ADMIN" else 403), added.text

    renamed = await call(client, member, "organization/v1/update", org["id"], {"name": f"Renamed by {role}"})
    assert renamed.status_code == (200 if role == "ADMIN" else 403), renamed.text
    if role != "ADMIN":
        assert error(renamed)["code"] == "FORBIDDEN"
        assert error(added)["code"] == "FORBIDDEN"
        name = data(await call(client, admin, "organization/v1/get", org["id"]))["organization"]["name"]
        assert name == org["name"]


# --- scoped policy (roadmap 2.5.4) --------------------------------------------------------------------------


async def test_sunset_ridge_owners_may_list_members_others_may_not(client: httpx.AsyncClient) -> None:
    """The tenant-scoped policy of the demo's Sunset Ridge (scope `sunset-ridge-hoa`; its organization comes from the
    demo seeder, so a database holds one Sunset Ridge whichever tests run in it)."""
    await seed_identity(runtime.current())
    admin, orgs = await demo_login(client, "admin")
    sunset = {"id": orgs["sunset-ridge-hoa"]}
    owner = await member_account(client, admin, sunset["id"], ["OWNER"])
    tenant = await member_account(client, admin, sunset["id"], ["TENANT"])
    allowed = await call(client, owner, "organization/v1/listMembers", sunset["id"])
    assert allowed.status_code == 200, allowed.text
    assert {m["email"] for m in allowed.json()["data"]["items"]} >= {admin.email, owner.email}
    assert (await call(client, tenant, "organization/v1/listMembers", sunset["id"])).status_code == 403

    other_admin, other = await admin_and_org(client, f"Sunset Ridge {suffix()}")
    other_owner = await member_account(client, other_admin, other["id"], ["OWNER"])
    denied = await call(client, other_owner, "organization/v1/listMembers", other["id"])
    assert denied.status_code == 403, denied.text
    assert error(denied)["code"] == "FORBIDDEN"
    # the override only widens view_members: the Sunset Ridge owner still may not manage members
    added = await add_member(client, owner, sunset["id"], unique_email("sr"), ["OWNER"])
    assert added.status_code == 403, added.text


# --- members ------------------------------------------------------------------------------------------------


async def test_add_member_answers_alike_with_or_without_an_account_and_joins_no_one(client: httpx.AsyncClient) -> None:
    """Anyone may create an organization and add members: the answer must not tell whether the email has an
    account, and nobody becomes a member of the organization without accepting."""
    admin, org = await admin_and_org(client)
    person = await account(client)
    nobody = unique_email("nobody")
    answers = [
        data(await add_member(client, admin, org["id"], email, ["TENANT", "OWNER", "TENANT"]))["member"]
        for email in (person.email.upper(), nobody)
    ]
    for member, email in zip(answers, (person.email, nobody), strict=True):
        assert member["status"] == "INVITED"
        assert member["user_id"] is None
        assert member["name"] is None
        assert member["email"] == email
        assert member["organization_id"] == org["id"]
        assert member["roles"] == ["OWNER", "TENANT"]
    assert set(answers[0]) == set(answers[1])

    rows = await scoped_rows(
        org["id"],
        "SELECT template, recipient_user_id, payload::text FROM outbound_messages WHERE organization_id = :org "
        "ORDER BY created_at",
    )
    assert [(r[0], r[1]) for r in rows] == [("organization.invitation", None)] * 2
    assert rows[0][2] == rows[1][2]

    # not a member until they accept: no scope, nothing at login
    refused = await call(client, person, "organization/v1/get", org["id"])
    assert refused.status_code == 403, refused.text
    assert org["id"] not in {o["id"] for o in data(await login(client, person.email))["organizations"]}
    assert org["id"] not in await my_orgs(client, person)

    again = await add_member(client, admin, org["id"], person.email, ["VENDOR"])
    assert again.status_code == 409, again.text
    assert error(again)["code"] == "CONFLICT"
    assert error(again)["details"]["reason"] == "ALREADY_MEMBER"


async def test_the_invitee_sees_accepts_and_becomes_a_member(client: httpx.AsyncClient) -> None:
    admin, org = await admin_and_org(client, f"Cedar Court {suffix()}")
    person = await account(client)
    invited = data(await add_member(client, admin, org["id"], person.email, ["OWNER", "TENANT"]))["member"]

    me = data(await call(client, person, "auth/v1/me"))
    assert me["pending_invitations"] == 1
    assert me["organizations"] == []
    (invitation,) = data(await call(client, person, "organization/v1/listInvitations", body={}))["items"]
    assert invitation["id"] == invited["id"]
    assert invitation["organization"] == {
        "id": org["id"], "name": org["name"], "slug": org["slug"], "type": "COMMUNITY_ASSOCIATION"
    }  # fmt: skip
    assert invitation["roles"] == ["OWNER", "TENANT"]

    joined = data(await accept_invitation(client, person, invitation["id"]))["organization"]
    assert (joined["id"], joined["roles"]) == (org["id"], ["OWNER", "TENANT"])
    current = data(await call(client, person, "organization/v1/current", org["id"]))
    assert current["roles"] == ["OWNER", "TENANT"]
    assert data(await call(client, person, "auth/v1/me"))["pending_invitations"] == 0
    listed = {m["id"]: m for m in await members(client, admin, org["id"])}
    assert listed[invited["id"]]["status"] == "ACTIVE"
    assert listed[invited["id"]]["user_id"] == str(person.user_id)

    twice = await accept_invitation(client, person, invitation["id"])
    assert twice.status_code == 404, twice.text
    actions = await scoped_rows(org["id"], "SELECT action FROM audit_events WHERE organization_id = :org")
    assert {"membership.invited", "membership.invitation_accepted"} <= {a for (a,) in actions}


async def test_registering_an_invited_email_joins_nothing_until_accepted(client: httpx.AsyncClient) -> None:
    admin, org = await admin_and_org(client)
    email = unique_email("invitee")
    invited = data(await add_member(client, admin, org["id"], email, ["TENANT"]))["member"]
    assert (invited["status"], invited["user_id"]) == ("INVITED", None)
    listed = {m["id"]: m for m in await members(client, admin, org["id"])}
    assert listed[invited["id"]]["status"] == "INVITED"

    await register(client, email)
    logged_in = data(await login(client, email))
    assert logged_in["organizations"] == []
    newcomer = Account(email, "", logged_in["token"], uuid.UUID(logged_in["user"]["id"]))
    assert [i["id"] for i in data(await call(client, newcomer, "organization/v1/listInvitations"))["items"]] == [
        invited["id"]
    ]
    still = {m["id"]: m for m in await members(client, admin, org["id"])}
    assert (still[invited["id"]]["status"], still[invited["id"]]["user_id"]) == ("INVITED", None)


async def test_the_invitee_may_decline(client: httpx.AsyncClient) -> None:
    admin, org = await admin_and_org(client)
    person = await account(client)
    invited = data(await add_member(client, admin, org["id"], person.email, ["TENANT"]))["member"]
    declined = await call(client, person, "organization/v1/declineInvitation", body={"invitation_id": invited["id"]})
    assert data(declined) == {"declined": True}
    assert data(await call(client, person, "organization/v1/listInvitations"))["items"] == []
    assert invited["id"] not in {m["id"] for m in await members(client, admin, org["id"])}
    assert (await accept_invitation(client, person, invited["id"])).status_code == 404
    assert (await call(client, person, "organization/v1/get", org["id"])).status_code == 403
    actions = await scoped_rows(org["id"], "SELECT action FROM audit_events WHERE organization_id = :org")
    assert "membership.invitation_declined" in {a for (a,) in actions}
    data(await add_member(client, admin, org["id"], person.email, ["TENANT"]))  # may be invited again


async def test_only_the_invited_email_may_answer_an_invitation(client: httpx.AsyncClient) -> None:
    admin, org = await admin_and_org(client)
    person, stranger = await account(client), await account(client)
    invited = data(await add_member(client, admin, org["id"], person.email, ["ADMIN"]))["member"]
    assert data(await call(client, stranger, "organization/v1/listInvitations"))["items"] == []
    assert data(await call(client, admin, "organization/v1/listInvitations"))["items"] == []
    for path in ("organization/v1/acceptInvitation", "organization/v1/declineInvitation"):
        for who, invitation_id in ((stranger, invited["id"]), (admin, invited["id"]), (person, str(uuid.uuid4()))):
            response = await call(client, who, path, body={"invitation_id": invitation_id})
            assert response.status_code == 404, (path, response.text)
            assert error(response)["code"] == "NOT_FOUND"
            assert error(response)["details"]["kind"] == "invitation"
    assert (await call(client, stranger, "organization/v1/get", org["id"])).status_code == 403
    assert [i["id"] for i in data(await call(client, person, "organization/v1/listInvitations"))["items"]] == [
        invited["id"]
    ]


async def test_set_member_roles_changes_roles(client: httpx.AsyncClient) -> None:
    admin, org = await admin_and_org(client)
    person = await member_account(client, admin, org["id"], ["TENANT"])
    member_id = next(m["id"] for m in await members(client, admin, org["id"]) if m["email"] == person.email)
    response = await call(
        client,
        admin,
        "organization/v1/setMemberRoles",
        org["id"],
        {"member_id": member_id, "roles": ["MANAGER", "BOARD_MEMBER", "MANAGER"]},
    )
    assert data(response)["member"]["roles"] == ["BOARD_MEMBER", "MANAGER"]
    current = data(await call(client, person, "organization/v1/current", org["id"]))
    assert current["roles"] == ["BOARD_MEMBER", "MANAGER"]
    # the new roles take effect in authorization at once: a MANAGER may list members
    assert (await call(client, person, "organization/v1/listMembers", org["id"])).status_code == 200


async def test_last_admin_cannot_be_demoted_or_removed(client: httpx.AsyncClient) -> None:
    admin, org = await admin_and_org(client)
    own_id = next(m["id"] for m in await members(client, admin, org["id"]) if m["email"] == admin.email)
    demoted = await call(
        client, admin, "organization/v1/setMemberRoles", org["id"], {"member_id": own_id, "roles": ["MANAGER"]}
    )
    assert demoted.status_code == 422, demoted.text
    assert error(demoted)["code"] == "BUSINESS_RULE_VIOLATION"
    assert error(demoted)["details"]["reason"] == "LAST_ADMIN"
    removed = await call(client, admin, "organization/v1/removeMember", org["id"], {"member_id": own_id})
    assert removed.status_code == 422, removed.text
    assert error(removed)["code"] == "BUSINESS_RULE_VIOLATION"
    assert error(removed)["details"]["reason"] == "LAST_ADMIN"
    assert data(await call(client, admin, "organization/v1/current", org["id"]))["roles"] == ["ADMIN"]


async def test_with_two_admins_one_may_be_demoted(client: httpx.AsyncClient) -> None:
    admin, org = await admin_and_org(client)
    second = await member_account(client, admin, org["id"], ["ADMIN"])
    own_id = next(m["id"] for m in await members(client, admin, org["id"]) if m["email"] == admin.email)
    demoted = await call(
        client, second, "organization/v1/setMemberRoles", org["id"], {"member_id": own_id, "roles": ["MANAGER"]}
    )
    assert data(demoted)["member"]["roles"] == ["MANAGER"]
    assert data(await call(client, admin, "organization/v1/current", org["id"]))["roles"] == ["MANAGER"]
    second_id = next(m["id"] for m in await members(client, second, org["id"]) if m["email"] == second.email)
    last = await call(
        client, second, "organization/v1/setMemberRoles", org["id"], {"member_id": second_id, "roles": ["OWNER"]}
    )
    assert last.status_code == 422, last.text
    assert error(last)["details"]["reason"] == "LAST_ADMIN"


# --- removeMember -------------------------------------------------------------------------------------------


async def test_removed_member_loses_access(client: httpx.AsyncClient) -> None:
    admin, org = await admin_and_org(client)
    person = await member_account(client, admin, org["id"], ["MANAGER"])
    assert (await call(client, person, "organization/v1/get", org["id"])).status_code == 200
    member_id = next(m["id"] for m in await members(client, admin, org["id"]) if m["email"] == person.email)
    assert data(await call(client, admin, "organization/v1/removeMember", org["id"], {"member_id": member_id})) == {
        "removed": True
    }
    response = await call(client, person, "organization/v1/get", org["id"])
    assert response.status_code == 403, response.text
    assert error(response)["code"] == "FORBIDDEN"
    assert org["id"] not in await my_orgs(client, person)
    assert member_id not in {m["id"] for m in await members(client, admin, org["id"])}


async def test_another_orgs_member_id_is_not_found(client: httpx.AsyncClient) -> None:
    admin_a, org_a = await admin_and_org(client)
    admin_b, org_b = await admin_and_org(client)
    victim = await member_account(client, admin_b, org_b["id"], ["TENANT"])
    victim_id = next(m["id"] for m in await members(client, admin_b, org_b["id"]) if m["email"] == victim.email)

    for path, body in (
        ("organization/v1/setMemberRoles", {"member_id": victim_id, "roles": ["ADMIN"]}),
        ("organization/v1/removeMember", {"member_id": victim_id}),
    ):
        response = await call(client, admin_a, path, org_a["id"], body)
        assert response.status_code == 404, (path, response.text)
        assert error(response)["code"] == "NOT_FOUND"

    still = {m["id"]: m for m in await members(client, admin_b, org_b["id"])}
    assert still[victim_id]["roles"] == ["TENANT"]


# --- delete -------------------------------------------------------------------------------------------------


async def test_admin_deletes_organization(client: httpx.AsyncClient) -> None:
    admin, org = await admin_and_org(client)
    keep = await organization(client, admin, "Keeper")
    assert data(await call(client, admin, "organization/v1/delete", org["id"])) == {"removed": True}
    for path in ("organization/v1/get", "organization/v1/current"):
        response = await call(client, admin, path, org["id"])
        assert response.status_code == 403, (path, response.text)
        assert error(response)["code"] == "FORBIDDEN"
    assert set(await my_orgs(client, admin)) == {keep["id"]}


async def test_manager_may_not_delete(client: httpx.AsyncClient) -> None:
    admin, org = await admin_and_org(client)
    manager = await member_account(client, admin, org["id"], ["MANAGER"])
    response = await call(client, manager, "organization/v1/delete", org["id"])
    assert response.status_code == 403, response.text
    assert error(response)["code"] == "FORBIDDEN"
    assert (await call(client, admin, "organization/v1/get", org["id"])).status_code == 200
    assert org["id"] in await my_orgs(client, admin)


# --- setDefault ---------------------------------------------------------------------------------------------


async def test_set_default_marks_login_and_list(client: httpx.AsyncClient) -> None:
    admin, first = await admin_and_org(client)
    second = await organization(client, admin, "Second Org")
    answer = data(await call(client, admin, "organization/v1/setDefault", second["id"]))
    assert answer["is_default"] is True
    assert answer["organization"]["id"] == second["id"]

    listed = await my_orgs(client, admin)
    assert listed[second["id"]]["is_default"] is True
    assert listed[first["id"]]["is_default"] is False

    logged_in = await login(client, admin.email)
    orgs = {o["id"]: o for o in data(logged_in)["organizations"]}
    assert orgs[second["id"]]["is_default"] is True
    assert orgs[first["id"]]["is_default"] is False
    assert data(logged_in)["user"]["default_organization_id"] == second["id"]
    assert data(await call(client, admin, "organization/v1/current", second["id"]))["is_default"] is True
    assert data(await call(client, admin, "organization/v1/current", first["id"]))["is_default"] is False


# --- update -------------------------------------------------------------------------------------------------


async def test_admin_renames_and_changes_slug(client: httpx.AsyncClient) -> None:
    admin, org = await admin_and_org(client)
    slug = f"renamed-{suffix()}"
    updated = data(await call(client, admin, "organization/v1/update", org["id"], {"name": "Renamed", "slug": slug}))
    assert updated["organization"]["id"] == org["id"]
    assert updated["organization"]["name"] == "Renamed"
    assert updated["organization"]["slug"] == slug
    got = data(await call(client, admin, "organization/v1/get", org["id"]))["organization"]
    assert (got["name"], got["slug"]) == ("Renamed", slug)
    assert (await my_orgs(client, admin))[org["id"]]["slug"] == slug


async def test_update_to_a_taken_slug_is_a_conflict(client: httpx.AsyncClient) -> None:
    _, theirs = await admin_and_org(client, slug=f"theirs-{suffix()}")
    admin, mine = await admin_and_org(client)
    response = await call(client, admin, "organization/v1/update", mine["id"], {"slug": theirs["slug"]})
    assert response.status_code == 409, response.text
    assert error(response)["code"] == "CONFLICT"
    assert error(response)["details"]["reason"] == "SLUG_TAKEN"
    assert data(await call(client, admin, "organization/v1/get", mine["id"]))["organization"]["slug"] == mine["slug"]


# --- idempotency --------------------------------------------------------------------------------------------


async def test_create_is_idempotent(client: httpx.AsyncClient) -> None:
    caller = await account(client)
    body = {"name": f"Once {suffix()}", "type": "MANAGEMENT_COMPANY"}
    key = f"create-{suffix()}"
    first = await call(client, caller, "organization/v1/create", body=body, key=key)
    second = await call(client, caller, "organization/v1/create", body=body, key=key)
    created = data(first)["organization"]
    assert data(second)["organization"]["id"] == created["id"]
    assert second.json()["meta"]["idempotent_replay"] is True
    assert "idempotent_replay" not in first.json()["meta"]
    assert list(await my_orgs(client, caller)) == [created["id"]]


# --- outbox and audit ---------------------------------------------------------------------------------------


async def test_invitation_is_recorded_in_the_outbox(client: httpx.AsyncClient) -> None:
    admin, org = await admin_and_org(client)
    email = unique_email("outbox")
    data(await add_member(client, admin, org["id"], email, ["OWNER"]))
    rows = await scoped_rows(
        org["id"], "SELECT template, recipient FROM outbound_messages WHERE organization_id = :org"
    )
    assert ("organization.invitation", email) in [tuple(r) for r in rows]


async def test_membership_changes_are_audited(client: httpx.AsyncClient) -> None:
    admin, org = await admin_and_org(client)
    person = await account(client)
    member = data(await add_member(client, admin, org["id"], person.email, ["TENANT"]))["member"]
    data(
        await call(
            client, admin, "organization/v1/setMemberRoles", org["id"], {"member_id": member["id"], "roles": ["OWNER"]}
        )
    )
    rows = await scoped_rows(org["id"], "SELECT action, entity_id FROM audit_events WHERE organization_id = :org")
    events = {(action, entity_id) for action, entity_id in rows}
    actions = {action for action, _ in events}
    assert {"organization.created", "membership.added", "membership.invited", "membership.roles_changed"} <= actions
    assert ("membership.invited", member["id"]) in events
    assert ("membership.roles_changed", member["id"]) in events


async def test_a_member_the_caller_cannot_see_answers_like_a_random_id(client: httpx.AsyncClient) -> None:
    admin, org = await admin_and_org(client)
    tenant = await member_account(client, admin, org["id"], ["TENANT"])
    board = await member_account(client, admin, org["id"], ["BOARD_MEMBER"])
    by_email = {m["email"]: m["id"] for m in await members(client, admin, org["id"])}
    hidden, random_id = by_email[admin.email], str(uuid.uuid4())
    for path, extra in (
        ("organization/v1/setMemberRoles", {"roles": ["TENANT"]}),
        ("organization/v1/removeMember", {}),
    ):
        answers = [await call(client, tenant, path, org["id"], {"member_id": i, **extra}) for i in (hidden, random_id)]
        assert [a.status_code for a in answers] == [404, 404], (path, answers[0].text)
        assert error(answers[0])["message"] == error(answers[1])["message"]
        assert {**error(answers[0])["details"], "id": "-"} == {**error(answers[1])["details"], "id": "-"}
        # a member they can see (board members list members; everyone sees their own) is FORBIDDEN
        for who, member_id in ((board, hidden), (tenant, by_email[tenant.email])):
            seen = await call(client, who, path, org["id"], {"member_id": member_id, **extra})
            assert seen.status_code == 403, (path, seen.text)
            assert error(seen)["code"] == "FORBIDDEN"
