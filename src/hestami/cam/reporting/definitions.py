"""What a report is and what it produces: the contract between report definitions (`reports/`), the generation
workflow and the renderers (`render/`).

A definition's `produce(ctx, parameters)` runs as the user who asked for the report (the generation workflow acts
as them), reading through the domains' `api` modules, so what a report shows is what that user may see. It returns
`ReportData`: a title, tables, charts and a summary. A table's `rows` may be a list or an async iterator (a general
ledger over a year is streamed from a server-side cursor, never held whole in memory); the renderers consume each
table once, in order.

Values in rows are plain Python: `str`, `int`, `Decimal` (money and amounts, never float), `date`, `datetime`,
`bool`, `None`. A column's `kind` tells renderers how to show it (money right-aligned with two decimals, dates ISO).
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from hestami.core.context import RequestContext

ColumnKind = Literal["text", "money", "number", "percent", "date", "datetime", "bool"]
Category = Literal["FINANCIAL", "OPERATIONAL", "PORTFOLIO", "OWNER"]
Scope = Literal["ASSOCIATION", "ORGANIZATION", "UNIT"]
"""What a report is about: one association (its board and managers read it), the whole organization (management
only), or one unit (its owners read it: the owner's statement)."""


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    kind: ColumnKind = "text"


Rows = Iterable[Sequence[Any]] | AsyncIterable[Sequence[Any]]


@dataclass(slots=True)
class Table:
    """One table of a report. `totals` is a row in the same columns (None where a column has no total)."""

    key: str
    title: str
    columns: Sequence[Column]
    rows: Rows
    totals: Sequence[Any] | None = None


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: Sequence[Decimal | float | int | None]


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart drawn into the PDF (and listed in JSON): one value per category per series."""

    key: str
    title: str
    kind: Literal["bar", "line"]
    categories: Sequence[str]
    series: Sequence[Series]
    y_label: str = ""


@dataclass(slots=True)
class ReportData:
    title: str
    subtitle: str = ""
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    """Headline figures (name to plain value), shown first."""


Produce = Callable[[RequestContext, Any], Awaitable[ReportData]]


@dataclass(frozen=True, slots=True)
class ReportDefinition:
    key: str
    """Stable snake_case name (`balance_sheet`): what `report/v1/generate` takes as `report`."""
    title: str
    category: Category
    description: str
    parameters: type[BaseModel]
    """The report's parameters (an `Input` model from `parameters.py` or a subclass): validated on `generate`."""
    produce: Produce
    scope: Scope = "ASSOCIATION"


_REGISTRY: dict[str, ReportDefinition] = {}


def register(definition: ReportDefinition) -> ReportDefinition:
    """Adds a definition (at import of its module; `reports/__init__.py` imports them all). Keys are unique."""
    if definition.key in _REGISTRY:
        raise ValueError(f"report {definition.key!r} is defined twice")
    _REGISTRY[definition.key] = definition
    return definition


def definitions() -> dict[str, ReportDefinition]:
    """Every registered definition by key (the reports package imported first)."""
    import hestami.cam.reporting.reports  # noqa: F401  (registers them)

    return dict(_REGISTRY)


def find(key: str) -> ReportDefinition | None:
    return definitions().get(key)
