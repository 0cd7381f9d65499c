"""Fixtures of domain 4's tests."""

from __future__ import annotations

import pytest

from hestami.core import runtime


@pytest.fixture
def fast_days(monkeypatch: pytest.MonkeyPatch) -> float:
    """A violation 'day' of 0.05 s (a 14-day cure period passes in 0.7 s) and a short poll."""
    settings = runtime.current().settings
    monkeypatch.setattr(settings, "violation_day_seconds", 0.05)
    monkeypatch.setattr(settings, "violation_poll_seconds", 1.0)
    return 0.05
