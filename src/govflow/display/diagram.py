"""A lifecycle drawn as mermaid text or as SVG, both computed here with nothing installed.

Both show the initial state entered from a start mark, each final state leading to an end
mark, each transition labelled with its trigger (and, in mermaid, its guards' names; the
SVG lists them under the drawing), and, when asked, a body's current state highlighted.

The SVG is drawn where :mod:`govflow.display.layout` places its states and arcs.
"""

from __future__ import annotations

import collections
import html
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from govflow.display.layout import BOX_H, CHAR, LEVEL, LINE, Layout, layout, ports
from govflow.errors import InvalidRecord
from govflow.guards.protocol import guard_name

if TYPE_CHECKING:
    from govflow.rules.lifecycle import Lifecycle

#: The fill and stroke of a highlighted (current) state.
CURRENT = ("#fde68a", "#b45309")


def guards_of(lifecycle: Lifecycle, source: str, trigger: str) -> tuple[str, ...]:
    """The names of the guards on ``trigger`` from ``source`` (none if it does not leave it)."""
    transition = lifecycle.transition(source, trigger)
    return () if transition is None else tuple(guard_name(g) for g in transition.guards)


def label(lifecycle: Lifecycle, trigger: str, source: str) -> str:
    """A transition's label, on one line: its trigger and, in brackets, its guards' names."""
    guards = guards_of(lifecycle, source, trigger)
    return " ".join((trigger + (f" [{', '.join(guards)}]" if guards else "")).split())


def _angled(text: str) -> str:
    """``<`` and ``>`` as single angle quotation marks: mermaid may read them as HTML."""
    return text.replace("<", "\u2039").replace(">", "\u203a")


def _mermaid_text(text: str) -> str:
    """``text`` as mermaid draws it literally, on one line, wrapped at word breaks.

    Mermaid ends a statement at a line break or ``;``, ends a quoted name at ``"``, and obeys
    a ``%%{...}%%`` directive anywhere in a diagram: a zero-width space goes between two
    ``%`` (a state diagram does not decode mermaid's ``#37;``). It reads ``<`` and ``>``
    as HTML, which its strict mode strips: they become single angle quotation marks
    (U+2039, U+203A), and "direction" followed by a word as a statement: a zero-width
    space goes inside the word. Long text is broken between words with ``<br/>``.
    """
    for mark, shown in (('"', "'"), (";", ",")):
        text = text.replace(mark, shown)
    text = _angled(text)
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= _WRAP:
            lines[-1] += " " + word
        else:
            lines.append(word)
    # "direction" and a word after it, anywhere in a text, mermaid reads as a statement
    # (mermaid 11.17: the arrow is dropped): a zero-width space breaks the word.
    text = re.sub("%(?=%)", "%\u200b", "<br/>".join(lines))
    return re.sub("(?<=dir)(?=ection)", "\u200b", text, flags=re.IGNORECASE)


#: The widest line of a mermaid label, in characters.
_WRAP = 20


_ARGUMENT = "pass the argument it expects"


def checked_current(lifecycle: Lifecycle, current: str | None, where: str) -> str | None:
    """``current``, if it is ``None`` or one of the lifecycle's states.

    Raises:
        InvalidRecord: ``lifecycle`` is no Lifecycle, or ``current`` is neither (a
            mistyped state would highlight nothing).
    """
    from govflow.rules.lifecycle import Lifecycle  # noqa: PLC0415 - loaded with any lifecycle

    if not isinstance(lifecycle, Lifecycle):
        raise InvalidRecord(where, "lifecycle", "a Lifecycle", lifecycle, _ARGUMENT)
    if current is None or (type(current) is str and current in {s.name for s in lifecycle.states}):
        return current
    expected = "None or one of the lifecycle's states"
    raise InvalidRecord(where, "current", expected, current, _ARGUMENT)


