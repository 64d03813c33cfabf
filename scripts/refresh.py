"""Write again the files derived from the code, for a change's author to review.

    python scripts/refresh.py            # the module map's line counts, the schema files
    python scripts/refresh.py --golden   # and the golden demo outputs

The tests hold each of these to the code: ``docs/architecture.md``'s module map gives
every module's line count (``tests/test_architecture.py``); the definition files' JSON
Schema is shipped in ``src/govflow/definitions/schema.json`` and published as
``docs/definition-schema.json`` (``tests/test_definitions.py``); the demo's output is
``tests/golden/demo.txt`` and ``demo-technical.txt`` (``tests/test_cli.py``). This
writes them from the code as it is and prints which changed. A golden file is no check
of itself once rewritten: read every changed line (``git diff tests/golden``) against
the record it tells, and commit only what you would have written by hand.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def module_map() -> str:
    """``docs/architecture.md`` with each module's row giving the lines it has now."""
    path = ROOT / "docs" / "architecture.md"
    doc = path.read_text(encoding="utf-8")
    start, end = doc.index("## Module map"), doc.index("## The path of one decision")
    rows = []
    for line in doc[start:end].split("\n"):
        cells = line.split("|")  # "", module, lines, what it holds, "": a module's row
        count = cells[2] if line.startswith("|") and len(cells) >= len(("", "m", "n", "w")) else ""
        if re.fullmatch(r"\s*\d[\d, ]*\s*", count):
            module = re.findall(r"`([^`]+)`", cells[1])[0]
            source = ROOT / "src" / "govflow" / f"{module}.py"
            cells[2] = f" {len(source.read_text(encoding='utf-8').splitlines())} "
        rows.append("|".join(cells))
    return doc[:start] + "\n".join(rows) + doc[end:]


def schema() -> str:
    """The definition files' JSON Schema, as the loader builds it."""
    from govflow.definitions.format import schema as built  # noqa: PLC0415

    return json.dumps(built(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def demo(*flags: str) -> str:
    """What ``govflow demo`` prints."""
    from govflow.cli import main  # noqa: PLC0415

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["demo", *flags])
    if status != 0:
        sys.exit(f"govflow demo {' '.join(flags)} exited {status}: no golden file written")
    return out.getvalue()


def main() -> None:
    """Write each derived file that differs from what the code makes, and say so."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--golden", action="store_true", help="the golden demo outputs too")
    args = parser.parse_args()
    files = {
        ROOT / "docs" / "architecture.md": module_map,
        ROOT / "src" / "govflow" / "definitions" / "schema.json": schema,
        ROOT / "docs" / "definition-schema.json": schema,
    }
    if args.golden:
        files[ROOT / "tests" / "golden" / "demo.txt"] = demo
        files[ROOT / "tests" / "golden" / "demo-technical.txt"] = lambda: demo("--technical")
    for path, made in files.items():
        text = made()
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"rewrote {path.relative_to(ROOT)}: review it with git diff")
    if args.golden:
        print("read each changed golden line against the record it tells before committing")


if __name__ == "__main__":
    main()
