"""govflow's benchmark suite: figures as medians over runs in fresh processes.

    python benchmarks/run.py [--quick] [--smoke] [--json]

Each figure is the median of several runs, each in a fresh interpreter; each ratio
is taken against a baseline measured in the same run on the same data. ``--quick``
keeps every size and cuts the repetitions. ``--smoke`` (with ``--quick``, as CI runs
it) takes the sizes down by ten (a log of 10^5 entries, up to 10^4 bodies) to show
in a few minutes that every case runs: its figures are not the ones reported.
``--json`` prints one JSON object.

The figures (see issue "Scale" for their definitions):

- apply_us, apply_ratio_transitions: one decision applied, over a bare transitions
  trigger with a boolean condition on the same lifecycle, in a mix of one guarded
  transition (an endorsement) to nineteen decisions that only add a fact; beside it
  its parts, apply_guarded_us and apply_guarded_ratio_transitions (the endorsements
  alone) and apply_fact_us and apply_fact_ratio_transitions (the facts alone);
- create_100k_s, bytes_per_body: 100,000 of the seeds' Board, each with its terms;
- replay_1m_s, replay_ratio_floor: a 10^6-entry log over 10^4 bodies replayed,
  over a dict-table replay of the same entries (the entries the build made, in
  its process: reading them back from the file would add half a minute a run;
  ``cases.py replay LOG`` replays a file's entries instead);
- verify_1m_s, verify_ratio_floor: verifying the 10^6-entry JSON Lines log as
  ``govflow verify`` does, over json.loads plus SHA-256 of each line;
- import_ms, import_ratio_deps: ``import govflow`` over importing transitions,
  attrs and structlog alone;
- sqlite_append_per_s, sqlite_verify_1m_s: durable appends to SQLite (keeping their
  Merkle nodes 64 leaves at a time), and verifying the 10^6-entry log kept in SQLite;
- proofs: for the 10^6-entry JSON Lines and SQLite logs, an inclusion proof, a
  consistency proof and a bundle read from the Merkle nodes the store keeps
  (``<store>_inclusion_us``, ``_consistency_us``, ``_bundle_us``, ``_nodes_read``),
  beside what a proof cost with no node kept (``_rebuild_us``: the tree built from
  the store's entry hashes) and their ratio ``_proof_ratio_rebuild``; ``_keep_s``:
  making and keeping every node of a log written before they were kept, once;
- merkle: ``benchmarks/merkle.py``'s figures for trees of 10^3 to 10^6 leaves: an
  append with the tree, inclusion and consistency proofs made and checked, and a
  checkpoint signed and its signature checked, each beside the raw SHA-256 cost of
  the same bytes in the same run (``*_ratio_sha256``);
- apply_us_at_bodies (10^3, 10^4, 10^5 bodies), apply_us_at_log_size (10^4 to 10^6
  entries) and growth_ratio: cost per decision at 10^6 entries over 2*10^4 (the
  first 10^4 entries of the benchmark log propose its bodies), each taken over the
  appends from half the size to it (cases.py ``build`` says how), every pass of
  the cyclic garbage collector in the span counted; growth_ratio_reference is the
  same ratio in units of a fixed reference timed beside each window of 500 appends
  (a shared machine's speed drifts over the minute between the two sizes);
  collector_us_at_log_size: the cyclic garbage collector's share of those figures;
- apply_us_at_body_facts: cost per decision on one body holding 10^3, 10^4 and
  10^5 facts;
- seconds, seconds_by_case: how long the run took, and each case;
- runs: for each headline figure, its value in each run the median was taken over
  (ratios are the median of each run's own ratio, but apply_ratio_transitions, the
  ratio of the two medians).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
CASES = HERE / "cases.py"


#: The sizes of a run: the bodies apply is timed at, the facts on one body, the log
#: built (and its bodies), and the Merkle trees.
FULL = {
    "bodies": "1000,10000,100000",
    "facts": "100000",
    "log": "1000000",
    "log_bodies": "10000",
    "trees": "1000,10000,100000,1000000",
}
SMOKE = {
    "bodies": "1000,10000",
    "facts": "10000",
    "log": "100000",
    "log_bodies": "1000",
    "trees": "1000,10000,100000",
}

#: Wall-clock seconds each case has taken in this run, summed over its repetitions.
SPENT: dict[str, float] = {}

#: Each headline figure's value in every run its median was taken over, in order: a
#: shared machine's load shows as a spread here, which a median alone hides.
RUNS: dict[str, list[float]] = {}


def case(name: str, *args: str) -> dict[str, Any]:
    """Run one case in a fresh interpreter and return its figures."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, str(CASES), name, *args], capture_output=True, text=True, check=True
    )
    SPENT[name] = SPENT.get(name, 0.0) + time.perf_counter() - start
    return json.loads(out.stdout)  # type: ignore[no-any-return]


