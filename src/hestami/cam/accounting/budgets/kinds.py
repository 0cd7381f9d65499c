"""The budgets' record kind as Cerbos sees it (policies/resource/budget.yaml).

The policy reads the budget's association (a board member sees the associations whose board they sit on), its
status (owners see adopted budgets only) and `owner_user_ids`: the caller when they own a unit of the association
today.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY

from hestami.cam.accounting.budgets.models import Budget
from hestami.cam.association import api as association
from hestami.core.authz import AttrValue
from hestami.core.context import RequestContext
from hestami.core.records import RecordKind


async def _owner_attrs(ctx: RequestContext, record: Budget) -> dict[str, AttrValue]:
    owns = await association.caller_owns_in_association(ctx, record.association_id)
    return {"owner_user_ids": [str(ctx.user_id)] if owns else []}


def _columns() -> dict[str, Any]:
    owners = association.caller_if_association_owner_column(Budget.association_id, Budget.organization_id)
    return {"owner_user_ids": type_coerce(owners, ARRAY(Text)), "status": Budget.status}


BUDGET = RecordKind(
    "budget",
    Budget,
    attrs=_owner_attrs,
    base_attrs=lambda budget: {"status": budget.status},
    columns=_columns,
)
