"""Our oRPC: versioned, typed procedures under `POST /api/v1/rpc/<namespace>/v<N>/<name>`."""

from hestami.core.rpc.procedure import Empty, Procedure, ProcedureRegistry, ProcedureRouter

__all__ = ["Empty", "Procedure", "ProcedureRegistry", "ProcedureRouter"]
