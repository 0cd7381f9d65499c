"""The jobs' pure rules, without a database: the transition table's shape, the walks the demo and tests take through
it, the Cerbos action of each move, what blocks closing, the visits' table and the demo's windows."""

from __future__ import annotations

import typing
from datetime import date, time

import pytest

from hestami.contractor.job import lifecycle
from hestami.contractor.job.demo_data import CUSTOMERS, JOBS, ZONE, DemoVisit, window
from hestami.contractor.job.schemas import Status, VisitStatus


def test_the_table_knows_every_status_and_only_them() -> None:
    assert set(lifecycle.TRANSITIONS) == set(lifecycle.STATUSES) == set(typing.get_args(Status))
    assert all(targets <= set(lifecycle.STATUSES) for targets in lifecycle.TRANSITIONS.values())
    assert lifecycle.TRANSITIONS["CLOSED"] == lifecycle.TRANSITIONS["CANCELLED"] == frozenset()


def test_every_open_state_may_be_cancelled_and_no_other() -> None:
    cancellable = {s for s, targets in lifecycle.TRANSITIONS.items() if "CANCELLED" in targets}
    assert cancellable == lifecycle.OPEN


def test_every_state_is_reached_from_a_lead() -> None:
    for status in lifecycle.STATUSES:
        if status != "LEAD":
            walk = lifecycle.path("LEAD", status)
            assert walk[-1] == status
            previous = "LEAD"
            for step in walk:
                assert step in lifecycle.TRANSITIONS[previous]
                previous = step


@pytest.mark.parametrize(
    ("start", "target", "walk"),
    [
        ("TICKET", "CLOSED", ["JOB_CREATED", "SCHEDULED", "DISPATCHED", "IN_PROGRESS", "COMPLETED", "CLOSED"]),
        ("TICKET", "PAID", ["JOB_CREATED", "SCHEDULED", "DISPATCHED", "IN_PROGRESS", "COMPLETED", "INVOICED",
                            "PAID"]),
        ("TICKET", "CANCELLED", ["CANCELLED"]),
        ("LEAD", "ESTIMATE_REQUIRED", ["TICKET", "ESTIMATE_REQUIRED"]),
        ("TICKET", "TICKET", []),
    ],
)  # fmt: skip
def test_walks_are_the_shortest(start: str, target: str, walk: list[str]) -> None:
    assert lifecycle.path(start, target) == walk


def test_no_walk_leads_back() -> None:
    assert lifecycle.path("CLOSED", "TICKET") == []
    assert lifecycle.path("COMPLETED", "IN_PROGRESS") == []


def test_the_field_moves_have_their_own_actions() -> None:
    assert lifecycle.action_for("IN_PROGRESS") == "start_work"
    assert lifecycle.action_for("ON_HOLD") == "hold"
    assert lifecycle.action_for("COMPLETED") == "complete"
    assert lifecycle.action_for("CANCELLED") == "cancel"
    assert {lifecycle.action_for(s) for s in ("TICKET", "JOB_CREATED", "SCHEDULED", "CLOSED")} == {"update_status"}


@pytest.mark.parametrize(
    ("kind", "status", "blocks"),
    [("QA", "PENDING", True), ("QA", "FAILED", True), ("QA", "PASSED", False), ("WARRANTY", "PENDING", False),
     ("WARRANTY", "FAILED", False)],
)  # fmt: skip
def test_only_a_qa_checkpoint_not_passed_blocks_closing(kind: str, status: str, blocks: bool) -> None:
    assert lifecycle.blocks_closing(kind, status) is blocks


def test_the_visits_table() -> None:
    assert set(lifecycle.VISIT_TRANSITIONS) == set(lifecycle.VISIT_STATUSES) == set(typing.get_args(VisitStatus))
    assert {s for s, targets in lifecycle.VISIT_TRANSITIONS.items() if targets} == lifecycle.VISIT_OPEN
    assert all("CANCELLED" in lifecycle.VISIT_TRANSITIONS[s] for s in lifecycle.VISIT_OPEN)


def test_the_demo_windows_are_mornings_and_afternoons_in_chicago() -> None:
    day = date(2030, 3, 12)
    starts, ends = window(day, DemoVisit(1, "PM"))
    assert starts is not None
    assert ends is not None
    assert (starts.date(), starts.time(), ends.time(), starts.tzinfo) == (date(2030, 3, 13), time(12), time(16), ZONE)
    assert window(day, DemoVisit(None, None)) == (None, None)


def test_the_demo_jobs_cover_the_lifecycle() -> None:
    assert {job.status for job in JOBS} == set(lifecycle.STATUSES)
    assert len(CUSTOMERS) == 8
    assert all(job.customer is None or job.customer < len(CUSTOMERS) for job in JOBS)
    visits_soon = [v for job in JOBS if job.status in lifecycle.OPEN for v in job.visits if v.day in (0, 1)]
    assert len(visits_soon) >= 10
    emergencies = [job for job in JOBS if job.priority == "EMERGENCY"]
    assert len(emergencies) == 1
    assert not emergencies[0].visits
