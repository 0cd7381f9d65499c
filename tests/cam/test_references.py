"""Every reference in every procedure's input is checked (issue 11, defect 1).

The procedures come from the registry, not from a list: each one whose input has a field named `*_id` or
`*_ids` (nested too, e.g. `lines[].unit_id`) is called once per such field with

(a) another tenant's id of the field's kind (organization B's unit for a `unit_id`),
(b) a random uuid,
(c) where the procedure names more than one record of one association, the same kind's record of the other
    association of the same organization (A2's unit in a body whose other references are A1's),

with the rest of the body valid. Each must be refused because of the reference (NOT_FOUND, or
BUSINESS_RULE_VIOLATION with a reference reason such as WRONG_ASSOCIATION, or VALIDATION_FAILED naming the
field), never 200 and never 500, (a) exactly like (b) (no answer tells that another tenant's id exists), and
nothing of the organizations involved may change (row counts and last change of every tenant table, the audit
trail included). In a list (a query answering `items`) an id is a filter: there it may also answer 200 with no
items. Last, the valid body itself is sent and must be accepted, which proves the refusals were about the
references.

An `id` inside a nested object (e.g. a document's `scope.id`) is a reference too; its kind is never told by its
name, so it must be named in `FIELD_KIND_IN` or in the `kinds` of an `Override`. A procedure that takes one of
several bodies (a new document or a new version of one) is walked once per form (`FORMS`), each form leaving out
the fields another form walks; together the forms walk every reference.

A new procedure is covered without editing this file as long as its `*_id` fields name a kind `FIELD_KINDS`
knows and the generic body builder can make a valid body (else it fails, naming what to add: a kind, a sample
value or an entry in `OVERRIDES`).
"""

from __future__ import annotations

import asyncio
import base64
import functools
import io
import itertools
import secrets
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import TextClause, text

from hestami.app import build_registry, domain_routers
from hestami.core import runtime
from hestami.core.rpc.procedure import Procedure
from tests.support.accounts import Account, account, add_member, join, organization
from tests.support.contractors import contractor_profile
from tests.support.rpc import SAMPLE_PDF, Body, ok, post, suffix

pytestmark = pytest.mark.usefixtures("unthrottled")  # one user walks every procedure

Schema = dict[str, Any]
Path = tuple[str | int, ...]

# --- what each id field refers to ------------------------------------------------------------------------

FIELD_KINDS: dict[str, str | None] = {
    "association_id": "association",
    "property_id": "property",
    "unit_id": "unit",
    "unit_ids": "unit",
    "common_area_id": "common_area",
    "party_id": "party",
    "user_id": "user",
    "member_id": "member",
    "invitation_id": "invitation",
    "gl_account_id": "expense_account",
    "parent_id": "expense_account",
    "revenue_account_id": "revenue_account",
    "assessment_type_id": "assessment_type",
    "bank_account_id": "bank_account",
    "vendor_id": "vendor",
    "asset_id": "asset",
    "work_order_id": "work_order",
    "bid_id": "bid",
    "provider_organization_id": "provider",
    "provider_organization_ids": "provider",
    "service_provider_org_id": "provider",
    "management_organization_id": "management_company",
    "entity_id": "work_order",
    "document_id": "document",
    "attachment_id": "attachment",  # a work order's attachment: a document filed under that work order
    "evidence_id": None,  # a violation's evidence: read only among that violation's rows (else NOT_FOUND)
    "fine_id": None,  # a violation's fine: read only among that violation's rows (else NOT_FOUND)
    "violation_type_id": "violation_type",
    "violation_id": "violation",
    "arc_request_id": "arc_request",
    "reserve_component_id": "reserve_component",
    "committee_id": "arc_committee",
    "request_id": "arc_request",
    "expense_account_id": "reserve_expense_account",  # a reserve component's: an expense account of the RESERVE fund
    "study_id": "reserve_study",
    "requirement_id": "compliance_requirement",
    "deadline_id": "compliance_deadline",
    "evidence_document_id": "document",  # a compliance record's evidence: a document of the same association
    "evidence_document_ids": "document",
    "assignee_user_id": "user",  # a checklist item's assignee: a member of the organization
    "item_id": "stock_item",  # the inventory: an item stocked by the caller's contractor (provider P)
    "tax_id": None,  # a tax identification number (EIN/SSN), not a reference
    "board_id": "board",  # governance: the association's board of directors (a committee where OVERRIDES say so)
    "seat_id": "seat",  # a current seat of the board, its holder absent from the meeting in session
    "meeting_id": "meeting",  # a board meeting in session with quorum
    "minutes_of_meeting_id": "minuted_meeting",  # an earlier meeting of the same board, with draft minutes
    "vote_id": "vote",  # a motion open at the meeting in session
    "resolution_id": "resolution",  # a resolution proposed, not put to a vote yet
    "supersedes_id": "adopted_resolution",  # a resolution in force
    "policy_id": "governance_policy",
    "budget_id": "budget",  # budgets: a DRAFT operating budget of the association (adopted where OVERRIDES say)
    "copy_from_id": "budget",  # a budget a new one starts from: of the same association and fund
    "template_id": "communication_template",  # a live template of the association (or the whole organization's)
    "party_ids": "party",  # a mass communication's custom audience
    "payment_method_id": "payment_method",  # portal payments: one of the caller's own stored methods
    "method_id": "payment_method",  # portal payments: paying now with one of the caller's own stored methods
    "invoice_ids": "ap_invoice",  # a payment batch's invoices: APPROVED ones of the association (W-9 on file)
    "schedule_id": "report_schedule",  # reporting: a monthly balance-sheet schedule of the association (a filter)
    "certificate_document_id": "document",  # an insurance policy's certificate (a document of the caller: OVERRIDES)
    "technician_id": "technician",  # the workforce: a technician of the caller's contractor (provider P)
    "branch_id": "contractor_branch",  # a branch of the caller's contractor
    "certification_id": None,  # a technician's certification: read only among that technician's rows
    "time_off_id": None,  # a technician's time off: read only among that technician's rows
    "category_id": "pricebook_category",  # the pricebook: a category of the caller's contractor (provider P)
    "parent_category_id": "pricebook_category",
    "version_id": "pricebook_version",  # a DRAFT pricebook version of the caller's contractor
    "customer_id": "customer",  # jobs: a customer of the caller's contractor (provider P)
    "job_id": "job",  # an open job of the caller's contractor
    "invoice_id": "contractor_invoice",  # invoices: a DRAFT invoice of the caller's contractor (ISSUED: OVERRIDES)
    "visit_id": "job_visit",  # dispatch: an open visit of an open job of the caller's contractor (provider P)
    "assignment_id": "dispatch_assignment",  # an ASSIGNED assignment of the caller's contractor
    "plan_id": "route_plan",  # a PROPOSED route plan of the caller's contractor
    "technician_ids": "technician",  # route optimization's technicians
    "estimate_id": "estimate",  # estimates: a DRAFT estimate of the caller's contractor (provider P)
    "proposal_id": "estimate_proposal",  # a SENT estimate's proposal addressed to organization A
    "option_id": None,  # an estimate's option: read only among that estimate's (or proposal's) options
    "step_id": "field_step",  # field work: a checklist step of a visit assigned in the caller's contractor
    "client_action_id": None,  # an offline action's id, made by the device (not a record)
    "location_id": "stock_location",  # the inventory: a warehouse of the caller's contractor holding the item
    "from_location_id": "stock_location",
    "to_location_id": "stock_destination",  # another location of the caller's contractor
    "supplier_id": "supplier",  # procurement: a supplier of the caller's contractor, selling the stocked item
    "purchase_order_id": "purchase_order",  # a DRAFT purchase order of the caller's contractor (SENT: OVERRIDES)
    "line_id": "purchase_order_line",  # a line of the SENT purchase order (another order's: LINE_NOT_ON_ORDER)
    "vendor_organization_id": "provider",  # a supplier on the platform: a SERVICE_PROVIDER organization
    "agreement_id": "maintenance_agreement",  # a DRAFT maintenance agreement of the caller's contractor
    "job_template_id": "job_template",  # an agreement's visits' template: of the caller's ACTIVE pricebook
}
"""Field name → the kind of record it names (None: named like an id, but not a reference)."""

FIELD_KIND_IN: dict[tuple[str, str], str | None] = {
    ("accounting/bankAccount/v1/create", "gl_account_id"): "cash_account",
    # a filter on the record a document is filed under (a unit, a property, a work order... as `scope_type`
    # says), never loaded: another association's or tenant's id just lists nothing; walked as a unit's filter
    ("document/v1/list", "scope_id"): "unit",
    # an offline batch answers each action's refusal in its items (200), so its actions' ids are not walked
    ("fieldTech/v1/sync", "actions[].job_id"): None,
    ("fieldTech/v1/sync", "actions[].visit_id"): None,
    # a checklist's item: read only among that checklist's items (else NOT_FOUND)
    ("compliance/checklist/v1/completeItem", "item_id"): None,
}
"""Where one procedure's field (by its label, e.g. `lines[].unit_id`) needs a particular record of the kind (a bank
account is opened on a cash account), or names a kind its name does not tell."""

TARGET_KINDS: dict[str, str] = {
    "accounting/apInvoice": "ap_invoice",
    "accounting/glAccount": "gl_account",
    "workOrder": "work_order",
    "party": "party",
    "document": "document",
    "violation": "violation",
    "violationType": "violation_type",
    "arc/request": "arc_request",
    "arc/committee": "arc_committee",
    "reserve/component": "reserve_component",
    "reserve/study": "reserve_study",
    "compliance/requirement": "compliance_requirement",
    "compliance/deadline": "compliance_deadline",
    "compliance/checklist": "compliance_checklist",
    "governance/board": "board",
    "governance/meeting": "meeting",
    "governance/vote": "vote",
    "governance/resolution": "resolution",
    "accounting/budget": "budget",
    "communication/template": "communication_template",
    "communication/mass": "mass_communication",
    "calendar/event": "calendar_event",
    "technician": "technician",
    "job": "job",
    "inventory": "stock_location",
    "procurement": "supplier",
    "maintenance": "maintenance_agreement",
}
"""Namespace → the kind of the record `id` names, for procedures whose input also has references."""

ASSOCIATION_BOUND = frozenset(
    {
        "association", "property", "unit", "common_area", "expense_account", "cash_account", "revenue_account",
        "gl_account", "assessment_type", "bank_account", "asset", "work_order", "bid", "ap_invoice", "document",
        "attachment", "violation_type", "violation", "arc_committee", "arc_request", "arc_document",
        "reserve_expense_account", "reserve_component", "reserve_study", "compliance_requirement",
        "compliance_deadline", "compliance_checklist", "board", "committee", "seat", "meeting", "minuted_meeting",
        "upcoming_meeting", "annual_meeting", "vote", "ballot_vote", "resolution", "adopted_resolution",
        "governance_policy", "voter_unit",
        "budget",  # an association's budget (accounting/budget)
        "communication_template", "mass_communication",  # communications: the association's template, a draft
        "calendar_event",  # the bulletin: an event of the association
        "report_schedule",  # reporting: a schedule of one of the association's reports
    }
)  # fmt: skip
"""Kinds that belong to one association (parties, vendors, users and organizations belong to the tenant)."""

REFERENCE_REASONS = frozenset(
    {
        "WRONG_ASSOCIATION", "NOT_A_CASH_ACCOUNT", "NOT_AN_EXPENSE_ACCOUNT", "PROVIDER_NOT_LINKED", "NOT_A_MANAGER",
        "NOT_A_MEMBER", "NOT_A_VOTER", "LINE_NOT_ON_ORDER", "WORK_ORDER_MISMATCH",
    }
)  # fmt: skip
"""`details.reason` of a BUSINESS_RULE_VIOLATION that refuses a reference (NOT_A_MEMBER: a user who is not a member
of the organization; NOT_A_VOTER: a seat of another board, a unit not on the meeting's voter list;
LINE_NOT_ON_ORDER: a line of another purchase order; WORK_ORDER_MISMATCH: an agreement's work order of another
association than its own)."""

SKIPPED_TABLES = frozenset({"idempotency_keys", "outbound_messages"})
"""Not written by the request under test: its stored answer for replays, and the notices the work orders'
lifecycle workflows send in the background."""


def ref_kind(procedure: Procedure, ref: RefField, override: Override | None = None) -> str | None:
    if override is not None and ref.label in override.kinds:
        return override.kinds[ref.label]
    if (procedure.path, ref.label) in FIELD_KIND_IN:
        return FIELD_KIND_IN[(procedure.path, ref.label)]
    if ref.name not in FIELD_KINDS:
        raise AssertionError(
            f"{procedure.path}: the input field {ref.label!r} looks like a reference but FIELD_KINDS does not say "
            "what it refers to; add it (or map it to None if it is not a reference; a nested `id` goes in "
            "FIELD_KIND_IN, or in the `kinds` of the procedure's OVERRIDES or FORMS when its body tells)."
        )
    return FIELD_KINDS[ref.name]


def is_reference(name: str, prefix: Path = ()) -> bool:
    """`*_id` and `*_ids` anywhere, and `id` inside a nested object (a top-level `id` is the procedure's target)."""
    return name.endswith(("_id", "_ids")) or (name == "id" and bool(prefix))


