"""The one module that talks to ``transitions``.

``transitions`` builds the lifecycle's graph: govflow hands it the states and
edges once, when a lifecycle is built, and reads back the edges it defines, the
edges defined more than once, and the states reachable from the initial one.
Bodies never become ``transitions`` models: a per-model machine costs tens of
kilobytes and a shared one slows down as models are added, while a compiled
table is a dictionary lookup.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

import attrs
from transitions import Machine


@attrs.frozen
class Shape:
    """What the engine reports about a lifecycle's graph.

    Attributes:
        edges: ``(source, trigger)`` for every defined edge, in the engine's order.
        duplicates: ``(source, trigger)`` pairs defined more than once.
        reachable: The states reachable from the initial state.
    """

    edges: tuple[tuple[str, str], ...]
    duplicates: tuple[tuple[str, str], ...]
    reachable: frozenset[str]


#: Where the engine keeps a model's state: no trigger may take this name.
STATE_ATTRIBUTE = "_govflow_engine_state"


def compile_shape(initial: str | None, edges: Sequence[tuple[str, str, str]]) -> Shape:
    """Build the graph of ``edges`` (trigger, source, destination) from ``initial``.

    The caller checks first that every state an edge names is one of the lifecycle's.
    Without an ``initial`` state, nothing is reachable.
    """
    # No model: triggers are bound to nothing. The engine still refuses a trigger named
    # like its state attribute, so that attribute takes a name no trigger may have.
    machine = Machine(model=None, auto_transitions=False, model_attribute=STATE_ATTRIBUTE)
    for trigger, source, dest in edges:
        machine.add_transition(trigger, source, dest)
    defined: list[tuple[str, str]] = []
    duplicates: list[tuple[str, str]] = []
    # Where each state leads, read once from the engine's table (asking the engine state
    # by state walks every event each time: minutes for a file of 50,000 states).
    following: dict[str, list[str]] = {}
    for trigger, event in machine.events.items():
        for source, found in event.transitions.items():
            defined.append((source, trigger))
            following.setdefault(source, []).extend(str(t.dest) for t in found)
            if len(found) > 1:
                duplicates.append((source, trigger))
    reachable = set() if initial is None else {initial}
    queue = deque(reachable)
    while queue:
        for dest in following.get(queue.popleft(), ()):
            if dest not in reachable:
                reachable.add(dest)
                queue.append(dest)
    return Shape(tuple(defined), tuple(duplicates), frozenset(reachable))
