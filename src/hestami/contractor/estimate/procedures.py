"""Estimates and proposals with good/better/best options (issue 23, P2.7): `estimate/v1/*`."""

from __future__ import annotations

from hestami.core.rpc.procedure import ProcedureRouter

ROUTERS: tuple[ProcedureRouter, ...] = ()
