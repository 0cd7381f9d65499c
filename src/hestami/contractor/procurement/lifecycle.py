"""The purchase order's lifecycle in one place: one transition table, the Cerbos action each move needs, one path
for every move (`services.moves.move`) with a `procurement_purchase_order_status_history` row.

DRAFT → SENT (sending records the order to the supplier) → PARTIALLY_RECEIVED → RECEIVED (receipts move it) →
CLOSED; a partly received order may be closed short (the rest will not come); CANCELLED from DRAFT or SENT (nothing
received yet). Only a DRAFT's lines are edited."""

from __future__ import annotations

STATUSES = ("DRAFT", "SENT", "PARTIALLY_RECEIVED", "RECEIVED", "CLOSED", "CANCELLED")
TRANSITIONS: dict[str, frozenset[str]] = {
    "DRAFT": frozenset({"SENT", "CANCELLED"}),
    "SENT": frozenset({"PARTIALLY_RECEIVED", "RECEIVED", "CANCELLED"}),
    "PARTIALLY_RECEIVED": frozenset({"RECEIVED", "CLOSED"}),
    "RECEIVED": frozenset({"CLOSED"}),
    "CLOSED": frozenset(),
    "CANCELLED": frozenset(),
}
ACTION_FOR: dict[str, str] = {
    "SENT": "send",
    "PARTIALLY_RECEIVED": "receive",
    "RECEIVED": "receive",
    "CLOSED": "close",
    "CANCELLED": "cancel",
}
RECEIVABLE = frozenset({"SENT", "PARTIALLY_RECEIVED"})
WORKFLOW = "inventory_workflow_v1"


def workflow_id(crossing_id: object) -> str:
    return f"inventoryReorder:{crossing_id}:v1"
