"""The portal's pure rules, without a database: the request lifecycle table, who a request belongs to as Cerbos
sees it, and the work order's description made from a request."""

from __future__ import annotations

import uuid

import pytest

from hestami.cam.portal import kinds, lifecycle
from hestami.cam.portal.models import OwnerRequest
from hestami.cam.portal.services.conversion import MAX_DESCRIPTION, description
from hestami.core.errors import HestamiError, check_transition

STATUSES = ("SUBMITTED", "IN_REVIEW", "CONVERTED", "RESOLVED", "CLOSED", "CANCELLED")


def test_every_status_is_in_the_table_and_every_move_has_its_action() -> None:
    assert set(lifecycle.TRANSITIONS) == set(STATUSES)
    targets = {target for moves in lifecycle.TRANSITIONS.values() for target in moves}
    assert targets <= set(lifecycle.ACTION_FOR)
    assert lifecycle.TRANSITIONS["CLOSED"] == lifecycle.TRANSITIONS["CANCELLED"] == frozenset()
    assert set(lifecycle.STAMP) <= targets


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("SUBMITTED", "IN_REVIEW", True),
        ("SUBMITTED", "CONVERTED", True),
        ("IN_REVIEW", "CANCELLED", True),
        ("CONVERTED", "RESOLVED", True),
        ("RESOLVED", "CLOSED", True),
        ("CONVERTED", "CANCELLED", False),  # work has started: the owner cannot withdraw it
        ("RESOLVED", "IN_REVIEW", False),
        ("CLOSED", "RESOLVED", False),
        ("CANCELLED", "SUBMITTED", False),
        ("IN_REVIEW", "SUBMITTED", False),
    ],
)
def test_moves(current: str, target: str, allowed: bool) -> None:
    assert lifecycle.can_move(current, target) is allowed
    if allowed:
        check_transition("owner request", lifecycle.TRANSITIONS, current, target)
    else:
        with pytest.raises(HestamiError) as refused:
            check_transition("owner request", lifecycle.TRANSITIONS, current, target)
        assert refused.value.details["from"] == current
        assert refused.value.details["to"] == target


def test_only_open_requests_take_files_and_cancellation() -> None:
    assert {s for s in STATUSES if "CANCELLED" in lifecycle.TRANSITIONS[s]} == lifecycle.OPEN


def _request(**fields: object) -> OwnerRequest:
    values: dict[str, object] = {"number": 7, "category": "COMMON_AREA", "description": "The gate is stuck."}
    return OwnerRequest(**(values | fields))


def test_a_request_belongs_to_its_submitter_and_the_owner_it_was_filed_for() -> None:
    owner, manager = uuid.uuid4(), uuid.uuid4()
    assert kinds._followers(_request(submitted_by=owner, owner_user_id=owner)) == [str(owner)]
    assert kinds._followers(_request(submitted_by=manager, owner_user_id=owner)) == sorted([str(owner), str(manager)])
    assert kinds._followers(_request(submitted_by=manager, owner_user_id=None)) == [str(manager)]


def test_the_work_order_keeps_the_owners_words_and_names_the_request() -> None:
    text = description(_request(), "Check the limit switch.")
    assert text == ("The gate is stuck.\n\nFrom owner request REQ-000007 (common area).\nCheck the limit switch.")
    long = description(_request(description="x" * 5000), "y" * 200)
    assert len(long) == MAX_DESCRIPTION
    assert long.endswith("y" * 200)
    assert "REQ-000007" in long
