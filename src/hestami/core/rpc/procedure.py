"""Declaring a procedure: its route, input and output models, scope, whether it mutates, and its docs."""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar, get_type_hints

from pydantic import BaseModel, ConfigDict

from hestami.core.context import RequestContext

_SEGMENT = re.compile(r"^[a-z][A-Za-z0-9]*$")

InT = TypeVar("InT", bound=BaseModel)
OutT = TypeVar("OutT", bound=BaseModel)
Handler = Callable[[RequestContext, Any], Awaitable[BaseModel]]


class Empty(BaseModel):
    """No input: send `{}`."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True, slots=True)
class Procedure:
    """One versioned procedure. Its path is the URL after `/api/v1/rpc/`, e.g. `workOrder/v1/create`."""

    namespace: str
    version: int
    name: str
    handler: Handler
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    mutates: bool
    org_scoped: bool
    authenticated: bool
    idempotent: bool
    tags: tuple[str, ...]
    accepts_file: bool = False
    """Takes `multipart/form-data` (`input` JSON and one `file`, streamed to disk: `core.uploads`)."""

    @property
    def path(self) -> str:
        return f"{self.namespace}/v{self.version}/{self.name}"

    @property
    def operation_id(self) -> str:
        return self.path.replace("/", ".")

    @property
    def summary(self) -> str:
        doc = inspect.getdoc(self.handler) or self.operation_id
        return doc.strip().splitlines()[0]

    @property
    def description(self) -> str:
        return inspect.getdoc(self.handler) or ""

    @property
    def requires_idempotency_key(self) -> bool:
        return self.mutates and self.idempotent


def _check_segments(value: str, what: str) -> None:
    for segment in value.split("/"):
        if not _SEGMENT.match(segment):
            raise ValueError(f"{what} {value!r}: each segment must be camelCase ([a-z][A-Za-z0-9]*)")


class ProcedureRouter:
    """Procedures of one namespace (which may nest: `accounting/journalEntry`).

    ```
    router = ProcedureRouter("workOrder")

    @router.mutation("create", version=1)
    async def create(ctx: RequestContext, data: CreateWorkOrder) -> WorkOrderOut:
        \"\"\"Create a work order in DRAFT.\"\"\"
    ```
    Procedures are authenticated and org-scoped unless declared otherwise.
    """

    def __init__(self, namespace: str, *, tags: tuple[str, ...] | None = None) -> None:
        _check_segments(namespace, "namespace")
        self.namespace = namespace
        self.tags = tags or (namespace.split("/")[0],)
        self.procedures: list[Procedure] = []

    def query(
        self, name: str, *, version: int = 1, org_scoped: bool = True, authenticated: bool = True
    ) -> Callable[[Callable[[RequestContext, InT], Awaitable[OutT]]], Callable[[RequestContext, InT], Awaitable[OutT]]]:
        """A procedure that reads: no Idempotency-Key."""
        return self._declare(
            name, version, mutates=False, idempotent=False, org_scoped=org_scoped, authenticated=authenticated
        )

    def mutation(
        self,
        name: str,
        *,
        version: int = 1,
        org_scoped: bool = True,
        authenticated: bool = True,
        idempotent: bool = True,
        file: bool = False,
    ) -> Callable[[Callable[[RequestContext, InT], Awaitable[OutT]]], Callable[[RequestContext, InT], Awaitable[OutT]]]:
        """A procedure that changes data: it needs an Idempotency-Key, and a replay returns the first answer.

        `idempotent=False` is only for anonymous procedures whose answer must never be replayed to
        another caller (a login returns a fresh session token). `file=True`: the procedure takes
        `multipart/form-data` with its input and one file, which the handler finds in `ctx.upload`.
        """
        if idempotent and not authenticated:
            raise ValueError("anonymous mutations cannot be replayed safely: declare idempotent=False")
        return self._declare(
            name,
            version,
            mutates=True,
            idempotent=idempotent,
            org_scoped=org_scoped,
            authenticated=authenticated,
            accepts_file=file,
        )

    def _declare(
        self,
        name: str,
        version: int,
        *,
        mutates: bool,
        idempotent: bool,
        org_scoped: bool,
        authenticated: bool,
        accepts_file: bool = False,
    ) -> Callable[[Callable[[RequestContext, InT], Awaitable[OutT]]], Callable[[RequestContext, InT], Awaitable[OutT]]]:
        _check_segments(name, "procedure")
        if version < 1:
            raise ValueError("versions start at 1")
        if org_scoped and not authenticated:
            raise ValueError("an org-scoped procedure must be authenticated")

        def register(
            fn: Callable[[RequestContext, InT], Awaitable[OutT]],
        ) -> Callable[[RequestContext, InT], Awaitable[OutT]]:
            hints = get_type_hints(fn)
            params = list(inspect.signature(fn).parameters)
            if len(params) != 2:
                raise TypeError(f"{fn.__qualname__}: a procedure takes (ctx, data)")
            input_model, output_model = hints.get(params[1]), hints.get("return")
            for model in (input_model, output_model):
                if not (isinstance(model, type) and issubclass(model, BaseModel)):
                    raise TypeError(f"{fn.__qualname__}: input and output must be Pydantic models")
            assert isinstance(input_model, type)
            assert isinstance(output_model, type)
            self.procedures.append(
                Procedure(
                    namespace=self.namespace,
                    version=version,
                    name=name,
                    handler=fn,
                    input_model=input_model,
                    output_model=output_model,
                    mutates=mutates,
                    org_scoped=org_scoped,
                    authenticated=authenticated,
                    idempotent=idempotent,
                    tags=self.tags,
                    accepts_file=accepts_file,
                )
            )
            return fn

        return register


class ProcedureRegistry:
    """Every procedure the service answers, by path."""

    def __init__(self) -> None:
        self._by_path: dict[str, Procedure] = {}

    def include(self, router: ProcedureRouter) -> None:
        for procedure in router.procedures:
            if procedure.path in self._by_path:
                raise ValueError(f"procedure {procedure.path} is declared twice")
            self._by_path[procedure.path] = procedure

    def get(self, path: str) -> Procedure | None:
        return self._by_path.get(path)

    def __iter__(self) -> Iterator[Procedure]:
        return iter(sorted(self._by_path.values(), key=lambda p: p.path))

    def __len__(self) -> int:
        return len(self._by_path)
