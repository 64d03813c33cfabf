"""How deep generated decisions go: the share of runs reaching each state, per model.

Compares the model-blind ``decision_sequences`` with ``walks`` on the models the kit's
tests use (a four-state committee, the reference lifecycle and the examples)::

    python scripts/reach.py [--examples 300] [--unusual 0.25]

Each run applies one generated list to a fresh registry; a state counts as reached
when some body was in it after some decision. Derandomized, so the figures repeat.
``--unusual`` gives ``walks`` that share of unusual steps aside (amendments, dates
known to the month or the week), to show what they cost in depth.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_kit import MODELS  # noqa: E402

from govflow import Decision, DecisionRefused, Lifecycle, Registry  # noqa: E402
from govflow.testing import decision_sequences, walks  # noqa: E402
from govflow.testing.records import quiet  # noqa: E402


def reach(
    lifecycle: Lifecycle, strategy: st.SearchStrategy[list[Decision]], examples: int
) -> tuple[dict[str, float], dict[str, float]]:
    """The share of runs reaching each state, and of runs with each kind of refusal."""
    states: collections.Counter[str] = collections.Counter()
    refusals: collections.Counter[str] = collections.Counter()
    runs = 0

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(decisions: list[Decision]) -> None:
        nonlocal runs
        registry = Registry(lifecycle, logger=quiet())
        seen, codes = set(), set()
        for decision in decisions:
            try:
                registry.apply(decision)
            except DecisionRefused as refusal:
                codes.add(refusal.code)
            seen.update(body.state for body in registry.bodies.values())
        states.update(seen)
        refusals.update(codes)
        runs += 1

    run()
    return (
        {s.name: states[s.name] / runs for s in lifecycle.states},
        {code: n / runs for code, n in refusals.most_common()},
    )


def main() -> None:
    """Print, per model, the share of runs reaching each state, before and after."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--unusual", type=float, default=0.0)
    args = parser.parse_args()
    examples = args.examples
    for name, lifecycle in MODELS.items():
        for label, strategy in (
            ("decision_sequences", decision_sequences(lifecycle)),
            ("walks", walks(lifecycle, unusual=args.unusual)),
        ):
            shares, refused = reach(lifecycle, strategy, examples)
            row = "  ".join(f"{state} {share:.1%}" for state, share in shares.items())
            top = ", ".join(f"{code} {share:.0%}" for code, share in list(refused.items())[:3])
            print(f"{name:15} {label:18} {row}   (refusals in runs: {top})")


if __name__ == "__main__":
    main()
