"""What showing govflow's objects costs, beside a peer doing the same job in the same run.

    python benchmarks/display.py [--quick] [--entries N]

Each figure is the median of several timed calls in this process, in milliseconds,
each beside a baseline that does the same job another way, on the same data, timed
alternately with it (``*_ratio_*`` is ours over the baseline's median):

- lifecycle_svg_ms: the reference case's lifecycle as SVG, laid out by govflow, beside
  Graphviz's ``dot -Tsvg`` drawing the same graph (``render.diagram.svg``), when
  Graphviz is installed; lifecycle_mermaid_ms, its mermaid text;
- big_svg_ms: a lifecycle of 60 states and 200 transitions, as SVG;
- log_table_ms: the table a notebook shows for a 20,000-entry log (``--entries``; it
  shows the last 20 rows),
  beside pandas' ``DataFrame.to_html`` of the same 20 rows' records;
- store_table_ms: the same for a SQLite store (it reads and checks its last 20 rows);
- records_us_per_entry: ``to_records()`` of the 20,000 entries, per entry;
- timeline_ms: the reference case's timeline drawn as SVG, beside matplotlib drawing
  the same number of marks with one ``plot`` call and saving it as SVG.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def timed(call: Callable[[], object], repeat: int) -> float:
    """The median of ``repeat`` calls of ``call``, in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1e3)
    return statistics.median(samples)


def side_by_side(
    ours: Callable[[], object], theirs: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """Both medians, the two timed alternately so that a machine's drift hits both."""
    a, b = [], []
    for _ in range(repeat):
        a.append(timed(ours, 1))
        b.append(timed(theirs, 1))
    return statistics.median(a), statistics.median(b)


def reference() -> Any:
    from govflow import Registry
    from govflow.scenarios import partnership_lifecycle, spb

    registry = Registry(partnership_lifecycle(authorities=spb.authorities()))
    for decision in (*spb.decisions(), *spb.played_forward()):
        registry.apply(decision)
    return registry


def big_lifecycle() -> Any:
    from govflow import Lifecycle, Transition

    states = [f"s{n}" for n in range(60)]
    transitions = [Transition(f"next{n}", states[n], states[n + 1]) for n in range(59)]
    transitions += [
        Transition(f"jump{n}", states[n % 59], states[(n * 7 + 3) % 60]) for n in range(141)
    ]
    return Lifecycle(states=states, initial="s0", transitions=transitions, final=["s59"])


def long_log(entries: int) -> Any:
    from govflow import Decision, Kind, Registry, Source, When
    from govflow.scenarios import partnership_lifecycle, spb

    registry = Registry(partnership_lifecycle())
    day = When.on(dt.date(2013, 1, 1))
    for n in range(entries):
        if n % 100 == 0:
            registry.apply(
                Decision(
                    id=f"p{n}",
                    body=f"b{n}",
                    kind=Kind.PROPOSE,
                    actor="LGA",
                    decided=day,
                    source=Source("benchmark"),
                    terms=spb.TERMS,
                )
            )
        else:
            body = f"b{n - n % 100}"
            registry.apply(
                Decision(
                    id=f"d{n}",
                    body=body,
                    kind=Kind.NOMINATE,
                    actor="LGA",
                    decided=day,
                    source=Source("benchmark"),
                )
            )
    return registry


def drawings(figures: dict[str, float], repeat: int) -> Any:
    """The lifecycle's diagrams; gives the reference case's registry."""
    registry = reference()
    lifecycle = registry.lifecycle
    figures["lifecycle_mermaid_ms"] = timed(lifecycle.mermaid, repeat)
    if shutil.which("dot"):
        from govflow.render.diagram import svg as graphviz_svg

        ours, theirs = side_by_side(lifecycle.svg, lambda: graphviz_svg(lifecycle), repeat)
        figures |= {"lifecycle_svg_ms": ours, "graphviz_svg_ms": theirs}
        figures["lifecycle_svg_ratio_graphviz"] = ours / theirs
    else:
        figures["lifecycle_svg_ms"] = timed(lifecycle.svg, repeat)
    figures["big_svg_ms"] = timed(big_lifecycle().svg, repeat)
    return registry


def tables(figures: dict[str, float], repeat: int, size: int) -> None:
    """A long log's table, in memory and in SQLite, and its records."""
    log = long_log(size)
    entries = log.log
    figures["records_us_per_entry"] = timed(entries.to_records, 3) * 1e3 / len(entries)
    try:
        import pandas as pd
    except ImportError:
        figures["log_table_ms"] = timed(entries._repr_mimebundle_, repeat)
    else:
        last = entries.to_records()[-20:]
        ours, theirs = side_by_side(
            entries._repr_mimebundle_, lambda: pd.DataFrame(last).to_html(), repeat
        )
        figures |= {"log_table_ms": ours, "pandas_to_html_ms": theirs}
        figures["log_table_ratio_pandas"] = ours / theirs
    from govflow.stores import SqliteStore

    with (
        tempfile.TemporaryDirectory() as folder,
        SqliteStore(Path(folder) / "log.db", log.lifecycle.fingerprint) as store,
    ):
        for entry in entries:
            store.append(entry)
        figures["store_table_ms"] = timed(store._repr_mimebundle_, repeat)


def picture(figures: dict[str, float], registry: Any, repeat: int) -> None:
    """The reference case's timeline, beside matplotlib drawing as many marks bare."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return
    from govflow.render import timeline

    marks = sum(1 for e in registry.log if e.body == "spb")

    def bare() -> str:
        figure = Figure(figsize=(11, 6))
        axes = figure.subplots()
        axes.plot(range(marks), range(marks), "o")
        out = io.StringIO()
        figure.savefig(out, format="svg")
        return out.getvalue()

    ours, theirs = side_by_side(lambda: timeline(registry.log, "spb"), bare, repeat)
    figures |= {"timeline_ms": ours, "matplotlib_bare_ms": theirs}
    figures["timeline_ratio_matplotlib"] = ours / theirs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--entries", type=int, default=20_000, help="the long log's size")
    args = parser.parse_args()
    repeat = 7 if args.quick else 21
    figures: dict[str, float] = {}
    registry = drawings(figures, repeat)
    tables(figures, repeat, args.entries)
    picture(figures, registry, repeat)
    # Three places, and four significant digits below 1: a ratio of 0.0037 kept to three
    # places would be 0.004.
    kept = {k: round(v, 3) if abs(v) >= 1 else float(f"{v:.4g}") for k, v in figures.items()}
    json.dump(kept, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
