"""A payment batch's statuses and its workflow's id and steps."""

from __future__ import annotations

import uuid

WORKFLOW_NAME = "apPaymentProcessing_v1"
TRANSITIONS: dict[str, frozenset[str]] = {
    "OPEN": frozenset({"PROCESSING", "CANCELLED"}),
    "PROCESSING": frozenset({"COMPLETED", "CANCELLED"}),
    "COMPLETED": frozenset(),
    "CANCELLED": frozenset(),
}
STEPS = (
    ("POST_ENTRY", "entry_posted_at"),
    ("WRITE_NACHA_FILE", "nacha_written_at"),
    ("WRITE_POSITIVE_PAY_FILE", "positive_pay_written_at"),
    ("COMPLETE", "completed_at"),
)
"""The workflow's steps in order, each with the batch column that says when it was done."""


def workflow_id(batch_id: uuid.UUID | str) -> str:
    return f"apPaymentBatch:{batch_id}:processing:v1"
