"""The jobs' record kinds as Cerbos sees them (policies/resource/<kind>.yaml).

A job, its visits, notes and checkpoints carry `technician_user_ids`: the accounts of the technicians working the
job, who see it (and its visits and notes) and record its progress. Who works a job is dispatch's to say: it
registers `register_technician_users` once, at import; until then (and for a job nobody is assigned to) the list is
empty. A job's `association_id` is the HOA's association of a work order's job (no policy reads it)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Text, literal, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY

from hestami.contractor.job.models import Customer, Job, JobCheckpoint, JobNote, JobVisit
from hestami.core.authz import AttrValue
from hestami.core.context import RequestContext
from hestami.core.records import RecordKind

TechnicianUsers = Callable[[RequestContext, Sequence[uuid.UUID]], Awaitable[Mapping[uuid.UUID, Sequence[uuid.UUID]]]]
"""(ctx, job ids) → the user ids of the technicians working each job (a job nobody works may be absent)."""
TechnicianUsersColumn = Callable[[Any, Any], ColumnElement[Any]]
"""(organization_id column, job_id column) → the same users as a SQL text array of the row (for query plans)."""


@dataclass
class _Source:
    users: TechnicianUsers | None = None
    column: TechnicianUsersColumn | None = None


_technicians = _Source()


def register_technician_users(users: TechnicianUsers, column: TechnicianUsersColumn | None = None) -> None:
    """Who works each job (dispatch's assignments): `users` for one record's decision, `column` for lists (without
    it a technician's lists show nothing). Registered at import, before the first request (plans are built once)."""
    _technicians.users, _technicians.column = users, column


async def technician_users(ctx: RequestContext, job_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """The technicians' user ids (as text) of each job, in one call of the registered source."""
    found: dict[uuid.UUID, list[str]] = {job_id: [] for job_id in job_ids}
    if _technicians.users is None or not job_ids:
        return found
    for job_id, users in (await _technicians.users(ctx, list(job_ids))).items():
        if job_id in found:
            found[job_id] = sorted({str(user) for user in users})
    return found


def _users_column(organization_id: Any, job_id: Any) -> ColumnElement[Any]:
    if _technicians.column is None:
        return type_coerce(literal([], ARRAY(Text)), ARRAY(Text))
    return type_coerce(_technicians.column(organization_id, job_id), ARRAY(Text))


async def _job_attrs(ctx: RequestContext, job: Job) -> dict[str, AttrValue]:
    return {"technician_user_ids": (await technician_users(ctx, [job.id]))[job.id]}


async def _child_attrs(ctx: RequestContext, row: JobVisit | JobNote | JobCheckpoint) -> dict[str, AttrValue]:
    return {"technician_user_ids": (await technician_users(ctx, [row.job_id]))[row.job_id]}


def _note_internal(note: JobNote) -> dict[str, AttrValue]:
    return {"internal": bool(note.internal)}


CUSTOMER = RecordKind("customer", Customer)
JOB = RecordKind(
    "job", Job, attrs=_job_attrs,
    columns=lambda: {"technician_user_ids": _users_column(Job.organization_id, Job.id)},
)  # fmt: skip
JOB_VISIT = RecordKind(
    "job_visit", JobVisit, attrs=_child_attrs,
    columns=lambda: {"technician_user_ids": _users_column(JobVisit.organization_id, JobVisit.job_id)},
)  # fmt: skip
JOB_NOTE = RecordKind(
    "job_note", JobNote, attrs=_child_attrs, base_attrs=_note_internal,
    columns=lambda: {"technician_user_ids": _users_column(JobNote.organization_id, JobNote.job_id),
                     "internal": JobNote.internal},
)  # fmt: skip
JOB_CHECKPOINT = RecordKind(
    "job_checkpoint", JobCheckpoint, attrs=_child_attrs,
    columns=lambda: {"technician_user_ids": _users_column(JobCheckpoint.organization_id, JobCheckpoint.job_id)},
)  # fmt: skip
