"""The bulletin's pure rules, without a database: what an announcement shows as, and recurrence (which rules are
accepted, how occurrences are expanded in a window, cancelled ones left out, UTC across daylight saving)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from hestami.cam.bulletin import lifecycle, recurrence
from hestami.cam.bulletin.schemas import Category
from hestami.cam.communications import api as communications

START = datetime(2030, 3, 5, 19, tzinfo=UTC)  # a Tuesday, 7 pm UTC
HOUR = timedelta(hours=1)


def test_an_announcement_shows_between_its_publish_time_and_its_expiry() -> None:
    now = datetime(2030, 1, 10, 12, tzinfo=UTC)
    before, after = now - HOUR, now + HOUR
    assert lifecycle.state("DRAFT", before, None, now) == "DRAFT"
    assert lifecycle.state("WITHDRAWN", before, None, now) == "WITHDRAWN"
    assert lifecycle.state("PUBLISHED", after, None, now) == "SCHEDULED"
    assert lifecycle.state("PUBLISHED", before, None, now) == "CURRENT"
    assert lifecycle.state("PUBLISHED", before, after, now) == "CURRENT"
    assert lifecycle.state("PUBLISHED", before, now, now) == "EXPIRED"  # the expiry is the first moment it is gone
    assert lifecycle.state("PUBLISHED", now, after, now) == "CURRENT"  # the publish time is the first it shows


def test_the_categories_are_the_communications_domains() -> None:
    assert set(Category.__args__) == set(communications.CATEGORIES)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;BYDAY=TU"),
        ("rrule:freq=monthly;byday=2tu;count=12", "FREQ=MONTHLY;BYDAY=2TU;COUNT=12"),
        ("FREQ=WEEKLY;UNTIL=20300601T000000Z", "FREQ=WEEKLY;UNTIL=20300601T000000"),
        ("FREQ=DAILY;INTERVAL=2;UNTIL=20300601", "FREQ=DAILY;INTERVAL=2;UNTIL=20300601"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"),
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"),
    ],
)
def test_accepted_rules_are_stored_normalized(text: str, stored: str) -> None:
    assert recurrence.validate(text, START) == stored


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("FREQ=HOURLY", "FREQ must be one of"),
        ("FREQ=MINUTELY;COUNT=5", "FREQ must be one of"),
        ("FREQ=WEEKLY;BYHOUR=9", "BYHOUR is not supported"),
        ("FREQ=WEEKLY;BYDAY=XX", "BYDAY"),
        ("FREQ=WEEKLY;COUNT=0", "COUNT must be"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20300601", "not both"),
        ("FREQ=WEEKLY;FREQ=DAILY", "given twice"),
        ("FREQ=WEEKLY;INTERVAL=1000", "INTERVAL must be"),
        ("FREQ=WEEKLY;UNTIL=2030-06-01", "UNTIL is a date"),
        ("DTSTART:20300101T000000Z", "is not NAME=VALUE"),
        ("FREQ=WEEKLY;DTSTART=20300101T000000Z", "DTSTART is not supported"),
        ("FREQ=WEEKLY\nRRULE:FREQ=DAILY", "one RRULE line"),
        ("nonsense", "is not NAME=VALUE"),
        ("FREQ=WEEKLY;UNTIL=20290101", "no occurrence from starts_at"),
    ],
)
def test_refused_rules_say_why(text: str, why: str) -> None:
    with pytest.raises(recurrence.InvalidRule, match=why):
        recurrence.validate(text, START)


@pytest.mark.parametrize(
    "text",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4,6,9,11",
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6",
    ],
)
def test_a_rule_that_matches_no_date_is_refused_quickly(text: str) -> None:
    started = time.monotonic()
    with pytest.raises(recurrence.InvalidRule, match="matches no date"):
        recurrence.validate(text, START)
    assert time.monotonic() - started < 2.0  # dateutil alone would scan every day up to the year 9999


def test_a_weekly_rule_in_a_window_skips_the_cancelled_occurrence() -> None:
    found = recurrence.occurrences(
        "FREQ=WEEKLY;BYDAY=TU", START, START + 2 * HOUR, [START + timedelta(days=14)],
        datetime(2030, 3, 1, tzinfo=UTC), datetime(2030, 4, 1, tzinfo=UTC),
    )  # fmt: skip
    assert [start.day for start, _ in found] == [5, 12, 26]
    assert all(end - start == 2 * HOUR for start, end in found)


def test_occurrences_keep_their_utc_time_across_daylight_saving() -> None:
    # US daylight saving starts on March 10, 2030: in UTC nothing moves
    found = recurrence.occurrences(
        "FREQ=WEEKLY", START, START + HOUR, [], datetime(2030, 3, 1, tzinfo=UTC), datetime(2030, 3, 20, tzinfo=UTC)
    )
    assert [(start.day, start.hour) for start, _ in found] == [(5, 19), (12, 19), (19, 19)]


def test_an_occurrence_that_started_before_the_window_and_overlaps_it_counts() -> None:
    closure = datetime(2030, 5, 1, tzinfo=UTC)
    found = recurrence.occurrences(
        "FREQ=YEARLY", closure, closure + timedelta(days=30), [], datetime(2031, 5, 20, tzinfo=UTC),
        datetime(2031, 6, 20, tzinfo=UTC),
    )  # fmt: skip
    assert found == [(datetime(2031, 5, 1, tzinfo=UTC), datetime(2031, 5, 31, tzinfo=UTC))]
    # one that ends exactly when the window begins does not overlap it
    ended = recurrence.occurrences(None, closure, closure + HOUR, [], closure + HOUR, closure + 2 * HOUR)
    assert ended == []


def test_a_rule_with_an_end_stops_and_a_single_event_is_one_occurrence() -> None:
    window = (datetime(2030, 1, 1, tzinfo=UTC), datetime(2031, 1, 1, tzinfo=UTC))
    counted = recurrence.occurrences("FREQ=MONTHLY;COUNT=3", START, START + HOUR, [], *window)
    assert [start.month for start, _ in counted] == [3, 4, 5]
    assert recurrence.occurrences(None, START, START + HOUR, [], *window) == [(START, START + HOUR)]
    assert recurrence.occurrences(None, START, START + HOUR, [START], *window) == []


def test_expansion_stops_at_its_limit() -> None:
    found = recurrence.occurrences("FREQ=DAILY", START, START + HOUR, [], START, START + timedelta(days=400), limit=10)
    assert len(found) == 10


def test_an_occurrence_is_a_start_the_rule_gives() -> None:
    assert recurrence.is_occurrence("FREQ=WEEKLY;BYDAY=TU", START, START + timedelta(days=7))
    assert not recurrence.is_occurrence("FREQ=WEEKLY;BYDAY=TU", START, START + timedelta(days=7, hours=1))
    assert not recurrence.is_occurrence("FREQ=WEEKLY;BYDAY=TU", START, START + timedelta(days=8))


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("FREQ=DAILY;BYSETPOS=2", "a daily rule has one a day"),
        ("FREQ=WEEKLY;BYDAY=MO,TU;BYSETPOS=8", "BYSETPOS takes whole numbers from 1 to 7"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY takes"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY takes"),
        ("FREQ=YEARLY;BYMONTH=13", "BYMONTH takes"),
        ("FREQ=YEARLY;BYMONTH=-1", "BYMONTH takes months"),
        ("FREQ=WEEKLY;BYDAY=2TU", "numbered weekdays"),
    ],
)
def test_parts_out_of_range_are_refused_before_any_search(text: str, why: str) -> None:
    with pytest.raises(recurrence.InvalidRule, match=why):
        recurrence.normalize(text)
