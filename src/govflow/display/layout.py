"""Where a lifecycle's SVG drawing puts each state and arrow, computed with nothing installed.

States go in ranks from the initial state, left to right (:func:`ranks`); each rank is a
column of boxes. A transition to the next rank is a straight arrow, one that skips ranks
arcs above the states and one that goes back (or stays in its rank) arcs below them, each
arc at a height of its own (:func:`levels`) and meeting its boxes at ports spread along
them (:func:`ports`). :mod:`govflow.display.diagram` draws what :func:`layout` places.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from govflow.rules.lifecycle import Lifecycle


def ranks(states: Sequence[str], initial: str, edges: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Each state's rank: the longest path to it from ``initial`` without going back."""
    out: dict[str, list[str]] = {s: [] for s in states}
    for source, dest in edges:
        out[source].append(dest)
    back: set[tuple[str, str]] = set()
    seen: set[str] = set()
    # Depth first, with a stack of its own (a chain of thousands of states is no
    # recursion): an edge to a state on the path being walked goes back.
    on_path: set[str] = set()
    for start in (initial, *states):
        if start in seen:
            continue
        seen.add(start)
        on_path.add(start)
        path = [(start, iter(out[start]))]
        while path:
            state, dests = path[-1]
            for dest in dests:
                if dest in on_path:
                    back.add((state, dest))
                elif dest not in seen:
                    seen.add(dest)
                    on_path.add(dest)
                    path.append((dest, iter(out[dest])))
                    break
            else:
                path.pop()
                on_path.discard(state)
    rank = dict.fromkeys(states, 0)
    changed = True
    while changed:  # relax until nothing moves: without its back edges the graph is acyclic
        changed = False
        for source, dest in edges:
            if (source, dest) not in back and dest != source and rank[dest] < rank[source] + 1:
                rank[dest], changed = rank[source] + 1, True
    return rank


CHAR, LINE, _PAD, BOX_H, _GAP, LEVEL = 7.2, 15, 12, 34, 64, 20


def _width(text: str) -> float:
    return len(text) * CHAR + 2 * _PAD


@attrs.define
class Layout:
    """Where everything goes: each state's box (left, top, width) and each arc's level."""

    drawn: tuple[tuple[str, str, str], ...]
    boxes: dict[str, tuple[float, float, float]]
    top: float
    bottom: float
    right: float
    above: dict[tuple[str, str, str], int]
    below: dict[tuple[str, str, str], int]
    marker: str  # the arrowhead's id: one a lifecycle, so that pages holding several agree

    def clear(self, state: str, side: int) -> bool:
        """Whether no box of ``state``'s column is above it (``side`` -1) or below it (1)."""
        left, top, _ = self.boxes[state]
        return not any(x == left and (y - top) * side > 0 for x, y, _ in self.boxes.values())

    def route(
        self, edge: tuple[str, str, str], side: int, ends: tuple[float, float]
    ) -> list[tuple[float, float]]:
        """The corners of an arc above (``side`` -1) or below (1) the states, in order.

        An arc leaves its box at its port (``ends``: the source's, the destination's) on
        the side it runs along, when no box of the column is in the way; otherwise it
        leaves (or meets) the box at its middle, on the side facing the other state, by
        a lane of its own in the gap beside the column: never through another box.
        """
        _, source, dest = edge
        level = (self.above if side < 0 else self.below)[edge]
        y = self.top - 20 - level * LEVEL if side < 0 else self.bottom + 20 + level * LEVEL
        # Each arc's lane beside a column, near ones first, those above and below
        # interleaved (8, 14, 20, ... and 11, 17, 23, ...); each meets a box's side at a
        # height of its own, above its middle or below (a straight arrow meets the middle;
        # from the seventh level on, arcs share the highest and lowest).
        apart = lane_apart(side, level)
        height = BOX_H / 2 + side * min(5 + 2 * level, BOX_H / 2 - 2)
        corners: list[tuple[float, float]] = []
        for state, other, port in ((source, dest, ends[0]), (dest, source, ends[1])):
            left, top, width = self.boxes[state]
            if self.clear(state, side):
                at = [(port, top if side < 0 else top + BOX_H), (port, y)]
            else:
                towards = self.boxes[other][0] < left  # the other is in a column to the left
                edge_x = left if towards else left + width
                lane = edge_x - apart if towards else edge_x + apart
                at = [(edge_x, top + height), (lane, top + height), (lane, y)]
            corners.extend(at if state == source else reversed(at))
        return corners


