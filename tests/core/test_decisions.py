"""Cerbos answers remembered by the exact question: hits, expiry, bounds, policy changes, never past a role change."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import httpx

from hestami.core import runtime
from hestami.core.acting import scoped_context
from hestami.core.authz import Resource, allows
from hestami.core.context import Principal, RequestContext
from hestami.core.decisions import POLICY_CHECK_SECONDS, DecisionCache, frozen
from tests.support.accounts import account, member_account, organization
from tests.support.rpc import fails, ok

POLICIES = Path(__file__).resolve().parents[2] / "policies"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_answer_is_remembered_until_it_expires() -> None:
    clock = Clock()
    cache = DecisionCache(max_entries=10, ttl_seconds=30, clock=clock)
    assert cache.get("q") is None
    cache.put("q", True)
    assert cache.get("q") is True
    clock.now += 29.9
    assert cache.get("q") is True
    clock.now += 0.2
    assert cache.get("q") is None
    assert (cache.hits, cache.misses) == (2, 2)


def test_the_least_recently_used_answer_leaves_first() -> None:
    cache = DecisionCache(max_entries=2, ttl_seconds=30)
    cache.put("a", True)
    cache.put("b", False)
    assert cache.get("a") is True  # a is now the most recent
    cache.put("c", True)
    assert len(cache) == 2
    assert cache.get("b") is None
    assert cache.get("a") is True
    assert cache.get("c") is True


def test_zero_entries_or_zero_ttl_remembers_nothing() -> None:
    for cache in (DecisionCache(max_entries=0, ttl_seconds=30), DecisionCache(max_entries=5, ttl_seconds=0)):
        cache.put("q", True)
        assert cache.get("q") is None


def test_a_policy_change_on_disk_forgets_every_answer(tmp_path: Path) -> None:
    policy = tmp_path / "resource" / "thing.yaml"
    policy.parent.mkdir()
    policy.write_text("a: 1\n")
    clock = Clock()
    cache = DecisionCache(max_entries=10, ttl_seconds=300, policy_folder=tmp_path, clock=clock)
    cache.put("q", True)
    policy.write_text("a: 22\n")
    assert cache.get("q") is True  # looked at no more than once per POLICY_CHECK_SECONDS
    clock.now += POLICY_CHECK_SECONDS
    assert cache.get("q") is None
    cache.put("q", False)
    clock.now += POLICY_CHECK_SECONDS
    assert cache.get("q") is False  # unchanged since: kept
    (tmp_path / "resource" / "other.yaml").write_text("b: 1\n")
    os.utime(policy)
    clock.now += POLICY_CHECK_SECONDS
    assert cache.get("q") is None


def test_keys_are_the_attribute_values_not_their_containers() -> None:
    assert frozen({"b": ["x", "y"], "a": "1"}) == frozen({"a": "1", "b": ("x", "y")})
    assert frozen({"a": ["x"]}) != frozen({"a": ["y"]})


def test_no_policy_reads_the_time_or_the_resource_id() -> None:
    """What makes a decision a pure function of the key: a policy reading either would need them in the key."""
    readers = re.compile(r"\bnow\s*\(|timestamp\s*\(|request\.resource\.id\b|\bR\.id\b|runtime\.")
    for path in sorted(POLICIES.glob("*/*.yaml")):
        if path.parent.name == "tests":
            continue
        found = readers.findall(path.read_text())
        assert not found, f"{path.name} reads {found}: add what it reads to the decision key"


async def test_remembered_answers_follow_the_roles_of_the_request(client: httpx.AsyncClient) -> None:
    admin = await account(client)
    org = await organization(client, admin, "Decisions HOA")
    resource = Resource("organization", org["id"], {"organization_id": org["id"]})
    rt = runtime.current()
    async with rt.database.transaction(organization_id=uuid.UUID(org["id"]), user_id=admin.user_id) as session:

        def as_roles(*roles: str) -> RequestContext:
            return scoped_context(
                session, procedure="test", principal=Principal(user_id=admin.user_id, session_id="s"),
                organization_id=uuid.UUID(org["id"]), organization_slug=org["slug"], roles=frozenset(roles),
                authorizer=rt.authorizer,
            )  # fmt: skip

        hits = rt.authorizer.cache.hits
        assert await allows(as_roles("ADMIN"), "update", resource)
        assert await allows(as_roles("ADMIN"), "update", resource)
        assert rt.authorizer.cache.hits == hits + 1
        assert not await allows(as_roles("TENANT"), "update", resource)
        assert await allows(as_roles("ADMIN"), "update", resource)


async def test_a_demoted_member_is_refused_at_once(client: httpx.AsyncClient) -> None:
    admin = await account(client)
    org = await organization(client, admin, "Demotion HOA")
    person = await member_account(client, admin, org["id"], ["MANAGER"])

    async def emails_listed() -> set[str]:
        return {m["email"] for m in (await ok(client, person, org["id"], "organization/v1/listMembers"))["items"]}

    assert await emails_listed() == {admin.email, person.email}  # a manager sees every membership
    assert await emails_listed() == {admin.email, person.email}  # (the query plan is now remembered)
    member_id = next(
        m["id"] for m in (await ok(client, admin, org["id"], "organization/v1/listMembers"))["items"]
        if m["email"] == person.email
    )  # fmt: skip
    await ok(client, admin, org["id"], "organization/v1/setMemberRoles", {"member_id": member_id, "roles": ["OWNER"]})
    await fails(client, person, org["id"], "organization/v1/listMembers", {}, 403, "FORBIDDEN")  # owners may not
    await ok(client, admin, org["id"], "organization/v1/setMemberRoles", {"member_id": member_id, "roles": ["MANAGER"]})
    assert await emails_listed() == {admin.email, person.email}
