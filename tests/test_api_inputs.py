"""Public functions given values of the wrong type raise govflow's typed errors, by name."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from govflow import AuditLog, GovflowError, InvalidRecord, Registry, When, body_as_of, verify
from govflow.canonical import canonical_bytes
from govflow.definitions import Definition, dumps
from govflow.errors import BadStoreURL, NoteError, ProofError, WitnessRefused
from govflow.log import Entry, body_possibly, read_record, write_text
from govflow.log.bundle import Bundle
from govflow.log.checkpoint import TreeHead
from govflow.log.entry import genesis
from govflow.log.merkle import Tree, leaf_hash, verify_consistency, verify_inclusion
from govflow.log.note import Note, Signature, SignerKey, VerifierKey
from govflow.log.witness import Seen, cosign
from govflow.model.verdict import Verdict
from govflow.render.records import notice
from govflow.rules.explain import Explanation, Option
from govflow.scenarios import partnership_lifecycle, spb
from govflow.stores import SqliteStore, open_store

LIFECYCLE = partnership_lifecycle(authorities=spb.authorities())
DAY = dt.date(2013, 2, 13)
HASH = bytes(32)
TREE = Tree.of(["00" * 32] * 5)


def _log() -> AuditLog:
    registry = Registry(LIFECYCLE)
    for decision in spb.decisions()[:4]:
        registry.apply(decision)
    return registry.log  # type: ignore[return-value]


LOG = _log()
REGISTRY = Registry(LIFECYCLE, log=AuditLog(LIFECYCLE.fingerprint, LOG))


class NotEntries:
    """A log in shape (its tree, entries by position) whose entries are not Entry records."""

    def tree(self) -> Tree:
        return LOG.tree()

    def __getitem__(self, seq: int) -> object:
        return {"seq": seq}


LOG_KEY = SignerKey.generate("log.example/spb")
WITNESS = SignerKey.generate("lga.example/w")
NOTE = Note(TreeHead.of([e.hash for e in LOG], LOG.head, LOG_KEY.name, DAY).text()).signed(LOG_KEY)
BUNDLE = Bundle.of(LOG, 1, NOTE)
ROOT = "0" * 64
TWICE = f'{{"a": {{"size": 1, "root": "{ROOT}"}}, "a": {{"size": 2, "root": "{ROOT}"}}}}'

CALLS: list[tuple[str, Callable[[], object], type[GovflowError], str]] = [
    # The Merkle tree and its proofs.
    ("Tree.of hex", lambda: Tree.of(["zz"]), ProofError, "an entry hash is 64 lower-case hex"),
    ("Tree.of None", lambda: Tree.of(None), ProofError, "entry hashes in hex"),  # type: ignore[arg-type]
    ("leaf_hash str", lambda: leaf_hash("x"), ProofError, "a leaf must be bytes"),  # type: ignore[arg-type]
    ("inclusion_proof None", lambda: TREE.inclusion_proof(None), ProofError, "index must be"),  # type: ignore[arg-type]
    ("consistency_proof str", lambda: TREE.consistency_proof("a", 3), ProofError, "first must"),  # type: ignore[arg-type]
    (
        "verify_inclusion None",
        lambda: verify_inclusion(None, 1, HASH, [], HASH),  # type: ignore[arg-type]
        ProofError,
        "index must be",
    ),
    (
        "verify_inclusion proof",
        lambda: verify_inclusion(0, 1, HASH, None, HASH),  # type: ignore[arg-type]
        ProofError,
        "a proof must be a list",
    ),
    (
        "verify_consistency None",
        lambda: verify_consistency(None, 2, HASH, HASH, [HASH]),  # type: ignore[arg-type]
        ProofError,
        "first must be",
    ),
    (
        "verify_consistency hash",
        lambda: verify_consistency(1, 2, HASH, HASH, [None]),  # type: ignore[list-item]
        ProofError,
        "a hash is not bytes",
    ),
    # Notes, keys and witnesses.
    ("Note signatures", lambda: Note("a\n", None), NoteError, "list of Signature"),  # type: ignore[arg-type]
    ("Note.signed", lambda: Note("a\n").signed("x"), NoteError, "SignerKey records"),  # type: ignore[arg-type]
    ("SignerKey.sign", lambda: LOG_KEY.sign("text"), NoteError, "must be bytes"),  # type: ignore[arg-type]
    ("VerifierKey", lambda: VerifierKey(None, None, None), NoteError, "not a key name"),  # type: ignore[arg-type]
    ("VerifierKey id", lambda: VerifierKey("k", -1, HASH), NoteError, "key ID"),
    ("VerifierKey public", lambda: VerifierKey("k", 1, b"x"), NoteError, "32 bytes"),
    ("Signature bytes", lambda: Signature("k", 1, b""), NoteError, "expected its bytes"),
    ("Signature text", lambda: Signature("k", 1, "sig"), NoteError, "expected its bytes"),  # type: ignore[arg-type]
    ("Seen size", lambda: Seen("26", "0" * 64), InvalidRecord, "Seen.size"),  # type: ignore[arg-type]
    ("Seen nan", lambda: Seen(float("nan"), "0" * 64), InvalidRecord, "Seen.size"),  # type: ignore[arg-type]
    ("Seen root", lambda: Seen(3, None), InvalidRecord, "Seen.root"),  # type: ignore[arg-type]
    ("Seen.dump", lambda: Seen.dump(None), InvalidRecord, "origins mapped to Seen"),  # type: ignore[arg-type]
    (
        "cosign proof",
        lambda: cosign(NOTE, LOG_KEY.verifier, WITNESS, Seen(3, "0" * 64), 1),  # type: ignore[arg-type]
        WitnessRefused,
        "the proof must be a list",
    ),
    # Bundles.
    ("Bundle entry", lambda: Bundle(None, (), NOTE), InvalidRecord, "Bundle.entry"),  # type: ignore[arg-type]
    ("Bundle proof", lambda: Bundle(BUNDLE.entry, None, NOTE), InvalidRecord, "Bundle.proof"),  # type: ignore[arg-type]
    ("Bundle note", lambda: Bundle(BUNDLE.entry, (), None), InvalidRecord, "Bundle.checkpoint"),  # type: ignore[arg-type]
    ("Bundle.of None", lambda: Bundle.of(None, 0, NOTE), InvalidRecord, "Bundle.log"),  # type: ignore[arg-type]
    ("Bundle.of text", lambda: Bundle.of("xx", 0, NOTE), InvalidRecord, "Bundle.log"),  # type: ignore[arg-type]
    (
        "Bundle.of log of no entries",
        lambda: Bundle.of(NotEntries(), 1, NOTE),  # type: ignore[arg-type]
        InvalidRecord,
        "Bundle.log must be a log of Entry records",
    ),
    (
        "Bundle.verify witnesses",
        lambda: BUNDLE.verify(LOG_KEY.verifier, witnesses=None),  # type: ignore[arg-type]
        InvalidRecord,
        "Bundle.witnesses",
    ),
    # Logs, replay and what renders or writes them.
    ("AuditLog[str]", lambda: LOG["x"], InvalidRecord, "AuditLog.seq"),  # type: ignore[call-overload]
    ("AuditLog.since", lambda: LOG.since("x"), InvalidRecord, "AuditLog.seq"),  # type: ignore[arg-type]
    ("AuditLog.of_body", lambda: LOG.of_body(5), InvalidRecord, "AuditLog.body"),  # type: ignore[arg-type]
    ("verify None", lambda: verify(None, LIFECYCLE.fingerprint), InvalidRecord, "verify.records"),  # type: ignore[arg-type]
    (
        "body_as_of None",
        lambda: body_as_of(LIFECYCLE, None, "spb", DAY),  # type: ignore[arg-type]
        InvalidRecord,
        "body_as_of.entries",
    ),
    (
        "body_as_of texts",
        lambda: body_as_of(LIFECYCLE, ["x"], "spb", DAY),  # type: ignore[list-item]
        InvalidRecord,
        "body_as_of.entries",
    ),
    (
        "body_possibly None",
        lambda: body_possibly(LIFECYCLE, None, "spb", DAY),  # type: ignore[arg-type]
        InvalidRecord,
        "body_as_of.entries",
    ),
    ("notice None", lambda: notice(None), InvalidRecord, "notice.entry"),  # type: ignore[arg-type]
    ("view on", lambda: REGISTRY.view("spb", "x"), InvalidRecord, "Registry.view.on"),  # type: ignore[arg-type]
    ("explain on", lambda: REGISTRY.explain("spb", "x"), InvalidRecord, "Registry.explain.on"),  # type: ignore[arg-type]
    (
        "waiting_on on",
        lambda: REGISTRY.waiting_on("LGA", "x"),  # type: ignore[arg-type]
        InvalidRecord,
        "Registry.waiting_on.on",
    ),
    ("write_text None", lambda: write_text(None), InvalidRecord, "codec.cls"),
    ("write_text 5", lambda: write_text(5), InvalidRecord, "codec.cls"),
    ("write_text schema", lambda: write_text(LOG[0], "3"), InvalidRecord, "codec.schema"),  # type: ignore[arg-type]
    ("write_text 99", lambda: write_text(LOG[0], 99), InvalidRecord, "codec.schema"),
    ("read_record dict", lambda: read_record(dict, {}, "d"), InvalidRecord, "codec.cls"),
    ("read_record None", lambda: read_record(None, {}, "d"), InvalidRecord, "codec.cls"),  # type: ignore[arg-type]
    ("read_record 0", lambda: read_record(Entry, {}, "d", 0), InvalidRecord, "codec.schema"),
    ("notice terms", lambda: notice(LOG[0], terms="t"), InvalidRecord, "notice.terms"),  # type: ignore[arg-type]
    ("dumps None", lambda: dumps(None), InvalidRecord, "dumps.model"),  # type: ignore[arg-type]
    ("dumps form", lambda: dumps(LIFECYCLE, form=5), InvalidRecord, "dumps.form"),  # type: ignore[arg-type]
    (
        "Registry verified",
        lambda: Registry(LIFECYCLE, verified="x"),
        InvalidRecord,
        "Registry.verified",
    ),  # type: ignore[arg-type]
    (
        "TreeHead date",
        lambda: TreeHead.parse(NOTE.text.replace("2013-02-13", "20130213")),
        InvalidRecord,
        "TreeHead.date",
    ),
    (
        "Seen.load twice",
        lambda: Seen.load(TWICE),
        InvalidRecord,
        "the member 'a' is given twice in one object",
    ),
    # Opening a store.
    (
        "open_store timeout",
        lambda: open_store("memory:", LIFECYCLE.fingerprint, timeout="x"),
        InvalidRecord,
        "open_store.timeout",
    ),  # type: ignore[arg-type]
    (
        "open_store nan",
        lambda: open_store("memory:", LIFECYCLE.fingerprint, timeout=float("nan")),
        InvalidRecord,
        "open_store.timeout",
    ),
    (
        "open_store read_only",
        lambda: open_store("memory:", LIFECYCLE.fingerprint, read_only="x"),
        InvalidRecord,
        "open_store.read_only",
    ),  # type: ignore[arg-type]
    ("open_store surrogate", lambda: open_store("postgresql://\udcff"), BadStoreURL, "UTF-8 text"),
]


@pytest.mark.parametrize(
    ("call", "error", "said"), [c[1:] for c in CALLS], ids=[c[0] for c in CALLS]
)
def test_a_value_of_the_wrong_type_is_a_typed_error(
    call: Callable[[], object], error: type[GovflowError], said: str
) -> None:
    with pytest.raises(error, match=said.replace(".", r"\.")):
        call()


@pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
def test_a_store_refuses_a_position_or_a_body_of_the_wrong_type(tmp_path: Path, kind: str) -> None:
    with open_store(f"{kind}:///{tmp_path}/log.{kind}", LIFECYCLE.fingerprint) as store:
        for entry in LOG:
            store.append(entry)
        name = type(store).__name__
        for bad in ("x", -1, None, 1.0):
            with pytest.raises(InvalidRecord, match=f"{name}.seq"):
                store.since(bad)  # type: ignore[arg-type]
        with pytest.raises(InvalidRecord, match=f"{name}.body"):
            store.of_body(5)  # type: ignore[arg-type]
        assert list(store.of_body("spb\ud800")) == []  # no entry can hold it
        assert [e.seq for e in store.since(2)] == [2, 3]
        assert len(list(store.of_body("spb"))) == 4


def test_the_good_values_still_work() -> None:
    """Beside the refusals above, the same calls with good values succeed."""
    assert BUNDLE.verify(LOG_KEY.verifier, witnesses=[]).size == 4
    assert Tree.of([e.hash for e in LOG]).root().hex() == TreeHead.parse(NOTE.text).root
    cosigned, seen = cosign(NOTE, LOG_KEY.verifier, WITNESS, None, [])
    assert seen.size == 4
    assert Seen.load(Seen.dump({"log.example/spb": seen})) == {"log.example/spb": seen}
    assert len(cosigned.signatures) == 2
    assert [e.seq for e in LOG.since(2)] == [2, 3]
    assert body_as_of(LIFECYCLE, LOG, "spb", DAY) is not None
    assert notice(LOG[0]).startswith("#")
    assert dumps(LIFECYCLE, form="json").startswith("{")


@pytest.mark.parametrize("text", ["20200101", "2020-W01-1", "2013-02-30", "2013-2-3"])
def test_a_day_on_the_command_line_is_written_yyyy_mm_dd(text: str) -> None:
    import argparse  # noqa: PLC0415

    from govflow.cli._open import day  # noqa: PLC0415

    with pytest.raises(argparse.ArgumentTypeError, match="expected a day as YYYY-MM-DD"):
        day(text)
    assert day("2013-02-13") == DAY


def _stores_and_proofs(
    tmp_path: Path,
) -> dict[str, tuple[Callable[[], object], type[GovflowError]]]:
    from govflow.log.merkle import node_hash, position  # noqa: PLC0415
    from govflow.log.note import key_id, verifier_keys  # noqa: PLC0415
    from govflow.stores import JsonlStore, SqliteStore  # noqa: PLC0415
    from govflow.stores.postgres import PostgresStore  # noqa: PLC0415

    fp = partnership_lifecycle().fingerprint
    SqliteStore(tmp_path / "log.db", fp).close()
    JsonlStore(tmp_path / "log.jsonl", fp).close()
    day = dt.date(2020, 1, 1)
    return {
        "JsonlStore(None)": (lambda: JsonlStore(None), InvalidRecord),  # type: ignore[arg-type]
        "JsonlStore('')": (lambda: JsonlStore(""), InvalidRecord),
        "JsonlStore(surrogate)": (lambda: JsonlStore("\ud800"), InvalidRecord),
        "SqliteStore(NUL)": (lambda: SqliteStore("a\x00"), InvalidRecord),
        "SqliteStore(timeout=None)": (
            lambda: SqliteStore(tmp_path / "t.db", fp, timeout=None),  # type: ignore[arg-type]
            InvalidRecord,
        ),
        "PostgresStore(None)": (lambda: PostgresStore(None), BadStoreURL),  # type: ignore[arg-type]
        "PostgresStore(surrogate)": (lambda: PostgresStore("\ud800"), BadStoreURL),
        "sqlite.since(2**64)": (
            lambda: _nothing_after(SqliteStore(tmp_path / "log.db")),
            GovflowError,
        ),
        "jsonl.since(2**64)": (
            lambda: _nothing_after(JsonlStore(tmp_path / "log.jsonl")),
            GovflowError,
        ),
        "position(2**64, 0)": (lambda: position(2**64, 0), ProofError),
        "position(63, 1)": (lambda: position(63, 1), ProofError),
        "node_hash(None, None)": (lambda: node_hash(None, None), ProofError),  # type: ignore[arg-type]
        "key_id(None, b'')": (lambda: key_id(None, b""), NoteError),  # type: ignore[arg-type]
        "key_id(surrogate, b'')": (lambda: key_id("\ud800", b""), NoteError),
        "verifier_keys(None)": (lambda: verifier_keys(None), NoteError),  # type: ignore[arg-type]
        "TreeHead.of(None, ...)": (
            lambda: TreeHead.of(None, "a" * 64, "o", day),  # type: ignore[arg-type]
            ProofError,
        ),
    }


def _nothing_after(store: Any) -> None:
    """Raise if ``since`` past any entry gives nothing, as it should; the store closed."""
    try:
        found = list(store.since(2**64))
    finally:
        store.close()
    if not found:
        raise ProofError("nothing, as expected")


CASES = [
    "JsonlStore(None)",
    "JsonlStore('')",
    "JsonlStore(surrogate)",
    "SqliteStore(NUL)",
    "SqliteStore(timeout=None)",
    "PostgresStore(None)",
    "PostgresStore(surrogate)",
    "sqlite.since(2**64)",
    "jsonl.since(2**64)",
    "position(2**64, 0)",
    "position(63, 1)",
    "node_hash(None, None)",
    "key_id(None, b'')",
    "key_id(surrogate, b'')",
    "verifier_keys(None)",
    "TreeHead.of(None, ...)",
]


@pytest.mark.parametrize("case", CASES)
def test_store_and_proof_functions_refuse_typed(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by a hostile battery: each raised a plain Python error (or ran out of memory)."""
    monkeypatch.chdir(tmp_path)
    call, error = _stores_and_proofs(tmp_path)[case]

    def files() -> list[str]:  # beside SQLite's own -wal and -shm, which come and go
        return sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm")))

    before = files()
    with pytest.raises(error):
        call()
    assert files() == before  # nothing made


