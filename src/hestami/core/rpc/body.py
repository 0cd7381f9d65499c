"""Reading a request body into JSON values that every later layer can take, or a `VALIDATION_FAILED` naming the field.

Pydantic checks each procedure's own rules; what is refused here holds for every procedure at once, because the
layers below would otherwise fail with a crash instead of an answer:

- nesting deeper than `MAX_DEPTH` (the parser and anything recursive would run out of stack);
- text Postgres cannot store or the driver cannot encode: NUL (`\\u0000`) and unpaired UTF-16 surrogates, in any
  string, object key included, at any depth;
- numbers with more than `MAX_NUMBER_DIGITS` digits, beyond the float range, or `NaN`/`Infinity` (not JSON).

Each refusal names the offending place as a JSON-pointer-like `field` (`/lines/3/memo`; the body itself is `""`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from itertools import accumulate, islice
from typing import Any

from starlette.requests import Request

from hestami.core.errors import ErrorCode, FieldError, HestamiError

MAX_DEPTH = 32
"""Objects and arrays inside one another; every input model of the platform is far shallower."""

MAX_NUMBER_DIGITS = 100
"""Longer integer literals are refused before Python converts them (no platform number comes near)."""

MAX_FIELD_ERRORS = 20

# A string runs to its closing quote or, unterminated, to the end of the text: a match that starts at a quote
# never fails, so no quote inside a string is ever tried as the start of another (which would be quadratic).
_STRING_PATTERN = r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)'
_STRING = re.compile(_STRING_PATTERN, re.DOTALL)
_TOKEN = re.compile(_STRING_PATTERN + r"|[\[\]{},]", re.DOTALL)
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_MAY_HOLD_UNSTORABLE = re.compile(r"\\u(?:0000|[dD][89abcdefABCDEF])|[\ud800-\udfff]")


class _Refused:
    """Stands in for a number the parser met but no layer can take; the walk reports where it sits."""

    __slots__ = ("code", "message")

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message


_TOO_MANY_DIGITS = _Refused("number_too_large", f"Numbers may have at most {MAX_NUMBER_DIGITS} digits.")
_NOT_FINITE = _Refused("number_not_finite", "Numbers must be finite: no NaN, Infinity or out-of-range exponents.")


async def read_limited(request: Request, max_bytes: int) -> bytes:
    """The whole body, or VALIDATION_FAILED as soon as it is longer than `max_bytes` (announced or sent)."""
    announced = request.headers.get("content-length", "")
    if announced.isdigit() and int(announced) > max_bytes:
        raise _body_too_large(max_bytes)
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > max_bytes:
            raise _body_too_large(max_bytes)
    return bytes(received)


def _body_too_large(max_bytes: int) -> HestamiError:
    message = f"The request body is larger than {max_bytes} bytes; send files as multipart uploads."
    return HestamiError(
        ErrorCode.VALIDATION_FAILED,
        message,
        details={"max_bytes": max_bytes},
        field_errors=[FieldError("", message, "body_too_large")],
    )


def parse_body(body: bytes) -> Any:
    """The request's JSON value (`{}` for an empty body), refusing what no procedure can take."""
    text = _decode(body)
    if not text.strip():
        return {}
    _refuse_deep_nesting(text)
    refused: list[_Refused] = []
    value = _loads(text, refused)
    if refused or _MAY_HOLD_UNSTORABLE.search(text):
        problems = list(islice(_problems(value), MAX_FIELD_ERRORS))
        if problems:
            raise HestamiError(ErrorCode.VALIDATION_FAILED, field_errors=problems)
    return value


def _decode(body: bytes) -> str:
    """Decoded as `json.loads` decodes bytes (UTF-8, -16 or -32, detected), unpaired surrogates kept for the walk."""
    try:
        return body.decode(json.detect_encoding(body), "surrogatepass")
    except UnicodeDecodeError as exc:
        raise _invalid(f"Invalid JSON: {exc}") from None


def _invalid(message: str) -> HestamiError:
    return HestamiError(
        ErrorCode.VALIDATION_FAILED,
        "The request body is not valid JSON.",
        field_errors=[FieldError("", message, "json_invalid")],
    )


