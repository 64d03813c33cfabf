"""Every code example in the README and the docs runs, and prints what its comments show."""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
import tomllib
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
# An HTML comment, invisible on the site, on the line just before a fence: the block
# runs after the one before it, in the same namespace; every other block runs alone.
CONTINUED = "<!-- continued -->"


@attrs.frozen
class Block:
    """One code block of a document (```python or ```sh), and the blocks it continues."""

    document: Path
    number: int  # 1 for the document's first block in its language
    line: int  # the fence's line
    code: str
    continues: Block | None
    language: str = "python"
    mark: str = ""  # the line just before the fence, stripped

    @property
    def name(self) -> str:
        kind = "" if self.language == "python" else self.language
        return f"{self.document.relative_to(ROOT).as_posix()}:{kind}{self.number}@L{self.line}"

    def chain(self) -> list[Block]:
        """This block and the ones it continues, first to last."""
        chain: list[Block] = []
        block: Block | None = self
        while block is not None:
            chain.insert(0, block)
            block = block.continues
        return chain


def blocks(document: Path, language: str = "python") -> list[Block]:
    """The document's blocks in ``language``, each linked to the one before if it continues it."""
    text = document.read_text(encoding="utf-8")
    fence = re.compile(rf"^```{language}\n(.*?)^```$", re.DOTALL | re.MULTILINE)
    found: list[Block] = []
    for number, match in enumerate(fence.finditer(text), start=1):
        before = text[: match.start()].splitlines()
        mark = before[-1].strip() if before else ""
        continued = mark == CONTINUED
        assert not continued or found, (
            f"{document.name}: {language} block {number} continues nothing"
        )
        found.append(
            Block(
                document,
                number,
                len(before) + 1,
                match.group(1),
                found[-1] if continued else None,
                language,
                mark,
            )
        )
    return found


BLOCKS = [block for document in DOCUMENTS for block in blocks(document)]


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


def test_the_documents_that_teach_by_example_have_examples() -> None:
    """The README and the pages that teach by example have not lost their examples."""
    named = {block.name.split(":")[0] for block in BLOCKS}
    for document in (
        "README.md",
        "docs/index.md",
        "docs/concepts/lifecycles.md",
        "docs/concepts/guards.md",
        "docs/concepts/decisions.md",
        "docs/concepts/authorities-and-terms.md",
        "docs/concepts/audit-log.md",
        "docs/concepts/partnership.md",
        "docs/how-to/logging.md",
        "docs/how-to/open-a-store.md",
        "docs/how-to/checkpoints.md",
        "docs/how-to/model-your-own-body.md",
    ):
        assert document in named, f"{document} has lost its Python examples"


