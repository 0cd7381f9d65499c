"""Inputs and outputs of domain 11's procedures: components, studies and the funding analysis.

Money is two-decimal and travels as a decimal string; rates are decimal fractions (0.03 is 3 %)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Money, Name, Record, Text, Trimmed

Category = Literal[
    "ROOFING", "PAVING", "PAINTING", "POOL", "FENCING", "MECHANICAL", "ELEVATOR", "LIGHTING", "SITE", "OTHER"
]
"""A closed list (reports group by it); anything else is OTHER, with the detail in `name` or `notes`."""
Level = Literal["FULL", "UPDATE_WITH_SITE_VISIT", "UPDATE_WITHOUT_SITE_VISIT"]
Rate = Annotated[
    Decimal,
    Field(ge=0, le=Decimal("0.25"), max_digits=5, decimal_places=4, description="A decimal fraction: 0.03 is 3 %."),
]
Quantity = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]
UsefulLife = Annotated[int, Field(ge=1, le=100, description="Years a new component lasts (1 to 100).")]
RemainingLife = Annotated[
    int, Field(ge=0, le=100, description="Years left before replacement (0: due now), at most the useful life.")
]
UnitOfMeasure = Annotated[Trimmed, Field(min_length=1, max_length=40, description="e.g. SQ_FT, EACH, LINEAR_FT.")]


# --- components ------------------------------------------------------------------------------------------------


class CreateComponent(Input):
    association_id: uuid.UUID
    name: Name
    category: Category
    quantity: Quantity | None = None
    unit_of_measure: UnitOfMeasure | None = None
    useful_life_years: UsefulLife
    remaining_life_years: RemainingLife
    replacement_cost: Money = Field(description="Current replacement cost, at today's prices.")
    placed_in_service: date | None = None
    asset_id: uuid.UUID | None = Field(default=None, description="The asset this component is (work orders' assets).")
    expense_account_id: uuid.UUID | None = Field(
        default=None, description="The reserve expense account its replacement is charged to (RESERVE fund, EXPENSE)."
    )
    notes: Text | None = None


class UpdateComponent(Input):
    """Only the fields sent change; `null` clears an optional one."""

    id: uuid.UUID
    name: Name | None = None
    category: Category | None = None
    quantity: Quantity | None = None
    unit_of_measure: UnitOfMeasure | None = None
    useful_life_years: UsefulLife | None = None
    remaining_life_years: RemainingLife | None = None
    replacement_cost: Money | None = None
    placed_in_service: date | None = None
    asset_id: uuid.UUID | None = None
    expense_account_id: uuid.UUID | None = None
    notes: Text | None = None


class ListComponents(PageRequest):
    association_id: uuid.UUID | None = None
    active: bool | None = Field(default=None, description="true: in the inventory; false: retired; omitted: both.")


class ComponentOut(Record):
    association_id: uuid.UUID
    name: str
    category: str
    quantity: Decimal | None
    unit_of_measure: str | None
    useful_life_years: int
    remaining_life_years: int
    replacement_cost: Decimal
    placed_in_service: date | None
    asset_id: uuid.UUID | None
    last_replaced_on: date | None
    expense_account_id: uuid.UUID | None
    notes: str | None
    active: bool


# --- studies ---------------------------------------------------------------------------------------------------


class CreateStudy(Input):
    association_id: uuid.UUID
    study_date: date
    preparer: Name
    level: Level
    inflation_rate: Rate
    interest_rate: Rate
    threshold_amount: Money | None = Field(default=None, description="The board's floor for the reserve balance.")
    current_contribution: Money | None = Field(default=None, description="What the association puts in per year.")
    document_id: uuid.UUID | None = Field(default=None, description="The study's report (a document).")
    notes: Text | None = None


class UpdateStudy(Input):
    """The descriptive fields only; the assumptions and the component snapshot never change. `null` clears an
    optional field."""

    id: uuid.UUID
    preparer: Name | None = None
    threshold_amount: Money | None = None
    current_contribution: Money | None = None
    document_id: uuid.UUID | None = None
    notes: Text | None = None


class ListStudies(PageRequest):
    association_id: uuid.UUID | None = None


class StudyOut(Record):
    association_id: uuid.UUID
    study_date: date
    preparer: str
    level: str
    inflation_rate: Decimal
    interest_rate: Decimal
    threshold_amount: Decimal | None
    current_contribution: Decimal | None
    document_id: uuid.UUID | None
    notes: str | None


class StudyComponentOut(BaseModel):
    """A component as the study saw it."""

    component_id: uuid.UUID
    name: str
    category: str
    quantity: Decimal | None
    unit_of_measure: str | None
    useful_life_years: int
    remaining_life_years: int
    replacement_cost: Decimal


class StudyDetailOut(StudyOut):
    components: list[StudyComponentOut]


# --- funding analysis ------------------------------------------------------------------------------------------


class Analyze(Input):
    study_id: uuid.UUID
    balance: Money | None = Field(
        default=None, description="The reserve balance to start from; omitted: the reserve fund's on the study date."
    )
    contribution: Money | None = Field(
        default=None, description="The annual contribution to project; omitted: the study's, else 0."
    )
    years: int = Field(default=30, ge=1, le=30, description="Years projected (1 to 30).")


class ComponentFunding(BaseModel):
    component_id: uuid.UUID
    name: str
    category: str
    useful_life_years: int
    remaining_life_years: int
    effective_age_years: int
    replacement_cost: Decimal
    fully_funded_balance: Decimal


class ProjectionYear(BaseModel):
    year: int = Field(description="1 is the year that begins on the study date.")
    opening: Decimal
    contribution: Decimal
    interest: Decimal
    expenditures: Decimal
    components_replaced: list[str]
    closing: Decimal
    fully_funded_balance: Decimal
    percent_funded: Decimal | None


class FundingPlans(BaseModel):
    """Level annual contributions over the projection."""

    baseline: Decimal = Field(description="The least that keeps every year's closing balance at or above zero.")
    threshold: Decimal | None = Field(
        description="The least that keeps every closing balance at or above the study's threshold (null without one)."
    )
    full: Decimal = Field(description="The least that reaches 100 % funded in the last year, never below zero.")


class AnalysisOut(BaseModel):
    study_id: uuid.UUID
    association_id: uuid.UUID
    study_date: date
    years: int
    inflation_rate: Decimal
    interest_rate: Decimal
    balance: Decimal
    balance_source: Literal["LEDGER", "GIVEN"]
    contribution: Decimal
    contribution_source: Literal["GIVEN", "STUDY", "NONE"]
    fully_funded_balance: Decimal
    percent_funded: Decimal | None = Field(description="null when nothing needs funding (a fully funded balance of 0).")
    components: list[ComponentFunding]
    projection: list[ProjectionYear]
    plans: FundingPlans
