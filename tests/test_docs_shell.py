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

import pytest

from .test_docs import ROOT, Block, blocks

DOCUMENTS = sorted((ROOT / "docs").rglob("*.md"))
NOT_RUN = re.compile(r"<!-- not run: (.+) -->")


def not_run(block: Block) -> str:
    """Why ``block`` does not run here, as the line before it says; empty if it runs."""
    why = NOT_RUN.fullmatch(block.mark)
    return why.group(1) if why else ""


SHELLS = [block for document in DOCUMENTS for block in blocks(document, "sh")]


def test_the_docs_have_shell_examples_and_few_that_do_not_run() -> None:
    assert len(SHELLS) >= 8
    skipped = [block.name for block in SHELLS if not_run(block)]
    assert len(skipped) <= 2, skipped  # the install commands only


@pytest.mark.parametrize("block", [b for b in SHELLS if not not_run(b)], ids=lambda b: b.name)
def test_the_shell_examples_run(block: Block, tmp_path: Path) -> None:
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
