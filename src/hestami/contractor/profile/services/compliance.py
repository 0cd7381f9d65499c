"""The contractor's compliance: computed from its licences and insurance (`rules.py`), recorded on its profile
when it changes (status, reasons, since when), and the daily check of `compliance_workflow_v1`: it records the day's
status, tells the contractor of documents about to expire (30, 14 and 1 days before, each once) and when it
becomes non-compliant, and names the associations linked to it that must hear of it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from hestami.cam.work_order import api as work_orders
from hestami.contractor.profile import kinds, repository, rules
from hestami.contractor.profile.models import ContractorProfile, Insurance, License
from hestami.contractor.profile.schemas import ComplianceOut, ExpiringOut, IssueOut
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.core.outbox import OutboundMessage, record_all_once
from hestami.identity.services import organizations as identity

MANAGING_ROLES = ["ADMIN", "MANAGER"]


def license_document(row: License) -> rules.Document:
    label = f"{row.trade.lower()} licence {row.license_number} ({row.jurisdiction})"
    return rules.Document(
        row.id, "LICENSE", f"{row.trade.upper()}|{row.jurisdiction.upper()}", label, row.expires_on, row.issued_on
    )


def insurance_document(row: Insurance) -> rules.Document:
    label = f"{rules.LABELS[row.kind]} policy {row.policy_number} ({row.carrier})"
    return rules.Document(
        row.id, row.kind, "", label, row.expires_on, row.effective_on, row.per_occurrence_limit, row.aggregate_limit
    )


async def documents_by_organization(
    ctx: RequestContext, organization_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[rules.Document]]:
    """Every live licence and policy of the organizations (that the session may read), in two reads."""
    found: dict[uuid.UUID, list[rules.Document]] = {org: [] for org in organization_ids}
    for licence in await repository.licenses_of(ctx.session, organization_ids):
        found.setdefault(licence.organization_id, []).append(license_document(licence))
    for policy in await repository.insurances_of(ctx.session, organization_ids):
        found.setdefault(policy.organization_id, []).append(insurance_document(policy))
    return found


def _reasons(issues: Sequence[work_orders.ComplianceIssue]) -> list[dict[str, Any]]:
    return [
        {"code": i.code, "message": i.message, "document": i.document,
         "expires_on": i.expires_on.isoformat() if i.expires_on else None}
        for i in issues
    ]  # fmt: skip


async def refresh(
    ctx: RequestContext, profile: ContractorProfile, on: date, *, checked: bool = False
) -> tuple[list[work_orders.ComplianceIssue], list[rules.Document]]:
    """Assesses the profile's organization on `on` and records the status when it changed (since `on`, audited
    `contractor_profile.compliance_changed` with the reasons), else the reasons. Returns the issues and the
    documents they were read from."""
    documents = (await documents_by_organization(ctx, [profile.organization_id]))[profile.organization_id]
    issues = rules.issues(documents, on)
    status = rules.status(issues)
    changed = status != profile.compliance_status or profile.compliance_since is None
    values: dict[str, Any] = {"compliance_reasons": _reasons(issues)}
    if changed:
        values |= {"compliance_status": status, "compliance_since": on}
    if checked:
        values["compliance_checked_on"] = on
    if changed:
        await records.change(ctx, kinds.PROFILE, profile, values, action="compliance_changed")
    else:
        for name, value in values.items():
            setattr(profile, name, value)
        await ctx.session.flush()
        await ctx.session.refresh(profile)
    return issues, documents


async def refresh_own(ctx: RequestContext) -> None:
    """After a document changed: the caller's organization's compliance today (nothing when it has no profile)."""
    org = ctx.require_org()
    await repository.lock_profile(ctx.session, org)
    profile = await repository.profile_of(ctx.session, org)
    if profile is not None:
        await refresh(ctx, profile, date.today())


def _issue_out(issue: work_orders.ComplianceIssue) -> IssueOut:
    return IssueOut(code=issue.code, message=issue.message, document=issue.document, expires_on=issue.expires_on)


async def own_for_check(ctx: RequestContext) -> uuid.UUID:
    """The caller's organization, which may start a check of its documents now (its management)."""
    org = ctx.require_org()
    profile = await repository.profile_of(ctx.session, org)
    if profile is None:
        raise not_found(kinds.PROFILE.name, org)
    await records.authorize_record(ctx, kinds.PROFILE, profile, "update")
    return org