def _nested(depth: int) -> object:
    value: object = []
    for _ in range(depth):
        value = [value]
    return value


def _more_cases() -> dict[str, tuple[Callable[[], object], type[GovflowError]]]:
    import math  # noqa: PLC0415

    import attrs  # noqa: PLC0415

    from govflow import Decision, Kind, Source, When, replay  # noqa: PLC0415
    from govflow.definitions import load  # noqa: PLC0415
    from govflow.definitions.writing import to_data  # noqa: PLC0415
    from govflow.errors import DefinitionError  # noqa: PLC0415
    from govflow.log.entry import entry_text, entry_to_dict, recompute_hash  # noqa: PLC0415
    from govflow.log.note import verifier_keys  # noqa: PLC0415
    from govflow.render.text import explanation_lines, timeline_lines  # noqa: PLC0415
    from govflow.testing.records import decision_sequences, lifecycles  # noqa: PLC0415

    lifecycle = partnership_lifecycle(authorities=spb.authorities())
    registry = Registry(lifecycle)
    for decision in spb.decisions():
        registry.apply(decision)
    log, fp = list(registry.log), lifecycle.fingerprint
    explanation = registry.explain(spb.BODY)
    decision = Decision(
        id="x", body="b", kind=Kind.NOMINATE, actor="LGA", decided=When.on(dt.date(2020, 1, 1)),
        source=Source("s"),
    )  # fmt: skip
    deep = _nested(5000)
    tree = Tree.of([e.hash for e in log])
    return {
        "verify(after=())": (lambda: verify(log, fp, after=()), InvalidRecord),  # type: ignore[arg-type]
        "verify(after=(None, None))": (lambda: verify(log, fp, after=(None, None)), InvalidRecord),  # type: ignore[arg-type]
        "verify(schema=b'')": (lambda: verify(log, fp, schema=b""), InvalidRecord),  # type: ignore[arg-type]
        "verify(schema=nan)": (lambda: verify(log, fp, schema=math.nan), InvalidRecord),  # type: ignore[arg-type]
        "verify(schema=99)": (lambda: verify(log, fp, schema=99), InvalidRecord),
        "replay(bodies=True)": (lambda: replay(lifecycle, log, bodies=True), InvalidRecord),  # type: ignore[arg-type]
        "entry_text(None)": (lambda: entry_text(None), InvalidRecord),  # type: ignore[arg-type]
        "entry_to_dict(None)": (lambda: entry_to_dict(None), InvalidRecord),  # type: ignore[arg-type]
        "recompute_hash(None)": (lambda: recompute_hash(None), InvalidRecord),  # type: ignore[arg-type]
        "Tree(None)": (lambda: Tree(None), ProofError),  # type: ignore[arg-type]
        "inclusion_proof(deep)": (lambda: tree.inclusion_proof(deep), ProofError),  # type: ignore[arg-type]
        "root(deep)": (lambda: tree.root(deep), ProofError),  # type: ignore[arg-type]
        "SignerKey.generate(deep)": (lambda: SignerKey.generate(deep), NoteError),  # type: ignore[arg-type]
        "VerifierKey.parse(deep)": (lambda: VerifierKey.parse(deep), NoteError),  # type: ignore[arg-type]
        "verifier_keys([deep])": (lambda: verifier_keys([deep]), NoteError),  # type: ignore[list-item]
        "Bundle.from_json(deep)": (lambda: Bundle.from_json(deep), InvalidRecord),  # type: ignore[arg-type]
        "Decision(position=deep)": (lambda: attrs.evolve(decision, position=deep), InvalidRecord),
        "explanation_lines(width=nan)": (
            lambda: explanation_lines(explanation, width=math.nan),  # type: ignore[arg-type]
            InvalidRecord,
        ),
        "explanation_lines(width=0)": (
            lambda: explanation_lines(explanation, width=0),
            InvalidRecord,
        ),
        "explanation_lines(None)": (lambda: explanation_lines(None), InvalidRecord),  # type: ignore[arg-type]
        "When.on('2024-11-05')": (lambda: When.on("2024-11-05"), InvalidRecord),  # type: ignore[arg-type]
        "explanation_lines(notes=5)": (
            lambda: explanation_lines(explanation, notes=5),  # type: ignore[arg-type]
            InvalidRecord,
        ),
        "explanation_lines(notes={k: None})": (
            lambda: explanation_lines(explanation, notes={("endorse", "APCC"): None}),  # type: ignore[dict-item]
            InvalidRecord,
        ),
        "timeline_lines(width=nan)": (lambda: timeline_lines(log, width=math.nan), InvalidRecord),  # type: ignore[arg-type]
        "timeline_lines([None])": (lambda: timeline_lines([None]), InvalidRecord),  # type: ignore[list-item]
        "load(None)": (lambda: load(None), DefinitionError),  # type: ignore[arg-type]
        "load(b'x.toml')": (lambda: load(b"x.toml"), DefinitionError),  # type: ignore[arg-type]
        "to_data(None)": (lambda: to_data(None), InvalidRecord),  # type: ignore[arg-type]
        "lifecycles(max_states=None)": (
            lambda: lifecycles(max_states=None).example(),  # type: ignore[arg-type]
            InvalidRecord,
        ),
        "lifecycles(max_triggers=2**64)": (
            lambda: lifecycles(max_triggers=2**64).example(),
            InvalidRecord,
        ),
        "decision_sequences(max_size=None)": (
            lambda: decision_sequences(lifecycle, max_size=None).example(),  # type: ignore[arg-type]
            InvalidRecord,
        ),
    }


