"""Across organizations: another organization's owner and admin reach none of this one's payment methods, auto-pay
enrolments or gateway records (NOT_FOUND on every procedure taking their ids, exactly as for a random id), cannot
use this organization's parties and units, and list nothing of it; row-level security shows the app role scoped
to the other organization none of these rows."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import httpx
import pytest

from tests.cam.association.helpers import own, person
from tests.cam.portal_payments.helpers import Community, P, bank, card, community, rows
from tests.support.accounts import Account, join
from tests.support.rpc import post

TABLES = ("payment_methods", "autopay_enrolments", "payment_gateway_records")


@dataclass
class World:
    home: Community
    away: Community
    method: str  # Olive's card at home, paying her unit's auto-pay
    enrolment: str


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    home, away = await community(shared_client, "Home"), await community(shared_client, "Away")
    method = await home.card(home.olive)
    enrolment = await home.enrol(home.olive, method["id"])
    await away.enrol(away.olive, (await away.bank(away.olive))["id"])
    return World(home, away, method["id"], enrolment["id"])


def answer(response: httpx.Response, record_id: str) -> tuple[int, str]:
    """Status and error, with the id sent blanked: what the caller learns."""
    return response.status_code, json.dumps(response.json()["error"], sort_keys=True).replace(record_id, "<id>")


async def same_as_random(w: World, who: Account, name: str, body: dict, field: str, record_id: str) -> None:
    random_id = str(uuid.uuid4())
    theirs = await post(w.away.client, who, w.away.org, P + name, {**body, field: record_id})
    random = await post(w.away.client, who, w.away.org, P + name, {**body, field: random_id})
    assert theirs.status_code == 404, theirs.text
    assert answer(theirs, record_id) == answer(random, random_id)


@pytest.mark.parametrize("who", ["owner", "admin"])
async def test_this_organizations_records_answer_like_random_ids(world: World, who: str) -> None:
    w = world
    caller = w.away.olive.who if who == "owner" else w.away.hoa.admin
    mine = (await w.away.card(w.away.olive))["id"]
    await same_as_random(w, caller, "setDefaultMethod", {}, "id", w.method)
    await same_as_random(w, caller, "removeMethod", {}, "id", w.method)
    await same_as_random(w, caller, "cancelAutopay", {}, "id", w.enrolment)
    enrol = {"unit_id": w.away.olive.unit, "payment_method_id": mine, "day_of_month": 2}
    await same_as_random(w, caller, "enrolAutopay", enrol, "payment_method_id", w.method)
    await same_as_random(w, caller, "enrolAutopay", enrol, "unit_id", w.home.olive.unit)
    for name in ("getAutopay", "history", "balance"):
        await same_as_random(w, caller, name, {}, "unit_id", w.home.olive.unit)
    await same_as_random(w, caller, "addMethod", card(w.away.olive.party), "party_id", w.home.olive.party)
    await same_as_random(w, caller, "gatewayRecords", {}, "association_id", w.home.association_id)
    await same_as_random(w, caller, "listAutopay", {}, "association_id", w.home.association_id)


async def test_lists_show_nothing_of_another_organization(world: World) -> None:
    w = world
    for who in (w.away.olive.who, w.away.hoa.admin, w.away.manager):
        methods = await w.away.ok(who, "listMethods", {"party_id": w.home.olive.party, "limit": 200})
        assert methods["items"] == []
        enrolments = await w.away.ok(who, "listAutopay", {"unit_id": w.home.olive.unit, "limit": 200})
        assert enrolments["items"] == []
        records = await w.away.ok(who, "gatewayRecords", {"unit_id": w.home.olive.unit, "limit": 200})
        assert records["items"] == []
    everything = str(await w.away.ok(w.away.hoa.admin, "gatewayRecords", {"limit": 200}))
    assert w.method not in everything
    assert w.enrolment not in everything


async def test_row_level_security_hides_every_payment_table(world: World) -> None:
    w = world
    for table in TABLES:
        assert (await rows(w.home.org, f"SELECT count(*) > 0 FROM {table}"))[0][0] is True, table
        leaked = await rows(w.away.org, f"SELECT count(*) FROM {table} WHERE organization_id = :o", o=w.home.org)
        assert leaked == [(0,)], table


async def test_a_method_of_another_organization_cannot_pay_here_even_for_the_same_person(
    shared_client: httpx.AsyncClient,
) -> None:
    """The same account owning in two organizations keeps two sets of methods: each organization's only there."""
    w = await community(shared_client, "Twin")
    other = await community(shared_client, "Twin other")
    await join(other.client, other.hoa.admin, other.org, w.olive.who, ["OWNER"])
    party = await person(other.client, other.hoa.admin, other.org, "Olive", "Twin", w.olive.who)
    unit = (await other.hoa.unit())["id"]
    await own(other.client, other.hoa.admin, other.org, unit, party["id"])
    here = await w.ok(w.olive.who, "addMethod", bank(w.olive.party))
    body = {"unit_id": unit, "payment_method_id": here["id"], "day_of_month": 4}
    error = await other.fails(w.olive.who, "enrolAutopay", body, 404, "NOT_FOUND")
    assert error["details"] == {"kind": "payment_method", "id": here["id"]}
    assert (await other.ok(w.olive.who, "listMethods", {}))["items"] == []
