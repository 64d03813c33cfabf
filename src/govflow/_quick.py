"""A quicker ``__init__`` for the frozen attrs records built by the hundred thousand.

A frozen class refuses assignment, so the ``__init__`` attrs writes for one sets
each field with ``object.__setattr__(self, name, value)``, which finds the field's
slot by its name every time. :func:`quick_init` writes the same ``__init__`` (the
same parameters, defaults, converters and ``__attrs_post_init__``) but calls each
slot's own setter, found once when the class is made (about 25 ns less a field),
and skips the converter of a field left at a default that converts to itself.
Everything else about the class is attrs' own. ``tests/test_quick.py`` holds each
such class's ``__init__`` to the one attrs wrote, kept in :data:`ATTRS_INIT`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import MemberDescriptorType
from typing import Any, TypeVar

import attrs

_Record = TypeVar("_Record", bound=type)

#: attrs' own ``__init__`` of each class given a quicker one, for comparison.
ATTRS_INIT: dict[type, Callable[..., None]] = {}


def quick_init(cls: _Record) -> _Record:
    """Give ``cls``, a frozen, slotted attrs class, an ``__init__`` that sets its slots directly.

    The ``__init__`` is written the first time an instance is made, so that
    importing govflow does not pay for records a program never builds (``govflow
    verify`` builds none of them); until then attrs' own stands in the signature.

    Raises:
        TypeError: ``cls`` uses what this ``__init__`` does not do: validators,
            factories, fields left out of ``__init__``, or ``__attrs_pre_init__``.
    """
    for field in attrs.fields(cls):
        unsupported = (
            field.validator is not None
            or not field.init
            or isinstance(field.default, attrs.Factory)  # type: ignore[arg-type]
            # A slot of this class (not of a base, not a dict class's attribute):
            or type(cls.__dict__.get(field.name)) is not MemberDescriptorType
        )
        if unsupported:
            raise TypeError(f"{cls.__name__}.{field.name}: quick_init sets plain fields only")
    if hasattr(cls, "__attrs_pre_init__"):
        raise TypeError(f"{cls.__name__}: quick_init does not call __attrs_pre_init__")
    original: Callable[..., None] = cls.__dict__["__init__"]
    ATTRS_INIT[cls] = original
    # Each field's slot, found now: the class may later read a slot through a
    # descriptor of its own (as ``Body.facts`` does), which sets nothing quicker.
    slots = [cls.__dict__[field.name] for field in attrs.fields(cls)]

    @functools.wraps(original)
    def first(self: object, *args: object, **kwargs: object) -> None:
        init = _written(cls, original, slots)
        setattr(cls, "__init__", init)  # noqa: B010 - mypy refuses cls.__init__ = ...
        init(self, *args, **kwargs)

    setattr(cls, "__init__", first)  # noqa: B010
    return cls


def _written(
    cls: type, original: Callable[..., None], slots: list[MemberDescriptorType]
) -> Callable[..., None]:
    """The ``__init__`` :func:`quick_init` gives ``cls``, setting ``slots``, compiled."""
    names: dict[str, Any] = {}
    positional: list[str] = []
    keyword: list[str] = []
    lines: list[str] = []
    for n, field in enumerate(attrs.fields(cls)):
        names[f"_set{n}"] = slots[n].__set__
        parameter = field.alias
        if field.default is not attrs.NOTHING:
            names[f"_default{n}"] = field.default
            parameter += f"=_default{n}"
        (keyword if field.kw_only else positional).append(parameter)
        value = field.alias
        if field.converter is not None:
            names[f"_convert{n}"] = field.converter
            if (
                field.default is not attrs.NOTHING
                and field.converter(field.default) is field.default
            ):
                # Most fields are left at their default, which converts to itself.
                value = f"{value} if {value} is _default{n} else _convert{n}({value})"
            else:
                value = f"_convert{n}({value})"
        lines.append(f"_set{n}(self, {value})")
    if hasattr(cls, "__attrs_post_init__"):
        lines.append("self.__attrs_post_init__()")
    signature = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    source = f"def __init__({signature}):\n" + "".join(f"    {line}\n" for line in lines)
    exec(source, names)  # noqa: S102 - our own text, as attrs writes its __init__
    init: Callable[..., None] = names["__init__"]
    init.__qualname__ = original.__qualname__
    init.__module__ = original.__module__
    init.__annotations__ = original.__annotations__
    return init
