"""`accounting/posting/v1/*`: assessmentPosting_v1, each period's assessment charged to every unit of an association
in batches by a durable workflow, with its progress; late fees and the collection steps of delinquent units.

Who sees what: managers and admins start runs, see every run and collection step, change the calendar settings
and run a day's escalation by hand; a BOARD_MEMBER sees the runs and collection steps of the associations whose
board they sit on; an owner sees the collection steps taken against their own unit; tenants and vendors see none.
A run or step the caller may not see answers NOT_FOUND, like an id that does not exist.
"""

from __future__ import annotations

from hestami.cam.accounting.posting.schemas import (
    CollectionStepOut,
    DailyOut,
    Escalate,
    ListCollections,
    ListRuns,
    RunOut,
    SetSettings,
    SettingsIn,
    SettingsOut,
    StartRun,
)
from hestami.cam.accounting.posting.services import runs
from hestami.core.context import RequestContext
from hestami.core.pagination import Page
from hestami.core.rpc.procedure import ProcedureRouter
from hestami.core.schemas import ById

posting = ProcedureRouter("accounting/posting", tags=("accounting",))
ROUTERS: list[ProcedureRouter] = [posting]


@posting.mutation("start")
async def start_run(ctx: RequestContext, data: StartRun) -> RunOut:
    """Post one period of a REGULAR or SPECIAL assessment type (else NOT_A_PERIODIC_ASSESSMENT; INACTIVE_TYPE;
    NO_AMOUNT without an amount) to every live unit of its association: a run per type and due date, QUEUED, then
    billed in batches by the workflow `assessmentPosting_v1` (id `workflow_id`, from the type and due date) on a
    queue with bounded concurrency. Starting the same period again answers the same run and charges nobody twice;
    units already charged this type on this due date (billPeriod, a charge by hand) are counted as skipped. Each
    unit is charged the amount (EQUAL) or its assessment share of it (ASSESSMENT_SHARE), with its journal entry.
    Starting a FAILED run again gives it its next `attempt` (a workflow of its own), which carries on from the units
    it got through. Managers and admins."""
    return await runs.start(ctx, data)


@posting.query("get")
async def get_run(ctx: RequestContext, data: ById) -> RunOut:
    """One run and its progress: QUEUED, RUNNING, COMPLETED or FAILED; units_done of units_total, charged, skipped
    (already charged), the amount charged and the batches committed. A FAILED run (a batch failed for good: a rule
    broken, an unexpected error) says why (`error_code`, `error_message`, `failed_at`) and keeps what its committed
    batches did; start it again to carry on. Read it again to follow a run."""
    return await runs.get(ctx, data.id)


@posting.query("list")
async def list_runs(ctx: RequestContext, data: ListRuns) -> Page[RunOut]:
    """The runs the caller may see, optionally of one association, assessment type or status."""
    return await runs.list_runs(ctx, data)


@posting.query("collections")
async def collections(ctx: RequestContext, data: ListCollections) -> Page[CollectionStepOut]:
    """The collection steps taken (REMINDER, LATE_NOTICE, INTENT_TO_LIEN), each dated, per unit or association: the
    charge cycle (the unit's oldest open assessment), days past due and balance then, and how many owners were sent
    its notice (through the outbox; `notification/v1/list` with the step's id lists them)."""
    return await runs.collections(ctx, data)


@posting.mutation("escalate")
async def escalate(ctx: RequestContext, data: Escalate) -> DailyOut:
    """What the daily calendar does in an association on `as_of`, by hand (a missed day): late fees on the charges
    past their grace period (once per charge, the rules of applyLateFees), then the collection steps due: a unit
    whose oldest open assessment is past due by the association's reminder, late notice or intent-to-lien days
    takes the next step of that charge cycle, one a day, in order, each once, with a dated notice to its owners.
    Managers and admins."""
    return await runs.escalate(ctx, data)


@posting.query("settings")
async def get_settings(ctx: RequestContext, data: SettingsIn) -> SettingsOut:
    """The association's assessment calendar: the due day of its periodic assessments (runs start on it, every
    month, quarter, half year or year from the fiscal year's first month, by the type's frequency), the allocation
    of scheduled runs, and the days past due of each collection step (defaults: day 1, EQUAL, 15, 30, 90)."""
    return await runs.get_settings(ctx, data)


@posting.mutation("setSettings")
async def set_settings(ctx: RequestContext, data: SetSettings) -> SettingsOut:
    """Set the association's calendar and collection days (STEP_DAYS_OUT_OF_ORDER unless reminder < late notice <
    intent to lien). Those who may update the association."""
    return await runs.set_settings(ctx, data)
