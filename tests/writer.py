"""A writer process for the durability and concurrency tests.

    python -m tests.writer URL NAME COUNT

Applies COUNT nomination decisions by NAME to body "b" in the store at URL,
proposing the body first if it does not exist. After each append returns, it
prints ``<seq> <decision id>`` and flushes, so the parent knows what was durable.
On a conflict with another writer it reloads and tries again, and prints
``conflict``. It waits for the file named by GOVFLOW_START, if set, to exist. With
GOVFLOW_READING set, it keeps iterators open on the store while it appends (one
started before each append and left part-read, and a full read every hundred).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from govflow import AppendConflict, BodyExists, Kind, Registry
from govflow.stores import open_store

from .helpers import LIFECYCLE, make


class Quiet:
    def info(self, event: str, **fields: object) -> None:
        pass

    def warning(self, event: str, **fields: object) -> None:
        pass


def main(url: str, name: str, count: int) -> None:
    start = os.environ.get("GOVFLOW_START")
    while start and not Path(start).exists():
        time.sleep(0.005)
    log = open_store(url, LIFECYCLE.fingerprint)
    registry = Registry(LIFECYCLE, log=log, logger=Quiet())

    reading = bool(os.environ.get("GOVFLOW_READING"))
    open_iterators: list[Iterator[object]] = []

    def apply(decision: object) -> None:
        if reading:
            started = iter(log)
            next(started, None)
            open_iterators.append(started)
            if len(open_iterators) % 100 == 0:
                list(log)
        while True:
            try:
                entry = registry.apply(decision)  # type: ignore[arg-type]
            except AppendConflict:
                print("conflict", flush=True)
                reload = getattr(log, "reload", None)
                if reload is not None:
                    reload()
                registry.reload()
                continue
            print(entry.seq, entry.decision.id, flush=True)
            return

    if "b" not in registry.bodies:
        with contextlib.suppress(BodyExists):
            apply(make("p", Kind.PROPOSE, "LGA", 0))
    for number in range(count):
        apply(make(f"{name}-{number}", Kind.NOMINATE, "LGA", 1, nominees=[f"{name} {number}"]))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
