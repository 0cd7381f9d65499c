"""The demo reports (`demo_data.py`): at Sunset Ridge, the monthly board packet (a MONTHLY schedule of the balance
sheet and one of the income statement, PDF, delivered to the manager and a board member) and one COMPLETED PDF run
of each financial report (the delinquency report among them), downloadable as soon as the demo is loaded.

Runs last (after the books, budgets, posting, payables, reserve, compliance and governance seeders, so the reports
show their data), as the association's keeper (the manager), through the reporting services: every parameter
check, Cerbos policy and audit event applies. Only the definitions registered at seed time are used (one missing is
skipped). A report that already has its schedule, or a COMPLETED run, gets none again, so `hestami dev` can run this
on every start.
"""

from __future__ import annotations

import uuid
from datetime import date

from hestami.cam.association import api as association_api
from hestami.cam.reporting import demo_data as data
from hestami.cam.reporting import repository
from hestami.cam.reporting.definitions import find
from hestami.cam.reporting.schemas import Generate, ListRuns, ListSchedules, Schedule
from hestami.cam.reporting.services import generation, runs, schedules
from hestami.cam.reporting.services.subjects import authorize_generation, subject
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast


async def _association(ctx: RequestContext) -> uuid.UUID | None:
    found = await association_api.association_named(ctx, data.ASSOCIATION)
    return found.id if found is not None else None


async def _packet(cast: DemoCast, keeper: str) -> str:
    """The board packet's schedules, those of its reports that are defined and not scheduled yet."""
    recipients = [cast.users[login] for login in data.RECIPIENTS if await cast.member(login, data.ORGANIZATION)]
    async with cast.acting(keeper, data.ORGANIZATION) as ctx:
        association_id = await _association(ctx)
        if association_id is None:
            return "  board packet: skipped, the association is missing"
        active = await schedules.list_schedules(
            ctx, ListSchedules(association_id=association_id, status="ACTIVE", limit=200)
        )
        scheduled = {s.report for s in active.items}
        defined = [key for key in data.PACKET if find(key) is not None]
        made = []
        for key in defined:
            if key in scheduled:
                continue
            await schedules.create(ctx, Schedule(
                report=key, format=data.FORMAT, frequency="MONTHLY", day_of_month=data.PACKET_DAY,
                recipients=recipients, parameters={"association_id": str(association_id),
                                                   **data.PACKET_PARAMETERS.get(key, {})},
            ))  # fmt: skip
            made.append(key)
    if not defined:
        return "  board packet: skipped, none of its reports is defined"
    if not made:
        return "  board packet: already loaded"
    return f"  board packet: monthly on day {data.PACKET_DAY} ({', '.join(made)}), to {', '.join(data.RECIPIENTS)}"


async def _generate_now(ctx: RequestContext, report: str, parameters: dict[str, object]) -> str:
    """What `reportGeneration_v1` does, in this transaction: `generate` records the run QUEUED and starts the
    workflow (its first step waits for this transaction to commit), then `begin` and the `produce` step's work run
    here, as the requester, in its order. The seed process runs no DBOS queue, and a run produced by the workflow
    once this commits could be produced twice (here and there); so the run is COMPLETED, with its document, as soon
    as the demo is loaded, and the workflow then finds it finished and ends. (`generation.produce` opens transactions
    of its own, which would not see this run; its body, `_store`, is what it runs as the requester.)"""
    run = await runs.generate(ctx, Generate(report=report, format=data.FORMAT, parameters=parameters))
    await generation.begin(ctx, run.id)
    model = await repository.run(ctx.session, run.id)
    assert model is not None
    found = await subject(ctx, model.report, model.parameters)
    await authorize_generation(ctx, found)
    await generation._store(ctx, model, found, generation._Progress(model.organization_id, model.id))
    return model.status


async def _reports(cast: DemoCast, keeper: str) -> str:
    """A COMPLETED run of each financial report defined that has none; one transaction each, so a report already
    generated is not generated again."""
    wanted = [key for key in data.FINANCIAL if find(key) is not None]
    if not wanted:
        return "  reports: skipped, no financial report is defined"
    today, made = date.today(), []
    for key in wanted:
        async with cast.acting(keeper, data.ORGANIZATION) as ctx:
            association_id = await _association(ctx)
            if association_id is None:
                return "  reports: skipped, the association is missing"
            done = await runs.list_runs(
                ctx, ListRuns(association_id=association_id, report=key, status="COMPLETED", limit=1)
            )
            if done.items:
                continue
            parameters = {"association_id": str(association_id), **data.run_parameters(key, today)}
            made.append(f"{key} {await _generate_now(ctx, key, parameters)}")
    if not made:
        return "  reports: already loaded"
    return f"  reports ({data.FORMAT}): {', '.join(made)}"


@demo_seed("reporting", order=130)
async def seed_reporting(runtime: Runtime) -> list[str]:
    cast = await DemoCast.gather(runtime)
    if cast is None:
        return ["demo reports: skipped, the demo admin does not exist"]
    if data.ORGANIZATION not in cast.orgs:
        return [f"demo reports: skipped, organization {data.ORGANIZATION} is missing"]
    keeper = await cast.keeper(data.ORGANIZATION)
    return ["demo reports:", await _packet(cast, keeper), await _reports(cast, keeper)]
