"""The contractor profile's record kinds as Cerbos sees them (policies/resource/contractor_*.yaml)."""

from __future__ import annotations

from hestami.contractor.profile.models import Branch, ContractorProfile, Insurance, License
from hestami.core.records import RecordKind

PROFILE = RecordKind("contractor_profile", ContractorProfile)
BRANCH = RecordKind("contractor_branch", Branch)
LICENSE = RecordKind("contractor_license", License)
INSURANCE = RecordKind("contractor_insurance", Insurance)
