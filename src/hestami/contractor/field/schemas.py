"""Inputs and outputs of the field technician's procedures (`fieldTech/v1/*`). The payload of each action is one
model, used by its procedure (with the `visit_id`) and by the offline sync (where the action names the visit)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Self, get_args

from pydantic import (
    BaseModel,
    Field,
    GetCoreSchemaHandler,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_validator,
)
from pydantic_core import CoreSchema, ErrorDetails, core_schema

from hestami.contractor.job.schemas import Moment
from hestami.core.errors import FieldError
from hestami.core.rpc.envelope import FieldErrorOut
from hestami.core.rpc.failures import field_path
from hestami.core.schemas import Input, Record, Trimmed

EntryKind = Literal["TRAVEL", "WORK"]
MediaKind = Literal["PHOTO", "DOCUMENT", "VOICE_NOTE", "SIGNATURE"]
Purpose = Literal["DOCUMENT", "WORK_SUMMARY"]
Note = Annotated[Trimmed, Field(min_length=1, max_length=2000)]
FileName = Annotated[Trimmed, Field(min_length=1, max_length=255, pattern=r"^[^/\\\\]+$")]
Base64 = Annotated[Trimmed, Field(min_length=1, max_length=7_000_000, description="At most 5 MB once decoded.")]
Quantity = Annotated[Decimal, Field(gt=0, le=Decimal("1000000"), max_digits=18, decimal_places=3)]
VisitId = Annotated[uuid.UUID, Field(description="A visit assigned to you (dispatchers and managers: any).")]


# --- payloads (shared by the procedures and the sync) --------------------------------------------------------------


class Timed(Input):
    at: Moment | None = Field(default=None, description="When it happened (default: now; the sync: `client_at`).")


class ApplyChecklistPayload(Input):
    template_id: uuid.UUID = Field(description="A job template of your pricebook.")


class StepPayload(Timed):
    step_id: uuid.UUID
    note: Note | None = None


class MediaPayload(Input):
    kind: Literal["PHOTO", "DOCUMENT"] = "PHOTO"
    file_name: FileName
    content_base64: Base64
    caption: Annotated[Trimmed, Field(max_length=500)] | None = None


class VoiceNotePayload(Input):
    file_name: FileName
    content_base64: Base64
    transcript_hint: Annotated[Trimmed, Field(max_length=5000)] | None = Field(
        default=None, description="What the device recognised already; the recording adapter answers it."
    )


class SignaturePayload(Timed):
    signer_name: Annotated[Trimmed, Field(min_length=1, max_length=200)]
    purpose: Purpose
    signed_document_id: uuid.UUID | None = Field(default=None, description="A document of the job (DOCUMENT).")
    work_summary: Annotated[Trimmed, Field(min_length=1, max_length=5000)] | None = Field(
        default=None, description="The visit's work summary the customer signs (WORK_SUMMARY)."
    )
    image_base64: Base64 = Field(description="The signature as a PNG.")

    @model_validator(mode="after")
    def _signs_one_thing(self) -> Self:
        if (self.purpose == "DOCUMENT") != (self.signed_document_id is not None):
            raise ValueError("signed_document_id is given exactly when the purpose is DOCUMENT")
        if (self.purpose == "WORK_SUMMARY") != (self.work_summary is not None):
            raise ValueError("work_summary is given exactly when the purpose is WORK_SUMMARY")
        return self


class MaterialPayload(Input):
    code: Annotated[Trimmed, Field(min_length=1, max_length=60)] = Field(description="An item of the ACTIVE version.")
    quantity: Quantity
    lot_number: Annotated[Trimmed, Field(min_length=1, max_length=60)] | None = Field(
        default=None, description="A lot-tracked stocked item: the lot taken from the truck."
    )
    serial_numbers: Annotated[list[Annotated[Trimmed, Field(min_length=1, max_length=60)]], Field(max_length=500)] = (
        Field(default_factory=list, description="A serial-tracked stocked item: one per unit, on the truck.")
    )


# --- procedure inputs ----------------------------------------------------------------------------------------------


class OnVisit(Timed):
    visit_id: VisitId


class ApplyChecklist(ApplyChecklistPayload):
    visit_id: VisitId


class MarkStep(StepPayload):
    pass


class UploadMedia(MediaPayload):
    visit_id: VisitId


class AddVoiceNote(VoiceNotePayload):
    visit_id: VisitId


class CaptureSignature(SignaturePayload):
    visit_id: VisitId


class RecordMaterial(MaterialPayload):
    visit_id: VisitId


class ByVisit(Input):
    visit_id: uuid.UUID


class OfJob(Input):
    job_id: uuid.UUID
    visit_id: uuid.UUID | None = Field(default=None, description="Only this visit's.")


class CorrectTimeEntry(Input):
    id: uuid.UUID = Field(description="The time entry.")
    started_at: Moment | None = None
    ended_at: Moment | None = None
    reason: Annotated[Trimmed, Field(min_length=1, max_length=500)]

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.started_at is None and self.ended_at is None:
            raise ValueError("give started_at, ended_at or both")
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            raise ValueError("ended_at must not be before started_at")
        return self


# --- outputs -------------------------------------------------------------------------------------------------------


class TimeEntryOut(Record):
    job_id: uuid.UUID
    visit_id: uuid.UUID
    technician_id: uuid.UUID
    technician_user_id: uuid.UUID
    kind: EntryKind
    started_at: datetime
    ended_at: datetime | None
    minutes: int | None = Field(description="Rounded up to the whole minute; none while running.")
    recorded_by: uuid.UUID | None
    corrected_by: uuid.UUID | None
    correction_reason: str | None


class TimeEntriesOut(BaseModel):
    items: list[TimeEntryOut]


class StepOut(Record):
    job_id: uuid.UUID
    visit_id: uuid.UUID
    template_id: uuid.UUID
    position: int
    text: str
    required: bool
    done_at: datetime | None
    done_by: uuid.UUID | None
    note: str | None


class ChecklistOut(BaseModel):
    visit_id: uuid.UUID
    items: list[StepOut]
    required_open: int = Field(description="Required steps not done yet (they keep the visit from completion).")


class TranscriptionRequestOut(BaseModel):
    """What the transcription port was asked (stored as sent)."""

    document_id: str
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    transcript_hint: str | None


class MediaOut(Record):
    job_id: uuid.UUID
    visit_id: uuid.UUID
    kind: MediaKind
    document_id: uuid.UUID
    caption: str | None
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by: uuid.UUID | None
    transcript: str | None = Field(default=None, description="A voice note's transcript.")
    transcription_status: str | None = None
    transcription_provider: str | None = None
    transcription_request: TranscriptionRequestOut | None = None


class MediaListOut(BaseModel):
    items: list[MediaOut]


class SignatureOut(Record):
    job_id: uuid.UUID
    visit_id: uuid.UUID
    purpose: Purpose
    signed_document_id: uuid.UUID | None
    work_summary: str | None
    signer_name: str
    signed_at: datetime
    media_id: uuid.UUID
    document_id: uuid.UUID = Field(description="The signature image's document.")


class SignaturesOut(BaseModel):
    items: list[SignatureOut]


class MaterialOut(Record):
    job_id: uuid.UUID
    visit_id: uuid.UUID
    code: str
    name: str
    unit: str
    quantity: Decimal
    item_id: uuid.UUID
    version_id: uuid.UUID
    recorded_by: uuid.UUID | None
    movement_id: uuid.UUID | None = Field(description="The inventory's USAGE movement: taken from the truck.")
    unit_cost: Decimal | None
    lot_number: str | None
    serial_numbers: list[str]


class MaterialsOut(BaseModel):
    items: list[MaterialOut]


class VisitCompletedOut(BaseModel):
    visit_id: uuid.UUID
    visit_status: str
    job_id: uuid.UUID
    job_status: str
    assignment_status: str | None
    time_entry_closed: uuid.UUID | None = Field(description="The running timer the completion stopped, if any.")


# --- the offline sync ----------------------------------------------------------------------------------------------


class _Action(Input):
    client_action_id: uuid.UUID = Field(description="Made by the device; the action is applied once per id.")
    client_at: Moment = Field(description="When the technician did it (orders a job's actions; a timer's time).")
    job_id: uuid.UUID
    visit_id: uuid.UUID


class Empty(Input):
    pass


class StartTravelAction(_Action):
    type: Literal["startTravel"]
    payload: Empty = Field(default_factory=Empty)


class StartWorkAction(_Action):
    type: Literal["startWork"]
    payload: Empty = Field(default_factory=Empty)


class StopAction(_Action):
    type: Literal["stop"]
    payload: Empty = Field(default_factory=Empty)


class ApplyChecklistAction(_Action):
    type: Literal["applyChecklist"]
    payload: ApplyChecklistPayload


class CompleteStepAction(_Action):
    type: Literal["completeStep"]
    payload: StepPayload


class UncompleteStepAction(_Action):
    type: Literal["uncompleteStep"]
    payload: StepPayload


class UploadMediaAction(_Action):
    type: Literal["uploadMedia"]
    payload: MediaPayload


class AddVoiceNoteAction(_Action):
    type: Literal["addVoiceNote"]
    payload: VoiceNotePayload


class CaptureSignatureAction(_Action):
    type: Literal["captureSignature"]
    payload: SignaturePayload


class RecordMaterialAction(_Action):
    type: Literal["recordMaterial"]
    payload: MaterialPayload


class CompleteVisitAction(_Action):
    type: Literal["completeVisit"]
    payload: Empty = Field(default_factory=Empty)


KnownAction = (
    StartTravelAction | StartWorkAction | StopAction | ApplyChecklistAction | CompleteStepAction
    | UncompleteStepAction | UploadMediaAction | AddVoiceNoteAction | CaptureSignatureAction | RecordMaterialAction
    | CompleteVisitAction
)  # fmt: skip
SyncAction = Annotated[KnownAction, Field(discriminator="type")]
SyncStatus = Literal["APPLIED", "REPLAYED", "CONFLICT", "REJECTED"]
MALFORMED = "The action is malformed (see field_errors)."
UNKNOWN_TYPE = "type must be one of: " + ", ".join(
    get_args(m.model_fields["type"].annotation)[0] for m in get_args(KnownAction)
)


class _Envelope(BaseModel):
    """What every item of a batch must be, so that it can be answered on its own: an object with its id."""

    client_action_id: uuid.UUID


@dataclass(frozen=True)
class QueuedAction:
    """One item of a batch, validated on its own: `action` when it is one of the known actions, else `None` with
    its `field_errors` (pointers within the item, e.g. `/payload/quantity`). `sent` is the item as sent; `type`
    the `type` it names (when a string of at most 60 characters). Documented as the action types' union."""

    client_action_id: uuid.UUID
    action: KnownAction | None
    sent: dict[str, Any]
    field_errors: tuple[FieldError, ...] = ()

    @property
    def type(self) -> str | None:
        named = self.sent.get("type")
        return named if isinstance(named, str) and len(named) <= 60 else None

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_wrap_validator_function(cls._queued, handler.generate_schema(SyncAction))

    @classmethod
    def _queued(cls, value: Any, known: ValidatorFunctionWrapHandler) -> QueuedAction:
        try:
            action: KnownAction = known(value)
        except ValidationError as malformed:
            envelope = _Envelope.model_validate(value)  # not an object with its id: the whole batch is refused
            problems = tuple(_within(error, value.get("type")) for error in malformed.errors(include_url=False))
            return cls(envelope.client_action_id, None, value, problems)
        return cls(action.client_action_id, action, value)


