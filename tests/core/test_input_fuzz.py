"""Fuzzing every procedure of the product through its OpenAPI input schema (issue 11, defect 2).

For each procedure Hypothesis draws a body shaped like its input schema, then sends it as is and in malformed
variants, each at a place of the body it picks: a NUL or an unpaired surrogate in a string or an object key,
nesting thousands deep, whitespace-only text where the schema wants text, numbers far out of range (and ones JSON
cannot carry), a value of the wrong type, an unknown field. Every answer must be an envelope and never a 5xx;
every malformed variant must be 400 `VALIDATION_FAILED` naming the place it was made at.

The caller is a real account, ADMIN of its own organization with an association, property and unit whose ids the
bodies use, so org-scoped procedures are reached past authentication (a contractor's procedures, in a SERVICE_PROVIDER
organization of the same ADMIN with a contractor profile); mutations carry an `Idempotency-Key`. The
procedure list is the product's registry, so a new procedure is fuzzed without editing this file. Bounded: a few
examples per procedure, no shrinking (the failing body is in the assertion message).
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from hestami.app import build_registry, domain_routers
from hestami.core.rpc.body import MAX_DEPTH
from hestami.core.rpc.procedure import Procedure
from tests.support.accounts import Account, account, login, organization, rpc
from tests.support.fuzz import Place, Schemas, encode, pointer, renamed_key, replaced, with_raw
from tests.support.rpc import SAMPLE_PDF, ok

pytestmark = pytest.mark.filterwarnings(
    "ignore:Do not use the `random` module inside strategies:hypothesis.errors.HypothesisDeprecationWarning"
)

PRODUCT = build_registry(domain_routers())
REQUESTS_PER_CALLER = 500  # with the checks after each success, well below the per-user budget (1200 a minute)
UNKNOWN = "zz_unknown_field"
ADDRESS = {"line1": "1 Fuzz Way", "city": "Austin", "state": "TX", "postal_code": "78701"}
ERROR_KEYS = {"code", "type", "http_status", "message", "details", "field_errors", "retryable"}
IN_PROVIDER_ORG = ("contractor/", "technician/", "pricebook/", "job/", "customer/", "dispatch/")
"""Namespaces of procedures that act in a contractor's (SERVICE_PROVIDER) organization: sent there."""

