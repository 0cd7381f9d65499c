"""Inputs and outputs of the pricebook's procedures (`pricebook/v1/*`).

Money is a decimal with two places (NUMERIC(18, 2)); quantities have up to four places (NUMERIC(18, 4));
percentages up to four places, more than 0 and at most 100."""

from __future__ import annotations

import functools
import uuid
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Literal, Self
from zoneinfo import available_timezones

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field, model_validator

from hestami.contractor.profile.schemas import Trade as Trade
from hestami.contractor.profile.schemas import Weekday
from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Money, Name, Percentage, Record, Text, Trimmed

ItemKind = Literal["SERVICE", "LABOR", "MATERIAL", "EQUIPMENT", "BUNDLE"]
Unit = Literal[
    "EACH", "HOUR", "FOOT", "SQUARE_FOOT", "GALLON", "POUND", "DAY", "JOB", "VISIT", "SET", "ROLL", "BOX", "TON"
]
VersionStatus = Literal["DRAFT", "PUBLISHED", "ACTIVE", "RETIRED"]
RuleKind = Literal["SEASONAL", "VOLUME", "AFTER_HOURS", "RATE_SHEET", "MEMBER_DISCOUNT"]
Quantity = Annotated[Decimal, Field(gt=0, le=1_000_000, max_digits=18, decimal_places=4)]
Code = Annotated[
    str,
    Field(
        min_length=1,
        max_length=40,
        pattern=r"^[A-Z0-9][A-Z0-9._-]*$",
        description="An item code: capitals, digits, '.', '_' and '-', e.g. WH-50-GAS.",
    ),
]


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _time_zone(value: str) -> str:
    if value not in _zones():
        raise ValueError("not a time zone of the IANA database (e.g. America/Chicago)")
    return value