MORE = [
    "verify(after=())", "verify(after=(None, None))", "verify(schema=b'')", "verify(schema=nan)",
    "verify(schema=99)", "replay(bodies=True)", "entry_text(None)", "entry_to_dict(None)",
    "recompute_hash(None)", "Tree(None)", "inclusion_proof(deep)", "root(deep)",
    "SignerKey.generate(deep)", "VerifierKey.parse(deep)", "verifier_keys([deep])",
    "Bundle.from_json(deep)", "Decision(position=deep)", "explanation_lines(width=nan)",
    "explanation_lines(width=0)", "explanation_lines(None)", "explanation_lines(notes=5)",
    "explanation_lines(notes={k: None})", "When.on('2024-11-05')",
    "timeline_lines(width=nan)", "timeline_lines([None])", "load(None)", "load(b'x.toml')",
    "to_data(None)", "lifecycles(max_states=None)", "lifecycles(max_triggers=2**64)",
    "decision_sequences(max_size=None)",
]  # fmt: skip


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
@pytest.mark.parametrize("case", MORE)
def test_log_render_definition_and_testing_functions_refuse_typed(case: str) -> None:
    """Found by a hostile battery: each raised a plain Python error, recursed or hung."""
    call, error = _more_cases()[case]
    with pytest.raises(error):
        call()