EXAMPLES = settings(
    max_examples=int(os.environ.get("HESTAMI_FUZZ_EXAMPLES", "2")),  # raise it for a longer hunt
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@dataclass
class Caller:
    """Who sends the fuzz: renewed when a procedure ended its session, organization or ADMIN role (logout,
    delete, setMemberRoles), and before the per-user API budget runs out."""

    http: httpx.AsyncClient
    admin: Account | None = None
    org: str = ""
    ids: list[str] = field(default_factory=list)
    sent: int = 0
    provider_org: str = ""
    """A SERVICE_PROVIDER organization of the same ADMIN, with a contractor profile: where the procedures of
    `IN_PROVIDER_ORG` are sent (they act in a contractor's organization)."""

    async def renew(self) -> None:
        """A new account (and organization)."""
        self.admin = await account(self.http)
        await self._new_organization()

    async def _new_organization(self) -> None:
        assert self.admin is not None
        self.org = str((await organization(self.http, self.admin, name="Fuzz Org"))["id"])
        association = await ok(self.http, self.admin, self.org, "association/v1/create", {"name": "Fuzz HOA"})
        place = {"association_id": association["id"], "name": "Fuzz Place", "address": ADDRESS}
        property_ = await ok(self.http, self.admin, self.org, "property/v1/create", place)
        unit = {"property_id": property_["id"], "unit_number": "1", "unit_type": "CONDO"}
        unit_id = (await ok(self.http, self.admin, self.org, "unit/v1/create", unit))["id"]
        self.ids = [self.org, str(self.admin.user_id), association["id"], property_["id"], unit_id]
        self.sent = 0
        contractor = await organization(self.http, self.admin, "Fuzz Plumbing", "SERVICE_PROVIDER")
        self.provider_org = str(contractor["id"])
        profile = {"legal_name": "Fuzz Plumbing LLC", "trades": ["PLUMBING"]}
        await ok(self.http, self.admin, self.provider_org, "contractor/profile/v1/upsert", profile)

    def org_for(self, procedure: Procedure) -> str:
        return self.provider_org if procedure.path.startswith(IN_PROVIDER_ORG) else self.org

    async def send(self, procedure: Procedure, content: str) -> httpx.Response:
        assert self.admin is not None
        if self.sent >= REQUESTS_PER_CALLER:
            await self.renew()
        self.sent += 1
        headers = {} if procedure.accepts_file else {"Content-Type": "application/json"}
        if procedure.authenticated:
            headers.update(self.admin.headers(self.org_for(procedure) if procedure.org_scoped else None))
        if procedure.accepts_file:  # multipart/form-data: the fuzzed JSON is the `input` part, next to a real file
            parts = {
                "input": (None, content.encode(), "application/json"),
                "file": ("sample.pdf", SAMPLE_PDF, "application/pdf"),
            }
            response = await self.http.post(rpc(procedure.path), files=parts, headers=headers)
        else:
            response = await self.http.post(rpc(procedure.path), content=content.encode(), headers=headers)
        if response.status_code == 200 and procedure.mutates and procedure.authenticated:
            await self._restore()
        return response

    async def _restore(self) -> None:
        """After a success that may have ended the session (log in again) or the organization or the ADMIN role
        (a new organization)."""
        assert self.admin is not None
        if (await self._current()).status_code == 401:
            logged_in = await login(self.http, self.admin.email, self.admin.password)
            assert logged_in.status_code == 200, logged_in.text
            self.admin.token = logged_in.json()["data"]["token"]
        current = await self._current()
        if current.status_code != 200 or "ADMIN" not in current.json()["data"]["roles"]:
            await self._new_organization()

    async def _current(self) -> httpx.Response:
        assert self.admin is not None
        return await self.http.post(rpc("organization/v1/current"), json={}, headers=self.admin.headers(self.org))


@pytest.fixture(scope="module")
async def caller(app: FastAPI) -> AsyncIterator[Caller]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        fuzzer = Caller(http)
        await fuzzer.renew()
        yield fuzzer


@pytest.fixture(scope="module")
def document(app: FastAPI) -> dict[str, Any]:
    return app.openapi()


def input_schema(document: dict[str, Any], procedure: Procedure) -> dict[str, Any]:
    """The JSON input's schema: the body's, or for a procedure that takes a file, its multipart `input` part's."""
    content = document["paths"][f"/api/v1/rpc/{procedure.path}"]["post"]["requestBody"]["content"]
    if procedure.accepts_file:
        schema: dict[str, Any] = content["multipart/form-data"]["schema"]["properties"]["input"]["contentSchema"]
    else:
        schema = content["application/json"]["schema"]
    return schema


def test_every_procedure_of_the_app_is_fuzzed(app: FastAPI) -> None:
    served = {p.path for p in app.state.registry if not p.namespace.startswith("test")}
    assert served == {p.path for p in PRODUCT}


def test_every_input_object_refuses_unknown_fields(document: dict[str, Any]) -> None:
    """Unknown fields are refused, never ignored, at every level (maps declare their value type instead)."""
    schemas = Schemas(document, [])
    lenient = set()
    for procedure in PRODUCT:
        pending = [input_schema(document, procedure)]
        while pending:
            for member in schemas.members(pending.pop()):
                if member.get("type") == "object":
                    extra = member.get("additionalProperties")
                    if extra is not False and not isinstance(extra, dict):
                        lenient.add(member.get("title", procedure.path))
                    pending.extend(member.get("properties", {}).values())
                    if isinstance(extra, dict):
                        pending.append(extra)
                elif member.get("type") == "array":
                    pending.append(member.get("items", {}))
    assert not lenient, f"input objects that ignore unknown fields: {sorted(lenient)}"


def text_places(schemas: Schemas, schema: dict[str, Any], path: tuple[str | int, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place where the schema wants free text (a string with `minLength` ≥ 1 and no pattern, format or
    fixed values), through objects, arrays (index 0) and maps (their first allowed key)."""
    found: list[tuple[Any, ...]] = []
    for member in schemas.members(schema):
        if member.get("type") == "string" and member.get("minLength", 0) >= 1:
            if not {"pattern", "format", "enum", "const"} & set(member):
                found.append(path)
        elif member.get("type") == "object" and len(path) < 8:
            for name, sub in member.get("properties", {}).items():
                found += text_places(schemas, sub, (*path, name))
            extra = member.get("additionalProperties")
            if isinstance(extra, dict):
                keys = schemas.members(member.get("propertyNames", {}))
                key = keys[0]["enum"][0] if keys and "enum" in keys[0] else "k"
                found += text_places(schemas, extra, (*path, key))
        elif member.get("type") == "array" and len(path) < 8:
            found += text_places(schemas, member.get("items", {}), (*path, 0))
    return found


def skeleton(path: tuple[str | int, ...], value: Any) -> Any:
    """The smallest body holding `value` at `path` (other fields missing)."""
    for part in reversed(path):
        value = [value] if isinstance(part, int) else {part: value}
    return value


def test_every_required_text_refuses_whitespace_only(document: dict[str, Any]) -> None:
    """Names, titles, numbers, descriptions and passwords that must be given cannot be given as blanks: every
    string the schema requires to be non-empty refuses whitespace alone, at its own field (checked on the input
    models directly, for every place of every procedure, so it holds where the fuzz does not happen to look)."""
    schemas = Schemas(document, [])
    accepted = []
    checked = 0
    for procedure in PRODUCT:
        for path in text_places(schemas, input_schema(document, procedure)):
            checked += 1
            try:
                procedure.input_model.model_validate(skeleton(path, " \t\u00a0 "))
            except ValidationError as exc:
                if any(tuple(e["loc"][: len(path)]) == path and e["type"] != "missing" for e in exc.errors()):
                    continue
            accepted.append(f"{procedure.path} {pointer(path)}")
    assert checked > 50
    assert not accepted, f"whitespace-only text accepted at: {accepted}"


# --- the fuzz ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    """A malformed body and the place its 400 must name."""

    kind: str
    content: str
    field: str


def unstorable(draw: st.DrawFn, places: list[Place], body: Any) -> Variant:
    bad = draw(st.sampled_from(["\u0000", "\ud800", "\udfff"]))
    strings = [p for p in places if isinstance(p.value, str)]
    objects = [p for p in places if isinstance(p.value, dict) and p.value]
    if strings and (not objects or draw(st.booleans())):
        place = draw(st.sampled_from(strings))
        at = draw(st.integers(0, len(place.value)))
        text = place.value[:at] + bad + place.value[at:]
        return Variant("unstorable", encode(replaced(body, place.path, text)), pointer(place.path))
    if objects:
        place = draw(st.sampled_from(objects))
        key = draw(st.sampled_from(sorted(place.value)))
        new_key = key + bad
        content = encode(renamed_key(body, place.path, key, new_key))
        return Variant("unstorable key", content, pointer((*place.path, new_key)))
    return Variant("unstorable", encode({"x" + bad: 1}), pointer(("x" + bad,)))


def too_deep(draw: st.DrawFn, places: list[Place], body: Any) -> Variant:
    place = draw(st.sampled_from(places))
    depth = draw(st.integers(MAX_DEPTH + 1, 5000))
    opening, closing = draw(st.sampled_from([("[", "]"), ('{"k":', "}")]))
    raw = opening * depth + "0" + closing * depth
    return Variant("deep", with_raw(body, place.path, raw), pointer(place.path))


def blank(draw: st.DrawFn, schemas: Schemas, places: list[Place], body: Any) -> Variant | None:
    candidates = [p for p in places if p.path and schemas.refuses_blank(p.schema)]
    if not candidates:
        return None
    place = draw(st.sampled_from(candidates))
    spaces = draw(st.sampled_from([" ", "   ", "\t \n", "\u00a0", " \u2003 "]))
    return Variant("blank", encode(replaced(body, place.path, spaces)), pointer(place.path))


def huge(draw: st.DrawFn, schemas: Schemas, places: list[Place], body: Any) -> Variant | None:
    candidates = [p for p in places if p.path and schemas.takes_numbers(p.schema)]
    if not candidates:
        return None
    place = draw(st.sampled_from(candidates))
    raw = draw(st.sampled_from(["1" + "0" * 30, "-1" + "0" * 30, "1e308", "9" * 200, "1e999", "-1e999", "NaN"]))
    return Variant("huge number", with_raw(body, place.path, raw), pointer(place.path))


def wrong_type(draw: st.DrawFn, schemas: Schemas, places: list[Place], body: Any) -> Variant | None:
    candidates = [p for p in places if schemas.json_types(p.schema)]
    if not candidates:
        return None
    place = draw(st.sampled_from(candidates))
    allowed = schemas.json_types(place.schema)
    wrong: Any = {"wrong": True} if "object" not in allowed else 7 if "number" not in allowed else "wrong"
    return Variant("wrong type", encode(replaced(body, place.path, wrong)), pointer(place.path))


def unknown_field(draw: st.DrawFn, schemas: Schemas, places: list[Place], body: Any) -> Variant | None:
    candidates = [p for p in places if isinstance(p.value, dict) and schemas.forbids_unknown(p.schema)]
    if not candidates:
        return None
    place = draw(st.sampled_from(candidates))
    value = {**place.value, UNKNOWN: 1}
    return Variant("unknown field", encode(replaced(body, place.path, value)), pointer((*place.path, UNKNOWN)))


def answer(response: httpx.Response, path: str, content: str) -> dict[str, Any]:
    """The envelope of any answer, checked: never a 5xx, `ok` with `data` or `error` with the SRD keys."""
    where = f"{path} {response.status_code} for {content[:600]!r}: {response.text[:600]}"
    assert response.status_code < 500, where
    payload: dict[str, Any] = response.json()
    assert payload["ok"] is (response.status_code == 200), where
    if payload["ok"]:
        assert "data" in payload, where
    else:
        assert set(payload["error"]) == ERROR_KEYS, where
        assert payload["error"]["http_status"] == response.status_code, where
    return payload


@pytest.mark.parametrize("path", [p.path for p in PRODUCT])
@EXAMPLES
@given(data=st.data())
async def test_no_input_gives_a_5xx_and_malformed_input_is_refused_by_field(
    caller: Caller, document: dict[str, Any], path: str, data: st.DataObject
) -> None:
    procedure = PRODUCT.get(path)
    assert procedure is not None
    schemas = Schemas(document, caller.ids)
    schema = input_schema(document, procedure)
    body = data.draw(schemas.body(schema), label="body")
    places = list(schemas.places(body, schema))

    content = encode(body)
    answer(await caller.send(procedure, content), path, content)

    draw = data.draw
    variants = [
        unstorable(draw, places, body),
        too_deep(draw, places, body),
        blank(draw, schemas, places, body),
        huge(draw, schemas, places, body),
        wrong_type(draw, schemas, places, body),
        unknown_field(draw, schemas, places, body),
    ]
    for variant in variants:
        if variant is None:
            continue
        payload = answer(await caller.send(procedure, variant.content), path, variant.content)
        where = f"{path} {variant.kind} at {variant.field!r}: {variant.content[:600]!r} → {json.dumps(payload)[:800]}"
        assert payload["ok"] is False, where
        assert payload["error"]["code"] == "VALIDATION_FAILED", where
        named = [f["field"] for f in payload["error"]["field_errors"]]
        assert any(f == variant.field or f.startswith(variant.field + "/") for f in named), where
