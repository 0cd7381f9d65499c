"""Demo violations: each demo association's rules (violation types and fines), Harbor View's own settings (10-day
cure periods, 15 days' notice of a hearing, heard by a committee), and violations in every state of the process
on owned units (the records themselves are in `demo_data.py`; this module seeds them).

Runs after the association, accounting and document seeders, through domain 4's services in scoped
transactions like any request: the manager (the demo admin where the manager is not a member) records the types,
the settings and the violations, sends notices, schedules hearings and resolves; the hearing body's fine is
recorded by admin@, the organization's admin recording the board's decision. Olivia Owner (owner@) finds a
trash-cans violation on her unit 14 of Sunset Ridge with its courtesy notice. An association that already has
violation types is skipped whole, so `hestami dev` can run this on every start.

Recording a violation starts its `violationLifecycle_v1` DBOS workflow, which sends the courtesy notice at once
(`hestami dev` / `seed-demo` launch DBOS for the seeders; the API's DBOS recovers the lifecycles they leave
PENDING). A case that goes further waits briefly for that notice and sends it itself if the workflow has not
(the row lock and the one-notice-per-step rule keep either from sending it twice), then sends the next notices at
once. The cure periods that follow are real days (`VIOLATION_DAY_SECONDS`), so the seeded cases stay where they
are left for the demo.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from contextlib import AbstractAsyncContextManager
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hestami.cam.association import api as association
from hestami.cam.violations import lifecycle
from hestami.cam.violations.demo_data import ENFORCEMENTS, HEARING_DAYS_AHEAD, TYPES, Case, Enforcement
from hestami.cam.violations.errors import ViolationError, ViolationReason
from hestami.cam.violations.schemas import (
    Close,
    CreateViolation,
    CreateViolationType,
    ListViolationTypes,
    RecordOutcome,
    Resolve,
    ScheduleHearing,
    SendNotice,
    UpdateViolationSettings,
)
from hestami.cam.violations.services import hearings, notices, outcomes, setup, violations
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast

TEXAS = ZoneInfo("America/Chicago")
COURTESY_WAIT_SECONDS = 10.0
"""How long a case waits for the lifecycle's courtesy notice before sending it itself."""
RACED = {ViolationReason.NO_NEXT_NOTICE.value, ViolationReason.NOTICE_ALREADY_SENT.value}
NOTICES_TO = {"NOTICED": 1, "CURE_PERIOD": 2, "ESCALATED": 3}
"""The target status of a case and the notices that lead to it (courtesy, first, second)."""


class _Seeder(DemoCast):
    async def load(self, spec: Enforcement) -> str:
        if spec.slug not in self.orgs:
            return f"  {spec.short}: skipped, organization {spec.slug} is missing"
        keeper = await self.keeper(spec.slug)
        async with self.acting(keeper, spec.slug) as ctx:
            found = await association.association_named(ctx, spec.name)
            if found is None:
                return f"  {spec.short}: skipped, the association is missing"
            existing = await setup.list_types(ctx, ListViolationTypes(association_id=found.id, limit=1))
            if existing.items:
                return f"  {spec.short}: already loaded (has violation types)"
            types = {t.code: (await setup.create_type(ctx, _type(found.id, t))).id for t in TYPES}
            if spec.settings:
                await setup.update_settings(ctx, UpdateViolationSettings(association_id=found.id, **spec.settings))
            units = {u.unit_number: u.id for u in await association.units_of(ctx, found.id)}
        decider = spec.decider if await self.member(spec.decider, spec.slug) else "admin"
        loader = _Loader(self, spec, keeper, decider, found.id, types, units)
        for case in spec.cases:
            await loader.case(case)
        return loader.summary()


def _type(association_id: uuid.UUID, t: object) -> CreateViolationType:
    fields = {k: getattr(t, k) for k in CreateViolationType.model_fields if k != "association_id"}
    return CreateViolationType(association_id=association_id, **fields)


