"""Licences (per trade and jurisdiction) and insurance policies: the documents compliance is computed from. Each
change re-assesses the contractor's compliance in the same transaction. A scan or certificate is a document of
the caller's organization (`document/v1/upload`), loaded through the caller's scope."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError

from hestami.cam.documents import api as documents
from hestami.contractor.profile import kinds
from hestami.contractor.profile.errors import ContractorReason, rule
from hestami.contractor.profile.models import Insurance, License
from hestami.contractor.profile.schemas import (
    AddInsurance,
    AddLicense,
    InsuranceOut,
    LicenseOut,
    ListDocuments,
    UpdateInsurance,
    UpdateLicense,
)
from hestami.contractor.profile.services import compliance, profiles
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.pagination import Page
from hestami.core.records import RecordKind

R = TypeVar("R", License, Insurance)


def license_out(row: License) -> LicenseOut:
    return records.output(LicenseOut, row, holds_today=compliance.license_document(row).holds_on(date.today()))


def insurance_out(row: Insurance) -> InsuranceOut:
    return records.output(InsuranceOut, row, holds_today=compliance.insurance_document(row).holds_on(date.today()))


async def _check_document(ctx: RequestContext, document_id: uuid.UUID | None) -> None:
    if document_id is not None:
        await documents.existing_file(ctx, document_id)


async def _save(
    ctx: RequestContext, kind: RecordKind[R], row: R | None, values: dict[str, Any], duplicate: ContractorReason
) -> R:
    """Creates (row None) or changes the record; a second live document with the same number is
    BUSINESS_RULE_VIOLATION `duplicate` (a partial unique index holds it)."""
    profile = await profiles.own_profile(ctx, "view", lock=True)
    try:
        async with ctx.session.begin_nested():
            if row is None:
                saved = await records.create(ctx, kind, kind.model(**values))
            else:
                saved = await records.change(ctx, kind, row, values)
    except IntegrityError:
        raise rule(duplicate, "A document with this number is already on file.") from None
    await compliance.refresh(ctx, profile, date.today())
    return saved


async def add_license(ctx: RequestContext, data: AddLicense) -> LicenseOut:
    await _check_document(ctx, data.document_id)
    return license_out(await _save(ctx, kinds.LICENSE, None, data.model_dump(), ContractorReason.DUPLICATE_LICENSE))


async def update_license(ctx: RequestContext, data: UpdateLicense) -> LicenseOut:
    row = await _live(ctx, kinds.LICENSE, data.id, "update")
    await _check_document(ctx, data.document_id)
    values = data.model_dump(exclude={"id"})
    return license_out(await _save(ctx, kinds.LICENSE, row, values, ContractorReason.DUPLICATE_LICENSE))


async def add_insurance(ctx: RequestContext, data: AddInsurance) -> InsuranceOut:
    await _check_document(ctx, data.certificate_document_id)
    saved = await _save(ctx, kinds.INSURANCE, None, data.model_dump(), ContractorReason.DUPLICATE_POLICY)
    return insurance_out(saved)


async def update_insurance(ctx: RequestContext, data: UpdateInsurance) -> InsuranceOut:
    row = await _live(ctx, kinds.INSURANCE, data.id, "update")
    await _check_document(ctx, data.certificate_document_id)
    values = data.model_dump(exclude={"id"})
    return insurance_out(await _save(ctx, kinds.INSURANCE, row, values, ContractorReason.DUPLICATE_POLICY))


async def _live(ctx: RequestContext, kind: RecordKind[R], record_id: uuid.UUID, action: str) -> R:
    """A live (not removed) record of the caller's organization: NOT_FOUND otherwise."""
    return await records.load(ctx, kind, record_id, action)


async def get_license(ctx: RequestContext, record_id: uuid.UUID) -> LicenseOut:
    return license_out(await _live(ctx, kinds.LICENSE, record_id, "view"))


async def get_insurance(ctx: RequestContext, record_id: uuid.UUID) -> InsuranceOut:
    return insurance_out(await _live(ctx, kinds.INSURANCE, record_id, "view"))


async def remove_license(ctx: RequestContext, record_id: uuid.UUID) -> None:
    await records.soft_delete(ctx, kinds.LICENSE, record_id)
    await compliance.refresh_own(ctx)


async def remove_insurance(ctx: RequestContext, record_id: uuid.UUID) -> None:
    await records.soft_delete(ctx, kinds.INSURANCE, record_id)
    await compliance.refresh_own(ctx)


async def list_licenses(ctx: RequestContext, data: ListDocuments) -> Page[LicenseOut]:
    filters = [License.organization_id == ctx.require_org(), License.deleted_at.is_(None)]
    items, cursor = await records.page(ctx, kinds.LICENSE, data, *filters)
    return Page[LicenseOut](items=[license_out(x) for x in items], next_cursor=cursor)


async def list_insurances(ctx: RequestContext, data: ListDocuments) -> Page[InsuranceOut]:
    filters = [Insurance.organization_id == ctx.require_org(), Insurance.deleted_at.is_(None)]
    items, cursor = await records.page(ctx, kinds.INSURANCE, data, *filters)
    return Page[InsuranceOut](items=[insurance_out(x) for x in items], next_cursor=cursor)
