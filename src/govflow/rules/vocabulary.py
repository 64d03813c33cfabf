"""A lifecycle's vocabulary: the kinds of decision it knows, and which each state accepts.

The built-in :class:`~govflow.Kind` is always known; a lifecycle declares its own
kinds beside it (``Lifecycle(kinds=Motion)``, ``Motion`` a
:class:`~govflow.DecisionKind` subclass). Each state accepts some of them: by default a
state that is not final accepts every kind, and a final state only corrections (a
decision naming in ``supersedes`` the one it corrects, rescinds or revokes) and notes;
``Lifecycle(accepts={"voting": [Motion.VOTE], ...})`` says otherwise for the states it
names. Logs written under entry schema 1, before this rule, are decided as they were:
every state accepting every kind.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

import attrs

from govflow.errors import shown
from govflow.model.kind import BUILT_IN, NAME, DecisionKind, Kind
from govflow.model.terms import nearest

if TYPE_CHECKING:
    from govflow.model.authority import Authority
    from govflow.rules.parts import Transition


def declared(kinds: object) -> tuple[frozenset[DecisionKind], list[str]]:
    """The kinds a lifecycle knows (the built-in ones and ``kinds``), and what is wrong.

    ``kinds`` is ``None``, a :class:`DecisionKind` subclass, or a list of its members.
    """
    known: set[DecisionKind] = set(Kind)
    if kinds is None:
        return frozenset(known), []
    if isinstance(kinds, type) and issubclass(kinds, DecisionKind):
        given: list[object] = list(kinds)
    elif isinstance(kinds, list | tuple | set | frozenset):
        given = list(kinds)
    else:
        return frozenset(known), [
            f"kinds must be a DecisionKind subclass or a list of its members, not {shown(kinds)}"
        ]
    problems = []
    for kind in given:
        if not isinstance(kind, DecisionKind):
            problems.append(f"kinds: {shown(kind)} is not a member of a DecisionKind subclass")
        elif type(kind) is Kind:
            continue  # built in: known already
        elif NAME.fullmatch(kind.value) is None:
            problems.append(f"kind {kind.value!r} must be a lower-case name (letters, digits, _)")
        elif kind.value in BUILT_IN:
            problems.append(f"kind {kind.value!r} is a built-in kind's value; choose another")
        elif kind in known and not any(kind is k for k in known):
            problems.append(f"kind {kind.value!r} is declared more than once")
        else:
            known.add(kind)
    return frozenset(known), problems


def binding(
    given: object, known: frozenset[DecisionKind]
) -> tuple[frozenset[DecisionKind], list[str]]:
    """The lifecycle's own kinds that ``given`` says bind to the terms, and what is wrong."""
    if not isinstance(given, list | tuple | set | frozenset):
        return frozenset(), [
            f"binding must be a list of the lifecycle's own kinds, not {shown(given)}"
        ]
    problems, own = [], set()
    for kind in given:
        if type(kind) is Kind or (type(kind) is str and kind in BUILT_IN):
            name = kind.value if isinstance(kind, Kind) else kind
            problems.append(
                f"binding: {name!r} is a built-in kind, which binds to the terms or not as "
                "govflow defines (agreements, endorsements, nominations, budgets, "
                "establishment and reaffirmations do)"
            )
        elif not isinstance(kind, DecisionKind) or kind not in known:
            problems.append(f"binding: {_unknown(kind)}")
        else:
            own.add(kind)
    return frozenset(own), problems


def _unknown(kind: object) -> str:
    """Why ``kind`` is no kind a state may accept."""
    if type(kind) is str:
        return (
            f"{kind!r} is not a built-in kind's name: a kind of the lifecycle's own is given "
            "as its member (Motion.VOTE), not as text"
        )
    return f"{shown(kind)} is not a kind the lifecycle knows"


