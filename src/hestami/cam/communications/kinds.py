"""Domain 7's record kinds as Cerbos sees them (policies/resource/communication_template.yaml,
mass_communication.yaml). Contact preferences are authorized as their party (`party` policy: the person and the
managers)."""

from __future__ import annotations

from hestami.cam.communications.models import CommunicationTemplate, MassCommunication
from hestami.core.records import RecordKind

TEMPLATE = RecordKind(
    "communication_template",
    CommunicationTemplate,
    base_attrs=lambda template: {"channel": template.channel},
    columns=lambda: {"channel": CommunicationTemplate.channel},
)
MASS = RecordKind(
    "mass_communication",
    MassCommunication,
    base_attrs=lambda mass: {"status": mass.status},
    columns=lambda: {"status": MassCommunication.status},
)
