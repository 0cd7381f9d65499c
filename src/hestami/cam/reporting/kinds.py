"""Reporting's record kinds as Cerbos sees them (policies/resource/report_run.yaml, report_schedule.yaml).

Both send the report's `category` and `scope`; a run also sends who asked for it (`user_id`: an owner sees their own
runs). `create` of a run is checked before the run exists, with the unit's owners (`owner_user_ids`) for a UNIT
report (`services.runs.authorize_generation`)."""

from __future__ import annotations

from hestami.cam.reporting.models import ReportRun, ReportSchedule
from hestami.core.records import RecordKind

REPORT_RUN = RecordKind(
    "report_run",
    ReportRun,
    base_attrs=lambda run: {
        "category": run.category,
        "scope": run.scope,
        "status": run.status,
        "user_id": str(run.requested_by),
    },
    columns=lambda: {"category": ReportRun.category, "scope": ReportRun.scope, "user_id": ReportRun.requested_by},
)
REPORT_SCHEDULE = RecordKind(
    "report_schedule",
    ReportSchedule,
    base_attrs=lambda schedule: {"category": schedule.category, "scope": schedule.scope, "status": schedule.status},
    columns=lambda: {"category": ReportSchedule.category, "scope": ReportSchedule.scope},
)