async def get(ctx: RequestContext) -> ComplianceOut:
    """The caller's compliance now, its documents expiring within 30 days, and what the daily check recorded."""
    org = ctx.require_org()
    profile = await repository.profile_of(ctx.session, org)
    if profile is None:
        raise not_found(kinds.PROFILE.name, org)
    await records.authorize_record(ctx, kinds.PROFILE, profile, "view")
    today = date.today()
    documents = (await documents_by_organization(ctx, [org]))[org]
    issues = rules.issues(documents, today)
    return ComplianceOut(
        organization_id=org,
        status="NON_COMPLIANT" if issues else "COMPLIANT",
        on=today,
        issues=[_issue_out(i) for i in issues],
        expiring=[
            ExpiringOut(
                document_id=d.id,
                kind=d.kind,
                label=d.label,
                expires_on=d.expires_on,
                days_left=(d.expires_on - today).days,
            )
            for d in rules.expiring(documents, today)
        ],
        recorded_status=profile.compliance_status,
        recorded_since=profile.compliance_since,
        checked_on=profile.compliance_checked_on,
    )


def _message(
    profile: ContractorProfile, recipient: tuple[uuid.UUID, str], template: str, payload: dict[str, Any], key: str
) -> OutboundMessage:
    user_id, email = recipient
    return OutboundMessage(
        organization_id=profile.organization_id, channel="EMAIL", recipient=email, recipient_user_id=user_id,
        template=template, payload={"contractor": profile.legal_name, **payload}, entity_type=kinds.PROFILE.name,
        entity_id=profile.id, dedupe_key=f"{key}:{email}",
    )  # fmt: skip


def expiry_notices(
    profile: ContractorProfile, documents: Sequence[rules.Document], on: date, people: Sequence[tuple[uuid.UUID, str]]
) -> list[OutboundMessage]:
    """The expiry notices due on `on`, one per document, expiry, threshold and recipient (a renewed document has a
    new expiry, so its notices start again)."""
    messages = []
    for document in documents:
        days = rules.notice_due(document.expires_on, on)
        if days is None or not document.holds_on(on):
            continue
        payload = {"document": document.label, "kind": document.kind, "expires_on": document.expires_on.isoformat(),
                   "days_before": days, "days_left": (document.expires_on - on).days}  # fmt: skip
        key = f"contractor_expiry:{document.id}:{document.expires_on.isoformat()}:{days}"
        messages += [_message(profile, person, "contractor.document_expiring", payload, key) for person in people]
    return messages


async def daily_check(ctx: RequestContext, on: date) -> dict[str, Any]:
    """The daily check of the caller's organization (ctx as the system in that organization): the status recorded
    as of `on`, the expiry notices due, a notice to the contractor when it is non-compliant (once per episode),
    and, while non-compliant, the associations linked to it (each to be told once per episode)."""
    org = ctx.require_org()
    await repository.lock_profile(ctx.session, org)
    profile = await repository.profile_of(ctx.session, org)
    if profile is None:
        return {"status": "NONE", "since": None, "issues": [], "links": [], "notices": 0}
    issues, documents = await refresh(ctx, profile, on, checked=True)
    people = await identity.members_in_roles(ctx, MANAGING_ROLES)
    messages = expiry_notices(profile, documents, on, people)
    since = profile.compliance_since.isoformat() if profile.compliance_since else on.isoformat()
    links: list[list[str]] = []
    if issues:
        payload = {"since": since, "issues": _reasons(issues)}
        key = f"contractor_non_compliant:{org}:{since}"
        messages += [_message(profile, person, "contractor.non_compliant", payload, key) for person in people]
        links = [
            [str(link.organization_id), str(link.association_id)] for link in await work_orders.linked_associations(ctx)
        ]
    await record_all_once(ctx.session, messages)
    return {"status": profile.compliance_status, "since": since, "issues": _reasons(issues), "links": links,
            "notices": len(messages)}  # fmt: skip


def issues_from(reasons: Sequence[dict[str, Any]]) -> list[work_orders.ComplianceIssue]:
    return [
        work_orders.ComplianceIssue(
            r["code"],
            r["message"],
            r.get("document"),
            date.fromisoformat(r["expires_on"]) if r.get("expires_on") else None,
        )
        for r in reasons
    ]
