"""Records' equality, hash and repr behave as the ones attrs compiles for the same fields."""

from __future__ import annotations

import importlib
import itertools
import pkgutil
from collections.abc import Iterator

import attrs
import pytest
import structlog.testing

import govflow
from govflow import DecisionRefused, Registry, partnership_lifecycle
from govflow import _record as record_module
from govflow._decide import decide
from govflow._record import record_methods
from govflow.scenarios import spb


def _records() -> list[type]:
    """Every attrs class govflow defines, its modules all imported."""
    for module in pkgutil.walk_packages(govflow.__path__, "govflow."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found = set()
    for name, module in list(importlib.sys.modules.items()):  # type: ignore[attr-defined]
        if name == "govflow" or name.startswith("govflow."):
            found |= {v for v in vars(module).values() if isinstance(v, type) and attrs.has(v)}
    return sorted((c for c in found if c.__module__.startswith("govflow")), key=str)


def _walk(value: object, seen: dict[int, object]) -> Iterator[object]:
    """``value`` and every attrs record within it (fields, tuples, facts)."""
    if id(value) in seen:
        return
    seen[id(value)] = value
    if attrs.has(type(value)):
        yield value
        for field in attrs.fields(type(value)):
            yield from _walk(getattr(value, field.name), seen)
    elif isinstance(value, tuple | list | govflow.Facts):
        for item in value:
            yield from _walk(item, seen)


def samples() -> list[object]:
    """The records playing the seeds' scenario forward builds, and those they hold."""
    lifecycle = partnership_lifecycle(authorities=spb.authorities())
    registry = Registry(lifecycle, logger=structlog.testing.CapturingLogger())
    seen: dict[int, object] = {}
    found: list[object] = [*_walk(lifecycle.states, seen), *_walk(lifecycle.transitions, seen)]
    for decision in (*spb.decisions(), *spb.played_forward()):
        body = registry.bodies.get(decision.body)
        try:
            outcome = decide(lifecycle, body, decision, len(registry.log))
        except DecisionRefused as refused:
            found += _walk(getattr(refused, "explanation", None), seen)
            continue
        found += _walk((outcome, registry.apply(decision)), seen)
    found += _walk(registry.explain(spb.BODY), seen)
    found += _walk(registry.log.checkpoint(), seen)
    return found


SAMPLES = samples()


TWINS: dict[type, type] = {}


def twin(record: object) -> object:
    """The record as a class attrs makes, with the same name and fields, would hold it."""
    cls = type(record)
    names = [field.name for field in attrs.fields(cls)]
    if cls not in TWINS:
        TWINS[cls] = attrs.make_class(cls.__qualname__, names, frozen=True)
    return TWINS[cls](**{name: getattr(record, name) for name in names})


def test_every_record_has_the_shared_methods() -> None:
    records = _records()
    assert len(records) >= 20
    for cls in records:
        for name in ("__eq__", "__ne__", "__hash__", "__repr__"):
            method = cls.__dict__[name]
            assert method.__code__.co_filename == record_module.__file__, (cls, name)


def test_the_scenario_builds_records_of_most_classes() -> None:
    built = {type(s) for s in SAMPLES}
    assert len(built) >= 15
    assert built <= set(_records())


@pytest.mark.parametrize("record", SAMPLES, ids=lambda r: type(r).__name__)
def test_repr_is_attrs_own(record: object) -> None:
    assert repr(record) == repr(twin(record))


def hashed(record: object) -> int | str:
    try:
        return hash(record)
    except TypeError as error:
        return str(error)


def test_equality_and_hash_are_attrs_own() -> None:
    by_class: dict[type, list[object]] = {}
    for record in SAMPLES:
        by_class.setdefault(type(record), []).append(record)
    compared = 0
    for records in by_class.values():
        twins = [twin(r) for r in records]
        for (a, ta), (b, tb) in itertools.product(zip(records, twins, strict=True), repeat=2):
            assert (a == b) is (ta == tb)
            assert (a != b) is (ta != tb)
            if a == b:
                assert hashed(a) == hashed(b)
            compared += 1
        for record, its_twin in zip(records, twins, strict=True):
            # Hashable exactly when attrs' would be (a record holding a dict is not).
            assert isinstance(hashed(record), int) is isinstance(hashed(its_twin), int)
        copy = attrs.evolve(records[0])
        assert copy == records[0]
        assert (copy != records[0]) is False
        assert hashed(copy) == hashed(records[0])
    assert compared > 1000


def test_another_class_is_not_equal() -> None:
    first, second = SAMPLES[0], next(s for s in SAMPLES if type(s) is not type(SAMPLES[0]))
    assert first.__eq__(second) is NotImplemented
    assert first.__ne__(second) is NotImplemented
    assert first != second
    assert first != twin(first)  # same fields, another class


def test_a_field_that_differs_makes_records_unequal() -> None:
    decision = next(s for s in SAMPLES if isinstance(s, govflow.Decision))
    other = attrs.evolve(decision, id=decision.id + "x")
    assert decision != other
    assert (decision == other) is False


def test_record_methods_refuses_what_it_cannot_serve() -> None:
    class Plain:
        pass

    with pytest.raises(TypeError, match="attrs class"):
        record_methods(Plain)

    @attrs.frozen
    class Compiled:
        a: int

    with pytest.raises(TypeError, match="repr=False, eq=False"):
        record_methods(Compiled)

    @attrs.frozen(repr=False, eq=False)
    class Empty:
        pass

    assert record_methods(Empty)() == Empty()
    assert repr(Empty()) == "Empty()"  # as attrs: the name after the function's "<locals>."
