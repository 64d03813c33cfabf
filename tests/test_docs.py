"""Every code example in the README and the docs runs, and prints what its comments show."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def expected_output(code: str) -> list[str]:
    """The lines the comments after (or beside) a print() say it prints."""
    expected: list[str] = []
    lines = code.splitlines()
    for number, line in enumerate(lines):
        if not line.lstrip().startswith("print("):
            continue
        inline = re.search(r"\)\s+#\s(.*)$", line)
        if inline:
            expected.append(inline.group(1).strip())
        for following in lines[number + 1 :]:
            if not following.startswith("# "):
                break
            expected.append(following[2:].strip())
    return expected


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_the_code_examples_run_and_print_what_they_say(document: Path) -> None:
    blocks = BLOCK.findall(document.read_text(encoding="utf-8"))
    if document.name in {"README.md", "guide.md", "lifecycle.md"}:
        assert blocks, f"{document.name} has lost its Python examples"
    namespace: dict[str, object] = {"__name__": "__main__"}  # as a script runs
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for code in blocks:
            # A name that is no file: inspect (and so Hypothesis) must not read the Markdown
            # as Python source.
            exec(compile(code, f"<{document.name}>", "exec"), namespace)  # noqa: S102
    output = [line.strip() for line in printed.getvalue().splitlines()]
    for line in (e for code in blocks for e in expected_output(code)):
        assert line in output, f"{document.name}: expected {line!r} in the printed output"


def test_the_typing_example_runs() -> None:
    from tests.typing.example import run  # noqa: PLC0415

    state, verification = run()
    assert state == "draft"
    assert verification.ok


def test_the_typing_example_opens_and_closes_a_store(tmp_path: Path) -> None:
    from tests.typing.example import stored  # noqa: PLC0415

    assert stored(str(tmp_path / "log.db")) == 0
