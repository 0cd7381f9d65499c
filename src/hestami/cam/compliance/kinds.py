"""Domain 12's record kinds as Cerbos sees them (policies/resource/compliance_*.yaml)."""

from __future__ import annotations

from hestami.cam.compliance.models import Checklist, Deadline, Requirement
from hestami.core.records import RecordKind

REQUIREMENT = RecordKind("compliance_requirement", Requirement)
DEADLINE = RecordKind("compliance_deadline", Deadline)
CHECKLIST = RecordKind("compliance_checklist", Checklist)
