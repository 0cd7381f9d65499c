"""The owner portal's demo records as data (journey 2, the homeowner): Olivia Owner's requests at Sunset Ridge and a
few owners' contact preferences. `demo.py` writes them through the portal's services."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw

SLUG = "sunset-ridge-hoa"
ASSOCIATION = "Sunset Ridge Homeowners Association"
OWNER_UNIT = "14"
"""Olivia Owner's unit (`association.demo_data`: linked to the demo login `owner`)."""
GATE = "Sunset Ridge Entry Gate"


@dataclass(frozen=True)
class Ask:
    category: str
    subject: str
    description: str
    common_area: str | None = None
    photo: str | None = None
    """A file name: a photo of the problem goes with the request."""
    manager_comment: str | None = None
    review: bool = False
    """A manager moves it IN_REVIEW."""
    convert: dict[str, str] | None = None
    """A manager converts it to a work order (`priority`, `category`, `note`)."""


INQUIRY = Ask(
    category="GENERAL_INQUIRY",
    subject="Guest passes for the pool over Thanksgiving",
    description=(
        "My sister's family (two adults, three children) stays with us from November 24 to 30. May they use the pool "
        "and the clubhouse while we are out, and do they need guest passes from the office?"
    ),
    review=True,
    manager_comment="Checking the guest rules with the pool committee; we will answer by Friday.",
)
GATE_REPAIR = Ask(
    category="MAINTENANCE",
    subject="Entry gate stuck open",
    description=(
        "The visitor lane arm of the entry gate has stayed up since Sunday evening and the resident lane gate swings "
        "back open after it closes. Anyone can drive in. The call box screen is dark as well."
    ),
    common_area=GATE,
    photo="entry-gate.png",
    convert={
        "priority": "HIGH",
        "category": "GATE",
        "note": "Gate operator and call box: check power and the arm's limit switch first.",
    },
)
ASKS = (INQUIRY, GATE_REPAIR)


@dataclass(frozen=True)
class Preference:
    """Contact preferences of the owner(s) of a unit: `login` sets their own through the portal; else the keeper
    records a preference the owner gave in writing."""

    unit: str
    email: bool
    sms: bool
    mail: bool
    opted_out: tuple[str, ...]
    login: str | None = None


PREFERENCES = (
    Preference(OWNER_UNIT, email=True, sms=True, mail=False, opted_out=("NEWSLETTER",), login="owner"),
    Preference("5", email=False, sms=False, mail=True, opted_out=()),
    Preference("11", email=True, sms=False, mail=True, opted_out=("EVENT", "ANNOUNCEMENT")),
)


def gate_photo() -> bytes:
    """A small picture of a gate standing open (a PNG): sky, drive, the gate's bars swung back, the arm up."""
    image = Image.new("RGB", (320, 200), (170, 205, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 130, 320, 200), fill=(110, 110, 115))
    draw.rectangle((20, 60, 34, 150), fill=(60, 60, 60))
    for x in range(40, 120, 12):
        draw.line((x, 70, x + 18, 140), fill=(30, 30, 30), width=4)
    draw.line((40, 70, 136, 70), fill=(30, 30, 30), width=4)
    draw.rectangle((230, 95, 246, 150), fill=(200, 170, 40))
    draw.line((238, 98, 300, 20), fill=(220, 40, 40), width=6)
    draw.rectangle((200, 110, 214, 135), fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
