"""The payment gateway's call records as managers (every call) and owners (the calls for their methods) read them."""

from __future__ import annotations

from hestami.cam.association import api as association
from hestami.cam.portal.payments import kinds
from hestami.cam.portal.payments.models import GatewayRecord
from hestami.cam.portal.payments.schemas import GatewayRecordOut, GatewayRecordsOut, ListGatewayRecords
from hestami.core import records
from hestami.core.context import RequestContext


async def list_records(ctx: RequestContext, data: ListGatewayRecords) -> GatewayRecordsOut:
    filters = []
    if data.association_id is not None:
        await association.load_association(ctx, data.association_id)
        filters.append(GatewayRecord.association_id == data.association_id)
    if data.unit_id is not None:
        filters.append(GatewayRecord.unit_id == data.unit_id)
    if data.operation is not None:
        filters.append(GatewayRecord.operation == data.operation)
    rows, cursor = await records.page(ctx, kinds.GATEWAY_RECORD, data, *filters)
    return GatewayRecordsOut(items=[records.output(GatewayRecordOut, row) for row in rows], next_cursor=cursor)
