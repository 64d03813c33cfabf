"""The README's two commands, and the CI script that runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def command(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\n```sh\n(.+?)\n```", README)
    assert match, f"no {marker} block in the README"
    return match.group(1)


def test_the_first_screen_gives_the_demo_and_the_test_commands() -> None:
    first_screen = "\n".join(README.splitlines()[:40])
    assert command("demo-command") in first_screen
    assert command("test-command") in first_screen
    assert command("demo-command").endswith("govflow demo")


def test_the_test_command_runs_every_check() -> None:
    test = command("test-command")
    for check in ("ruff check", "ruff format --check", "mypy --strict src", "pytest"):
        assert check in test


def test_ci_runs_the_readme_test_command_read_from_the_readme() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "test-command" in script
    assert "README.md" in script


def test_ci_starts_postgresql_and_insists_its_tests_ran() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "GOVFLOW_TEST_POSTGRES_URL" in script
    assert "PostgreSQL tests: [1-9]" in script
