"""`hestami serve` with the test-only procedures of `tests.support.notes` (e.g. a slow `testNote/v1/create`).

Run as `python -m tests.support.serve_with_notes --port N ...` (arguments of `hestami serve`, one worker: the app
is then built in this process, where `domain_routers` is extended).
"""

from __future__ import annotations

import sys

import hestami.app
from hestami.cli import main
from tests.support import notes

_domain_routers = hestami.app.domain_routers


def _with_notes() -> list[hestami.app.ProcedureRouter]:
    return [*_domain_routers(), notes.router, notes.anonymous]


if __name__ == "__main__":
    hestami.app.domain_routers = _with_notes
    main(["serve", *sys.argv[1:]])
