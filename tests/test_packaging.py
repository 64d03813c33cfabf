"""The package's metadata says what is true: floors that work, versions that are tested."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def floors() -> dict[str, str]:
    """Each runtime and extra dependency's lowest allowed version, by distribution name."""
    found: dict[str, str] = {}
    extras = PROJECT["optional-dependencies"]
    for requirement in [
        *PROJECT["dependencies"],
        *extras["postgres"],
        *extras["testing"],
        *extras["sign"],
        *extras["dataframe"],
        *extras["plot"],
    ]:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)(?:\[[^]]+\])?>=([0-9.]+)", requirement)
        assert match is not None, requirement
        found[match.group(1).lower()] = match.group(2)
    return found


def test_ci_installs_exactly_the_floors_the_metadata_allows() -> None:
    pinned = dict(
        line.split("==")
        for line in (ROOT / ".ci" / "lowest.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    for name, version in floors().items():
        assert pinned.get(name) == version, (name, version, pinned.get(name))


def test_the_classifiers_name_the_pythons_ci_runs() -> None:
    versions = {
        c.rsplit(" ", 1)[1]
        for c in PROJECT["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    }
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    loop = re.search(r"^for version in ([0-9. ]+); do$", ci, re.MULTILINE)
    assert loop is not None
    assert PROJECT["requires-python"] == ">=3.11"
    assert versions == {"3.11", *loop.group(1).split()}


def test_one_source_for_the_version() -> None:
    import govflow  # noqa: PLC0415

    assert "version" in PROJECT["dynamic"]
    assert re.fullmatch(r"\d+\.\d+\.\d+(\.dev\d+)?", govflow.__version__)
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(r"^## \d+\.\d+\.\d+ — \d{4}-\d{2}-\d{2}$", changelog, re.MULTILINE)
