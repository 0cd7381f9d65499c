"""Recurring calendar events: an RFC 5545 recurrence rule (RRULE, read by python-dateutil) from the event's start,
expanded in UTC (a weekly 7 pm event keeps its UTC time across daylight saving changes). Pure functions.

The occurrences are the rule's from `starts_at` (dateutil's reading: `starts_at` itself is one only when it matches
the rule), each lasting as long as the event. A rule is refused unless it is one RRULE line of the parts below,
recurs by the day at the finest (no FREQ=HOURLY, no BYHOUR), and gives at least one occurrence: a rule that never
matches a date (February 30) would otherwise make dateutil scan every day up to the year 9999. Rules without COUNT
or UNTIL are fine: occurrences are expanded lazily, only within a window the caller asks for.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from dateutil.rrule import rrule, rrulestr

MAX_WINDOW_DAYS = 400
"""The longest window `calendar/event/v1/occurrences` expands."""
MAX_OCCURRENCES = 500
"""The most occurrences one answer holds (the earliest; `truncated` says when there were more)."""
MAX_INTERVAL = 99
MAX_COUNT = 1000
MAX_DURATION = timedelta(days=366)
"""The longest single occurrence (a pool closed for the winter)."""

PARTS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST"})
FREQUENCIES = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
_DATES_PER_PERIOD = {"WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}
_UNTIL = re.compile(r"^(\d{8})(T\d{6})?Z?$")
_PROBE_FROM_YEAR = 9500
"""A rule is probed for any occurrence from its start moved by whole 400-year cycles (the Gregorian calendar,
weekdays included, repeats every 400 years, and so does every rule's pattern of dates) into [9500, 9900): 100 to 500
years of dates, bounded work even for a rule that matches none (under a second for a daily one)."""
_DATEUTIL_ERRORS = (ValueError, TypeError, OverflowError, IndexError, KeyError)


class InvalidRule(ValueError):  # noqa: N818 - the name the schemas and services use
    """Not one RRULE this calendar accepts; the message says why."""


def _naive(moment: datetime) -> datetime:
    """The UTC wall time of an aware moment (dateutil works on naive UTC here)."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _number(name: str, value: str, top: int) -> None:
    if not value.isdigit() or not 1 <= int(value) <= top:
        raise InvalidRule(f"{name} must be a whole number from 1 to {top}")


def _integers(name: str, value: str, top: int) -> list[int]:
    """A list of non-zero whole numbers from -top to top (RFC 5545's BYMONTHDAY, BYSETPOS, ...)."""
    numbers = []
    for item in value.split(","):
        digits = item[1:] if item[:1] in "+-" else item
        if not digits.isdigit() or not 1 <= int(digits) <= top:
            raise InvalidRule(f"{name} takes whole numbers from 1 to {top} (or -1 to -{top})")
        numbers.append(int(item))
    return numbers


def _check_lists(parts: dict[str, str]) -> None:
    """The BY parts within their ranges, and none that can never match for the frequency (which dateutil would
    search for up to the year 9999)."""
    frequency = parts["FREQ"]
    if "BYMONTH" in parts and any(month < 1 for month in _integers("BYMONTH", parts["BYMONTH"], 12)):
        raise InvalidRule("BYMONTH takes months 1 to 12")
    if "BYMONTHDAY" in parts:
        _integers("BYMONTHDAY", parts["BYMONTHDAY"], 31)
    if "BYSETPOS" in parts:
        if frequency == "DAILY":
            raise InvalidRule("BYSETPOS picks among a period's dates: a daily rule has one a day")
        _integers("BYSETPOS", parts["BYSETPOS"], _DATES_PER_PERIOD[frequency])
    if (
        "BYDAY" in parts
        and frequency in ("DAILY", "WEEKLY")
        and any(not day.isalpha() for day in parts["BYDAY"].split(","))
    ):
        raise InvalidRule("numbered weekdays (2TU, -1FR) go with FREQ=MONTHLY or YEARLY")


def normalize(text: str) -> str:
    """The rule in its stored form: upper case, without an `RRULE:` prefix, UNTIL as a UTC time without its `Z`
    (every time here is UTC). Refuses what this calendar does not accept."""
    rule = text.strip().upper()
    if rule.startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    if not rule or any(char.isspace() for char in rule):
        raise InvalidRule("give one RRULE line without spaces, e.g. FREQ=WEEKLY;BYDAY=TU")
    parts: dict[str, str] = {}
    for part in rule.split(";"):
        name, equals, value = part.partition("=")
        if not equals or not value:
            raise InvalidRule(f"{part!r} is not NAME=VALUE")
        if name in parts:
            raise InvalidRule(f"{name} is given twice")
        if name not in PARTS:
            raise InvalidRule(f"{name} is not supported here (use {', '.join(sorted(PARTS))})")
        parts[name] = value
    if parts.get("FREQ") not in FREQUENCIES:
        raise InvalidRule(f"FREQ must be one of {', '.join(sorted(FREQUENCIES))} (events recur by the day at most)")
    if "INTERVAL" in parts:
        _number("INTERVAL", parts["INTERVAL"], MAX_INTERVAL)
    if "COUNT" in parts:
        _number("COUNT", parts["COUNT"], MAX_COUNT)
        if "UNTIL" in parts:
            raise InvalidRule("give COUNT or UNTIL, not both")
    _check_lists(parts)
    if "UNTIL" in parts:
        until = _UNTIL.match(parts["UNTIL"])
        if until is None:
            raise InvalidRule("UNTIL is a date (20270131) or a UTC time (20270131T235959Z)")
        parts["UNTIL"] = until.group(1) + (until.group(2) or "")
    return ";".join(f"{name}={value}" for name, value in parts.items())


def parse(text: str, starts_at: datetime) -> rrule:
    """The rule (as `normalize` stores it) from the event's start."""
    try:
        parsed = rrulestr(normalize(text), dtstart=_naive(starts_at))
    except _DATEUTIL_ERRORS as exc:
        raise InvalidRule(str(exc) or "not a recurrence rule") from None
    if not isinstance(parsed, rrule):
        raise InvalidRule("give one RRULE")
    return parsed


def _ever(parsed: rrule, starts_at: datetime) -> bool:
    """Whether the rule, without its COUNT or UNTIL, matches any date at all (see `_PROBE_FROM_YEAR`)."""
    start = _naive(starts_at)
    cycles = max(0, math.ceil((_PROBE_FROM_YEAR - start.year) / 400))
    moved = start.replace(year=start.year + 400 * cycles)
    probe = parsed.replace(dtstart=moved, count=None, until=None)
    return probe.after(moved, inc=True) is not None


def validate(text: str, starts_at: datetime) -> str:
    """The rule in its stored form, once it is known to give at least one occurrence from `starts_at`."""
    parsed = parse(text, starts_at)
    try:
        ever = _ever(parsed, starts_at)
        first = parsed.after(_naive(starts_at), inc=True) if ever else None
    except _DATEUTIL_ERRORS as exc:
        raise InvalidRule(str(exc) or "not a recurrence rule") from None
    if not ever:
        raise InvalidRule("the rule matches no date at all")
    if first is None:
        raise InvalidRule("the rule gives no occurrence from starts_at on (is UNTIL before the start?)")
    return normalize(text)


def is_occurrence(text: str, starts_at: datetime, moment: datetime) -> bool:
    """Whether `moment` is the start of one of the rule's occurrences."""
    at = _naive(moment)
    return parse(text, starts_at).after(at, inc=True) == at


def occurrences(
    text: str | None,
    starts_at: datetime,
    ends_at: datetime,
    exdates: Iterable[datetime],
    window_from: datetime,
    window_to: datetime,
    limit: int = MAX_OCCURRENCES + 1,
) -> list[tuple[datetime, datetime]]:
    """(start, end) of the event's occurrences that overlap [window_from, window_to), in order, at most `limit`;
    the cancelled ones (`exdates`) left out. An event without a rule is its one occurrence."""
    skipped = {_naive(moment) for moment in exdates}
    if text is None:
        overlaps = starts_at < window_to and ends_at > window_from and _naive(starts_at) not in skipped
        return [(starts_at, ends_at)] if overlaps else []
    duration = ends_at - starts_at
    end = _naive(window_to)
    found: list[tuple[datetime, datetime]] = []
    for start in parse(text, starts_at).xafter(_naive(window_from - duration), inc=False):
        if start >= end or len(found) >= limit:
            break
        if start not in skipped:
            found.append((_aware(start), _aware(start) + duration))
    return found


def next_start(text: str | None, starts_at: datetime, exdates: Iterable[datetime], moment: datetime) -> datetime | None:
    """The start of the first occurrence after `moment` (the cancelled ones left out), or None when none is left."""
    skipped = {_naive(cancelled) for cancelled in exdates}
    if text is None:
        return starts_at if starts_at > moment and _naive(starts_at) not in skipped else None
    for start in parse(text, starts_at).xafter(_naive(moment), inc=False):
        if start not in skipped:
            return _aware(start)
    return None