# --- input schemas ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefField:
    path: Path
    name: str

    @property
    def many(self) -> bool:
        return self.name.endswith("_ids")

    @property
    def label(self) -> str:
        return ".".join("[]" if isinstance(step, int) else step for step in self.path).replace(".[]", "[]")


@functools.cache
def input_schema(procedure: Procedure) -> tuple[Schema, Schema]:
    """The procedure's input schema and its definitions, made once per procedure (asked for again and again)."""
    schema = procedure.input_model.model_json_schema(mode="validation")
    return schema, schema.get("$defs", {})


def resolve(schema: Schema, defs: Schema) -> Schema:
    while "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def variants(schema: Schema, defs: Schema) -> list[Schema]:
    """The non-null alternatives of a schema (`X | None` is `anyOf: [X, null]`)."""
    schema = resolve(schema, defs)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return [v for option in schema[key] for v in variants(option, defs) if v.get("type") != "null"]
    return [schema]


def nested(schema: Schema, defs: Schema) -> tuple[Schema | None, bool]:
    """The object schema inside a property (directly or as array items), and whether it is an array's."""
    for option in variants(schema, defs):
        if "properties" in option:
            return option, False
        if option.get("type") == "array" and "items" in option:
            items = variants(option["items"], defs)[0]
            if "properties" in items:
                return items, True
    return None, False


def ref_fields(schema: Schema, defs: Schema, prefix: Path = ()) -> list[RefField]:
    found = []
    for name, prop in schema.get("properties", {}).items():
        if is_reference(name, prefix):
            found.append(RefField((*prefix, name), name))
            continue
        inner, is_list = nested(prop, defs)
        if inner is not None:
            found += ref_fields(inner, defs, (*prefix, name, 0) if is_list else (*prefix, name))
    return found


def references_of(procedure: Procedure, override: Override | None = None) -> list[RefField]:
    """The references a body of the procedure names (of the form `override` makes, leaving out what it omits)."""
    schema, defs = input_schema(procedure)
    omitted = override.omit if override is not None else frozenset()
    return [
        f for f in ref_fields(schema, defs) if f.path[0] not in omitted and ref_kind(procedure, f, override) is not None
    ]


def has_id_field(schema: Schema, defs: Schema) -> bool:
    return bool(ref_fields(schema, defs))


def names_a_record(procedure: Procedure) -> bool:
    """Whether the input has an id field that is (or may be: unknown to FIELD_KINDS) a reference."""
    known = FIELD_KINDS | {name: kind for (path, name), kind in FIELD_KIND_IN.items() if path == procedure.path}
    return any(known.get(f.label, known.get(f.name, "?")) is not None for f in ref_fields(*input_schema(procedure)))


REGISTRY = build_registry(domain_routers())
PROCEDURES = [p for p in REGISTRY if names_a_record(p)]


# --- the world -------------------------------------------------------------------------------------------

ADDRESS = {"line1": "1 Reference Row", "city": "Austin", "state": "TX", "postal_code": "78701"}


@dataclass(frozen=True)
class Caller:
    who: Account
    org: str | None


@dataclass
class World:
    client: httpx.AsyncClient
    manager: Caller  # ADMIN of organization A (a management company with associations A1 and A2)
    other: Caller  # ADMIN of organization B (another tenant, with association B1)
    provider: Caller  # ADMIN and VENDOR of provider P (linked to A1, A2 and B1)
    invitee: Caller  # the provider's account without an organization (for its invitations)
    refs: dict[str, dict[str, str]] = field(default_factory=dict)  # kind → {"A1", "A2", "B"} → id
    special: dict[str, str] = field(default_factory=dict)  # records in a given state, for OVERRIDES

    def caller(self, name: str) -> Caller:
        return {"manager": self.manager, "provider": self.provider, "invitee": self.invitee}[name]

    def orgs(self) -> list[str]:
        return [str(c.org) for c in (self.manager, self.other, self.provider)]


async def call(w: World, c: Caller, path: str, body: Body) -> Any:
    return await ok(w.client, c.who, c.org, path, body)


async def association_records(w: World, c: Caller, label: str) -> dict[str, str]:
    """One association with one record of every association-bound kind."""
    aid = (await call(w, c, "association/v1/create", {"name": f"{label} {suffix()}"}))["id"]
    prop = await call(w, c, "property/v1/create", {"association_id": aid, "name": "Main", "address": ADDRESS})
    lot = await call(w, c, "unit/v1/create", {"property_id": prop["id"], "unit_number": "1", "unit_type": "CONDO"})
    area = await call(
        w, c, "commonArea/v1/create",
        {"association_id": aid, "property_id": prop["id"], "name": "Pool", "area_type": "POOL", "reservable": True},
    )  # fmt: skip
    chart = await call(w, c, "accounting/glAccount/v1/list", {"association_id": aid})
    role = {a["role"]: a["id"] for a in chart["items"] if a["role"]}
    dues = {"association_id": aid, "name": "Dues", "frequency": "MONTHLY", "amount": "100.00"}
    atype = await call(w, c, "accounting/assessment/v1/createType", dues)
    bank = await call(
        w, c, "accounting/bankAccount/v1/create",
        {"association_id": aid, "gl_account_id": role["CASH_OPERATING"], "name": "Operating", "bank_name": "Bank",
         "account_last4": "1234"},
    )  # fmt: skip
    asset = await call(
        w,
        c,
        "asset/v1/create",
        {"association_id": aid, "name": "Pump", "category": "POOL", "common_area_id": area["id"]},
    )
    order = await work_order(w, c, aid)
    rules = {"title": "Rules", "category": "RULES", "visibility": "MANAGERS"}
    document = await call(
        w, c, "document/v1/upload", {**rules, "scope": {"type": "ASSOCIATION", "association_id": aid}}
    )
    photo = {"id": order, "file_name": "leak.png", "content_type": "image/png", "content_base64": png()}
    attachment = await call(w, c, "workOrder/v1/addAttachment", photo)
    vtype = await call(
        w, c, "violationType/v1/create",
        {"association_id": aid, "code": "TRASH", "name": "Trash", "category": "MAINTENANCE", "fine_first": "25.00"},
    )  # fmt: skip
    violation = await call(
        w, c, "violation/v1/create",
        {"association_id": aid, "unit_id": lot["id"], "violation_type_id": vtype["id"], "description": "Cans out",
         "observed_at": "2026-11-01T10:00:00Z"},
    )  # fmt: skip
    committee = await call(
        w, c, "arc/committee/v1/create", {"association_id": aid, "name": "Architectural Review", "quorum": 1}
    )
    request, plan = await arc_request(w, c, aid, lot["id"], submit=True)
    component = await call(
        w, c, "reserve/component/v1/create",
        {"association_id": aid, "name": "Roof", "category": "ROOFING", "useful_life_years": 20,
         "remaining_life_years": 5, "replacement_cost": "100000.00", "expense_account_id": role["RESERVE_EXPENSE"]},
    )  # fmt: skip
    study = await call(
        w, c, "reserve/study/v1/create",
        {"association_id": aid, "study_date": "2026-01-01", "preparer": "Reserve Co", "level": "FULL",
         "inflation_rate": "0.03", "interest_rate": "0.01"},
    )  # fmt: skip
    requirement, deadline, checklist = await compliance_records(w, c, aid)
    governance = await governance_records(w, c, aid, prop["id"])
    budgets = {"budget": await budget_record(w, c, aid, role["REPAIRS_EXPENSE"])}
    communications = await communication_records(w, c, aid)
    bulletin = {"calendar_event": (await call(w, c, "calendar/event/v1/create", calendar_event(aid)))["id"]}
    packet = {"report": "balance_sheet", "parameters": {"association_id": aid}, "frequency": "MONTHLY"}
    reporting = {"report_schedule": (await call(w, c, "report/v1/schedule", packet))["id"]}
    return {
        **reporting,
        **governance,
        **budgets,
        **communications,
        **bulletin,
        "association": aid,
        "property": prop["id"],
        "unit": lot["id"],
        "common_area": area["id"],
        "expense_account": role["REPAIRS_EXPENSE"],
        "cash_account": role["CASH_OPERATING"],
        "revenue_account": role["ASSESSMENT_INCOME"],
        "assessment_type": atype["id"],
        "bank_account": bank["id"],
        "asset": asset["id"],
        "work_order": order,
        "document": document["id"],
        "attachment": attachment["id"],
        "violation_type": vtype["id"],
        "violation": violation["id"],
        "arc_committee": committee["id"],
        "arc_request": request,
        "arc_document": plan,  # a document filed with the ARC request (its next version goes there too)
        "reserve_expense_account": role["RESERVE_EXPENSE"],
        "reserve_component": component["id"],
        "reserve_study": study["id"],
        "compliance_requirement": requirement,
        "compliance_deadline": deadline,
        "compliance_checklist": checklist,
    }