class _Boom:
    """A value whose comparison, iteration and length all raise."""

    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")

    def __iter__(self) -> Any:
        raise RuntimeError("iter")

    def __len__(self) -> int:
        raise RuntimeError("len")


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ("terms", "partners"),
        ("terms", "remit"),
        ("terms", "conditions"),
        ("terms", "seats"),
        ("terms", "places"),
        ("decision", "reasons"),
        ("decision", "alternatives_rejected"),
        ("decision", "nominees"),
    ],
)
def test_a_field_given_a_value_that_raises_when_compared_is_refused_typed(
    record: str, field: str
) -> None:
    import attrs  # noqa: PLC0415

    from govflow import Decision, Kind, Source, When  # noqa: PLC0415

    decision = Decision(
        id="x", body="b", kind=Kind.NOMINATE, actor="LGA", decided=When.on(dt.date(2020, 1, 1)),
        source=Source("s"),
    )  # fmt: skip
    made = spb.TERMS if record == "terms" else decision
    with pytest.raises(InvalidRecord, match=field):
        attrs.evolve(made, **{field: _Boom()})


def _calls_given_a_value_that_raises_when_read() -> dict[str, Any]:
    from govflow import Kind, guards, replay  # noqa: PLC0415

    registry = Registry(LIFECYCLE)
    for decision in spb.decisions()[:3]:
        registry.apply(decision)
    entries, day = list(registry.log), dt.date(2014, 1, 1)
    return {
        "every_partner": lambda: guards.every_partner(_Boom()),
        "any_partner": lambda: guards.any_partner(_Boom()),
        "decided": lambda: guards.decided(_Boom()),
        "decided_by": lambda: guards.decided_by(Kind.ENDORSE, _Boom()),
        "replay": lambda: replay(LIFECYCLE, _Boom()),
        "body_as_of": lambda: body_as_of(LIFECYCLE, _Boom(), "spb", day),
        "body_as_of, its entries read so far": lambda: body_as_of(
            LIFECYCLE, (e if e.seq < 2 else _Boom().__iter__() for e in entries), "spb", day
        ),
        "AuditLog.verify": lambda: AuditLog(LIFECYCLE.fingerprint).verify(_Boom()),  # type: ignore[arg-type]
        "Registry.verify": lambda: registry.verify(_Boom()),  # type: ignore[arg-type]
        "Registry.reload": lambda: registry.reload(full=_Boom()),  # type: ignore[arg-type]
    }


