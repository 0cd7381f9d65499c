"""add_governance: domain 8, boards and their seats, meetings, votes, resolutions and policies.

- `governance_settings`: an association's notice days (board and member meetings), notice channels, member quorum,
  proxies and electronic voting, when the final agenda and the reminder go out.
- `boards` (the board of directors, one per association, and its committees) and `board_seats`: who held which
  position from when to when; a seat whose term has started and has not ended gives its holder the board's view of
  the association. `app_enter_scope` now also answers those associations (`board_association_ids`), in the same
  round trip as the roles, so a management company's BOARD_MEMBER sees only the associations whose boards they sit on.
- `meetings` (numbered per association) with `meeting_agenda_items`, `meeting_attendance`, `meeting_minutes`,
  `meeting_voters` (the owners of record on the record date and their units' weights) and `meeting_notices` (one
  row per meeting, kind, recipient and channel: the notice goes to each owner once).
- `votes` (board motions, one vote per seat; owner ballots, one per unit by weight), `vote_participations` (who
  voted, how and with what weight; the choice too unless the vote is secret) and `secret_ballots` (the choices of a
  secret vote: random ids, no timestamps, no voter).
- `resolutions` (proposed, adopted, rejected, withdrawn, superseded; a special assessment's total, due date, fund
  and the assessment type its charges were made under) and `policies` with `policy_versions`.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from hestami.core.tenancy import create_tenant_table, enable_tenant_rls, one_of, tenant_ref

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSITIONS = ("PRESIDENT", "VICE_PRESIDENT", "SECRETARY", "TREASURER", "DIRECTOR", "CHAIR", "MEMBER")
MEETING_KINDS = ("BOARD", "ANNUAL", "SPECIAL", "COMMITTEE")
MEETING_STATUSES = ("SCHEDULED", "NOTICED", "IN_SESSION", "ADJOURNED", "CANCELLED")
MODES = ("IN_PERSON", "PROXY", "ELECTRONIC")
RESOLUTION_KINDS = ("GENERAL", "POLICY", "BUDGET", "SPECIAL_ASSESSMENT")
RESOLUTION_STATUSES = ("PROPOSED", "ADOPTED", "REJECTED", "WITHDRAWN", "SUPERSEDED")

ENTER_SCOPE = """
CREATE OR REPLACE FUNCTION app_enter_scope(org text, usr text)
RETURNS TABLE (roles text[], slug text, board_association_ids text[])
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    PERFORM set_config('app.current_org_id', org, true);
    PERFORM set_config('app.current_user_id', usr, true);
    IF org = '' OR usr = '' THEN
        RETURN;
    END IF;
    RETURN QUERY
        SELECT m.roles, o.slug,
               CASE WHEN 'BOARD_MEMBER' = ANY(m.roles) THEN ARRAY(
                   SELECT DISTINCT s.association_id::text
                   FROM board_seats s JOIN boards b ON b.organization_id = s.organization_id AND b.id = s.board_id
                   WHERE s.organization_id = org::uuid AND s.user_id = usr::uuid AND b.kind = 'BOARD'
                     AND s.term_start <= current_date AND (s.ended_on IS NULL OR s.ended_on > current_date)
                   ORDER BY 1
               ) ELSE ARRAY[]::text[] END
        FROM memberships m JOIN organizations o ON o.id = m.organization_id
        WHERE m.organization_id = org::uuid AND m.user_id = usr::uuid
          AND m.status = 'ACTIVE' AND o.deleted_at IS NULL;
END
$$
"""

PREVIOUS_ENTER_SCOPE = """
CREATE FUNCTION app_enter_scope(org text, usr text)
RETURNS TABLE (roles text[], slug text)
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    PERFORM set_config('app.current_org_id', org, true);
    PERFORM set_config('app.current_user_id', usr, true);
    IF org = '' OR usr = '' THEN
        RETURN;
    END IF;
    RETURN QUERY
        SELECT m.roles, o.slug
        FROM memberships m JOIN organizations o ON o.id = m.organization_id
        WHERE m.organization_id = org::uuid AND m.user_id = usr::uuid
          AND m.status = 'ACTIVE' AND o.deleted_at IS NULL;
