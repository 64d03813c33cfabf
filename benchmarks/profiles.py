"""Where the time goes in the cases whose targets are missed: create and replay.

    python benchmarks/profiles.py create
    python benchmarks/profiles.py replay LOG.jsonl

Each prints the case's time split into phases, with the cyclic garbage collector on
and off (so its share shows), then the functions that take the most time under
cProfile (which inflates small calls; read it for the order, not the figures).
"""

from __future__ import annotations

import cProfile
import gc
import pstats
import sys
import time
from pathlib import Path
from typing import Any

from cases import board_bodies


def _create_phases() -> dict[str, float]:
    return board_bodies(100_000)[1]


def create() -> None:
    """Terms, proposals and decide, timed apart, for 100,000 bodies."""
    for collector in (True, False):
        if not collector:
            gc.disable()
        phases = _create_phases()
        total = sum(phases.values())
        print(f"gc {'on ' if collector else 'off'}", _line(phases), f"total {total:.3f} s")
        gc.enable()
    profiled = cProfile.Profile()
    profiled.runcall(_create_phases)
    pstats.Stats(profiled).sort_stats("tottime").print_stats(12)


def replay(path: str) -> None:
    """Replay of a JSON Lines log, with the collector on and off, then profiled."""
    from govflow import replay as replay_log
    from govflow.scenarios import partnership_lifecycle
    from govflow.stores import JsonlStore

    lifecycle = partnership_lifecycle()
    entries = list(JsonlStore(Path(path)))
    scale = 1_000_000 / len(entries)
    for collector in (True, False):
        if not collector:
            gc.disable()
        gc.collect()
        start = time.perf_counter()
        replay_log(lifecycle, entries)
        seconds = (time.perf_counter() - start) * scale
        print(f"gc {'on ' if collector else 'off'} replay {seconds:.3f} s per 10^6 entries")
        gc.enable()
    profiled = cProfile.Profile()
    profiled.runcall(replay_log, lifecycle, entries)
    pstats.Stats(profiled).sort_stats("tottime").print_stats(12)


def _line(figures: dict[str, Any]) -> str:
    return " ".join(f"{key} {value:.3f}" for key, value in figures.items())


if __name__ == "__main__":
    name, *args = sys.argv[1:]
    globals()[name](*args)
