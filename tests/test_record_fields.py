"""Every public record refuses a field of the wrong type with a typed error naming it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from govflow import (
    Body,
    Decision,
    Explanation,
    Fact,
    InvalidRecord,
    Kind,
    Mandate,
    Option,
    Overdue,
    Problem,
    Reason,
    Source,
    Target,
    Terms,
    Verdict,
    Verification,
    Waiting,
    When,
)

DAY = When.on(dt.date(2013, 2, 13))
DECISION = Decision(
    id="d", body="b", kind=Kind.NOMINATE, actor="LGA", decided=DAY, source=Source("report")
)
REASON = Reason("awaiting_decisions", {"missing": ("APCC",)}, "awaiting APCC")
FACT = Fact(0, DECISION, "LGA")
PROBLEM = Problem(3, "altered", "its content does not match its hash")

#: Each record, the fields of a good one, and for some fields values it must refuse.
RECORDS: list[tuple[Callable[..., Any], dict[str, Any], dict[str, list[Any]]]] = [
    (
        Mandate,
        {"actor": "LGA", "organisation": "LGA", "delegated_by": None},
        {"actor": [[], "", None, 1], "organisation": [None, " "], "delegated_by": ["", 5]},
    ),
    (
        Fact,
        {"seq": 0, "decision": DECISION, "organisation": "LGA"},
        {
            "seq": ["1", -1, True, None],
            "decision": [None, "d"],
            "organisation": [None, ""],
            "terms_version": [0, "1"],
            "provisional": [1, None],
        },
    ),
    (
        Body,
        {
            "id": "b",
            "state": "proposed",
            "terms": Terms("t", ["LGA"]),
            "facts": [FACT],
            "history": ["proposed"],
            "floor": dt.date(2013, 2, 13),
        },
        {
            "id": [[], None, ""],
            "state": [None],
            "terms": [None, "t"],
            "facts": [None, [1], "facts"],
            "history": [None, [None], "proposed"],
            "floor": [None, "2013-02-13", dt.datetime(2013, 2, 13)],
            "entered": [-1, "0"],
            "entered_on": ["2013", dt.date(2013, 2, 13)],
        },
    ),
    (
        Reason,
        {"code": "c", "params": {"k": 1}, "message": "m"},
        {"params": [None, "xx", 5, [("k",)], [("k", 1), ("k", "x")]], "message": [None]},
    ),
    (
        Option,
        {"trigger": "endorse", "dest": "endorsed", "verdicts": [Verdict.ok("g")]},
        {"trigger": [1, None], "dest": [None]},
    ),
    (
        Explanation,
        {"body": "b", "state": "proposed", "on": DAY, "options": []},
        {"body": [[], None], "state": [{}], "on": [None, dt.date(2013, 2, 13)], "proposed": [1]},
    ),
    (
        Problem,
        {"seq": 3, "kind": "altered", "message": "m"},
        {"seq": [None, -1], "kind": ["zz", None, ["altered"]], "message": [None]},
    ),
    (
        Verification,
        {"count": 4, "head": "0" * 64, "problem": PROBLEM},
        {"count": ["x", None], "head": ["", None], "problem": ["altered", 3]},
    ),
    (
        Waiting,
        {"body": "b", "trigger": "endorse", "reason": REASON},
        {"body": [None], "trigger": [None], "reason": [None, "awaiting"]},
    ),
    (
        Overdue,
        {"body": "b", "state": "shadow", "target": Target("established", DAY)},
        {"body": [None], "state": [None], "target": [None, DAY]},
    ),
]

CASES = [
    pytest.param(record, good, field, bad, id=f"{record.__name__}.{field}={bad!r}")
    for record, good, refused in RECORDS
    for field, values in refused.items()
    for bad in values
]


@pytest.mark.parametrize(("record", "good"), [(r, g) for r, g, _ in RECORDS])
def test_a_record_of_good_fields_is_made(record: Callable[..., Any], good: dict[str, Any]) -> None:
    made = record(**good)
    assert attrs.evolve(made) == made
    hash(made)  # every frozen record is hashable


@pytest.mark.parametrize(("record", "good", "field", "bad"), CASES)
def test_a_field_of_the_wrong_type_is_refused_by_name(
    record: Callable[..., Any], good: dict[str, Any], field: str, bad: object
) -> None:
    with pytest.raises(InvalidRecord) as raised:
        record(**{**good, field: bad})
    assert str(raised.value).startswith(f"{record.__name__}.{field} must be ")  # type: ignore[attr-defined]


def test_a_state_named_as_a_lifecycle_allows_is_a_bodys_state() -> None:
    """Records hold whatever names a lifecycle accepts: a blank name is one, if odd."""
    from govflow import Lifecycle, Registry, Transition  # noqa: PLC0415

    lifecycle = Lifecycle(states=[" ", "b"], initial=" ", transitions=[Transition("go", " ", "b")])
    registry = Registry(lifecycle)
    registry.apply(attrs.evolve(DECISION, kind=Kind.PROPOSE, terms=Terms("t", ["LGA"]), body="x"))
    assert registry.body("x").history == (" ",)
    moved = attrs.evolve(DECISION, id="g", kind=Kind.RESOLVE, body="x", trigger="go")
    assert registry.apply(moved).after == "b"


def test_reason_params_and_body_facts_take_any_iterable() -> None:
    assert Reason("c", {"k": 1}.items(), "m").params == (("k", 1),)
    assert Reason("c", (pair for pair in [("k", "v")]), "m").params == (("k", "v"),)
    body = Body("b", "proposed", Terms("t", ["LGA"]), iter([FACT]), ["proposed"], DAY.earliest)
    assert list(body.facts) == [FACT]
