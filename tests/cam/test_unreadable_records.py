"""A record the caller may not read answers exactly like an id that does not exist.

Owner A and owner B live in the same association. For every procedure of the API (walked from the registry, so
a new procedure is covered without touching this test) and every id field of its input, A sends the id of each
record A may not see (B's unit, party, ownership, reservation, work order, payment, B's tenant's lease,
the ledger's records, B's membership, a document for managers only, ...) and a random id, with the rest of the
body valid and pointing at A's own records. The two answers must be the same, ids aside: a FORBIDDEN for one and
NOT_FOUND for the other would tell A that B's record exists.
"""

from __future__ import annotations

import asyncio
import functools
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from hestami.app import domain_routers
from hestami.core.rpc.procedure import Procedure
from tests.cam.accounting.helpers import Books, books
from tests.support.accounts import Account, account, join, member_account, organization
from tests.support.contractors import contractor_profile
from tests.support.rpc import ok, post, suffix

ARC_REQUEST = {"category": "FENCE", "description": "A cedar fence along the back of the lot"}

pytestmark = pytest.mark.usefixtures("unthrottled")  # one user walks every procedure

Schema = dict[str, Any]
ELSEWHERE = str(uuid.uuid4())  # every other id field the caller has no record for: the same id in every call


@dataclass
class World:
    org: str
    a: Account
    visible: dict[str, str]  # id field name → a record of that kind owner A may see (A's own, or shared)
    hidden: dict[str, str]  # record kind → the id of one such record owner A may not see
    linked_provider: str  # a service provider organization linked to the association (links are hidden from A)


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    c = shared_client
    admin = await account(c)
    org = (await organization(c, admin, f"Hidden Records {suffix()}"))["id"]
    hoa = await books(c, admin, org)
    a, b, tenant = [await member_account(c, admin, org, [role]) for role in ("OWNER", "OWNER", "TENANT")]
    unit_a, unit_b = await hoa.unit(), await hoa.unit()
    party_a, party_b, party_t = [
        await hoa.ok("party/v1/create", {"party_type": "INDIVIDUAL", "last_name": name, "user_id": str(who.user_id)})
        for name, who in (("Able", a), ("Baker", b), ("Tate", tenant))
    ]
    for unit, party in ((unit_a, party_a), (unit_b, party_b)):
        ownership = await hoa.ok(
            "ownership/v1/create",
            {"unit_id": unit["id"], "party_id": party["id"], "percentage": "100", "start_date": "2020-01-01"},
        )
    tenancy = await hoa.ok(
        "tenancy/v1/create", {"unit_id": unit_b["id"], "party_id": party_t["id"], "start_date": "2021-01-01"}
    )
    area = await hoa.ok(
        "commonArea/v1/create",
        {"association_id": hoa.association_id, "name": "Pool", "area_type": "POOL", "reservable": True},
    )
    reservation = await ok(
        c, b, org, "commonArea/v1/reserve",
        {"common_area_id": area["id"], "unit_id": unit_b["id"], "starts_at": "2030-07-01T10:00:00Z",
         "ends_at": "2030-07-01T12:00:00Z"},
    )  # fmt: skip
    work_order = await ok(
        c, b, org, "workOrder/v1/create",
        {"association_id": hoa.association_id, "unit_id": unit_b["id"], "title": "Leak", "description": "Drip",
         "submit": True},
    )  # fmt: skip
    vtype = await hoa.ok(
        "violationType/v1/create",
        {"association_id": hoa.association_id, "code": "TRASH", "name": "Trash", "category": "MAINTENANCE"},
    )
    violation = await hoa.ok(
        "violation/v1/create",
        {"association_id": hoa.association_id, "unit_id": unit_b["id"], "violation_type_id": vtype["id"],
         "description": "Cans out", "observed_at": "2026-11-01T10:00:00Z"},
    )  # fmt: skip
    arc_request = await ok(
        c, b, org, "arc/request/v1/create",
        {**ARC_REQUEST, "association_id": hoa.association_id, "unit_id": unit_b["id"]},
    )  # fmt: skip
    arc_committee = await hoa.ok(
        "arc/committee/v1/create", {"association_id": hoa.association_id, "name": "Architectural Review", "quorum": 1}
    )
    requirement = await hoa.ok(
        "compliance/requirement/v1/create",
        {"association_id": hoa.association_id, "code": "ANNUAL_FILING", "title": "Annual filing",
         "kind": "STATUTORY_DEADLINE", "rrule": "FREQ=YEARLY", "anchor_date": "2020-03-31", "lead_days": 0},
    )  # fmt: skip
    through = f"{datetime.now(UTC).year + 1}-12-31"
    await hoa.ok("compliance/deadline/v1/generate", {"association_id": hoa.association_id, "through": through})
    deadline = (await hoa.ok("compliance/deadline/v1/list", {"requirement_id": requirement["id"]}))["items"][0]
    checklist = await hoa.ok(
        "compliance/checklist/v1/create",
        {"association_id": hoa.association_id, "title": "Filing", "items": [{"title": "File"}]},
    )
    dues = await hoa.dues()
    charge = await hoa.charge(dues["id"], unit_b["id"], "2026-01-01")
    payment = await hoa.pay(unit_b["id"], "50.00")
    vendor = await hoa.ok("vendor/v1/create", {"name": f"Mow Co {suffix()}", "w9_on_file": True})
    invoice = await hoa.ok(
        "accounting/apInvoice/v1/create",
        {"association_id": hoa.association_id, "vendor_id": vendor["id"], "invoice_number": f"I-{suffix()}",
         "invoice_date": "2026-02-01", "amount": "9.00",
         "lines": [{"gl_account_id": hoa.account_id("5300"), "description": "Mowing", "amount": "9.00"}]},
    )  # fmt: skip
    bank = await hoa.ok(
        "accounting/bankAccount/v1/create",
        {"association_id": hoa.association_id, "gl_account_id": hoa.account_id("1010"), "name": "Operating",
         "bank_name": "Bank", "account_last4": "4321"},
    )  # fmt: skip
    manager = await member_account(c, admin, org, ["MANAGER"])
    assignment = await hoa.ok(
        "managerAssignment/v1/create",
        {"association_id": hoa.association_id, "user_id": str(manager.user_id), "assignment_type": "COMMUNITY",
         "max_units": 10, "start_date": "2026-01-01"},
    )  # fmt: skip
    contract = await hoa.ok(
        "managementContract/v1/create",
        {"association_id": hoa.association_id, "management_company_name": "Summit", "start_date": "2026-01-01",
         "fee_basis": "FLAT_MONTHLY", "fee_amount": "100.00", "service_levels": []},
    )  # fmt: skip
    provider_admin = await account(c)
    provider_org = (await organization(c, provider_admin, f"Plumbing {suffix()}", "SERVICE_PROVIDER"))["id"]
    await contractor_profile(c, provider_admin, provider_org)
    link = await hoa.ok(
        "serviceProvider/v1/link",
        {"association_id": hoa.association_id, "provider_organization_id": provider_org, "provider_name": "Plumbing"},
    )
    rules = {
        "title": "Rules",
        "category": "RULES",
        "scope": {"type": "ASSOCIATION", "association_id": hoa.association_id},
    }
    managers_only = await hoa.ok("document/v1/upload", {**rules, "visibility": "MANAGERS"}, who=manager)
    for_owners = await hoa.ok("document/v1/upload", {**rules, "visibility": "OWNERS"}, who=manager)
    assert (await ok(c, a, org, "document/v1/get", {"id": for_owners["id"]}))["id"] == for_owners["id"]
    governance = await governance_records(hoa)
    draft_budget = {"association_id": hoa.association_id, "fiscal_year": datetime.now(UTC).year,
                    "lines": [{"gl_account_id": hoa.account_id("5300"), "annual": "1200.00"}]}  # fmt: skip
    budget = await hoa.ok("accounting/budget/v1/create", draft_budget)
    communications = await communication_records(hoa)
    bulletin = await bulletin_records(hoa)
    payments = await payment_records(c, org, (a, party_a["id"], unit_a["id"]), (b, party_b["id"], unit_b["id"]))
    owner_request = await ok(
        c, b, org, "portal/request/v1/create",
        {"association_id": hoa.association_id, "category": "MAINTENANCE", "subject": "Leak", "description": "Drip",
         "unit_id": unit_b["id"]},
    )  # fmt: skip
    members = await hoa.ok("organization/v1/listMembers", {"limit": 200})
    membership_b = next(m["id"] for m in members["items"] if m["user_id"] == str(b.user_id))
    await join(c, admin, org, await account(c), ["OWNER"])  # one more membership, to be sure A is not alone
    return World(
        org=org,
        a=a,
        visible={
            "association_id": hoa.association_id,
            "property_id": hoa.prop["id"],
            "unit_id": unit_a["id"],
            "party_id": party_a["id"],
            "common_area_id": area["id"],
            "assessment_type_id": dues["id"],
            "document_id": for_owners["id"],  # A owns a unit of the association: its documents for owners
            "violation_type_id": vtype["id"],  # the association's rules: every member reads them
            "payment_method_id": payments["mine"],  # A's own stored card
        },
        hidden={
            "unit": unit_b["id"],
            "party": party_b["id"],
            "ownership": ownership["id"],
            "tenancy": tenancy["id"],
            "reservation": reservation["id"],
            "work_order": work_order["id"],
            "violation": violation["id"],  # on B's unit
            "arc_request": arc_request["id"],  # B's request for B's unit
            "arc_committee": arc_committee["id"],  # committees are for management and the board
            "compliance_requirement": requirement["id"],  # compliance is for management and the board
            "compliance_deadline": deadline["id"],
            "compliance_checklist": checklist["id"],
            "payment": payment["id"],
            "journal_entry": charge["journal_entry_id"],
            "gl_account": hoa.account_id("1010"),
            "vendor": vendor["id"],
            "ap_invoice": invoice["id"],
            "bank_account": bank["id"],
            "manager_assignment": assignment["id"],
            "management_contract": contract["id"],
            "service_provider_link": link["id"],
            "membership": membership_b,
            "payment_method": payments["payment_method"],  # B's stored card
            "autopay_enrolment": payments["autopay_enrolment"],  # B's auto-pay of B's unit
            "document": managers_only["id"],
            "budget": budget["id"],  # a draft: owners see adopted budgets only
            "owner_request": owner_request["id"],  # B's request about B's unit
            **governance,
            **communications,
            **bulletin,
        },
        linked_provider=provider_org,
    )


