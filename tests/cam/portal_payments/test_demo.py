"""The demo's payment settings: after the identity, association and accounting seeders, Olivia Owner (owner@) at
Sunset Ridge has a Visa card (her default) and a checking account, unit 14 is on auto-pay from the checking account
(the manager sees it, without tokens), the gateway's records show the calls that made it, and her history and
balance read from the demo books; a second run adds nothing."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx

from hestami.cam.accounting.demo import seed_accounting
from hestami.cam.association.demo import seed_associations
from hestami.cam.portal.payments.demo import seed_portal_payments
from hestami.core import runtime
from hestami.identity.demo import seed_identity
from tests.support.accounts import Account
from tests.support.demo import demo_login
from tests.support.rpc import ok

P = "portal/payment/v1/"


async def test_olivia_pays_unit_14_by_auto_pay_from_her_checking_account(shared_client: httpx.AsyncClient) -> None:
    run = runtime.current()
    for seed in (seed_identity, seed_associations, seed_accounting):
        await seed(run)
    first, again = await seed_portal_payments(run), await seed_portal_payments(run)
    assert "stored 2 methods" in first[1] or "already loaded" in first[1], first
    assert "already loaded" in again[1], again

    olivia, orgs = await demo_login(shared_client, "owner")
    org = orgs["sunset-ridge-hoa"]

    async def call(who: Account, name: str, body: dict[str, Any]) -> Any:
        return await ok(shared_client, who, org, P + name, body)

    methods = (await call(olivia, "listMethods", {}))["items"]
    assert sorted((m["kind"], m["label"], m["is_default"]) for m in methods) == [
        ("ACH", "Household checking", False),
        ("CARD", "Visa for HOA dues", True),
    ]
    mine = (await call(olivia, "listAutopay", {}))["items"]
    assert len(mine) == 1
    enrolment = mine[0]
    assert (enrolment["unit_number"], enrolment["status"], enrolment["day_of_month"], enrolment["max_amount"]) == (
        "14", "ACTIVE", 1, "500.00",
    )  # fmt: skip
    assert enrolment["method"]["label"] == "Household checking"

    manager, _ = await demo_login(shared_client, "manager")
    listed = await call(manager, "listAutopay", {"association_id": enrolment["association_id"]})
    assert enrolment["id"] in {e["id"] for e in listed["items"]}
    assert "pm_rec_" not in str(listed)
    calls = await call(manager, "gatewayRecords", {"unit_id": enrolment["unit_id"]})
    assert [c["operation"] for c in calls["items"]] == ["ENROL_AUTOPAY"]
    everything = (await call(manager, "gatewayRecords", {"limit": 200}))["items"]
    theirs = Counter(c["operation"] for c in everything if c["user_id"] == olivia.user_id)
    assert theirs == Counter({"TOKENIZE": 2, "ENROL_AUTOPAY": 1})

    balance = await call(olivia, "balance", {"unit_id": enrolment["unit_id"]})
    assert balance["next_autopay_on"] == enrolment["next_charge_on"]
    history = await call(olivia, "history", {"unit_id": enrolment["unit_id"], "limit": 200})
    assert history["unit_number"] == "14"
