"""The wire types every domain shares: strict inputs, records with their stamps, money, text, and `Removed`.

Domains import these rather than declaring their own, so one input rule (unknown fields refused, money with
two decimals, bounded text) holds for every procedure.

Text people type (names, titles, numbers, descriptions, notes) is `Trimmed`: stored without surrounding
whitespace, and its `min_length`/`max_length` apply to what is stored, so a required text (`min_length=1`) made
only of spaces is refused like an empty one. Passwords, codes with a pattern and opaque strings are not trimmed.
Strings Postgres cannot store (NUL, unpaired surrogates) never reach a model: the RPC layer refuses them for
every procedure (`hestami.core.rpc.body`).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Trimmed = Annotated[str, StringConstraints(strip_whitespace=True)]
"""Typed text without its surrounding whitespace; give lengths on the field: `Field(min_length=1, max_length=60)`."""
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
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