async def governance_records(hoa: Books) -> dict[str, str]:
    """Governance records owner A may not see: a resolution proposed and a policy not adopted yet in A's association
    (owners see adopted ones); and in another association of the organization, where A owns nothing, its board, a
    seat, a meeting in session (on real days: scheduled far enough ahead for its notice) with an agenda item, a
    director's attendance and a motion open."""
    resolution = {"association_id": hoa.association_id, "title": "Paint", "body": "Resolved."}
    proposed = await hoa.ok("governance/resolution/v1/propose", resolution)
    pets = {**resolution, "kind": "POLICY", "policy_title": "Pets", "policy_body": "Two pets."}
    policy = (await hoa.ok("governance/resolution/v1/propose", pets))["policy_id"]
    elsewhere = (await hoa.ok("association/v1/create", {"name": f"Elsewhere {suffix()}"}))["id"]
    body = {"association_id": elsewhere, "name": "Board of Directors", "seat_count": 3}
    board = (await hoa.ok("governance/board/v1/create", body))["id"]
    seat = {"board_id": board, "position": "PRESIDENT", "holder_name": "Pat", "term_start": "2024-01-01"}
    seat_id = (await hoa.ok("governance/board/v1/fillSeat", seat))["id"]
    starts = (datetime.now(UTC) + timedelta(days=10)).isoformat()
    meeting = {"association_id": elsewhere, "kind": "BOARD", "title": "Board", "starts_at": starts,
               "agenda": [{"title": "Pool"}]}  # fmt: skip
    scheduled = await hoa.ok("governance/meeting/v1/schedule", meeting)
    for _ in range(300):
        if (await hoa.ok("governance/meeting/v1/get", {"id": scheduled["id"]}))["status"] == "NOTICED":
            break
        await asyncio.sleep(0.1)
    await hoa.ok("governance/meeting/v1/callToOrder", {"id": scheduled["id"]})
    present = {"meeting_id": scheduled["id"], "seat_id": seat_id}
    attendance = await hoa.ok("governance/meeting/v1/recordAttendance", present)
    motion = {"meeting_id": scheduled["id"], "kind": "MOTION", "question": "Adopt?"}
    vote = await hoa.ok("governance/vote/v1/open", motion)
    return {
        "resolution": proposed["id"],
        "governance_policy": policy,
        "board": board,
        "board_seat": seat_id,
        "meeting": scheduled["id"],
        "meeting_agenda_item": scheduled["agenda"][0]["id"],
        "meeting_attendance": attendance["id"],
        "vote": vote["id"],
    }


