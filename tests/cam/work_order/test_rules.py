"""Domain 6's pure rules, without a database: when a work order's SLA falls due.

The clock runs from submission for the priority's hours: EMERGENCY 4, HIGH 24, MEDIUM 72, LOW 168, unless the
association overrides a priority's hours (stored as decimal strings, fractions allowed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestami.cam.work_order.lifecycle import sla_due

# In a session that also runs the embedded stack, DBOS's threads draw OpenTelemetry span ids from the global
# `random` while Hypothesis generates examples here, which it reports as these strategies using `random`.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Do not use the `random` module inside strategies:hypothesis.errors.HypothesisDeprecationWarning"
)

SUBMITTED = datetime(2026, 3, 7, 22, 15, 30, 250_000, tzinfo=UTC)
DEFAULTS = {
    "EMERGENCY": timedelta(hours=4),
    "HIGH": timedelta(hours=24),
    "MEDIUM": timedelta(hours=72),
    "LOW": timedelta(days=7),
}
priorities = st.sampled_from(sorted(DEFAULTS))
# What the association's settings accept: more than 0 and at most a year of hours, to 4 decimal places.
override_hours = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(8760), places=4)


@pytest.mark.parametrize(("priority", "allowed"), DEFAULTS.items())
def test_each_priority_has_its_default_hours(priority: str, allowed: timedelta) -> None:
    assert sla_due(SUBMITTED, priority, {}) == SUBMITTED + allowed


@pytest.mark.parametrize(
    ("override", "allowed"),
    [
        ("12", timedelta(hours=12)),
        (12, timedelta(hours=12)),
        ("1.5", timedelta(minutes=90)),
        (Decimal("0.25"), timedelta(minutes=15)),
        ("0.0005", timedelta(seconds=1.8)),
        ("8760", timedelta(days=365)),
    ],
)
def test_an_associations_hours_replace_the_default(override: Any, allowed: timedelta) -> None:
    assert sla_due(SUBMITTED, "HIGH", {"HIGH": override}) == SUBMITTED + allowed


def test_an_override_changes_only_its_own_priority() -> None:
    overrides = {"EMERGENCY": "1", "LOW": "200"}
    assert sla_due(SUBMITTED, "HIGH", overrides) == SUBMITTED + timedelta(hours=24)
    assert sla_due(SUBMITTED, "MEDIUM", overrides) == SUBMITTED + timedelta(hours=72)
    assert sla_due(SUBMITTED, "EMERGENCY", overrides) == SUBMITTED + timedelta(hours=1)
    assert sla_due(SUBMITTED, "LOW", overrides) == SUBMITTED + timedelta(hours=200)


def test_the_due_time_keeps_the_submission_time_zone() -> None:
    austin = timezone(timedelta(hours=-6))
    submitted = datetime(2026, 12, 31, 23, 0, tzinfo=austin)
    due = sla_due(submitted, "EMERGENCY", {})
    assert due.tzinfo is austin
    assert due == datetime(2027, 1, 1, 3, 0, tzinfo=austin)


@given(priorities, override_hours, st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC)))
def test_an_override_is_exact_to_the_microsecond(priority: str, hours: Decimal, submitted: datetime) -> None:
    due = sla_due(submitted, priority, {priority: str(hours)})
    assert due - submitted == timedelta(microseconds=int(hours * 3600 * 1_000_000))


@given(priorities, override_hours, override_hours)
def test_more_hours_never_fall_due_earlier(priority: str, some: Decimal, more: Decimal) -> None:
    some, more = sorted((some, more))
    assert sla_due(SUBMITTED, priority, {priority: str(some)}) <= sla_due(SUBMITTED, priority, {priority: str(more)})