class _Loader:
    """Records one association's cases and takes each to its status, one request per step."""

    def __init__(
        self,
        seeder: _Seeder,
        spec: Enforcement,
        keeper: str,
        decider: str,
        association_id: uuid.UUID,
        types: dict[str, uuid.UUID],
        units: dict[str, uuid.UUID],
    ) -> None:
        self.s = seeder
        self.spec = spec
        self.keeper = keeper
        self.decider = decider
        self.association = association_id
        self.types = types
        self.units = units
        self.statuses: Counter[str] = Counter()
        self.notes: list[str] = []

    def acting(self, login: str | None = None) -> AbstractAsyncContextManager[RequestContext]:
        return self.s.acting(login or self.keeper, self.spec.slug)

    async def status(self, violation_id: uuid.UUID) -> str:
        async with self.acting() as ctx:
            return (await violations.get(ctx, violation_id)).status

    async def case(self, case: Case) -> None:
        unit = self.units.get(case.unit)
        if unit is None:
            self.notes.append(f"unit {case.unit} is missing")
            return
        observed = datetime.now(UTC) - timedelta(days=case.days_ago, hours=3)
        data = CreateViolation(
            association_id=self.association, unit_id=unit, violation_type_id=self.types[case.code],
            description=case.description, location=case.location, observed_at=observed,
        )  # fmt: skip
        async with self.acting() as ctx:
            vid = (await violations.create(ctx, data)).id
        if case.target == "NOTICED":  # a just-recorded case: the workflow's courtesy notice only
            await self.courtesy(vid)
        else:
            await self.advance(vid, case)
        self.statuses[await self.status(vid)] += 1

    async def courtesy(self, violation_id: uuid.UUID) -> str:
        """Waits a little for the lifecycle workflow's courtesy notice; the status then."""
        deadline = asyncio.get_running_loop().time() + COURTESY_WAIT_SECONDS
        while (status := await self.status(violation_id)) == "OPEN":
            if asyncio.get_running_loop().time() >= deadline:
                break
            await asyncio.sleep(0.2)
        return status

    async def notice_until(self, violation_id: uuid.UUID, count: int) -> None:
        """The courtesy notice (the workflow's, or sent here once it is overdue), then the next ones at once."""
        status = await self.courtesy(violation_id)
        sent = lifecycle.STEPS.index(lifecycle.NEXT_STEP[status]) if status in lifecycle.NEXT_STEP else count
        while sent < count:
            step = lifecycle.STEPS[sent]
            try:
                async with self.acting() as ctx:
                    await notices.send_notice(ctx, SendNotice.model_validate({"id": violation_id, "step": step}))
            except ViolationError as exc:  # the workflow sent it first
                if (exc.details or {}).get("reason") not in RACED:
                    raise
            sent += 1

    async def advance(self, violation_id: uuid.UUID, case: Case) -> None:
        if case.target in NOTICES_TO:
            await self.notice_until(violation_id, NOTICES_TO[case.target])
            return
        if case.target in ("HEARING_SCHEDULED", "FINED"):
            await self.notice_until(violation_id, 3)
            day = date.today() + timedelta(days=HEARING_DAYS_AHEAD)
            at = datetime.combine(day, time(18, 30), TEXAS)
            hearing = ScheduleHearing(id=violation_id, scheduled_at=at, location="Clubhouse meeting room")
            async with self.acting() as ctx:
                await hearings.schedule_hearing(ctx, hearing)
            if case.target == "FINED":
                decision = RecordOutcome(id=violation_id, outcome="FINED", notes=case.note or None)
                async with self.acting(self.decider) as ctx:
                    await outcomes.record_outcome(ctx, decision)
            return
        await self.notice_until(violation_id, 1)
        resolution = "CURED" if case.target == "CURED" else "DISMISSED"
        async with self.acting() as ctx:
            await violations.resolve(ctx, Resolve(id=violation_id, resolution=resolution, note=case.note or None))
        if case.target == "CLOSED":
            async with self.acting() as ctx:
                await violations.close(ctx, Close(id=violation_id, resolution=case.note or "Dismissed."))

    def summary(self) -> str:
        states = ", ".join(f"{n} {status}" for status, n in sorted(self.statuses.items()))
        line = f"  {self.spec.short}: {len(TYPES)} violation types, {sum(self.statuses.values())} violations ({states})"
        if self.spec.settings:
            line += "; own settings " + ", ".join(f"{k} {v}" for k, v in self.spec.settings.items())
        if self.notes:
            line += "; " + "; ".join(self.notes)
        return line


@demo_seed("violations", order=60)
async def seed_violations(runtime: Runtime) -> list[str]:
    seeder = await _Seeder.gather(runtime)
    if seeder is None:
        return ["demo violations: skipped, the demo admin does not exist"]
    lines = ["demo violations:"]
    for spec in ENFORCEMENTS:
        lines.append(await seeder.load(spec))
    return lines
