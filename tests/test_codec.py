"""The codec, driven by each record's fields, writes the canonical form's definition exactly.

The writer (records to text), the shape check (plain data to text, verify's path)
and the reader (plain data to records, naming a bad field) all come from one
declaration per record: these tests hold them to the definition and to each other.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import govflow
from govflow import (
    Decision,
    Entry,
    InvalidRecord,
    Kind,
    Position,
    Reason,
    Source,
    Verdict,
    When,
    verify,
)
from govflow.canonical import canonical_bytes
from govflow.log import entry_from_dict, entry_to_dict
from govflow.log.codec import SCHEMAS, read_record, since, to_plain, write_text
from govflow.log.entry import Stored, content_hash, entry_text, recompute_hash, seal, sealed
from govflow.model.authority import Mandate
from govflow.scenarios import partnership_lifecycle
from govflow.testing import decision_sequences

LIFECYCLE = partnership_lifecycle()
WRITABLE = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
TEXT = st.text(WRITABLE, max_size=12)
NAME = st.text(WRITABLE, min_size=1, max_size=12).filter(str.strip)  # what a Mandate holds
STATE = st.text(WRITABLE, min_size=1, max_size=12)  # a state's name: any text but empty
WORDS = st.lists(st.text(WRITABLE, min_size=1, max_size=8).filter(str.strip), max_size=3)
PARAM = st.one_of(TEXT, st.integers(-(2**63) + 1, 2**63 - 1), WORDS.map(tuple))
NAMED = TEXT.filter(str.strip)  # what a record requires to be non-empty


@st.composite
def decisions(draw: st.DrawFn) -> Decision:
    """Decisions of every kind, with the optional fields filled in at random."""
    found = draw(decision_sequences(LIFECYCLE, max_size=12).filter(bool))
    decision = draw(st.sampled_from(found))
    extra = {
        name: draw(WORDS)
        for name in ("reasons", "alternatives_rejected", "conflicts_declared", "dispensations")
    }
    latest = decision.decided.latest
    recorded = draw(st.one_of(st.none(), st.just(latest + dt.timedelta(days=3))))
    if decision.kind.value == "nominate":
        extra["nominees"] = draw(WORDS)
    if decision.kind.value == "note":  # a note's text is its reasons: one at least
        extra["reasons"] = draw(WORDS.filter(bool))
    if decision.terms is not None:
        partners = decision.terms.partners
        terms = attrs.evolve(
            decision.terms,
            budget=draw(st.one_of(st.none(), TEXT.filter(str.strip))),
            conditions=draw(WORDS),
            seats=draw(st.dictionaries(st.sampled_from(partners), st.integers(1, 9))),
            places=draw(WORDS),
        )
        return attrs.evolve(decision, terms=terms, recorded=recorded, **extra)
    return attrs.evolve(decision, recorded=recorded, **extra)


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    reasons = st.builds(Reason, NAMED, st.dictionaries(TEXT, PARAM, max_size=3), NAMED)
    verdicts = st.builds(
        Verdict,
        NAMED,
        st.booleans(),
        st.lists(reasons, max_size=2).map(tuple),
        st.lists(st.integers(0, 10**9), max_size=3).map(tuple),
    )
    return seal(
        seq=draw(st.integers(0, 10**12)),
        body=draw(NAME),  # an id, as a decision's body is
        decision=draw(decisions()),
        before=draw(st.one_of(st.none(), STATE)),
        after=draw(STATE),
        terms_version=draw(st.integers(1, 5)),
        verdicts=tuple(draw(st.lists(verdicts, max_size=3))),
        mandate=draw(st.builds(Mandate, NAME, NAME, st.one_of(st.none(), NAME))),
        prev=draw(st.text("0123456789abcdef", min_size=64, max_size=64)),
    )


def definition(entry: Entry) -> str:
    """The canonical text as docs/canonical-form.md defines it: json.dumps, keys sorted."""
    return canonical_bytes(entry_to_dict(entry)).decode("utf-8")


@given(entries())
def test_an_entry_is_written_exactly_as_the_definition_writes_it(entry: Entry) -> None:
    assert entry_text(entry) == definition(entry)


@given(entries())
def test_the_hash_is_over_the_definitions_bytes_without_hash(entry: Entry) -> None:
    content = entry_to_dict(entry)
    del content["hash"]
    assert entry.hash == hashlib.sha256(canonical_bytes(content)).hexdigest()
    assert recompute_hash(entry) == entry.hash


@given(entries())
def test_plain_data_read_back_is_hashed_exactly_as_the_definition(entry: Entry) -> None:
    found = content_hash(json.loads(definition(entry)))
    assert found == (entry.seq, entry.prev, entry.hash, entry.hash)


def _data() -> dict[str, object]:
    decision = Decision(
        id="d1",
        body="b",
        kind="agree",
        actor="APCC",
        decided=When.month(2012, 9),
        source=Source("report"),
    )
    entry = seal(
        seq=0,
        body="b",
        decision=decision,
        before="proposed",
        after="proposed",
        terms_version=1,
        verdicts=(Verdict("g", passed=False, reasons=(Reason("c", {"n": 1}, "m"),)),),
        mandate=Mandate("APCC", "APCC"),
        prev="0" * 64,
    )
    return json.loads(definition(entry))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("seq",), True),
        (("seq",), 1.0),
        (("decision", "id"), 5),
        (("decision", "kind"), "Approve!"),
        (("decision", "recorded"), "13 Feb"),
        (("decision", "source"), ["report", ""]),
        (("verdicts", 0, "passed"), 1),
        (("verdicts", 0, "reasons", 0, "params", "n"), False),
        (("mandate",), {"actor": "APCC"}),
    ],
)
def test_data_of_another_shape_is_named_by_the_reader_and_by_verify(
    path: tuple[str | int, ...], value: object
) -> None:
    data = _data()
    assert content_hash(data) is not None
    place: object = data
    for step in path[:-1]:
        place = place[step]  # type: ignore[index]
    place[path[-1]] = value  # type: ignore[index]
    with pytest.raises(InvalidRecord):
        entry_from_dict(data)
    problem = verify([data], LIFECYCLE.fingerprint).problem
    assert problem is not None
    assert (problem.seq, problem.kind) == (0, "malformed")


@pytest.mark.parametrize("where", [(), ("decision",), ("decision", "source"), ("mandate",)])
def test_an_extra_or_missing_key_is_named_by_verify(where: tuple[str, ...]) -> None:
    for change in ("add", "remove"):
        data = _data()
        place: dict[str, object] = data
        for step in where:
            place = place[step]  # type: ignore[assignment]
        if change == "add":
            place["extra"] = None
        else:
            place.pop(next(iter(place)))
        problem = verify([data], LIFECYCLE.fingerprint).problem
        assert problem is not None
        assert (problem.seq, problem.kind) == (0, "malformed"), problem


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=3) | st.just("2013-02-13"),
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2)
    ),
    max_leaves=4,
)


def _places(data: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """The path of every value inside ``data``."""
    found = [path] if path else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _places(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _places(value, (*path, index))
    return found


@given(entries(), st.data())
def test_the_fast_path_never_disagrees_with_the_reader(entry: Entry, data: st.DataObject) -> None:
    """Whatever the reader reads, verify's fast path hashes to the writer's hash of it.

    The fast path hashes the canonical bytes of the parsed data; the reader also
    checks every key, type and record rule, so it may refuse more.
    """
    plain = json.loads(definition(entry))
    assert entry_from_dict(plain) == entry
    path = data.draw(st.sampled_from(_places(plain)))
    place: Any = plain
    for step in path[:-1]:
        place = place[step]
    how = data.draw(st.sampled_from(["replace", "remove", "add"]))
    if how == "replace":
        place[path[-1]] = data.draw(JSON)
    elif how == "remove":
        del place[path[-1]]
    elif isinstance(place, dict):
        place[data.draw(st.text(max_size=3))] = data.draw(JSON)
    found = content_hash(plain)
    try:
        read = entry_from_dict(plain)
    except InvalidRecord:
        return
    assert found is not None, "the reader read what the fast path refused"
    assert found[3] == recompute_hash(read)


@attrs.frozen(kw_only=True)
class Voted(Decision):
    """A decision whose ``position`` is declared again, as schema 2 added it."""

    position: str | None = attrs.field(default=None, metadata=since(2))


def test_a_field_a_schema_added_is_left_out_of_older_schemas_and_refused_by_them() -> None:
    decision = Voted(
        id="v1",
        body="b",
        kind=Kind.AGREE,
        actor="Council",
        decided=When.on(dt.date(2024, 5, 1)),
        source=Source("minutes"),
        position="for",
    )
    old = json.loads(write_text(attrs.evolve(decision, position=None), schema=1))
    new = json.loads(write_text(decision, schema=2))
    assert "position" not in old
    assert new == {**old, "position": "for"}
    assert write_text(decision, schema=2) == canonical_bytes(new).decode()
    assert read_record(Voted, new, "Voted", schema=2) == decision
    with pytest.raises(InvalidRecord, match=r"Voted\.position must be not present"):
        read_record(Voted, new, "Voted", schema=1)
    with pytest.raises(InvalidRecord, match=r"Voted\.position must be of type str"):
        read_record(Voted, {**new, "position": 3}, "Voted", schema=2)
    with pytest.raises(InvalidRecord, match="schema 1 does not hold it"):
        write_text(decision, schema=1)  # a value a schema 1 log could not keep


#: What a script checks, in a copy of govflow with ``urgency`` added under a new schema
#: (NEW, after OLD: the newest this release writes).
_WITH_URGENCY = """
import json, shutil, sys
from pathlib import Path
import attrs
from govflow import Registry, verify
from govflow.errors import InvalidRecord
from govflow.log import SCHEMA_VERSION, entry_from_dict
from govflow.scenarios import partnership_lifecycle, spb
from govflow.stores import JsonlStore, SqliteStore

