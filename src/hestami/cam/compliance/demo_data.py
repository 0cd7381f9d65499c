"""The demo's compliance calendar as data: each demo association (all three lie in Texas: Round Rock, Corpus
Christi, San Antonio) adopts the Texas defaults of the requirement library with its fiscal year (the calendar
year, as its bylaws in the documents demo say), has its deadlines generated for the next twelve months, one
completed (the management certificate confirmed), one waived with the board's reason (no dedicatory instrument
adopted this year) and a checklist for the annual meeting with four items, the first completed. `demo.py` writes
them through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

JURISDICTION = "TX"
WINDOW_DAYS = 365
"""Deadlines are generated from today through a year ahead."""


def fiscal_year_start(today: date) -> date:
    """January 1 of this year: the fiscal year is the calendar year."""
    return date(today.year, 1, 1)


@dataclass(frozen=True)
class Closing:
    """A deadline the demo completes or waives: its requirement's code (a yearly rule: always in the window)."""

    code: str
    notes: str


COMPLETED = Closing(
    "TX_MANAGEMENT_CERTIFICATE",
    "Management certificate confirmed current with the county clerk; no change in the managing agent or mailing "
    "address since it was recorded.",
)
WAIVED = Closing(
    "TX_DEDICATORY_INSTRUMENTS",
    "The board adopted no new rules, policies or amendments this year: there is no dedicatory instrument to file.",
)

MEETING_CODE = "TX_ANNUAL_MEETING"
MEETING_CHECKLIST = "Annual meeting preparation"
MEETING_DESCRIPTION = "What the manager prepares for the members' annual meeting and the board election."
MEETING_ITEMS: tuple[tuple[str, int], ...] = (
    ("Reserve the meeting room and confirm the date with the board", 60),
    ("Send the call for board candidates", 45),
    ("Mail the notice of the meeting and the ballots", 30),
    ("Prepare the financial report and the sign-in sheets", 7),
)
"""(title, days before the meeting it is due); the first is completed."""
COMPLETED_ITEM_NOTES = "Clubhouse booked; the board confirmed the date at its last meeting."


@dataclass(frozen=True)
class Calendar:
    slug: str
    """The organization (as in the association demo)."""
    name: str
    """The association's name (as in the association demo)."""
    short: str


CALENDARS: tuple[Calendar, ...] = (
    Calendar("summit-property-management", "Willow Creek Homeowners Association", "Willow Creek HOA"),
    Calendar("summit-property-management", "Harbor View Condominium Association", "Harbor View COA"),
    Calendar("sunset-ridge-hoa", "Sunset Ridge Homeowners Association", "Sunset Ridge HOA"),
)
