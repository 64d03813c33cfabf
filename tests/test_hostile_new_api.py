"""Reproducers from a hostile battery against the vocabulary, votes, anchors and named guards."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from govflow import (
    PREVIOUS,
    Decision,
    DecisionKind,
    GuardFailed,
    InvalidRecord,
    Kind,
    Lifecycle,
    LifecycleError,
    NoSuchBody,
    Registry,
    Source,
    Terms,
    Transition,
    When,
)
from govflow.errors import BadStoreURL
from govflow.guards import Named, entered, named, not_before, votes
from govflow.log.codec import read_record, write_text
from govflow.log.merkle import Tree
from govflow.log.roots import first_difference
from govflow.scenarios import partnership_lifecycle, spb
from govflow.stores import JsonlStore, open_store


class M(DecisionKind):
    VOTE = "vote"


def dec(id_: str, kind: DecisionKind, day: int = 1, **fields: object) -> Decision:
    if kind is Kind.PROPOSE:
        fields["terms"] = Terms("t", ["A"])
    return Decision(
        id=id_,
        body="b",
        kind=kind,
        actor="A",
        decided=When.on(dt.date(2013, 1, day)),
        source=Source("s"),
        **fields,  # type: ignore[arg-type]
    )


def test_a_schema_1_log_refuses_a_declared_kind_and_stays_readable(tmp_path: Path) -> None:
    lifecycle = Lifecycle(states=["a"], initial="a", transitions=[], kinds=M)
    store = JsonlStore(tmp_path / "old.jsonl", lifecycle.fingerprint, schema=1)
    registry = Registry(lifecycle, log=store)
    registry.apply(dec("p", Kind.PROPOSE))
    with pytest.raises(InvalidRecord, match="a built-in kind \\(schema 1 holds no other\\)"):
        registry.apply(dec("v", M.VOTE, 2))
    assert len(registry.log) == 1
    assert JsonlStore(tmp_path / "old.jsonl").verify().ok
    assert Registry(lifecycle, log=JsonlStore(tmp_path / "old.jsonl")).body("b").state == "a"


FINGERPRINT = textwrap.dedent(
    """
    from govflow import Kind, Lifecycle, Transition
    from govflow.guards import decided, decided_by, not_before, votes
    print(Lifecycle(states=["a", "b"], initial="a", transitions=[Transition(
        "go", {"a"}, "b", guards=[
            votes({Kind.AGREE, Kind.ENDORSE}, {"A", "B", "C", "D", "E"}, majority=True),
            decided_by(Kind.AGREE, {"A", "B", "C", "D", "E"}),
            not_before(decided({Kind.AGREE, Kind.ENDORSE, Kind.END})),
        ])]).fingerprint)
    """
)


def test_sets_give_one_fingerprint_whatever_the_hash_seed() -> None:
    prints = {
        subprocess.run(
            [sys.executable, "-c", FINGERPRINT],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(prints) == 1


def test_votes_refuses_recommendations() -> None:
    with pytest.raises(InvalidRecord, match="other than recommend"):
        votes(Kind.RECOMMEND, majority=True)


def test_accepts_with_an_unhashable_item_is_a_lifecycle_problem() -> None:
    with pytest.raises(LifecycleError, match=r"accepts\['p'\]: \[<Kind.AGREE: 'agree'>\] is not"):
        Lifecycle(
            states=["p", "v"],
            initial="p",
            transitions=[Transition("go", "p", "v")],
            accepts={"p": [[Kind.AGREE]]},  # type: ignore[list-item]
        )


@pytest.mark.parametrize("params", [(("k", 1), ("k", "x")), (("k", 1), ("k", 2))])
def test_a_named_guard_names_each_parameter_once(params: tuple[tuple[str, object], ...]) -> None:
    with pytest.raises(InvalidRecord, match="each parameter named once"):
        Named("n", lambda body, on: True, params)  # type: ignore[arg-type]


class _Raising(tuple):  # type: ignore[type-arg]
    """A caller's tuple that raises as it is read."""

    def __iter__(self):  # type: ignore[no-untyped-def]  # noqa: ANN204
        raise RuntimeError("iter")


def test_a_named_guard_s_parameter_that_raises_as_it_is_read_is_refused() -> None:
    """``named("g", p=T(("a",)))`` let the tuple's own RuntimeError escape."""
    with pytest.raises(InvalidRecord, match=r"named guard\.params must be parameters"):
        named("g", p=_Raising(("a",)))  # type: ignore[arg-type]
    with pytest.raises(InvalidRecord, match=r"named guard\.params must be parameters"):
        named("g", p=(1, _Raising(("a",))))  # type: ignore[arg-type]