here, fixtures = Path(sys.argv[1]), Path(sys.argv[2])
assert SCHEMA_VERSION == NEW
lifecycle = partnership_lifecycle(authorities=spb.authorities())
decisions = [attrs.evolve(d, urgency="high") if d.id == "spb-2" else d for d in spb.decisions()]
for store in (JsonlStore(here / "log.jsonl", lifecycle.fingerprint),
              SqliteStore(here / "log.db", lifecycle.fingerprint)):
    with store:
        registry = Registry(lifecycle, log=store)
        for decision in decisions:
            registry.apply(decision)
    with type(store)(store.path, read_only=True) as again:
        assert again.schema == NEW and again.verify().ok
        urgent = [e.decision.id for e in again if e.decision.urgency == "high"]
        assert urgent == ["spb-2"], urgent
        assert Registry(lifecycle, log=again).body("spb") == registry.body("spb")
line = next(l for l in (here / "log.jsonl").read_text().splitlines() if '"urgency":"high"' in l)
data = json.loads(line)
data["decision"]["urgency"] = 3
try:
    entry_from_dict(data)
except InvalidRecord as error:
    assert "decision.urgency must be" in str(error), str(error)
else:
    raise AssertionError("urgency 3 was read")
after = (data["seq"], data["prev"])
problem = verify([data], lifecycle.fingerprint, schema=NEW, after=after).problem
assert problem is not None and problem.kind == "malformed" and "urgency" in problem.message
with JsonlStore(here / "old.jsonl", lifecycle.fingerprint, schema=OLD) as old:
    registry = Registry(lifecycle, log=old)
    for decision in decisions[: [d.id for d in decisions].index("spb-2")]:
        registry.apply(decision)
    try:
        registry.apply(next(d for d in decisions if d.id == "spb-2"))
    except InvalidRecord as error:
        assert f"schema {OLD} does not hold it" in str(error), str(error)
    else:
        raise AssertionError("an older log took urgency")
