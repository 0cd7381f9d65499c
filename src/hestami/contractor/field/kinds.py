"""The field backend's record kinds as Cerbos sees them (policies/resource/field_work.yaml).

Every decision is about the work on one visit (or, for reading, on one job): the resource `field_work`, whose
`assigned_user_id` is the account of the technician the visit is assigned to (dispatch's live assignment; none for a
job) and whose `technician_user_ids` are the accounts of the technicians working the job. The records themselves
(time entries, steps, media, signatures, materials, sync actions) are written after that decision, each audited
under its own kind."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from hestami.contractor.field.models import (
    ChecklistStep,
    MaterialEntry,
    Media,
    Signature,
    SyncAction,
    TimeEntry,
    Transcription,
)
from hestami.core.authz import Resource
from hestami.core.records import RecordKind

__all__ = [
    "MATERIAL",
    "MEDIA",
    "SIGNATURE",
    "STEP",
    "SYNC_ACTION",
    "TIME_ENTRY",
    "TRANSCRIPTION",
    "WORK",
    "Resource",
    "work",
]

WORK = "field_work"

TIME_ENTRY = RecordKind("field_time_entry", TimeEntry)
STEP = RecordKind("field_checklist_step", ChecklistStep)
MEDIA = RecordKind("field_media", Media)
TRANSCRIPTION = RecordKind("field_transcription", Transcription)
SIGNATURE = RecordKind("field_signature", Signature)
MATERIAL = RecordKind("field_material", MaterialEntry)
SYNC_ACTION = RecordKind("field_sync_action", SyncAction)


def work(
    organization_id: uuid.UUID,
    record_id: uuid.UUID,
    assigned_user_id: uuid.UUID | None,
    technician_user_ids: Sequence[uuid.UUID],
) -> Resource:
    """The work on a visit (`record_id`: the visit; a job's for reading) as the policy sees it."""
    return Resource(
        WORK, str(record_id), {
            "organization_id": str(organization_id),
            "assigned_user_id": str(assigned_user_id) if assigned_user_id is not None else None,
            "technician_user_ids": sorted({str(u) for u in technician_user_ids}),
        },
    )  # fmt: skip
