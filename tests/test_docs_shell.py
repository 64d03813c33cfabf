"""Every shell example in the docs runs, as a reader would type it, and succeeds.

Each ```sh block runs in a fresh folder holding the repository's ``examples/``, with
this environment's ``govflow`` first on the PATH, on its own or after the blocks it is
a declared continuation of (``<!-- continued -->`` on the line before its fence). A
block that cannot run here says why on the line before it (``<!-- not run: ... -->``):
the install commands the README gives, which CI runs on a fresh clone, and starting
JupyterLab.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).parent.parent
DOCUMENTS = sorted((ROOT / "docs").rglob("*.md"))
FENCE = re.compile(r"^```sh\n(.*?)^```$", re.DOTALL | re.MULTILINE)
CONTINUED = "<!-- continued -->"
NOT_RUN = re.compile(r"<!-- not run: (.+) -->")


@attrs.frozen
class Shell:
    """One ```sh block of a document, and the blocks it continues."""

    document: Path
    number: int
    line: int
    code: str
    continues: Shell | None
    not_run: str  # why it does not run here; empty when it runs

    @property
    def name(self) -> str:
        return f"{self.document.relative_to(ROOT).as_posix()}:sh{self.number}@L{self.line}"

    def chain(self) -> list[Shell]:
        chain: list[Shell] = []
        block: Shell | None = self
        while block is not None:
            chain.insert(0, block)
            block = block.continues
        return chain


def shells(document: Path) -> list[Shell]:
    text = document.read_text(encoding="utf-8")
    found: list[Shell] = []
    for number, match in enumerate(FENCE.finditer(text), start=1):
        before = text[: match.start()].splitlines()
        mark = before[-1].strip() if before else ""
        continued = mark == CONTINUED
        assert not continued or found, f"{document.name}: sh block {number} continues nothing"
        why = NOT_RUN.fullmatch(mark)
        found.append(
            Shell(
                document,
                number,
                len(before) + 1,
                match.group(1),
                found[-1] if continued else None,
                why.group(1) if why else "",
            )
        )
    return found


SHELLS = [block for document in DOCUMENTS for block in shells(document)]


def test_the_docs_have_shell_examples_and_few_that_do_not_run() -> None:
    assert len(SHELLS) >= 8
    skipped = [block.name for block in SHELLS if block.not_run]
    assert len(skipped) <= 2, skipped  # the install commands only


@pytest.mark.parametrize("block", [b for b in SHELLS if not b.not_run], ids=lambda b: b.name)
def test_the_shell_examples_run(block: Shell, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    bin_dir = str(Path(sys.executable).parent)  # where this environment's govflow is
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    for step in block.chain():
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", step.code],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"{step.name}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
