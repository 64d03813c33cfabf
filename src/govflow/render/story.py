"""A body's record in the words an officer uses: what happened, where it stands, what is awaited.

The plain rendering of ``govflow demo``, ``status`` and ``report`` (the technical one,
with triggers and states as the lifecycle names them, is :mod:`govflow.render.text`).
It is built as :class:`Section` records, plain data that :func:`text_lines` prints
for a terminal and :mod:`govflow.render.document` writes as Markdown or HTML.

What it says, and what it does not:

* dates as precisely as the record holds them ("September 2012", "some day between
  4 July 2012 and 13 February 2013"), never a day it does not know;
* on a day inside a decision's span, what is certain and what is only possible;
* a hoped-for or expected date that has passed: "passed; the record does not say
  whether it happened", never an outcome;
* a recommendation: what was recommended, to whom, and that it may not have been agreed;
* only the steps the record is about: steps to a final state (ending the body) only
  when asked, unless a hoped-for date names one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import attrs

from govflow.guards.conditions import NotAfter
from govflow.guards.dates import resolve
from govflow.log.entry import Entry
from govflow.model.body import Body
from govflow.model.decision import Decision
from govflow.model.kind import Kind
from govflow.model.terms import Terms
from govflow.model.when import When
from govflow.render.words import at, day, lower_first, named, sentence, titled, upper_first, when
from govflow.rules.explain import explain_body
from govflow.rules.lifecycle import Lifecycle
from govflow.rules.parts import led_to

if TYPE_CHECKING:
    from govflow.log.as_of import AsOf
    from govflow.model.verdict import Reason

PASSED = "passed; the record does not say whether it happened"


@attrs.frozen
class Item:
    """One entry of a section: a heading line and the lines beneath it."""

    text: str
    details: tuple[str, ...] = ()


@attrs.frozen
class Section:
    """A titled part of the story: items, each with details."""

    title: str
    items: tuple[Item, ...]


def entry_item(entry: Entry, label: str, terms: Terms | None = None) -> Item:
    """One entry of the record: its date and sentence, the state it left, why, and the source."""
    d = entry.decision
    kind = "Note" if d.kind is Kind.NOTE else None
    text = f"{label} {upper_first(when(d.decided))}: " + (f"{kind}. " if kind else "")
    text += sentence(d, terms)
    details: list[str] = []
    if entry.before is None:
        details.append(f"Its record begins here, in the state {entry.after}.")
    elif entry.before != entry.after:
        details.append(f"Its state moves from {entry.before} to {entry.after}.")
    elif d.trigger is not None:  # a step from a state to itself: entered again
        details.append(f"It takes the step {d.trigger}: its state stays {entry.after}.")
    if entry.mandate.delegated_by is not None:
        details.append(f"Taken under a delegation from {named(entry.mandate.delegated_by)}.")
    reasons = d.reasons[1:] if d.kind in (Kind.NOTE, Kind.RECOMMEND) else d.reasons
    details.extend(f"Why: {r}" for r in reasons)
    details.extend(f"Considered and not chosen: {a}" for a in d.alternatives_rejected)
    details.extend(f"Conflict of interest declared: {c}" for c in d.conflicts_declared)
    details.extend(f"Dispensation: {x}" for x in d.dispensations)
    if d.expected is not None:
        details.append(f"Date it names: {when(d.expected)}.")
    if d.kind is Kind.RECOMMEND:
        details.append("The record does not say whether it was agreed.")
    details.append(f"Source: {d.source}")
    return Item(text, tuple(details))


def timeline(
    entries: Iterable[Entry], terms: Terms | None = None, *, prefix: str = ""
) -> tuple[Item, ...]:
    """The entries as items: ``[seq]``, as ``govflow log`` labels them; "H1." under ``prefix``.

    Without ``terms``, each body is named by the terms its own entries last gave (its
    proposal's, or an amendment's): a log of several bodies names each.
    """
    named: dict[str, Terms] = {}
    items = []
    for n, e in enumerate(entries, 1):
        if e.decision.terms is not None:
            named[e.body] = e.decision.terms
        label = f"{prefix}{n}." if prefix else f"[{e.seq}]"
        items.append(entry_item(e, label, terms or named.get(e.body)))
    return tuple(items)


def _state(lifecycle: Lifecycle, state: str) -> str:
    doc = next((s.doc for s in lifecycle.states if s.name == state), "")
    return f"{state} ({lower_first(doc.rstrip('.'))})" if doc else state


def _plain_reason(message: str) -> str:
    """A guard's reason in plainer words: "awaiting X from: A, B" → "Still awaited: X from A, B"."""
    text = re.sub(r"^awaiting ", "still awaited: ", message)
    text = re.sub(
        r" from 1 more of: ([^(]*?)(?= \(|$)", lambda m: " from " + _listed(m[1], "or"), text
    )
    text = re.sub(r" from (at least )?(\d+) more of: ([^(]*?)(?= \(|$)", _some, text)
    text = re.sub(r" from: ([^(]*?)(?= \(|$)", lambda m: " from " + _listed(m[1], "and"), text)
    return upper_first(text)


