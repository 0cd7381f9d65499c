"""add_field_work: issue 23 (P2.6): the field technician's records of a job visit, and the offline sync's log.

- `field_time_entries`: TRAVEL or WORK time of a technician on a visit (`job_visits`, of `jobs`), open until
  stopped; one open entry per technician (partial unique index on `ended_at IS NULL`), so two devices racing cannot
  both start a timer. Corrections by dispatchers and managers keep who and why.
- `field_checklist_steps`: a visit's checklist copied from a pricebook job template (its position, text and whether
  it is required), each step done (who, when, a note) or not; one step per position of a visit.
- `field_media`: photos, documents, voice notes and signature images of a visit, each a document of the contractor
  filed under the job (`documents`, scope JOB); a voice note's transcription request and transcript in
  `field_transcriptions` (the transcription port's recording adapter stores what it was asked and answered).
- `field_signatures`: the customer's signature of a visit (signer, time, the image's document, and what it signs:
  a document of the job or the visit's work summary); one per visit and purpose.
- `field_materials`: pricebook items (code, name, unit of the ACTIVE version when recorded) used on a visit.
- `field_sync_actions`: each offline action applied once, keyed (organization_id, client_action_id), with the hash
  of its body, its outcome and the answer a replay gets; a malformed action is kept REJECTED without its job, visit
  and time (and its type only when it named one).

Revision ID: 0040
Revises: 0039
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0040"
down_revision: str | Sequence[str] | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENTRY_KINDS = ("TRAVEL", "WORK")
MEDIA_KINDS = ("PHOTO", "DOCUMENT", "VOICE_NOTE", "SIGNATURE")
PURPOSES = ("DOCUMENT", "WORK_SUMMARY")
OUTCOMES = ("APPLIED", "CONFLICT", "REJECTED")
TABLES = (
    "field_sync_actions", "field_materials", "field_signatures", "field_transcriptions", "field_media",
    "field_checklist_steps", "field_time_entries",
)  # fmt: skip


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _moment(name: str, *, nullable: bool = False) -> sa.Column[sa.DateTime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _of_visit() -> list[sa.SchemaItem]:
    return [_uuid("job_id"), _uuid("visit_id"), tenant_ref("job_id", "jobs"), tenant_ref("visit_id", "job_visits")]


def _time_entries() -> None:
    create_tenant_table(
        "field_time_entries",
        *_of_visit(),
        _uuid("technician_id"),
        _uuid("technician_user_id"),
        sa.Column("kind", sa.Text(), nullable=False),
        _moment("started_at"),
        _moment("ended_at", nullable=True),
        _uuid("recorded_by", nullable=True),
        _uuid("corrected_by", nullable=True),
        sa.Column("correction_reason", sa.Text()),
        one_of("kind", ENTRY_KINDS),
        sa.CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="period"),
        tenant_ref("technician_id", "technicians"),
    )
    op.create_index(
        "uq_field_time_entries_open", "field_time_entries", ["organization_id", "technician_id"], unique=True,
        postgresql_where=sa.text("ended_at IS NULL"),
    )  # fmt: skip
    op.create_index("ix_field_time_entries_job", "field_time_entries", ["organization_id", "job_id", "started_at"])


def _checklist_steps() -> None:
    create_tenant_table(
        "field_checklist_steps",
        *_of_visit(),
        _uuid("template_id"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False, server_default="false"),
        _moment("done_at", nullable=True),
        _uuid("done_by", nullable=True),
        sa.Column("note", sa.Text()),
        sa.UniqueConstraint("organization_id", "visit_id", "position", name="uq_field_checklist_steps_position"),
    )


def _media() -> None:
    create_tenant_table(
        "field_media",
        *_of_visit(),
        sa.Column("kind", sa.Text(), nullable=False),
        _uuid("document_id"),
        sa.Column("caption", sa.Text()),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        _uuid("uploaded_by", nullable=True),
        one_of("kind", MEDIA_KINDS),
        tenant_ref("document_id", "documents"),
    )
    op.create_index("ix_field_media_job", "field_media", ["organization_id", "job_id", "created_at"])
    create_tenant_table(
        "field_transcriptions",
        _uuid("media_id"),
        sa.Column("provider", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("request", JSONB(), nullable=False, server_default="{}"),
        sa.Column("transcript", sa.Text(), nullable=False),
        tenant_ref("media_id", "field_media"),
        sa.UniqueConstraint("organization_id", "media_id", name="uq_field_transcriptions_media"),
    )


def _signatures() -> None:
    create_tenant_table(
        "field_signatures",
        *_of_visit(),
        sa.Column("purpose", sa.Text(), nullable=False),
        _uuid("signed_document_id", nullable=True),
        sa.Column("work_summary", sa.Text()),
        sa.Column("signer_name", sa.Text(), nullable=False),
        _moment("signed_at"),
        _uuid("media_id"),
        one_of("purpose", PURPOSES),
        sa.CheckConstraint(
            "(purpose = 'DOCUMENT') = (signed_document_id IS NOT NULL) "
            "AND (purpose = 'WORK_SUMMARY') = (work_summary IS NOT NULL)",
            name="signs",
        ),
        tenant_ref("signed_document_id", "documents"),
        tenant_ref("media_id", "field_media"),
        sa.UniqueConstraint("organization_id", "visit_id", "purpose", name="uq_field_signatures_purpose"),
    )


def _materials() -> None:
    create_tenant_table(
        "field_materials",
        *_of_visit(),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Numeric(18, 3), nullable=False),
        _uuid("item_id"),
        _uuid("version_id"),
        _uuid("recorded_by", nullable=True),
        sa.CheckConstraint("quantity > 0", name="quantity"),
    )
    op.create_index("ix_field_materials_job", "field_materials", ["organization_id", "job_id", "created_at"])


def _sync_actions() -> None:
    create_tenant_table(
        "field_sync_actions",
        sa.Column("client_action_id", UUID(as_uuid=True), nullable=False),
        _uuid("user_id", nullable=True),
        _uuid("job_id", nullable=True),
        _uuid("visit_id", nullable=True),
        sa.Column("type", sa.Text()),
        _moment("client_at", nullable=True),
        sa.Column("body_sha256", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("result", JSONB()),
        sa.Column("error", JSONB()),
        one_of("outcome", OUTCOMES),
        sa.CheckConstraint(
            "outcome = 'REJECTED' OR (job_id IS NOT NULL AND visit_id IS NOT NULL AND type IS NOT NULL"
            " AND client_at IS NOT NULL)",
            name="well_formed",
        ),
        sa.UniqueConstraint("organization_id", "client_action_id", name="uq_field_sync_actions_client_action"),
    )


def upgrade() -> None:
    _time_entries()
    _checklist_steps()
    _media()
    _signatures()
    _materials()
    _sync_actions()


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
