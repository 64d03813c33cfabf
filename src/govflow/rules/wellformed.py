"""What is wrong with a lifecycle's states, transitions and guards, each said in words.

:class:`~govflow.Lifecycle` gathers these with every other problem it finds and raises
them together (:class:`~govflow.LifecycleError`).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from govflow.errors import InvalidRecord, shown
from govflow.guards.protocol import guard_name, guard_problem
from govflow.model.terms import is_name
from govflow.rules.parts import PREVIOUS, State, Transition

if TYPE_CHECKING:
    from govflow.model.authority import Authority


def ill_formed(  # noqa: PLR0917 - the lifecycle's parts, as the lifecycle holds them
    records: tuple[State, ...],
    initial: str,
    final: frozenset[str],
    provisional: frozenset[str],
    transitions: tuple[Transition, ...],
    authorities: tuple[Authority, ...] | None,
) -> list[str]:
    """What is wrong with a lifecycle's states, transitions and guards, each in words."""
    problems: list[str] = []
    names = [s.name for s in records]
    if not names:
        problems.append("a lifecycle needs at least one state")
    problems.extend(
        f"state {s.name!r} must have a non-empty text name" for s in records if not is_name(s.name)
    )
    if PREVIOUS in names:
        problems.append(f"state name {PREVIOUS!r} is reserved (a transition's way back)")
    listed = Counter(names)  # counted once: names.count(n) for each was quadratic
    problems.extend(f"state {n!r} is listed more than once" for n, k in listed.items() if k > 1)
    known = set(names)
    problems.extend(
        f"provisional state {n!r} is not one of the states"
        for n in sorted(map(str, provisional - known))
    )
    named = Counter(a.name for a in authorities or ())
    problems.extend(
        f"authority {n!r} is declared more than once" for n, k in named.items() if k > 1
    )
    if initial not in known:
        problems.append(f"the initial state {initial!r} is not one of the states")
    problems.extend(
        f"final state {n!r} is not one of the states" for n in sorted(map(str, final - known))
    )
    for number, t in enumerate(transitions, 1):
        where = f"transition #{number} ({t.trigger!r})"
        blank = not isinstance(t.trigger, str) or not t.trigger or t.trigger.isspace()
        if blank:  # no decision could name it: a decision's trigger is not blank either
            problems.append(f"{where} needs a non-empty text trigger")
        if not t.sources:
            problems.append(f"{where} needs at least one source state")
        problems.extend(
            f"{where}: source {s!r} is not one of the states" for s in t.sources if s not in known
        )
        if t.dest == PREVIOUS:  # a way back needs a way in
            problems.extend(
                f"{where} goes back from the initial state {s!r}, which no transition "
                "leads into: a body there has no previous state"
                for s in t.sources
                if s == initial and not _led_into(transitions, s)
            )
        problems.extend(
            f"{where} leaves final state {s!r}; final states have no way out"
            for s in t.sources
            if s in final
        )
        if t.dest not in known and t.dest != PREVIOUS:
            problems.append(f"{where}: destination {t.dest!r} is not one of the states")
        for g, guard in enumerate(t.guards, 1):
            if not callable(guard):
                problems.append(f"{where}: guard #{g} ({shown(guard)}) is not callable")
                continue
            wrong = guard_problem(guard)
            if wrong is not None:
                problems.append(f"{where}: guard #{g} ({_named(guard)}) {wrong}")
    return problems


def _led_into(transitions: tuple[Transition, ...], state: str) -> bool:
    """Whether a transition leads into ``state``: to it, or back from where it leads."""
    onward = {u.dest for u in transitions if state in u.sources} - {PREVIOUS}
    return any(
        u.dest == state or (u.dest == PREVIOUS and onward & set(u.sources)) for u in transitions
    )


def _named(guard: object) -> str:
    """The guard's name as a message shows it; one that cannot be read, as its type."""
    try:
        return shown(guard_name(guard))  # type: ignore[arg-type]  # any object, as given
    except InvalidRecord:
        return f"a {type(guard).__name__} whose name cannot be read"
