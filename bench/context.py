"""The state one benchmark run carries from section to section."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import LoadOptions, Report, Server, Stack


@dataclass
class Sizes:
    list_small: int = 10_000
    list_large: int = 1_000_000
    organizations: int = 1_000
    units: int = 20_000
    batch: int = 500
    lifecycles: int = 1_000
    drivers: int = 32

    @classmethod
    def quick(cls) -> Sizes:
        return cls(list_small=10_000, list_large=100_000, units=2_000, lifecycles=200)


@dataclass
class Bench:
    stack: Stack
    data_dir: Path
    report: Report
    load: LoadOptions
    sizes: Sizes
    server_cpus: list[int] | None = None
    profile_seconds: float = 8.0
    wrk: bool = False
    api: Server = dataclasses.field(init=False)
    shared: dict[str, Any] = field(default_factory=dict)

    def server_env(self) -> dict[str, str]:
        return {**os.environ, **self.stack.env}

    def load_with(self, **changes: Any) -> LoadOptions:
        return dataclasses.replace(self.load, **changes)
