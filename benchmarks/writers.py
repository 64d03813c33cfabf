"""Concurrent writers: durable appends a second from several processes, beside eventsourcing.

    python benchmarks/writers.py [--quick] [--json] [--postgres URL]

Each writer is an OS process of its own. Every writer opens the store, reads what is
there and gets its decisions ready, then says it is ready and waits at a barrier (a
line on its standard input); the clock starts when the parent releases them all at
once and stops when the last writer's last append has returned (the writers report
``time.monotonic()``, one clock for every process on Linux). A writer that finds
another appended first counts a conflict, catches up and tries again: govflow's
``AppendConflict``, then ``Registry.reload`` (which reads only the new entries);
with ``GOVFLOW_BENCH_RETRIES=1`` in the environment, a govflow writer calls
``Registry.apply(decision, retries=10)`` instead (again, a conflict counted, when all ten
retries lose the race), which appends while the store holds off other writers (so it
meets no conflict, and waits instead); on PostgreSQL, when nothing
new is about its body, it holds the head row only while it appends, and reads what the
others appended after (``PostgresStore.append_after``);
eventsourcing's ``IntegrityError`` (its version conflict), then ``repository.get``
from its aggregate cache (``AGGREGATE_CACHE_MAXSIZE``), which fast-forwards the
cached aggregate over only the events stored since. ``--quick`` makes 100 appends a
writer and one run, otherwise 300 and three; ``--json`` prints one JSON object. The
run exits non-zero when a check fails.

Stores: SQLite (WAL, ``synchronous=FULL`` for both libraries), and PostgreSQL when
``--postgres URL`` or ``GOVFLOW_TEST_POSTGRES_URL`` names a server; each library gets
a fresh SQLite file, or a fresh PostgreSQL schema, in every cell of every run, removed
afterwards. Between appends, a govflow writer keeps its registry and an
eventsourcing writer its aggregate.

The cells, for each store: ``single`` (one writer, the baseline), ``distinct`` (4 and
8 writers, each on a body of its own, proposed before the clock starts) and ``one``
(4 and 8 writers all on one body). govflow keeps one hash chain over all bodies, so
its writers conflict in both; eventsourcing keeps a version per aggregate, so its
writers on distinct aggregates never conflict.

The figures, under ``cells[store][mode][writers]``:

- govflow_per_s: govflow nominations appended a second by all the writers together,
  the median over runs; govflow_conflicts: the AppendConflicts they met (median);
- eventsourcing_per_s, eventsourcing_conflicts: the same for eventsourcing 9.5, an
  ``Application`` with an ``Aggregate`` for each body, one event an append, on the
  same store (absent, and ``eventsourcing_skipped`` says why, when it cannot run);
- ratio_eventsourcing: govflow's appends a second over eventsourcing's, the median of
  each run's own ratio (both are measured in the same run, one after the other,
  govflow first in even runs and eventsourcing first in odd ones);
- govflow_cpu_us, eventsourcing_cpu_us: the CPU the whole machine spent busy from the
  start until every writer process has ended (``/proc/stat``: user, system and interrupt time of
  every process, the writers', the database server's and any other's), in µs an append
  (median); cpu_ratio_eventsourcing: govflow's over eventsourcing's, the median of each
  run's own ratio. On a machine whose cores the writers and the server share, this is
  what bounds the appends a second; it varies less than they do where the host lends
  a varying share of its CPUs (time the host took is not counted);
- govflow_over_single, eventsourcing_over_single: the cell's appends a second over
  the same library's single writer on the same store in the same run (the median of
  each run's own ratio): above 1, more writers got more done.

And beside them:

- checks: after each govflow run, ``open_store(url).verify().ok`` and the number of
  entries (the proposals plus every append made); after each eventsourcing run, the
  number of stored events; before the runs, that commits are durable (see
  durability). A failure is printed on standard error as it happens;
- durability: eventsourcing's SQLite ``synchronous`` and ``journal_mode`` (govflow's
  store sets WAL and FULL itself), and the PostgreSQL server's ``fsync`` and
  ``synchronous_commit``;
- appends_per_writer, runs_per_cell, eventsourcing (its version), seconds;
- runs: every figure's value in each run its median was taken over.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

DAY = dt.date(2013, 1, 1)
HERE = Path(__file__).resolve()
#: The cells of each store: (mode, writers).
CELLS = (("single", 1), ("distinct", 4), ("distinct", 8), ("one", 4), ("one", 8))
#: Seconds a writer may take before the run gives up on it.
TIMEOUT = 900

try:
    from eventsourcing.application import Application
    from eventsourcing.domain import Aggregate, event
    from eventsourcing.persistence import IntegrityError
    from eventsourcing.utils import register_topic
except ImportError as error:
    MISSING_EVENTSOURCING = f"eventsourcing is not importable ({error})"
else:
    MISSING_EVENTSOURCING = ""

    # Defined at the top level of the script: eventsourcing stores each event's class
    # by topic ("__main__:Body.Nominated"), which every writer process resolves (see
    # _same_topics for a parent that imported this file under another name).
    class Body(Aggregate):
        """A governance body: its proposal, then the nominations made on it."""

        @staticmethod
        def create_id(name: str) -> uuid.UUID:
            """The same id in every process: writers find the body by its name."""
            return uuid.uuid5(uuid.NAMESPACE_URL, f"govflow-benchmark/{name}")

        def __init__(self, name: str) -> None:
            self.name = name
            self.nominations = 0
            self.last = ""

        @event("Nominated")
        def nominate(self, decision_id: str, actor: str, decided: str, source: str) -> None:
            """Record a nomination: the same facts as govflow's decision carries."""
            del actor, decided, source  # kept in the event, not in the aggregate
            self.nominations += 1
            self.last = decision_id

    class Bodies(Application):
        """The bodies, each an aggregate."""


