"""The steps `assessmentPosting_v1` takes, each one transaction on the locked run.

`prepare`: a QUEUED run fixes its units (the association's live units, in unit-number order, with what billing
reads of each) and turns RUNNING. `post_batch`: the next `size` of those units (as they were when the run started:
no unit is read again) are billed through `billing.bill_units` (the type's billing lock for the due date, units
already charged skipped, the charges unique per unit, type and due date) and the run's progress moves past them in
the same transaction. A batch cut short by a crash committed nothing, so its retry bills the same units once; one
that committed before DBOS recorded it is found done (the run moved past it), and a unit charged anyway is skipped.
With no units left the run is COMPLETED.

`fail`: a step that failed for good (an error that is not the database out of reach: the type's revenue account
deactivated, any rule broken) leaves the run FAILED with why and its progress so far, in one transaction, audited.
`restart`: `accounting/posting/v1/start` of a FAILED run gives it its next attempt (a workflow of its own), which
carries on from `units_done` (a unit charged anyway is skipped, as ever).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from hestami.cam.accounting import kinds as accounting_kinds
from hestami.cam.accounting.posting import kinds, repository
from hestami.cam.accounting.posting.models import PostingRun
from hestami.cam.accounting.schemas import BillPeriod
from hestami.cam.accounting.services import billing
from hestami.cam.association import api as association_api
from hestami.cam.association.api import UnitRef
from hestami.core import audit, records
from hestami.core.context import RequestContext

ENDED = frozenset({"COMPLETED", "FAILED"})


def state(run: Any) -> dict[str, Any]:
    return {
        "status": run.status, "done": run.status in ENDED, "units_total": run.units_total,
        "units_done": run.units_done, "charged": run.charged, "skipped": run.skipped,
    }  # fmt: skip


async def exists(ctx: RequestContext, run_id: uuid.UUID) -> bool:
    return await repository.run_exists(ctx.session, run_id)


async def prepare(ctx: RequestContext, run_id: uuid.UUID) -> dict[str, Any]:
    """A QUEUED run takes its units and turns RUNNING (once: later calls find it RUNNING or COMPLETED)."""
    run = await records.find(ctx, kinds.POSTING_RUN, run_id, lock=True)
    if run.status == "QUEUED":
        total = await repository.fix_units(ctx.session, run.id, association_api.live_units_query(run.association_id))
        _move(ctx, run, "started", status="RUNNING", units_total=total, started_at=datetime.now(UTC))
        await ctx.session.flush()
    return state(run)


def _move(ctx: RequestContext, run: PostingRun, action: str, **changes: Any) -> None:
    """Sets the run's fields and audits the change (not `records.change`, whose refresh would load the run's units
    back: a run of 20,000 units carries 100,000 values)."""
    before = {name: _plain(getattr(run, name)) for name in changes}
    for name, value in changes.items():
        setattr(run, name, value)
    run.updated_at = datetime.now(UTC)
    after = {name: _plain(value) for name, value in changes.items()}
    audit.record(ctx, f"{kinds.POSTING_RUN.name}.{action}", kinds.POSTING_RUN.name, run.id, before=before, after=after)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


async def post_batch(ctx: RequestContext, run_id: uuid.UUID, size: int) -> dict[str, Any]:
    """Bills the run's next `size` units and records its progress; completes it when none are left."""
    run = await records.find(ctx, kinds.POSTING_RUN, run_id, lock=True)
    if run.status != "RUNNING":
        return state(run)
    rows = await repository.batch_units(ctx.session, run.id, run.units_done, size)
    if not rows:
        _move(ctx, run, "completed", status="COMPLETED", finished_at=datetime.now(UTC))
        await ctx.session.flush()
        return state(run)
    atype = await records.find(ctx, accounting_kinds.ASSESSMENT_TYPE, run.assessment_type_id)
    units = [UnitRef(unit_id, run.organization_id, run.association_id, *rest) for unit_id, *rest in rows]
    unit_ids = [unit.id for unit in units]
    period = BillPeriod(
        assessment_type_id=atype.id, due_date=run.due_date, unit_ids=unit_ids, amount=run.amount,
        allocation=run.allocation, description=run.description,
    )  # fmt: skip
    billed = await billing.bill_units(ctx, atype, period, units, run.amount)
    run.units_done += len(unit_ids)
    run.charged += billed.charged
    run.skipped += billed.skipped_already_charged
    run.amount_charged += billed.total
    run.batches += 1
    run.updated_at = datetime.now(UTC)
    await ctx.session.flush()
    audit.record(
        ctx, "assessment_posting_run.batch_posted", kinds.POSTING_RUN.name, run.id,
        after={"units": len(unit_ids), "charged": billed.charged, "skipped": billed.skipped_already_charged},
    )  # fmt: skip
    return state(run)


async def fail(ctx: RequestContext, run_id: uuid.UUID, attempt: int, code: str, message: str) -> dict[str, Any]:
    """The run FAILED with `code` and `message`, where its committed batches left it; only while `attempt` carries it
    (QUEUED or RUNNING): a step of an earlier attempt run again after a crash changes nothing."""
    run = await records.find(ctx, kinds.POSTING_RUN, run_id, lock=True)
    if run.status in ENDED or run.attempt != attempt:
        return state(run)
    now = datetime.now(UTC)
    _move(ctx, run, "failed", status="FAILED", error_code=code, error_message=message, failed_at=now, finished_at=now,
          units_done=run.units_done, charged=run.charged, skipped=run.skipped)  # fmt: skip
    await ctx.session.flush()
    return state(run)


def restart(ctx: RequestContext, run: PostingRun) -> None:
    """A FAILED run (locked by the caller) takes its next attempt: QUEUED again if it failed before fixing its units,
    else RUNNING from `units_done`."""
    status = "QUEUED" if run.units_total is None else "RUNNING"
    _move(ctx, run, "restarted", status=status, attempt=run.attempt + 1, error_code=None, error_message=None,
          failed_at=None, finished_at=None)  # fmt: skip
