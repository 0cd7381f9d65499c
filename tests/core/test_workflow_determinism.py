"""Every `@DBOS.workflow` body takes the same steps on replay, whichever process replays it.

DBOS recovers a workflow by putting it back on a queue: any executor on the system database may run it, with its
own settings. A setting read in a workflow's body (a pause that is a durable sleep or none, a poll interval) could
differ there and change the steps; DBOS then stops the workflow (`DBOSUnexpectedStepError`). So a body reads a
setting through `workflows.recorded_setting` (a step: replayed, not re-read); steps may read settings freely.
The test walks every workflow in the source tree, so a new one is covered without editing it."""

from __future__ import annotations

import ast
from pathlib import Path

import hestami

SOURCE = Path(hestami.__file__).parent


def _is_workflow(node: ast.AsyncFunctionDef | ast.FunctionDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr == "workflow":
            return True
    return False


def _workflows() -> list[tuple[str, ast.AsyncFunctionDef | ast.FunctionDef]]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef) and _is_workflow(node):
                found.append((f"{path.relative_to(SOURCE)}:{node.name}", node))
    return found


def _settings_reads(node: ast.AST) -> list[int]:
    return [child.lineno for child in ast.walk(node) if isinstance(child, ast.Attribute) and child.attr == "settings"]


def test_the_walk_finds_the_workflows() -> None:
    names = {name.split(":")[1] for name, _ in _workflows()}
    assert {"ap_payment_processing_v1", "assessment_posting_v1", "mass_communication_send_v1"} <= names


def test_no_workflow_body_reads_a_setting_directly() -> None:
    offenders = {name: lines for name, node in _workflows() if (lines := _settings_reads(node))}
    assert offenders == {}, f"read these through workflows.recorded_setting: {offenders}"


def test_the_check_catches_a_direct_read() -> None:
    body = ast.parse("@DBOS.workflow(name='x')\nasync def w():\n    pause = runtime.current().settings.pause\n").body[0]
    assert isinstance(body, ast.AsyncFunctionDef)
    assert _is_workflow(body)
    assert _settings_reads(body) == [3]