def _naive(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("a time of day without an offset (the rule's time_zone says where)")
    return value


def _within_reach(value: datetime) -> datetime:
    if not EARLIEST <= value.year <= LATEST:
        raise ValueError(f"a moment between the years {EARLIEST} and {LATEST}")
    return value


EARLIEST, LATEST = 1970, 2200
"""The years a quote's moment may fall in (its weekday and season are read in a time zone)."""
TimeZone = Annotated[str, Field(min_length=1, max_length=60), AfterValidator(_time_zone)]
Moment = Annotated[AwareDatetime, AfterValidator(_within_reach)]
TimeOfDay = Annotated[time, AfterValidator(_naive)]


def _unique(values: list[str], what: str) -> None:
    if len(set(values)) != len(values):
        raise ValueError(f"each {what} may appear once")


# --- categories -------------------------------------------------------------------------------------------------


class CreateCategory(Input):
    name: Name
    parent_category_id: uuid.UUID | None = Field(default=None, description="The category it sits in.")
    sort_order: int = Field(default=0, ge=-100_000, le=100_000)


class UpdateCategory(Input):
    id: uuid.UUID
    name: Name | None = None
    parent_category_id: uuid.UUID | None = Field(default=None, description="`null` moves it to the top level.")
    sort_order: int | None = Field(default=None, ge=-100_000, le=100_000)


class ListCategories(PageRequest):
    parent_category_id: uuid.UUID | None = Field(default=None, description="Only the categories inside this one.")


class CategoryOut(Record):
    name: str
    parent_category_id: uuid.UUID | None
    sort_order: int


# --- versions ---------------------------------------------------------------------------------------------------


class CreateVersion(Input):
    name: Name
    notes: Text | None = None


class CopyVersion(Input):
    id: uuid.UUID = Field(description="The version to copy (any status).")
    name: Name = Field(description="The new draft's name.")
    notes: Text | None = None


class ListVersions(PageRequest):
    status: VersionStatus | None = None


class StatusChangeOut(BaseModel):
    from_status: str | None
    to_status: str
    actor_user_id: uuid.UUID | None
    note: str | None
    created_at: datetime


class VersionOut(Record):
    name: str
    notes: str | None
    status: str
    copied_from_version_id: uuid.UUID | None
    published_at: datetime | None
    activated_at: datetime | None
    retired_at: datetime | None
    item_count: int | None = Field(default=None, description="With `get`.")
    history: list[StatusChangeOut] | None = Field(default=None, description="With `get`: every move, oldest first.")


# --- items ------------------------------------------------------------------------------------------------------


class ComponentIn(Input):
    code: Code
    quantity: Quantity


def _check_components(kind: str | None, components: list[ComponentIn] | None) -> None:
    if components is None:
        return
    if kind is not None and kind != "BUNDLE" and components:
        raise ValueError("only a BUNDLE has components")
    _unique([c.code for c in components], "component code")


class CreateItem(Input):
    version_id: uuid.UUID = Field(description="A DRAFT version.")
    code: Code
    name: Name
    description: Text | None = None
    category_id: uuid.UUID | None = None
    kind: ItemKind
    unit: Unit
    cost: Money = Decimal("0.00")
    price: Money
    taxable: bool = True
    components: list[ComponentIn] = Field(default_factory=list, max_length=50, description="A BUNDLE's items.")

    @model_validator(mode="after")
    def _components(self) -> Self:
        _check_components(self.kind, self.components)
        return self


class UpdateItem(Input):
    id: uuid.UUID
    code: Code | None = None
    name: Name | None = None
    description: Text | None = None
    category_id: uuid.UUID | None = None
    kind: ItemKind | None = None
    unit: Unit | None = None
    cost: Money | None = None
    price: Money | None = None
    taxable: bool | None = None
    components: list[ComponentIn] | None = Field(default=None, max_length=50, description="Replaces them.")

    @model_validator(mode="after")
    def _components(self) -> Self:
        _check_components(self.kind, self.components)
        return self


class ListItems(PageRequest):
    version_id: uuid.UUID | None = None
    category_id: uuid.UUID | None = None
    kind: ItemKind | None = None
    search: Trimmed | None = Field(default=None, min_length=1, max_length=100, description="In code, name, text.")


class ComponentOut(BaseModel):
    item_id: uuid.UUID
    code: str
    name: str
    quantity: Decimal


class ItemOut(Record):
    version_id: uuid.UUID
    code: str
    name: str
    description: str | None
    category_id: uuid.UUID | None
    kind: str
    unit: str
    cost: Decimal
    price: Decimal
    taxable: bool
    components: list[ComponentOut] = Field(default_factory=list, description="A BUNDLE's items, in order.")


# --- price rules ------------------------------------------------------------------------------------------------


class RateEntryIn(Input):
    code: Code
    price: Money | None = Field(default=None, description="A fixed price replacing the base price.")
    discount_percent: Percentage | None = Field(default=None, description="Or a percentage off the base price.")

    @model_validator(mode="after")
    def _one(self) -> Self:
        if (self.price is None) == (self.discount_percent is None):
            raise ValueError("give either a price or a discount_percent")
        return self


KIND_FIELDS: dict[str, frozenset[str]] = {
    "SEASONAL": frozenset({"percent", "starts_on", "ends_on", "time_zone"}),
    "VOLUME": frozenset({"percent", "min_quantity"}),
    "AFTER_HOURS": frozenset({"percent", "weekdays", "window_start", "window_end", "time_zone"}),
    "RATE_SHEET": frozenset({"association_id", "entries"}),
    "MEMBER_DISCOUNT": frozenset({"percent"}),
}
"""The fields each kind of rule needs."""
OPTIONAL_FIELDS: dict[str, frozenset[str]] = {
    "SEASONAL": frozenset({"yearly", "item_codes", "category_id"}),
    "VOLUME": frozenset({"item_codes", "category_id"}),
    "AFTER_HOURS": frozenset({"outside_window", "item_codes", "category_id"}),
    "RATE_SHEET": frozenset(),
    "MEMBER_DISCOUNT": frozenset({"item_codes", "category_id"}),
}
"""The fields each kind of rule may have besides; every other kind-specific field must be left out."""
KIND_SPECIFIC = frozenset().union(*KIND_FIELDS.values(), *OPTIONAL_FIELDS.values())


def season_problem(starts_on: date | None, ends_on: date | None, *, yearly: bool) -> None:
    """ValueError for a season that ends before it starts (a yearly one may run across New Year)."""
    if starts_on is not None and ends_on is not None and not yearly and ends_on < starts_on:
        raise ValueError("a season ends on or after its first day (or make it yearly to run across New Year)")


class RuleFields(Input):
    percent: Percentage | None = Field(default=None, description="The discount (or after-hours surcharge).")
    item_codes: list[Code] | None = Field(default=None, max_length=200, description="None or empty: every item.")
    category_id: uuid.UUID | None = Field(default=None, description="Only items in it (or a subcategory).")
    starts_on: date | None = None
    ends_on: date | None = None
    yearly: bool | None = Field(default=None, description="SEASONAL: the same season every year.")
    min_quantity: Quantity | None = None
    weekdays: list[Weekday] | None = Field(default=None, min_length=1, max_length=7)
    window_start: TimeOfDay | None = None
    window_end: TimeOfDay | None = None
    outside_window: bool | None = Field(default=None, description="AFTER_HOURS: applies outside the window.")
    time_zone: TimeZone | None = None
    entries: list[RateEntryIn] | None = Field(default=None, max_length=500, description="RATE_SHEET: its prices.")

    def check_shape(self, kind: str, *, creating: bool) -> None:
        """ValueError unless the fields fit a rule of `kind`: all it needs (when `creating`), nothing it does not
        take."""
        given = {name for name in KIND_SPECIFIC if getattr(self, name, None) is not None}
        if creating and (missing := KIND_FIELDS[kind] - given):
            raise ValueError(f"a {kind} rule needs {', '.join(sorted(missing))}")
        if stray := given - KIND_FIELDS[kind] - OPTIONAL_FIELDS[kind]:
            raise ValueError(f"a {kind} rule takes no {', '.join(sorted(stray))}")
        if self.item_codes:
            _unique(self.item_codes, "item code")
        if self.entries:
            _unique([e.code for e in self.entries], "rate sheet code")
        if self.weekdays:
            _unique(list(self.weekdays), "weekday")


class CreateRule(RuleFields):
    name: Name
    kind: RuleKind
    association_id: uuid.UUID | None = Field(default=None, description="RATE_SHEET: an association linked to you.")

    @model_validator(mode="after")
    def _shape(self) -> Self:
        self.check_shape(self.kind, creating=True)
        season_problem(self.starts_on, self.ends_on, yearly=bool(self.yearly))
        if self.kind == "RATE_SHEET" and not self.entries:
            raise ValueError("a RATE_SHEET rule needs at least one entry")
        return self


class UpdateRule(RuleFields):
    """Only the fields sent change; a rule's kind and a rate sheet's association never do."""

    id: uuid.UUID
    name: Name | None = None


class ListRules(PageRequest):
    kind: RuleKind | None = None
    active: bool | None = None
    association_id: uuid.UUID | None = None


class RateEntryOut(BaseModel):
    code: str
    price: Decimal | None
    discount_percent: Decimal | None


class RuleOut(Record):
    name: str
    kind: str
    active: bool
    percent: Decimal | None
    item_codes: list[str]
    category_id: uuid.UUID | None
    starts_on: date | None
    ends_on: date | None
    yearly: bool
    min_quantity: Decimal | None
    weekdays: list[str]
    window_start: time | None
    window_end: time | None
    outside_window: bool
    time_zone: str | None
    association_id: uuid.UUID | None
    deactivated_at: datetime | None
    entries: list[RateEntryOut] = Field(default_factory=list, description="A RATE_SHEET's prices by code.")


# --- job templates ----------------------------------------------------------------------------------------------


class TemplateItemIn(Input):
    code: Code
    quantity: Quantity


class StepIn(Input):
    text: Trimmed = Field(min_length=1, max_length=500)
    required: bool = True


def _check_template_items(items: list[TemplateItemIn] | None) -> None:
    if items:
        _unique([i.code for i in items], "item code")


class CreateTemplate(Input):
    version_id: uuid.UUID = Field(description="A DRAFT version.")
    name: Name
    trade: Trade
    description: Text | None = None
    items: list[TemplateItemIn] = Field(default_factory=list, max_length=100)
    steps: list[StepIn] = Field(default_factory=list, max_length=100, description="The checklist, in order.")

    @model_validator(mode="after")
    def _items(self) -> Self:
        _check_template_items(self.items)
        return self


class UpdateTemplate(Input):
    id: uuid.UUID
    name: Name | None = None
    trade: Trade | None = None
    description: Text | None = None
    items: list[TemplateItemIn] | None = Field(default=None, max_length=100, description="Replaces them.")
    steps: list[StepIn] | None = Field(default=None, max_length=100, description="Replaces them.")

    @model_validator(mode="after")
    def _items(self) -> Self:
        _check_template_items(self.items)
        return self


class ListTemplates(PageRequest):
    version_id: uuid.UUID | None = None
    trade: Trade | None = None


class TemplateItemOut(BaseModel):
    item_id: uuid.UUID
    code: str
    name: str
    quantity: Decimal


class StepOut(BaseModel):
    position: int
    text: str
    required: bool


class TemplateOut(Record):
    version_id: uuid.UUID
    name: str
    trade: str
    description: str | None
    items: list[TemplateItemOut] = Field(default_factory=list)
    steps: list[StepOut] = Field(default_factory=list)


# --- quotes -----------------------------------------------------------------------------------------------------


class QuoteItemIn(Input):
    code: Code
    quantity: Quantity


class PriceIn(Input):
    items: list[QuoteItemIn] = Field(min_length=1, max_length=200)
    version_id: uuid.UUID | None = Field(default=None, description="Default: the ACTIVE version.")
    association_id: uuid.UUID | None = Field(default=None, description="An association linked to you.")
    at: Moment | None = Field(default=None, description="When the work is done (default: now), with its offset.")
    member: bool = Field(default=False, description="The customer has a maintenance agreement.")


class AppliedRuleOut(BaseModel):
    rule_id: uuid.UUID
    name: str
    kind: str
    percent: Decimal | None
    price_before: Decimal
    price_after: Decimal


class QuoteLineOut(BaseModel):
    code: str
    name: str
    kind: str
    unit: str
    quantity: Decimal
    taxable: bool
    base_price: Decimal
    unit_price: Decimal
    applied_rules: list[AppliedRuleOut]
    line_total: Decimal


class QuoteOut(BaseModel):
    version_id: uuid.UUID
    association_id: uuid.UUID | None
    at: datetime
    member: bool
    lines: list[QuoteLineOut]
    subtotal: Decimal
    taxable_subtotal: Decimal