class Quiet:
    def info(self, event: str, **fields: object) -> None:
        pass

    def warning(self, event: str, **fields: object) -> None:
        pass


# --- the writer processes ------------------------------------------------------------


def _barrier() -> None:
    """Say this writer is ready, then wait for the parent to release every writer."""
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("the parent went away before the start")


def _govflow_writer(url: str, body: str, name: str, count: int) -> int:
    from govflow import AppendConflict, Decision, Kind, Registry, Source, When
    from govflow.scenarios import partnership_lifecycle
    from govflow.stores import open_store

    lifecycle = partnership_lifecycle()
    store = open_store(url, lifecycle.fingerprint)
    registry = Registry(lifecycle, log=store, logger=Quiet())
    source, when = Source("benchmark"), When.on(DAY)
    decisions = [
        Decision(
            id=f"{name}-{n}",
            body=body,
            kind=Kind.NOMINATE,
            actor="LGA",
            decided=when,
            source=source,
        )
        for n in range(count)
    ]
    conflicts = 0
    retrying = os.environ.get("GOVFLOW_BENCH_RETRIES") == "1"
    _barrier()
    for decision in decisions:
        for _ in range(1000):  # a conflict that never clears fails the run
            try:
                # What an application does: apply with retries; a store that can
                # (PostgreSQL) holds off other writers while this one appends. One
                # that cannot (SQLite) may lose all ten: counted, and applied again.
                registry.apply(decision, retries=10 if retrying else 0)
                break
            except AppendConflict:
                conflicts += 1
                if not retrying:
                    registry.reload()
        else:
            raise RuntimeError(f"{decision.id}: 1,000 conflicts in a row")
    store.close()
    return conflicts


def _same_topics(module: str) -> None:
    """Resolve the topics a parent that imported this file as ``module`` stored."""
    if module != __name__:
        for cls in (Body, Body.Created, Body.Nominated):  # type: ignore[attr-defined]
            register_topic(f"{module}:{cls.__qualname__}", cls)


