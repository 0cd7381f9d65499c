"""The customer's signature of a visit: the image (a PNG, filed as a document of the job), the signer's name, when,
and what it signs (a document of the job, or the visit's work summary). One per visit and purpose
(SIGNATURE_EXISTS; a unique key stands behind it)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hestami.cam.documents import api as documents
from hestami.cam.documents.content.rules import Category
from hestami.contractor.field import kinds, repository
from hestami.contractor.field.errors import FieldReason, conflict, rule
from hestami.contractor.field.models import Signature
from hestami.contractor.field.schemas import OfJob, SignatureOut, SignaturePayload, SignaturesOut
from hestami.contractor.field.services import media, worksite
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found

PNG = "image/png"


def signature_out(signature: Signature, document_id: uuid.UUID) -> SignatureOut:
    return records.output(SignatureOut, signature, document_id=document_id)


async def capture(
    ctx: RequestContext, visit_id: uuid.UUID, data: SignaturePayload, job_id: uuid.UUID | None = None
) -> SignatureOut:
    site = await worksite.for_recording(ctx, visit_id, job_id)
    if data.signed_document_id is not None:
        of_job = {f.id for f in await documents.attached_files(ctx, media.SCOPE, site.job.id)}
        if data.signed_document_id not in of_job:
            raise not_found("document", data.signed_document_id)
    if await repository.signature(ctx.session, site.visit.id, data.purpose) is not None:
        raise conflict(FieldReason.SIGNATURE_EXISTS, f"This visit's {data.purpose} is signed already.")
    image = await media.file(ctx, site, "SIGNATURE", f"signature-{data.purpose.lower()}.png",
                             media.decoded(data.image_base64), caption=f"Signed by {data.signer_name}",
                             category=Category.PHOTO)  # fmt: skip
    if image.content_type != PNG:
        raise rule(FieldReason.NOT_AN_IMAGE, "The signature must be a PNG image.", content_type=image.content_type)
    signature = Signature(
        job_id=site.job.id, visit_id=site.visit.id, purpose=data.purpose, signed_document_id=data.signed_document_id,
        work_summary=data.work_summary, signer_name=data.signer_name, signed_at=data.at or datetime.now(UTC),
        media_id=image.id,
    )  # fmt: skip
    made = await records.insert(ctx, kinds.SIGNATURE, signature)
    return signature_out(made, image.document_id)


async def list_signatures(ctx: RequestContext, data: OfJob) -> SignaturesOut:
    job = await worksite.for_reading(ctx, data.job_id, data.visit_id)
    found = await repository.signatures(ctx.session, job.id, data.visit_id)
    images = await repository.media_by_id(ctx.session, [s.media_id for s in found])
    return SignaturesOut(items=[signature_out(s, images[s.media_id].document_id) for s in found])
