"""The demo bulletin as data: Sunset Ridge's announcements and calendar, dated relative to the day the demo is
loaded (`days` before or after today; times are the association's, America/Chicago)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo

SLUG = "sunset-ridge-hoa"
SHORT = "Sunset Ridge HOA"
ASSOCIATION = "Sunset Ridge Homeowners Association"
LOCAL = ZoneInfo("America/Chicago")
POOL = "Sunset Ridge Pool"
CLUBHOUSE = "Sunset Ridge Clubhouse"


@dataclass(frozen=True, slots=True)
class Notice:
    title: str
    body: str
    category: str
    published_days: int | None  # days from today it shows (negative: in the past); None: a draft
    expires_days: int | None = None
    pinned: bool = False
    audience: str = "OWNERS"
    expired_days: int | None = None  # published without an expiry, then expired this many days ago
    read_by_owner: bool = False  # owner@demo read it


NOTICES: tuple[Notice, ...] = (
    Notice(
        "Pool season opens Memorial Day weekend",
        "The pool opens Saturday of Memorial Day weekend, 9 a.m. to 9 p.m. daily through Labor Day. Bring your "
        "resident key fob; guests must be accompanied (4 per household). The pool deck resurfacing the board "
        "approved is scheduled before opening: see the calendar for the closure.",
        "ANNOUNCEMENT",
        -3,
        expires_days=90,
        pinned=True,
        read_by_owner=True,
    ),
    Notice(
        "Landscaping crew on Canyon Mesa this week",
        "Green Acres Landscaping trims the common-area oaks along Canyon Mesa from Wednesday to Friday, 8 a.m. to "
        "4 p.m. Please keep vehicles off the street side of the median on those days.",
        "MAINTENANCE",
        -1,
        expires_days=5,
    ),
    Notice(
        "Spring newsletter",
        "In this issue: the annual meeting date, the reserve study summary, welcome to our new neighbors on Agave "
        "Bluff, and a reminder that architectural requests need approval before work starts.",
        "NEWSLETTER",
        -10,
    ),
    Notice(
        "Holiday lights contest winners",
        "Congratulations to 2216 Canyon Mesa (best overall) and 914 Agave Bluff (most festive). Thank you to "
        "everyone who decorated.",
        "GENERAL",
        -40,
        expired_days=10,
    ),
    Notice(
        "Annual meeting packet",
        "The packet for the annual meeting of members (agenda, proxy form, candidate statements and the budget) "
        "will be available here and at the clubhouse.",
        "MEETING",
        7,
        expires_days=60,
    ),
    Notice(
        "Executive session: delinquent accounts",
        "The board reviews delinquent accounts in executive session after the open meeting. Collection "
        "recommendations from the manager are in the board packet.",
        "DELINQUENCY",
        0,
        audience="BOARD",
    ),
    Notice(
        "Gate code change (draft)",
        "The visitor gate code changes on the first of next month. New codes go to owners by mail and the portal.",
        "GENERAL",
        None,
    ),
)


@dataclass(frozen=True, slots=True)
class Happening:
    title: str
    description: str
    event_type: str
    days: int  # from today: the (first) day
    at: time  # local start time (all-day events: midnight)
    hours: float  # how long (all-day events: a multiple of 24)
    location: str | None = None
    area: str | None = None  # a common area of the association, by name
    rrule: str | None = None
    skip: int | None = None  # this occurrence (0: the first) is cancelled
    all_day: bool = False
    visibility: str = "OWNERS"
    notify: bool = False
    remind_hours: int | None = None  # the audience is reminded this long before each occurrence


EVENTS: tuple[Happening, ...] = (
    Happening(
        "Board of Directors meeting",
        "The board's monthly open meeting; owners may speak during the open forum. Agendas are posted four days "
        "ahead on the bulletin.",
        "MEETING",
        0,
        time(18, 30),
        2,
        location=CLUBHOUSE,
        area=CLUBHOUSE,
        rrule="FREQ=MONTHLY;BYDAY=2TU",
        remind_hours=24,
    ),
    Happening(
        "Pool closed: deck resurfacing",
        "The pool and its deck are closed while the deck is resurfaced (special assessment of this year). The "
        "splash pad at Ridgetop Park stays open.",
        "AMENITY_CLOSURE",
        10,
        time(0),
        5 * 24,
        location=POOL,
        area=POOL,
        all_day=True,
        notify=True,
    ),
    Happening(
        "Fall chili cook-off",
        "Bring your best chili (judging at 6 p.m.), a chair and the kids: bounce house and cornhole on the lawn.",
        "SOCIAL",
        24,
        time(17),
        3,
        location=CLUBHOUSE,
        area=CLUBHOUSE,
        notify=True,
        remind_hours=48,
    ),
    Happening(
        "Trash and recycling pickup",
        "Carts at the curb by 7 a.m., back out of sight by the evening.",
        "MAINTENANCE",
        1,
        time(7),
        4,
        location="Curbside",
        rrule="FREQ=WEEKLY",
        skip=3,
    ),
    Happening(
        "Budget workshop",
        "The board works through next year's operating budget and reserve contribution with the manager.",
        "MEETING",
        17,
        time(18),
        2,
        location=CLUBHOUSE,
        visibility="BOARD",
    ),
)