async def payment_records(
    c: httpx.AsyncClient, org: str, mine: tuple[Account, str, str], theirs: tuple[Account, str, str]
) -> dict[str, str]:
    """A's stored card; B's stored card paying B's unit's auto-pay (owner A may see neither of B's)."""
    cards = []
    for who, party, _ in (mine, theirs):
        body = {"party_id": party, "kind": "CARD", "token": f"tok_{uuid.uuid4().hex[:16]}", "last4": "4242",
                "brand": "VISA", "exp_month": 12, "exp_year": datetime.now(UTC).year + 3}  # fmt: skip
        cards.append((await ok(c, who, org, "portal/payment/v1/addMethod", body))["id"])
    b, _, unit_b = theirs
    enrol = {"unit_id": unit_b, "payment_method_id": cards[1], "day_of_month": 1}
    autopay = await ok(c, b, org, "portal/payment/v1/enrolAutopay", enrol)
    return {"mine": cards[0], "payment_method": cards[1], "autopay_enrolment": autopay["id"]}


async def bulletin_records(hoa: Books) -> dict[str, str]:
    """Bulletin records owner A may not see in A's association: a draft announcement and an event for the board."""
    notice = {"association_id": hoa.association_id, "title": "Draft", "body": "Not yet."}
    draft = await hoa.ok("communication/announcement/v1/create", notice)
    starts = datetime.now(UTC) + timedelta(days=3)
    event = {"association_id": hoa.association_id, "title": "Closed session", "event_type": "MEETING",
             "visibility": "BOARD", "starts_at": starts.isoformat(),
             "ends_at": (starts + timedelta(hours=1)).isoformat()}  # fmt: skip
    board_only = await hoa.ok("calendar/event/v1/create", event)
    return {"announcement": draft["id"], "calendar_event": board_only["id"]}


