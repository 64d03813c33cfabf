"""Building, validating and reading lifecycles."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

from govflow import GovflowError, Lifecycle, LifecycleError, State, Transition
from govflow.guards import decided_by
from govflow.scenarios import partnership_lifecycle


def build(transitions: list[Transition], **kwargs: object) -> Lifecycle:
    defaults: dict[str, object] = {"states": ["a", "b", "c"], "initial": "a"}
    defaults.update(kwargs)
    return Lifecycle(transitions=transitions, **defaults)  # type: ignore[arg-type]


def problems(transitions: list[Transition], **kwargs: object) -> tuple[str, ...]:
    with pytest.raises(LifecycleError) as error:
        build(transitions, **kwargs)
    return error.value.problems


CHAIN = [Transition("go", "a", "b"), Transition("on", "b", "c")]


class TestValid:
    def test_the_table_gives_each_edge_its_transition(self) -> None:
        lifecycle = build(CHAIN)
        assert lifecycle.transition("a", "go") is CHAIN[0]
        assert lifecycle.transition("b", "go") is None
        assert lifecycle.triggers_from("b") == ("on",)

        # What is not a state's or trigger's name (a text) names none, even where it
        # would compare equal to one or could not be looked up at all.
        class Named(str):
            __slots__ = ()

        assert lifecycle.transition(["a"], "go") is None  # type: ignore[arg-type]
        assert lifecycle.transition("a", Named("go")) is None
        assert lifecycle.triggers_from(Named("b")) == ()

    def test_one_transition_may_leave_several_sources(self) -> None:
        lifecycle = build([*CHAIN, Transition("back", ["b", "c"], "a")])
        assert lifecycle.transition("b", "back") == lifecycle.transition("c", "back")
        assert lifecycle.transition("b", "back") is not None

    def test_states_may_be_given_as_records_with_docs(self) -> None:
        lifecycle = build(CHAIN, states=[State("a", "start"), "b", "c"])
        assert lifecycle.states[0] == State("a", "start")
        assert [s.name for s in lifecycle.states] == ["a", "b", "c"]

    def test_a_trigger_named_like_an_engine_attribute_is_fine(self) -> None:
        lifecycle = build([Transition("state", "a", "b"), Transition("trigger", "b", "c")])
        assert lifecycle.transition("a", "state") is not None


class TestProblems:
    def test_an_unknown_source_is_named_with_its_transition(self) -> None:
        found = problems([*CHAIN, Transition("x", "nowhere", "a")])
        assert found == ("transition #3 ('x'): source 'nowhere' is not one of the states",)

    def test_an_unknown_destination_is_named(self) -> None:
        found = problems([*CHAIN, Transition("x", "a", "elsewhere")])
        assert found == ("transition #3 ('x'): destination 'elsewhere' is not one of the states",)

    def test_an_unreachable_state_is_named(self) -> None:
        found = problems([Transition("go", "a", "b")])
        assert found == ("state 'c' cannot be reached from the initial state 'a'",)

    def test_the_same_trigger_twice_from_one_source_is_named(self) -> None:
        found = problems([*CHAIN, Transition("go", "a", "c")])
        assert found == (
            (
                "trigger 'go' is defined more than once from state 'a'; "
                "a trigger may leave each state only once"
            ),
        )

    def test_a_guard_that_is_not_callable_is_named_with_its_position(self) -> None:
        found = problems([Transition("go", "a", "b", guards=[42]), CHAIN[1]])  # type: ignore[list-item]
        assert found == ("transition #1 ('go'): guard #1 (42) is not callable",)

    def test_a_transition_leaving_a_final_state_is_named(self) -> None:
        found = problems([*CHAIN, Transition("again", "c", "a")], final=["c"])
        assert found == (
            "transition #3 ('again') leaves final state 'c'; final states have no way out",
        )

    def test_an_unknown_initial_or_final_state_is_named(self) -> None:
        found = problems(CHAIN, initial="z", final=["y"])
        assert "the initial state 'z' is not one of the states" in found
        assert "final state 'y' is not one of the states" in found

    def test_a_state_listed_twice_is_named(self) -> None:
        found = problems(CHAIN, states=["a", "b", "c", "b"])
        assert found == ("state 'b' is listed more than once",)

    def test_no_states_at_all_is_a_problem(self) -> None:
        assert "a lifecycle needs at least one state" in problems([], states=[], initial="a")

    def test_a_state_without_a_name_is_named_and_nothing_crashes(self) -> None:
        found = problems([Transition(None, "a", "a")], states=[State(None), "a"], initial="a")  # type: ignore[arg-type]
        assert found == (
            "state State(name=None, doc='') must be a text name or a State with one",
            "transition #1 needs a text trigger, not None",
        )

    @pytest.mark.parametrize(
        ("arguments", "problem"),
        [
            ({"states": [1, "a"]}, "state 1 must be a text name"),
            ({"states": "ab"}, "states must be a list of names"),
            ({"initial": ["a"]}, "the initial state must be a text name"),
            ({"final": "c"}, "final must be a list of state names"),
            ({"final": [None]}, "final: None is not a state name"),
            ({"provisional": [["a"]]}, "provisional: ['a'] is not a state name"),
            ({"name": 3}, "the name must be a text"),
            ({"authorities": ["LGA"]}, "authorities must be a list of Authority records"),
            ({"transitions": [("go", "a", "b")]}, "transition #1 must be a Transition"),
            ({"transitions": "go"}, "transitions must be a list of Transitions"),
            (
                {"transitions": [Transition("go", [["a"]], "b")]},
                "transition #1: sources: ['a'] is not a state name",
            ),
            ({"transitions": [Transition("go", "a", 2)]}, "needs a text destination, not 2"),  # type: ignore[arg-type]
            ({"transitions": [Transition("go", "a", "b", guards=len)]}, "guards must be a list"),  # type: ignore[arg-type]
            (
                {"transitions": [Transition("_govflow_engine_state", "a", "b")]},
                "the trigger name '_govflow_engine_state' is reserved",
            ),
        ],
    )
    def test_arguments_of_the_wrong_type_are_named_not_crashed_on(
        self, arguments: dict[str, object], problem: str
    ) -> None:
        given: dict[str, object] = {
            "states": ["a", "b"],
            "initial": "a",
            "transitions": [Transition("go", "a", "b")],
            **arguments,
        }
        with pytest.raises(LifecycleError) as error:
            Lifecycle(**given)  # type: ignore[arg-type]
        assert any(problem in p for p in error.value.problems), error.value.problems

    def test_duplicates_are_reported_with_an_unknown_initial_state(self) -> None:
        found = problems([*CHAIN, Transition("go", "a", "c")], initial="zz")
        assert found == (
            "the initial state 'zz' is not one of the states",
            (
                "trigger 'go' is defined more than once from state 'a'; "
                "a trigger may leave each state only once"
            ),
        )

    def test_an_empty_trigger_and_no_sources_are_named(self) -> None:
        found = problems([Transition("", (), "b"), CHAIN[1]])
        assert "transition #1 ('') needs a non-empty text trigger" in found
        assert "transition #1 ('') needs at least one source state" in found

    def test_a_guard_that_cannot_be_described_is_a_problem_naming_why(self) -> None:
        @attrs.frozen
        class Nameless:
            @property
            def name(self) -> str:
                raise RuntimeError("no name yet")

            def __call__(self, body: object, on: object) -> bool:
                return True

        (said,) = problems([Transition("go", "a", "b", guards=[Nameless()]), CHAIN[1]])
        assert said.startswith("a guard could not be described (")
        assert "reading it raised RuntimeError: no name yet" in said

    def test_every_problem_is_reported_at_once(self) -> None:
        found = problems(
            [Transition("go", "a", "nowhere"), Transition("x", "void", "b", guards=["no"])]  # type: ignore[list-item]
        )
        # Two unknown states, a guard that is not callable, and the states b and c, which
        # no edge between known states reaches.
        assert len(found) == 5
        assert "state 'c' cannot be reached from the initial state 'a'" in found
        with pytest.raises(LifecycleError, match=r"\(5 problems\)"):
            build([Transition("go", "a", "nowhere"), Transition("x", "void", "b", guards=["no"])])  # type: ignore[list-item]


class TestFingerprint:
    def test_the_same_definition_gives_the_same_fingerprint(self) -> None:
        assert build(CHAIN).fingerprint == build(list(CHAIN)).fingerprint
        assert partnership_lifecycle().fingerprint == partnership_lifecycle().fingerprint

    def test_a_different_guard_changes_the_fingerprint(self) -> None:
        guarded = [Transition("go", "a", "b", guards=[decided_by("agree", ["LGA"])]), CHAIN[1]]
        assert build(guarded).fingerprint != build(CHAIN).fingerprint

    def test_a_different_destination_changes_the_fingerprint(self) -> None:
        other = [Transition("go", "a", "b"), Transition("on", "b", "c"), Transition("x", "c", "b")]
        assert build(other).fingerprint != build(CHAIN).fingerprint

    def test_describe_lists_guards_with_their_parameters(self) -> None:
        guarded = [Transition("go", "a", "b", guards=[decided_by("agree", ["LGA"])]), CHAIN[1]]
        description = build(guarded).describe()
        assert description["transitions"] == [
            {
                "trigger": "go",
                "sources": ["a"],
                "dest": "b",
                "guards": [
                    {
                        "guard": "agree by all of: LGA",
                        "type": "DecidedBy",
                        "kinds": ["agree"],
                        "authorities": ["LGA"],
                        "at_least": None,
                        "label": None,
                        "since_entered": False,
                    }
                ],
            },
            {"trigger": "on", "sources": ["b"], "dest": "c", "guards": []},
        ]

    def test_guards_with_the_same_name_but_other_parameters_differ(self) -> None:
        residents = partnership_lifecycle(constituents=("Residents",))
        assert residents.fingerprint != partnership_lifecycle().fingerprint

    def test_a_plain_function_guard_enters_by_its_qualified_name_not_its_module(self) -> None:
        guarded = build([Transition("go", "a", "b", guards=[quorum]), CHAIN[1]])
        (described,) = guarded.describe()["transitions"][0]["guards"]  # type: ignore[index]
        assert described == {"guard": "quorum", "function": "quorum"}
        (legacy,) = guarded.describe(legacy=True)["transitions"][0]["guards"]  # type: ignore[index]
        assert legacy == {"guard": "quorum", "function": f"{__name__}.quorum"}
        assert guarded.fingerprints[0] == guarded.fingerprint
        assert len(guarded.fingerprints) == 2  # release 0.1's, with the module, opens too
        assert build(CHAIN).fingerprints == (build(CHAIN).fingerprint,)


def quorum(body: object, on: object) -> bool:
    return True


def test_the_mermaid_diagram_has_every_edge_and_the_initial_state() -> None:
    diagram = build(CHAIN).mermaid()
    assert "stateDiagram-v2" in diagram
    assert "a --> b: go" in diagram
    assert "b --> c: on" in diagram
    assert "[*] --> a" in diagram


def test_the_name_is_kept() -> None:
    assert build(CHAIN, name="scrutiny").name == "scrutiny"


def test_repr_names_the_lifecycle_and_its_size() -> None:
    assert repr(build(CHAIN)).startswith("<Lifecycle 'lifecycle': 3 states, 2 transitions, ")


class TestPartnershipLifecycle:
    def test_it_has_the_seeds_states_and_an_end(self) -> None:
        lifecycle = partnership_lifecycle()
        names = [s.name for s in lifecycle.states]
        assert names == ["proposed", "endorsed", "shadow", "established", "reconsidered", "ended"]
        assert lifecycle.initial == "proposed"
        assert lifecycle.final == frozenset({"ended"})

    def test_its_main_line_runs_proposed_endorsed_shadow_established(self) -> None:
        lifecycle = partnership_lifecycle()
        path = [("proposed", "endorse"), ("endorsed", "convene_shadow"), ("shadow", "establish")]
        dests = [lifecycle.transition(s, t).dest for s, t in path]  # type: ignore[union-attr]
        assert dests == ["endorsed", "shadow", "established"]

    def test_reconsideration_is_open_from_endorsed_shadow_and_established_only(self) -> None:
        lifecycle = partnership_lifecycle()
        sources = {s.name for s in lifecycle.states if lifecycle.transition(s.name, "reconsider")}
        assert sources == {"endorsed", "shadow", "established"}

    def test_every_state_but_ended_can_end(self) -> None:
        lifecycle = partnership_lifecycle()
        sources = {s.name for s in lifecycle.states if lifecycle.transition(s.name, "end")}
        assert sources == {"proposed", "endorsed", "shadow", "established", "reconsidered"}

    def test_the_constituents_are_named_in_the_shadow_guard(self) -> None:
        transition = partnership_lifecycle(constituents=("Residents",)).transition(
            "endorsed", "convene_shadow"
        )
        assert transition is not None
        assert transition.guards[1].authorities == ("Residents",)  # type: ignore[attr-defined]


def test_a_lifecycles_authorities_build_another_lifecycle() -> None:
    """``Lifecycle.authorities`` (a read-only mapping by name) is taken back as it is."""
    from govflow.scenarios import partnership_lifecycle, spb  # noqa: PLC0415

    first = partnership_lifecycle(authorities=spb.authorities())
    assert first.authorities is not None
    again = Lifecycle(
        states=[s.name for s in first.states],
        initial=first.initial,
        transitions=first.transitions,
        authorities=first.authorities,
    )
    assert again.authorities == first.authorities
    with pytest.raises(LifecycleError, match="authorities must be a list of Authority records"):
        Lifecycle(states=["a"], initial="a", transitions=[], authorities={"x": "not one"})  # type: ignore[dict-item]


def test_a_mapping_of_authorities_is_keyed_by_their_names() -> None:
    """A key that is not its authority's name is refused, not silently dropped."""
    from govflow.scenarios import spb  # noqa: PLC0415

    lga, apcc = spb.authorities()[:2]
    misnamed = r"authorities\['LGA board'\] holds the authority named"
    with pytest.raises(LifecycleError, match=misnamed):
        Lifecycle(states=["a"], initial="a", transitions=[], authorities={"LGA board": lga})
    both = Lifecycle(
        states=["a"], initial="a", transitions=[], authorities={lga.name: lga, apcc.name: apcc}
    )
    assert both.authorities is not None
    assert sorted(both.authorities) == sorted([lga.name, apcc.name])


