"""Records are plain, frozen, hashable attrs records with short reprs, and say what is wrong."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import attrs
import pytest
import structlog

from govflow import (
    Body,
    Decision,
    Entry,
    InvalidRecord,
    Kind,
    Lifecycle,
    Reason,
    Registry,
    Source,
    Terms,
    Transition,
    Verdict,
    When,
)
from govflow.log.checkpoint import Checkpoint, TreeHead
from govflow.log.codec import codec, read_record
from govflow.log.entry import content_hash, entry_text, entry_to_dict
from govflow.log.replay import _no_repeats
from govflow.log.where import Where
from govflow.model.terms import Parameter
from govflow.rules.decide import decide
from govflow.scenarios import partnership_lifecycle

from .helpers import endorse_all, make

LIFECYCLE = partnership_lifecycle()


@pytest.fixture
def registry() -> Registry:
    registry = Registry(LIFECYCLE, logger=structlog.get_logger("test"))
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    endorse_all(registry)
    return registry


def test_every_record_is_a_frozen_attrs_class_with_attrs_own_methods() -> None:
    for record in (When, Terms, Source, Decision, Reason, Verdict, Body, Entry, Transition):
        assert attrs.has(record)
        assert "__slots__" in vars(record)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            object.__new__(record).__setattr__(attrs.fields(record)[0].name, None)


def test_records_that_held_dicts_are_hashable_and_equal_copies_hash_alike(
    registry: Registry,
) -> None:
    explanation = registry.explain("b")
    entry = registry.log[-1]
    body = registry.body("b")
    reason = Reason("c", {"missing": ["A", "B"], "n": 2}, "m")
    for record in (explanation, entry, body, reason, explanation.options[0], entry.verdicts[0]):
        assert hash(record) == hash(attrs.evolve(record))
        assert record == attrs.evolve(record)
    assert reason.params == (("missing", ("A", "B")), ("n", 2))
    assert reason.param("n") == 2
    assert reason.param("absent", "none") == "none"


def test_reprs_are_one_short_line(registry: Registry) -> None:
    for decision in (make(f"n{i}", Kind.NOMINATE, "LGA", 2) for i in range(50)):
        registry.apply(decision)
    body = registry.body("b")
    outcome = decide(LIFECYCLE, body, make("x", Kind.NOMINATE, "APCC", 3), 99)
    for record, starts in (
        (body, "<Body 'b' endorsed: terms v1, 53 facts"),
        (registry.log[-1], "<Entry 52 nominate 'n49' on 'b': endorsed -> endorsed, hash "),
        (registry.explain("b"), "<Explanation 'b' endorsed on 2013-01-03: possible [], blocked"),
        (outcome, "<Outcome 'b': endorsed -> endorsed>"),
        (registry, "<Registry 'partnership': 1 body, 53 entries, head "),
        (When.month(2012, 9), "When('2012-09')"),
    ):
        text = repr(record)
        assert text.startswith(starts), text
        assert "\n" not in text
        assert len(text) < 160


def test_a_lifecycle_cannot_be_changed_once_built() -> None:
    with pytest.raises(AttributeError, match="A Lifecycle is immutable"):
        LIFECYCLE.initial = "ended"  # type: ignore[misc]
    assert LIFECYCLE.initial == "proposed"
    assert isinstance(LIFECYCLE, Lifecycle)


def test_when_names_a_bound_that_is_not_a_date() -> None:
    with pytest.raises(InvalidRecord) as error:
        When(dt.date(2013, 1, 1), dt.datetime(2013, 1, 2))
    assert error.value.field == "latest"
    assert When.between(dt.date(2012, 9, 1), dt.date(2012, 9, 30)).iso == "2012-09"
    assert When.between(dt.date(2012, 9, 2), dt.date(2012, 9, 30)).iso == "2012-09-02/2012-09-30"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"remit": ("ok", 3)}, "remit[1]"),
        ({"version": True}, "version"),
        ({"version": 0}, "version"),
        ({"seats": [("LGA", 1), (2, "x")]}, "seats"),
        ({"seats": {"Nobody": 1}}, "seats"),
        ({"seats": {"LGA": 0}}, "seats.LGA"),  # the partner whose seats are no count
        ({"seats": {"LGA": 1, 2: 1}}, "seats"),  # partners that do not sort together
        ({"seats": [("LGA", 1), ("LGA", 2)]}, "seats"),  # a partner twice
        (
            {"parameters": (Parameter("quorum", number=3), Parameter("quorum", number=4))},
            "parameters",
        ),
    ],
)
def test_terms_name_the_field_at_fault(fields: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidRecord) as error:
        Terms("T", ("LGA", "APCC"), **fields)  # type: ignore[arg-type]
    assert (error.value.record, error.value.field) == ("Terms", field)


def test_an_entry_refuses_a_negative_sequence_number(registry: Registry) -> None:
    with pytest.raises(InvalidRecord, match=r"Entry\.seq must be a whole number from 0"):
        attrs.evolve(registry.log[0], seq=-1)


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("decision", "recorded"), "2013-02-30", "decision.recorded"),
        (("decision", "decided"), 2013, "decision.decided"),
        (("decision", "reasons"), "not a list", "decision.reasons"),
        (("decision", "source"), "not an object", "decision.source"),
    ],
)
def test_the_reader_names_each_kind_of_bad_value(
    registry: Registry, path: tuple[str, ...], value: object, field: str
) -> None:
    data = entry_to_dict(registry.log[1])
    place = data
    for key in path[:-1]:
        place = place[key]
    place[path[-1]] = value
    with pytest.raises(InvalidRecord) as error:
        read_record(Entry, data, "Entry #1", schema=registry.log[1].schema)
    assert error.value.field == field


def test_terms_seats_that_are_not_an_object_are_named(registry: Registry) -> None:
    terms = entry_to_dict(registry.log[0])["decision"]["terms"]
    with pytest.raises(InvalidRecord) as error:
        read_record(Terms, {**terms, "seats": [["LGA", 1]]}, "Terms", schema=2)
    assert (error.value.field, error.value.expected) == ("seats", "an object")


def test_the_codec_refuses_a_type_it_has_no_rule_for() -> None:
    with pytest.raises(TypeError, match="no rule for the type"):
        codec(int | str, 1)
    with pytest.raises(TypeError, match="no rule for the type"):
        codec(float, 1)
    assert Where("R").bad("x", 1).field == "(record)"


def test_verify_leaves_data_json_cannot_hold_to_the_reader(registry: Registry) -> None:
    data = entry_to_dict(registry.log[1])
    assert content_hash(data) is not None
    data["decision"]["reasons"] = [math.nan]
    assert content_hash(data) is None
    assert content_hash([data]) is None
    assert content_hash({**data, "schema": 99}) is None
    data["decision"]["reasons"] = ["a lone surrogate \ud800"]  # a text with no UTF-8 form
    assert content_hash(data) is None
    data["decision"]["reasons"] = []
    text = entry_text(registry.log[1])
    assert content_hash(data, text) == content_hash(data)
    held = text.replace('"reasons":[]', '"reasons":["\ud800"]')  # as a stored text may hold
    assert held != text
    assert content_hash(data, held) is None
    assert content_hash({**data, "seq": 10**5000}) is None  # more digits than Python writes


def test_a_log_without_repeated_ids_passes_the_repeat_check(registry: Registry) -> None:
    _no_repeats(list(registry.log))


def test_a_body_is_built_with_any_iterable_of_facts(registry: Registry) -> None:
    body = registry.body("b")
    again = Body(body.id, body.state, body.terms, list(body.facts), body.history, body.floor, 2)
    assert again == attrs.evolve(body, entered=2, entered_on=None)
    assert again.facts == tuple(body.facts)
    assert Source("s", "p") == Source("s", "p")


@pytest.mark.parametrize(
    ("build", "field", "given"),
    [
        (lambda: Reason("c", {"n": 2.5}, "m"), "params.n", "2.5"),
        (lambda: Reason("c", {5: "x"}, "m"), "params.5", "'x'"),
        (lambda: Verdict("g", passed=False, reasons=("not a reason",)), "reasons", "not a reason"),
        (lambda: Verdict("g", passed=True, evidence=(True,)), "evidence", "(True,)"),
        (lambda: Verdict("g", passed=True, evidence=[-1]), "evidence", "[-1]"),
        (lambda: Verdict("g", passed=True, evidence=(2**63,)), "evidence", str(2**63)),
        (lambda: Verdict("g", passed=1), "passed", "1"),
    ],
)
def test_a_reason_or_verdict_built_wrong_names_its_field(
    build: object, field: str, given: str
) -> None:
    with pytest.raises(InvalidRecord) as caught:
        build()  # type: ignore[operator]
    assert caught.value.field == field
    assert given in str(caught.value)


def test_a_verdict_takes_a_list_or_a_tuple_of_either_and_holds_tuples() -> None:
    reason = Reason("c", {}, "m")
    made = Verdict("g", passed=False, reasons=[reason], evidence=[3, 1])
    assert (made.reasons, made.evidence) == ((reason,), (3, 1))
    assert Verdict.ok("g", (0, 2**63 - 1)).evidence == (0, 2**63 - 1)


@pytest.mark.parametrize(
    ("build", "record", "field"),
    [
        (lambda: Checkpoint(1, "A" * 64), "Checkpoint", "head"),
        (lambda: Checkpoint(-1, "a" * 64), "Checkpoint", "count"),
        (
            lambda: TreeHead("log", 0, "a" * 64, "a" * 64, dt.datetime(2013, 1, 1)),
            "TreeHead",
            "date",
        ),
        (lambda: TreeHead("log", 0, "a" * 64, "a" * 63, dt.date(2013, 1, 1)), "TreeHead", "head"),
    ],
)
def test_a_checkpoint_built_wrong_names_its_field(
    build: Callable[[], object], record: str, field: str
) -> None:
    with pytest.raises(InvalidRecord) as error:
        build()
    assert (error.value.record, error.value.field) == (record, field)
