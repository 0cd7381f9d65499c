"""The ARC lifecycle's pure rules: the transition table (deemed approval only from review, approvals only expire,
final states stay final, withdrawal only before a decision), the committee's tally (quorum with abstentions, the
threshold over the approve/deny/request-changes votes, the outcome below it), the status a decision gives and the
scaling of days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from hestami.cam.arc import lifecycle
from hestami.cam.arc.lifecycle import TRANSITIONS, decided_status, tally

STATUSES = {
    "DRAFT", "SUBMITTED", "UNDER_REVIEW", "CHANGES_REQUESTED", "APPROVED", "APPROVED_WITH_CONDITIONS", "DENIED",
    "WITHDRAWN", "EXPIRED",
}  # fmt: skip
DECIDED = {"APPROVED", "APPROVED_WITH_CONDITIONS", "DENIED", "EXPIRED"}


def sources(target: str) -> set[str]:
    return {status for status, targets in TRANSITIONS.items() if target in targets}


def test_the_table_covers_every_status_and_only_known_ones() -> None:
    assert set(TRANSITIONS) == STATUSES
    assert set().union(*TRANSITIONS.values()) <= STATUSES
    assert all(status not in targets for status, targets in TRANSITIONS.items()), "no self-transitions"
    assert lifecycle.IN_REVIEW | lifecycle.EDITABLE | lifecycle.APPROVED | lifecycle.FINAL == STATUSES


def test_only_a_request_in_review_can_be_approved_and_deemed_approval_needs_no_committee() -> None:
    assert sources("APPROVED") == {"SUBMITTED", "UNDER_REVIEW"} == set(lifecycle.IN_REVIEW)
    assert sources("APPROVED_WITH_CONDITIONS") == {"UNDER_REVIEW"}, "conditions come from a committee's decision"
    for status in STATUSES - lifecycle.IN_REVIEW:
        assert "APPROVED" not in TRANSITIONS[status], status


def test_approvals_only_expire_and_only_approvals_expire() -> None:
    for status in lifecycle.APPROVED:
        assert TRANSITIONS[status] == {"EXPIRED"}, status
    assert sources("EXPIRED") == set(lifecycle.APPROVED)


@pytest.mark.parametrize("status", sorted(lifecycle.FINAL))
def test_final_states_are_final(status: str) -> None:
    assert TRANSITIONS[status] == frozenset()


def test_withdrawal_only_before_a_decision() -> None:
    assert sources("WITHDRAWN") == {"DRAFT", "SUBMITTED", "UNDER_REVIEW", "CHANGES_REQUESTED"}
    for status in DECIDED | {"WITHDRAWN"}:
        assert "WITHDRAWN" not in TRANSITIONS[status], status


def test_the_review_round_trip() -> None:
    assert TRANSITIONS["DRAFT"] == {"SUBMITTED", "WITHDRAWN"}
    assert "UNDER_REVIEW" in TRANSITIONS["SUBMITTED"]
    assert sources("CHANGES_REQUESTED") == {"UNDER_REVIEW"}
    assert sources("DENIED") == {"UNDER_REVIEW"}
    assert TRANSITIONS["CHANGES_REQUESTED"] == {"SUBMITTED", "WITHDRAWN"}, "resubmitted, never decided directly"
    assert sources("SUBMITTED") == {"DRAFT", "CHANGES_REQUESTED"}
    assert sources("DRAFT") == set(), "nothing goes back to a draft"
    assert {"SUBMITTED", "UNDER_REVIEW"} == lifecycle.IN_REVIEW
    assert {"DRAFT", "CHANGES_REQUESTED"} == lifecycle.EDITABLE
    assert {"DENIED", "WITHDRAWN", "EXPIRED"} == lifecycle.FINAL


# --- the tally -------------------------------------------------------------------------------------------------


def test_the_counts() -> None:
    t = tally(["APPROVE", "APPROVE", "DENY", "REQUEST_CHANGES", "ABSTAIN", "ABSTAIN"], 3, Decimal("50.01"))
    assert (t.cast, t.approve, t.deny, t.request_changes, t.abstain) == (6, 2, 1, 1, 2)
    assert t.voting == 4
    assert t.approval_percent == Decimal(50)


def test_abstentions_count_towards_quorum() -> None:
    assert tally(["APPROVE", "ABSTAIN", "ABSTAIN"], 3, Decimal(50)).has_quorum
    assert not tally(["APPROVE", "ABSTAIN"], 3, Decimal(50)).has_quorum
    assert tally(["ABSTAIN"], 1, Decimal(50)).has_quorum
    assert not tally([], 1, Decimal(50)).has_quorum


def test_abstentions_do_not_count_towards_the_threshold() -> None:
    t = tally(["APPROVE", "ABSTAIN", "ABSTAIN", "ABSTAIN"], 4, Decimal("50.01"))
    assert t.approval_percent == Decimal(100)
    assert t.outcome() == "APPROVED"


@pytest.mark.parametrize(
    ("actions", "threshold", "outcome"),
    [
        (["APPROVE", "APPROVE", "DENY"], "66.66", "APPROVED"),  # 66.67 % >= 66.66
        (["APPROVE", "APPROVE", "DENY"], "66.67", "DENIED"),  # 66.666… % < 66.67
        (["APPROVE", "DENY"], "50", "APPROVED"),  # exactly the threshold approves
        (["APPROVE", "DENY"], "50.01", "DENIED"),  # a tie is not a majority
        (["APPROVE", "REQUEST_CHANGES"], "50.01", "CHANGES_REQUESTED"),
        (["APPROVE"] * 3, "100", "APPROVED"),
        (["APPROVE", "APPROVE", "ABSTAIN", "REQUEST_CHANGES"], "100", "CHANGES_REQUESTED"),
        (["DENY", "DENY", "REQUEST_CHANGES"], "50.01", "DENIED"),  # more denials than change requests
        (["DENY", "REQUEST_CHANGES", "REQUEST_CHANGES"], "50.01", "CHANGES_REQUESTED"),
        (["DENY", "REQUEST_CHANGES"], "50.01", "DENIED"),  # a tie between them denies
        (["APPROVE", "DENY", "REQUEST_CHANGES"], "50.01", "DENIED"),
    ],
)
def test_the_outcome(actions: list[str], threshold: str, outcome: str) -> None:
    assert tally(actions, 1, Decimal(threshold)).outcome() == outcome


def test_without_votes_nothing_is_approved() -> None:
    """Only abstentions (or nothing at all): 0 % approve, and there is no change request to outweigh a denial."""
    for actions in ([], ["ABSTAIN"], ["ABSTAIN", "ABSTAIN"]):
        t = tally(actions, 1, Decimal("0.01"))
        assert t.voting == 0
        assert t.approval_percent == Decimal(0)
        assert t.outcome() == "DENIED", actions


def test_unknown_actions_are_not_votes() -> None:
    t = tally(["APPROVE", "MAYBE"], 2, Decimal(50))
    assert (t.cast, t.voting, t.has_quorum) == (2, 1, True)


def test_decided_status() -> None:
    assert decided_status("APPROVED", []) == "APPROVED"
    assert decided_status("APPROVED", ["Cedar only", "Max. 6 ft"]) == "APPROVED_WITH_CONDITIONS"
    assert decided_status("DENIED", ["ignored"]) == "DENIED"
    assert decided_status("CHANGES_REQUESTED", ["ignored"]) == "CHANGES_REQUESTED"
    for outcome in ("APPROVED", "DENIED", "CHANGES_REQUESTED"):
        for conditions in ([], ["x"]):
            status = decided_status(outcome, conditions)
            assert status in TRANSITIONS["UNDER_REVIEW"], (outcome, conditions)


# --- days and ids ----------------------------------------------------------------------------------------------


def test_after_days_scales_the_day() -> None:
    start = datetime(2024, 2, 28, 12, 0, tzinfo=UTC)
    assert lifecycle.after_days(start, 2, 86400) == datetime(2024, 3, 1, 12, 0, tzinfo=UTC), "a leap year"
    assert lifecycle.after_days(start, 45, 86400) - start == timedelta(days=45)
    assert lifecycle.after_days(start, 4, 0.5) - start == timedelta(seconds=2)
    assert lifecycle.after_days(start, 2, 0.1) - start == timedelta(seconds=0.2)
    assert lifecycle.after_days(start, 0, 86400) == start
    assert lifecycle.after_days(start, 1.5, 86400) - start == timedelta(hours=36)
    assert lifecycle.after_days(start, 180, 86400).tzinfo is UTC


def test_the_workflow_id_is_derived_from_the_request() -> None:
    assert lifecycle.workflow_id("abc") == "arcRequest:abc:lifecycle:v1"
    assert lifecycle.DEFAULT_APPROVAL_VALID_DAYS == 180
    assert lifecycle.VOTES == ("APPROVE", "DENY", "REQUEST_CHANGES", "ABSTAIN")
