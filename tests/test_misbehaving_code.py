"""Code of a user's own that misbehaves (exits, closes, cannot be named) is told as such.

A guard, a module named by ``--lifecycle`` or a guard's ``name`` are the user's code:
whatever they raise, govflow says what went wrong, typed, and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from govflow import (
    Decision,
    GuardError,
    Kind,
    Lifecycle,
    LifecycleError,
    Registry,
    Source,
    Terms,
    Transition,
    When,
)
from govflow.cli import main
from govflow.errors import InvalidRecord
from govflow.guards import Nominations, guard_name
from govflow.scenarios import partnership_lifecycle


def closing(body: object, on: object) -> bool:
    """A guard that raises GeneratorExit (a generator's close, leaking out of one)."""
    raise GeneratorExit


def test_a_guard_raising_generator_exit_is_a_guard_error_and_nothing_changes() -> None:
    lifecycle = Lifecycle(
        states=["a", "b"], initial="a", transitions=[Transition("go", "a", "b", guards=[closing])]
    )
    registry = Registry(lifecycle)
    day, source = When.on(dt.date(2024, 1, 1)), Source("m")
    registry.apply(Decision(id="p", body="x", kind=Kind.PROPOSE, actor="A", decided=day,
                            source=source, terms=Terms("X", ["A"])))  # fmt: skip
    with pytest.raises(GuardError, match="closing"):
        registry.apply(Decision(id="g", body="x", kind=Kind.AGREE, actor="A", decided=day,
                                source=source, trigger="go"))  # fmt: skip
    assert len(registry.log) == 1
    blocked = registry.explain("x").blocked["go"]  # it escaped explain too
    assert [r.code for r in blocked] == ["guard_error"]


class ReprRaises:
    def __call__(self, body: object, on: object) -> bool:
        return True

    def __repr__(self) -> str:
        raise RuntimeError("repr failed")


class NameRaises:
    @property
    def name(self) -> str:
        raise RuntimeError("name failed")

    def __call__(self, body: object, on: object) -> bool:
        return True


@pytest.mark.parametrize("guard", [ReprRaises(), NameRaises()], ids=["repr", "name"])
def test_a_guard_that_cannot_be_named_is_a_problem_of_the_lifecycle(guard: object) -> None:
    # Lifecycle() let the guard's own RuntimeError out as it named the guard in a problem.
    with pytest.raises(LifecycleError) as error:
        Lifecycle(
            states=["a", "b"],
            initial="a",
            transitions=[Transition("go", "a", "b", guards=[guard])],  # type: ignore[list-item]
        )
    assert f"(a {type(guard).__name__} whose name cannot be read)" in str(error.value)
    with pytest.raises(InvalidRecord, match=r"guard_name\.guard must be a guard with a name"):
        guard_name(guard)  # type: ignore[arg-type]


def test_a_guard_that_is_a_deep_list_is_named_or_refused_in_words() -> None:
    # Its repr recursed out (RecursionError, untyped) on Python 3.11; 3.13 reads it whole.
    deep: list[object] = []
    for _ in range(5_000):
        deep = [deep]
    try:
        named = guard_name(deep)  # type: ignore[arg-type]
    except InvalidRecord as error:
        assert "reading it raised RecursionError" in str(error)  # noqa: PT017
    else:
        assert named.startswith("[[[")


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("import sys\nsys.exit(0)\n", "it exits (0)"),
        ("import sys\nsys.exit(3)\n", "it exits (3)"),
        ("def x():\n    raise SystemExit(0)\n", "it exits (0)"),
        ("raise GeneratorExit\n", "GeneratorExit"),
    ],
)
def test_a_lifecycle_module_that_exits_is_refused_not_taken_for_success(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: str,
    said: str,
) -> None:
    # status --lifecycle module:x exited 0, silently, when the module called sys.exit(0).
    name = f"exiting_{abs(hash(code))}"
    (tmp_path / f"{name}.py").write_text(code, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    log = tmp_path / "log.jsonl"
    assert main(["demo", "--store", f"jsonl:///{log}"]) == 0
    capsys.readouterr()
    assert main(["status", f"jsonl:///{log}", "--lifecycle", f"{name}:x"]) == 2
    err = capsys.readouterr().err
    assert said in err, err
    assert "Traceback" not in err
    sys.modules.pop(name, None)


def test_a_nominations_window_that_is_no_window_is_refused_when_built() -> None:
    # Accepted, it failed only when a decision asked for the transition (a GuardError).
    for within in (True, "yesterday"):
        with pytest.raises(InvalidRecord, match=r"Nominations\.within must be None or a window"):
            Nominations(within=within)  # type: ignore[arg-type]


@pytest.mark.parametrize("constituents", [None, [5], "PCCs", [], ["PCCs", "PCCs"]])
def test_partnership_lifecycle_names_its_own_argument(constituents: object) -> None:
    # It said "decided_by.authorities must be ...", a guard it builds inside.
    wanted = r"partnership_lifecycle\.constituents must be a list of at least one authority"
    with pytest.raises(InvalidRecord, match=wanted):
        partnership_lifecycle(constituents=constituents)  # type: ignore[arg-type]
