"""The wire types every domain shares: strict inputs, records with their stamps, money, text, and `Removed`.

Domains import these rather than declaring their own, so one input rule (unknown fields refused, money with
two decimals, bounded text) holds for every procedure.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(max_length=5000)]
Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
PositiveMoney = Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=2)]
Percentage = Annotated[Decimal, Field(gt=0, le=100, max_digits=7, decimal_places=4)]


class Input(BaseModel):
    """A procedure's input: unknown fields are refused (`VALIDATION_FAILED`), never ignored."""

    model_config = ConfigDict(extra="forbid")


class Record(BaseModel):
    """What every tenant record shows: its id, organization and stamps."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    organization_id: uuid.UUID
    created_at: datetime
    updated_at: datetime


class ById(Input):
    id: uuid.UUID


class Removed(BaseModel):
    removed: bool


REMOVED = Removed(removed=True)