def accepting(
    states: Iterable[str],
    final: frozenset[str],
    accepts: object,
    known: frozenset[DecisionKind],
) -> tuple[dict[str, frozenset[DecisionKind]], list[str]]:
    """The kinds each state accepts, and what is wrong with ``accepts``."""
    table = {s: (frozenset() if s in final else known) for s in states}
    if accepts is None:
        return table, []
    if not isinstance(accepts, Mapping):
        return table, [f"accepts must map state names to lists of kinds, not {shown(accepts)}"]
    problems = []
    for state, kinds in accepts.items():
        if state not in table:
            problems.append(f"accepts: {shown(state)} is not one of the states")
            continue
        if isinstance(kinds, str) or not isinstance(kinds, Iterable):
            problems.append(f"accepts[{state!r}] must be a list of kinds, not {shown(kinds)}")
            continue
        by_name = {k.value: k for k in known if type(k) is Kind}  # built-in kinds, as text too
        listed = [by_name.get(k, k) if type(k) is str else k for k in kinds]
        unknown = [k for k in listed if not isinstance(k, DecisionKind) or k not in known]
        problems.extend(f"accepts[{state!r}]: {_unknown(k)}" for k in unknown)
        table[state] = frozenset(k for k in listed if isinstance(k, DecisionKind) and k in known)
    return table, problems


def guard_values(
    value: object, field: str = "", owner: type | None = None, depth: int = 0
) -> Iterator[tuple[type | None, str, object]]:
    """Every value a guard holds, through its records, tuples and anchors.

    Each comes with the record it is a field of and the field's name (``None`` and
    ``""`` for the guard itself): the kinds it counts, the states and names it reads,
    the parameters it takes are all found so.
    """
    if depth > 5:  # noqa: PLR2004 - five levels: a window's anchor's parameter, and more
        return
    yield owner, field, value
    if isinstance(value, enum.Enum):
        return
    if isinstance(value, tuple | list | frozenset | set):
        for item in value:
            yield from guard_values(item, field, owner, depth + 1)
    elif attrs.has(type(value)):
        for f in attrs.fields(type(value)):  # type: ignore[arg-type]
            yield from guard_values(getattr(value, f.name), f.name, type(value), depth + 1)


def kinds_in(guard: object) -> set[DecisionKind]:
    """Every decision kind a guard's fields name (in records, tuples and anchors)."""
    return {v for _, _, v in guard_values(guard) if isinstance(v, DecisionKind)}


def built_in(record: type | None) -> bool:
    """Whether ``record`` is one of govflow's own guards or their parts (not a user's)."""
    return record is not None and record.__module__.startswith("govflow.guards")


def unknown_kinds(transitions: Iterable[Transition], known: frozenset[DecisionKind]) -> list[str]:
    """A problem for each guard that counts a kind the lifecycle does not know."""
    problems: list[str] = []
    for number, t in enumerate(transitions, 1):
        for g, guard in enumerate(t.guards, 1):
            problems.extend(
                f"transition #{number} ({t.trigger!r}): guard #{g} counts kind {k.value!r}, "
                "which the lifecycle does not declare (Lifecycle(kinds=...))"
                for k in sorted(kinds_in(guard) - known)
            )
    return problems


def unknown_names(
    transitions: Iterable[Transition],
    states: Iterable[str],
    authorities: Iterable[Authority] | None,
) -> list[str]:
    """A problem for each state, and each authority, a built-in guard names and none has.

    ``authorities``: those declared (``None``: none, and any name may decide); a guard
    may name one by its name or its organisation. A file's guards are checked so too.
    """
    known = set(states)
    voices = None
    if authorities is not None:
        voices = {n for a in authorities for n in (a.name, a.organisation)}
    problems: list[str] = []
    for number, t in enumerate(transitions, 1):
        for g, guard in enumerate(t.guards, 1):
            found: dict[str, set[str]] = {"states": set(), "authorities": set()}
            for record, field, value in guard_values(guard):
                if not built_in(record):  # a guard of the user's own names what it likes
                    continue
                if field == "state" and isinstance(value, str):  # entered(...), came_from(...)
                    found["states"].add(value)
                elif field in ("authorities", "voters") and isinstance(value, str):
                    found["authorities"].add(value)
            at = f"transition #{number} ({t.trigger!r}): guard #{g}"
            problems.extend(
                f"{at} names the state {shown(s)}, which is not one of the lifecycle's states"
                f"{_near(s, known)}"
                for s in sorted(found["states"] - known)
            )
            if voices is not None:
                problems.extend(
                    f"{at} names {shown(a)}, which is no declared authority's name or "
                    f"organisation{_near(a, voices)}"
                    for a in sorted(found["authorities"] - voices)
                )
    return problems


def _near(name: str, choices: set[str]) -> str:
    close = nearest(name, choices)
    return f" (did you mean {close!r}?)" if close else ""