def _either(match: re.Match[str]) -> str:
    return f" from {_listed(match[1], 'or')}"


def _some(match: re.Match[str]) -> str:
    return f" from {match[1] or ''}{match[2]} more of {_listed(match[3], 'and')}"


def _listed(names: str, conjunction: str) -> str:
    parts = [named(n) for n in names.split(", ")]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {conjunction} {parts[-1]}"


def _awaited(
    lifecycle: Lifecycle,
    body: Body,
    notes: Sequence[Decision],
    as_of: dt.date,
    *,
    all_steps: bool,
) -> tuple[Item, ...]:
    targets = set(body.targets)
    items = []
    explanation = explain_body(lifecycle, body, When.on(as_of))
    for option in explanation.options:
        # A step to an end other states lead to too (ending the body) is not what the
        # record is about; one only this state leads to (a vote's defeat) is an outcome.
        ending = option.dest in lifecycle.final and led_to(lifecycle, option.dest) != {body.state}
        if ending and option.dest not in targets and not all_steps:
            continue
        transition = lifecycle.transition(body.state, option.trigger)
        doc = transition.doc if transition is not None else ""
        step = (
            option.dest if option.dest != body.state else f"{option.trigger}, staying {body.state}"
        )
        head = f"Next step: {step}" + (
            f" (the model's rule: {lower_first(doc.rstrip('.'))})" if doc else ""
        )
        if option.possible:
            due = _deadlines(transition.guards, body, as_of) if transition is not None else []
            items.append(Item(head, ("Nothing is awaited: the next decision can take it.", *due)))
            continue
        details: list[str] = []
        for reason in option.reasons:
            details.append(
                _plain_reason(reason.message) if reason.code != "too_late" else _late(reason)
            )
            missing = reason.param("missing", ())
            # Each note once, under the first reason awaiting whom it is about.
            told = [n for n in notes if isinstance(missing, tuple) and n.about in missing]
            details.extend(f"  Noted: {_note_text(n, as_of)} ({n.source})" for n in told)
            notes = [n for n in notes if n not in told]
        if transition is not None and not any(r.code == "too_late" for r in option.reasons):
            details.extend(_deadlines(transition.guards, body, as_of))
        items.append(Item(head, tuple(details)))
    if explanation.unratified:
        items.append(Item("Awaiting ratification: " + ", ".join(explanation.unratified)))
    return tuple(items)


def _late(reason: Reason) -> str:
    """A "not after" guard's failure in words: the step can no longer happen."""
    try:
        last = dt.date.fromisoformat(str(reason.param("not_after", "")))
    except ValueError:  # a reason of that code a guard of the user's own gave
        return _plain_reason(reason.message)
    return f"It can no longer happen: its time ran out on {day(last)}."


def _deadlines(guards: Iterable[object], body: Body, as_of: dt.date) -> list[str]:
    """The last day of each "not after" guard of a step still to come, while it is open."""
    found = [resolve(g.day, body, latest=False) for g in guards if type(g) is NotAfter]
    open_ = [last for last in found if last is not None and last >= as_of]
    return [f"It must be taken by {day(min(open_))}."] if open_ else []  # the earliest binds


def _note_text(note: Decision, as_of: dt.date) -> str:
    text = note.reasons[0]
    if note.expected is not None and note.expected.latest < as_of:
        text += f" ({when(note.expected)}: {PASSED}.)"
    return text


def _dates(body: Body, entries: Sequence[Entry], as_of: dt.date) -> tuple[Item, ...]:
    items = []
    for state, target in body.targets.items():
        if state in body.history:
            status = "reached"
        elif target.by.latest < as_of:
            status = PASSED
        else:
            status = "the date has not yet passed"
        items.append(Item(f"To reach {state} {at(target.by)}: {status}."))
    expected = sorted(
        (e.decision for e in entries if e.decision.kind is Kind.NOTE and e.decision.expected),
        key=lambda d: d.expected.earliest if d.expected else as_of,
    )
    for d in expected:
        assert d.expected is not None  # noqa: S101 - sorted from those with one
        status = PASSED if d.expected.latest < as_of else "the date has not yet passed"
        items.append(Item(f"{upper_first(when(d.expected))}: {status}.", (d.reasons[0],)))
    return tuple(items)


