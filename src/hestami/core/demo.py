"""The demo-data registry: each domain registers a seeder, `hestami seed-demo` runs them in order.

Seeders must be idempotent (run on every `hestami dev`) and write through services in a scoped
transaction, like any request, so demo data obeys the same rules as real data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from hestami.core.runtime import Runtime

Seeder = Callable[[Runtime], Awaitable[list[str]]]


@dataclass(frozen=True, slots=True)
class DemoSeed:
    name: str
    order: int
    run: Seeder


_SEEDS: dict[str, DemoSeed] = {}


def demo_seed(name: str, *, order: int) -> Callable[[Seeder], Seeder]:
    """Register a seeder; it returns lines to print (logins, organizations) for `hestami dev`."""

    def register(fn: Seeder) -> Seeder:
        _SEEDS[name] = DemoSeed(name=name, order=order, run=fn)
        return fn

    return register


def registered_seeds() -> list[DemoSeed]:
    return sorted(_SEEDS.values(), key=lambda s: (s.order, s.name))


async def seed_all(runtime: Runtime) -> list[str]:
    lines: list[str] = []
    for seed in registered_seeds():
        lines.extend(await seed.run(runtime))
    return lines