def mermaid(lifecycle: Lifecycle, *, current: str | None = None) -> str:
    """The lifecycle as a mermaid ``stateDiagram-v2``.

    Args:
        lifecycle: The lifecycle to draw.
        current: A state to highlight (a body's current state), or ``None``.

    Returns:
        The diagram's text: a title, the initial state entered from ``[*]``, each final
        state leading to ``[*]``, each transition labelled with its trigger and guards.

    Raises:
        InvalidRecord: ``current`` is not one of the lifecycle's states.
    """
    checked_current(lifecycle, current, "mermaid")
    ids = _idents([s.name for s in lifecycle.states])
    # A YAML double-quoted text, on one line, with no "%%" that could start a directive,
    # and "<" and ">" as the labels show them (mermaid may read them as HTML).
    title = json.dumps(re.sub("%(?=%)", "%\u200b", _angled(lifecycle.name)))
    lines = ["---", f"title: {title}", "---", "stateDiagram-v2"]
    names = {name: _mermaid_text(name) for name in ids}
    lines += [f'    state "{names[name]}" as {i}' for name, i in ids.items()]
    lines.append(f"    [*] --> {ids[lifecycle.initial]}")
    for trigger, source, dest in lifecycle.drawn():
        text = _mermaid_text(label(lifecycle, trigger, source))
        lines.append(f"    {ids[source]} --> {ids[dest]}: {text}")
    lines += [f"    {ids[name]} --> [*]" for name in ids if name in lifecycle.final]
    if current is not None:
        lines += [
            f"    classDef current fill:{CURRENT[0]},stroke:{CURRENT[1]},stroke-width:2px",
            f"    class {ids[current]} current",
        ]
    return "\n".join(lines) + "\n"


#: Words mermaid's state diagrams read as their own: a state so named is drawn by alias.
_KEYWORDS = frozenset(
    {
        "end", "state", "note", "direction", "class", "classdef", "click", "style", "as",
        "default", "href", "acctitle", "accdescr", "statediagram", "scale",
        "root_start", "root_end",  # mermaid's own ids for [*] at the start and end
    }
)  # fmt: skip


