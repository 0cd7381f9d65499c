"""Pure rules of communications: templates in Jinja's sandbox, the variables they may use, and which channel (if
any) reaches one person given their preferences.

Templates are Jinja text rendered in `SandboxedEnvironment` (no attribute access to Python internals, no imports)
with `StrictUndefined` (a variable without a value fails the render instead of printing nothing). A template may use
the system variables below and the custom variables it declares; the system variables `balance` and
`days_past_due` exist only for an audience of delinquent units.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from hestami.cam.communications.errors import CommunicationError, CommunicationReason, invalid, rule

CATEGORIES = ("GENERAL", "NEWSLETTER", "ANNOUNCEMENT", "EVENT", "MAINTENANCE", "DELINQUENCY", "MEETING", "EMERGENCY")
REQUIRED_CATEGORIES = frozenset({"DELINQUENCY", "MEETING", "EMERGENCY"})
"""Official notices: an owner cannot opt out of them; one who turned a channel off gets them on paper."""
TEMPLATE_CHANNELS = ("EMAIL", "SMS", "LETTER")
AUDIENCES = ("ALL_OWNERS", "PROPERTY", "DELINQUENT", "BOARD", "VENDORS", "CUSTOM")

SYSTEM_VARIABLES: dict[str, str] = {
    "recipient_name": "the person's name",
    "association_name": "the association's name",
    "unit_numbers": "the person's units in the audience, comma separated (empty for the board and vendors)",
    "today": "the date of sending",
    "balance": "the past-due balance of the person's units (delinquent audience only)",
    "days_past_due": "days since the oldest open charge of the person's units was due (delinquent audience only)",
}
DELINQUENCY_VARIABLES = frozenset({"balance", "days_past_due"})
SAMPLE: dict[str, Any] = {
    "recipient_name": "Olivia Owner",
    "association_name": "Sunset Ridge Homeowners Association",
    "unit_numbers": "104",
    "today": date(2026, 11, 2).isoformat(),
    "balance": "412.50",
    "days_past_due": 45,
}
SMS_LIMIT = 1600
BODY_LIMIT = 100_000
RENDERED_LIMIT = 200_000
INT_BITS = 4096
"""The largest number a template may compute (in bits): arithmetic beyond it is refused, not computed."""
CUSTOM_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox with small arithmetic only: no repeating text (`"ab" * n`), no string formatting (`%`), numbers
    of at most `INT_BITS` (a template cannot make megabytes out of a word)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str):
            raise SecurityError("string formatting is not available")  # "%100000000d" % 1
        if operator == "**" and (abs(right) > 64 if isinstance(right, int | float) else True):
            raise SecurityError("exponent too large")
        if operator == "**" and isinstance(left, int) and left.bit_length() * abs(right) > INT_BITS:
            raise SecurityError("result too large")  # `9 ** 64 ** 64 ** 64` is ((9 ** 64) ** 64) ** 64
        numbers = isinstance(left, int) and isinstance(right, int)
        if operator == "*" and numbers and left.bit_length() + right.bit_length() > INT_BITS:
            raise SecurityError("result too large")
        if operator == "*" and (isinstance(left, str | list | tuple) or isinstance(right, str | list | tuple)):
            raise SecurityError("repeating text is not available")
        return super().call_binop(context, operator, left, right)


SAFE_FILTERS = frozenset({
    "abs", "capitalize", "count", "d", "default", "e", "escape", "first", "float", "int", "last", "length", "lower",
    "round", "string", "striptags", "title", "trim", "truncate", "upper", "wordcount",
})  # fmt: skip
"""Filters whose output is never much larger than their input (no `center`, `format`, `replace`, `join`, ...)."""
ALLOWED_NODES = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Const, nodes.If, nodes.Filter, nodes.Test,
    nodes.Compare, nodes.Operand, nodes.And, nodes.Or, nodes.Not, nodes.CondExpr, nodes.Concat, nodes.Add, nodes.Sub,
    nodes.Mul, nodes.Div, nodes.FloorDiv, nodes.Mod, nodes.Pow, nodes.Neg, nodes.Pos, nodes.Getitem, nodes.Slice,
    nodes.Tuple, nodes.List, nodes.Keyword,
)  # fmt: skip
"""A template is text with variables, filters and `if`: no loops, macros, calls, assignments, attribute access or
includes, so rendering it costs at most a few times its length."""

_ENV = _Sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
_ENV.globals.clear()  # a template reads its variables only (no `range`, `lipsum`, `dict`, ...)
_ENV.filters = {name: f for name, f in _ENV.filters.items() if name in SAFE_FILTERS}


def _parsed(source: str) -> nodes.Template:
    """The template's syntax tree, refused (TEMPLATE_SYNTAX) when it is not Jinja or uses more than
    `ALLOWED_NODES` and `SAFE_FILTERS`."""
    try:
        tree = _ENV.parse(source)
    except TemplateSyntaxError as error:
        raise invalid(
            CommunicationReason.TEMPLATE_SYNTAX, f"Line {error.lineno}: {error.message}", line=error.lineno
        ) from error
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, ALLOWED_NODES) or (isinstance(node, nodes.Filter) and node.name not in SAFE_FILTERS):
            what = f"the filter {node.name}" if isinstance(node, nodes.Filter) else type(node).__name__.lower()
            raise invalid(
                CommunicationReason.TEMPLATE_SYNTAX,
                f"Line {node.lineno}: {what} is not available; templates use variables, filters "
                f"({', '.join(sorted(SAFE_FILTERS))}) and if / elif / else.",
                line=node.lineno,
            )
    return tree


_TEMPLATE_FAULTS = (TemplateError, ArithmeticError, LookupError, NameError, RecursionError, TypeError, ValueError)
"""What a template's own text can raise while rendering (a division by zero, endless recursion, ...)."""


