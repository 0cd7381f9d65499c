"""The agreements' calendar and arithmetic, pure (no database): terms, the visit schedule (an RFC 5545 RRULE read by
python-dateutil), billing periods and their amounts, renewal prices, the agreement's clock and the SLA outcome of a
visit.

The clock: `maintenance_contract_v1` counts an agreement's days from the moment it was activated, each "day"
lasting `day_seconds` (MAINTENANCE_DAY_SECONDS, recorded on the agreement; 86400 in production, a second in tests),
so the agreement's "now" is its activation plus the elapsed time scaled to real days. Dates (terms, occurrences,
billing periods) are local dates in DISPATCH_TIME_ZONE; visit windows are that zone's local times."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rrulestr

from hestami.contractor.pricebook.pricing import cents

DAY = 86400.0
HUNDRED = Decimal(100)
FREQUENCY_MONTHS = {"MONTHLY": 1, "QUARTERLY": 3, "SEMI_ANNUAL": 6, "ANNUAL": 12}
"""Months per billing period; UPFRONT bills the whole term at its start."""
MAX_VISITS_A_YEAR = 53
"""At most weekly: each occurrence becomes a job."""
ALLOWED_FREQUENCIES = ("WEEKLY", "MONTHLY", "YEARLY")


class ScheduleError(ValueError):
    """The RRULE is not one an agreement can follow (the message says why)."""


# --- terms ----------------------------------------------------------------------------------------------------


def term_end(start: date, months: int) -> date:
    """The last day of a term of `months` starting on `start`."""
    return start + relativedelta(months=months) - timedelta(days=1)


def renewal_price(price: Decimal, change_percent: Decimal) -> Decimal:
    """The next term's price: this term's changed by the percent (negative: a discount), in cents."""
    return cents(price * (HUNDRED + change_percent) / HUNDRED)


# --- the schedule ---------------------------------------------------------------------------------------------


def _body(text: str) -> str:
    body = text.strip()
    if "\n" in body or "\r" in body:
        raise ScheduleError("One RRULE line, without DTSTART (the term's start anchors it).")
    return body[len("RRULE:") :] if body.upper().startswith("RRULE:") else body


def _parts(body: str) -> dict[str, str]:
    return {k.strip(): v.strip() for k, v in (p.split("=", 1) for p in body.upper().split(";") if "=" in p)}


def _anchored(body: str, anchor: date) -> str:
    """A monthly or yearly rule that names no day keeps the term's start day, or the month's last day in a shorter
    month (RFC 5545 would skip a month without a 30th)."""
    parts = _parts(body)
    named = {"BYMONTHDAY", "BYDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS"} & parts.keys()
    if anchor.day <= 28 or named or parts.get("FREQ") not in ("MONTHLY", "YEARLY"):
        return body
    days = ",".join(str(d) for d in range(28, anchor.day + 1))
    month = "" if "BYMONTH" in parts or parts.get("FREQ") == "MONTHLY" else f";BYMONTH={anchor.month}"
    return f"{body};BYMONTHDAY={days};BYSETPOS=-1{month}"


def _rule(text: str, anchor: date, last: date) -> tuple[rrule, int | None]:
    """The rule from the term's start, bounded by `last` (its own UNTIL, if earlier, stands), and its COUNT."""
    body = _body(text)
    interval = _parts(body).get("INTERVAL", "1")
    if not interval.isdigit() or not 1 <= int(interval) <= 120:
        raise ScheduleError("INTERVAL must be a whole number from 1 to 120.")
    try:
        parsed = rrulestr(_anchored(body, anchor), dtstart=datetime.combine(anchor, time()), ignoretz=True)
    except (ValueError, TypeError, KeyError, IndexError) as e:
        raise ScheduleError(f"Not an RFC 5545 RRULE: {e}") from e
    if not isinstance(parsed, rrule):
        raise ScheduleError("One RRULE, not a set.")
    bound = datetime.combine(last, time())
    own: datetime | None = getattr(parsed, "_until", None)
    count: int | None = getattr(parsed, "_count", None)
    return parsed.replace(until=min(own, bound) if own is not None else bound, count=None), count


