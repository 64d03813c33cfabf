"""PostgreSQL's append under a hold that reads nothing new (``PostgresStore.append_after``).

``Registry.apply(..., retries=n)`` on PostgreSQL holds the head row only while it
appends when no entry since those the registry read is about the decision's body or
records its id: the decision rests on nothing new, and what others appended is read
after the commit. Otherwise it catches up under :meth:`exclusive` as before.
"""

from __future__ import annotations

import contextlib
import io
import json
import signal
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from govflow import (
    AppendConflict,
    DuplicateDecision,
    GuardFailed,
    Kind,
    OutOfOrder,
    Registry,
    TamperedLog,
    TriggerNotAllowed,
)
from govflow.cli import main
from govflow.errors import GovflowError, NotALog, StoreFailed
from govflow.log.entry import Entry, entry_text, sealed
from govflow.log.merkle import Tree, node_count
from govflow.stores import open_store
from govflow.stores._tree import BATCH

from .helpers import LIFECYCLE, endorse_all, make
from .stores import POSTGRES_URL, Handle, handle

QUIET = __import__("structlog").wrap_logger(__import__("structlog").ReturnLogger())
FP = LIFECYCLE.fingerprint

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres(tmp_path: Path) -> Iterator[Handle]:
    yield from handle("postgres", tmp_path)


