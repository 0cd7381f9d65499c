"""Declaring procedures: names, versions, scope rules and the registry."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from hestami.core.context import RequestContext
from hestami.core.rpc import Empty, ProcedureRegistry, ProcedureRouter


class Out(BaseModel):
    value: int


def test_path_and_operation_id_follow_the_contract() -> None:
    router = ProcedureRouter("accounting/journalEntry")

    @router.mutation("post", version=2)
    async def post(ctx: RequestContext, data: Empty) -> Out:
        """Post a journal entry."""
        return Out(value=1)

    (procedure,) = router.procedures
    assert procedure.path == "accounting/journalEntry/v2/post"
    assert procedure.operation_id == "accounting.journalEntry.v2.post"
    assert procedure.requires_idempotency_key
    assert procedure.org_scoped
    assert procedure.authenticated
    assert procedure.summary == "Post a journal entry."


def test_names_must_be_camel_case() -> None:
    with pytest.raises(ValueError, match="camelCase"):
        ProcedureRouter("work_order")
    router = ProcedureRouter("workOrder")
    with pytest.raises(ValueError, match="camelCase"):
        router.query("Get")


def test_anonymous_mutations_must_opt_out_of_replay() -> None:
    router = ProcedureRouter("auth")
    with pytest.raises(ValueError, match="idempotent=False"):
        router.mutation("login", authenticated=False, org_scoped=False)
    router.mutation("login", authenticated=False, org_scoped=False, idempotent=False)


def test_org_scoped_procedures_must_be_authenticated() -> None:
    with pytest.raises(ValueError, match="authenticated"):
        ProcedureRouter("thing").query("get", authenticated=False)


def test_handlers_must_declare_pydantic_models() -> None:
    router = ProcedureRouter("thing")
    with pytest.raises(TypeError, match="Pydantic"):

        @router.query("get")
        async def get(ctx: RequestContext, data: dict) -> Out:  # type: ignore[type-arg]
            return Out(value=1)


def test_a_path_is_declared_once() -> None:
    first, second = ProcedureRouter("thing"), ProcedureRouter("thing")
    for router in (first, second):

        @router.query("get")
        async def get(ctx: RequestContext, data: Empty) -> Out:
            return Out(value=1)

    registry = ProcedureRegistry()
    registry.include(first)
    with pytest.raises(ValueError, match="declared twice"):
        registry.include(second)
