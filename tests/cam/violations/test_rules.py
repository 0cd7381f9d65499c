"""The violation lifecycle's rules as pure functions (no database): the moves, cure periods, the hearing's notice
period, repeat detection, the fine schedule and caps, and what each letter says."""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from hestami.cam.violations import lifecycle
from hestami.cam.violations.models import Violation
from hestami.cam.violations.services.notices import TITLES, letter

NOW = datetime(2025, 3, 10, 9, 30, tzinfo=UTC)


def reachable(start: str) -> set[str]:
    seen, todo = {start}, deque([start])
    while todo:
        for target in lifecycle.TRANSITIONS[todo.popleft()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_every_state_is_in_the_table_and_every_target_is_a_state() -> None:
    states = set(lifecycle.TRANSITIONS)
    assert {t for targets in lifecycle.TRANSITIONS.values() for t in targets} <= states
    assert lifecycle.OPEN_STATES | lifecycle.RESOLVED | {"CLOSED"} == states
    assert not lifecycle.OPEN_STATES & lifecycle.RESOLVED
    assert lifecycle.CURE_RUNNING < lifecycle.OPEN_STATES


@pytest.mark.parametrize("state", sorted(lifecycle.OPEN_STATES))
def test_every_open_state_can_be_cured_or_dismissed_directly(state: str) -> None:
    assert {"CURED", "DISMISSED"} <= lifecycle.TRANSITIONS[state]
    assert "CLOSED" in reachable(state)
    assert "CLOSED" not in lifecycle.TRANSITIONS[state], "an open violation is resolved before it is closed"


def test_closed_is_final_and_only_resolved_states_close() -> None:
    assert lifecycle.TRANSITIONS["CLOSED"] == frozenset()
    closing = {state for state, targets in lifecycle.TRANSITIONS.items() if "CLOSED" in targets}
    assert closing == lifecycle.RESOLVED == {"FINED", "CURED", "DISMISSED"}
    for state in lifecycle.RESOLVED:
        assert lifecycle.TRANSITIONS[state] == frozenset({"CLOSED"}), "a resolution is not undone"


def test_fined_only_after_a_hearing_and_the_sequence_only_goes_forward() -> None:
    assert [s for s, targets in lifecycle.TRANSITIONS.items() if "FINED" in targets] == ["HEARING_SCHEDULED"]
    order = ["OPEN", "NOTICED", "CURE_PERIOD", "ESCALATED", "HEARING_SCHEDULED"]
    for i, state in enumerate(order):
        assert not lifecycle.TRANSITIONS[state] & set(order[: i + 1]), f"{state} moves back"
    # the notice that moves a violation on leads to the state that follows it in the sequence
    for state, step in lifecycle.NEXT_STEP.items():
        after = lifecycle.STATUS_AFTER[step]
        assert after in lifecycle.TRANSITIONS[state]
        assert order.index(after) == order.index(state) + 1
    assert "OPEN" not in {t for targets in lifecycle.TRANSITIONS.values() for t in targets}


def test_cure_days_type_default_overrides_only_the_courtesy_period() -> None:
    settings = {**lifecycle.DEFAULT_SETTINGS, "courtesy_cure_days": 21, "first_notice_cure_days": 12}
    assert lifecycle.cure_days("COURTESY", settings, None) == 21
    assert lifecycle.cure_days("COURTESY", settings, 0) == 21, "no type period (0) falls back to the setting"
    assert lifecycle.cure_days("COURTESY", settings, 5) == 5
    assert lifecycle.cure_days("FIRST", settings, 5) == 12
    assert lifecycle.cure_days("SECOND", settings, 5) == 10
    for step in ("HEARING", "FINE"):
        assert lifecycle.cure_days(step, settings, 5) is None
    defaults = lifecycle.DEFAULT_SETTINGS
    assert [lifecycle.cure_days(s, defaults, None) for s in ("COURTESY", "FIRST", "SECOND")] == [14, 14, 10]
    assert lifecycle.cure_days("FIRST", {**defaults, "first_notice_cure_days": "30"}, None) == 30


def test_after_days_scales_a_day_to_the_clock() -> None:
    assert lifecycle.after_days(NOW, 14, 86400) == NOW + timedelta(days=14)
    assert lifecycle.after_days(NOW, 14, 0.05) == NOW + timedelta(seconds=0.7)
    assert lifecycle.after_days(NOW, 0, 86400) == NOW
    assert lifecycle.after_days(NOW, 1.5, 3600) == NOW + timedelta(hours=1, minutes=30)


def test_earliest_hearing_is_the_notice_days_after_now() -> None:
    settings = dict(lifecycle.DEFAULT_SETTINGS)
    assert lifecycle.earliest_hearing(NOW, settings, 86400) == NOW + timedelta(days=14)
    assert lifecycle.earliest_hearing(NOW, {**settings, "hearing_notice_days": 30}, 86400) == NOW + timedelta(days=30)
    assert lifecycle.earliest_hearing(NOW, settings, 0.2) == NOW + timedelta(seconds=2.8)


def test_is_repeat_window_edges() -> None:
    window = 365
    start = NOW - timedelta(days=window)
    assert not lifecycle.is_repeat([], NOW, window)
    assert lifecycle.is_repeat([start], NOW, window), "the window's first moment counts"
    assert not lifecycle.is_repeat([start - timedelta(microseconds=1)], NOW, window)
    assert lifecycle.is_repeat([NOW], NOW, window), "observed at the same moment"
    assert not lifecycle.is_repeat([NOW + timedelta(seconds=1)], NOW, window), "a later one is not before it"
    assert lifecycle.is_repeat([NOW - timedelta(days=400), NOW - timedelta(days=3)], NOW, window)
    assert not lifecycle.is_repeat([NOW - timedelta(days=31)], NOW, 30)


def test_scheduled_fine_repeat_versus_first() -> None:
    first, repeat = Decimal("50.00"), Decimal("100.00")
    assert lifecycle.scheduled_fine(first, repeat, repeat=False) == first
    assert lifecycle.scheduled_fine(first, repeat, repeat=True) == repeat
    assert lifecycle.scheduled_fine(first, None, repeat=True) == first, "no repeat fine: the first fine"
    assert lifecycle.scheduled_fine(None, repeat, repeat=False) is None
    assert lifecycle.scheduled_fine(None, None, repeat=True) is None


def test_within_cap_keeps_the_fines_within_every_cap() -> None:
    d = Decimal
    assert lifecycle.within_cap(d(100), d(0), []) == d(100)
    assert lifecycle.within_cap(d(100), d(0), [None, None]) == d(100)
    assert lifecycle.within_cap(d(100), d(0), [d(500), None]) == d(100)
    assert lifecycle.within_cap(d(100), d(450), [d(500), None]) == d(50), "the type's cap minus what was fined"
    assert lifecycle.within_cap(d(100), d(450), [None, d(480)]) == d(30), "the association's cap"
    assert lifecycle.within_cap(d(100), d(450), [d(500), d(480)]) == d(30), "the lower cap wins"
    assert lifecycle.within_cap(d(100), d(450), [d(480), d(500)]) == d(30), "in either order"
    assert lifecycle.within_cap(d(100), d(500), [d(500)]) == d(0), "a reached cap"
    assert lifecycle.within_cap(d(100), d(600), [d(500)]) == d(0), "never negative"
    assert lifecycle.within_cap(d("10.50"), d("489.75"), [d(500)]) == d("10.25")


def violation(**fields: object) -> Violation:
    settings = {
        **lifecycle.DEFAULT_SETTINGS,
        "type": {"code": "TRASH_CANS", "name": "Trash cans left out", "rule_reference": "Rules 6.2"},
    }
    values: dict[str, object] = {
        "number": 42, "description": "Two trash cans at the curb on a Thursday.", "location": "Driveway",
        "observed_at": NOW - timedelta(days=1), "settings": settings, **fields,
    }  # fmt: skip
    return Violation(**values)


def text_of(step: str, **kwargs: object) -> tuple[str, str]:
    values: dict[str, object] = {"cure_due_at": None, "hearing_at": None, "amount": None, "now": NOW, **kwargs}
    title, paragraphs = letter(violation(), step, ["Trish Cans", "Tom Cans"], "12", **values)  # type: ignore[arg-type]
    return title, "\n".join(paragraphs)


@pytest.mark.parametrize("step", ["COURTESY", "FIRST", "SECOND"])
def test_a_cure_letter_names_the_owners_unit_rule_and_cure_date(step: str) -> None:
    due = NOW + timedelta(days=14)
    title, text = text_of(step, cure_due_at=due)
    assert title == TITLES[step]
    for expected in (
        "Trish Cans, Tom Cans", "unit 12", "VIO-000042", "Trash cans left out", "Rules 6.2",
        "Two trash cans at the curb on a Thursday.", "Driveway", "March 24, 2025 at 09:30 UTC",
        "March 10, 2025 at 09:30 UTC",
    ):  # fmt: skip
        assert expected in text, (expected, text)
    assert f"Please cure the violation by {due.strftime('%B %d, %Y at %H:%M UTC')}." in text


def test_the_hearing_letter_names_the_hearing_date_and_body() -> None:
    at = NOW + timedelta(days=14, hours=2)
    title, text = text_of("HEARING", hearing_at=at)
    assert title == "Notice of Hearing"
    assert "March 24, 2025 at 11:30 UTC" in text
    assert "before the board" in text
    assert "Trish Cans, Tom Cans" in text
    assert "unit 12" in text
    assert "Rules 6.2" in text
    assert "Please cure" not in text, "no cure date after the hearing notice"


def test_the_fine_letter_names_the_amount_and_appeal_days() -> None:
    _, text = text_of("FINE", amount=Decimal("50.00"))
    assert "$50.00" in text
    assert "within 15 days" in text


def test_a_letter_without_owners_or_rule_reference_still_reads() -> None:
    bare = violation(settings={**lifecycle.DEFAULT_SETTINGS, "type": {}}, location=None)
    _, paragraphs = letter(bare, "COURTESY", [], "7B", cure_due_at=None, hearing_at=None, amount=None, now=NOW)
    text = "\n".join(paragraphs)
    assert "The Owner, owner(s) of unit 7B" in text
    assert "the association's governing documents" in text
    assert "Location:" not in text


def test_the_same_case_reads_the_same() -> None:
    assert text_of("FIRST", cure_due_at=NOW) == text_of("FIRST", cure_due_at=NOW)
