"""A lifecycle's arguments of the wrong type, and its vocabulary, named exactly.

Each problem is one sentence naming the argument and showing what was given; these
tests hold every sentence of :mod:`govflow.rules.parts` and
:mod:`govflow.rules.vocabulary` to its words.
"""

from __future__ import annotations

import attrs
import pytest

from govflow import Authority, DecisionKind, Kind, Lifecycle, LifecycleError, Transition
from govflow.rules.vocabulary import accepting, kinds_in


class Motion(DecisionKind):
    VOTE = "vote"


def problems(**given: object) -> tuple[str, ...]:
    """The problems of a two-state lifecycle with ``given`` in place of its arguments."""
    arguments: dict[str, object] = {
        "states": ["a", "b"],
        "initial": "a",
        "transitions": [Transition("go", "a", "b")],
    }
    arguments.update(given)
    with pytest.raises(LifecycleError) as caught:
        Lifecycle(**arguments)  # type: ignore[arg-type]
    return caught.value.problems


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ({"states": 5}, ["states must be a list of names or States, not 5"]),
        (
            {"initial": 5, "final": 5, "provisional": "a", "name": 7},
            [
                "the initial state must be a text name, not 5",
                "final must be a list of state names, not 5",
                "provisional must be a list of state names, not 'a'",
                "the name must be a text, not 7",
            ],
        ),
        ({"authorities": 5}, ["authorities must be a list of Authority records, not 5"]),
        ({"authorities": [1]}, ["authorities must be a list of Authority records, not [1]"]),
        ({"transitions": 5}, ["transitions must be a list of Transitions, not 5"]),
        (
            # A problem in one transition does not stop the next from being read.
            {"transitions": [5, Transition(5, 7, 9, guards=5), Transition("go", "a", "b")]},  # type: ignore[arg-type]
            [
                "transition #1 must be a Transition, not 5",
                "transition #2 needs a text trigger, not 5",
                "transition #2: sources must be a list of state names, not 7",
                "transition #2 needs a text destination, not 9",
                "transition #2: guards must be a list, not 5",
            ],
        ),
        ({"kinds": 5}, ["kinds must be a DecisionKind subclass or a list of its members, not 5"]),
        (
            {"kinds": [Motion.VOTE, "x", Kind.AGREE]},
            ["kinds: 'x' is not a member of a DecisionKind subclass"],
        ),
        ({"accepts": 5}, ["accepts must map state names to lists of kinds, not 5"]),
        (
            {"accepts": {"nowhere": [Kind.AGREE], "a": "agree", "b": [Motion.VOTE, "x"]}},
            [
                "accepts: 'nowhere' is not one of the states",
                "accepts['a'] must be a list of kinds, not 'agree'",
                "accepts['b']: <Motion.VOTE: 'vote'> is not a kind the lifecycle knows",
                (
                    "accepts['b']: 'x' is not a built-in kind's name: a kind of the lifecycle's "
                    "own is given as its member (Motion.VOTE), not as text"
                ),
            ],
        ),
    ],
)
def test_each_argument_of_the_wrong_type_is_named_with_what_was_given(
    given: dict[str, object], said: list[str]
) -> None:
    assert list(problems(**given)) == said


def test_declared_authorities_as_a_list_or_a_tuple_are_taken() -> None:
    lga = Authority("LGA", "LGA", may=[Kind.AGREE])
    for authorities in ([lga], (lga,)):
        lifecycle = Lifecycle(
            states=["a", "b"],
            initial="a",
            transitions=[Transition("go", "a", "b")],
            authorities=authorities,
        )
        assert lifecycle.authorities == {"LGA": lga}


class TestTransitionParts:
    def test_sources_in_a_list_keep_their_order_and_a_set_is_sorted(self) -> None:
        assert Transition("t", ["b", "a"], "c").sources == ("b", "a")
        assert Transition("t", {"b", "a"}, "c").sources == ("a", "b")
        assert Transition("t", "a", "c").sources == ("a",)

    def test_anything_else_is_left_as_given_for_the_lifecycle_to_name(self) -> None:
        assert Transition("t", 5, "c").sources == 5  # type: ignore[arg-type]
        assert Transition("t", {1, 2}, "c").sources == {1, 2}  # type: ignore[arg-type]
        assert Transition("t", "a", "c", guards=5).guards == 5  # type: ignore[arg-type]
        assert Transition("t", "a", "c", guards=[]).guards == ()


class TestVocabulary:
    def test_a_state_takes_only_the_known_kinds_it_lists(self) -> None:
        known = frozenset(Kind)
        table, said = accepting(
            ["a", "b", "c"],
            frozenset({"c"}),
            {"nowhere": [Kind.AGREE], "a": [Kind.AGREE, Motion.VOTE, "x"]},
            known,
        )
        assert table == {"a": {Kind.AGREE}, "b": known, "c": frozenset()}
        assert len(said) == 3
        table, said = accepting(["a", "b"], frozenset(), {"nowhere": [], "b": [Kind.NOTE]}, known)
        assert table == {"a": known, "b": {Kind.NOTE}}

    def test_kinds_are_found_five_levels_deep_and_no_deeper(self) -> None:
        @attrs.frozen
        class Box:
            inner: object

        def nested(value: object, levels: int, wrap: type) -> object:
            for _ in range(levels):
                value = wrap(value) if wrap is Box else (value,)
            return value

        for wrap in (tuple, Box):
            assert kinds_in(nested(Kind.AGREE, 5, wrap)) == {Kind.AGREE}
            assert kinds_in(nested(Kind.AGREE, 6, wrap)) == set()
        assert kinds_in(Box((Kind.NOTE, [Motion.VOTE], "agree"))) == {Kind.NOTE, Motion.VOTE}