def variables_used(source: str) -> set[str]:
    """The variables a template text uses (TEMPLATE_SYNTAX with the line for text Jinja cannot parse)."""
    return set(meta.find_undeclared_variables(_parsed(source)))


def check_template(channel: str, subject: str | None, body: str, custom: Iterable[str]) -> list[str]:
    """Validates a template version; answers the variables it uses, sorted. EMAIL needs a subject, SMS has none
    and at most 1,600 characters; every variable used is a system one or one of the declared `custom`."""
    declared = list(custom)
    bad = [name for name in declared if not CUSTOM_NAME.match(name) or name in SYSTEM_VARIABLES]
    if bad:
        raise invalid(CommunicationReason.UNKNOWN_VARIABLE, "Custom variables are new lower-case names.", names=bad)
    if channel == "EMAIL" and not (subject or "").strip():
        raise invalid(CommunicationReason.SUBJECT_REQUIRED, "An email template needs a subject.")
    if channel == "SMS" and subject:
        raise invalid(CommunicationReason.SUBJECT_REQUIRED, "A text message has no subject.")
    limit = SMS_LIMIT if channel == "SMS" else BODY_LIMIT
    if len(body) > limit:
        raise invalid(CommunicationReason.TOO_LONG, f"At most {limit} characters.", limit=limit)
    used = variables_used(body) | variables_used(subject or "")
    unknown = sorted(used - set(SYSTEM_VARIABLES) - set(declared))
    if unknown:
        raise invalid(
            CommunicationReason.UNKNOWN_VARIABLE,
            f"Unknown variables: {', '.join(unknown)}.",
            unknown=unknown,
            known=sorted({*SYSTEM_VARIABLES, *declared}),
        )
    return sorted(used)