def terms_section(terms: Terms) -> Section:
    """The body's terms: partners, remit, budget, places and seats, conditions, parameters."""
    items = [Item(f"Partners: {', '.join(terms.partners)}; terms version {terms.version}.")]
    if terms.remit:
        items.append(Item("Remit:", tuple(f"- {r}" for r in terms.remit)))
    if terms.budget:
        items.append(Item(f"Budget: {terms.budget}."))
    if terms.seats:
        seats = ", ".join(f"{partner} {n}" for partner, n in terms.seats)
        items.append(Item(f"Seats by nomination: {seats}."))
    if terms.places:
        items.append(Item("Places held by office:", tuple(f"- {p}" for p in terms.places)))
    if terms.conditions:
        items.append(Item("Conditions:", tuple(f"- {c}" for c in terms.conditions)))
    if terms.parameters:
        items.append(Item("Parameters:", tuple(f"- {p.name}: {p.value}" for p in terms.parameters)))
    return Section(f"Terms of the {terms.title}", tuple(items))


def standing(
    lifecycle: Lifecycle,
    entries: Sequence[Entry],
    known: AsOf,
    *,
    all_steps: bool = False,
) -> tuple[Section, ...]:
    """Where a body stands on a day: its state and certainty, what is awaited, the dates.

    Args:
        lifecycle: The lifecycle the log was written under.
        entries: The log's entries (those of other bodies are passed over).
        known: What is certain and possible about the body on the day
            (:func:`govflow.log.body_possibly`).
        all_steps: Also show steps to a final state that other states lead to too
            (ending the body), when no hoped-for date names it.
    """
    body, as_of, certain = known.body, known.day, known.certain
    mine = [e for e in entries if e.body == body]
    terms = mine[0].decision.terms if mine else None
    # Named by its terms in force on the day (an amendment may have renamed it).
    title = upper_first(titled(terms if certain is None else certain.terms))
    if certain is None:
        proposed = "certainly been" if len(known.possible) > 1 else "yet been"
        items = [Item(f"{title} had not {proposed} proposed.")]
    else:
        items = [Item(f"{title} is certainly {_state(lifecycle, certain.state)}.")]
    if len(known.possible) > 1:
        maybe = " or ".join("not yet proposed" if s is None else s for s in known.possible[1:])
        items.append(
            Item(
                f"Possibly {maybe}: the record does not say whether these had happened by then:",
                tuple(
                    f"- {sentence(e.decision, terms)[:-1]} ({when(e.decision.decided)})."
                    for e in known.deciding
                ),
            )
        )
    sections = [Section(f"As of {day(as_of)}", tuple(items))]
    if certain is None:
        return tuple(sections)
    # What the record held by then: notes certainly written by the day asked about, and
    # not corrected or rescinded since.
    gone = {e.decision.supersedes for e in mine if e.decision.decided.ends_by(as_of)}
    mine = [
        e
        for e in mine
        if e.decision.id not in gone
        and (e.decision.kind is not Kind.NOTE or e.decision.decided.ends_by(as_of))
    ]
    notes = [e.decision for e in mine if e.decision.kind is Kind.NOTE]
    awaited = _awaited(lifecycle, certain, notes, as_of, all_steps=all_steps)
    if awaited:
        sections.append(Section("What is awaited, and from whom", awaited))
    asked = tuple(
        Item(
            f"{upper_first(when(e.decision.decided))}: {sentence(e.decision, terms)}",
            ("The record does not say whether it was agreed.", f"Source: {e.decision.source}"),
        )
        for e in mine
        if e.decision.kind is Kind.RECOMMEND and e.decision.decided.earliest <= as_of
    )
    if asked:
        sections.append(Section("Recommendations, their outcome not recorded", asked))
    dates = _dates(certain, mine, as_of)
    if dates:
        # Whether a date has passed is told as of that day: a later section, as of another
        # day, may say the same date has.
        heading = f"Hoped-for and other dates the record names, as of {day(as_of)}"
        sections.append(Section(f"{heading} (none blocks a step)", dates))
    return tuple(sections)
