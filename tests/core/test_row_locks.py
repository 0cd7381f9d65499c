"""Every row lock the application takes is FOR NO KEY UPDATE (`with_for_update(key_share=True)`).

A plain FOR UPDATE also blocks the foreign-key checks (FOR KEY SHARE) other transactions make on the row; since
Postgres re-checks the foreign keys of a row updated twice in one transaction, a workflow step updating a
violation twice deadlocked with a charge holding the violation's unit (seen in CI). The locks only serialize our
own writers, which NO KEY UPDATE does as well; this test finds any lock written the other way, in any module."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "hestami"


def _plain_locks(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "with_for_update":
            keywords = {k.arg: k.value for k in node.keywords}
            key_share = keywords.get("key_share")
            if not (isinstance(key_share, ast.Constant) and key_share.value is True) or "read" in keywords:
                found.append(node.lineno)
    return found


def test_every_row_lock_leaves_foreign_key_checks_alone() -> None:
    offenders = {
        str(path.relative_to(SOURCE)): lines for path in sorted(SOURCE.rglob("*.py")) if (lines := _plain_locks(path))
    }
    assert offenders == {}, "use with_for_update(key_share=True) (FOR NO KEY UPDATE)"


def test_the_check_finds_a_plain_lock(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("q = select(x).with_for_update()\nr = select(x).with_for_update(key_share=True)\n")
    assert _plain_locks(sample) == [1]
