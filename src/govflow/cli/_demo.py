"""``govflow demo``: the joint Strategic Partnership Board, replayed from its two reports."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import TextIO

import attrs

from govflow.cli._open import open_log
from govflow.errors import Unreadable, unsecret
from govflow.events import EventLogger
from govflow.log.as_of import body_possibly
from govflow.log.entry import Entry
from govflow.log.memory import AuditLog
from govflow.model.body import Body
from govflow.model.kind import Kind
from govflow.model.when import When
from govflow.registry import Registry
from govflow.render import story
from govflow.render.text import WIDTH, explanation_lines, text_lines, timeline_lines
from govflow.rules.lifecycle import Lifecycle
from govflow.rules.prospects import explain
from govflow.scenarios import spb
from govflow.scenarios.partnership import partnership_lifecycle

HEADER = [
    "govflow demo: the joint Strategic Partnership Board of the LGA and the APCC",
    "What two LGA board reports record about it, each date only as precise as they are.",
]
TECHNICAL_HEADER = [
    "govflow demo: the joint Strategic Partnership Board of the LGA and the APCC",
    "Decisions recorded by two LGA board reports, dated only as precisely as they allow:",
    "a span A/B means some day from A to B. States are recomputed, never copied.",
]
WHAT_IF = "Played forward, not in the reports: the PCCs ask for the Political Group Offices"


@attrs.frozen
class Asked:
    """What the demo is asked to show.

    Attributes:
        as_of: The day to show the state and what is awaited at.
        technical: Show triggers, states and sequence numbers as the lifecycle names them.
        terms: Also show the Board's terms.
        all_steps: Also show steps the record is not about (ending the Board).
    """

    as_of: dt.date
    technical: bool = False
    terms: bool = False
    all_steps: bool = False


def demo(asked: Asked, out: TextIO, logger: EventLogger, *, store: str | None = None) -> int:
    """Replay the reports' record and print it, where the Board stands, and what is awaited.

    Args:
        asked: What to show.
        out: Where to print.
        logger: Where the registry's events go.
        store: A store URL to write the reports' record to (again: entries already
            there are recorded once).

    Returns:
        0 when the log verifies, 1 when it does not.

    Raises:
        Unreadable: The store cannot be opened, or holds entries besides the record's.
    """
    lifecycle = partnership_lifecycle(authorities=spb.authorities())
    log = (
        AuditLog(lifecycle.fingerprint) if store is None else open_log(store, lifecycle.fingerprint)
    )
    shown = unsecret(str(store))  # a password in its URL as ***
    with log:
        if log.schema < 3:  # noqa: PLR2004 - the record holds notes, from schema 3 on
            message = (
                f"{shown} holds entry schema {log.schema}: the reports' record needs schema 3 "
                "(it holds notes); write it to a new store"
            )
            raise Unreadable(message)
        registry = Registry(lifecycle, log=log, logger=logger)
        decisions = spb.decisions()
        ids = {d.id for d in decisions}
        others = [e.decision.id for e in registry.entries() if e.decision.id not in ids]
        if others:  # the what-if, played on them, would be refused for their sake
            raise Unreadable(
                f"{shown} holds {len(others)} {'entry' if len(others) == 1 else 'entries'} "
                f"besides the reports' record (the first: {others[0]!r}): give the demo a new "
                "store, or one it wrote"
            )
        for decision in decisions:
            registry.apply(decision)
        what_if = _played_forward(registry, logger)
        verification = registry.verify(registry.checkpoint())
        entries = list(registry.entries())
        if asked.technical:
            lines = _technical(lifecycle, entries, what_if, asked.as_of)
        else:
            lines = _plain(lifecycle, entries, what_if, asked)
        intact = "verified intact" if verification.ok else "NOT intact"
        lines.append(
            f"Audit log of the reports' record: {verification.count} entries, {intact}, "
            f"head {verification.head[:16]}"
        )
        out.write("\n".join(lines) + "\n")
        return 0 if verification.ok else 1


def _played_forward(registry: Registry, logger: EventLogger) -> list[Entry]:
    """The reports' open question played forward, on a copy of the log: the entries added."""
    lifecycle = registry.lifecycle
    what_if = Registry(lifecycle, log=AuditLog(lifecycle.fingerprint, registry.log), logger=logger)
    start = len(what_if.log)
    for decision in spb.played_forward():
        what_if.apply(decision)
    return list(what_if.log)[start:]


