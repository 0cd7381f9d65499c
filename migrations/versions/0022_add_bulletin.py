"""add_bulletin: domain 7: announcements with read tracking, and calendar events with recurrence.

- `announcements`: an association's notices (title, body, category, audience OWNERS or BOARD), DRAFT → PUBLISHED →
  WITHDRAWN, shown from `publish_at` until `expires_at` (after it), pinned ones first; `published_at` is when it was
  last published (its notification workflow is named by it), `notified_at` when its audience was told.
- `announcement_reads`: who read which announcement, when (the first time): unique per announcement and user, so
  marking it read again changes nothing, however many requests race.
- `calendar_events`: an association's events (meeting, maintenance, amenity closure, social, deadline, other) from
  `starts_at` to `ends_at` (after it), optionally at one of its common areas, once or recurring by an RFC 5545 RRULE
  with cancelled single occurrences (`exdates`), for OWNERS or the BOARD, SCHEDULED or CANCELLED; `revision` counts
  the changes owners were told of (the outbox's dedupe keys name it); `remind_hours_before` the reminder ahead of
  each occurrence, and `reminders_version` the changes that restarted the reminders' workflow (its id names it).

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0022"
down_revision: str | Sequence[str] | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = ("GENERAL", "NEWSLETTER", "ANNOUNCEMENT", "EVENT", "MAINTENANCE", "DELINQUENCY", "MEETING", "EMERGENCY")
AUDIENCES = ("OWNERS", "BOARD")
ANNOUNCEMENT_STATUSES = ("DRAFT", "PUBLISHED", "WITHDRAWN")
EVENT_TYPES = ("MEETING", "MAINTENANCE", "AMENITY_CLOSURE", "SOCIAL", "DEADLINE", "OTHER")
EVENT_STATUSES = ("SCHEDULED", "CANCELLED")


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _moment(name: str, *, nullable: bool = True) -> sa.Column[sa.DateTime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    create_tenant_table(
        "announcements",
        _uuid("association_id"),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("audience", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        _moment("publish_at"),
        _moment("expires_at"),
        sa.Column("pinned", sa.Boolean(), nullable=False, server_default="false"),
        _moment("published_at"),
        _moment("notified_at"),
        _moment("withdrawn_at"),
        _uuid("created_by", nullable=True),
        one_of("category", CATEGORIES),
        one_of("audience", AUDIENCES),
        one_of("status", ANNOUNCEMENT_STATUSES),
        sa.CheckConstraint("expires_at IS NULL OR publish_at IS NULL OR expires_at > publish_at", name="expiry"),
        sa.CheckConstraint("status <> 'PUBLISHED' OR publish_at IS NOT NULL", name="published_at_a_time"),
        tenant_ref("association_id", "associations"),
    )
    op.create_index(
        "ix_announcements_bulletin",
        "announcements",
        [
            "organization_id",
            "association_id",
            sa.text("pinned DESC"),
            sa.text("coalesce(publish_at, created_at) DESC"),
            sa.text("id DESC"),
        ],
    )
    create_tenant_table(
        "announcement_reads",
        _uuid("announcement_id"),
        _uuid("user_id"),
        sa.Column("email", sa.Text(), nullable=False),
        _moment("read_at", nullable=False),
        sa.UniqueConstraint("organization_id", "announcement_id", "user_id", name="uq_announcement_reads_once"),
        tenant_ref("announcement_id", "announcements"),
    )
    op.create_index(
        "ix_announcement_reads_by_time", "announcement_reads", ["organization_id", "announcement_id", "read_at", "id"]
    )
    create_tenant_table(
        "calendar_events",
        _uuid("association_id"),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("event_type", sa.Text(), nullable=False),
        _moment("starts_at", nullable=False),
        _moment("ends_at", nullable=False),
        sa.Column("all_day", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("location", sa.Text()),
        _uuid("common_area_id", nullable=True),
        sa.Column("rrule", sa.Text()),
        sa.Column("exdates", ARRAY(sa.DateTime(timezone=True)), nullable=False, server_default="{}"),
        sa.Column("visibility", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("remind_hours_before", sa.Integer()),
        sa.Column("reminders_version", sa.Integer(), nullable=False, server_default="1"),
        _moment("cancelled_at"),
        sa.Column("cancel_reason", sa.Text()),
        _uuid("created_by", nullable=True),
        one_of("event_type", EVENT_TYPES),
        one_of("visibility", AUDIENCES),
        one_of("status", EVENT_STATUSES),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("revision >= 1", name="revision"),
        sa.CheckConstraint("remind_hours_before BETWEEN 1 AND 720", name="remind_hours_before"),
        tenant_ref("association_id", "associations"),
        tenant_ref("common_area_id", "common_areas"),
    )
    op.create_index(
        "ix_calendar_events_by_start", "calendar_events", ["organization_id", "association_id", "starts_at", "id"]
    )


def downgrade() -> None:
    for table in ("calendar_events", "announcement_reads", "announcements"):
        op.drop_table(table)
