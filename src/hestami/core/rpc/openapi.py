"""The OpenAPI 3.1 document, built from the procedure registry (Pydantic's JSON Schema is 3.1's dialect)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from hestami.core.errors import ErrorCode
from hestami.core.rpc.body import MAX_DEPTH, MAX_NUMBER_DIGITS
from hestami.core.rpc.envelope import ErrorEnvelope, SuccessEnvelope
from hestami.core.rpc.procedure import Procedure, ProcedureRegistry

RPC_PREFIX = "/api/v1/rpc/"
_REF = "#/components/schemas/{model}"
BODY_RULES = (
    f"Every body, whatever its schema, is refused (`VALIDATION_FAILED`, naming the field) when it nests objects "
    f"and arrays deeper than {MAX_DEPTH} levels, holds a string or key with NUL (`\\u0000`) or an unpaired "
    f"surrogate, or a number with more than {MAX_NUMBER_DIGITS} digits, out of range, `NaN` or `Infinity`. "
    "Names, titles, numbers, descriptions and notes are stored without surrounding whitespace and measured after "
    "trimming, so one that is required cannot be only whitespace; passwords are kept exactly as typed."
)


def _codes_by_status() -> dict[int, list[ErrorCode]]:
    by_status: dict[int, list[ErrorCode]] = {}
    for code in ErrorCode:
        by_status.setdefault(code.info.http_status, []).append(code)
    return by_status


def _error_responses() -> dict[str, Any]:
    return {
        str(status): {
            "description": "Error envelope; `error.code` is one of: " + ", ".join(f"`{c.value}`" for c in codes),
            "content": {"application/json": {"schema": {"$ref": _REF.format(model="ErrorEnvelope")}}},
        }
        for status, codes in sorted(_codes_by_status().items())
    }


def _statuses_for(procedure: Procedure) -> list[int]:
    statuses = {400, 404, 409, 422, 500, 503}
    if procedure.authenticated:
        statuses |= {401, 403, 429}
    return sorted(statuses)


def _header(name: str, description: str, *, required: bool, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "header", "required": required, "description": description, "schema": schema}


def _parameters(procedure: Procedure) -> list[dict[str, Any]]:
    params = []
    if procedure.org_scoped:
        params.append(
            _header(
                "X-Org-Id",
                "The organization this call acts in.",
                required=True,
                schema={"type": "string", "format": "uuid"},
            )
        )
    if procedure.requires_idempotency_key:
        params.append(
            _header(
                "Idempotency-Key",
                "Unique per intended change; a retry with the same key and body replays the first answer.",
                required=True,
                schema={"type": "string", "minLength": 1, "maxLength": 255},
            )
        )
    params.append(
        _header(
            "X-Request-Id",
            "Correlation id; echoed in the response.",
            required=False,
            schema={"type": "string", "maxLength": 128},
        )
    )
    params.append(_header("Accept-Language", "Sets `meta.locale`.", required=False, schema={"type": "string"}))
    return params


def _operation(procedure: Procedure, input_ref: dict[str, Any], output_ref: dict[str, Any]) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {"description": "Success envelope", "content": {"application/json": {"schema": output_ref}}}
    }
    for status in _statuses_for(procedure):
        responses[str(status)] = {"$ref": f"#/components/responses/Error{status}"}
    return {
        "operationId": procedure.operation_id,
        "summary": procedure.summary,
        "description": procedure.description,
        "tags": list(procedure.tags),
        "parameters": _parameters(procedure),
        "security": [{"bearerAuth": []}] if procedure.authenticated else [],
        "requestBody": _request_body(procedure, input_ref),
        "responses": responses,
        "x-hestami-mutates": procedure.mutates,
        "x-hestami-org-scoped": procedure.org_scoped,
    }


def _request_body(procedure: Procedure, input_ref: dict[str, Any]) -> dict[str, Any]:
    """JSON, or for a procedure that takes a file, multipart/form-data: the JSON input as the `input` part (its
    schema as `contentMediaType`/`contentSchema`) and the bytes as the `file` part."""
    if not procedure.accepts_file:
        return {"required": True, "content": {"application/json": {"schema": input_ref}}}
    form = {
        "type": "object",
        "required": ["input", "file"],
        "properties": {
            "input": {"type": "string", "contentMediaType": "application/json", "contentSchema": input_ref},
            "file": {"type": "string", "contentMediaType": "application/octet-stream"},
        },
    }
    encoding = {"input": {"contentType": "application/json"}, "file": {"contentType": "application/octet-stream"}}
    return {"required": True, "content": {"multipart/form-data": {"schema": form, "encoding": encoding}}}


def build_openapi(registry: ProcedureRegistry, *, title: str, version: str, extra: dict[str, Any]) -> dict[str, Any]:
    """`extra` holds path items that are not procedures (e.g. `GET /api/health`)."""
    procedures = list(registry)
    models: list[tuple[type[BaseModel], JsonSchemaMode]] = [(ErrorEnvelope, "serialization")]
    for procedure in procedures:
        models.append((procedure.input_model, "validation"))
        models.append((SuccessEnvelope[procedure.output_model], "serialization"))  # type: ignore[name-defined]
    refs, definitions = models_json_schema(models, ref_template=_REF)

    paths: dict[str, Any] = dict(extra)
    for procedure in procedures:
        input_ref = refs[(procedure.input_model, "validation")]
        output_ref = refs[(SuccessEnvelope[procedure.output_model], "serialization")]  # type: ignore[name-defined]
        paths[RPC_PREFIX + procedure.path] = {"post": _operation(procedure, input_ref, output_ref)}

    return {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": version,
            "description": "Hestami procedures: `POST /api/v1/rpc/<namespace>/v<N>/<procedure>` with a JSON body. "
            + BODY_RULES,
        },
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "responses": {f"Error{status}": body for status, body in _error_responses().items()},
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }
