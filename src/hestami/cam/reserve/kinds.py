"""Domain 11's record kinds as Cerbos sees them (policies/resource/reserve_component.yaml, reserve_study.yaml)."""

from __future__ import annotations

from hestami.cam.reserve.models import Component, Study
from hestami.core.records import RecordKind

COMPONENT = RecordKind("reserve_component", Component)
STUDY = RecordKind("reserve_study", Study)