@pytest.fixture(params=["pipelined", "one by one"])
def pipelining(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of talking to the server: libpq 14 on pipelines, older does not."""
    if request.param == "one by one":
        import psycopg  # noqa: PLC0415

        monkeypatch.setattr(psycopg.Pipeline, "is_supported", classmethod(lambda cls: False))
    return str(request.param)


def counted(log: Any) -> dict[str, int]:
    """Count the store's appends by way: ``ahead`` (append_after) and ``held`` (exclusive)."""
    counts = {"ahead": 0, "declined": 0, "held": 0}
    after, exclusive = log.append_after, log.exclusive

    def append_after(*args: Any) -> Any:
        done = after(*args)
        counts["ahead" if done is not None else "declined"] += 1
        return done

    def held() -> Any:
        counts["held"] += 1
        return exclusive()

    log.append_after, log.exclusive = append_after, held
    return counts


def test_writers_on_distinct_bodies_lose_nothing(postgres: Handle, pipelining: str) -> None:
    """Four threads, each its own connection and body: every append kept, in step."""
    setup = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    for w in range(4):
        setup.apply(make(f"p{w}", Kind.PROPOSE, "LGA", 0, body=f"b{w}"))
    registries = [Registry(LIFECYCLE, log=postgres.open(), logger=QUIET) for _ in range(4)]
    counts = [counted(r.log) for r in registries]
    start, failures = threading.Barrier(4), []

    def write(w: int) -> None:
        try:
            start.wait()
            for n in range(15):
                decision = make(f"n{w}-{n}", Kind.NOMINATE, "LGA", 1 + n, body=f"b{w}")
                entry = registries[w].apply(decision, retries=5)
                assert entry.decision == decision
        except Exception as error:  # noqa: BLE001 - reported below, in the main thread
            failures.append(error)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    log = postgres.open()
    entries = list(log)
    assert [e.seq for e in entries] == list(range(4 + 4 * 15))
    assert log.verify().ok
    memory = Tree.of([e.hash for e in entries])
    assert list(log.kept_nodes()) == [memory[at] for at in range(node_count(len(entries)))]
    fresh = Registry(LIFECYCLE, log=log, logger=QUIET)
    for w, registry in enumerate(registries):
        # Each registry took in what the others appended, and its own entries.
        assert registry.body(f"b{w}") == fresh.body(f"b{w}")
        assert len(registry.body(f"b{w}").facts) == 16
        assert counts[w]["ahead"] == 15  # none on its body but its own: never declined
        assert counts[w]["held"] == 0
        registry.reload()  # what others appended after its last: read, not replayed whole
        assert dict(registry.bodies) == dict(fresh.bodies)


def test_a_body_another_writer_moved_is_decided_on_as_it_now_is(
    postgres: Handle, pipelining: str
) -> None:
    """A stale registry's endorsement of a body another writer endorsed is refused."""
    stale = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    stale.apply(make("p", Kind.PROPOSE, "LGA", 0))
    stale.apply(make("a-apcc", Kind.AGREE, "APCC", 1))
    other = Registry(LIFECYCLE, log=postgres.open(), logger=QUIET)
    other.apply(
        make("a-lga", Kind.ENDORSE, "LGA Executive", 1, on_behalf_of="LGA", trigger="endorse")
    )
    counts = counted(stale.log)
    again = make("a-lga2", Kind.ENDORSE, "LGA Executive", 2, on_behalf_of="LGA", trigger="endorse")
    # On the body as the stale registry had it (proposed, agreed) this would pass.
    with pytest.raises(TriggerNotAllowed):
        stale.apply(again, retries=1)
    assert counts == {"ahead": 0, "declined": 1, "held": 1}
    assert [e.decision.id for e in postgres.open()] == ["p", "a-apcc", "a-lga"]
    assert stale.body("b").state == other.body("b").state


def test_a_refusal_while_others_appended_elsewhere_is_a_refusal(
    postgres: Handle, pipelining: str
) -> None:
    """Made under the hold, refused: nothing appended, nothing read, the registry as it was."""
    first = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    first.apply(make("p", Kind.PROPOSE, "LGA", 0))
    other = Registry(LIFECYCLE, log=postgres.open(), logger=QUIET)
    other.apply(make("q", Kind.PROPOSE, "LGA", 0, body="c"))  # another body
    before = first.checkpoint()
    counts = counted(first.log)
    with pytest.raises(GuardFailed):  # no agreement yet: a refusal, not a conflict
        first.apply(
            make("e", Kind.ENDORSE, "LGA Executive", 1, on_behalf_of="LGA", trigger="endorse"),
            retries=1,
        )
    assert counts == {"ahead": 0, "declined": 0, "held": 0}  # refused inside append_after
    assert first.checkpoint() == before
    assert [e.decision.id for e in postgres.open()] == ["p", "q"]
    entry = first.apply(make("a", Kind.AGREE, "APCC", 1), retries=1)
    assert entry.seq == 2
    assert counts["ahead"] == 1
    assert sorted(first.bodies) == ["b", "c"]  # it read what came before its entry


def test_a_decision_another_writer_applied_is_a_repeat(postgres: Handle, pipelining: str) -> None:
    first = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    first.apply(make("p", Kind.PROPOSE, "LGA", 0))
    other = Registry(LIFECYCLE, log=postgres.open(), logger=QUIET)
    decision = make("a", Kind.AGREE, "APCC", 1)
    applied = other.apply(decision)
    counts = counted(first.log)
    assert first.apply(decision, retries=1) == applied
    assert counts == {"ahead": 0, "declined": 1, "held": 1}
    assert len(postgres.open()) == 2


def test_inside_an_applications_hold_the_registry_appends_in_it(postgres: Handle) -> None:
    """append_after declines inside a hold: its own transaction would end the caller's."""
    registry = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    counts = counted(registry.log)

    def aborted() -> None:
        with registry.log.exclusive():  # type: ignore[attr-defined]
            registry.apply(make("a", Kind.AGREE, "APCC", 1), retries=1)
            raise RuntimeError("the application gives up")

    with pytest.raises(RuntimeError):
        aborted()
    assert counts["declined"] == 1
    assert [e.decision.id for e in postgres.open()] == ["p"]


def test_an_interrupt_while_queued_for_the_head_leaves_nothing(postgres: Handle) -> None:
    import psycopg  # noqa: PLC0415
    from psycopg import sql  # noqa: PLC0415

    assert POSTGRES_URL is not None
    registry = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    schema = postgres.url.rsplit("govflow_schema=", 1)[1]
    head = sql.Identifier(schema, "govflow_head")
    with psycopg.connect(POSTGRES_URL, autocommit=True) as other:
        other.execute(sql.SQL("BEGIN; SELECT 1 FROM {} WHERE id = 1 FOR UPDATE").format(head))
        signal.signal(signal.SIGALRM, signal.default_int_handler)
        signal.setitimer(signal.ITIMER_REAL, 0.3)  # Ctrl-C while it waits for the lock
        try:
            with pytest.raises(KeyboardInterrupt):
                registry.apply(make("a", Kind.AGREE, "APCC", 1), retries=1)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
        other.execute("ROLLBACK")
    assert [e.decision.id for e in postgres.open()] == ["p"]
    assert registry.checkpoint() == postgres.open().checkpoint()
    assert registry.apply(make("a", Kind.AGREE, "APCC", 1), retries=1).seq == 1
    endorse_all(registry, 2)  # the connection is usable, in and out of holds
    assert postgres.open().verify().ok


def test_an_id_another_writer_used_on_another_body_is_a_duplicate(
    postgres: Handle, pipelining: str
) -> None:
    first = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    first.apply(make("p", Kind.PROPOSE, "LGA", 0))
    other = Registry(LIFECYCLE, log=postgres.open(), logger=QUIET)
    other.apply(make("q", Kind.PROPOSE, "LGA", 0, body="c"))
    other.apply(make("a", Kind.AGREE, "APCC", 1, body="c"))
    counts = counted(first.log)
    with pytest.raises(DuplicateDecision):  # caught up under the hold, then refused
        first.apply(make("a", Kind.AGREE, "APCC", 1), retries=1)
    assert counts == {"ahead": 0, "declined": 1, "held": 1}
    assert len(postgres.open()) == 3


def _sql(store: Handle, statement: str) -> None:
    """Run ``statement`` on the store's tables (an alteration at rest)."""
    import psycopg  # noqa: PLC0415

    assert POSTGRES_URL is not None
    schema = store.url.rsplit("govflow_schema=", 1)[1]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as db:
        db.execute(f"SET search_path TO {schema}")
        db.execute(statement)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "damage",
    [
        # Cut short below what the registry read (the head row to match).
        (
            "DELETE FROM govflow_entries WHERE seq = 2; "
            "UPDATE govflow_head SET count = 2, hash = (SELECT hash FROM govflow_entries "
            "WHERE seq = 1)"
        ),
        # The entry the registry read last replaced (its hash too), the head to match.
        (
            "UPDATE govflow_entries SET hash = repeat('ab', 32) WHERE seq = 2; "
            "UPDATE govflow_head SET hash = repeat('ab', 32)"
        ),
        # The head row no longer the last entry's.
        "UPDATE govflow_head SET hash = repeat('cd', 32)",
        # The head row moved back to an earlier entry, the rows left.
        (
            "UPDATE govflow_head SET count = 2, hash = (SELECT hash FROM govflow_entries "
            "WHERE seq = 1)"
        ),
    ],
    ids=["truncated", "rewritten", "head altered", "head moved back"],
)
def test_a_log_altered_under_what_was_read_gets_no_entry_ahead(
    postgres: Handle, pipelining: str, damage: str
) -> None:
    """Appending ahead needs the log to extend what the registry read, head row and all."""
    registry = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    registry.apply(make("a", Kind.AGREE, "APCC", 1))
    registry.apply(make("n", Kind.NOMINATE, "LGA", 2))
    _sql(postgres, damage)
    before = [e.hash for e in postgres.open()]
    counts = counted(registry.log)
    with pytest.raises((AppendConflict, TamperedLog)):
        registry.apply(make("x", Kind.NOMINATE, "LGA", 3), retries=1)
    assert counts["ahead"] == 0
    assert [e.hash for e in postgres.open()] == before  # nothing appended


