"""The job's lifecycle: one transition table, one path for every move (`core.errors.check_transition`), a
`job_status_history` row per move.

LEAD → TICKET → ESTIMATE_REQUIRED → JOB_CREATED → SCHEDULED → DISPATCHED → IN_PROGRESS ⇄ ON_HOLD → COMPLETED →
INVOICED → PAID → WARRANTY → CLOSED; CANCELLED from any open state (before COMPLETED). A ticket may skip the
estimate; a job may be scheduled again from DISPATCHED (a reschedule) and closed from PAID without a warranty period.
"""

from __future__ import annotations

STATUSES = (
    "LEAD", "TICKET", "ESTIMATE_REQUIRED", "JOB_CREATED", "SCHEDULED", "DISPATCHED", "IN_PROGRESS", "ON_HOLD",
    "COMPLETED", "INVOICED", "PAID", "WARRANTY", "CLOSED", "CANCELLED",
)  # fmt: skip
OPEN = frozenset({"LEAD", "TICKET", "ESTIMATE_REQUIRED", "JOB_CREATED", "SCHEDULED", "DISPATCHED", "IN_PROGRESS",
                  "ON_HOLD"})  # fmt: skip
TRANSITIONS: dict[str, frozenset[str]] = {
    "LEAD": frozenset({"TICKET", "CANCELLED"}),
    "TICKET": frozenset({"ESTIMATE_REQUIRED", "JOB_CREATED", "CANCELLED"}),
    "ESTIMATE_REQUIRED": frozenset({"JOB_CREATED", "CANCELLED"}),
    "JOB_CREATED": frozenset({"SCHEDULED", "CANCELLED"}),
    "SCHEDULED": frozenset({"DISPATCHED", "JOB_CREATED", "CANCELLED"}),
    "DISPATCHED": frozenset({"IN_PROGRESS", "SCHEDULED", "CANCELLED"}),
    "IN_PROGRESS": frozenset({"ON_HOLD", "COMPLETED", "CANCELLED"}),
    "ON_HOLD": frozenset({"IN_PROGRESS", "CANCELLED"}),
    "COMPLETED": frozenset({"INVOICED", "WARRANTY", "CLOSED"}),
    "INVOICED": frozenset({"PAID"}),
    "PAID": frozenset({"WARRANTY", "CLOSED"}),
    "WARRANTY": frozenset({"CLOSED"}),
    "CLOSED": frozenset(),
    "CANCELLED": frozenset(),
}
LIFECYCLE_WORKFLOW = "job_lifecycle_v1"

ACTION_FOR: dict[str, str] = {
    "IN_PROGRESS": "start_work",
    "ON_HOLD": "hold",
    "COMPLETED": "complete",
    "CANCELLED": "cancel",
}
"""The Cerbos action a move to a status needs (policies/resource/job.yaml); any other move is `update_status`.
The field's moves (start, hold, complete) are the ones a technician assigned to the job may make too."""

CHECKPOINT_BLOCKS = frozenset({"PENDING", "FAILED"})
"""A QA checkpoint in one of these states keeps its job from CLOSED (BUSINESS_RULE_VIOLATION, CHECKPOINT_OPEN)."""

VISIT_STATUSES = ("UNSCHEDULED", "SCHEDULED", "DISPATCHED", "IN_PROGRESS", "COMPLETED", "CANCELLED")
VISIT_TRANSITIONS: dict[str, frozenset[str]] = {
    "UNSCHEDULED": frozenset({"SCHEDULED", "CANCELLED"}),
    "SCHEDULED": frozenset({"UNSCHEDULED", "DISPATCHED", "IN_PROGRESS", "CANCELLED"}),
    "DISPATCHED": frozenset({"SCHEDULED", "IN_PROGRESS", "CANCELLED"}),
    "IN_PROGRESS": frozenset({"COMPLETED", "CANCELLED"}),
    "COMPLETED": frozenset(),
    "CANCELLED": frozenset(),
}
"""A visit's moves: scheduled once it has a window (unscheduled again when the window is taken away), dispatched
and worked (dispatch sets those), done or cancelled."""
VISIT_OPEN = frozenset({"UNSCHEDULED", "SCHEDULED", "DISPATCHED", "IN_PROGRESS"})


def action_for(target: str) -> str:
    return ACTION_FOR.get(target, "update_status")


def blocks_closing(kind: str, status: str) -> bool:
    """Whether a checkpoint keeps its job from CLOSED: a QA checkpoint not PASSED (a warranty one never does)."""
    return kind == "QA" and status in CHECKPOINT_BLOCKS


def workflow_id(job_id: object) -> str:
    return f"job:{job_id}:lifecycle:v1"


def path(from_status: str, to_status: str) -> list[str]:
    """The shortest walk of the table from `from_status` to `to_status`: the statuses after `from_status` (empty
    when already there or when there is no way)."""
    came_from: dict[str, str] = {}
    frontier = [from_status]
    while frontier and to_status not in came_from:
        following = []
        for status in frontier:
            for step in sorted(TRANSITIONS[status]):
                if step not in came_from and step != from_status:
                    came_from[step] = status
                    following.append(step)
        frontier = following
    walk: list[str] = []
    at = to_status
    while at in came_from:
        walk.append(at)
        at = came_from[at]
    return walk[::-1]