END
$$
"""


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _money(name: str, *, nullable: bool = True) -> sa.Column[sa.Numeric]:
    return sa.Column(name, sa.Numeric(18, 2), nullable=nullable)


def _boards() -> None:
    create_tenant_table(
        "governance_settings",
        _uuid("association_id"),
        sa.Column("board_notice_days", sa.Integer(), nullable=False),
        sa.Column("member_notice_days", sa.Integer(), nullable=False),
        sa.Column("member_notice_max_days", sa.Integer(), nullable=False),
        sa.Column("notice_channels", ARRAY(sa.Text()), nullable=False),
        sa.Column("member_quorum_percent", sa.Numeric(5, 2), nullable=False),
        sa.Column("proxies_allowed", sa.Boolean(), nullable=False),
        sa.Column("electronic_voting_allowed", sa.Boolean(), nullable=False),
        sa.Column("agenda_days", sa.Integer(), nullable=False),
        sa.Column("reminder_hours", sa.Integer(), nullable=False),
        sa.UniqueConstraint("organization_id", "association_id", name="uq_governance_settings_association"),
        sa.CheckConstraint("board_notice_days BETWEEN 0 AND 90", name="board_notice_days"),
        sa.CheckConstraint("member_notice_days BETWEEN 0 AND member_notice_max_days", name="member_notice_days"),
        sa.CheckConstraint("member_quorum_percent > 0 AND member_quorum_percent <= 100", name="member_quorum"),
        tenant_ref("association_id", "associations"),
    )
    create_tenant_table(
        "boards",
        _uuid("association_id"),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("seat_count", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.Text()),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="true"),
        one_of("kind", ("BOARD", "COMMITTEE")),
        sa.CheckConstraint("seat_count BETWEEN 1 AND 25", name="seat_count"),
        sa.UniqueConstraint("organization_id", "association_id", "name", name="uq_boards_name"),
        tenant_ref("association_id", "associations"),
    )
    op.create_index(
        "uq_boards_one_board", "boards", ["organization_id", "association_id"], unique=True,
        postgresql_where=sa.text("kind = 'BOARD'"),
    )  # fmt: skip
    create_tenant_table(
        "board_seats",
        _uuid("association_id"),
        _uuid("board_id"),
        sa.Column("position", sa.Text(), nullable=False),
        _uuid("user_id", nullable=True),
        _uuid("party_id", nullable=True),
        sa.Column("holder_name", sa.Text(), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date()),
        sa.Column("ended_on", sa.Date()),
        sa.Column("end_reason", sa.Text()),
        one_of("position", POSITIONS),
        sa.CheckConstraint("term_end IS NULL OR term_end > term_start", name="term"),
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= term_start", name="ended"),
        tenant_ref("association_id", "associations"),
        tenant_ref("board_id", "boards"),
        tenant_ref("party_id", "parties"),
    )
    op.create_index("ix_board_seats_board", "board_seats", ["organization_id", "board_id", "term_start"])
    op.create_index("ix_board_seats_user", "board_seats", ["organization_id", "user_id"])


def _meetings() -> None:
    create_tenant_table(
        "meetings",
        _uuid("association_id"),
        _uuid("board_id", nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("location", sa.Text()),
        sa.Column("video_link", sa.Text()),
        sa.Column("notice_days", sa.Integer(), nullable=False),
        sa.Column("notice_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notice_channels", ARRAY(sa.Text()), nullable=False),
        sa.Column("agenda_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminder_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("record_date", sa.Date()),
        sa.Column("quorum_percent", sa.Numeric(5, 2)),
        sa.Column("notice_sent_at", sa.DateTime(timezone=True)),
        sa.Column("agenda_sent_at", sa.DateTime(timezone=True)),
        sa.Column("reminder_sent_at", sa.DateTime(timezone=True)),
        sa.Column("called_to_order_at", sa.DateTime(timezone=True)),
        sa.Column("adjourned_at", sa.DateTime(timezone=True)),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        sa.Column("cancel_reason", sa.Text()),
        _uuid("scheduled_by", nullable=True),
        one_of("kind", MEETING_KINDS),
        one_of("status", MEETING_STATUSES),
        sa.UniqueConstraint("organization_id", "association_id", "number", name="uq_meetings_number"),
        tenant_ref("association_id", "associations"),
        tenant_ref("board_id", "boards"),
    )
    op.create_index("ix_meetings_association", "meetings", ["organization_id", "association_id", "starts_at"])
    create_tenant_table(
        "meeting_agenda_items",
        _uuid("meeting_id"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("item_type", sa.Text(), nullable=False),
        sa.Column("session", sa.Text(), nullable=False),
        _uuid("minutes_of_meeting_id", nullable=True),
        _uuid("resolution_id", nullable=True),
        one_of("item_type", ("REPORT", "DISCUSSION", "ACTION", "MINUTES_APPROVAL", "ELECTION", "OPEN_FORUM")),
        one_of("session", ("OPEN", "EXECUTIVE")),
        sa.UniqueConstraint("organization_id", "meeting_id", "position", name="uq_meeting_agenda_items_position"),
        tenant_ref("meeting_id", "meetings"),
        tenant_ref("minutes_of_meeting_id", "meetings"),
    )
    op.create_index(
        "uq_meeting_agenda_items_minutes", "meeting_agenda_items",
        ["organization_id", "meeting_id", "minutes_of_meeting_id"], unique=True,
        postgresql_where=sa.text("minutes_of_meeting_id IS NOT NULL"),
    )  # fmt: skip
    create_tenant_table(
        "meeting_attendance",
        _uuid("meeting_id"),
        _uuid("seat_id", nullable=True),
        _uuid("unit_id", nullable=True),
        _uuid("user_id", nullable=True),
        sa.Column("attendee_name", sa.Text(), nullable=False),
        sa.Column("mode", sa.Text(), nullable=False),
        sa.Column("proxy_holder", sa.Text()),
        sa.Column("weight", sa.Numeric(9, 4), nullable=False),
        one_of("mode", MODES),
        sa.CheckConstraint("(seat_id IS NULL) <> (unit_id IS NULL)", name="attendee"),
        sa.CheckConstraint("(mode = 'PROXY') = (proxy_holder IS NOT NULL)", name="proxy_holder"),
        sa.UniqueConstraint("organization_id", "meeting_id", "seat_id", name="uq_meeting_attendance_seat"),
        sa.UniqueConstraint("organization_id", "meeting_id", "unit_id", name="uq_meeting_attendance_unit"),
        tenant_ref("meeting_id", "meetings"),
        tenant_ref("seat_id", "board_seats"),
        tenant_ref("unit_id", "units"),
    )
    create_tenant_table(
        "meeting_minutes",
        _uuid("meeting_id"),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        _uuid("drafted_by", nullable=True),
        _uuid("approved_at_meeting_id", nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True)),
        one_of("status", ("DRAFT", "APPROVED")),
        sa.UniqueConstraint("organization_id", "meeting_id", name="uq_meeting_minutes_meeting"),
        tenant_ref("meeting_id", "meetings"),
        tenant_ref("approved_at_meeting_id", "meetings"),
    )
    create_tenant_table(
        "meeting_voters",
        _uuid("meeting_id"),
        _uuid("unit_id"),
        sa.Column("unit_number", sa.Text(), nullable=False),
        sa.Column("weight", sa.Numeric(9, 4), nullable=False),
        sa.Column("owner_names", sa.Text(), nullable=False),
        sa.Column("owner_party_ids", ARRAY(UUID(as_uuid=True)), nullable=False),
        sa.Column("owner_user_ids", ARRAY(UUID(as_uuid=True)), nullable=False),
        sa.UniqueConstraint("organization_id", "meeting_id", "unit_id", name="uq_meeting_voters_unit"),
        tenant_ref("meeting_id", "meetings"),
        tenant_ref("unit_id", "units"),
    )
    create_tenant_table(
        "meeting_notices",
        _uuid("meeting_id"),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("recipient_key", sa.Text(), nullable=False),
        sa.Column("recipient_name", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        _uuid("party_id", nullable=True),
        _uuid("user_id", nullable=True),
        _uuid("unit_id", nullable=True),
        one_of("kind", ("NOTICE", "AGENDA", "REMINDER", "CANCELLATION")),
        one_of("channel", ("EMAIL", "MAIL", "POSTED", "PORTAL")),
        sa.UniqueConstraint(
            "organization_id", "meeting_id", "kind", "recipient_key", "channel", name="uq_meeting_notices_once"
        ),
        tenant_ref("meeting_id", "meetings"),
    )


def _votes() -> None:
    create_tenant_table(
        "votes",
        _uuid("association_id"),
        _uuid("meeting_id"),
        _uuid("resolution_id", nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("options", ARRAY(sa.Text()), nullable=False),
        sa.Column("secret", sa.Boolean(), nullable=False),
        sa.Column("threshold", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("result", sa.Text()),
        sa.Column("tallies", JSONB()),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        _uuid("opened_by", nullable=True),
        one_of("kind", ("MOTION", "BALLOT")),
        one_of("threshold", ("MAJORITY", "TWO_THIRDS")),
        one_of("status", ("OPEN", "CLOSED")),
        sa.CheckConstraint("result IS NULL OR result IN ('PASSED', 'FAILED')", name="result"),
        tenant_ref("association_id", "associations"),
        tenant_ref("meeting_id", "meetings"),
    )
    op.create_index("ix_votes_meeting", "votes", ["organization_id", "meeting_id"])
    create_tenant_table(
        "vote_participations",
        _uuid("vote_id"),
        _uuid("seat_id", nullable=True),
        _uuid("unit_id", nullable=True),
        _uuid("cast_by", nullable=True),
        sa.Column("voter_name", sa.Text(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("proxy_holder", sa.Text()),
        sa.Column("weight", sa.Numeric(9, 4), nullable=False),
        sa.Column("choice", sa.Text()),
        one_of("method", MODES),
        sa.CheckConstraint("(seat_id IS NULL) <> (unit_id IS NULL)", name="voter"),
        sa.UniqueConstraint("organization_id", "vote_id", "seat_id", name="uq_vote_participations_seat"),
        sa.UniqueConstraint("organization_id", "vote_id", "unit_id", name="uq_vote_participations_unit"),
        tenant_ref("vote_id", "votes"),
        tenant_ref("seat_id", "board_seats"),
        tenant_ref("unit_id", "units"),
    )
    # No timestamps and random ids: nothing in a row tells which participation it came from.
    op.create_table(
        "secret_ballots",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("organization_id", UUID(as_uuid=True), nullable=False),
        _uuid("vote_id"),
        sa.Column("choice", sa.Text(), nullable=False),
        sa.Column("weight", sa.Numeric(9, 4), nullable=False),
        tenant_ref("vote_id", "votes"),
    )
    op.create_index("ix_secret_ballots_vote", "secret_ballots", ["organization_id", "vote_id"])
    enable_tenant_rls("secret_ballots")


def _resolutions() -> None:
    create_tenant_table(
        "policies",
        _uuid("association_id"),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False, server_default="0"),
        one_of("status", ("DRAFT", "ACTIVE", "RETIRED")),
        sa.UniqueConstraint("organization_id", "association_id", "title", name="uq_policies_title"),
        tenant_ref("association_id", "associations"),
    )
    create_tenant_table(
        "resolutions",
        _uuid("association_id"),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        _uuid("meeting_id", nullable=True),
        _uuid("vote_id", nullable=True),
        _uuid("proposed_by", nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        _uuid("supersedes_id", nullable=True),
        _uuid("superseded_by_id", nullable=True),
        _money("assessment_total"),
        sa.Column("assessment_due_on", sa.Date()),
        sa.Column("assessment_fund", sa.Text()),
        sa.Column("allocation", sa.Text()),
        _uuid("assessment_type_id", nullable=True),
        sa.Column("charge_count", sa.Integer()),
        _uuid("policy_id", nullable=True),
        sa.Column("policy_body", sa.Text()),
        sa.Column("policy_version", sa.Integer()),
        one_of("kind", RESOLUTION_KINDS),
        one_of("status", RESOLUTION_STATUSES),
        sa.CheckConstraint("assessment_fund IS NULL OR assessment_fund IN ('OPERATING', 'RESERVE')", name="fund"),
        sa.CheckConstraint("allocation IS NULL OR allocation IN ('BY_SHARE', 'EQUAL')", name="allocation"),
        sa.CheckConstraint(
            "kind <> 'SPECIAL_ASSESSMENT' OR (assessment_total > 0 AND assessment_due_on IS NOT NULL "
            "AND assessment_fund IS NOT NULL AND allocation IS NOT NULL)",
            name="special_assessment",
        ),
        sa.UniqueConstraint("organization_id", "association_id", "number", name="uq_resolutions_number"),
        sa.UniqueConstraint("organization_id", "vote_id", name="uq_resolutions_vote"),
        tenant_ref("association_id", "associations"),
        tenant_ref("meeting_id", "meetings"),
        tenant_ref("vote_id", "votes"),
        tenant_ref("supersedes_id", "resolutions"),
        tenant_ref("policy_id", "policies"),
    )
    create_tenant_table(
        "policy_versions",
        _uuid("policy_id"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _uuid("resolution_id", nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.UniqueConstraint("organization_id", "policy_id", "version", name="uq_policy_versions_version"),
        tenant_ref("policy_id", "policies"),
        tenant_ref("resolution_id", "resolutions"),
    )


def upgrade() -> None:
    _boards()
    _meetings()
    _votes()
    _resolutions()
    op.execute("DROP FUNCTION app_enter_scope(text, text)")
    op.execute(ENTER_SCOPE)


def downgrade() -> None:
    op.execute("DROP FUNCTION app_enter_scope(text, text)")
    op.execute(PREVIOUS_ENTER_SCOPE)
    for table in (
        "policy_versions", "resolutions", "policies", "secret_ballots", "vote_participations", "votes",
        "meeting_notices", "meeting_voters", "meeting_minutes", "meeting_attendance", "meeting_agenda_items",
        "meetings", "board_seats", "boards", "governance_settings",
    ):  # fmt: skip
        op.drop_table(table)