def _plain(
    lifecycle: Lifecycle, entries: list[Entry], what_if: list[Entry], asked: Asked
) -> list[str]:
    terms = spb.TERMS
    sections = [
        story.Section(
            f"The record ({len(entries)} entries, in the order recorded)",
            story.timeline(entries, terms),
        ),
        *story.standing(
            lifecycle,
            entries,
            body_possibly(lifecycle, entries, spb.BODY, asked.as_of),
            all_steps=asked.all_steps,
        ),
    ]
    if asked.terms:
        sections.append(story.terms_section(terms))
    after = what_if[-1].decision.decided.latest
    played = [*entries, *what_if]
    then = story.standing(lifecycle, played, body_possibly(lifecycle, played, spb.BODY, after))
    sections += [
        story.Section(
            WHAT_IF,
            (
                story.Item(
                    "Hypothetical entries, numbered apart from the record, each dated only "
                    "as some day after the report, in 2013:"
                ),
                *story.timeline(what_if, terms, prefix="H"),
            ),
        ),
        *(
            attrs.evolve(s, title=f"Hypothetically: {s.title[:1].lower()}{s.title[1:]}")
            for s in then[:2]
        ),
    ]
    return [*HEADER, "", *text_lines(sections, WIDTH), ""]


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(text, width=WIDTH, initial_indent="  ", subsequent_indent="    ")


def _technical(
    lifecycle: Lifecycle, entries: list[Entry], what_if: list[Entry], as_of: dt.date
) -> list[str]:
    """The demo as the lifecycle names things: triggers, states, sequence numbers."""
    lines = [*TECHNICAL_HEADER, "", "Timeline", *timeline_lines(entries), ""]
    known = body_possibly(lifecycle, entries, spb.BODY, as_of)
    certainty = _wrapped(f"Certainty {known}") if len(known.possible) > 1 else []
    if known.certain is None:
        lines.append(f"As of {as_of.isoformat()} no body had certainly been proposed.")
        lines.extend(certainty)
    else:
        lines.extend(_state_lines(lifecycle, known.certain, as_of, certainty))
    body = known.certain
    lines += ["", WHAT_IF, "(hypothetical decisions, dated only as some day after the report)"]
    lines.extend(timeline_lines(what_if))
    last = what_if[-1]
    body = Registry(lifecycle, log=AuditLog(lifecycle.fingerprint, [*entries, *what_if])).body(
        spb.BODY
    )
    lines.append(
        f"  Terms version {body.terms.version}: "
        + "; ".join(c for c in body.terms.conditions if c not in spb.TERMS.conditions)
    )
    explanation = explain(lifecycle, body, When.on(last.decision.decided.latest))
    lines.extend(explanation_lines(explanation, label=f"The {body.terms.title} ({body.id})"))
    lines.append("")
    return lines


def _state_lines(
    lifecycle: Lifecycle, body: Body, as_of: dt.date, certainty: list[str]
) -> list[str]:
    # Notes about an authority print under every blocker that names it as missing.
    notes = {
        (option.trigger, f.decision.about): f"{f.decision.reasons[0]} ({f.decision.source})"
        for f in body.decisions(Kind.NOTE)
        if f.decision.about is not None
        for option in explain(lifecycle, body, When.on(as_of)).options
    }
    label = f"The {body.terms.title} ({body.id})"
    lines = [f"State and blockers as of {as_of.isoformat()}"]
    lines.extend(
        explanation_lines(explain(lifecycle, body, When.on(as_of)), label=label, notes=notes)
    )
    lines += certainty
    lines += ["", "Hoped-for dates (they can slip, and block nothing)"]
    for state, target in body.targets.items():
        if state in body.history:
            status = "reached"
        elif target.by.latest < as_of:
            status = story.PASSED
        else:
            status = "not yet passed"
        lines.append(f"  {state} by {target.by.iso}: {status}")
    return lines