def _idents(names: Sequence[str]) -> dict[str, str]:
    """A mermaid id for each state: its name where mermaid takes it as one, else an alias."""
    plain = {n for n in names if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", n)}
    plain -= {n for n in plain if n.lower() in _KEYWORDS}
    ids, taken = {}, set(plain)
    for number, name in enumerate(names):
        if name in plain:
            ids[name] = name
            continue
        alias = f"state_{number}"
        while alias in taken:
            alias += "_"
        taken.add(alias)
        ids[name] = alias
    return ids


def _arrows(at: Layout) -> tuple[list[str], list[str]]:
    """The transitions' lines, and their labels (drawn last, over every line)."""
    lines, labels, used = [], [], set()
    straight = [e for e in at.drawn if e not in at.above and e not in at.below and e[1] != e[2]]
    between = collections.Counter((s, d) for _, s, d in straight)  # arrows between two states
    seen: collections.Counter[tuple[str, str]] = collections.Counter()
    loops: dict[str, list[str]] = {}
    for trigger, source, dest in at.drawn:
        if source == dest:
            loops.setdefault(source, []).append(trigger)
    for trigger, source, dest in straight:
        (sl, st, sw), (dl, dt_, _) = at.boxes[source], at.boxes[dest]
        nth, count = seen[source, dest], between[source, dest]
        seen[source, dest] += 1
        # Several arrows between two states run apart within the boxes' height, their
        # labels a line apart (14 px), however many.
        shift = nth - (count - 1) / 2
        apart = shift * min(14, 28 / max(count - 1, 1))
        y1, y2 = st + BOX_H / 2 + apart, dt_ + BOX_H / 2 + apart
        lines.append(_edge(f"M{sl + sw},{y1} L{dl},{y2}", at.marker))
        # Halfway, or a quarter of the way where two crossing arrows' halfways meet.
        t = 0.25 if (round((sl + sw + dl) / 2), round((y1 + y2) / 2)) in used else 0.5
        x, y = sl + sw + t * (dl - sl - sw), y1 + t * (y2 - y1) + shift * 14 - apart
        used.add((round(x), round(y)))
        labels.append(_text(x, y - 5, trigger))
    for state, triggers in loops.items():  # one loop under the box, naming every trigger
        left, top, width = at.boxes[state]
        lines.append(_edge(f"M{left + width - 10},{top + BOX_H} c 0,18 -20,18 -20,0", at.marker))
        labels.append(_text(left + width - 20, top + BOX_H + 28, ", ".join(triggers)))
    for placed, side in ((at.above, -1), (at.below, 1)):
        port = ports(placed, at.boxes)
        for (trigger, source, dest), level in placed.items():
            sx, dx = port[(trigger, source, dest, source)], port[(trigger, source, dest, dest)]
            corners = at.route((trigger, source, dest), side, (sx, dx))
            lines.append(_edge("M" + " L".join(f"{x:g},{y:g}" for x, y in corners), at.marker))
            y = at.top - 20 - level * LEVEL if side < 0 else at.bottom + 20 + level * LEVEL
            labels.append(_text((sx + dx) / 2, y - 4, trigger))
    return lines, labels


def _states(lifecycle: Lifecycle, at: Layout, current: str | None) -> list[str]:
    """The states' boxes, the start mark before the initial one, an end mark after finals."""
    _, first_top, _ = at.boxes[lifecycle.initial]
    y = first_top + BOX_H / 2
    parts = [f'<circle cx="14" cy="{y}" r="6" fill="#333"/>', _edge(f"M20,{y} L40,{y}", at.marker)]
    for state, (left, top, width) in at.boxes.items():
        fill, stroke = CURRENT if state == current else ("#f8fafc", "#475569")
        parts.append(
            f'<rect x="{left}" y="{top}" width="{width}" height="{BOX_H}" rx="10" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{2 if state == current else 1.2}"/>'
        )
        parts.append(_text(left + width / 2, top + BOX_H / 2 + 5, state, size=13))
        if state in lifecycle.final:
            y, end = top + BOX_H / 2, left + width + 30
            parts.append(_edge(f"M{left + width},{y} L{end - 8},{y}", at.marker))
            parts.append(
                f'<circle cx="{end}" cy="{y}" r="7" fill="none" stroke="#333"/>'
                f'<circle cx="{end}" cy="{y}" r="4" fill="#333"/>'
            )
    return parts


def svg(lifecycle: Lifecycle, *, current: str | None = None) -> str:
    """The lifecycle as a standalone SVG image.

    Args:
        lifecycle: The lifecycle to draw.
        current: A state to highlight (a body's current state), or ``None``.

    Returns:
        An SVG document: states left to right from the initial one, each transition an
        arrow labelled with its trigger, the guards of each trigger listed below.

    Raises:
        InvalidRecord: ``current`` is not one of the lifecycle's states.
    """
    checked_current(lifecycle, current, "svg")
    at = layout(lifecycle)
    lines, labels = _arrows(at)
    legend = _legend(lifecycle, at.drawn)
    low = at.bottom + 30 + (max(at.below.values(), default=-1) + 1) * LEVEL
    labels += [
        _text(20, low + 10 + n * LINE, line, anchor="start") for n, line in enumerate(legend)
    ]
    width = max([at.right] + [40 + len(line) * CHAR for line in legend])
    height = low + 16 + len(legend) * LINE
    title = xml_text(f"Lifecycle {lifecycle.name}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{title}" '
        'font-family="Helvetica, Arial, sans-serif">'
        f"<title>{title}</title>"
        f'<defs><marker id="{at.marker}" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>'
        '<rect width="100%" height="100%" fill="#ffffff"/>'
        f"{''.join(lines)}{''.join(_states(lifecycle, at, current))}{''.join(labels)}</svg>"
    )


def _legend(lifecycle: Lifecycle, drawn: Sequence[tuple[str, str, str]]) -> list[str]:
    """One line for each trigger with guards: the trigger and its guards' names."""
    lines: dict[str, None] = {}
    for trigger, source, _ in drawn:
        guards = guards_of(lifecycle, source, trigger)
        if guards:
            lines[f"{trigger}: {', '.join(guards)}"] = None
    return list(lines)


def _edge(path: str, marker: str) -> str:
    return (
        f'<path d="{path}" fill="none" stroke="#333" stroke-width="1.2" '
        f'marker-end="url(#{marker})"/>'
    )


#: What XML 1.0 does not allow in a document, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def one_line(text: str) -> str:
    """``text`` on one line, with what XML cannot hold (even escaped) shown as U+FFFD."""
    return " ".join(_NOT_XML.sub("\ufffd", text).split())


def xml_text(text: str) -> str:
    """``text`` on one line (:func:`one_line`), escaped for XML."""
    return html.escape(one_line(text))


def _text(x: float, y: float, text: str, *, size: int = 12, anchor: str = "middle") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="#111" paint-order="stroke" stroke="#ffffff" stroke-width="3">'
        f"{xml_text(text)}</text>"
    )
