"""Frozen attrs records whose equality, hash and repr are shared code, not compiled per class.

For each class it makes, attrs writes ``__repr__``, ``__eq__``, ``__ne__`` and
``__hash__`` as source and compiles them: about half a millisecond a class, which
every ``import govflow`` paid for each of the records it defines (a quarter of the
time govflow's import adds to its dependencies'). Each record has attrs make the
class without those four (``attrs.frozen(repr=False, eq=False)``), and
:func:`record_methods` gives it the same four built from its fields, with nothing to
compile. Everything else is attrs' own: the fields, ``__init__``,
slots, freezing, ``attrs.evolve``, ``attrs.asdict``, pickling.

The four behave as attrs' do for a class whose fields all take part in equality
and repr (govflow's do): equal when of the same class with equal fields, in order;
``NotImplemented`` against another class; the hash of the fields' values; the repr
``Name(field=value!r, ...)``. ``tests/test_record.py`` holds each record to a class
attrs makes with the same fields.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import TypeVar

import attrs

_Class = TypeVar("_Class", bound=type)


def record_methods(cls: _Class) -> _Class:
    """Give ``cls``, made by ``attrs.frozen(repr=False, eq=False)``, equality, hash and repr.

    Raises:
        TypeError: ``cls`` is not an attrs class, or defines one of the four itself.
    """
    made: type = cls  # attrs.has() would narrow cls itself to an attrs class
    if not attrs.has(made):
        raise TypeError(f"{cls.__name__}: record_methods takes an attrs class")
    for name in ("__eq__", "__ne__", "__hash__", "__repr__"):
        if name in cls.__dict__ and cls.__dict__[name] is not None:
            raise TypeError(f"{cls.__name__}: make it with attrs.frozen(repr=False, eq=False)")
    _give_methods(cls)
    return cls


def _give_methods(cls: type) -> None:
    names = tuple(field.name for field in attrs.fields(cls))
    values: Callable[[object], tuple[object, ...]]
    if len(names) > 1:
        values = operator.attrgetter(*names)  # a tuple of the values, for two names or more
    else:
        some = [operator.attrgetter(name) for name in names]

        def values(record: object) -> tuple[object, ...]:
            return tuple(get(record) for get in some)

    salt = hash(f"govflow record {cls.__module__}.{cls.__qualname__}")

    def __eq__(self: object, other: object) -> bool:  # noqa: N807 - the method itself
        if other.__class__ is not self.__class__:
            return NotImplemented
        return values(self) == values(other)

    def __ne__(self: object, other: object) -> bool:  # noqa: N807
        if other.__class__ is not self.__class__:
            return NotImplemented
        return values(self) != values(other)

    def __hash__(self: object) -> int:  # noqa: N807
        return hash((salt, *values(self)))

    def __repr__(self: object) -> str:  # noqa: N807
        title = self.__class__.__qualname__.rsplit(">.", 1)[-1]
        shown = ", ".join(
            f"{name}={value!r}" for name, value in zip(names, values(self), strict=True)
        )
        return f"{title}({shown})"

    for method in (__eq__, __ne__, __hash__, __repr__):
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        setattr(cls, method.__name__, method)
