"""The maintenance agreements' record kind as Cerbos sees it (policies/resource/maintenance_agreement.yaml).

An agreement's terms, renewals, generated visits, billing periods, SLA records and history are read and written
through the agreement (its policy decides). `association_id` is an HOA agreement's association (another tenant's;
no policy reads it)."""

from __future__ import annotations

from hestami.contractor.maintenance.models import Agreement
from hestami.core.records import RecordKind

AGREEMENT = RecordKind("maintenance_agreement", Agreement)
