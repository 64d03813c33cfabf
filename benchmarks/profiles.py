"""Where the time goes in the cases whose targets are missed: apply, create and replay.

    python benchmarks/profiles.py apply
    python benchmarks/profiles.py guarded
    python benchmarks/profiles.py validators
    python benchmarks/profiles.py create
    python benchmarks/profiles.py replay LOG.jsonl

``apply`` times the parts every decision that only adds a fact must pay, beside a bare
transitions trigger and the whole decision, and ``guarded`` those of a guarded
endorsement (with the guard's counting); ``replay`` also times building one ``Fact``
per entry, beside the dict-table floor. ``validators`` times whole decisions (fact-only
and guarded) with the records' attrs validators on and off, to show what checking each
field as a record is built costs. ``create`` and ``replay`` print the case's
time split into phases, with the cyclic garbage collector on and off (so its share
shows), then the functions that take the most time under cProfile (which inflates small
calls; read it for the order, not the figures).
"""

from __future__ import annotations

import cProfile
import gc
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cases import (
    DAY,
    _decisions,
    _registry,
    bare_machine,
    board_bodies,
    command_line,
    table_replay,
)


def apply(count: str = "20000") -> None:
    """The parts of a decision that only adds a fact, each as a ratio to a bare trigger.

    The parts are those no way of applying it can skip while its records stay frozen
    attrs classes: the records it builds (its fact, the body's next version of its
    facts, body, outcome and entry, with their validators; its mandate is the one the
    registry holds for its actor), its entry's canonical
    text (the decision's inside it), and sealing: that text's SHA-256 and the stored
    text with the hash. Their sum is the floor under the ``apply`` line, the same
    decisions applied by a registry in the same process; the rest is deciding (the
    order and mandate checks), the registry's bookkeeping and its event. Every part
    runs over the same decisions in 10 blocks, in turns with a block of bare triggers;
    each figure is its median block, in microseconds.
    """
    from hashlib import sha256

    import attrs

    from govflow.log.codec import record_codec
    from govflow.log.entry import Entry
    from govflow.model.authority import Mandate
    from govflow.model.body import Body, Fact, Facts
    from govflow.model.decision import Decision
    from govflow.rules.decide import Outcome

    registry = _registry(1000)
    lifecycle = registry.lifecycle
    # The bodies' own copies, so that growing their facts leaves the registry's be.
    bodies = {b.id: attrs.evolve(b, facts=Facts(b.facts)) for b in registry.bodies.values()}
    decisions = _decisions(int(count), 1000)
    model = bare_machine(lifecycle)
    decision_text = record_codec(Decision, 3).text
    split_of = record_codec(Entry, 3).split_of
    head = "0" * 64
    mandate = Mandate("LGA", "LGA")
    entry_kw = {"before": "proposed", "after": "proposed", "terms_version": 1}

    def split(seq: int, d: Any) -> tuple[str, str]:
        return split_of(seq=seq, body=d.body, decision=d, verdicts=(), mandate=mandate,
                        prev=head, schema=3, **entry_kw)  # fmt: skip

    # Each decision with its entry's text before and after the hash, for the sealing part.
    items = [(d, *split(seq, d)) for seq, d in enumerate(decisions)]

    def trigger(chunk: list[Any]) -> None:
        for _ in chunk:
            model.state = "proposed"
            model.trigger("endorse")

    def records(chunk: list[Any]) -> None:
        for seq, (d, _, _) in enumerate(chunk):
            b = bodies[d.body]
            facts = b.facts.added(Fact(seq, d, "LGA", 1, provisional=False))
            after = bodies[d.body] = Body(b.id, b.state, b.terms, facts, b.history, b.floor,
                                          b.entered, b.entered_on, lifecycle)  # fmt: skip
            Outcome(after, b.state, b.state, 1, (), mandate)
            Entry(seq, d.body, d, "proposed", "proposed", 1, (), mandate, head, head, 3)

    def texts(chunk: list[Any]) -> None:
        for seq, (d, _, _) in enumerate(chunk):
            split(seq, d)

    def decision_texts(chunk: list[Any]) -> None:
        for d, _, _ in chunk:
            decision_text(d)

    def sealing(chunk: list[Any]) -> None:
        for _, before, after in chunk:  # as log.entry.sealed does with the two
            digest = sha256(f"{before},{after}".encode()).hexdigest()
            f'{before},"hash":"{digest}",{after}'  # the stored text, built

    def applied(chunk: list[Any]) -> None:
        for d, _, _ in chunk:
            registry.apply(d)

    parts = {
        "trigger": trigger,
        "records": records,
        "entry_text": texts,
        "decision_text": decision_texts,
        "sealing": sealing,
        "apply": applied,
    }
    median = _in_turns(parts, items)
    median["floor"] = median["records"] + median["entry_text"] + median["sealing"]
    median["rest"] = median["apply"] - median["floor"]
    for name, us in median.items():
        print(f"{name:14} {us:8.2f} us {us / median['trigger']:6.2f} x trigger")
    print("(decision_text is inside entry_text; floor = records + entry_text + sealing)")