@pytest.mark.parametrize("trigger", ["", "  ", "\t", "\u2028"])
def test_a_trigger_no_decision_can_name_is_refused(trigger: str) -> None:
    """A decision's trigger is a text that is not blank: a blank one could never be taken."""
    from govflow.definitions import loads  # noqa: PLC0415

    with pytest.raises(
        LifecycleError, match=r"transition #1 \(.*\) needs a non-empty text trigger"
    ):
        Lifecycle(states=["a", "b"], initial="a", transitions=[Transition(trigger, "a", "b")])
    text = (
        'format = "govflow/1"\nstates = ["a", "b"]\ninitial = "a"\n'
        f'[[transitions]]\ntrigger = {json.dumps(trigger)}\nfrom = "a"\nto = "b"\n'
    )
    with pytest.raises(GovflowError):
        loads(text)


@pytest.mark.parametrize("doc", [5, ["x"], "a\x00b", "\ud800", None])
def test_a_doc_that_is_not_a_text_is_refused_when_the_lifecycle_is_built(doc: object) -> None:
    """A doc a definition file could not hold is refused, not written by ``dumps``."""
    limit = "a text of at most 10,000 characters, without NUL or lone surrogates"
    with pytest.raises(LifecycleError, match=rf"state 'a': doc must be {limit}, not"):
        Lifecycle(states=[State("a", doc=doc), "b"], initial="a", transitions=[])  # type: ignore[arg-type]
    moving = [Transition("t", "a", "b", doc=doc)]  # type: ignore[arg-type]
    with pytest.raises(LifecycleError, match=rf"transition #1: doc must be {limit}, not"):
        Lifecycle(states=["a", "b"], initial="a", transitions=moving)


def test_lifecycles_are_equal_when_their_fingerprints_are() -> None:
    # They compared by identity: one definition file loaded twice gave two Definitions
    # that were not equal, though a log of one is a log of the other.
    from govflow.definitions import load  # noqa: PLC0415

    example = Path(__file__).parent.parent / "examples" / "partnership.toml"
    first, second = load(example), load(example)
    assert first.lifecycle is not second.lifecycle
    assert first.lifecycle == second.lifecycle
    assert first == second
    assert hash(first.lifecycle) == hash(second.lifecycle)
    assert len({partnership_lifecycle(), partnership_lifecycle()}) == 1
    other = partnership_lifecycle(constituents=("Residents",))
    assert other != partnership_lifecycle()
    assert other.fingerprint != partnership_lifecycle().fingerprint
    assert partnership_lifecycle() != partnership_lifecycle().fingerprint  # not its text
