"""The core is pure and at the top; the edge imports it, never the reverse."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "src" / "govflow"
EDGE = ("govflow.cli", "govflow.render", "govflow.scenarios", "govflow.testing")
CORE = sorted(p for p in PACKAGE.glob("*.py") if p.name not in {"testing.py", "__main__.py"})
IMPURE = {"os", "sys", "time", "random", "pathlib", "io", "logging", "sqlite3", "socket", "uuid"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_core_never_imports_the_edge() -> None:
    for path in CORE:
        assert not {m for m in imports(path) if m.startswith(EDGE)}, path.name


def test_only_the_engine_imports_transitions() -> None:
    users = {
        p.name
        for p in PACKAGE.rglob("*.py")
        if any(m.startswith("transitions") for m in imports(p))
    }
    assert users == {"_engine.py"}


def test_the_core_imports_nothing_that_does_io_or_reads_a_clock() -> None:
    for path in CORE:
        assert not {m.split(".")[0] for m in imports(path)} & IMPURE, path.name


def test_the_core_never_calls_today_or_now() -> None:
    for path in CORE:
        text = path.read_text(encoding="utf-8")
        for call in ("today(", "now(", "utcnow(", "time.time"):
            assert call not in text, f"{path.name} calls {call}"


def test_no_module_is_longer_than_one_sitting() -> None:
    for path in PACKAGE.rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path.name