IMPORT = (
    "import sys, time\n"
    "start = time.perf_counter()\n"
    "import {modules}\n"
    "ms = (time.perf_counter() - start) * 1000\n"
    "heavy = ['hypothesis', 'sqlite3', 'psycopg', 'transitions.extensions.diagrams']\n"
    "print(ms, [m for m in heavy if m in sys.modules])\n"
)


def compile_govflow() -> None:
    """Write govflow's bytecode, as installing it from a wheel does.

    The dependencies were byte-compiled when pip installed them; an editable
    install (or ``PYTHONDONTWRITEBYTECODE``) would leave govflow compiling its
    source at every import, and the ratio would measure the compiler.
    """
    spec = importlib.util.find_spec("govflow")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("govflow is not installed: pip install -e . first")
    folder = next(iter(spec.submodule_search_locations))
    subprocess.run([sys.executable, "-m", "compileall", "-q", folder], check=True)


def import_once(modules: str) -> tuple[float, list[str]]:
    """Milliseconds to import ``modules`` in a bare interpreter, and what came along."""
    out = subprocess.run(
        [sys.executable, "-c", IMPORT.format(modules=modules)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ms, _, rest = out.partition(" ")
    return float(ms), json.loads(rest.replace("'", '"'))


def import_ms(runs: int) -> tuple[float, float, float, list[str]]:
    """Median import times of govflow and of its dependencies alone, taken in turns.

    Taking them in turns gives both the same moments of a shared machine; the
    ratio is the median of each turn's own ratio.
    """
    own: list[float] = []
    deps: list[float] = []
    pulled: list[str] = []
    for _ in range(runs):
        ms, pulled = import_once("govflow")
        own.append(ms)
        deps.append(import_once("transitions, attrs, structlog")[0])
    ratio = median_of("import_ratio_deps", [o / d for o, d in zip(own, deps, strict=True)])
    return statistics.median(own), statistics.median(deps), ratio, pulled


def median(runs: int, name: str, *args: str) -> dict[str, Any]:
    """The median of each numeric figure over ``runs`` runs."""
    results = [case(name, *args) for _ in range(runs)]
    merged: dict[str, Any] = {}
    for key, value in results[0].items():
        if isinstance(value, int | float):
            merged[key] = statistics.median(r[key] for r in results)
        else:
            merged[key] = value
    return merged


def median_of(key: str, values: list[float]) -> float:
    """The median of ``values``, each kept in :data:`RUNS` under ``key``."""
    RUNS[key] = values
    return statistics.median(values)


def stores(runs: int, *, as_json: bool) -> int:
    """100,000 durable appends, then a verify, on each store: medians over ``runs``."""
    import os
    import uuid

    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        urls: dict[str, Callable[[], str]] = {
            "memory": lambda: "memory:",
            "jsonl": lambda: f"jsonl:///{folder}/{uuid.uuid4().hex}.jsonl",
            "sqlite": lambda: f"sqlite:///{folder}/{uuid.uuid4().hex}.db",
        }
        server = os.environ.get("GOVFLOW_TEST_POSTGRES_URL")
        if server:
            urls["postgresql"] = lambda: f"{server}?govflow_schema=bench_{uuid.uuid4().hex[:12]}"
        for name, url in urls.items():
            results = [case("store", url(), "100000") for _ in range(runs)]
            figures[name] = {key: statistics.median(r[key] for r in results) for key in results[0]}
    print(json.dumps(figures, sort_keys=True) if as_json else json.dumps(figures, indent=2))
    return 0


def merkle(sizes: str, *, quick: bool) -> dict[str, Any]:
    """``benchmarks/merkle.py``'s figures for trees of ``sizes``, from a fresh interpreter."""
    start = time.perf_counter()
    out = subprocess.run(
        [
            sys.executable,
            str(HERE / "merkle.py"),
            "--json",
            "--sizes",
            sizes,
            *(["--quick"] if quick else []),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    SPENT["merkle"] = time.perf_counter() - start
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def importing(*, quick: bool) -> dict[str, Any]:
    """``import govflow``'s figures, from compiled bytecode."""
    compile_govflow()
    start = time.perf_counter()
    own, deps, ratio, pulled = import_ms(11 if quick else 31)
    SPENT["import"] = time.perf_counter() - start
    return {
        "import_ms": own,
        "import_deps_ms": deps,
        "import_ratio_deps": ratio,
        "import_pulls_in": pulled,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, same sizes")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--smoke", action="store_true", help="sizes down by ten: show that every case runs"
    )
    parser.add_argument(
        "--stores",
        action="store_true",
        help="instead, time 100,000 durable appends and a verify on each store "
        "(PostgreSQL when GOVFLOW_TEST_POSTGRES_URL is set)",
    )
    args = parser.parse_args()
    if args.stores:
        return stores(1 if args.quick else 3, as_json=args.json)
    runs = 1 if args.quick else 5
    big_runs = 1 if args.quick else 3
    sizes = SMOKE if args.smoke else FULL
    started = time.perf_counter()
    figures: dict[str, Any] = {}

    applied_runs = [case("apply", "1000", "20000") for _ in range(runs)]
    figures["apply_us"] = median_of("apply_us", [a["apply_us"] for a in applied_runs])
    transitions_us = statistics.median(a["transitions_us"] for a in applied_runs)
    figures["apply_ratio_transitions"] = figures["apply_us"] / transitions_us
    RUNS["apply_ratio_transitions"] = [a["apply_us"] / a["transitions_us"] for a in applied_runs]
    for part in ("guarded", "fact"):
        key = f"apply_{part}_us"
        figures[key] = median_of(key, [a[key] for a in applied_runs])
        figures[f"apply_{part}_ratio_transitions"] = figures[key] / transitions_us
        RUNS[f"apply_{part}_ratio_transitions"] = [
            a[key] / a["transitions_us"] for a in applied_runs
        ]
    figures["apply_us_at_bodies"] = {
        n: median(big_runs, "apply", n, str(max(2 * int(n), 20_000)))["apply_us"]
        for n in sizes["bodies"].split(",")
    }
    figures["apply_us_at_body_facts"] = case("one_body", sizes["facts"])["apply_us_at_body_facts"]
    created = [case("create", "100000") for _ in range(runs)]
    for key in ("create_100k_s", "bytes_per_body"):
        figures[key] = median_of(key, [c[key] for c in created])
    figures.update(importing(quick=args.quick))

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.jsonl"
        log, db = str(path), str(Path(folder) / "log.db")
        # Each build also replays its log; the log of the last build stays for the cases
        # below.
        built = [case("build", log, db, sizes["log"], sizes["log_bodies"]) for _ in range(big_runs)]
        for key in ("apply_us_at_log_size", "collector_us_at_log_size"):
            figures[key] = {
                size: statistics.median(b[key][size] for b in built) for size in built[0][key]
            }
        # The first timed size is 2*10^4: the first 10^4 entries propose the bodies. The
        # ratio is taken in each build, then the median of those ratios: in microseconds,
        # and in units of the reference timed beside each window.
        for key, figure in (
            ("growth_ratio", "apply_us_at_log_size"),
            ("growth_ratio_reference", "apply_references_at_log_size"),
        ):
            figures[key] = median_of(
                key, [b[figure][sizes["log"]] / b[figure]["20000"] for b in built]
            )
        for key in ("replay_1m_s", "replay_ratio_floor"):
            figures[key] = median_of(key, [b[key] for b in built])
        verified = [case("verify_jsonl", log) for _ in range(big_runs)]
        figures["verify_1m_s"] = median_of("verify_1m_s", [v["verify_1m_s"] for v in verified])
        figures["verify_ratio_floor"] = median_of(
            "verify_ratio_floor", [v["verify_1m_s"] / v["verify_floor_1m_s"] for v in verified]
        )
        figures.update(median(big_runs, "sqlite", db, str(Path(folder) / "append.db")))
        figures["proofs"] = case("proofs", log, db, "50" if args.quick else "200")

    figures["merkle"] = merkle(sizes["trees"], quick=args.quick)

    figures["seconds"] = time.perf_counter() - started
    figures.update(seconds_by_case=SPENT, runs=RUNS)
    if args.json:
        print(json.dumps(figures, sort_keys=True))
    else:
        for key in sorted(figures):
            print(f"{key:28} {figures[key]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
