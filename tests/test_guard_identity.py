"""A guard's identity in the lifecycle's fingerprint: explicit, and stable wherever it is loaded."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from govflow import (
    AuditLog,
    InvalidRecord,
    Kind,
    Lifecycle,
    LifecycleError,
    LifecycleMismatch,
    Registry,
    Transition,
)
from govflow.guards import Named, decided_by, named
from govflow.model.body import Body
from govflow.model.when import When
from govflow.stores import JsonlStore

from .helpers import make


def lifecycle(*guards: object) -> Lifecycle:
    return Lifecycle(
        states=["a", "b"],
        initial="a",
        transitions=[Transition("go", "a", "b", guards=list(guards))],  # type: ignore[arg-type]
    )


def at_least(k: int) -> Named:
    """A factory of closures: each is named with the parameter that makes it differ."""

    def enough(body: Body, on: When) -> bool:
        return sum(1 for f in body.decisions(Kind.AGREE)) >= k

    return named(f"{k} in favour", k=k)(enough)


def top_level(body: Body, on: When) -> bool:
    return True


class TestUnnamedGuardsAreRefusedAtBuildTime:
    def test_a_lambda(self) -> None:
        with pytest.raises(LifecycleError) as error:
            lifecycle(lambda body, on: True)
        (problem,) = error.value.problems
        assert "guard #1 ('<lambda>') has no stable identity" in problem
        assert "it is a lambda" in problem
        assert "govflow.guards.named('a name'" in problem

    def test_a_closure_whose_name_does_not_show_its_parameters(self) -> None:
        def enough(body: Body, on: When) -> bool:
            return True

        with pytest.raises(LifecycleError, match=r"defined inside a function .*<locals>\.enough"):
            lifecycle(enough)

    def test_a_callable_object_that_is_not_a_record(self) -> None:
        class Quorum:
            def __call__(self, body: Body, on: When) -> bool:
                return True

        with pytest.raises(LifecycleError, match="it is a Quorum, not a function or a record"):
            lifecycle(Quorum())

    def test_every_unnamed_guard_is_listed_with_the_built_in_ones_accepted(self) -> None:
        with pytest.raises(LifecycleError) as error:
            lifecycle(decided_by(Kind.AGREE, ["x"]), lambda b, o: True, top_level, lambda b, o: 1)
        assert [p.split(":")[0] for p in error.value.problems] == [
            "transition #1 ('go')",
            "transition #1 ('go')",
        ]
        assert "guard #2" in error.value.problems[0]
        assert "guard #4" in error.value.problems[1]


class TestNamedGuards:
    def test_a_named_guard_enters_by_its_name_and_parameters(self) -> None:
        (described,) = lifecycle(at_least(3)).describe()["transitions"][0]["guards"]  # type: ignore[index]
        assert described == {"guard": "3 in favour", "named": {"k": 3}}

    def test_closures_of_one_factory_with_other_parameters_differ(self) -> None:
        assert lifecycle(at_least(3)).fingerprint != lifecycle(at_least(4)).fingerprint
        assert lifecycle(at_least(3)).fingerprint == lifecycle(at_least(3)).fingerprint

    def test_the_same_name_with_other_parameters_differs_too(self) -> None:
        one = named("quorum", k=3)(top_level)
        other = named("quorum", k=4)(top_level)
        assert lifecycle(one).fingerprint != lifecycle(other).fingerprint

    def test_it_runs_the_function_and_fails_under_its_name(self) -> None:
        registry = Registry(lifecycle(at_least(2)))
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        registry.apply(make("a1", Kind.AGREE, "LGA", 1))
        explanation = registry.explain("b")
        assert explanation.blocked["go"][0].message == "2 in favour"
        registry.apply(make("a2", Kind.AGREE, "APCC", 2))
        assert registry.explain("b").possible == ("go",)

    def test_parameters_may_be_days_booleans_none_and_tuples(self) -> None:
        guard = named("window", start=dt.date(2013, 4, 1), open=True, end=None, who=("a", "b"))
        (described,) = lifecycle(guard(top_level)).describe()["transitions"][0]["guards"]  # type: ignore[index]
        assert described["named"] == {
            "end": None,
            "open": True,
            "start": "2013-04-01",
            "who": ["a", "b"],
        }

    @pytest.mark.parametrize(
        ("name", "params"),
        [
            ("", {}),
            ("  ", {}),
            (3, {}),
            ("ok", {"k": 1.5}),
            ("ok", {"k": object()}),
            ("ok", {"k": [1]}),
        ],
    )
    def test_a_bad_name_or_parameter_is_refused_when_named(
        self, name: object, params: dict[str, object]
    ) -> None:
        with pytest.raises(InvalidRecord, match="named guard"):
            named(name, **params)  # type: ignore[arg-type]

    def test_what_is_named_must_be_callable(self) -> None:
        with pytest.raises(InvalidRecord, match="a callable guard"):
            named("x")(3)  # type: ignore[arg-type]


MODULE = textwrap.dedent(
    """
    from govflow import Kind, Lifecycle, Transition
    from govflow.guards import decided_by, named


    def quorum(body, on):
        return True


    def at_least(k):
        return named("at least", k=k)(lambda body, on: True)


    def lifecycle():
        return Lifecycle(
            states=["a", "b"],
            initial="a",
            transitions=[
                Transition(
                    "go", "a", "b", guards=[quorum, at_least(2), decided_by(Kind.AGREE, ["x"])]
                )
            ],
        )


    if __name__ == "__main__":
        print(lifecycle().fingerprint)
    """
)


def test_the_same_lifecycle_run_as_a_script_and_imported_has_one_fingerprint(
    tmp_path: Path,
) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "model.py").write_text(MODULE)
    as_script = subprocess.run(
        [sys.executable, str(package / "model.py")], capture_output=True, text=True, check=True
    ).stdout.strip()
    imported = subprocess.run(
        [sys.executable, "-c", "import pkg.model; print(pkg.model.lifecycle().fingerprint)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout.strip()
    assert len(as_script) == 64
    assert as_script == imported


def test_a_log_written_under_the_legacy_fingerprint_still_opens(tmp_path: Path) -> None:
    """A 0.1 log of a lifecycle with a plain-function guard recorded its module-qualified form."""
    built = lifecycle(top_level)
    legacy = built.fingerprints[1]
    assert legacy != built.fingerprint
    written = Registry(built, log=JsonlStore(tmp_path / "old.jsonl", legacy))
    written.apply(make("p", Kind.PROPOSE, "LGA", 0))
    written.apply(make("g", Kind.AGREE, "LGA", 1, trigger="go"))
    with pytest.raises(LifecycleMismatch, match="open the store without a fingerprint") as caught:
        JsonlStore(tmp_path / "old.jsonl", built.fingerprint)
    assert "A lifecycle changed since (a power added, a guard changed) is another" in str(
        caught.value
    )
    reopened = Registry(built, log=JsonlStore(tmp_path / "old.jsonl"))
    assert reopened.body("b").state == "b"
    reopened.apply(make("a", Kind.AGREE, "APCC", 2))
    assert JsonlStore(tmp_path / "old.jsonl").verify().ok
    other = lifecycle(named("other")(top_level))
    with pytest.raises(LifecycleMismatch):
        Registry(other, log=AuditLog(legacy))


def test_a_set_of_a_number_and_its_text_gives_one_fingerprint_in_either_order() -> None:
    # Sorted by text alone, 1 and "1" kept the order they were made in.
    import attrs  # noqa: PLC0415

    from govflow import Lifecycle, Transition  # noqa: PLC0415

    @attrs.frozen
    class OneOf:
        values: frozenset[object]
        name: str = "one of"

        def __call__(self, body: object, on: object) -> bool:
            return True

    def lifecycle(values: frozenset[object]) -> str:
        guard = OneOf(values)
        go = Transition("go", "a", "b", guards=[guard])
        return Lifecycle(states=["a", "b"], initial="a", transitions=[go]).fingerprint

    first, second = frozenset([1, "1"]), frozenset(["1", 1])
    assert lifecycle(first) == lifecycle(second)
