"""Dispatch's record kinds as Cerbos sees them (policies/resource/<kind>.yaml)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, cast

from hestami.contractor.dispatch.models import DispatchAssignment, RoutePlan, SlaWindow
from hestami.core.authz import AttrValue
from hestami.core.records import RecordKind


def _technician(assignment: DispatchAssignment) -> dict[str, AttrValue]:
    """A technician reads (and reports on the way for) their own assignments: the policy compares `user_id`."""
    return {"user_id": str(assignment.technician_user_id)}


def _columns() -> dict[str, Any]:
    return {"user_id": cast(DispatchAssignment.technician_user_id, Text)}


ASSIGNMENT = RecordKind("dispatch_assignment", DispatchAssignment, base_attrs=_technician, columns=_columns)
ROUTE_PLAN = RecordKind("route_plan", RoutePlan)
SLA_WINDOW = RecordKind("dispatch_sla_window", SlaWindow)
