"""The strategies govflow ships for its users' property tests."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import event, given

from govflow import Decision, DecisionRefused, InvalidRecord, Kind, Lifecycle, Registry, replay
from govflow.testing import LifecycleMachine, decision_sequences, lifecycles

from .helpers import LIFECYCLE


@given(lifecycles())
def test_random_lifecycles_are_valid_with_every_state_reachable(lifecycle: Lifecycle) -> None:
    reached, frontier = {lifecycle.initial}, [lifecycle.initial]
    while frontier:
        state = frontier.pop()
        for t in lifecycle.transitions:
            if state in t.sources and t.dest not in reached:
                reached.add(t.dest)
                frontier.append(t.dest)
    assert reached == {s.name for s in lifecycle.states}


@given(decision_sequences(LIFECYCLE))
def test_decision_sequences_have_unique_ids_and_apply_cleanly(decisions: list[Decision]) -> None:
    assert len({d.id for d in decisions}) == len(decisions)
    registry = Registry(LIFECYCLE, logger=_Quiet())
    for decision in decisions:
        try:
            registry.apply(decision)
            event(f"accepted {decision.kind.value}")
        except DecisionRefused as refusal:
            event(f"refused: {refusal.code}")
    assert replay(LIFECYCLE, registry.log) == dict(registry.bodies)
    proposals = [d for d in decisions if d.kind is Kind.PROPOSE]
    assert set(registry.bodies) <= {d.body for d in proposals}


class _Quiet:
    def info(self, event: str, **fields: object) -> None:
        pass

    def warning(self, event: str, **fields: object) -> None:
        pass


def test_importing_govflow_does_not_import_hypothesis() -> None:
    code = "import sys, govflow; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _drawn(strategy: object) -> None:
    from hypothesis import settings  # noqa: PLC0415

    @settings(max_examples=1, database=None)
    @given(strategy)  # type: ignore[arg-type]
    def draw(value: object) -> None:
        pass

    draw()


def _refused(call: object) -> str:
    import pytest  # noqa: PLC0415

    from govflow import InvalidRecord  # noqa: PLC0415

    with pytest.raises(InvalidRecord) as raised:
        call()  # type: ignore[operator]
    return str(raised.value)


def test_the_kits_functions_refuse_wrong_arguments_by_name() -> None:
    """Each says which argument is wrong, at once or at the first draw, never later."""
    import datetime as dt  # noqa: PLC0415

    from govflow.testing import default_terms, walks  # noqa: PLC0415
    from govflow.testing.records import decisions, terms  # noqa: PLC0415
    from govflow.testing.walk import Walker  # noqa: PLC0415

    cases = {
        "walks.terms": lambda: walks(LIFECYCLE, terms="x"),
        "walks.start must be None or a datetime.date": lambda: Walker(
            LIFECYCLE, start="2020-01-01"
        ),
        "walks.start must be None or a datetime.date from 1000": lambda: Walker(
            LIFECYCLE, start=dt.date.min
        ),
        "default_terms.lifecycle": lambda: default_terms(None),
        "default_terms.bodies": lambda: default_terms(LIFECYCLE, "b0"),
        "terms.partners": lambda: terms(None),
        "decisions.kinds must be a list of decision kinds": lambda: _drawn(decisions(kinds=None)),
        "walks.lifecycle": lambda: Walker(None),
        "decision_sequences.lifecycle": lambda: _drawn(decision_sequences(None)),
        "decision_sequences.partners": lambda: _drawn(decision_sequences(LIFECYCLE, partners=[])),
        "decision_sequences.bodies": lambda: _drawn(decision_sequences(LIFECYCLE, bodies="b0")),
    }
    for said, call in cases.items():
        assert said in _refused(call), said


def test_decisions_draws_from_a_models_own_kinds_too() -> None:
    from govflow import DecisionKind  # noqa: PLC0415
    from govflow.testing.records import decisions  # noqa: PLC0415

    class Motion(DecisionKind):
        VOTE = "vote"

    seen: list[object] = []

    from hypothesis import settings  # noqa: PLC0415

    @settings(max_examples=20, database=None)
    @given(decisions(kinds=[Motion.VOTE, Kind.AGREE]))
    def draw(decision: Decision) -> None:
        seen.append(decision.kind)

    draw()
    assert set(seen) <= {Motion.VOTE, Kind.AGREE}
    assert Motion.VOTE in seen


def test_without_hypothesis_importing_the_kit_names_the_extra() -> None:
    code = (
        "import sys\n"
        "sys.modules['hypothesis'] = None  # as if it were not installed\n"
        "try:\n"
        "    import govflow.testing\n"
        "except ImportError as error:\n"
        "    print(type(error).__name__, error)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == (
        "MissingExtra govflow.testing needs hypothesis, which is not installed: "
        "pip install 'govflow[testing]' (in a clone of govflow: pip install '.[testing]')"
    )


def test_a_machine_with_no_lifecycle_set_says_to_set_it() -> None:
    class Unset(LifecycleMachine):
        pass

    with pytest.raises(InvalidRecord) as error:
        Unset()
    assert (error.value.record, error.value.field) == ("Unset", "lifecycle")
    assert "set it and run again" in str(error.value)


@pytest.mark.parametrize(
    ("setting", "field"),
    [
        ({"bodies": "b0"}, "bodies"),  # one text: would walk bodies "b" and "0"
        ({"bodies": ["b0", "b0"]}, "bodies"),
        ({"delegations": "x"}, "delegations"),
        ({"checks": [42]}, "checks"),  # would fail only once the run is under way
        ({"checks": print}, "checks"),
        ({"terms": ""}, "terms"),  # was taken as "no terms" and replaced by the default
        ({"store": "memory:"}, "store"),  # a TypeError once a run began
    ],
)
def test_a_machine_refuses_its_class_settings_as_walks_does_naming_the_class(
    setting: dict[str, object], field: str
) -> None:
    machine = type("Set", (LifecycleMachine,), {"lifecycle": LIFECYCLE, **setting})
    with pytest.raises(InvalidRecord) as error:
        machine()
    assert (error.value.record, error.value.field) == ("Set", field)
    assert error.value.received == setting[field]
    assert str(error.value).endswith("; set it on the class and run again.")


def test_default_terms_name_as_partners_the_organisations_that_can_take_what_each_must() -> None:
    """An organisation that only holds meetings was a partner, and walks never left proposed."""
    from govflow import Authority, Transition  # noqa: PLC0415
    from govflow.guards import every_partner  # noqa: PLC0415
    from govflow.testing import default_terms  # noqa: PLC0415

    def made(*authorities: Authority) -> Lifecycle:
        go = Transition("agree", "proposed", "agreed", guards=[every_partner(Kind.AGREE)])
        return Lifecycle(
            states=["proposed", "agreed"], initial="proposed", transitions=[go],
            authorities=list(authorities),
        )  # fmt: skip

    committee = made(
        Authority("North Cabinet", "North", [Kind.PROPOSE, Kind.AGREE]),
        Authority("South Cabinet", "South", [Kind.AGREE]),
        Authority("Clerk", "Joint Committee", [Kind.HOLD_MEETING]),
    )
    assert default_terms(committee).partners == ("North", "South")
    none_agree = made(Authority("B", "Beta", [Kind.PROPOSE]), Authority("A", "Alpha", [Kind.NOTE]))
    assert default_terms(none_agree).partners == ("Alpha", "Beta")
    anyone = Lifecycle(states=["a", "b"], initial="a", transitions=[Transition("go", "a", "b")])
    assert default_terms(anyone).partners == ("A", "B")
    # The reference case: the PCCs may agree, but not nominate as every partner must.
    from govflow.scenarios import partnership_lifecycle, spb  # noqa: PLC0415

    reference = partnership_lifecycle(authorities=spb.authorities())
    assert default_terms(reference).partners == ("APCC", "LGA")
    # One of a guard's kinds is enough: it counts a decision of any of them.
    either = Lifecycle(
        states=["proposed", "agreed"], initial="proposed",
        transitions=[Transition("agree", "proposed", "agreed",
                                guards=[every_partner([Kind.AGREE, Kind.ENDORSE])])],
        authorities=[Authority("X", "OX", [Kind.AGREE]), Authority("Y", "OY", [Kind.ENDORSE]),
                     Authority("Clerk", "Council", [Kind.PROPOSE])],
    )  # fmt: skip
    assert default_terms(either).partners == ("OX", "OY")
    # An authority's powers count only for the bodies it may decide for.
    scoped = made(
        Authority("North Cabinet", "North", [Kind.PROPOSE, Kind.AGREE], bodies=["flood"]),
        Authority("South Cabinet", "South", [Kind.AGREE], bodies=["waste"]),
        Authority("East Cabinet", "East", [Kind.AGREE]),
    )
    assert default_terms(scoped).partners == ("East", "North", "South")
    assert default_terms(scoped, ["flood"]).partners == ("East", "North")
    assert default_terms(scoped, ["flood", "waste"]).partners == ("East", "North", "South")
    assert walks_terms(scoped, ("flood",)) == ("East", "North")


def walks_terms(lifecycle: Lifecycle, bodies: tuple[str, ...]) -> tuple[str, ...]:
    """The partners of the terms a walk of ``bodies`` proposes them with, none given."""
    from govflow.testing.walk import Walker  # noqa: PLC0415

    return Walker(lifecycle, bodies).terms.partners
