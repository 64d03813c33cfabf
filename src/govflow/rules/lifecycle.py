"""Lifecycles: named states, guarded transitions and final states, validated when built."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import cast

from govflow.canonical import canonical_bytes
from govflow.display import diagram
from govflow.errors import LifecycleError
from govflow.guards.protocol import describe_guard
from govflow.model.authority import Authority, authorities_problems
from govflow.model.kind import DecisionKind, Kind
from govflow.rules import engine as _engine
from govflow.rules import vocabulary as _vocabulary
from govflow.rules.parts import (
    PREVIOUS,
    State,
    Transition,
    argument_problems,
    state,
    unread,
)
from govflow.rules.wellformed import ill_formed

#: Sets an attribute of a Lifecycle while it is built; afterwards nothing may.
_set = object.__setattr__


class Lifecycle:
    """A validated, immutable lifecycle: build it once and share it across bodies.

    Building one checks everything at once and raises a single
    :class:`~govflow.LifecycleError` listing every problem: an unknown state, a
    state unreachable from the initial one, the same trigger twice from one
    source, a guard that is not callable, a transition leaving a final state.

    Args:
        states: The states, as names or :class:`State` records.
        initial: The state a body is in once proposed.
        transitions: The transitions.
        final: The states a body never leaves.
        name: A name for people and diagrams.
        authorities: Who may take which decisions (a list of them, or another
            lifecycle's ``authorities``); ``None`` (the default) lets anyone decide anything.
        provisional: States in which the body's own resolutions are provisional and
            need ratifying later (such as meeting in shadow form).
        kinds: Kinds of decision of the lifecycle's own, beside the built-in
            :class:`~govflow.Kind`: a :class:`~govflow.DecisionKind` subclass, or a list
            of its members. A guard counting, or a decision of, any other kind is refused.
        accepts: The kinds each named state accepts (a built-in one also by its name,
            ``"amend"``). A state not named accepts every kind unless it is final; a
            final state accepts only corrections (decisions naming what they supersede)
            and notes, which every state accepts.
        binding: Kinds of the lifecycle's own that bind to the terms, as agreements do:
            a decision of one counts only on the terms version it was taken on, so an
            amendment voids it (an approval of a constitution). The others count
            whatever the version.

    Raises:
        LifecycleError: The definition has one or more problems.
    """

    __slots__ = (
        "_accepts",
        "_authorities",
        "_by_name",
        "_declared",
        "accepting",
        "authorities",
        "binding",
        "final",
        "fingerprint",
        "fingerprints",
        "initial",
        "initial_history",
        "kinds",
        "name",
        "provisional",
        "states",
        "table",
        "transitions",
    )

    _accepts: dict[str, object] | None
    _authorities: dict[str, Authority] | None
    _declared: bool
    _by_name: dict[str, State]
    #: The lifecycle's name.
    name: str
    #: The states, in the order they were given.
    states: tuple[State, ...]
    #: The state a body is in once proposed.
    initial: str
    #: The history of a body just proposed: ``(initial,)``, one tuple every such body shares.
    initial_history: tuple[str]
    #: The states a body never leaves.
    final: frozenset[str]
    #: The transitions, in the order they were given.
    transitions: tuple[Transition, ...]
    #: The states in which the body's own resolutions need ratifying later.
    provisional: frozenset[str]
    #: Every kind of decision the lifecycle knows: the built-in ones and those it declares.
    kinds: frozenset[DecisionKind]
    #: For each state, the kinds of decision it accepts (corrections are accepted anywhere).
    accepting: Mapping[str, frozenset[DecisionKind]]
    #: The kinds of its own that bind to the terms as the built-in ``BINDING`` kinds do.
    binding: frozenset[DecisionKind]
    #: The declared authorities by name, or ``None`` when anyone may decide.
    authorities: Mapping[str, Authority] | None
    #: ``(state, trigger)`` to its transition: one dictionary lookup finds a transition.
    table: Mapping[tuple[str, str], Transition]
    #: SHA-256 of the canonical form of :meth:`describe`, in hex. Built-in guards enter
    #: it with their parameters, a named guard with its name and parameters, a plain
    #: function with its qualified name (never the module it was loaded from).
    fingerprint: str
    #: Every fingerprint a log of this lifecycle may record: :attr:`fingerprint`, and
    #: where a plain-function guard entered release 0.1's fingerprints with its module,
    #: that older one too (a log written then still opens).
    fingerprints: tuple[str, ...]

    def __init__(
        self,
        *,
        states: Sequence[str | State],
        initial: str,
        transitions: Sequence[Transition],
        final: Iterable[str] = (),
        name: str = "lifecycle",
        authorities: Iterable[Authority] | Mapping[str, Authority] | None = None,
        provisional: Iterable[str] = (),
        kinds: type[DecisionKind] | Iterable[DecisionKind] | None = None,
        accepts: Mapping[str, Iterable[DecisionKind]] | None = None,
        binding: Iterable[DecisionKind] = (),
    ) -> None:
        authorities, misnamed = _listed(authorities)
        wrong = unread(
            states=states,
            transitions=transitions,
            authorities=authorities,
            final=final,
            provisional=provisional,
            kinds=kinds,
            accepts=accepts,
            binding=binding,
        ) or [
            *argument_problems(states, initial, transitions, final, name, provisional),
            *authorities_problems(authorities),
        ]
        if misnamed or wrong:
            raise LifecycleError(misnamed + wrong)
        records = tuple(state(s) for s in states)
        _set(self, "provisional", frozenset(provisional))
        _set(self, "name", name)
        _set(self, "_by_name", {s.name: s for s in records})
        _set(self, "states", tuple(self._by_name.values()))
        _set(self, "initial", initial)
        _set(self, "initial_history", (initial,))
        _set(self, "final", frozenset(final))
        _set(self, "transitions", tuple(transitions))
        declared = None if authorities is None else tuple(authorities)
        _set(self, "_authorities", None if declared is None else {a.name: a for a in declared})
        _set(
            self,
            "authorities",
            None if self._authorities is None else MappingProxyType(self._authorities),
        )
        problems = ill_formed(records, self.initial, self.final, self.provisional,
                                  self.transitions, declared)  # fmt: skip
        vocabulary, wrong_kinds = _vocabulary.declared(kinds)
        _set(self, "kinds", vocabulary)
        _set(self, "_declared", kinds is not None)
        table, wrong_accepts = _vocabulary.accepting(self._by_name, self.final, accepts, vocabulary)
        _set(self, "accepting", MappingProxyType(table))
        _set(self, "_accepts", None if accepts is None or wrong_accepts else dict(accepts))
        own, wrong_binding = _vocabulary.binding(binding, vocabulary)
        _set(self, "binding", own)
        problems.extend(wrong_kinds)
        problems.extend(wrong_accepts)
        problems.extend(wrong_binding)
        problems.extend(_vocabulary.unknown_kinds(self.transitions, vocabulary))
        problems.extend(_vocabulary.unknown_names(self.transitions, self._by_name, declared))
        known = self._by_name
        # The engine sees only the edges between known states, so that duplicates and
        # unreachable states are reported together with every other problem.
        names = frozenset(n for n in known if isinstance(n, str) and n)
        edges = tuple(
            e
            for e in self._edges()
            if isinstance(e[0], str) and e[0] and e[1] in names and e[2] in names
        )
        shape = _engine.compile_shape(initial if initial in names else None, edges)
        problems.extend(
            f"trigger {trigger!r} is defined more than once from state {source!r}; "
            "a trigger may leave each state only once"
            for source, trigger in shape.duplicates
        )
        if initial in known:
            problems.extend(
                f"state {s!r} cannot be reached from the initial state {initial!r}"
                for s in known  # in the order the states were given
                if s in names and s not in shape.reachable
            )
        if problems:
            raise LifecycleError(problems)
        by_edge = {(source, t.trigger): t for t in self.transitions for source in t.sources}
        # One dict lookup per decision: the table is the whole cost of finding a transition.
        _set(self, "table", MappingProxyType({key: by_edge[key] for key in shape.edges}))
        try:
            fingerprint = hashlib.sha256(canonical_bytes(self.describe())).hexdigest()
        except Exception as error:  # a user's guard whose name or description fails
            problem = f"a guard could not be described ({type(error).__name__}: {error})"
            raise LifecycleError([problem]) from error
        _set(self, "fingerprint", fingerprint)
        legacy = hashlib.sha256(canonical_bytes(self.describe(legacy=True))).hexdigest()
        both = (fingerprint,) if legacy == fingerprint else (fingerprint, legacy)
        _set(self, "fingerprints", both)

    def _edges(self) -> tuple[tuple[str, str, str], ...]:
        """Every (trigger, source, destination); a way back stays where it is for the engine.

        A body goes back only to a state it was in, so a way back reaches nothing new.
        """
        return tuple(
            (t.trigger, s, s if t.dest == PREVIOUS else t.dest)
            for t in self.transitions
            for s in t.sources
        )

    def drawn(self) -> tuple[tuple[str, str, str], ...]:
        """The edges to draw, as (trigger, source, destination).

        A way back (:data:`PREVIOUS`) is drawn to each state with a transition into its
        source.
        """
        return self._drawn()

    def _drawn(self) -> tuple[tuple[str, str, str], ...]:
        drawn = []
        for t in self.transitions:
            for s in t.sources:
                if t.dest != PREVIOUS:
                    drawn.append((t.trigger, s, t.dest))
                    continue
                origins = {o for u in self.transitions if u.dest == s for o in u.sources if o != s}
                drawn.extend((t.trigger, s, o) for o in sorted(origins))
        return tuple(drawn)

    def transition(self, state: str, trigger: str) -> Transition | None:
        """The transition ``trigger`` takes from ``state``, or ``None``."""
        if type(state) is not str or type(trigger) is not str:
            return None
        return self.table.get((state, trigger))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(
            f"A Lifecycle is immutable; build another instead of setting {name!r}."
        )

    def triggers_from(self, state: str) -> tuple[str, ...]:
        """The triggers that leave ``state``, in definition order."""
        if type(state) is not str:
            return ()
        return tuple(t.trigger for t in self.transitions if state in t.sources)

    def describe(self, *, legacy: bool = False) -> Mapping[str, object]:
        """The lifecycle as plain data: what the fingerprint is computed over.

        ``legacy`` describes plain-function guards as release 0.1 did (with their module).
        """
        described: dict[str, object] = {
            "name": self.name,
            "states": [s.name for s in self._by_name.values()],
            "initial": self.initial,
            "final": sorted(self.final),
            "transitions": [
                {
                    "trigger": t.trigger,
                    "sources": list(t.sources),
                    "dest": t.dest,
                    "guards": [describe_guard(g, legacy=legacy) for g in t.guards],
                }
                for t in self.transitions
            ],
            "provisional": sorted(self.provisional),
            "authorities": None
            if self._authorities is None
            else [a.describe() for a in self._authorities.values()],
        }
        # Settings added after lifecycles were first fingerprinted: omitted when left
        # at their defaults, so that every lifecycle not using them keeps its fingerprint.
        own = sorted(k.value for k in self.kinds if type(k) is not Kind)
        if self._declared and own:
            described["kinds"] = own
        if self._accepts is not None:
            described["accepts"] = {
                state: sorted(k.value for k in self.accepting[state])
                for state in sorted(self._accepts)
            }
        if self.binding:
            described["binding"] = sorted(k.value for k in self.binding)
        return described

    def mermaid(self, *, current: str | None = None) -> str:
        """The lifecycle as a mermaid ``stateDiagram-v2``: paste it where mermaid renders.

        The initial state is entered from ``[*]``, each final state leads to ``[*]``,
        each transition is labelled with its trigger and its guards' names, and
        ``current`` (a state), when given, is highlighted.
        """
        return diagram.mermaid(self, current=current)

    def svg(self, *, current: str | None = None) -> str:
        """The lifecycle drawn as an SVG image, laid out here with nothing installed.

        States run left to right from the initial one; ``current``, when given, is
        highlighted, and the guards of each trigger are listed under the drawing.
        """
        return diagram.svg(self, current=current)

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        """What a notebook shows: the diagram as SVG and as mermaid, then the repr."""
        from govflow.display.views import lifecycle_bundle  # noqa: PLC0415 - on first display

        return lifecycle_bundle(self, repr(self))

    def __eq__(self, other: object) -> bool:
        """Two lifecycles are equal when their fingerprints are: a log of one is the other's.

        Built twice from one definition (a file loaded again), they are equal; a guard's
        code is not compared, only its identity (its name and parameters).
        """
        if not isinstance(other, Lifecycle):
            return NotImplemented
        return self.fingerprint == other.fingerprint

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __repr__(self) -> str:
        return (
            f"<Lifecycle {self.name!r}: {len(self._by_name)} states, "
            f"{len(self.transitions)} transitions, {self.fingerprint[:12]}>"
        )


def _listed(given: object) -> tuple[Iterable[Authority] | None, list[str]]:
    """Another lifecycle's authorities (a mapping by name) as a tuple, and its misnamed keys."""
    if not isinstance(given, Mapping) or unread(authorities=given):
        return cast("Iterable[Authority] | None", given), []
    misnamed = [
        f"authorities[{key!r}] holds the authority named {value.name!r}: a mapping of "
        "authorities is keyed by their names"
        for key, value in given.items()
        if isinstance(value, Authority) and key != value.name
    ]
    return tuple(given.values()), misnamed
