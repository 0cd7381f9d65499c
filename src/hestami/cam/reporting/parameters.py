"""Parameter models reports share. A definition uses one of these or a subclass adding its own fields; every one
is an `Input` (unknown fields refused). Dates default at generation time (today; this month) when left out."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from hestami.cam.accounting.schemas import Fund
from hestami.core.schemas import Input

Comparison = Literal["NONE", "PRIOR_PERIOD", "PRIOR_YEAR"]


class OrganizationParameters(Input):
    """Reports about the whole organization (portfolio): no parameters of their own."""


class AssociationParameters(Input):
    association_id: uuid.UUID


class AsOfParameters(AssociationParameters):
    as_of: date | None = Field(default=None, description="Defaults to today.")
    fund: Fund | None = Field(default=None, description="One fund; all funds (consolidated, by fund) when left out.")


class DateRangeParameters(AssociationParameters):
    """One association over a period of days (both ends included)."""

    start: date | None = Field(default=None, description="Defaults to the first day of this month.")
    end: date | None = Field(default=None, description="Defaults to today.")

    @model_validator(mode="after")
    def _ordered(self) -> DateRangeParameters:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError("end must not be before start")
        return self


class PeriodParameters(DateRangeParameters):
    """A financial period: the days, one fund or all, and a comparison."""

    fund: Fund | None = Field(default=None, description="One fund; all funds (consolidated, by fund) when left out.")
    compare: Comparison = Field(
        default="NONE",
        description="Add a column for the period before (same length) or the same period a year earlier.",
    )


class UnitParameters(Input):
    unit_id: uuid.UUID
    as_of: date | None = Field(default=None, description="Defaults to today.")
