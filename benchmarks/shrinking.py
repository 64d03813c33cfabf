"""What a failing ``LifecycleMachine`` run costs to shrink, with and without the explain phase.

    python benchmarks/shrinking.py [--runs N]

A machine on the reference lifecycle whose own check fails once the log holds six
entries (a planted failure, found within 50 examples of up to 20 steps) is run to its
failure and shrunk, with every phase (``explain`` included: after the first failure,
Hypothesis traces each line of every run it tries while shrinking) and with every phase
but ``explain``. The two settings alternate, ``--runs`` times each (default 3); each
figure is the median of its runs in seconds, and the ratio the median of each pair's
own ratio. Derandomized, so each run finds and shrinks the same failure.

Then, for that failure and a deeper one (a body established, some twenty decisions
into a walk of one body), the same without shrinking beside it with shrinking (the
explain phase left out of both, as the kit leaves it out): the seconds to the report,
the steps of the run reported (``last_steps``), and the fewest decisions the kit names
(``fewest_steps``), found by replaying the run's decisions in either case.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from hypothesis import Phase, settings
from hypothesis.stateful import run_state_machine_as_test

from govflow import Registry
from govflow.scenarios import partnership_lifecycle
from govflow.testing import LifecycleMachine


def _six_entries_at_most(registry: Registry) -> None:
    assert len(registry.log) < 6, "six entries"  # the planted failure


def _none_established(registry: Registry) -> None:
    states = {body.state for body in registry.bodies.values()}
    assert "established" not in states, "established"  # the deeper planted failure


class Failing(LifecycleMachine):
    lifecycle = partnership_lifecycle()
    checks = (_six_entries_at_most,)


class Deep(LifecycleMachine):
    lifecycle = partnership_lifecycle()
    checks = (_none_established,)
    bodies = ("b0",)
    invalid = 0.0


def shrunk(phases: tuple[Phase, ...], machine: type[LifecycleMachine] = Failing) -> float:
    """Seconds to find the planted failure and shrink it under ``phases``."""
    chosen = settings(
        max_examples=50,
        stateful_step_count=20,
        deadline=None,
        database=None,
        derandomize=True,
        phases=phases,
    )
    start = time.perf_counter()
    try:
        run_state_machine_as_test(machine, settings=chosen)
    except AssertionError:
        return time.perf_counter() - start
    raise SystemExit("the planted failure was not found")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    every = tuple(Phase)
    without = tuple(p for p in Phase if p is not Phase.explain)
    traced, plain = [], []
    for _ in range(runs):  # alternating, so that both see the same moments of the machine
        traced.append(shrunk(every))
        plain.append(shrunk(without))
    figures = {
        "python": sys.version.split()[0],
        "shrink_with_explain_s": statistics.median(traced),
        "shrink_without_explain_s": statistics.median(plain),
        "explain_ratio": statistics.median(t / p for t, p in zip(traced, plain, strict=True)),
    }
    unshrunk = tuple(p for p in without if p is not Phase.shrink)
    for name, machine in (("six_entries", Failing), ("established", Deep)):
        timed: dict[str, list[float]] = {"shrunk": [], "unshrunk": []}
        for _ in range(runs):
            for how, phases in (("shrunk", without), ("unshrunk", unshrunk)):
                timed[how].append(shrunk(phases, machine))
                figures[f"{name}_{how}_steps"] = len(machine.last_steps)
                figures[f"{name}_{how}_fewest"] = len(machine.fewest_steps)
        figures[f"{name}_shrunk_s"] = statistics.median(timed["shrunk"])
        figures[f"{name}_unshrunk_s"] = statistics.median(timed["unshrunk"])
        pairs = zip(timed["shrunk"], timed["unshrunk"], strict=True)
        figures[f"{name}_shrink_ratio"] = statistics.median(s / u for s, u in pairs)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
