"""What other domains may use of the disbursements: the 1099-NEC totals (the reporting domain's 1099 summary)."""

from __future__ import annotations

import uuid

from hestami.cam.accounting.disbursements.schemas import Form1099In, Form1099Out
from hestami.cam.accounting.disbursements.services import form1099
from hestami.core.context import RequestContext


async def form_1099_totals(ctx: RequestContext, association_id: uuid.UUID, year: int) -> Form1099Out:
    """What the association paid each 1099-eligible vendor in the calendar year, as the disbursements' own 1099
    procedure answers it (the association loaded in the caller's scope; `financial_report` view authorized)."""
    return await form1099.totals(ctx, Form1099In(association_id=association_id, year=year))
