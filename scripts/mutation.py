"""Mutation testing of govflow's core, in parts: the share of mutants the tests kill.

Run on demand, not in CI (a whole-core run takes a long time on two cores)::

    pip install -e ".[dev]" mutmut==3.8.1
    python scripts/mutation.py                      # every part
    python scripts/mutation.py model/when log/verify  # some parts
    python scripts/mutation.py --list               # the parts and their tests

Each part is one module of ``src/govflow`` mutated by mutmut, against the tests that
exercise it, under the fast ``mutation`` Hypothesis profile. Each part runs in its own
copy of the project (mutmut writes a ``mutants/`` folder), so the working tree is left
alone. For each part it prints the mutants killed, the total, the share, the wall time
and every survivor's diff; at the end the total over the parts run. A mutant whose
tests run past mutmut's time limit counts as killed.

mutmut maps each function to the tests that call it and runs each mutant in a fork of
a process that has imported everything; under the ``mutation`` profile
``tests/conftest.py`` empties govflow's caches before each test, so that a cached
function (the codecs) is mapped to every test that uses it and made again, mutated,
in each fork.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Each core module, and the tests that exercise it.
PARTS: dict[str, list[str]] = {
    "model/when": ["tests/test_when.py", "tests/test_mutants.py"],
    "guards/counting": [
        "tests/test_guards.py",
        "tests/test_date_guards.py",
        "tests/test_explain.py",
        "tests/test_parameters.py",
        "tests/test_vocabulary.py",
        "tests/test_mutants.py",
    ],
    "log/verify": ["tests/test_log.py", "tests/test_tampering.py", "tests/test_mutants.py"],
    "log/codec": [
        "tests/test_codec_parts.py",
        "tests/test_codec.py",
        "tests/test_log.py",
        "tests/test_records.py",
        "tests/test_fixtures.py",
        "tests/test_mutants.py",
    ],
    "log/entry": ["tests/test_log.py", "tests/test_codec.py", "tests/test_fixtures.py"],
    "rules/decide": [
        "tests/test_deciding.py",
        "tests/test_authority.py",
        "tests/test_registry.py",
        "tests/test_facts.py",
        "tests/test_terms.py",
        "tests/test_going_back.py",
        "tests/test_vocabulary.py",
        "tests/test_notes.py",
        "tests/test_messages.py",
        "tests/test_mutants.py",
    ],
    "rules/kinds": [
        "tests/test_deciding.py",
        "tests/test_facts.py",
        "tests/test_terms.py",
        "tests/test_registry.py",
        "tests/test_authority.py",
    ],
    "rules/lifecycle": [
        "tests/test_lifecycle.py",
        "tests/test_vocabulary.py",
        "tests/test_guard_identity.py",
        "tests/test_parts.py",
        "tests/test_engine.py",
        "tests/test_authority.py",
        "tests/test_going_back.py",
        "tests/test_render.py",
        "tests/test_fixtures.py",
    ],
    "rules/explain": [
        "tests/test_explain.py",
        "tests/test_possibly.py",
        "tests/test_guards.py",
        "tests/test_date_guards.py",
        "tests/test_parameters.py",
        "tests/test_messages.py",
        "tests/test_deciding.py",
        "tests/test_engine.py",
        "tests/test_hostile_new_api.py",
        "tests/test_mutants.py",
    ],
    "rules/engine": ["tests/test_engine.py", "tests/test_lifecycle.py", "tests/test_render.py"],
    "rules/vocabulary": ["tests/test_vocabulary.py", "tests/test_parts.py"],
    "rules/parts": [
        "tests/test_parts.py",
        "tests/test_lifecycle.py",
        "tests/test_going_back.py",
        "tests/test_guard_identity.py",
        "tests/test_render.py",
    ],
}

CONFIG = """
[tool.mutmut]
source_paths = ["src/govflow/{part}.py"]
also_copy = ["src/govflow", "examples", "docs", "README.md", "benchmarks", "tests"]
pytest_add_cli_args_test_selection = {tests}
pytest_add_cli_args = ["-p", "no:cacheprovider"]
"""


def run_part(part: str, tests: list[str], children: int) -> tuple[int, int, list[str]]:
    """Mutate one module: (killed, total, survivors' diffs)."""
    with tempfile.TemporaryDirectory(prefix="govflow-mutation-") as folder:
        copy = Path(folder) / "project"
        files = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
        for name in files:
            target = copy / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if (ROOT / name).is_file():
                shutil.copy2(ROOT / name, target)
        config = CONFIG.format(part=part, tests=[t for t in tests if (copy / t).exists()])
        pyproject = copy / "pyproject.toml"
        pyproject.write_text(pyproject.read_text(encoding="utf-8") + config, encoding="utf-8")
        env_run = [sys.executable, "-m", "mutmut"]
        env = {"HYPOTHESIS_PROFILE": "mutation", "PATH": str(Path(sys.executable).parent)}
        ran = subprocess.run(
            [*env_run, "run", "--max-children", str(children)],
            cwd=copy,
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        if ran.returncode != 0:
            tail = "\n".join((ran.stdout + ran.stderr).strip().splitlines()[-20:])
            message = f"mutmut failed on {part} (exit {ran.returncode}):\n{tail}"
            raise SystemExit(message)
        listing = subprocess.run(
            [*env_run, "results", "--all", "true"],
            cwd=copy,
            capture_output=True,
            text=True,
            check=False,
            env=env,
        ).stdout
        statuses = dict(re.findall(r"^\s*(\S+): (\S+)$", listing, re.MULTILINE))
        # A mutant that makes the tests run past mutmut's time limit (a loop that never
        # ends) is caught as surely as one they fail on: it counts as killed.
        caught = {"killed", "timeout"}
        survivors = [name for name, status in statuses.items() if status not in caught]
        diffs = [
            subprocess.run(
                [*env_run, "show", name], cwd=copy, capture_output=True, text=True, check=False
            ).stdout
            for name in survivors
        ]
        killed = sum(1 for status in statuses.values() if status in caught)
        return killed, len(statuses), diffs


def main(argv: list[str] | None = None) -> int:
    """Run the parts asked for; print each part's score and survivors, then the total."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", help="parts to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the parts and stop")
    parser.add_argument("--children", type=int, default=2, help="mutants run at once")
    parser.add_argument("--quiet", action="store_true", help="leave out the survivors' diffs")
    args = parser.parse_args(argv)
    if args.list:
        for part, tests in PARTS.items():
            print(f"{part}: {' '.join(tests)}")
        return 0
    unknown = [p for p in args.parts if p not in PARTS]
    if unknown:
        parser.error(f"unknown part(s) {unknown}; see --list")
    total_killed = total = 0
    for part in args.parts or list(PARTS):
        start = time.perf_counter()
        killed, count, diffs = run_part(part, PARTS[part], args.children)
        seconds = time.perf_counter() - start
        share = killed / count if count else 0.0
        print(f"{part}: {killed}/{count} killed ({share:.1%}) in {seconds:.0f} s", flush=True)
        if not args.quiet:
            for diff in diffs:
                print("    " + "\n    ".join(diff.strip().splitlines()))
        total_killed += killed
        total += count
    if total:
        print(f"total: {total_killed}/{total} killed ({total_killed / total:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