def _eventsourcing_writer(env: dict[str, str], body: str, name: str, count: int) -> int:
    # The parent made the tables: writers creating them at once would race. The cache
    # (fast-forwarding, by default, and copied out on each get) is what lets a writer
    # catch up after a conflict by reading only the events stored since.
    app = Bodies(env={**env, "CREATE_TABLE": "no", "AGGREGATE_CACHE_MAXSIZE": "100"})
    aggregate = app.repository.get(Body.create_id(body))
    day = DAY.isoformat()
    conflicts = 0
    _barrier()
    for n in range(count):
        while True:
            aggregate.nominate(f"{name}-{n}", "LGA", day, "benchmark")
            try:
                app.save(aggregate)
                break
            except IntegrityError:
                # The aggregate now holds an event that was not stored: take it again
                # from the cache, fast-forwarded over the events other writers stored.
                conflicts += 1
                aggregate = app.repository.get(aggregate.id)
    app.close()
    return conflicts


def writer(spec: dict[str, Any]) -> None:
    """One writer process: append ``count`` nominations to ``body``, then report."""
    if spec["library"] == "govflow":
        conflicts = _govflow_writer(spec["url"], spec["body"], spec["name"], spec["count"])
    else:
        _same_topics(spec["module"])
        conflicts = _eventsourcing_writer(spec["env"], spec["body"], spec["name"], spec["count"])
    end = time.monotonic()  # CLOCK_MONOTONIC: the parent's clock too
    print(json.dumps({"end": end, "conflicts": conflicts, "appended": spec["count"]}), flush=True)


# --- where each run's log lives ------------------------------------------------------


class Place:
    """A fresh place for one run's log: an SQLite file, or a PostgreSQL schema.

    ``url`` is govflow's store URL, ``env`` eventsourcing's settings; :meth:`drop`
    removes it.
    """

    def __init__(self, store: str, folder: Path, server: str | None) -> None:
        self.store = store
        self.server = server
        name = uuid.uuid4().hex[:12]
        self.files: list[Path] = []
        self.schema = ""
        if store == "sqlite":
            path = folder / f"govflow_{name}.db"
            es_path = folder / f"eventsourcing_{name}.db"
            self.files = [
                Path(f"{p}{tail}") for p in (path, es_path) for tail in ("", "-wal", "-shm")
            ]
            self.url = f"sqlite:///{path}"  # an absolute path: sqlite:////tmp/...
            self.env = {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(es_path),
                "SQLITE_LOCK_TIMEOUT": "60",  # as long as govflow's SQLite store waits
            }
            return
        assert server is not None
        self.schema = f"bench_writers_{name}"
        parts = urlsplit(server)
        query = [*parse_qsl(parts.query), ("govflow_schema", f"{self.schema}_govflow")]
        self.url = urlunsplit(parts._replace(query=urlencode(query)))
        self.env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")) or "postgres",
            "POSTGRES_HOST": parts.hostname or "localhost",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or ""),
            # eventsourcing asks for a password; a server that trusts the user ignores it.
            "POSTGRES_PASSWORD": unquote(parts.password or "unused"),
            "POSTGRES_SCHEMA": f"{self.schema}_eventsourcing",
        }
        self._sql(f"CREATE SCHEMA {self.schema}_eventsourcing")

    def _sql(self, statement: str) -> None:
        import psycopg

        assert self.server is not None
        with psycopg.connect(self.server, autocommit=True) as db:
            db.execute(statement.encode())

    def drop(self) -> None:
        """Remove the run's files, or drop its schemas."""
        for path in self.files:
            path.unlink(missing_ok=True)
        if self.schema:
            for library in ("govflow", "eventsourcing"):
                self._sql(f"DROP SCHEMA IF EXISTS {self.schema}_{library} CASCADE")


# --- the parent ----------------------------------------------------------------------


def _bodies(mode: str, writers: int) -> list[str]:
    """The body each writer appends to."""
    return [f"b{w}" if mode != "one" else "b0" for w in range(writers)]


def _setup_govflow(url: str, bodies: list[str]) -> None:
    from govflow import Decision, Kind, Registry, Source, When
    from govflow.scenarios import partnership_lifecycle, spb
    from govflow.stores import open_store

    lifecycle = partnership_lifecycle()
    store = open_store(url, lifecycle.fingerprint)
    registry = Registry(lifecycle, log=store, logger=Quiet())
    for body in bodies:
        registry.apply(
            Decision(
                id=f"p-{body}",
                body=body,
                kind=Kind.PROPOSE,
                actor="LGA",
                decided=When.on(DAY),
                source=Source("benchmark"),
                terms=spb.TERMS,
            )
        )
    store.close()


