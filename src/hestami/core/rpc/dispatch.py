"""The one endpoint behind `/api/v1/rpc/{path}`: scope, validate, run in a transaction, render."""

from __future__ import annotations

import re
import uuid
from typing import Any

import structlog
from opentelemetry import trace
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from hestami.core.context import Principal, RequestContext
from hestami.core.errors import ErrorCode, FieldError, HestamiError
from hestami.core.idempotency import (
    MAX_KEY_LENGTH,
    Claim,
    IdempotencyScope,
    StoredAnswer,
    request_fingerprint,
)
from hestami.core.ratelimit import api_budget
from hestami.core.rpc.body import parse_body, read_limited
from hestami.core.rpc.envelope import (
    current_meta,
    error_body,
    error_bytes,
    error_response,
    json_response,
    success_bytes,
)
from hestami.core.rpc.failures import as_platform_error, validation_failed
from hestami.core.rpc.procedure import Procedure
from hestami.core.runtime import Runtime
from hestami.core.telemetry import record_failure
from hestami.core.uploads import StagedFile, read_multipart

log = structlog.get_logger("hestami.rpc")
tracer = trace.get_tracer("hestami.rpc")

_KEY_PATTERN = re.compile(rf"^[\x21-\x7e]{{1,{MAX_KEY_LENGTH}}}$")


async def rpc_endpoint(request: Request) -> Response:
    """Every failure of a call leaves here as the error envelope, through one renderer."""
    try:
        return await _dispatch(request)
    except Exception as exc:
        error = as_platform_error(exc)
        if error is None or error.code == ErrorCode.INTERNAL_ERROR:
            log.exception("procedure_crashed", path=request.url.path)
            error = error or HestamiError(ErrorCode.INTERNAL_ERROR)
        record_failure(
            f"rpc failed {request.path_params.get('path', '')}",
            {
                "hestami.error_code": error.code.value,
                "hestami.request_id": request.state.request_id,
                "rpc.method": str(request.path_params.get("path", "")),
                **{f"hestami.{k}": str(v) for k, v in structlog.contextvars.get_contextvars().items() if v},
            },
        )
        return error_response(error, request.state.request_id, request.state.locale)


