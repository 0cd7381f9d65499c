"""py-spy sampling of the API workers (or of this process) and a summary of where the samples fall.

py-spy is not a project dependency: install it outside the project, e.g.
`python3 -m pip install --target /tmp/benchtools py-spy` (the default place looked at), or set BENCH_PYSPY.
Without it the sections still run; they just report no profile.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# Leaf-to-root, the first frame that matches names the layer a sample is charged to.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("logging (structlog/stdlib)", ("structlog/", "/logging/")),
    ("telemetry (opentelemetry)", ("opentelemetry/",)),
    ("postgres driver (psycopg)", ("psycopg/", "psycopg_binary/")),
    ("ORM / SQL compile (sqlalchemy)", ("sqlalchemy/",)),
    ("cerbos client (grpc/protobuf)", ("cerbos/", "grpc/", "google/protobuf/", "cerbos_sqlalchemy/")),
    ("redis client", ("redis/",)),
    ("DBOS", ("dbos/",)),
    ("pydantic (validate/serialize)", ("pydantic/", "pydantic_core/")),
    ("http framework (starlette/fastapi/uvicorn)", ("starlette/", "fastapi/", "uvicorn/", "httptools/", "h11/")),
    ("json", ("/json/",)),
    ("event loop (asyncio/uvloop)", ("asyncio/", "uvloop/")),
    ("hestami code", ("hestami/",)),
)


def pyspy_binary() -> str | None:
    for candidate in (os.environ.get("BENCH_PYSPY"), "/tmp/benchtools/bin/py-spy", shutil.which("py-spy")):  # noqa: S108
        if candidate and Path(candidate).exists():
            return candidate
    return None


class Recorder:
    """`py-spy record` of some processes (raw collapsed stacks, by function) until `stop()`."""

    def __init__(self, pids: list[int], out_dir: Path, label: str, *, rate: int = 250) -> None:
        self.binary = pyspy_binary()
        self.out_dir = out_dir
        self.label = label
        self.rate = rate
        self.pids = pids
        self.procs: list[tuple[subprocess.Popen[bytes], Path]] = []

    @property
    def available(self) -> bool:
        return self.binary is not None

    def start(self) -> None:
        if self.binary is None:
            return
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for pid in self.pids:
            out = self.out_dir / f"{self.label}-{pid}.txt"
            cmd = [self.binary, "record", "--pid", str(pid), "--rate", str(self.rate), "--format", "raw",
                   "--function", "--gil", "--full-filenames", "--nonblocking", "--output", str(out)]  # fmt: skip
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
            self.procs.append((proc, out))
        time.sleep(0.5)  # attached

    def stop(self) -> list[Path]:
        files = []
        for proc, out in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
            if out.exists():
                files.append(out)
        return files


def read_stacks(files: list[Path]) -> list[tuple[list[str], int]]:
    stacks = []
    for path in files:
        for line in path.read_text().splitlines():
            frames, _, count = line.rpartition(" ")
            if frames and count.isdigit():
                stacks.append((frames.split(";"), int(count)))
    return stacks


def _file_of(frame: str) -> str:
    return frame.rsplit("(", 1)[-1].rstrip(")")


def _short(frame: str) -> str:
    """`function (…/site-packages/pkg/mod.py:12)` → `pkg/mod.py:function`."""
    name, _, where = frame.rpartition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "/src/", "/lib/python3.11/", str(ROOT) + "/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{name}"


def layer_of(frames: list[str]) -> str:
    for frame in reversed(frames):
        where = _file_of(frame)
        for layer, needles in LAYERS:
            if any(n in where for n in needles):
                return layer
    return "other (interpreter, C extensions, idle)"


def summarize(files: list[Path], *, top: int = 40, focus: str = "hestami/") -> dict[str, Any]:
    """Shares of on-CPU samples: by layer (leaf-most library), top frames inclusive and self, and the
    project's own functions inclusive (`focus`)."""
    stacks = read_stacks(files)
    total = sum(c for _, c in stacks)
    if not total:
        return {"samples": 0}
    layers: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    innermost: Counter[str] = Counter()
    innermost_layer: Counter[str] = Counter()
    outside: Counter[str] = Counter()
    for frames, count in stacks:
        layer = layer_of(frames)
        layers[layer] += count
        mine = [f for f in frames if focus in _file_of(f)]
        if mine:
            where = _short(mine[-1])
        elif frames and "sqlalchemy/" in _file_of(frames[0]):
            # SQLAlchemy's asyncio layer runs the sync ORM in a greenlet: py-spy sees that stack without the
            # coroutine that awaited it, so the calling project function is not visible.
            where = f"(SQLAlchemy greenlet: {_short(frames[0])})"
        else:
            where = "(outside the project: server loop, middleware, background threads)"
            # which library's code the sample belongs to: the first library frame from the root, and the leaf
            entry = next((f for f in frames if "site-packages/" in _file_of(f)), frames[0] if frames else "?")
            outside[f"{_short(entry)} ... {_short(frames[-1]) if frames else ''}"] += count
        innermost[where] += count
        innermost_layer[f"{where} -> {layer}"] += count
        seen = set()
        for frame in frames:
            key = _short(frame)
            if key in seen:
                continue
            seen.add(key)
            inclusive[key] += count
            if focus in _file_of(frame):
                own[key] += count
        if frames:
            leaf[_short(frames[-1])] += count

    def pct(counter: Counter[str], n: int) -> list[tuple[str, float]]:
        return [(k, round(100 * v / total, 1)) for k, v in counter.most_common(n)]

    return {
        "samples": total,
        "files": [str(f) for f in files],
        "by_layer_pct": pct(layers, 20),
        "project_functions_inclusive_pct": pct(own, top),
        "innermost_project_function_pct": pct(innermost, top),
        "innermost_project_function_by_layer_pct": pct(innermost_layer, top),
        "outside_project_entry_and_leaf_pct": pct(outside, top),
        "top_inclusive_pct": pct(inclusive, top),
        "top_self_pct": pct(leaf, top),
    }


def format_summary(summary: dict[str, Any], *, n: int = 12) -> str:
    if not summary.get("samples"):
        return "  (no profile: py-spy not found)"
    lines = [f"  {summary['samples']} samples"]
    lines.append("  by layer (leaf-most library):")
    lines += [f"    {p:5.1f}%  {k}" for k, p in summary["by_layer_pct"][:n]]
    lines.append("  project functions, inclusive:")
    lines += [f"    {p:5.1f}%  {k}" for k, p in summary["project_functions_inclusive_pct"][:n]]
    lines.append("  innermost project function on the stack (where the time is spent from):")
    lines += [f"    {p:5.1f}%  {k}" for k, p in summary["innermost_project_function_pct"][:n]]
    lines.append("  ... split by the library it is spent in:")
    lines += [f"    {p:5.1f}%  {k}" for k, p in summary["innermost_project_function_by_layer_pct"][:n]]
    lines.append("  hottest leaf functions (self):")
    lines += [f"    {p:5.1f}%  {k}" for k, p in summary["top_self_pct"][:n]]
    return "\n".join(lines)
