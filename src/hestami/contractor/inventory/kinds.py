"""The inventory's record kinds as Cerbos sees them (policies/resource/inventory_*.yaml).

A location carries `technician_user_id`: the account of the technician whose truck it is (null for warehouses,
shelves and an unassigned truck); a technician sees their own truck only. Levels, movements, serials and reorder
points are read and written through their location (its policy decides), transfer lines through their transfer."""

from __future__ import annotations

from hestami.contractor.inventory.models import JobCost, StockItem, StockLocation, Transfer
from hestami.core.authz import AttrValue
from hestami.core.records import RecordKind


def _location_attrs(location: StockLocation) -> dict[str, AttrValue]:
    user = location.technician_user_id
    return {"technician_user_id": str(user) if user is not None else None}


ITEM = RecordKind("inventory_item", StockItem)
LOCATION = RecordKind(
    "inventory_location", StockLocation, base_attrs=_location_attrs,
    columns=lambda: {"technician_user_id": StockLocation.technician_user_id},
)  # fmt: skip
TRANSFER = RecordKind("inventory_transfer", Transfer)
JOB_COST = RecordKind("inventory_job_cost", JobCost)