async def communication_records(hoa: Books) -> dict[str, str]:
    """Communications owner A may not see: a template and a draft mass communication of A's association."""
    body = {"name": f"Notice {suffix()}", "channel": "LETTER", "body": "Dear {{ recipient_name }}",
            "association_id": hoa.association_id}  # fmt: skip
    template = await hoa.ok("communication/template/v1/create", body)
    draft = {"association_id": hoa.association_id, "template_id": template["id"], "title": "Notice",
             "audience": {"kind": "ALL_OWNERS"}}  # fmt: skip
    mass = await hoa.ok("communication/mass/v1/create", draft)
    return {"communication_template": template["id"], "mass_communication": mass["id"]}


# --- bodies from the input schemas ----------------------------------------------------------------------------


def _resolve(schema: Schema, defs: Schema) -> Schema:
    while "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _is_uuid(schema: Schema, defs: Schema) -> bool:
    schema = _resolve(schema, defs)
    options = [_resolve(o, defs) for o in schema.get("anyOf", [schema])]
    return any(o.get("format") == "uuid" or _is_uuid_list(o, defs) for o in options)


def _is_uuid_list(schema: Schema, defs: Schema) -> bool:
    return schema.get("type") == "array" and _resolve(schema.get("items", {}), defs).get("format") == "uuid"


def _sample(schema: Schema, defs: Schema, name: str, visible: dict[str, str]) -> Any:
    """A valid value for `schema`: the caller's own record for a known id field, plain values otherwise."""
    schema = _resolve(schema, defs)
    if "anyOf" in schema:
        options = [_resolve(o, defs) for o in schema["anyOf"] if o.get("type") != "null"]
        if {o.get("type") for o in options} >= {"number", "string"}:
            return "1.00"  # money and percentages: decimal strings
        return _sample(options[0], defs, name, visible)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {
            field: _sample(sub, defs, field, visible)
            for field, sub in schema.get("properties", {}).items()
            if field in schema.get("required", ())
        }
    if kind == "array":
        return [_sample(schema.get("items", {}), defs, name, visible) for _ in range(max(schema.get("minItems", 0), 1))]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), int(schema.get("exclusiveMinimum", 0)) + 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    return {
        "uuid": visible.get(name, ELSEWHERE),
        "date": "2030-01-02",
        "date-time": "2030-01-02T10:00:00Z",
        "time": "10:00:00",
        "email": "someone@example.com",
    }.get(schema.get("format", ""), "Walker " + "x" * max(schema.get("minLength", 1) - 7, 0))


