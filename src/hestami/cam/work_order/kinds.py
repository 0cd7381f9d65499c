"""Domain 6's record kinds as Cerbos sees them (policies/resource/<kind>.yaml)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, cast, func, null, select, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY, array

from hestami.cam.association import api as association
from hestami.cam.work_order.models import (
    Asset,
    AssociationProvider,
    Bid,
    ProviderRequirements,
    VendorAssignment,
    WorkOrder,
)
from hestami.core.authz import AttrValue
from hestami.core.context import RequestContext
from hestami.core.records import RecordKind


async def _work_order_attrs(ctx: RequestContext, order: WorkOrder) -> dict[str, AttrValue]:
    """Owners follow the requests they made and those on units they own (one statement, none without a unit);
    the assigned provider its jobs."""
    people = [str(order.requestor_user_id)] if order.requestor_user_id else []
    people += await association.owners_of_unit(ctx, order.unit_id, order.organization_id)
    return {"owner_user_ids": sorted(set(people))}


def _work_order_columns() -> dict[str, Any]:
    requestor = func.array_remove(array([cast(WorkOrder.requestor_user_id, Text)]), null())
    owners = association.unit_owners_column(WorkOrder.unit_id, WorkOrder.organization_id)
    return {
        "owner_user_ids": type_coerce(func.array_cat(requestor, owners), ARRAY(Text)),
        "assigned_vendor_org_id": func.coalesce(cast(WorkOrder.assigned_provider_org_id, Text), ""),
    }


async def _bid_attrs(ctx: RequestContext, bid: Bid) -> dict[str, AttrValue]:
    return {"assigned_vendor_org_id": str(bid.provider_organization_id)}


def _assigned_vendor(order: WorkOrder) -> dict[str, AttrValue]:
    return {"assigned_vendor_org_id": str(order.assigned_provider_org_id) if order.assigned_provider_org_id else ""}


ASSET = RecordKind("asset", Asset)
WORK_ORDER = RecordKind(
    "work_order", WorkOrder, attrs=_work_order_attrs, base_attrs=_assigned_vendor, columns=_work_order_columns
)


def _association_of_bid() -> Any:
    return (
        select(WorkOrder.association_id)
        .where(WorkOrder.organization_id == Bid.organization_id, WorkOrder.id == Bid.work_order_id)
        .scalar_subquery()
    )


BID = RecordKind(
    "bid",
    Bid,
    attrs=_bid_attrs,
    columns=lambda: {"assigned_vendor_org_id": cast(Bid.provider_organization_id, Text)},
    association=_association_of_bid,
)
PROVIDER_LINK = RecordKind("service_provider_link", AssociationProvider)
NOTIFICATION = "notification"
PROVIDER_REQUIREMENTS = RecordKind("provider_requirements", ProviderRequirements)
"""An association's requirements of its providers: its management keeps them, its board reads them."""
VENDOR_ASSIGNMENT = RecordKind("vendor_assignment", VendorAssignment)
"""A `vendorAssignment_v1` run: the association's management and its board see it; management starts it."""
