"""Pure rules about bundles: a bundle never contains itself, directly or through other bundles."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable


def closes_cycle(
    edges: Iterable[tuple[uuid.UUID, uuid.UUID]], bundle_id: uuid.UUID, component_ids: Iterable[uuid.UUID]
) -> bool:
    """Whether giving `bundle_id` these components would put it inside itself: some component is the bundle, or
    contains it through the version's other bundles (`edges`: (bundle, component) pairs; the bundle's own current
    components among them are ignored, since they are being replaced)."""
    contains: defaultdict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for bundle, component in edges:
        if bundle != bundle_id:
            contains[bundle].add(component)
    pending, seen = list(component_ids), set()
    while pending:
        current = pending.pop()
        if current == bundle_id:
            return True
        if current not in seen:
            seen.add(current)
            pending.extend(contains[current])
    return False