@functools.cache
def _id_fields(procedure: Procedure) -> tuple[Schema, Schema, list[str]]:
    """The procedure's input schema, its definitions and its id fields: made once per procedure, as the walk asks
    for them on every call (some thousand) and building a JSON schema is dear."""
    schema = procedure.input_model.model_json_schema()
    defs = schema.get("$defs", {})
    return schema, defs, [f for f, sub in schema.get("properties", {}).items() if _is_uuid(sub, defs)]


def _walked() -> list[Procedure]:
    return [
        p
        for router in domain_routers()
        for p in router.procedures
        if p.authenticated and p.org_scoped and _id_fields(p)[2]
    ]


# --- one answer, ids aside ------------------------------------------------------------------------------------


def _answer(procedure: Procedure, response: httpx.Response, record_id: str) -> tuple[int, str]:
    """What the caller learns: the status and the error (or, for a query, the data), with the id sent blanked."""
    body = response.json()
    shown: Any = body["error"] if not body["ok"] else (body["data"] if not procedure.mutates else "ok")
    return response.status_code, json.dumps(shown, sort_keys=True).replace(record_id, "<id>")


async def _ask(
    client: httpx.AsyncClient, world: World, procedure: Procedure, field: str, record_id: str
) -> httpx.Response:
    schema, defs, _ = _id_fields(procedure)
    body = _sample(schema, defs, "", world.visible)
    target = _resolve(schema["properties"][field], defs)
    listed = any(_is_uuid_list(_resolve(o, defs), defs) for o in target.get("anyOf", [target]))
    body[field] = [record_id] if listed else record_id
    return await post(client, world.a, world.org, procedure.path, body)


def _suspects(world: World, response: httpx.Response, random_id: str) -> dict[str, str]:
    """The hidden records worth sending in a field: when a random id in it is NOT_FOUND as a `kind`, the field is
    looked up as that kind (any other kind's id is simply not in that table); otherwise every hidden record."""
    error = response.json().get("error") or {}
    if error.get("code") == "NOT_FOUND" and (error.get("details") or {}).get("id") == random_id:
        kind = error["details"].get("kind")
        return {kind: world.hidden[kind]} if kind in world.hidden else {}
    return world.hidden


@dataclass
class Walked:
    differences: list[str]
    reached: list[str]  # kinds of hidden records this field looked up (NOT_FOUND naming the record's own id)


async def _walk(client: httpx.AsyncClient, world: World, procedure: Procedure, field: str) -> Walked:
    random_id = str(uuid.uuid4())
    first = await _ask(client, world, procedure, field, random_id)
    baseline = _answer(procedure, first, random_id)
    walked = Walked([], [])
    for kind, record_id in _suspects(world, first, random_id).items():
        response = await _ask(client, world, procedure, field, record_id)
        if _answer(procedure, response, record_id) != baseline:
            walked.differences.append(f"{procedure.path} {field}={kind}: {response.text[:300]} vs {baseline}")
        error = response.json().get("error") or {}
        if error.get("code") == "NOT_FOUND" and error["details"].get("id") == record_id:
            walked.reached.append(kind)
    return walked


async def test_an_unreadable_record_answers_like_a_random_id_everywhere(
    shared_client: httpx.AsyncClient, world: World
) -> None:
    lanes = asyncio.Semaphore(6)  # a few procedures at a time: the walk is some thousand calls

    async def walk(procedure: Procedure, field: str) -> Walked:
        async with lanes:
            return await _walk(shared_client, world, procedure, field)

    walks = await asyncio.gather(*(walk(p, f) for p in _walked() for f in _id_fields(p)[2]))
    differences = [d for w in walks for d in w.differences]
    assert differences == [], "\n".join(differences)
    reached = {kind for w in walks for kind in w.reached}
    unreached = sorted(set(world.hidden) - reached)
    assert unreached == [], f"no procedure looked these records up, so the walk proves nothing about them: {unreached}"


async def test_a_provider_linked_out_of_sight_answers_like_one_never_linked(
    shared_client: httpx.AsyncClient, world: World
) -> None:
    """Organization ids are not records of the association, but its link to a provider is: an owner may not tell a
    linked provider from any other organization (its compliance is the association's management's to read)."""
    path = "serviceProvider/v1/getCompliance"
    answers = []
    for org_id in (world.linked_provider, ELSEWHERE):
        body = {"association_id": world.visible["association_id"], "provider_organization_id": org_id}
        response = await post(shared_client, world.a, world.org, path, body)
        answers.append((response.status_code, json.dumps(response.json()["error"]).replace(org_id, "<id>")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 422
