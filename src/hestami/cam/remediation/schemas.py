"""Inputs of `violation/v1/orderRemediation` and `arc/request/v1/orderWork` (both answer the work order)."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import Field

from hestami.cam.work_order.schemas import Priority
from hestami.core.schemas import Input, Money, Name, Trimmed


class OrderWork(Input):
    """What every order of work says besides its record: the work order's fields and, optionally, its provider."""

    title: Name | None = Field(default=None, description="Defaults to what the record is about.")
    description: Trimmed | None = Field(
        default=None, min_length=1, max_length=4000, description="Defaults to the record's own description."
    )
    category: Trimmed = Field(default="GENERAL", min_length=1, max_length=100, description="The work order's trade.")
    priority: Priority = "MEDIUM"
    provider_organization_id: uuid.UUID | None = Field(
        default=None,
        description="A linked, approved, compliant provider: the work order is triaged and assigned to it at once "
        "(and its job handed off).",
    )
    estimated_cost: Money | None = None
    note: Trimmed | None = Field(default=None, max_length=2000, description="Recorded on the triage and assignment.")


class OrderRemediation(OrderWork):
    id: uuid.UUID = Field(description="The violation.")


class OrderArcWork(OrderWork):
    id: uuid.UUID = Field(description="The approved ARC request.")
    kind: Literal["INSPECTION", "INSTALLATION"] = Field(
        description="INSPECTION (the association checks the finished work against the approval) or INSTALLATION "
        "(the association carries out the approved work)."
    )