def test_the_day_a_body_entered_its_state_survives_a_correction() -> None:
    lifecycle = Lifecycle(
        states=["a", "b", "c"],
        initial="a",
        transitions=[
            Transition("go", "a", "b"),
            Transition("on", "b", "c", guards=[not_before(entered(days=2))]),
        ],
    )
    registry = Registry(lifecycle)
    registry.apply(dec("p", Kind.PROPOSE))
    registry.apply(dec("g", Kind.AGREE, 2, trigger="go"))
    registry.apply(dec("c", Kind.AGREE, 3, supersedes="g"))  # corrects the decision that moved it
    assert registry.body("b").entered_on == When.on(dt.date(2013, 1, 2))
    with pytest.raises(GuardFailed, match="not before 2013-01-04"):
        registry.apply(dec("o", Kind.AGREE, 3, trigger="on"))
    registry.apply(dec("o", Kind.AGREE, 4, trigger="on"))
    assert registry.body("b").state == "c"


def test_a_way_back_from_the_initial_state_is_allowed_where_a_way_back_leads_into_it() -> None:
    loop = Lifecycle(
        states=["a", "b"],
        initial="a",
        transitions=[Transition("go", "a", "b"), Transition("back", ["a", "b"], PREVIOUS)],
    )
    registry = Registry(loop)
    registry.apply(dec("p", Kind.PROPOSE))
    registry.apply(dec("g", Kind.AGREE, 2, trigger="go"))
    registry.apply(dec("b1", Kind.AGREE, 3, trigger="back"))
    registry.apply(dec("b2", Kind.AGREE, 4, trigger="back"))
    assert registry.body("b").history == ("a", "b", "a", "b")


def test_a_state_accepts_a_built_in_kind_by_name_and_text_of_its_own_is_explained() -> None:
    by_name = Lifecycle(
        states=["a", "b"], initial="a", transitions=[Transition("go", "a", "b")],
        accepts={"a": ["amend", Kind.AGREE]},
    )  # fmt: skip
    by_member = Lifecycle(
        states=["a", "b"], initial="a", transitions=[Transition("go", "a", "b")],
        accepts={"a": [Kind.AMEND, Kind.AGREE]},
    )  # fmt: skip
    assert by_name.accepting["a"] == frozenset({Kind.AMEND, Kind.AGREE})
    assert by_name.fingerprint == by_member.fingerprint
    with pytest.raises(LifecycleError, match=r"'vote' is not a built-in kind's name: a kind of"):
        Lifecycle(
            states=["a", "b"], initial="a", transitions=[Transition("go", "a", "b")],
            kinds=M, accepts={"a": ["vote"]},
        )  # fmt: skip


# A later battery: arguments no function should let through as a plain Python error.


def _body_with_facts() -> Any:
    registry = Registry(partnership_lifecycle())
    for decision in spb.decisions():
        registry.apply(decision)
    return registry.body("spb")


def test_kinds_and_partners_given_as_text_are_looked_up_as_before() -> None:
    """A DecisionKind is a StrEnum: a guard of an earlier release may pass its text."""
    body = _body_with_facts()
    assert list(body.decisions("agree")) == list(body.decisions(Kind.AGREE))
    terms = Terms(title="t", partners=("A",), seats={"A": 2})
    assert terms.seats_of("A") == 2


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda: write_text(Source("doc"), schema=[1]), "codec.schema"),
        (lambda: read_record([], {}, "x"), "codec.cls"),
        (lambda: read_record(Source, {}, "x", schema=[1]), "codec.schema"),
        (lambda: first_difference(None, Tree()), "first_difference.roots"),  # type: ignore[arg-type]
        (lambda: first_difference({1: bytes(32)}, None), "first_difference.tree"),  # type: ignore[arg-type]
        (lambda: first_difference({1: bytes(32)}, "abc"), "first_difference.tree"),  # type: ignore[arg-type]
        (lambda: Terms(title="t", partners=("A",)).seats_of(["A"]), "Terms.seats_of.partner"),  # type: ignore[arg-type]
        (lambda: list(_body_with_facts().decisions([Kind.AGREE])), "Body.decisions.kinds"),  # type: ignore[arg-type]
    ],
)
def test_an_unhashable_argument_is_an_invalid_record_naming_it(
    call: Callable[[], object], named: str
) -> None:
    with pytest.raises(InvalidRecord, match=f"^{re.escape(named)} must be"):
        call()


class _Unshowable:
    def __repr__(self) -> str:
        raise RuntimeError("repr failed")


def test_a_message_shows_a_huge_or_unshowable_argument_cut_short() -> None:
    registry = Registry(partnership_lifecycle())
    big = "x" * 1_000_000
    for call in (lambda: registry.body(big), lambda: registry.explain(big)):
        with pytest.raises(NoSuchBody) as missing:
            call()
        assert len(str(missing.value)) < 300
    with pytest.raises(BadStoreURL) as bad:
        open_store(big)
    assert len(str(bad.value)) < 400
    with pytest.raises(BadStoreURL, match=r"^'<_Unshowable"):
        open_store(_Unshowable())  # type: ignore[arg-type]
