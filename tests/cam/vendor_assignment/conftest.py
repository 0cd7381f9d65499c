"""A response "hour" lasts HOUR_SECONDS in these tests unless a test shortens it (`short_hours`), so that a run's
reminders and deadlines fall within a test only when the test wants them to."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hestami.core.config import Settings

HOUR_SECONDS = 60.0


@pytest.fixture(autouse=True)
def long_hours(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "vendor_assignment_hour_seconds", HOUR_SECONDS)


@pytest.fixture
def short_hours(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """Sets how long a response hour lasts for the rest of the test."""

    def set_hour(seconds: float) -> None:
        monkeypatch.setattr(settings, "vendor_assignment_hour_seconds", seconds)

    return set_hour
