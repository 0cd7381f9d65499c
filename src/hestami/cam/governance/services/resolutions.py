"""Resolutions and the policies they adopt. A resolution is proposed, put to a vote at a meeting, and adopted (the
vote passed at a meeting with quorum) or rejected; a proposal may be withdrawn before its vote; a later adopted
resolution may supersede an earlier one. Adoption carries the decision out:

- SPECIAL_ASSESSMENT: one charge per unit through accounting, by assessment share (or equally), summing exactly to
  the total (`rules.split_by_share`, remainder cents by `rules.REMAINDER_RULE`);
- POLICY: a new policy, or a new version of one (versions are never rewritten).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from hestami.cam.accounting import api as accounting
from hestami.cam.association import api as association
from hestami.cam.governance import kinds, lifecycle, repository, rules
from hestami.cam.governance.errors import GovernanceReason, rule
from hestami.cam.governance.models import Meeting, Policy, PolicyVersion, Resolution, Vote
from hestami.cam.governance.schemas import (
    AssessmentPreviewOut,
    ListPolicies,
    ListResolutions,
    PoliciesOut,
    PolicyOut,
    PolicyVersionOut,
    ProposeResolution,
    ResolutionOut,
    ResolutionsOut,
    UnitShareOut,
)
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition
from hestami.core.pagination import PageRequest

POLICY_VERSION = "policy_version"


def output(resolution: Resolution) -> ResolutionOut:
    return records.output(ResolutionOut, resolution)


async def _shares(
    ctx: RequestContext, association_id: uuid.UUID, allocation: str
) -> list[tuple[uuid.UUID, str, Decimal]]:
    """(unit, unit number, share) of every live unit, in unit-number order."""
    units = await association.units_of(ctx, association_id)
    if not units:
        raise rule(GovernanceReason.NO_UNITS, "The association has no units to assess.")
    if allocation == "EQUAL":
        return [(unit.id, unit.unit_number, Decimal(1)) for unit in units]
    missing = [unit.unit_number for unit in units if not unit.assessment_share]
    if missing:
        raise rule(
            GovernanceReason.MISSING_ASSESSMENT_SHARE, "Units without an assessment share cannot be assessed by share.",
            units=missing[:20], count=len(missing),
        )  # fmt: skip
    return [(unit.id, unit.unit_number, Decimal(unit.assessment_share or 0)) for unit in units]


async def allocation_of(ctx: RequestContext, resolution: Resolution) -> list[UnitShareOut]:
    """Each unit's share and amount: once the assessment is levied, what each unit was charged (units added since
    owe nothing of it); before, the split of the total over today's units."""
    assert resolution.assessment_total is not None
    assert resolution.allocation is not None
    if resolution.assessment_type_id is not None:
        return await _levied(ctx, resolution, resolution.assessment_type_id)
    shares = await _shares(ctx, resolution.association_id, resolution.allocation)
    amounts = rules.split_by_share(resolution.assessment_total, [(str(unit_id), share) for unit_id, _, share in shares])
    return [
        UnitShareOut(unit_id=unit_id, unit_number=number, share=share, amount=amounts[str(unit_id)])
        for unit_id, number, share in shares
    ]


async def _levied(ctx: RequestContext, resolution: Resolution, assessment_type_id: uuid.UUID) -> list[UnitShareOut]:
    charged = await accounting.charged_under(ctx, assessment_type_id)
    units = await association.units_of(ctx, resolution.association_id, unit_ids=list(charged))
    return [
        UnitShareOut(
            unit_id=unit.id,
            unit_number=unit.unit_number,
            amount=charged[unit.id],
            share=Decimal(unit.assessment_share or 0) if resolution.allocation == "BY_SHARE" else Decimal(1),
        )
        for unit in units
    ]


async def _policy_of(ctx: RequestContext, data: ProposeResolution) -> uuid.UUID | None:
    """The policy a POLICY resolution amends: `policy_id` (of the same association), or the draft of a new policy
    named `policy_title` (made now, or one a proposal that was never adopted made before; DUPLICATE_NAME for the
    title of a policy in force)."""
    if data.policy_id is not None:
        policy = await records.load(ctx, kinds.POLICY, data.policy_id)
        if policy.association_id != data.association_id:
            raise rule(GovernanceReason.WRONG_ASSOCIATION, "The policy belongs to another association.")
        return policy.id
    if data.policy_title is None:
        return None
    await repository.lock(ctx.session, "policy_title", data.association_id)
    existing = await repository.policy_named(ctx.session, data.association_id, data.policy_title)
    if existing is not None:
        draft = await records.load(ctx, kinds.POLICY, existing)
        if draft.status != "DRAFT":
            raise rule(
                GovernanceReason.DUPLICATE_NAME, f"The association already has a policy named {data.policy_title}."
            )
        return draft.id
    policy = Policy(
        association_id=data.association_id, title=data.policy_title, category=data.policy_category or "RULES",
        status="DRAFT", current_version=0,
    )  # fmt: skip
    return (await records.create(ctx, kinds.POLICY, policy)).id