def guarded(count: str = "5000") -> None:
    """The parts of a guarded endorsement, each as a ratio to a bare trigger (see ``apply``).

    The parts no way of applying it can skip while its records stay frozen attrs
    classes: the records it builds (its fact, the body with it that the guards read,
    the guard's verdict, the body after the transition, the outcome and the entry), the
    guard's own counting, the entry's text (with the verdict) and sealing. Each body
    is endorsed once, so the registry holds ``count`` bodies.
    """
    from hashlib import sha256

    from govflow.log.codec import record_codec
    from govflow.log.entry import Entry
    from govflow.model.authority import Mandate
    from govflow.model.body import Body, Fact
    from govflow.model.verdict import Verdict
    from govflow.rules.decide import Outcome
    from govflow.rules.explain import verdicts_of

    registry, items = _endorsements(int(count))
    lifecycle, when, head = registry.lifecycle, items[0][0].decided, "0" * 64
    model = bare_machine(lifecycle)
    mandate = Mandate("LGA", "LGA")
    split_of = record_codec(Entry, 3).split_of
    seq = len(registry.log)

    def trigger(chunk: list[Any]) -> None:
        for _ in chunk:
            model.state = "proposed"
            model.trigger("endorse")

    def records(chunk: list[Any]) -> None:
        for d, b, c, verdicts in chunk:
            fact = Fact(seq, d, "LGA", 1, provisional=False)
            Body(b.id, b.state, b.terms, b.facts.plus(fact), b.history, b.floor, b.entered,
                 b.entered_on, lifecycle)  # fmt: skip
            Verdict.ok(verdicts[0].guard, verdicts[0].evidence)
            after = Body(c.id, "endorsed", c.terms, c.facts, (*c.history, "endorsed"), c.floor,
                         seq, when, lifecycle)  # fmt: skip
            Outcome(after, b.state, "endorsed", 1, verdicts, mandate)
            Entry(seq, d.body, d, "proposed", "endorsed", 1, verdicts, mandate, head, head, 3)

    def guards(chunk: list[Any]) -> None:
        for _, _, c, _ in chunk:
            verdicts_of(lifecycle, c, "endorse", when, strict=True)

    def texts(chunk: list[Any]) -> list[tuple[str, str]]:
        return [
            split_of(seq=seq, body=d.body, decision=d, before="proposed", after="endorsed",
                     terms_version=1, verdicts=v, mandate=mandate, prev=head, schema=3)
            for d, _, _, v in chunk
        ]  # fmt: skip

    sealed = {item[0].id: split for item, split in zip(items, texts(items), strict=True)}

    def sealing(chunk: list[Any]) -> None:
        for d, _, _, _ in chunk:  # as log.entry.sealed does with the two
            before, after = sealed[d.id]
            digest = sha256(f"{before},{after}".encode()).hexdigest()
            f'{before},"hash":"{digest}",{after}'  # the stored text, built

    def applied(chunk: list[Any]) -> None:
        for d, _, _, _ in chunk:
            registry.apply(d)

    parts = {"trigger": trigger, "records": records, "guards": guards, "entry_text": texts,
             "sealing": sealing, "apply": applied}  # fmt: skip
    median = _in_turns(parts, items)
    median["floor"] = median["records"] + median["guards"] + median["entry_text"]
    median["floor"] += median["sealing"]
    median["rest"] = median["apply"] - median["floor"]
    for name, us in median.items():
        print(f"{name:14} {us:8.2f} us {us / median['trigger']:6.2f} x trigger")
    print("(floor = records + guards + entry_text + sealing)")


