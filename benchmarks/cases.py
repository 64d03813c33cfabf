"""The measurements, one function each; ``run.py`` runs each in a fresh process.

    python benchmarks/cases.py CASE [ARGS...]

prints one JSON object with the case's figures. Every ratio's baseline is measured
in the same process, right after the measured code, on the same data.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import statistics
import sys
import time
import timeit
import tracemalloc
from pathlib import Path
from typing import Any

DAY = dt.date(2013, 1, 1)


class Quiet:
    def info(self, event: str, **fields: object) -> None:
        pass

    def warning(self, event: str, **fields: object) -> None:
        pass


def _decisions(count: int, bodies: int, start: int = 0) -> list[Any]:
    """Nominations by the LGA over ``bodies`` bodies in turn: decisions that only add a fact."""
    from govflow import Decision, Kind, Source, When

    source, when = Source("benchmark"), When.on(DAY)
    out = []
    for n in range(start, start + count):
        body = f"b{n % bodies}"
        out.append(
            Decision(
                id=f"d{n}", body=body, kind=Kind.NOMINATE, actor="LGA", decided=when, source=source
            )
        )
    return out


def _registry(bodies: int, log: Any = None, *, agree: bool = True) -> Any:
    from govflow import Decision, Kind, Registry, Source, When
    from govflow.scenarios import partnership_lifecycle, spb

    registry = Registry(partnership_lifecycle(), log=log, logger=Quiet())
    for b in range(bodies):
        registry.apply(
            Decision(
                id=f"p{b}",
                body=f"b{b}",
                kind=Kind.PROPOSE,
                actor="LGA",
                decided=When.on(DAY),
                source=Source("benchmark"),
                terms=spb.TERMS,
            )
        )
        if agree:
            registry.apply(
                Decision(
                    id=f"a{b}",
                    body=f"b{b}",
                    kind=Kind.AGREE,
                    actor="APCC",
                    decided=When.on(DAY),
                    source=Source("benchmark"),
                )
            )
    return registry


def bare_machine(lifecycle: Any) -> Any:
    """A transitions model of ``lifecycle``'s graph, each transition with a condition.

    The baseline of the apply figures: ``model.state = "proposed"`` then
    ``model.trigger("endorse")`` is one bare trigger.
    """
    from transitions import Machine

    class Model:
        state: str

    model = Model()
    machine = Machine(
        model=model,
        states=[s.name for s in lifecycle.states],
        initial="proposed",
        auto_transitions=False,
    )
    for t in lifecycle.transitions:
        machine.add_transition(t.trigger, list(t.sources), t.dest, conditions=[lambda: True])
    return model


def apply(bodies: str = "1000", count: str = "20000") -> dict[str, float]:
    """One decision applied (guards, record, hash, append) vs a bare transitions trigger.

    One decision in twenty is an endorsement (a guarded transition, of a body of its
    own); the others add facts, spread over all the bodies. Each block times its
    endorsements and its facts apart too, so that the mix is reported beside its parts
    (``apply_guarded_us``, ``apply_fact_us``). The same mix at every
    number of bodies, so that the figures at 10^3, 10^4 and 10^5 bodies differ only
    by the number of bodies. The decisions run in 20 blocks, each with its share of
    endorsements and facts, and a block of as many bare triggers runs after each: a
    shared machine's speed drifts over seconds, and alternating keeps both
    measurements in the same moments. The figures are each side's median block.
    """
    from govflow import Decision, Kind, Source, When

    n_bodies, n, blocks = int(bodies), int(count), 20
    registry = _registry(n_bodies)
    lifecycle = registry.lifecycle
    endorse = [
        Decision(
            id=f"e{b}",
            body=f"b{b}",
            kind=Kind.ENDORSE,
            actor="LGA",
            decided=When.on(DAY),
            source=Source("benchmark"),
            trigger="endorse",
        )
        for b in range(n // 20)
    ]
    facts = _decisions(n - len(endorse), n_bodies)

    model = bare_machine(lifecycle)
    ours, guarded, plain, theirs = [], [], [], []
    gc.collect()
    for block in range(blocks):
        endorsing = endorse[block * len(endorse) // blocks : (block + 1) * len(endorse) // blocks]
        adding = facts[block * len(facts) // blocks : (block + 1) * len(facts) // blocks]
        start = time.perf_counter()
        for decision in endorsing:
            registry.apply(decision)
        middle = time.perf_counter()
        for decision in adding:
            registry.apply(decision)
        end = time.perf_counter()
        ours.append((end - start) / (len(endorsing) + len(adding)) * 1e6)
        if endorsing:  # a small run may leave a block without one
            guarded.append((middle - start) / len(endorsing) * 1e6)
        if adding:
            plain.append((end - middle) / len(adding) * 1e6)
        start = time.perf_counter()
        for _ in range(len(endorsing) + len(adding)):
            model.state = "proposed"
            model.trigger("endorse")  # type: ignore[attr-defined]
        theirs.append((time.perf_counter() - start) / (len(endorsing) + len(adding)) * 1e6)
    return {
        "apply_us": statistics.median(ours),
        "apply_guarded_us": statistics.median(guarded),
        "apply_fact_us": statistics.median(plain),
        "transitions_us": statistics.median(theirs),
    }


def one_body(count: str = "100000") -> dict[str, Any]:
    """Apply cost on one body as its facts grow: the 1,000 decisions up to each size.

    A body whose every decision copied its earlier facts would cost time in
    proportion to their number here.
    """
    n = int(count)
    registry = _registry(1)
    marks = {m for m in (1_000, 10_000, 100_000) if m <= n}
    timings: dict[str, float] = {}
    started = 0.0
    for made, decision in enumerate(_decisions(n, 1, start=10), start=1):
        if made + 999 in marks:
            started = time.perf_counter()
        registry.apply(decision)
        if made in marks:
            timings[str(made)] = (time.perf_counter() - started) / 1000 * 1e6
    return {"apply_us_at_body_facts": timings}


def board_bodies(n: int) -> tuple[list[Any], dict[str, float]]:
    """``n`` bodies of the seeds' Board, each with its own terms, and the time each step took.

    The steps: the terms, the proposals, and ``decide`` making the bodies.
    """
    from govflow import Decision, Kind, Source, Terms, When
    from govflow.rules.decide import decide
    from govflow.scenarios import partnership_lifecycle, spb

    lifecycle, t = partnership_lifecycle(), spb.TERMS
    source, when = Source("benchmark"), When.on(DAY)
    start = time.perf_counter()
    terms = [
        Terms(f"Board {b}", t.partners, t.remit, t.budget, t.conditions, t.seats, t.places)
        for b in range(n)
    ]
    made = time.perf_counter()
    proposals = [
        Decision(
            id=f"p{b}",
            body=f"b{b}",
            kind=Kind.PROPOSE,
            actor="LGA",
            decided=when,
            source=source,
            terms=terms[b],
        )
        for b in range(n)
    ]
    proposed = time.perf_counter()
    bodies = [decide(lifecycle, None, p, b).body for b, p in enumerate(proposals)]
    done = time.perf_counter()
    steps = {"terms_s": made - start, "proposals_s": proposed - made, "decide_s": done - proposed}
    return bodies, steps


def create(count: str = "100000") -> dict[str, float]:
    """100,000 bodies of the seeds' Board, each with its own terms, created and held.

    Time is measured without tracemalloc, once govflow and the seeds' scenario are
    imported (``import_ms`` measures that); memory in a second pass with it, counting
    everything a body holds: its proposal, its terms, its facts.
    """
    import govflow.scenarios.spb  # noqa: F401 - imported before the clock starts

    n = int(count)

    def make() -> list[Any]:
        return board_bodies(n)[0]

    gc.collect()
    start = time.perf_counter()
    bodies = make()
    seconds = time.perf_counter() - start
    del bodies
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    bodies = make()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert len(bodies) == n
    return {"create_100k_s": seconds * 100_000 / n, "bytes_per_body": held / n}


def build(path: str, db: str, count: str = "1000000", bodies: str = "10000") -> dict[str, Any]:
    """Build a log of ``count`` entries over ``bodies`` bodies; replay it; write it out.

    The first ``bodies`` entries propose the bodies; the rest are nominations spread
    over them, applied through a registry on the in-memory log (a file's writes would
    add the operating system's costs, which grow with the file). Gives the cost per
    decision at 2*10^4, 10^5 and 10^6 entries, taken over the appends from half that
    size to it, in windows of 500 appends: the median window's time outside the
    cyclic garbage collector, plus all of the collector's time in that span shared
    out over its appends. The median keeps other tenants of a shared machine out of
    the figure; the collector's full passes, which come each time the heap grows by
    a quarter, are counted whole.

    Then replays the log's entries (see ``replay_figures``), and writes the log as
    JSON Lines to ``path`` and into a SQLite store at ``db``, for the cases that
    read it back.
    """
    from govflow.scenarios import partnership_lifecycle

    n, n_bodies = int(count), int(bodies)
    marks = [m for m in (20_000, 100_000, 1_000_000) if m <= n]
    # The smallest size takes a tenth of a second: it is also measured on four
    # registries built for it alone, and the median of the five is given.
    again = []
    for _ in range(4 if marks else 0):
        again.append(_timed(_registry(n_bodies, agree=False), marks[0], n_bodies, marks[:1]))
        gc.collect()
    registry = _registry(n_bodies, agree=False)
    figures = _timed(registry, n, n_bodies, marks)
    if marks:
        first = str(marks[0])
        for taken, *others in zip(figures, *again, strict=True):
            taken[first] = statistics.median([taken[first], *(o[first] for o in others)])
    timings, collector, units = figures
    entries = list(registry.log)
    # Replay is measured on the log's entries alone, as a process that read a log
    # holds them: the registry that wrote them (its bodies and facts) is let go first,
    # or the collector's full passes would walk it too.
    del registry, again
    gc.collect()
    replayed = replay_figures(partnership_lifecycle(), entries)
    _write(entries, path, db)
    return {
        "entries": len(entries),
        "apply_us_at_log_size": timings,
        "collector_us_at_log_size": collector,
        "apply_references_at_log_size": units,
        **replayed,
    }


def _reference() -> Any:
    """A fixed amount of govflow's own work: ``decide`` of one nomination on a small body.

    Timed next to each window of appends, it tells how fast the machine ran just
    then; it holds nothing and does not grow.
    """
    from govflow import Decision, Kind, Source, Terms, When
    from govflow.rules.decide import decide
    from govflow.scenarios import partnership_lifecycle

    lifecycle = partnership_lifecycle()
    source, when = Source("reference"), When.on(DAY)
    terms = Terms("Reference", ["LGA", "APCC"])
    proposal = Decision(
        id="r0", body="r", kind=Kind.PROPOSE, actor="LGA", decided=when, source=source, terms=terms
    )
    body = decide(lifecycle, None, proposal, 0).body
    body.facts[0]  # built now, not in the first timed call
    nomination = Decision(
        id="r1", body="r", kind=Kind.NOMINATE, actor="LGA", decided=when, source=source
    )

    def run(times: int) -> None:
        for _ in range(times):
            decide(lifecycle, body, nomination, 1)

    return run


def _timed(
    registry: Any, n: int, n_bodies: int, marks: list[int]
) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """Grow ``registry``'s log to ``n`` entries; the cost per decision at each of ``marks``.

    Each figure is taken over the appends from half the mark to it, in windows of
    500: the median window's time outside the collector, plus the collector's
    whole time in the span (passes that come while the decisions to apply are made
    included) shared out over its appends. Also the collector's share,
    and the cost per decision in units of a reference (``_reference``, run 100
    times after each window): each window's time over its reference's, so that a
    machine running slower for a while (shared with others) moves both alike.
    """
    window, references = 500, 100
    reference = _reference()
    collecting = [0.0, 0.0]  # seconds spent collecting, when the current pass began

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collecting[1] = time.perf_counter()
        else:
            collecting[0] += time.perf_counter() - collecting[1]

    # (entries after, seconds, collecting in it, collecting since the last, reference
    # seconds per run). Each window's decisions are made just before it, as a program
    # would make them; a pass that comes while they are made counts with the window.
    windows: list[tuple[int, float, float, float, float]] = []
    made, last = len(registry.log), 0.0
    gc.callbacks.append(watch)
    while made < n:
        batch = _decisions(min(window, n - made), n_bodies, start=made)
        collected, start = collecting[0], time.perf_counter()
        for decision in batch:
            registry.apply(decision)
        seconds = time.perf_counter() - start
        made += len(batch)
        during, since = collecting[0] - collected, collecting[0] - last
        # With the collector off, the reference neither triggers a pass nor takes on one
        # that the appends made due: the windows see the passes as they would without it.
        gc.disable()
        start = time.perf_counter()
        reference(references)
        ref = time.perf_counter() - start
        gc.enable()
        last = collecting[0]
        windows.append((made, seconds, during, since, ref / references))
    gc.callbacks.remove(watch)
    timings: dict[str, float] = {}
    shares: dict[str, float] = {}
    units: dict[str, float] = {}
    for mark in marks:
        span = [w for w in windows if mark // 2 < w[0] <= mark]
        appends = mark - mark // 2
        collected = sum(c for _, _, _, c, _ in span) / appends
        outside = statistics.median((s - c) / window for _, s, c, _, _ in span)
        shares[str(mark)] = collected * 1e6
        timings[str(mark)] = (outside + collected) * 1e6
        typical = statistics.median(r for *_, r in span)
        outside_units = statistics.median((s - c) / window / r for _, s, c, _, r in span)
        units[str(mark)] = outside_units + collected / typical
    return timings, shares, units


def _write(entries: list[Any], path: str, db: str) -> None:
    """Write ``entries`` as a JSON Lines store at ``path`` and a SQLite store at ``db``."""
    import sqlite3

    from govflow.log.entry import entry_text
    from govflow.scenarios import partnership_lifecycle
    from govflow.stores import JsonlStore, SqliteStore

    fingerprint = partnership_lifecycle().fingerprint
    Path(path).unlink(missing_ok=True)  # a new log each run, not one appended to
    JsonlStore(Path(path), fingerprint).close()  # the header line
    for stale in (db, f"{db}-wal", f"{db}-shm"):
        Path(stale).unlink(missing_ok=True)
    SqliteStore(Path(db), fingerprint).close()  # the tables and the header
    connection = sqlite3.connect(db)
    with Path(path).open("a", encoding="utf-8") as out:
        for first in range(0, len(entries), 50_000):
            rows = [
                (e.seq, e.body, e.decision.id, e.prev, e.hash, e.schema, entry_text(e))
                for e in entries[first : first + 50_000]
            ]
            out.writelines(row[-1] + "\n" for row in rows)
            connection.executemany("INSERT INTO govflow_entries VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    connection.commit()
    connection.close()


def table_replay(lifecycle: Any, entries: list[Any]) -> dict[str, str]:
    """Replay's floor: the final states, with nothing checked but each entry's state.

    Each entry's trigger is looked up in a table of the lifecycle's transitions, and
    the state it gives compared with the one the entry records.
    """
    table = {(s, t.trigger): t.dest for t in lifecycle.transitions for s in t.sources}
    states: dict[str, str] = {}
    for entry in entries:
        trigger = entry.decision.trigger
        state = states.get(entry.body, lifecycle.initial)
        after = table[(state, trigger)] if trigger else state
        if after != entry.after:
            raise AssertionError(entry.seq)
        states[entry.body] = after
    return states


def replay_figures(lifecycle: Any, entries: list[Any]) -> dict[str, float]:
    """Replay ``entries`` to final states, recomputing every transition, vs a dict-table floor.

    The floor looks each entry's trigger up in a table of the lifecycle's
    transitions and checks the recorded state, with nothing else. Replay and floor
    run three times in turns; each figure is the median of its three runs, and the
    ratio the median of each turn's own ratio.
    """
    from govflow import replay

    def floor() -> float:
        start = time.perf_counter()
        states = table_replay(lifecycle, entries)
        assert len(bodies) == len(states)
        return time.perf_counter() - start

    gc.collect()
    replays, floors = [], []
    for _ in range(3):  # in turns, so that both see the same moments of a shared machine
        start = time.perf_counter()
        bodies = replay(lifecycle, entries)
        replays.append(time.perf_counter() - start)
        floors.append(floor())
    scale = 1_000_000 / len(entries)
    return {
        "replay_1m_s": statistics.median(replays) * scale,
        "replay_floor_1m_s": statistics.median(floors) * scale,
        "replay_ratio_floor": statistics.median(
            r / f for r, f in zip(replays, floors, strict=True)
        ),
    }


def replay(path: str) -> dict[str, float]:
    """Replay a JSON Lines log read into memory first (see ``replay_figures``)."""
    from govflow.scenarios import partnership_lifecycle
    from govflow.stores import JsonlStore

    return replay_figures(partnership_lifecycle(), list(JsonlStore(Path(path))))


def verify_jsonl(path: str) -> dict[str, float]:
    """Verify a JSON Lines log as `govflow verify` does, vs json.loads + SHA-256 per line.

    The floor runs before and after the verification, and the figure it is taken
    against is the mean of the two, so that a machine speeding up or slowing down
    over the minute this takes does not tilt the ratio.
    """
    from govflow.stores import JsonlStore

    def floor() -> float:
        start = time.perf_counter()
        with Path(path).open("rb") as lines:
            next(lines)
            for line in lines:
                json.loads(line)
                hashlib.sha256(line).hexdigest()
        return time.perf_counter() - start

    gc.collect()
    before = floor()
    start = time.perf_counter()
    store = JsonlStore(Path(path))
    result = store.verify()
    seconds = time.perf_counter() - start
    after = floor()
    assert result.ok, str(result)
    scale = 1_000_000 / result.count
    return {"verify_1m_s": seconds * scale, "verify_floor_1m_s": (before + after) / 2 * scale}


def sqlite(db: str, appended: str) -> dict[str, float]:
    """Appends per second to a new SQLite store through a registry; verify of the one at ``db``.

    ``db`` holds the 10^6-entry log that ``build`` wrote; it is verified as a user
    would, rebuilding every entry's canonical bytes from its row.
    """
    from govflow import Decision, Kind, Registry, Source, When
    from govflow.scenarios import partnership_lifecycle, spb
    from govflow.stores import SqliteStore

    lifecycle = partnership_lifecycle()
    for stale in (appended, f"{appended}-wal", f"{appended}-shm"):  # a new store each run
        Path(stale).unlink(missing_ok=True)
    store = SqliteStore(Path(appended), lifecycle.fingerprint)
    registry = Registry(lifecycle, log=store, logger=Quiet())
    registry.apply(
        Decision(
            id="p",
            body="b0",
            kind=Kind.PROPOSE,
            actor="LGA",
            decided=When.on(DAY),
            source=Source("benchmark"),
            terms=spb.TERMS,
        )
    )
    appends = _decisions(500, 1)
    start = time.perf_counter()
    for decision in appends:
        registry.apply(decision)
    per_second = len(appends) / (time.perf_counter() - start)
    store.close()
    gc.collect()
    start = time.perf_counter()
    result = SqliteStore(Path(db)).verify()
    seconds = time.perf_counter() - start
    assert result.ok, str(result)
    return {
        "sqlite_append_per_s": per_second,
        "sqlite_verify_1m_s": seconds * 1_000_000 / result.count,
    }


def store(url: str, count: str = "100000") -> dict[str, float]:
    """Durable appends through a registry to the store at ``url``, then its verification.

    ``count`` decisions in all (100 proposals, then nominations); verification is as
    ``govflow verify`` does it, rebuilding every entry's canonical bytes.
    """
    from govflow.scenarios import partnership_lifecycle
    from govflow.stores import open_store

    lifecycle = partnership_lifecycle()
    log = open_store(url, lifecycle.fingerprint)
    registry = _registry(100, log, agree=False)
    decisions = _decisions(int(count) - 100, 100, start=100)
    gc.collect()
    start = time.perf_counter()
    for decision in decisions:
        registry.apply(decision)
    append_s = time.perf_counter() - start
    again = log if url == "memory:" else open_store(url)
    start = time.perf_counter()
    result = again.verify()
    verify_s = time.perf_counter() - start
    assert result.ok, str(result)
    assert isinstance(again, type(log))
    return {"append_s": append_s, "appends_per_s": len(decisions) / append_s, "verify_s": verify_s}


def reopen(url: str, runs: str = "2") -> dict[str, float]:
    """Seconds to open a registry over the store at ``url``: verifying it first, and not.

    Run on demand (``cases.py reopen sqlite:///LOG.db``): opening reads and replays
    every entry, and the check on open (``Registry(..., verified=False)``, the
    default) verifies them too. Each figure is the median of ``runs`` openings, taken
    in turns.
    """
    from govflow import Registry
    from govflow.scenarios import partnership_lifecycle
    from govflow.stores import open_store

    lifecycle = partnership_lifecycle()
    checked, unchecked = [], []
    for _ in range(int(runs)):
        for verified, spent in ((False, checked), (True, unchecked)):
            with open_store(url) as log:
                gc.collect()
                start = time.perf_counter()
                Registry(lifecycle, log=log, logger=Quiet(), verified=verified)
                spent.append(time.perf_counter() - start)
    return {
        "open_checked_s": statistics.median(checked),
        "open_unchecked_s": statistics.median(unchecked),
        "check_share": statistics.median(checked) / statistics.median(unchecked) - 1,
    }


def stream(path: str, sizes: str = "100000,1000000") -> dict[str, Any]:
    """``govflow log`` on the first N entries of a JSON Lines log, for each N in ``sizes``.

    Run on demand (``cases.py stream LOG.jsonl``, the log ``build`` wrote): for each
    size, a copy of the header and the first N entries, then ``govflow log --json`` on
    it in a fresh process (checking every entry, the default), timed to its first line
    of output and to its end, with the process's peak resident memory.
    """
    import os
    import subprocess
    import tempfile

    figures: dict[str, Any] = {}
    for size in map(int, sizes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            part = Path(folder) / "part.jsonl"
            # Copied line by line: this process stays small, so that the child's peak
            # memory (which counts what it shares with this process until it runs
            # govflow) is govflow's own.
            with Path(path).open("rb") as source, part.open("wb") as out:
                for _ in range(size + 1):
                    out.write(source.readline())
            start = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-m", "govflow", "log", "--json", f"jsonl:///{part}"],
                stdout=subprocess.PIPE,
            )
            assert process.stdout is not None
            process.stdout.readline()
            first = time.perf_counter() - start
            count = 1 + sum(1 for _ in process.stdout)
            _, status, usage = os.wait4(process.pid, 0)  # this child's own peak memory
            total = time.perf_counter() - start
            peak_kb = usage.ru_maxrss
            assert os.waitstatus_to_exitcode(status) == 0, status
            assert count == size, count
        figures[str(size)] = {
            "first_line_s": first,
            "total_s": total,
            "peak_rss_mb": peak_kb / 1024,
        }
    return figures


def seal(count: str = "20000") -> dict[str, float]:
    """Sealing one entry of a fact-only decision (its canonical text, once, and its hash).

    Beside it, the same entry's canonical bytes by ``canonical_bytes`` (``json.dumps`` of
    its plain data, sorted keys) plus SHA-256: what the codec's compiled writer replaces.
    Each figure is the best of seven runs of ``count``.
    """
    from govflow.canonical import canonical_bytes
    from govflow.log import entry_to_dict
    from govflow.log.entry import sealed
    from govflow.model.authority import Mandate

    decision, mandate, n = _decisions(1, 1)[0], Mandate("LGA", "LGA"), int(count)

    def seal_one() -> object:
        return sealed(
            seq=5,
            body="b0",
            decision=decision,
            before="proposed",
            after="proposed",
            terms_version=1,
            verdicts=(),
            mandate=mandate,
            prev="0" * 64,
        )

    data = entry_to_dict(seal_one()[0])  # type: ignore[index]
    del data["hash"]

    def dumped() -> object:
        return hashlib.sha256(canonical_bytes(data)).hexdigest()

    best = [min(timeit.repeat(f, number=n, repeat=7)) / n * 1e6 for f in (seal_one, dumped)]
    return {"seal_us": best[0], "seal_json_dumps_us": best[1]}


def proofs(path: str, db: str, samples: str = "200") -> dict[str, Any]:
    """Proofs from the Merkle nodes kept by the JSON Lines log ``path`` and SQLite ``db``.

    Both are the logs ``build`` wrote (10^6 entries in a full run), with no node kept:
    the first ``tree()`` of a store opened to write makes every node from the
    entries' hashes and keeps it (``<store>_keep_s``, once a log). Then, on the store
    opened again read-only, medians over ``samples`` random entries:
    ``<store>_inclusion_us`` and ``<store>_consistency_us`` (a proof read from the
    kept nodes, the tree opened for it included), ``<store>_nodes_read`` (nodes read
    for one inclusion proof), and ``<store>_bundle_us`` (an offline bundle of the
    entry: its row read, its hash checked, its proof). The baseline, measured in the
    same run, is what a proof cost with no node kept: ``<store>_rebuild_us``, the
    tree built in memory from the store's entry hashes, read as ``tree()`` reads them.
    ``<store>_proof_ratio_rebuild`` is the baseline over the inclusion proof.
    """
    import random

    from govflow.log.bundle import Bundle
    from govflow.log.checkpoint import TreeHead
    from govflow.log.merkle import Tree
    from govflow.log.note import Note, SignerKey
    from govflow.stores import JsonlStore, SqliteStore

    rng = random.Random(6962)
    key = SignerKey.generate("bench.example/log")
    figures: dict[str, Any] = {}
    stores = (
        ("jsonl", lambda **k: JsonlStore(Path(path), **k)),
        ("sqlite", lambda **k: SqliteStore(Path(db), **k)),
    )
    for name, opened in stores:
        with opened() as store:
            start = time.perf_counter()
            tree = store.tree()
            figures[f"{name}_keep_s"] = time.perf_counter() - start
            n = len(tree)
            head = TreeHead(key.name, n, tree.root().hex(), store.head, DAY)
        note = Note(head.text()).signed(key)
        with opened(read_only=True) as store:
            counted, kept = _Counted(store._kept()), store._kept
            seqs = [rng.randrange(n) for _ in range(int(samples))]
            inclusion, consistency, reads, bundles = [], [], [], []
            for seq in seqs:
                start = time.perf_counter()
                store.tree().inclusion_proof(seq)
                inclusion.append(time.perf_counter() - start)
                start = time.perf_counter()
                store.tree().consistency_proof(seq + 1)
                consistency.append(time.perf_counter() - start)
                counted.reads, store._kept = 0, lambda c=counted: c  # as tree() reads them
                store.tree().inclusion_proof(seq)
                reads.append(counted.reads)
                store._kept = kept
                start = time.perf_counter()
                Bundle.of(store, seq, note)
                bundles.append(time.perf_counter() - start)
            rebuilt = []
            for _ in range(3):
                start = time.perf_counter()
                Tree.of(store._hashes_since(0)).inclusion_proof(seqs[0])
                rebuilt.append(time.perf_counter() - start)
        figures[f"{name}_inclusion_us"] = statistics.median(inclusion) * 1e6
        figures[f"{name}_consistency_us"] = statistics.median(consistency) * 1e6
        figures[f"{name}_nodes_read"] = statistics.median(reads)
        figures[f"{name}_bundle_us"] = statistics.median(bundles) * 1e6
        figures[f"{name}_rebuild_us"] = statistics.median(rebuilt) * 1e6
        figures[f"{name}_proof_ratio_rebuild"] = (
            figures[f"{name}_rebuild_us"] / figures[f"{name}_inclusion_us"]
        )
        figures["entries"] = n
    return figures


class _Counted:
    """Nodes a store keeps, counting how many are read."""

    def __init__(self, nodes: Any) -> None:
        self.nodes, self.reads = nodes, 0

    def __len__(self) -> int:
        return len(self.nodes)

    def __getitem__(self, at: int) -> bytes:
        self.reads += 1
        return self.nodes[at]  # type: ignore[no-any-return]

    def some(self, positions: list[int]) -> dict[int, bytes]:
        self.reads += len(positions)
        return self.nodes.some(positions)  # type: ignore[no-any-return]


def command_line(namespace: dict[str, Any], doc: str, argv: list[str]) -> Any:
    """Run the case ``argv`` names with its arguments; list the cases when it names none.

    The cases are ``namespace``'s public functions defined in its module that take
    their arguments as texts, as a command line gives them.
    """
    import inspect

    module = namespace["__name__"]
    cases = {
        name: value
        for name, value in namespace.items()
        if inspect.isfunction(value) and value.__module__ == module and not name.startswith("_")
        and all(p.annotation == "str" for p in inspect.signature(value).parameters.values())
    }  # fmt: skip
    if not argv or argv[0] in {"-h", "--help"} or argv[0] not in cases:
        listing = "\n".join(
            f"  {name} {' '.join(p.upper() for p in inspect.signature(case).parameters)}"
            f"\n      {(inspect.getdoc(case) or '').splitlines()[0]}"
            for name, case in cases.items()
        )
        known = not argv or argv[0] in {"-h", "--help"}
        (sys.stdout if known else sys.stderr).write(
            f"{doc.strip().splitlines()[0]}\n\n"
            + ("" if known else f"no case {argv[0]!r}; ")
            + f"the cases:\n{listing}\n"
        )
        raise SystemExit(0 if known else 2)
    case = cases[argv[0]]
    try:
        inspect.signature(case).bind(*argv[1:])
    except TypeError as error:
        sys.stderr.write(f"{argv[0]}: {error}\n")
        raise SystemExit(2) from None
    return case(*argv[1:])


if __name__ == "__main__":
    print(json.dumps(command_line(globals(), __doc__ or "", sys.argv[1:])))
