"""The work order lifecycle (roadmap 4.3.2) in one place: which moves exist, which Cerbos action each needs,
and the SLA clock by priority."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

TRANSITIONS: dict[str, frozenset[str]] = {
    "DRAFT": frozenset({"SUBMITTED", "CANCELLED"}),
    "SUBMITTED": frozenset({"TRIAGED", "CANCELLED"}),
    "TRIAGED": frozenset({"ASSIGNED", "CANCELLED"}),
    "ASSIGNED": frozenset({"SCHEDULED", "CANCELLED"}),
    "SCHEDULED": frozenset({"IN_PROGRESS", "CANCELLED"}),
    "IN_PROGRESS": frozenset({"ON_HOLD", "COMPLETED", "CANCELLED"}),
    "ON_HOLD": frozenset({"IN_PROGRESS", "CANCELLED"}),
    "COMPLETED": frozenset({"INVOICED", "CLOSED"}),
    "INVOICED": frozenset({"CLOSED"}),
    "CLOSED": frozenset(),
    "CANCELLED": frozenset(),
}
TERMINAL = frozenset({"CLOSED", "CANCELLED"})
# The SLA runs from submission until the work is completed.
SLA_RUNNING = frozenset({"SUBMITTED", "TRIAGED", "ASSIGNED", "SCHEDULED", "IN_PROGRESS", "ON_HOLD"})

ACTION_FOR: dict[str, str] = {
    "SUBMITTED": "submit",
    "TRIAGED": "triage",
    "ASSIGNED": "assign",
    "SCHEDULED": "schedule",
    "IN_PROGRESS": "start_work",
    "ON_HOLD": "hold",
    "COMPLETED": "complete",
    "INVOICED": "create_invoice",
    "CLOSED": "update_status",
    "CANCELLED": "cancel",
}
# Moves that carry data have a procedure of their own (assignVendor, schedule, complete, createInvoice).
DEDICATED = frozenset({"ASSIGNED", "SCHEDULED", "COMPLETED", "INVOICED"})

DEFAULT_SLA_HOURS: dict[str, Decimal] = {
    "EMERGENCY": Decimal(4),
    "HIGH": Decimal(24),
    "MEDIUM": Decimal(72),
    "LOW": Decimal(168),
}


def sla_hours(priority: str, association_overrides: dict[str, Any]) -> Decimal:
    override = association_overrides.get(priority)
    return Decimal(str(override)) if override is not None else DEFAULT_SLA_HOURS[priority]


def sla_due(submitted_at: datetime, priority: str, association_overrides: dict[str, Any]) -> datetime:
    return submitted_at + timedelta(seconds=float(sla_hours(priority, association_overrides) * 3600))


def concerns_lifecycle(from_status: str, to_status: str, *, new_due_time: bool) -> bool:
    """Whether a move matters to the lifecycle workflow already following the work order (which only keeps the
    SLA clock): it ends the work order, stops or restarts the clock, or gives it a new due time. The submission
    starts the workflow with the due time; nothing follows a draft."""
    if from_status == "DRAFT":
        return False
    clock_changed = (from_status in SLA_RUNNING) != (to_status in SLA_RUNNING)
    return to_status in TERMINAL or clock_changed or new_due_time


def workflow_id(work_order_id: object) -> str:
    return f"workOrder:{work_order_id}:lifecycle:v2"