async def propose(ctx: RequestContext, data: ProposeResolution) -> ResolutionOut:
    await association.load_association(ctx, data.association_id)
    if data.supersedes_id is not None:
        earlier = await records.load(ctx, kinds.RESOLUTION, data.supersedes_id)
        if earlier.association_id != data.association_id:
            raise rule(GovernanceReason.WRONG_ASSOCIATION, "The superseded resolution belongs to another association.")
        if earlier.status not in lifecycle.IN_FORCE:
            raise rule(GovernanceReason.NOT_ADOPTED, "Only a resolution in force can be superseded.")
    policy_id = await _policy_of(ctx, data)
    if data.kind == "SPECIAL_ASSESSMENT":
        assert data.allocation is not None
        await _shares(ctx, data.association_id, data.allocation)
    resolution = Resolution(
        association_id=data.association_id,
        number=await repository.next_number(ctx.session, Resolution, data.association_id),
        kind=data.kind, title=data.title, body=data.body, status="PROPOSED", proposed_by=ctx.user_id,
        supersedes_id=data.supersedes_id, assessment_total=data.assessment_total,
        assessment_due_on=data.assessment_due_on, assessment_fund=data.assessment_fund, allocation=data.allocation,
        policy_id=policy_id, policy_body=data.policy_body,
    )  # fmt: skip
    resolution = await records.create(ctx, kinds.RESOLUTION, resolution)
    return output(resolution)


async def get(ctx: RequestContext, resolution_id: uuid.UUID) -> ResolutionOut:
    return output(await records.load(ctx, kinds.RESOLUTION, resolution_id))


async def list_resolutions(ctx: RequestContext, data: ListResolutions) -> ResolutionsOut:
    filters = []
    if data.association_id is not None:
        filters.append(Resolution.association_id == data.association_id)
    if data.status is not None:
        filters.append(Resolution.status == data.status)
    if data.kind is not None:
        filters.append(Resolution.kind == data.kind)
    rows, cursor = await records.page(
        ctx, kinds.RESOLUTION, PageRequest(limit=data.limit, cursor=data.cursor), *filters
    )
    return ResolutionsOut(items=[output(row) for row in rows], next_cursor=cursor)


async def withdraw(ctx: RequestContext, resolution_id: uuid.UUID) -> ResolutionOut:
    """A proposal while no vote on it is open (VOTE_OPEN). A vote that lapsed (its meeting ended or was cancelled
    before it was counted) leaves the proposal free again."""
    resolution = await records.load(ctx, kinds.RESOLUTION, resolution_id, "withdraw", lock=True)
    if resolution.vote_id is not None and resolution.status == "PROPOSED":
        raise rule(GovernanceReason.VOTE_OPEN, "The resolution is being voted on.")
    return output(await _move(ctx, resolution, "WITHDRAWN"))


async def release(ctx: RequestContext, resolution_id: uuid.UUID) -> None:
    """The vote on the resolution lapsed uncounted: it is a proposal again, free to be put to another vote."""
    resolution = await records.find(ctx, kinds.RESOLUTION, resolution_id, lock=True)
    if resolution.status == "PROPOSED":
        await records.change(
            ctx, kinds.RESOLUTION, resolution, {"vote_id": None, "meeting_id": None}, action="vote_lapsed"
        )


async def preview_assessment(ctx: RequestContext, resolution_id: uuid.UUID) -> AssessmentPreviewOut:
    """What each unit would be charged (or was, once adopted): shares and amounts summing exactly to the total."""
    resolution = await records.load(ctx, kinds.RESOLUTION, resolution_id)
    if resolution.kind != "SPECIAL_ASSESSMENT":
        raise rule(GovernanceReason.INCOMPLETE_RESOLUTION, "Only a special assessment resolution has an allocation.")
    assert resolution.assessment_total is not None
    assert resolution.allocation is not None
    return AssessmentPreviewOut(
        resolution_id=resolution.id, total=resolution.assessment_total, allocation=resolution.allocation,
        remainder_rule=rules.REMAINDER_RULE, units=await allocation_of(ctx, resolution),
    )  # fmt: skip


async def ready_for_vote(ctx: RequestContext, resolution_id: uuid.UUID, meeting: Meeting) -> None:
    """A PROPOSED resolution of the meeting's association, not being voted on; decided by the board or the owners
    (a committee adopts nothing: WRONG_VOTE_KIND)."""
    resolution = await records.load(ctx, kinds.RESOLUTION, resolution_id, "put_to_vote", lock=True)
    if resolution.association_id != meeting.association_id:
        raise rule(GovernanceReason.WRONG_ASSOCIATION, "The resolution belongs to another association.")
    if meeting.kind == "COMMITTEE":
        raise rule(GovernanceReason.WRONG_VOTE_KIND, "Resolutions are adopted by the board or the owners.")
    if resolution.status != "PROPOSED" or resolution.vote_id is not None:
        raise rule(GovernanceReason.NOT_EDITABLE, "The resolution has been voted on.", status=resolution.status)


