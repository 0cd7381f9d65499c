"""Demo architectural review: per demo association an "Architectural Review Committee" (quorum 2, threshold
50.01%) with the demo logins who belong to its organization (Blair Board chairs Sunset Ridge's, with the
manager; the manager chairs Summit's, with the admin), its ARC settings (Sunset Ridge: deemed approval after 45
days; Harbor View: after 1 day, approvals valid 90 days) and requests in every state (the records are in
`demo_data.py`; this module seeds them).

Runs after the association, document and violation seeders, through domain 5's services in scoped transactions
like any request: owners ask for their own units (Olivia Owner for her unit 14, Blair Board for unit 3), the
manager (the demo admin where the manager is not a member) files for owners without a login, assigns the committee
and records its decisions, and the committee's members vote. Journey 2 step 4: Olivia's back fence replacement at
Sunset Ridge, with a drawing (a PDF), gets changes requested in round 1, a revised drawing (version 2 of the same
document) in round 2 and is approved with conditions, with its approval's expiry. An association that already
has a committee is skipped whole, so `hestami dev` can run this on every start.

Deemed approval: the demo does not fake a passed deadline (no SQL, and no approval outside the lifecycle). Harbor
View's settings deem a request approved one day after a complete submission; its balcony flooring request is
submitted with that deadline and `arcReviewLifecycle_v1` (started by the submission; the API's DBOS recovers it)
approves it with `deemed: true` once the day has passed (`ARC_DAY_SECONDS`) without a decision.
"""

from __future__ import annotations

import base64
import uuid
from collections import Counter
from contextlib import AbstractAsyncContextManager
from datetime import date, timedelta

from hestami.cam.arc.demo_data import COMMITTEE_NAME, PROGRAMS, QUORUM, THRESHOLD, Ask, Plan, Program, Round
from hestami.cam.arc.errors import ArcError
from hestami.cam.arc.schemas import (
    AddArcDocument,
    AssignCommittee,
    CommitteeMemberIn,
    CreateArcRequest,
    CreateCommittee,
    ListCommittees,
    RecordDecision,
    SubmitReview,
    UpdateArcSettings,
)
from hestami.cam.arc.services import documents, requests, reviews, setup
from hestami.cam.association import api as association
from hestami.cam.documents.content.pdfgen import text_pdf
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast


class _Seeder(DemoCast):
    async def load(self, program: Program) -> str:
        if program.slug not in self.orgs:
            return f"  {program.short}: skipped, organization {program.slug} is missing"
        keeper = await self.keeper(program.slug)
        seated = [(login, role) for login, role in program.members if await self.member(login, program.slug)]
        async with self.acting(keeper, program.slug) as ctx:
            found = await association.association_named(ctx, program.name)
            if found is None:
                return f"  {program.short}: skipped, the association is missing"
            existing = await setup.list_committees(ctx, ListCommittees(association_id=found.id, limit=1))
            if existing.items:
                return f"  {program.short}: already loaded (has a review committee)"
            body = CreateCommittee(
                association_id=found.id, name=COMMITTEE_NAME, quorum=QUORUM, approval_threshold=THRESHOLD
            )
            committee = (await setup.create_committee(ctx, body)).id
            for login, role in seated:
                seat = CommitteeMemberIn(committee_id=committee, user_id=self.users[login], role=role)
                await setup.add_member(ctx, seat)
            if program.settings:
                await setup.update_settings(ctx, UpdateArcSettings(association_id=found.id, **program.settings))
            units = {u.unit_number: u.id for u in await association.units_of(ctx, found.id)}
        loader = _Loader(self, program, keeper, {login for login, _ in seated}, found.id, committee, units)
        for ask in program.asks:
            await loader.ask(ask)
        return loader.summary()


def _content(plan: Plan, lines: tuple[str, ...]) -> str:
    return base64.b64encode(text_pdf(plan.title, list(lines))).decode()


