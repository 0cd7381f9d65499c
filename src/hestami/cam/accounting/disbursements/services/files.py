"""A batch's bank files read back from storage, as written."""

from __future__ import annotations

from hestami.cam.accounting.disbursements import kinds
from hestami.cam.accounting.disbursements.errors import DisbursementReason, rule
from hestami.cam.accounting.disbursements.schemas import DownloadFile, FileOut
from hestami.cam.accounting.disbursements.services import processing
from hestami.core import records, runtime
from hestami.core.context import RequestContext


async def read(ctx: RequestContext, data: DownloadFile) -> FileOut:
    batch = await records.load(ctx, kinds.PAYMENT_BATCH, data.id, "download")
    key_column, _, content_type = processing.FILES[data.file]
    key = getattr(batch, key_column)
    if key is None:
        raise rule(DisbursementReason.NO_FILE, f"Batch {batch.batch_number} has no {data.file} file.")
    chunks = [chunk async for chunk in runtime.current().files.stream(key)]
    content = b"".join(chunks)
    return FileOut(
        file_name=processing.file_name(batch, data.file), content_type=content_type,
        content=content.decode("ascii", "replace"), size_bytes=len(content),
    )  # fmt: skip