async def _dispatch(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    path = request.path_params["path"]
    procedure = runtime.registry.get(path)
    if procedure is None:
        raise HestamiError(ErrorCode.NOT_FOUND, f"No procedure '{path}'.", details={"procedure": path})
    if request.method != "POST":
        raise HestamiError(ErrorCode.METHOD_NOT_ALLOWED, headers={"Allow": "POST"})
    span = trace.get_current_span()
    span.update_name(f"rpc {procedure.operation_id}")
    span.set_attribute("rpc.method", procedure.operation_id)
    call = _Call(runtime, request, procedure)
    return await call.run()


class _Call:
    """One procedure call, step by step as ARCHITECTURE.md section 3 lists them."""

    def __init__(self, runtime: Runtime, request: Request, procedure: Procedure) -> None:
        self.runtime = runtime
        self.request = request
        self.procedure = procedure
        self.request_id: str = request.state.request_id
        self.locale: str = request.state.locale
        self.principal: Principal | None = None
        self.organization_id: uuid.UUID | None = None
        self.roles: frozenset[str] = frozenset()
        self.board_association_ids: frozenset[str] = frozenset()
        self.organization_slug = ""
        self.upload: StagedFile | None = None

    async def run(self) -> Response:
        self.principal = await self._authenticate()
        self.organization_id = self._org_scope()
        structlog.contextvars.bind_contextvars(
            organization_id=str(self.organization_id or ""),
            user_id=str(self.principal.user_id if self.principal else ""),
        )
        span = trace.get_current_span()
        if self.organization_id:
            span.set_attribute("hestami.organization_id", str(self.organization_id))
        if self.principal:
            span.set_attribute("enduser.id", str(self.principal.user_id))
        if self.procedure.accepts_file:
            return await self._run_with_file()
        raw = await self._json_body()
        data = self._validate(raw)
        if self.procedure.requires_idempotency_key:
            return await self._run_idempotent(raw, data, self._idempotency_key())
        data_json = await self._execute(data, claim=None)
        return json_response(200, success_bytes(data_json, self._meta()))

    async def _run_with_file(self) -> Response:
        """A multipart call: the key is checked before the body is read, the file is staged while it streams
        in, and a replay is recognised by the input and the file's hash (`core.uploads`)."""
        key = self._idempotency_key() if self.procedure.requires_idempotency_key else None
        input_bytes, self.upload = await read_multipart(
            self.request.headers.get("content-type", ""),
            self.request.stream(),
            max_bytes=self.runtime.settings.document_max_bytes,
        )
        try:
            raw = parse_body(input_bytes)
            data = self._validate(raw)
            upload = self.upload
            sent = {"input": raw, "file": None if upload is None else [upload.sha256, upload.size, upload.file_name]}
            if key is not None:
                return await self._run_idempotent(sent, data, key)
            data_json = await self._execute(data, claim=None)
            return json_response(200, success_bytes(data_json, self._meta()))
        finally:
            if self.upload is not None:
                self.upload.remove()

    async def _authenticate(self) -> Principal | None:
        header = self.request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if not self.procedure.authenticated:
            return None
        if scheme.lower() != "bearer" or not token.strip():
            raise HestamiError(ErrorCode.UNAUTHENTICATED, "A bearer token is required.")
        budget = api_budget(self.runtime.settings.api_rate_limit_per_minute)  # counted with the session lookup
        principal = await self.runtime.identity.authenticate(token.strip(), budget=budget)
        if principal is None:
            raise HestamiError(ErrorCode.UNAUTHENTICATED, "The token is invalid, expired or revoked.")
        return principal

    def _org_scope(self) -> uuid.UUID | None:
        if not self.procedure.org_scoped:
            return None
        value = self.request.headers.get("x-org-id", "").strip()
        if not value:
            raise HestamiError(ErrorCode.ORG_SCOPE_REQUIRED)
        try:
            return uuid.UUID(value)
        except ValueError:
            raise HestamiError(
                ErrorCode.VALIDATION_FAILED,
                field_errors=[FieldError("header:X-Org-Id", "X-Org-Id must be an organization UUID.", "uuid_parsing")],
            ) from None

    async def _json_body(self) -> Any:
        """The body as JSON values every layer below can take (see `body.parse_body`), or VALIDATION_FAILED; a
        body over `MAX_JSON_BODY_BYTES` is refused as soon as it passes the limit (files go as multipart)."""
        return parse_body(await read_limited(self.request, self.runtime.settings.max_json_body_bytes))

    def _validate(self, raw: Any) -> BaseModel:
        try:
            return self.procedure.input_model.model_validate(raw)
        except ValidationError as exc:
            raise validation_failed(exc) from None

    def _idempotency_key(self) -> str:
        key = self.request.headers.get("idempotency-key")
        if key is None or key == "":
            raise HestamiError(ErrorCode.IDEMPOTENCY_KEY_REQUIRED)
        if not _KEY_PATTERN.match(key):
            raise HestamiError(
                ErrorCode.VALIDATION_FAILED,
                field_errors=[
                    FieldError(
                        "header:Idempotency-Key",
                        f"1 to {MAX_KEY_LENGTH} visible ASCII characters.",
                        "string_pattern",
                    )
                ],
            )
        return key

    def _meta(self, **extra: Any) -> Any:
        return current_meta(self.request_id, self.locale, **extra)

    def _context(self, session: Any) -> RequestContext:
        return RequestContext(
            request_id=self.request_id,
            procedure=self.procedure.path,
            session=session,
            principal=self.principal,
            organization_id=self.organization_id,
            organization_slug=self.organization_slug,
            roles=self.roles,
            board_association_ids=self.board_association_ids,
            locale=self.locale,
            client_ip=self.request.client.host if self.request.client else "",
            authorizer=self.runtime.authorizer,
            idempotency_key=self.request.headers.get("idempotency-key"),
            upload=self.upload,
        )

    async def _check_membership(self, session: Any) -> None:
        if self.organization_id is None or self.principal is None:
            return
        access = await self.runtime.identity.access_to(session, self.principal, self.organization_id)
        if access is None:
            raise HestamiError(ErrorCode.FORBIDDEN, "You are not a member of this organization.")
        self.roles = access.roles
        self.board_association_ids = access.board_association_ids
        self.organization_slug = access.organization_slug

    def _transaction(self) -> Any:
        return self.runtime.database.transaction(
            organization_id=self.organization_id, user_id=self.principal.user_id if self.principal else None
        )

    async def _execute(self, data: BaseModel, claim: Claim | None) -> bytes:
        """Runs the handler in the request's transaction; with a claim, stores the answer in it too."""
        ctx: RequestContext | None = None
        try:
            async with self._transaction() as session:
                if claim is None:
                    await self._check_membership(session)
                ctx = self._context(session)
                with tracer.start_as_current_span(f"handler {self.procedure.operation_id}"):
                    output = await self.procedure.handler(ctx, data)
                if not isinstance(output, self.procedure.output_model):
                    raise TypeError(f"{self.procedure.path} returned {type(output).__name__}")
                data_json = output.model_dump_json().encode()
                if claim is not None:
                    await self.runtime.idempotency.complete(
                        session, claim, status=200, ok=True, body=data_json.decode(), request_id=self.request_id
                    )
        except Exception:
            for effect in ctx.drain_after_rollback() if ctx else []:
                try:
                    await effect()
                except Exception:
                    log.exception("after_rollback_effect_failed", procedure=self.procedure.path)
            raise
        for effect in ctx.drain_after_commit():
            await effect()
        return data_json

    async def _run_idempotent(self, raw: Any, data: BaseModel, key: str) -> Response:
        assert self.principal is not None
        scope = IdempotencyScope(self.organization_id, self.principal.user_id, self.procedure.path, key)
        async with self._transaction() as session:
            await self._check_membership(session)
            outcome = await self.runtime.idempotency.claim(session, scope, request_fingerprint(raw))
        if isinstance(outcome, StoredAnswer):
            return self._replay(outcome)
        try:
            data_json = await self._execute(data, claim=outcome)
        except BaseException as exc:
            await self._settle_failed_claim(outcome, exc)
            raise
        return json_response(200, success_bytes(data_json, self._meta()))

    async def _settle_failed_claim(self, claim: Claim, exc: BaseException) -> None:
        """A definite refusal is stored like an answer; anything retryable gives the key back."""
        error = as_platform_error(exc)
        try:
            async with self._transaction() as session:
                if (
                    error is not None
                    and not error.code.info.retryable
                    and error.code != ErrorCode.IDEMPOTENCY_IN_PROGRESS
                ):
                    await self.runtime.idempotency.complete(
                        session,
                        claim,
                        status=error.http_status,
                        ok=False,
                        body=error_body(error).model_dump_json(),
                        request_id=self.request_id,
                    )
                else:
                    await self.runtime.idempotency.release(session, claim)
        except Exception:
            log.exception("idempotency_settle_failed", claim_id=str(claim.id))

    def _replay(self, stored: StoredAnswer) -> Response:
        meta = self._meta(idempotent_replay=True, original_request_id=stored.request_id)
        body = stored.body.encode()
        payload = success_bytes(body, meta) if stored.ok else error_bytes(body, meta)
        return json_response(stored.status, payload)
