"""A technician's performance figures, computed from facts about their jobs (read-only).

Dispatch (which knows who worked which job) supplies one `JobFact` per job the technician worked, through
`register_job_facts`; without a source every technician has no facts: zero jobs and no rates.

- `jobs_completed`: the jobs completed.
- `first_time_fix_rate`: of the completed jobs, the share fixed on the first visit with no callback, as a
  fraction from 0 to 1 rounded half-even to 4 places (0.8333); null with no completed job.
- `average_job_minutes`: the mean time worked on the completed jobs that record it, rounded half-up to 1 place
  (87.5); null when none records it.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any

RATE_PLACES = Decimal("0.0001")
MINUTES_PLACES = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class JobFact:
    """One job the technician worked."""

    completed: bool
    visits: int
    """How many visits the job took (1: fixed on the first)."""
    minutes_worked: int | None = None
    callback: bool = False
    """The customer called back about the same problem after completion."""


@dataclass(frozen=True, slots=True)
class Kpis:
    jobs_completed: int
    first_time_fix_rate: Decimal | None
    average_job_minutes: Decimal | None


def kpis(facts: Iterable[JobFact]) -> Kpis:
    completed = [f for f in facts if f.completed]
    if not completed:
        return Kpis(0, None, None)
    fixed_first_time = sum(1 for f in completed if f.visits <= 1 and not f.callback)
    rate = (Decimal(fixed_first_time) / Decimal(len(completed))).quantize(RATE_PLACES, ROUND_HALF_EVEN)
    timed = [f.minutes_worked for f in completed if f.minutes_worked is not None]
    average = (Decimal(sum(timed)) / Decimal(len(timed))).quantize(MINUTES_PLACES, ROUND_HALF_UP) if timed else None
    return Kpis(len(completed), rate, average)


JobFacts = Callable[[Any, uuid.UUID], Awaitable[Sequence[JobFact]]]
"""(ctx, technician id) → one fact per job the technician worked: registered by dispatch, which knows who worked
what (technicians sit below jobs and dispatch, so they are told rather than asking)."""
_sources: list[JobFacts] = []


def register_job_facts(source: JobFacts) -> None:
    _sources[:] = [source]


async def facts_of(ctx: Any, technician_id: uuid.UUID) -> list[JobFact]:
    """The registered source's facts for the technician (none before one is registered)."""
    return list(await _sources[0](ctx, technician_id)) if _sources else []