class _Loader:
    """Files one association's requests and takes each to its status, one request per step."""

    def __init__(
        self,
        seeder: _Seeder,
        program: Program,
        keeper: str,
        seated: set[str],
        association_id: uuid.UUID,
        committee_id: uuid.UUID,
        units: dict[str, uuid.UUID],
    ) -> None:
        self.s = seeder
        self.program = program
        self.keeper = keeper
        self.seated = seated
        self.association = association_id
        self.committee = committee_id
        self.units = units
        self.statuses: Counter[str] = Counter()
        self.notes: list[str] = []

    def acting(self, login: str) -> AbstractAsyncContextManager[RequestContext]:
        return self.s.acting(self.keeper if login == "keeper" else login, self.program.slug)

    async def requester(self, ask: Ask) -> str:
        return ask.by if ask.by == "keeper" or await self.s.member(ask.by, self.program.slug) else "keeper"

    async def ask(self, ask: Ask) -> None:
        unit = self.units.get(ask.unit)
        if unit is None:
            self.notes.append(f"unit {ask.unit} is missing")
            return
        by = await self.requester(ask)
        start = date.today() + timedelta(days=ask.starts_in_days) if ask.starts_in_days is not None else None
        data = CreateArcRequest(
            association_id=self.association, unit_id=unit, category=ask.category, title=ask.title,
            description=ask.description, estimated_cost=ask.estimated_cost, contractor=ask.contractor,
            planned_start=start, planned_end=start + timedelta(days=ask.takes_days) if start else None,
        )  # fmt: skip
        async with self.acting(by) as ctx:
            request_id = (await requests.create(ctx, data)).id
            filed = [
                (plan, (await documents.add_document(ctx, self.document(request_id, plan, plan.lines))).document_id)
                for plan in ask.plans
            ]
        if ask.target != "DRAFT":
            await self.submit(by, request_id)
        if ask.target == "WITHDRAWN":
            async with self.acting(by) as ctx:
                await requests.withdraw(ctx, request_id, ask.note or None)
        elif ask.target not in ("DRAFT", "SUBMITTED", "DEEMED"):
            async with self.acting("keeper") as ctx:
                await reviews.assign_committee(ctx, AssignCommittee(request_id=request_id, committee_id=self.committee))
            for number, round_ in enumerate(ask.rounds, start=1):
                if not await self.review(request_id, round_):
                    break
                if number < len(ask.rounds):  # changes were asked for: the revised plans, then the next round
                    async with self.acting(by) as ctx:
                        for plan, document_id in filed:
                            if plan.revised:
                                revision = self.document(request_id, plan, plan.revised, document_id)
                                await documents.add_document(ctx, revision)
                    await self.submit(by, request_id)
        async with self.acting("keeper") as ctx:
            self.statuses[(await requests.get(ctx, request_id)).status] += 1

    @staticmethod
    def document(
        request_id: uuid.UUID, plan: Plan, lines: tuple[str, ...], document_id: uuid.UUID | None = None
    ) -> AddArcDocument:
        return AddArcDocument(
            id=request_id, kind=plan.kind, file_name=plan.file_name, content_base64=_content(plan, lines),
            document_id=document_id,
        )  # fmt: skip

    async def submit(self, by: str, request_id: uuid.UUID) -> None:
        async with self.acting(by) as ctx:
            await requests.submit(ctx, request_id)

    async def review(self, request_id: uuid.UUID, round_: Round) -> bool:
        """The round's votes, then its decision (when it has reasons); False when it could not be decided."""
        for login, vote, comment in round_.votes:
            if login not in self.seated:
                continue
            async with self.acting(login) as ctx:
                body = SubmitReview(request_id=request_id, action=vote, comments=comment or None)
                await reviews.submit_review(ctx, body)
        if not round_.reasons:
            return False
        decision = RecordDecision(request_id=request_id, reasons=round_.reasons, conditions=list(round_.conditions))
        try:
            async with self.acting("keeper") as ctx:
                await reviews.record_decision(ctx, decision)
        except ArcError as exc:  # a member missing from the demo: no quorum
            self.notes.append(f"a request stays under review: {exc}")
            return False
        return True

    def summary(self) -> str:
        states = ", ".join(f"{n} {status}" for status, n in sorted(self.statuses.items()))
        line = f"  {self.program.short}: {COMMITTEE_NAME} ({', '.join(sorted(self.seated)) or 'no demo members'})"
        line += f", {sum(self.statuses.values())} requests ({states})"
        if self.program.settings:
            line += "; settings " + ", ".join(f"{k} {v}" for k, v in self.program.settings.items())
        if any(a.target == "DEEMED" for a in self.program.asks):
            line += "; the SUBMITTED one is deemed approved by arcReviewLifecycle_v1 once its day has passed"
        if self.notes:
            line += "; " + "; ".join(self.notes)
        return line


@demo_seed("arc", order=70)
async def seed_arc(runtime: Runtime) -> list[str]:
    seeder = await _Seeder.gather(runtime)
    if seeder is None:
        return ["demo architectural review: skipped, the demo admin does not exist"]
    lines = ["demo architectural review:"]
    for program in PROGRAMS:
        lines.append(await seeder.load(program))
    return lines