def test_an_entry_whose_news_cannot_be_read_is_told_truly(
    postgres: Handle, pipelining: str
) -> None:
    """The read of the news fails: told truly, and the next apply catches up and appends.

    Pipelined, the read is in the append's transaction: nothing is in, StoreFailed says
    so. One by one, it comes after the commit: the entry is in, and returned.
    """
    first = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    first.apply(make("p", Kind.PROPOSE, "LGA", 0))
    other = Registry(LIFECYCLE, log=postgres.open(), logger=QUIET)
    other.apply(make("q", Kind.PROPOSE, "LGA", 0, body="c"))
    log: Any = first.log
    statements = log._sql  # a read that fails, as a lost connection would
    after = statements["after"]
    statements["after"] = b"SELECT 1 / 0 WHERE %s::bigint >= %s::bigint OR true"
    try:
        if pipelining == "pipelined":
            with pytest.raises(StoreFailed, match="Nothing was appended"):
                first.apply(make("a", Kind.AGREE, "APCC", 1), retries=1)
            assert [e.decision.id for e in postgres.open()] == ["p", "q"]
            assert not log._in_transaction()  # the head row is free
            entry = None
        else:
            entry = first.apply(make("a", Kind.AGREE, "APCC", 1), retries=1)
    finally:
        statements["after"] = after
    if entry is not None:
        assert entry == list(postgres.open())[-1]  # in, and said so
        assert entry.seq == 2
        assert first.checkpoint().count == 3
    assert sorted(first.bodies) == ["b"]  # behind: it read nothing new
    counts = counted(first.log)
    again = first.apply(make("n", Kind.NOMINATE, "LGA", 2), retries=1)
    if entry is not None:  # behind its own entry: caught up first
        assert counts == {"ahead": 0, "declined": 0, "held": 1}
        assert again.seq == 3
    else:  # nothing since is about its body: placed after q
        assert counts == {"ahead": 1, "declined": 0, "held": 0}
        assert again.seq == 2
    assert dict(first.bodies) == dict(Registry(LIFECYCLE, log=postgres.open()).bodies)


def test_an_entry_in_after_others_altered_at_rest_is_returned(postgres: Handle) -> None:
    """What others appended does not verify: the entry is in; the next catch-up says so."""
    first = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    first.apply(make("p", Kind.PROPOSE, "LGA", 0))
    other = Registry(LIFECYCLE, log=postgres.open(), logger=QUIET)
    other.apply(make("q", Kind.PROPOSE, "LGA", 0, body="c"))
    _sql(
        postgres,
        "UPDATE govflow_entries SET content = replace(content, 'LGA', 'LGB') WHERE seq = 1",
    )
    entry = first.apply(make("a", Kind.AGREE, "APCC", 1), retries=1)
    assert [e.decision.id for e in postgres.open()] == ["p", "q", "a"]
    assert entry.seq == 2
    assert sorted(first.bodies) == ["b"]  # it took in nothing that does not verify
    # Behind, it appends ahead no more: the next apply catches up first, and says why.
    counts = counted(first.log)
    with pytest.raises(TamperedLog):
        first.apply(make("x", Kind.PROPOSE, "LGA", 1, body="x"), retries=1)
    assert counts == {"ahead": 0, "declined": 0, "held": 1}
    assert [e.decision.id for e in postgres.open()] == ["p", "q", "a"]
    with pytest.raises(TamperedLog):
        first.reload()


# --- what others appended, counted with an append and taken in when asked for --------


def records_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The decision ids of the entries read into records from what a store holds."""
    from govflow.log import entry as module  # noqa: PLC0415

    read: list[str] = []
    reader = module.entry_from_dict

    def reading(data: Any) -> Entry:
        entry = reader(data)
        read.append(entry.decision.id)
        return entry

    monkeypatch.setattr(module, "entry_from_dict", reading)
    return read


@pytest.mark.parametrize("way", ["placed", "made under the hold"])
def test_the_others_entries_are_replayed_only_when_a_body_they_are_about_is_asked_for(
    postgres: Handle, pipelining: str, way: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, other = two_writers(postgres, monkeypatch, way)
    read = records_read(monkeypatch)
    for n in range(3):
        other.apply(make(f"o{n}", Kind.NOMINATE, "LGA", 1, body="c"), retries=1)
        first.apply(make(f"f{n}", Kind.NOMINATE, "LGA", 1), retries=1)
    assert read == []  # verified as they came, never read into records
    assert [f.decision.id for f in first.body("b").facts][-3:] == ["f0", "f1", "f2"]
    assert read == []  # its own body: nothing pending bears on it
    fresh = Registry(LIFECYCLE, log=postgres.open(), logger=QUIET)
    read.clear()  # what the fresh registry read
    assert first.body("c") == fresh.body("c")  # asked for: read and replayed, in order
    assert read == ["q", "o0", "o1", "o2"]
    assert dict(first.bodies) == dict(fresh.bodies)
    assert first.checkpoint() == fresh.checkpoint()


def test_a_decision_on_a_body_the_others_moved_waits_for_their_entries(
    postgres: Handle, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, other = two_writers(postgres, monkeypatch, "placed")
    first.apply(make("f0", Kind.NOMINATE, "LGA", 1), retries=1)  # counted: q, on body c
    agreed = other.apply(make("o-agree", Kind.AGREE, "APCC", 1, body="c"), retries=1)
    first.apply(make("f1", Kind.NOMINATE, "LGA", 1), retries=1)  # counted: o-agree
    # The same id again: a repeat of the other's entry, known only once it is read.
    assert first.apply(make("o-agree", Kind.AGREE, "APCC", 1, body="c"), retries=1) == agreed
    with pytest.raises(DuplicateDecision):
        first.apply(make("o-agree", Kind.AGREE, "APCC", 2, body="c"), retries=1)
    # A decision on body c is decided on c as the other left it.
    assert first.apply(make("f-agree", Kind.AGREE, "LGA", 2, body="c"), retries=1).seq == 5
    assert len(first.body("c").facts) == 3


# --- appends the server places (a decision that only adds a fact) --------------------


def chained(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the seq of each append the server placed (``append_chained``)."""
    from govflow.stores import postgres  # noqa: PLC0415

    seqs: list[int] = []
    place = postgres.append_chained

    def counting(*args: Any) -> Any:
        done = place(*args)
        if done is not None:
            seqs.append(done[0].seq)
        return done

    monkeypatch.setattr(postgres, "append_chained", counting)
    return seqs


