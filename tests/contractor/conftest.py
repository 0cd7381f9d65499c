"""Fixtures the contractor pillar's tests share (the module-scoped client of the CAM tests)."""

from __future__ import annotations

from tests.cam.conftest import shared_client

__all__ = ["shared_client"]
