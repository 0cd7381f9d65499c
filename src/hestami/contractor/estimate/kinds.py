"""The estimate domain's record kinds as Cerbos sees them (policies/resource/estimate*.yaml).

An estimate carries `technician_user_ids` (the technicians working its job, through `job.api`: they read it) and
`addressee_organization_id` (the HOA organization of a work order's estimate, or ""). A proposal carries
`addressee_organization_id`: the HOA's managers read and decide the proposals addressed to their organization."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, cast, func, literal, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY

from hestami.contractor.estimate.models import Estimate, Proposal
from hestami.contractor.job import api as jobs
from hestami.core.authz import AttrValue
from hestami.core.context import RequestContext
from hestami.core.records import RecordKind


async def _estimate_attrs(ctx: RequestContext, estimate: Estimate) -> dict[str, AttrValue]:
    if estimate.job_id is None:
        return {"technician_user_ids": []}
    return {"technician_user_ids": (await jobs.technician_users(ctx, [estimate.job_id]))[estimate.job_id]}


def _estimate_base(estimate: Estimate) -> dict[str, AttrValue]:
    addressee = estimate.hoa_organization_id
    return {"addressee_organization_id": str(addressee) if addressee else "", "status": estimate.status}


def _estimate_columns() -> dict[str, Any]:
    no_job = type_coerce(literal([], ARRAY(Text)), ARRAY(Text))
    users = func.coalesce(jobs.technician_users_column(Estimate.organization_id, Estimate.job_id), no_job)
    return {
        "technician_user_ids": type_coerce(users, ARRAY(Text)),
        "addressee_organization_id": func.coalesce(cast(Estimate.hoa_organization_id, Text), ""),
        "status": Estimate.status,
    }


def _proposal_base(proposal: Proposal) -> dict[str, AttrValue]:
    addressee = proposal.addressee_organization_id
    return {"addressee_organization_id": str(addressee) if addressee else ""}


ESTIMATE = RecordKind("estimate", Estimate, attrs=_estimate_attrs, base_attrs=_estimate_base, columns=_estimate_columns)
PROPOSAL = RecordKind(
    "estimate_proposal", Proposal, base_attrs=_proposal_base,
    columns=lambda: {"addressee_organization_id": func.coalesce(cast(Proposal.addressee_organization_id, Text), "")},
)  # fmt: skip