def _check_govflow(url: str, expected: int) -> str:
    """What is wrong with the log after a run, or "" when it verifies and is complete."""
    from govflow.stores import open_store

    store = open_store(url)
    try:
        verification = store.verify()
        count = len(store)
    finally:
        store.close()
    if not verification.ok:
        return f"verify failed: {verification.problem}"
    if count != expected:
        return f"{count} entries, expected {expected}"
    return ""


def _setup_eventsourcing(env: dict[str, str], bodies: list[str]) -> None:
    app = Bodies(env=env)  # creates the tables, before any writer starts
    app.save(*(Body(body) for body in bodies))
    app.close()


def _check_eventsourcing(env: dict[str, str], expected: int) -> str:
    app = Bodies(env=env)
    try:
        count = len(app.recorder.select_notifications(start=None, limit=expected + 1_000))
    finally:
        app.close()
    return "" if count == expected else f"{count} stored events, expected {expected}"


def time_writers(library: str, place: Place, mode: str, writers: int, count: int) -> dict[str, Any]:
    """Run ``writers`` writer processes together; appends a second, conflicts, the check."""
    bodies = _bodies(mode, writers)
    proposed = sorted(set(bodies))
    if library == "govflow":
        _setup_govflow(place.url, proposed)
    else:
        _setup_eventsourcing(place.env, proposed)
    processes = []
    for w, body in enumerate(bodies):
        spec = {
            "library": library,
            "url": place.url,
            "env": place.env,
            "body": body,
            "name": f"w{w}",
            "count": count,
            "module": __name__,
        }
        processes.append(
            subprocess.Popen(
                [sys.executable, str(HERE), "writer", json.dumps(spec)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    for process in processes:
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            _fail(processes, process)
    start, busy = time.monotonic(), _busy()
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()  # communicate() closes it
    reports = []
    for process in processes:
        out, err = process.communicate(timeout=TIMEOUT)
        if process.returncode != 0:
            raise SystemExit(f"a {library} writer failed:\n{err}")
        reports.append(json.loads(out.strip().splitlines()[-1]))
    busy_after = _busy()
    seconds = max(r["end"] for r in reports) - start
    appended = sum(r["appended"] for r in reports)
    expected = len(proposed) + appended
    if library == "govflow":
        problem = _check_govflow(place.url, expected)
    else:
        problem = _check_eventsourcing(place.env, expected)
    cpu = None if busy is None or busy_after is None else (busy_after - busy) / appended * 1e6
    return {
        "per_s": appended / seconds,
        "conflicts": sum(r["conflicts"] for r in reports),
        "cpu_us": cpu,
        "problem": problem,
    }


def _busy() -> float | None:
    """Seconds of CPU the machine has spent busy (``/proc/stat``; ``None`` if unreadable).

    User, nice, system, irq and softirq time of all CPUs: every process's, the
    database server's too; not idle, I/O wait or time the host took (steal).
    """
    try:
        fields = Path("/proc/stat").read_text(encoding="ascii").split("\n", 1)[0].split()
        user, nice, system, _, _, irq, softirq = (int(f) for f in fields[1:8])
    except (OSError, ValueError):
        return None
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _fail(processes: list[subprocess.Popen[str]], failed: subprocess.Popen[str]) -> None:
    for process in processes:
        if process.poll() is None:
            process.kill()
    _, err = failed.communicate()
    raise SystemExit(f"a writer failed before the start:\n{err}")


def _eventsourcing_skipped(store: str) -> str:
    """Why eventsourcing cannot run on ``store``, or "" when it can."""
    if MISSING_EVENTSOURCING:
        return MISSING_EVENTSOURCING
    if store == "postgresql":
        try:
            import eventsourcing.postgres  # noqa: F401
        except ImportError as error:
            return f"eventsourcing.postgres is not importable ({error})"
    return ""


class Results:
    """Each cell's figures in every run, and the checks that failed."""

    def __init__(self) -> None:
        self.values: dict[str, list[float]] = {}
        self.failures: list[str] = []
        self.checks = 0

    def add(self, key: str, value: float) -> None:
        self.values.setdefault(key, []).append(value)

    def check(self, what: str, problem: str) -> None:
        self.checks += 1
        if problem:
            message = f"CHECK FAILED: {what}: {problem}"
            self.failures.append(message)
            print(f"\n{'!' * 72}\n{message}\n{'!' * 72}", file=sys.stderr, flush=True)


def durability(results: Results, stores: dict[str, str | None], folder: Path) -> dict[str, Any]:
    """The settings that make a commit durable, checked: the comparison rests on them.

    govflow's SQLite store sets WAL and ``synchronous=FULL`` itself; eventsourcing's
    keeps SQLite's default, which is read here. Both libraries share the PostgreSQL
    server, whose ``fsync`` and ``synchronous_commit`` are read.
    """
    found: dict[str, Any] = {}
    if "sqlite" in stores and not _eventsourcing_skipped("sqlite"):
        place = Place("sqlite", folder, None)
        app = Bodies(env=place.env)
        try:
            with app.recorder.datastore.transaction(commit=False) as cursor:
                cursor.execute("PRAGMA synchronous")
                synchronous = cursor.fetchone()[0]
                cursor.execute("PRAGMA journal_mode")
                journal = cursor.fetchone()[0]
        finally:
            app.close()
            place.drop()
        found["sqlite_eventsourcing"] = {"synchronous": synchronous, "journal_mode": journal}
        durable = synchronous >= 2 and journal == "wal"  # 2 is FULL, 3 EXTRA
        results.check("eventsourcing's SQLite commits are durable", "" if durable else str(found))
    server = stores.get("postgresql")
    if server:
        import psycopg

        with psycopg.connect(server, autocommit=True) as db:
            settings = {
                name: str(db.execute(f"SHOW {name}".encode()).fetchone()[0])
                for name in ("fsync", "synchronous_commit")
            }
        found["postgresql"] = settings
        durable = settings["fsync"] == "on" and settings["synchronous_commit"] not in (
            "off",
            "local",
        )
        results.check("PostgreSQL commits are durable", "" if durable else str(settings))
    return found


def run_once(
    results: Results, stores: dict[str, str | None], folder: Path, count: int, turn: int
) -> None:
    """One run of every cell on every store, both libraries in each, taking turns to go first.

    govflow goes first in even runs, eventsourcing in odd ones: a shared machine's
    speed drifts, and neither library should always meet the same moment of it.
    """
    for store, server in stores.items():
        libraries = ["govflow"] if _eventsourcing_skipped(store) else ["govflow", "eventsourcing"]
        if turn % 2:
            libraries.reverse()
        single: dict[str, float] = {}
        for mode, writers in CELLS:
            key = f"{store}/{mode}/{writers}"
            place = Place(store, folder, server)
            timed: dict[str, dict[str, Any]] = {}
            try:
                for library in libraries:
                    timed[library] = time_writers(library, place, mode, writers, count)
                    results.check(f"{library} {key}", timed[library]["problem"])
            finally:
                place.drop()
            for library, figures in timed.items():
                results.add(f"{key}/{library}_per_s", figures["per_s"])
                results.add(f"{key}/{library}_conflicts", figures["conflicts"])
                if figures["cpu_us"] is not None:
                    results.add(f"{key}/{library}_cpu_us", figures["cpu_us"])
                single.setdefault(library, figures["per_s"])  # the first cell: one writer
                results.add(f"{key}/{library}_over_single", figures["per_s"] / single[library])
            if "eventsourcing" in timed:
                ratio = timed["govflow"]["per_s"] / timed["eventsourcing"]["per_s"]
                results.add(f"{key}/ratio_eventsourcing", ratio)
                cpus = [timed[library]["cpu_us"] for library in ("govflow", "eventsourcing")]
                if None not in cpus:
                    results.add(f"{key}/cpu_ratio_eventsourcing", cpus[0] / cpus[1])
            _progress(key, timed)


def _progress(key: str, timed: dict[str, dict[str, Any]]) -> None:
    line = f"{key:24}"
    for library in ("govflow", "eventsourcing"):
        if library in timed:
            figures = timed[library]
            line += f"  {library} {figures['per_s']:7.0f}/s {figures['conflicts']:5} conflicts"
    print(line, file=sys.stderr, flush=True)


def figures_of(results: Results, stores: dict[str, str | None]) -> dict[str, Any]:
    """The medians, nested as cells[store][mode][writers][figure]."""
    cells: dict[str, Any] = {}
    for key, values in results.values.items():
        store, mode, writers, figure = key.split("/")
        cell = cells.setdefault(store, {}).setdefault(mode, {}).setdefault(writers, {})
        cell[figure] = statistics.median(values)
    skipped = {s: why for s in stores if (why := _eventsourcing_skipped(s))}
    figures: dict[str, Any] = {"cells": cells, "runs": results.values}
    if skipped:
        figures["eventsourcing_skipped"] = skipped
    return figures


def _table(figures: dict[str, Any]) -> str:
    def number(cell: dict[str, Any], key: str, form: str) -> str:
        return format(cell[key], form) if key in cell else "-"

    heading = (
        f"{'store':10} {'mode':8} {'writers':>7} {'govflow/s':>10} {'conflicts':>9} "
        f"{'evsrc/s':>10} {'conflicts':>9} {'gf/es':>6} {'gf/1w':>6} {'es/1w':>6} "
        f"{'cpu gf/es':>9}"
    )
    lines = [heading]
    for store, modes in figures["cells"].items():
        for mode, writers in CELLS:
            cell = modes.get(mode, {}).get(str(writers))
            if cell is not None:
                lines.append(
                    f"{store:10} {mode:8} {writers:>7} "
                    f"{number(cell, 'govflow_per_s', ',.0f'):>10} "
                    f"{number(cell, 'govflow_conflicts', '.0f'):>9} "
                    f"{number(cell, 'eventsourcing_per_s', ',.0f'):>10} "
                    f"{number(cell, 'eventsourcing_conflicts', '.0f'):>9} "
                    f"{number(cell, 'ratio_eventsourcing', '.2f'):>6} "
                    f"{number(cell, 'govflow_over_single', '.2f'):>6} "
                    f"{number(cell, 'eventsourcing_over_single', '.2f'):>6} "
                    f"{number(cell, 'cpu_ratio_eventsourcing', '.2f'):>9}"
                )
    return "\n".join(lines)


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "writer":
        writer(json.loads(sys.argv[2]))
        return 0
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 appends a writer, one run")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get("GOVFLOW_TEST_POSTGRES_URL"),
        help="a PostgreSQL server to measure on too (default: GOVFLOW_TEST_POSTGRES_URL)",
    )
    args = parser.parse_args()
    count, runs = (100, 1) if args.quick else (300, 3)
    stores: dict[str, str | None] = {"sqlite": None}
    if args.postgres:
        stores["postgresql"] = args.postgres
    started = time.perf_counter()
    results = Results()
    with tempfile.TemporaryDirectory(prefix="govflow-writers-") as folder:
        figures_durable = durability(results, stores, Path(folder))
        for turn in range(runs):
            run_once(results, stores, Path(folder), count, turn)
    figures = figures_of(results, stores)
    figures["appends_per_writer"] = count
    figures["runs_per_cell"] = runs
    figures["eventsourcing"] = _version("eventsourcing")
    figures["durability"] = figures_durable
    figures["checks"] = {"made": results.checks, "failed": results.failures}
    figures["seconds"] = time.perf_counter() - started
    if args.json:
        print(json.dumps(figures, sort_keys=True))
    else:
        print(_table(figures))
        for store, why in figures.get("eventsourcing_skipped", {}).items():
            print(f"eventsourcing skipped on {store}: {why}")
        print(
            f"{results.checks} checks, {len(results.failures)} failed; {figures['seconds']:.0f} s"
        )
    if results.failures:
        print("\n".join(results.failures), file=sys.stderr)
        return 1
    return 0


def _version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
