"""Where a body can go round: the states it can come back to, the transitions it can take again.

A way back (``PREVIOUS``) returns a body to the state it came from, so where a body can
go next depends on that state too. The graph here has a node for each state a body can
be in, paired with the state it came from where a way back leaves it (elsewhere that
makes no difference, and is left out): its size is about the lifecycle's, not its square.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from govflow.guards import dates
from govflow.guards.counting import DecidedBy
from govflow.guards.votes import Votes
from govflow.model.decision import BINDING
from govflow.rules.parts import PREVIOUS

if TYPE_CHECKING:
    from govflow.rules.lifecycle import Lifecycle

#: A state a body is in, and the state it came from where that matters (else ``None``).
Node = tuple[str, str | None]


def reached(after: dict[str, set[str]], start: set[str]) -> set[str]:
    """The states reached from ``start`` (those included) by the edges ``after``."""
    found, frontier = set(start), list(start)
    while frontier:
        for state in after.get(frontier.pop(), set()) - found:
            found.add(state)
            frontier.append(state)
    return found


def distances(lifecycle: Lifecycle, goal: str, *, forward: bool = False) -> dict[str, int]:
    """Each state's number of transitions to ``goal`` (from ``goal``, when ``forward``).

    A way back counts as leading to no state of the lifecycle (where it leads depends on
    where the body came from); forward, it is reached as ``PREVIOUS``.
    """
    far = {goal: 0}
    frontier = deque([goal])
    while frontier:
        state = frontier.popleft()
        for t in lifecycle.transitions:
            ends = [t.dest] if forward and state in t.sources else []
            ends += list(t.sources) if not forward and t.dest == state else []
            for end in ends:
                if end not in far:
                    far[end] = far[state] + 1
                    frontier.append(end)
    return far


def taken_again(lifecycle: Lifecycle) -> set[int]:
    """The transitions (by number) a body can take more than once: each on a cycle of nodes."""
    backs = {s for t in lifecycle.transitions if t.dest is PREVIOUS for s in t.sources}
    out: dict[str, list[tuple[int, str | None]]] = {}
    for number, t in enumerate(lifecycle.transitions):
        for source in t.sources:
            out.setdefault(source, []).append((number, None if t.dest is PREVIOUS else t.dest))

    def edges(node: Node) -> Iterator[tuple[int, Node]]:
        state, came_from = node
        for number, dest in out.get(state, ()):
            to = came_from if dest is None else dest
            if to is not None:
                yield number, (to, state if to in backs else None)

    component = _components((lifecycle.initial, None), edges)
    return {
        number
        for node, label in component.items()
        for number, to in edges(node)
        if component.get(to) == label
    }


def _components(
    start: Node, edges: Callable[[Node], Iterator[tuple[int, Node]]]
) -> dict[Node, int]:
    """Each node reached from ``start``, labelled by its strongly connected component.

    Tarjan's algorithm, without recursion: a lifecycle may be a chain of thousands.
    """
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    label: dict[Node, int] = {}
    stack: list[Node] = []
    work: list[tuple[Node, Iterator[tuple[int, Node]]]] = [(start, edges(start))]
    index[start] = low[start] = 0
    stack.append(start)
    while work:
        node, pending = work[-1]
        for _, to in pending:
            if to not in index:
                index[to] = low[to] = len(index)
                stack.append(to)
                work.append((to, edges(to)))
                break
            if to not in label:  # on the stack
                low[node] = min(low[node], index[to])
        else:
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    label[member] = index[node]
                    if member == node:
                        break
    return label


def counted_again(lifecycle: Lifecycle) -> Iterator[tuple[str, tuple[str | int, ...], str]]:
    """Counting guards that count again what counted before: (code, key path, message).

    A ``votes`` guard on a way out of a state the body can come back to counts the votes
    taken there before; a ``decided_by`` or ``every_partner`` guard on a transition the
    body can take again lets the decisions that took it once take it again. Neither when
    it counts only since the body entered its state, or in a window from entering it, nor
    the second when every kind it counts binds to the terms (``BINDING``, or the
    lifecycle's ``binding``), as a policy: such a decision still stands on terms
    unchanged, and an amendment voids it.
    """
    into: dict[str, set[str]] = {}
    for t in lifecycle.transitions:
        if t.dest is not PREVIOUS:
            into.setdefault(t.dest, set()).update(t.sources)
    after: dict[str, set[str]] = {}
    for t in lifecycle.transitions:  # a way back leads to any state that leads in
        for source in t.sources:
            dest = into.get(source, set()) if t.dest is PREVIOUS else {t.dest}
            after.setdefault(source, set()).update(dest)
    again: set[int] | None = None  # worked out when a guard needs it
    for number, transition in enumerate(lifecycle.transitions):
        for index, guard in enumerate(transition.guards):
            if type(guard) is not Votes and type(guard) is not DecidedBy:
                continue
            window = guard.within
            if guard.since_entered or (  # votes keep since_entered in their window
                window is not None
                and (window.since_entered or isinstance(window.start, dates.Entered))
            ):
                continue  # counts anew each time
            path = ("transitions", number, "guards", index)
            fix = "give since_entered = true, or a window from entering the state"
            if type(guard) is Votes:
                back = [s for s in transition.sources if s in reached(after, after.get(s, set()))]
                if back:
                    said = (
                        f"guard {guard.name!r} counts every vote since the body was proposed, "
                        f"and the body can come back to {back[0]!r}: votes taken there before "
                        f"count again; {fix}"
                    )
                    yield "votes_counted_again", path, said
                continue
            binds = BINDING | lifecycle.binding  # decisions standing on unchanged terms
            if all(kind in binds for kind in guard.kinds):
                continue
            again = taken_again(lifecycle) if again is None else again
            if number in again:
                said = (
                    f"guard {guard.name!r} counts every decision since the body was proposed, "
                    f"and the body can take {transition.trigger!r} again: the decisions that "
                    f"took it before take it again, with nothing new; {fix}"
                )
                yield "decisions_counted_again", path, said
