"""Records given a quicker ``__init__`` build exactly what attrs' own ``__init__`` builds."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest
import structlog.testing

from govflow import Decision, DecisionRefused, Registry, partnership_lifecycle
from govflow._authority import Mandate
from govflow._body import Body
from govflow._decide import Outcome, decide
from govflow._entry import Entry
from govflow._facts import Fact
from govflow._quick import ATTRS_INIT, quick_init
from govflow._terms import Terms
from govflow.scenarios import spb

QUICK = (Decision, Terms, Fact, Body, Outcome, Mandate, Entry)

#: Values of the wrong sort, or of another accepted form (lists for tuples).
ODD: tuple[object, ...] = (None, "", "  ", "x", 0, -1, 2, True, [], ["x"], [""], {"LGA": 1}, ())


def samples() -> Iterator[object]:
    """Every record of those classes that playing the seeds' scenario forward builds."""
    lifecycle = partnership_lifecycle(authorities=spb.authorities())
    registry = Registry(lifecycle, logger=structlog.testing.CapturingLogger())
    for decision in (*spb.decisions(), *spb.played_forward()):
        body = registry.bodies.get(decision.body)
        try:
            outcome = decide(lifecycle, body, decision, len(registry.log))
        except DecisionRefused:  # the scenario plays some refusals: they build no records
            continue
        entry = registry.apply(decision)
        yield from (decision, outcome, outcome.body, outcome.mandate, entry)
        yield from (outcome.body.terms, *outcome.body.facts)


def _built(init: Callable[..., None], cls: type, kwargs: dict[str, Any]) -> object:
    made = object.__new__(cls)
    try:
        init(made, **kwargs)
    except Exception as error:  # noqa: BLE001 - the error itself is compared
        return (type(error), str(error))
    return made


def test_every_quick_record_was_built_by_the_scenario() -> None:
    ours = {cls for cls in ATTRS_INIT if cls.__module__.startswith("govflow.")}
    assert {type(s) for s in samples()} == set(QUICK) == ours


@pytest.mark.parametrize("cls", QUICK, ids=lambda c: c.__name__)
def test_the_signature_is_attrs_own(cls: type) -> None:
    assert inspect.signature(cls.__init__) == inspect.signature(ATTRS_INIT[cls])
    assert cls.__init__.__qualname__ == f"{cls.__qualname__}.__init__"


def test_each_field_given_any_value_builds_or_refuses_as_attrs_does() -> None:
    compared = 0
    for sample in samples():
        cls = type(sample)
        given = {f.alias: getattr(sample, f.name) for f in attrs.fields(cls)}
        assert _built(cls.__init__, cls, given) == sample
        for field in attrs.fields(cls):
            for odd in ODD:
                kwargs = {**given, field.alias: odd}
                quick = _built(cls.__init__, cls, kwargs)
                assert quick == _built(ATTRS_INIT[cls], cls, kwargs), (cls, field.name, odd)
                compared += 1
            if field.default is not attrs.NOTHING:  # left out, the default applies
                kwargs = {k: v for k, v in given.items() if k != field.alias}
                quick = _built(cls.__init__, cls, kwargs)
                assert quick == _built(ATTRS_INIT[cls], cls, kwargs)
    assert compared > 5_000


def test_missing_or_unknown_arguments_are_refused_as_attrs_does() -> None:
    for cls in QUICK:
        assert _built(cls.__init__, cls, {}) == _built(ATTRS_INIT[cls], cls, {})
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        Mandate("LGA", "LGA", colour="red")  # type: ignore[call-arg]


def test_the_records_stay_frozen() -> None:
    mandate = Mandate("LGA", "LGA")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        mandate.actor = "APCC"  # type: ignore[misc]


@attrs.frozen
class _Validated:
    n: int = attrs.field(validator=attrs.validators.instance_of(int))


@attrs.frozen
class _Made:
    items: list[int] = attrs.Factory(list)


@attrs.frozen
class _PreInit:
    n: int

    def __attrs_pre_init__(self) -> None:
        pass


@attrs.define(frozen=True, slots=False)
class _Dict:
    n: int


@attrs.frozen
class _Base:
    n: int


@attrs.frozen
class _Derived(_Base):
    m: int


@pytest.mark.parametrize("cls", [_Validated, _Made, _PreInit, _Dict, _Derived])
def test_what_it_does_not_do_is_refused_when_the_class_is_made(cls: type) -> None:
    with pytest.raises(TypeError, match="quick_init"):
        quick_init(cls)
    assert cls not in ATTRS_INIT


def test_a_default_that_converts_to_something_else_is_converted() -> None:
    @quick_init
    @attrs.frozen
    class Listed:
        items: tuple[int, ...] = attrs.field(default=[1], converter=tuple)
        kept: tuple[int, ...] = attrs.field(default=(), converter=tuple)

    assert Listed().items == (1,)
    assert Listed([2]).items == (2,)
    assert Listed(kept=[3]).kept == (3,)
    assert Listed() == _built(ATTRS_INIT[Listed], Listed, {})


def test_the_quick_init_is_written_when_the_first_instance_is_made() -> None:
    @quick_init
    @attrs.frozen
    class Later:
        n: int
        label: str = "x"

    stand_in = Later.__init__
    assert stand_in.__wrapped__ is ATTRS_INIT[Later]  # type: ignore[attr-defined]
    assert inspect.signature(stand_in) == inspect.signature(ATTRS_INIT[Later])
    assert (Later(1).n, Later(2, label="y").label) == (1, "y")
    written = Later.__init__
    assert written is not stand_in
    assert not hasattr(written, "__wrapped__")
    assert inspect.signature(written) == inspect.signature(ATTRS_INIT[Later])

    class Plain(Later):  # a subclass made first writes the same __init__ for both
        pass

    @quick_init
    @attrs.frozen
    class Again:
        n: int

    class Sub(Again):
        pass

    assert Sub(3).n == 3
    assert Again(4).n == 4
    assert Plain(5).n == 5