def check_values(used: Iterable[str], custom: Iterable[str], values: Mapping[str, Any], audience: str) -> None:
    """A send supplies every declared custom variable (and no other), and uses the delinquency variables only for
    a delinquent audience."""
    declared = set(custom)
    missing = sorted(declared - set(values))
    if missing:
        raise invalid(CommunicationReason.MISSING_VARIABLE, f"Values needed: {', '.join(missing)}.", missing=missing)
    extra = sorted(set(values) - declared)
    if extra:
        raise invalid(CommunicationReason.UNKNOWN_VARIABLE, f"Not variables of the template: {', '.join(extra)}.")
    unavailable = sorted(set(used) & DELINQUENCY_VARIABLES) if audience != "DELINQUENT" else []
    if unavailable:
        raise rule(
            CommunicationReason.VARIABLE_NOT_AVAILABLE,
            "Balance variables exist only for an audience of delinquent units.",
            variables=unavailable,
        )


def render(source: str | None, values: Mapping[str, Any]) -> str | None:
    """The text with its variables filled in (RENDER_FAILED when the sandbox refuses it, a value is missing or the
    template fails in any other way)."""
    if source is None:
        return None
    try:
        tree = _parsed(source)
    except CommunicationError as error:
        raise rule(CommunicationReason.RENDER_FAILED, f"The template cannot be rendered: {error}") from error
    try:
        return _bounded(_ENV.from_string(tree).generate(dict(values)))
    except _TEMPLATE_FAULTS as error:
        raise rule(CommunicationReason.RENDER_FAILED, f"The template cannot be rendered: {error}") from error


def _bounded(chunks: Iterable[str]) -> str:
    """The rendered text, refused as soon as it grows past `RENDERED_LIMIT` (a text of many copies of a long value)."""
    parts, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > RENDERED_LIMIT:
            raise SecurityError(f"the text would be longer than {RENDERED_LIMIT} characters")
        parts.append(chunk)
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class Preferences:
    email: bool = True
    sms: bool = True
    mail: bool = True
    opted_out_categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reach:
    """How one person gets a message: the channel and address, or why they do not."""

    channel: str
    address: str | None
    skip_reason: str | None = None


CHANNEL_OF = {"EMAIL": "EMAIL", "SMS": "SMS", "LETTER": "MAIL"}


def reach(
    channel: str, category: str, prefs: Preferences, *, email: str | None, phone: str | None, mailing: str | None
) -> Reach:
    """The delivery for one person. An opted-out category is skipped (OPTED_OUT) unless it is an official notice;
    a channel they turned off or have no address for is skipped too (OPTED_OUT / NO_ADDRESS), except that an
    official notice then goes on paper to their mailing address when they have one."""
    delivery = CHANNEL_OF[channel]
    required = category in REQUIRED_CATEGORIES
    if category in prefs.opted_out_categories and not required:
        return Reach(delivery, None, "OPTED_OUT")
    address = {"EMAIL": email, "SMS": phone, "MAIL": mailing}[delivery] or None
    allowed = {"EMAIL": prefs.email, "SMS": prefs.sms, "MAIL": prefs.mail or required}[delivery]
    if allowed and address:
        return Reach(delivery, address)
    if required and delivery != "MAIL" and mailing:
        return Reach("MAIL", mailing)
    return Reach(delivery, None, "NO_ADDRESS" if allowed else "OPTED_OUT")


def check_preferences(opted_out: Iterable[str]) -> list[str]:
    """Opted-out categories: known ones, never an official notice; sorted, without repeats."""
    chosen = sorted(set(opted_out))
    unknown = [c for c in chosen if c not in CATEGORIES]
    if unknown:
        raise invalid(CommunicationReason.UNKNOWN_VARIABLE, f"Unknown categories: {', '.join(unknown)}.")
    required = [c for c in chosen if c in REQUIRED_CATEGORIES]
    if required:
        raise rule(
            CommunicationReason.REQUIRED_CATEGORY,
            "Official notices (delinquency, meetings, emergencies) cannot be opted out of.",
            categories=required,
        )
    return chosen
