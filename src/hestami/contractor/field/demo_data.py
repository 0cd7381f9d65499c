"""The demo's field work (`demo.py`): on the dispatch day, Evergreen's technician completes the Sunset Ridge pool deck
shower valve visit (travel, work, the checklist, two photos, the pool manager's signature of the work summary, the
parts used), and another technician is under way on a homeowner's call with the work timer running."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from hestami.contractor.dispatch.demo_data import DISPATCHER, EVERGREEN, ZONE, demo_day

__all__ = [
    "CHECKLIST_TEMPLATE", "DISPATCHER", "EVERGREEN", "MATERIALS", "PHOTOS", "POOL_SHOWER", "SIGNER", "TIMELINE",
    "VOICE_NOTE", "WORK_SUMMARY", "ZONE", "demo_day",
]  # fmt: skip

POOL_SHOWER = "Pool deck shower valve"
"""In the handed-off job's title (`WO-000002: Pool deck shower valve will not shut off`)."""
CHECKLIST_TEMPLATE = "Main line stoppage"
"""The demo pricebook's plumbing template whose checklist the visit runs (it has no valve template)."""
TIMELINE = {
    "travel": timedelta(minutes=-25),
    "work": timedelta(0),
    "steps": timedelta(minutes=40),
    "signed": timedelta(minutes=50),
    "done": timedelta(minutes=55),
}
"""When each thing happens, from the assignment's slot start."""
PHOTOS = (("pool-shower-before.png", "Valve stem stripped, shower running"),
          ("pool-shower-after.png", "New cartridge and ball valve; deck drying"))  # fmt: skip
VOICE_NOTE = "Pool shower valve: stem stripped; replaced with a ball valve and a new cartridge; no leaks after test."
SIGNER = "Dana Whitfield (Sunset Ridge pool manager)"
WORK_SUMMARY = "Replaced the pool deck shower's valve with a 3/4 inch brass ball valve; tested, no leaks."
MATERIALS = (("VLV-BALL-34", Decimal("1")), ("CU-34", Decimal("2")))
