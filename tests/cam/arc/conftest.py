"""Fixtures of domain 5's tests."""

from __future__ import annotations

import pytest

from hestami.core import runtime


@pytest.fixture
def fast_days(monkeypatch: pytest.MonkeyPatch) -> float:
    """An ARC 'day' of 0.1 s (a 2-day deemed-approval period passes in 0.2 s) and a short poll."""
    settings = runtime.current().settings
    monkeypatch.setattr(settings, "arc_day_seconds", 0.1)
    monkeypatch.setattr(settings, "arc_poll_seconds", 1.0)
    return 0.1