def _endorsements(count: int) -> tuple[Any, list[Any]]:
    """A registry of ``count`` agreed bodies, and for each an endorsement with what it meets.

    Each item: the decision, the body, the body with it recorded that its guards read,
    and their verdicts.
    """
    from govflow import Decision, Kind, Source, When
    from govflow.rules.decide import record
    from govflow.rules.explain import verdicts_of

    registry = _registry(count)
    lifecycle, when, seq = registry.lifecycle, When.on(DAY), len(registry.log)
    items = []
    for b in range(count):
        d = Decision(id=f"e{b}", body=f"b{b}", kind=Kind.ENDORSE, actor="LGA", decided=when,
                     source=Source("benchmark"), trigger="endorse")  # fmt: skip
        body = registry.bodies[d.body]
        candidate = record(lifecycle, body, d, seq, tentative=True, legacy=False)[0]
        found = verdicts_of(lifecycle, candidate, "endorse", when, strict=True)
        assert found is not None
        assert all(v.passed for v in found[1])
        items.append((d, body, candidate, found[1]))
    return registry, items


def _in_turns(parts: dict[str, Callable[[list[Any]], None]], items: list[Any]) -> dict[str, float]:
    """Each part's median µs per item over 10 blocks of ``items``, the parts in turns."""
    times: dict[str, list[float]] = {name: [] for name in parts}
    gc.collect()
    size = len(items) // 10
    for block in range(10):
        chunk = items[block * size : (block + 1) * size]
        for name, part in parts.items():
            start = time.perf_counter()
            part(chunk)
            times[name].append((time.perf_counter() - start) / len(chunk) * 1e6)
    return {name: statistics.median(t) for name, t in times.items()}


def _create_phases() -> dict[str, float]:
    return board_bodies(100_000)[1]


def validators(count: str = "20000") -> None:
    """Whole decisions with the records' attrs validators on and off, each over a bare trigger.

    Fact-only decisions (as ``apply``) and guarded endorsements (as ``guarded``), each
    applied by a fresh registry in 10 blocks, in turns with a block of bare triggers;
    then the same with ``attrs.validators.set_disabled(True)`` (a global switch of attrs
    that govflow never sets: here only to measure), twice each, alternating. Each line
    is the median of its blocks' ratios to the triggers timed beside them.
    """
    import attrs

    def ratios(apply: Callable[[Any], object], decisions: list[Any], model: Any) -> float:
        size, found = len(decisions) // 10, []
        for block in range(10):
            chunk = decisions[block * size : (block + 1) * size]
            start = time.perf_counter()
            for d in chunk:
                apply(d)
            took = time.perf_counter() - start
            start = time.perf_counter()
            for _ in chunk:
                model.state = "proposed"
                model.trigger("endorse")
            found.append(took / (time.perf_counter() - start))
        return statistics.median(found)

    for disabled in (False, True, False, True):
        attrs.validators.set_disabled(disabled)
        try:
            registry = _registry(1000)
            model = bare_machine(registry.lifecycle)
            fact = ratios(registry.apply, _decisions(int(count), 1000), model)
            registry, items = _endorsements(int(count) // 4)
            guarded = ratios(registry.apply, [item[0] for item in items], model)
        finally:
            attrs.validators.set_disabled(False)
        said = "off" if disabled else "on "
        print(f"validators {said}  fact-only {fact:5.2f} x trigger  guarded {guarded:5.2f} x")


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
    # What replay cannot skip while a body holds real facts: one Fact built per entry.
    from govflow.model.body import Fact

    start = time.perf_counter()
    table_replay(lifecycle, entries)
    floor = time.perf_counter() - start
    start = time.perf_counter()
    for entry in entries:
        Fact(entry.seq, entry.decision, entry.mandate.organisation, entry.terms_version)
    built = time.perf_counter() - start
    print(f"one Fact per entry {built * scale:.3f} s per 10^6 entries, {built / floor:.2f} x "
          f"the dict-table floor ({floor * scale:.3f} s)")  # fmt: skip
    profiled = cProfile.Profile()
    profiled.runcall(replay_log, lifecycle, entries)
    pstats.Stats(profiled).sort_stats("tottime").print_stats(12)


def _line(figures: dict[str, Any]) -> str:
    return " ".join(f"{key} {value:.3f}" for key, value in figures.items())


if __name__ == "__main__":
    command_line(globals(), __doc__ or "", sys.argv[1:])