async def put_to_vote(ctx: RequestContext, resolution_id: uuid.UUID, vote_id: uuid.UUID, meeting_id: uuid.UUID) -> None:
    resolution = await records.find(ctx, kinds.RESOLUTION, resolution_id, lock=True)
    await records.change(
        ctx, kinds.RESOLUTION, resolution, {"vote_id": vote_id, "meeting_id": meeting_id}, action="put_to_vote"
    )


async def _move(ctx: RequestContext, resolution: Resolution, target: str, **values: object) -> Resolution:
    check_transition("resolution", lifecycle.RESOLUTION_MOVES, resolution.status, target)
    return await records.change(
        ctx, kinds.RESOLUTION, resolution, {"status": target, **values}, action="status_changed"
    )


async def decide(ctx: RequestContext, resolution_id: uuid.UUID, vote: Vote, meeting: Meeting) -> Resolution:
    """The closed vote's result: PASSED adopts the resolution and carries it out, FAILED rejects it."""
    resolution = await records.find(ctx, kinds.RESOLUTION, resolution_id, lock=True)
    now = datetime.now(UTC)
    if vote.result != "PASSED":
        return await _move(ctx, resolution, "REJECTED", decided_at=now, meeting_id=meeting.id)
    effects: dict[str, object] = {}
    if resolution.kind == "SPECIAL_ASSESSMENT":
        effects = await _levy(ctx, resolution)
    elif resolution.kind == "POLICY":
        effects = await _adopt_policy(ctx, resolution, now.date())
    if resolution.supersedes_id is not None:
        earlier = await records.find(ctx, kinds.RESOLUTION, resolution.supersedes_id, lock=True)
        if earlier.status in lifecycle.IN_FORCE:
            await _move(ctx, earlier, "SUPERSEDED", superseded_by_id=resolution.id)
    return await _move(ctx, resolution, "ADOPTED", decided_at=now, meeting_id=meeting.id, **effects)


def _assessment_name(resolution: Resolution) -> str:
    """The assessment type's name, as owners read it on their charges."""
    title = resolution.title
    if not title.lower().startswith("special assessment"):
        title = f"Special assessment: {title}"
    return f"{title} (resolution {resolution.number})"


async def _levy(ctx: RequestContext, resolution: Resolution) -> dict[str, object]:
    assert resolution.assessment_due_on is not None
    assert resolution.assessment_fund is not None
    allocation = await allocation_of(ctx, resolution)
    levied = await accounting.levy_special_assessment(
        ctx, resolution.association_id, name=_assessment_name(resolution),
        due_date=resolution.assessment_due_on, fund=resolution.assessment_fund,
        amounts=[(unit.unit_id, unit.amount) for unit in allocation if unit.amount > 0],
    )  # fmt: skip
    return {"assessment_type_id": levied.assessment_type_id, "charge_count": len(levied.charges)}


async def _adopt_policy(ctx: RequestContext, resolution: Resolution, effective_on: date) -> dict[str, object]:
    assert resolution.policy_id is not None
    assert resolution.policy_body is not None
    policy = await records.find(ctx, kinds.POLICY, resolution.policy_id, lock=True)
    version = PolicyVersion(
        organization_id=policy.organization_id, policy_id=policy.id, version=policy.current_version + 1,
        body=resolution.policy_body, resolution_id=resolution.id, effective_on=effective_on,
    )  # fmt: skip
    ctx.session.add(version)
    await ctx.session.flush()
    audit.record(ctx, f"{POLICY_VERSION}.created", POLICY_VERSION, version.id, after=records.snapshot(version))
    await records.change(ctx, kinds.POLICY, policy, {"current_version": version.version, "status": "ACTIVE"})
    return {"policy_version": version.version}


def _policy_out(policy: Policy, versions: list[PolicyVersion]) -> PolicyOut:
    return records.output(PolicyOut, policy, versions=[records.output(PolicyVersionOut, v) for v in versions])


async def get_policy(ctx: RequestContext, policy_id: uuid.UUID) -> PolicyOut:
    """A policy and every version, newest first."""
    policy = await records.load(ctx, kinds.POLICY, policy_id)
    return _policy_out(policy, await repository.policy_versions(ctx.session, [policy.id]))


async def list_policies(ctx: RequestContext, data: ListPolicies) -> PoliciesOut:
    """Policies with their current version only."""
    filters = [Policy.association_id == data.association_id] if data.association_id is not None else []
    rows, cursor = await records.page(ctx, kinds.POLICY, PageRequest(limit=data.limit, cursor=data.cursor), *filters)
    versions = await repository.policy_versions(ctx.session, [row.id for row in rows])
    current = {(v.policy_id, v.version): v for v in versions}
    items = [
        _policy_out(row, [current[(row.id, row.current_version)]] if (row.id, row.current_version) in current else [])
        for row in rows
    ]
    return PoliciesOut(items=items, next_cursor=cursor)
