"""Governance days last 0.2 s in these tests (notice periods, agenda and reminder times), so the lifecycle's
notice, agenda and reminder all happen within a test."""

from __future__ import annotations

import pytest

from hestami.core.config import Settings

DAY_SECONDS = 0.2


@pytest.fixture(autouse=True)
def short_governance_days(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "governance_day_seconds", DAY_SECONDS)
