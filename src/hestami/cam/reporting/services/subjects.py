"""What a report request is about and whether the caller may generate it: the definition, its parameters validated
against the definition's model (VALIDATION_FAILED with `/parameters/...` paths), the association or unit they name
loaded in the caller's scope (another organization's is NOT_FOUND) and Cerbos `report_run` create with the report's
category and scope (FORBIDDEN). Used when a run is asked for, when a schedule is made, and again by the generation
workflow acting as the requester (who may have lost access since)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from hestami.cam.association import api as association
from hestami.cam.reporting import kinds
from hestami.cam.reporting.definitions import ReportDefinition, find
from hestami.cam.reporting.errors import unknown_report
from hestami.core.authz import Resource, authorize
from hestami.core.context import RequestContext
from hestami.core.rpc.failures import validation_failed

DOCUMENT_SCOPE = "REPORT_RUN"
"""Documents' scope of a run's file: filed under the run."""


@dataclass(frozen=True, slots=True)
class Subject:
    """A report as asked for: its definition, validated parameters and the association or unit they name."""

    definition: ReportDefinition
    parameters: BaseModel
    association_id: uuid.UUID | None
    unit_id: uuid.UUID | None

    @property
    def stored_parameters(self) -> dict[str, Any]:
        return self.parameters.model_dump(mode="json", exclude_none=True)


def definition_of(key: str) -> ReportDefinition:
    definition = find(key)
    if definition is None:
        raise unknown_report(key)
    return definition


def parameters_of(definition: ReportDefinition, raw: dict[str, Any]) -> BaseModel:
    try:
        return definition.parameters.model_validate(raw)
    except ValidationError as error:
        raise validation_failed(error, prefix=("parameters",)) from None


async def subject(ctx: RequestContext, report: str, raw: dict[str, Any]) -> Subject:
    """The definition and parameters, with the association or unit loaded in the caller's scope (NOT_FOUND)."""
    definition = definition_of(report)
    parameters = parameters_of(definition, raw)
    association_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    if definition.scope == "UNIT":
        unit_id = getattr(parameters, "unit_id")  # noqa: B009 - UNIT reports' parameters carry it
        association_id = (await association.load_unit(ctx, unit_id)).association_id
    elif definition.scope == "ASSOCIATION":
        association_id = getattr(parameters, "association_id")  # noqa: B009 - likewise
        await association.load_association(ctx, association_id)
    return Subject(definition, parameters, association_id, unit_id)


async def authorize_generation(ctx: RequestContext, subject: Subject) -> None:
    """Cerbos `report_run` create: FORBIDDEN unless the caller may generate this category and scope of report about
    this association or unit."""
    attrs: dict[str, Any] = {
        "organization_id": str(ctx.require_org()),
        "association_id": str(subject.association_id) if subject.association_id else None,
        "category": subject.definition.category,
        "scope": subject.definition.scope,
        "user_id": str(ctx.user_id) if ctx.user_id else None,
    }
    if subject.unit_id is not None:
        attrs["owner_user_ids"] = await association.owners_of_unit(ctx, subject.unit_id, ctx.require_org())
    await authorize(ctx, "create", Resource(kinds.REPORT_RUN.name, "new", attrs))


def run_values(ctx: RequestContext, subject: Subject, fmt: str) -> dict[str, Any]:
    definition = subject.definition
    return {
        "organization_id": ctx.require_org(), "association_id": subject.association_id, "unit_id": subject.unit_id,
        "report": definition.key, "title": definition.title, "category": definition.category,
        "scope": definition.scope, "parameters": subject.stored_parameters, "format": fmt,
    }  # fmt: skip
