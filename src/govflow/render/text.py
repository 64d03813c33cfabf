"""Plain-text rendering of a log's timeline and of an explanation, wrapped to a width."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from govflow.display.plain import printable
from govflow.errors import require
from govflow.log.entry import Entry
from govflow.model.decision import Decision
from govflow.rules.explain import Explanation

if TYPE_CHECKING:
    from govflow.render.story import Section

WIDTH = 100
#: The narrowest width lines are wrapped to: the indents and a word or two.
NARROWEST = 20


def _width(width: object, function: str) -> None:
    fits = type(width) is int and width >= NARROWEST
    require(fits, function, "width", f"a whole number of characters from {NARROWEST}", width)


def _wrap(text: str, indent: str, width: int) -> list[str]:
    return textwrap.wrap(
        text, width=width, initial_indent=indent, subsequent_indent=indent + "  "
    ) or [indent.rstrip()]


def particulars(decision: Decision) -> list[tuple[str, str]]:
    """What a decision names beside its kind, each as a (label, value) pair.

    Its vote, its nominees, a meeting, a delegation, the ids it ratifies or supersedes,
    the day it was recorded, the terms it proposes or amends to, to whom it recommends,
    the state it hopes for by when, and for a note, what it is about and the date it
    names.
    """
    d, said = decision, []
    if d.recorded is not None:
        said.append(("recorded", d.recorded.isoformat()))
    if d.position is not None:
        said.append(("vote", d.position.value))
    if d.nominees:
        said.append(("nominees", ", ".join(d.nominees)))
    if d.meeting is not None:
        said.append(("meeting", d.meeting))
    if d.delegation is not None:
        given = d.delegation
        kinds = ", ".join(k.value for k in given.kinds)
        until = "open" if given.end is None else given.end.isoformat()
        said.append(("delegates", f"{kinds} to {given.to}, {given.start.isoformat()} to {until}"))
    if d.ratifies:
        said.append(("ratifies", ", ".join(d.ratifies)))
    if d.supersedes is not None:
        said.append(("supersedes", d.supersedes))
    if d.terms is not None:
        partners = ", ".join(d.terms.partners)
        said.append(("terms", f"version {d.terms.version}, {d.terms.title}; partners {partners}"))
    if d.to is not None:
        said.append(("to", d.to))
    if d.target is not None:
        said.append(("target", f"{d.target.state} by {d.target.by.iso}"))
    if d.about is not None:
        said.append(("about", d.about))
    if d.expected is not None:
        said.append(("expected", d.expected.iso))
    return said


def timeline_lines(entries: Iterable[Entry], *, width: int = WIDTH) -> list[str]:
    """One block per entry: its number, date, kind, actor and state change, then its decision.

    The decision's id and body, what it names (:func:`particulars`), its reasons, alternatives
    rejected, conflicts of interest declared, dispensations and source.

    Raises:
        InvalidRecord: ``entries`` holds something other than entries, or ``width`` is
            not a whole number from :data:`NARROWEST`.
    """
    _width(width, "timeline_lines")
    require(
        isinstance(entries, Iterable) and not isinstance(entries, str | bytes),
        "timeline_lines",
        "entries",
        "the log's entries",
        entries,
    )
    lines: list[str] = []
    for entry in entries:
        require(type(entry) is Entry, "timeline_lines", "entries", "Entry records", entry)
        d = entry.decision
        actor = d.actor if d.on_behalf_of is None else f"{d.actor} (on behalf of {d.on_behalf_of})"
        if entry.mandate.delegated_by is not None:  # a delegate's power, shown as the notice does
            actor += f" (under a delegation from {entry.mandate.delegated_by})"
        lines.extend(_wrap(f"[{entry.seq}] {d.decided.iso}  {d.kind.value} by {actor}", "", width))
        before = entry.before or "(new)"
        if d.trigger is not None:
            change = f"{d.trigger}: {before} -> {entry.after}"
        elif entry.before is None:
            change = f"{before} -> {entry.after}"
        else:
            change = f"stays {entry.after}"
        lines.append(f"    state: {change}")
        lines.extend(_wrap(f"id: {d.id} (body {entry.body})", "    ", width))
        for label, value in particulars(d):
            lines.extend(_wrap(f"{label}: {value}", "    ", width))
        for reason in d.reasons:
            lines.extend(_wrap(f"why: {reason}", "    ", width))
        for alternative in d.alternatives_rejected:
            lines.extend(_wrap(f"rejected: {alternative}", "    ", width))
        for conflict in d.conflicts_declared:
            lines.extend(_wrap(f"conflict declared: {conflict}", "    ", width))
        for dispensation in d.dispensations:
            lines.extend(_wrap(f"dispensation: {dispensation}", "    ", width))
        lines.extend(_wrap(f"source: {d.source}", "    ", width))
    return [printable(line) for line in lines]


def explanation_lines(
    explanation: Explanation,
    *,
    label: str | None = None,
    notes: Mapping[tuple[str, str], str] | None = None,
    width: int = WIDTH,
) -> list[str]:
    """Each transition out of the current state, possible or blocked with every reason.

    Args:
        explanation: What to render.
        label: What to call the body; its id by default.
        notes: Context to print under a reason, keyed by the blocked trigger and an
            authority the reason names as missing (its ``missing`` parameter).
        width: The widest line.

    Raises:
        InvalidRecord: An argument is not as described.
    """
    require(
        isinstance(explanation, Explanation),
        "explanation_lines",
        "explanation",
        "an Explanation",
        explanation,
    )
    _width(width, "explanation_lines")
    require(label is None or type(label) is str, "explanation_lines", "label", "a text", label)
    fits = notes is None or (
        isinstance(notes, Mapping) and all(type(note) is str for note in notes.values())
    )
    require(fits, "explanation_lines", "notes", "a mapping of (trigger, authority) to text", notes)
    notes = notes or {}
    name = label or explanation.body
    lines = [f"{name} is {explanation.state} as of {explanation.on}."]
    if not explanation.options:
        lines.append("  Nothing can happen next: no transition leads out of this state.")
    for option in explanation.options:
        status = "possible" if option.possible else "blocked"
        lines.append(f"  {option.trigger} -> {option.dest}: {status}")
        for reason in option.reasons:
            lines.extend(_wrap(f"- {reason.message}", "    ", width))
            missing = reason.param("missing", ())
            for who in missing if isinstance(missing, tuple) else ():
                if (option.trigger, who) in notes:
                    lines.extend(_wrap(notes[option.trigger, who], "      ", width))
    if explanation.unratified:
        text = f"Awaiting ratification: {', '.join(explanation.unratified)}"
        lines.extend(_wrap(text, "  ", width))
    return [printable(line) for line in lines]


def one_line(text: str) -> str:
    """``text`` on one line, its control characters (a terminal's escapes) shown as ``?``."""
    return " ".join(printable(text).split())


def text_lines(sections: Iterable[Section], width: int = WIDTH) -> list[str]:
    """The sections as wrapped lines for a terminal."""
    lines: list[str] = []
    for section in sections:
        lines += ["", one_line(section.title)]
        for item in section.items:
            lines += textwrap.wrap(
                one_line(item.text), width, initial_indent="  ", subsequent_indent="      "
            )
            for detail in item.details:
                indent = "      " + "  " * detail.startswith("  ")
                lines += textwrap.wrap(
                    one_line(detail), width, initial_indent=indent, subsequent_indent=indent + "  "
                )
    return lines[1:] if lines[:1] == [""] else lines