def days_ahead(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def noticed(w: World, c: Caller, body: Body) -> str:
    """A meeting scheduled (`body`), once its lifecycle has sent the notice (at once: the default notice time)."""
    meeting: str = (await call(w, c, "governance/meeting/v1/schedule", body))["id"]
    deadline = asyncio.get_running_loop().time() + 30
    while (await call(w, c, "governance/meeting/v1/get", {"id": meeting}))["status"] != "NOTICED":
        assert asyncio.get_running_loop().time() < deadline, f"meeting {meeting} was never noticed"
        await asyncio.sleep(0.1)
    return meeting


async def governance_records(w: World, c: Caller, association_id: str, property_id: str) -> dict[str, str]:
    """A board of directors (5 seats: four held by name, one free), a committee, a unit with an owner of record,
    and meetings on real days (far enough ahead for the notice periods): one held with draft minutes, one in
    session with three directors present (quorum) where a resolution was adopted and a motion is open, one upcoming,
    an owners' meeting in session with a ballot open; a resolution proposed and a policy (proposed)."""
    aid = association_id
    voter = await call(w, c, "unit/v1/create", {"property_id": property_id, "unit_number": "G1", "unit_type": "CONDO"})
    owner = await call(w, c, "party/v1/create", {"party_type": "INDIVIDUAL", "last_name": "Voter"})
    held = {"unit_id": voter["id"], "party_id": owner["id"], "percentage": "100", "start_date": "2020-01-01"}
    await call(w, c, "ownership/v1/create", held)
    body = {"association_id": aid, "name": "Board of Directors", "seat_count": 5}
    board = (await call(w, c, "governance/board/v1/create", body))["id"]
    seats = {}
    for position, holder in (
        ("PRESIDENT", "Pat"),
        ("TREASURER", "Quinn"),
        ("SECRETARY", "Sam"),
        ("VICE_PRESIDENT", "Val"),
    ):
        seat = {"board_id": board, "position": position, "holder_name": holder, "term_start": "2024-01-01"}
        seats[position] = (await call(w, c, "governance/board/v1/fillSeat", seat))["id"]
    body = {"association_id": aid, "kind": "COMMITTEE", "name": "Architecture", "seat_count": 3}
    committee = (await call(w, c, "governance/board/v1/create", body))["id"]
    board_meeting = {"association_id": aid, "kind": "BOARD", "location": "Clubhouse"}
    minuted = await noticed(w, c, {**board_meeting, "title": "Held", "starts_at": days_ahead(10)})
    meeting = await noticed(w, c, {**board_meeting, "title": "In session", "starts_at": days_ahead(11)})
    upcoming = await noticed(w, c, {**board_meeting, "title": "Upcoming", "starts_at": days_ahead(30)})
    await call(w, c, "governance/meeting/v1/callToOrder", {"id": minuted})
    await call(w, c, "governance/meeting/v1/adjourn", {"id": minuted})
    # the approval goes on the next meeting's agenda now (the lifecycle's later try finds it there)
    await call(w, c, "governance/meeting/v1/draftMinutes", {"meeting_id": minuted, "body": "Draft minutes."})
    await call(w, c, "governance/meeting/v1/callToOrder", {"id": meeting})
    present = [seats["PRESIDENT"], seats["TREASURER"], seats["SECRETARY"]]
    for seat in present:
        await call(w, c, "governance/meeting/v1/recordAttendance", {"meeting_id": meeting, "seat_id": seat})
    resolution = {"association_id": aid, "title": "Reseal the pool", "body": "Resolved."}
    adopted = (await call(w, c, "governance/resolution/v1/propose", resolution))["id"]
    motion = {"meeting_id": meeting, "kind": "MOTION", "question": "Adopt?", "resolution_id": adopted}
    decided = (await call(w, c, "governance/vote/v1/open", motion))["id"]
    for seat in present:
        ballot = {"vote_id": decided, "choice": "YES", "seat_id": seat, "method": "IN_PERSON"}
        await call(w, c, "governance/vote/v1/cast", ballot)
    assert (await call(w, c, "governance/vote/v1/close", {"id": decided}))["result"] == "PASSED"
    motion = {"meeting_id": meeting, "kind": "MOTION", "question": "Recess?"}
    vote = (await call(w, c, "governance/vote/v1/open", motion))["id"]
    proposed = (await call(w, c, "governance/resolution/v1/propose", {**resolution, "title": "Paint"}))["id"]
    pets = {**resolution, "kind": "POLICY", "title": "Pets", "policy_title": "Pets", "policy_body": "Two pets."}
    policy = (await call(w, c, "governance/resolution/v1/propose", pets))["policy_id"]
    annual_body = {"association_id": aid, "kind": "ANNUAL", "title": "Annual", "starts_at": days_ahead(20)}
    annual = await noticed(w, c, annual_body)
    await call(w, c, "governance/meeting/v1/callToOrder", {"id": annual})
    ballot = {"meeting_id": annual, "kind": "BALLOT", "question": "Elect?"}
    ballot_vote = (await call(w, c, "governance/vote/v1/open", ballot))["id"]
    return {
        "board": board,
        "committee": committee,
        "seat": seats["VICE_PRESIDENT"],
        "present_seat": seats["PRESIDENT"],  # present at the meeting in session, has not voted on its open motion
        "meeting": meeting,
        "minuted_meeting": minuted,
        "upcoming_meeting": upcoming,
        "annual_meeting": annual,
        "vote": vote,
        "ballot_vote": ballot_vote,
        "resolution": proposed,
        "adopted_resolution": adopted,
        "governance_policy": policy,
        "voter_unit": voter["id"],  # on the owners' meeting's voter list
    }


async def communication_records(w: World, c: Caller, association_id: str) -> dict[str, str]:
    """A letter template of the association and a draft mass communication of it to all owners."""
    body = {"name": f"Notice {suffix()}", "channel": "LETTER", "body": "Dear {{ recipient_name }}",
            "association_id": association_id}  # fmt: skip
    template = (await call(w, c, "communication/template/v1/create", body))["id"]
    draft = {"association_id": association_id, "template_id": template, "title": "Notice",
             "audience": {"kind": "ALL_OWNERS"}}  # fmt: skip
    mass = (await call(w, c, "communication/mass/v1/create", draft))["id"]
    return {"communication_template": template, "mass_communication": mass}


async def budget_record(w: World, c: Caller, association_id: str, expense_account: str, *, adopt: bool = False) -> str:
    """An operating budget of this fiscal year with one expense line: a DRAFT, or proposed and adopted."""
    body = {"association_id": association_id, "fiscal_year": date.today().year,
            "lines": [{"gl_account_id": expense_account, "annual": "1200.00"}]}  # fmt: skip
    budget: str = (await call(w, c, "accounting/budget/v1/create", body))["id"]
    if adopt:
        await call(w, c, "accounting/budget/v1/propose", {"id": budget})
        await call(w, c, "accounting/budget/v1/adopt", {"id": budget})
    return budget


async def compliance_records(w: World, c: Caller, association_id: str) -> tuple[str, str, str]:
    """A yearly requirement (March 31, reminded that day), its next deadline and a checklist of two items for it."""
    body = {
        "association_id": association_id, "code": f"FILING_{suffix().upper()}", "title": "Annual filing",
        "kind": "STATUTORY_DEADLINE", "rrule": "FREQ=YEARLY", "anchor_date": "2020-03-31", "lead_days": 0,
    }  # fmt: skip
    requirement: str = (await call(w, c, "compliance/requirement/v1/create", body))["id"]
    through = date(date.today().year + 1, 12, 31).isoformat()
    await call(w, c, "compliance/deadline/v1/generate", {"association_id": association_id, "through": through})
    found = await call(w, c, "compliance/deadline/v1/list", {"requirement_id": requirement})
    deadline: str = found["items"][0]["id"]
    checklist = {
        "association_id": association_id, "title": "Filing", "deadline_id": deadline,
        "items": [{"title": "Prepare"}, {"title": "File"}],
    }  # fmt: skip
    return requirement, deadline, (await call(w, c, "compliance/checklist/v1/create", checklist))["id"]


def stored_card(party_id: str) -> Body:
    """A card for portal/payment/v1/addMethod: a fresh checkout token each time (one method per token)."""
    return {"party_id": party_id, "kind": "CARD", "token": f"tok_{secrets.token_hex(8)}", "last4": "4242",
            "brand": "VISA", "exp_month": 12, "exp_year": date.today().year + 3}  # fmt: skip


async def payment_records(w: World, records: dict[str, dict[str, str]]) -> None:
    """The portal's payments act for the caller's own party and the units it owns: each organization's admin gets a
    party linked to their account (`payer_party`), owning a unit of each of their associations (`payer_unit`), with a
    stored card (`payment_method`)."""
    parties, methods = {}, {}
    for c in (w.manager, w.other):
        mine = {"party_type": "INDIVIDUAL", "last_name": "Payer", "user_id": str(c.who.user_id)}
        parties[c.org] = (await call(w, c, "party/v1/create", mine))["id"]
        methods[c.org] = (await call(w, c, "portal/payment/v1/addMethod", stored_card(parties[c.org])))["id"]
    w.refs |= {"payer_party": {}, "payer_unit": {}, "payment_method": {}}
    for c, label in ((w.manager, "A1"), (w.manager, "A2"), (w.other, "B")):
        body = {"property_id": records[label]["property"], "unit_number": f"P{suffix()}", "unit_type": "CONDO"}
        unit = (await call(w, c, "unit/v1/create", body))["id"]
        held = {"unit_id": unit, "party_id": parties[c.org], "percentage": "100", "start_date": "2020-01-01"}
        await call(w, c, "ownership/v1/create", held)
        w.refs["payer_party"][label], w.refs["payment_method"][label] = parties[c.org], methods[c.org]
        w.refs["payer_unit"][label] = unit


PDF_BASE64 = base64.b64encode(SAMPLE_PDF).decode()


async def arc_request(
    w: World, c: Caller, association_id: str, unit_id: str, *, submit: bool = False, committee: str | None = None
) -> tuple[str, str]:
    """An ARC request for the unit with a plan filed (the request's id and the plan's document id); submitted,
    and assigned to `committee`, when asked."""
    body = {"association_id": association_id, "unit_id": unit_id, "category": "FENCE", "description": "Cedar fence"}
    request: str = (await call(w, c, "arc/request/v1/create", body))["id"]
    filed = {"id": request, "kind": "PLAN", "file_name": "plan.pdf", "content_base64": PDF_BASE64}
    plan: str = (await call(w, c, "arc/request/v1/addDocument", filed))["document_id"]
    if submit or committee is not None:
        await call(w, c, "arc/request/v1/submit", {"id": request})
    if committee is not None:
        await call(w, c, "arc/review/v1/assignCommittee", {"request_id": request, "committee_id": committee})
    return request, plan


async def arc_committee(w: World, c: Caller, association_id: str, name: str, member: Account) -> str:
    """A committee of one (quorum 1) with `member` seated."""
    body = {"association_id": association_id, "name": f"{name} {suffix()}", "quorum": 1}
    committee: str = (await call(w, c, "arc/committee/v1/create", body))["id"]
    await call(w, c, "arc/committee/v1/addMember", {"committee_id": committee, "user_id": str(member.user_id)})
    return committee


def png() -> str:
    """A real (8x8 RGB) PNG, base64: a work order's photo."""
    image, data = Image.new("RGB", (8, 8), (200, 40, 40)), io.BytesIO()
    image.save(data, format="PNG")
    return base64.b64encode(data.getvalue()).decode()


async def work_order(w: World, c: Caller, association_id: str, *moves: str) -> str:
    body = {"association_id": association_id, "title": f"Leak {suffix()}", "description": "Drip", "submit": True}
    order: str = (await call(w, c, "workOrder/v1/create", body))["id"]
    for status in moves:
        await call(w, c, "workOrder/v1/updateStatus", {"id": order, "status": status})
    return order


async def link(w: World, c: Caller, association_id: str, provider_org: str) -> None:
    body = {"association_id": association_id, "provider_organization_id": provider_org, "provider_name": "Pipes"}
    await call(w, c, "serviceProvider/v1/link", body)


async def bid_on(w: World, c: Caller, order: str, provider_org: str) -> str:
    body = {"work_order_id": order, "provider_organization_ids": [provider_org]}
    bids = await call(w, c, "bid/v1/requestBids", body)
    return str(bids["items"][0]["id"])


async def submitted_bid(w: World, order: str) -> str:
    bid = await bid_on(w, w.manager, order, str(w.provider.org))
    await call(w, w.provider, "bid/v1/submitBid", {"bid_id": bid, "amount": "90.00", "scope": "Fix it"})
    return bid


async def provider_org(w: World, who: Account, name: str, *, with_profile: bool = True) -> str:
    org = str((await organization(w.client, who, f"{name} {suffix()}", "SERVICE_PROVIDER"))["id"])
    if with_profile:
        await contractor_profile(w.client, who, org)  # a plumbing licence and general liability, far from expiry
    return org


async def member_id(w: World, c: Caller, email: str) -> str:
    members = await call(w, c, "organization/v1/listMembers", {"limit": 200})
    return str(next(m["id"] for m in members["items"] if m["email"] == email))


async def invite(w: World, c: Caller, email: str, roles: list[str]) -> str:
    response = await add_member(w.client, c.who, str(c.org), email, roles)
    assert response.status_code == 200, response.text
    return str(response.json()["data"]["member"]["id"])


async def build_world(client: httpx.AsyncClient) -> World:
    a, b, p = await account(client), await account(client), await account(client)
    a_org = str((await organization(client, a, f"Ref Mgmt {suffix()}", "MANAGEMENT_COMPANY"))["id"])
    b_org = str((await organization(client, b, f"Ref HOA {suffix()}", "COMMUNITY_ASSOCIATION"))["id"])
    w = World(client, Caller(a, a_org), Caller(b, b_org), Caller(p, None), Caller(p, None))
    w.provider = Caller(p, await provider_org(w, p, "Pipes"))
    me = await member_id(w, w.provider, p.email)
    await call(w, w.provider, "organization/v1/setMemberRoles", {"member_id": me, "roles": ["ADMIN", "VENDOR"]})
    other_provider = await provider_org(w, p, "Other Pipes")
    w.special["unlinked_provider"] = await provider_org(w, p, "Spare Pipes")
    w.special["provider_without_profile"] = await provider_org(w, p, "New Pipes", with_profile=False)

    a1 = await association_records(w, w.manager, "A1")
    a2 = await association_records(w, w.manager, "A2")
    b1 = await association_records(w, w.other, "B1")
    for c, association_id in (
        (w.manager, a1["association"]),
        (w.manager, a2["association"]),
        (w.other, b1["association"]),
    ):
        await link(w, c, association_id, str(w.provider.org))
    await link(w, w.manager, a1["association"], other_provider)
    for kind in a1:
        w.refs[kind] = {"A1": a1[kind], "A2": a2[kind], "B": b1[kind]}
    await payment_records(w, {"A1": a1, "A2": a2, "B": b1})

    def tenant_wide(kind: str, mine: str, theirs: str) -> None:
        w.refs[kind] = {"A1": mine, "A2": mine, "B": theirs}

    person = {"party_type": "INDIVIDUAL", "last_name": "Doe"}
    tenant_wide(
        "party",
        (await call(w, w.manager, "party/v1/create", person))["id"],
        (await call(w, w.other, "party/v1/create", person))["id"],
    )
    payee = {"name": "Payee", "w9_on_file": True}
    tenant_wide(
        "vendor",
        (await call(w, w.manager, "vendor/v1/create", payee))["id"],
        (await call(w, w.other, "vendor/v1/create", payee))["id"],
    )
    tenant_wide("user", str(a.user_id), str(b.user_id))
    tenant_wide("provider", str(w.provider.org), b_org)  # B is a community association, not a provider
    tenant_wide("management_company", a_org, b_org)
    w.special["removable_member"] = await invite(w, w.manager, f"gone-{secrets.token_hex(5)}@example.com", ["OWNER"])
    stranger = await invite(w, w.manager, f"someone-{secrets.token_hex(5)}@example.com", ["OWNER"])
    tenant_wide("member", stranger, await member_id(w, w.other, b.email))
    await invite(w, w.manager, p.email, ["OWNER"])
    await invite(w, w.other, p.email, ["OWNER"])
    invitations = await call(w, w.invitee, "organization/v1/listInvitations", {"limit": 200})
    to_p = {i["organization"]["id"]: i["id"] for i in invitations["items"]}
    w.special |= {"invitation_to_accept": to_p[a_org], "invitation_to_decline": to_p[b_org]}
    w.special["someone_elses_invitation"] = stranger

    w.refs["bid"] = {
        "A1": await bid_on(w, w.manager, a1["work_order"], str(w.provider.org)),
        "A2": await bid_on(w, w.manager, a2["work_order"], str(w.provider.org)),
        "B": await bid_on(w, w.other, b1["work_order"], str(w.provider.org)),
    }
    w.special["other_providers_bid"] = await bid_on(w, w.manager, a1["work_order"], other_provider)
    w.special["bid_to_accept"] = await submitted_bid(w, await work_order(w, w.manager, a1["association"], "TRIAGED"))
    w.special["bid_to_reject"] = await submitted_bid(w, await work_order(w, w.manager, a1["association"]))
    w.special["bid_to_withdraw"] = await bid_on(
        w, w.manager, await work_order(w, w.manager, a1["association"]), str(w.provider.org)
    )

    custom = {
        "association_id": a1["association"],
        "account_number": "5990",
        "name": "Custom",
        "account_type": "EXPENSE",
    }
    w.special["custom_account"] = (await call(w, w.manager, "accounting/glAccount/v1/create", custom))["id"]
    invoice = await call(
        w, w.manager, "accounting/apInvoice/v1/create",
        {"association_id": a1["association"], "vendor_id": w.refs["vendor"]["A1"], "invoice_number": "R-1",
         "invoice_date": date.today().isoformat(), "amount": "10.00",
         "lines": [{"gl_account_id": a1["expense_account"], "description": "Work", "amount": "10.00"}]},
    )  # fmt: skip
    await call(w, w.manager, "accounting/apInvoice/v1/approve", {"id": invoice["id"]})
    w.special["approved_invoice"] = invoice["id"]
    w.special["triaged_order"] = await work_order(w, w.manager, a1["association"], "TRIAGED")
    done = await work_order(w, w.manager, a1["association"], "TRIAGED")
    await call(w, w.manager, "workOrder/v1/assignVendor", {"id": done, "provider_organization_id": str(w.provider.org)})
    start = datetime.now(UTC) + timedelta(hours=1)
    window = {"scheduled_start": start.isoformat(), "scheduled_end": (start + timedelta(hours=2)).isoformat()}
    await call(w, w.manager, "workOrder/v1/schedule", {"id": done, **window})
    await call(w, w.manager, "workOrder/v1/updateStatus", {"id": done, "status": "IN_PROGRESS"})
    await call(w, w.manager, "workOrder/v1/complete", {"id": done, "completion_notes": "Fixed"})
    w.special["completed_order"] = done
    w.special["adopted_budget"] = await budget_record(
        w, w.manager, a1["association"], a1["expense_account"], adopt=True
    )

    # ARC: a draft with a plan (its next version), a committee with the manager seated (to remove), and two
    # requests under review by a committee the manager sits on (one to review, one already reviewed to decide).
    a1_unit = a1["unit"]
    w.special["arc_draft"], w.special["arc_draft_plan"] = await arc_request(w, w.manager, a1["association"], a1_unit)
    w.special["arc_seated_committee"] = await arc_committee(w, w.manager, a1["association"], "Spare", a)
    reviewers = await arc_committee(w, w.manager, a1["association"], "Reviewers", a)
    w.special["arc_to_review"], _ = await arc_request(w, w.manager, a1["association"], a1_unit, committee=reviewers)
    w.special["arc_to_decide"], _ = await arc_request(w, w.manager, a1["association"], a1_unit, committee=reviewers)
    checklist = await call(w, w.manager, "compliance/checklist/v1/get", {"id": a1["compliance_checklist"]})
    w.special["checklist_item"] = checklist["items"][0]["id"]  # the first of two: the checklist stays open
    vote = {"request_id": w.special["arc_to_decide"], "action": "APPROVE"}
    await call(w, w.manager, "arc/review/v1/submitReview", vote)
    approved, _ = await arc_request(w, w.manager, a1["association"], a1_unit, committee=reviewers)
    await call(w, w.manager, "arc/review/v1/submitReview", {"request_id": approved, "action": "APPROVE"})
    await call(w, w.manager, "arc/review/v1/recordDecision", {"request_id": approved, "reasons": "Fine."})
    w.special["arc_approved"] = approved  # work is ordered only on an approved request
    # the owner portal: the manager's own party (the portal's profile is each person's own) and a request with a file
    mine = {**person, "user_id": str(a.user_id)}
    w.special["own_party"] = (await call(w, w.manager, "party/v1/create", mine))["id"]
    ask = {"association_id": a1["association"], "category": "MAINTENANCE", "subject": "Leak", "description": "Drip",
           "unit_id": a1_unit, "attachments": [{"file_name": "leak.png", "content_base64": png()}]}  # fmt: skip
    asked = await call(w, w.manager, "portal/request/v1/create", ask)
    w.special["owner_request"], w.special["owner_request_file"] = asked["id"], asked["attachments"][0]["id"]
    await disbursement_records(w)
    await contractor_records(w)
    await technician_records(w)
    await pricebook_records(w)
    await job_records(w)
    await invoice_records(w)
    await dispatch_records(w)
    await field_records(w)
    await estimate_records(w)
    await supply_records(w)
    return w


DISPATCH_DAY = "2031-03-12"  # a Wednesday (CDT, UTC-5)


async def dispatch_records(w: World) -> None:
    """Dispatch (dispatch/v1/*, called by provider P's admin), in P and in another contractor of the same admin (B):
    a technician ready for plumbing in 78258 every day 06:00-20:00, open visits of a job in 78258 on DISPATCH_DAY
    (08:00-18:00), ASSIGNED assignments (one per procedure that moves one) and PROPOSED route plans of an empty day."""
    p = w.provider

    async def ready(c: Caller) -> str:
        person = await account(w.client)
        await join(w.client, c.who, str(c.org), person, ["TECHNICIAN"])
        made = {"user_id": str(person.user_id), "display_name": "Dispatch"}
        tech = await call(w, c, "technician/v1/create", made)
        await call(w, c, "technician/v1/addSkill", {"id": tech["id"], "trade": "PLUMBING", "level": "MASTER"})
        week = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
        shifts = [{"weekday": day, "start_time": "06:00", "end_time": "20:00"} for day in week]
        await call(w, c, "technician/v1/setShifts", {"id": tech["id"], "shifts": shifts})
        await call(w, c, "technician/v1/setTerritory", {"id": tech["id"], "zip_codes": ["78258"]})
        return str(tech["id"])

    async def visits(c: Caller, count: int) -> list[str]:
        job = await call(w, c, "job/v1/create", {"title": "Dispatch", "trade": "PLUMBING", "zip_code": "78258"})
        window = {"window_start": f"{DISPATCH_DAY}T08:00:00-05:00", "window_end": f"{DISPATCH_DAY}T18:00:00-05:00"}
        return [(await call(w, c, "job/v1/addVisit", {"job_id": job["id"], **window}))["id"] for _ in range(count)]

    async def assigned(c: Caller, technician: str, visit: str, clock: str) -> str:
        body = {"visit_id": visit, "technician_id": technician, "starts_at": f"{DISPATCH_DAY}T{clock}:00-05:00"}
        return str((await call(w, c, "dispatch/v1/assignTech", body))["id"])

    async def plan(c: Caller, technician: str) -> str:
        body = {"date": "2031-04-02", "technician_ids": [technician]}
        return str((await call(w, c, "dispatch/v1/optimizeRoute", body))["id"])

    b = Caller(p.who, await provider_org(w, p.who, "Dispatch Pipes"))
    b_tech = await ready(b)
    (b_visit,) = await visits(b, 1)
    b_assignment, b_plan = await assigned(b, b_tech, b_visit, "08:00"), await plan(b, b_tech)
    tech = await ready(p)
    free, *taken = await visits(p, 4)
    clocks = ("08:00", "09:00", "10:00")
    moved = [await assigned(p, tech, visit, clock) for visit, clock in zip(taken, clocks, strict=True)]
    w.special["dispatch_technician"] = tech
    w.special["dispatch_unassign"], w.special["dispatch_reschedule"], w.special["dispatch_en_route"] = moved
    w.refs["job_visit"] = {"A1": free, "A2": free, "B": b_visit}
    w.refs["dispatch_assignment"] = {"A1": moved[0], "A2": moved[0], "B": b_assignment}
    applied = await plan(p, tech)
    w.refs["route_plan"] = {"A1": applied, "A2": applied, "B": b_plan}
    w.special["dispatch_discard_plan"] = await plan(p, tech)


def _dispatch_slot(clock: str) -> str:
    return f"{DISPATCH_DAY}T{clock}:00-05:00"


def _dispatch_reschedule(w: World) -> Body:
    """The assignment kept for `reschedule`, moved to the afternoon with the same (ready) technician."""
    return {"assignment_id": w.special["dispatch_reschedule"], "technician_id": w.special["dispatch_technician"],
            "starts_at": _dispatch_slot("14:00")}  # fmt: skip


FIELD_DAY = "2031-03-13"  # a Thursday (CDT, UTC-5)
STOCK_CODE = "REF-STOCK"
"""A MATERIAL of field_records' ACTIVE pricebook versions, stocked by the inventory (supply_records). The field's
materials are REF-PIPE, never stocked: a stocked item used on a visit leaves the technician's truck, and the field's
technicians have none."""


async def field_records(w: World) -> None:
    """Field work (fieldTech/v1/*, called by provider P's admin), in P and in another contractor of the same admin
    (B): an ACTIVE pricebook version with an item and a job template, technicians ready in 78258, and a job with a
    visit assigned per procedure that moves one (a running timer for `stop`, a checklist for the steps, a photo for
    the signature's document) on FIELD_DAY."""
    p = w.provider

    async def book(c: Caller) -> str:
        version = (await call(w, c, "pricebook/v1/createVersion", {"name": f"Field {suffix()}"}))["id"]
        item = {"version_id": version, "code": "REF-PIPE", "name": "Pipe", "kind": "MATERIAL", "unit": "FOOT",
                "price": "3.00"}  # fmt: skip
        await call(w, c, "pricebook/v1/createItem", item)
        stocked = {**item, "code": STOCK_CODE, "name": "Fitting", "unit": "EACH", "price": "4.00"}
        await call(w, c, "pricebook/v1/createItem", stocked)  # for supply_records (REF-PIPE stays unstocked)
        template = {"version_id": version, "name": f"Valve {suffix()}", "trade": "PLUMBING",
                    "items": [{"code": "REF-PIPE", "quantity": "1"}], "steps": [{"text": "Shut off"}]}  # fmt: skip
        made = (await call(w, c, "pricebook/v1/createTemplate", template))["id"]
        await call(w, c, "pricebook/v1/publishVersion", {"id": version})
        await call(w, c, "pricebook/v1/activateVersion", {"id": version})
        return str(made)

    async def ready(c: Caller) -> str:
        person = await account(w.client)
        await join(w.client, c.who, str(c.org), person, ["TECHNICIAN"])
        tech = await call(w, c, "technician/v1/create", {"user_id": str(person.user_id), "display_name": "Field"})
        await call(w, c, "technician/v1/addSkill", {"id": tech["id"], "trade": "PLUMBING", "level": "MASTER"})
        shifts = [{"weekday": "THURSDAY", "start_time": "06:00", "end_time": "20:00"}]
        await call(w, c, "technician/v1/setShifts", {"id": tech["id"], "shifts": shifts})
        await call(w, c, "technician/v1/setTerritory", {"id": tech["id"], "zip_codes": ["78258"]})
        return str(tech["id"])

    async def visit(c: Caller, job: str, technician: str, clock: str) -> str:
        window = {"window_start": f"{FIELD_DAY}T06:00:00-05:00", "window_end": f"{FIELD_DAY}T19:00:00-05:00"}
        made = (await call(w, c, "job/v1/addVisit", {"job_id": job, **window}))["id"]
        body = {"visit_id": made, "technician_id": technician, "starts_at": f"{FIELD_DAY}T{clock}:00-05:00"}
        await call(w, c, "dispatch/v1/assignTech", body)
        return str(made)

    async def site(c: Caller, template: str) -> tuple[str, dict[str, str]]:
        job = (await call(w, c, "job/v1/create", {"title": "Field", "trade": "PLUMBING", "zip_code": "78258"}))["id"]
        crew = [await ready(c) for _ in range(4)]
        places = {"travel": (0, "08:00"), "work": (1, "08:00"), "stop": (2, "08:00"), "any": (3, "07:00"),
                  "check": (3, "08:00"), "step": (3, "09:00"), "sign": (3, "10:00"), "done": (3, "11:00"),
                  "sync": (3, "12:00")}  # fmt: skip
        visits = {name: await visit(c, job, crew[who], clock) for name, (who, clock) in places.items()}
        await call(w, c, "fieldTech/v1/startWork", {"visit_id": visits["stop"]})
        steps = await call(w, c, "fieldTech/v1/applyChecklist", {"visit_id": visits["step"], "template_id": template})
        photo = {"visit_id": visits["sign"], "file_name": "site.png", "content_base64": png()}
        visits["step_id"] = steps["items"][0]["id"]
        visits["document"] = (await call(w, c, "fieldTech/v1/uploadMedia", photo))["document_id"]
        return str(job), visits

    b = Caller(p.who, await provider_org(w, p.who, "Field Pipes"))
    b_template = await book(b)
    b_job, b_visits = await site(b, b_template)
    a_template = await book(p)
    a_job, a_visits = await site(p, a_template)
    w.refs["job_template"] = {"A1": a_template, "A2": a_template, "B": b_template}
    w.refs["field_job"] = {"A1": a_job, "A2": a_job, "B": b_job}
    w.refs["field_visit"] = {"A1": a_visits["any"], "A2": a_visits["any"], "B": b_visits["any"]}
    w.refs["field_step"] = {"A1": a_visits["step_id"], "A2": a_visits["step_id"], "B": b_visits["step_id"]}
    w.refs["field_document"] = {"A1": a_visits["document"], "A2": a_visits["document"], "B": b_visits["document"]}
    w.special.update({f"field_{name}": value for name, value in a_visits.items()})
    w.special["field_contractor"] = str(b.org)  # B of field_records, reused by supply_records


def _field(name: str, **more: Any) -> Callable[[World], Body]:
    """A body on the visit kept for one procedure (field_records)."""
    return lambda w: {"visit_id": w.special[f"field_{name}"], **more}


def _field_sync(w: World) -> Body:
    action = {"client_action_id": str(uuid.uuid4()), "client_at": f"{FIELD_DAY}T11:55:00-05:00", "type": "startTravel",
              "job_id": w.refs["field_job"]["A1"], "visit_id": w.special["field_sync"], "payload": {}}  # fmt: skip
    return {"actions": [action]}


FIELD_VISIT: dict[str, str | None] = {"visit_id": "field_visit", "job_id": "field_job"}
ESTIMATE_TEMPLATE: dict[str, str | None] = {"template_id": "job_template"}
ESTIMATE_OPTIONS: dict[str, str | None] = {"options[].template_id": "job_template"}


def _estimate_options(w: World) -> Body:
    """One option from P's job template (the builder would take a nested `template_id` for a communication's)."""
    return {"options": [{"name": "Good", "template_id": w.refs["job_template"]["A1"]}]}


async def handed_off_job(w: World, work_order_id: str) -> str:
    """Provider P's job the hand-off opens for a work order assigned to P (a moment after the assignment)."""
    deadline = asyncio.get_running_loop().time() + 30
    while not (page := await call(w, w.provider, "job/v1/list", {"work_order_id": work_order_id}))["items"]:
        assert asyncio.get_running_loop().time() < deadline, f"no job for the work order {work_order_id}"
        await asyncio.sleep(0.1)
    return str(page["items"][0]["id"])


async def estimate_records(w: World) -> None:
    """Estimates (estimate/v1/*, called by provider P's admin, priced from the ACTIVE version of field_records): a
    DRAFT estimate of P with three options (one to replace, one to remove) and one of another contractor of the same
    admin (B); two proposals of P addressed to organization A, for the job the hand-off opened from A's completed
    work order (one to accept, one to decline, by A's admin), and one of P to a customer (out of A's reach)."""
    p = w.provider
    options = [{"name": name, "template_id": w.refs["job_template"]["A1"]} for name in ("Good", "Better", "Best")]

    async def sent(body: Body) -> tuple[Body, str]:
        made = await call(w, p, "estimate/v1/generate", {**body, "options": options})
        await call(w, p, "estimate/v1/send", {"id": made["id"]})
        proposals = await call(w, p, "estimate/v1/listProposals", {"estimate_id": made["id"]})
        return made, str(proposals["items"][0]["id"])

    b = Caller(p.who, await provider_org(w, p.who, "Estimate Pipes"))
    version = (await call(w, b, "pricebook/v1/createVersion", {"name": f"Estimates {suffix()}"}))["id"]
    pipe = {"version_id": version, "code": "REF-PIPE", "name": "Pipe", "kind": "MATERIAL", "unit": "FOOT",
            "price": "3.00"}  # fmt: skip
    await call(w, b, "pricebook/v1/createItem", pipe)
    await call(w, b, "pricebook/v1/publishVersion", {"id": version})
    await call(w, b, "pricebook/v1/activateVersion", {"id": version})
    b_customer = (await call(w, b, "customer/v1/create", {"name": f"Homeowner {suffix()}"}))["id"]
    only = [{"name": "Only", "items": [{"code": "REF-PIPE", "quantity": "1"}]}]
    b_estimate = (await call(w, b, "estimate/v1/generate", {"customer_id": b_customer, "options": only}))["id"]
    draft = await call(w, p, "estimate/v1/generate", {"customer_id": w.refs["customer"]["A1"], "options": options})
    w.refs["estimate"] = {"A1": draft["id"], "A2": draft["id"], "B": b_estimate}
    w.special["estimate_option_to_replace"] = draft["options"][0]["id"]
    w.special["estimate_option_to_remove"] = draft["options"][1]["id"]
    job = await handed_off_job(w, w.special["completed_order"])
    to_accept, accepted = await sent({"job_id": job})
    _, w.special["proposal_to_decline"] = await sent({"job_id": job})
    _, to_a_customer = await sent({"customer_id": w.refs["customer"]["A1"]})
    w.refs["estimate_proposal"] = {"A1": accepted, "A2": accepted, "B": to_a_customer}
    w.special["proposal_option"] = to_accept["options"][1]["id"]


async def job_records(w: World) -> None:
    """Jobs (job/v1/*, called by provider P's admin): a customer and an open job of P with a file attached, and of
    another contractor of the same admin (B)."""
    p = w.provider

    async def customer_job_and_file(c: Caller) -> tuple[str, str, str]:
        customer = (await call(w, c, "customer/v1/create", {"name": f"Homeowner {suffix()}"}))["id"]
        job = await call(w, c, "job/v1/create", {"title": "Leak", "trade": "PLUMBING", "customer_id": customer})
        photo = {"id": job["id"], "file_name": "leak.png", "content_type": "image/png", "content_base64": png()}
        return customer, job["id"], (await call(w, c, "job/v1/addAttachment", photo))["id"]

    b_customer, b_job, b_file = await customer_job_and_file(Caller(p.who, await provider_org(w, p.who, "Job Pipes")))
    a_customer, a_job, a_file = await customer_job_and_file(p)
    w.refs["customer"] = {"A1": a_customer, "A2": a_customer, "B": b_customer}
    w.refs["job"] = {"A1": a_job, "A2": a_job, "B": b_job}
    w.refs["job_attachment"] = {"A1": a_file, "A2": a_file, "B": b_file}


async def invoice_records(w: World) -> None:
    """Invoices (invoice/v1/*, called by provider P's admin): a DRAFT invoice of one of P's jobs, and of another
    contractor of the same admin (B); an ISSUED one of P (1000.00) that takes payments."""
    p = w.provider

    async def draft(c: Caller) -> str:
        job = await call(w, c, "job/v1/create", {"title": "Billed", "trade": "PLUMBING"})
        made = await call(w, c, "invoice/v1/createFromJob", {"job_id": job["id"], "kind": "STANDARD"})
        await call(w, c, "invoice/v1/addLine", {"invoice_id": made["id"], "description": "Repair",
                                                "unit_price": "1000.00"})  # fmt: skip
        return str(made["id"])

    b_draft = await draft(Caller(p.who, await provider_org(w, p.who, "Invoice Pipes")))
    a_draft = await draft(p)
    w.refs["contractor_invoice"] = {"A1": a_draft, "A2": a_draft, "B": b_draft}
    issued = await draft(p)
    await call(w, p, "invoice/v1/issue", {"id": issued})
    w.special["issued_invoice"] = issued


def _issued_invoice(**more: Any) -> Callable[[World], Body]:
    return lambda w: {"invoice_id": w.special["issued_invoice"], **more}


def agreement_terms(w: World) -> Body:
    """A maintenance agreement's terms: a plumbing membership from today, a visit every month."""
    return {"trade": "PLUMBING", "term_start": date.today().isoformat(), "schedule_rrule": "FREQ=MONTHLY"}


async def supply_records(w: World) -> None:
    """Inventory, procurement and maintenance agreements (inventory/v1/*, procurement/v1/*, maintenance/v1/*, called
    by provider P's admin), in P and in field_records' other contractor (B), both with STOCK_CODE in their ACTIVE
    pricebook: the item stocked, a warehouse, a supplier selling the item, a DRAFT purchase order with a line and a
    DRAFT agreement for a customer. P's warehouse holds 1000 of the item (what the walk takes out never brings it
    near a reorder point: a crossing would draft a replenishment in the background); P also has a second location (a
    transfer's destination), a TRUCK without a driver and a SENT purchase order of 100 to receive."""
    p, b = w.provider, Caller(w.provider.who, w.special["field_contractor"])

    async def stocked(c: Caller, customer: str) -> dict[str, str]:
        item = (await call(w, c, "inventory/v1/createItem", {"code": STOCK_CODE}))["id"]
        place = {"name": f"Warehouse {suffix()}", "kind": "WAREHOUSE"}
        location = (await call(w, c, "inventory/v1/createLocation", place))["id"]
        supplier = (await call(w, c, "procurement/v1/createSupplier", {"name": f"Supply {suffix()}"}))["id"]
        offer = {"supplier_id": supplier, "item_id": item, "cost": "2.00"}
        await call(w, c, "procurement/v1/setSupplierItem", offer)
        order = {"supplier_id": supplier, "location_id": location, "lines": [{"item_id": item, "quantity": "100"}]}
        draft = await call(w, c, "procurement/v1/createPurchaseOrder", order)
        terms = {**agreement_terms(w), "name": "Comfort Club", "price": "240.00", "customer_id": customer}
        agreement = await call(w, c, "maintenance/v1/create", terms)
        return {"stock_item": item, "stock_location": location, "stock_destination": location, "supplier": supplier,
                "purchase_order": draft["id"], "sent_purchase_order": draft["id"],
                "purchase_order_line": draft["lines"][0]["id"], "maintenance_agreement": agreement["id"]}  # fmt: skip

    b_customer = (await call(w, b, "customer/v1/create", {"name": f"Member {suffix()}"}))["id"]
    theirs = await stocked(b, b_customer)
    mine = await stocked(p, w.refs["customer"]["A1"])
    opening = {"location_id": mine["stock_location"], "item_id": mine["stock_item"], "quantity": "1000",
               "unit_cost": "2.00", "reference": "Opening count"}  # fmt: skip
    await call(w, p, "inventory/v1/receive", opening)
    shelf = {"name": f"Shelf {suffix()}", "kind": "SHELF"}
    mine["stock_destination"] = (await call(w, p, "inventory/v1/createLocation", shelf))["id"]
    truck = {"name": f"Truck {suffix()}", "kind": "TRUCK"}
    w.special["stock_truck"] = (await call(w, p, "inventory/v1/createLocation", truck))["id"]
    order = {"supplier_id": mine["supplier"], "location_id": mine["stock_location"],
             "lines": [{"item_id": mine["stock_item"], "quantity": "100"}]}  # fmt: skip
    sent = await call(w, p, "procurement/v1/createPurchaseOrder", order)
    await call(w, p, "procurement/v1/send", {"id": sent["id"]})
    mine["sent_purchase_order"], mine["purchase_order_line"] = sent["id"], sent["lines"][0]["id"]
    for kind, value in mine.items():
        w.refs[kind] = {"A1": value, "A2": value, "B": theirs[kind]}


async def pricebook_records(w: World) -> None:
    """The pricebook (pricebook/v1/*, called by provider P's admin): a category and a DRAFT version with an item of
    P, and of another contractor of the same admin (B); a subcategory and a member discount of P to change; an
    association of B's organization that is not linked to P (a rate sheet's or a quote's association of another
    tenant: every association of the world is linked to P)."""
    p = w.provider

    async def category_and_draft(c: Caller) -> tuple[str, str]:
        category = (await call(w, c, "pricebook/v1/createCategory", {"name": f"Plumbing {suffix()}"}))["id"]
        version = (await call(w, c, "pricebook/v1/createVersion", {"name": f"Draft {suffix()}"}))["id"]
        return category, version

    b_category, b_version = await category_and_draft(Caller(p.who, await provider_org(w, p.who, "Price Pipes")))
    a_category, a_version = await category_and_draft(p)
    w.refs["pricebook_category"] = {"A1": a_category, "A2": a_category, "B": b_category}
    w.refs["pricebook_version"] = {"A1": a_version, "A2": a_version, "B": b_version}
    child = {"name": f"Drains {suffix()}", "parent_category_id": a_category}
    w.special["pricebook_child_category"] = (await call(w, p, "pricebook/v1/createCategory", child))["id"]
    item = {"version_id": a_version, "code": "REF-ITEM", "name": "Drain cleaning", "kind": "SERVICE", "unit": "EACH",
            "price": "100.00"}  # fmt: skip
    w.special["pricebook_item"] = (await call(w, p, "pricebook/v1/createItem", item))["id"]
    discount = {"name": "Members", "kind": "MEMBER_DISCOUNT", "percent": "10"}
    w.special["pricebook_rule"] = (await call(w, p, "pricebook/v1/createRule", discount))["id"]
    unlinked = await call(w, w.other, "association/v1/create", {"name": f"Unlinked {suffix()}"})
    w.special["unlinked_association"] = unlinked["id"]


def _unlinked_association(w: World) -> Body:
    return {"association_id": w.special["unlinked_association"]}


async def technician_records(w: World) -> None:
    """The workforce (technician/v1/*, called by the provider P's admin): a branch and a technician of P, a member of
    P to make a technician, and another contractor of the same admin with its own branch and technician (B)."""
    p = w.provider

    async def branch_and_technician(c: Caller) -> tuple[str, str]:
        branch = (await call(w, c, "contractor/branch/v1/create", {"name": f"Branch {suffix()}"}))["id"]
        body = {"user_id": str(c.who.user_id), "display_name": "Tech", "branch_id": branch}
        return branch, (await call(w, c, "technician/v1/create", body))["id"]

    b_branch, b_technician = await branch_and_technician(Caller(p.who, await provider_org(w, p.who, "Tech Pipes")))
    a_branch, a_technician = await branch_and_technician(p)
    w.refs["contractor_branch"] = {"A1": a_branch, "A2": a_branch, "B": b_branch}
    w.refs["technician"] = {"A1": a_technician, "A2": a_technician, "B": b_technician}
    person = await account(w.client)
    await join(w.client, p.who, str(p.org), person, ["TECHNICIAN"])
    w.special["technician_member"] = str(person.user_id)


def _eligibility_job(w: World) -> Body:
    """A plumbing job in 78258 next month, two hours (the window's end after its start)."""
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    return {"trade": "PLUMBING", "zip_code": "78258", "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat()}  # fmt: skip


PROVIDER_DOCUMENT: dict[str, str | None] = {"document_id": "provider_document"}
PROVIDER_CERTIFICATE: dict[str, str | None] = {"certificate_document_id": "provider_document"}


def licence_body(number: str | None = None) -> Body:
    """A licence of provider P (a new number unless given: one live licence per number and jurisdiction)."""
    return {"trade": "PLUMBING", "jurisdiction": "TX", "license_number": number or f"W-{suffix()}",
            "expires_on": "2035-01-01"}  # fmt: skip


def policy_body(number: str | None = None) -> Body:
    """General liability insurance of provider P (a new policy number unless given)."""
    return {"kind": "GENERAL_LIABILITY", "carrier": "Acme Mutual", "policy_number": number or f"GL-{suffix()}",
            "per_occurrence_limit": "1000000.00", "aggregate_limit": "2000000.00",
            "expires_on": "2035-01-01"}  # fmt: skip


async def contractor_records(w: World) -> None:
    """Provider P's contractor documents (contractor/license/v1/*, contractor/insurance/v1/*, called by P's admin): its
    licence and policy (from its profile), and a document of P's own for their scan or certificate; another tenant's
    document is the linked management company's (A's)."""
    p = w.provider
    (licence,) = (await call(w, p, "contractor/license/v1/list", {}))["items"]
    (policy,) = (await call(w, p, "contractor/insurance/v1/list", {}))["items"]
    w.special |= {"provider_licence": licence["id"], "provider_licence_number": licence["license_number"],
                  "provider_policy": policy["id"], "provider_policy_number": policy["policy_number"]}  # fmt: skip
    scan = {"title": "Certificate", "category": "INSURANCE", "visibility": "MANAGERS",
            "scope": {"type": "ORGANIZATION"}}  # fmt: skip
    own = (await call(w, p, "document/v1/upload", scan))["id"]
    w.refs["provider_document"] = {"A1": own, "A2": own, "B": w.refs["document"]["A1"]}


async def disbursement_records(w: World) -> None:
    """Payment batches: each bank account with a payment profile, A1's vendor paid by ACH, and an approved invoice
    of each association (`ap_invoice`)."""
    w.refs["ap_invoice"] = {}
    for key, c in (("A1", w.manager), ("A2", w.manager), ("B", w.other)):
        await call(w, c, "accounting/bankPaymentProfile/v1/set", {
            "bank_account_id": w.refs["bank_account"][key], "routing_number": "021000021", "company_name": "HOA",
            "company_identification": "1741234567",
        })  # fmt: skip
        invoice = await call(w, c, "accounting/apInvoice/v1/create", {
            "association_id": w.refs["association"][key], "vendor_id": w.refs["vendor"][key],
            "invoice_number": f"D-{key}", "invoice_date": date.today().isoformat(), "amount": "10.00", "submit": True,
            "lines": [{"gl_account_id": w.refs["expense_account"][key], "description": "Work", "amount": "10.00"}],
        })  # fmt: skip
        await call(w, c, "accounting/apInvoice/v1/approve", {"id": invoice["id"]})
        w.refs["ap_invoice"][key] = invoice["id"]
    bank = {"vendor_id": w.refs["vendor"]["A1"], "routing_number": "011000015", "account_number": "123456789"}
    await call(w, w.manager, "accounting/vendorBank/v1/set", bank)


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    return await build_world(shared_client)


# --- valid bodies ----------------------------------------------------------------------------------------


def _journal_lines(w: World) -> Body:
    unit = w.refs["unit"]["A1"]
    return {
        "lines": [
            {"gl_account_id": w.refs["expense_account"]["A1"], "debit": "10.00", "unit_id": unit},
            {"gl_account_id": w.refs["cash_account"]["A1"], "credit": "10.00", "unit_id": unit},
        ]
    }


def _budget_lines(w: World) -> Body:
    """A budget line needs its amounts (twelve months or an annual amount)."""
    return {"lines": [{"gl_account_id": w.refs["expense_account"]["A1"], "annual": "120.00"}]}


def _booking(w: World) -> Body:
    start = datetime(2031, 1, 1, 9, tzinfo=UTC) + timedelta(hours=secrets.randbelow(80_000))
    return {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat()}


def calendar_event(association_id: str | None = None) -> Body:
    """A calendar event's times (an hour, next month), with its association when given."""
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    times = {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat()}
    if association_id is None:
        return times
    return {"association_id": association_id, "title": "Picnic", "event_type": "SOCIAL", **times}


@dataclass(frozen=True)
class Override:
    """What the generic builder cannot know: a record in a given state, values that must agree, the caller."""

    patch: Callable[[World], Body] = lambda w: {}
    caller: str = "manager"
    foreign: Callable[[World], Body] = lambda w: {}
    """Another tenant's id per field, where the caller is not organization A."""
    kinds: dict[str, str | None] = field(default_factory=dict)
    """Field label → kind, where the body tells what the field names (a document's `scope.id` by `scope.type`;
    None: no reference of this form, e.g. a parameter another kind of audience takes)."""
    omit: frozenset[str] = frozenset()
    """Top-level fields left out of the body: this form of the procedure does not take them (another form walks
    them, see FORMS)."""


OVERRIDES: dict[str, Override] = {
    "accounting/vendorBank/v1/set": Override(lambda w: {"routing_number": "011000015", "account_number": "5555"}),
    "accounting/bankPaymentProfile/v1/set": Override(
        lambda w: {"routing_number": "021000021", "company_name": "HOA", "company_identification": "1741234567"}
    ),
    "accounting/apInvoice/v1/pay": Override(lambda w: {"id": w.special["approved_invoice"]}),
    "accounting/glAccount/v1/update": Override(lambda w: {"id": w.special["custom_account"]}),
    "accounting/journalEntry/v1/create": Override(_journal_lines),
    "arc/committee/v1/removeMember": Override(
        lambda w: {"committee_id": w.special["arc_seated_committee"], "user_id": str(w.manager.who.user_id)}
    ),
    "arc/request/v1/addDocument": Override(
        lambda w: {
            "id": w.special["arc_draft"],
            "document_id": w.special["arc_draft_plan"],
            "file_name": "plan.pdf",
            "content_base64": PDF_BASE64,
        },
        kinds={"document_id": "arc_document"},  # a new version of a plan filed with this request
    ),
    "arc/request/v1/downloadDocument": Override(kinds={"document_id": "arc_document"}),  # filed with the request
    "arc/request/v1/orderWork": Override(lambda w: {"id": w.special["arc_approved"], "kind": "INSPECTION"}),
    "arc/review/v1/recordDecision": Override(lambda w: {"request_id": w.special["arc_to_decide"]}),
    "arc/review/v1/submitReview": Override(lambda w: {"request_id": w.special["arc_to_review"]}),
    "compliance/checklist/v1/completeItem": Override(lambda w: {"item_id": w.special["checklist_item"]}),
    "compliance/requirement/v1/adoptDefaults": Override(lambda w: {"jurisdiction": "TX"}),
    "bid/v1/acceptBid": Override(lambda w: {"bid_id": w.special["bid_to_accept"]}),
    "bid/v1/rejectBid": Override(lambda w: {"bid_id": w.special["bid_to_reject"]}),
    "bid/v1/submitBid": Override(
        lambda w: {"bid_id": w.refs["bid"]["A1"]}, "provider", lambda w: {"bid_id": w.special["other_providers_bid"]}
    ),
    "bid/v1/withdrawBid": Override(
        lambda w: {"bid_id": w.special["bid_to_withdraw"]},
        "provider",
        lambda w: {"bid_id": w.special["other_providers_bid"]},
    ),
    "commonArea/v1/reserve": Override(_booking),
    "organization/v1/acceptInvitation": Override(
        lambda w: {"invitation_id": w.special["invitation_to_accept"]},
        "invitee",
        lambda w: {"invitation_id": w.special["someone_elses_invitation"]},
    ),
    "organization/v1/declineInvitation": Override(
        lambda w: {"invitation_id": w.special["invitation_to_decline"]},
        "invitee",
        lambda w: {"invitation_id": w.special["someone_elses_invitation"]},
    ),
    "organization/v1/removeMember": Override(lambda w: {"member_id": w.special["removable_member"]}),
    "party/v1/create": Override(lambda w: {"last_name": "Doe"}),
    "serviceProvider/v1/link": Override(lambda w: {"provider_organization_id": w.special["unlinked_provider"]}),
    "workOrder/v1/assignVendor": Override(lambda w: {"id": w.special["triaged_order"]}),
    "workOrder/v1/createInvoice": Override(lambda w: {"id": w.special["completed_order"]}),
    "governance/board/v1/create": Override(lambda w: {"kind": "COMMITTEE"}),  # the association has its board
    "governance/board/v1/fillSeat": Override(lambda w: {"position": "DIRECTOR"}),  # the board's free seat
    # budgets: a line needs its amounts; an assessment is applied from an adopted budget
    "accounting/budget/v1/create": Override(_budget_lines),
    "accounting/budget/v1/setLines": Override(_budget_lines),
    "accounting/budget/v1/applyAssessment": Override(lambda w: {"budget_id": w.special["adopted_budget"]}),
    # the owner portal's payments: the caller's own party, a unit it owns (the world's payer records)
    "portal/payment/v1/addMethod": Override(lambda w: stored_card(w.refs["payer_party"]["A1"])),
    "portal/payment/v1/enrolAutopay": Override(kinds={"unit_id": "payer_unit"}),
    "portal/payment/v1/getAutopay": Override(kinds={"unit_id": "payer_unit"}),
    "portal/payment/v1/history": Override(kinds={"unit_id": "payer_unit"}),
    "portal/payment/v1/balance": Override(kinds={"unit_id": "payer_unit"}),
    "governance/meeting/v1/addAgendaItem": Override(kinds={"meeting_id": "upcoming_meeting"}),
    "governance/meeting/v1/getMinutes": Override(kinds={"meeting_id": "minuted_meeting"}),
    "communication/template/v1/create": Override(lambda w: {"subject": "Hello"}),  # an email has a subject
    # the bulletin: an event ends after it starts, and a window of occurrences too
    "calendar/event/v1/create": Override(lambda w: calendar_event()),
    "calendar/event/v1/occurrences": Override(
        lambda w: {"from": calendar_event()["starts_at"], "to": calendar_event()["ends_at"]}
    ),
    # the workforce: the provider's admin, in its contractor organization (a member not yet a technician)
    "technician/v1/create": Override(lambda w: {"user_id": w.special["technician_member"]}, "provider"),
    "technician/v1/update": Override(caller="provider"),
    "technician/v1/list": Override(caller="provider"),
    "technician/v1/checkEligibility": Override(_eligibility_job, "provider"),
    "technician/v1/kpis": Override(caller="provider"),
    # the owner portal's profile: the caller's own party only
    "portal/profile/v1/update": Override(lambda w: {"party_id": w.special["own_party"]}),
    "portal/profile/v1/getPreferences": Override(lambda w: {"party_id": w.special["own_party"]}),
    "portal/profile/v1/updatePreferences": Override(lambda w: {"party_id": w.special["own_party"]}),
    # a file of the request (another tenant's or a random one is not)
    "portal/request/v1/downloadAttachment": Override(
        lambda w: {"id": w.special["owner_request"], "attachment_id": w.special["owner_request_file"]}
    ),
    # the pricebook: the provider P's admin, in its contractor organization
    "pricebook/v1/createCategory": Override(caller="provider"),
    "pricebook/v1/updateCategory": Override(lambda w: {"id": w.special["pricebook_child_category"]}, "provider"),
    "pricebook/v1/listCategories": Override(caller="provider"),
    "pricebook/v1/createItem": Override(caller="provider"),
    "pricebook/v1/updateItem": Override(lambda w: {"id": w.special["pricebook_item"]}, "provider"),
    "pricebook/v1/listItems": Override(caller="provider"),
    "pricebook/v1/updateRule": Override(lambda w: {"id": w.special["pricebook_rule"]}, "provider"),
    "pricebook/v1/listRules": Override(caller="provider"),
    "pricebook/v1/createTemplate": Override(lambda w: {"trade": "PLUMBING"}, "provider"),
    "pricebook/v1/listTemplates": Override(caller="provider"),
    "pricebook/v1/price": Override(
        lambda w: {"items": [{"code": "REF-ITEM", "quantity": "1"}]}, "provider", _unlinked_association
    ),
    # jobs: the provider P's admin, in its contractor organization (its open job, a file filed under it)
    "job/v1/create": Override(lambda w: {"trade": "PLUMBING"}, "provider"),
    "invoice/v1/createFromJob": Override(lambda w: {"kind": "STANDARD"}, "provider"),
    "invoice/v1/list": Override(caller="provider"),
    "invoice/v1/addLine": Override(lambda w: {"unit_price": "5.00"}, "provider"),
    "invoice/v1/collectPayment": Override(
        _issued_invoice(amount="1.00", method="CARD", payment_token="tok_visa_4242"), "provider"
    ),
    "invoice/v1/recordPayment": Override(_issued_invoice(amount="1.00", method="CHECK"), "provider"),
    "invoice/v1/listPayments": Override(_issued_invoice(), "provider"),
    "invoice/v1/listPaymentIntents": Override(_issued_invoice(), "provider"),
    "job/v1/list": Override(caller="provider"),
    "job/v1/update": Override(caller="provider"),
    "job/v1/addNote": Override(caller="provider"),
    "job/v1/listNotes": Override(caller="provider"),
    "job/v1/addVisit": Override(caller="provider"),
    "job/v1/addCheckpoint": Override(caller="provider"),
    "job/v1/downloadAttachment": Override(caller="provider", kinds={"attachment_id": "job_attachment"}),
    # dispatch: the provider P's admin; P's ready technician, and an assignment per procedure (dispatch_records)
    "dispatch/v1/assignTech": Override(
        lambda w: {"technician_id": w.special["dispatch_technician"], "starts_at": _dispatch_slot("12:00")}, "provider"
    ),
    "dispatch/v1/unassignTech": Override(lambda w: {"assignment_id": w.special["dispatch_unassign"]}, "provider"),
    "dispatch/v1/reschedule": Override(_dispatch_reschedule, "provider"),
    "dispatch/v1/markEnRoute": Override(lambda w: {"assignment_id": w.special["dispatch_en_route"]}, "provider"),
    "dispatch/v1/listAssignments": Override(caller="provider"),
    "dispatch/v1/reportSick": Override(caller="provider"),
    "dispatch/v1/getBoard": Override(caller="provider"),
    "dispatch/v1/optimizeRoute": Override(caller="provider"),
    "dispatch/v1/applyRoute": Override(caller="provider"),
    "dispatch/v1/discardRoute": Override(lambda w: {"plan_id": w.special["dispatch_discard_plan"]}, "provider"),
    # estimates: the provider P's admin on its DRAFT estimate (estimate_records), options from its job template; the
    # proposals addressed to organization A are decided by A's admin (an option of the proposal to accept)
    "estimate/v1/proposeOptions": Override(caller="provider", kinds=ESTIMATE_TEMPLATE),
    "estimate/v1/replaceOption": Override(
        lambda w: {"option_id": w.special["estimate_option_to_replace"]}, "provider", kinds=ESTIMATE_TEMPLATE
    ),
    "estimate/v1/removeOption": Override(lambda w: {"option_id": w.special["estimate_option_to_remove"]}, "provider"),
    "estimate/v1/list": Override(caller="provider"),
    "estimate/v1/listProposals": Override(caller="provider"),
    "estimate/v1/acceptOption": Override(lambda w: {"option_id": w.special["proposal_option"]}),
    "estimate/v1/decline": Override(lambda w: {"proposal_id": w.special["proposal_to_decline"]}),
    # field work: the provider P's admin, for the technician of the visit kept for each procedure (field_records)
    "fieldTech/v1/startTravel": Override(_field("travel"), "provider", kinds=FIELD_VISIT),
    "fieldTech/v1/startWork": Override(_field("work"), "provider", kinds=FIELD_VISIT),
    "fieldTech/v1/stop": Override(_field("stop"), "provider", kinds=FIELD_VISIT),
    "fieldTech/v1/completeVisit": Override(_field("done"), "provider", kinds=FIELD_VISIT),
    "fieldTech/v1/applyChecklist": Override(
        _field("check"), "provider", kinds={**FIELD_VISIT, "template_id": "job_template"}
    ),
    "fieldTech/v1/getChecklist": Override(caller="provider", kinds=FIELD_VISIT),
    "fieldTech/v1/completeStep": Override(caller="provider"),
    "fieldTech/v1/uncompleteStep": Override(caller="provider"),
    "fieldTech/v1/uploadMedia": Override(
        _field("any", file_name="photo.png", content_base64=png()), "provider", kinds=FIELD_VISIT
    ),
    "fieldTech/v1/addVoiceNote": Override(
        _field("any", file_name="note.png", content_base64=png()), "provider", kinds=FIELD_VISIT
    ),
    "fieldTech/v1/captureSignature": Override(
        _field("sign", purpose="DOCUMENT", signer_name="Pat", image_base64=png()),
        "provider",
        kinds={**FIELD_VISIT, "signed_document_id": "field_document"},
    ),
    "fieldTech/v1/recordMaterial": Override(
        _field("any", code="REF-PIPE", quantity="1"), "provider", kinds=FIELD_VISIT
    ),
    "fieldTech/v1/listTimeEntries": Override(caller="provider", kinds=FIELD_VISIT),
    "fieldTech/v1/listMedia": Override(caller="provider", kinds=FIELD_VISIT),
    "fieldTech/v1/listSignatures": Override(caller="provider", kinds=FIELD_VISIT),
    "fieldTech/v1/listMaterials": Override(caller="provider", kinds=FIELD_VISIT),
    "fieldTech/v1/sync": Override(_field_sync, "provider"),
    # the contractor's licences and insurance: the provider P's admin, with a scan or certificate of P's own
    "contractor/license/v1/add": Override(lambda w: licence_body(), "provider", kinds=PROVIDER_DOCUMENT),
    "contractor/license/v1/update": Override(
        lambda w: {"id": w.special["provider_licence"], **licence_body(w.special["provider_licence_number"])},
        "provider",
        kinds=PROVIDER_DOCUMENT,
    ),
    "contractor/insurance/v1/add": Override(lambda w: policy_body(), "provider", kinds=PROVIDER_CERTIFICATE),
    "contractor/insurance/v1/update": Override(
        lambda w: {"id": w.special["provider_policy"], **policy_body(w.special["provider_policy_number"])},
        "provider",
        kinds=PROVIDER_CERTIFICATE,
    ),
    # the inventory (supply_records): a new truck driven at once by a technician without one, the spare truck given
    # to another, stock found, a reorder point far below the stock (a crossing would draft in the background)
    "inventory/v1/createLocation": Override(
        lambda w: {"kind": "TRUCK", "technician_id": w.special["dispatch_technician"]}, "provider"
    ),
    "inventory/v1/assignTruck": Override(lambda w: {"id": w.special["stock_truck"]}, "provider"),
    "inventory/v1/adjust": Override(lambda w: {"quantity": "1", "reason": "FOUND"}, "provider"),
    "inventory/v1/setReorderPoint": Override(lambda w: {"reorder_point": "1", "reorder_quantity": "10"}, "provider"),
    # procurement: a delivery is received against the SENT purchase order
    "procurement/v1/receive": Override(caller="provider", kinds={"purchase_order_id": "sent_purchase_order"}),
}

PROVIDER_NAMESPACES = frozenset({"inventory", "procurement", "maintenance"})
"""A contractor's own namespaces: walked as provider P's admin where OVERRIDES and FORMS say nothing."""


def _new_document(scope_type: str, kind: str) -> Override:
    """`document/v1/upload` creating a document filed under A1's record of `kind` (`scope.id`, checked to be of
    the association `scope.association_id` names, itself the caller's)."""

    def patch(w: World) -> Body:
        scope = {"type": scope_type, "association_id": w.refs["association"]["A1"], "id": w.refs[kind]["A1"]}
        return {"title": "Rules", "category": "RULES", "visibility": "MANAGERS", "scope": scope}

    return Override(patch, kinds={"scope.id": kind}, omit=frozenset({"document_id"}))


def _audience(kind: str) -> Override:
    """A mass communication's audience: the owners of A1's property, or a list of one party (the parameter of the
    other kind is no reference of this form: an audience takes one)."""
    if kind == "PROPERTY":
        return Override(
            lambda w: {"audience": {"kind": "PROPERTY", "property_id": w.refs["property"]["A1"]}},
            kinds={"audience.party_ids": None},
        )
    return Override(
        lambda w: {"audience": {"kind": "CUSTOM", "party_ids": [w.refs["party"]["A1"]]}},
        kinds={"audience.property_id": None},
    )


FORMS: dict[str, dict[str, Override]] = {
    # A maintenance agreement for a customer of the contractor, or for an HOA's association linked to it with the
    # association's work order assigned to it (an association not linked to P is another tenant's).
    "maintenance/v1/create": {
        "customer": Override(agreement_terms, "provider", omit=frozenset({"association_id", "work_order_id"})),
        "HOA": Override(
            lambda w: {**agreement_terms(w), "work_order_id": w.special["completed_order"]},
            "provider",
            _unlinked_association,
            omit=frozenset({"customer_id"}),
        ),
    },
    # An estimate for a customer, a job, or an association's request to bid (another provider's bid: out of reach).
    "estimate/v1/generate": {
        "customer": Override(
            _estimate_options, "provider", kinds=ESTIMATE_OPTIONS, omit=frozenset({"job_id", "bid_id"})
        ),
        "job": Override(
            _estimate_options, "provider", kinds=ESTIMATE_OPTIONS, omit=frozenset({"customer_id", "bid_id"})
        ),
        "bid request": Override(
            _estimate_options,
            "provider",
            lambda w: {"bid_id": w.special["other_providers_bid"]},
            kinds=ESTIMATE_OPTIONS,
            omit=frozenset({"customer_id", "job_id"}),
        ),
    },
    # A rate sheet for an association linked to the contractor, or a discount on a category of its own.
    "pricebook/v1/createRule": {
        "rate sheet": Override(
            lambda w: {"kind": "RATE_SHEET", "entries": [{"code": "REF-ITEM", "price": "90.00"}]},
            "provider",
            _unlinked_association,
            omit=frozenset({"category_id"}),
        ),
        "discount": Override(
            lambda w: {"kind": "MEMBER_DISCOUNT", "percent": "5"}, "provider", omit=frozenset({"association_id"})
        ),
    },
    "document/v1/upload": {
        "unit document": _new_document("UNIT", "unit"),
        "property document": _new_document("PROPERTY", "property"),
        "work order document": _new_document("WORK_ORDER", "work_order"),
        "new version": Override(omit=frozenset({"scope"})),  # `document_id` alone: the file is its next version
    },
    # A board meeting is its association's board's (no board_id); a committee's names the committee.
    "governance/meeting/v1/schedule": {
        "board meeting": Override(omit=frozenset({"board_id"})),
        "committee meeting": Override(lambda w: {"kind": "COMMITTEE"}, kinds={"board_id": "committee"}),
    },
    # A director present (by seat) or a unit on the voter list of an owners' meeting in session.
    "governance/meeting/v1/recordAttendance": {
        "director": Override(omit=frozenset({"unit_id"})),
        "unit": Override(kinds={"meeting_id": "annual_meeting", "unit_id": "voter_unit"}, omit=frozenset({"seat_id"})),
    },
    # A motion by a director's seat (present at the meeting), or a ballot for a unit on the voter list.
    "governance/vote/v1/cast": {
        "motion": Override(lambda w: {"seat_id": w.refs["present_seat"]["A1"]}, omit=frozenset({"unit_id"})),
        "ballot": Override(kinds={"vote_id": "ballot_vote", "unit_id": "voter_unit"}, omit=frozenset({"seat_id"})),
    },
    # A mass communication (a draft's new audience) to a property's owners or to a list of parties.
    "communication/mass/v1/create": {"property": _audience("PROPERTY"), "custom": _audience("CUSTOM")},
    "communication/mass/v1/update": {"property": _audience("PROPERTY"), "custom": _audience("CUSTOM")},
    # A resolution superseding one in force, or a POLICY resolution amending a policy.
    "governance/resolution/v1/propose": {
        "superseding": Override(omit=frozenset({"policy_id"})),
        "amending a policy": Override(
            lambda w: {"kind": "POLICY", "policy_body": "Three pets."}, omit=frozenset({"supersedes_id"})
        ),
    },
}
"""Procedures that take one of several bodies: each form is walked on its own (instead of OVERRIDES)."""


def forms(procedure: Procedure) -> dict[str, Override]:
    default = Override(caller="provider") if procedure.namespace in PROVIDER_NAMESPACES else Override()
    return FORMS.get(procedure.path) or {"": OVERRIDES.get(procedure.path, default)}


WALKS = [(procedure, form, override) for procedure in PROCEDURES for form, override in forms(procedure).items()]

_DUE_DAYS = itertools.count()  # a new due date per body: two charges of a unit and type never share one

SAMPLES: dict[str, Callable[[], Any]] = {
    "account_number": lambda: f"9{secrets.randbelow(10**5):05d}",
    "account_last4": lambda: "4321",
    "unit_number": lambda: f"U{suffix()}",
    "invoice_number": lambda: f"INV-{suffix()}",
    "max_units": lambda: 100_000,
    "due_date": lambda: (date(2030, 1, 1) + timedelta(days=next(_DUE_DAYS))).isoformat(),
    "observed_at": lambda: "2026-11-01T10:00:00+00:00",  # seen in the past (a violation)
    "code": lambda: f"C{suffix().upper()}",  # violation type codes: unique per association, [A-Z0-9_]
    "inflation_rate": lambda: "0.03",  # a reserve study's rates: decimal fractions up to 0.25
    "interest_rate": lambda: "0.01",
    "rrule": lambda: "FREQ=YEARLY",  # a compliance requirement's recurrence
    "choice": lambda: "YES",  # a vote's option
}
"""Values for fields the generic builder cannot derive from the schema (patterns, uniqueness, headroom)."""


class Builder:
    """A valid body from a procedure's input schema: required fields, plus every optional reference (so that it
    is checked too), values of association A1 from the world."""

    def __init__(self, procedure: Procedure, w: World, override: Override) -> None:
        self.procedure, self.w, self.override = procedure, w, override
        self.schema, self.defs = input_schema(procedure)

    def body(self) -> Body:
        patch = self.override.patch(self.w)
        return {**self.object(self.schema, skip=frozenset(patch) | self.override.omit), **patch}

    def object(self, schema: Schema, skip: frozenset[str] = frozenset(), prefix: Path = ()) -> Body:
        body: Body = {}
        for name, prop in schema.get("properties", {}).items():
            required = name in schema.get("required", [])
            if name in skip:
                continue
            if name == "id" and required and not prefix:
                body[name] = self.target()
            elif is_reference(name, prefix):
                kind = ref_kind(self.procedure, RefField((*prefix, name), name), self.override)
                if kind is not None:
                    value = self.w.refs[kind]["A1"]
                    body[name] = [value] if name.endswith("_ids") else value
            elif required or has_id_field(*self.inner(prop)):
                body[name] = self.value(name, prop, prefix)
        return body

    def inner(self, prop: Schema) -> tuple[Schema, Schema]:
        schema, _ = nested(prop, self.defs)
        return (schema or {}), self.defs

    def target(self) -> str:
        kind = TARGET_KINDS.get(self.procedure.namespace)
        if kind is None:
            raise AssertionError(f"{self.procedure.path}: say which kind `id` names in TARGET_KINDS (or OVERRIDES)")
        return self.w.refs[kind]["A1"]

    def value(self, name: str, prop: Schema, prefix: Path = ()) -> Any:
        if name in SAMPLES:
            return SAMPLES[name]()
        option = variants(prop, self.defs)[0]
        if "properties" in option:
            return self.object(option, prefix=(*prefix, name))
        kind = option.get("type")
        if "enum" in option or "const" in option:
            return option.get("enum", [option.get("const")])[0]
        if kind == "array":
            items = range(max(1, option.get("minItems", 1)))
            return [self.value(name, option["items"], (*prefix, name, 0)) for _ in items]
        if kind == "boolean":
            return False
        if kind == "integer":
            return max(1, option.get("minimum", 1))
        if kind == "number":
            return "10.00"
        if kind == "string":
            return self.text(name, option)
        raise AssertionError(f"{self.procedure.path}: no value for {name!r} ({option}); add it to SAMPLES")

    def text(self, name: str, option: Schema) -> str:
        if option.get("format") == "date":
            return date.today().isoformat()
        if option.get("format") == "date-time":
            return (datetime.now(UTC) + timedelta(days=30)).isoformat()
        if "pattern" in option:
            raise AssertionError(f"{self.procedure.path}: {name!r} has a pattern; add a value to SAMPLES")
        return f"Ref {suffix()}"[: option.get("maxLength", 200)]


# --- the checks ------------------------------------------------------------------------------------------


def with_value(body: Body, path: Path, value: Any) -> Body:
    """A copy of `body` with the value at `path` replaced (in the first item of a list)."""
    if len(path) == 1:
        return {**body, str(path[0]): value}
    head, rest = path[0], path[1:]
    inner = body[str(head)] if isinstance(head, str) else body
    if isinstance(rest[0], int):
        items = list(inner)
        items[0] = with_value(items[0], rest[1:], value)
        return {**body, str(head): items}
    return {**body, str(head): with_value(inner, rest, value)}


BACKGROUND_WORK = (
    "SELECT (SELECT count(*) FROM document_versions WHERE organization_id = :org AND extraction_status = 'PENDING')"
    " + (SELECT count(*) FROM violations WHERE organization_id = :org AND status = 'OPEN')"
    " + (SELECT count(*) FROM compliance_deadlines WHERE organization_id = :org"
    "    AND ((status IN ('UPCOMING', 'DUE_SOON') AND reminded_at IS NULL AND remind_on <= current_date)"
    "      OR (status IN ('UPCOMING', 'DUE_SOON') AND due_on < current_date)))"
    " + (SELECT count(*) FROM meetings WHERE organization_id = :org AND status = 'SCHEDULED' AND notice_at <= now())"
    " + (SELECT count(*) FROM vendor_assignments WHERE organization_id = :org AND status = 'RUNNING' AND round = 0)"
    " + (SELECT count(*) FROM assessment_posting_runs WHERE organization_id = :org AND status <> 'COMPLETED')"
)
"""Workflows that write after the request that started them has answered: a new document version's text
extraction, a new violation's courtesy notice (the next notices wait for cure dates, days away), a compliance
deadline's reminder or overdue flag once its date has come (a deadline generated inside its reminder period), a
meeting's notice (sent at once when it is scheduled; its agenda and reminder are days away), a vendor assignment's
first round (sent at once; its reminders and deadlines are hours away), an assessment posting run until it completes."""


PENDING = text(BACKGROUND_WORK)

TENANT_TABLES = text(
    "SELECT c.table_name, bool_or(u.column_name IS NOT NULL) FROM information_schema.columns c "
    "LEFT JOIN information_schema.columns u ON u.table_name = c.table_name "
    "AND u.table_schema = c.table_schema AND u.column_name = 'updated_at' "
    "WHERE c.table_schema = 'public' AND c.column_name = 'organization_id' GROUP BY c.table_name"
)
"""Every tenant table (one with an `organization_id`), and whether it has an `updated_at`."""


@pytest.fixture(scope="module")
async def census(world: World) -> TextClause:
    """The query `snapshot` runs in each organization: the rows and last change of every tenant table. The schema
    does not change while the tests run, so the tables are listed once per module, not twice per walk."""
    database = runtime.current().database
    async with database.transaction(organization_id=uuid.UUID(world.orgs()[0]), user_id=None) as session:
        tables = (await session.execute(TENANT_TABLES)).all()
    parts = [
        f"SELECT '{name}', count(*), {'max(updated_at)' if stamped else 'NULL'} FROM {name} "
        "WHERE organization_id = :org"
        for name, stamped in tables
        if name not in SKIPPED_TABLES
    ]
    return text(" UNION ALL ".join(parts))


HANDED_OFF = text(
    "SELECT (SELECT count(*) FROM work_orders WHERE organization_id = :org AND assigned_provider_org_id = :provider)"
    " - (SELECT count(*) FROM jobs WHERE organization_id = :org AND work_order_id IS NOT NULL)"
)
"""The hand-off, another workflow that writes after the request: a work order assigned to the provider (a bid
accepted, the vendor assigned) becomes the provider's job a moment later. In the associations' organizations this
counts their work orders assigned to the provider, in the provider's its jobs opened from work orders: across the
world's organizations they add up to zero (or less: a job outlives a reassignment) once every hand-off has opened
its job."""


async def snapshot(w: World, census: TextClause) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Rows and last change of every tenant table (`census`), for each organization of the world, once none of
    them has background work pending (`BACKGROUND_WORK`: e.g. the extraction of the documents uploaded so far;
    `HANDED_OFF`). The organizations are read side by side, each in one transaction; while any work is pending, all
    are read again."""
    deadline = asyncio.get_running_loop().time() + 60
    while True:
        read = await asyncio.gather(*(organization_census(w, org, census) for org in w.orgs()))
        waiting = sum(pending for pending, _, _ in read) + max(sum(handed_off for _, handed_off, _ in read), 0)
        if waiting == 0:
            return {key: value for _, _, rows in read for key, value in rows.items()}
        assert asyncio.get_running_loop().time() < deadline, f"{waiting} records still wait for their workflow"
        await asyncio.sleep(0.1)


async def organization_census(
    w: World, org: str, census: TextClause
) -> tuple[int, int, dict[tuple[str, str], tuple[Any, ...]]]:
    """One organization's background work pending, its part of `HANDED_OFF` and its rows (`census`)."""
    async with runtime.current().database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        pending: int = (await session.execute(PENDING, {"org": org})).scalar_one()
        scope = {"org": org, "provider": str(w.provider.org)}
        handed_off: int = (await session.execute(HANDED_OFF, scope)).scalar_one()
        rows = await session.execute(census, {"org": org})
        return pending, handed_off, {(org, row[0]): tuple(row[1:]) for row in rows.all()}


def refused_for_the_reference(response: httpx.Response, ref: RefField) -> bool:
    error = response.json()["error"]
    if error["code"] == "NOT_FOUND":
        return True
    if error["code"] == "BUSINESS_RULE_VIOLATION":
        return (error.get("details") or {}).get("reason") in REFERENCE_REASONS
    if error["code"] == "VALIDATION_FAILED":
        return any(ref.name in (e.get("field") or "") for e in error.get("field_errors") or [])
    return False


def answer(response: httpx.Response) -> tuple[int, str | None, str | None]:
    payload = response.json()
    if payload["ok"]:
        return 200, None, None
    error = payload["error"]
    return response.status_code, error["code"], (error.get("details") or {}).get("reason")


def check_refused(procedure: Procedure, ref: RefField, case: str, response: httpx.Response) -> None:
    where = f"{procedure.path} {ref.label} = {case}"
    assert response.status_code < 500, f"{where}: {response.status_code} {response.text}"
    if response.status_code == 200 and not procedure.mutates and "items" in response.json()["data"]:
        items = response.json()["data"]["items"]
        assert items == [], f"{where}: a filter on a record out of reach must find nothing: {response.text}"
        return
    assert 400 <= response.status_code < 500, f"{where}: accepted: {response.text}"
    payload = response.json()
    assert payload["ok"] is False, response.text
    assert payload["error"]["http_status"] == response.status_code, response.text
    assert refused_for_the_reference(response, ref), f"{where}: refused, but not for the reference: {response.text}"


def cases(procedure: Procedure, w: World, body: Body, override: Override) -> Iterator[tuple[RefField, str, Any]]:
    """(field, case, value) for every reference: another tenant's, a random one, another association's."""
    refs = references_of(procedure, override)
    foreign = override.foreign(w)
    target = TARGET_KINDS.get(procedure.namespace)
    bound = [r for r in refs if ref_kind(procedure, r, override) in ASSOCIATION_BOUND]
    for ref in refs:
        kind = ref_kind(procedure, ref, override)
        assert kind is not None

        def shaped(value: str, ref: RefField = ref) -> Any:
            return [value] if ref.many else value

        yield ref, "another tenant's", shaped(foreign.get(ref.name) or w.refs[kind]["B"])
        yield ref, "a random id", shaped(str(uuid.uuid4()))
        others = [r for r in bound if r is not ref] + ([target] if target in ASSOCIATION_BOUND and "id" in body else [])
        if kind in ASSOCIATION_BOUND and others:
            yield ref, "another association's", shaped(w.refs[kind]["A2"])


def test_every_id_field_names_a_known_kind() -> None:
    """A new procedure with an id field of a kind this test does not know fails here, naming the field; and the
    forms of a procedure that has several walk every one of its references between them."""
    for procedure in REGISTRY:
        walked = {f.label for override in forms(procedure).values() for f in references_of(procedure, override)}
        for ref in ref_fields(*input_schema(procedure)):
            assert ref.label in walked or ref_kind(procedure, ref) is None, f"{procedure.path}: {ref.label} unwalked"


@pytest.mark.parametrize(
    ("procedure", "form", "override"), WALKS, ids=[f"{p.path}{f and f' ({f})'}" for p, f, _ in WALKS]
)
async def test_every_reference_is_checked_in_scope(
    world: World, census: TextClause, procedure: Procedure, form: str, override: Override
) -> None:
    w = world
    caller = w.caller(override.caller)
    body = Builder(procedure, w, override).body()
    before = await snapshot(w, census)
    foreign_answer: tuple[int, str | None, str | None] | None = None
    for ref, case, value in cases(procedure, w, body, override):
        response = await post(w.client, caller.who, caller.org, procedure.path, with_value(body, ref.path, value))
        check_refused(procedure, ref, case, response)
        if case == "another tenant's":
            foreign_answer = answer(response)
        elif case == "a random id":
            assert answer(response) == foreign_answer, (
                f"{procedure.path} {ref.label}: another tenant's id and a random id answer differently: "
                f"{foreign_answer} / {answer(response)}"
            )
    assert await snapshot(w, census) == before, f"{procedure.path}: a refused request changed data"

    response = await post(w.client, caller.who, caller.org, procedure.path, body)
    assert response.status_code == 200, (
        f"{procedure.path}: the valid body {body} was refused, so the refusals above prove nothing; make the "
        f"builder derive it (SAMPLES) or add an entry to OVERRIDES: {response.text}"
    )


async def test_only_a_provider_with_a_profile_can_be_linked(world: World) -> None:
    """The association side names a provider by its organization id: a provider organization without a profile,
    a community association and a random id are all NOT_FOUND alike; a provider with a profile links."""
    w = world
    association_id = w.refs["association"]["A2"]
    for provider in (w.special["provider_without_profile"], str(w.other.org), str(uuid.uuid4())):
        body = {"association_id": association_id, "provider_organization_id": provider, "provider_name": "X"}
        response = await post(w.client, w.manager.who, w.manager.org, "serviceProvider/v1/link", body)
        assert response.status_code == 404, response.text
        assert response.json()["error"]["code"] == "NOT_FOUND"
