"""Account linking (Journey 2, step 1): an owner registers with the email her association has on file; once she
proves it (`auth/v1/verifyEmail`), her parties in every organization attach to her account and she becomes an OWNER
(or TENANT) member where they hold a unit today. Never before the proof, never a party linked to someone else, never
one deleted or of a deleted organization; once only, also when two verifications race."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import text

from hestami.core import runtime
from hestami.core.acting import scoped_context
from hestami.core.context import Principal
from hestami.identity import repository as identity_repository
from hestami.identity.services import verification
from tests.cam.association.helpers import association, own, property_, rent, unit
from tests.identity.helpers import latest_token, verification_tokens, verified, verify
from tests.support.accounts import Account, account, login, member_account, organization, rpc
from tests.support.race import Held, race
from tests.support.rpc import fails, ok, suffix


@dataclass
class Org:
    admin: Account
    id: str
    units: list[str]


async def hoa(c: httpx.AsyncClient, kind: str = "COMMUNITY_ASSOCIATION", units: int = 2) -> Org:
    admin = await account(c)
    org = (await organization(c, admin, f"Linking {suffix()}", kind))["id"]
    prop = await property_(c, admin, org, (await association(c, admin, org))["id"])
    return Org(admin, org, [(await unit(c, admin, org, prop["id"], str(n)))["id"] for n in range(1, units + 1)])


async def party(c: httpx.AsyncClient, org: Org, email: str | None, last: str, **extra: object) -> str:
    body: dict[str, object] = {"party_type": "INDIVIDUAL", "first_name": "Casey", "last_name": last, **extra}
    if email is not None:
        body["email"] = email
    created: str = (await ok(c, org.admin, org.id, "party/v1/create", body))["id"]
    return created


async def linked_user(c: httpx.AsyncClient, org: Org, party_id: str) -> str | None:
    found: str | None = (await ok(c, org.admin, org.id, "party/v1/get", {"id": party_id}))["user_id"]
    return found


async def party_user_any_state(org_id: str, party_id: str) -> uuid.UUID | None:
    """A party's user as stored (a deleted party, a deleted organization's party: the API no longer shows them)."""
    async with runtime.current().database.transaction(organization_id=uuid.UUID(org_id), user_id=None) as session:
        row = await session.execute(text("SELECT user_id FROM parties WHERE id = :p"), {"p": party_id})
        return row.scalar_one()


async def audit_rows(org_id: str, action: str) -> list[tuple[str | None, uuid.UUID | None]]:
    async with runtime.current().database.transaction(organization_id=uuid.UUID(org_id), user_id=None) as session:
        rows = await session.execute(
            text("SELECT entity_id, actor_user_id FROM audit_events WHERE action = :a ORDER BY created_at"),
            {"a": action},
        )
        return [(r[0], r[1]) for r in rows.all()]


async def organizations_of(c: httpx.AsyncClient, who: Account) -> dict[str, list[str]]:
    response = await login(c, who.email)
    assert response.status_code == 200, response.text
    return {o["id"]: o["roles"] for o in response.json()["data"]["organizations"]}


def fresh_email() -> str:
    return f"Casey.Claim-{suffix()}@Example.com"


async def test_a_proven_email_links_parties_across_organizations_and_grants_roles(
    shared_client: httpx.AsyncClient,
) -> None:
    c = shared_client
    email = fresh_email()
    a, b = await hoa(c), await hoa(c, "MANAGEMENT_COMPANY", units=1)
    gone = await hoa(c, units=1)

    owner_party = await party(c, a, email.upper(), "Owner")  # any case: parties keep emails lower-cased
    await own(c, a.admin, a.id, a.units[0], owner_party)
    former_party = await party(c, a, email, "Former")
    await own(c, a.admin, a.id, a.units[1], former_party, start="2010-01-01", end="2015-06-30")
    deleted_party = await party(c, a, email, "Deleted")
    await ok(c, a.admin, a.id, "party/v1/delete", {"id": deleted_party})
    await party(c, a, None, "NoEmail")

    tenant_party = await party(c, b, email, "Tenant")
    await rent(c, b.admin, b.id, b.units[0], tenant_party)
    someone = await member_account(c, b.admin, b.id, ["OWNER"])
    taken_party = await party(c, b, email, "Taken", user_id=str(someone.user_id))

    orphan_party = await party(c, gone, email, "Orphan")
    await own(c, gone.admin, gone.id, gone.units[0], orphan_party)
    await ok(c, gone.admin, gone.id, "organization/v1/delete", {})

    claimant = await account(c, email.lower())
    # registered, not proven: nothing attached yet
    assert await linked_user(c, a, owner_party) is None
    assert await linked_user(c, b, tenant_party) is None
    assert await organizations_of(c, claimant) == {}

    answer = await verified(c, claimant.user_id)
    by_org = {o["id"]: o for o in answer["organizations"]}
    assert set(by_org) == {a.id, b.id}
    assert by_org[a.id]["roles"] == ["OWNER"]
    assert sorted(by_org[a.id]["linked_party_ids"]) == sorted([owner_party, former_party])
    assert by_org[b.id]["roles"] == ["TENANT"]
    assert by_org[b.id]["linked_party_ids"] == [tenant_party]

    me = str(claimant.user_id)
    assert await linked_user(c, a, owner_party) == me
    assert await linked_user(c, a, former_party) == me  # linked, though it owns nothing today
    assert await party_user_any_state(a.id, deleted_party) is None
    assert await linked_user(c, b, tenant_party) == me
    assert await linked_user(c, b, taken_party) == str(someone.user_id)  # already someone else's: untouched
    assert await party_user_any_state(gone.id, orphan_party) is None

    assert await organizations_of(c, claimant) == {a.id: ["OWNER"], b.id: ["TENANT"]}
    seen = await ok(c, claimant, a.id, "unit/v1/get", {"id": a.units[0]})  # her unit, as its owner
    assert seen["id"] == a.units[0]

    linked_events = await audit_rows(a.id, "party.linked")
    assert sorted(linked_events) == sorted([(owner_party, claimant.user_id), (former_party, claimant.user_id)])
    assert [actor for _, actor in await audit_rows(a.id, "membership.added")][-1] == claimant.user_id


async def test_linking_again_changes_nothing(shared_client: httpx.AsyncClient) -> None:
    c = shared_client
    email = fresh_email()
    a = await hoa(c, units=1)
    owned = await party(c, a, email, "Again")
    await own(c, a.admin, a.id, a.units[0], owned)
    claimant = await account(c, email)
    await verified(c, claimant.user_id)
    before = (await audit_rows(a.id, "party.linked"), await audit_rows(a.id, "membership.added"))

    database = runtime.current().database
    async with database.transaction(organization_id=None, user_id=claimant.user_id) as session:
        principal = Principal(user_id=claimant.user_id, session_id="test", email=claimant.email)
        ctx = scoped_context(session, procedure="test", organization_id=None, principal=principal)
        user = await identity_repository.user_by_id(session, claimant.user_id)
        assert user is not None
        again = await verification.mark_verified(ctx, user)
    assert [(o.id, o.roles, o.linked_party_ids) for o in again] == [(uuid.UUID(a.id), ["OWNER"], [])]
    assert (await audit_rows(a.id, "party.linked"), await audit_rows(a.id, "membership.added")) == before
    assert await organizations_of(c, claimant) == {a.id: ["OWNER"]}


async def test_a_member_gains_the_role_and_unproven_emails_link_nothing_on_create(
    shared_client: httpx.AsyncClient,
) -> None:
    c = shared_client
    org = await hoa(c, units=1)
    member = await member_account(c, org.admin, org.id, ["BOARD_MEMBER"])  # a member already, email not proven
    unproven = await party(c, org, member.email, "Unproven")
    assert await linked_user(c, org, unproven) is None  # a member with this email, but it is not proven
    await own(c, org.admin, org.id, org.units[0], unproven)

    answer = await verified(c, member.user_id)
    (joined,) = answer["organizations"]
    assert (joined["id"], joined["linked_party_ids"]) == (org.id, [unproven])
    assert joined["roles"] == ["BOARD_MEMBER", "OWNER"]
    assert await linked_user(c, org, unproven) == str(member.user_id)
    assert (await organizations_of(c, member))[org.id] == ["BOARD_MEMBER", "OWNER"]
    roles_changed = await audit_rows(org.id, "membership.roles_changed")
    assert roles_changed[-1][1] == member.user_id

    # proven now: a new party with the email links at once, and so does one whose email is set to it
    created = await party(c, org, member.email.upper(), "Proven")
    assert await linked_user(c, org, created) == str(member.user_id)
    blank = await party(c, org, None, "Later")
    await ok(c, org.admin, org.id, "party/v1/update", {"id": blank, "email": member.email})
    assert await linked_user(c, org, blank) == str(member.user_id)


@pytest.mark.parametrize("same_token", [True, False])
async def test_two_verifications_at_once_link_once(shared_client: httpx.AsyncClient, same_token: bool) -> None:
    """Both requests are held at the party's row (after the first has the account's lock, the second waits for
    it): one verifies and links, the other finds its token used (the same one) or withdrawn (the other one)."""
    c = shared_client
    email = fresh_email()
    org = await hoa(c, units=1)
    owned = await party(c, org, email, "Racer")
    await own(c, org.admin, org.id, org.units[0], owned)
    claimant = await account(c, email)
    resent = await c.post(rpc("auth/v1/requestEmailVerification"), json={}, headers=claimant.headers())
    assert resent.status_code == 200, resent.text
    first, second = await verification_tokens(claimant.user_id)
    tokens = (first, first) if same_token else (first, second)

    responses = await race(
        Held(org.id, "SELECT id FROM parties WHERE id = :p FOR UPDATE", {"p": owned}),
        *(verify(c, token) for token in tokens),
    )
    assert sorted(r.status_code for r in responses) == [200, 422], [r.text for r in responses]
    loser = next(r for r in responses if r.status_code == 422).json()["error"]
    assert loser["details"]["reason"] == ("TOKEN_USED" if same_token else "TOKEN_INVALID")
    assert await audit_rows(org.id, "party.linked") == [(owned, claimant.user_id)]
    assert len(await audit_rows(org.id, "membership.added")) == 2  # the admin's own, then the claimant's
    assert await organizations_of(c, claimant) == {org.id: ["OWNER"]}


async def test_the_cross_tenant_lookup_is_the_function_alone(shared_client: httpx.AsyncClient) -> None:
    """The app role naming an email in `app.claim_email` sees no other organization's party: the policy that
    admits them is the owner role's, used only inside `app_parties_with_email`."""
    c = shared_client
    email = fresh_email().lower()
    a, elsewhere = await hoa(c, units=1), await hoa(c, units=1)
    hidden = await party(c, a, email, "Hidden")
    database = runtime.current().database
    async with database.transaction(organization_id=uuid.UUID(elsewhere.id), user_id=None) as session:
        await session.execute(text("SELECT set_config('app.claim_email', :e, true)"), {"e": email})
        seen = (await session.execute(text("SELECT id FROM parties WHERE email = :e"), {"e": email})).all()
        found = (await session.execute(text("SELECT * FROM app_parties_with_email(:e)"), {"e": email.upper()})).all()
        after = (await session.execute(text("SELECT current_setting('app.claim_email', true)"))).scalar_one()
    assert seen == []
    assert [(str(o), str(p)) for o, p in found] == [(a.id, hidden)]
    assert after == email  # what the caller set; the function's own setting did not leak out


async def test_a_wrong_token_links_nothing(shared_client: httpx.AsyncClient) -> None:
    c = shared_client
    email = fresh_email()
    org = await hoa(c, units=1)
    owned = await party(c, org, email, "Patient")
    claimant = await account(c, email)
    token = await latest_token(claimant.user_id)
    wrong = await verify(c, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert wrong.status_code == 422
    assert await linked_user(c, org, owned) is None
    await fails(c, claimant, org.id, "party/v1/get", {"id": owned}, 403, "FORBIDDEN")  # not a member