def test_the_server_places_a_fact_after_what_others_appended(
    postgres: Handle, pipelining: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made on what the registry read, linked after what came since: as sealed there."""
    first = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    first.apply(make("p", Kind.PROPOSE, "LGA", 0))
    other = Registry(LIFECYCLE, log=postgres.open(), logger=QUIET)
    other.apply(make("q", Kind.PROPOSE, "LGA", 0, body="c"))
    other.apply(make("a-c", Kind.AGREE, "APCC", 1, body="c"))
    placed = chained(monkeypatch)
    entry = first.apply(make("n-é", Kind.NOMINATE, "LGA", 2, nominees=("Zoë 🌍",)), retries=1)
    assert placed == [3]
    stored = list(postgres.open())
    assert entry == stored[3]
    assert entry.prev == stored[2].hash
    resealed = sealed(
        **{f.name: getattr(entry, f.name) for f in attrs.fields(Entry) if f.name != "hash"}
    )
    assert resealed == (entry, entry_text(stored[3]))
    assert postgres.open().verify().ok
    fresh = Registry(LIFECYCLE, log=postgres.open(), logger=QUIET)
    assert dict(first.bodies) == dict(fresh.bodies)  # its fact at seq 3, the others' read
    assert first.body("b").facts[-1].seq == 3
    assert first.checkpoint() == fresh.checkpoint()


def test_placed_appends_keep_the_merkle_nodes_in_step(
    postgres: Handle, pipelining: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past every power of two up to 2**7: each whole batch of leaves has its nodes kept."""
    first = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    first.apply(make("p", Kind.PROPOSE, "LGA", 0))
    other = Registry(LIFECYCLE, log=postgres.open(), logger=QUIET)
    other.apply(make("q", Kind.PROPOSE, "LGA", 0, body="c"))
    placed = chained(monkeypatch)
    for n in range(140):
        if n % 3 == 0:  # others append between, so that most land past where it read
            other.apply(make(f"o{n}", Kind.NOMINATE, "LGA", 1, body="c"), retries=1)
        first.apply(make(f"n{n}", Kind.NOMINATE, "LGA", 1), retries=1)
        if n in (0, 1, 6, 63, 139):
            log = postgres.open()
            entries = list(log)
            memory = Tree.of([e.hash for e in entries])
            whole = len(entries) - len(entries) % BATCH  # the rest are made when read
            assert list(log.kept_nodes()) == [memory[at] for at in range(node_count(whole))]
            assert log.tree().root() == memory.root()
    assert len(placed) == 140 + 47  # both writers' appends, every one placed by the server
    assert postgres.open().verify().ok


def test_a_fact_refused_on_what_was_read_is_decided_under_the_hold(
    postgres: Handle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused as the registry has the body: the hold decides; one refusal, said once."""
    events: list[str] = []

    class Events:
        def info(self, event: str, **fields: object) -> None:
            events.append(event)

        def warning(self, event: str, **fields: object) -> None:
            events.append(event)

    registry = Registry(LIFECYCLE, log=postgres.open(FP), logger=Events())
    registry.apply(make("p", Kind.PROPOSE, "LGA", 5))
    counts, placed = counted(registry.log), chained(monkeypatch)
    with pytest.raises(OutOfOrder):  # dated before the proposal
        registry.apply(make("n", Kind.NOMINATE, "LGA", 1), retries=1)
    assert placed == []
    assert counts == {"ahead": 0, "declined": 0, "held": 0}  # refused inside append_after
    assert events == ["decision.accepted", "decision.refused"]
    assert len(postgres.open()) == 1


@contextlib.contextmanager
def database_in(encoding: str) -> Iterator[str]:
    """A new database in ``encoding`` (C collation), its URL; dropped afterwards."""
    import psycopg  # noqa: PLC0415

    assert POSTGRES_URL is not None
    name = f"govflow_{encoding.lower()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(
            f"CREATE DATABASE {name} ENCODING '{encoding}' LC_COLLATE 'C' LC_CTYPE 'C' "  # type: ignore[arg-type]
            "TEMPLATE template0"
        )
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]


@pytest.mark.parametrize("encoding", ["EUC_JP", "LATIN1"])
def test_no_log_is_made_in_another_encoding_but_one_made_before_opens(
    postgres: Handle, monkeypatch: pytest.MonkeyPatch, encoding: str
) -> None:
    """EUC_JP gives some texts back changed (a hash would then fail): no new log there."""
    import psycopg  # noqa: PLC0415

    from govflow.stores import _postgres_sql  # noqa: PLC0415

    with database_in(encoding) as url:
        with pytest.raises(NotALog, match=f"none is made in a database in {encoding}: make"):
            open_store(url, FP)
        with psycopg.connect(url) as db:  # nothing made
            found = db.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'govflow%'"
            ).fetchone()
            assert found == (0,)
        # A log made there before this release opens, and appends, as it did.
        with monkeypatch.context() as earlier:
            earlier.setattr(_postgres_sql, "ENCODINGS", (encoding,))
            open_store(url, FP).close()
        with open_store(url, FP) as store:
            registry = Registry(LIFECYCLE, log=store, logger=QUIET)
            registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
            registry.apply(make("n", Kind.NOMINATE, "LGA", 1), retries=1)
        with open_store(url, read_only=True) as store:
            assert [e.decision.id for e in store] == ["p", "n"]
            assert store.verify().ok


def test_a_server_not_in_utf_8_appends_made_under_the_hold(
    postgres: Handle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the server's text is not UTF-8, it hashes nothing: entries are made here."""
    stores: list[Any] = []
    with database_in("SQL_ASCII") as url:

        def opened(*fingerprint: str) -> Any:
            stores.append(open_store(url, *fingerprint))
            return stores[-1]

        try:
            registry = Registry(LIFECYCLE, log=opened(FP), logger=QUIET)
            registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
            counts, placed = counted(registry.log), chained(monkeypatch)
            decision = make("n-é", Kind.NOMINATE, "LGA", 1, nominees=("Zoë",))
            entry = registry.apply(decision, retries=1)
            assert placed == []
            assert counts["ahead"] == 1
            assert list(opened())[-1] == entry
            assert opened().verify().ok
        finally:
            for store in stores:
                store.close()


def test_a_placed_append_the_database_refuses_changes_nothing(
    postgres: Handle, pipelining: str
) -> None:
    """The append statement fails: StoreFailed, nothing committed, the connection usable."""
    first = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    first.apply(make("p", Kind.PROPOSE, "LGA", 0))
    log: Any = first.log
    statements, before = log._sql, first.checkpoint()
    placing = statements["append_chained"]
    statements["append_chained"] = b"SELECT 1 / 0 WHERE %(seen)s::bigint >= 0"
    try:
        with pytest.raises(StoreFailed, match="division by zero"):
            first.apply(make("n", Kind.NOMINATE, "LGA", 1), retries=1)
    finally:
        statements["append_chained"] = placing
    assert first.checkpoint() == before
    assert [e.decision.id for e in postgres.open()] == ["p"]
    assert first.apply(make("n", Kind.NOMINATE, "LGA", 1), retries=1).seq == 1
    assert postgres.open().verify().ok


# --- interrupts and failures in the middle of an append ------------------------------


def two_writers(
    postgres: Handle, monkeypatch: pytest.MonkeyPatch, way: str
) -> tuple[Registry, Registry]:
    """Two registries on one store, each having proposed a body (b, c).

    ``way`` is how the first appends a fact with retries: placed by the server, or made
    under the hold.
    """
    from govflow.stores import postgres as module  # noqa: PLC0415

    if way != "placed":
        monkeypatch.setattr(module, "chainable", lambda *args: None)
    registry = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    other = Registry(LIFECYCLE, log=postgres.open(), logger=QUIET)
    other.apply(make("q", Kind.PROPOSE, "LGA", 0, body="c"))
    return registry, other


@pytest.mark.parametrize("way", ["placed", "made under the hold"])
@pytest.mark.parametrize("at", range(1, 7))
def test_an_interrupt_among_the_results_says_what_became_of_the_entry(
    postgres: Handle, monkeypatch: pytest.MonkeyPatch, way: str, at: int
) -> None:
    """Ctrl-C as the at-th pipelined result comes back: told truly, the store usable."""
    try:  # where psycopg keeps its pipeline's workings (3.2 on; 3.1 in _pipeline)
        from psycopg import _pipeline_base  # noqa: PLC0415
    except ImportError:
        from psycopg import _pipeline as _pipeline_base  # type: ignore[no-redef]  # noqa: PLC0415

    registry, _ = two_writers(postgres, monkeypatch, way)
    process, seen = _pipeline_base.BasePipeline._process_results, [0]

    def interrupted(self: Any, *args: Any) -> None:
        process(self, *args)
        seen[0] += 1
        if seen[0] == at:
            raise KeyboardInterrupt

    monkeypatch.setattr(_pipeline_base.BasePipeline, "_process_results", interrupted)
    try:
        registry.apply(make("n", Kind.NOMINATE, "LGA", 1), retries=1)
        said = "in"
    except KeyboardInterrupt:
        said = "interrupted"
    except StoreFailed:
        said = "not in"
    monkeypatch.setattr(_pipeline_base.BasePipeline, "_process_results", process)
    ids = [e.decision.id for e in postgres.open()]
    assert said == "interrupted" or ("n" in ids) == (said == "in")
    assert not registry.log._in_transaction()  # type: ignore[attr-defined]
    registry.apply(make("m", Kind.NOMINATE, "LGA", 1, body="c"), retries=1)  # usable
    registry.apply(make("n", Kind.NOMINATE, "LGA", 1), retries=1)  # in once, or a repeat
    assert [e.decision.id for e in postgres.open()].count("n") == 1
    assert dict(registry.bodies) == dict(Registry(LIFECYCLE, log=postgres.open()).bodies)


class Recording:
    """A logger keeping each event and its fields."""

    def __init__(self, events: list[tuple[str, dict[str, object]]]) -> None:
        self.events = events

    def info(self, event: str, **fields: object) -> None:
        self.events.append((event, fields))

    def warning(self, event: str, **fields: object) -> None:
        self.events.append((event, fields))


def behind_on_its_body(postgres: Handle) -> Registry:
    """A registry that has read body b's proposal, and not the agreement made since."""
    registry = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    other = Registry(LIFECYCLE, log=postgres.open(), logger=QUIET)
    other.apply(make("a", Kind.AGREE, "APCC", 1))
    return registry


def test_an_interrupt_at_a_holds_commit_leaves_no_transaction_open(
    postgres: Handle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C just as the hold commits: rolled back, nothing held; what follows is kept."""
    import psycopg  # noqa: PLC0415

    registry = behind_on_its_body(postgres)  # its apply catches up, held
    db: Any = registry.log._db  # type: ignore[attr-defined]
    execute, armed = psycopg.Connection.execute, [True]

    def interrupted(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        if armed[0] and self is db and query == b"COMMIT" and self._pipeline is None:
            armed[0] = False
            raise KeyboardInterrupt
        return execute(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Connection, "execute", interrupted)
    with pytest.raises(KeyboardInterrupt):
        registry.apply(make("n1", Kind.NOMINATE, "LGA", 2), retries=1)
    assert not armed[0]
    assert not registry.log._in_transaction()  # type: ignore[attr-defined]
    assert [e.decision.id for e in postgres.open()] == ["p", "a"]  # the head row free
    acknowledged = [
        registry.apply(make(f"n{n}", Kind.NOMINATE, "LGA", 2), retries=1) for n in (2, 3)
    ]
    registry.log.close()  # type: ignore[attr-defined]
    assert list(postgres.open())[2:] == acknowledged  # committed, not in a dangling hold


def test_a_head_that_is_no_digest_gets_no_entry_placed(postgres: Handle) -> None:
    """The server places an entry only after a head that is a hash govflow writes."""
    first = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    first.apply(make("p", Kind.PROPOSE, "LGA", 0))
    first.apply(make("q", Kind.PROPOSE, "LGA", 0, body="c"))
    _sql(
        postgres,
        "UPDATE govflow_entries SET hash = upper(hash) WHERE seq = 1; "
        "UPDATE govflow_head SET hash = upper(hash)",
    )
    with pytest.raises(GovflowError):
        first.apply(make("n", Kind.NOMINATE, "LGA", 1), retries=1)
    assert _sql_rows(postgres, "SELECT decision_id FROM govflow_entries") == [
        ("p",),
        ("q",),
    ]


def _sql_rows(store: Handle, query: str) -> list[tuple[Any, ...]]:
    import psycopg  # noqa: PLC0415

    assert POSTGRES_URL is not None
    schema = store.url.rsplit("govflow_schema=", 1)[1]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as db:
        db.execute(f"SET search_path TO {schema}")
        return db.execute(query + " ORDER BY seq").fetchall()  # type: ignore[arg-type]


def test_a_failed_append_never_returns_another_writers_entry_of_the_same_id(
    postgres: Handle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The append fails; another writer's decision of the same id is in: not returned."""
    from govflow.stores import postgres as module  # noqa: PLC0415

    registry = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    other = Registry(LIFECYCLE, log=postgres.open(), logger=QUIET)

    def failing(*args: Any) -> Any:  # the other writer's append lands, then ours fails
        other.apply(make("x", Kind.NOMINATE, "LGA", 5))
        raise StoreFailed("the store", "PostgreSQL says: canceling statement")

    monkeypatch.setattr(module, "append_chained", failing)
    with pytest.raises(StoreFailed):
        registry.apply(make("x", Kind.NOMINATE, "LGA", 1), retries=1)
    assert list(postgres.open())[-1].decision == make("x", Kind.NOMINATE, "LGA", 5)


def test_a_store_whose_connection_was_lost_connects_again(
    postgres: Handle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its server process ended, and the first new connection refused: the next one taken."""
    import psycopg  # noqa: PLC0415

    registry = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    store: Any = registry.log
    with psycopg.connect(str(POSTGRES_URL), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (store._db.info.backend_pid,))
    connect, refusals = psycopg.connect, [1]

    def refusing(*args: Any, **kwargs: Any) -> Any:
        if refusals[0]:
            refusals[0] = 0
            raise psycopg.OperationalError("the database system is starting up")
        return connect(*args, **kwargs)

    monkeypatch.setattr(psycopg, "connect", refusing)
    with pytest.raises(StoreFailed):
        registry.apply(make("n1", Kind.NOMINATE, "LGA", 1), retries=1)
    assert refusals == [0]
    assert store._db.closed  # lost: the next apply connects again before it begins
    entry = registry.apply(make("n2", Kind.NOMINATE, "LGA", 1), retries=1)
    assert [e.decision.id for e in postgres.open()] == ["p", "n2"]
    assert entry.seq == 1


def test_a_hold_whose_commit_reply_is_lost_returns_the_entry_it_committed(
    postgres: Handle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server commits the hold, then the connection drops: the entry is returned."""
    import psycopg  # noqa: PLC0415

    registry = behind_on_its_body(postgres)  # its apply catches up, held
    db: Any = registry.log._db  # type: ignore[attr-defined]
    execute, armed = psycopg.Connection.execute, [True]

    def lost(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        done = execute(self, query, *args, **kwargs)
        if armed[0] and self is db and query == b"COMMIT" and self._pipeline is None:
            armed[0] = False
            with psycopg.connect(str(POSTGRES_URL), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (self.info.backend_pid,))
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        return done

    monkeypatch.setattr(psycopg.Connection, "execute", lost)
    events: list[tuple[str, dict[str, object]]] = []
    registry._logger = Recording(events)  # type: ignore[attr-defined]
    entry = registry.apply(make("n", Kind.NOMINATE, "LGA", 2), retries=1)
    assert not armed[0]
    assert [(e, f["seq"]) for e, f in events] == [("decision.accepted", 2)]  # told once
    assert list(postgres.open())[-1] == entry
    fresh = Registry(LIFECYCLE, log=postgres.open(), logger=QUIET)
    assert (registry.checkpoint(), dict(registry.bodies)) == (fresh.checkpoint(), fresh.bodies)
    registry.apply(make("m", Kind.NOMINATE, "LGA", 3), retries=1)  # the store usable again


def test_a_hold_that_fails_at_its_commit_and_cannot_be_read_forgets_the_entry(
    postgres: Handle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commit fails and the log cannot be read to see: the entry is forgotten."""
    import psycopg  # noqa: PLC0415

    registry = behind_on_its_body(postgres)  # its apply catches up, held
    store: Any = registry.log
    events: list[tuple[str, dict[str, object]]] = []
    registry._logger = Recording(events)  # type: ignore[attr-defined]
    execute, since = psycopg.Connection.execute, store.since

    def failing(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        if self is store._db and query == b"COMMIT" and self._pipeline is None:
            monkeypatch.setattr(store, "since", unreadable)
            raise psycopg.OperationalError("the commit failed")
        return execute(self, query, *args, **kwargs)

    def unreadable(seq: int) -> Any:
        raise StoreFailed(store.where, "PostgreSQL says: no connection")

    monkeypatch.setattr(psycopg.Connection, "execute", failing)
    with pytest.raises(StoreFailed, match="the commit failed"):
        registry.apply(make("n", Kind.NOMINATE, "LGA", 2), retries=1)
    monkeypatch.setattr(psycopg.Connection, "execute", execute)
    monkeypatch.setattr(store, "since", since)
    assert [e.decision.id for e in postgres.open()] == ["p", "a"]
    assert "decision.accepted" not in [event for event, _ in events]  # it was not
    assert registry.checkpoint() == Registry(LIFECYCLE, log=postgres.open()).checkpoint()
    assert registry.apply(make("n", Kind.NOMINATE, "LGA", 2), retries=1).seq == 2
    assert [(e, f["decision_id"]) for e, f in events] == [("decision.accepted", "n")]


def test_a_fact_made_ahead_leaves_the_bodys_facts_be(postgres: Handle) -> None:
    """Made ahead, the entry grows no list: taking it in appends, it copies no facts."""
    registry = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    shared = registry.body("b").facts._items  # the list the body's versions share
    for n in range(3):
        registry.apply(make(f"n{n}", Kind.NOMINATE, "LGA", 1), retries=1)
    facts = registry.body("b").facts
    assert facts._items is shared  # grown in place, never copied (a copy costs its length)
    assert [f.seq for f in facts] == [0, 1, 2, 3]


@pytest.mark.parametrize("way", ["placed", "made under the hold"])
def test_a_writer_far_behind_reads_the_rest_after_its_append(
    postgres: Handle, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    """Only NEWS rows come with the append (under its lock); the rest are read after."""
    from govflow.stores import _postgres_hold  # noqa: PLC0415

    monkeypatch.setattr(_postgres_hold, "NEWS", 3)
    registry, other = two_writers(postgres, monkeypatch, way)
    for n in range(8):  # eight entries it has not read, none about its body
        other.apply(make(f"o{n}", Kind.NOMINATE, "LGA", 1, body="c"))
    counts, limits = counted(registry.log), []
    execute = registry.log._db.execute  # type: ignore[attr-defined]

    def recording(query: Any, params: Any = None, **kwargs: Any) -> Any:
        if query == registry.log._sql["after"]:  # type: ignore[attr-defined]
            limits.append(params[1])
        return execute(query, params, **kwargs)

    monkeypatch.setattr(registry.log._db, "execute", recording)  # type: ignore[attr-defined]
    entry = registry.apply(make("n", Kind.NOMINATE, "LGA", 1), retries=1)
    assert counts["ahead"] == 1
    assert entry.seq == 10
    assert limits[0] == 3  # the rows read with the append
    assert registry.checkpoint() == postgres.open().checkpoint()  # and every one after
    assert dict(registry.bodies) == dict(Registry(LIFECYCLE, log=postgres.open()).bodies)


def test_a_store_whose_connection_was_lost_connects_again_for_reads_and_appends(
    postgres: Handle,
) -> None:
    """The call that meets the loss fails (StoreFailed); the next ones connect again."""
    import psycopg  # noqa: PLC0415

    assert POSTGRES_URL is not None
    registry = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    store: Any = registry.log
    for call in (lambda: len(store), lambda: list(store), store.verify, store.checkpoint):
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (store._db.info.backend_pid,))
        with pytest.raises(StoreFailed):  # a lost connection, not "not a govflow log"
            call()
        assert len(store) == 1  # connected again
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (store._db.info.backend_pid,))
    with pytest.raises(StoreFailed):
        registry.apply(make("n1", Kind.NOMINATE, "LGA", 1))
    assert registry.apply(make("n2", Kind.NOMINATE, "LGA", 1)).seq == 1  # no retries
    assert [e.decision.id for e in postgres.open()] == ["p", "n2"]


def test_a_connection_lost_in_a_hold_is_not_replaced_inside_it(postgres: Handle) -> None:
    """What follows the loss in the block would not be in the hold: it fails instead."""
    import psycopg  # noqa: PLC0415

    assert POSTGRES_URL is not None
    store: Any = postgres.open(FP)
    registry = Registry(LIFECYCLE, log=store, logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))

    def held() -> None:
        with store.exclusive():
            with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (store._db.info.backend_pid,))
            with contextlib.suppress(StoreFailed):
                len(store)  # meets the loss
            registry.apply(make("n", Kind.NOMINATE, "LGA", 1))  # not on a new connection

    with pytest.raises(StoreFailed):
        held()
    assert [e.decision.id for e in postgres.open()] == ["p"]
    assert len(store) == 1  # connected again, the hold over


def test_a_batch_another_writer_kept_first_is_kept_once(
    postgres: Handle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nodes another writer kept between a batch's read and its write are left as they are.

    The write inserts the batch's nodes only if those kept still end where the batch
    starts (checked under the node writers' lock): else it would insert them twice.
    """
    from govflow.stores import _postgres_hold  # noqa: PLC0415
    from govflow.stores import postgres as postgres_store  # noqa: PLC0415

    registry = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    for n in range(BATCH - 2):  # the next entry ends the first batch
        registry.apply(make(f"n{n}", Kind.NOMINATE, "LGA", 1))
    other, making, keeping = postgres.open(), _postgres_hold.following, _postgres_hold.keep_batch
    assert list(other.kept_nodes()) == []

    def other_first(*args: Any) -> Any:
        made = making(*args)
        other.tree()  # another writer keeps the batch's nodes first
        assert len(list(other.kept_nodes())) == node_count(BATCH)
        return made

    kept: list[bool] = []
    monkeypatch.setattr(_postgres_hold, "following", other_first)
    monkeypatch.setattr(postgres_store, "keep_batch", lambda *a: kept.append(keeping(*a)) or True)
    registry.apply(make(f"n{BATCH}", Kind.NOMINATE, "LGA", 1))
    assert kept == [True]  # in step when read; nothing inserted, and no error
    entries = list(other)
    memory = Tree.of([e.hash for e in entries])
    assert len(entries) == BATCH
    assert list(other.kept_nodes()) == [memory[at] for at in range(node_count(BATCH))]
    assert other.verify().ok


def test_nodes_a_read_makes_again_are_kept_in_whole_batches(
    postgres: Handle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tree() keeps whole batches only, so that the next batch's append finds them in step.

    Kept up to the log's count (mid-batch), the next append ending a batch found the
    nodes kept not ending where its batch starts, and made them all again under tree().
    """
    from govflow.stores import _postgres_hold  # noqa: PLC0415
    from govflow.stores import postgres as postgres_store  # noqa: PLC0415

    registry = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    for n in range(BATCH + 9):
        registry.apply(make(f"n{n}", Kind.NOMINATE, "LGA", 1))
    _sql(postgres, "DELETE FROM govflow_tree")  # as a log written before nodes were kept
    reader = postgres.open()
    assert len(reader.tree()) == BATCH + 10  # made again, and kept: the whole batch alone
    assert len(list(reader.kept_nodes())) == node_count(BATCH)
    kept: list[bool] = []
    keeping = _postgres_hold.keep_batch
    monkeypatch.setattr(postgres_store, "keep_batch", lambda *a: kept.append(keeping(*a)) or True)
    for n in range(BATCH + 9, 2 * BATCH - 1):
        registry.apply(make(f"n{n}", Kind.NOMINATE, "LGA", 1))
    assert kept == [True]  # the second batch's append found the nodes in step
    memory = Tree.of([e.hash for e in reader])
    assert list(reader.kept_nodes()) == [memory[at] for at in range(node_count(2 * BATCH))]


def test_an_interrupt_while_a_batch_is_kept_leaves_no_transaction_open(
    postgres: Handle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while a batch's nodes are sent: rolled back, so the next append commits.

    The transaction the nodes are written in was left open: the next append went into
    it, returned, and was never committed.
    """
    from govflow.stores import _postgres_hold  # noqa: PLC0415

    class Interrupting(list[bytes]):
        def __len__(self) -> int:  # read once BEGIN and the lock are sent
            raise KeyboardInterrupt

    registry = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    for n in range(BATCH - 2):  # the next entry ends the first batch
        registry.apply(make(f"n{n}", Kind.NOMINATE, "LGA", 1))
    making = _postgres_hold.following
    monkeypatch.setattr(_postgres_hold, "following", lambda *a: Interrupting(making(*a)))
    with pytest.raises(KeyboardInterrupt):
        registry.apply(make("last", Kind.NOMINATE, "LGA", 1))
    monkeypatch.undo()
    registry.reload()  # the interrupt came before the registry took its entry in
    registry.apply(make("after", Kind.NOMINATE, "LGA", 2))
    other = postgres.open()
    assert [e.decision.id for e in other][-2:] == ["last", "after"]  # both committed
    assert other.verify().ok


@pytest.mark.parametrize(
    ("damage", "seq", "kind"),
    [
        ("DELETE FROM govflow_entries WHERE seq = 2", 2, "truncated"),  # the head row left
        ("UPDATE govflow_head SET hash = repeat('cd', 32)", 2, "misindexed"),
    ],
    ids=["last entry deleted", "head row altered"],
)
def test_a_head_row_that_disagrees_with_the_entries_is_caught_without_a_checkpoint(
    postgres: Handle, damage: str, seq: int, kind: str
) -> None:
    """The head row is the store's own record of its end: an entry deleted there is caught.

    It used to verify intact, with ``head`` the deleted entry's, and a registry opened on
    it had every append refused as if another writer had appended first.
    """
    registry = Registry(LIFECYCLE, log=postgres.open(FP), logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    registry.apply(make("a", Kind.AGREE, "APCC", 1))
    registry.apply(make("n", Kind.NOMINATE, "LGA", 2))
    _sql(postgres, damage)
    found = postgres.open().verify()
    assert found.problem is not None
    assert (found.problem.seq, found.problem.kind) == (seq, kind)
    if kind == "truncated":
        with pytest.raises(TamperedLog, match="head row records 3 entries; its entries table"):
            len(postgres.open())
    with pytest.raises(TamperedLog):
        Registry(LIFECYCLE, log=postgres.open(), logger=QUIET)
    # The command too: it verified the entries alone, and said "intact".
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["verify", postgres.url, "--json"]) == 1
    said = json.loads(out.getvalue())
    assert (said["ok"], said["problem"]["seq"], said["problem"]["kind"]) == (False, seq, kind)


def test_explain_assuming_an_id_another_writer_used_is_refused_as_apply_refuses_it(
    postgres: Handle, pipelining: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other's entry, pending (not yet read into records), holds the id: taken in first."""
    first, other = two_writers(postgres, monkeypatch, "placed")
    other.apply(make("o0", Kind.NOMINATE, "LGA", 1, body="c"), retries=1)
    first.apply(make("f0", Kind.NOMINATE, "LGA", 1), retries=1)  # o0 comes back, pending
    reused = make("o0", Kind.NOMINATE, "APCC", 2)  # on b: the id is o0's, on c
    with pytest.raises(DuplicateDecision):
        first.explain("b", assuming=reused)
    with pytest.raises(DuplicateDecision):
        first.apply(reused, retries=1)
