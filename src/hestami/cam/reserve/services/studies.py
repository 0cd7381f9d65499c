"""Reserve studies: the date, preparer, level and assumptions of a study, with the association's inventory as the
study saw it (a snapshot taken when the study is recorded, which later component changes never touch)."""

from __future__ import annotations

import uuid
from typing import Any

from hestami.cam.association import api as association
from hestami.cam.documents import api as documents
from hestami.cam.reserve import kinds, repository
from hestami.cam.reserve.errors import ReserveReason, rule
from hestami.cam.reserve.models import Study
from hestami.cam.reserve.schemas import (
    CreateStudy,
    ListStudies,
    StudyComponentOut,
    StudyDetailOut,
    StudyOut,
    UpdateStudy,
)
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.pagination import Page


async def _check_document(ctx: RequestContext, association_id: uuid.UUID, document_id: uuid.UUID) -> None:
    """A document the caller may view, of the study's association or of the organization as a whole."""
    found = await documents.existing_file(ctx, document_id)
    if found.association_id is not None and found.association_id != association_id:
        raise rule(ReserveReason.WRONG_ASSOCIATION, "That document belongs to another association.")


async def detail(ctx: RequestContext, study: Study) -> StudyDetailOut:
    snapshot = await repository.study_components(ctx.session, study.id)
    return records.output(
        StudyDetailOut, study, components=[StudyComponentOut.model_validate(c, from_attributes=True) for c in snapshot]
    )


async def create(ctx: RequestContext, data: CreateStudy) -> StudyDetailOut:
    await association.load_association(ctx, data.association_id)
    await records.authorize_new(ctx, kinds.STUDY, "create")
    if data.document_id is not None:
        await _check_document(ctx, data.association_id, data.document_id)
    components = await repository.active_components(ctx.session, data.association_id)
    if not components:
        raise rule(ReserveReason.NO_COMPONENTS, "The association has no active reserve components to study.")
    study = await records.create(ctx, kinds.STUDY, Study(**data.model_dump()))
    await repository.snapshot_components(ctx.session, study.organization_id, study.id, components)
    return await detail(ctx, study)


async def update(ctx: RequestContext, data: UpdateStudy) -> StudyDetailOut:
    study = await records.load(ctx, kinds.STUDY, data.id, "update", lock=True)
    changes: dict[str, Any] = {k: v for k, v in records.changes_of(data).items() if v is not None or k != "preparer"}
    if changes.get("document_id") is not None:
        await _check_document(ctx, study.association_id, changes["document_id"])
    await records.change(ctx, kinds.STUDY, study, changes)
    return await detail(ctx, study)


async def get(ctx: RequestContext, study_id: uuid.UUID) -> StudyDetailOut:
    return await detail(ctx, await records.load(ctx, kinds.STUDY, study_id))


async def list_studies(ctx: RequestContext, data: ListStudies) -> Page[StudyOut]:
    filters = [] if data.association_id is None else [Study.association_id == data.association_id]
    rows, cursor = await records.page(ctx, kinds.STUDY, data, *filters)
    return Page[StudyOut](items=[records.output(StudyOut, r) for r in rows], next_cursor=cursor)
