"""The parts a lifecycle is built from: states and transitions, checked as given.

:class:`State` and :class:`Transition` are plain records; :data:`PREVIOUS` is the
destination of a way back. :func:`argument_problems` says what is of the wrong type
among a lifecycle's arguments, before anything is built from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs

from govflow.errors import shown
from govflow.model.terms import MAX_TEXT, writable
from govflow.model.unreadable import Unread, read_out, read_pairs
from govflow.rules import engine as _engine

if TYPE_CHECKING:
    from govflow.guards.protocol import Guard
    from govflow.rules.lifecycle import Lifecycle


@attrs.frozen
class State:
    """A lifecycle state.

    Its fields are checked by the lifecycle it is given to, which names every problem
    of its arguments at once (``LifecycleError``), not one field at a time.

    Attributes:
        name: The state's name.
        doc: Why the state exists, for people reading the lifecycle.
    """

    name: str
    doc: str = ""


def _sources(value: str | Iterable[str]) -> tuple[str, ...]:
    # Anything but a text or a list is left as given, for the lifecycle to name.
    if isinstance(value, str):
        return (value,)
    if isinstance(value, set | frozenset) and all(isinstance(v, str) for v in value):
        return tuple(sorted(value))  # a set's order is not the same from one run to the next
    return read_out(value) if isinstance(value, list | tuple) else value  # type: ignore[return-value]


def _guards(value: Iterable[Guard]) -> tuple[Guard, ...]:
    return read_out(value) if isinstance(value, list | tuple) else value  # type: ignore[return-value]


PREVIOUS = "@previous"
"""A transition's destination meaning "back to the state the body came from".

One trigger returns a body to wherever it was before (reaffirmation after
reconsidering), not one trigger per origin. No state may take this name.
"""


@attrs.frozen
class Transition:
    """A guarded move from one of ``sources`` to ``dest`` when ``trigger`` is asked for.

    Checked, as a :class:`State` is, by the lifecycle it is given to.

    Attributes:
        trigger: The name a decision asks for.
        sources: The states it may leave from (one name, or several).
        dest: The state it leads to, or :data:`PREVIOUS`: back to the state the body
            was in before its current one (the entry records the state it went to).
        guards: Guards that must all pass at the decision's date.
        doc: Why the transition exists.
    """

    trigger: str
    sources: tuple[str, ...] = attrs.field(converter=_sources)
    dest: str
    guards: tuple[Guard, ...] = attrs.field(default=(), converter=_guards)
    doc: str = ""


def unread(**given: object) -> list[str]:
    """The arguments given as collections whose reading raised, each as a problem.

    A mapping's items are read, and each of its values that is a collection.
    """
    problems = []
    for what, value in given.items():
        found = read_pairs(value) if isinstance(value, Mapping) else _read(value)
        if type(found) is Unread:
            problems.append(f"{what} could not be read: {shown(found)}")
        elif isinstance(value, Mapping):
            problems.extend(
                f"{what}[{key!r}] could not be read: {shown(inner)}"
                for key, listed in found  # type: ignore[attr-defined]
                if type(inner := _read(listed)) is Unread
            )
    return problems


def _read(value: object) -> object:
    """A collection read out (or :class:`Unread`); anything else as it is."""
    return read_out(value) if isinstance(value, list | tuple | set | frozenset) else value


def _names(value: object, what: str) -> list[str]:
    """The problems of ``value`` as a collection of state names."""
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        return [f"{what} must be a list of state names, not {shown(value)}"]
    return [f"{what}: {shown(n)} is not a state name (a text)" for n in value if not writable(n)]


def argument_problems(  # noqa: PLR0917 - the lifecycle's arguments, as given
    states: object,
    initial: object,
    transitions: object,
    final: object,
    name: object,
    provisional: object,
) -> list[str]:
    """What is of the wrong type among a lifecycle's arguments, before anything is built."""
    problems: list[str] = []
    if not isinstance(states, list | tuple):
        problems.append(f"states must be a list of names or States, not {shown(states)}")
    else:
        problems.extend(
            f"state {shown(s)} must be a text name or a State with one"
            for s in states
            if not (writable(s) or (isinstance(s, State) and writable(s.name)))
        )
        problems.extend(
            f"state {s.name!r}: doc must be {DOC}, not {shown(s.doc)}"
            for s in states
            if isinstance(s, State) and writable(s.name) and not writable(s.doc)
        )
    if not writable(initial):
        problems.append(f"the initial state must be a text name, not {shown(initial)}")
    problems.extend(_names(final, "final"))
    problems.extend(_names(provisional, "provisional"))
    if not writable(name):
        problems.append(f"the name must be a text, not {shown(name)}")
    if not isinstance(transitions, list | tuple):
        return [*problems, f"transitions must be a list of Transitions, not {shown(transitions)}"]
    for number, t in enumerate(transitions, 1):
        problems.extend(_transition_problems(f"transition #{number}", t))
    return problems


#: What a state's or a transition's ``doc`` must be, in words.
DOC = f"a text of at most {MAX_TEXT:,} characters, without NUL or lone surrogates"


def _transition_problems(where: str, t: object) -> list[str]:
    """What is of the wrong type in one transition given to a lifecycle."""
    if not isinstance(t, Transition):
        return [f"{where} must be a Transition, not {shown(t)}"]
    problems = []
    if not writable(t.trigger):
        problems.append(f"{where} needs a text trigger, not {shown(t.trigger)}")
    elif t.trigger == _engine.STATE_ATTRIBUTE:
        problems.append(f"{where}: the trigger name {t.trigger!r} is reserved")
    problems.extend(_names(t.sources, f"{where}: sources"))
    if not writable(t.dest):
        problems.append(f"{where} needs a text destination, not {shown(t.dest)}")
    if not isinstance(t.guards, tuple):
        problems.append(f"{where}: guards must be a list, not {shown(t.guards)}")
    if not writable(t.doc):
        problems.append(f"{where}: doc must be {DOC}, not {shown(t.doc)}")
    return problems


def state(value: str | State) -> State:
    """A state given by name or as a record, as a record."""
    return State(value) if isinstance(value, str) else value


def led_to(lifecycle: Lifecycle, state: str) -> frozenset[str]:
    """The states a transition to ``state`` leaves from."""
    return frozenset(s for t in lifecycle.transitions if t.dest == state for s in t.sources)
