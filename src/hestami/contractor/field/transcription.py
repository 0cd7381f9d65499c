"""The transcription port: a voice note's audio in, its transcript out. The recording adapter (the only one for now)
stores nothing itself and answers deterministically: the hint the device sent (what the technician's phone already
recognised), else a marker that the audio was recorded for transcription. The service stores what the port was asked
and answered (`field_transcriptions`), visible through `fieldTech/v1/listMedia`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class TranscriptionRequest:
    document_id: str
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    transcript_hint: str | None


@dataclass(frozen=True, slots=True)
class Transcript:
    provider: str
    status: str
    text: str


class Transcriber(Protocol):
    def transcribe(self, request: TranscriptionRequest) -> Transcript: ...


class RecordingTranscriber:
    """Answers the hint, or a marker naming the recording; status TRANSCRIBED or RECORDED."""

    def transcribe(self, request: TranscriptionRequest) -> Transcript:
        if request.transcript_hint:
            return Transcript("recording", "TRANSCRIBED", request.transcript_hint)
        marker = f"[voice note {request.file_name} ({request.size_bytes} bytes) recorded for transcription]"
        return Transcript("recording", "RECORDED", marker)


_port: Transcriber = RecordingTranscriber()


def transcriber() -> Transcriber:
    return _port
