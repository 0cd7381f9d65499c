"""Posting's inputs and outputs. Money is a decimal string."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from hestami.core.pagination import PageRequest
from hestami.core.schemas import Input, PositiveMoney, Record, Trimmed

Allocation = Literal["EQUAL", "ASSESSMENT_SHARE"]
RunStatus = Literal["QUEUED", "RUNNING", "COMPLETED", "FAILED"]
Step = Literal["REMINDER", "LATE_NOTICE", "INTENT_TO_LIEN"]


class StartRun(Input):
    assessment_type_id: uuid.UUID
    due_date: date
    amount: PositiveMoney | None = Field(default=None, description="Defaults to the type's amount.")
    allocation: Allocation | None = Field(
        default=None,
        description="EQUAL: each unit is charged the amount. ASSESSMENT_SHARE: the amount is the total, split by "
        "each unit's assessment_share. Defaults to the association's posting settings (EQUAL unless set).",
    )
    description: Trimmed | None = Field(default=None, max_length=500)


class RunOut(Record):
    association_id: uuid.UUID
    assessment_type_id: uuid.UUID
    due_date: date
    status: RunStatus
    trigger: Literal["MANUAL", "SCHEDULE"]
    allocation: Allocation
    amount: Decimal
    description: str
    units_total: int | None = Field(description="Fixed when the run starts; null while it is QUEUED.")
    units_done: int
    charged: int
    skipped: int = Field(description="Units already charged this type on this due date (by billPeriod, by hand).")
    batches: int
    amount_charged: Decimal
    started_by: uuid.UUID | None
    started_at: datetime | None
    finished_at: datetime | None
    attempt: int = Field(description="1, then one more each time the run is started again after it FAILED.")
    error_code: str | None = Field(
        description="While FAILED: why (the error's reason, e.g. INACTIVE_ACCOUNT, else its code)."
    )
    error_message: str | None
    failed_at: datetime | None
    workflow_id: str = Field(description="The workflow of the run's current attempt.")


class ListRuns(PageRequest):
    association_id: uuid.UUID | None = None
    assessment_type_id: uuid.UUID | None = None
    status: RunStatus | None = None


class ListCollections(PageRequest):
    association_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None


class CollectionStepOut(Record):
    association_id: uuid.UUID
    unit_id: uuid.UUID
    charge_id: uuid.UUID = Field(description="The charge cycle: the unit's oldest open assessment charge.")
    step: Step
    noticed_on: date
    days_past_due: int
    balance: Decimal
    recipients: int


class SettingsIn(Input):
    association_id: uuid.UUID


class SetSettings(Input):
    association_id: uuid.UUID
    due_day: int = Field(default=1, ge=1, le=28)
    reminder_days: int = Field(default=15, ge=1, le=365)
    late_notice_days: int = Field(default=30, ge=1, le=365)
    intent_to_lien_days: int = Field(default=90, ge=1, le=365)
    allocation: Allocation = "EQUAL"


class SettingsOut(BaseModel):
    association_id: uuid.UUID
    due_day: int
    reminder_days: int
    late_notice_days: int
    intent_to_lien_days: int
    allocation: Allocation


class Escalate(Input):
    association_id: uuid.UUID
    as_of: date


class DailyOut(BaseModel):
    """What one day's calendar did in an association."""

    association_id: uuid.UUID
    as_of: date
    runs_started: list[uuid.UUID]
    late_fees: int
    collection_steps: int