def lane_apart(side: int, level: int) -> float:
    """How far from a column an arc above (``side`` -1) or below (1) at ``level`` runs."""
    return (8 if side < 0 else 11) + 6 * level


def layout(lifecycle: Lifecycle) -> Layout:
    """Each state's box and each arc's level, for the transitions the lifecycle draws."""
    states = [s.name for s in lifecycle.states]
    drawn = tuple(lifecycle.drawn())
    rank = ranks(states, lifecycle.initial, [(s, d) for _, s, d in drawn])
    columns: dict[int, list[str]] = {}
    for state in states:
        columns.setdefault(rank[state], []).append(state)
    widths = {r: max(_width(s) for s in members) for r, members in columns.items()}
    above = levels([(t, s, d) for t, s, d in drawn if rank[d] > rank[s] + 1], rank)
    below = levels([(t, s, d) for t, s, d in drawn if rank[d] <= rank[s] and d != s], rank)
    # An arc from or to a state with another above (or below) it in its column runs in a
    # lane beside the column: the gaps are wide enough for the outermost lane on each side.
    under = {s for members in columns.values() for s in members[1:]}  # another above it
    over = {s for members in columns.values() for s in members[:-1]}  # another below it
    laned = [lv for (_, s, d), lv in above.items() if s in under or d in under]
    laned += [lv for (_, s, d), lv in below.items() if s in over or d in over]
    gap = max(_GAP, 2 * lane_apart(1, max(laned, default=0)) + 10)
    # A loop under a box with another below it needs room for itself and its label.
    between = 44 if any(s == d and s in over for _, s, d in drawn) else 24
    lefts, x = {}, 40.0
    for r in sorted(columns):
        lefts[r] = x
        labels = [_width(t) + 16 for t, s, d in drawn if rank[s] == r and rank[d] == r + 1]
        x += widths[r] + max([gap, *labels])
    top = 30.0 + (max(above.values(), default=-1) + 1) * LEVEL
    boxes = {
        state: (lefts[r], top + i * (BOX_H + between), widths[r])
        for r, members in columns.items()
        for i, state in enumerate(members)
    }
    tall = max(len(m) for m in columns.values())
    right = max(left + width for left, _, width in boxes.values()) + 60
    bottom = top + tall * (BOX_H + between) - between
    marker = f"govflow-arrow-{lifecycle.fingerprint[:12]}"
    return Layout(drawn, boxes, top, bottom, right, above, below, marker)


def levels(
    edges: Sequence[tuple[str, str, str]], rank: dict[str, int]
) -> dict[tuple[str, str, str], int]:
    """A height for each arc, so that arcs over the same ranks do not share one."""
    placed: dict[tuple[str, str, str], int] = {}
    taken: list[list[tuple[int, int]]] = []
    for edge in sorted(edges, key=lambda e: abs(rank[e[2]] - rank[e[1]])):
        span = tuple(sorted((rank[edge[1]], rank[edge[2]])))
        level = 0
        while level < len(taken) and any(not (span[1] < a or b < span[0]) for a, b in taken[level]):
            level += 1
        if level == len(taken):
            taken.append([])
        taken[level].append((span[0], span[1]))
        placed[edge] = level
    return placed


def ports(
    arcs: dict[tuple[str, str, str], int], boxes: dict[str, tuple[float, float, float]]
) -> dict[tuple[str, str, str, str], float]:
    """Where each arc leaves and meets its states: spread along the box, nearest first."""
    ends: dict[str, list[tuple[int, int, tuple[str, str, str, str]]]] = {}
    for (trigger, source, dest), level in arcs.items():

        def key(state: str) -> tuple[str, str, str, str]:
            return (trigger, source, dest, state)  # noqa: B023 - used at once

        for state, other in ((source, dest), (dest, source)):
            right = boxes[other][0] > boxes[state][0]  # outer arcs meet the box farther out
            ends.setdefault(state, []).append((int(right), -level if right else level, key(state)))
    port: dict[tuple[str, str, str, str], float] = {}
    for state, touching in ends.items():
        left, _, width = boxes[state]
        touching.sort()
        step = width * 0.7 / len(touching)
        for n, (_, _, end) in enumerate(touching):
            port[end] = left + width * 0.15 + step * (n + 0.5)
    return port
