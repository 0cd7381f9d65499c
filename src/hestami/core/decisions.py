"""A bounded per-process memory of Cerbos's answers, so that the same question does not cross the network twice.

A Cerbos decision is a pure function of the policies, the principal (id, roles, attributes), the resource (kind,
attributes, scope) and the action: none of our policies reads the time or the resource id (a test holds that), so
the same question gets the same answer until the policies change. The key is exactly those inputs. Roles come from
the membership read in the same request's transaction, so a role granted or revoked changes the key at once:
nothing here outlives a role change.

Policy changes: when the policy folder is on this machine (the disk driver, `watchForChanges`), its fingerprint
(every file's name, size and modification time) is taken at most once per `POLICY_CHECK_SECONDS` and a new
fingerprint empties the memory. Every answer also expires after `ttl_seconds`, which bounds how long a change made
where this process cannot see it (another storage driver) may go unnoticed. `max_entries` bounds the memory (least
recently used first out); 0 entries or a 0 TTL turns it off.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import Any

POLICY_CHECK_SECONDS = 1.0
Clock = Callable[[], float]


def frozen(value: Any) -> Hashable:
    """An attribute value as part of a key: lists become tuples, mappings sorted tuples of pairs."""
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(frozen(v) for v in value)
    return value  # type: ignore[no-any-return]


def policy_fingerprint(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Each policy file's path, size and modification time; a missing folder has the empty fingerprint."""
    found: list[tuple[str, int, int]] = []
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            try:
                stat = os.stat(path)
            except FileNotFoundError:  # removed while we looked: the next look sees the change
                continue
            found.append((path, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))


class DecisionCache:
    """Answers (a check's yes/no, a query plan) by the exact question; see the module doc."""

    def __init__(
        self,
        *,
        max_entries: int,
        ttl_seconds: float,
        policy_folder: Path | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        self.max_entries = max_entries
        self.ttl_seconds = ttl_seconds
        self.policy_folder = policy_folder
        self.clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()  # workflow steps may ask from threads of their own
        self._fingerprint = policy_fingerprint(policy_folder) if policy_folder else ()
        self._checked_at = clock()
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.max_entries > 0 and self.ttl_seconds > 0

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()  # (called with the lock held, or before anyone else can see the cache)

    def _follow_policies(self, now: float) -> None:
        if self.policy_folder is None or now - self._checked_at < POLICY_CHECK_SECONDS:
            return
        self._checked_at = now
        fingerprint = policy_fingerprint(self.policy_folder)
        if fingerprint != self._fingerprint:
            self._fingerprint = fingerprint
            self.clear()

    def get(self, key: Hashable) -> Any | None:
        """The remembered answer, or None (unknown, expired, or the policies changed since)."""
        if not self.enabled:
            return None
        now = self.clock()
        with self._lock:
            self._follow_policies(now)
            entry = self._entries.get(key)
            if entry is None or entry[0] <= now:
                if entry is not None:
                    del self._entries[key]
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[1]

    def put(self, key: Hashable, answer: Any) -> None:
        if not self.enabled:
            return
        with self._lock:
            self._entries[key] = (self.clock() + self.ttl_seconds, answer)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
