"""Notes: what a source says about a body, in the log beside its decisions, deciding nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

from govflow import (
    AuditLog,
    Decision,
    InvalidRecord,
    Kind,
    Lifecycle,
    Registry,
    Source,
    Terms,
    Transition,
    When,
    body_as_of,
    replay,
)
from govflow.errors import OutOfOrder
from govflow.guards import decided_by
from govflow.log import SCHEMA_VERSION, body_possibly
from govflow.log.entry import entry_from_dict, entry_to_dict
from govflow.log.verify import verify
from govflow.model.authority import Authority
from govflow.stores import JsonlStore

TERMS = Terms(title="Board", partners=("A", "B"))
LIFECYCLE = Lifecycle(
    states=["proposed", "agreed", "ended"],
    initial="proposed",
    final=["ended"],
    transitions=[
        Transition("agree", "proposed", "agreed", guards=[decided_by(Kind.AGREE, ["A", "B"])]),
        Transition("end", ["proposed", "agreed"], "ended"),
    ],
    authorities=[
        Authority("A", "A", may=[Kind.PROPOSE, Kind.AGREE, Kind.END]),
        Authority("B", "B", may=[Kind.AGREE]),
        Authority("officers", "A", may=[]),
    ],
)


def make(id_: str, kind: Kind, day: dt.date | When, actor: str = "A", **fields: object) -> Decision:
    if kind is Kind.PROPOSE:
        fields["terms"] = TERMS
    if kind is Kind.NOTE:
        fields.setdefault("reasons", ("The report says so",))
    decided = day if isinstance(day, When) else When.on(day)
    return Decision(
        id=id_, body="b", kind=kind, actor=actor, decided=decided, source=Source("r"), **fields
    )


def proposed() -> Registry:
    registry = Registry(LIFECYCLE)
    registry.apply(make("p", Kind.PROPOSE, dt.date(2012, 7, 4)))
    return registry


def test_a_note_changes_no_state_and_satisfies_no_guard() -> None:
    registry = proposed()
    registry.apply(make("a", Kind.AGREE, dt.date(2012, 8, 1)))
    entry = registry.apply(make("n", Kind.NOTE, dt.date(2012, 8, 2), "B", about="B"))
    assert (entry.before, entry.after) == ("proposed", "proposed")
    # B's note is not B's agreement: the guard still waits for B.
    reasons = registry.explain("b").options[0].reasons
    assert [r.param("missing", ()) for r in reasons] == [("B",)]
    [fact] = registry.body("b").decisions(Kind.NOTE)
    assert fact.decision.about == "B"


def test_any_author_may_note_even_without_powers() -> None:
    registry = proposed()
    entry = registry.apply(make("n", Kind.NOTE, dt.date(2012, 8, 2), "officers"))
    assert entry.mandate.actor == "officers"


def test_a_final_state_accepts_a_note() -> None:
    registry = proposed()
    registry.apply(make("e", Kind.END, dt.date(2012, 8, 1), trigger="end"))
    entry = registry.apply(make("n", Kind.NOTE, dt.date(2012, 8, 2)))
    assert entry.after == "ended"


def test_a_note_may_be_dated_before_the_body_and_does_not_move_its_floor() -> None:
    registry = proposed()
    # Background from before the proposal: in log order after it, dated before it.
    registry.apply(make("steer", Kind.NOTE, When.month(2012, 4)))
    # A note dated late does not stop a decision dated before it.
    registry.apply(
        make("later", Kind.NOTE, dt.date(2013, 1, 1), expected=When.on(dt.date(2013, 3, 21)))
    )
    registry.apply(make("a", Kind.AGREE, dt.date(2012, 8, 1)))
    with pytest.raises(OutOfOrder):
        registry.apply(make("old", Kind.AGREE, dt.date(2012, 7, 1), "B"))
    assert replay(LIFECYCLE, list(registry.log))["b"] == registry.body("b")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reasons": ()}, "reasons"),
        ({"trigger": "agree"}, "trigger"),
    ],
)
def test_a_note_needs_its_text_and_fires_nothing(fields: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidRecord) as error:
        make("n", Kind.NOTE, dt.date(2012, 8, 2), **fields)
    assert error.value.field == field


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"about": "budget"}, "about"), ({"expected": When.year(2013)}, "expected")],
)
def test_about_and_expected_belong_to_notes_only(fields: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidRecord, match="empty unless kind is note") as error:
        make("a", Kind.AGREE, dt.date(2012, 8, 2), **fields)
    assert error.value.field == field


def test_expected_must_be_a_when() -> None:
    with pytest.raises(InvalidRecord, match="a When or None"):
        make("n", Kind.NOTE, dt.date(2012, 8, 2), expected="March")


def test_a_note_round_trips_through_the_log_and_is_hashed() -> None:
    registry = proposed()
    note = make("n", Kind.NOTE, dt.date(2012, 8, 2), about="budget", expected=When.month(2013, 4))
    entry = registry.apply(note)
    assert entry.schema == SCHEMA_VERSION
    data = entry_to_dict(entry)
    assert data["decision"]["about"] == "budget"
    assert data["decision"]["expected"] == "2013-04"
    assert entry_from_dict(data) == entry
    data["decision"]["about"] = "terms"  # altered at rest: the hash no longer matches
    entries = [entry_to_dict(e) for e in registry.log]
    entries[-1] = data
    problem = verify(entries, LIFECYCLE.fingerprint).problem
    assert problem is not None
    assert (problem.seq, problem.kind) == (1, "altered")


def test_a_schema_2_log_holds_no_note_and_is_left_unchanged() -> None:
    old = AuditLog(LIFECYCLE.fingerprint, schema=2)
    registry = Registry(LIFECYCLE, log=old)
    registry.apply(make("p", Kind.PROPOSE, dt.date(2012, 7, 4)))
    with pytest.raises(InvalidRecord, match="no note \\(schema 2 holds none\\)"):
        registry.apply(make("n", Kind.NOTE, dt.date(2012, 8, 2)))
    assert len(old) == 1
    assert "n" not in {f.decision.id for f in registry.body("b").facts}


def test_a_schema_2_entry_claiming_a_note_is_refused_on_reading() -> None:
    registry = proposed()
    data = entry_to_dict(registry.apply(make("n", Kind.NOTE, dt.date(2012, 8, 2))))
    data["schema"] = 2
    for key in ("about", "expected"):
        del data["decision"][key]
    with pytest.raises(InvalidRecord, match="no note"):
        entry_from_dict(data)


def test_notes_in_a_store_verify_and_replay(tmp_path: Path) -> None:
    with JsonlStore(tmp_path / "log.jsonl", LIFECYCLE.fingerprint) as store:
        registry = Registry(LIFECYCLE, log=store)
        registry.apply(make("p", Kind.PROPOSE, dt.date(2012, 7, 4)))
        registry.apply(make("n", Kind.NOTE, dt.date(2012, 8, 2), about="A"))
        assert registry.verify().ok
    with JsonlStore(tmp_path / "log.jsonl", LIFECYCLE.fingerprint) as store:
        again = Registry(LIFECYCLE, log=store)
        [fact] = again.body("b").decisions(Kind.NOTE)
        assert fact.decision.about == "A"


def test_a_note_is_written_as_the_canonical_form_document_says() -> None:
    import hashlib  # noqa: PLC0415

    from govflow.log.entry import seal  # noqa: PLC0415
    from govflow.model.authority import Mandate  # noqa: PLC0415

    note = Decision(
        id="n",
        body="b",
        kind=Kind.NOTE,
        actor="LGA officers",
        decided=When.on(dt.date(2013, 2, 13)),
        source=Source("s", "p8"),
        reasons=("The APCC intends to make its appointments on 21 March.",),
        about="APCC",
        expected=When.on(dt.date(2013, 3, 21)),
    )
    entry = seal(
        seq=0,
        body="b",
        decision=note,
        before="proposed",
        after="proposed",
        terms_version=1,
        verdicts=(),
        mandate=Mandate("LGA officers", "LGA officers"),
        prev="0" * 64,
        schema=3,
    )
    # Written by hand from docs/canonical-form.md (schema 3), line breaks removed.
    expected = (
        '{"after":"proposed","before":"proposed","body":"b","decision":{"about":"APCC",'
        '"actor":"LGA officers","alternatives_rejected":[],"body":"b","conflicts_declared":[],'
        '"decided":"2013-02-13","delegation":null,"dispensations":[],"expected":"2013-03-21",'
        '"id":"n","kind":"note","meeting":null,"nominees":[],"on_behalf_of":null,"position":null,'
        '"ratifies":[],"reasons":["The APCC intends to make its appointments on 21 March."],'
        '"recorded":null,"source":{"document":"s","locator":"p8"},"supersedes":null,"target":null,'
        '"terms":null,"to":null,"trigger":null},"mandate":{"actor":"LGA officers",'
        '"delegated_by":null,"organisation":"LGA officers"},"prev":"' + "0" * 64 + '","schema":3,'
        '"seq":0,"terms_version":1,"verdicts":[]}'
    )
    assert entry.hash == hashlib.sha256(expected.encode()).hexdigest()
    # Schema 4 holds what schema 3 holds: the same text, but for the schema.
    fields = ("seq", "body", "decision", "before", "after", "terms_version", "verdicts",
              "mandate", "prev")  # fmt: skip
    four = seal(**{**{f: getattr(entry, f) for f in fields}, "schema": 4})
    written = expected.replace('"schema":3,', '"schema":4,')
    assert four.hash == hashlib.sha256(written.encode()).hexdigest()


def test_a_note_not_yet_written_on_a_day_is_left_out_as_of_it_with_its_correction() -> None:
    registry = proposed()
    registry.apply(make("a", Kind.AGREE, dt.date(2012, 8, 1), "B"))
    registry.apply(make("n", Kind.NOTE, When.month(2012, 9)))  # some day in September
    registry.apply(make("r", Kind.NOTE, dt.date(2012, 9, 5), supersedes="n"))  # corrects it
    registry.apply(make("x", Kind.AGREE, dt.date(2012, 9, 10)))
    other = make("q", Kind.PROPOSE, dt.date(2012, 9, 1))
    registry.apply(Decision(**{**attrs.asdict(other, recurse=False), "body": "c"}))
    entries, day = list(registry.log), dt.date(2012, 9, 15)
    # By the 15th the note may not have been written yet; its correction, dated the
    # 5th, corrects what was not there, so it is left out with it (as the note's
    # absence leaves no gap, the agreement after them still counts).
    as_of = body_as_of(LIFECYCLE, entries, "b", day)
    assert as_of is not None
    assert [f.decision.id for f in as_of.facts] == ["p", "a", "x"]
    answer = body_possibly(LIFECYCLE, entries, "b", day)
    assert (answer.certain, answer.possible) == (as_of, ("proposed",))
    assert [f.decision.id for f in registry.body("b").facts] == ["p", "a", "r", "x"]