def check_schedule(text: str) -> str:
    """The RRULE (its body: an `RRULE:` prefix is dropped), when an agreement can follow it: it parses
    (`FREQ=MONTHLY;INTERVAL=3`), repeats WEEKLY, MONTHLY or YEARLY, at most weekly, and has a visit within a year of
    a term's start; else ScheduleError."""
    body = _body(text)
    if _parts(body).get("FREQ") not in ALLOWED_FREQUENCIES:
        raise ScheduleError(f"FREQ must be one of {', '.join(ALLOWED_FREQUENCIES)}.")
    anchor = date(2026, 1, 1)
    found = occurrences(body, anchor, anchor, anchor + timedelta(days=365))
    if not found:
        raise ScheduleError("The schedule has no visit within a year of a term's start.")
    if len(found) > MAX_VISITS_A_YEAR:
        raise ScheduleError(f"At most {MAX_VISITS_A_YEAR} visits a year.")
    return body


def occurrences(text: str, term_start: date, first: date, last: date) -> list[date]:
    """The schedule's dates from `first` to `last` (both included), the rule anchored at the term's start."""
    if last < first:
        return []
    rule, count = _rule(text, term_start, last)
    return [moment.date() for moment in islice(rule, count) if moment.date() >= first]


# --- billing --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date
    amount: Decimal


def billing_periods(start: date, end: date, months: int, frequency: str, price: Decimal) -> list[Period]:
    """A term's billing periods: every `FREQUENCY_MONTHS` months from its start (the last one ends with the term),
    each billing its share of the price by months (cents; the last takes what rounding left, so the periods add up
    to the price). UPFRONT: one period, the whole term."""
    step = FREQUENCY_MONTHS.get(frequency, months)
    starts = []
    cursor = start
    while cursor <= end:
        starts.append(cursor)
        cursor = start + relativedelta(months=step * len(starts))
    share = cents(price * Decimal(min(step, months)) / Decimal(months))
    periods = []
    for i, first in enumerate(starts):
        last = starts[i + 1] - timedelta(days=1) if i + 1 < len(starts) else end
        amount = share if i + 1 < len(starts) else price - share * (len(starts) - 1)
        periods.append(Period(first, last, amount))
    return periods


# --- the agreement's clock ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Clock:
    started_at: datetime
    day_seconds: float
    zone: str

    def now(self, real: datetime) -> datetime:
        """The agreement's "now" at the real moment `real`."""
        return self.started_at + (real - self.started_at) * (DAY / self.day_seconds)

    def today(self, real: datetime) -> date:
        return self.now(real).astimezone(ZoneInfo(self.zone)).date()

    def real(self, moment: datetime) -> datetime:
        """When the agreement's clock shows `moment`."""
        return self.started_at + (moment - self.started_at) * (self.day_seconds / DAY)

    def start_of(self, day: date) -> datetime:
        """The real moment the agreement's `day` begins (local midnight)."""
        return self.real(datetime.combine(day, time(), tzinfo=ZoneInfo(self.zone)))


def window(day: date, start: time, end: time, zone: str) -> tuple[datetime, datetime]:
    """The arrival window of a visit on `day` (local times), in UTC."""
    tz = ZoneInfo(zone)
    return (datetime.combine(day, start, tzinfo=tz).astimezone(UTC),
            datetime.combine(day, end, tzinfo=tz).astimezone(UTC))  # fmt: skip


# --- the SLA --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    outcome: str
    days_late: int


def sla_outcome(window_end: datetime, days_late_allowed: int, completed: datetime | None,
                now: datetime) -> Outcome | None:  # fmt: skip
    """A visit's outcome (times on the agreement's clock): ON_TIME when its work was completed by the window's end,
    LATE when within `days_late_allowed` days after it, MISSED when not completed by then; None while it can still
    be done in time (not completed, the deadline not passed)."""
    deadline = window_end + timedelta(days=days_late_allowed)
    if completed is not None:
        late = max(0, math.ceil((completed - window_end).total_seconds() / DAY))
        if completed <= window_end:
            return Outcome("ON_TIME", 0)
        return Outcome("LATE" if completed <= deadline else "MISSED", late)
    if now > deadline:
        return Outcome("MISSED", max(0, math.ceil((now - window_end).total_seconds() / DAY)))
    return None
