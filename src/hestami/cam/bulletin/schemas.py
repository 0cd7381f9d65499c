"""Inputs and outputs of domain 7's bulletin procedures: announcements and calendar events."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from hestami.cam.bulletin import recurrence
from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Name, Record, Text, Trimmed

Category = Literal[
    "GENERAL", "NEWSLETTER", "ANNOUNCEMENT", "EVENT", "MAINTENANCE", "DELINQUENCY", "MEETING", "EMERGENCY"
]
"""The communications domain's categories (`communications.api.CATEGORIES`): an owner who opted out of one is not
notified of announcements in it, unless it is an official notice (`REQUIRED_CATEGORIES`)."""
Audience = Literal["OWNERS", "BOARD"]
AnnouncementStatus = Literal["DRAFT", "PUBLISHED", "WITHDRAWN"]
AnnouncementState = Literal["DRAFT", "SCHEDULED", "CURRENT", "EXPIRED", "WITHDRAWN"]
EventType = Literal["MEETING", "MAINTENANCE", "AMENITY_CLOSURE", "SOCIAL", "DEADLINE", "OTHER"]
EventStatus = Literal["SCHEDULED", "CANCELLED"]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
Rrule = Annotated[str, StringConstraints(strip_whitespace=True, min_length=6, max_length=500)]

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def _in_range(moment: datetime) -> datetime:
    if not EARLIEST <= moment < LATEST:
        raise ValueError("must be in the years 2000 to 2099")
    return moment


Moment = Annotated[AwareDatetime, AfterValidator(_in_range)]
"""A time with its offset, in this century (recurrence is computed up to the year 9999)."""


# --- announcements -----------------------------------------------------------------------------------------------


class CreateAnnouncement(Input):
    association_id: uuid.UUID
    title: Name
    body: Body
    category: Category = "GENERAL"
    audience: Audience = Field(default="OWNERS", description="OWNERS: owners, tenants, the board and managers.")
    publish_at: Moment | None = Field(
        default=None, description="When it shows (may be in the future); default: when it is published."
    )
    expires_at: Moment | None = Field(default=None, description="When it stops showing (after publish_at).")
    pinned: bool = Field(default=False, description="Shown above the others.")
    publish: bool = Field(default=False, description="Publish at once (default: a draft).")

    @model_validator(mode="after")
    def _dates(self) -> CreateAnnouncement:
        if self.publish_at is not None and self.expires_at is not None and self.expires_at <= self.publish_at:
            raise ValueError("expires_at must be after publish_at")
        return self


class UpdateAnnouncement(Input):
    id: uuid.UUID
    title: Name | None = None
    body: Body | None = None
    category: Category | None = None
    audience: Audience | None = None
    publish_at: Moment | None = None
    expires_at: Moment | None = Field(default=None, description="null removes the expiry.")
    pinned: bool | None = None


class PublishAnnouncement(Input):
    id: uuid.UUID
    publish_at: Moment | None = Field(
        default=None, description="Default: the planned publish_at if it is still ahead, else now."
    )


class ListAnnouncements(PageRequest):
    association_id: uuid.UUID | None = None
    state: AnnouncementState | None = Field(default=None, description="Only announcements showing as this now.")
    audience: Audience | None = None
    category: Category | None = None
    pinned: bool | None = None


class AnnouncementOut(Record):
    association_id: uuid.UUID
    title: str
    body: str
    category: str
    audience: str
    status: str
    state: str = Field(description="DRAFT, SCHEDULED (published, not showing yet), CURRENT, EXPIRED or WITHDRAWN.")
    publish_at: datetime | None
    expires_at: datetime | None
    pinned: bool
    published_at: datetime | None
    notified_at: datetime | None
    withdrawn_at: datetime | None
    read_at: datetime | None = Field(default=None, description="When the caller read it (null: not yet).")
    read_count: int | None = Field(default=None, description="How many read it (managers only, else null).")


class AnnouncementsOut(BaseModel):
    items: list[AnnouncementOut]
    next_cursor: str | None


class ReadOut(BaseModel):
    announcement_id: uuid.UUID
    read_at: datetime


class ListReaders(PageRequest):
    id: uuid.UUID


class ReaderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    user_id: uuid.UUID
    email: str
    read_at: datetime


class ReadersOut(BaseModel):
    items: list[ReaderOut]
    next_cursor: str | None
    read_count: int


# --- calendar events ---------------------------------------------------------------------------------------------


class CreateEvent(Input):
    association_id: uuid.UUID
    title: Name
    description: Text | None = None
    event_type: EventType
    starts_at: Moment
    ends_at: Moment = Field(description="After starts_at; an occurrence lasts at most 366 days.")
    all_day: bool = False
    location: Trimmed | None = Field(default=None, max_length=300)
    common_area_id: uuid.UUID | None = Field(default=None, description="A common area of the same association.")
    rrule: Rrule | None = Field(
        default=None,
        description=(
            "RFC 5545 recurrence from starts_at, expanded in UTC, e.g. FREQ=WEEKLY;BYDAY=TU or "
            "FREQ=MONTHLY;BYDAY=2TU;COUNT=12 (FREQ DAILY to YEARLY; INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, "
            "BYMONTH, BYSETPOS, WKST)."
        ),
    )
    visibility: Audience = "OWNERS"
    notify: bool = Field(default=False, description="Tell the owners (an OWNERS event) on the portal.")
    remind_hours_before: int | None = Field(
        default=None, ge=1, le=720, description="Remind the audience on the portal this long before each occurrence."
    )

    @model_validator(mode="after")
    def _times(self) -> CreateEvent:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        if self.ends_at - self.starts_at > recurrence.MAX_DURATION:
            raise ValueError("an event lasts at most 366 days (make it recur instead)")
        return self


class UpdateEvent(Input):
    id: uuid.UUID
    title: Name | None = None
    description: Text | None = None
    event_type: EventType | None = None
    starts_at: Moment | None = None
    ends_at: Moment | None = None
    all_day: bool | None = None
    location: Trimmed | None = Field(default=None, max_length=300)
    common_area_id: uuid.UUID | None = Field(default=None, description="null: at no common area.")
    rrule: Rrule | None = Field(default=None, description="null: no longer recurring.")
    visibility: Audience | None = None
    notify: bool = Field(default=False, description="Tell the owners of a change of time (an OWNERS event).")
    remind_hours_before: int | None = Field(default=None, ge=1, le=720, description="null: no reminders.")


class CancelEvent(Input):
    id: uuid.UUID
    reason: Name | None = None
    notify: bool = False


class CancelOccurrence(Input):
    id: uuid.UUID
    occurrence_starts_at: Moment = Field(description="The start of the occurrence to cancel.")
    notify: bool = False


class ListEvents(PageRequest):
    association_id: uuid.UUID | None = None
    event_type: EventType | None = None
    status: EventStatus | None = None
    visibility: Audience | None = None


class EventOut(Record):
    association_id: uuid.UUID
    title: str
    description: str | None
    event_type: str
    starts_at: datetime
    ends_at: datetime
    all_day: bool
    location: str | None
    common_area_id: uuid.UUID | None
    rrule: str | None
    exdates: list[datetime]
    visibility: str
    status: str
    revision: int
    remind_hours_before: int | None
    cancelled_at: datetime | None
    cancel_reason: str | None


class EventsOut(BaseModel):
    items: list[EventOut]
    next_cursor: str | None


class ListOccurrences(Input):
    association_id: uuid.UUID
    window_from: Moment = Field(alias="from", description="The window's start.")
    window_to: Moment = Field(alias="to", description="The window's end (at most 400 days after from).")
    event_type: EventType | None = None

    @model_validator(mode="after")
    def _window(self) -> ListOccurrences:
        if self.window_to <= self.window_from:
            raise ValueError("to must be after from")
        if self.window_to - self.window_from > timedelta(days=recurrence.MAX_WINDOW_DAYS):
            raise ValueError(f"the window spans at most {recurrence.MAX_WINDOW_DAYS} days")
        return self


class OccurrenceOut(BaseModel):
    event_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    title: str
    event_type: str
    all_day: bool
    location: str | None
    common_area_id: uuid.UUID | None
    visibility: str
    recurring: bool


class OccurrencesOut(BaseModel):
    items: list[OccurrenceOut]
    truncated: bool = Field(description="More occurrences fall in the window than the 500 listed (the earliest).")