def _loads(text: str, refused: list[_Refused]) -> Any:
    def integer(literal: str) -> int | _Refused:
        if len(literal.lstrip("-")) > MAX_NUMBER_DIGITS:
            refused.append(_TOO_MANY_DIGITS)
            return _TOO_MANY_DIGITS
        return int(literal)

    def real(literal: str) -> float | _Refused:
        number = float(literal)
        if not math.isfinite(number):
            refused.append(_NOT_FINITE)
            return _NOT_FINITE
        return number

    def constant(literal: str) -> _Refused:
        refused.append(_NOT_FINITE)
        return _NOT_FINITE

    try:
        return json.loads(text, parse_int=integer, parse_float=real, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise _invalid(f"Invalid JSON: {exc}") from None
    except RecursionError:  # unreachable after the depth check; kept so the parser can never crash a request
        raise _too_deep("") from None


# --- nesting ----------------------------------------------------------------------------------------------


def _refuse_deep_nesting(text: str) -> None:
    """Counts brackets outside strings (fast, in C); only a body that is too deep is walked token by token to
    name the place, so an attack costs one linear scan."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    brackets = [c for c in _STRING.sub("", text) if c in _DEPTH_STEP]
    if max(accumulate(_DEPTH_STEP[c] for c in brackets), default=0) > MAX_DEPTH:
        raise _too_deep(_deepest_place(text))


def _too_deep(field: str) -> HestamiError:
    message = f"JSON nested deeper than {MAX_DEPTH} levels."
    errors = [FieldError(field, message, "json_too_deep")]
    return HestamiError(ErrorCode.VALIDATION_FAILED, message, field_errors=errors)


def _deepest_place(text: str) -> str:
    """The pointer of the first object or array that opens beyond `MAX_DEPTH`."""
    stack: list[list[Any]] = []  # per open container: [kind, key or index, expecting a key]
    for match in _TOKEN.finditer(text):
        piece = match.group()
        if piece in ("[", "{"):
            if len(stack) == MAX_DEPTH:
                return _pointer(frame[1] for frame in stack)
            stack.append(["[", 0, False] if piece == "[" else ["{", "", True])
        elif piece in ("]", "}"):
            if stack:
                stack.pop()
        elif piece == ",":
            if stack and stack[-1][0] == "[":
                stack[-1][1] += 1
            elif stack:
                stack[-1][2] = True
        elif stack and stack[-1][0] == "{" and stack[-1][2]:
            stack[-1][1], stack[-1][2] = _key(piece), False
    return ""


def _key(token: str) -> str:
    try:
        return str(json.loads(token))
    except ValueError:
        return token.strip('"')


# --- strings and numbers ----------------------------------------------------------------------------------


def _problems(value: Any) -> Iterator[FieldError]:
    """Every unstorable string (values and keys) and refused number, depth first, in document order."""
    pending: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while pending:
        node, path = pending.pop()
        if isinstance(node, str):
            if _UNSTORABLE.search(node):
                yield _unstorable(path)
        elif isinstance(node, _Refused):
            yield FieldError(_pointer(path), node.message, node.code)
        elif isinstance(node, dict):
            for key in node:
                if _UNSTORABLE.search(key):
                    yield _unstorable((*path, key))
            pending.extend((item, (*path, key)) for key, item in reversed(node.items()))
        elif isinstance(node, list):
            pending.extend((item, (*path, index)) for index, item in reversed(list(enumerate(node))))


def _unstorable(path: tuple[str | int, ...]) -> FieldError:
    return FieldError(
        _pointer(path),
        "Text may not contain NUL (\\u0000) or unpaired UTF-16 surrogates.",
        "string_unstorable_character",
    )


def _pointer(path: Iterator[str | int] | tuple[str | int, ...]) -> str:
    """`/a/0/b`, with characters that cannot be shown written as `\\uXXXX`."""
    return "".join(f"/{_printable(part)}" for part in path)


def _printable(part: str | int) -> str:
    return _UNSTORABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(part))