def test_a_continuation_mark_stands_only_before_a_python_or_shell_block() -> None:
    """A mark that is not just before a ```python or ```sh fence would silently do nothing."""
    for document in DOCUMENTS:
        lines = document.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if line.strip() == CONTINUED:
                following = lines[number + 1] if number + 1 < len(lines) else ""
                assert following in {"```python", "```sh"}, f"{document.name}:{number + 1}"


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.name)
def test_the_code_examples_run_and_print_what_they_say(
    block: Block, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Each block runs on its own, or after the blocks it continues, and prints what it says."""
    monkeypatch.chdir(ROOT)  # examples name files relative to the repository's root
    # An example's tempfile.mkdtemp() folder in pytest's, removed as pytest removes its own.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    namespace: dict[str, object] = {"__name__": "__main__"}  # as a script runs
    *before, last = block.chain()
    with contextlib.redirect_stdout(io.StringIO()):
        for earlier in before:
            run(earlier, namespace)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        run(last, namespace)
    output = [line.strip() for line in printed.getvalue().splitlines()]
    expected = expected_output(last.code)
    for line in expected:
        assert line in output, f"{last.name}: expected {line!r} in the printed output {output}"
    if expected and all_prints_annotated(last.code):  # then it prints nothing more
        assert output == expected, f"{last.name}: printed {output}, the page says {expected}"


def all_prints_annotated(code: str) -> bool:
    """Whether every print() in ``code`` is followed (or ended) by what it prints."""
    lines = [*code.splitlines(), ""]
    return all(
        re.search(r"\)\s+#\s", line) or lines[number + 1].startswith("# ")
        for number, line in enumerate(lines)
        if line.lstrip().startswith("print(")
    )


def run(block: Block, namespace: dict[str, object]) -> None:
    # A name that is no file: inspect (and so Hypothesis) must not read the Markdown as
    # Python source.
    exec(compile(block.code, f"<{block.name}>", "exec"), namespace)  # noqa: S102


def test_the_typing_example_runs() -> None:
    from tests.typing.example import run  # noqa: PLC0415

    state, verification = run()
    assert state == "draft"
    assert verification.ok


def test_the_typing_example_opens_and_closes_a_store(tmp_path: Path) -> None:
    from tests.typing.example import stored  # noqa: PLC0415

    assert stored(str(tmp_path / "log.db")) == 0


def test_the_definition_excerpts_say_what_the_example_files_say() -> None:
    """The TOML blocks of docs/definitions.md are excerpts of the reference case's files.

    Every key, value and list item an excerpt holds is in the file (a list may hold more;
    a text the excerpt cuts short ends in ``...``).
    """
    text = (ROOT / "docs" / "definitions.md").read_text(encoding="utf-8")
    excerpts = re.findall(r"^```toml\n(.*?)^```$", text, re.DOTALL | re.MULTILINE)
    sources = ["partnership.toml", "partnership-scenario.toml"]
    assert len(excerpts) == len(sources)
    for excerpt, source in zip(excerpts, sources, strict=True):
        whole = tomllib.loads((ROOT / "examples" / source).read_text(encoding="utf-8"))
        assert contained(tomllib.loads(excerpt), whole), source


def contained(part: object, whole: object) -> bool:
    """Whether everything ``part`` holds is in ``whole``."""
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(
            k in whole and contained(v, whole[k]) for k, v in part.items()
        )
    if isinstance(part, list):
        return isinstance(whole, list) and all(any(contained(p, w) for w in whole) for p in part)
    if isinstance(part, str) and part.endswith(" ..."):
        return isinstance(whole, str) and whole.startswith(part.removesuffix(" ..."))
    return part == whole


def _texts(svg: str) -> list[str]:
    """The words an SVG picture shows (its ``<text>`` elements), in order."""
    return re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)


def test_the_pictures_of_the_docs_are_what_this_release_draws() -> None:
    """``docs/pictures`` holds what ``scripts/draw_pictures.py`` draws now, and the page shows them.

    The lifecycle's picture is govflow's own drawing: byte for byte. The timeline is
    matplotlib's: byte for byte under the matplotlib that drew it, and otherwise the
    same words in the same order (another version places them a little differently).
    """
    pytest.importorskip("matplotlib", reason="the timeline needs the plot extra")
    import sys  # noqa: PLC0415

    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import draw_pictures  # noqa: PLC0415 - the script beside the docs' hooks
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    import matplotlib  # noqa: PLC0415

    drawn, hint = draw_pictures.pictures(), "run python scripts/draw_pictures.py"
    kept = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "docs/pictures").glob("*.svg")}
    assert sorted(kept) == sorted(drawn), hint
    assert kept["partnership.svg"] == drawn["partnership.svg"], hint
    timeline = kept["timeline.svg"]
    if f"Matplotlib v{matplotlib.__version__}," in timeline:
        assert timeline == drawn["timeline.svg"], hint
    words = _texts(timeline)
    assert words == _texts(drawn["timeline.svg"]), hint
    assert "spb: its decisions over time" in words
    assert {"state: shadow", "LGA Executive", "2013", "Apr"} <= set(words)
    page = (ROOT / "docs/notebooks.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"!\[[^\]]*\]\(pictures/([^)]+)\)", page))
    assert shown == set(kept)