def _within(error: ErrorDetails, tag: object) -> FieldError:
    """A field error of an item, its place within the item (the discriminator's own errors are at `/type`)."""
    loc = error["loc"][1:] if error["loc"] and error["loc"][0] == tag else error["loc"]
    if not loc:
        return FieldError(field="/type", message=UNKNOWN_TYPE, code=error["type"])
    return FieldError(field=field_path(tuple(loc)), message=error["msg"], code=error["type"])


class Sync(Input):
    actions: list[QueuedAction] = Field(
        min_length=1, max_length=200, description="Each an object with its `client_action_id`; else the batch is 400."
    )


class SyncItemOut(BaseModel):
    position: int = Field(description="The action's place in the batch (from 0).")
    client_action_id: uuid.UUID
    type: str | None = Field(description="The action's `type` as sent (none when a malformed one names none).")
    status: SyncStatus
    original_status: Literal["APPLIED", "CONFLICT", "REJECTED"] | None = Field(
        default=None, description="For a replay: what the first time answered."
    )
    record_id: uuid.UUID | None = Field(default=None, description="The record the action made or changed.")
    error_code: str | None = None
    reason: str | None = None
    message: str | None = None
    field_errors: list[FieldErrorOut] = Field(
        default_factory=list,
        description="A malformed action's (VALIDATION_FAILED): like the error envelope's, pointers within the action.",
    )


class SyncOut(BaseModel):
    items: list[SyncItemOut] = Field(description="One per action, in the batch's order.")