@pytest.mark.parametrize(
    "call",
    [
        "every_partner", "any_partner", "decided", "decided_by", "replay", "body_as_of",
        "body_as_of, its entries read so far", "AuditLog.verify", "Registry.verify",
        "Registry.reload",
    ],
)  # fmt: skip
def test_an_argument_that_raises_when_read_is_refused_typed(call: str) -> None:
    """Each raised the value's own RuntimeError (or TypeError) rather than a typed error."""
    with pytest.raises(InvalidRecord) as refused:
        _calls_given_a_value_that_raises_when_read()[call]()
    assert refused.value.field in {"kinds", "authorities", "entries", "checkpoint", "full"}


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (
            lambda: When.on(dt.date(2013, 1, 5)).certainly_before(None),
            "When.certainly_before.other",
        ),  # type: ignore[arg-type]
        (
            lambda: When.on(dt.date(2013, 1, 5)).certainly_before(dt.date(2013, 1, 6)),
            "When.certainly_before.other",
        ),  # type: ignore[arg-type]
        (lambda: When.on(dt.date(2013, 1, 5)).ends_by("2013-01-06"), "When.ends_by.day"),  # type: ignore[arg-type]
        (
            lambda: When.on(dt.date(2013, 1, 5)).ends_by(dt.datetime(2013, 1, 6, 12)),
            "When.ends_by.day",
        ),
        (lambda: genesis(5), "genesis.lifecycle_fingerprint"),  # type: ignore[arg-type]
        (lambda: genesis("A" * 64), "genesis.lifecycle_fingerprint"),
        (lambda: genesis(LIFECYCLE.fingerprint, 99), "genesis.schema"),
        (lambda: genesis(LIFECYCLE.fingerprint, float("nan")), "genesis.schema"),  # type: ignore[arg-type]
        (lambda: canonical_bytes(float("nan")), "canonical_bytes.data"),
        (lambda: canonical_bytes("\ud800"), "canonical_bytes.data"),
        (lambda: canonical_bytes({"a"}), "canonical_bytes.data"),
        (
            lambda: SqliteStore(Path("never.db"), LIFECYCLE.fingerprint, timeout=10**400),
            "SqliteStore.timeout",
        ),
    ],
)
def test_a_wrong_argument_to_the_smaller_functions_is_named(
    call: Callable[[], object], named: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each raised a bare TypeError, ValueError or OverflowError, or returned a hash."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidRecord, match=rf"^{re.escape(named)} must be"):
        call()
    assert not Path("never.db").exists()


@pytest.mark.parametrize(
    ("build", "named"),
    [
        (lambda: Option("t", "b", None), "Option.verdicts"),  # type: ignore[arg-type]
        (lambda: Option("t", "b", [None]), "Option.verdicts"),  # type: ignore[list-item]
        (lambda: _explanation(options="abc"), "Explanation.options"),
        (lambda: _explanation(options=[None]), "Explanation.options"),
        (lambda: _explanation(unratified=[None]), "Explanation.unratified[0]"),
        (lambda: _explanation(used=5), "Explanation.used"),
        (lambda: _explanation(used=[("t", "k")]), "Explanation.used"),
        (lambda: Definition(lifecycle=5), "Definition.lifecycle"),  # type: ignore[arg-type]
        (lambda: Definition(LIFECYCLE, terms="x"), "Definition.terms"),  # type: ignore[arg-type]
        (lambda: Definition(LIFECYCLE, delegations=[("a", "b")]), "Definition.delegations"),  # type: ignore[list-item]
        (lambda: Definition(LIFECYCLE, delegations=5), "Definition.delegations"),  # type: ignore[arg-type]
    ],
)
def test_a_record_of_explanations_or_definitions_checks_its_fields(
    build: Callable[[], object], named: str
) -> None:
    """They were built, and then raised a bare error when printed or written."""
    with pytest.raises(InvalidRecord, match=rf"^{re.escape(named)} must be"):
        build()


def _explanation(**fields: object) -> Explanation:
    fields.setdefault("options", ())
    return Explanation("spb", "proposed", When.on(dt.date(2013, 1, 5)), **fields)  # type: ignore[arg-type]


def test_explanations_and_definitions_take_lists_as_they_took_them() -> None:
    made = Option("t", "b", [Verdict.ok("g")])
    explained = _explanation(options=[made], unratified=["r1"], used=[["t", "k", "v"]])
    assert (explained.options, explained.used) == ((made,), (("t", "k", "v"),))
    assert Definition(LIFECYCLE).delegations == ()


def test_a_part_that_is_no_field_is_named_in_words() -> None:
    """``(text)`` and ``(record)`` are no fields: the message does not write them as one."""
    from govflow.errors import InvalidRecord  # noqa: PLC0415
    from govflow.log.checkpoint import Checkpoint  # noqa: PLC0415

    with pytest.raises(InvalidRecord) as caught:
        Checkpoint.from_json("x")
    assert caught.value.field == "(text)"
    assert str(caught.value).startswith(
        "Checkpoint's text must be one line of JSON, each member given once (not JSON: "
        "Expecting value, at line 1 column 1), but 'x'"
    )
    whole = InvalidRecord("Decision", "(record)", "a govflow.Decision", 5)
    assert str(whole).startswith("Decision must be a govflow.Decision, but 5 was given")
    assert str(InvalidRecord("Body", "id", "an id", 5)).startswith("Body.id must be an id")
