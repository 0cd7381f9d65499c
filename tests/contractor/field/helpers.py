"""Set-up for the field backend's HTTP tests: a contractor on the platform (`dispatch.helpers.contractor`) with an
ACTIVE pricebook (a labour item, a pipe and a job template of two required steps and one optional), technicians
ready for plumbing in 78258, and visits assigned to them, each on a weekday of its own in 2030 (so their slots never
overlap)."""

from __future__ import annotations

import base64
import io
import itertools
import struct
import uuid
import wave
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import text

from hestami.core import runtime
from tests.contractor.dispatch.helpers import Workforce, contractor, visit
from tests.support.accounts import Account

__all__ = ["Crew", "Stop", "crew", "png", "wav"]

_DAYS = itertools.count()


def next_day() -> str:
    """A weekday of its own, in summer time (CDT, UTC-5): from the first Monday of April on, 120 a year."""
    n = next(_DAYS)
    april = date(2030 + n // 120, 4, 1)
    monday = april + timedelta(days=(7 - april.weekday()) % 7)
    k = n % 120
    return (monday + timedelta(weeks=k // 5, days=k % 5)).isoformat()


def png(seed: int = 0, size: int = 4) -> str:
    """A small real PNG (base64): `size` by `size` pixels of one colour."""
    raw = b"".join(b"\x00" + bytes([seed % 256, 120, 200]) * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    made = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    return base64.b64encode(made).decode()


def wav(frames: int = 800) -> str:
    """A short real WAV (base64)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x01" * frames)
    return base64.b64encode(buffer.getvalue()).decode()


@dataclass
class Stop:
    """A visit assigned to a technician, on its own day."""

    id: str
    job_id: str
    day: str
    assignment_id: str
    technician_id: str

    def at(self, clock: str) -> str:
        return f"{self.day}T{clock}:00-05:00"


@dataclass
class Crew:
    force: Workforce
    tech: Account
    technician: dict[str, Any]
    template_id: str
    codes: dict[str, str] = field(default_factory=dict)

    @property
    def org(self) -> str:
        return self.force.org

    async def ok(self, path: str, body: dict[str, Any], who: Account | None = None) -> Any:
        return await self.force.ok(path, body, who=who or self.tech)

    async def fails(self, path: str, body: dict[str, Any], status: int, code: str | None = None,
                    reason: str | None = None, who: Account | None = None) -> dict[str, Any]:  # fmt: skip
        return await self.force.fails(path, body, status, code, reason, who=who or self.tech)

    async def stop(self, technician: dict[str, Any] | None = None, **job: Any) -> Stop:
        """A new job (JOB_CREATED, 78258) with one visit 08:00-12:00 on a day of its own, assigned at 09:00."""
        worker = technician or self.technician
        day = next_day()
        made = await visit(self.force, starts="08:00", ends="12:00", minutes=120, day=day, **job)
        stop = Stop(made["id"], made["job"]["id"], day, "", worker["id"])
        body = {"visit_id": stop.id, "technician_id": worker["id"], "starts_at": stop.at("09:00")}
        stop.assignment_id = (await self.force.ok("dispatch/v1/assignTech", body))["id"]
        return stop

    async def another_visit(self, stop: Stop, technician: dict[str, Any] | None = None) -> Stop:
        """A second visit of the stop's job, the same day in the afternoon, assigned at 14:00."""
        worker = technician or self.technician
        window = {"window_start": stop.at("13:00"), "window_end": stop.at("16:00")}
        made = await self.force.ok("job/v1/addVisit", {"job_id": stop.job_id, "duration_minutes": 60, **window})
        body = {"visit_id": made["id"], "technician_id": worker["id"], "starts_at": stop.at("14:00")}
        assignment = (await self.force.ok("dispatch/v1/assignTech", body))["id"]
        return Stop(made["id"], stop.job_id, stop.day, assignment, worker["id"])

    async def newcomer(self) -> tuple[Account, dict[str, Any]]:
        """Another technician ready for the same work (their own timers)."""
        who = await self.force.member(["TECHNICIAN"])
        return who, await self.force.ready(who=who)

    async def job(self, job_id: str) -> dict[str, Any]:
        return dict(await self.force.ok("job/v1/get", {"id": job_id}))

    async def counts(self) -> dict[str, int]:
        """Rows of each field table in the organization (for "a refusal changes nothing")."""
        tables = ("field_time_entries", "field_checklist_steps", "field_media", "field_transcriptions",
                  "field_signatures", "field_materials", "field_sync_actions", "documents")  # fmt: skip
        found = {}
        async with runtime.current().database.transaction(organization_id=uuid.UUID(self.org), user_id=None) as s:
            for table in tables:
                found[table] = int((await s.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())
        return found


async def crew(client: httpx.AsyncClient, label: str = "Field") -> Crew:
    force = await contractor(client, label)
    tech = await force.member(["TECHNICIAN"])
    technician = await force.ready(who=tech)
    version = (await force.ok("pricebook/v1/createVersion", {"name": "Field book"}))["id"]
    items = {"LABOR": ("Plumbing labour", "SERVICE", "HOUR"), "PIPE": ("Copper pipe 1/2 in", "MATERIAL", "FOOT"),
             "VALVE": ("Shower valve cartridge", "MATERIAL", "EACH")}  # fmt: skip
    for code, (name, kind, unit) in items.items():
        body = {"version_id": version, "code": code, "name": name, "kind": kind, "unit": unit, "cost": "10.00",
                "price": "25.00"}  # fmt: skip
        await force.ok("pricebook/v1/createItem", body)
    template = {"version_id": version, "name": "Valve replacement", "trade": "PLUMBING",
                "items": [{"code": "VALVE", "quantity": "1"}],
                "steps": [{"text": "Shut off the water"}, {"text": "Test for leaks"},
                          {"text": "Photograph the finished work", "required": False}]}  # fmt: skip
    made = await force.ok("pricebook/v1/createTemplate", template)
    await force.ok("pricebook/v1/publishVersion", {"id": version})
    await force.ok("pricebook/v1/activateVersion", {"id": version})
    return Crew(force, tech, technician, made["id"], {c: c for c in items})
