"""What unusual steps aside find, and what they cost: runs of two machines with a planted guard.

    python scripts/unusual.py [--seeds 4] [--shares 0,0.25,1]

``DayReader`` (a guard that reads each agreement's date as a day: a month breaks it) and
``Amender`` (a guard that counts agreements on any terms, where an amendment voids the
earlier ones: a check of the model's own catches the body agreed on them) are the
testing kit's own test models (``tests/test_kit_unusual.py``). Each is run with each
share of unusual steps, seeded, with the kit's settings (100 examples) less shrinking;
a run counts as finding the guard when it fails. ``scripts/reach.py --unusual`` gives
what the share costs in depth.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import hypothesis.core
from hypothesis import Phase, settings
from hypothesis.stateful import run_state_machine_as_test

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_kit_unusual import Amender, DayReader  # noqa: E402


def found(machine: type, share: float, seed: int) -> tuple[bool, float]:
    """Whether a seeded run of ``machine`` with ``share`` fails, and its seconds."""
    hypothesis.core.global_force_seed = seed  # type: ignore[attr-defined]
    run = type(f"{machine.__name__}At{share}", (machine,), {"unusual": share})
    kit = run.TestCase.settings
    plain = settings(kit, database=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
    start = time.perf_counter()
    try:
        run_state_machine_as_test(run, settings=plain)
    except AssertionError:
        return True, time.perf_counter() - start
    return False, time.perf_counter() - start


def main() -> None:
    """Print, per machine and share, the seeded runs that found the planted guard."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--shares", default="0,0.25,1")
    args = parser.parse_args()
    for machine in (DayReader, Amender):
        for share in (float(s) for s in args.shares.split(",")):
            runs = [found(machine, share, seed) for seed in range(1, args.seeds + 1)]
            hits = [seconds for hit, seconds in runs if hit]
            when = f" (in {', '.join(f'{s:.1f}' for s in hits)} s)" if hits else ""
            name = machine.__name__
            print(f"{name:10} unusual {share:<5} found in {len(hits)} of {len(runs)}{when}")


if __name__ == "__main__":
    main()
