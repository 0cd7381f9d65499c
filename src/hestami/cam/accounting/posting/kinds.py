"""Posting's record kinds as Cerbos sees them (policies/resource/assessment_posting_run.yaml, collection_step.yaml).

A run belongs to its association (a board member sees the associations whose board they sit on); a collection
step also names its unit's owners today (`owner_user_ids`: an owner sees the steps taken against their unit).
"""

from __future__ import annotations

from hestami.cam.accounting.posting.models import CollectionStep, PostingRun
from hestami.cam.association import api as association_api
from hestami.core.authz import AttrValue
from hestami.core.context import RequestContext
from hestami.core.records import RecordKind


async def _unit_owners(ctx: RequestContext, record: CollectionStep) -> dict[str, AttrValue]:
    people = await association_api.people_of_unit(ctx, record.unit_id)
    return {"owner_user_ids": people.owner_user_ids}


def _owner_columns() -> dict[str, object]:
    return {
        "owner_user_ids": association_api.unit_owners_column(CollectionStep.unit_id, CollectionStep.organization_id)
    }


UNIT_SNAPSHOT = frozenset({"unit_ids", "unit_properties", "unit_numbers", "unit_weights", "unit_shares"})
"""A run's units as fixed when it started: deferred columns, kept out of audit snapshots and outputs."""
POSTING_RUN = RecordKind("assessment_posting_run", PostingRun, hidden_fields=UNIT_SNAPSHOT)
COLLECTION_STEP = RecordKind("collection_step", CollectionStep, attrs=_unit_owners, columns=_owner_columns)