shutil.copy(fixtures / "spb.jsonl", here / "three.jsonl")
with JsonlStore(here / "three.jsonl", read_only=True) as three:
    assert three.schema == 3 and three.verify().ok
    hashes = [l.split()[2] for l in (fixtures / "hashes.txt").read_text().splitlines()
              if l.startswith("spb ") and "lifecycle" not in l]
    assert [e.hash for e in three] == hashes
print("ok")
"""


def test_a_field_added_under_a_new_schema_is_written_read_checked_and_stored(
    tmp_path: Path,
) -> None:
    # A copy of govflow with two lines changed: the field, and the schema it comes with.
    copy = tmp_path / "src" / "govflow"
    shutil.copytree(
        Path(govflow.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    record = copy / "model" / "decision.py"
    field = "    position: Position | None = attrs.field(default=None, converter=_position, "
    field += "metadata=_SINCE_2)\n"
    text = record.read_text(encoding="utf-8")
    assert text.count(field) == 1
    old, new = SCHEMAS[-1], SCHEMAS[-1] + 1
    added = f'    urgency: str | None = attrs.field(default=None, metadata={{"since": {new}}})\n'
    record.write_text(text.replace(field, field + added), encoding="utf-8")
    codec = copy / "log" / "codec.py"
    text = codec.read_text(encoding="utf-8")
    assert text.count(f"SCHEMAS: Final = {SCHEMAS}\n") == 1
    codec.write_text(text.replace(f"{SCHEMAS}\n", f"{(*SCHEMAS, new)}\n"), encoding="utf-8")
    script = _WITH_URGENCY.replace("NEW", str(new)).replace("OLD", str(old))
    fixtures = Path(__file__).parent / "fixtures" / "schema3"
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path), str(fixtures)],
        capture_output=True, text=True, check=False, timeout=120,
        env={**os.environ, "PYTHONPATH": str(copy.parent)},
    )  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr[-2000:]) == (0, "ok\n", "")


def test_an_attrs_class_the_codec_has_no_rules_for_is_refused_by_name() -> None:
    # write_text(a SignerKey) raised NameError; a VerifierKey, TypeError.
    from govflow.log.note import SignerKey  # noqa: PLC0415 - the sign extra
    from govflow.log.problem import Verification  # noqa: PLC0415

    key = SignerKey.generate("x.example")
    for call, named in [
        (lambda: write_text(key), "SignerKey"),
        (lambda: write_text(key.verifier), "VerifierKey"),
        (lambda: read_record(Verification, {}, "x"), "Problem"),
    ]:
        with pytest.raises(InvalidRecord) as error:
            call()
        assert (error.value.record, error.value.field) == ("codec", "cls")
        assert error.value.expected.startswith("a record class the log's codec writes")
        assert "Ed25519PrivateKey" not in str(error.value)  # a name only for type checking
        assert named in str(error.value)
        assert str(error.value).endswith("give a record a log entry holds: an Entry, a "
                                         "Decision, or one of their parts.")  # fmt: skip


def test_a_record_of_a_subclass_is_not_written_as_its_base() -> None:
    decision = Voted(
        id="v1",
        body="b",
        kind=Kind.AGREE,
        actor="Council",
        decided=When.on(dt.date(2024, 5, 1)),
        source=Source("minutes"),
    )
    given = {"seq": 0, "body": "b", "decision": decision, "before": "x", "after": "x",
             "terms_version": 1, "verdicts": (), "mandate": Mandate("Council", "Council"),
             "prev": "0" * 64}  # fmt: skip
    with pytest.raises(InvalidRecord, match=r"^Entry\.decision must be a Decision, but Voted"):
        seal(**given)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="writes Decision records, not Voted"):
        sealed(**given)  # type: ignore[arg-type]  # the codec's own check, under the entry's


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["decision"].__setitem__("kind", "not-a-kind"),
        lambda d: d.__setitem__("extra", 1),
        lambda d: d["decision"].__setitem__("decided", "13 February 2013"),
        lambda d: d["decision"]["source"].__setitem__("document", 5),
        lambda d: d["mandate"].__setitem__("delegated_by", ["LGA"]),
    ],
)
def test_a_malformed_entry_with_its_hash_recomputed_is_named_by_verify(change: Any) -> None:
    """A forger who rehashes a malformed last entry does not get it past verify."""
    data = _data()
    change(data)
    content = {k: v for k, v in data.items() if k != "hash"}
    data["hash"] = hashlib.sha256(canonical_bytes(content)).hexdigest()
    text = canonical_bytes(data).decode()
    for record in (data, Stored(text, data)):
        problem = verify([record], LIFECYCLE.fingerprint).problem
        assert problem is not None
        assert (problem.seq, problem.kind) == (0, "malformed"), problem


@given(entries())
def test_the_stored_text_and_the_parsed_data_give_the_same_content_hash(entry: Entry) -> None:
    text = entry_text(entry)
    data = json.loads(text)
    assert (
        content_hash(data, text)
        == content_hash(data)
        == (
            entry.seq,
            entry.prev,
            entry.hash,
            entry.hash,
        )
    )
    spaced = json.dumps(data, ensure_ascii=False, sort_keys=True)  # not canonical: spaces
    assert content_hash(data, spaced) == content_hash(data)  # the text is not trusted


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (1.5, "(a float)"),
        ({"a": [1, {"b": 2.0}]}, "(a float)"),
        ((1, 2.5), "(a float)"),
        ({1, 2}, "is not JSON serializable"),
        ({1.5: 1}, "(a key that is not a text)"),
        ({1: "a"}, "(a key that is not a text)"),  # written as {"1": "a"}, alike
        ([type("F", (float,), {})(2.0)], "(a float)"),
    ],
)
def test_canonical_bytes_refuses_what_the_canonical_form_has_not(data: object, said: str) -> None:
    # "Whole numbers only": a float was written as 1.5, and hashed.
    with pytest.raises(InvalidRecord, match=r"canonical_bytes\.data must be plain data") as error:
        canonical_bytes(data)
    assert said in str(error.value)


def test_canonical_bytes_of_a_list_nested_past_the_stack_is_refused_in_one_line() -> None:
    deep: list[object] = []
    inner = deep
    for _ in range(50_000):  # its repr, in the error, raised RecursionError itself
        inner.append([])
        inner = inner[0]  # type: ignore[assignment]
    with pytest.raises(InvalidRecord, match="maximum recursion depth") as error:
        canonical_bytes(deep)
    assert "\n" not in str(error.value)
    assert len(str(error.value)) < 1000


def test_canonical_bytes_writes_plain_data_sorted_and_compact() -> None:
    assert (
        canonical_bytes({"b": [1, True, None], "a": "é"}) == '{"a":"é","b":[1,true,null]}'.encode()
    )


def test_the_public_writers_default_to_an_entry_s_own_schema_or_the_newest() -> None:
    # They wrote schema 1 by default: a newer record's round trip failed with
    # "schema 1 does not hold it".
    from govflow.log import SCHEMA_VERSION  # noqa: PLC0415

    decision = Decision(id="v", body="b", kind=Kind.AGREE, actor="A", decided=When.day(2024, 1, 1),
                        source=Source("minutes"), position=Position.FOR)  # fmt: skip
    assert write_text(decision) == write_text(decision, SCHEMA_VERSION)
    assert read_record(Decision, json.loads(write_text(decision)), "d") == decision
    assert to_plain(decision)["position"] == "for"


def test_an_entry_of_every_schema_is_read_back_as_it_is_written_by_default() -> None:
    # write_text wrote an entry under its own schema, read_record read it as the newest:
    # no entry of schema 1 or 2 came back.
    from govflow.stores import JsonlStore  # noqa: PLC0415
    from tests.test_fixtures import ROOT  # noqa: PLC0415

    for schema in SCHEMAS:
        with JsonlStore(ROOT / f"schema{schema}" / "kinds.jsonl", read_only=True) as store:
            entries = list(store)
        assert {e.schema for e in entries} == {schema}
        for entry in entries:
            assert read_record(Entry, json.loads(write_text(entry)), "e") == entry
