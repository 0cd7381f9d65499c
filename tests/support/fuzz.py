"""Request bodies from the OpenAPI input schemas, and the malformed variants every procedure must refuse.

`Schemas.body(schema)` is a Hypothesis strategy for a body shaped like the schema (mostly valid: ids come from a
pool of real records so calls get past "not found"); `Schemas.places(body, schema)` lists every place in a body
with the schema that governs it, which the mutations in `tests/core/test_input_fuzz.py` pick from. Only the
JSON-Schema subset Pydantic emits is understood: `$ref`, `anyOf`, `enum`/`const`, the scalar types with their
bounds, formats (`uuid`, `date`, `date-time`) and patterns, arrays, objects with `properties`/`required`, and
maps (`additionalProperties` with `propertyNames`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import strategies as st

Schema = dict[str, Any]
Path = tuple[str | int, ...]

# Printable text only: the malformed variants add the unstorable characters themselves, where they are expected.
TEXT = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn"))
_PLACEHOLDER = "\x1ffuzz-raw\x1f"


@dataclass(frozen=True)
class Place:
    """One value of a body, where it is, and the schema it must satisfy (with `anyOf` still whole)."""

    path: Path
    schema: Schema
    value: Any


def pointer(path: Path) -> str:
    """The `field` the API names for `path`: `/lines/0/memo`; unprintable characters as `\\uXXXX`."""
    return "".join("/" + _printable(str(part)) for part in path)


def _printable(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" if c == "\x00" or 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


def replaced(body: Any, path: Path, value: Any) -> Any:
    """A copy of `body` with the value at `path` replaced."""
    if not path:
        return value
    copy = json.loads(json.dumps(body))
    node = copy
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return copy


def renamed_key(body: Any, path: Path, old: str, new: str) -> Any:
    """A copy of `body` whose object at `path` has key `old` renamed to `new` (order kept)."""
    copy = json.loads(json.dumps(body))
    node = copy
    for part in path:
        node = node[part]
    items = list(node.items())
    node.clear()
    node.update((new if key == old else key, value) for key, value in items)
    return copy


def with_raw(body: Any, path: Path, raw: str) -> str:
    """`body` as JSON text with the value at `path` replaced by `raw` JSON text (which may be no valid JSON
    value at all: a 200-digit number, `NaN`, 5000 brackets)."""
    return encode(replaced(body, path, _PLACEHOLDER)).replace(json.dumps(_PLACEHOLDER), raw, 1)


def encode(body: Any) -> str:
    """JSON text, `\\uXXXX`-escaping everything non-ASCII, so unpaired surrogates travel as escapes."""
    return json.dumps(body, ensure_ascii=True)


class Schemas:
    """The component schemas of one OpenAPI document."""

    def __init__(self, document: dict[str, Any], ids: Sequence[str]) -> None:
        self.components: dict[str, Schema] = document["components"]["schemas"]
        self.ids = list(ids)

    def resolve(self, schema: Schema) -> Schema:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def members(self, schema: Schema) -> list[Schema]:
        """The alternatives of a schema, each resolved (one for a schema without `anyOf`)."""
        schema = self.resolve(schema)
        if "anyOf" in schema:
            return [m for member in schema["anyOf"] for m in self.members(member)]
        return [schema]

    def json_types(self, schema: Schema) -> set[str]:
        """The JSON types a value may have here (empty: anything)."""
        found: set[str] = set()
        for member in self.members(schema):
            if "const" in member or "enum" in member:
                values = [member["const"]] if "const" in member else member["enum"]
                found |= {_json_type(v) for v in values}
            elif isinstance(member.get("type"), str):
                found.add(member["type"])
                if member["type"] == "integer":
                    found.add("number")
            else:
                return set()
        return found

    # --- bodies -------------------------------------------------------------------------------------------

    def body(self, schema: Schema) -> st.SearchStrategy[Any]:
        return self._strategy(schema)

    def _strategy(self, schema: Schema) -> st.SearchStrategy[Any]:
        schema = self.resolve(schema)
        if "const" in schema:
            return st.just(schema["const"])
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        if "anyOf" in schema:
            return st.one_of([self._strategy(member) for member in schema["anyOf"]])
        kind = schema.get("type")
        if kind == "object":
            return self._object(schema)
        if kind == "array":
            return self._array(schema)
        if kind == "string":
            return self._string(schema)
        if kind in ("integer", "number"):
            return _number(schema, integer=kind == "integer")
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        return st.just({})

    def _object(self, schema: Schema) -> st.SearchStrategy[Any]:
        properties: dict[str, Schema] = schema.get("properties", {})
        if properties or not isinstance(schema.get("additionalProperties"), dict):
            required = set(schema.get("required", []))
            return st.fixed_dictionaries(
                {name: self._strategy(sub) for name, sub in properties.items() if name in required},
                optional={name: self._strategy(sub) for name, sub in properties.items() if name not in required},
            )
        keys = schema.get("propertyNames")
        # property names are strings whether or not their schema says so (pydantic leaves out `"type"`)
        key_strategy = self._strategy({"type": "string", **keys}) if keys else st.text(TEXT, min_size=1, max_size=8)
        return st.dictionaries(key_strategy, self._strategy(schema["additionalProperties"]), max_size=3)

    def _array(self, schema: Schema) -> st.SearchStrategy[Any]:
        low = schema.get("minItems", 0)
        high = min(schema.get("maxItems", 3), max(low, 3))
        return st.lists(self._strategy(schema.get("items", {})), min_size=low, max_size=high)

    def _string(self, schema: Schema) -> st.SearchStrategy[str]:
        fmt = schema.get("format")
        if fmt == "uuid":
            return st.sampled_from(self.ids) | st.uuids().map(str)
        if fmt == "date":
            return st.dates(date(2020, 1, 1), date(2030, 12, 31)).map(date.isoformat)
        if fmt == "date-time":
            moments = st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC))
            return moments.map(datetime.isoformat)
        low, high = schema.get("minLength", 0), schema.get("maxLength", 10_000)
        if "pattern" in schema:
            text = st.from_regex(schema["pattern"], fullmatch=True, alphabet=TEXT)
            return text.filter(lambda s: low <= len(s) <= high)
        return st.text(TEXT, min_size=low, max_size=max(low, min(high, 24)))

    # --- places -------------------------------------------------------------------------------------------

    def places(self, body: Any, schema: Schema, path: Path = ()) -> Iterator[Place]:
        """Every value of `body`, the body itself first, each with its governing schema."""
        yield Place(path, schema, body)
        member = self._member_for(body, schema)
        if isinstance(body, dict):
            properties = member.get("properties", {})
            extra = member.get("additionalProperties")
            for key, value in body.items():
                sub = properties.get(key, extra if isinstance(extra, dict) else {})
                yield from self.places(value, sub, (*path, key))
        elif isinstance(body, list):
            for index, value in enumerate(body):
                yield from self.places(value, member.get("items", {}), (*path, index))

    def _member_for(self, value: Any, schema: Schema) -> Schema:
        """The alternative of `schema` that `value` takes (by JSON type)."""
        kind = _json_type(value)
        for member in self.members(schema):
            if member.get("type") == kind or (kind == "integer" and member.get("type") == "number"):
                return member
        return self.resolve(schema)

    def refuses_blank(self, schema: Schema) -> bool:
        """Whether text made only of whitespace is invalid here by the schema: a string with `minLength` ≥ 1
        (required text is trimmed, then measured), a pattern, a format or a fixed set of values."""
        strings = [m for m in self.members(schema) if m.get("type") == "string" or "enum" in m or "const" in m]
        if not strings or len(strings) != len([m for m in self.members(schema) if m.get("type") != "null"]):
            return False
        return all(
            m.get("minLength", 0) >= 1 or "pattern" in m or "format" in m or "enum" in m or "const" in m
            for m in strings
        )

    def takes_numbers(self, schema: Schema) -> bool:
        return bool({"integer", "number"} & {m.get("type") for m in self.members(schema)})

    def forbids_unknown(self, schema: Schema) -> bool:
        return any(m.get("type") == "object" and m.get("additionalProperties") is False for m in self.members(schema))


def _number(schema: Schema, *, integer: bool) -> st.SearchStrategy[Any]:
    low = schema.get("minimum", schema.get("exclusiveMinimum", -1_000_000))
    high = schema.get("maximum", schema.get("exclusiveMaximum", 1_000_000))
    whole = st.integers(int(low) + (1 if "exclusiveMinimum" in schema else 0), int(high))
    if integer:
        return whole
    cents = st.integers(int(low * 100) + 1, int(high * 100) - 1).map(lambda c: c / 100)
    return whole | cents


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
